// The usrsctp C API as applications use it (usrsctp.md §2 and §3), against the shared library
// `usrsctp`: one process, nothreads mode, AF_CONN.
//
// The lower layer is two in-memory "links". conn_output only queues a copy of each packet;
// Pump*() hands every queued packet to usrsctp_conninput with the other link's address (as
// usrsctp's ekr_loop does over a socketpair) and calls usrsctp_handle_timers(10). conninput is
// never called from inside conn_output (the maintainer's rule, usrsctp #539).
//
//   client socket: bound to (&g_client_link, port C), connects to (&g_client_link, port S)
//   listener:      bound to (&g_server_link, port S)
//
// Every test initialises the stack in SetUp and, in TearDown, closes its sockets and loops on
// usrsctp_finish() (bounded) until it returns 0.
//
// Every expectation here also holds for the reference: built without an RPATH (g++ ...
// api_test.cc -lusrsctp), the same binary runs against Debian's libusrsctp.so.2 (0.9.5.0) when
// the compat library is not on LD_LIBRARY_PATH, and all tests pass there.
#include <arpa/inet.h>
#include <malloc.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <gtest/gtest.h>
#include <usrsctp.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using Socket = struct socket;

// ---------------------------------------------------------------------------------------------
// The in-memory lower layer

// Their addresses are the AF_CONN addresses (usrsctp_register_address).
char g_client_link;
char g_server_link;
char g_unregistered_link;

constexpr uint16_t kClientPort = 5001;
constexpr uint16_t kServerPort = 5002;

struct Packet {
  void* link = nullptr;  // the address conn_output was called with
  std::vector<uint8_t> bytes;
};

std::mutex g_mu;  // conn_output may run on a library thread in threaded mode; cheap here
std::deque<Packet> g_queue;
std::vector<Packet> g_written;  // every packet conn_output got since SetUp
uint64_t g_delivered = 0;       // usrsctp_conninput calls made by the pump

int ConnOutput(void* addr, void* buffer, size_t length, uint8_t /*tos*/, uint8_t /*set_df*/) {
  const auto* bytes = static_cast<const uint8_t*>(buffer);
  Packet p{addr, std::vector<uint8_t>(bytes, bytes + length)};
  std::lock_guard<std::mutex> lock(g_mu);
  g_written.push_back(p);
  g_queue.push_back(std::move(p));
  return 0;
}

void ResetLowerLayer() {
  std::lock_guard<std::mutex> lock(g_mu);
  g_queue.clear();
  g_written.clear();
  g_delivered = 0;
}

std::deque<Packet> TakeQueued() {
  std::deque<Packet> out;
  std::lock_guard<std::mutex> lock(g_mu);
  out.swap(g_queue);
  return out;
}

std::vector<Packet> Written() {
  std::lock_guard<std::mutex> lock(g_mu);
  return g_written;
}

size_t WrittenCount() {
  std::lock_guard<std::mutex> lock(g_mu);
  return g_written.size();
}

void* OtherLink(void* link) {
  if (link == &g_client_link) return &g_server_link;
  if (link == &g_server_link) return &g_client_link;
  return nullptr;
}

// What the other end of the link does with a packet: hand it to the stack.
void Deliver(const Packet& p) {
  void* to = OtherLink(p.link);
  if (to == nullptr) return;
  usrsctp_conninput(to, p.bytes.data(), p.bytes.size(), 0);
  ++g_delivered;
}

// One round: the packets queued so far (not those written while delivering them), then the
// timers. Returns whether any packet moved.
bool PumpOnce() {
  const std::deque<Packet> batch = TakeQueued();
  for (const Packet& p : batch)
    Deliver(p);
  usrsctp_handle_timers(10);
  return !batch.empty();
}

// Pumps until `done` holds or `timeout` (wall clock) passes; returns done().
bool PumpUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout = 5000ms) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return done();
    if (!PumpOnce()) std::this_thread::sleep_for(1ms);
  }
  return true;
}

void PumpFor(std::chrono::milliseconds duration) {
  (void)PumpUntil([] { return false; }, duration);
}

// SCTP chunk type of the first chunk of a packet (RFC 9260 §3.2), -1 if none.
int FirstChunkType(const Packet& p) {
  return p.bytes.size() >= 16 ? p.bytes[12] : -1;
}

bool ContainsChunk(const Packet& p, uint8_t type) {
  size_t offset = 12;
  while (offset + 4 <= p.bytes.size()) {
    if (p.bytes[offset] == type) return true;
    const size_t length = static_cast<size_t>(p.bytes[offset + 2] << 8 | p.bytes[offset + 3]);
    if (length < 4) return false;
    offset += (length + 3) & ~size_t{3};
  }
  return false;
}

struct sockaddr_conn ConnAddress(void* link, uint16_t port) {
  struct sockaddr_conn sconn;
  std::memset(&sconn, 0, sizeof(sconn));
  sconn.sconn_family = AF_CONN;
  sconn.sconn_port = htons(port);
  sconn.sconn_addr = link;
  return sconn;
}

int Bind(Socket* so, void* link, uint16_t port) {
  struct sockaddr_conn sconn = ConnAddress(link, port);
  return usrsctp_bind(so, reinterpret_cast<struct sockaddr*>(&sconn),
                      static_cast<socklen_t>(sizeof(sconn)));
}

// The 44-byte INIT of tests/wire/crc32c_test.cc (checksum field zero). Its CRC32c is 0xBE86C17E,
// stored least significant byte first: 7e c1 86 be.
std::vector<uint8_t> KnownInitPacket() {
  return {
      0x13, 0x88, 0x13, 0x89,  // ports 5000 -> 5001
      0x00, 0x00, 0x00, 0x00,  // verification tag 0
      0x00, 0x00, 0x00, 0x00,  // checksum
      0x01, 0x00, 0x00, 0x20,  // INIT, length 32
      0x12, 0x34, 0x56, 0x78,  // initiate tag
      0x00, 0x02, 0x00, 0x00,  // a_rwnd 131072
      0x00, 0x0a, 0xff, 0xff,  // OS 10, MIS 65535
      0xa1, 0xb2, 0xc3, 0xd4,  // initial TSN
      0x00, 0x0c, 0x00, 0x08,  // Supported Address Types
      0x00, 0x05, 0x00, 0x06,  //   IPv4, IPv6
      0xc0, 0x00, 0x00, 0x04,  // Forward-TSN-Supported
  };
}

std::vector<uint8_t> Pattern(size_t size, uint32_t seed) {
  std::vector<uint8_t> v(size);
  uint32_t x = seed * 2654435761u + 1;
  for (auto& b : v) {
    x = x * 1103515245u + 12345u;
    b = static_cast<uint8_t>(x >> 16);
  }
  return v;
}

std::vector<uint8_t> Bytes(const std::string& s) {
  return std::vector<uint8_t>(s.begin(), s.end());
}

// ---------------------------------------------------------------------------------------------
// Receive callbacks and upcalls

struct Call {
  Socket* so = nullptr;
  bool has_data = false;  // data != NULL
  std::vector<uint8_t> data;
  size_t datalen = 0;
  size_t usable = 0;  // malloc_usable_size(data)
  int flags = 0;
  struct sctp_rcvinfo rcv;
  union sctp_sockstore addr;
};

class Recorder {
 public:
  void Add(Call call) {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back(std::move(call));
  }
  std::vector<Call> Calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  size_t Count() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_.size();
  }
  std::vector<Call> Notifications() const {
    std::vector<Call> out;
    for (Call& c : Calls()) {
      if (c.has_data && (c.flags & MSG_NOTIFICATION) != 0) out.push_back(std::move(c));
    }
    return out;
  }
  // sac_state of every SCTP_ASSOC_CHANGE notification, in order.
  std::vector<uint16_t> AssocStates() const {
    std::vector<uint16_t> out;
    for (const Call& c : Notifications()) {
      if (c.data.size() < sizeof(struct sctp_assoc_change)) continue;
      struct sctp_assoc_change sac;
      std::memcpy(&sac, c.data.data(), sizeof(sac));
      if (sac.sac_type == SCTP_ASSOC_CHANGE) out.push_back(sac.sac_state);
    }
    return out;
  }
  bool SawAssocState(uint16_t state) const {
    const auto states = AssocStates();
    return std::find(states.begin(), states.end(), state) != states.end();
  }
  bool SawAssocEnd() const {
    return SawAssocState(SCTP_SHUTDOWN_COMP) || SawAssocState(SCTP_COMM_LOST);
  }
  // Data calls (not notifications, not the data == NULL call).
  std::vector<Call> DataCalls() const {
    std::vector<Call> out;
    for (Call& c : Calls()) {
      if (c.has_data && (c.flags & MSG_NOTIFICATION) == 0) out.push_back(std::move(c));
    }
    return out;
  }
  // Complete messages, reassembled by MSG_EOR.
  std::vector<std::vector<uint8_t>> Messages() const {
    std::vector<std::vector<uint8_t>> out;
    std::vector<uint8_t> current;
    for (const Call& c : DataCalls()) {
      current.insert(current.end(), c.data.begin(), c.data.end());
      if ((c.flags & MSG_EOR) != 0) {
        out.push_back(std::move(current));
        current.clear();
      }
    }
    return out;
  }
  bool SawNullData() const {
    for (const Call& c : Calls()) {
      if (!c.has_data) return true;
    }
    return false;
  }

 private:
  mutable std::mutex mu_;
  std::vector<Call> calls_;
};

int RecordingReceive(Socket* so, union sctp_sockstore addr, void* data, size_t datalen,
                     struct sctp_rcvinfo rcv, int flags, void* ulp_info) {
  Call call;
  call.so = so;
  call.has_data = data != nullptr;
  call.datalen = datalen;
  call.flags = flags;
  call.rcv = rcv;
  call.addr = addr;
  if (data != nullptr) {
    call.usable = malloc_usable_size(data);
    const auto* bytes = static_cast<const uint8_t*>(data);
    call.data.assign(bytes, bytes + datalen);
    std::free(data);  // usrsctp.md §3: a malloc()ed buffer the application frees
  }
  static_cast<Recorder*>(ulp_info)->Add(std::move(call));
  return 1;
}

struct UpcallLog {
  std::mutex mu;
  int calls = 0;
  Socket* last_socket = nullptr;
  int Calls() {
    std::lock_guard<std::mutex> lock(mu);
    return calls;
  }
};

void CountingUpcall(Socket* so, void* arg, int /*flags*/) {
  auto* log = static_cast<UpcallLog*>(arg);
  std::lock_guard<std::mutex> lock(log->mu);
  ++log->calls;
  log->last_socket = so;
}

// ---------------------------------------------------------------------------------------------
// recvv

struct RecvResult {
  ssize_t n = -1;
  int error = 0;
  std::vector<uint8_t> data;
  int flags = 0;
  unsigned int infotype = 0xDEAD;
  socklen_t infolen = 0;
  struct sctp_rcvinfo rcv;
  struct sockaddr_conn from;
  socklen_t fromlen = 0;
};

RecvResult Recv(Socket* so, size_t buffer_size = 65536) {
  RecvResult r;
  std::memset(&r.rcv, 0, sizeof(r.rcv));
  std::memset(&r.from, 0, sizeof(r.from));
  std::vector<uint8_t> buffer(buffer_size);
  r.infolen = static_cast<socklen_t>(sizeof(r.rcv));
  r.fromlen = static_cast<socklen_t>(sizeof(r.from));
  errno = 0;
  r.n = usrsctp_recvv(so, buffer.data(), buffer.size(), reinterpret_cast<struct sockaddr*>(&r.from),
                      &r.fromlen, &r.rcv, &r.infolen, &r.infotype, &r.flags);
  r.error = errno;
  if (r.n > 0) buffer.resize(static_cast<size_t>(r.n));
  if (r.n >= 0) r.data = std::move(buffer);
  return r;
}

// Every data piece readable now (not notifications), until recvv fails.
std::vector<RecvResult> DrainData(Socket* so, size_t buffer_size = 65536) {
  std::vector<RecvResult> out;
  for (;;) {
    RecvResult r = Recv(so, buffer_size);
    if (r.n <= 0) break;
    if ((r.flags & MSG_NOTIFICATION) == 0) out.push_back(std::move(r));
  }
  return out;
}

ssize_t SendSndinfo(Socket* so, const std::vector<uint8_t>& data, uint16_t sid, uint32_t ppid,
                    uint16_t flags = 0) {
  struct sctp_sndinfo info;
  std::memset(&info, 0, sizeof(info));
  info.snd_sid = sid;
  info.snd_ppid = htonl(ppid);
  info.snd_flags = flags;
  return usrsctp_sendv(so, data.data(), data.size(), nullptr, 0, &info,
                       static_cast<socklen_t>(sizeof(info)), SCTP_SENDV_SNDINFO, 0);
}

int Subscribe(Socket* so, uint16_t type) {
  struct sctp_event event;
  std::memset(&event, 0, sizeof(event));
  event.se_assoc_id = SCTP_ALL_ASSOC;
  event.se_type = type;
  event.se_on = 1;
  return usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_EVENT, &event,
                            static_cast<socklen_t>(sizeof(event)));
}

int SetInt(Socket* so, int level, int option, int value) {
  return usrsctp_setsockopt(so, level, option, &value, static_cast<socklen_t>(sizeof(value)));
}

int GetInt(Socket* so, int level, int option, int* value) {
  socklen_t len = static_cast<socklen_t>(sizeof(*value));
  return usrsctp_getsockopt(so, level, option, value, &len);
}

bool GetStatus(Socket* so, struct sctp_status* status) {
  std::memset(status, 0, sizeof(*status));
  socklen_t len = static_cast<socklen_t>(sizeof(*status));
  return usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_STATUS, status, &len) == 0;
}

int State(Socket* so) {
  struct sctp_status status;
  return GetStatus(so, &status) ? status.sstat_state : -1;
}

// ---------------------------------------------------------------------------------------------
// The fixture

struct PairConfig {
  Recorder* client_recorder = nullptr;  // receive-callback mode when set, recvv mode otherwise
  Recorder* server_recorder = nullptr;  // given to the listener; accepted sockets inherit it
  std::function<void(Socket*)> configure_client;    // after bind, before connect
  std::function<void(Socket*)> configure_listener;  // after bind, before listen
  uint16_t client_port = kClientPort;
  uint16_t server_port = kServerPort;
};

struct Pair {
  Socket* client = nullptr;
  Socket* listener = nullptr;
  Socket* server = nullptr;  // accepted
};

class UsrsctpApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ResetLowerLayer();
    usrsctp_init_nothreads(0, ConnOutput, nullptr);
    initialized_ = true;
    usrsctp_register_address(&g_client_link);
    usrsctp_register_address(&g_server_link);
  }

  void TearDown() override {
    CloseAll();
    EXPECT_TRUE(Finish());
    ResetLowerLayer();
  }

  void CloseAll() {
    for (auto it = sockets_.rbegin(); it != sockets_.rend(); ++it)
      usrsctp_close(*it);
    sockets_.clear();
  }

  // usrsctp_finish() until it returns 0, pumping so that closing associations can finish.
  bool Finish() {
    if (!initialized_) return true;
    for (int i = 0; i < 5000; ++i) {
      if (usrsctp_finish() == 0) {
        initialized_ = false;
        return true;
      }
      if (!PumpOnce()) std::this_thread::sleep_for(1ms);
    }
    ADD_FAILURE() << "usrsctp_finish() kept returning -1";
    return false;
  }

  Socket* Track(Socket* so) {
    if (so != nullptr) sockets_.push_back(so);
    return so;
  }

  Socket* NewSocket(Recorder* recorder = nullptr) {
    if (recorder != nullptr) {
      return Track(usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, RecordingReceive, nullptr, 0,
                                  recorder));
    }
    return Track(usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, nullptr, nullptr, 0, nullptr));
  }

  void Close(Socket* so) {
    sockets_.erase(std::remove(sockets_.begin(), sockets_.end(), so), sockets_.end());
    usrsctp_close(so);
  }

  // Listener and client as described at the top; non-blocking connect, then pumps until the
  // listener accepts and the client is ESTABLISHED.
  ::testing::AssertionResult Connect(Pair* pair, const PairConfig& config = {}) {
    pair->listener = NewSocket(config.server_recorder);
    if (pair->listener == nullptr) return ::testing::AssertionFailure() << "listener socket";
    if (usrsctp_set_non_blocking(pair->listener, 1) != 0) {
      return ::testing::AssertionFailure() << "set_non_blocking(listener)";
    }
    if (Bind(pair->listener, &g_server_link, config.server_port) != 0) {
      return ::testing::AssertionFailure() << "bind(listener): errno " << errno;
    }
    if (config.configure_listener) config.configure_listener(pair->listener);
    if (usrsctp_listen(pair->listener, 1) != 0) {
      return ::testing::AssertionFailure() << "listen: errno " << errno;
    }
    pair->client = NewSocket(config.client_recorder);
    if (pair->client == nullptr) return ::testing::AssertionFailure() << "client socket";
    if (usrsctp_set_non_blocking(pair->client, 1) != 0) {
      return ::testing::AssertionFailure() << "set_non_blocking(client)";
    }
    if (Bind(pair->client, &g_client_link, config.client_port) != 0) {
      return ::testing::AssertionFailure() << "bind(client): errno " << errno;
    }
    if (config.configure_client) config.configure_client(pair->client);
    struct sockaddr_conn peer = ConnAddress(&g_client_link, config.server_port);
    errno = 0;
    const int rc = usrsctp_connect(pair->client, reinterpret_cast<struct sockaddr*>(&peer),
                                   static_cast<socklen_t>(sizeof(peer)));
    if (rc != -1 || errno != EINPROGRESS) {
      return ::testing::AssertionFailure()
             << "non-blocking connect returned " << rc << " errno " << errno;
    }
    const bool up = PumpUntil([&] {
      if (pair->server == nullptr)
        pair->server = Track(usrsctp_accept(pair->listener, nullptr, nullptr));
      return pair->server != nullptr && State(pair->client) == SCTP_ESTABLISHED;
    });
    if (!up) {
      return ::testing::AssertionFailure() << "not established: accepted " << pair->server
                                           << ", client state " << State(pair->client);
    }
    if (usrsctp_set_non_blocking(pair->server, 1) != 0) {
      return ::testing::AssertionFailure() << "set_non_blocking(server)";
    }
    return ::testing::AssertionSuccess();
  }

  bool initialized_ = false;
  std::vector<Socket*> sockets_;
};

// ---------------------------------------------------------------------------------------------
// Init / finish

TEST_F(UsrsctpApiTest, FinishFailsWhileASocketExistsAndSocketFailsAfterFinish) {
  Socket* so = NewSocket();
  ASSERT_NE(so, nullptr);
  EXPECT_EQ(usrsctp_finish(), -1);
  EXPECT_EQ(usrsctp_finish(), -1);  // and keeps failing: applications loop on it
  Close(so);
  EXPECT_TRUE(Finish());
  ASSERT_FALSE(initialized_);

  errno = 0;
  Socket* after =
      Track(usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, nullptr, nullptr, 0, nullptr));
  EXPECT_EQ(after, nullptr);
  EXPECT_EQ(errno, EPROTONOSUPPORT);
}

TEST_F(UsrsctpApiTest, FinishFailsWhileAnAssociationsSocketsExist) {
  Pair p;
  ASSERT_TRUE(Connect(&p));
  EXPECT_EQ(usrsctp_finish(), -1);
  Close(p.listener);
  EXPECT_EQ(usrsctp_finish(), -1);  // client and accepted socket still open
}

TEST_F(UsrsctpApiTest, ReinitAfterFinishGivesAWorkingStack) {
  ASSERT_TRUE(Finish());
  ResetLowerLayer();
  usrsctp_init_nothreads(0, ConnOutput, nullptr);
  initialized_ = true;
  usrsctp_register_address(&g_client_link);
  usrsctp_register_address(&g_server_link);
  Pair p;
  ASSERT_TRUE(Connect(&p));
  ASSERT_EQ(SendSndinfo(p.client, Bytes("again"), 0, 0), 5);
  std::vector<RecvResult> got;
  ASSERT_TRUE(PumpUntil([&] {
    for (auto& r : DrainData(p.server))
      got.push_back(std::move(r));
    return !got.empty();
  }));
  EXPECT_EQ(got[0].data, Bytes("again"));
}

// ---------------------------------------------------------------------------------------------
// usrsctp_socket arguments

TEST_F(UsrsctpApiTest, SocketWithoutReceiveCallbackRejectsCallbackArguments) {
  int ulp = 0;
  errno = 0;
  EXPECT_EQ(Track(usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, nullptr, nullptr, 0, &ulp)),
            nullptr);
  EXPECT_EQ(errno, EINVAL);
  errno = 0;
  EXPECT_EQ(
      Track(usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, nullptr, nullptr, 512, nullptr)),
      nullptr);
  EXPECT_EQ(errno, EINVAL);
  auto send_cb = [](Socket*, uint32_t, void*) { return 0; };
  errno = 0;
  EXPECT_EQ(
      Track(usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, nullptr, +send_cb, 0, nullptr)),
      nullptr);
  EXPECT_EQ(errno, EINVAL);
  // With a receive callback the same arguments are fine.
  Recorder recorder;
  EXPECT_NE(Track(usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, RecordingReceive, +send_cb,
                                 512, &recorder)),
            nullptr);
}

// usrsctp's socreate(): an unknown domain, type or protocol is EINVAL.
TEST_F(UsrsctpApiTest, SocketRejectsBadDomainTypeAndProtocol) {
  errno = 0;
  EXPECT_EQ(Track(usrsctp_socket(AF_UNIX, SOCK_STREAM, IPPROTO_SCTP, nullptr, nullptr, 0, nullptr)),
            nullptr);
  EXPECT_EQ(errno, EINVAL);
  errno = 0;
  EXPECT_EQ(Track(usrsctp_socket(AF_CONN, SOCK_DGRAM, IPPROTO_SCTP, nullptr, nullptr, 0, nullptr)),
            nullptr);
  EXPECT_EQ(errno, EINVAL);
  errno = 0;
  EXPECT_EQ(Track(usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_TCP, nullptr, nullptr, 0, nullptr)),
            nullptr);
  EXPECT_EQ(errno, EINVAL);
  // The good combinations work.
  EXPECT_NE(NewSocket(), nullptr);
  EXPECT_NE(
      Track(usrsctp_socket(AF_CONN, SOCK_SEQPACKET, IPPROTO_SCTP, nullptr, nullptr, 0, nullptr)),
      nullptr);
}

// usrsctp_socket(AF_CONN) needs a conn_output: EAFNOSUPPORT without one.
TEST_F(UsrsctpApiTest, ConnSocketWithoutConnOutputFails) {
  ASSERT_TRUE(Finish());
  usrsctp_init_nothreads(0, nullptr, nullptr);
  initialized_ = true;
  errno = 0;
  EXPECT_EQ(Track(usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, nullptr, nullptr, 0, nullptr)),
            nullptr);
  EXPECT_EQ(errno, EAFNOSUPPORT);
}

// ---------------------------------------------------------------------------------------------
// bind / listen / connect / accept

TEST_F(UsrsctpApiTest, BindChecksTheAddress) {
  Socket* a = NewSocket();
  Socket* b = NewSocket();
  Socket* c = NewSocket();
  Socket* d = NewSocket();
  Socket* e = NewSocket();
  ASSERT_TRUE(a && b && c && d && e);
  EXPECT_EQ(Bind(a, &g_client_link, 5001), 0);
  errno = 0;
  EXPECT_EQ(Bind(b, &g_client_link, 5001), -1);
  EXPECT_EQ(errno, EADDRINUSE);
  errno = 0;
  EXPECT_EQ(Bind(c, &g_unregistered_link, 5003), -1);
  EXPECT_EQ(errno, EADDRNOTAVAIL);
  // The same port on another registered address is a different AF_CONN endpoint (ekr_loop).
  EXPECT_EQ(Bind(d, &g_server_link, 5001), 0);
  // A deregistered address is no longer available.
  usrsctp_register_address(&g_unregistered_link);
  usrsctp_deregister_address(&g_unregistered_link);
  errno = 0;
  EXPECT_EQ(Bind(e, &g_unregistered_link, 5004), -1);
  EXPECT_EQ(errno, EADDRNOTAVAIL);
}

TEST_F(UsrsctpApiTest, NonBlockingConnectThenEstablishedAndAccepted) {
  Socket* listener = NewSocket();
  Socket* client = NewSocket();
  ASSERT_TRUE(listener && client);
  ASSERT_EQ(Bind(listener, &g_server_link, kServerPort), 0);
  ASSERT_EQ(usrsctp_listen(listener, 1), 0);
  ASSERT_EQ(usrsctp_set_non_blocking(listener, 1), 0);
  EXPECT_EQ(usrsctp_get_non_blocking(listener), 1);
  ASSERT_EQ(Bind(client, &g_client_link, kClientPort), 0);
  ASSERT_EQ(usrsctp_set_non_blocking(client, 1), 0);

  struct sockaddr_conn peer = ConnAddress(&g_client_link, kServerPort);
  errno = 0;
  EXPECT_EQ(usrsctp_connect(client, reinterpret_cast<struct sockaddr*>(&peer),
                            static_cast<socklen_t>(sizeof(peer))),
            -1);
  EXPECT_EQ(errno, EINPROGRESS);
  EXPECT_EQ(State(client), SCTP_COOKIE_WAIT);
  // The INIT went out on the client's link, to the server's port.
  const std::vector<Packet> written = Written();
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0].link, &g_client_link);
  EXPECT_EQ(FirstChunkType(written[0]), 1);  // INIT
  EXPECT_EQ(written[0].bytes[0] << 8 | written[0].bytes[1], kClientPort);
  EXPECT_EQ(written[0].bytes[2] << 8 | written[0].bytes[3], kServerPort);

  Socket* server = nullptr;
  struct sockaddr_conn from;
  std::memset(&from, 0, sizeof(from));
  socklen_t fromlen = static_cast<socklen_t>(sizeof(from));
  ASSERT_TRUE(PumpUntil([&] {
    if (server == nullptr) {
      server = Track(usrsctp_accept(listener, reinterpret_cast<struct sockaddr*>(&from), &fromlen));
    }
    return server != nullptr && State(client) == SCTP_ESTABLISHED;
  }));
  EXPECT_EQ(State(server), SCTP_ESTABLISHED);
  EXPECT_EQ(fromlen, static_cast<socklen_t>(sizeof(struct sockaddr_conn)));
  EXPECT_EQ(from.sconn_family, AF_CONN);
  EXPECT_EQ(from.sconn_addr, &g_server_link);
  EXPECT_EQ(ntohs(from.sconn_port), kClientPort);
  EXPECT_NE(server, listener);
  EXPECT_NE(server, client);
  // Nothing more to accept.
  errno = 0;
  EXPECT_EQ(Track(usrsctp_accept(listener, nullptr, nullptr)), nullptr);
  EXPECT_EQ(errno, EWOULDBLOCK);
}

TEST_F(UsrsctpApiTest, AcceptOnNonBlockingListenerWithNothingPending) {
  Socket* listener = NewSocket();
  ASSERT_NE(listener, nullptr);
  ASSERT_EQ(Bind(listener, &g_server_link, kServerPort), 0);
  ASSERT_EQ(usrsctp_listen(listener, 5), 0);
  ASSERT_EQ(usrsctp_set_non_blocking(listener, 1), 0);
  errno = 0;
  EXPECT_EQ(Track(usrsctp_accept(listener, nullptr, nullptr)), nullptr);
  EXPECT_EQ(errno, EWOULDBLOCK);
  // accept on a socket that is not listening: EINVAL.
  Socket* plain = NewSocket();
  ASSERT_NE(plain, nullptr);
  ASSERT_EQ(Bind(plain, &g_client_link, kClientPort), 0);
  errno = 0;
  EXPECT_EQ(Track(usrsctp_accept(plain, nullptr, nullptr)), nullptr);
  EXPECT_EQ(errno, EINVAL);
}

// RFC 9260 §8.4: an INIT to a port nobody is bound to is answered with an ABORT, so a connect
// fails at once (ECONNREFUSED, SCTP_CANT_STR_ASSOC) instead of after all INIT retransmissions.
TEST_F(UsrsctpApiTest, ConnectToAPortNobodyIsBoundToIsRefused) {
  Recorder recorder;
  Socket* client = NewSocket(&recorder);
  ASSERT_NE(client, nullptr);
  ASSERT_EQ(Bind(client, &g_client_link, kClientPort), 0);
  ASSERT_EQ(usrsctp_set_non_blocking(client, 1), 0);
  ASSERT_EQ(Subscribe(client, SCTP_ASSOC_CHANGE), 0);
  struct sockaddr_conn peer = ConnAddress(&g_client_link, 7999);
  errno = 0;
  EXPECT_EQ(usrsctp_connect(client, reinterpret_cast<struct sockaddr*>(&peer),
                            static_cast<socklen_t>(sizeof(peer))),
            -1);
  EXPECT_EQ(errno, EINPROGRESS);
  ASSERT_TRUE(PumpUntil([&] { return recorder.SawAssocState(SCTP_CANT_STR_ASSOC); }, 3000ms))
      << "no SCTP_CANT_STR_ASSOC";
  bool abort = false;
  for (const Packet& packet : Written())
    abort = abort || (packet.link == &g_server_link && ContainsChunk(packet, 6));
  EXPECT_TRUE(abort) << "no ABORT answered the INIT";
  int error = 0;
  EXPECT_EQ(GetInt(client, SOL_SOCKET, SO_ERROR, &error), 0);
  EXPECT_EQ(error, ECONNREFUSED);
}

// ---------------------------------------------------------------------------------------------
// sendv argument checks (usrsctp.md §2.4: infolen must equal the struct size)

TEST_F(UsrsctpApiTest, SendvChecksInfolenExactly) {
  Pair p;
  ASSERT_TRUE(Connect(&p));
  // Room for the structs plus one byte, so infolen+1 reads valid memory.
  alignas(8) uint8_t storage[64] = {};
  auto send = [&](const char* text, void* info, socklen_t infolen, unsigned int infotype,
                  struct sockaddr* to = nullptr, int addrcnt = 0) {
    errno = 0;
    return usrsctp_sendv(p.client, text, std::strlen(text), to, addrcnt, info, infolen, infotype,
                         0);
  };

  struct sctp_sndinfo snd;
  std::memset(&snd, 0, sizeof(snd));
  snd.snd_ppid = htonl(51);
  std::memcpy(storage, &snd, sizeof(snd));
  EXPECT_EQ(sizeof(struct sctp_sndinfo), 16u);
  EXPECT_EQ(send("x", storage, 15, SCTP_SENDV_SNDINFO), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(send("x", storage, 17, SCTP_SENDV_SNDINFO), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(send("x", nullptr, 16, SCTP_SENDV_SNDINFO), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(send("S", storage, 16, SCTP_SENDV_SNDINFO), 1);

  struct sctp_prinfo pr;
  std::memset(&pr, 0, sizeof(pr));
  pr.pr_policy = SCTP_PR_SCTP_NONE;
  std::memset(storage, 0, sizeof(storage));
  std::memcpy(storage, &pr, sizeof(pr));
  EXPECT_EQ(sizeof(struct sctp_prinfo), 8u);
  EXPECT_EQ(send("x", storage, 7, SCTP_SENDV_PRINFO), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(send("x", storage, 9, SCTP_SENDV_PRINFO), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(send("P", storage, 8, SCTP_SENDV_PRINFO), 1);

  struct sctp_sendv_spa spa;
  std::memset(&spa, 0, sizeof(spa));
  spa.sendv_flags = SCTP_SEND_SNDINFO_VALID;
  spa.sendv_sndinfo.snd_ppid = htonl(51);
  std::memset(storage, 0, sizeof(storage));
  std::memcpy(storage, &spa, sizeof(spa));
  EXPECT_EQ(sizeof(struct sctp_sendv_spa), 32u);
  EXPECT_EQ(send("x", storage, 31, SCTP_SENDV_SPA), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(send("x", storage, 33, SCTP_SENDV_SPA), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(send("A", storage, 32, SCTP_SENDV_SPA), 1);

  struct sctp_authinfo auth;
  std::memset(&auth, 0, sizeof(auth));
  EXPECT_EQ(send("x", &auth, static_cast<socklen_t>(sizeof(auth)), SCTP_SENDV_AUTHINFO), -1);
  EXPECT_EQ(errno, EINVAL);

  EXPECT_EQ(send("x", storage, 0, SCTP_SENDV_NOINFO), -1);  // info must be NULL
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(send("N", nullptr, 0, SCTP_SENDV_NOINFO), 1);

  struct sockaddr_conn two[2] = {ConnAddress(&g_client_link, kServerPort),
                                 ConnAddress(&g_client_link, kServerPort)};
  EXPECT_EQ(send("x", nullptr, 0, SCTP_SENDV_NOINFO, reinterpret_cast<struct sockaddr*>(two), 2),
            -1);
  EXPECT_EQ(errno, EINVAL);

  // Exactly the accepted messages arrive, in order.
  std::vector<std::vector<uint8_t>> got;
  ASSERT_TRUE(PumpUntil([&] {
    for (auto& r : DrainData(p.server))
      got.push_back(r.data);
    return got.size() >= 4;
  }));
  PumpFor(50ms);
  for (auto& r : DrainData(p.server))
    got.push_back(r.data);
  EXPECT_EQ(got,
            (std::vector<std::vector<uint8_t>>{Bytes("S"), Bytes("P"), Bytes("A"), Bytes("N")}));
}

// ---------------------------------------------------------------------------------------------
// recvv

TEST_F(UsrsctpApiTest, RecvvReturnsPayloadRcvinfoAndEor) {
  Pair p;
  PairConfig config;
  config.configure_listener = [](Socket* so) {
    EXPECT_EQ(SetInt(so, IPPROTO_SCTP, SCTP_RECVRCVINFO, 1), 0);
  };
  ASSERT_TRUE(Connect(&p, config));
  int on = 0;
  EXPECT_EQ(GetInt(p.server, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on), 0);
  EXPECT_NE(on, 0);  // inherited from the listener

  ASSERT_EQ(SendSndinfo(p.client, Bytes("hello"), 3, 0x12345678), 5);
  RecvResult r;
  ASSERT_TRUE(PumpUntil([&] {
    r = Recv(p.server);
    return r.n > 0;
  }));
  EXPECT_EQ(r.n, 5);
  EXPECT_EQ(r.data, Bytes("hello"));
  EXPECT_NE(r.flags & MSG_EOR, 0);
  EXPECT_EQ(r.flags & MSG_NOTIFICATION, 0);
  EXPECT_EQ(r.infotype, static_cast<unsigned int>(SCTP_RECVV_RCVINFO));
  EXPECT_EQ(r.infolen, static_cast<socklen_t>(sizeof(struct sctp_rcvinfo)));
  EXPECT_EQ(r.rcv.rcv_sid, 3);
  EXPECT_EQ(r.rcv.rcv_ppid, htonl(0x12345678));  // network byte order, as sent
  EXPECT_EQ(r.rcv.rcv_flags & SCTP_UNORDERED, 0);
  struct sctp_status status;
  ASSERT_TRUE(GetStatus(p.server, &status));
  EXPECT_EQ(r.rcv.rcv_assoc_id, status.sstat_assoc_id);
  EXPECT_EQ(r.fromlen, static_cast<socklen_t>(sizeof(struct sockaddr_conn)));
  EXPECT_EQ(r.from.sconn_family, AF_CONN);
  EXPECT_EQ(r.from.sconn_addr, &g_server_link);
  EXPECT_EQ(ntohs(r.from.sconn_port), kClientPort);

  // With SCTP_RECVRCVINFO off there is no info.
  EXPECT_EQ(SetInt(p.server, IPPROTO_SCTP, SCTP_RECVRCVINFO, 0), 0);
  ASSERT_EQ(SendSndinfo(p.client, Bytes("again"), 1, 7), 5);
  ASSERT_TRUE(PumpUntil([&] {
    r = Recv(p.server);
    return r.n > 0;
  }));
  EXPECT_EQ(r.data, Bytes("again"));
  EXPECT_EQ(r.infotype, static_cast<unsigned int>(SCTP_RECVV_NOINFO));
  EXPECT_EQ(r.infolen, 0);
}

TEST_F(UsrsctpApiTest, RecvvWithSmallBufferSplitsTheMessage) {
  Pair p;
  ASSERT_TRUE(Connect(&p));
  const std::vector<uint8_t> message = Pattern(1000, 1);
  ASSERT_EQ(SendSndinfo(p.client, message, 0, 0), 1000);
  RecvResult first;
  ASSERT_TRUE(PumpUntil([&] {
    first = Recv(p.server, 300);
    return first.n > 0;
  }));
  EXPECT_EQ(first.n, 300);
  EXPECT_EQ(first.flags & MSG_EOR, 0);
  RecvResult second = Recv(p.server, 300);
  EXPECT_EQ(second.n, 300);
  EXPECT_EQ(second.flags & MSG_EOR, 0);
  RecvResult rest = Recv(p.server, 4096);
  EXPECT_EQ(rest.n, 400);
  EXPECT_NE(rest.flags & MSG_EOR, 0);
  std::vector<uint8_t> joined = first.data;
  joined.insert(joined.end(), second.data.begin(), second.data.end());
  joined.insert(joined.end(), rest.data.begin(), rest.data.end());
  EXPECT_EQ(joined, message);
  // Nothing left.
  RecvResult none = Recv(p.server);
  EXPECT_EQ(none.n, -1);
  EXPECT_EQ(none.error, EWOULDBLOCK);
}

TEST_F(UsrsctpApiTest, NonBlockingRecvvWithNothingQueued) {
  Pair p;
  ASSERT_TRUE(Connect(&p));
  for (Socket* so : {p.client, p.server}) {
    RecvResult r = Recv(so);
    EXPECT_EQ(r.n, -1);
    EXPECT_EQ(r.error, EWOULDBLOCK);
  }
}

TEST_F(UsrsctpApiTest, RecvvDeliversSubscribedNotifications) {
  Pair p;
  PairConfig config;
  config.configure_client = [](Socket* so) { EXPECT_EQ(Subscribe(so, SCTP_ASSOC_CHANGE), 0); };
  ASSERT_TRUE(Connect(&p, config));
  RecvResult r = Recv(p.client);
  ASSERT_GT(r.n, 0) << "errno " << r.error;
  EXPECT_NE(r.flags & MSG_NOTIFICATION, 0);
  EXPECT_NE(r.flags & MSG_EOR, 0);
  EXPECT_EQ(r.infotype, 0xDEADu);  // usrsctp.md §2.4: left untouched for notifications
  ASSERT_GE(r.data.size(), sizeof(struct sctp_assoc_change));
  struct sctp_assoc_change sac;
  std::memcpy(&sac, r.data.data(), sizeof(sac));
  EXPECT_EQ(sac.sac_type, SCTP_ASSOC_CHANGE);
  EXPECT_EQ(sac.sac_state, SCTP_COMM_UP);
  EXPECT_EQ(sac.sac_length, r.data.size());
  // The server did not subscribe: nothing to read there.
  RecvResult none = Recv(p.server);
  EXPECT_EQ(none.n, -1);
  EXPECT_EQ(none.error, EWOULDBLOCK);
}

TEST_F(UsrsctpApiTest, RecvvReturnsZeroAfterPeerShutdown) {
  Pair p;
  ASSERT_TRUE(Connect(&p));
  ASSERT_EQ(SendSndinfo(p.server, Bytes("last"), 0, 0), 4);
  Close(p.server);
  std::vector<uint8_t> got;
  RecvResult r;
  ASSERT_TRUE(PumpUntil([&] {
    r = Recv(p.client);
    if (r.n > 0) got.insert(got.end(), r.data.begin(), r.data.end());
    return r.n == 0;
  })) << "last recvv "
      << r.n << " errno " << r.error;
  EXPECT_EQ(got, Bytes("last"));  // data sent before the close is still delivered
  EXPECT_NE(usrsctp_get_events(p.client) & SCTP_EVENT_READ, 0);  // readable: recvv returns 0
  EXPECT_EQ(Recv(p.client).n, 0);
}

// RFC 6458 §5.3.5: rcv_ssn is the message's stream sequence number and rcv_tsn its TSN.
TEST_F(UsrsctpApiTest, RcvinfoCarriesSsnAndTsn) {
  Pair p;
  PairConfig config;
  config.configure_listener = [](Socket* so) {
    EXPECT_EQ(SetInt(so, IPPROTO_SCTP, SCTP_RECVRCVINFO, 1), 0);
  };
  ASSERT_TRUE(Connect(&p, config));
  ASSERT_EQ(SendSndinfo(p.client, Bytes("first"), 1, 0), 5);
  ASSERT_EQ(SendSndinfo(p.client, Bytes("second"), 1, 0), 6);
  std::vector<RecvResult> got;
  ASSERT_TRUE(PumpUntil([&] {
    for (auto& r : DrainData(p.server))
      got.push_back(std::move(r));
    return got.size() >= 2;
  }));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].data, Bytes("first"));
  EXPECT_EQ(got[0].rcv.rcv_ssn, 0);
  EXPECT_EQ(got[1].rcv.rcv_ssn, 1);
  EXPECT_EQ(got[1].rcv.rcv_tsn, got[0].rcv.rcv_tsn + 1);  // one DATA chunk each
}

// ---------------------------------------------------------------------------------------------
// Receive-callback mode

TEST_F(UsrsctpApiTest, ReceiveCallbackGetsMallocedDataEorAndRcvinfo) {
  Recorder server;
  Pair p;
  PairConfig config;
  config.server_recorder = &server;
  ASSERT_TRUE(Connect(&p, config));
  const std::vector<uint8_t> message = Bytes("hello callback");
  ASSERT_EQ(SendSndinfo(p.client, message, 4, 0x0A0B0C0D), static_cast<ssize_t>(message.size()));
  ASSERT_TRUE(PumpUntil([&] { return !server.DataCalls().empty(); }));
  const Call c = server.DataCalls()[0];
  EXPECT_EQ(c.so, p.server);
  EXPECT_EQ(c.datalen, message.size());
  EXPECT_EQ(c.data, message);
  EXPECT_GE(c.usable, message.size());  // really a malloc() block (and free() took it)
  EXPECT_NE(c.flags & MSG_EOR, 0);
  EXPECT_EQ(c.flags & MSG_NOTIFICATION, 0);
  EXPECT_EQ(c.rcv.rcv_sid, 4);
  EXPECT_EQ(c.rcv.rcv_ppid, htonl(0x0A0B0C0D));
  EXPECT_EQ(c.rcv.rcv_flags & SCTP_UNORDERED, 0);
  struct sctp_status status;
  ASSERT_TRUE(GetStatus(p.server, &status));
  EXPECT_EQ(c.rcv.rcv_assoc_id, status.sstat_assoc_id);
  EXPECT_EQ(c.addr.sconn.sconn_family, AF_CONN);
  EXPECT_EQ(c.addr.sconn.sconn_addr, &g_server_link);
  EXPECT_EQ(ntohs(c.addr.sconn.sconn_port), kClientPort);
  // The callback consumed the message: recvv has nothing.
  RecvResult none = Recv(p.server);
  EXPECT_EQ(none.n, -1);
}

TEST_F(UsrsctpApiTest, ReceiveCallbackGetsSubscribedNotificationsOnly) {
  Recorder client;
  Recorder server;
  Pair p;
  PairConfig config;
  config.client_recorder = &client;
  config.server_recorder = &server;
  config.configure_client = [](Socket* so) { EXPECT_EQ(Subscribe(so, SCTP_ASSOC_CHANGE), 0); };
  ASSERT_TRUE(Connect(&p, config));
  ASSERT_TRUE(PumpUntil([&] { return !client.Notifications().empty(); }));
  const Call n = client.Notifications()[0];
  EXPECT_EQ(n.so, p.client);
  EXPECT_NE(n.flags & MSG_NOTIFICATION, 0);
  EXPECT_NE(n.flags & MSG_EOR, 0);
  EXPECT_GE(n.usable, n.datalen);
  ASSERT_GE(n.data.size(), sizeof(struct sctp_assoc_change));
  struct sctp_assoc_change sac;
  std::memcpy(&sac, n.data.data(), sizeof(sac));
  EXPECT_EQ(sac.sac_type, SCTP_ASSOC_CHANGE);
  EXPECT_EQ(sac.sac_state, SCTP_COMM_UP);
  EXPECT_EQ(sac.sac_outbound_streams, 10);  // usrsctp's default, accepted by the server
  EXPECT_EQ(sac.sac_inbound_streams, 10);

  // Traffic both ways; the unsubscribed server sees data but no notification.
  ASSERT_EQ(SendSndinfo(p.client, Bytes("ping"), 0, 0), 4);
  ASSERT_TRUE(PumpUntil([&] { return !server.DataCalls().empty(); }));
  ASSERT_EQ(SendSndinfo(p.server, Bytes("pong"), 0, 0), 4);
  ASSERT_TRUE(PumpUntil([&] { return !client.DataCalls().empty(); }));
  EXPECT_EQ(client.Messages(), std::vector<std::vector<uint8_t>>{Bytes("pong")});
  EXPECT_TRUE(server.Notifications().empty());
  EXPECT_EQ(client.Notifications().size(), 1u);
}

TEST_F(UsrsctpApiTest, ReceiveCallbackGetsNullDataAfterPeerClose) {
  Recorder client;
  Recorder server;
  Pair p;
  PairConfig config;
  config.client_recorder = &client;
  config.server_recorder = &server;
  ASSERT_TRUE(Connect(&p, config));
  EXPECT_FALSE(client.SawNullData());
  Close(p.server);
  ASSERT_TRUE(PumpUntil([&] { return client.SawNullData(); }));
  for (const Call& c : client.Calls()) {
    if (c.has_data) continue;
    EXPECT_EQ(c.so, p.client);
    EXPECT_EQ(c.datalen, 0u);
  }
  EXPECT_TRUE(client.Notifications().empty());  // nothing subscribed
}

// ---------------------------------------------------------------------------------------------
// Upcall API

TEST_F(UsrsctpApiTest, UpcallAndGetEvents) {
  UpcallLog log;
  Pair p;
  PairConfig config;
  config.configure_client = [&](Socket* so) {
    EXPECT_EQ(usrsctp_set_upcall(so, CountingUpcall, &log), 0);
  };
  ASSERT_TRUE(Connect(&p, config));
  EXPECT_GT(log.Calls(), 0);  // connection established
  EXPECT_EQ(log.last_socket, p.client);
  int events = usrsctp_get_events(p.client);
  EXPECT_NE(events & SCTP_EVENT_WRITE, 0);
  EXPECT_EQ(events & SCTP_EVENT_READ, 0);

  const int before = log.Calls();
  ASSERT_EQ(SendSndinfo(p.server, Bytes("wake up"), 0, 0), 7);
  ASSERT_TRUE(PumpUntil([&] { return (usrsctp_get_events(p.client) & SCTP_EVENT_READ) != 0; }));
  EXPECT_GT(log.Calls(), before);
  EXPECT_EQ(log.last_socket, p.client);
  RecvResult r = Recv(p.client);
  EXPECT_EQ(r.data, Bytes("wake up"));
  events = usrsctp_get_events(p.client);
  EXPECT_EQ(events & SCTP_EVENT_READ, 0);
  EXPECT_NE(events & SCTP_EVENT_WRITE, 0);
}

// ---------------------------------------------------------------------------------------------
// Message properties and sizes

TEST_F(UsrsctpApiTest, UnorderedFlagArrives) {
  Pair p;
  PairConfig config;
  config.configure_listener = [](Socket* so) {
    EXPECT_EQ(SetInt(so, IPPROTO_SCTP, SCTP_RECVRCVINFO, 1), 0);
  };
  ASSERT_TRUE(Connect(&p, config));
  ASSERT_EQ(SendSndinfo(p.client, Bytes("ordered"), 2, 1), 7);
  ASSERT_EQ(SendSndinfo(p.client, Bytes("unordered"), 2, 1, SCTP_UNORDERED), 9);
  std::vector<RecvResult> got;
  ASSERT_TRUE(PumpUntil([&] {
    for (auto& r : DrainData(p.server))
      got.push_back(std::move(r));
    return got.size() >= 2;
  }));
  ASSERT_EQ(got.size(), 2u);
  for (const RecvResult& r : got) {
    ASSERT_EQ(r.infotype, static_cast<unsigned int>(SCTP_RECVV_RCVINFO));
    EXPECT_EQ(r.rcv.rcv_sid, 2);
    if (r.data == Bytes("unordered")) {
      EXPECT_NE(r.rcv.rcv_flags & SCTP_UNORDERED, 0);
    } else {
      EXPECT_EQ(r.data, Bytes("ordered"));
      EXPECT_EQ(r.rcv.rcv_flags & SCTP_UNORDERED, 0);
    }
  }
}

constexpr size_t kMiB = 1024 * 1024;

TEST_F(UsrsctpApiTest, OneMebibyteMessageArrivesIntactWithRecvv) {
  Pair p;
  PairConfig config;
  config.configure_client = [](Socket* so) {
    EXPECT_EQ(SetInt(so, SOL_SOCKET, SO_SNDBUF, static_cast<int>(2 * kMiB)), 0);
  };
  ASSERT_TRUE(Connect(&p, config));
  const std::vector<uint8_t> message = Pattern(kMiB, 7);
  ASSERT_EQ(SendSndinfo(p.client, message, 1, 99), static_cast<ssize_t>(kMiB));
  std::vector<std::vector<uint8_t>> messages;
  std::vector<uint8_t> current;
  ASSERT_TRUE(PumpUntil(
      [&] {
        for (const RecvResult& r : DrainData(p.server)) {
          current.insert(current.end(), r.data.begin(), r.data.end());
          if ((r.flags & MSG_EOR) != 0) {
            messages.push_back(std::move(current));
            current.clear();
          }
        }
        return !messages.empty();
      },
      30000ms));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].size(), kMiB);
  EXPECT_TRUE(messages[0] == message);
  EXPECT_TRUE(current.empty());
}

TEST_F(UsrsctpApiTest, OneMebibyteMessageArrivesIntactWithCallback) {
  Recorder server;
  Pair p;
  PairConfig config;
  config.server_recorder = &server;
  config.configure_client = [](Socket* so) {
    EXPECT_EQ(SetInt(so, SOL_SOCKET, SO_SNDBUF, static_cast<int>(2 * kMiB)), 0);
  };
  ASSERT_TRUE(Connect(&p, config));
  const std::vector<uint8_t> message = Pattern(kMiB, 11);
  ASSERT_EQ(SendSndinfo(p.client, message, 5, 50), static_cast<ssize_t>(kMiB));
  ASSERT_TRUE(PumpUntil([&] { return !server.Messages().empty(); }, 30000ms));
  const auto messages = server.Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].size(), kMiB);
  EXPECT_TRUE(messages[0] == message);
  for (const Call& c : server.DataCalls()) {
    EXPECT_EQ(c.rcv.rcv_sid, 5);
    EXPECT_EQ(c.rcv.rcv_ppid, htonl(50));
  }
}

// SCTP_EXPLICIT_EOR (libdatachannel sets it): a message ends with the sendv that carries
// SCTP_EOR; the sendv calls before it add to the same message.
TEST_F(UsrsctpApiTest, ExplicitEorJoinsSendsUntilSctpEor) {
  Pair p;
  PairConfig config;
  config.configure_client = [](Socket* so) {
    EXPECT_EQ(SetInt(so, IPPROTO_SCTP, SCTP_EXPLICIT_EOR, 1), 0);
  };
  config.configure_listener = [](Socket* so) {
    EXPECT_EQ(SetInt(so, IPPROTO_SCTP, SCTP_RECVRCVINFO, 1), 0);
  };
  ASSERT_TRUE(Connect(&p, config));
  int on = 0;
  EXPECT_EQ(GetInt(p.client, IPPROTO_SCTP, SCTP_EXPLICIT_EOR, &on), 0);
  EXPECT_NE(on, 0);
  ASSERT_EQ(SendSndinfo(p.client, Bytes("ab"), 1, 9), 2);
  ASSERT_EQ(SendSndinfo(p.client, Bytes("cd"), 1, 9, SCTP_EOR), 2);
  ASSERT_EQ(SendSndinfo(p.client, Bytes("ef"), 1, 9, SCTP_EOR), 2);
  std::vector<std::vector<uint8_t>> messages;
  std::vector<uint8_t> current;
  ASSERT_TRUE(PumpUntil([&] {
    for (const RecvResult& r : DrainData(p.server)) {
      current.insert(current.end(), r.data.begin(), r.data.end());
      if ((r.flags & MSG_EOR) != 0) {
        messages.push_back(std::move(current));
        current.clear();
      }
    }
    return messages.size() >= 2;
  }));
  EXPECT_EQ(messages, (std::vector<std::vector<uint8_t>>{Bytes("abcd"), Bytes("ef")}));
}

// SCTP_EOF in snd_flags: the data is sent, then the association shuts down gracefully.
TEST_F(UsrsctpApiTest, SendvWithEofSendsTheDataThenShutsDown) {
  Recorder server;
  Pair p;
  PairConfig config;
  config.server_recorder = &server;
  config.configure_listener = [](Socket* so) { EXPECT_EQ(Subscribe(so, SCTP_ASSOC_CHANGE), 0); };
  ASSERT_TRUE(Connect(&p, config));
  EXPECT_EQ(SendSndinfo(p.client, Bytes("bye"), 0, 0, SCTP_EOF), 3);
  ASSERT_TRUE(PumpUntil([&] { return server.SawAssocEnd() && server.SawNullData(); }));
  EXPECT_EQ(server.Messages(), std::vector<std::vector<uint8_t>>{Bytes("bye")});
  EXPECT_TRUE(server.SawAssocState(SCTP_SHUTDOWN_COMP));
  EXPECT_NE(State(p.client), SCTP_ESTABLISHED);
}

// ---------------------------------------------------------------------------------------------
// close

TEST_F(UsrsctpApiTest, LingerZeroCloseAbortsAndPeerSeesCommLost) {
  Recorder client;
  Pair p;
  PairConfig config;
  config.client_recorder = &client;
  config.configure_client = [](Socket* so) { EXPECT_EQ(Subscribe(so, SCTP_ASSOC_CHANGE), 0); };
  ASSERT_TRUE(Connect(&p, config));
  struct linger l;
  l.l_onoff = 1;
  l.l_linger = 0;
  ASSERT_EQ(
      usrsctp_setsockopt(p.server, SOL_SOCKET, SO_LINGER, &l, static_cast<socklen_t>(sizeof(l))),
      0);
  const size_t before = WrittenCount();
  Close(p.server);
  ASSERT_TRUE(PumpUntil([&] { return client.SawAssocEnd(); }));
  EXPECT_TRUE(client.SawAssocState(SCTP_COMM_LOST));
  EXPECT_FALSE(client.SawAssocState(SCTP_SHUTDOWN_COMP));
  // The server sent an ABORT, no SHUTDOWN.
  const std::vector<Packet> written = Written();
  bool abort = false;
  for (size_t i = before; i < written.size(); ++i) {
    if (written[i].link != &g_server_link) continue;
    abort = abort || ContainsChunk(written[i], 6);
    EXPECT_FALSE(ContainsChunk(written[i], 7)) << "SHUTDOWN after SO_LINGER {1, 0}";
  }
  EXPECT_TRUE(abort);
}

TEST_F(UsrsctpApiTest, RecvvAfterPeerAbortIsECONNRESET) {
  Pair p;
  ASSERT_TRUE(Connect(&p));
  struct linger l;
  l.l_onoff = 1;
  l.l_linger = 0;
  ASSERT_EQ(
      usrsctp_setsockopt(p.server, SOL_SOCKET, SO_LINGER, &l, static_cast<socklen_t>(sizeof(l))),
      0);
  Close(p.server);
  RecvResult r;
  ASSERT_TRUE(PumpUntil([&] {
    r = Recv(p.client);
    return !(r.n == -1 && r.error == EWOULDBLOCK);
  }));
  EXPECT_EQ(r.n, -1);
  EXPECT_EQ(r.error, ECONNRESET);
  EXPECT_NE(usrsctp_get_events(p.client) & SCTP_EVENT_READ, 0);
}

TEST_F(UsrsctpApiTest, GracefulClosePeerSeesShutdownComplete) {
  Recorder client;
  Pair p;
  PairConfig config;
  config.client_recorder = &client;
  config.configure_client = [](Socket* so) {
    EXPECT_EQ(Subscribe(so, SCTP_ASSOC_CHANGE), 0);
    EXPECT_EQ(Subscribe(so, SCTP_SHUTDOWN_EVENT), 0);
  };
  ASSERT_TRUE(Connect(&p, config));
  Close(p.server);
  ASSERT_TRUE(PumpUntil([&] { return client.SawAssocEnd() && client.SawNullData(); }));
  EXPECT_TRUE(client.SawAssocState(SCTP_SHUTDOWN_COMP));
  EXPECT_FALSE(client.SawAssocState(SCTP_COMM_LOST));
  bool shutdown_event = false;
  for (const Call& n : client.Notifications()) {
    union sctp_notification notification;
    std::memset(&notification, 0, sizeof(notification));
    std::memcpy(&notification, n.data.data(), std::min(n.data.size(), sizeof(notification)));
    shutdown_event = shutdown_event || notification.sn_header.sn_type == SCTP_SHUTDOWN_EVENT;
  }
  EXPECT_TRUE(shutdown_event);
}

// usrsctp.md §11 (#405, #15): after usrsctp_close returns, no callback runs for that socket,
// although the peer still sends data and the association still closes.
TEST_F(UsrsctpApiTest, NoReceiveCallbackAfterClose) {
  Recorder client;
  Recorder server;
  Pair p;
  PairConfig config;
  config.client_recorder = &client;
  config.server_recorder = &server;
  config.configure_client = [](Socket* so) { EXPECT_EQ(Subscribe(so, SCTP_ASSOC_CHANGE), 0); };
  config.configure_listener = [](Socket* so) {
    EXPECT_EQ(Subscribe(so, SCTP_ASSOC_CHANGE), 0);
    EXPECT_EQ(Subscribe(so, SCTP_SHUTDOWN_EVENT), 0);
  };
  ASSERT_TRUE(Connect(&p, config));
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(SendSndinfo(p.client, Bytes("late"), 0, 0), 4);  // still queued below
  const size_t before = server.Count();
  Close(p.server);
  ASSERT_TRUE(PumpUntil([&] { return client.SawAssocEnd(); }));
  PumpFor(100ms);
  EXPECT_EQ(server.Count(), before);
  for (const Call& c : server.Calls())
    EXPECT_NE(c.so, nullptr);
}

TEST_F(UsrsctpApiTest, NoUpcallAfterClose) {
  Recorder client;
  UpcallLog log;
  Pair p;
  PairConfig config;
  config.client_recorder = &client;
  config.configure_client = [](Socket* so) { EXPECT_EQ(Subscribe(so, SCTP_ASSOC_CHANGE), 0); };
  ASSERT_TRUE(Connect(&p, config));
  ASSERT_EQ(usrsctp_set_upcall(p.server, CountingUpcall, &log), 0);
  ASSERT_EQ(SendSndinfo(p.client, Bytes("first"), 0, 0), 5);
  ASSERT_TRUE(PumpUntil([&] { return log.Calls() > 0; }));  // the upcall works
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(SendSndinfo(p.client, Bytes("late"), 0, 0), 4);
  const int before = log.Calls();
  Close(p.server);
  ASSERT_TRUE(PumpUntil([&] { return client.SawAssocEnd(); }));
  PumpFor(100ms);
  EXPECT_EQ(log.Calls(), before);
}

// ---------------------------------------------------------------------------------------------
// Socket options

TEST_F(UsrsctpApiTest, StatusReportsEstablishedAndStreams) {
  Pair p;
  PairConfig config;
  config.configure_client = [](Socket* so) {
    struct sctp_initmsg init;
    std::memset(&init, 0, sizeof(init));
    init.sinit_num_ostreams = 5;
    init.sinit_max_instreams = 7;
    EXPECT_EQ(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_INITMSG, &init,
                                 static_cast<socklen_t>(sizeof(init))),
              0);
  };
  ASSERT_TRUE(Connect(&p, config));
  struct sctp_status client;
  struct sctp_status server;
  ASSERT_TRUE(GetStatus(p.client, &client));
  ASSERT_TRUE(GetStatus(p.server, &server));
  EXPECT_EQ(client.sstat_state, SCTP_ESTABLISHED);
  EXPECT_EQ(server.sstat_state, SCTP_ESTABLISHED);
  EXPECT_EQ(client.sstat_outstrms, 5);  // the server accepts up to 2048
  EXPECT_EQ(client.sstat_instrms, 7);   // the server offers 10, the client takes 7
  EXPECT_EQ(server.sstat_outstrms, 7);
  EXPECT_EQ(server.sstat_instrms, 5);
  EXPECT_GT(client.sstat_rwnd, 0u);
  EXPECT_GT(server.sstat_rwnd, 0u);
  EXPECT_GT(client.sstat_primary.spinfo_mtu, 0u);
}

TEST_F(UsrsctpApiTest, BufferSizesRoundTrip) {
  Socket* so = NewSocket();
  ASSERT_NE(so, nullptr);
  EXPECT_EQ(SetInt(so, SOL_SOCKET, SO_RCVBUF, 65536), 0);
  EXPECT_EQ(SetInt(so, SOL_SOCKET, SO_SNDBUF, 98304), 0);
  int value = 0;
  EXPECT_EQ(GetInt(so, SOL_SOCKET, SO_RCVBUF, &value), 0);
  EXPECT_EQ(value, 65536);
  EXPECT_EQ(GetInt(so, SOL_SOCKET, SO_SNDBUF, &value), 0);
  EXPECT_EQ(value, 98304);
  EXPECT_EQ(SetInt(so, SOL_SOCKET, SO_RCVBUF, 200000), 0);
  EXPECT_EQ(GetInt(so, SOL_SOCKET, SO_RCVBUF, &value), 0);
  EXPECT_EQ(value, 200000);
}

TEST_F(UsrsctpApiTest, NodelayRoundTrip) {
  Socket* so = NewSocket();
  ASSERT_NE(so, nullptr);
  int value = -1;
  EXPECT_EQ(GetInt(so, IPPROTO_SCTP, SCTP_NODELAY, &value), 0);
  EXPECT_EQ(value, 0);
  EXPECT_EQ(SetInt(so, IPPROTO_SCTP, SCTP_NODELAY, 1), 0);
  EXPECT_EQ(GetInt(so, IPPROTO_SCTP, SCTP_NODELAY, &value), 0);
  EXPECT_NE(value, 0);
  EXPECT_EQ(SetInt(so, IPPROTO_SCTP, SCTP_NODELAY, 0), 0);
  EXPECT_EQ(GetInt(so, IPPROTO_SCTP, SCTP_NODELAY, &value), 0);
  EXPECT_EQ(value, 0);
}

TEST_F(UsrsctpApiTest, UnknownOptionAndLevelAreENOPROTOOPT) {
  Socket* so = NewSocket();
  ASSERT_NE(so, nullptr);
  int value = 1;
  errno = 0;
  EXPECT_EQ(SetInt(so, IPPROTO_SCTP, 0x7777, 1), -1);
  EXPECT_EQ(errno, ENOPROTOOPT);
  errno = 0;
  EXPECT_EQ(GetInt(so, IPPROTO_SCTP, 0x7777, &value), -1);
  EXPECT_EQ(errno, ENOPROTOOPT);
  errno = 0;
  EXPECT_EQ(SetInt(so, 0x1234, SCTP_NODELAY, 1), -1);
  EXPECT_EQ(errno, ENOPROTOOPT);
  errno = 0;
  EXPECT_EQ(GetInt(so, 0x1234, SCTP_NODELAY, &value), -1);
  EXPECT_EQ(errno, ENOPROTOOPT);
  // SOL_SOCKET knows only a few options; the rest are EINVAL (usrsctp.md §2.3).
  errno = 0;
  EXPECT_EQ(SetInt(so, SOL_SOCKET, SO_KEEPALIVE, 1), -1);
  EXPECT_EQ(errno, EINVAL);
}

// ---------------------------------------------------------------------------------------------
// Address queries

void ExpectOneConnAddress(Socket* so, bool peer, void* link, uint16_t port) {
  struct sockaddr* addrs = nullptr;
  const int n = peer ? usrsctp_getpaddrs(so, 0, &addrs) : usrsctp_getladdrs(so, 0, &addrs);
  ASSERT_EQ(n, 1) << (peer ? "getpaddrs" : "getladdrs") << " errno " << errno;
  ASSERT_NE(addrs, nullptr);
  struct sockaddr_conn sconn;
  std::memcpy(&sconn, addrs, sizeof(sconn));
  EXPECT_EQ(sconn.sconn_family, AF_CONN);
  EXPECT_EQ(sconn.sconn_addr, link);
  EXPECT_EQ(ntohs(sconn.sconn_port), port);
  if (peer) {
    usrsctp_freepaddrs(addrs);
  } else {
    usrsctp_freeladdrs(addrs);
  }
}

TEST_F(UsrsctpApiTest, GetpaddrsAndGetladdrsReturnConnAddresses) {
  Pair p;
  ASSERT_TRUE(Connect(&p));
  {
    SCOPED_TRACE("client");
    ExpectOneConnAddress(p.client, /*peer=*/true, &g_client_link, kServerPort);
    ExpectOneConnAddress(p.client, /*peer=*/false, &g_client_link, kClientPort);
  }
  {
    SCOPED_TRACE("server");
    ExpectOneConnAddress(p.server, /*peer=*/true, &g_server_link, kClientPort);
    ExpectOneConnAddress(p.server, /*peer=*/false, &g_server_link, kServerPort);
  }
}

// ---------------------------------------------------------------------------------------------
// CRC32c

TEST_F(UsrsctpApiTest, Crc32cOfAKnownPacketIsStoredAtOffset8AsIs) {
  std::vector<uint8_t> packet = KnownInitPacket();
  ASSERT_EQ(packet.size(), 44u);
  const uint32_t crc = usrsctp_crc32c(packet.data(), packet.size());
  std::memcpy(packet.data() + 8, &crc, 4);
  EXPECT_EQ(packet[8], 0x7e);
  EXPECT_EQ(packet[9], 0xc1);
  EXPECT_EQ(packet[10], 0x86);
  EXPECT_EQ(packet[11], 0xbe);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  EXPECT_EQ(crc, 0xBE86C17Eu);
#endif
}

TEST_F(UsrsctpApiTest, OutgoingPacketsCarryTheirCrc32c) {
  Pair p;
  ASSERT_TRUE(Connect(&p));
  ASSERT_EQ(SendSndinfo(p.client, Bytes("checksummed"), 0, 0), 11);
  PumpFor(20ms);
  const std::vector<Packet> written = Written();
  ASSERT_GE(written.size(), 4u);
  for (const Packet& packet : written) {
    std::vector<uint8_t> copy = packet.bytes;
    std::memset(copy.data() + 8, 0, 4);
    const uint32_t crc = usrsctp_crc32c(copy.data(), copy.size());
    EXPECT_EQ(std::memcmp(&crc, packet.bytes.data() + 8, 4), 0)
        << "chunk type " << FirstChunkType(packet);
  }
}

TEST_F(UsrsctpApiTest, BadChecksumIsDroppedWithoutOffload) {
  Socket* listener = NewSocket();
  Socket* client = NewSocket();
  ASSERT_TRUE(listener && client);
  ASSERT_EQ(Bind(listener, &g_server_link, kServerPort), 0);
  ASSERT_EQ(usrsctp_listen(listener, 1), 0);
  ASSERT_EQ(usrsctp_set_non_blocking(listener, 1), 0);
  ASSERT_EQ(Bind(client, &g_client_link, kClientPort), 0);
  ASSERT_EQ(usrsctp_set_non_blocking(client, 1), 0);
  struct sockaddr_conn peer = ConnAddress(&g_client_link, kServerPort);
  ASSERT_EQ(usrsctp_connect(client, reinterpret_cast<struct sockaddr*>(&peer),
                            static_cast<socklen_t>(sizeof(peer))),
            -1);
  std::deque<Packet> init = TakeQueued();
  ASSERT_EQ(init.size(), 1u);
  ASSERT_EQ(FirstChunkType(init[0]), 1);

  struct sctpstat before;
  usrsctp_get_stat(&before);
  Packet zeroed = init[0];
  std::memset(zeroed.bytes.data() + 8, 0, 4);
  Deliver(zeroed);
  usrsctp_handle_timers(10);
  EXPECT_TRUE(TakeQueued().empty()) << "a zero-checksum INIT was answered without offload";
  struct sctpstat after;
  usrsctp_get_stat(&after);
  EXPECT_EQ(after.sctps_badsum, before.sctps_badsum + 1);

  Deliver(init[0]);  // the intact INIT is answered with an INIT ACK
  std::deque<Packet> reply = TakeQueued();
  ASSERT_EQ(reply.size(), 1u);
  EXPECT_EQ(FirstChunkType(reply[0]), 2);
  for (const Packet& r : reply)
    Deliver(r);
  Socket* server = nullptr;
  ASSERT_TRUE(PumpUntil([&] {
    if (server == nullptr) server = Track(usrsctp_accept(listener, nullptr, nullptr));
    return server != nullptr && State(client) == SCTP_ESTABLISHED;
  }));
}

TEST_F(UsrsctpApiTest, Crc32cOffloadSendsAndAcceptsZeroChecksums) {
  usrsctp_enable_crc32c_offload();
  Recorder server;
  Pair p;
  PairConfig config;
  config.server_recorder = &server;
  ASSERT_TRUE(Connect(&p, config));  // every packet below carried checksum 0 and was accepted
  ASSERT_EQ(SendSndinfo(p.client, Bytes("no crc"), 0, 0), 6);
  ASSERT_TRUE(PumpUntil([&] { return !server.Messages().empty(); }));
  EXPECT_EQ(server.Messages()[0], Bytes("no crc"));
  const std::vector<Packet> written = Written();
  ASSERT_GE(written.size(), 5u);
  for (const Packet& packet : written) {
    EXPECT_EQ(packet.bytes[8] | packet.bytes[9] | packet.bytes[10] | packet.bytes[11], 0)
        << "chunk type " << FirstChunkType(packet);
  }
  // Back to normal: checksums are computed again.
  usrsctp_disable_crc32c_offload();
  const size_t from = WrittenCount();
  ASSERT_EQ(SendSndinfo(p.client, Bytes("crc again"), 0, 0), 9);
  ASSERT_TRUE(PumpUntil([&] { return server.Messages().size() >= 2; }));
  const std::vector<Packet> later = Written();
  ASSERT_GT(later.size(), from);
  for (size_t i = from; i < later.size(); ++i) {
    std::vector<uint8_t> copy = later[i].bytes;
    std::memset(copy.data() + 8, 0, 4);
    const uint32_t crc = usrsctp_crc32c(copy.data(), copy.size());
    EXPECT_EQ(std::memcmp(&crc, later[i].bytes.data() + 8, 4), 0);
  }
}

// ---------------------------------------------------------------------------------------------
// Debug / statistics

TEST_F(UsrsctpApiTest, DumppacketIsText2pcapInput) {
  std::vector<uint8_t> packet = KnownInitPacket();
  char* out = usrsctp_dumppacket(packet.data(), packet.size(), SCTP_DUMP_OUTBOUND);
  ASSERT_NE(out, nullptr);
  const std::string text(out);
  usrsctp_freedumpbuffer(out);
  const std::regex format(
      "\nO ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\\.[0-9]{6} 0000 ((?:[0-9a-f]{2} ){44})"
      "# SCTP_PACKET\n");
  std::smatch match;
  ASSERT_TRUE(std::regex_match(text, match, format)) << "[" << text << "]";
  EXPECT_EQ(match[2].str(),
            "13 88 13 89 00 00 00 00 00 00 00 00 01 00 00 20 12 34 56 78 00 02 00 00 "
            "00 0a ff ff a1 b2 c3 d4 00 0c 00 08 00 05 00 06 c0 00 00 04 ");

  char* in = usrsctp_dumppacket(packet.data(), 4, SCTP_DUMP_INBOUND);
  ASSERT_NE(in, nullptr);
  const std::string inbound(in);
  usrsctp_freedumpbuffer(in);
  EXPECT_TRUE(
      std::regex_match(inbound, std::regex("\nI [0-9:.]{15} 0000 13 88 13 89 # SCTP_PACKET\n")))
      << "[" << inbound << "]";

  EXPECT_EQ(usrsctp_dumppacket(nullptr, 10, SCTP_DUMP_OUTBOUND), nullptr);
  EXPECT_EQ(usrsctp_dumppacket(packet.data(), 0, SCTP_DUMP_OUTBOUND), nullptr);
}

TEST_F(UsrsctpApiTest, GetStatCountsPackets) {
  struct sctpstat before;
  usrsctp_get_stat(&before);
  Pair p;
  ASSERT_TRUE(Connect(&p));
  ASSERT_EQ(SendSndinfo(p.client, Bytes("count me"), 0, 0), 8);
  std::vector<RecvResult> got;
  ASSERT_TRUE(PumpUntil([&] {
    for (auto& r : DrainData(p.server))
      got.push_back(std::move(r));
    return !got.empty();
  }));
  PumpFor(20ms);
  struct sctpstat after;
  usrsctp_get_stat(&after);
  EXPECT_GE(g_delivered, 4u);
  // Every packet given to usrsctp_conninput is an input packet.
  EXPECT_EQ(after.sctps_inpackets - before.sctps_inpackets, g_delivered);
  EXPECT_EQ(after.sctps_recvpackets - before.sctps_recvpackets, g_delivered);
  // usrsctp counts AF_CONN output by how its checksum was made (sctps_outpackets stays 0 on
  // Debian's 0.9.5.0 for AF_CONN, so it is not checked).
  EXPECT_EQ((after.sctps_sendswcrc + after.sctps_sendhwcrc) -
                (before.sctps_sendswcrc + before.sctps_sendhwcrc),
            WrittenCount());
  EXPECT_EQ(after.sctps_badsum, before.sctps_badsum);
  EXPECT_EQ(after.sctps_currestab, 2u);  // both ends of the association, in one stack
}

// ---------------------------------------------------------------------------------------------
// Sysctls

TEST_F(UsrsctpApiTest, SysctlsShapeTheNextAssociation) {
  // Defaults first.
  Pair first;
  ASSERT_TRUE(Connect(&first));
  struct sctp_status status;
  ASSERT_TRUE(GetStatus(first.client, &status));
  EXPECT_GT(status.sstat_rwnd, 16384u);
  EXPECT_EQ(status.sstat_outstrms, 10);

  EXPECT_EQ(usrsctp_sysctl_set_sctp_recvspace(16384), 0);
  EXPECT_EQ(usrsctp_sysctl_get_sctp_recvspace(), 16384u);
  EXPECT_EQ(usrsctp_sysctl_set_sctp_nr_outgoing_streams_default(3), 0);
  EXPECT_EQ(usrsctp_sysctl_set_sctp_rto_min_default(700), 0);
  EXPECT_EQ(usrsctp_sysctl_set_sctp_rto_initial_default(700), 0);

  Pair second;
  PairConfig config;
  config.client_port = 6001;
  config.server_port = 6002;
  ASSERT_TRUE(Connect(&second, config));
  ASSERT_TRUE(GetStatus(second.client, &status));
  EXPECT_LE(status.sstat_rwnd, 16384u);  // the server's window, from sctp_recvspace
  EXPECT_GT(status.sstat_rwnd, 0u);
  EXPECT_EQ(status.sstat_outstrms, 3);
  // An RTT measurement on a fast link gives RTO.Min; before one it is RTO.Initial: 700 both.
  ASSERT_EQ(SendSndinfo(second.client, Bytes("rtt"), 0, 0), 3);
  PumpFor(50ms);
  ASSERT_TRUE(GetStatus(second.client, &status));
  EXPECT_EQ(status.sstat_primary.spinfo_rto, 700u);

  // The first association keeps what it was created with.
  ASSERT_TRUE(GetStatus(first.client, &status));
  EXPECT_EQ(status.sstat_outstrms, 10);
}

}  // namespace

namespace {

std::atomic<int> g_send_cb_calls{0};
std::atomic<uint32_t> g_send_cb_free{0};

int CountingSendCallback(Socket* /*so*/, uint32_t sb_free, void* /*ulp_info*/) {
  ++g_send_cb_calls;
  g_send_cb_free = sb_free;
  return 0;
}

// usrsctp.md §3: send_cb runs after SACK processing when the free send space is at least the
// socket's threshold — how Firefox paces its data channels.
TEST_F(UsrsctpApiTest, SendCallbackReportsFreedSendSpace) {
  constexpr uint32_t kThreshold = 32 * 1024;
  Recorder client_recorder;
  Socket* listener = NewSocket();
  ASSERT_NE(listener, nullptr);
  ASSERT_EQ(usrsctp_set_non_blocking(listener, 1), 0);
  ASSERT_EQ(Bind(listener, &g_server_link, kServerPort), 0);
  ASSERT_EQ(usrsctp_listen(listener, 1), 0);
  Socket* client = Track(usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, RecordingReceive,
                                        CountingSendCallback, kThreshold, &client_recorder));
  ASSERT_NE(client, nullptr);
  ASSERT_EQ(usrsctp_set_non_blocking(client, 1), 0);
  ASSERT_EQ(SetInt(client, SOL_SOCKET, SO_SNDBUF, 64 * 1024), 0);
  ASSERT_EQ(Bind(client, &g_client_link, kClientPort), 0);
  struct sockaddr_conn peer = ConnAddress(&g_client_link, kServerPort);
  ASSERT_EQ(usrsctp_connect(client, reinterpret_cast<struct sockaddr*>(&peer), sizeof(peer)), -1);
  Socket* server = nullptr;
  ASSERT_TRUE(PumpUntil([&] {
    if (server == nullptr) server = Track(usrsctp_accept(listener, nullptr, nullptr));
    return server != nullptr && State(client) == SCTP_ESTABLISHED;
  }));
  // Fill the send buffer, then let the peer acknowledge.
  const std::vector<uint8_t> message = Pattern(1000, 3);
  int accepted = 0;
  while (accepted < 1000 && usrsctp_sendv(client, message.data(), message.size(), nullptr, 0,
                                          nullptr, 0, SCTP_SENDV_NOINFO, 0) > 0) {
    ++accepted;
  }
  EXPECT_EQ(errno, EWOULDBLOCK);
  EXPECT_LT(accepted, 1000);
  g_send_cb_calls = 0;
  ASSERT_TRUE(PumpUntil([&] {
    DrainData(server);
    return g_send_cb_calls > 0;
  }));
  EXPECT_GE(g_send_cb_free.load(), kThreshold);
}

}  // namespace
