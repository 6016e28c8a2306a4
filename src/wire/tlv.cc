#include "wire/tlv.h"

namespace sctp::wire {

bool TlvReader::Next(TlvView* out) {
  if (failed_) return false;
  const size_t size = bytes_.size();
  if (pos_ == size) return false;
  if (size - pos_ < kTlvHeaderSize) {
    // 1-3 bytes cannot start a TLV: stray bytes (or padding counted twice).
    return Fail(ParseErrorCode::kTrailingBytes, pos_);
  }
  const uint8_t* p = bytes_.data() + pos_;
  const uint16_t type = Load16(p);
  const uint16_t length = Load16(p + 2);
  if (length < kTlvHeaderSize) return Fail(ParseErrorCode::kLengthTooSmall, pos_ + 2);
  if (length > size - pos_) return Fail(ParseErrorCode::kLengthOverrun, pos_ + 2);
  out->type = type;
  out->length = length;
  out->value = Bytes(std::span<const uint8_t>(p + kTlvHeaderSize, length - kTlvHeaderSize));
  out->offset = static_cast<uint32_t>(base_ + pos_);
  const size_t padded = PaddedLength(length);
  if (padded >= size - pos_) {
    pos_ = size;  // last TLV, with or without its padding
  } else {
    pos_ += padded;
  }
  return true;
}

std::optional<ParseError> ValidateTlvSequence(Bytes bytes, uint32_t base_offset) {
  TlvReader reader(bytes, base_offset);
  TlvView tlv;
  while (reader.Next(&tlv)) {
  }
  if (reader.failed()) return reader.error();
  return std::nullopt;
}

Bytes TrimFinalTlvPadding(Bytes tlvs) {
  TlvReader reader(tlvs, 0);
  TlvView tlv;
  size_t end = 0;
  while (reader.Next(&tlv))
    end = tlv.offset + tlv.length;
  if (reader.failed() || end == 0) return tlvs;
  return Bytes(tlvs.span().first(end));
}

void WriteTlv(ByteWriter& w, uint16_t type, std::span<const uint8_t> value) {
  w.U16(type);
  w.U16(static_cast<uint16_t>(kTlvHeaderSize + value.size()));
  w.Append(value);
  w.PadTo4();
}

}  // namespace sctp::wire
