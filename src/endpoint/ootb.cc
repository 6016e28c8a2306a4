#include "endpoint/ootb.h"

#include "wire/chunks.h"

namespace sctp::endpoint {

std::vector<uint8_t> OutOfTheBlueReply(const wire::PacketView& packet) {
  wire::ChunkReader reader = packet.chunks();
  wire::ChunkView chunk, first;
  bool has_first = false;
  // Walk the chunks for the cases that forbid a reply.
  while (reader.Next(&chunk)) {
    if (!has_first) {
      first = chunk;
      has_first = true;
    }
    switch (chunk.type) {
      case wire::ChunkType::kAbort:             // rule 2
      case wire::ChunkType::kShutdownComplete:  // rule 6
      case wire::ChunkType::kCookieAck:         // rule 7
        return {};
      case wire::ChunkType::kError: {
        wire::TlvReader causes(chunk.value, 0);
        wire::TlvView tlv;
        while (causes.Next(&tlv)) {
          if (tlv.type == wire::ErrorCauseCode::kStaleCookieError) return {};  // rule 7
        }
        break;
      }
      default:
        break;
    }
  }
  if (!has_first) return {};
  const wire::CommonHeader& h = packet.header();
  wire::CommonHeader reply{h.destination_port, h.source_port, h.verification_tag, 0};
  wire::AnyChunk answer = wire::AbortChunk{true, {}};  // rule 8: packet's tag, T bit
  if (first.type == wire::ChunkType::kInit) {
    // Rule 3: ABORT with the INIT's Initiate Tag, T bit clear.
    auto init = wire::InitChunk::Parse(first);
    if (!init.ok()) return {};
    reply.verification_tag = init->initiate_tag;
    answer = wire::AbortChunk{false, {}};
  } else if (first.type == wire::ChunkType::kShutdownAck) {
    answer = wire::ShutdownCompleteChunk{true};  // rule 5: packet's tag, T bit
  }
  std::vector<uint8_t> out(wire::kCommonHeaderSize + 8);
  wire::PacketBuilder builder(out, reply, out.size());
  wire::AddChunk(builder, answer);
  const std::span<const uint8_t> packet_bytes = builder.Finish();
  out.resize(packet_bytes.size());
  return out;
}

}  // namespace sctp::endpoint
