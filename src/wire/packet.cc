#include "wire/packet.h"

#include <algorithm>

#include "wire/chunk_type.h"
#include "wire/crc32c.h"

namespace sctp::wire {

bool ChunkReader::Next(ChunkView* out) {
  if (failed_) return false;
  const size_t size = area_.size();
  if (pos_ == size) return false;
  if (size - pos_ < kChunkHeaderSize) return Fail(ParseErrorCode::kTrailingBytes, pos_);
  const uint8_t* p = area_.data() + pos_;
  const uint16_t length = Load16(p + 2);
  if (length < kChunkHeaderSize) return Fail(ParseErrorCode::kLengthTooSmall, pos_ + 2);
  if (length > size - pos_) return Fail(ParseErrorCode::kLengthOverrun, pos_ + 2);
  out->type = p[0];
  out->flags = p[1];
  out->length = length;
  out->value = Bytes(std::span<const uint8_t>(p + kChunkHeaderSize, length - kChunkHeaderSize));
  out->offset = static_cast<uint32_t>(base_ + pos_);
  const size_t padded = PaddedLength(length);
  pos_ = std::min(size, pos_ + padded);
  return true;
}

Parsed<PacketView> PacketView::Parse(std::span<const uint8_t> packet) {
  if (packet.size() < kCommonHeaderSize) return ParseError{ParseErrorCode::kPacketTooShort, 0};
  PacketView view;
  view.bytes_ = packet;
  const uint8_t* p = packet.data();
  view.header_.source_port = Load16(p);
  view.header_.destination_port = Load16(p + 2);
  view.header_.verification_tag = VerificationTag(Load32(p + 4));
  view.header_.checksum = Load32(p + 8);

  // RFC 9260 §3: "multiple chunks can be bundled into one SCTP packet"; a packet with no
  // chunk at all carries nothing to process.
  if (packet.size() == kCommonHeaderSize) return ParseError{ParseErrorCode::kNoChunks, 12};

  ChunkReader reader = view.chunks();
  ChunkView chunk;
  bool must_be_alone = false;
  uint32_t lone_offset = 0;
  while (reader.Next(&chunk)) {
    if (view.chunk_count_ == 0) view.first_chunk_type_ = chunk.type;
    ++view.chunk_count_;
    // RFC 9260 §6.10: "INIT, INIT ACK, and SHUTDOWN COMPLETE chunks MUST NOT be bundled
    // with any other chunk in a packet."
    const bool lone_type = chunk.type == ChunkType::kInit || chunk.type == ChunkType::kInitAck ||
                           chunk.type == ChunkType::kShutdownComplete;
    if (lone_type && view.chunk_count_ > 1) {
      return ParseError{ParseErrorCode::kInvalidBundling, chunk.offset};
    }
    if (must_be_alone) return ParseError{ParseErrorCode::kInvalidBundling, lone_offset};
    if (lone_type) {
      must_be_alone = true;
      lone_offset = chunk.offset;
    }
  }
  if (reader.failed()) return reader.error();
  return view;
}

PacketBuilder::PacketBuilder(std::span<uint8_t> buffer, const CommonHeader& header, size_t max_size)
    : writer_(buffer), limit_(std::min(max_size, buffer.size())) {
  writer_.U16(header.source_port);
  writer_.U16(header.destination_port);
  writer_.U32(header.verification_tag.value());
  writer_.U32(0);  // checksum, written by Finish()
  if (limit_ < kCommonHeaderSize) limit_ = writer_.size();
}

bool PacketBuilder::AddRaw(std::span<const uint8_t> chunk_bytes) {
  // Chunks are padded to 4 bytes (§3.2); later chunks' padding depends on it.
  if (chunk_bytes.size() % 4 != 0 || chunk_bytes.size() > remaining()) return false;
  writer_.Append(chunk_bytes);
  ++chunk_count_;
  return writer_.ok();
}

std::span<const uint8_t> PacketBuilder::Finish(bool zero_checksum) {
  std::span<uint8_t> packet = writer_.written();
  if (packet.size() < kCommonHeaderSize) return {};
  if (zero_checksum) {
    Store32(packet.data() + 8, 0);  // RFC 9653: checksum field zero
  } else {
    WriteSctpChecksum(packet);
  }
  return packet;
}

}  // namespace sctp::wire
