// The SCTP packet: common header (RFC 9260 §3.1), chunk framing (§3.2), bundling rules
// (§6.10), and a builder that packs chunks up to a size limit and writes the checksum.
#ifndef SCTPCPP_WIRE_PACKET_H_
#define SCTPCPP_WIRE_PACKET_H_

#include <cstdint>
#include <span>

#include "sctpcpp/types.h"
#include "wire/byte_io.h"
#include "wire/parse_result.h"

namespace sctp::wire {

constexpr size_t kCommonHeaderSize = 12;
constexpr size_t kChunkHeaderSize = 4;

// RFC 9260 §3.1.
struct CommonHeader {
  uint16_t source_port = 0;
  uint16_t destination_port = 0;
  VerificationTag verification_tag;
  uint32_t checksum = 0;  // as read (SCTP byte order); the builder computes it

  friend bool operator==(const CommonHeader&, const CommonHeader&) = default;
};

// One chunk as framed on the wire (§3.2). `length` is the Chunk Length field (header
// included, padding excluded); `value` holds length - 4 bytes.
struct ChunkView {
  uint8_t type = 0;
  uint8_t flags = 0;
  uint16_t length = 0;
  Bytes value;
  uint32_t offset = 0;  // of the chunk's first byte, in the outermost parsed buffer

  // Header and value, without padding (what "Unrecognized Chunk Type" echoes, §3.3.10.6).
  Bytes raw() const {
    return Bytes(std::span<const uint8_t>(value.data() - kChunkHeaderSize, length));
  }
};

// Walks the chunks of a packet's chunk area. §3.2: "Chunk Length: ... includes the Chunk
// Type, Chunk Flags, Chunk Length, and Chunk Value fields" and "The total length of a chunk
// ... MUST be a multiple of 4 bytes ... The receiver MUST ignore the padding bytes."
// Padding between chunks is required (the next chunk starts at the padded offset); the
// final chunk's padding may be missing, as usrsctp and most stacks accept.
class ChunkReader {
 public:
  ChunkReader(Bytes area, uint32_t base_offset) : area_(area), base_(base_offset) {}
  bool Next(ChunkView* out);
  bool failed() const { return failed_; }
  const ParseError& error() const { return error_; }

 private:
  bool Fail(ParseErrorCode code, size_t at) {
    failed_ = true;
    error_ = ParseError{code, static_cast<uint32_t>(base_ + at)};
    return false;
  }
  Bytes area_;
  uint32_t base_;
  size_t pos_ = 0;
  bool failed_ = false;
  ParseError error_{ParseErrorCode::kBadValue, 0};
};

// A validated packet: the header parsed, every chunk's framing checked, bundling rules
// enforced. The checksum is NOT checked here (see crc32c.h: the caller decides, e.g. for
// RFC 9653 zero checksum or CRC offload).
class PacketView {
 public:
  static Parsed<PacketView> Parse(std::span<const uint8_t> packet);

  const CommonHeader& header() const { return header_; }
  std::span<const uint8_t> bytes() const { return bytes_; }
  size_t chunk_count() const { return chunk_count_; }
  uint8_t first_chunk_type() const { return first_chunk_type_; }
  // Chunks in order; framing was validated by Parse, so the reader does not fail.
  ChunkReader chunks() const {
    return ChunkReader(Bytes(bytes_.subspan(kCommonHeaderSize)), kCommonHeaderSize);
  }

 private:
  std::span<const uint8_t> bytes_;
  CommonHeader header_;
  size_t chunk_count_ = 0;
  uint8_t first_chunk_type_ = 0;
};

// Builds one packet into a caller-provided buffer: common header, then chunks while they
// fit in `max_size` (the path MTU minus IP/UDP headers), then the checksum.
class PacketBuilder {
 public:
  PacketBuilder(std::span<uint8_t> buffer, const CommonHeader& header, size_t max_size);

  // Bytes a chunk of `length` (unpadded) would take, and whether it still fits.
  size_t remaining() const { return limit_ - writer_.size(); }
  bool Fits(size_t chunk_length) const { return PaddedLength(chunk_length) <= remaining(); }

  // Appends a chunk (any type from chunks.h, which writes its own padding). Returns false,
  // leaving the packet unchanged, when it does not fit.
  template <typename Chunk>
  bool Add(const Chunk& chunk) {
    if (!Fits(chunk.WireLength())) return false;
    chunk.WriteTo(writer_);
    ++chunk_count_;
    return writer_.ok();
  }
  // Appends pre-serialized chunk bytes (already padded).
  bool AddRaw(std::span<const uint8_t> chunk_bytes);

  size_t chunk_count() const { return chunk_count_; }
  bool empty() const { return chunk_count_ == 0; }

  // Writes the checksum (CRC32c, or 0 for RFC 9653 zero checksum) and returns the packet.
  std::span<const uint8_t> Finish(bool zero_checksum = false);

 private:
  ByteWriter writer_;
  size_t limit_;
  size_t chunk_count_ = 0;
};

}  // namespace sctp::wire

#endif  // SCTPCPP_WIRE_PACKET_H_
