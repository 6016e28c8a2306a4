// AF_INET / AF_INET6 sockets over UDP encapsulation (RFC 6951) through the usrsctp API, in
// threaded mode: one stack per process, so each test talks to itself over loopback (the client
// connects to its own stack's UDP port) or to a plain UDP socket playing a hostile peer.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <poll.h>
#include <usrsctp.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Socket = struct socket;
using namespace std::chrono_literals;

uint16_t FreeUdpPort() {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  bind(fd, reinterpret_cast<sockaddr*>(&sin), sizeof(sin));
  socklen_t len = sizeof(sin);
  getsockname(fd, reinterpret_cast<sockaddr*>(&sin), &len);
  close(fd);
  return ntohs(sin.sin_port);
}

sockaddr_in V4(const char* text, uint16_t port) {
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(port);
  inet_pton(AF_INET, text, &sin.sin_addr);
  return sin;
}

sockaddr_in6 V6(const char* text, uint16_t port) {
  sockaddr_in6 sin6{};
  sin6.sin6_family = AF_INET6;
  sin6.sin6_port = htons(port);
  inet_pton(AF_INET6, text, &sin6.sin6_addr);
  return sin6;
}

// RFC 9260 Appendix B CRC32c, bit by bit (independent of the library's).
uint32_t Crc32c(const uint8_t* data, size_t size) {
  uint32_t crc = 0xffffffff;
  for (size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int k = 0; k < 8; ++k)
      crc = (crc >> 1) ^ (0x82f63b78 & (0u - (crc & 1)));
  }
  return ~crc;
}
void SetChecksum(std::vector<uint8_t>& p) {
  std::memset(p.data() + 8, 0, 4);
  const uint32_t c = Crc32c(p.data(), p.size());
  for (int i = 0; i < 4; ++i)
    p[8 + i] = static_cast<uint8_t>(c >> (8 * i));
}
bool ChecksumOk(std::vector<uint8_t> p) {
  const std::vector<uint8_t> original = p;
  SetChecksum(p);
  return p == original;
}

// An SCTP INIT (common header + INIT chunk) from `src_port` to `dst_port`.
std::vector<uint8_t> InitPacket(uint16_t src_port, uint16_t dst_port, uint32_t initiate_tag) {
  std::vector<uint8_t> p = {static_cast<uint8_t>(src_port >> 8),
                            static_cast<uint8_t>(src_port),
                            static_cast<uint8_t>(dst_port >> 8),
                            static_cast<uint8_t>(dst_port),
                            0,
                            0,
                            0,
                            0,  // verification tag 0 for INIT
                            0,
                            0,
                            0,
                            0,  // checksum
                            1,
                            0,
                            0,
                            20,  // INIT, length 20
                            static_cast<uint8_t>(initiate_tag >> 24),
                            static_cast<uint8_t>(initiate_tag >> 16),
                            static_cast<uint8_t>(initiate_tag >> 8),
                            static_cast<uint8_t>(initiate_tag),
                            0,
                            1,
                            0,
                            0,  // a_rwnd 65536
                            0,
                            10,
                            0,
                            10,  // streams
                            0,
                            0,
                            0,
                            1};  // initial TSN
  SetChecksum(p);
  return p;
}

// A plain UDP socket on loopback: the hostile or scripted peer.
struct RawPeer {
  int fd = -1;
  uint16_t port = 0;
  RawPeer() {
    fd = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in sin = V4("127.0.0.1", 0);
    bind(fd, reinterpret_cast<sockaddr*>(&sin), sizeof(sin));
    socklen_t len = sizeof(sin);
    getsockname(fd, reinterpret_cast<sockaddr*>(&sin), &len);
    port = ntohs(sin.sin_port);
  }
  ~RawPeer() { close(fd); }
  void SendTo(uint16_t udp_port, const std::vector<uint8_t>& bytes) {
    sockaddr_in to = V4("127.0.0.1", udp_port);
    sendto(fd, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof(to));
  }
  // The next datagram within `timeout`, or empty.
  std::vector<uint8_t> Receive(std::chrono::milliseconds timeout = 3000ms) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(timeout.count())) != 1) return {};
    std::vector<uint8_t> buffer(65536);
    const ssize_t n = recv(fd, buffer.data(), buffer.size(), 0);
    buffer.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return buffer;
  }
};

class UsrsctpUdpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    udp_port_ = FreeUdpPort();
    usrsctp_init(udp_port_, nullptr, nullptr);
    usrsctp_sysctl_set_sctp_blackhole(0);
  }
  void TearDown() override {
    for (Socket* so : sockets_)
      usrsctp_close(so);
    int rc = -1;
    for (int i = 0; i < 300 && (rc = usrsctp_finish()) != 0; ++i)
      std::this_thread::sleep_for(10ms);
    // Otherwise the next test's usrsctp_init is ignored and it runs on this stack.
    ASSERT_EQ(rc, 0) << "associations still shutting down";
  }
  Socket* NewSocket(int domain, int type = SOCK_STREAM) {
    Socket* so = usrsctp_socket(domain, type, IPPROTO_SCTP, nullptr, nullptr, 0, nullptr);
    if (so != nullptr) sockets_.push_back(so);
    return so;
  }
  void Forget(Socket* so) { std::erase(sockets_, so); }
  // Our own UDP port is the peer's (both ends in this stack).
  void EncapsTo(Socket* so, uint16_t port) {
    struct sctp_udpencaps e;
    std::memset(&e, 0, sizeof(e));
    e.sue_address.ss_family = AF_INET6;
    e.sue_port = htons(port);
    ASSERT_EQ(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &e, sizeof(e)), 0);
  }
  // A listener on 127.0.0.1:port (AF_INET) and a connected client (AF_INET6 with mapped
  // addresses), then the accepted socket.
  void Connect(uint16_t port, Socket** client, Socket** accepted) {
    Socket* listener = NewSocket(AF_INET);
    ASSERT_NE(listener, nullptr);
    sockaddr_in addr = V4("127.0.0.1", port);
    ASSERT_EQ(usrsctp_bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    ASSERT_EQ(usrsctp_listen(listener, 1), 0);
    *client = NewSocket(AF_INET6);
    ASSERT_NE(*client, nullptr);
    const int on = 1;
    ASSERT_EQ(
        usrsctp_setsockopt(*client, IPPROTO_SCTP, SCTP_I_WANT_MAPPED_V4_ADDR, &on, sizeof(on)), 0);
    EncapsTo(*client, udp_port_);
    ASSERT_EQ(usrsctp_connect(*client, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0)
        << strerror(errno);
    *accepted = usrsctp_accept(listener, nullptr, nullptr);
    ASSERT_NE(*accepted, nullptr);
    sockets_.push_back(*accepted);
  }

  uint16_t udp_port_ = 0;
  std::vector<Socket*> sockets_;
};

TEST_F(UsrsctpUdpTest, MessagesFlowOverUdpWithRealAddresses) {
  Socket *client, *server;
  Connect(7001, &client, &server);
  for (int i = 0; i < 20; ++i) {
    const std::string m = "message " + std::to_string(i);
    ASSERT_EQ(
        usrsctp_sendv(client, m.data(), m.size(), nullptr, 0, nullptr, 0, SCTP_SENDV_NOINFO, 0),
        static_cast<ssize_t>(m.size()));
  }
  for (int i = 0; i < 20; ++i) {
    char buffer[100];
    sockaddr_storage from;
    socklen_t fromlen = sizeof(from);
    int flags = 0;
    const ssize_t n =
        usrsctp_recvv(server, buffer, sizeof(buffer), reinterpret_cast<sockaddr*>(&from), &fromlen,
                      nullptr, nullptr, nullptr, &flags);
    ASSERT_GT(n, 0);
    EXPECT_EQ(std::string(buffer, static_cast<size_t>(n)), "message " + std::to_string(i));
    // The AF_INET socket reports a sockaddr_in with the peer's address and SCTP port.
    ASSERT_EQ(from.ss_family, AF_INET);
    EXPECT_EQ(fromlen, static_cast<socklen_t>(sizeof(sockaddr_in)));
    EXPECT_EQ(reinterpret_cast<sockaddr_in*>(&from)->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
  }
  // The AF_INET6 client with SCTP_I_WANT_MAPPED_V4_ADDR sees ::ffff:127.0.0.1:7001.
  sockaddr* addrs = nullptr;
  ASSERT_EQ(usrsctp_getpaddrs(client, 0, &addrs), 1);
  auto* peer = reinterpret_cast<sockaddr_in6*>(addrs);
  EXPECT_EQ(peer->sin6_family, AF_INET6);
  EXPECT_EQ(ntohs(peer->sin6_port), 7001);
  EXPECT_TRUE(IN6_IS_ADDR_V4MAPPED(&peer->sin6_addr));
  usrsctp_freepaddrs(addrs);
  // The wildcard-bound client lists the host's addresses, 127.0.0.1 among them.
  const int count = usrsctp_getladdrs(client, 0, &addrs);
  ASSERT_GE(count, 1);
  bool loopback = false;
  auto* cursor = reinterpret_cast<uint8_t*>(addrs);
  for (int i = 0; i < count; ++i) {
    auto* sa = reinterpret_cast<sockaddr*>(cursor);
    ASSERT_EQ(sa->sa_family, AF_INET6);  // mapped, as asked
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(sa);
    loopback =
        loopback || (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr) && sin6->sin6_addr.s6_addr[12] == 127);
    cursor += sizeof(sockaddr_in6);
  }
  EXPECT_TRUE(loopback);
  usrsctp_freeladdrs(addrs);
}

TEST_F(UsrsctpUdpTest, BindChecksAddressesAndFamilies) {
  Socket* v4 = NewSocket(AF_INET);
  sockaddr_in6 six = V6("::1", 7002);
  EXPECT_EQ(usrsctp_bind(v4, reinterpret_cast<sockaddr*>(&six), sizeof(six)), -1);
  EXPECT_EQ(errno, EINVAL);
  sockaddr_in foreign = V4("192.0.2.123", 7002);  // TEST-NET-1: not an address of this host
  EXPECT_EQ(usrsctp_bind(v4, reinterpret_cast<sockaddr*>(&foreign), sizeof(foreign)), -1);
  EXPECT_EQ(errno, EADDRNOTAVAIL);
  sockaddr_in any = V4("0.0.0.0", 7002);
  EXPECT_EQ(usrsctp_bind(v4, reinterpret_cast<sockaddr*>(&any), sizeof(any)), 0);
  Socket* other = NewSocket(AF_INET);
  EXPECT_EQ(usrsctp_bind(other, reinterpret_cast<sockaddr*>(&any), sizeof(any)), -1);
  EXPECT_EQ(errno, EADDRINUSE);
  // SCTP_I_WANT_MAPPED_V4_ADDR belongs to AF_INET6 sockets.
  const int on = 1;
  EXPECT_EQ(usrsctp_setsockopt(v4, IPPROTO_SCTP, SCTP_I_WANT_MAPPED_V4_ADDR, &on, sizeof(on)), -1);
  // Connecting an AF_INET socket to an IPv6 address is refused.
  Socket* c = NewSocket(AF_INET);
  EXPECT_EQ(usrsctp_connect(c, reinterpret_cast<sockaddr*>(&six), sizeof(six)), -1);
  EXPECT_EQ(errno, EINVAL);
}

TEST_F(UsrsctpUdpTest, BindxListsSeveralLocalAddressesBeforeConnect) {
  Socket* so = NewSocket(AF_INET6);
  std::vector<uint8_t> packed;
  sockaddr_in a = V4("127.0.0.1", 7003);
  packed.insert(packed.end(), reinterpret_cast<uint8_t*>(&a),
                reinterpret_cast<uint8_t*>(&a) + sizeof(a));
  sockaddr_in6 b = V6("::1", 7003);
  const bool ipv6 = [&] {
    const int fd = socket(AF_INET6, SOCK_DGRAM, 0);
    sockaddr_in6 t = V6("::1", 0);
    const bool ok = fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&t), sizeof(t)) == 0;
    if (fd >= 0) close(fd);
    return ok;
  }();
  if (ipv6) {
    packed.insert(packed.end(), reinterpret_cast<uint8_t*>(&b),
                  reinterpret_cast<uint8_t*>(&b) + sizeof(b));
  }
  const int n = ipv6 ? 2 : 1;
  ASSERT_EQ(usrsctp_bindx(so, reinterpret_cast<sockaddr*>(packed.data()), n, SCTP_BINDX_ADD_ADDR),
            0)
      << strerror(errno);
  sockaddr* addrs = nullptr;
  EXPECT_EQ(usrsctp_getladdrs(so, 0, &addrs), n);
  EXPECT_EQ(reinterpret_cast<sockaddr_in*>(addrs)->sin_port, htons(7003));
  usrsctp_freeladdrs(addrs);
  // Removing every address is refused; a wildcard is not an address to add.
  sockaddr_in any = V4("0.0.0.0", 7003);
  EXPECT_EQ(usrsctp_bindx(so, reinterpret_cast<sockaddr*>(&any), 1, SCTP_BINDX_ADD_ADDR), -1);
  EXPECT_EQ(usrsctp_bindx(so, reinterpret_cast<sockaddr*>(packed.data()), n, SCTP_BINDX_REM_ADDR),
            -1);
  EXPECT_EQ(usrsctp_bindx(so, reinterpret_cast<sockaddr*>(&a), 1, 0), -1);  // bad flags
}

TEST_F(UsrsctpUdpTest, RemoteEncapsulationPortOption) {
  Socket* so = NewSocket(AF_INET);
  struct sctp_udpencaps e;
  std::memset(&e, 0, sizeof(e));
  e.sue_address.ss_family = AF_INET;
  e.sue_port = htons(12345);
  ASSERT_EQ(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &e, sizeof(e)), 0);
  struct sctp_udpencaps got;
  std::memset(&got, 0, sizeof(got));
  got.sue_address.ss_family = AF_INET;
  socklen_t len = sizeof(got);
  ASSERT_EQ(usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &got, &len), 0);
  EXPECT_EQ(ntohs(got.sue_port), 12345);
  // RFC 6951 §6.1: SCTP_{CURRENT|ALL}_ASSOC are errors; short buffers too.
  e.sue_assoc_id = SCTP_ALL_ASSOC;
  EXPECT_EQ(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &e, sizeof(e)), -1);
  EXPECT_EQ(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &e, 4), -1);
  // A specific address of no association of this socket.
  std::memset(&e, 0, sizeof(e));
  sockaddr_in a = V4("127.0.0.1", 0);
  std::memcpy(&e.sue_address, &a, sizeof(a));
  EXPECT_EQ(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &e, sizeof(e)), -1);
}

TEST_F(UsrsctpUdpTest, ConnectUsesTheConfiguredEncapsulationPortAndChecksum) {
  RawPeer peer;
  Socket* so = NewSocket(AF_INET);
  EncapsTo(so, peer.port);
  ASSERT_EQ(usrsctp_set_non_blocking(so, 1), 0);
  sockaddr_in to = V4("127.0.0.1", 7004);
  ASSERT_EQ(usrsctp_connect(so, reinterpret_cast<sockaddr*>(&to), sizeof(to)), -1);
  EXPECT_EQ(errno, EINPROGRESS);
  // RFC 6951 §5.3: to the configured remote port; the SCTP checksum is computed.
  const std::vector<uint8_t> init = peer.Receive();
  ASSERT_GE(init.size(), 32u);
  EXPECT_EQ(init[12], 1);  // INIT
  EXPECT_EQ((init[2] << 8) | init[3], 7004);
  EXPECT_TRUE(ChecksumOk(init));
}

TEST_F(UsrsctpUdpTest, HostileDatagramsAreDroppedAndOutOfTheBlueAnsweredToTheirPort) {
  RawPeer peer;
  peer.SendTo(udp_port_, {1, 2, 3});                       // shorter than a common header
  peer.SendTo(udp_port_, std::vector<uint8_t>(40, 0xab));  // garbage, bad checksum
  std::vector<uint8_t> bad_crc = InitPacket(4000, 7005, 0x11223344);
  bad_crc[8] ^= 1;
  peer.SendTo(udp_port_, bad_crc);
  EXPECT_TRUE(peer.Receive(300ms).empty());
  // An INIT for a port nobody is bound to: ABORT (RFC 9260 §8.4 rule 3) to the source port.
  peer.SendTo(udp_port_, InitPacket(4000, 7005, 0x11223344));
  const std::vector<uint8_t> abort = peer.Receive();
  ASSERT_GE(abort.size(), 16u);
  EXPECT_EQ(abort[12], 6);    // ABORT
  EXPECT_EQ(abort[4], 0x11);  // the INIT's Initiate Tag
  EXPECT_TRUE(ChecksumOk(abort));
  // The stack is still alive and usable.
  Socket *client, *server;
  Connect(7006, &client, &server);
  EXPECT_EQ(usrsctp_sendv(client, "x", 1, nullptr, 0, nullptr, 0, SCTP_SENDV_NOINFO, 0), 1);
}

TEST_F(UsrsctpUdpTest, InitFromANewUdpPortForAnExistingAssociationIsAborted) {
  Socket *client, *server;
  Connect(7007, &client, &server);
  sockaddr* addrs = nullptr;
  ASSERT_GE(usrsctp_getladdrs(client, 0, &addrs), 1);
  const uint16_t client_port = ntohs(reinterpret_cast<sockaddr_in6*>(addrs)->sin6_port);
  usrsctp_freeladdrs(addrs);
  // The same peer address and SCTP port, another UDP source port: a NAT rebinding or an
  // attacker. The association must not restart.
  RawPeer peer;
  peer.SendTo(udp_port_, InitPacket(client_port, 7007, 0xcafe0001));
  const std::vector<uint8_t> reply = peer.Receive();
  ASSERT_EQ(reply.size(), 24u);
  EXPECT_EQ(reply[12], 6);  // ABORT
  EXPECT_EQ(reply[4], 0xca);
  EXPECT_EQ((reply[16] << 8) | reply[17], 14);         // Restart with New Encapsulation Port
  EXPECT_EQ((reply[20] << 8) | reply[21], udp_port_);  // current port
  EXPECT_EQ((reply[22] << 8) | reply[23], peer.port);  // new port
  EXPECT_TRUE(ChecksumOk(reply));
  // The association is untouched.
  EXPECT_EQ(usrsctp_sendv(client, "still", 5, nullptr, 0, nullptr, 0, SCTP_SENDV_NOINFO, 0), 5);
  char buffer[16];
  const ssize_t n = usrsctp_recvv(server, buffer, sizeof(buffer), nullptr, nullptr, nullptr,
                                  nullptr, nullptr, nullptr);
  EXPECT_EQ(n, 5);
}

TEST_F(UsrsctpUdpTest, BlockingSendvWaitsForSendBufferSpace) {
  const int sndbuf = 16 * 1024;
  const int rcvbuf = 16 * 1024;
  constexpr int kMessages = 64;
  constexpr size_t kSize = 4096;  // 64 x 4 KiB through a 16 KiB send buffer
  std::atomic<int> sent{0};
  std::atomic<int> errors{0};
  Socket* listener = NewSocket(AF_INET);
  sockaddr_in addr = V4("127.0.0.1", 7009);
  ASSERT_EQ(usrsctp_bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(usrsctp_setsockopt(listener, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)), 0);
  ASSERT_EQ(usrsctp_listen(listener, 1), 0);
  Socket* sender = NewSocket(AF_INET);
  ASSERT_EQ(usrsctp_setsockopt(sender, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)), 0);
  EncapsTo(sender, udp_port_);
  ASSERT_EQ(usrsctp_connect(sender, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  Socket* receiver = usrsctp_accept(listener, nullptr, nullptr);
  ASSERT_NE(receiver, nullptr);
  sockets_.push_back(receiver);
  // Non-blocking first: the buffer fills and sendv says EWOULDBLOCK.
  ASSERT_EQ(usrsctp_set_non_blocking(sender, 1), 0);
  std::vector<uint8_t> message(kSize, 0x5a);
  int accepted = 0;
  while (usrsctp_sendv(sender, message.data(), kSize, nullptr, 0, nullptr, 0, SCTP_SENDV_NOINFO,
                       0) == static_cast<ssize_t>(kSize)) {
    ++accepted;
    ASSERT_LT(accepted, 1000);
  }
  EXPECT_EQ(errno, EWOULDBLOCK);
  // Blocking: every call waits for space instead of failing, while the receiver reads.
  ASSERT_EQ(usrsctp_set_non_blocking(sender, 0), 0);
  std::thread writer([&] {
    for (int i = 0; i < kMessages; ++i) {
      if (usrsctp_sendv(sender, message.data(), kSize, nullptr, 0, nullptr, 0, SCTP_SENDV_NOINFO,
                        0) == static_cast<ssize_t>(kSize)) {
        ++sent;
      } else {
        ++errors;
      }
    }
  });
  size_t received = 0;
  const size_t expected = (static_cast<size_t>(accepted) + kMessages) * kSize;
  std::vector<uint8_t> buffer(65536);
  while (received < expected) {
    const ssize_t n = usrsctp_recvv(receiver, buffer.data(), buffer.size(), nullptr, nullptr,
                                    nullptr, nullptr, nullptr, nullptr);
    ASSERT_GT(n, 0);
    received += static_cast<size_t>(n);
  }
  writer.join();
  EXPECT_EQ(sent.load(), kMessages);
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(received, expected);
}

TEST(UsrsctpUdpNoPortTest, InetConnectWithoutUdpPortIsUnreachable) {
  usrsctp_init(0, nullptr, nullptr);
  Socket* so = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, nullptr, nullptr, 0, nullptr);
  ASSERT_NE(so, nullptr);
  sockaddr_in to = V4("127.0.0.1", 7010);
  EXPECT_EQ(usrsctp_connect(so, reinterpret_cast<sockaddr*>(&to), sizeof(to)), -1);
  EXPECT_EQ(errno, ENETUNREACH);
  usrsctp_close(so);
  for (int i = 0; i < 100 && usrsctp_finish() != 0; ++i)
    std::this_thread::sleep_for(10ms);
}

}  // namespace

namespace {

int g_confirmed_v6 = 0;
std::mutex g_events_mu;

int AddressEventCallback(Socket*, union sctp_sockstore, void* data, size_t datalen,
                         struct sctp_rcvinfo, int flags, void*) {
  if (data != nullptr && (flags & MSG_NOTIFICATION) &&
      datalen >= sizeof(struct sctp_paddr_change)) {
    const auto* n = static_cast<const union sctp_notification*>(data);
    if (n->sn_header.sn_type == SCTP_PEER_ADDR_CHANGE &&
        n->sn_paddr_change.spc_state == SCTP_ADDR_CONFIRMED &&
        n->sn_paddr_change.spc_aaddr.ss_family == AF_INET6) {
      std::lock_guard<std::mutex> lock(g_events_mu);
      ++g_confirmed_v6;
    }
  }
  free(data);
  return 1;
}

// RFC 8899 over UDP: on by default, the association starts at BASE_PLPMTU (1200) and its
// probes (HEARTBEAT + PAD) confirm the configured 1452 on loopback; SPP_PMTUD_DISABLE with
// spp_pathmtu fixes the size instead (what WebRTC stacks ask for).
TEST_F(UsrsctpUdpTest, PathMtuDiscoveryRaisesThePacketSizeUnlessDisabled) {
  Socket *client, *server;
  Connect(7016, &client, &server);
  auto params = [](Socket* so) {
    struct sctp_paddrparams p;
    std::memset(&p, 0, sizeof(p));
    socklen_t len = sizeof(p);
    EXPECT_EQ(usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &p, &len), 0);
    return p;
  };
  struct sctp_paddrparams p = params(client);
  EXPECT_TRUE(p.spp_flags & SPP_PMTUD_ENABLE);
  for (int i = 0; i < 300 && params(client).spp_pathmtu != 1452 - 12; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(params(client).spp_pathmtu, 1452u - 12);  // usrsctp reports it without the header

  Socket* fixed = NewSocket(AF_INET);
  ASSERT_NE(fixed, nullptr);
  std::memset(&p, 0, sizeof(p));
  p.spp_flags = SPP_PMTUD_DISABLE;
  p.spp_pathmtu = 1188;
  ASSERT_EQ(usrsctp_setsockopt(fixed, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &p, sizeof(p)), 0);
  p = params(fixed);
  EXPECT_TRUE(p.spp_flags & SPP_PMTUD_DISABLE);
  EXPECT_EQ(p.spp_pathmtu, 1188u);
  p.spp_flags = SPP_PMTUD_ENABLE | SPP_PMTUD_DISABLE;
  errno = 0;
  EXPECT_EQ(usrsctp_setsockopt(fixed, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &p, sizeof(p)), -1);
  EXPECT_EQ(errno, EINVAL);
}

TEST_F(UsrsctpUdpTest, ConnectxTriesTheNextAddressWhenTheFirstIsSilent) {
  Socket* listener = NewSocket(AF_INET);
  ASSERT_NE(listener, nullptr);
  sockaddr_in server = V4("127.0.0.1", 7013);
  ASSERT_EQ(usrsctp_bind(listener, reinterpret_cast<sockaddr*>(&server), sizeof(server)), 0);
  ASSERT_EQ(usrsctp_listen(listener, 1), 0);
  Socket* client = NewSocket(AF_INET);
  ASSERT_NE(client, nullptr);
  EncapsTo(client, udp_port_);
  struct sctp_rtoinfo rto;  // a short first timeout keeps the test short
  std::memset(&rto, 0, sizeof(rto));
  rto.srto_initial = 200;
  rto.srto_min = 100;
  ASSERT_EQ(usrsctp_setsockopt(client, IPPROTO_SCTP, SCTP_RTOINFO, &rto, sizeof(rto)), 0);
  // RFC 6458 §9.9: two addresses of the peer, packed; the first (TEST-NET-1) never answers.
  sockaddr_in silent = V4("192.0.2.1", 7013);
  std::vector<uint8_t> packed;
  packed.insert(packed.end(), reinterpret_cast<uint8_t*>(&silent),
                reinterpret_cast<uint8_t*>(&silent) + sizeof(silent));
  packed.insert(packed.end(), reinterpret_cast<uint8_t*>(&server),
                reinterpret_cast<uint8_t*>(&server) + sizeof(server));
  sctp_assoc_t id = 0;
  ASSERT_EQ(usrsctp_connectx(client, reinterpret_cast<sockaddr*>(packed.data()), 2, &id), 0)
      << strerror(errno);
  EXPECT_NE(id, 0u);
  Socket* accepted = usrsctp_accept(listener, nullptr, nullptr);
  ASSERT_NE(accepted, nullptr);
  sockets_.push_back(accepted);
  // The address that answered is the primary, reported first.
  sockaddr* addrs = nullptr;
  ASSERT_GE(usrsctp_getpaddrs(client, 0, &addrs), 1);
  auto* primary = reinterpret_cast<sockaddr_in*>(addrs);
  EXPECT_EQ(primary->sin_family, AF_INET);
  EXPECT_EQ(primary->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
  usrsctp_freepaddrs(addrs);
  const std::string m = "after connectx";
  ASSERT_EQ(usrsctp_sendv(client, m.data(), m.size(), nullptr, 0, nullptr, 0, SCTP_SENDV_NOINFO, 0),
            static_cast<ssize_t>(m.size()));
  char buffer[64];
  int flags = 0;
  const ssize_t n = usrsctp_recvv(accepted, buffer, sizeof(buffer), nullptr, nullptr, nullptr,
                                  nullptr, nullptr, &flags);
  ASSERT_EQ(n, static_cast<ssize_t>(m.size()));
  EXPECT_EQ(std::string(buffer, static_cast<size_t>(n)), m);
}

TEST_F(UsrsctpUdpTest, ConnectxRejectsMixedPortsAndBadCounts) {
  Socket* client = NewSocket(AF_INET);
  ASSERT_NE(client, nullptr);
  sockaddr_in a = V4("127.0.0.1", 7014);
  sockaddr_in b = V4("127.0.0.1", 7015);
  std::vector<uint8_t> packed;
  packed.insert(packed.end(), reinterpret_cast<uint8_t*>(&a),
                reinterpret_cast<uint8_t*>(&a) + sizeof(a));
  packed.insert(packed.end(), reinterpret_cast<uint8_t*>(&b),
                reinterpret_cast<uint8_t*>(&b) + sizeof(b));
  sctp_assoc_t id = 0;
  errno = 0;
  EXPECT_EQ(usrsctp_connectx(client, reinterpret_cast<sockaddr*>(packed.data()), 2, &id), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(usrsctp_connectx(client, reinterpret_cast<sockaddr*>(packed.data()), 0, &id), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(usrsctp_connectx(client, nullptr, 1, &id), -1);
  EXPECT_EQ(errno, EINVAL);
}

TEST_F(UsrsctpUdpTest, MultihomedServerOverIpv4AndIpv6) {
  const int fd = socket(AF_INET6, SOCK_DGRAM, 0);
  sockaddr_in6 probe = V6("::1", 0);
  const bool ipv6 = fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&probe), sizeof(probe)) == 0;
  if (fd >= 0) close(fd);
  if (!ipv6) GTEST_SKIP() << "no IPv6 loopback on this host";
  // The server is bound to 127.0.0.1 and ::1 (bindx), so its INIT ACK lists both.
  Socket* listener = NewSocket(AF_INET6);
  std::vector<uint8_t> packed;
  sockaddr_in a = V4("127.0.0.1", 7011);
  sockaddr_in6 b = V6("::1", 7011);
  packed.insert(packed.end(), reinterpret_cast<uint8_t*>(&a),
                reinterpret_cast<uint8_t*>(&a) + sizeof(a));
  packed.insert(packed.end(), reinterpret_cast<uint8_t*>(&b),
                reinterpret_cast<uint8_t*>(&b) + sizeof(b));
  ASSERT_EQ(
      usrsctp_bindx(listener, reinterpret_cast<sockaddr*>(packed.data()), 2, SCTP_BINDX_ADD_ADDR),
      0);
  ASSERT_EQ(usrsctp_listen(listener, 1), 0);
  Socket* client = usrsctp_socket(AF_INET6, SOCK_STREAM, IPPROTO_SCTP, AddressEventCallback,
                                  nullptr, 0, nullptr);
  ASSERT_NE(client, nullptr);
  sockets_.push_back(client);
  struct sctp_event event;
  std::memset(&event, 0, sizeof(event));
  event.se_type = SCTP_PEER_ADDR_CHANGE;
  event.se_on = 1;
  ASSERT_EQ(usrsctp_setsockopt(client, IPPROTO_SCTP, SCTP_EVENT, &event, sizeof(event)), 0);
  EncapsTo(client, udp_port_);
  ASSERT_EQ(usrsctp_connect(client, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  Socket* server = usrsctp_accept(listener, nullptr, nullptr);
  ASSERT_NE(server, nullptr);
  sockets_.push_back(server);
  // The client knows both server addresses, as sockaddr_in and sockaddr_in6.
  sockaddr* addrs = nullptr;
  ASSERT_EQ(usrsctp_getpaddrs(client, 0, &addrs), 2);
  auto* first = reinterpret_cast<sockaddr*>(addrs);
  EXPECT_EQ(first->sa_family, AF_INET);  // the primary: where it connected to
  auto* second =
      reinterpret_cast<sockaddr_in6*>(reinterpret_cast<uint8_t*>(addrs) + sizeof(sockaddr_in));
  EXPECT_EQ(second->sin6_family, AF_INET6);
  EXPECT_TRUE(IN6_IS_ADDR_LOOPBACK(&second->sin6_addr));
  usrsctp_freepaddrs(addrs);
  // The IPv6 path is confirmed by a HEARTBEAT over the IPv6 UDP socket (RFC 9260 §5.4), and
  // the notification carries a sockaddr_in6.
  for (int i = 0; i < 1000; ++i) {
    {
      std::lock_guard<std::mutex> lock(g_events_mu);
      if (g_confirmed_v6 > 0) break;
    }
    std::this_thread::sleep_for(10ms);
  }
  std::lock_guard<std::mutex> lock(g_events_mu);
  EXPECT_GT(g_confirmed_v6, 0);
}

}  // namespace
