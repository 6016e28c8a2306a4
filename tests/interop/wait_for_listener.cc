// wait_for_listener: waits until an SCTP server behind UDP encapsulation (RFC 6951) accepts
// associations, by sending it INIT chunks until one is answered with an INIT ACK.
//
//   wait_for_listener SERVER_UDP_PORT SERVER_SCTP_PORT LOCAL_UDP_PORT SECONDS
//
// Why: the example servers bind their UDP port in usrsctp_init, well before they call
// listen() (and before discard_server turns on its blackhole sysctl). A client started as soon
// as the port is bound can meet a server without a listener, whose answer to the INIT is an
// ABORT (RFC 9260 §8.4, out of the blue) — and the client gives up. An INIT ACK shows the
// listener is there, and costs the server no state (the state travels in the cookie, §5.1).
//
// The probe sends from LOCAL_UDP_PORT on 127.0.0.1, the client's port-to-be: servers that were
// told the client's encapsulation port (or, for AF_CONN over UDP, its address) answer there.
// Exit status 0 once an INIT ACK for our tag arrived, 1 on timeout, 2 on bad usage.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "wire/chunks.h"
#include "wire/packet.h"

namespace {

uint32_t RandomNonZero() {
  uint32_t value = 0;
  while (value == 0) {
    if (getrandom(&value, sizeof(value), 0) != sizeof(value)) value = 0x5c7c99u;
  }
  return value;
}

// An INIT (RFC 9260 §3.3.2) with no parameters: enough for any server to answer.
std::vector<uint8_t> BuildInit(uint16_t sctp_source_port, uint16_t sctp_destination_port,
                               uint32_t initiate_tag) {
  sctp::wire::CommonHeader header;
  header.source_port = sctp_source_port;
  header.destination_port = sctp_destination_port;
  header.verification_tag = sctp::VerificationTag(0);  // §8.5.1: INIT carries tag 0
  sctp::wire::InitChunk init;
  init.initiate_tag = sctp::VerificationTag(initiate_tag);
  init.a_rwnd = 65536;
  init.outbound_streams = 1;
  init.inbound_streams = 1;
  init.initial_tsn = sctp::Tsn(initiate_tag);
  std::vector<uint8_t> buffer(64);
  sctp::wire::PacketBuilder builder(buffer, header, buffer.size());
  builder.Add(init);
  const auto packet = builder.Finish();
  return {packet.begin(), packet.end()};
}

// Whether `datagram` is an INIT ACK addressed to our tag.
bool IsInitAckFor(std::span<const uint8_t> datagram, uint32_t initiate_tag) {
  auto packet = sctp::wire::PacketView::Parse(datagram);
  if (!packet.ok()) return false;
  if (packet->header().verification_tag != sctp::VerificationTag(initiate_tag)) return false;
  return packet->first_chunk_type() == sctp::wire::InitAckChunk::kType;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s SERVER_UDP_PORT SERVER_SCTP_PORT LOCAL_UDP_PORT SECONDS\n",
                 argv[0]);
    return 2;
  }
  const auto server_udp = static_cast<uint16_t>(std::atoi(argv[1]));
  const auto server_sctp = static_cast<uint16_t>(std::atoi(argv[2]));
  const auto local_udp = static_cast<uint16_t>(std::atoi(argv[3]));
  const int seconds = std::atoi(argv[4]);
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  local.sin_port = htons(local_udp);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0) {
    std::perror("wait_for_listener: bind");
    return 2;
  }
  sockaddr_in server{};
  server.sin_family = AF_INET;
  server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  server.sin_port = htons(server_udp);
  const uint32_t tag = RandomNonZero();
  // Any source port but the server's: the probe is not an association of the client's.
  const auto source_port = static_cast<uint16_t>(1024 + tag % 60000);
  const std::vector<uint8_t> init = BuildInit(source_port, server_sctp, tag);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  int inits = 0, other_answers = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    sendto(fd, init.data(), init.size(), 0, reinterpret_cast<sockaddr*>(&server), sizeof(server));
    ++inits;
    pollfd p{fd, POLLIN, 0};
    while (poll(&p, 1, 100) > 0) {  // one INIT per 100 ms while nothing answers
      uint8_t datagram[2048];
      const ssize_t n = recv(fd, datagram, sizeof(datagram), 0);
      if (n <= 0) break;
      if (IsInitAckFor(std::span<const uint8_t>(datagram, static_cast<size_t>(n)), tag)) {
        std::printf("wait_for_listener: INIT ACK after %d INIT(s), %d other answer(s)\n", inits,
                    other_answers);
        return 0;
      }
      ++other_answers;  // an ABORT: the port is bound, the listener is not there yet
    }
  }
  std::fprintf(stderr, "wait_for_listener: no INIT ACK in %d s (%d INITs, %d other answers)\n",
               seconds, inits, other_answers);
  return 1;
}
