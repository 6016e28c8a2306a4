// sctp-demo: two sctpcpp stacks talking SCTP over UDP encapsulation (RFC 6951) on loopback.
//
// A client and a server sctp::Endpoint, each with its own UDP socket on 127.0.0.1 (ephemeral
// ports), driven by one poll() loop that feeds received datagrams to HandlePacket and runs
// HandleTimeout at NextDeadline(). The client sends messages on several streams; the server
// checks every byte and the per-stream order; then the client shuts the association down.
// Optionally some packets are dropped on purpose (--loss) to show retransmission at work.
// Every packet is written to a pcap that tshark decodes as SCTP over UDP.
//
// Usage: sctp-demo [--messages N] [--size BYTES] [--streams S] [--loss PERCENT]
//                  [--pcap PATH | --no-pcap]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "capture/pcap_writer.h"
#include "sctpcpp/endpoint.h"

namespace {

using Clock = std::chrono::steady_clock;

sctp::TimePoint Now() {
  return sctp::TimePoint(
      std::chrono::duration_cast<sctp::Duration>(Clock::now().time_since_epoch()));
}

struct Side {
  const char* name;
  int fd = -1;
  uint16_t udp_port = 0;
  sctp::Address address = sctp::Address::Ipv4({127, 0, 0, 1});
  std::unique_ptr<sctp::Endpoint> endpoint;
  std::vector<sctp::Event> events;
  uint64_t packets_sent = 0, bytes_sent = 0, dropped = 0;
};

struct Config {
  uint64_t messages = 2000;
  size_t size = 4096;
  uint16_t streams = 4;
  double loss = 0.0;
  std::string pcap = "/tmp/sctpcpp-demo.pcap";
};

std::vector<uint8_t> Content(uint64_t index, size_t size) {
  std::vector<uint8_t> v(size);
  uint32_t x = static_cast<uint32_t>(index * 2654435761u + 7);
  for (auto& b : v) {
    x = x * 1664525u + 1013904223u;
    b = static_cast<uint8_t>(x >> 24);
  }
  return v;
}

int OpenUdp(uint16_t* port) {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return -1;
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sin.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&sin), sizeof(sin)) != 0) return -1;
  socklen_t len = sizeof(sin);
  getsockname(fd, reinterpret_cast<sockaddr*>(&sin), &len);
  *port = ntohs(sin.sin_port);
  return fd;
}

bool ParseArgs(int argc, char** argv, Config* c) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](double lo, double hi, double* out) {
      if (i + 1 >= argc) return false;
      char* end = nullptr;
      const double v = std::strtod(argv[++i], &end);
      if (end == nullptr || *end != '\0' || v < lo || v > hi) return false;
      *out = v;
      return true;
    };
    double v = 0;
    if (arg == "--messages" && value(1, 1e9, &v)) {
      c->messages = static_cast<uint64_t>(v);
    } else if (arg == "--size" && value(1, 64 * 1024 * 1024, &v)) {
      c->size = static_cast<size_t>(v);
    } else if (arg == "--streams" && value(1, 65535, &v)) {
      c->streams = static_cast<uint16_t>(v);
    } else if (arg == "--loss" && value(0, 50, &v)) {
      c->loss = v / 100.0;
    } else if (arg == "--pcap" && i + 1 < argc) {
      c->pcap = argv[++i];
    } else if (arg == "--no-pcap") {
      c->pcap.clear();
    } else {
      std::fprintf(stderr,
                   "usage: sctp-demo [--messages N] [--size BYTES] [--streams S] [--loss PERCENT] "
                   "[--pcap PATH | --no-pcap]\n"
                   "  defaults: --messages 2000 --size 4096 --streams 4 --loss 0 "
                   "--pcap /tmp/sctpcpp-demo.pcap\n");
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Config config;
  if (!ParseArgs(argc, argv, &config)) return 2;
  std::printf("sctp-demo: two sctpcpp stacks, SCTP over UDP (RFC 6951) on 127.0.0.1\n");

  Side client{"client"}, server{"server"};
  client.fd = OpenUdp(&client.udp_port);
  server.fd = OpenUdp(&server.udp_port);
  if (client.fd < 0 || server.fd < 0) {
    std::perror("sctp-demo: UDP socket");
    return 1;
  }
  std::unique_ptr<sctp::capture::PcapWriter> pcap;
  if (!config.pcap.empty()) pcap = sctp::capture::PcapWriter::Open(config.pcap);
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> coin(0, 1);

  auto make = [&](Side& self, Side& peer, uint16_t sctp_port, bool listen) {
    sctp::EndpointConfig ec;
    ec.local_port = sctp_port;
    ec.listen = listen;
    ec.options.heartbeat_interval = sctp::Seconds(5);
    ec.options.rto_min = sctp::Milliseconds(200);  // loopback: recover quickly from --loss
    ec.options.rto_initial = sctp::Milliseconds(500);
    sctp::EndpointCallbacks cb;
    cb.send_packet = [&self, &peer, &pcap, &config, &rng, &coin](
                         const sctp::Address&, const sctp::Address&, std::span<const uint8_t> p) {
      ++self.packets_sent;
      self.bytes_sent += p.size();
      if (config.loss > 0 && coin(rng) < config.loss) {
        ++self.dropped;  // lost on purpose, before it reaches the wire
        return;
      }
      sockaddr_in to{};
      to.sin_family = AF_INET;
      to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      to.sin_port = htons(peer.udp_port);
      sendto(self.fd, p.data(), p.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof(to));
      if (pcap) {
        pcap->WriteSctpOverUdp({{127, 0, 0, 1}, self.udp_port}, {{127, 0, 0, 1}, peer.udp_port}, p,
                               std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
      }
    };
    cb.on_event = [&self](sctp::Event&& e) { self.events.push_back(std::move(e)); };
    self.endpoint = std::make_unique<sctp::Endpoint>(ec, cb);
  };
  make(client, server, 5001, false);
  make(server, client, 5002, true);

  const sctp::Address peers[] = {server.address};
  auto id = client.endpoint->Connect(peers, 5002, Now());
  if (!id.ok()) {
    std::fprintf(stderr, "sctp-demo: connect: %s\n", std::string(id.status().message()).c_str());
    return 1;
  }

  uint64_t next_to_send = 0, delivered = 0, delivered_bytes = 0, errors = 0;
  std::map<uint16_t, uint64_t> last_index_per_stream;
  std::map<uint16_t, std::vector<uint8_t>> partial;  // stream → pieces of a message
  bool up = false, shutdown_sent = false, closed_client = false, closed_server = false;
  const auto start = Clock::now();
  auto last_progress = start;
  const bool tty = isatty(STDOUT_FILENO) != 0;
  std::vector<uint8_t> buffer(65536);

  auto process_events = [&] {
    for (sctp::Event& e : client.events) {
      if (std::holds_alternative<sctp::events::CommunicationUp>(e.payload)) up = true;
      if (std::holds_alternative<sctp::events::AssociationClosed>(e.payload)) closed_client = true;
    }
    client.events.clear();
    for (sctp::Event& e : server.events) {
      if (auto* m = std::get_if<sctp::events::MessageReceived>(&e.payload)) {
        const uint16_t sid = m->message.stream_id.value();
        auto& acc = partial[sid];
        acc.insert(acc.end(), m->message.payload.begin(), m->message.payload.end());
        if (!m->end_of_message) continue;
        const uint64_t index = m->message.ppid.value();
        if (acc != Content(index, config.size)) ++errors;
        auto it = last_index_per_stream.find(sid);
        if (it != last_index_per_stream.end() && it->second >= index) ++errors;  // order
        last_index_per_stream[sid] = index;
        ++delivered;
        delivered_bytes += acc.size();
        acc.clear();
      }
      if (std::holds_alternative<sctp::events::AssociationClosed>(e.payload)) closed_server = true;
    }
    server.events.clear();
  };

  while (!(closed_client && closed_server)) {
    const auto now_wall = Clock::now();
    if (now_wall - start > std::chrono::seconds(120)) {
      std::fprintf(stderr, "\nsctp-demo: timed out\n");
      return 1;
    }
    // Keep the client's send buffer busy.
    while (up && next_to_send < config.messages) {
      const uint16_t sid = static_cast<uint16_t>(next_to_send % config.streams);
      const absl::Status st = client.endpoint->Send(*id, sctp::StreamId(sid),
                                                    sctp::Ppid(static_cast<uint32_t>(next_to_send)),
                                                    Content(next_to_send, config.size), {}, Now());
      if (!st.ok()) break;  // buffer full: wait for acknowledgements
      ++next_to_send;
    }
    if (up && !shutdown_sent && delivered == config.messages) {
      (void)client.endpoint->Shutdown(*id, Now());
      shutdown_sent = true;
    }
    // Sleep in poll() until a datagram arrives or the earlier of the two deadlines.
    const sctp::TimePoint deadline =
        std::min(client.endpoint->NextDeadline(), server.endpoint->NextDeadline());
    int timeout_ms = 100;
    if (deadline != sctp::kNever) {
      timeout_ms =
          static_cast<int>(std::clamp<int64_t>(sctp::ToMilliseconds(deadline - Now()) + 1, 0, 100));
    }
    pollfd fds[2] = {{client.fd, POLLIN, 0}, {server.fd, POLLIN, 0}};
    poll(fds, 2, timeout_ms);
    for (int i = 0; i < 2; ++i) {
      Side& side = i == 0 ? client : server;
      if ((fds[i].revents & POLLIN) == 0) continue;
      for (int n = 0; n < 64; ++n) {
        sockaddr_in from{};
        socklen_t len = sizeof(from);
        const ssize_t got = recvfrom(side.fd, buffer.data(), buffer.size(), MSG_DONTWAIT,
                                     reinterpret_cast<sockaddr*>(&from), &len);
        if (got <= 0) break;
        side.endpoint->HandlePacket(
            sctp::Address::Ipv4({127, 0, 0, 1}), side.address,
            std::span<const uint8_t>(buffer.data(), static_cast<size_t>(got)), Now());
      }
    }
    client.endpoint->HandleTimeout(Now());
    server.endpoint->HandleTimeout(Now());
    process_events();
    if (tty && Clock::now() - last_progress > std::chrono::milliseconds(100)) {
      last_progress = Clock::now();
      std::printf("\r  %" PRIu64 "/%" PRIu64 " messages delivered (%.1f MB)   ", delivered,
                  config.messages, static_cast<double>(delivered_bytes) / 1e6);
      std::fflush(stdout);
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (pcap) pcap->Flush();
  const auto info_server = server.endpoint->stats();
  std::printf("\r  %" PRIu64 "/%" PRIu64 " messages delivered (%.1f MB)   \n", delivered,
              config.messages, static_cast<double>(delivered_bytes) / 1e6);
  std::printf("summary\n");
  std::printf("  messages      %" PRIu64 " of %zu bytes on %u streams, %" PRIu64
              " delivered intact and in order, %" PRIu64 " errors\n",
              config.messages, config.size, config.streams, delivered, errors);
  std::printf("  time          %.3f s, %.1f Mbit/s of payload\n", seconds,
              static_cast<double>(delivered_bytes) * 8 / seconds / 1e6);
  std::printf("  client → server  %" PRIu64 " packets, %.1f MB, %" PRIu64 " dropped on purpose\n",
              client.packets_sent, static_cast<double>(client.bytes_sent) / 1e6, client.dropped);
  std::printf("  server → client  %" PRIu64 " packets, %.1f MB, %" PRIu64 " dropped on purpose\n",
              server.packets_sent, static_cast<double>(server.bytes_sent) / 1e6, server.dropped);
  std::printf("  server endpoint  %" PRIu64 " packets in, %" PRIu64 " bad checksum, %" PRIu64
              " malformed\n",
              info_server.packets_received, info_server.bad_checksum, info_server.malformed);
  std::printf("  association   closed by SHUTDOWN / SHUTDOWN ACK / SHUTDOWN COMPLETE\n");
  if (pcap) {
    std::printf(
        "  capture       %s  (tshark -r %s -d udp.port==%u,sctp -o 'sctp.checksum:CRC 32c')\n",
        config.pcap.c_str(), config.pcap.c_str(), server.udp_port);
  }
  close(client.fd);
  close(server.fd);
  const bool ok = delivered == config.messages && errors == 0;
  std::printf("%s\n", ok ? "OK: every message arrived intact and in order per stream."
                         : "FAILED: see the summary above.");
  return ok ? 0 : 1;
}
