// Bulk-transfer benchmark written only against the usrsctp API, so the same source builds
// against our libusrsctp.so.2 and against Debian's real usrsctp (see bench/CMakeLists.txt
// and tools/scripts/compare-usrsctp.sh, which runs both and prints the ratio).
//
// Usage: usrsctp_compare_{ours,debian} [SCALE [SCENARIO]]
//
// Two AF_CONN endpoints in one process, nothreads mode; packets travel through an in-memory
// queue (optionally with random loss). Prints one line per scenario:
//   <scenario> <messages/s> <MB/s>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <usrsctp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <random>
#include <string>
#include <vector>

namespace {

struct Packet {
  void* to;
  std::vector<uint8_t> bytes;
};

int g_client_link;  // the addresses are these variables' addresses
int g_server_link;
std::deque<Packet> g_queue;
std::mt19937 g_rng(1);
double g_loss = 0.0;

int ConnOutput(void* addr, void* buffer, size_t length, uint8_t, uint8_t) {
  if (g_loss > 0 && std::uniform_real_distribution<double>(0, 1)(g_rng) < g_loss) return 0;
  // A packet sent on one side's link arrives on the other side's.
  void* to = addr == &g_client_link ? static_cast<void*>(&g_server_link)
                                    : static_cast<void*>(&g_client_link);
  const auto* b = static_cast<const uint8_t*>(buffer);
  g_queue.push_back(Packet{to, std::vector<uint8_t>(b, b + length)});
  return 0;
}

using Clock = std::chrono::steady_clock;
Clock::time_point g_last_tick;

void Pump() {
  // Deliver what is queued (new packets may be queued meanwhile), then run timers.
  for (size_t n = g_queue.size(); n > 0 && !g_queue.empty(); --n) {
    Packet p = std::move(g_queue.front());
    g_queue.pop_front();
    usrsctp_conninput(p.to, p.bytes.data(), p.bytes.size(), 0);
  }
  const auto now = Clock::now();
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(now - g_last_tick).count();
  if (elapsed >= 10) {
    usrsctp_handle_timers(static_cast<uint32_t>(elapsed));
    g_last_tick = now;
  }
}

struct socket* Make(void* link, bool server) {
  struct socket* s =
      usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, nullptr, nullptr, 0, nullptr);
  if (s == nullptr) {
    std::perror("usrsctp_socket");
    std::exit(1);
  }
  usrsctp_set_non_blocking(s, 1);
  const int on = 1;
  usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on));
  struct sockaddr_conn sconn;
  std::memset(&sconn, 0, sizeof(sconn));
  sconn.sconn_family = AF_CONN;
  sconn.sconn_port = htons(5001);
  sconn.sconn_addr = link;
  if (usrsctp_bind(s, reinterpret_cast<struct sockaddr*>(&sconn), sizeof(sconn)) < 0) {
    std::perror("usrsctp_bind");
    std::exit(1);
  }
  if (server && usrsctp_listen(s, 1) < 0) {
    std::perror("usrsctp_listen");
    std::exit(1);
  }
  return s;
}

const char* g_only = nullptr;  // argv[2]: run only the scenario of this name (profiling)

void Run(const char* name, size_t message_size, int messages, double loss) {
  if (g_only != nullptr && std::strcmp(g_only, name) != 0) return;
  g_loss = 0;
  g_queue.clear();
  struct socket* listener = Make(&g_server_link, true);
  struct socket* client = Make(&g_client_link, false);
  struct sockaddr_conn peer;
  std::memset(&peer, 0, sizeof(peer));
  peer.sconn_family = AF_CONN;
  peer.sconn_port = htons(5001);
  peer.sconn_addr = &g_client_link;
  if (usrsctp_connect(client, reinterpret_cast<struct sockaddr*>(&peer), sizeof(peer)) < 0 &&
      errno != EINPROGRESS) {
    std::perror("usrsctp_connect");
    std::exit(1);
  }
  struct socket* server = nullptr;
  for (int i = 0; i < 100000 && server == nullptr; ++i) {
    Pump();
    server = usrsctp_accept(listener, nullptr, nullptr);
  }
  if (server == nullptr) {
    std::fprintf(stderr, "%s: no association\n", name);
    std::exit(1);
  }
  usrsctp_set_non_blocking(server, 1);
  g_loss = loss;

  std::vector<uint8_t> payload(message_size, 0x5a);
  std::vector<uint8_t> buffer(message_size + 1024);
  struct sctp_sndinfo info;
  std::memset(&info, 0, sizeof(info));
  info.snd_sid = 1;
  info.snd_ppid = htonl(51);
  int sent = 0, received = 0;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::seconds(60);
  while (received < messages && Clock::now() < deadline) {
    while (sent < messages) {
      const ssize_t n = usrsctp_sendv(client, payload.data(), payload.size(), nullptr, 0, &info,
                                      sizeof(info), SCTP_SENDV_SNDINFO, 0);
      if (n < 0) break;  // EWOULDBLOCK: the send buffer is full
      ++sent;
    }
    Pump();
    while (true) {
      int flags = 0;
      struct sockaddr_conn from;
      socklen_t fromlen = sizeof(from);
      struct sctp_rcvinfo rcv;
      socklen_t infolen = sizeof(rcv);
      unsigned int infotype = 0;
      const ssize_t n = usrsctp_recvv(server, buffer.data(), buffer.size(),
                                      reinterpret_cast<struct sockaddr*>(&from), &fromlen, &rcv,
                                      &infolen, &infotype, &flags);
      if (n <= 0) break;
      if (flags & MSG_EOR) ++received;
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("%s %.0f %.1f%s\n", name, received / seconds,
              static_cast<double>(received) * message_size / seconds / 1e6,
              received < messages ? " (incomplete)" : "");
  std::fflush(stdout);
  g_loss = 0;
  struct linger l = {1, 0};
  usrsctp_setsockopt(client, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
  usrsctp_setsockopt(server, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
  usrsctp_close(client);
  usrsctp_close(server);
  usrsctp_close(listener);
  // Let the closes finish (the port is reused by the next scenario).
  const auto until = Clock::now() + std::chrono::milliseconds(50);
  while (Clock::now() < until)
    Pump();
}

}  // namespace

int main(int argc, char** argv) {
  const int scale = argc > 1 ? std::atoi(argv[1]) : 1;
  if (argc > 2) g_only = argv[2];
  usrsctp_init_nothreads(0, ConnOutput, nullptr);
  usrsctp_sysctl_set_sctp_sendspace(1024 * 1024);
  usrsctp_sysctl_set_sctp_recvspace(1024 * 1024);
  usrsctp_register_address(&g_client_link);
  usrsctp_register_address(&g_server_link);
  g_last_tick = Clock::now();
  Run("bulk_64B", 64, 200000 * scale, 0);
  Run("bulk_1KiB", 1024, 100000 * scale, 0);
  Run("bulk_16KiB", 16384, 10000 * scale, 0);
  Run("bulk_1KiB_loss1%", 1024, 30000 * scale, 0.01);
  usrsctp_deregister_address(&g_client_link);
  usrsctp_deregister_address(&g_server_link);
  for (int i = 0; i < 1000 && usrsctp_finish() != 0; ++i)
    Pump();
  return 0;
}
