// libFuzzer target: an Endpoint that sent INIT (COOKIE-WAIT) receives an INIT ACK whose
// fields and parameters come from the input (usually with the right tag), then a stream of
// packets, time advances and API calls as in fuzz_endpoint_listen.
//
// Checked after every step:
//   - every packet sent parses with our codec, has a valid CRC32c and comes from our port;
//   - a COOKIE ECHO we send carries exactly the State Cookie of an INIT ACK we received
//     (§5.1 step C: "the State Cookie ... MUST be echoed unchanged");
//   - the association reaches ESTABLISHED only after a COOKIE ACK or COOKIE ECHO arrived
//     (§5.1 step E, §5.2.4 collisions);
//   - after HandleTimeout(now) no deadline is left at or before now;
//   - Endpoint::InvariantViolation(deep) is empty.
// Deterministic: fixed endpoint seed, time injected from the input.
#include <algorithm>

#include "fuzz_support.h"
#include "sctpcpp/endpoint.h"
#include "wire/chunk_type.h"
#include "wire/chunks.h"
#include "wire/packet.h"

namespace sctp::fuzz {
namespace {

constexpr char kName[] = "fuzz_endpoint_connect";
constexpr uint16_t kLocalPort = 5000;
constexpr uint16_t kPeerPort = 5001;

uint32_t Load32At(std::span<const uint8_t> p, size_t offset) {
  return (uint32_t{p[offset]} << 24) | (uint32_t{p[offset + 1]} << 16) |
         (uint32_t{p[offset + 2]} << 8) | p[offset + 3];
}

struct Harness {
  std::unique_ptr<Endpoint> endpoint;
  Address local = Address::Ipv4({10, 0, 0, 2});
  Address peers[2] = {Address::Ipv4({10, 0, 0, 1}), Address::Ipv4({10, 0, 1, 1})};
  TimePoint now = TimePoint(Seconds(1000));
  AssociationId id;
  uint32_t our_tag = 0;   // Initiate Tag of our INIT: the tag the peer must use
  uint32_t our_tsn = 0;   // our initial TSN
  uint32_t peer_tag = 0;  // Initiate Tag of the last INIT ACK we delivered
  uint32_t peer_tsn = 0;  // its initial TSN
  std::vector<std::vector<uint8_t>> received_cookies;  // State Cookies of delivered INIT ACKs
  bool cookie_ack_or_echo_seen = false;

  Harness() {
    EndpointConfig config;
    config.local_port = kLocalPort;
    config.seed = 0xc0ffee;
    config.options.rto_initial = Milliseconds(300);
    config.options.rto_min = Milliseconds(100);
    config.options.rto_max = Seconds(5);
    config.options.receive_window = 64 * 1024;
    config.options.send_buffer_size = 256 * 1024;
    config.options.heartbeat_interval = Seconds(5);
    config.options.max_init_retransmits = 3;
    // Pull mode with explicit reads (a socket layer): received messages count against the
    // window until the "read" command releases them.
    config.release_on_delivery = false;
    EndpointCallbacks callbacks;
    callbacks.send_packet = [this](const Address&, const Address&,
                                   std::span<const uint8_t> packet) { OnSend(packet); };
    endpoint = std::make_unique<Endpoint>(config, callbacks);
    auto connected = endpoint->Connect(peers, kPeerPort, now);
    if (!connected.ok()) Fail(kName, "Connect failed");
    id = *connected;
    if (our_tag == 0) Fail(kName, "Connect sent no INIT");
  }

  void OnSend(std::span<const uint8_t> packet) {
    if (std::string problem = CheckEmittedPacket(packet, kLocalPort); !problem.empty()) {
      Fail(kName, problem);
    }
    auto parsed = wire::PacketView::Parse(packet);
    wire::ChunkReader reader = parsed->chunks();
    wire::ChunkView view;
    while (reader.Next(&view)) {
      if (view.type == wire::ChunkType::kInit && our_tag == 0) {
        our_tag = Load32At(view.value.span(), 0);
        our_tsn = Load32At(view.value.span(), 12);
      }
      if (view.type == wire::ChunkType::kCookieEcho) {
        const auto value = view.value.span();
        const bool echoed =
            std::any_of(received_cookies.begin(), received_cookies.end(), [&](const auto& c) {
              return c.size() == value.size() && std::equal(c.begin(), c.end(), value.begin());
            });
        if (!echoed) Fail(kName, "COOKIE ECHO does not carry a cookie we received");
      }
    }
  }

  uint32_t PickTag(InputReader& in) {
    switch (in.ConsumeIntegralInRange<int>(0, 4)) {
      case 0:
        return in.ConsumeIntegral<uint32_t>();
      case 1:
        return 0;
      case 2:
        return peer_tag;
      default:
        return our_tag;
    }
  }

  std::vector<uint8_t> InitAckBody(InputReader& in) {
    std::vector<uint8_t> body;
    Append32(body, in.ConsumeBool() ? in.ConsumeIntegral<uint32_t>() : 0x0a0b0c0d);  // tag
    Append32(body, in.ConsumeIntegral<uint32_t>());                                  // a_rwnd
    Append16(body, in.ConsumeIntegral<uint16_t>());                                  // OS
    Append16(body, in.ConsumeIntegral<uint16_t>());                                  // MIS
    Append32(body, in.ConsumeIntegral<uint32_t>());                                  // TSN
    if (in.ConsumeBool()) {  // a State Cookie parameter, usually first
      const auto cookie = in.ConsumeBytes<uint8_t>(in.ConsumeIntegralInRange<size_t>(0, 80));
      Append16(body, wire::ParameterType::kStateCookie);
      Append16(body, static_cast<uint16_t>(4 + cookie.size()));
      body.insert(body.end(), cookie.begin(), cookie.end());
      while (body.size() % 4 != 0)
        body.push_back(0);
    }
    const auto params = FuzzParameters(in, 6);
    body.insert(body.end(), params.begin(), params.end());
    return body;
  }

  void AddChunk(InputReader& in, RawPacket& packet) {
    const uint8_t type = PickChunkType(in);
    const uint8_t flags = in.ConsumeIntegral<uint8_t>();
    std::vector<uint8_t> body;
    if (type == wire::ChunkType::kInitAck || type == wire::ChunkType::kInit) {
      body = InitAckBody(in);
    } else if (type == wire::ChunkType::kData) {
      Append32(body, peer_tsn + in.ConsumeIntegralInRange<uint32_t>(0, 40) - 4);
      Append16(body, in.ConsumeIntegralInRange<uint16_t>(0, 20));
      Append16(body, in.ConsumeIntegral<uint16_t>());
      Append32(body, in.ConsumeIntegral<uint32_t>());
      const auto data = in.ConsumeBytes<uint8_t>(in.ConsumeIntegralInRange<size_t>(0, 300));
      body.insert(body.end(), data.begin(), data.end());
    } else if (type == wire::ChunkType::kSack) {
      Append32(body, our_tsn + in.ConsumeIntegralInRange<uint32_t>(0, 40) - 4);
      Append32(body, in.ConsumeIntegral<uint32_t>());
      const uint16_t gaps = in.ConsumeIntegralInRange<uint16_t>(0, 8);
      const uint16_t dups = in.ConsumeIntegralInRange<uint16_t>(0, 4);
      Append16(body, gaps);
      Append16(body, dups);
      for (int i = 0; i < gaps + dups; ++i)
        Append32(body, in.ConsumeIntegral<uint32_t>());
    } else {
      body = in.ConsumeBytes<uint8_t>(in.ConsumeIntegralInRange<size_t>(0, 64));
    }
    if (in.ConsumeIntegralInRange<int>(0, 15) == 0) {
      packet.RawChunk(type, flags, in.ConsumeIntegral<uint16_t>(), body);
    } else {
      packet.Chunk(type, flags, body);
    }
  }

  void Deliver(const std::vector<uint8_t>& bytes, const Address& from, bool verified) {
    // Remember what an INIT ACK offers before the endpoint sees it (the COOKIE ECHO is sent
    // from inside HandlePacket).
    for (std::vector<uint8_t>& cookie : StateCookiesOf(bytes)) {
      if (received_cookies.size() == 8) received_cookies.erase(received_cookies.begin());
      received_cookies.push_back(std::move(cookie));
    }
    if (HasChunk(bytes, wire::ChunkType::kInitAck) && bytes.size() >= 36) {
      peer_tag = Load32At(bytes, 16);
      peer_tsn = Load32At(bytes, 28);
    }
    const bool was_established = Established();
    if (HasChunk(bytes, wire::ChunkType::kCookieAck) ||
        HasChunk(bytes, wire::ChunkType::kCookieEcho)) {
      cookie_ack_or_echo_seen = true;
    }
    endpoint->HandlePacket(from, local, bytes, now, verified);
    auto info = endpoint->GetInfo(id);
    Trace("packet: %zu bytes, first chunk %d -> %s", bytes.size(), FirstChunkType(bytes),
          info ? std::string(AssociationStateName(info->state)).c_str() : "gone");
    if (!was_established && Established() && !cookie_ack_or_echo_seen) {
      Fail(kName, "ESTABLISHED without COOKIE ACK or COOKIE ECHO");
    }
  }

  bool Established() const {
    auto info = endpoint->GetInfo(id);
    return info.has_value() && info->state == AssociationState::kEstablished;
  }

  void DeliverPacket(InputReader& in) {
    const uint8_t mode = in.ConsumeIntegral<uint8_t>();
    const uint16_t source_port = (mode & 0x01) ? in.ConsumeIntegral<uint16_t>() : kPeerPort;
    RawPacket packet(source_port, kLocalPort, PickTag(in));
    if (mode & 0x04) {
      packet.Raw(in.ConsumeBytes<uint8_t>(in.ConsumeIntegralInRange<size_t>(0, 1500)));
    } else {
      const int chunks = in.ConsumeIntegralInRange<int>(1, 3);
      for (int i = 0; i < chunks; ++i)
        AddChunk(in, packet);
    }
    const int checksum = (mode >> 3) & 3;
    Deliver(packet.Finish(checksum != 2), peers[(mode >> 5) & 1], checksum == 1);
  }

  void Step(InputReader& in) {
    switch (in.ConsumeIntegralInRange<int>(0, 8)) {
      case 0:
      case 1:
      case 2:
      case 3:
        DeliverPacket(in);
        break;
      case 4: {
        now += in.ConsumeBool() ? Milliseconds(in.ConsumeIntegralInRange<int>(0, 2000))
                                : Seconds(in.ConsumeIntegralInRange<int>(0, 120));
        endpoint->HandleTimeout(now);
        if (endpoint->NextDeadline() <= now) Fail(kName, "a timer is due after HandleTimeout");
        break;
      }
      case 5: {
        std::vector<uint8_t> payload(in.ConsumeIntegralInRange<size_t>(0, 5000), 0x42);
        SendOptions options;
        options.unordered = in.ConsumeBool();
        (void)endpoint->Send(id, StreamId(in.ConsumeIntegral<uint16_t>() % 12), Ppid(51),
                             std::move(payload), options, now);
        break;
      }
      case 6:
        (void)endpoint->Shutdown(id, now);
        break;
      case 7: {
        const uint8_t reason[] = {'f', 'u', 'z', 'z'};
        (void)endpoint->Abort(id, reason, now);
        break;
      }
      case 8: {  // read: take events, release what the messages held
        size_t bytes = 0;
        for (int n = in.ConsumeIntegralInRange<int>(1, 16); n > 0; --n) {
          std::optional<Event> e = endpoint->PollEvent();
          if (!e) break;
          if (const auto* m = std::get_if<events::MessageReceived>(&e->payload)) {
            bytes += m->message.payload.size();
          }
        }
        endpoint->ReleaseReceiveBuffer(id, bytes, now);
        break;
      }
    }
    if (std::string v = endpoint->InvariantViolation(/*deep=*/true); !v.empty()) Fail(kName, v);
  }

  // The first packet: an INIT ACK (header tag and fields from the input).
  void FirstInitAck(InputReader& in) {
    const uint32_t tag =
        in.ConsumeIntegralInRange<int>(0, 7) == 0 ? in.ConsumeIntegral<uint32_t>() : our_tag;
    RawPacket packet(kPeerPort, kLocalPort, tag);
    packet.Chunk(wire::ChunkType::kInitAck, 0, InitAckBody(in));
    Deliver(packet.Finish(true), peers[0], false);
    if (std::string v = endpoint->InvariantViolation(/*deep=*/true); !v.empty()) Fail(kName, v);
  }
};

}  // namespace
}  // namespace sctp::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sctp::fuzz::InputReader in(std::span<const uint8_t>(data, size));
  sctp::fuzz::Harness harness;
  harness.FirstInitAck(in);
  for (int steps = 0; steps < 64 && in.remaining_bytes() > 0; ++steps)
    harness.Step(in);
  return 0;
}
