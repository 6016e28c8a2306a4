#include "wire/parse_result.h"


namespace sctp::wire {

std::string_view ParseErrorCodeName(ParseErrorCode code) {
  switch (code) {
    case ParseErrorCode::kPacketTooShort: return "packet shorter than the common header";
    case ParseErrorCode::kNoChunks: return "packet without chunks";
    case ParseErrorCode::kTruncatedHeader: return "truncated header";
    case ParseErrorCode::kLengthTooSmall: return "length field too small";
    case ParseErrorCode::kLengthOverrun: return "length field overruns the buffer";
    case ParseErrorCode::kPaddingMissing: return "padding missing";
    case ParseErrorCode::kTrailingBytes: return "stray bytes after the last element";
    case ParseErrorCode::kWrongLength: return "wrong length for a fixed-size element";
    case ParseErrorCode::kBadValue: return "field value not allowed";
    case ParseErrorCode::kInvalidBundling: return "chunk that must be alone is bundled";
    case ParseErrorCode::kWrongType: return "wrong type";
  }
  return "unknown parse error";
}

std::string ParseError::ToString() const {
  std::string text(ParseErrorCodeName(code));
  return text + " at offset " + std::to_string(offset);
}

}  // namespace sctp::wire
