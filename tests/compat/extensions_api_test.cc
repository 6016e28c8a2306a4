// The extensions WebRTC data channels use, through the usrsctp API (RFC 6458 / RFC 6525 /
// RFC 7496 / RFC 8260 socket options and notifications): stream reset, add streams, PR-SCTP
// policies and counters, I-DATA interleaving. Two AF_CONN sockets in one process,
// nothreads mode, packets queued in memory (optionally dropped).
//
// Like api_test.cc, the expectations also hold for the reference: the same source built against
// Debian's usrsctp (compat_extensions_test_on_usrsctp) passes there, so these tests pin down
// usrsctp's observable behaviour — except AssociationResetIsReportedOnBothSides (see
// tests/compat/CMakeLists.txt).
#include <netinet/in.h>
#include <sys/socket.h>

#include <gtest/gtest.h>
#include <usrsctp.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <vector>

// Not in usrsctp 0.9.5.0's header, but handled by its library (and in our header).
#ifndef SCTP_INTERLEAVING_SUPPORTED
#define SCTP_INTERLEAVING_SUPPORTED 0x00001206
#endif

namespace {

using Socket = struct socket;

char g_client_link;
char g_server_link;
constexpr uint16_t kPort = 5001;

struct Packet {
  void* to;
  std::vector<uint8_t> bytes;
};
std::deque<Packet> g_queue;
int g_drop_from_client = 0;  // drop this many of the client's next packets

int ConnOutput(void* addr, void* buffer, size_t length, uint8_t, uint8_t) {
  if (addr == &g_client_link && g_drop_from_client > 0) {
    --g_drop_from_client;
    return 0;
  }
  void* to = addr == &g_client_link ? static_cast<void*>(&g_server_link)
                                    : static_cast<void*>(&g_client_link);
  const auto* b = static_cast<const uint8_t*>(buffer);
  g_queue.push_back(Packet{to, std::vector<uint8_t>(b, b + length)});
  return 0;
}

void PumpOnce() {
  std::deque<Packet> batch;
  batch.swap(g_queue);
  for (const Packet& p : batch)
    usrsctp_conninput(p.to, p.bytes.data(), p.bytes.size(), 0);
  usrsctp_handle_timers(10);
}

bool PumpUntil(const std::function<bool()>& done, int rounds = 3000) {
  for (int i = 0; i < rounds && !done(); ++i)
    PumpOnce();
  return done();
}

struct Received {
  bool notification = false;
  std::vector<uint8_t> data;
  struct sctp_rcvinfo rcv;
};

// Reads everything a socket has (non-blocking recvv), data and notifications.
void Drain(Socket* so, std::vector<Received>* out) {
  for (;;) {
    std::vector<uint8_t> buffer(1 << 20);
    struct sctp_rcvinfo rcv;
    std::memset(&rcv, 0, sizeof(rcv));
    socklen_t infolen = sizeof(rcv);
    unsigned int infotype = 0;
    int flags = 0;
    const ssize_t n = usrsctp_recvv(so, buffer.data(), buffer.size(), nullptr, nullptr, &rcv,
                                    &infolen, &infotype, &flags);
    if (n < 0) return;
    buffer.resize(static_cast<size_t>(n));
    out->push_back(Received{(flags & MSG_NOTIFICATION) != 0, std::move(buffer), rcv});
  }
}

// The stream list that follows a stream reset event (RFC 6458 §6.1.x flexible array).
std::vector<uint16_t> StreamList(const std::vector<Received>& received, size_t index) {
  std::vector<uint16_t> out;
  size_t seen = 0;
  for (const Received& r : received) {
    uint16_t type = 0;
    if (!r.notification || r.data.size() < sizeof(struct sctp_stream_reset_event)) continue;
    std::memcpy(&type, r.data.data(), sizeof(type));
    if (type != SCTP_STREAM_RESET_EVENT || seen++ != index) continue;
    for (size_t at = sizeof(struct sctp_stream_reset_event); at + 2 <= r.data.size(); at += 2) {
      uint16_t sid;
      std::memcpy(&sid, r.data.data() + at, sizeof(sid));
      out.push_back(sid);
    }
  }
  return out;
}

template <typename T>
std::vector<T> Notifications(const std::vector<Received>& received, uint16_t type) {
  std::vector<T> out;
  for (const Received& r : received) {
    uint16_t notification_type = 0;  // every notification starts with its type (RFC 6458 §6.1)
    if (!r.notification || r.data.size() < sizeof(notification_type)) continue;
    std::memcpy(&notification_type, r.data.data(), sizeof(notification_type));
    if (notification_type != type) continue;
    T t;
    std::memset(&t, 0, sizeof(t));
    std::memcpy(&t, r.data.data(), std::min(sizeof(t), r.data.size()));
    out.push_back(t);
  }
  return out;
}

std::vector<Received> DataOnly(const std::vector<Received>& received) {
  std::vector<Received> out;
  for (const Received& r : received) {
    if (!r.notification) out.push_back(r);
  }
  return out;
}

struct sockaddr_conn ConnAddress(void* link) {
  struct sockaddr_conn a;
  std::memset(&a, 0, sizeof(a));
  a.sconn_family = AF_CONN;
  a.sconn_port = htons(kPort);
  a.sconn_addr = link;
  return a;
}

class ExtensionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g_queue.clear();
    g_drop_from_client = 0;
    usrsctp_init_nothreads(0, ConnOutput, nullptr);
    usrsctp_register_address(&g_client_link);
    usrsctp_register_address(&g_server_link);
  }
  void TearDown() override {
    for (Socket* so : {client_, server_, listener_}) {
      if (so != nullptr) usrsctp_close(so);
    }
    for (int i = 0; i < 3000 && usrsctp_finish() != 0; ++i)
      PumpOnce();
  }

  Socket* NewSocket() {
    Socket* so = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, nullptr, nullptr, 0, nullptr);
    EXPECT_NE(so, nullptr);
    usrsctp_set_non_blocking(so, 1);
    const uint16_t events[] = {SCTP_ASSOC_CHANGE, SCTP_STREAM_RESET_EVENT, SCTP_STREAM_CHANGE_EVENT,
                               SCTP_SEND_FAILED_EVENT, SCTP_ASSOC_RESET_EVENT};
    for (uint16_t type : events) {
      struct sctp_event event;
      std::memset(&event, 0, sizeof(event));
      event.se_assoc_id = SCTP_ALL_ASSOC;
      event.se_type = type;
      event.se_on = 1;
      EXPECT_EQ(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_EVENT, &event, sizeof(event)), 0);
    }
    const int on = 1;
    EXPECT_EQ(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on)), 0);
    EXPECT_EQ(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on)), 0);
    return so;
  }

  // `configure` runs on both sockets before the association starts.
  void Connect(const std::function<void(Socket*)>& configure = nullptr) {
    listener_ = NewSocket();
    client_ = NewSocket();
    if (configure) {
      configure(listener_);
      configure(client_);
    }
    struct sockaddr_conn server = ConnAddress(&g_server_link);
    ASSERT_EQ(usrsctp_bind(listener_, reinterpret_cast<struct sockaddr*>(&server), sizeof(server)),
              0);
    ASSERT_EQ(usrsctp_listen(listener_, 1), 0);
    struct sockaddr_conn client = ConnAddress(&g_client_link);
    ASSERT_EQ(usrsctp_bind(client_, reinterpret_cast<struct sockaddr*>(&client), sizeof(client)),
              0);
    struct sockaddr_conn peer = ConnAddress(&g_client_link);
    const int rc =
        usrsctp_connect(client_, reinterpret_cast<struct sockaddr*>(&peer), sizeof(peer));
    ASSERT_TRUE(rc == 0 || errno == EINPROGRESS);
    ASSERT_TRUE(PumpUntil([&] {
      if (server_ == nullptr) server_ = usrsctp_accept(listener_, nullptr, nullptr);
      return server_ != nullptr;
    }));
    usrsctp_set_non_blocking(server_, 1);
    PumpUntil([] { return g_queue.empty(); });
  }

  ssize_t SendOn(Socket* so, uint16_t stream, const std::vector<uint8_t>& data,
                 uint16_t pr_policy = SCTP_PR_SCTP_NONE, uint32_t pr_value = 0) {
    struct sctp_sendv_spa spa;
    std::memset(&spa, 0, sizeof(spa));
    spa.sendv_flags = SCTP_SEND_SNDINFO_VALID;
    spa.sendv_sndinfo.snd_sid = stream;
    spa.sendv_sndinfo.snd_ppid = htonl(51);
    if (pr_policy != SCTP_PR_SCTP_NONE) {
      spa.sendv_flags |= SCTP_SEND_PRINFO_VALID;
      spa.sendv_prinfo.pr_policy = pr_policy;
      spa.sendv_prinfo.pr_value = pr_value;
    }
    return usrsctp_sendv(so, data.data(), data.size(), nullptr, 0, &spa, sizeof(spa),
                         SCTP_SENDV_SPA, 0);
  }

  Socket* listener_ = nullptr;
  Socket* client_ = nullptr;
  Socket* server_ = nullptr;
  std::vector<Received> client_received_;
  std::vector<Received> server_received_;

  void DrainBoth() {
    Drain(client_, &client_received_);
    Drain(server_, &server_received_);
  }
};

void EnableStreamReset(Socket* so) {
  struct sctp_assoc_value v;
  std::memset(&v, 0, sizeof(v));
  v.assoc_id = SCTP_FUTURE_ASSOC;
  v.assoc_value = SCTP_ENABLE_RESET_STREAM_REQ | SCTP_ENABLE_CHANGE_ASSOC_REQ;
  ASSERT_EQ(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET, &v, sizeof(v)), 0);
}

// RFC 6525 §6.3.2 SCTP_RESET_STREAMS, §6.1.1 SCTP_STREAM_RESET_EVENT.
TEST_F(ExtensionsTest, OutgoingStreamResetIsReportedOnBothSidesAndRestartsTheSsn) {
  Connect(EnableStreamReset);
  const std::vector<uint8_t> message(100, 0x42);
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(SendOn(client_, 1, message), 100);
  ASSERT_TRUE(PumpUntil([&] {
    DrainBoth();
    return DataOnly(server_received_).size() == 3;
  }));
  EXPECT_EQ(DataOnly(server_received_)[2].rcv.rcv_ssn, 2);

  std::vector<uint8_t> buffer(sizeof(struct sctp_reset_streams) + sizeof(uint16_t));
  auto* reset = reinterpret_cast<struct sctp_reset_streams*>(buffer.data());
  reset->srs_assoc_id = SCTP_ALL_ASSOC;
  reset->srs_flags = SCTP_STREAM_RESET_OUTGOING;
  reset->srs_number_streams = 1;
  reset->srs_stream_list[0] = 1;
  ASSERT_EQ(usrsctp_setsockopt(client_, IPPROTO_SCTP, SCTP_RESET_STREAMS, buffer.data(),
                               static_cast<socklen_t>(buffer.size())),
            0);
  ASSERT_TRUE(PumpUntil([&] {
    DrainBoth();
    return !Notifications<struct sctp_stream_reset_event>(client_received_, SCTP_STREAM_RESET_EVENT)
                .empty() &&
           !Notifications<struct sctp_stream_reset_event>(server_received_, SCTP_STREAM_RESET_EVENT)
                .empty();
  }));
  const auto ours =
      Notifications<struct sctp_stream_reset_event>(client_received_, SCTP_STREAM_RESET_EVENT)[0];
  EXPECT_TRUE(ours.strreset_flags & SCTP_STREAM_RESET_OUTGOING_SSN);
  EXPECT_FALSE(ours.strreset_flags & (SCTP_STREAM_RESET_DENIED | SCTP_STREAM_RESET_FAILED));
  EXPECT_EQ(ours.strreset_length, sizeof(struct sctp_stream_reset_event) + sizeof(uint16_t));
  EXPECT_EQ(StreamList(client_received_, 0), std::vector<uint16_t>{1});
  const auto theirs =
      Notifications<struct sctp_stream_reset_event>(server_received_, SCTP_STREAM_RESET_EVENT)[0];
  EXPECT_TRUE(theirs.strreset_flags & SCTP_STREAM_RESET_INCOMING_SSN);
  EXPECT_EQ(StreamList(server_received_, 0), std::vector<uint16_t>{1});

  ASSERT_EQ(SendOn(client_, 1, message), 100);
  ASSERT_TRUE(PumpUntil([&] {
    DrainBoth();
    return DataOnly(server_received_).size() == 4;
  }));
  EXPECT_EQ(DataOnly(server_received_)[3].rcv.rcv_ssn, 0);
}

// RFC 6525 §6.3.3 SCTP_RESET_ASSOC, §6.1.2 SCTP_ASSOC_RESET_EVENT: both sides restart their
// TSNs (the local TSN of one is the remote TSN of the other) and every SSN.
TEST_F(ExtensionsTest, AssociationResetIsReportedOnBothSides) {
  Connect([](Socket* so) {
    struct sctp_assoc_value v;
    std::memset(&v, 0, sizeof(v));
    v.assoc_id = SCTP_FUTURE_ASSOC;
    v.assoc_value = SCTP_ENABLE_RESET_STREAM_REQ | SCTP_ENABLE_RESET_ASSOC_REQ;
    ASSERT_EQ(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET, &v, sizeof(v)), 0);
  });
  const std::vector<uint8_t> message(50, 0x33);
  ASSERT_EQ(SendOn(client_, 1, message), 50);
  ASSERT_TRUE(PumpUntil([&] {
    DrainBoth();
    return DataOnly(server_received_).size() == 1;
  }));
  // usrsctp refuses (EBUSY) while data is outstanding: let the SACK arrive first.
  for (int i = 0; i < 50; ++i)
    PumpOnce();
  const auto up = Notifications<struct sctp_assoc_change>(client_received_, SCTP_ASSOC_CHANGE);
  ASSERT_FALSE(up.empty());
  sctp_assoc_t id = up[0].sac_assoc_id;
  ASSERT_EQ(usrsctp_setsockopt(client_, IPPROTO_SCTP, SCTP_RESET_ASSOC, &id, sizeof(id)), 0)
      << std::strerror(errno);
  ASSERT_TRUE(PumpUntil([&] {
    DrainBoth();
    return !Notifications<struct sctp_assoc_reset_event>(client_received_, SCTP_ASSOC_RESET_EVENT)
                .empty() &&
           !Notifications<struct sctp_assoc_reset_event>(server_received_, SCTP_ASSOC_RESET_EVENT)
                .empty();
  }));
  const auto ours =
      Notifications<struct sctp_assoc_reset_event>(client_received_, SCTP_ASSOC_RESET_EVENT)[0];
  const auto theirs =
      Notifications<struct sctp_assoc_reset_event>(server_received_, SCTP_ASSOC_RESET_EVENT)[0];
  EXPECT_FALSE(ours.assocreset_flags & (SCTP_ASSOC_RESET_DENIED | SCTP_ASSOC_RESET_FAILED));
  EXPECT_EQ(ours.assocreset_local_tsn, theirs.assocreset_remote_tsn);
  EXPECT_EQ(ours.assocreset_remote_tsn, theirs.assocreset_local_tsn);
  ASSERT_EQ(SendOn(client_, 1, message), 50);
  ASSERT_TRUE(PumpUntil([&] {
    DrainBoth();
    return DataOnly(server_received_).size() == 2;
  }));
  EXPECT_EQ(DataOnly(server_received_)[1].rcv.rcv_ssn, 0);
  EXPECT_EQ(DataOnly(server_received_)[1].rcv.rcv_tsn, ours.assocreset_local_tsn);
}

// RFC 6525 §6.3.4 SCTP_ADD_STREAMS, §6.1.3 SCTP_STREAM_CHANGE_EVENT.
TEST_F(ExtensionsTest, AddStreamsIsReported) {
  Connect([](Socket* so) {
    EnableStreamReset(so);
    struct sctp_initmsg init;
    std::memset(&init, 0, sizeof(init));
    // 5 streams each way; up to 64 incoming ones may be added later (the limit for a peer's
    // add-streams request is what we would have accepted in the INIT).
    init.sinit_num_ostreams = 5;
    init.sinit_max_instreams = 64;
    ASSERT_EQ(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_INITMSG, &init, sizeof(init)), 0);
  });
  EXPECT_LT(SendOn(client_, 6, std::vector<uint8_t>(10, 1)), 0);
  struct sctp_add_streams add;
  std::memset(&add, 0, sizeof(add));
  add.sas_assoc_id = SCTP_ALL_ASSOC;
  add.sas_outstrms = 3;
  ASSERT_EQ(usrsctp_setsockopt(client_, IPPROTO_SCTP, SCTP_ADD_STREAMS, &add, sizeof(add)), 0);
  ASSERT_TRUE(PumpUntil([&] {
    DrainBoth();
    return !Notifications<struct sctp_stream_change_event>(client_received_,
                                                           SCTP_STREAM_CHANGE_EVENT)
                .empty();
  }));
  const auto change =
      Notifications<struct sctp_stream_change_event>(client_received_, SCTP_STREAM_CHANGE_EVENT)[0];
  EXPECT_EQ(change.strchange_outstrms, 8);
  EXPECT_FALSE(change.strchange_flags & (SCTP_STREAM_CHANGE_DENIED | SCTP_STREAM_CHANGE_FAILED));
  ASSERT_EQ(SendOn(client_, 6, std::vector<uint8_t>(10, 1)), 10);
  ASSERT_TRUE(PumpUntil([&] {
    DrainBoth();
    return DataOnly(server_received_).size() == 1;
  }));
  EXPECT_EQ(DataOnly(server_received_)[0].rcv.rcv_sid, 6);
}

// RFC 7496 §3.1 (SCTP_PR_SCTP_RTX) and §4.2 SCTP_PR_ASSOC_STATUS; RFC 6458 §6.1.11
// SCTP_SEND_FAILED_EVENT.
TEST_F(ExtensionsTest, RtxPolicyAbandonsAndCounts) {
  Connect();
  // The message and its one allowed retransmission are lost.
  g_drop_from_client = 2;
  ASSERT_EQ(SendOn(client_, 2, std::vector<uint8_t>(200, 7), SCTP_PR_SCTP_RTX, 1), 200);
  ASSERT_TRUE(PumpUntil([&] {
    DrainBoth();
    return !Notifications<struct sctp_send_failed_event>(client_received_, SCTP_SEND_FAILED_EVENT)
                .empty();
  }));
  const auto failed =
      Notifications<struct sctp_send_failed_event>(client_received_, SCTP_SEND_FAILED_EVENT)[0];
  EXPECT_TRUE(failed.ssfe_flags & SCTP_DATA_SENT);
  EXPECT_EQ(failed.ssfe_info.snd_sid, 2);
  // The next message is delivered: the receiver moved past the abandoned one (FORWARD TSN).
  ASSERT_EQ(SendOn(client_, 2, std::vector<uint8_t>(10, 8)), 10);
  ASSERT_TRUE(PumpUntil([&] {
    DrainBoth();
    return DataOnly(server_received_).size() == 1;
  }));
  EXPECT_EQ(DataOnly(server_received_)[0].data, std::vector<uint8_t>(10, 8));

  struct sctp_prstatus status;
  std::memset(&status, 0, sizeof(status));
  status.sprstat_assoc_id = SCTP_ALL_ASSOC;
  status.sprstat_policy = SCTP_PR_SCTP_RTX;
  socklen_t len = sizeof(status);
  // usrsctp needs the association id here, not SCTP_ALL_ASSOC.
  const auto up = Notifications<struct sctp_assoc_change>(client_received_, SCTP_ASSOC_CHANGE);
  ASSERT_FALSE(up.empty());
  status.sprstat_assoc_id = up[0].sac_assoc_id;
  ASSERT_EQ(usrsctp_getsockopt(client_, IPPROTO_SCTP, SCTP_PR_ASSOC_STATUS, &status, &len), 0);
  EXPECT_EQ(status.sprstat_abandoned_sent, 1u);
  EXPECT_EQ(status.sprstat_abandoned_unsent, 0u);
}

// RFC 8260 §4.3.1 SCTP_INTERLEAVING_SUPPORTED (with SCTP_FRAGMENT_INTERLEAVE 2, as usrsctp
// requires): a small message overtakes a large one on another stream.
TEST_F(ExtensionsTest, InterleavingDeliversSmallMessagesBeforeALargeOne) {
  Connect([](Socket* so) {
    const int two = 2;
    ASSERT_EQ(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, &two, sizeof(two)), 0);
    struct sctp_assoc_value v;
    std::memset(&v, 0, sizeof(v));
    v.assoc_id = SCTP_FUTURE_ASSOC;
    v.assoc_value = 1;
    ASSERT_EQ(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_INTERLEAVING_SUPPORTED, &v, sizeof(v)), 0);
  });
  struct sctp_assoc_value v;
  std::memset(&v, 0, sizeof(v));
  socklen_t len = sizeof(v);
  ASSERT_EQ(usrsctp_getsockopt(client_, IPPROTO_SCTP, SCTP_INTERLEAVING_SUPPORTED, &v, &len), 0);
  EXPECT_EQ(v.assoc_value, 1u);
  std::vector<uint8_t> large(200000, 0xaa);
  ASSERT_EQ(SendOn(client_, 1, large), static_cast<ssize_t>(large.size()));
  ASSERT_EQ(SendOn(client_, 2, std::vector<uint8_t>(10, 0xbb)), 10);
  size_t large_bytes = 0;
  ASSERT_TRUE(PumpUntil([&] {
    DrainBoth();
    large_bytes = 0;
    for (const Received& r : DataOnly(server_received_)) {
      if (r.rcv.rcv_sid == 1) large_bytes += r.data.size();
    }
    return large_bytes == large.size();
  }));
  // The small message is not the last piece of data to arrive.
  const auto data = DataOnly(server_received_);
  ASSERT_GE(data.size(), 2u);
  EXPECT_EQ(data.back().rcv.rcv_sid, 1);
  bool small_seen = false;
  for (const Received& r : data)
    small_seen |= r.rcv.rcv_sid == 2 && r.data == std::vector<uint8_t>(10, 0xbb);
  EXPECT_TRUE(small_seen);
}

// RFC 6458 §6.1.1: on SCTP_COMM_UP, sac_info lists the association's features (usrsctp also
// lists AUTH and ASCONF, which sctpcpp does not implement).
TEST_F(ExtensionsTest, CommUpListsTheNegotiatedFeatures) {
  Connect();
  DrainBoth();
  for (const std::vector<Received>* received : {&client_received_, &server_received_}) {
    const Received* up = nullptr;
    for (const Received& r : *received) {
      if (r.notification && r.data.size() >= sizeof(struct sctp_assoc_change)) up = &r;
      if (up != nullptr) break;
    }
    ASSERT_NE(up, nullptr);
    struct sctp_assoc_change n;
    std::memcpy(&n, up->data.data(), sizeof(n));
    ASSERT_EQ(n.sac_state, SCTP_COMM_UP);
    ASSERT_EQ(n.sac_length, up->data.size());
    const std::vector<uint8_t> features(up->data.begin() + sizeof(n), up->data.end());
    auto has = [&](uint8_t f) {
      return std::find(features.begin(), features.end(), f) != features.end();
    };
    EXPECT_TRUE(has(SCTP_ASSOC_SUPPORTS_PR));
    EXPECT_TRUE(has(SCTP_ASSOC_SUPPORTS_MULTIBUF));
    EXPECT_TRUE(has(SCTP_ASSOC_SUPPORTS_RE_CONFIG));
    EXPECT_FALSE(has(SCTP_ASSOC_SUPPORTS_INTERLEAVING));  // not asked for
  }
}

// RFC 6458 §9.2 usrsctp_peeloff: an association of a one-to-many socket gets its own
// one-to-one socket, with what was queued for it.
TEST_F(ExtensionsTest, PeeloffMovesAnAssociationWithItsQueuedMessages) {
  listener_ = usrsctp_socket(AF_CONN, SOCK_SEQPACKET, IPPROTO_SCTP, nullptr, nullptr, 0, nullptr);
  ASSERT_NE(listener_, nullptr);
  usrsctp_set_non_blocking(listener_, 1);
  struct sctp_event event;
  std::memset(&event, 0, sizeof(event));
  event.se_assoc_id = SCTP_FUTURE_ASSOC;
  event.se_type = SCTP_ASSOC_CHANGE;
  event.se_on = 1;
  ASSERT_EQ(usrsctp_setsockopt(listener_, IPPROTO_SCTP, SCTP_EVENT, &event, sizeof(event)), 0);
  const int on = 1;
  ASSERT_EQ(usrsctp_setsockopt(listener_, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on)), 0);
  struct sockaddr_conn server = ConnAddress(&g_server_link);
  ASSERT_EQ(usrsctp_bind(listener_, reinterpret_cast<struct sockaddr*>(&server), sizeof(server)),
            0);
  ASSERT_EQ(usrsctp_listen(listener_, 1), 0);
  client_ = NewSocket();
  struct sockaddr_conn client = ConnAddress(&g_client_link);
  ASSERT_EQ(usrsctp_bind(client_, reinterpret_cast<struct sockaddr*>(&client), sizeof(client)), 0);
  struct sockaddr_conn peer = ConnAddress(&g_client_link);
  const int rc = usrsctp_connect(client_, reinterpret_cast<struct sockaddr*>(&peer), sizeof(peer));
  ASSERT_TRUE(rc == 0 || errno == EINPROGRESS);
  // The COMM_UP notification names the association.
  std::vector<Received> on_listener;
  ASSERT_TRUE(PumpUntil([&] {
    Drain(listener_, &on_listener);
    return !Notifications<struct sctp_assoc_change>(on_listener, SCTP_ASSOC_CHANGE).empty();
  }));
  const sctp_assoc_t id =
      Notifications<struct sctp_assoc_change>(on_listener, SCTP_ASSOC_CHANGE)[0].sac_assoc_id;
  // RFC 6458 §8.2.1: SCTP_STATUS on the one-to-many socket reports the association named by
  // sstat_assoc_id; an id it does not have is ENOENT (as usrsctp).
  auto status_of = [&](sctp_assoc_t assoc, struct sctp_status* st) {
    std::memset(st, 0, sizeof(*st));
    st->sstat_assoc_id = assoc;
    socklen_t len = sizeof(*st);
    return usrsctp_getsockopt(listener_, IPPROTO_SCTP, SCTP_STATUS, st, &len);
  };
  struct sctp_status st;
  ASSERT_EQ(status_of(id, &st), 0);
  EXPECT_EQ(st.sstat_assoc_id, id);
  EXPECT_EQ(st.sstat_state, SCTP_ESTABLISHED);
  EXPECT_GT(st.sstat_outstrms, 0);
  errno = 0;
  EXPECT_EQ(status_of(id + 1000, &st), -1);
  EXPECT_EQ(errno, ENOENT);
  // A message waits on the one-to-many socket, then the association is peeled off.
  ASSERT_EQ(SendOn(client_, 0, std::vector<uint8_t>(7, 'q')), 7);
  PumpUntil([] { return g_queue.empty(); });
  errno = 0;
  EXPECT_EQ(usrsctp_peeloff(client_, id), nullptr);  // not a one-to-many socket
  server_ = usrsctp_peeloff(listener_, id);
  ASSERT_NE(server_, nullptr);
  usrsctp_set_non_blocking(server_, 1);
  errno = 0;
  EXPECT_EQ(usrsctp_peeloff(listener_, id), nullptr);  // no longer there
  errno = 0;
  EXPECT_EQ(status_of(id, &st), -1);  // nor its status
  EXPECT_EQ(errno, ENOENT);
  ASSERT_TRUE(PumpUntil([&] {
    Drain(server_, &server_received_);
    return DataOnly(server_received_).size() == 1;
  }));
  EXPECT_EQ(DataOnly(server_received_)[0].data, std::vector<uint8_t>(7, 'q'));
  // Both directions work on the new socket; nothing more reaches the old one.
  ASSERT_EQ(SendOn(client_, 0, std::vector<uint8_t>(5, 'a')), 5);
  ASSERT_EQ(SendOn(server_, 0, std::vector<uint8_t>(3, 'r')), 3);
  ASSERT_TRUE(PumpUntil([&] {
    DrainBoth();
    return DataOnly(server_received_).size() == 2 && DataOnly(client_received_).size() == 1;
  }));
  EXPECT_EQ(DataOnly(server_received_)[1].data, std::vector<uint8_t>(5, 'a'));
  EXPECT_EQ(DataOnly(client_received_)[0].data, std::vector<uint8_t>(3, 'r'));
  const size_t before = on_listener.size();
  Drain(listener_, &on_listener);
  EXPECT_EQ(DataOnly(on_listener).size(), 0u);
  EXPECT_EQ(on_listener.size(), before);
}

}  // namespace
