// Scale benchmark written only against the usrsctp API (like usrsctp_api_compare.cc): the
// same source builds against our libusrsctp.so.2 and against Debian's real usrsctp, and
// tools/scripts/compare-usrsctp.sh runs both side by side.
//
// One process, nothreads mode, AF_CONN: one listening socket and N client sockets, each
// connecting to it, packets queued in memory between the two "links". Measures the time until
// all N associations are established and accepted, and the heap growth (glibc mallinfo2)
// divided by N — both ends of every association included. Prints:
//   associations_<N> <seconds> <bytes per association>
#include <errno.h>
#include <malloc.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <usrsctp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <vector>

namespace {

struct Packet {
  void* to;
  std::vector<uint8_t> bytes;
};

int g_client_link;  // the addresses are these variables' addresses
int g_server_link;
std::deque<Packet> g_queue;

int ConnOutput(void* addr, void* buffer, size_t length, uint8_t, uint8_t) {
  void* to = addr == &g_client_link ? static_cast<void*>(&g_server_link)
                                    : static_cast<void*>(&g_client_link);
  const auto* b = static_cast<const uint8_t*>(buffer);
  g_queue.push_back(Packet{to, std::vector<uint8_t>(b, b + length)});
  return 0;
}

void Pump() {
  for (size_t n = g_queue.size(); n > 0 && !g_queue.empty(); --n) {
    Packet p = std::move(g_queue.front());
    g_queue.pop_front();
    usrsctp_conninput(p.to, p.bytes.data(), p.bytes.size(), 0);
  }
}

size_t HeapInUse() {
  const struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

struct socket* NewSocket() {
  struct socket* s =
      usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, nullptr, nullptr, 0, nullptr);
  if (s == nullptr) {
    std::perror("usrsctp_socket");
    std::exit(1);
  }
  usrsctp_set_non_blocking(s, 1);
  return s;
}

struct sockaddr_conn ConnAddress(void* link, uint16_t port) {
  struct sockaddr_conn a;
  std::memset(&a, 0, sizeof(a));
  a.sconn_family = AF_CONN;
  a.sconn_port = htons(port);
  a.sconn_addr = link;
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 10000;
  using Clock = std::chrono::steady_clock;
  usrsctp_init_nothreads(0, ConnOutput, nullptr);
  usrsctp_register_address(&g_client_link);
  usrsctp_register_address(&g_server_link);
  malloc_trim(0);
  const size_t heap_before = HeapInUse();
  const auto start = Clock::now();

  struct socket* listener = NewSocket();
  struct sockaddr_conn server_address = ConnAddress(&g_server_link, 5001);
  if (usrsctp_bind(listener, reinterpret_cast<struct sockaddr*>(&server_address),
                   sizeof(server_address)) < 0 ||
      usrsctp_listen(listener, n) < 0) {
    std::perror("listen");
    return 1;
  }
  std::vector<struct socket*> clients, servers;
  clients.reserve(n);
  servers.reserve(n);
  struct sockaddr_conn peer = ConnAddress(&g_client_link, 5001);
  for (int i = 0; i < n; ++i) {
    struct socket* c = NewSocket();
    // Each client on its own port of the client link.
    struct sockaddr_conn local = ConnAddress(&g_client_link, static_cast<uint16_t>(10000 + i));
    if (usrsctp_bind(c, reinterpret_cast<struct sockaddr*>(&local), sizeof(local)) < 0) {
      std::perror("usrsctp_bind");
      return 1;
    }
    if (usrsctp_connect(c, reinterpret_cast<struct sockaddr*>(&peer), sizeof(peer)) < 0 &&
        errno != EINPROGRESS) {
      std::perror("usrsctp_connect");
      return 1;
    }
    clients.push_back(c);
    // Move the handshakes along as we go, as a server under load would.
    if (i % 64 == 63) Pump();
    while (struct socket* s = usrsctp_accept(listener, nullptr, nullptr))
      servers.push_back(s);
  }
  const auto deadline = start + std::chrono::seconds(300);
  while (static_cast<int>(servers.size()) < n && Clock::now() < deadline) {
    Pump();
    usrsctp_handle_timers(10);
    while (struct socket* s = usrsctp_accept(listener, nullptr, nullptr))
      servers.push_back(s);
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  Pump();  // the last COOKIE ACKs
  const size_t heap_after = HeapInUse();
  const double per_association =
      static_cast<double>(heap_after - heap_before) / static_cast<double>(n);
  std::printf("associations_%d %.2f %.0f%s\n", n, seconds, per_association,
              static_cast<int>(servers.size()) < n ? " (incomplete)" : "");
  std::fflush(stdout);

  struct linger l = {1, 0};
  for (struct socket* s : clients) {
    usrsctp_setsockopt(s, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    usrsctp_close(s);
  }
  for (struct socket* s : servers)
    usrsctp_close(s);
  usrsctp_close(listener);
  for (int i = 0; i < 1000 && usrsctp_finish() != 0; ++i) {
    Pump();
    usrsctp_handle_timers(10);
  }
  return static_cast<int>(servers.size()) < n ? 1 : 0;
}
