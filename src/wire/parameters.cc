#include "wire/parameters.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace sctp::wire {

namespace tlv_codec {

void WriteHeader(ByteWriter& w, uint16_t type, size_t length) {
  if (length > std::numeric_limits<uint16_t>::max()) {
    // Cannot be framed: make the writer report failure rather than truncate the field.
    w.Reserve(std::numeric_limits<size_t>::max());
    return;
  }
  w.U16(type);
  w.U16(static_cast<uint16_t>(length));
}

void WriteOpaque(ByteWriter& w, uint16_t type, Bytes value) {
  const size_t length = kTlvHeaderSize + value.size();
  WriteHeader(w, type, length);
  w.Append(value.span());
  WritePadding(w, length);
}

std::optional<ParseError> CheckType(const TlvView& tlv, uint16_t type) {
  if (tlv.type != type) return ParseError{ParseErrorCode::kWrongType, tlv.offset};
  return std::nullopt;
}

std::optional<ParseError> CheckFixedLength(const TlvView& tlv, size_t length) {
  if (tlv.length != length || tlv.value.size() + kTlvHeaderSize != length) {
    return ParseError{ParseErrorCode::kWrongLength, tlv.offset + 2};
  }
  return std::nullopt;
}

std::optional<ParseError> CheckMinLength(const TlvView& tlv, size_t min_length) {
  if (tlv.value.size() + kTlvHeaderSize < min_length) {
    return ParseError{ParseErrorCode::kLengthTooSmall, tlv.offset + 2};
  }
  return std::nullopt;
}

Parsed<TlvView> ParseOneNestedTlv(const TlvView& outer, Bytes bytes, uint32_t base_offset) {
  if (bytes.size() < kTlvHeaderSize) {
    return ParseError{ParseErrorCode::kLengthTooSmall, outer.offset + 2};
  }
  TlvReader reader(bytes, base_offset);
  TlvView inner;
  if (!reader.Next(&inner)) return reader.error();
  TlvView extra;
  if (reader.Next(&extra) || reader.failed()) {
    return ParseError{ParseErrorCode::kWrongLength, outer.offset + 2};
  }
  return inner;
}

}  // namespace tlv_codec

namespace {

using tlv_codec::CheckFixedLength;
using tlv_codec::CheckMinLength;
using tlv_codec::CheckType;
using tlv_codec::WriteHeader;
using tlv_codec::WriteOpaque;
using tlv_codec::WritePadding;

// Absolute offset of the byte `at` bytes into the TLV's value.
uint32_t ValueOffset(const TlvView& tlv, size_t at) {
  return tlv.offset + static_cast<uint32_t>(kTlvHeaderSize + at);
}

// For types that are just an opaque value.
template <typename T>
Parsed<T> ParseOpaque(const TlvView& tlv, Bytes T::*field) {
  if (auto e = CheckType(tlv, T::kType)) return *e;
  T out;
  out.*field = tlv.value;
  return out;
}

// For types without a value (Length = 4).
template <typename T>
Parsed<T> ParseEmpty(const TlvView& tlv) {
  if (auto e = CheckType(tlv, T::kType)) return *e;
  if (auto e = CheckFixedLength(tlv, T::kLength)) return *e;
  return T{};
}

// For types whose value is one 32-bit field (Length = 8).
template <typename T, typename Field>
Parsed<T> ParseU32(const TlvView& tlv, Field T::*field) {
  if (auto e = CheckType(tlv, T::kType)) return *e;
  if (auto e = CheckFixedLength(tlv, T::kLength)) return *e;
  T out;
  out.*field = Field(Load32(tlv.value.data()));
  return out;
}

// A run of fixed-size records starting `at` bytes into the value.
template <typename Record>
Parsed<PackedArray<Record>> ParseRecords(const TlvView& tlv, size_t at) {
  const Bytes rest(tlv.value.span().subspan(at));
  if (rest.size() % Record::kWireSize != 0) {
    return ParseError{ParseErrorCode::kWrongLength, tlv.offset + 2};
  }
  return PackedArray<Record>::FromWire(rest);
}

// Correlation ID + exactly one IPv4/IPv6 Address Parameter (RFC 5061 §4.2.1, .2, .4).
template <typename T>
Parsed<T> ParseAsconfAddressRequest(const TlvView& tlv) {
  if (auto e = CheckType(tlv, T::kType)) return *e;
  if (auto e = CheckMinLength(tlv, kTlvHeaderSize + 4)) return *e;
  const Bytes nested(tlv.value.span().subspan(4));
  Parsed<TlvView> address = tlv_codec::ParseOneNestedTlv(tlv, nested, ValueOffset(tlv, 4));
  if (!address.ok()) return address.error();
  if (address->type != ParameterType::kIpv4Address &&
      address->type != ParameterType::kIpv6Address) {
    return ParseError{ParseErrorCode::kBadValue, address->offset};
  }
  Parsed<AddressParameter> checked = ParseAddressParameter(*address);
  if (!checked.ok()) return checked.error();
  T out;
  out.correlation_id = Load32(tlv.value.data());
  out.address_parameter = nested;
  return out;
}

// Correlation ID + nested TLV bytes (RFC 5061 §4.2.1 - §4.2.4).
void WriteCorrelated(ByteWriter& w, uint16_t type, uint32_t correlation_id, Bytes rest) {
  const size_t length = kTlvHeaderSize + 4 + rest.size();
  WriteHeader(w, type, length);
  w.U32(correlation_id);
  w.Append(rest.span());
  WritePadding(w, length);
}

void WriteU32(ByteWriter& w, uint16_t type, uint32_t value) {
  WriteHeader(w, type, kTlvHeaderSize + 4);
  w.U32(value);
}

}  // namespace

// RFC 9260 §3.3.5.
Parsed<HeartbeatInfoParameter> HeartbeatInfoParameter::Parse(const TlvView& tlv) {
  return ParseOpaque(tlv, &HeartbeatInfoParameter::info);
}
void HeartbeatInfoParameter::WriteTo(ByteWriter& w) const {
  WriteOpaque(w, kType, info);
}

// RFC 9260 §3.3.2.1.1.
Parsed<Ipv4AddressParameter> Ipv4AddressParameter::Parse(const TlvView& tlv) {
  if (auto e = CheckType(tlv, kType)) return *e;
  if (auto e = CheckFixedLength(tlv, kLength)) return *e;
  Ipv4AddressParameter out;
  std::copy_n(tlv.value.data(), out.address.size(), out.address.begin());
  return out;
}
void Ipv4AddressParameter::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, kLength);
  w.Append(address);
}

// RFC 9260 §3.3.2.1.2.
Parsed<Ipv6AddressParameter> Ipv6AddressParameter::Parse(const TlvView& tlv) {
  if (auto e = CheckType(tlv, kType)) return *e;
  if (auto e = CheckFixedLength(tlv, kLength)) return *e;
  Ipv6AddressParameter out;
  std::copy_n(tlv.value.data(), out.address.size(), out.address.begin());
  return out;
}
void Ipv6AddressParameter::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, kLength);
  w.Append(address);
}

// RFC 9260 §3.3.3.1.1.
Parsed<StateCookieParameter> StateCookieParameter::Parse(const TlvView& tlv) {
  return ParseOpaque(tlv, &StateCookieParameter::cookie);
}
void StateCookieParameter::WriteTo(ByteWriter& w) const {
  WriteOpaque(w, kType, cookie);
}

// RFC 9260 §3.3.3.1.2.
Parsed<UnrecognizedParameterParameter> UnrecognizedParameterParameter::Parse(const TlvView& tlv) {
  if (auto e = CheckType(tlv, kType)) return *e;
  Parsed<TlvView> inner = tlv_codec::ParseOneNestedTlv(tlv, tlv.value, ValueOffset(tlv, 0));
  if (!inner.ok()) return inner.error();
  UnrecognizedParameterParameter out;
  out.unrecognized_parameter = tlv.value;
  return out;
}
void UnrecognizedParameterParameter::WriteTo(ByteWriter& w) const {
  WriteOpaque(w, kType, unrecognized_parameter);
}

// RFC 9260 §3.3.2.1.3.
Parsed<CookiePreservativeParameter> CookiePreservativeParameter::Parse(const TlvView& tlv) {
  return ParseU32(tlv, &CookiePreservativeParameter::suggested_cookie_life_span_increment_ms);
}
void CookiePreservativeParameter::WriteTo(ByteWriter& w) const {
  WriteU32(w, kType, suggested_cookie_life_span_increment_ms);
}

// RFC 9260 §3.3.2.1.4.
Parsed<HostNameAddressParameter> HostNameAddressParameter::Parse(const TlvView& tlv) {
  return ParseOpaque(tlv, &HostNameAddressParameter::host_name);
}
void HostNameAddressParameter::WriteTo(ByteWriter& w) const {
  WriteOpaque(w, kType, host_name);
}

// RFC 9260 §3.3.2.1.5.
Parsed<SupportedAddressTypesParameter> SupportedAddressTypesParameter::Parse(const TlvView& tlv) {
  if (auto e = CheckType(tlv, kType)) return *e;
  Parsed<PackedArray<U16Record>> types = ParseRecords<U16Record>(tlv, 0);
  if (!types.ok()) return types.error();
  SupportedAddressTypesParameter out;
  out.address_types = *types;
  return out;
}
void SupportedAddressTypesParameter::WriteTo(ByteWriter& w) const {
  const size_t length = WireLength();
  WriteHeader(w, kType, length);
  address_types.WriteTo(w);
  WritePadding(w, length);
}

// RFC 6525 §4.1: "the value MUST be 16 + 2 * N".
Parsed<OutgoingSsnResetRequestParameter> OutgoingSsnResetRequestParameter::Parse(
    const TlvView& tlv) {
  if (auto e = CheckType(tlv, kType)) return *e;
  if (auto e = CheckMinLength(tlv, kMinLength)) return *e;
  Parsed<PackedArray<StreamIdRecord>> streams =
      ParseRecords<StreamIdRecord>(tlv, kMinLength - kTlvHeaderSize);
  if (!streams.ok()) return streams.error();
  const uint8_t* p = tlv.value.data();
  OutgoingSsnResetRequestParameter out;
  out.request_seq = ReconfigSeq(Load32(p));
  out.response_seq = ReconfigSeq(Load32(p + 4));
  out.sender_last_tsn = Tsn(Load32(p + 8));
  out.streams = *streams;
  return out;
}
void OutgoingSsnResetRequestParameter::WriteTo(ByteWriter& w) const {
  const size_t length = WireLength();
  WriteHeader(w, kType, length);
  w.U32(request_seq.value());
  w.U32(response_seq.value());
  w.U32(sender_last_tsn.value());
  streams.WriteTo(w);
  WritePadding(w, length);
}

// RFC 6525 §4.2: "the value MUST be 8 + 2 * N".
Parsed<IncomingSsnResetRequestParameter> IncomingSsnResetRequestParameter::Parse(
    const TlvView& tlv) {
  if (auto e = CheckType(tlv, kType)) return *e;
  if (auto e = CheckMinLength(tlv, kMinLength)) return *e;
  Parsed<PackedArray<StreamIdRecord>> streams =
      ParseRecords<StreamIdRecord>(tlv, kMinLength - kTlvHeaderSize);
  if (!streams.ok()) return streams.error();
  IncomingSsnResetRequestParameter out;
  out.request_seq = ReconfigSeq(Load32(tlv.value.data()));
  out.streams = *streams;
  return out;
}
void IncomingSsnResetRequestParameter::WriteTo(ByteWriter& w) const {
  const size_t length = WireLength();
  WriteHeader(w, kType, length);
  w.U32(request_seq.value());
  streams.WriteTo(w);
  WritePadding(w, length);
}

// RFC 6525 §4.3.
Parsed<SsnTsnResetRequestParameter> SsnTsnResetRequestParameter::Parse(const TlvView& tlv) {
  return ParseU32(tlv, &SsnTsnResetRequestParameter::request_seq);
}
void SsnTsnResetRequestParameter::WriteTo(ByteWriter& w) const {
  WriteU32(w, kType, request_seq.value());
}

// RFC 6525 §4.4: "the value MUST be 12 if the optional fields are not present and 20
// otherwise".
Parsed<ReconfigResponseParameter> ReconfigResponseParameter::Parse(const TlvView& tlv) {
  if (auto e = CheckType(tlv, kType)) return *e;
  const size_t length = kTlvHeaderSize + tlv.value.size();
  if ((length != kShortLength && length != kLongLength) || tlv.length != length) {
    return ParseError{ParseErrorCode::kWrongLength, tlv.offset + 2};
  }
  const uint8_t* p = tlv.value.data();
  ReconfigResponseParameter out;
  out.response_seq = ReconfigSeq(Load32(p));
  out.result = static_cast<ReconfigResult>(Load32(p + 4));
  if (length == kLongLength) {
    out.sender_next_tsn = Tsn(Load32(p + 8));
    out.receiver_next_tsn = Tsn(Load32(p + 12));
  }
  return out;
}
void ReconfigResponseParameter::WriteTo(ByteWriter& w) const {
  const size_t length = WireLength();
  WriteHeader(w, kType, length);
  w.U32(response_seq.value());
  w.U32(static_cast<uint32_t>(result));
  if (length == kLongLength) {
    w.U32(sender_next_tsn.value_or(Tsn(0)).value());
    w.U32(receiver_next_tsn.value_or(Tsn(0)).value());
  }
}

namespace {
// RFC 6525 §4.5 and §4.6 share a layout; "Reserved ... SHOULD be set to 0 by the sender and
// ignored by the receiver".
template <typename T>
Parsed<T> ParseAddStreams(const TlvView& tlv) {
  if (auto e = CheckType(tlv, T::kType)) return *e;
  if (auto e = CheckFixedLength(tlv, T::kLength)) return *e;
  T out;
  out.request_seq = ReconfigSeq(Load32(tlv.value.data()));
  out.number_of_new_streams = Load16(tlv.value.data() + 4);
  return out;
}
void WriteAddStreams(ByteWriter& w, uint16_t type, ReconfigSeq request_seq,
                     uint16_t number_of_new_streams) {
  WriteHeader(w, type, 12);
  w.U32(request_seq.value());
  w.U16(number_of_new_streams);
  w.U16(0);
}
}  // namespace

Parsed<AddOutgoingStreamsParameter> AddOutgoingStreamsParameter::Parse(const TlvView& tlv) {
  return ParseAddStreams<AddOutgoingStreamsParameter>(tlv);
}
void AddOutgoingStreamsParameter::WriteTo(ByteWriter& w) const {
  WriteAddStreams(w, kType, request_seq, number_of_new_streams);
}

Parsed<AddIncomingStreamsParameter> AddIncomingStreamsParameter::Parse(const TlvView& tlv) {
  return ParseAddStreams<AddIncomingStreamsParameter>(tlv);
}
void AddIncomingStreamsParameter::WriteTo(ByteWriter& w) const {
  WriteAddStreams(w, kType, request_seq, number_of_new_streams);
}

// RFC 4960 Appendix A.
Parsed<EcnCapableParameter> EcnCapableParameter::Parse(const TlvView& tlv) {
  return ParseEmpty<EcnCapableParameter>(tlv);
}
void EcnCapableParameter::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, kLength);
}

// RFC 9653 §4: "the value MUST be 8".
Parsed<ZeroChecksumAcceptableParameter> ZeroChecksumAcceptableParameter::Parse(const TlvView& tlv) {
  return ParseU32(tlv, &ZeroChecksumAcceptableParameter::error_detection_method);
}
void ZeroChecksumAcceptableParameter::WriteTo(ByteWriter& w) const {
  WriteU32(w, kType, error_detection_method);
}

// RFC 4895 §3.1.
Parsed<RandomParameter> RandomParameter::Parse(const TlvView& tlv) {
  return ParseOpaque(tlv, &RandomParameter::random_number);
}
void RandomParameter::WriteTo(ByteWriter& w) const {
  WriteOpaque(w, kType, random_number);
}

// RFC 4895 §3.2.
Parsed<ChunkListParameter> ChunkListParameter::Parse(const TlvView& tlv) {
  return ParseOpaque(tlv, &ChunkListParameter::chunk_types);
}
void ChunkListParameter::WriteTo(ByteWriter& w) const {
  WriteOpaque(w, kType, chunk_types);
}

// RFC 4895 §3.3: "the number of HMAC Identifiers multiplied by 2, plus 4".
Parsed<RequestedHmacAlgorithmParameter> RequestedHmacAlgorithmParameter::Parse(const TlvView& tlv) {
  if (auto e = CheckType(tlv, kType)) return *e;
  Parsed<PackedArray<U16Record>> ids = ParseRecords<U16Record>(tlv, 0);
  if (!ids.ok()) return ids.error();
  RequestedHmacAlgorithmParameter out;
  out.hmac_identifiers = *ids;
  return out;
}
void RequestedHmacAlgorithmParameter::WriteTo(ByteWriter& w) const {
  const size_t length = WireLength();
  WriteHeader(w, kType, length);
  hmac_identifiers.WriteTo(w);
  WritePadding(w, length);
}

// RFC 4820 §4.
Parsed<PaddingParameter> PaddingParameter::Parse(const TlvView& tlv) {
  return ParseOpaque(tlv, &PaddingParameter::padding_data);
}
void PaddingParameter::WriteTo(ByteWriter& w) const {
  WriteOpaque(w, kType, padding_data);
}

// RFC 5061 §4.2.7.
Parsed<SupportedExtensionsParameter> SupportedExtensionsParameter::Parse(const TlvView& tlv) {
  return ParseOpaque(tlv, &SupportedExtensionsParameter::chunk_types);
}
void SupportedExtensionsParameter::WriteTo(ByteWriter& w) const {
  WriteOpaque(w, kType, chunk_types);
}

// RFC 3758 §3.1.
Parsed<ForwardTsnSupportedParameter> ForwardTsnSupportedParameter::Parse(const TlvView& tlv) {
  return ParseEmpty<ForwardTsnSupportedParameter>(tlv);
}
void ForwardTsnSupportedParameter::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, kLength);
}

Parsed<AddressParameter> ParseAddressParameter(const TlvView& tlv) {
  switch (tlv.type) {
    case ParameterType::kIpv4Address: {
      Parsed<Ipv4AddressParameter> p = Ipv4AddressParameter::Parse(tlv);
      if (!p.ok()) return p.error();
      return AddressParameter(*p);
    }
    case ParameterType::kIpv6Address: {
      Parsed<Ipv6AddressParameter> p = Ipv6AddressParameter::Parse(tlv);
      if (!p.ok()) return p.error();
      return AddressParameter(*p);
    }
    default:
      return ParseError{ParseErrorCode::kWrongType, tlv.offset};
  }
}

// RFC 5061 §4.2.1.
Parsed<AddIpAddressParameter> AddIpAddressParameter::Parse(const TlvView& tlv) {
  return ParseAsconfAddressRequest<AddIpAddressParameter>(tlv);
}
void AddIpAddressParameter::WriteTo(ByteWriter& w) const {
  WriteCorrelated(w, kType, correlation_id, address_parameter);
}

// RFC 5061 §4.2.2.
Parsed<DeleteIpAddressParameter> DeleteIpAddressParameter::Parse(const TlvView& tlv) {
  return ParseAsconfAddressRequest<DeleteIpAddressParameter>(tlv);
}
void DeleteIpAddressParameter::WriteTo(ByteWriter& w) const {
  WriteCorrelated(w, kType, correlation_id, address_parameter);
}

// RFC 5061 §4.2.3: "used to wrap one or more standard Error Causes". Only the framing is
// checked here; an empty list is left for the ASCONF-ACK handler to judge.
Parsed<ErrorCauseIndicationParameter> ErrorCauseIndicationParameter::Parse(const TlvView& tlv) {
  if (auto e = CheckType(tlv, kType)) return *e;
  if (auto e = CheckMinLength(tlv, kTlvHeaderSize + 4)) return *e;
  const Bytes causes(tlv.value.span().subspan(4));
  if (auto e = ValidateTlvSequence(causes, ValueOffset(tlv, 4))) return *e;
  ErrorCauseIndicationParameter out;
  out.correlation_id = Load32(tlv.value.data());
  out.error_causes = causes;
  return out;
}
void ErrorCauseIndicationParameter::WriteTo(ByteWriter& w) const {
  WriteCorrelated(w, kType, correlation_id, error_causes);
}

// RFC 5061 §4.2.4.
Parsed<SetPrimaryAddressParameter> SetPrimaryAddressParameter::Parse(const TlvView& tlv) {
  return ParseAsconfAddressRequest<SetPrimaryAddressParameter>(tlv);
}
void SetPrimaryAddressParameter::WriteTo(ByteWriter& w) const {
  WriteCorrelated(w, kType, correlation_id, address_parameter);
}

// RFC 5061 §4.2.5.
Parsed<SuccessIndicationParameter> SuccessIndicationParameter::Parse(const TlvView& tlv) {
  return ParseU32(tlv, &SuccessIndicationParameter::correlation_id);
}
void SuccessIndicationParameter::WriteTo(ByteWriter& w) const {
  WriteU32(w, kType, correlation_id);
}

// RFC 5061 §4.2.6.
Parsed<AdaptationLayerIndicationParameter> AdaptationLayerIndicationParameter::Parse(
    const TlvView& tlv) {
  return ParseU32(tlv, &AdaptationLayerIndicationParameter::adaptation_code_point);
}
void AdaptationLayerIndicationParameter::WriteTo(ByteWriter& w) const {
  WriteU32(w, kType, adaptation_code_point);
}

Parsed<UnknownParameter> UnknownParameter::Parse(const TlvView& tlv) {
  return UnknownParameter{tlv.type, tlv.value};
}
void UnknownParameter::WriteTo(ByteWriter& w) const {
  WriteOpaque(w, type, value);
}

namespace {
template <typename T>
Parsed<AnyParameter> ParseAs(const TlvView& tlv) {
  Parsed<T> p = T::Parse(tlv);
  if (!p.ok()) return p.error();
  return AnyParameter(std::move(p).value());
}
}  // namespace

Parsed<AnyParameter> ParseParameter(const TlvView& tlv) {
  switch (tlv.type) {
    case ParameterType::kHeartbeatInfo:
      return ParseAs<HeartbeatInfoParameter>(tlv);
    case ParameterType::kIpv4Address:
      return ParseAs<Ipv4AddressParameter>(tlv);
    case ParameterType::kIpv6Address:
      return ParseAs<Ipv6AddressParameter>(tlv);
    case ParameterType::kStateCookie:
      return ParseAs<StateCookieParameter>(tlv);
    case ParameterType::kUnrecognizedParameter:
      return ParseAs<UnrecognizedParameterParameter>(tlv);
    case ParameterType::kCookiePreservative:
      return ParseAs<CookiePreservativeParameter>(tlv);
    case ParameterType::kHostNameAddress:
      return ParseAs<HostNameAddressParameter>(tlv);
    case ParameterType::kSupportedAddressTypes:
      return ParseAs<SupportedAddressTypesParameter>(tlv);
    case ParameterType::kOutgoingSsnResetRequest:
      return ParseAs<OutgoingSsnResetRequestParameter>(tlv);
    case ParameterType::kIncomingSsnResetRequest:
      return ParseAs<IncomingSsnResetRequestParameter>(tlv);
    case ParameterType::kSsnTsnResetRequest:
      return ParseAs<SsnTsnResetRequestParameter>(tlv);
    case ParameterType::kReconfigResponse:
      return ParseAs<ReconfigResponseParameter>(tlv);
    case ParameterType::kAddOutgoingStreams:
      return ParseAs<AddOutgoingStreamsParameter>(tlv);
    case ParameterType::kAddIncomingStreams:
      return ParseAs<AddIncomingStreamsParameter>(tlv);
    case ParameterType::kEcnCapable:
      return ParseAs<EcnCapableParameter>(tlv);
    case ParameterType::kZeroChecksumAcceptable:
      return ParseAs<ZeroChecksumAcceptableParameter>(tlv);
    case ParameterType::kRandom:
      return ParseAs<RandomParameter>(tlv);
    case ParameterType::kChunkList:
      return ParseAs<ChunkListParameter>(tlv);
    case ParameterType::kRequestedHmacAlgorithm:
      return ParseAs<RequestedHmacAlgorithmParameter>(tlv);
    case ParameterType::kPadding:
      return ParseAs<PaddingParameter>(tlv);
    case ParameterType::kSupportedExtensions:
      return ParseAs<SupportedExtensionsParameter>(tlv);
    case ParameterType::kForwardTsnSupported:
      return ParseAs<ForwardTsnSupportedParameter>(tlv);
    case ParameterType::kAddIpAddress:
      return ParseAs<AddIpAddressParameter>(tlv);
    case ParameterType::kDeleteIpAddress:
      return ParseAs<DeleteIpAddressParameter>(tlv);
    case ParameterType::kErrorCauseIndication:
      return ParseAs<ErrorCauseIndicationParameter>(tlv);
    case ParameterType::kSetPrimaryAddress:
      return ParseAs<SetPrimaryAddressParameter>(tlv);
    case ParameterType::kSuccessIndication:
      return ParseAs<SuccessIndicationParameter>(tlv);
    case ParameterType::kAdaptationLayerIndication:
      return ParseAs<AdaptationLayerIndicationParameter>(tlv);
  }
  return ParseAs<UnknownParameter>(tlv);
}

size_t WireLength(const AnyParameter& parameter) {
  return std::visit([](const auto& p) { return p.WireLength(); }, parameter);
}

void WriteParameter(ByteWriter& w, const AnyParameter& parameter) {
  std::visit([&w](const auto& p) { p.WriteTo(w); }, parameter);
}

std::string_view ParameterTypeName(uint16_t type) {
  switch (type) {
    case ParameterType::kHeartbeatInfo:
      return "HEARTBEAT_INFO";
    case ParameterType::kIpv4Address:
      return "IPV4_ADDRESS";
    case ParameterType::kIpv6Address:
      return "IPV6_ADDRESS";
    case ParameterType::kStateCookie:
      return "STATE_COOKIE";
    case ParameterType::kUnrecognizedParameter:
      return "UNRECOGNIZED_PARAMETER";
    case ParameterType::kCookiePreservative:
      return "COOKIE_PRESERVATIVE";
    case ParameterType::kHostNameAddress:
      return "HOST_NAME_ADDRESS";
    case ParameterType::kSupportedAddressTypes:
      return "SUPPORTED_ADDRESS_TYPES";
    case ParameterType::kOutgoingSsnResetRequest:
      return "OUTGOING_SSN_RESET_REQUEST";
    case ParameterType::kIncomingSsnResetRequest:
      return "INCOMING_SSN_RESET_REQUEST";
    case ParameterType::kSsnTsnResetRequest:
      return "SSN_TSN_RESET_REQUEST";
    case ParameterType::kReconfigResponse:
      return "RECONFIG_RESPONSE";
    case ParameterType::kAddOutgoingStreams:
      return "ADD_OUTGOING_STREAMS";
    case ParameterType::kAddIncomingStreams:
      return "ADD_INCOMING_STREAMS";
    case ParameterType::kEcnCapable:
      return "ECN_CAPABLE";
    case ParameterType::kZeroChecksumAcceptable:
      return "ZERO_CHECKSUM_ACCEPTABLE";
    case ParameterType::kRandom:
      return "RANDOM";
    case ParameterType::kChunkList:
      return "CHUNK_LIST";
    case ParameterType::kRequestedHmacAlgorithm:
      return "REQUESTED_HMAC_ALGORITHM";
    case ParameterType::kPadding:
      return "PADDING";
    case ParameterType::kSupportedExtensions:
      return "SUPPORTED_EXTENSIONS";
    case ParameterType::kForwardTsnSupported:
      return "FORWARD_TSN_SUPPORTED";
    case ParameterType::kAddIpAddress:
      return "ADD_IP_ADDRESS";
    case ParameterType::kDeleteIpAddress:
      return "DELETE_IP_ADDRESS";
    case ParameterType::kErrorCauseIndication:
      return "ERROR_CAUSE_INDICATION";
    case ParameterType::kSetPrimaryAddress:
      return "SET_PRIMARY_ADDRESS";
    case ParameterType::kSuccessIndication:
      return "SUCCESS_INDICATION";
    case ParameterType::kAdaptationLayerIndication:
      return "ADAPTATION_LAYER_INDICATION";
  }
  return "UNKNOWN";
}

}  // namespace sctp::wire
