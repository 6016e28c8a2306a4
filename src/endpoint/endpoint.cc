// sctp::Endpoint: demultiplexing (by verification tag, then by peer address and port),
// out-of-the-blue handling (RFC 9260 §8.4), verification tag rules (§8.5, §8.5.1), the
// stateless INIT → INIT ACK exchange and cookie verification (§5.1), and the deadline
// queue that drives every association's timers.
#include "sctpcpp/endpoint.h"

#include <cstdio>
#include <cstdlib>
#include <queue>
#include <random>

#include "absl/container/flat_hash_map.h"
#include "assoc/association.h"
#include "common/lazy_deque.h"
#include "endpoint/ootb.h"
#include "endpoint/state_cookie.h"
#include "wire/chunks.h"
#include "wire/crc32c.h"
#include "wire/error_causes.h"
#include "wire/packet.h"
#include "wire/parameters.h"

namespace sctp {
namespace {

using wire::Bytes;
using wire::ToBytes;

struct PeerKey {
  Address address;
  uint16_t port;
  friend bool operator==(const PeerKey&, const PeerKey&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const PeerKey& k) {
    return H::combine(std::move(h), k.address, k.port);
  }
};

}  // namespace

// Outgoing packets are built in a scratch buffer per nesting level of Endpoint calls on this
// thread, shared by all endpoints and associations: a buffer per association would cost an
// MTU for each of 10,000 idle associations. A call nested in a callback (a host whose
// send_packet delivers synchronously into another endpoint) gets the next level's buffer, so
// it never overwrites a packet that is still being handed out.
namespace {
thread_local std::vector<std::vector<uint8_t>> t_packet_scratch;
thread_local size_t t_call_depth = 0;
struct CallScope {
  CallScope() { ++t_call_depth; }
  ~CallScope() { --t_call_depth; }
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;
};
}  // namespace

class Endpoint::Impl final : public assoc::AssociationContext {
 public:
  Impl(EndpointConfig config, EndpointCallbacks callbacks)
      : config_(std::move(config)), callbacks_(std::move(callbacks)), rng_state_(config_.seed) {
    uint8_t secret[endpoint::CookieSigner::kSecretSize];
    FillRandom(secret);
    signer_ = std::make_unique<endpoint::CookieSigner>(secret, TimePoint{},
                                                       config_.options.valid_cookie_life);
  }

  // --- AssociationContext ---
  void SendPacket(const Address& from, const Address& to,
                  std::span<const uint8_t> packet) override {
    ++stats_.packets_sent;
    callbacks_.send_packet(from, to, packet);
  }
  void Emit(Event event) override { events_.push_back(std::move(event)); }
  std::span<uint8_t> PacketScratch(size_t size) override {
    const size_t level = t_call_depth == 0 ? 0 : t_call_depth - 1;
    if (t_packet_scratch.size() <= level) t_packet_scratch.resize(level + 1);
    std::vector<uint8_t>& buffer = t_packet_scratch[level];
    if (buffer.size() < size) buffer.resize(size);
    return std::span<uint8_t>(buffer).first(size);
  }
  uint32_t RandomU32() override {
    uint8_t b[4];
    FillRandom(b);
    return wire::Load32(b);
  }
  const std::vector<Address>& local_addresses() const override { return config_.local_addresses; }

  void SendInitAck(const wire::InitChunk& init, const Address& from, const Address& to,
                   uint16_t peer_port, const InitAckChoice& choice, TimePoint now) override {
    const Options& options = config_.options;
    endpoint::CookieContents cookie;
    cookie.created = now;
    cookie.lifetime = options.valid_cookie_life;
    cookie.local_tag = choice.local_tag;
    cookie.peer_tag = init.initiate_tag;
    cookie.local_initial_tsn = choice.local_initial_tsn;
    cookie.peer_initial_tsn = init.initial_tsn;
    cookie.peer_rwnd = init.a_rwnd;
    cookie.local_tie_tag = choice.local_tie_tag;
    cookie.peer_tie_tag = choice.peer_tie_tag;
    cookie.local_port = config_.local_port;
    cookie.peer_port = peer_port;
    // §5.1.1: outbound = min(our OS, peer MIS); inbound = min(our MIS, peer OS).
    cookie.outbound_streams = std::min(options.outbound_streams, init.inbound_streams);
    cookie.inbound_streams = std::min(options.inbound_streams, init.outbound_streams);

    std::vector<uint8_t> unrecognized;  // "Unrecognized Parameter" parameters (§3.2.1)
    wire::TlvReader reader = init.parameters_reader();
    wire::TlvView tlv;
    while (reader.Next(&tlv)) {
      if (tlv.type == wire::ParameterType::kCookiePreservative) {
        // §5.2.6: honour a Cookie Preservative by extending the life, bounded.
        auto p = wire::CookiePreservativeParameter::Parse(tlv);
        if (p.ok()) {
          cookie.lifetime += std::min<Duration>(
              Milliseconds(p->suggested_cookie_life_span_increment_ms), options.valid_cookie_life);
        }
      }
      if (assoc::IsKnownInitParameter(tlv.type)) continue;
      const wire::UnrecognizedAction action = wire::UnrecognizedParameterAction(tlv.type);
      const bool report = action == wire::UnrecognizedAction::kStopDiscardReport ||
                          action == wire::UnrecognizedAction::kSkipReport;
      if (report && unrecognized.size() + tlv.length < 512) {
        const auto p = ToBytes(wire::UnrecognizedParameterParameter{tlv.raw()});
        unrecognized.insert(unrecognized.end(), p.begin(), p.end());
      }
      // §3.2.1: "00"/"01": stop processing further parameters.
      if (action == wire::UnrecognizedAction::kStopDiscard ||
          action == wire::UnrecognizedAction::kStopDiscardReport) {
        break;
      }
    }
    cookie.capabilities = assoc::NegotiateCapabilities(init.parameters_reader(), options);
    if (init.parameters.size() <= endpoint::CookieSigner::kMaxInitParameters) {
      cookie.peer_init_parameters.assign(init.parameters.begin(), init.parameters.end());
    }
    std::vector<uint8_t> fresh(endpoint::CookieSigner::kSecretSize);
    if (signer_->NeedsRotation(now)) {
      FillRandom(fresh);
      signer_->MaybeRotate(now, fresh);
    }
    const std::vector<uint8_t> signed_cookie = signer_->Sign(cookie);

    // Unrecognized Parameters first, then the State Cookie: RFC 9260 fixes no order; this is
    // usrsctp's (ETSI sctp-as-i-1-8-2 checks it).
    std::vector<uint8_t> parameters = std::move(unrecognized);
    const std::vector<uint8_t> cookie_parameter =
        ToBytes(wire::StateCookieParameter{Bytes(signed_cookie)});
    parameters.insert(parameters.end(), cookie_parameter.begin(), cookie_parameter.end());
    assoc::AppendCommonInitParameters(config_.local_addresses, options, &parameters);
    wire::InitAckChunk ack;
    ack.initiate_tag = choice.local_tag;
    ack.a_rwnd = options.receive_window;
    ack.outbound_streams = options.outbound_streams;
    ack.inbound_streams = options.inbound_streams;
    ack.initial_tsn = choice.local_initial_tsn;
    ack.parameters = Bytes(parameters);
    // §5.1 step B: the INIT ACK goes to the INIT's source with the INIT's Initiate Tag.
    SendChunk(ack, to, from, peer_port, init.initiate_tag);
  }

  // --- public API ---
  absl::StatusOr<AssociationId> Connect(std::span<const Address> peers, uint16_t peer_port,
                                        TimePoint now, const Options* options) {
    if (peers.empty()) return absl::InvalidArgumentError("no peer address");
    if (peer_port == 0) return absl::InvalidArgumentError("peer port 0");
    for (const Address& a : peers) {
      if (by_peer_.contains(PeerKey{a, peer_port})) {
        return absl::AlreadyExistsError("an association with this peer exists");
      }
    }
    const AssociationId id = NextId();
    VerificationTag tag = NewTag();
    auto association = std::make_unique<assoc::Association>(
        id, *this, options != nullptr ? *options : config_.options, config_.local_port, peer_port,
        std::vector<Address>(peers.begin(), peers.end()), tag, Tsn(RandomU32()));
    assoc::Association* a = association.get();
    associations_[id.value()] = std::move(association);
    touched_.push_back(id.value());
    Index(*a);
    a->Connect(now);
    AfterCall();
    return id;
  }

  void HandlePacket(const Address& from, const Address& to, std::span<const uint8_t> bytes,
                    TimePoint now, bool checksum_verified) {
    last_now_ = now;
    ++stats_.packets_received;
    // §6.8: an invalid checksum means the packet is silently discarded. RFC 9653 §5.3: an
    // endpoint that announced Zero Checksum Acceptable "MUST accept SCTP packets that have an
    // incorrect checksum value of zero" (its lower layer, e.g. DTLS, detects errors).
    if (!checksum_verified && !wire::VerifySctpChecksum(bytes)) {
      const bool zero = bytes.size() >= wire::kCommonHeaderSize && bytes[8] == 0 && bytes[9] == 0 &&
                        bytes[10] == 0 && bytes[11] == 0;
      if (!zero || !config_.options.zero_checksum) {
        ++stats_.bad_checksum;
        return;
      }
    }
    wire::Parsed<wire::PacketView> parsed = wire::PacketView::Parse(bytes);
    if (!parsed.ok()) {
      ++stats_.malformed;
      return;
    }
    const wire::PacketView& packet = *parsed;
    const wire::CommonHeader& header = packet.header();
    if (header.destination_port != config_.local_port || header.source_port == 0) {
      ++stats_.malformed;
      return;
    }
    Dispatch(packet, from, to, now);
    AfterCall();
  }

  TimePoint NextDeadline() {
    while (!deadlines_.empty()) {
      const auto& [deadline, id] = deadlines_.top();
      auto it = scheduled_.find(id);
      if (it != scheduled_.end() && it->second == deadline) return deadline;
      deadlines_.pop();  // stale entry
    }
    return kNever;
  }

  void HandleTimeout(TimePoint now) {
    last_now_ = now;
    while (true) {
      const TimePoint next = NextDeadline();
      if (next == kNever || next > now) break;
      const uint32_t id = deadlines_.top().second;
      deadlines_.pop();
      scheduled_.erase(id);
      if (auto* a = Find(id)) {
        a->HandleTimeout(now);
        Reschedule(*a);
      }
    }
    AfterCall();
  }

  absl::Status Send(AssociationId id, StreamId stream, Ppid ppid, std::vector<uint8_t> payload,
                    const SendOptions& options, TimePoint now) {
    return OnAssociation(id, now, [&](assoc::Association& a) {
      return a.Send(stream, ppid, std::move(payload), options, now);
    });
  }

  absl::Status Shutdown(AssociationId id, TimePoint now) {
    return OnAssociation(id, now, [&](assoc::Association& a) { return a.Shutdown(now); });
  }

  absl::Status Abort(AssociationId id, std::span<const uint8_t> reason, TimePoint now) {
    return OnAssociation(id, now, [&](assoc::Association& a) {
      a.Abort(reason, now);
      return absl::OkStatus();
    });
  }

  absl::Status ResetStreams(AssociationId id, std::span<const StreamId> streams, bool outgoing,
                            bool incoming, TimePoint now) {
    return OnAssociation(id, now, [&](assoc::Association& a) {
      return a.ResetStreams(streams, outgoing, incoming, now);
    });
  }

  absl::Status ResetAssociation(AssociationId id, TimePoint now) {
    return OnAssociation(id, now, [&](assoc::Association& a) { return a.ResetAssociation(now); });
  }

  absl::Status AddStreams(AssociationId id, uint16_t outgoing, uint16_t incoming, TimePoint now) {
    return OnAssociation(
        id, now, [&](assoc::Association& a) { return a.AddStreams(outgoing, incoming, now); });
  }

  absl::Status SetStreamScheduling(AssociationId id, StreamId stream,
                                   std::optional<uint16_t> priority,
                                   std::optional<uint16_t> weight) {
    assoc::Association* a = Find(id.value());
    if (a == nullptr) return absl::NotFoundError("no such association");
    return a->SetStreamScheduling(stream, priority, weight);
  }

  // A public call on one association, then AfterCall for what it changed.
  template <typename Call>
  absl::Status OnAssociation(AssociationId id, TimePoint now, Call&& call) {
    last_now_ = now;
    assoc::Association* a = Find(id.value());
    if (a == nullptr) return absl::NotFoundError("no such association");
    absl::Status status = call(*a);
    AfterCall();
    return status;
  }

  std::optional<Event> PollEvent() {
    if (events_.empty()) return std::nullopt;
    Event e = std::move(events_.front());
    events_.pop_front();
    Consumed(e);
    AfterCall();
    return e;
  }

  void ReleaseReceiveBuffer(AssociationId id, size_t bytes, TimePoint now) {
    last_now_ = now;
    if (assoc::Association* a = Find(id.value())) a->OnMessagesConsumed(bytes, now);
    AfterCall();
  }

  std::string InvariantViolation(bool deep) const {
    for (const auto& [id, a] : associations_) {
      std::string violation = a->InvariantViolation(deep);
      if (!violation.empty()) return "association " + std::to_string(id) + ": " + violation;
    }
    return "";
  }

  std::optional<PrStatus> GetStreamPrStatus(AssociationId id, StreamId stream) const {
    auto it = associations_.find(id.value());
    if (it == associations_.end()) return std::nullopt;
    return it->second->GetStreamPrStatus(stream);
  }
  std::optional<AssociationInfo> GetInfo(AssociationId id) const {
    auto it = associations_.find(id.value());
    if (it == associations_.end()) return std::nullopt;
    return it->second->GetInfo();
  }
  std::optional<size_t> BufferedAmount(AssociationId id) const {
    auto it = associations_.find(id.value());
    if (it == associations_.end()) return std::nullopt;
    return it->second->BufferedAmount();
  }
  std::vector<AssociationId> associations() const {
    std::vector<AssociationId> ids;
    for (const auto& [id, a] : associations_)
      ids.push_back(AssociationId(id));
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  EndpointConfig config_;
  EndpointStats stats_;

 private:
  void FillRandom(std::span<uint8_t> out) {
    if (callbacks_.random_bytes) {
      callbacks_.random_bytes(out);
      return;
    }
    // SplitMix64: 8 bytes of state instead of std::mt19937_64's 2.5 KiB per endpoint; only
    // for hosts that give no random_bytes (tests, simulations), as EndpointConfig::seed says.
    for (size_t i = 0; i < out.size(); i += 8) {
      uint64_t z = (rng_state_ += 0x9e3779b97f4a7c15u);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
      z ^= z >> 31;
      for (size_t j = i; j < out.size() && j < i + 8; ++j, z >>= 8)
        out[j] = static_cast<uint8_t>(z);
    }
  }
  VerificationTag NewTag() {
    // §5.3.1: tags are random and non-zero; also unique among our associations so the
    // demultiplexer stays unambiguous.
    while (true) {
      const VerificationTag tag(RandomU32());
      if (tag.value() != 0 && !by_local_tag_.contains(tag.value())) return tag;
    }
  }
  AssociationId NextId() {
    // After a wrap-around the ids below first_association_id (never 0) are skipped again.
    while (associations_.contains(next_id_) ||
           next_id_ < std::max<uint32_t>(config_.first_association_id, 1))
      ++next_id_;
    return AssociationId(next_id_++);
  }
  // Every association a call looks at is revisited by AfterCall (and only those: the
  // per-call cost does not grow with the number of associations).
  assoc::Association* Find(uint32_t id) {
    auto it = associations_.find(id);
    if (it == associations_.end()) return nullptr;
    if (touched_.empty() || touched_.back() != id) touched_.push_back(id);
    return it->second.get();
  }
  assoc::Association* FindByTag(VerificationTag tag) {
    auto it = by_local_tag_.find(tag.value());
    return it == by_local_tag_.end() ? nullptr : Find(it->second);
  }
  assoc::Association* FindByPeer(const Address& address, uint16_t port) {
    auto it = by_peer_.find(PeerKey{address, port});
    return it == by_peer_.end() ? nullptr : Find(it->second);
  }

  // Keeps the demultiplexing maps in line with an association's tags and addresses.
  void Index(assoc::Association& a) {
    Unindex(a.id().value());
    IndexKeys& keys = index_keys_[a.id().value()];
    keys.local_tag = a.local_tag().value();
    by_local_tag_[keys.local_tag] = a.id().value();
    for (const Address& address : a.peer_addresses()) {
      PeerKey key{address, a.peer_port()};
      by_peer_[key] = a.id().value();
      keys.peers.push_back(key);
    }
  }
  void Unindex(uint32_t id) {
    auto it = index_keys_.find(id);
    if (it == index_keys_.end()) return;
    auto tag_it = by_local_tag_.find(it->second.local_tag);
    if (tag_it != by_local_tag_.end() && tag_it->second == id) by_local_tag_.erase(tag_it);
    for (const PeerKey& k : it->second.peers) {
      auto peer_it = by_peer_.find(k);
      if (peer_it != by_peer_.end() && peer_it->second == id) by_peer_.erase(peer_it);
    }
    index_keys_.erase(it);
  }
  bool IndexStale(assoc::Association& a) {
    auto it = index_keys_.find(a.id().value());
    return it == index_keys_.end() || it->second.local_tag != a.local_tag().value() ||
           it->second.peers.size() != a.path_count();
  }
  void Reschedule(assoc::Association& a) {
    const TimePoint next = a.NextDeadline();
    auto it = scheduled_.find(a.id().value());
    if (next == kNever) {
      if (it != scheduled_.end()) scheduled_.erase(it);
      return;
    }
    if (it != scheduled_.end() && it->second == next) return;
    scheduled_[a.id().value()] = next;
    deadlines_.push({next, a.id().value()});
  }

  // After every public call: keep indexes and deadlines current, drop closed
  // associations, deliver events to the callback (never re-entrantly).
  void AfterCall() {
    std::vector<uint32_t> touched;
    touched.swap(touched_);
    for (uint32_t id : touched) {
      auto it = associations_.find(id);
      if (it == associations_.end()) continue;
      assoc::Association& a = *it->second;
      if (a.closed()) {
        Unindex(id);
        scheduled_.erase(id);
        associations_.erase(it);
        continue;
      }
      if (IndexStale(a)) Index(a);
      Reschedule(a);
#if !defined(NDEBUG) || defined(SCTPCPP_FUZZING_BUILD)
      if (std::string violation = a.InvariantViolation(/*deep=*/false); !violation.empty()) {
        std::fprintf(stderr, "sctpcpp: invariant violated: %s\n", violation.c_str());
        std::abort();
      }
#endif
    }
    if (!callbacks_.on_event || delivering_) return;
    delivering_ = true;
    while (!events_.empty()) {
      Event e = std::move(events_.front());
      events_.pop_front();
      Consumed(e);
      callbacks_.on_event(std::move(e));
    }
    delivering_ = false;
  }
  // A message left the stack: its bytes no longer count against the receive window.
  void Consumed(const Event& e) {
    if (!config_.release_on_delivery) return;
    if (const auto* m = std::get_if<events::MessageReceived>(&e.payload)) {
      if (assoc::Association* a = Find(e.association.value())) {
        a->OnMessagesConsumed(m->message.payload.size(), last_now_);
      }
    }
  }

  // Sends one chunk outside any association (OOTB replies, stateless INIT ACK).
  void SendChunk(const wire::AnyChunk& chunk, const Address& from, const Address& to,
                 uint16_t peer_port, VerificationTag tag) {
    std::vector<uint8_t> buffer(wire::kCommonHeaderSize +
                                wire::PaddedLength(wire::WireLength(chunk)));
    wire::PacketBuilder builder(buffer, wire::CommonHeader{config_.local_port, peer_port, tag, 0},
                                buffer.size());
    wire::AddChunk(builder, chunk);
    SendPacket(from, to, builder.Finish());
  }

  void Dispatch(const wire::PacketView& packet, const Address& from, const Address& to,
                TimePoint now) {
    const wire::CommonHeader& header = packet.header();
    wire::ChunkReader reader = packet.chunks();
    wire::ChunkView first;
    if (!reader.Next(&first)) return;

    // §8.5.1 A: a packet with INIT carries tag 0 and nothing else (bundling was checked
    // by the parser); a tag-0 packet without INIT is discarded.
    if (first.type == wire::ChunkType::kInit) {
      if (header.verification_tag.value() != 0) {
        ++stats_.bad_verification_tag;
        return;
      }
      HandleInit(first, packet, from, to, now);
      return;
    }
    if (header.verification_tag.value() == 0) {
      ++stats_.bad_verification_tag;
      return;
    }
    if (first.type == wire::ChunkType::kCookieEcho) {
      // §8.4: with no association for its tag or its peer the packet is out of the blue, and
      // rule 2 ("If the OOTB packet contains an ABORT chunk, the receiver MUST silently
      // discard the OOTB packet and take no further action") comes before rule 4 (process
      // a leading COOKIE ECHO): no association, no Stale Cookie ERROR, no COOKIE ACK.
      if (FindByTag(header.verification_tag) == nullptr &&
          FindByPeer(from, header.source_port) == nullptr && ContainsAbort(packet)) {
        ++stats_.out_of_the_blue;
        return;
      }
      HandleCookieEcho(first, packet, from, to, now);
      return;
    }

    // §8.5.1 B/C: ABORT and SHUTDOWN COMPLETE with the T bit carry the peer's tag.
    const bool t_bit_chunk = (first.type == wire::ChunkType::kAbort ||
                              first.type == wire::ChunkType::kShutdownComplete) &&
                             (first.flags & 0x01) != 0;
    assoc::Association* a = nullptr;
    if (t_bit_chunk) {
      a = FindByPeer(from, header.source_port);
      if (a != nullptr && a->peer_tag() != header.verification_tag) a = nullptr;
    } else {
      a = FindByTag(header.verification_tag);
      if (a != nullptr && a->peer_port() != header.source_port) a = nullptr;
    }
    if (a == nullptr) {
      if (FindByPeer(from, header.source_port) != nullptr) {
        // §8.5: a known peer with the wrong tag: silently discard.
        ++stats_.bad_verification_tag;
        return;
      }
      HandleOutOfTheBlue(packet, from, to);
      return;
    }
    // §8.5.1 E: SHUTDOWN ACK in COOKIE-WAIT / COOKIE-ECHOED is treated as OOTB.
    if (first.type == wire::ChunkType::kShutdownAck &&
        (a->state() == AssociationState::kCookieWait ||
         a->state() == AssociationState::kCookieEchoed)) {
      HandleOutOfTheBlue(packet, from, to);
      return;
    }
    a->HandlePacket(packet, from, to, now);
  }

  static bool ContainsAbort(const wire::PacketView& packet) {
    wire::ChunkReader reader = packet.chunks();
    wire::ChunkView chunk;
    while (reader.Next(&chunk)) {
      if (chunk.type == wire::ChunkType::kAbort) return true;
    }
    return false;
  }

  void HandleInit(const wire::ChunkView& view, const wire::PacketView& packet, const Address& from,
                  const Address& to, TimePoint now) {
    ++stats_.init_received;
    auto init = wire::InitChunk::Parse(view);
    if (!init.ok()) {
      ++stats_.malformed;
      return;
    }
    const uint16_t peer_port = packet.header().source_port;
    // §3.3.2: "If the value of the Initiate Tag in a received INIT chunk is found to be 0,
    // the receiver MUST silently discard the packet."
    if (init->initiate_tag.value() == 0) {
      ++stats_.malformed;
      return;
    }
    // §3.3.2: zero inbound or outbound streams: ABORT (tag = the INIT's Initiate Tag, §8.4 3).
    if (init->inbound_streams == 0 || init->outbound_streams == 0) {
      const auto cause = ToBytes(wire::InvalidMandatoryParameterCause{});
      SendChunk(wire::AbortChunk{false, Bytes(cause)}, to, from, peer_port, init->initiate_tag);
      return;
    }
    // §3.3.2.1 (Host Name Address, deprecated): "The receiver of an INIT chunk or INIT ACK
    // chunk containing a Host Name Address parameter MUST send an ABORT chunk and MAY include
    // an 'Unresolvable Address' error cause."
    {
      wire::TlvReader reader = init->parameters_reader();
      wire::TlvView tlv;
      while (reader.Next(&tlv)) {
        if (tlv.type != wire::ParameterType::kHostNameAddress) continue;
        const auto cause = ToBytes(wire::UnresolvableAddressCause{tlv.raw()});
        if (cause.size() + 16 <= config_.options.mtu) {
          SendChunk(wire::AbortChunk{false, Bytes(cause)}, to, from, peer_port, init->initiate_tag);
        } else {
          SendChunk(wire::AbortChunk{}, to, from, peer_port, init->initiate_tag);
        }
        return;
      }
    }
    if (assoc::Association* a = FindByPeer(from, peer_port)) {
      a->HandleInit(*init, from, to, now);
      return;
    }
    if (!config_.listen) {
      // §8.4 3: the INIT cannot be processed: ABORT with the INIT's Initiate Tag, T bit 0.
      HandleOutOfTheBlue(packet, from, to);
      return;
    }
    // §5.1 step B: answer without creating any state; the cookie carries it.
    InitAckChoice choice;
    choice.local_tag = NewTag();
    choice.local_initial_tsn = Tsn(RandomU32());
    SendInitAck(*init, from, to, peer_port, choice, now);
  }

  void HandleCookieEcho(const wire::ChunkView& view, const wire::PacketView& packet,
                        const Address& from, const Address& to, TimePoint now) {
    const wire::CommonHeader& header = packet.header();
    endpoint::CookieSigner::Verified verified = signer_->Verify(view.value.span(), now);
    if (verified.verdict == endpoint::CookieSigner::Verdict::kBadMac ||
        verified.verdict == endpoint::CookieSigner::Verdict::kMalformed) {
      // §5.1.5 step 1: a cookie that fails the MAC check is silently discarded.
      ++stats_.bad_cookie;
      return;
    }
    const endpoint::CookieContents& cookie = verified.contents;
    // §5.1.5 step 2: the ports and verification tag must match those in the cookie.
    if (cookie.local_tag != header.verification_tag || cookie.local_port != config_.local_port ||
        cookie.peer_port != header.source_port) {
      ++stats_.bad_cookie;
      return;
    }
    // §5.2.4 step 3: an expired cookie whose tags both match an existing association is
    // treated as valid (it is a retransmitted COOKIE ECHO whose COOKIE ACK was lost).
    assoc::Association* existing = FindByTag(header.verification_tag);
    if (existing == nullptr) existing = FindByPeer(from, header.source_port);
    const bool tags_match = existing != nullptr && existing->local_tag() == cookie.local_tag &&
                            existing->peer_tag() == cookie.peer_tag;
    if (verified.verdict == endpoint::CookieSigner::Verdict::kExpired && !tags_match) {
      // §5.1.5 step 3: "Stale Cookie" error with the staleness in microseconds.
      ++stats_.stale_cookie;
      const auto us =
          std::chrono::duration_cast<std::chrono::microseconds>(verified.staleness).count();
      wire::StaleCookieErrorCause cause;
      cause.measure_of_staleness_us = static_cast<uint32_t>(std::min<int64_t>(us, UINT32_MAX));
      const auto causes = ToBytes(cause);
      SendChunk(wire::ErrorChunk{false, Bytes(causes)}, to, from, header.source_port,
                cookie.peer_tag);
      return;
    }
    // §5.2.4: an association exists (by tag or by peer address): its table decides.
    if (existing != nullptr) {
      if (existing->HandleCookieEcho(cookie, now)) {
        if (IndexStale(*existing)) Index(*existing);
        existing->HandlePacket(packet, from, to, now);
      }
      return;
    }
    if (!config_.listen) {
      ++stats_.out_of_the_blue;
      return;
    }
    // §5.1 step D: create the association from the cookie, reply COOKIE ACK.
    if (by_local_tag_.contains(cookie.local_tag.value())) return;  // replay of a live tag
    const AssociationId id = NextId();
    auto association =
        std::make_unique<assoc::Association>(id, *this, config_.options, cookie, from, now);
    assoc::Association* a = association.get();
    associations_[id.value()] = std::move(association);
    touched_.push_back(id.value());
    ++stats_.associations_created;
    Index(*a);
    a->HandlePacket(packet, from, to, now);  // DATA bundled after the COOKIE ECHO
  }

  void HandleOutOfTheBlue(const wire::PacketView& packet, const Address& from, const Address& to) {
    ++stats_.out_of_the_blue;
    const std::vector<uint8_t> reply = endpoint::OutOfTheBlueReply(packet);
    if (!reply.empty()) SendPacket(to, from, reply);
  }

  struct IndexKeys {
    uint32_t local_tag = 0;
    std::vector<PeerKey> peers;
  };

  EndpointCallbacks callbacks_;
  uint64_t rng_state_;
  std::unique_ptr<endpoint::CookieSigner> signer_;
  absl::flat_hash_map<uint32_t, std::unique_ptr<assoc::Association>> associations_;
  absl::flat_hash_map<uint32_t, uint32_t> by_local_tag_;
  absl::flat_hash_map<PeerKey, uint32_t> by_peer_;
  absl::flat_hash_map<uint32_t, IndexKeys> index_keys_;
  absl::flat_hash_map<uint32_t, TimePoint> scheduled_;
  using Deadline = std::pair<TimePoint, uint32_t>;
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines_;
  LazyDeque<Event> events_;
  std::vector<uint32_t> touched_;
  bool delivering_ = false;
  uint32_t next_id_ = 1;
  TimePoint last_now_;
};

Endpoint::Endpoint(EndpointConfig config, EndpointCallbacks callbacks)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(callbacks))) {}
Endpoint::~Endpoint() = default;

void Endpoint::set_listen(bool listen) {
  impl_->config_.listen = listen;
}
absl::StatusOr<AssociationId> Endpoint::Connect(std::span<const Address> peer_addresses,
                                                uint16_t peer_port, TimePoint now,
                                                const Options* options) {
  CallScope scope;
  return impl_->Connect(peer_addresses, peer_port, now, options);
}
void Endpoint::HandlePacket(const Address& from, const Address& to, std::span<const uint8_t> packet,
                            TimePoint now, bool checksum_verified) {
  CallScope scope;
  impl_->HandlePacket(from, to, packet, now, checksum_verified);
}
TimePoint Endpoint::NextDeadline() const {
  return impl_->NextDeadline();
}
void Endpoint::HandleTimeout(TimePoint now) {
  CallScope scope;
  impl_->HandleTimeout(now);
}
absl::Status Endpoint::Send(AssociationId id, StreamId stream, Ppid ppid,
                            std::vector<uint8_t> payload, const SendOptions& options,
                            TimePoint now) {
  CallScope scope;
  return impl_->Send(id, stream, ppid, std::move(payload), options, now);
}
absl::Status Endpoint::Shutdown(AssociationId id, TimePoint now) {
  CallScope scope;
  return impl_->Shutdown(id, now);
}
absl::Status Endpoint::Abort(AssociationId id, std::span<const uint8_t> reason, TimePoint now) {
  CallScope scope;
  return impl_->Abort(id, reason, now);
}
absl::Status Endpoint::ResetStreams(AssociationId id, std::span<const StreamId> streams,
                                    bool outgoing, bool incoming, TimePoint now) {
  CallScope scope;
  return impl_->ResetStreams(id, streams, outgoing, incoming, now);
}
absl::Status Endpoint::ResetAssociation(AssociationId id, TimePoint now) {
  CallScope scope;
  return impl_->ResetAssociation(id, now);
}
absl::Status Endpoint::AddStreams(AssociationId id, uint16_t outgoing, uint16_t incoming,
                                  TimePoint now) {
  CallScope scope;
  return impl_->AddStreams(id, outgoing, incoming, now);
}
absl::Status Endpoint::SetStreamPriority(AssociationId id, StreamId stream, uint16_t priority) {
  return impl_->SetStreamScheduling(id, stream, priority, std::nullopt);
}
absl::Status Endpoint::SetStreamWeight(AssociationId id, StreamId stream, uint16_t weight) {
  return impl_->SetStreamScheduling(id, stream, std::nullopt, weight);
}
std::optional<Event> Endpoint::PollEvent() {
  return impl_->PollEvent();
}
void Endpoint::ReleaseReceiveBuffer(AssociationId id, size_t bytes, TimePoint now) {
  CallScope scope;
  impl_->ReleaseReceiveBuffer(id, bytes, now);
}
std::optional<PrStatus> Endpoint::GetStreamPrStatus(AssociationId id, StreamId stream) const {
  return impl_->GetStreamPrStatus(id, stream);
}
std::optional<AssociationInfo> Endpoint::GetInfo(AssociationId id) const {
  return impl_->GetInfo(id);
}
std::optional<size_t> Endpoint::BufferedAmount(AssociationId id) const {
  return impl_->BufferedAmount(id);
}
std::vector<AssociationId> Endpoint::associations() const {
  return impl_->associations();
}
const EndpointStats& Endpoint::stats() const {
  return impl_->stats_;
}
std::string Endpoint::InvariantViolation(bool deep) const {
  return impl_->InvariantViolation(deep);
}
uint16_t Endpoint::local_port() const {
  return impl_->config_.local_port;
}

}  // namespace sctp
