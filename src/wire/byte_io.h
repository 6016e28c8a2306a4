// Big-endian loads and a bounds-checked writer for the wire codec.
//
// Hand-written because these are a handful of inline lines on the hot path of every
// packet; Abseil's endian helpers live in an internal header that is not a stable API.
#ifndef SCTPCPP_WIRE_BYTE_IO_H_
#define SCTPCPP_WIRE_BYTE_IO_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

namespace sctp::wire {

// RFC 9260 §3.2: chunks and parameters are padded to a multiple of 4 bytes.
constexpr size_t PaddedLength(size_t length) {
  return (length + 3) & ~size_t{3};
}

inline uint8_t Load8(const uint8_t* p) {
  return p[0];
}
inline uint16_t Load16(const uint8_t* p) {
  return static_cast<uint16_t>((uint16_t{p[0]} << 8) | p[1]);
}
inline uint32_t Load32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
inline uint64_t Load64(const uint8_t* p) {
  return (uint64_t{Load32(p)} << 32) | Load32(p + 4);
}
inline void Store16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
inline void Store32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

// A read-only byte range with value equality, used for every variable-length part of a
// chunk, parameter or cause. It points into the buffer it was parsed from (no copy), or
// into memory the builder's caller owns.
class Bytes {
 public:
  constexpr Bytes() = default;
  constexpr Bytes(std::span<const uint8_t> s) : span_(s) {}  // NOLINT: implicit by design
  Bytes(const std::vector<uint8_t>& v) : span_(v) {}         // NOLINT: implicit by design
  constexpr const uint8_t* data() const { return span_.data(); }
  constexpr size_t size() const { return span_.size(); }
  constexpr bool empty() const { return span_.empty(); }
  constexpr std::span<const uint8_t> span() const { return span_; }
  constexpr auto begin() const { return span_.begin(); }
  constexpr auto end() const { return span_.end(); }
  uint8_t operator[](size_t i) const { return span_[i]; }
  friend bool operator==(Bytes a, Bytes b) { return std::ranges::equal(a.span_, b.span_); }

 private:
  std::span<const uint8_t> span_;
};

// Appends big-endian fields to a caller-provided buffer. Never writes past the end: once a
// write does not fit, the writer remembers the overflow and ignores further writes, and
// the caller checks ok() once at the end (so builders stay branch-free per field).
class ByteWriter {
 public:
  explicit ByteWriter(std::span<uint8_t> buffer) : buffer_(buffer) {}

  size_t size() const { return size_; }
  size_t remaining() const { return overflow_ ? 0 : buffer_.size() - size_; }
  bool ok() const { return !overflow_; }
  std::span<uint8_t> written() { return buffer_.first(size_); }
  std::span<const uint8_t> written() const { return buffer_.first(size_); }

  // Marks the output as unusable (e.g. a length that does not fit its field).
  void Fail() { overflow_ = true; }
  // Reserves n bytes and returns a pointer to them, or nullptr on overflow.
  uint8_t* Reserve(size_t n) {
    if (overflow_ || n > buffer_.size() - size_) {
      overflow_ = true;
      return nullptr;
    }
    uint8_t* p = buffer_.data() + size_;
    size_ += n;
    return p;
  }
  void U8(uint8_t v) {
    if (uint8_t* p = Reserve(1)) *p = v;
  }
  void U16(uint16_t v) {
    if (uint8_t* p = Reserve(2)) Store16(p, v);
  }
  void U32(uint32_t v) {
    if (uint8_t* p = Reserve(4)) Store32(p, v);
  }
  void Append(std::span<const uint8_t> bytes) {
    if (bytes.empty()) return;
    if (uint8_t* p = Reserve(bytes.size())) std::memcpy(p, bytes.data(), bytes.size());
  }
  void Zeros(size_t n) {
    if (uint8_t* p = Reserve(n)) std::memset(p, 0, n);
  }
  // Zero padding up to the next multiple of 4 (RFC 9260 §3.2: "all zero bytes").
  void PadTo4() { Zeros(PaddedLength(size_) - size_); }
  // Overwrites a 16-bit field at an earlier offset (for length fields written last).
  void Patch16(size_t offset, uint16_t v) {
    if (!overflow_ && offset + 2 <= size_) Store16(buffer_.data() + offset, v);
  }

 private:
  std::span<uint8_t> buffer_;
  size_t size_ = 0;
  bool overflow_ = false;
};

// Serializes anything with WireLength()/WriteTo(ByteWriter&) (a chunk, parameter or
// cause) into a new vector, padding included. For control paths, not the DATA hot path.
template <typename T>
std::vector<uint8_t> ToBytes(const T& element) {
  std::vector<uint8_t> out(PaddedLength(element.WireLength()));
  ByteWriter w(out);
  element.WriteTo(w);
  out.resize(w.size());
  return out;
}

}  // namespace sctp::wire

#endif  // SCTPCPP_WIRE_BYTE_IO_H_
