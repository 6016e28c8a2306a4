// sctp-demo: two sctpcpp stacks talking SCTP over UDP encapsulation (RFC 6951) on loopback.
//
// A client and a server sctp::Endpoint, each with its own UDP socket on 127.0.0.1 (ephemeral
// ports), driven by one poll() loop that feeds received datagrams to HandlePacket and runs
// HandleTimeout at NextDeadline(). The client sends messages on several streams; the server
// checks every byte and the per-stream order; then the client shuts the association down.
// Optionally some packets are dropped on purpose (--loss) to show retransmission at work.
// Every packet is written to a pcap that tshark decodes as SCTP over UDP.
//
// With --peer usrsctp the server is the real usrsctp instead: Debian's prebuilt example server
// (tsctp, or discard_server with --peer-program discard_server), started without our library
// on LD_LIBRARY_PATH, and the client runs on src/transport (UDP sockets with batched I/O and
// an epoll/timerfd poller) — the native API over the same transport the usrsctp API uses.
//
// Usage: sctp-demo [--messages N] [--size BYTES] [--streams S] [--loss PERCENT]
//                  [--pcap PATH | --no-pcap] [--peer usrsctp [--peer-program tsctp|discard_server]]
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <span>
#include <sstream>
#include <thread>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "capture/pcap_writer.h"
#include "sctpcpp/endpoint.h"
#include "transport/udp_transport.h"

extern char** environ;

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
  std::string peer;                    // "" = two sctpcpp stacks; "usrsctp" = the real one
  std::string peer_program = "tsctp";  // in /usr/lib/usrsctp: tsctp or discard_server
  bool messages_given = false;
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
      c->messages_given = true;
    } else if (arg == "--peer" && i + 1 < argc && std::string(argv[i + 1]) == "usrsctp") {
      c->peer = argv[++i];
    } else if (arg == "--peer-program" && i + 1 < argc &&
               (std::string(argv[i + 1]) == "tsctp" ||
                std::string(argv[i + 1]) == "discard_server")) {
      c->peer_program = argv[++i];
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
                   "                 [--peer usrsctp [--peer-program tsctp|discard_server]]\n"
                   "  defaults: --messages 2000 --size 4096 --streams 4 --loss 0 "
                   "--pcap /tmp/sctpcpp-demo.pcap\n");
      return false;
    }
  }
  return true;
}

// Whether a UDP socket is bound to `port` (any address), from /proc/net/udp or udp6.
bool UdpPortBound(uint16_t port, bool ipv6) {
  std::ifstream in(ipv6 ? "/proc/net/udp6" : "/proc/net/udp");
  std::string line;
  std::getline(in, line);  // header
  char wanted[8];
  std::snprintf(wanted, sizeof(wanted), ":%04X ", port);
  while (std::getline(in, line)) {
    // "  sl  local_address rem_address ...": the local address is the second field.
    std::istringstream fields(line);
    std::string slot, local;
    fields >> slot >> local;
    if ((local + " ").find(wanted) != std::string::npos) return true;
  }
  return false;
}

// Tags, initial TSNs and the cookie secret from the kernel (RFC 9260 §5.3.1: hard to guess).
void KernelRandom(std::span<uint8_t> out) {
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
    if (n > 0) done += static_cast<size_t>(n);
  }
}

// --peer usrsctp: our client (native API on src/transport) against Debian's usrsctp server.
int RunAgainstUsrsctp(Config config) {
  namespace tr = sctp::transport;
  const bool discard = config.peer_program == "discard_server";
  if (!config.messages_given) config.messages = 2000;
  if (discard) config.size = std::min<size_t>(config.size, 1000);  // its buffer is 1 KiB... ish
  const std::string program = "/usr/lib/usrsctp/" + config.peer_program;
  if (access(program.c_str(), X_OK) != 0) {
    std::fprintf(stderr, "sctp-demo: %s not found (apt install libusrsctp-examples)\n",
                 program.c_str());
    return 1;
  }
  auto udp = tr::UdpEncapsulation::Open(0);
  auto poller = tr::Poller::Create();
  if (!udp.ok() || !poller.ok()) {
    std::fprintf(stderr, "sctp-demo: UDP/poller setup failed\n");
    return 1;
  }
  for (int fd : (*udp)->fds())
    (*poller)->Add(fd);
  // A free UDP port for the server: open one, remember it, close it.
  uint16_t server_udp = 0;
  {
    auto probe = tr::UdpEncapsulation::Open(0);
    if (!probe.ok()) return 1;
    server_udp = (*probe)->port();
  }
  const uint16_t server_sctp = discard ? 9 : 5002;
  const std::string out_path = "/tmp/sctpcpp-demo-peer-" + std::to_string(getpid()) + ".out";
  const std::string ours = std::to_string((*udp)->port());
  const std::string theirs = std::to_string(server_udp);
  // Line-buffered stdout (stdbuf), so every line is in the file before the server is stopped.
  const std::string launcher = "/usr/bin/stdbuf";
  std::vector<std::string> args = {launcher, "-oL", program};
  if (discard) {
    args.insert(args.end(), {theirs, ours});
  } else {
    args.insert(args.end(), {"-E", theirs, "-U", ours, "-p", std::to_string(server_sctp)});
  }
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  // The real usrsctp: without LD_LIBRARY_PATH (which may point at ours).
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "LD_LIBRARY_PATH=", 16) != 0) env_strings.emplace_back(*e);
  }
  std::vector<char*> envp;
  for (auto& e : env_strings)
    envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t child = -1;
  if (posix_spawn(&child, launcher.c_str(), &actions, nullptr, argv.data(), envp.data()) != 0) {
    std::perror("sctp-demo: spawn");
    return 1;
  }
  posix_spawn_file_actions_destroy(&actions);
  auto stop_child = [&] {
    kill(child, SIGTERM);
    waitpid(child, nullptr, 0);
  };
  // The server is ready once it has bound its UDP port for IPv4 and IPv6. Read from
  // /proc/net/udp{,6}: probing by binding the port ourselves would race with the server's
  // own bind (a held port makes usrsctp_init run without that socket).
  for (int i = 0; i < 250 && !(UdpPortBound(server_udp, false) && UdpPortBound(server_udp, true));
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::printf(
      "sctp-demo: sctpcpp client (UDP port %s) -> real usrsctp %s (UDP port %s, SCTP port %u)\n",
      ours.c_str(), config.peer_program.c_str(), theirs.c_str(), server_sctp);

  tr::EncapsulationPorts ports;
  ports.SetDefault(5001, server_udp);  // RFC 6951 §6.1: the configured remote port
  std::vector<tr::OutgoingDatagram> outgoing;
  std::vector<sctp::Event> events;
  uint64_t packets_sent = 0, packets_received = 0;
  sctp::EndpointConfig ec;
  ec.local_port = 5001;
  ec.options.mtu = 1500 - 40 - tr::kUdpHeaderSize;
  sctp::EndpointCallbacks cb;
  cb.random_bytes = KernelRandom;
  cb.send_packet = [&](const sctp::Address& from, const sctp::Address& to,
                       std::span<const uint8_t> p) {
    ++packets_sent;
    outgoing.push_back({from, to, ports.Lookup(5001, server_sctp, to), {p.begin(), p.end()}});
  };
  cb.on_event = [&](sctp::Event&& e) { events.push_back(std::move(e)); };
  sctp::Endpoint endpoint(ec, cb);
  const sctp::Address peers[] = {sctp::Address::Ipv4({127, 0, 0, 1})};
  auto id = endpoint.Connect(peers, server_sctp, Now());
  if (!id.ok()) {
    stop_child();
    return 1;
  }
  uint64_t next_to_send = 0;
  uint16_t streams = 1;
  bool up = false, closed = false, shutdown_sent = false, failed = false, refused = false;
  int refused_handshakes = 0;
  const auto start = Clock::now();
  while (!closed) {
    if (Clock::now() - start > std::chrono::seconds(60)) {
      std::fprintf(stderr, "sctp-demo: timed out\n");
      failed = true;
      break;
    }
    while (up && next_to_send < config.messages) {
      const uint16_t sid = static_cast<uint16_t>(next_to_send % streams);
      if (!endpoint
               .Send(*id, sctp::StreamId(sid), sctp::Ppid(0), Content(next_to_send, config.size),
                     {}, Now())
               .ok()) {
        break;
      }
      ++next_to_send;
    }
    if (up && !shutdown_sent && next_to_send == config.messages) {
      (void)endpoint.Shutdown(*id, Now());  // after everything queued is acknowledged
      shutdown_sent = true;
    }
    if (!outgoing.empty()) {
      (*udp)->Send(outgoing);  // sendmmsg
      outgoing.clear();
    }
    (*poller)->ArmTimer(endpoint.NextDeadline());
    const tr::Poller::Ready ready = (*poller)->Wait();
    for (int fd : ready.fds) {
      (*udp)->Receive(fd, [&](const tr::IncomingDatagram& d) {
        ++packets_received;
        const auto before = endpoint.stats();
        endpoint.HandlePacket(d.from, d.to, d.payload, Now());
        // RFC 6951 §5.4: store the source port once the packet was accepted.
        if (endpoint.stats().bad_verification_tag == before.bad_verification_tag &&
            endpoint.stats().bad_checksum == before.bad_checksum) {
          ports.Learn(5001, server_sctp, d.from, d.from_port);
        }
      });
    }
    endpoint.HandleTimeout(Now());
    for (sctp::Event& e : events) {
      if (auto* u = std::get_if<sctp::events::CommunicationUp>(&e.payload)) {
        up = true;
        streams = std::max<uint16_t>(1, std::min(config.streams, u->outbound_streams));
        std::printf("  association up: %u outbound streams\n", streams);
      }
      if (auto* c = std::get_if<sctp::events::AssociationClosed>(&e.payload)) {
        if (!up && c->reason == sctp::CloseReason::kPeerAbort && ++refused_handshakes < 20) {
          refused = true;  // no listener yet: try again shortly
          continue;
        }
        closed = true;
        failed = failed || c->reason != sctp::CloseReason::kShutdownComplete;
      }
    }
    events.clear();
    if (refused) {
      // The server binds its UDP port in usrsctp_init, before listen(): an INIT that arrives
      // in between is answered with an ABORT (RFC 9260 §8.4). Like a TCP client meeting a
      // refused connection, start over after a pause.
      refused = false;
      std::printf("  handshake refused (server not listening yet), retrying\n");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      id = endpoint.Connect(peers, server_sctp, Now());
      if (!id.ok()) {
        failed = true;
        break;
      }
    }
  }
  if (!outgoing.empty()) (*udp)->Send(outgoing);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  // The server's own account of what arrived.
  std::string report;
  // Not anchored at the line start: Debian's build prints usrsctp's debug output to the same
  // stdout from its own threads, and a debug fragment without a newline can precede a line.
  const std::regex line(discard ? "Msg of length" : "[0-9]+, [0-9]+, [0-9]+, [0-9]+, .*");
  uint64_t server_messages = 0;
  // Up to 20 s: the server prints each message from its own thread, which a loaded machine
  // (CI runs tests in parallel) can delay well after the last SACK.
  for (int i = 0; i < 400; ++i) {
    std::ifstream in(out_path);
    std::string l;
    server_messages = 0;
    report.clear();
    while (std::getline(in, l)) {
      std::smatch match;
      if (std::regex_search(l, match, line)) {
        ++server_messages;
        report = match.str();
      }
    }
    if (discard ? server_messages >= config.messages : !report.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop_child();
  if (getenv("SCTPCPP_DEMO_KEEP") == nullptr)
    std::remove(out_path.c_str());
  else
    std::printf("  server output kept in %s\n", out_path.c_str());
  std::printf("summary\n");
  std::printf("  sent          %" PRIu64 " messages of %zu bytes in %.3f s, %" PRIu64
              " packets out, %" PRIu64 " in (recvmmsg/sendmmsg batches)\n",
              next_to_send, config.size, seconds, packets_sent, packets_received);
  if (discard) {
    std::printf("  usrsctp       discard_server printed %" PRIu64 " messages\n", server_messages);
  } else {
    std::printf("  usrsctp       tsctp server: %s\n", report.c_str());
  }
  bool ok = !failed && next_to_send == config.messages;
  if (discard) {
    ok = ok && server_messages == config.messages;
  } else {
    std::ostringstream want;
    want << config.size << ", " << config.messages << ", ";
    ok = ok && report.rfind(want.str(), 0) == 0;
  }
  std::printf("%s\n", ok ? "OK: the real usrsctp received every message; association shut down."
                         : "FAILED: see above.");
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Config config;
  if (!ParseArgs(argc, argv, &config)) return 2;
  if (config.peer == "usrsctp") return RunAgainstUsrsctp(config);
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
    // UDP over an Ethernet-sized path: at most 1500 less IPv6 and UDP headers, and RFC 8899
    // PLPMTUD confirms what the path carries (from 1200 up) before DATA uses it.
    ec.options.mtu = 1500 - 40 - 8;
    ec.options.plpmtud = true;
    sctp::EndpointCallbacks cb;
    cb.random_bytes = KernelRandom;
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
  std::optional<sctp::AssociationInfo> client_info;
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
      // The client's view of the association, kept for the summary (gone once closed).
      client_info = client.endpoint->GetInfo(*id);
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
  if (client_info && !client_info->paths.empty()) {
    const sctp::PathInfo& path = client_info->paths[0];
    std::printf("  retransmitted %" PRIu64 " DATA chunks (%" PRIu64
                " fast retransmissions, %" PRIu64 " T3-rtx timeouts)\n",
                client_info->retransmitted_chunks, client_info->fast_retransmissions,
                client_info->t3_expirations);
    std::printf("  RTT           smoothed %.3f ms, RTO %.0f ms (client, primary path)\n",
                static_cast<double>(path.srtt.count()) / 1000.0,
                static_cast<double>(sctp::ToMilliseconds(path.rto)));
    std::printf("  path MTU      %zu bytes of SCTP per packet, confirmed by %" PRIu64
                " PLPMTUD probes (RFC 8899)\n",
                path.mtu, client_info->pmtu_probes_sent);
  }
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
