// What a parser says about bytes it could not accept: a reason and the byte offset where it
// found the problem. Parsers never throw and never read past their input.
#ifndef SCTPCPP_WIRE_PARSE_RESULT_H_
#define SCTPCPP_WIRE_PARSE_RESULT_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace sctp::wire {

enum class ParseErrorCode : uint8_t {
  kPacketTooShort,      // fewer than 12 bytes of common header
  kNoChunks,            // RFC 9260 §3: a packet carries one or more chunks
  kTruncatedHeader,     // not enough bytes left for a chunk/parameter/cause header
  kLengthTooSmall,      // length field below the minimum for its type
  kLengthOverrun,       // length field runs past the enclosing buffer
  kPaddingMissing,      // padding bytes required by §3.2 are not present
  kTrailingBytes,       // 1-3 stray bytes after the last chunk or parameter
  kWrongLength,         // a fixed-size chunk/parameter with another length
  kBadValue,            // a field holds a value the RFC forbids (e.g. zero streams)
  kInvalidBundling,     // §6.10: INIT, INIT ACK, SHUTDOWN COMPLETE bundled with others
  kWrongType,           // asked to parse a chunk/parameter of another type
};

std::string_view ParseErrorCodeName(ParseErrorCode code);

struct ParseError {
  ParseErrorCode code;
  // Offset from the start of the outermost buffer handed to the parser (the packet, when
  // parsing went through PacketView), where the offending field or element starts.
  uint32_t offset = 0;

  std::string ToString() const;
  friend bool operator==(const ParseError&, const ParseError&) = default;
  friend std::ostream& operator<<(std::ostream& os, const ParseError& e) {
    return os << e.ToString();
  }
};

// Either a parsed value or a ParseError. Small, allocation-free (an absl::Status would
// allocate its message on every rejected packet, and rejection is what attackers drive).
template <typename T>
class [[nodiscard]] Parsed {
 public:
  Parsed(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Parsed(ParseError error) : error_(error) {}    // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  const T& operator*() const { return *value_; }
  const T* operator->() const { return &*value_; }
  const ParseError& error() const { return error_; }

 private:
  std::optional<T> value_;
  ParseError error_{ParseErrorCode::kBadValue, 0};
};

}  // namespace sctp::wire

#endif  // SCTPCPP_WIRE_PARSE_RESULT_H_
