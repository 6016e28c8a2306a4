// Concurrency stress test of the usrsctp API in threaded mode, meant to run under
// ThreadSanitizer (the `tsan` preset): several application threads call sendv, recvv,
// getsockopt and get_events on the same sockets while a "network" thread feeds packets with
// usrsctp_conninput, another calls usrsctp_handle_timers, and the library's own timer thread
// runs; then both sockets are closed from different threads while a reader is blocked.
// Passing means: every message arrives exactly once, nothing deadlocks (bounded waits), and
// TSan reports no race.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <usrsctp.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace {

struct Network {
  std::mutex mu;
  std::mutex input_mu;  // held around usrsctp_conninput, so usrsctp_finish never overlaps it
  std::condition_variable cv;
  std::deque<std::pair<void*, std::vector<uint8_t>>> packets;
  bool stop = false;
};
Network g_net;
int g_client_link, g_server_link;

int ConnOutput(void* addr, void* buffer, size_t length, uint8_t, uint8_t) {
  void* to = addr == &g_client_link ? static_cast<void*>(&g_server_link)
                                    : static_cast<void*>(&g_client_link);
  const auto* b = static_cast<const uint8_t*>(buffer);
  {
    std::lock_guard<std::mutex> lock(g_net.mu);
    g_net.packets.emplace_back(to, std::vector<uint8_t>(b, b + length));
  }
  g_net.cv.notify_one();
  return 0;
}

struct socket* MakeSocket(void* link, bool listen) {
  struct socket* s =
      usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, nullptr, nullptr, 0, nullptr);
  EXPECT_NE(s, nullptr);
  struct sockaddr_conn sconn;
  std::memset(&sconn, 0, sizeof(sconn));
  sconn.sconn_family = AF_CONN;
  sconn.sconn_port = htons(5001);
  sconn.sconn_addr = link;
  EXPECT_EQ(usrsctp_bind(s, reinterpret_cast<struct sockaddr*>(&sconn), sizeof(sconn)), 0);
  if (listen) EXPECT_EQ(usrsctp_listen(s, 1), 0);
  return s;
}

TEST(UsrsctpStressTest, ConcurrentCallsOnSharedSockets) {
  usrsctp_init(0, ConnOutput, nullptr);
  usrsctp_register_address(&g_client_link);
  usrsctp_register_address(&g_server_link);

  // The network: delivers packets outside any lock of ours, like a UDP receive thread.
  std::thread network([] {
    std::unique_lock<std::mutex> lock(g_net.mu);
    while (!g_net.stop) {
      if (g_net.packets.empty()) {
        g_net.cv.wait_for(lock, std::chrono::milliseconds(10));
        continue;
      }
      auto [to, bytes] = std::move(g_net.packets.front());
      g_net.packets.pop_front();
      lock.unlock();
      {
        std::lock_guard<std::mutex> input(g_net.input_mu);
        usrsctp_conninput(to, bytes.data(), bytes.size(), 0);
      }
      lock.lock();
    }
  });
  std::atomic<bool> stop_timers{false};
  std::thread timers([&] {
    while (!stop_timers) {
      usrsctp_handle_timers(10);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });

  struct socket* listener = MakeSocket(&g_server_link, true);
  struct socket* client = MakeSocket(&g_client_link, false);
  struct sockaddr_conn peer;
  std::memset(&peer, 0, sizeof(peer));
  peer.sconn_family = AF_CONN;
  peer.sconn_port = htons(5001);
  peer.sconn_addr = &g_client_link;
  ASSERT_EQ(usrsctp_connect(client, reinterpret_cast<struct sockaddr*>(&peer), sizeof(peer)), 0);
  struct socket* server = usrsctp_accept(listener, nullptr, nullptr);
  ASSERT_NE(server, nullptr);

  constexpr int kSenders = 3;
  constexpr int kPerSender = 1500;
  std::atomic<int> received{0};
  std::atomic<bool> receiving{true};
  std::vector<std::thread> threads;
  for (int t = 0; t < kSenders; ++t) {
    threads.emplace_back([&, t] {
      std::vector<uint8_t> payload(200 + t * 300, static_cast<uint8_t>(t));
      struct sctp_sndinfo info;
      std::memset(&info, 0, sizeof(info));
      info.snd_sid = static_cast<uint16_t>(t);
      for (int i = 0; i < kPerSender;) {
        const ssize_t n = usrsctp_sendv(client, payload.data(), payload.size(), nullptr, 0, &info,
                                        sizeof(info), SCTP_SENDV_SNDINFO, 0);
        if (n > 0) {
          ++i;
        } else {
          std::this_thread::sleep_for(std::chrono::microseconds(200));  // buffer full
        }
      }
    });
  }
  // Two readers on the same socket.
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&] {
      std::vector<uint8_t> buffer(4096);
      usrsctp_set_non_blocking(server, 1);
      while (receiving) {
        int flags = 0;
        struct sockaddr_conn from;
        socklen_t fromlen = sizeof(from);
        const ssize_t n = usrsctp_recvv(server, buffer.data(), buffer.size(),
                                        reinterpret_cast<struct sockaddr*>(&from), &fromlen,
                                        nullptr, nullptr, nullptr, &flags);
        if (n > 0 && (flags & MSG_EOR)) {
          ++received;
        } else if (n <= 0) {
          std::this_thread::sleep_for(std::chrono::microseconds(100));
        }
      }
    });
  }
  // Someone polling state all the time.
  threads.emplace_back([&] {
    while (receiving) {
      struct sctp_status status;
      socklen_t len = sizeof(status);
      (void)usrsctp_getsockopt(client, IPPROTO_SCTP, SCTP_STATUS, &status, &len);
      (void)usrsctp_get_events(server);
      std::this_thread::yield();
    }
  });

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (received < kSenders * kPerSender && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(received.load(), kSenders * kPerSender);
  // Close both ends from two threads at once while readers and the poller still run.
  std::thread closer1([&] { usrsctp_close(client); });
  std::thread closer2([&] { usrsctp_close(server); });
  closer1.join();
  closer2.join();
  receiving = false;
  for (auto& t : threads)
    t.join();
  usrsctp_close(listener);

  // The application stops calling into the library before usrsctp_finish (as with usrsctp),
  // except for its lower layer: as with usrsctp, finish fails until the closed sockets'
  // graceful shutdowns have completed, which needs the network.
  stop_timers = true;
  timers.join();
  const auto finish_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  int rc = -1;
  for (;;) {
    {
      // Never while the network thread is inside usrsctp_conninput: finish frees the stack.
      std::lock_guard<std::mutex> input(g_net.input_mu);
      rc = usrsctp_finish();
    }
    if (rc == 0 || std::chrono::steady_clock::now() >= finish_deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(rc, 0);
  {
    std::lock_guard<std::mutex> lock(g_net.mu);
    g_net.stop = true;
  }
  g_net.cv.notify_all();
  network.join();
}

}  // namespace
