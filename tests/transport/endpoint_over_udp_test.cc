// The native API over src/transport: two sctp::Endpoints, each on its own UdpEncapsulation,
// driven by one Poller on real loopback sockets (what a program without the usrsctp API does).
#include <gtest/gtest.h>

#include <chrono>

#include "sctpcpp/endpoint.h"
#include "transport/udp_transport.h"

namespace sctp::transport {
namespace {

TimePoint Now() {
  return TimePoint(
      std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now().time_since_epoch()));
}

struct Host {
  std::unique_ptr<UdpEncapsulation> udp;
  std::unique_ptr<Endpoint> endpoint;
  EncapsulationPorts ports;
  std::vector<OutgoingDatagram> out;
  std::vector<Event> events;
};

TEST(EndpointOverUdpTest, HandshakeMessagesAndShutdownOverLoopback) {
  Host a, b;
  for (Host* h : {&a, &b}) {
    auto u = UdpEncapsulation::Open(0);
    ASSERT_TRUE(u.ok()) << u.status();
    h->udp = std::move(*u);
  }
  a.ports.SetDefault(5001, b.udp->port());  // the client knows the server's UDP port
  auto make = [](Host& h, uint16_t port, bool listen) {
    EndpointConfig config;
    config.local_port = port;
    config.listen = listen;
    config.options.mtu = 1500 - 40 - kUdpHeaderSize;
    EndpointCallbacks cb;
    cb.send_packet = [&h, port](const Address& from, const Address& to,
                                std::span<const uint8_t> p) {
      const uint16_t remote = static_cast<uint16_t>((p[2] << 8) | p[3]);
      h.out.push_back({from, to, h.ports.Lookup(port, remote, to), {p.begin(), p.end()}});
    };
    cb.on_event = [&h](Event&& e) { h.events.push_back(std::move(e)); };
    h.endpoint = std::make_unique<Endpoint>(config, cb);
  };
  make(a, 5001, false);
  make(b, 5002, true);
  auto poller = Poller::Create();
  ASSERT_TRUE(poller.ok());
  for (Host* h : {&a, &b})
    for (int fd : h->udp->fds())
      (*poller)->Add(fd);
  const Address peers[] = {*Address::Parse("127.0.0.1")};
  auto id = a.endpoint->Connect(peers, 5002, Now());
  ASSERT_TRUE(id.ok());

  constexpr int kMessages = 200;
  int sent = 0, received = 0;
  bool up = false, closed_a = false, closed_b = false, shutdown = false;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!(closed_a && closed_b) && std::chrono::steady_clock::now() < give_up) {
    while (up && sent < kMessages &&
           a.endpoint
               ->Send(*id, StreamId(0), Ppid(static_cast<uint32_t>(sent)),
                      std::vector<uint8_t>(3000, static_cast<uint8_t>(sent)), {}, Now())
               .ok()) {
      ++sent;
    }
    if (sent == kMessages && received == kMessages && !shutdown) {
      ASSERT_TRUE(a.endpoint->Shutdown(*id, Now()).ok());
      shutdown = true;
    }
    for (Host* h : {&a, &b}) {
      h->udp->Send(h->out);
      h->out.clear();
    }
    (*poller)->ArmTimer(std::min(a.endpoint->NextDeadline(), b.endpoint->NextDeadline()));
    const Poller::Ready ready = (*poller)->Wait();
    for (int fd : ready.fds) {
      Host& h = (fd == a.udp->ipv4_fd() || fd == a.udp->ipv6_fd()) ? a : b;
      const uint16_t local = &h == &a ? 5001 : 5002;
      h.udp->Receive(fd, [&](const IncomingDatagram& d) {
        if (d.payload.size() < 12) return;
        // A toy host: it stores the source port before the engine saw the packet, so replies
        // (INIT ACK) find it. The compat layer stores it only once the packet was accepted
        // (RFC 6951 §5.4) and answers the packet being processed at its source port.
        const uint16_t remote = static_cast<uint16_t>((d.payload[0] << 8) | d.payload[1]);
        h.ports.Learn(local, remote, d.from, d.from_port);
        h.endpoint->HandlePacket(d.from, d.to, d.payload, Now());
      });
    }
    for (Host* h : {&a, &b}) {
      h->endpoint->HandleTimeout(Now());
      for (Event& e : h->events) {
        if (std::holds_alternative<events::CommunicationUp>(e.payload) && h == &a) up = true;
        if (auto* m = std::get_if<events::MessageReceived>(&e.payload)) {
          EXPECT_EQ(m->message.ppid.value(), static_cast<uint32_t>(received));
          EXPECT_EQ(m->message.payload.size(), 3000u);
          ++received;
        }
        if (auto* c = std::get_if<events::AssociationClosed>(&e.payload)) {
          EXPECT_EQ(c->reason, CloseReason::kShutdownComplete);
          (h == &a ? closed_a : closed_b) = true;
        }
      }
      h->events.clear();
    }
  }
  EXPECT_EQ(received, kMessages);
  EXPECT_TRUE(closed_a && closed_b);
  // The server learned the client's UDP port from its packets (never configured).
  EXPECT_EQ(b.ports.Find(5002, 5001, peers[0]), a.udp->port());
  EXPECT_GT(a.udp->stats().datagrams_sent, static_cast<uint64_t>(kMessages));
  EXPECT_GE(a.udp->stats().send_batches, 1u);
  EXPECT_EQ(b.udp->stats().truncated, 0u);
}

}  // namespace
}  // namespace sctp::transport
