// sctp-codec-demo: the sctpcpp wire codec end to end, over real UDP, for a human to watch.
//
// Two UDP sockets on 127.0.0.1 (ephemeral ports, so parallel runs never clash) carry a
// scripted SCTP conversation: INIT, INIT ACK with a state cookie, COOKIE ECHO bundled with
// DATA, COOKIE ACK bundled with SACK, N messages fragmented into DATA chunks (B/E flags) and
// bundled into packets of at most 1200 bytes, each DATA packet SACKed, then SHUTDOWN,
// SHUTDOWN ACK and SHUTDOWN COMPLETE. The bytes are what RFC 6951 UDP encapsulation sends.
//
// Every packet is built by the codec (PacketBuilder + chunk structs), and every packet
// received is checked with the codec: CRC32c, PacketView::Parse, ParseChunk on each chunk,
// verification tags, TSN order. The receiver reassembles the messages and compares them
// byte for byte with what was sent. All packets go to a pcap file; when tshark is on PATH
// it decodes that file independently.
//
// This is a codec-level scripted exchange, NOT the protocol engine: there is no
// retransmission, no congestion control, no timers. A lost packet ends the run with an
// error (it does not happen on loopback with the window used here).
//
// Usage: sctp-codec-demo [--messages N] [--size BYTES] [--pcap PATH | --no-pcap] [--streams S]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "capture/pcap_writer.h"
#include "sctpcpp/types.h"
#include "wire/chunk_type.h"
#include "wire/chunks.h"
#include "wire/crc32c.h"
#include "wire/packet.h"
#include "wire/tlv.h"

namespace sctp::demo {
namespace {

using namespace sctp::wire;
using Clock = std::chrono::steady_clock;

// SCTP packets are at most this big: fits a 1280-byte IPv6 minimum MTU with IP and UDP
// headers, as WebRTC stacks choose.
constexpr size_t kMaxPacketSize = 1200;
constexpr uint16_t kClientSctpPort = 5000;
constexpr uint16_t kServerSctpPort = 5001;
constexpr uint32_t kReceiveWindow = 256 * 1024;  // server's advertised a_rwnd
constexpr uint32_t kMaxInFlight = 64 * 1024;     // bytes of DATA the client leaves unacked
constexpr size_t kMinFragment = 64;              // no tiny fragments to fill a packet's tail
constexpr uint32_t kPpidBinary = 53;             // WebRTC Binary (RFC 8831 §8)
constexpr int kStallTimeoutMs = 2000;
constexpr uint64_t kTsharkMaxPackets = 200'000;     // beyond this tshark takes minutes
constexpr uint64_t kCookieLifetimeUs = 60'000'000;  // RFC 9260 §16: Valid.Cookie.Life 60 s

struct Options {
  uint64_t messages = 1000;
  size_t size = 1024;
  uint16_t streams = 4;
  std::string pcap = "/tmp/sctpcpp-demo.pcap";
};

// ---- counters ----
struct DirectionStats {
  uint64_t packets = 0;
  uint64_t chunks = 0;
  uint64_t bytes = 0;  // SCTP packet bytes (= UDP payload)
  uint64_t data_chunks = 0;
};

struct Problems {
  uint64_t checksum_errors = 0;
  uint64_t parse_errors = 0;
  uint64_t tag_errors = 0;
  uint64_t protocol_errors = 0;  // unexpected chunk, TSN out of order, bad SACK, bad cookie
  uint64_t content_errors = 0;
  uint64_t io_errors = 0;
  std::string first;  // the first problem, for the summary

  uint64_t total() const {
    return checksum_errors + parse_errors + tag_errors + protocol_errors + content_errors +
           io_errors;
  }
};

int64_t WallClockUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The content of message i: deterministic bytes both sides can compute.
void FillMessage(uint64_t index, std::vector<uint8_t>& out) {
  uint64_t x = (index + 1) * 0x9E3779B97F4A7C15ull;
  for (size_t i = 0; i < out.size(); ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    out[i] = static_cast<uint8_t>(x >> 24);
  }
}

std::vector<uint8_t> Tlv(uint16_t type, std::span<const uint8_t> value) {
  std::vector<uint8_t> out(PaddedLength(kTlvHeaderSize + value.size()));
  ByteWriter w(out);
  WriteTlv(w, type, value);
  return out;
}

std::string ChunkSummary(std::span<const AnyChunk> chunks) {
  std::string out;
  size_t i = 0;
  while (i < chunks.size()) {
    const uint8_t type = TypeOf(chunks[i]);
    size_t run = 1;
    while (i + run < chunks.size() && TypeOf(chunks[i + run]) == type)
      ++run;
    if (!out.empty()) out += ' ';
    out += ChunkTypeName(type);
    if (run > 1) out += " x" + std::to_string(run);
    i += run;
  }
  return out;
}

// ---- the UDP side ----
class UdpSocket {
 public:
  ~UdpSocket() {
    if (fd_ >= 0) close(fd_);
  }
  bool Open(std::string* error) {
    fd_ = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd_ < 0) return Fail("socket", error);
    const int buffer = 1 << 20;
    setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof(buffer));
    setsockopt(fd_, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof(buffer));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;  // ephemeral
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      return Fail("bind", error);
    }
    socklen_t len = sizeof(local_);
    if (getsockname(fd_, reinterpret_cast<sockaddr*>(&local_), &len) != 0) {
      return Fail("getsockname", error);
    }
    return true;
  }
  int fd() const { return fd_; }
  const sockaddr_in& local() const { return local_; }
  uint16_t port() const { return ntohs(local_.sin_port); }
  capture::Ipv4Endpoint endpoint() const {
    capture::Ipv4Endpoint e;
    std::memcpy(e.address.data(), &local_.sin_addr, 4);
    e.port = port();
    return e;
  }
  bool SendTo(const sockaddr_in& to, std::span<const uint8_t> bytes) const {
    const ssize_t n = sendto(fd_, bytes.data(), bytes.size(), 0,
                             reinterpret_cast<const sockaddr*>(&to), sizeof(to));
    return n == static_cast<ssize_t>(bytes.size());
  }
  // Non-blocking receive; -1 when nothing is queued.
  ssize_t Receive(std::span<uint8_t> buffer, sockaddr_in* from) const {
    socklen_t len = sizeof(*from);
    return recvfrom(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT,
                    reinterpret_cast<sockaddr*>(from), &len);
  }

 private:
  bool Fail(const char* what, std::string* error) {
    *error = std::string(what) + ": " + std::strerror(errno);
    return false;
  }
  int fd_ = -1;
  sockaddr_in local_{};
};

// Shared by both sides: where packets are counted, logged and captured.
class Wire {
 public:
  explicit Wire(capture::PcapWriter* pcap) : pcap_(pcap) {}

  Problems problems;
  DirectionStats to_server;
  DirectionStats to_client;

  void Problem(uint64_t& counter, const std::string& what) {
    ++counter;
    if (problems.first.empty()) problems.first = what;
  }

  // Sends a finished packet from `from` to `to`, counting, logging and capturing it.
  void Send(const UdpSocket& from, const UdpSocket& to, bool client_to_server,
            std::span<const uint8_t> packet) {
    if (!from.SendTo(to.local(), packet)) {
      Problem(problems.io_errors, std::string("sendto: ") + std::strerror(errno));
      return;
    }
    DirectionStats& stats = client_to_server ? to_server : to_client;
    ++stats.packets;
    stats.bytes += packet.size();
    if (pcap_ != nullptr) {
      pcap_->WriteSctpOverUdp(from.endpoint(), to.endpoint(), packet, WallClockUs());
    }
    // Count and describe what was sent by parsing it back (the builder's output).
    chunks_.clear();
    if (const Parsed<PacketView> view = PacketView::Parse(packet); view.ok()) {
      ChunkReader reader = view->chunks();
      ChunkView chunk;
      while (reader.Next(&chunk)) {
        if (Parsed<AnyChunk> c = ParseChunk(chunk); c.ok()) chunks_.push_back(std::move(c).value());
      }
      stats.chunks += view->chunk_count();
    }
    for (const AnyChunk& c : chunks_)
      stats.data_chunks += TypeOf(c) == ChunkType::kData;
    Transcript(client_to_server, packet.size());
  }

  void ClearProgress() {
    if (progress_shown_) {
      std::printf("\r%*s\r", 100, "");
      progress_shown_ = false;
    }
  }
  void Progress(const std::string& line) {
    std::printf("\r%-99s", line.c_str());
    std::fflush(stdout);
    progress_shown_ = true;
  }

 private:
  // Shows control packets and the first few DATA/SACK packets each way.
  void Transcript(bool client_to_server, size_t size) {
    bool routine = !chunks_.empty();
    for (const AnyChunk& c : chunks_) {
      const uint8_t t = TypeOf(c);
      routine = routine && (t == ChunkType::kData || t == ChunkType::kSack);
    }
    int& shown = client_to_server ? routine_shown_to_server_ : routine_shown_to_client_;
    if (routine && shown >= 2) {
      // One "..." once both directions have shown their first routine packets.
      if (!ellipsis_shown_ && routine_shown_to_server_ >= 2 && routine_shown_to_client_ >= 2) {
        std::printf("  ...               (more DATA packets and SACKs)\n");
        ellipsis_shown_ = true;
      }
      return;
    }
    if (routine) ++shown;
    ClearProgress();
    std::printf("  %-6s %s %-6s  %-34s %5zu bytes\n", client_to_server ? "client" : "server", "->",
                client_to_server ? "server" : "client", ChunkSummary(chunks_).c_str(), size);
  }

  capture::PcapWriter* pcap_;
  std::vector<AnyChunk> chunks_;
  int routine_shown_to_server_ = 0;
  int routine_shown_to_client_ = 0;
  bool ellipsis_shown_ = false;
  bool progress_shown_ = false;
};

// Checks a received packet with the codec and returns its chunks (views into `packet`).
// `expected_tag` is the receiver's own verification tag (RFC 9260 §8.5), or nullopt when
// only an INIT (tag 0) is acceptable.
bool Accept(Wire& wire, const char* receiver, std::span<const uint8_t> packet,
            std::optional<VerificationTag> expected_tag, uint16_t expected_destination_port,
            std::vector<AnyChunk>* chunks) {
  chunks->clear();
  Problems& p = wire.problems;
  const std::string who = std::string(receiver) + " received a packet with ";
  // RFC 9260 §6.8: the receiver verifies the CRC32c and discards the packet if it is wrong.
  if (!VerifySctpChecksum(packet)) {
    wire.Problem(p.checksum_errors, who + "a bad CRC32c");
    return false;
  }
  const Parsed<PacketView> view = PacketView::Parse(packet);
  if (!view.ok()) {
    wire.Problem(p.parse_errors, who + "a framing error: " + view.error().ToString());
    return false;
  }
  if (view->header().destination_port != expected_destination_port) {
    wire.Problem(p.protocol_errors, who + "the wrong SCTP destination port");
    return false;
  }
  ChunkReader reader = view->chunks();
  ChunkView chunk;
  while (reader.Next(&chunk)) {
    Parsed<AnyChunk> parsed = ParseChunk(chunk);
    if (!parsed.ok()) {
      wire.Problem(p.parse_errors, who + "a bad chunk: " + parsed.error().ToString());
      return false;
    }
    chunks->push_back(std::move(parsed).value());
  }
  // RFC 9260 §8.5: an INIT carries tag 0; every other packet the receiver's own tag.
  const bool is_init = view->first_chunk_type() == ChunkType::kInit;
  const VerificationTag tag = view->header().verification_tag;
  const bool tag_ok = expected_tag.has_value() ? (!is_init && tag == *expected_tag)
                                               : (is_init && tag == VerificationTag(0));
  if (!tag_ok) {
    wire.Problem(p.tag_errors, who + "an unexpected verification tag");
    return false;
  }
  return true;
}

// ---- the server: stateless until a valid COOKIE ECHO, then receives and SACKs ----
class Server {
 public:
  Server(Wire& wire, const UdpSocket& socket, const UdpSocket& client, const Options& options,
         std::mt19937& rng)
      : wire_(wire), socket_(socket), client_(client), options_(options), rng_(rng) {
    for (auto& b : secret_)
      b = static_cast<uint8_t>(rng_());
    partial_.resize(options.streams);
    next_ssn_.resize(options.streams);
    expected_.resize(options.size);
  }

  enum class State { kClosed, kEstablished, kShutdownAckSent, kDone };
  State state() const { return state_; }
  uint64_t delivered() const { return delivered_; }
  uint64_t delivered_bytes() const { return delivered_bytes_; }

  void OnPacket(std::span<const uint8_t> packet) {
    // Without an association the server accepts an INIT (tag 0) or a COOKIE ECHO, whose
    // packet carries the tag the cookie names; afterwards, its own tag (RFC 9260 §8.5).
    const std::optional<VerificationTag> tag =
        state_ == State::kClosed ? PeekCookieTag(packet) : std::optional(my_tag_);
    if (!Accept(wire_, "server", packet, tag, kServerSctpPort, &chunks_)) return;

    bool got_data = false;
    bool cookie_ack = false;
    for (const AnyChunk& c : chunks_) {
      if (const auto* init = std::get_if<InitChunk>(&c)) {
        SendInitAck(*init);
      } else if (const auto* echo = std::get_if<CookieEchoChunk>(&c)) {
        cookie_ack = OnCookieEcho(*echo, packet);
        if (!cookie_ack) return;
      } else if (const auto* data = std::get_if<DataChunk>(&c)) {
        if (state_ != State::kEstablished) return Unexpected("DATA before the association");
        OnData(*data);
        got_data = true;
      } else if (const auto* shutdown = std::get_if<ShutdownChunk>(&c)) {
        // RFC 9260 §9.2: the peer acknowledges our TSNs; we sent no DATA, so it is ours - 1.
        if (shutdown->tsn != my_initial_tsn_ - 1) return Unexpected("SHUTDOWN cum TSN ack");
        SendSimple(ShutdownAckChunk{});
        state_ = State::kShutdownAckSent;
      } else if (std::get_if<ShutdownCompleteChunk>(&c) != nullptr) {
        if (state_ != State::kShutdownAckSent) return Unexpected("early SHUTDOWN COMPLETE");
        state_ = State::kDone;
      } else {
        return Unexpected(std::string("chunk ") + std::string(ChunkTypeName(TypeOf(c))));
      }
    }
    if (cookie_ack || got_data) SendAcks(cookie_ack, got_data);
  }

 private:
  // The cookie's fields (RFC 9260 §5.1.3 lets the cookie's content be implementation
  // specific): everything the server needs to create the association later, plus a MAC.
  struct CookieFields {
    uint32_t peer_tag, my_tag, peer_initial_tsn, my_initial_tsn, peer_rwnd;
    uint16_t outbound, inbound;
    uint64_t created_us;
  };
  static constexpr size_t kCookieBodySize = 32;
  static constexpr size_t kCookieSize = kCookieBodySize + 4;

  uint32_t Mac(std::span<const uint8_t> body) const {
    // A demo MAC: CRC32c keyed with a per-run secret. Not cryptographic; the real engine
    // will use HMAC-SHA-256 (RFC 9260 §5.1.3 asks for a MAC with a secret key).
    return Crc32cExtend(Crc32c(secret_), body);
  }

  std::optional<VerificationTag> PeekCookieTag(std::span<const uint8_t> packet) const {
    if (packet.size() >= kCommonHeaderSize + kChunkHeaderSize &&
        packet[kCommonHeaderSize] == ChunkType::kCookieEcho &&
        packet.size() >= kCommonHeaderSize + kChunkHeaderSize + kCookieBodySize) {
      // The cookie body starts with the peer tag, then my tag.
      return VerificationTag(Load32(packet.data() + kCommonHeaderSize + kChunkHeaderSize + 4));
    }
    return std::nullopt;
  }

  void SendInitAck(const InitChunk& init) {
    if (init.initiate_tag == VerificationTag(0) || init.outbound_streams == 0 ||
        init.inbound_streams == 0) {
      // RFC 9260 §3.3.2: tag 0 means silent discard, zero streams discard with an ABORT.
      return Unexpected("invalid INIT");
    }
    // RFC 9260 §5.1 step B: answer with an INIT ACK. Per §5.1.3 the server keeps no state
    // yet: everything it will need goes into the State Cookie.
    CookieFields f{init.initiate_tag.value(),
                   NonZero(),
                   init.initial_tsn.value(),
                   static_cast<uint32_t>(rng_()),
                   init.a_rwnd,
                   std::min(init.inbound_streams, options_.streams),
                   std::min(init.outbound_streams, options_.streams),
                   static_cast<uint64_t>(WallClockUs())};
    std::array<uint8_t, kCookieSize> cookie{};
    ByteWriter w(cookie);
    w.U32(f.peer_tag);
    w.U32(f.my_tag);
    w.U32(f.peer_initial_tsn);
    w.U32(f.my_initial_tsn);
    w.U32(f.peer_rwnd);
    w.U16(f.outbound);
    w.U16(f.inbound);
    w.U32(static_cast<uint32_t>(f.created_us >> 32));
    w.U32(static_cast<uint32_t>(f.created_us));
    w.U32(Mac(std::span<const uint8_t>(cookie).first(kCookieBodySize)));
    const std::vector<uint8_t> params = Tlv(ParameterType::kStateCookie, cookie);
    const InitAckChunk ack{VerificationTag(f.my_tag), kReceiveWindow, f.outbound, f.inbound,
                           Tsn(f.my_initial_tsn),     Bytes(params)};
    std::array<uint8_t, kMaxPacketSize> buf;
    PacketBuilder b(buf, CommonHeader{kServerSctpPort, kClientSctpPort, init.initiate_tag, 0},
                    kMaxPacketSize);
    b.Add(ack);
    wire_.Send(socket_, client_, false, b.Finish());
  }

  bool OnCookieEcho(const CookieEchoChunk& echo, std::span<const uint8_t> packet) {
    if (state_ != State::kClosed) {
      // RFC 9260 §5.2.4 would handle a duplicate; this script never sends one.
      Unexpected("second COOKIE ECHO");
      return false;
    }
    if (echo.value.size() != kCookieSize || Mac(echo.value.span().first(kCookieBodySize)) !=
                                                Load32(echo.value.data() + kCookieBodySize)) {
      Unexpected("COOKIE ECHO with a bad MAC");
      return false;
    }
    // RFC 9260 §5.1.5 steps 1-2 passed (the MAC); step 3: the packet's tag must be the
    // one the cookie names; step 4: the cookie must not be stale; step 5: create the TCB.
    const uint8_t* p = echo.value.data();
    if (Load32(packet.data() + 4) != Load32(p + 4)) {
      Unexpected("COOKIE ECHO tag mismatch");
      return false;
    }
    const uint64_t created = (uint64_t{Load32(p + 24)} << 32) | Load32(p + 28);
    if (static_cast<uint64_t>(WallClockUs()) - created > kCookieLifetimeUs) {
      Unexpected("stale cookie");  // the engine will send an ERROR with Stale Cookie
      return false;
    }
    peer_tag_ = VerificationTag(Load32(p));
    my_tag_ = VerificationTag(Load32(p + 4));
    cum_tsn_ = Tsn(Load32(p + 8)) - 1;
    my_initial_tsn_ = Tsn(Load32(p + 12));
    state_ = State::kEstablished;
    return true;
  }

  void OnData(const DataChunk& d) {
    // The script sends in order and loopback does not reorder; a real receiver keeps
    // out-of-order TSNs and reports gaps (RFC 9260 §6.2).
    if (d.tsn != cum_tsn_ + 1) return Unexpected("DATA out of TSN order");
    cum_tsn_ = d.tsn;
    if (d.user_data.empty()) return Unexpected("DATA without user data");
    const uint16_t sid = d.stream_id.value();
    if (sid >= partial_.size()) return Unexpected("DATA on an unknown stream");
    Partial& m = partial_[sid];
    if (d.beginning) {
      if (m.active) return Unexpected("B bit inside a message");
      if (d.ssn != next_ssn_[sid]) return Unexpected("SSN out of order");
      m.active = true;
      m.ssn = d.ssn;
      m.ppid = d.ppid;
      m.data.clear();
    } else if (!m.active || d.ssn != m.ssn) {
      return Unexpected("fragment without its beginning");
    }
    m.data.insert(m.data.end(), d.user_data.begin(), d.user_data.end());
    buffered_ += d.user_data.size();
    if (!d.ending) return;
    // A whole message: the next one in send order is number delivered_.
    ++next_ssn_[sid];
    buffered_ -= m.data.size();
    FillMessage(delivered_, expected_);
    if (m.ppid != Ppid(kPpidBinary) || m.data != expected_) {
      wire_.Problem(wire_.problems.content_errors,
                    "message " + std::to_string(delivered_) + " differs from what was sent");
    }
    delivered_bytes_ += m.data.size();
    ++delivered_;
    m.active = false;
    m.data.clear();
  }

  void SendAcks(bool cookie_ack, bool sack) {
    std::array<uint8_t, kMaxPacketSize> buf;
    PacketBuilder b(buf, CommonHeader{kServerSctpPort, kClientSctpPort, peer_tag_, 0},
                    kMaxPacketSize);
    if (cookie_ack) b.Add(CookieAckChunk{});
    if (sack) {
      // RFC 9260 §3.3.4: cumulative TSN ack and our window; no gaps, no duplicates.
      const uint32_t rwnd =
          kReceiveWindow - static_cast<uint32_t>(std::min<size_t>(buffered_, kReceiveWindow));
      b.Add(SackChunk{cum_tsn_, rwnd, {}, {}});
    }
    wire_.Send(socket_, client_, false, b.Finish());
  }

  template <typename Chunk>
  void SendSimple(const Chunk& chunk) {
    std::array<uint8_t, 64> buf;
    PacketBuilder b(buf, CommonHeader{kServerSctpPort, kClientSctpPort, peer_tag_, 0}, buf.size());
    b.Add(chunk);
    wire_.Send(socket_, client_, false, b.Finish());
  }

  void Unexpected(const std::string& what) {
    wire_.Problem(wire_.problems.protocol_errors, "server: " + what);
  }
  uint32_t NonZero() {
    uint32_t v;
    do
      v = static_cast<uint32_t>(rng_());
    while (v == 0);
    return v;
  }

  struct Partial {
    bool active = false;
    Ssn ssn;
    Ppid ppid;
    std::vector<uint8_t> data;
  };

  Wire& wire_;
  const UdpSocket& socket_;
  const UdpSocket& client_;
  const Options& options_;
  std::mt19937& rng_;
  std::array<uint8_t, 16> secret_{};
  State state_ = State::kClosed;
  VerificationTag my_tag_;
  VerificationTag peer_tag_;
  Tsn my_initial_tsn_;
  Tsn cum_tsn_;
  std::vector<Partial> partial_;
  std::vector<Ssn> next_ssn_;
  std::vector<uint8_t> expected_;
  size_t buffered_ = 0;
  uint64_t delivered_ = 0;
  uint64_t delivered_bytes_ = 0;
  std::vector<AnyChunk> chunks_;
};

// ---- the client: handshake, then fragments and bundles messages, then shuts down ----
class Client {
 public:
  Client(Wire& wire, const UdpSocket& socket, const UdpSocket& server, const Options& options,
         std::mt19937& rng)
      : wire_(wire), socket_(socket), server_(server), options_(options) {
    do
      my_tag_ = VerificationTag(static_cast<uint32_t>(rng()));
    while (my_tag_ == VerificationTag(0));
    initial_tsn_ = Tsn(static_cast<uint32_t>(rng()));
    next_tsn_ = initial_tsn_;
    acked_ = initial_tsn_ - 1;
    message_.resize(options.size);
    FillMessage(0, message_);
  }

  enum class State { kCookieWait, kCookieEchoed, kEstablished, kShutdownSent, kDone };
  State state() const { return state_; }
  uint64_t payload_acked() const { return payload_acked_; }

  void Start() {
    // RFC 9260 §5.1 step A: INIT with our tag, window, streams and initial TSN. We only
    // speak IPv4 here (§3.3.2.1 Supported Address Types).
    const std::array<uint8_t, 2> ipv4 = {0, ParameterType::kIpv4Address};
    const std::vector<uint8_t> params = Tlv(ParameterType::kSupportedAddressTypes, ipv4);
    const InitChunk init{my_tag_,          kReceiveWindow,
                         options_.streams, options_.streams,
                         initial_tsn_,     Bytes(std::span<const uint8_t>(params).first(6))};
    std::array<uint8_t, kMaxPacketSize> buf;
    PacketBuilder b(buf, CommonHeader{kClientSctpPort, kServerSctpPort, VerificationTag(0), 0},
                    kMaxPacketSize);
    b.Add(init);
    wire_.Send(socket_, server_, true, b.Finish());
  }

  // Sends DATA packets while the window allows.
  void Pump() {
    if (state_ != State::kEstablished) return;
    while (!AllSent()) {
      std::array<uint8_t, kMaxPacketSize> buf;
      PacketBuilder b(buf, CommonHeader{kClientSctpPort, kServerSctpPort, peer_tag_, 0},
                      kMaxPacketSize);
      AddData(b);
      if (b.empty()) break;
      wire_.Send(socket_, server_, true, b.Finish());
    }
    MaybeShutdown();
  }

  void OnPacket(std::span<const uint8_t> packet) {
    if (!Accept(wire_, "client", packet, my_tag_, kClientSctpPort, &chunks_)) return;
    for (const AnyChunk& c : chunks_) {
      if (const auto* ack = std::get_if<InitAckChunk>(&c)) {
        if (state_ != State::kCookieWait) return Unexpected("INIT ACK in the wrong state");
        OnInitAck(*ack);
      } else if (std::get_if<CookieAckChunk>(&c) != nullptr) {
        if (state_ != State::kCookieEchoed) return Unexpected("COOKIE ACK in the wrong state");
        state_ = State::kEstablished;  // RFC 9260 §5.1 step E
      } else if (const auto* sack = std::get_if<SackChunk>(&c)) {
        OnSack(*sack);
      } else if (std::get_if<ShutdownAckChunk>(&c) != nullptr) {
        if (state_ != State::kShutdownSent) return Unexpected("SHUTDOWN ACK in the wrong state");
        // RFC 9260 §9.2: answer with SHUTDOWN COMPLETE (T bit clear: we have a TCB).
        std::array<uint8_t, 64> buf;
        PacketBuilder b(buf, CommonHeader{kClientSctpPort, kServerSctpPort, peer_tag_, 0},
                        buf.size());
        b.Add(ShutdownCompleteChunk{false});
        wire_.Send(socket_, server_, true, b.Finish());
        state_ = State::kDone;
      } else {
        return Unexpected(std::string("chunk ") + std::string(ChunkTypeName(TypeOf(c))));
      }
    }
    Pump();
  }

 private:
  bool AllSent() const { return message_index_ >= options_.messages; }

  void OnInitAck(const InitAckChunk& ack) {
    peer_tag_ = ack.initiate_tag;
    peer_initial_tsn_ = ack.initial_tsn;
    peer_rwnd_ = ack.a_rwnd;
    TlvReader reader = ack.parameters_reader();
    TlvView tlv;
    cookie_.clear();
    while (reader.Next(&tlv)) {
      if (tlv.type == ParameterType::kStateCookie)
        cookie_.assign(tlv.value.begin(), tlv.value.end());
    }
    if (cookie_.empty() || peer_tag_ == VerificationTag(0)) {
      return Unexpected("INIT ACK without a State Cookie");
    }
    // RFC 9260 §5.1 step C: echo the cookie; §5.1 allows DATA bundled after it.
    std::array<uint8_t, kMaxPacketSize> buf;
    PacketBuilder b(buf, CommonHeader{kClientSctpPort, kServerSctpPort, peer_tag_, 0},
                    kMaxPacketSize);
    b.Add(CookieEchoChunk{Bytes(cookie_)});
    AddData(b);
    wire_.Send(socket_, server_, true, b.Finish());
    state_ = State::kCookieEchoed;
  }

  // Fills the packet with DATA chunks: the rest of the current message, then the next
  // ones, fragmenting at the packet boundary (RFC 9260 §6.9: fragments of one message get
  // consecutive TSNs, the same SSN, B on the first and E on the last).
  void AddData(PacketBuilder& b) {
    while (!AllSent()) {
      const size_t room = b.remaining() >= DataChunk::kHeaderSize
                              ? (b.remaining() - DataChunk::kHeaderSize) & ~size_t{3}
                              : 0;
      const size_t left = message_.size() - offset_;
      size_t n = std::min(room, left);
      if (n == 0 || (n < left && n < kMinFragment)) break;
      // RFC 9260 §6.1 rule A: no new data beyond the peer's rwnd, except a zero window
      // probe when nothing is outstanding (sent at once here: there are no timers); rule B:
      // kMaxInFlight stands in for the congestion window.
      if (in_flight_ > 0 && (n > peer_rwnd_ || in_flight_ + n > kMaxInFlight)) break;
      const uint16_t sid = static_cast<uint16_t>(message_index_ % options_.streams);
      const Ssn ssn(static_cast<uint16_t>(message_index_ / options_.streams));
      const DataChunk d{false,
                        false,
                        offset_ == 0,
                        offset_ + n == message_.size(),
                        next_tsn_,
                        StreamId(sid),
                        ssn,
                        Ppid(kPpidBinary),
                        Bytes(std::span<const uint8_t>(message_).subspan(offset_, n))};
      if (!b.Add(d)) break;
      sizes_.push_back(static_cast<uint32_t>(n));
      ++next_tsn_;
      in_flight_ += n;
      peer_rwnd_ -= std::min<uint32_t>(peer_rwnd_, static_cast<uint32_t>(n));
      offset_ += n;
      if (offset_ == message_.size()) {
        offset_ = 0;
        if (++message_index_ < options_.messages) FillMessage(message_index_, message_);
      }
    }
  }

  void OnSack(const SackChunk& sack) {
    if (state_ != State::kEstablished && state_ != State::kCookieEchoed &&
        state_ != State::kShutdownSent) {
      return Unexpected("SACK in the wrong state");
    }
    // RFC 9260 §6.2.1: the cumulative TSN ack moves forward and never past what was sent.
    if (sack.cumulative_tsn_ack < acked_ || !(sack.cumulative_tsn_ack < next_tsn_)) {
      return Unexpected("SACK acknowledges a TSN never sent");
    }
    if (!sack.gap_ack_blocks.empty() || !sack.duplicate_tsns.empty()) {
      return Unexpected("SACK reports loss or duplicates");
    }
    while (acked_ != sack.cumulative_tsn_ack) {
      ++acked_;
      const uint32_t n = sizes_[acked_.DistanceFrom(initial_tsn_)];
      in_flight_ -= n;
      payload_acked_ += n;
    }
    // RFC 9260 §6.2.1 D (ii): rwnd = a_rwnd minus the bytes still outstanding.
    peer_rwnd_ = sack.a_rwnd > in_flight_ ? sack.a_rwnd - static_cast<uint32_t>(in_flight_) : 0;
  }

  void MaybeShutdown() {
    if (state_ != State::kEstablished || !AllSent() || in_flight_ != 0) return;
    // RFC 9260 §9.2: all our DATA is acknowledged: SHUTDOWN with our cumulative TSN ack of
    // the peer's DATA (it sent none: its initial TSN - 1).
    std::array<uint8_t, 64> buf;
    PacketBuilder b(buf, CommonHeader{kClientSctpPort, kServerSctpPort, peer_tag_, 0}, buf.size());
    b.Add(ShutdownChunk{peer_initial_tsn_ - 1});
    wire_.Send(socket_, server_, true, b.Finish());
    state_ = State::kShutdownSent;
  }

  void Unexpected(const std::string& what) {
    wire_.Problem(wire_.problems.protocol_errors, "client: " + what);
  }

  Wire& wire_;
  const UdpSocket& socket_;
  const UdpSocket& server_;
  const Options& options_;
  State state_ = State::kCookieWait;
  VerificationTag my_tag_;
  VerificationTag peer_tag_;
  Tsn initial_tsn_;
  Tsn next_tsn_;
  Tsn acked_;
  Tsn peer_initial_tsn_;
  uint32_t peer_rwnd_ = 0;
  std::vector<uint8_t> cookie_;
  std::vector<uint8_t> message_;
  uint64_t message_index_ = 0;
  size_t offset_ = 0;
  size_t in_flight_ = 0;
  uint64_t payload_acked_ = 0;
  std::vector<uint32_t> sizes_;  // payload bytes per TSN, indexed from initial_tsn_
  std::vector<AnyChunk> chunks_;
};

// ---- tshark ----
std::string FindOnPath(const char* name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return "";
  std::string_view rest(path);
  while (!rest.empty()) {
    const size_t colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    if (dir.empty()) dir = ".";
    const std::string candidate = dir + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

std::string RunCommand(const std::string& command, bool* ok) {
  std::string output;
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    *ok = false;
    return output;
  }
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0)
    output.append(buf, n);
  *ok = pclose(pipe) == 0;
  return output;
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Decodes the pcap with tshark and checks that every packet is SCTP with a good CRC32c.
// Returns false if tshark disagrees.
bool CrossCheckWithTshark(const std::string& tshark, const std::string& pcap, uint16_t port_a,
                          uint16_t port_b, uint64_t packets_written) {
  const std::string base = ShellQuote(tshark) + " -n -r " + ShellQuote(pcap) +
                           " -d udp.port==" + std::to_string(port_a) +
                           ",sctp -d udp.port==" + std::to_string(port_b) +
                           ",sctp -o 'sctp.checksum:CRC 32c'";
  bool ok = false;
  const std::string summary = RunCommand(base + " 2>/dev/null", &ok);
  std::printf("\ntshark's view of the capture (first lines):\n");
  size_t pos = 0;
  for (int line = 0; line < 12 && pos < summary.size(); ++line) {
    const size_t end = summary.find('\n', pos);
    const std::string text = summary.substr(pos, end == std::string::npos ? end : end - pos);
    std::printf("  %.110s\n", text.c_str());
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  const std::string fields =
      RunCommand(base +
                     " -T fields -e frame.protocols -e sctp.checksum.status -e _ws.expert.severity"
                     " -E occurrence=a 2>/dev/null",
                 &ok);
  uint64_t frames = 0, good = 0, malformed = 0;
  pos = 0;
  while (pos < fields.size()) {
    size_t end = fields.find('\n', pos);
    if (end == std::string::npos) end = fields.size();
    const std::string line = fields.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) continue;
    ++frames;
    const size_t tab1 = line.find('\t');
    const std::string protocols = line.substr(0, tab1);
    const size_t tab2 = line.find('\t', tab1 + 1);
    const std::string status =
        tab1 == std::string::npos ? "" : line.substr(tab1 + 1, tab2 - tab1 - 1);
    const std::string severity = tab2 == std::string::npos ? "" : line.substr(tab2 + 1);
    const bool sctp = protocols.find(":sctp") != std::string::npos;
    if (protocols.find("malformed") != std::string::npos) ++malformed;
    // sctp.checksum.status: 1 = Good. An expert Error (0x00800000) counts as a failure.
    if (sctp && status == "1" && severity.find("8388608") == std::string::npos) ++good;
  }
  const bool all_good = ok && frames == packets_written && good == frames && malformed == 0;
  std::printf("tshark: %" PRIu64 " of %" PRIu64
              " packets decoded as SCTP with a good CRC32c"
              ", %" PRIu64 " malformed  %s\n",
              good, packets_written, malformed, all_good ? "[ok]" : "[MISMATCH]");
  return all_good;
}

bool ParseArgs(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "sctp-codec-demo: %s needs a value\n", name);
        return nullptr;
      }
      return argv[++i];
    };
    auto number = [&](const char* name, uint64_t lo, uint64_t hi, uint64_t* out) {
      const char* v = value(name);
      if (v == nullptr) return false;
      char* end = nullptr;
      errno = 0;
      const unsigned long long parsed = std::strtoull(v, &end, 10);
      if (errno != 0 || end == v || *end != '\0' || parsed < lo || parsed > hi) {
        std::fprintf(stderr, "sctp-codec-demo: %s must be a number in [%" PRIu64 ", %" PRIu64 "]\n",
                     name, lo, hi);
        return false;
      }
      *out = parsed;
      return true;
    };
    uint64_t n = 0;
    if (arg == "--messages") {
      if (!number("--messages", 1, 100'000'000, &o->messages)) return false;
    } else if (arg == "--size") {
      if (!number("--size", 1, 64 << 20, &n)) return false;
      o->size = n;
    } else if (arg == "--streams") {
      if (!number("--streams", 1, 65535, &n)) return false;
      o->streams = static_cast<uint16_t>(n);
    } else if (arg == "--pcap") {
      const char* v = value("--pcap");
      if (v == nullptr) return false;
      o->pcap = v;
    } else if (arg == "--no-pcap") {
      o->pcap.clear();
    } else if (arg == "--help" || arg == "-h") {
      std::printf(
          "usage: sctp-codec-demo [--messages N] [--size BYTES] [--streams S] [--pcap PATH | "
          "--no-pcap]\n"
          "  A scripted SCTP exchange built with the sctpcpp wire codec, sent over UDP on "
          "127.0.0.1.\n"
          "  defaults: --messages 1000 --size 1024 --streams 4 --pcap /tmp/sctpcpp-demo.pcap\n");
      std::exit(0);
    } else {
      std::fprintf(stderr, "sctp-codec-demo: unknown argument %s (try --help)\n", argv[i]);
      return false;
    }
  }
  return true;
}

std::string HumanBytes(double bytes) {
  char buf[32];
  if (bytes >= 1e9) {
    std::snprintf(buf, sizeof(buf), "%.2f GB", bytes / 1e9);
  } else if (bytes >= 1e6) {
    std::snprintf(buf, sizeof(buf), "%.2f MB", bytes / 1e6);
  } else if (bytes >= 1e3) {
    std::snprintf(buf, sizeof(buf), "%.1f kB", bytes / 1e3);
  } else {
    std::snprintf(buf, sizeof(buf), "%.0f B", bytes);
  }
  return buf;
}

int Run(int argc, char** argv) {
  Options options;
  if (!ParseArgs(argc, argv, &options)) return 2;

  std::printf(
      "sctp-codec-demo: a scripted SCTP conversation built with the sctpcpp wire codec and "
      "carried\n"
      "over real UDP (RFC 6951 encapsulation) between two sockets on 127.0.0.1. Each side\n"
      "checks every packet it receives with the codec (CRC32c, packet and chunk parsers,\n"
      "verification tags); the receiver reassembles and verifies every message.\n"
      "Note: this is a codec-level scripted exchange, not the protocol engine (no\n"
      "retransmission, congestion control or timers yet).\n\n");

  UdpSocket client_socket, server_socket;
  std::string error;
  if (!client_socket.Open(&error) || !server_socket.Open(&error)) {
    std::fprintf(stderr, "sctp-codec-demo: %s\n", error.c_str());
    return 1;
  }
  // The capture goes to a file of this run's own and is renamed into place at the end, so
  // that parallel runs never write (or let tshark read) each other's packets.
  std::unique_ptr<capture::PcapWriter> pcap;
  const std::string pcap_partial = options.pcap + ".partial-" + std::to_string(getpid());
  if (!options.pcap.empty()) {
    pcap = capture::PcapWriter::Open(pcap_partial);
    if (pcap == nullptr) {
      std::fprintf(stderr, "sctp-codec-demo: cannot write %s: %s\n", pcap_partial.c_str(),
                   std::strerror(errno));
      return 1;
    }
  }
  std::printf("client 127.0.0.1:%u (SCTP port %u)  <->  server 127.0.0.1:%u (SCTP port %u)\n",
              client_socket.port(), kClientSctpPort, server_socket.port(), kServerSctpPort);
  std::printf("%" PRIu64 " messages of %zu bytes on %u streams, packets up to %zu bytes\n\n",
              options.messages, options.size, options.streams, kMaxPacketSize);

  std::random_device seed;
  std::mt19937 rng(seed());
  Wire wire(pcap.get());
  Client client(wire, client_socket, server_socket, options, rng);
  Server server(wire, server_socket, client_socket, options, rng);
  const bool tty = isatty(STDOUT_FILENO) != 0;

  const Clock::time_point start = Clock::now();
  Clock::time_point last_progress = start;
  client.Start();
  std::vector<uint8_t> buffer(65536);
  bool stalled = false;
  while (!(client.state() == Client::State::kDone && server.state() == Server::State::kDone)) {
    if (wire.problems.total() > 0) break;
    pollfd fds[2] = {{client_socket.fd(), POLLIN, 0}, {server_socket.fd(), POLLIN, 0}};
    const int ready = poll(fds, 2, kStallTimeoutMs);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      stalled = true;
      break;
    }
    // Drain the server first (it answers), then the client (which sends more).
    for (int side : {1, 0}) {
      if ((fds[side].revents & POLLIN) == 0) continue;
      const UdpSocket& s = side == 1 ? server_socket : client_socket;
      const UdpSocket& peer = side == 1 ? client_socket : server_socket;
      sockaddr_in from{};
      ssize_t n;
      while ((n = s.Receive(buffer, &from)) >= 0) {
        if (from.sin_port != peer.local().sin_port) continue;  // not from our peer: ignore
        const std::span<const uint8_t> packet(buffer.data(), static_cast<size_t>(n));
        if (side == 1) {
          server.OnPacket(packet);
        } else {
          client.OnPacket(packet);
        }
      }
    }
    const Clock::time_point now = Clock::now();
    if (tty && now - last_progress >= std::chrono::milliseconds(100)) {
      last_progress = now;
      const double seconds = std::chrono::duration<double>(now - start).count();
      char line[160];
      std::snprintf(
          line, sizeof(line),
          "  [%3.0f%%] %" PRIu64 "/%" PRIu64 " messages delivered, %s, %.1f Mbit/s",
          100.0 * static_cast<double>(server.delivered()) / static_cast<double>(options.messages),
          server.delivered(), options.messages,
          HumanBytes(static_cast<double>(server.delivered_bytes())).c_str(),
          seconds > 0 ? static_cast<double>(server.delivered_bytes()) * 8 / seconds / 1e6 : 0.0);
      wire.Progress(line);
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  wire.ClearProgress();
  if (pcap != nullptr) pcap->Flush();

  const Problems& p = wire.problems;
  const bool delivered_all = server.delivered() == options.messages &&
                             client.payload_acked() == options.messages * options.size;
  const bool closed =
      client.state() == Client::State::kDone && server.state() == Server::State::kDone;
  std::printf("\nsummary (%.3f s)\n", seconds);
  std::printf("  client -> server  %8" PRIu64 " packets  %8" PRIu64 " chunks (%" PRIu64
              " DATA)  %s\n",
              wire.to_server.packets, wire.to_server.chunks, wire.to_server.data_chunks,
              HumanBytes(static_cast<double>(wire.to_server.bytes)).c_str());
  std::printf("  server -> client  %8" PRIu64 " packets  %8" PRIu64 " chunks  %s\n",
              wire.to_client.packets, wire.to_client.chunks,
              HumanBytes(static_cast<double>(wire.to_client.bytes)).c_str());
  std::printf("  messages delivered and verified: %" PRIu64 " / %" PRIu64 " (%s of payload)\n",
              server.delivered(), options.messages,
              HumanBytes(static_cast<double>(server.delivered_bytes())).c_str());
  std::printf("  payload acknowledged by SACKs: %s\n",
              HumanBytes(static_cast<double>(client.payload_acked())).c_str());
  std::printf("  bad checksums %" PRIu64 ", parse errors %" PRIu64 ", tag errors %" PRIu64
              ", protocol errors %" PRIu64 ", content errors %" PRIu64 ", I/O errors %" PRIu64 "\n",
              p.checksum_errors, p.parse_errors, p.tag_errors, p.protocol_errors, p.content_errors,
              p.io_errors);
  if (seconds > 0) {
    std::printf("  throughput: %.1f Mbit/s of payload, %.0f messages/s, %.0f packets/s\n",
                static_cast<double>(server.delivered_bytes()) * 8 / seconds / 1e6,
                static_cast<double>(server.delivered()) / seconds,
                static_cast<double>(wire.to_server.packets + wire.to_client.packets) / seconds);
  }
  std::printf("  association: %s\n", closed
                                         ? "closed by SHUTDOWN / SHUTDOWN ACK / SHUTDOWN COMPLETE"
                                         : "NOT closed cleanly");
  if (!p.first.empty()) std::printf("  first problem: %s\n", p.first.c_str());
  if (stalled)
    std::printf("  stalled: nothing received for %d ms (a lost packet?)\n", kStallTimeoutMs);

  bool capture_ok = true;
  if (pcap != nullptr) {
    const uint64_t written = pcap->packets_written();
    const bool pcap_ok = pcap->ok();
    pcap.reset();  // closes the file
    const std::string tshark = FindOnPath("tshark");
    if (tshark.empty()) {
      std::printf("\ntshark not on PATH: skipped the independent decode.\n");
    } else if (written > kTsharkMaxPackets) {
      std::printf("\n%" PRIu64 " packets: too many for a quick tshark pass; skipped it.\n",
                  written);
    } else {
      capture_ok = CrossCheckWithTshark(tshark, pcap_partial, client_socket.port(),
                                        server_socket.port(), written);
    }
    if (!pcap_ok || std::rename(pcap_partial.c_str(), options.pcap.c_str()) != 0) {
      std::printf("pcap: could not write %s\n", options.pcap.c_str());
      std::remove(pcap_partial.c_str());
      capture_ok = false;
    } else {
      std::printf("pcap: %s (%" PRIu64 " packets; UDP ports %u and %u carry SCTP)\n",
                  options.pcap.c_str(), written, client_socket.port(), server_socket.port());
    }
    if (!tshark.empty()) {
      std::printf(
          "  decode it yourself: tshark -r %s -d udp.port==%u,sctp -o 'sctp.checksum:CRC 32c' "
          "-V\n",
          options.pcap.c_str(), server_socket.port());
    }
  }

  const bool ok = delivered_all && closed && p.total() == 0 && !stalled && capture_ok;
  std::printf("\n%s\n", ok ? "OK: every packet parsed, every checksum good, every message verified."
                           : "FAILED: see above.");
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace sctp::demo

int main(int argc, char** argv) {
  return sctp::demo::Run(argc, argv);
}
