// One side of the extensions interop scenario (tests/interop/run_interop.sh `extensions`):
// I-DATA with interleaving (RFC 8260), a stream reset (RFC 6525) and the COMM_UP feature list,
// over UDP encapsulation on loopback. Written only against the usrsctp API and built against
// Debian's header and library, so it runs on either library (LD_LIBRARY_PATH picks ours).
//
//   extensions_peer server LOCAL_UDP REMOTE_UDP SCTP_PORT
//   extensions_peer client LOCAL_UDP REMOTE_UDP SCTP_PORT
//
// The client sends a 200,000-byte message on stream 1, then ten 100-byte messages on stream 2,
// resets its outgoing stream 2 and closes. The server prints what arrives and a summary line.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <usrsctp.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

// Handled by usrsctp 0.9.5.0 but not declared in its header.
#ifndef SCTP_INTERLEAVING_SUPPORTED
#define SCTP_INTERLEAVING_SUPPORTED 0x00001206
#endif

namespace {

constexpr size_t kLarge = 200000;
constexpr int kSmall = 10;

[[noreturn]] void Die(const char* what) {
  std::fprintf(stdout, "ERROR %s: %s\n", what, std::strerror(errno));
  std::fflush(stdout);
  std::exit(1);
}

void SetOptions(struct socket* so, uint16_t remote_udp) {
  const int two = 2;
  if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, &two, sizeof(two)) < 0) {
    Die("SCTP_FRAGMENT_INTERLEAVE");
  }
  struct sctp_assoc_value v;
  std::memset(&v, 0, sizeof(v));
  v.assoc_id = SCTP_FUTURE_ASSOC;
  v.assoc_value = 1;
  if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_INTERLEAVING_SUPPORTED, &v, sizeof(v)) < 0) {
    Die("SCTP_INTERLEAVING_SUPPORTED");
  }
  v.assoc_value = SCTP_ENABLE_RESET_STREAM_REQ;
  if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET, &v, sizeof(v)) < 0) {
    Die("SCTP_ENABLE_STREAM_RESET");
  }
  for (uint16_t type : {SCTP_ASSOC_CHANGE, SCTP_STREAM_RESET_EVENT}) {
    struct sctp_event e;
    std::memset(&e, 0, sizeof(e));
    e.se_assoc_id = SCTP_FUTURE_ASSOC;
    e.se_type = type;
    e.se_on = 1;
    if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_EVENT, &e, sizeof(e)) < 0) Die("SCTP_EVENT");
  }
  const int on = 1;
  if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on)) < 0) {
    Die("SCTP_RECVRCVINFO");
  }
  struct sctp_udpencaps encaps;
  std::memset(&encaps, 0, sizeof(encaps));
  auto* sin = reinterpret_cast<struct sockaddr_in*>(&encaps.sue_address);
  sin->sin_family = AF_INET;
  encaps.sue_port = htons(remote_udp);
  if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &encaps, sizeof(encaps)) <
      0) {
    Die("SCTP_REMOTE_UDP_ENCAPS_PORT");
  }
}

struct sockaddr_in Loopback(uint16_t port) {
  struct sockaddr_in a;
  std::memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

// Prints a notification; returns its type and, for SCTP_ASSOC_CHANGE, the state.
uint16_t PrintNotification(const std::vector<uint8_t>& buffer, ssize_t n, uint16_t* state) {
  uint16_t type = 0;
  std::memcpy(&type, buffer.data(), sizeof(type));
  if (type == SCTP_ASSOC_CHANGE && n >= static_cast<ssize_t>(sizeof(struct sctp_assoc_change))) {
    struct sctp_assoc_change sac;
    std::memcpy(&sac, buffer.data(), sizeof(sac));
    *state = sac.sac_state;
    std::string features;
    for (ssize_t i = sizeof(sac); i < n; ++i) {
      switch (buffer[static_cast<size_t>(i)]) {
        case SCTP_ASSOC_SUPPORTS_PR:
          features += " PR";
          break;
        case SCTP_ASSOC_SUPPORTS_INTERLEAVING:
          features += " INTERLEAVING";
          break;
        case SCTP_ASSOC_SUPPORTS_RE_CONFIG:
          features += " RE_CONFIG";
          break;
        default:
          break;
      }
    }
    std::printf("ASSOC_CHANGE state=%u features:%s\n", sac.sac_state, features.c_str());
  } else if (type == SCTP_STREAM_RESET_EVENT) {
    struct sctp_stream_reset_event e;
    std::memcpy(&e, buffer.data(), sizeof(e));
    std::printf("STREAM_RESET flags=%u streams=%zu\n", e.strreset_flags,
                (static_cast<size_t>(n) - sizeof(e)) / sizeof(uint16_t));
  }
  std::fflush(stdout);
  return type;
}

// Reads until the association is gone; prints each piece of data and a summary.
void ServeUntilClosed(struct socket* so) {
  std::vector<uint8_t> buffer(1 << 20);
  size_t large_bytes = 0;
  int small = 0;
  int small_before_large_end = 0;
  bool large_done = false;
  for (;;) {
    struct sctp_rcvinfo rcv;
    std::memset(&rcv, 0, sizeof(rcv));
    socklen_t infolen = sizeof(rcv);
    unsigned int infotype = 0;
    int flags = 0;
    const ssize_t n = usrsctp_recvv(so, buffer.data(), buffer.size(), nullptr, nullptr, &rcv,
                                    &infolen, &infotype, &flags);
    if (n <= 0) break;
    if (flags & MSG_NOTIFICATION) {
      uint16_t state = 0;
      if (PrintNotification(buffer, n, &state) == SCTP_ASSOC_CHANGE &&
          (state == SCTP_SHUTDOWN_COMP || state == SCTP_COMM_LOST)) {
        break;
      }
      continue;
    }
    if (rcv.rcv_sid == 1) {
      large_bytes += static_cast<size_t>(n);
      for (ssize_t i = 0; i < n; ++i) {
        if (buffer[static_cast<size_t>(i)] != 'L') Die("corrupt large message");
      }
      if (flags & MSG_EOR) large_done = true;
    } else if (rcv.rcv_sid == 2 && n == 100 && (flags & MSG_EOR)) {
      ++small;
      if (!large_done) ++small_before_large_end;
    }
  }
  std::printf("SUMMARY large=%zu small=%d small_before_large_end=%d\n", large_bytes, small,
              small_before_large_end);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s server|client LOCAL_UDP REMOTE_UDP SCTP_PORT\n", argv[0]);
    return 2;
  }
  const bool server = std::strcmp(argv[1], "server") == 0;
  const auto local_udp = static_cast<uint16_t>(std::atoi(argv[2]));
  const auto remote_udp = static_cast<uint16_t>(std::atoi(argv[3]));
  const auto sctp_port = static_cast<uint16_t>(std::atoi(argv[4]));
  usrsctp_init(local_udp, nullptr, nullptr);
  struct socket* so =
      usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, nullptr, nullptr, 0, nullptr);
  if (so == nullptr) Die("usrsctp_socket");
  SetOptions(so, remote_udp);
  if (server) {
    struct sockaddr_in local = Loopback(sctp_port);
    if (usrsctp_bind(so, reinterpret_cast<struct sockaddr*>(&local), sizeof(local)) < 0) {
      Die("usrsctp_bind");
    }
    if (usrsctp_listen(so, 1) < 0) Die("usrsctp_listen");
    std::printf("LISTENING\n");
    std::fflush(stdout);
    struct socket* conn = usrsctp_accept(so, nullptr, nullptr);
    if (conn == nullptr) Die("usrsctp_accept");
    ServeUntilClosed(conn);
    usrsctp_close(conn);
  } else {
    struct sockaddr_in peer = Loopback(sctp_port);
    if (usrsctp_connect(so, reinterpret_cast<struct sockaddr*>(&peer), sizeof(peer)) < 0) {
      Die("usrsctp_connect");
    }
    struct sctp_sndinfo info;
    std::memset(&info, 0, sizeof(info));
    info.snd_sid = 1;
    info.snd_ppid = htonl(53);
    const std::vector<uint8_t> large(kLarge, 'L');
    if (usrsctp_sendv(so, large.data(), large.size(), nullptr, 0, &info, sizeof(info),
                      SCTP_SENDV_SNDINFO, 0) < 0) {
      Die("sendv large");
    }
    info.snd_sid = 2;
    const std::vector<uint8_t> small(100, 'S');
    for (int i = 0; i < kSmall; ++i) {
      if (usrsctp_sendv(so, small.data(), small.size(), nullptr, 0, &info, sizeof(info),
                        SCTP_SENDV_SNDINFO, 0) < 0) {
        Die("sendv small");
      }
    }
    // RFC 6525: reset outgoing stream 2 and wait for the outcome.
    std::vector<uint8_t> request(sizeof(struct sctp_reset_streams) + sizeof(uint16_t));
    auto* reset = reinterpret_cast<struct sctp_reset_streams*>(request.data());
    reset->srs_assoc_id = SCTP_ALL_ASSOC;
    reset->srs_flags = SCTP_STREAM_RESET_OUTGOING;
    reset->srs_number_streams = 1;
    const uint16_t stream = 2;
    std::memcpy(request.data() + sizeof(struct sctp_reset_streams), &stream, sizeof(stream));
    if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_RESET_STREAMS, request.data(),
                           static_cast<socklen_t>(request.size())) < 0) {
      Die("SCTP_RESET_STREAMS");
    }
    std::vector<uint8_t> buffer(65536);
    for (;;) {
      int flags = 0;
      const ssize_t n = usrsctp_recvv(so, buffer.data(), buffer.size(), nullptr, nullptr, nullptr,
                                      nullptr, nullptr, &flags);
      if (n <= 0) break;
      uint16_t state = 0;
      if ((flags & MSG_NOTIFICATION) &&
          PrintNotification(buffer, n, &state) == SCTP_STREAM_RESET_EVENT) {
        break;
      }
    }
    usrsctp_shutdown(so, SHUT_WR);
    // Let the SHUTDOWN exchange finish before closing.
    for (;;) {
      int flags = 0;
      const ssize_t n = usrsctp_recvv(so, buffer.data(), buffer.size(), nullptr, nullptr, nullptr,
                                      nullptr, nullptr, &flags);
      if (n <= 0) break;
      uint16_t state = 0;
      if ((flags & MSG_NOTIFICATION) && PrintNotification(buffer, n, &state) == SCTP_ASSOC_CHANGE &&
          (state == SCTP_SHUTDOWN_COMP || state == SCTP_COMM_LOST)) {
        break;
      }
    }
  }
  usrsctp_close(so);
  for (int i = 0; i < 300 && usrsctp_finish() != 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return 0;
}
