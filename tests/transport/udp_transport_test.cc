// src/transport: UDP sockets with batched I/O, the poller, the encapsulation port table.
#include "transport/udp_transport.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace sctp::transport {
namespace {

const Address kLoopback4 = *Address::Parse("127.0.0.1");
const Address kLoopback6 = *Address::Parse("::1");

std::vector<uint8_t> Payload(size_t size, uint8_t seed) {
  std::vector<uint8_t> p(size);
  for (size_t i = 0; i < size; ++i)
    p[i] = static_cast<uint8_t>(seed + i);
  return p;
}

// Reads from `u` until `want` datagrams arrived (the poller tells when).
std::vector<std::pair<IncomingDatagram, std::vector<uint8_t>>> ReceiveAll(UdpEncapsulation& u,
                                                                          size_t want) {
  auto poller = Poller::Create();
  EXPECT_TRUE(poller.ok());
  for (int fd : u.fds())
    (*poller)->Add(fd);
  (*poller)->ArmTimer(TimePoint(std::chrono::duration_cast<Duration>(
                          std::chrono::steady_clock::now().time_since_epoch())) +
                      Seconds(5));
  std::vector<std::pair<IncomingDatagram, std::vector<uint8_t>>> got;
  while (got.size() < want) {
    Poller::Ready ready = (*poller)->Wait();
    if (ready.timer) break;  // 5 s without the datagrams: fail below
    for (int fd : ready.fds) {
      u.Receive(fd, [&](const IncomingDatagram& d) {
        got.emplace_back(d, std::vector<uint8_t>(d.payload.begin(), d.payload.end()));
      });
    }
  }
  return got;
}

TEST(UdpEncapsulationTest, OpensBothFamiliesOnOnePort) {
  auto u = UdpEncapsulation::Open(0);
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_NE((*u)->port(), 0);
  EXPECT_GE((*u)->ipv4_fd(), 0);
  // A second stack cannot take the same port (usrsctp_init with a busy port).
  auto again = UdpEncapsulation::Open((*u)->port());
  if ((*u)->ipv6_fd() >= 0) {
    EXPECT_FALSE(again.ok());
  }
}

TEST(UdpEncapsulationTest, BatchOfDatagramsArrivesWithAddressesAndPorts) {
  auto a = UdpEncapsulation::Open(0);
  auto b = UdpEncapsulation::Open(0);
  ASSERT_TRUE(a.ok() && b.ok());
  std::vector<OutgoingDatagram> batch;
  // More than one sendmmsg/recvmmsg batch.
  const size_t count = UdpEncapsulation::kBatch + 10;
  for (size_t i = 0; i < count; ++i) {
    batch.push_back(OutgoingDatagram{kLoopback4, kLoopback4, (*b)->port(),
                                     Payload(100 + i, static_cast<uint8_t>(i))});
  }
  EXPECT_EQ((*a)->Send(batch), count);
  EXPECT_GE((*a)->stats().send_batches, 2u);
  auto got = ReceiveAll(**b, count);
  ASSERT_EQ(got.size(), count);
  for (size_t i = 0; i < count; ++i) {
    EXPECT_EQ(got[i].first.from, kLoopback4);
    EXPECT_EQ(got[i].first.from_port, (*a)->port());
    EXPECT_EQ(got[i].first.to, kLoopback4);  // IP_PKTINFO
    EXPECT_EQ(got[i].second, Payload(100 + i, static_cast<uint8_t>(i)));
  }
}

TEST(UdpEncapsulationTest, Ipv6DatagramsUseTheIpv6Socket) {
  auto a = UdpEncapsulation::Open(0);
  auto b = UdpEncapsulation::Open(0);
  ASSERT_TRUE(a.ok() && b.ok());
  if ((*a)->ipv6_fd() < 0 || !IsLocalAddress(kLoopback6)) GTEST_SKIP() << "no IPv6 loopback";
  const OutgoingDatagram d{kLoopback6, kLoopback6, (*b)->port(), Payload(64, 7)};
  EXPECT_EQ((*a)->Send(std::span(&d, 1)), 1u);
  auto got = ReceiveAll(**b, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].first.from, kLoopback6);
  EXPECT_EQ(got[0].first.to, kLoopback6);
  EXPECT_EQ(got[0].first.from_port, (*a)->port());
}

TEST(UdpEncapsulationTest, UnsendableDestinationsAreCountedNotSent) {
  auto a = UdpEncapsulation::Open(0);
  ASSERT_TRUE(a.ok());
  const OutgoingDatagram bad[] = {{{}, Address::Conn(1), 9, Payload(10, 0)},
                                  {{}, Address(), 9, Payload(10, 0)}};
  EXPECT_EQ((*a)->Send(bad), 0u);
  EXPECT_EQ((*a)->stats().unsupported_destination, 2u);
}

TEST(PollerTest, TimerFiresAtTheDeadlineAndWakeInterrupts) {
  auto p = Poller::Create();
  ASSERT_TRUE(p.ok());
  const auto now = TimePoint(
      std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now().time_since_epoch()));
  (*p)->ArmTimer(now + Milliseconds(20));
  Poller::Ready r = (*p)->Wait();
  EXPECT_TRUE(r.timer);
  const auto after = std::chrono::steady_clock::now().time_since_epoch();
  EXPECT_GE(std::chrono::duration_cast<Duration>(after),
            (now + Milliseconds(20)).time_since_epoch());
  (*p)->ArmTimer(kNever);
  std::thread waker([&] { (*p)->Wake(); });
  r = (*p)->Wait();
  waker.join();
  EXPECT_TRUE(r.woken);
  EXPECT_FALSE(r.timer);
  // A deadline in the past fires at once.
  (*p)->ArmTimer(TimePoint(Duration(1)));
  EXPECT_TRUE((*p)->Wait().timer);
}

TEST(EncapsulationPortsTest, PerDestinationThenAssociationThenDefaultThenFallback) {
  EncapsulationPorts ports;
  const Address a = *Address::Parse("192.0.2.1");
  const Address b = *Address::Parse("192.0.2.2");
  EXPECT_EQ(ports.Lookup(5000, 6000, a), kSctpTunnelingPort);
  ports.SetDefault(5000, 11111);
  EXPECT_EQ(ports.Lookup(5000, 6000, a), 11111);
  ports.Learn(5000, 6000, a, 22222);
  EXPECT_EQ(ports.Find(5000, 6000, a), 22222);
  EXPECT_EQ(ports.Find(5000, 6000, b), 0);
  // An address never heard from: the association's port.
  EXPECT_EQ(ports.Lookup(5000, 6000, b), 22222);
  // RFC 6951 §5.1: ports may differ per destination (NAT).
  ports.Learn(5000, 6000, b, 33333);
  EXPECT_EQ(ports.Lookup(5000, 6000, b), 33333);
  EXPECT_EQ(ports.Lookup(5000, 6000, a), 22222);
  const Address both[] = {a, b};
  ports.Forget(5000, 6000, both);
  EXPECT_EQ(ports.Lookup(5000, 6000, a), 11111);
  ports.ForgetPort(5000);
  EXPECT_EQ(ports.Lookup(5000, 6000, a), kSctpTunnelingPort);
  EXPECT_EQ(ports.size(), 0u);
  ports.Learn(5000, 6000, a, 0);  // port 0 is never stored
  EXPECT_EQ(ports.size(), 0u);
}

TEST(AddressHelpersTest, MappedWildcardAndLocal) {
  EXPECT_EQ(Unmapped(*Address::Parse("::ffff:10.1.2.3")), *Address::Parse("10.1.2.3"));
  EXPECT_EQ(Unmapped(*Address::Parse("2001:db8::1")), *Address::Parse("2001:db8::1"));
  EXPECT_TRUE(IsWildcard(*Address::Parse("0.0.0.0")));
  EXPECT_TRUE(IsWildcard(*Address::Parse("::")));
  EXPECT_FALSE(IsWildcard(kLoopback4));
  EXPECT_FALSE(IsWildcard(Address::Conn(0)));
  EXPECT_TRUE(IsLocalAddress(kLoopback4));
  EXPECT_FALSE(IsLocalAddress(*Address::Parse("192.0.2.123")));  // TEST-NET-1, not ours
  const auto locals = LocalAddresses(true, false);
  EXPECT_NE(std::find(locals.begin(), locals.end(), kLoopback4), locals.end());
  for (const Address& l : locals)
    EXPECT_TRUE(l.is_ipv4());
}

}  // namespace
}  // namespace sctp::transport
