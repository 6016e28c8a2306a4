// libFuzzer target: a listening Endpoint receives a stream of packets built from the input
// (raw bytes or chunk lists with fuzzed fields, the fuzzer choosing the verification tag and
// whether the checksum is valid), interleaved with time advances, sends, shutdowns and
// aborts. The harness can echo the last State Cookie it was issued (a peer that completes
// the handshake), possibly altered (a forger).
//
// Checked after every step:
//   - no association exists without a COOKIE ECHO carrying a cookie we issued (§5.1: INIT
//     creates no state; §5.1.5: a cookie failing the MAC is discarded);
//   - every packet sent parses with our codec, has a valid CRC32c and comes from our port;
//   - §8.4 rule 2: a packet with an ABORT chunk that reaches no association gets no reply;
//   - after HandleTimeout(now) no deadline is left at or before now (no busy timer);
//   - Endpoint::InvariantViolation(deep) is empty (fuzzing builds also abort on a violation
//     after every call).
// Deterministic: fixed endpoint seed, time injected from the input.
#include <algorithm>
#include <set>

#include "fuzz_support.h"
#include "sctpcpp/endpoint.h"
#include "wire/chunk_type.h"

namespace sctp::fuzz {
namespace {

constexpr char kName[] = "fuzz_endpoint_listen";
constexpr uint16_t kLocalPort = 5000;
constexpr uint16_t kPeerPort = 5001;

struct Harness {
  std::unique_ptr<Endpoint> endpoint;
  Address local = Address::Ipv4({10, 0, 0, 2});
  Address peers[3] = {Address::Ipv4({10, 0, 0, 1}), Address::Ipv4({10, 0, 1, 1}),
                      Address::Ipv6({0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})};
  TimePoint now = TimePoint(Seconds(1000));
  std::vector<std::vector<uint8_t>> issued_cookies;  // most recent last, at most 8
  uint32_t last_local_tag = 0;                       // Initiate Tag of the last INIT ACK we sent
  uint32_t last_peer_tag = 0;                        // tag of the last packet we sent
  size_t replies_this_call = 0;
  size_t events = 0;

  Harness() {
    EndpointConfig config;
    config.local_port = kLocalPort;
    config.listen = true;
    config.seed = 0x5eed;
    config.options.valid_cookie_life = Seconds(10);
    config.options.rto_initial = Milliseconds(300);
    config.options.rto_min = Milliseconds(100);
    config.options.rto_max = Seconds(5);
    config.options.receive_window = 64 * 1024;
    config.options.send_buffer_size = 256 * 1024;
    config.options.heartbeat_interval = Seconds(5);
    EndpointCallbacks callbacks;
    callbacks.send_packet = [this](const Address&, const Address&,
                                   std::span<const uint8_t> packet) { OnSend(packet); };
    callbacks.on_event = [this](Event&&) { ++events; };
    endpoint = std::make_unique<Endpoint>(config, callbacks);
  }

  void OnSend(std::span<const uint8_t> packet) {
    ++replies_this_call;
    TraceBytes("  sent", packet);
    if (std::string problem = CheckEmittedPacket(packet, kLocalPort); !problem.empty()) {
      Fail(kName, problem);
    }
    last_peer_tag = (uint32_t{packet[4]} << 24) | (uint32_t{packet[5]} << 16) |
                    (uint32_t{packet[6]} << 8) | packet[7];
    for (std::vector<uint8_t>& cookie : StateCookiesOf(packet)) {
      const uint8_t* init_ack = packet.data() + 12;
      last_local_tag = (uint32_t{init_ack[4]} << 24) | (uint32_t{init_ack[5]} << 16) |
                       (uint32_t{init_ack[6]} << 8) | init_ack[7];
      if (issued_cookies.size() == 8) issued_cookies.erase(issued_cookies.begin());
      issued_cookies.push_back(std::move(cookie));
    }
  }

  bool IsIssuedCookie(std::span<const uint8_t> value) const {
    return std::any_of(issued_cookies.begin(), issued_cookies.end(), [&](const auto& c) {
      return c.size() == value.size() && std::equal(c.begin(), c.end(), value.begin());
    });
  }

  uint32_t PickTag(InputReader& fdp) {
    switch (fdp.ConsumeIntegralInRange<int>(0, 3)) {
      case 0:
        return fdp.ConsumeIntegral<uint32_t>();
      case 1:
        return 0;
      case 2:
        return last_local_tag;
      default:
        return last_peer_tag;
    }
  }

  // One chunk with fuzzed fields; `cookie_value` receives a COOKIE ECHO's value.
  void AddChunk(InputReader& fdp, RawPacket& packet, std::vector<uint8_t>* cookie_value) {
    const uint8_t type = PickChunkType(fdp);
    const uint8_t flags = fdp.ConsumeIntegral<uint8_t>();
    std::vector<uint8_t> body;
    if (type == wire::ChunkType::kInit || type == wire::ChunkType::kInitAck) {
      Append32(body, fdp.ConsumeBool() ? fdp.ConsumeIntegral<uint32_t>() : 0x01020304);
      Append32(body, fdp.ConsumeIntegral<uint32_t>());  // a_rwnd
      Append16(body, fdp.ConsumeIntegral<uint16_t>());  // OS
      Append16(body, fdp.ConsumeIntegral<uint16_t>());  // MIS
      Append32(body, fdp.ConsumeIntegral<uint32_t>());  // initial TSN
      std::vector<uint8_t> params = FuzzParameters(fdp, 6);
      body.insert(body.end(), params.begin(), params.end());
    } else if (type == wire::ChunkType::kCookieEcho && !issued_cookies.empty() &&
               fdp.ConsumeBool()) {
      // The cookie we issued (a peer completing the handshake), or an altered one.
      body = issued_cookies[fdp.ConsumeIntegralInRange<size_t>(0, issued_cookies.size() - 1)];
      if (fdp.ConsumeIntegralInRange<int>(0, 3) == 0 && !body.empty()) {
        body[fdp.ConsumeIntegralInRange<size_t>(0, 65535) % body.size()] ^=
            fdp.ConsumeIntegralInRange<uint8_t>(1, 255);
      }
      if (fdp.ConsumeIntegralInRange<int>(0, 7) == 0) {
        body.resize(fdp.ConsumeIntegralInRange<size_t>(0, 65535) % (body.size() + 9));
      }
    } else if (type == wire::ChunkType::kData) {
      Append32(body, fdp.ConsumeIntegral<uint32_t>());  // TSN
      Append16(body, fdp.ConsumeIntegralInRange<uint16_t>(0, 20));
      Append16(body, fdp.ConsumeIntegral<uint16_t>());
      Append32(body, fdp.ConsumeIntegral<uint32_t>());
      const auto data = fdp.ConsumeBytes<uint8_t>(fdp.ConsumeIntegralInRange<size_t>(0, 300));
      body.insert(body.end(), data.begin(), data.end());
    } else {
      body = fdp.ConsumeBytes<uint8_t>(fdp.ConsumeIntegralInRange<size_t>(0, 64));
    }
    if (type == wire::ChunkType::kCookieEcho && cookie_value->empty()) *cookie_value = body;
    if (fdp.ConsumeIntegralInRange<int>(0, 15) == 0) {
      packet.RawChunk(type, flags, fdp.ConsumeIntegral<uint16_t>(), body);  // a lying length
    } else {
      packet.Chunk(type, flags, body);
    }
  }

  void DeliverPacket(InputReader& fdp) {
    const uint8_t mode = fdp.ConsumeIntegral<uint8_t>();
    const uint16_t source_port = (mode & 0x01) ? fdp.ConsumeIntegral<uint16_t>() : kPeerPort;
    const uint16_t destination_port = (mode & 0x02) ? fdp.ConsumeIntegral<uint16_t>() : kLocalPort;
    RawPacket packet(source_port, destination_port, PickTag(fdp));
    std::vector<uint8_t> cookie_value;
    if (mode & 0x04) {
      packet.Raw(fdp.ConsumeBytes<uint8_t>(fdp.ConsumeIntegralInRange<size_t>(0, 1500)));
    } else {
      const int chunks = fdp.ConsumeIntegralInRange<int>(1, 4);
      for (int i = 0; i < chunks; ++i)
        AddChunk(fdp, packet, &cookie_value);
    }
    // Checksum: correct and checked, absent but "verified by the lower layer", or wrong.
    const int checksum = (mode >> 3) & 3;
    const std::vector<uint8_t> bytes = packet.Finish(/*write_checksum=*/checksum != 2);
    const Address& from = peers[fdp.ConsumeIntegralInRange<size_t>(0, 2)];

    TraceBytes("deliver", bytes);
    const size_t associations_before = endpoint->associations().size();
    replies_this_call = 0;
    endpoint->HandlePacket(from, local, bytes, now, /*checksum_verified=*/checksum == 1);
    const size_t associations_after = endpoint->associations().size();

    if (associations_after > associations_before) {
      // §5.1 / §5.1.5: only a COOKIE ECHO with a cookie we issued (MAC intact) creates state.
      if (FirstChunkType(bytes) != wire::ChunkType::kCookieEcho || !IsIssuedCookie(cookie_value)) {
        Fail(kName, "association created without a valid COOKIE ECHO");
      }
      if (associations_after != associations_before + 1)
        Fail(kName, "one packet, two associations");
    }
    // §8.4 rule 2: "If the OOTB packet contains an ABORT chunk, the receiver MUST silently
    // discard the OOTB packet and take no further action."
    if (associations_before == 0 && associations_after == 0 && replies_this_call > 0 &&
        HasChunk(bytes, wire::ChunkType::kAbort)) {
      Fail(kName, "reply to an out-of-the-blue packet containing ABORT");
    }
    Trace("packet: %zu bytes, first chunk %d, checksum mode %d -> %zu replies, %zu associations",
          bytes.size(), FirstChunkType(bytes), checksum, replies_this_call, associations_after);
    if (replies_this_call > 64) Fail(kName, "more than 64 packets in reply to one packet");
  }

  void AdvanceTime(InputReader& fdp) {
    now += fdp.ConsumeBool() ? Milliseconds(fdp.ConsumeIntegralInRange<int>(0, 2000))
                             : Seconds(fdp.ConsumeIntegralInRange<int>(0, 120));
    endpoint->HandleTimeout(now);
    Trace("time: %lld ms", static_cast<long long>(ToMilliseconds(now.time_since_epoch())));
    if (endpoint->NextDeadline() <= now) Fail(kName, "a timer is due after HandleTimeout");
  }

  AssociationId PickAssociation(InputReader& fdp) const {
    const std::vector<AssociationId> ids = endpoint->associations();
    if (ids.empty()) return AssociationId(fdp.ConsumeIntegral<uint8_t>());
    return ids[fdp.ConsumeIntegralInRange<size_t>(0, ids.size() - 1)];
  }

  void Step(InputReader& fdp) {
    switch (fdp.ConsumeIntegralInRange<int>(0, 7)) {
      case 0:
      case 1:
      case 2:
      case 3:
        DeliverPacket(fdp);
        break;
      case 4:
        AdvanceTime(fdp);
        break;
      case 5: {
        const AssociationId id = PickAssociation(fdp);
        SendOptions options;
        options.unordered = fdp.ConsumeBool();
        std::vector<uint8_t> payload(fdp.ConsumeIntegralInRange<size_t>(0, 5000), 0x42);
        (void)endpoint->Send(id, StreamId(fdp.ConsumeIntegral<uint16_t>() % 12), Ppid(51),
                             std::move(payload), options, now);
        break;
      }
      case 6:
        (void)endpoint->Shutdown(PickAssociation(fdp), now);
        break;
      case 7: {
        const uint8_t reason[] = {'f', 'u', 'z', 'z'};
        (void)endpoint->Abort(PickAssociation(fdp), reason, now);
        break;
      }
    }
    if (std::string v = endpoint->InvariantViolation(/*deep=*/true); !v.empty()) Fail(kName, v);
  }
};

}  // namespace
}  // namespace sctp::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sctp::fuzz::InputReader fdp(std::span<const uint8_t>(data, size));
  sctp::fuzz::Harness harness;
  for (int steps = 0; steps < 64 && fdp.remaining_bytes() > 0; ++steps)
    harness.Step(fdp);
  return 0;
}
