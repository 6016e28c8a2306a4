// libFuzzer target: a stateful fuzzer of established associations. Two Endpoints run over
// the deterministic simulator (tests/support/engine_pair); the input first picks the state
// to reach, then plays commands: inject a packet into either side with the right tags
// (chunks with fuzzed fields relative to the real TSNs, or raw bytes), replay a captured
// packet, send, advance time, close, abort, take a link down or up.
//
// States: established; data in flight; SHUTDOWN-PENDING; SHUTDOWN-SENT; SHUTDOWN-RECEIVED;
// multihomed (two paths); PR-SCTP messages in flight; a tiny receive window. The engine has
// no RE-CONFIG (RFC 6525) and no I-DATA (RFC 8260) yet, so "stream reset pending" and
// "I-DATA negotiated" are not reachable; the injector still sends RE-CONFIG and I-DATA
// chunks, which must be handled as unsupported.
//
// Checked after every command: no invariant violation in either endpoint (deep checks);
// every packet either stack sends parses, has a valid CRC32c and comes from its port; the
// simulator never spins at one instant (a timer that does not move); received data held
// for reassembly stays bounded by the receive window.
#include <algorithm>
#include <deque>

#include "fuzz_support.h"
#include "support/engine_pair.h"
#include "wire/chunk_type.h"
#include "wire/chunks.h"
#include "wire/packet.h"

namespace sctp::fuzz {
namespace {

using sctp::testing::EnginePair;
using sctp::testing::PairConfig;
using sctp::testing::Peer;

constexpr char kName[] = "fuzz_association";
constexpr uint32_t kWindow = 64 * 1024;
constexpr uint32_t kSmallWindow = 4 * 1024;

uint32_t Load32At(std::span<const uint8_t> p, size_t offset) {
  return (uint32_t{p[offset]} << 24) | (uint32_t{p[offset + 1]} << 16) |
         (uint32_t{p[offset + 2]} << 8) | p[offset + 3];
}

enum class StartState : uint8_t {
  kEstablished,
  kDataInFlight,
  kShutdownPending,
  kShutdownSent,
  kShutdownReceived,
  kMultihomed,
  kPartialReliability,
  kSmallWindow,
  kStreamResetPending,  // RFC 6525 requests both ways, with data in flight
  kInterleaving,        // RFC 8260 I-DATA negotiated, a large and a small message under way
  kCount
};

// What one side has put on the wire, learned from the packets the simulator delivers.
struct SideView {
  uint32_t tag = 0;       // verification tag packets to this side carry
  uint32_t next_tsn = 0;  // one past the highest TSN this side has sent
  uint32_t cum_ack = 0;   // the last cumulative TSN ack this side sent
  bool tsn_known = false;
};

class Harness {
 public:
  explicit Harness(InputReader& in) : in_(in) {
    state_ = static_cast<StartState>(
        in.ConsumeIntegralInRange<uint8_t>(0, static_cast<uint8_t>(StartState::kCount) - 1));
    PairConfig config;
    config.seed = 7;
    config.deep_invariants = true;
    for (Options* o : {&config.client_options, &config.server_options}) {
      o->rto_initial = Milliseconds(200);
      o->rto_min = Milliseconds(100);
      o->rto_max = Seconds(2);
      o->heartbeat_interval = Seconds(3);
      o->receive_window = state_ == StartState::kSmallWindow ? kSmallWindow : kWindow;
      o->send_buffer_size = 512 * 1024;
      o->outbound_streams = 8;
      o->inbound_streams = 8;
      o->valid_cookie_life = Seconds(5);
      o->association_max_retrans = 6;
      o->partial_reliability = true;
      o->interleaving = state_ == StartState::kInterleaving;
      if (state_ == StartState::kMultihomed) {
        // RFC 8899 PLPMTUD on a path that carries less than the configured MTU: probes are lost
        // while the fuzzer's packets and commands run.
        o->plpmtud = true;
        o->mtu = 1452;
      }
    }
    if (state_ == StartState::kMultihomed) {
      config.paths = 2;
      config.link.mtu = 1400;
    }
    pair_ = std::make_unique<EnginePair>(config);
    pair_->sim().network().SetCapture(
        [this](const sim::Packet& p, TimePoint) { Observe(p.from, p.to, p.bytes); });
    if (!pair_->ConnectAndWait(Seconds(10))) Fail(kName, "handshake did not complete");
    Reach();
    Check();
  }

  void Run() {
    for (int steps = 0; steps < 48 && in_.remaining_bytes() > 0; ++steps) {
      Command();
      Check();
    }
  }

 private:
  Peer& Side(int i) { return i == 0 ? pair_->client() : pair_->server(); }
  Peer& Other(int i) { return Side(1 - i); }
  TimePoint now() const { return pair_->now(); }

  void Send(int side, size_t bytes, const SendOptions& options, uint16_t stream = 0) {
    Peer& p = Side(side);
    if (!p.association) return;
    std::vector<uint8_t> payload(bytes, static_cast<uint8_t>(0x30 + side));
    (void)p.endpoint->Send(*p.association, StreamId(stream), Ppid(51), std::move(payload), options,
                           now());
  }

  void RunFor(Duration d) {
    Trace("  run %lld ms", static_cast<long long>(ToMilliseconds(d)));
    if (!pair_->sim().RunFor(d, nullptr, 200'000)) Fail(kName, "simulator spins (timer loop?)");
  }

  void Reach() {
    switch (state_) {
      case StartState::kEstablished:
      case StartState::kMultihomed:
      case StartState::kSmallWindow:
        break;
      case StartState::kDataInFlight:
        for (int i = 0; i < 4; ++i)
          Send(0, 3000, {}, static_cast<uint16_t>(i));
        RunFor(Milliseconds(1));
        break;
      case StartState::kShutdownPending:
        Send(0, 6000, {});
        RunFor(Milliseconds(1));
        (void)pair_->client().endpoint->Shutdown(*pair_->client().association, now());
        break;
      case StartState::kShutdownSent:
        (void)pair_->client().endpoint->Shutdown(*pair_->client().association, now());
        break;
      case StartState::kShutdownReceived:
        Send(1, 20000, {});
        RunFor(Milliseconds(1));
        (void)pair_->client().endpoint->Shutdown(*pair_->client().association, now());
        RunFor(Milliseconds(11));
        break;
      case StartState::kPartialReliability: {
        SendOptions limited;
        limited.max_retransmissions = 0;
        SendOptions timed;
        timed.lifetime = Milliseconds(50);
        Send(0, 2000, limited, 1);
        Send(0, 2000, timed, 2);
        Send(0, 2000, limited, 1);
        RunFor(Milliseconds(1));
        break;
      }
      case StartState::kStreamResetPending: {
        for (int i = 0; i < 3; ++i)
          Send(0, 3000, {}, 0);
        const StreamId first[] = {StreamId(0)};
        (void)pair_->client().endpoint->ResetStreams(*pair_->client().association, first, true,
                                                     false, now());
        (void)pair_->server().endpoint->ResetStreams(*pair_->server().association, {}, false, true,
                                                     now());
        RunFor(Milliseconds(1));
        break;
      }
      case StartState::kInterleaving:
        Send(0, 20000, {}, 1);
        Send(0, 100, {}, 2);
        RunFor(Milliseconds(1));
        break;
      case StartState::kCount:
        break;
    }
  }

  // Learns tags and TSNs from real traffic and checks every packet the stacks send.
  void Observe(const Address& from, const Address& to, std::span<const uint8_t> bytes) {
    const int sender = IsSide(0, from) ? 0 : IsSide(1, from) ? 1 : -1;
    if (sender < 0) return;
    const int receiver = 1 - sender;
    const uint16_t port = Side(sender).port;
    if (std::string problem = CheckEmittedPacket(bytes, port); !problem.empty()) {
      Fail(kName, Side(sender).name + ": " + problem);
    }
    if (captured_.size() == 16) captured_.pop_front();
    captured_.push_back({receiver, from, to, std::vector<uint8_t>(bytes.begin(), bytes.end())});
    auto packet = wire::PacketView::Parse(bytes);
    const uint32_t tag = packet->header().verification_tag.value();
    wire::ChunkReader reader = packet->chunks();
    wire::ChunkView chunk;
    while (reader.Next(&chunk)) {
      const auto v = chunk.value.span();
      switch (chunk.type) {
        case wire::ChunkType::kInit:
        case wire::ChunkType::kInitAck:
          if (v.size() >= 16) {
            view_[sender].next_tsn = Load32At(v, 12);
            view_[sender].tsn_known = true;
            view_[receiver].tag = 0;
            view_[sender].tag = Load32At(v, 0);
          }
          break;
        case wire::ChunkType::kData:
        case wire::ChunkType::kIData:
          if (v.size() >= 4) {
            const uint32_t tsn = Load32At(v, 0);
            if (static_cast<int32_t>(tsn + 1 - view_[sender].next_tsn) > 0) {
              view_[sender].next_tsn = tsn + 1;
            }
          }
          break;
        case wire::ChunkType::kSack:
          if (v.size() >= 4) view_[sender].cum_ack = Load32At(v, 0);
          break;
        default:
          break;
      }
    }
    if (tag != 0) view_[receiver].tag = tag;
  }

  bool IsSide(int side, const Address& a) {
    const auto& addresses = Side(side).addresses;
    return std::find(addresses.begin(), addresses.end(), a) != addresses.end();
  }

  uint32_t PickTag(int target) {
    switch (in_.ConsumeIntegralInRange<int>(0, 9)) {
      case 0:
        return in_.ConsumeIntegral<uint32_t>();
      case 1:
        return 0;
      case 2:
        return view_[1 - target].tag;  // the other direction's tag (a T-bit candidate)
      default:
        return view_[target].tag;
    }
  }

  uint32_t TsnNear(uint32_t base) {
    if (in_.ConsumeIntegralInRange<int>(0, 15) == 0) return in_.ConsumeIntegral<uint32_t>();
    return base + static_cast<uint32_t>(in_.ConsumeIntegralInRange<int32_t>(-64, 64));
  }

  // One chunk with fuzzed fields, as sent by the other side to `target`.
  void AddChunk(RawPacket& packet, int target) {
    const int sender = 1 - target;
    std::vector<uint8_t> body;
    uint8_t type = 0;
    uint8_t flags = in_.ConsumeIntegral<uint8_t>();
    switch (in_.ConsumeIntegralInRange<int>(0, 15)) {
      case 0:
      case 1: {  // DATA near the sender's next TSN
        type = wire::ChunkType::kData;
        Append32(body, TsnNear(view_[sender].next_tsn));
        Append16(body, in_.ConsumeIntegralInRange<uint16_t>(0, 10));
        Append16(body, in_.ConsumeIntegral<uint16_t>());
        Append32(body, in_.ConsumeIntegral<uint32_t>());
        const size_t n = in_.ConsumeIntegralInRange<size_t>(0, 1100);
        body.resize(body.size() + n, 0x61);
        break;
      }
      case 2:
      case 3: {  // SACK of the target's TSNs
        type = wire::ChunkType::kSack;
        Append32(body, TsnNear(view_[target].next_tsn - 1));
        Append32(body, in_.ConsumeBool() ? kWindow : in_.ConsumeIntegral<uint32_t>());
        const uint16_t gaps = in_.ConsumeIntegralInRange<int>(0, 7) == 0
                                  ? in_.ConsumeIntegralInRange<uint16_t>(0, 2000)
                                  : in_.ConsumeIntegralInRange<uint16_t>(0, 6);
        const uint16_t dups = in_.ConsumeIntegralInRange<uint16_t>(0, 4);
        Append16(body, gaps);
        Append16(body, dups);
        uint16_t start = in_.ConsumeIntegralInRange<uint16_t>(1, 8);
        for (int i = 0; i < gaps; ++i) {
          const uint16_t len = in_.ConsumeIntegralInRange<uint16_t>(0, 4);
          Append16(body, start);
          Append16(body, static_cast<uint16_t>(start + len));
          start = static_cast<uint16_t>(start + len + in_.ConsumeIntegralInRange<uint16_t>(0, 3));
        }
        for (int i = 0; i < dups; ++i)
          Append32(body, TsnNear(view_[sender].cum_ack));
        break;
      }
      case 4:  // FORWARD TSN
        type = wire::ChunkType::kForwardTsn;
        Append32(body, TsnNear(view_[sender].next_tsn));
        for (int i = in_.ConsumeIntegralInRange<int>(0, 4); i > 0; --i) {
          Append16(body, in_.ConsumeIntegralInRange<uint16_t>(0, 10));
          Append16(body, in_.ConsumeIntegral<uint16_t>());
        }
        break;
      case 5:  // SHUTDOWN with a cumulative TSN ack
        type = wire::ChunkType::kShutdown;
        Append32(body, TsnNear(view_[target].next_tsn - 1));
        break;
      case 6:
        type =
            in_.PickValueInArray({wire::ChunkType::kShutdownAck, wire::ChunkType::kShutdownComplete,
                                  wire::ChunkType::kCookieAck});
        break;
      case 7: {  // ABORT or ERROR with causes
        type = in_.ConsumeBool() ? wire::ChunkType::kAbort : wire::ChunkType::kError;
        const std::vector<uint8_t> causes = FuzzParameters(in_, 3);
        body = causes;
        break;
      }
      case 8:  // HEARTBEAT / HEARTBEAT ACK with a fuzzed info
        type = in_.ConsumeBool() ? wire::ChunkType::kHeartbeat : wire::ChunkType::kHeartbeatAck;
        body = FuzzParameters(in_, 2);
        break;
      case 9:  // ECNE / CWR
        type = in_.ConsumeBool() ? wire::ChunkType::kEcne : wire::ChunkType::kCwr;
        Append32(body, TsnNear(view_[sender].next_tsn));
        break;
      case 10: {  // INIT / INIT ACK (restart, collision)
        type = in_.ConsumeBool() ? wire::ChunkType::kInit : wire::ChunkType::kInitAck;
        Append32(body, in_.ConsumeBool() ? view_[target].tag : in_.ConsumeIntegral<uint32_t>());
        Append32(body, kWindow);
        Append16(body, in_.ConsumeIntegralInRange<uint16_t>(0, 16));
        Append16(body, in_.ConsumeIntegralInRange<uint16_t>(0, 16));
        Append32(body, in_.ConsumeIntegral<uint32_t>());
        const auto params = FuzzParameters(in_, 4);
        body.insert(body.end(), params.begin(), params.end());
        break;
      }
      case 11: {  // I-DATA / RE-CONFIG / I-FORWARD-TSN / ASCONF: not negotiated
        type = in_.PickValueInArray({wire::ChunkType::kIData, wire::ChunkType::kReconfig,
                                     wire::ChunkType::kIForwardTsn, wire::ChunkType::kAsconf,
                                     wire::ChunkType::kAsconfAck, wire::ChunkType::kAuth,
                                     wire::ChunkType::kPad});
        Append32(body, TsnNear(view_[sender].next_tsn));
        const auto rest = FuzzParameters(in_, 3);
        body.insert(body.end(), rest.begin(), rest.end());
        break;
      }
      case 12:  // COOKIE ECHO with junk
        type = wire::ChunkType::kCookieEcho;
        body = in_.ConsumeBytes<uint8_t>(in_.ConsumeIntegralInRange<size_t>(0, 200));
        break;
      default:  // any type, any body
        type = PickChunkType(in_);
        body = in_.ConsumeBytes<uint8_t>(in_.ConsumeIntegralInRange<size_t>(0, 64));
        break;
    }
    if (in_.ConsumeIntegralInRange<int>(0, 31) == 0) {
      packet.RawChunk(type, flags, in_.ConsumeIntegral<uint16_t>(), body);  // a lying length
    } else {
      packet.Chunk(type, flags, body);
    }
  }

  void Inject(int target, std::span<const uint8_t> bytes, size_t path) {
    Peer& to = Side(target);
    Peer& from = Other(target);
    path = std::min(path, std::min(to.addresses.size(), from.addresses.size()) - 1);
    to.endpoint->HandlePacket(from.addresses[path], to.addresses[path], bytes, now(),
                              /*checksum_verified=*/true);
  }

  void InjectChunks(int target) {
    Peer& to = Side(target);
    RawPacket packet(Other(target).port, to.port, PickTag(target));
    const int chunks = in_.ConsumeIntegralInRange<int>(1, 4);
    for (int i = 0; i < chunks; ++i)
      AddChunk(packet, target);
    Inject(target, packet.Finish(true), in_.ConsumeIntegralInRange<size_t>(0, 1));
  }

  void InjectRaw(int target) {
    RawPacket packet(Other(target).port, Side(target).port, PickTag(target));
    packet.Raw(in_.ConsumeBytes<uint8_t>(in_.ConsumeIntegralInRange<size_t>(0, 1500)));
    Inject(target, packet.Finish(true), 0);
  }

  void Command() {
    const int side = in_.ConsumeBool() ? 1 : 0;
    const int command = in_.ConsumeIntegralInRange<int>(0, 12);
    if (Tracing()) {
      Trace("t=%lld ms command %d side %d; client %s server %s",
            static_cast<long long>(ToMilliseconds(now().time_since_epoch())), command, side,
            StateName(0).c_str(), StateName(1).c_str());
    }
    switch (command) {
      case 0:
      case 1:
      case 2:
        InjectChunks(side);
        break;
      case 3:
        InjectRaw(side);
        break;
      case 4:
        if (!captured_.empty()) {  // replay of a packet seen on the wire
          const auto& c = captured_[in_.ConsumeIntegralInRange<size_t>(0, captured_.size() - 1)];
          Peer& to = Side(c.receiver);
          to.endpoint->HandlePacket(c.from, c.to, c.bytes, now(), true);
        }
        break;
      case 5: {
        SendOptions options;
        options.unordered = in_.ConsumeBool();
        if (in_.ConsumeIntegralInRange<int>(0, 3) == 0) {
          options.max_retransmissions = in_.ConsumeIntegralInRange<uint32_t>(0, 2);
        }
        if (in_.ConsumeIntegralInRange<int>(0, 3) == 0) {
          options.lifetime = Milliseconds(in_.ConsumeIntegralInRange<int>(0, 500));
        }
        const size_t bytes = in_.ConsumeIntegralInRange<int>(0, 3) == 0
                                 ? in_.ConsumeIntegralInRange<size_t>(0, 100'000)
                                 : in_.ConsumeIntegralInRange<size_t>(0, 3000);
        const uint16_t stream = in_.ConsumeIntegralInRange<uint16_t>(0, 9);
        Trace("  send %zu bytes on stream %u, unordered %d, max_rtx %d, lifetime %lld ms", bytes,
              stream, options.unordered,
              options.max_retransmissions ? static_cast<int>(*options.max_retransmissions) : -1,
              options.lifetime ? static_cast<long long>(ToMilliseconds(*options.lifetime)) : -1LL);
        Send(side, bytes, options, stream);
        break;
      }
      case 6:
      case 7:
        RunFor(in_.ConsumeBool() ? Milliseconds(in_.ConsumeIntegralInRange<int>(0, 500))
                                 : Seconds(in_.ConsumeIntegralInRange<int>(0, 60)));
        break;
      case 8:
        if (Side(side).association) {
          (void)Side(side).endpoint->Shutdown(*Side(side).association, now());
        }
        break;
      case 9:
        if (Side(side).association) {
          const uint8_t reason[] = {'b', 'y', 'e'};
          (void)Side(side).endpoint->Abort(*Side(side).association, reason, now());
        }
        break;
      case 10: {  // a link (both directions of one path) goes down or comes back
        const size_t path =
            in_.ConsumeIntegralInRange<size_t>(0, pair_->client().addresses.size() - 1);
        const bool up = in_.ConsumeBool();
        Trace("  path %zu %s", path, up ? "up" : "down");
        auto& network = pair_->sim().network();
        network.Link(pair_->client().addresses[path], pair_->server().addresses[path]).up = up;
        network.Link(pair_->server().addresses[path], pair_->client().addresses[path]).up = up;
        break;
      }
      case 12: {  // RFC 6525: reset streams, add streams or reset the association
        Peer& p = Side(side);
        if (!p.association) break;
        const int what = in_.ConsumeIntegralInRange<int>(0, 2);
        if (what == 0) {
          std::vector<StreamId> streams;
          const int n = in_.ConsumeIntegralInRange<int>(0, 3);
          for (int i = 0; i < n; ++i)
            streams.push_back(StreamId(in_.ConsumeIntegralInRange<uint16_t>(0, 9)));
          const bool outgoing = in_.ConsumeBool();
          const bool incoming = !outgoing || in_.ConsumeBool();
          Trace("  reset %zu streams out %d in %d", streams.size(), outgoing, incoming);
          (void)p.endpoint->ResetStreams(*p.association, streams, outgoing, incoming, now());
        } else if (what == 1) {
          const auto out = in_.ConsumeIntegralInRange<uint16_t>(0, 4);
          const auto in = in_.ConsumeIntegralInRange<uint16_t>(0, 4);
          Trace("  add streams out %u in %u", out, in);
          (void)p.endpoint->AddStreams(*p.association, out, in, now());
        } else {
          Trace("  reset association");
          (void)p.endpoint->ResetAssociation(*p.association, now());
        }
        break;
      }
      case 11: {  // the same DATA again and again (duplicate TSN flood)
        RawPacket packet(Other(side).port, Side(side).port, view_[side].tag);
        std::vector<uint8_t> body;
        Append32(body, TsnNear(view_[1 - side].next_tsn));
        Append16(body, 0);
        Append16(body, 0);
        Append32(body, 0);
        body.resize(body.size() + 100, 0x62);
        packet.Chunk(wire::ChunkType::kData, 0x03, body);
        const std::vector<uint8_t> bytes = packet.Finish(true);
        for (int i = in_.ConsumeIntegralInRange<int>(1, 50); i > 0; --i)
          Inject(side, bytes, 0);
        break;
      }
    }
  }

  std::string StateName(int side) {
    Peer& p = Side(side);
    if (!p.association) return "none";
    auto info = p.endpoint->GetInfo(*p.association);
    return info ? std::string(AssociationStateName(info->state)) : "closed";
  }

  void Check() {
    if (!pair_->violation().empty()) Fail(kName, pair_->violation());
    for (int side = 0; side < 2; ++side) {
      Peer& p = Side(side);
      if (std::string v = p.endpoint->InvariantViolation(/*deep=*/true); !v.empty()) {
        Fail(kName, p.name + ": " + v);
      }
      const uint32_t window = state_ == StartState::kSmallWindow ? kSmallWindow : kWindow;
      for (AssociationId id : p.endpoint->associations()) {
        auto info = p.endpoint->GetInfo(id);
        // §6.2: the receiver bounds what it holds by its advertised window (one MTU slack
        // for the chunk that crossed it, partial delivery hands the rest on).
        if (info && info->receive_buffered_bytes > window + 2 * 1500) {
          Fail(kName, p.name + ": receive buffer " + std::to_string(info->receive_buffered_bytes) +
                          " bytes above the window");
        }
      }
    }
  }

  struct Captured {
    int receiver;
    Address from, to;
    std::vector<uint8_t> bytes;
  };

  InputReader& in_;
  StartState state_ = StartState::kEstablished;
  std::unique_ptr<EnginePair> pair_;
  SideView view_[2];
  std::deque<Captured> captured_;
};

}  // namespace
}  // namespace sctp::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sctp::fuzz::InputReader in(std::span<const uint8_t>(data, size));
  sctp::fuzz::Harness harness(in);
  harness.Run();
  return 0;
}
