// Typed, bounds-checked, allocation-free codecs for every chunk parameter: RFC 9260 §3.2.1
// and §3.3, RE-CONFIG (RFC 6525 §4), ASCONF (RFC 5061 §4.2), AUTH (RFC 4895 §3), PR-SCTP
// (RFC 3758 §3.1), PAD (RFC 4820 §4) and zero checksum (RFC 9653 §4).
//
// Every type follows one pattern:
//   static constexpr uint16_t kType;                  the Parameter Type
//   static Parsed<T> Parse(const TlvView& tlv);       tlv.type must be kType (else kWrongType)
//   size_t WireLength() const;                        the Length field: header + value
//   void WriteTo(ByteWriter& w) const;                header + value + zero padding to 4
// Variable parts are Bytes views into the parsed buffer (or caller-owned memory when
// building); nothing allocates. Error offsets are absolute (TlvView::offset based): length
// problems point at the Length field (tlv.offset + 2), value problems at the field.
// A WireLength() above 65535 cannot be framed: WriteTo then fails the writer (ok() false).
#ifndef SCTPCPP_WIRE_PARAMETERS_H_
#define SCTPCPP_WIRE_PARAMETERS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>

#include "sctpcpp/types.h"
#include "wire/byte_io.h"
#include "wire/chunk_type.h"
#include "wire/parse_result.h"
#include "wire/tlv.h"

namespace sctp::wire {

// A stream identifier as a 16-bit record, for the stream lists of RFC 6525 §4.1 and §4.2.
struct StreamIdRecord {
  static constexpr size_t kWireSize = 2;
  StreamId value;
  static StreamIdRecord Load(const uint8_t* p) { return StreamIdRecord{StreamId(Load16(p))}; }
  void Store(uint8_t* p) const { Store16(p, value.value()); }
  friend bool operator==(StreamIdRecord, StreamIdRecord) = default;
};

// RFC 9260 §3.3.5 Heartbeat Information TLV.
struct HeartbeatInfoParameter {
  static constexpr uint16_t kType = ParameterType::kHeartbeatInfo;
  Bytes info;  // Sender-Specific Heartbeat Info, opaque to the peer
  static Parsed<HeartbeatInfoParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + info.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const HeartbeatInfoParameter&, const HeartbeatInfoParameter&) = default;
};

// RFC 9260 §3.3.2.1.1 IPv4 Address (Length = 8).
struct Ipv4AddressParameter {
  static constexpr uint16_t kType = ParameterType::kIpv4Address;
  static constexpr size_t kLength = 8;
  std::array<uint8_t, 4> address{};  // network byte order
  static Parsed<Ipv4AddressParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kLength; }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const Ipv4AddressParameter&, const Ipv4AddressParameter&) = default;
};

// RFC 9260 §3.3.2.1.2 IPv6 Address (Length = 20).
struct Ipv6AddressParameter {
  static constexpr uint16_t kType = ParameterType::kIpv6Address;
  static constexpr size_t kLength = 20;
  std::array<uint8_t, 16> address{};  // network byte order
  static Parsed<Ipv6AddressParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kLength; }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const Ipv6AddressParameter&, const Ipv6AddressParameter&) = default;
};

// RFC 9260 §3.3.3.1.1 State Cookie.
struct StateCookieParameter {
  static constexpr uint16_t kType = ParameterType::kStateCookie;
  Bytes cookie;
  static Parsed<StateCookieParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + cookie.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const StateCookieParameter&, const StateCookieParameter&) = default;
};

// RFC 9260 §3.3.3.1.2 Unrecognized Parameter: one parameter copied from the INIT "complete
// with Parameter Type, Length, and Value fields" (its own padding may be included).
struct UnrecognizedParameterParameter {
  static constexpr uint16_t kType = ParameterType::kUnrecognizedParameter;
  Bytes unrecognized_parameter;  // exactly one TLV, validated on Parse
  static Parsed<UnrecognizedParameterParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + unrecognized_parameter.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const UnrecognizedParameterParameter&,
                         const UnrecognizedParameterParameter&) = default;
};

// RFC 9260 §3.3.2.1.3 Cookie Preservative (Length = 8).
struct CookiePreservativeParameter {
  static constexpr uint16_t kType = ParameterType::kCookiePreservative;
  static constexpr size_t kLength = 8;
  uint32_t suggested_cookie_life_span_increment_ms = 0;
  static Parsed<CookiePreservativeParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kLength; }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const CookiePreservativeParameter&,
                         const CookiePreservativeParameter&) = default;
};

// RFC 9260 §3.3.2.1.4 Host Name Address (deprecated; parsed so that it can be refused).
struct HostNameAddressParameter {
  static constexpr uint16_t kType = ParameterType::kHostNameAddress;
  Bytes host_name;  // as sent, including the NUL terminator(s); not checked
  static Parsed<HostNameAddressParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + host_name.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const HostNameAddressParameter&,
                         const HostNameAddressParameter&) = default;
};

// RFC 9260 §3.3.2.1.5 Supported Address Types: 16-bit address types (Length = 4 + 2 * N).
struct SupportedAddressTypesParameter {
  static constexpr uint16_t kType = ParameterType::kSupportedAddressTypes;
  PackedArray<U16Record> address_types;
  static Parsed<SupportedAddressTypesParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + address_types.wire_size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const SupportedAddressTypesParameter&,
                         const SupportedAddressTypesParameter&) = default;
};

// RFC 6525 §4.1 Outgoing SSN Reset Request Parameter (Length = 16 + 2 * N).
struct OutgoingSsnResetRequestParameter {
  static constexpr uint16_t kType = ParameterType::kOutgoingSsnResetRequest;
  static constexpr size_t kMinLength = 16;
  ReconfigSeq request_seq;
  ReconfigSeq response_seq;
  Tsn sender_last_tsn;
  PackedArray<StreamIdRecord> streams;  // empty: all streams
  static Parsed<OutgoingSsnResetRequestParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kMinLength + streams.wire_size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const OutgoingSsnResetRequestParameter&,
                         const OutgoingSsnResetRequestParameter&) = default;
};

// RFC 6525 §4.2 Incoming SSN Reset Request Parameter (Length = 8 + 2 * N).
struct IncomingSsnResetRequestParameter {
  static constexpr uint16_t kType = ParameterType::kIncomingSsnResetRequest;
  static constexpr size_t kMinLength = 8;
  ReconfigSeq request_seq;
  PackedArray<StreamIdRecord> streams;  // empty: all streams
  static Parsed<IncomingSsnResetRequestParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kMinLength + streams.wire_size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const IncomingSsnResetRequestParameter&,
                         const IncomingSsnResetRequestParameter&) = default;
};

// RFC 6525 §4.3 SSN/TSN Reset Request Parameter (Length = 8).
struct SsnTsnResetRequestParameter {
  static constexpr uint16_t kType = ParameterType::kSsnTsnResetRequest;
  static constexpr size_t kLength = 8;
  ReconfigSeq request_seq;
  static Parsed<SsnTsnResetRequestParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kLength; }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const SsnTsnResetRequestParameter&,
                         const SsnTsnResetRequestParameter&) = default;
};

// RFC 6525 §4.4 Table 3. The enum has uint32_t as its underlying type, so any wire value
// (including ones this table does not name) is representable and round-trips.
enum class ReconfigResult : uint32_t {
  kSuccessNothingToDo = 0,
  kSuccessPerformed = 1,
  kDenied = 2,
  kErrorWrongSsn = 3,
  kErrorRequestAlreadyInProgress = 4,
  kErrorBadSequenceNumber = 5,
  kInProgress = 6,
};

// RFC 6525 §4.4 Re-configuration Response Parameter (Length = 12, or 20 with both TSNs).
// "Either both optional fields ... MUST be present, or no field": WriteTo writes both when
// either is set (a missing one as 0).
struct ReconfigResponseParameter {
  static constexpr uint16_t kType = ParameterType::kReconfigResponse;
  static constexpr size_t kShortLength = 12;
  static constexpr size_t kLongLength = 20;
  ReconfigSeq response_seq;
  ReconfigResult result = ReconfigResult::kSuccessNothingToDo;
  std::optional<Tsn> sender_next_tsn;
  std::optional<Tsn> receiver_next_tsn;
  static Parsed<ReconfigResponseParameter> Parse(const TlvView& tlv);
  size_t WireLength() const {
    return sender_next_tsn || receiver_next_tsn ? kLongLength : kShortLength;
  }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const ReconfigResponseParameter&,
                         const ReconfigResponseParameter&) = default;
};

// RFC 6525 §4.5 Add Outgoing Streams Request Parameter (Length = 12).
struct AddOutgoingStreamsParameter {
  static constexpr uint16_t kType = ParameterType::kAddOutgoingStreams;
  static constexpr size_t kLength = 12;
  ReconfigSeq request_seq;
  uint16_t number_of_new_streams = 0;  // Reserved: written as 0, ignored on parse
  static Parsed<AddOutgoingStreamsParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kLength; }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const AddOutgoingStreamsParameter&,
                         const AddOutgoingStreamsParameter&) = default;
};

// RFC 6525 §4.6 Add Incoming Streams Request Parameter (Length = 12).
struct AddIncomingStreamsParameter {
  static constexpr uint16_t kType = ParameterType::kAddIncomingStreams;
  static constexpr size_t kLength = 12;
  ReconfigSeq request_seq;
  uint16_t number_of_new_streams = 0;  // Reserved: written as 0, ignored on parse
  static Parsed<AddIncomingStreamsParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kLength; }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const AddIncomingStreamsParameter&,
                         const AddIncomingStreamsParameter&) = default;
};

// RFC 4960 Appendix A ECN Capable (Length = 4); RFC 9260 keeps 0x8000 reserved for it.
struct EcnCapableParameter {
  static constexpr uint16_t kType = ParameterType::kEcnCapable;
  static constexpr size_t kLength = 4;
  static Parsed<EcnCapableParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kLength; }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const EcnCapableParameter&, const EcnCapableParameter&) = default;
};

// RFC 9653 §4 Zero Checksum Acceptable Chunk Parameter (Length = 8).
struct ZeroChecksumAcceptableParameter {
  static constexpr uint16_t kType = ParameterType::kZeroChecksumAcceptable;
  static constexpr size_t kLength = 8;
  uint32_t error_detection_method = 0;  // EDMID
  static Parsed<ZeroChecksumAcceptableParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kLength; }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const ZeroChecksumAcceptableParameter&,
                         const ZeroChecksumAcceptableParameter&) = default;
};

// RFC 4895 §3.1 Random Parameter (RANDOM). Any length parses; the 32-byte requirement is
// the association's to enforce.
struct RandomParameter {
  static constexpr uint16_t kType = ParameterType::kRandom;
  Bytes random_number;
  static Parsed<RandomParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + random_number.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const RandomParameter&, const RandomParameter&) = default;
};

// RFC 4895 §3.2 Chunk List Parameter (CHUNKS): one chunk type per byte.
struct ChunkListParameter {
  static constexpr uint16_t kType = ParameterType::kChunkList;
  Bytes chunk_types;
  static Parsed<ChunkListParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + chunk_types.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const ChunkListParameter&, const ChunkListParameter&) = default;
};

// RFC 4895 §3.3 Requested HMAC Algorithm Parameter (HMAC-ALGO): 16-bit HMAC Identifiers.
struct RequestedHmacAlgorithmParameter {
  static constexpr uint16_t kType = ParameterType::kRequestedHmacAlgorithm;
  PackedArray<U16Record> hmac_identifiers;  // in the sender's order of preference
  static Parsed<RequestedHmacAlgorithmParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + hmac_identifiers.wire_size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const RequestedHmacAlgorithmParameter&,
                         const RequestedHmacAlgorithmParameter&) = default;
};

// RFC 4820 §4 Padding Parameter (PAD): any content, ignored by the receiver.
struct PaddingParameter {
  static constexpr uint16_t kType = ParameterType::kPadding;
  Bytes padding_data;
  static Parsed<PaddingParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + padding_data.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const PaddingParameter&, const PaddingParameter&) = default;
};

// RFC 5061 §4.2.7 Supported Extensions Parameter: one chunk type per byte.
struct SupportedExtensionsParameter {
  static constexpr uint16_t kType = ParameterType::kSupportedExtensions;
  Bytes chunk_types;
  static Parsed<SupportedExtensionsParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + chunk_types.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const SupportedExtensionsParameter&,
                         const SupportedExtensionsParameter&) = default;
};

// RFC 3758 §3.1 Forward-TSN-Supported Parameter (Length = 4).
struct ForwardTsnSupportedParameter {
  static constexpr uint16_t kType = ParameterType::kForwardTsnSupported;
  static constexpr size_t kLength = 4;
  static Parsed<ForwardTsnSupportedParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kLength; }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const ForwardTsnSupportedParameter&,
                         const ForwardTsnSupportedParameter&) = default;
};

// The Address Parameter that ASCONF requests wrap (RFC 5061 §4.2.1: "an IPv4 or IPv6
// address parameter").
using AddressParameter = std::variant<Ipv4AddressParameter, Ipv6AddressParameter>;
// Parses an IPv4 or IPv6 Address Parameter; any other type is kWrongType. For the
// address_parameter field of a parsed ASCONF request (validated already):
//   TlvReader reader(p.address_parameter, 0); TlvView tlv; reader.Next(&tlv);
//   Parsed<AddressParameter> address = ParseAddressParameter(tlv);
Parsed<AddressParameter> ParseAddressParameter(const TlvView& tlv);

// RFC 5061 §4.2.1 Add IP Address: correlation ID + one IPv4/IPv6 Address Parameter.
struct AddIpAddressParameter {
  static constexpr uint16_t kType = ParameterType::kAddIpAddress;
  uint32_t correlation_id = 0;  // ASCONF-Request Correlation ID
  Bytes address_parameter;      // the complete address TLV (type 5 or 6), validated
  static Parsed<AddIpAddressParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + 4 + address_parameter.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const AddIpAddressParameter&, const AddIpAddressParameter&) = default;
};

// RFC 5061 §4.2.2 Delete IP Address: correlation ID + one IPv4/IPv6 Address Parameter.
struct DeleteIpAddressParameter {
  static constexpr uint16_t kType = ParameterType::kDeleteIpAddress;
  uint32_t correlation_id = 0;  // ASCONF-Request Correlation ID
  Bytes address_parameter;      // the complete address TLV (type 5 or 6), validated
  static Parsed<DeleteIpAddressParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + 4 + address_parameter.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const DeleteIpAddressParameter&,
                         const DeleteIpAddressParameter&) = default;
};

// RFC 5061 §4.2.3 Error Cause Indication: correlation ID + error causes (RFC 9260 §3.3.10).
struct ErrorCauseIndicationParameter {
  static constexpr uint16_t kType = ParameterType::kErrorCauseIndication;
  uint32_t correlation_id = 0;  // ASCONF-Response Correlation ID
  Bytes error_causes;           // a TLV sequence, framing validated (see error_causes.h)
  static Parsed<ErrorCauseIndicationParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + 4 + error_causes.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const ErrorCauseIndicationParameter&,
                         const ErrorCauseIndicationParameter&) = default;
};

// RFC 5061 §4.2.4 Set Primary IP Address: correlation ID + one IPv4/IPv6 Address Parameter.
struct SetPrimaryAddressParameter {
  static constexpr uint16_t kType = ParameterType::kSetPrimaryAddress;
  uint32_t correlation_id = 0;  // ASCONF-Request Correlation ID
  Bytes address_parameter;      // the complete address TLV (type 5 or 6), validated
  static Parsed<SetPrimaryAddressParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + 4 + address_parameter.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const SetPrimaryAddressParameter&,
                         const SetPrimaryAddressParameter&) = default;
};

// RFC 5061 §4.2.5 Success Indication (Length = 8).
struct SuccessIndicationParameter {
  static constexpr uint16_t kType = ParameterType::kSuccessIndication;
  static constexpr size_t kLength = 8;
  uint32_t correlation_id = 0;  // ASCONF-Response Correlation ID
  static Parsed<SuccessIndicationParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kLength; }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const SuccessIndicationParameter&,
                         const SuccessIndicationParameter&) = default;
};

// RFC 5061 §4.2.6 Adaptation Layer Indication (Length = 8).
struct AdaptationLayerIndicationParameter {
  static constexpr uint16_t kType = ParameterType::kAdaptationLayerIndication;
  static constexpr size_t kLength = 8;
  uint32_t adaptation_code_point = 0;
  static Parsed<AdaptationLayerIndicationParameter> Parse(const TlvView& tlv);
  size_t WireLength() const { return kLength; }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const AdaptationLayerIndicationParameter&,
                         const AdaptationLayerIndicationParameter&) = default;
};

// Any other parameter type, kept verbatim (RFC 9260 §3.2.1: the two high bits of the type
// say whether to skip and whether to report it).
struct UnknownParameter {
  uint16_t type = 0;
  Bytes value;
  static Parsed<UnknownParameter> Parse(const TlvView& tlv);  // accepts any type
  size_t WireLength() const { return kTlvHeaderSize + value.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const UnknownParameter&, const UnknownParameter&) = default;
};

using AnyParameter =
    std::variant<HeartbeatInfoParameter, Ipv4AddressParameter, Ipv6AddressParameter,
                 StateCookieParameter, UnrecognizedParameterParameter, CookiePreservativeParameter,
                 HostNameAddressParameter, SupportedAddressTypesParameter,
                 OutgoingSsnResetRequestParameter, IncomingSsnResetRequestParameter,
                 SsnTsnResetRequestParameter, ReconfigResponseParameter,
                 AddOutgoingStreamsParameter, AddIncomingStreamsParameter, EcnCapableParameter,
                 ZeroChecksumAcceptableParameter, RandomParameter, ChunkListParameter,
                 RequestedHmacAlgorithmParameter, PaddingParameter, SupportedExtensionsParameter,
                 ForwardTsnSupportedParameter, AddIpAddressParameter, DeleteIpAddressParameter,
                 ErrorCauseIndicationParameter, SetPrimaryAddressParameter,
                 SuccessIndicationParameter, AdaptationLayerIndicationParameter, UnknownParameter>;

// Parses by tlv.type; a type not listed above becomes UnknownParameter. A known type whose
// contents are malformed is an error (not an UnknownParameter).
Parsed<AnyParameter> ParseParameter(const TlvView& tlv);
size_t WireLength(const AnyParameter& parameter);
void WriteParameter(ByteWriter& w, const AnyParameter& parameter);

// Building blocks shared by the parameter and error cause codecs.
namespace tlv_codec {
// Writes Type and Length; a length that does not fit 16 bits fails the writer.
void WriteHeader(ByteWriter& w, uint16_t type, size_t length);
// Zero padding after a TLV whose Length field is `length` (relative to the TLV's start).
inline void WritePadding(ByteWriter& w, size_t length) {
  w.Zeros(PaddedLength(length) - length);
}
// Header + opaque value + padding.
void WriteOpaque(ByteWriter& w, uint16_t type, Bytes value);
// kWrongType at tlv.offset unless tlv.type == type.
std::optional<ParseError> CheckType(const TlvView& tlv, uint16_t type);
// kWrongLength at the Length field unless tlv.length == length.
std::optional<ParseError> CheckFixedLength(const TlvView& tlv, size_t length);
// kLengthTooSmall at the Length field if tlv.length < min_length.
std::optional<ParseError> CheckMinLength(const TlvView& tlv, size_t min_length);
// Checks that `bytes`, a field of `outer` starting at absolute `base_offset`, holds exactly
// one well-framed TLV (its trailing padding optional) and returns it: fewer than 4 bytes is
// kLengthTooSmall and anything after the TLV is kWrongLength, both at outer's Length field;
// bad inner framing is reported where it is.
Parsed<TlvView> ParseOneNestedTlv(const TlvView& outer, Bytes bytes, uint32_t base_offset);
}  // namespace tlv_codec

}  // namespace sctp::wire

#endif  // SCTPCPP_WIRE_PARAMETERS_H_
