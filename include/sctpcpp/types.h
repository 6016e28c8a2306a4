// Strong types for the numbers SCTP puts on the wire.
//
// Sequence numbers (TSN, SSN, MID, FSN) wrap around and are compared with serial-number
// arithmetic (RFC 1982, required by RFC 9260 §1.6 for TSNs and SSNs). This header is the
// only place where such comparisons are written; nothing else compares raw integers.
//
// Identifiers (stream id, PPID, verification tag) are plain values: equality and hashing,
// an ordinary total order for containers, and no arithmetic.
#ifndef SCTPCPP_TYPES_H_
#define SCTPCPP_TYPES_H_

#include <compare>
#include <cstdint>
#include <functional>
#include <limits>
#include <ostream>
#include <type_traits>

namespace sctp {

// A serial number of SERIAL_BITS = 8 * sizeof(Rep) (RFC 1982 §2).
//
// RFC 1982 §3.2: s1 < s2 iff (i1 < i2 and i2 - i1 < 2^(SERIAL_BITS-1)) or
// (i1 > i2 and i1 - i2 > 2^(SERIAL_BITS-1)). Two numbers exactly 2^(SERIAL_BITS-1) apart are
// "undefined" by the RFC; here neither is less than the other (and they are not equal), so
// callers must treat that distance as out of window. Because the order is not transitive,
// SerialNumber has no operator<=> and must not key an ordered container; use Unwrapper to
// map it onto a monotonic 64-bit value for that.
template <typename Tag, typename Rep>
class SerialNumber {
  static_assert(std::is_unsigned_v<Rep>);

 public:
  using rep_type = Rep;
  static constexpr Rep kHalf = Rep{1} << (std::numeric_limits<Rep>::digits - 1);

  constexpr SerialNumber() = default;
  constexpr explicit SerialNumber(Rep value) : value_(value) {}

  constexpr Rep value() const { return value_; }

  // RFC 1982 §3.1: addition of n in [0, 2^(SERIAL_BITS-1) - 1], modulo 2^SERIAL_BITS.
  constexpr SerialNumber operator+(Rep n) const {
    return SerialNumber(static_cast<Rep>(value_ + n));
  }
  constexpr SerialNumber operator-(Rep n) const {
    return SerialNumber(static_cast<Rep>(value_ - n));
  }
  constexpr SerialNumber& operator+=(Rep n) { return *this = *this + n; }
  constexpr SerialNumber& operator++() { return *this += 1; }
  constexpr SerialNumber operator++(int) {
    SerialNumber old = *this;
    ++*this;
    return old;
  }

  // Forward distance from `from` to this number, modulo 2^SERIAL_BITS.
  constexpr Rep DistanceFrom(SerialNumber from) const {
    return static_cast<Rep>(value_ - from.value_);
  }

  friend constexpr bool operator==(SerialNumber a, SerialNumber b) { return a.value_ == b.value_; }
  friend constexpr bool operator!=(SerialNumber a, SerialNumber b) { return a.value_ != b.value_; }
  friend constexpr bool operator<(SerialNumber a, SerialNumber b) {
    const Rep forward = static_cast<Rep>(b.value_ - a.value_);
    return forward != 0 && forward < kHalf;
  }
  friend constexpr bool operator>(SerialNumber a, SerialNumber b) { return b < a; }
  friend constexpr bool operator<=(SerialNumber a, SerialNumber b) { return a == b || a < b; }
  friend constexpr bool operator>=(SerialNumber a, SerialNumber b) { return a == b || b < a; }

  template <typename H>
  friend H AbslHashValue(H h, SerialNumber s) {
    return H::combine(std::move(h), s.value_);
  }
  friend std::ostream& operator<<(std::ostream& os, SerialNumber s) {
    return os << static_cast<uint64_t>(s.value_);
  }

 private:
  Rep value_ = 0;
};

// Maps wrapping serial numbers onto a monotonic 64-bit line, given that consecutive inputs
// are within half the serial space of the last one seen (true for TSNs inside a receive
// window and SSNs inside a stream's reorder window).
template <typename Serial>
class Unwrapper {
 public:
  using Rep = typename Serial::rep_type;
  static constexpr int64_t kModulus = int64_t{1} << std::numeric_limits<Rep>::digits;

  int64_t Unwrap(Serial s) {
    if (!has_last_) {
      has_last_ = true;
      last_ = s.value();
      return last_;
    }
    const Rep last_wire = static_cast<Rep>(last_ % kModulus);
    const Rep forward = static_cast<Rep>(s.value() - last_wire);
    int64_t delta = forward;
    if (forward >= Serial::kHalf) delta -= kModulus;  // behind the last one seen
    const int64_t result = last_ + delta;
    if (delta > 0) last_ = result;
    return result;
  }
  // Like Unwrap, but does not move the reference point.
  int64_t PeekUnwrap(Serial s) const {
    if (!has_last_) return s.value();
    const Rep last_wire = static_cast<Rep>(last_ % kModulus);
    const Rep forward = static_cast<Rep>(s.value() - last_wire);
    int64_t delta = forward;
    if (forward >= Serial::kHalf) delta -= kModulus;
    return last_ + delta;
  }

 private:
  bool has_last_ = false;
  int64_t last_ = 0;
};

// A plain identifier: equality, a total order (for containers), hashing; no arithmetic.
template <typename Tag, typename Rep>
class Identifier {
 public:
  using rep_type = Rep;
  constexpr Identifier() = default;
  constexpr explicit Identifier(Rep value) : value_(value) {}
  constexpr Rep value() const { return value_; }
  friend constexpr auto operator<=>(Identifier, Identifier) = default;
  template <typename H>
  friend H AbslHashValue(H h, Identifier id) {
    return H::combine(std::move(h), id.value_);
  }
  friend std::ostream& operator<<(std::ostream& os, Identifier id) {
    return os << static_cast<uint64_t>(id.value_);
  }

 private:
  Rep value_ = 0;
};

// Transmission Sequence Number (RFC 9260 §3.3.1), 32-bit serial.
using Tsn = SerialNumber<struct TsnTag, uint32_t>;
// Stream Sequence Number (RFC 9260 §3.3.1), 16-bit serial.
using Ssn = SerialNumber<struct SsnTag, uint16_t>;
// Message Identifier of I-DATA (RFC 8260 §2.1), 32-bit serial.
using Mid = SerialNumber<struct MidTag, uint32_t>;
// Fragment Sequence Number of I-DATA (RFC 8260 §2.1), 32-bit serial.
using Fsn = SerialNumber<struct FsnTag, uint32_t>;
// Re-configuration request sequence number (RFC 6525 §4.1), 32-bit serial.
using ReconfigSeq = SerialNumber<struct ReconfigSeqTag, uint32_t>;

// Stream Identifier S (RFC 9260 §3.3.1).
using StreamId = Identifier<struct StreamIdTag, uint16_t>;
// Payload Protocol Identifier (RFC 9260 §3.3.1), opaque to SCTP.
using Ppid = Identifier<struct PpidTag, uint32_t>;
// Verification Tag (RFC 9260 §3.1, §8.5).
using VerificationTag = Identifier<struct VerificationTagTag, uint32_t>;

}  // namespace sctp

template <typename Tag, typename Rep>
struct std::hash<sctp::SerialNumber<Tag, Rep>> {
  size_t operator()(sctp::SerialNumber<Tag, Rep> s) const noexcept {
    return std::hash<Rep>{}(s.value());
  }
};
template <typename Tag, typename Rep>
struct std::hash<sctp::Identifier<Tag, Rep>> {
  size_t operator()(sctp::Identifier<Tag, Rep> s) const noexcept {
    return std::hash<Rep>{}(s.value());
  }
};

#endif  // SCTPCPP_TYPES_H_
