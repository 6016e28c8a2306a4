// A scripted, possibly hostile, peer for one real sctp::Endpoint: the test writes every
// packet the peer sends (with the codec, or as raw bytes), and inspects every packet the
// endpoint sends back. Time is injected; nothing runs unless the test says so.
// Header-only (tests/CMakeLists.txt compiles *_test.cc and support/*.cc only).
#ifndef SCTPCPP_TESTS_HOSTILE_HOSTILE_PEER_H_
#define SCTPCPP_TESTS_HOSTILE_HOSTILE_PEER_H_

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "sctpcpp/endpoint.h"
#include "wire/chunks.h"
#include "wire/crc32c.h"
#include "wire/error_causes.h"
#include "wire/packet.h"
#include "wire/parameters.h"

namespace sctp::testing::hostile {

inline constexpr uint16_t kLocalPort = 5000;  // the endpoint under test
inline constexpr uint16_t kPeerPort = 5001;   // the scripted peer

struct SentPacket {
  Address to;
  std::vector<uint8_t> bytes;
};

// One chunk of a packet the endpoint sent: the parsed chunk views point into `sent`.
struct SentChunk {
  size_t packet_index;
  uint32_t verification_tag;
  wire::AnyChunk chunk;
};

struct PeerConfig {
  Options options;     // of the endpoint under test
  bool listen = true;  // the endpoint listens; the peer initiates
  uint32_t peer_tag = 0x50505050;
  uint32_t peer_initial_tsn = 1000;
  uint16_t peer_outbound_streams = 16;
  uint16_t peer_inbound_streams = 16;
  uint32_t peer_a_rwnd = 1 << 20;
  bool peer_forward_tsn = true;     // the peer's INIT offers PR-SCTP (RFC 3758)
  bool release_on_delivery = true;  // false: delivered messages stay counted (no reader)
};

class HostilePeer {
 public:
  explicit HostilePeer(PeerConfig config = {}) : config_(std::move(config)) {
    EndpointConfig ec;
    ec.local_port = kLocalPort;
    ec.listen = config_.listen;
    ec.seed = 77;
    ec.options = config_.options;
    ec.release_on_delivery = config_.release_on_delivery;
    EndpointCallbacks cb;
    cb.send_packet = [this](const Address&, const Address& to, std::span<const uint8_t> p) {
      sent.push_back({to, std::vector<uint8_t>(p.begin(), p.end())});
    };
    cb.on_event = [this](Event&& e) { events.push_back(std::move(e)); };
    endpoint = std::make_unique<Endpoint>(ec, cb);
  }

  // --- packets from the peer ---
  static std::vector<uint8_t> Build(uint32_t tag, const std::vector<wire::AnyChunk>& chunks,
                                    uint16_t source_port = kPeerPort,
                                    uint16_t destination_port = kLocalPort) {
    std::vector<uint8_t> buffer(1 << 17);
    wire::PacketBuilder b(
        buffer, wire::CommonHeader{source_port, destination_port, VerificationTag(tag), 0},
        buffer.size());
    for (const wire::AnyChunk& c : chunks) {
      EXPECT_TRUE(wire::AddChunk(b, c));
    }
    std::span<const uint8_t> out = b.Finish();
    return std::vector<uint8_t>(out.begin(), out.end());
  }
  // Delivers a packet to the endpoint; returns how many packets it sent in reply.
  size_t Deliver(const std::vector<uint8_t>& packet, std::optional<Address> from = std::nullopt) {
    const size_t before = sent.size();
    endpoint->HandlePacket(from.value_or(peer_address), local_address, packet, now);
    EXPECT_EQ(endpoint->InvariantViolation(/*deep=*/true), "");
    return sent.size() - before;
  }
  size_t Send(const std::vector<wire::AnyChunk>& chunks) {
    return Deliver(Build(local_tag, chunks));
  }
  size_t SendWithTag(uint32_t tag, const std::vector<wire::AnyChunk>& chunks) {
    return Deliver(Build(tag, chunks));
  }
  // Raw packet: header with these fields, then `body` verbatim, correct CRC32c.
  static std::vector<uint8_t> Raw(uint32_t tag, const std::vector<uint8_t>& body) {
    std::vector<uint8_t> p(12 + body.size());
    wire::Store16(&p[0], kPeerPort);
    wire::Store16(&p[2], kLocalPort);
    wire::Store32(&p[4], tag);
    std::copy(body.begin(), body.end(), p.begin() + 12);
    wire::WriteSctpChecksum(p);
    return p;
  }

  // Advances time, serving every timer that falls due on the way.
  void Advance(Duration d) {
    const TimePoint end = now + d;
    for (int guard = 0; guard < 1'000'000; ++guard) {
      const TimePoint next = endpoint->NextDeadline();
      if (next > end) break;
      now = std::max(now, next);
      endpoint->HandleTimeout(now);
      EXPECT_EQ(endpoint->InvariantViolation(/*deep=*/true), "");
    }
    now = end;
  }

  // --- the handshake, as the initiating peer ---
  wire::InitChunk Init(std::span<const uint8_t> parameters = {}) const {
    return wire::InitChunk{VerificationTag(config_.peer_tag), config_.peer_a_rwnd,
                           config_.peer_outbound_streams,     config_.peer_inbound_streams,
                           Tsn(config_.peer_initial_tsn),     wire::Bytes(parameters)};
  }
  std::vector<uint8_t> InitParameters() const {
    std::vector<uint8_t> params;
    if (config_.peer_forward_tsn) params = wire::ToBytes(wire::ForwardTsnSupportedParameter{});
    return params;
  }
  // INIT → INIT ACK: learns the endpoint's tag, initial TSN and cookie.
  bool SendInit() {
    const std::vector<uint8_t> params = InitParameters();
    const size_t index = sent.size();
    Deliver(Build(0, {Init(params)}));
    if (sent.size() != index + 1) return false;
    auto ack = FirstChunk<wire::InitAckChunk>(index);
    if (!ack) return false;
    local_tag = ack->initiate_tag.value();
    local_initial_tsn = ack->initial_tsn.value();
    wire::TlvReader r = ack->parameters_reader();
    wire::TlvView tlv;
    while (r.Next(&tlv)) {
      if (tlv.type == wire::ParameterType::kStateCookie)
        cookie.assign(tlv.value.begin(), tlv.value.end());
    }
    return !cookie.empty();
  }
  // INIT, INIT ACK, COOKIE ECHO, COOKIE ACK: an established association.
  bool Handshake() {
    if (!SendInit()) return false;
    Send({wire::CookieEchoChunk{wire::Bytes(cookie)}});
    const auto ids = endpoint->associations();
    if (ids.size() != 1) return false;
    id = ids[0];
    next_tsn = config_.peer_initial_tsn;
    return State() == AssociationState::kEstablished;
  }

  // --- what the endpoint did ---
  std::optional<AssociationState> StateOf(AssociationId a) const {
    auto info = endpoint->GetInfo(a);
    if (!info) return std::nullopt;
    return info->state;
  }
  std::optional<AssociationState> State() const { return StateOf(id); }
  AssociationInfo Info() const { return endpoint->GetInfo(id).value_or(AssociationInfo{}); }

  // Every chunk of every packet sent since packet `from_packet`.
  std::vector<SentChunk> ChunksSince(size_t from_packet) const {
    std::vector<SentChunk> out;
    for (size_t i = from_packet; i < sent.size(); ++i) {
      auto view = wire::PacketView::Parse(sent[i].bytes);
      EXPECT_TRUE(view.ok()) << "the endpoint sent a packet our codec rejects";
      EXPECT_TRUE(wire::VerifySctpChecksum(sent[i].bytes));
      if (!view.ok()) continue;
      wire::ChunkReader r = view->chunks();
      wire::ChunkView c;
      while (r.Next(&c)) {
        auto parsed = wire::ParseChunk(c);
        EXPECT_TRUE(parsed.ok()) << "the endpoint sent a chunk our codec rejects";
        if (parsed.ok()) out.push_back({i, view->header().verification_tag.value(), *parsed});
      }
    }
    return out;
  }
  template <typename T>
  std::vector<T> ChunksOfType(size_t from_packet) const {
    std::vector<T> out;
    for (const SentChunk& c : ChunksSince(from_packet)) {
      if (const T* t = std::get_if<T>(&c.chunk)) out.push_back(*t);
    }
    return out;
  }
  template <typename T>
  std::optional<T> FirstChunk(size_t from_packet) const {
    auto all = ChunksOfType<T>(from_packet);
    if (all.empty()) return std::nullopt;
    return all.front();
  }
  // Cause codes of every ABORT / ERROR chunk sent since `from_packet`.
  template <typename ChunkT>
  std::vector<uint16_t> CauseCodes(size_t from_packet) const {
    std::vector<uint16_t> codes;
    for (const ChunkT& c : ChunksOfType<ChunkT>(from_packet)) {
      wire::TlvReader r = c.reader();
      wire::TlvView tlv;
      while (r.Next(&tlv))
        codes.push_back(tlv.type);
    }
    return codes;
  }
  template <typename T>
  int CountEvents() const {
    int n = 0;
    for (const Event& e : events)
      n += std::holds_alternative<T>(e.payload) ? 1 : 0;
    return n;
  }
  // The highest cumulative TSN ack in SACKs sent since `from_packet`, if any SACK was sent.
  std::optional<uint32_t> LastCumAck(size_t from_packet) const {
    auto sacks = ChunksOfType<wire::SackChunk>(from_packet);
    if (sacks.empty()) return std::nullopt;
    return sacks.back().cumulative_tsn_ack.value();
  }

  // A DATA chunk from the peer (complete message unless flags say otherwise).
  static wire::DataChunk Data(uint32_t tsn, uint16_t stream, uint16_t ssn,
                              std::span<const uint8_t> payload, bool beginning = true,
                              bool ending = true, bool unordered = false) {
    return wire::DataChunk{false,    unordered, beginning,
                           ending,   Tsn(tsn),  StreamId(stream),
                           Ssn(ssn), Ppid(51),  wire::Bytes(payload)};
  }

  PeerConfig config_;
  std::unique_ptr<Endpoint> endpoint;
  Address local_address = Address::Ipv4({10, 0, 0, 2});
  Address peer_address = Address::Ipv4({10, 0, 0, 1});
  TimePoint now = TimePoint(Seconds(100));
  std::vector<SentPacket> sent;
  std::vector<Event> events;
  uint32_t local_tag = 0;          // the endpoint's Initiate Tag: packets to it carry this
  uint32_t local_initial_tsn = 0;  // the endpoint's initial TSN
  std::vector<uint8_t> cookie;
  AssociationId id;
  uint32_t next_tsn = 0;  // the peer's next DATA TSN (tests advance it)
};

}  // namespace sctp::testing::hostile

#endif  // SCTPCPP_TESTS_HOSTILE_HOSTILE_PEER_H_
