#include "wire/error_causes.h"

#include <utility>

namespace sctp::wire {

namespace {

using tlv_codec::CheckFixedLength;
using tlv_codec::CheckMinLength;
using tlv_codec::CheckType;
using tlv_codec::WriteHeader;
using tlv_codec::WriteOpaque;
using tlv_codec::WritePadding;

uint32_t ValueOffset(const TlvView& tlv, size_t at) {
  return tlv.offset + static_cast<uint32_t>(kTlvHeaderSize + at);
}

// Causes without Cause-Specific Information (Cause Length = 4).
template <typename T>
Parsed<T> ParseEmpty(const TlvView& tlv) {
  if (auto e = CheckType(tlv, T::kType)) return *e;
  if (auto e = CheckFixedLength(tlv, T::kLength)) return *e;
  return T{};
}

// Causes whose information is opaque.
template <typename T>
Parsed<T> ParseOpaque(const TlvView& tlv, Bytes T::*field) {
  if (auto e = CheckType(tlv, T::kType)) return *e;
  T out;
  out.*field = tlv.value;
  return out;
}

// Causes that carry exactly one TLV (a parameter, or a chunk: its header has the same
// Length position, so the same framing check applies).
template <typename T>
Parsed<T> ParseOneTlv(const TlvView& tlv, Bytes T::*field) {
  if (auto e = CheckType(tlv, T::kType)) return *e;
  Parsed<TlvView> inner = tlv_codec::ParseOneNestedTlv(tlv, tlv.value, ValueOffset(tlv, 0));
  if (!inner.ok()) return inner.error();
  T out;
  out.*field = tlv.value;
  return out;
}

// Causes that carry a (possibly empty) sequence of TLVs.
template <typename T>
Parsed<T> ParseTlvSequence(const TlvView& tlv, Bytes T::*field) {
  if (auto e = CheckType(tlv, T::kType)) return *e;
  if (auto e = ValidateTlvSequence(tlv.value, ValueOffset(tlv, 0))) return *e;
  T out;
  out.*field = tlv.value;
  return out;
}

}  // namespace

// RFC 9260 §3.3.10.1: "Reserved ... set to all 0's on transmit and ignored on receipt."
Parsed<InvalidStreamIdentifierCause> InvalidStreamIdentifierCause::Parse(const TlvView& tlv) {
  if (auto e = CheckType(tlv, kType)) return *e;
  if (auto e = CheckFixedLength(tlv, kLength)) return *e;
  InvalidStreamIdentifierCause out;
  out.stream_id = StreamId(Load16(tlv.value.data()));
  return out;
}
void InvalidStreamIdentifierCause::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, kLength);
  w.U16(stream_id.value());
  w.U16(0);
}

// RFC 9260 §3.3.10.2: "Cause Length = 8 + N * 2"; "Number of Missing params ... the number
// of parameters contained in the Cause-Specific Information field".
Parsed<MissingMandatoryParameterCause> MissingMandatoryParameterCause::Parse(const TlvView& tlv) {
  if (auto e = CheckType(tlv, kType)) return *e;
  if (auto e = CheckMinLength(tlv, kMinLength)) return *e;
  const Bytes list(tlv.value.span().subspan(4));
  if (list.size() % U16Record::kWireSize != 0) {
    return ParseError{ParseErrorCode::kWrongLength, tlv.offset + 2};
  }
  const uint32_t count = Load32(tlv.value.data());
  if (count != list.size() / U16Record::kWireSize) {
    return ParseError{ParseErrorCode::kBadValue, ValueOffset(tlv, 0)};
  }
  MissingMandatoryParameterCause out;
  out.missing_param_types = PackedArray<U16Record>::FromWire(list);
  return out;
}
void MissingMandatoryParameterCause::WriteTo(ByteWriter& w) const {
  const size_t length = WireLength();
  WriteHeader(w, kType, length);
  w.U32(static_cast<uint32_t>(missing_param_types.size()));
  missing_param_types.WriteTo(w);
  WritePadding(w, length);
}

// RFC 9260 §3.3.10.3.
Parsed<StaleCookieErrorCause> StaleCookieErrorCause::Parse(const TlvView& tlv) {
  if (auto e = CheckType(tlv, kType)) return *e;
  if (auto e = CheckFixedLength(tlv, kLength)) return *e;
  StaleCookieErrorCause out;
  out.measure_of_staleness_us = Load32(tlv.value.data());
  return out;
}
void StaleCookieErrorCause::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, kLength);
  w.U32(measure_of_staleness_us);
}

// RFC 9260 §3.3.10.4.
Parsed<OutOfResourceCause> OutOfResourceCause::Parse(const TlvView& tlv) {
  return ParseEmpty<OutOfResourceCause>(tlv);
}
void OutOfResourceCause::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, kLength);
}

// RFC 9260 §3.3.10.5.
Parsed<UnresolvableAddressCause> UnresolvableAddressCause::Parse(const TlvView& tlv) {
  return ParseOneTlv(tlv, &UnresolvableAddressCause::unresolvable_address);
}
void UnresolvableAddressCause::WriteTo(ByteWriter& w) const {
  WriteOpaque(w, kType, unresolvable_address);
}

// RFC 9260 §3.3.10.6.
Parsed<UnrecognizedChunkTypeCause> UnrecognizedChunkTypeCause::Parse(const TlvView& tlv) {
  return ParseOneTlv(tlv, &UnrecognizedChunkTypeCause::unrecognized_chunk);
}
void UnrecognizedChunkTypeCause::WriteTo(ByteWriter& w) const {
  WriteOpaque(w, kType, unrecognized_chunk);
}

// RFC 9260 §3.3.10.7.
Parsed<InvalidMandatoryParameterCause> InvalidMandatoryParameterCause::Parse(const TlvView& tlv) {
  return ParseEmpty<InvalidMandatoryParameterCause>(tlv);
}
void InvalidMandatoryParameterCause::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, kLength);
}

// RFC 9260 §3.3.10.8.
Parsed<UnrecognizedParametersCause> UnrecognizedParametersCause::Parse(const TlvView& tlv) {
  return ParseTlvSequence(tlv, &UnrecognizedParametersCause::unrecognized_parameters);
}
void UnrecognizedParametersCause::WriteTo(ByteWriter& w) const {
  WriteOpaque(w, kType, unrecognized_parameters);
}

// RFC 9260 §3.3.10.9.
Parsed<NoUserDataCause> NoUserDataCause::Parse(const TlvView& tlv) {
  if (auto e = CheckType(tlv, kType)) return *e;
  if (auto e = CheckFixedLength(tlv, kLength)) return *e;
  NoUserDataCause out;
  out.tsn = Tsn(Load32(tlv.value.data()));
  return out;
}
void NoUserDataCause::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, kLength);
  w.U32(tsn.value());
}

// RFC 9260 §3.3.10.10.
Parsed<CookieReceivedWhileShuttingDownCause> CookieReceivedWhileShuttingDownCause::Parse(
    const TlvView& tlv) {
  return ParseEmpty<CookieReceivedWhileShuttingDownCause>(tlv);
}
void CookieReceivedWhileShuttingDownCause::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, kLength);
}

// RFC 9260 §3.3.10.11: "Each New Address TLV is an exact copy of the TLV that was found in
// the INIT chunk".
Parsed<RestartWithNewAddressesCause> RestartWithNewAddressesCause::Parse(const TlvView& tlv) {
  return ParseTlvSequence(tlv, &RestartWithNewAddressesCause::new_address_tlvs);
}
void RestartWithNewAddressesCause::WriteTo(ByteWriter& w) const {
  WriteOpaque(w, kType, new_address_tlvs);
}

// RFC 9260 §3.3.10.12.
Parsed<UserInitiatedAbortCause> UserInitiatedAbortCause::Parse(const TlvView& tlv) {
  return ParseOpaque(tlv, &UserInitiatedAbortCause::upper_layer_abort_reason);
}
void UserInitiatedAbortCause::WriteTo(ByteWriter& w) const {
  WriteOpaque(w, kType, upper_layer_abort_reason);
}

// RFC 9260 §3.3.10.13.
Parsed<ProtocolViolationCause> ProtocolViolationCause::Parse(const TlvView& tlv) {
  return ParseOpaque(tlv, &ProtocolViolationCause::additional_information);
}
void ProtocolViolationCause::WriteTo(ByteWriter& w) const {
  WriteOpaque(w, kType, additional_information);
}

// RFC 5061 §4.3.1.
Parsed<DeleteLastRemainingAddressCause> DeleteLastRemainingAddressCause::Parse(const TlvView& tlv) {
  return ParseOneTlv(tlv, &DeleteLastRemainingAddressCause::tlv_copied_from_asconf);
}
void DeleteLastRemainingAddressCause::WriteTo(ByteWriter& w) const {
  WriteOpaque(w, kType, tlv_copied_from_asconf);
}

// RFC 5061 §4.3.2.
Parsed<OperationRefusedResourceShortageCause> OperationRefusedResourceShortageCause::Parse(
    const TlvView& tlv) {
  return ParseOneTlv(tlv, &OperationRefusedResourceShortageCause::tlv_copied_from_asconf);
}
void OperationRefusedResourceShortageCause::WriteTo(ByteWriter& w) const {
  WriteOpaque(w, kType, tlv_copied_from_asconf);
}

// RFC 5061 §4.3.3.
Parsed<DeleteSourceAddressCause> DeleteSourceAddressCause::Parse(const TlvView& tlv) {
  return ParseOneTlv(tlv, &DeleteSourceAddressCause::tlv_copied_from_asconf);
}
void DeleteSourceAddressCause::WriteTo(ByteWriter& w) const {
  WriteOpaque(w, kType, tlv_copied_from_asconf);
}

// RFC 5061 §4.3.4.
Parsed<IllegalAsconfAckCause> IllegalAsconfAckCause::Parse(const TlvView& tlv) {
  return ParseEmpty<IllegalAsconfAckCause>(tlv);
}
void IllegalAsconfAckCause::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, kLength);
}

// RFC 5061 §4.3.5.
Parsed<RequestRefusedNoAuthorizationCause> RequestRefusedNoAuthorizationCause::Parse(
    const TlvView& tlv) {
  return ParseOneTlv(tlv, &RequestRefusedNoAuthorizationCause::tlv_copied_from_asconf);
}
void RequestRefusedNoAuthorizationCause::WriteTo(ByteWriter& w) const {
  WriteOpaque(w, kType, tlv_copied_from_asconf);
}

// RFC 4895 §4.1: "Cause Length ... MUST be set to 6"; 8 is accepted too (see the header).
Parsed<UnsupportedHmacIdentifierCause> UnsupportedHmacIdentifierCause::Parse(const TlvView& tlv) {
  if (auto e = CheckType(tlv, kType)) return *e;
  const size_t length = kTlvHeaderSize + tlv.value.size();
  if (length != kLength && length != PaddedLength(kLength)) {
    return ParseError{ParseErrorCode::kWrongLength, tlv.offset + 2};
  }
  UnsupportedHmacIdentifierCause out;
  out.hmac_id = Load16(tlv.value.data());
  return out;
}
void UnsupportedHmacIdentifierCause::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, kLength);
  w.U16(hmac_id);
  WritePadding(w, kLength);
}

Parsed<UnknownErrorCause> UnknownErrorCause::Parse(const TlvView& tlv) {
  return UnknownErrorCause{tlv.type, tlv.value};
}
void UnknownErrorCause::WriteTo(ByteWriter& w) const {
  WriteOpaque(w, code, value);
}

namespace {
template <typename T>
Parsed<AnyErrorCause> ParseAs(const TlvView& tlv) {
  Parsed<T> c = T::Parse(tlv);
  if (!c.ok()) return c.error();
  return AnyErrorCause(std::move(c).value());
}
}  // namespace

Parsed<AnyErrorCause> ParseErrorCause(const TlvView& tlv) {
  switch (tlv.type) {
    case ErrorCauseCode::kInvalidStreamIdentifier:
      return ParseAs<InvalidStreamIdentifierCause>(tlv);
    case ErrorCauseCode::kMissingMandatoryParameter:
      return ParseAs<MissingMandatoryParameterCause>(tlv);
    case ErrorCauseCode::kStaleCookieError:
      return ParseAs<StaleCookieErrorCause>(tlv);
    case ErrorCauseCode::kOutOfResource:
      return ParseAs<OutOfResourceCause>(tlv);
    case ErrorCauseCode::kUnresolvableAddress:
      return ParseAs<UnresolvableAddressCause>(tlv);
    case ErrorCauseCode::kUnrecognizedChunkType:
      return ParseAs<UnrecognizedChunkTypeCause>(tlv);
    case ErrorCauseCode::kInvalidMandatoryParameter:
      return ParseAs<InvalidMandatoryParameterCause>(tlv);
    case ErrorCauseCode::kUnrecognizedParameters:
      return ParseAs<UnrecognizedParametersCause>(tlv);
    case ErrorCauseCode::kNoUserData:
      return ParseAs<NoUserDataCause>(tlv);
    case ErrorCauseCode::kCookieReceivedWhileShuttingDown:
      return ParseAs<CookieReceivedWhileShuttingDownCause>(tlv);
    case ErrorCauseCode::kRestartWithNewAddresses:
      return ParseAs<RestartWithNewAddressesCause>(tlv);
    case ErrorCauseCode::kUserInitiatedAbort:
      return ParseAs<UserInitiatedAbortCause>(tlv);
    case ErrorCauseCode::kProtocolViolation:
      return ParseAs<ProtocolViolationCause>(tlv);
    case ErrorCauseCode::kDeleteLastRemainingAddress:
      return ParseAs<DeleteLastRemainingAddressCause>(tlv);
    case ErrorCauseCode::kOperationRefusedResourceShortage:
      return ParseAs<OperationRefusedResourceShortageCause>(tlv);
    case ErrorCauseCode::kDeleteSourceAddress:
      return ParseAs<DeleteSourceAddressCause>(tlv);
    case ErrorCauseCode::kIllegalAsconfAck:
      return ParseAs<IllegalAsconfAckCause>(tlv);
    case ErrorCauseCode::kRequestRefusedNoAuthorization:
      return ParseAs<RequestRefusedNoAuthorizationCause>(tlv);
    case ErrorCauseCode::kUnsupportedHmacIdentifier:
      return ParseAs<UnsupportedHmacIdentifierCause>(tlv);
  }
  return ParseAs<UnknownErrorCause>(tlv);
}

size_t WireLength(const AnyErrorCause& cause) {
  return std::visit([](const auto& c) { return c.WireLength(); }, cause);
}

void WriteErrorCause(ByteWriter& w, const AnyErrorCause& cause) {
  std::visit([&w](const auto& c) { c.WriteTo(w); }, cause);
}

std::string_view ErrorCauseName(uint16_t code) {
  switch (code) {
    case ErrorCauseCode::kInvalidStreamIdentifier:
      return "INVALID_STREAM_IDENTIFIER";
    case ErrorCauseCode::kMissingMandatoryParameter:
      return "MISSING_MANDATORY_PARAMETER";
    case ErrorCauseCode::kStaleCookieError:
      return "STALE_COOKIE";
    case ErrorCauseCode::kOutOfResource:
      return "OUT_OF_RESOURCE";
    case ErrorCauseCode::kUnresolvableAddress:
      return "UNRESOLVABLE_ADDRESS";
    case ErrorCauseCode::kUnrecognizedChunkType:
      return "UNRECOGNIZED_CHUNK_TYPE";
    case ErrorCauseCode::kInvalidMandatoryParameter:
      return "INVALID_MANDATORY_PARAMETER";
    case ErrorCauseCode::kUnrecognizedParameters:
      return "UNRECOGNIZED_PARAMETERS";
    case ErrorCauseCode::kNoUserData:
      return "NO_USER_DATA";
    case ErrorCauseCode::kCookieReceivedWhileShuttingDown:
      return "COOKIE_RECEIVED_WHILE_SHUTTING_DOWN";
    case ErrorCauseCode::kRestartWithNewAddresses:
      return "RESTART_WITH_NEW_ADDRESSES";
    case ErrorCauseCode::kUserInitiatedAbort:
      return "USER_INITIATED_ABORT";
    case ErrorCauseCode::kProtocolViolation:
      return "PROTOCOL_VIOLATION";
    case ErrorCauseCode::kDeleteLastRemainingAddress:
      return "DELETE_LAST_REMAINING_ADDRESS";
    case ErrorCauseCode::kOperationRefusedResourceShortage:
      return "OPERATION_REFUSED_RESOURCE_SHORTAGE";
    case ErrorCauseCode::kDeleteSourceAddress:
      return "DELETE_SOURCE_ADDRESS";
    case ErrorCauseCode::kIllegalAsconfAck:
      return "ILLEGAL_ASCONF_ACK";
    case ErrorCauseCode::kRequestRefusedNoAuthorization:
      return "REQUEST_REFUSED_NO_AUTHORIZATION";
    case ErrorCauseCode::kUnsupportedHmacIdentifier:
      return "UNSUPPORTED_HMAC_IDENTIFIER";
  }
  return "UNKNOWN";
}

}  // namespace sctp::wire
