// Type-length-value framing shared by chunk parameters (RFC 9260 §3.2.1), error causes
// (§3.3.10), RE-CONFIG parameters (RFC 6525 §4) and ASCONF parameters (RFC 5061 §4.2),
// plus PackedArray, a view over a run of fixed-size big-endian records.
#ifndef SCTPCPP_WIRE_TLV_H_
#define SCTPCPP_WIRE_TLV_H_

#include <cstdint>
#include <span>
#include <variant>

#include "wire/byte_io.h"
#include "wire/parse_result.h"

namespace sctp::wire {

constexpr size_t kTlvHeaderSize = 4;

// One parameter or error cause as framed on the wire. `length` is the Length field
// (header included, padding excluded); `value` holds length - 4 bytes.
struct TlvView {
  uint16_t type = 0;
  uint16_t length = 0;
  Bytes value;
  uint32_t offset = 0;  // of the TLV's first byte, in the outermost parsed buffer

  // Header and value, without padding: what an "Unrecognized Parameter" cause echoes.
  Bytes raw() const {
    return Bytes(std::span<const uint8_t>(value.data() - kTlvHeaderSize, length));
  }
};

// Walks a sequence of TLVs. RFC 9260 §3.2.1: "The Parameter Length field contains the
// length of the parameter in bytes, including the Parameter Type, Parameter Length, and
// Parameter Value fields. Thus, a parameter with a zero-length Parameter Value field would
// have a Parameter Length field of 4." and "The total length of a parameter (including
// Type, Parameter Length, and Value fields) MUST be a multiple of 4 bytes."
// The last TLV's padding may be missing: §3.2 counts padding of every parameter but the
// last in the chunk length, and asks receivers to accept either form.
class TlvReader {
 public:
  // `base_offset` is the offset of bytes[0] in the outermost buffer, for error reports.
  TlvReader(Bytes bytes, uint32_t base_offset) : bytes_(bytes), base_(base_offset) {}

  // Stores the next TLV in *out and returns true; returns false at the end or on malformed
  // framing (then failed() is true and error() says where and why).
  bool Next(TlvView* out);
  bool failed() const { return failed_; }
  const ParseError& error() const { return error_; }

 private:
  bool Fail(ParseErrorCode code, size_t at) {
    failed_ = true;
    error_ = ParseError{code, static_cast<uint32_t>(base_ + at)};
    return false;
  }
  Bytes bytes_;
  uint32_t base_;
  size_t pos_ = 0;
  bool failed_ = false;
  ParseError error_{ParseErrorCode::kBadValue, 0};
};

// Checks that `bytes` is a well-framed TLV sequence (possibly empty).
std::optional<ParseError> ValidateTlvSequence(Bytes bytes, uint32_t base_offset);

// The TLV sequence without the padding after its last TLV. RFC 9260 §3.2: the chunk length
// "does not include terminating padding of the chunk ... it does include padding of any
// variable-length parameter except the last parameter in the chunk". Builders append
// padded TLVs; chunks use this to write (and compare) the length the RFC wants.
Bytes TrimFinalTlvPadding(Bytes tlvs);

// Writes a TLV header + value + zero padding to 4 bytes.
void WriteTlv(ByteWriter& w, uint16_t type, std::span<const uint8_t> value);

// A run of fixed-size records, either viewed in wire bytes (after parsing) or backed by an
// array of host values (when building). Element access decodes on the fly, so parsing a
// SACK with 10,000 gap blocks costs nothing until they are read.
//
// T provides: static constexpr size_t kWireSize; static T Load(const uint8_t*);
// void Store(uint8_t*) const; operator==.
template <typename T>
class PackedArray {
 public:
  PackedArray() = default;
  // Views wire bytes; size() is bytes.size() / T::kWireSize (callers check divisibility).
  static PackedArray FromWire(Bytes bytes) {
    PackedArray a;
    a.wire_ = bytes;
    a.is_wire_ = true;
    return a;
  }
  // Refers to host values; the caller keeps them alive while the array is used.
  static PackedArray FromHost(std::span<const T> values) {
    PackedArray a;
    a.host_ = values;
    return a;
  }

  size_t size() const { return is_wire_ ? wire_.size() / T::kWireSize : host_.size(); }
  bool empty() const { return size() == 0; }
  size_t wire_size() const { return size() * T::kWireSize; }
  T operator[](size_t i) const {
    return is_wire_ ? T::Load(wire_.data() + i * T::kWireSize) : host_[i];
  }
  void WriteTo(ByteWriter& w) const {
    if (is_wire_) {
      w.Append(wire_.span().first(wire_size()));
      return;
    }
    for (const T& v : host_) {
      if (uint8_t* p = w.Reserve(T::kWireSize)) v.Store(p);
    }
  }

  class iterator {
   public:
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    iterator(const PackedArray* a, size_t i) : a_(a), i_(i) {}
    T operator*() const { return (*a_)[i_]; }
    iterator& operator++() {
      ++i_;
      return *this;
    }
    iterator operator++(int) {
      iterator t = *this;
      ++i_;
      return t;
    }
    bool operator==(const iterator& o) const { return i_ == o.i_; }

   private:
    const PackedArray* a_ = nullptr;
    size_t i_ = 0;
  };
  iterator begin() const { return iterator(this, 0); }
  iterator end() const { return iterator(this, size()); }

  friend bool operator==(const PackedArray& a, const PackedArray& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!(a[i] == b[i])) return false;
    }
    return true;
  }

 private:
  Bytes wire_;
  std::span<const T> host_;
  bool is_wire_ = false;
};

// A 16-bit record, for lists of stream ids, address types and HMAC ids.
struct U16Record {
  static constexpr size_t kWireSize = 2;
  uint16_t value = 0;
  static U16Record Load(const uint8_t* p) { return U16Record{Load16(p)}; }
  void Store(uint8_t* p) const { Store16(p, value); }
  friend bool operator==(U16Record, U16Record) = default;
};

}  // namespace sctp::wire

#endif  // SCTPCPP_WIRE_TLV_H_
