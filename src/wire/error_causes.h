// Typed, bounds-checked, allocation-free codecs for every error cause carried in ERROR and
// ABORT chunks (RFC 9260 §3.3.10) and in ASCONF-ACK Error Cause Indications: RFC 9260
// §3.3.10.1 - §3.3.10.13, RFC 5061 §4.3 and RFC 4895 §4.1.
//
// The same pattern as parameters.h: kType (the Cause Code), Parse(const TlvView&) (wrong
// code is kWrongType), WireLength() (the Cause Length field), WriteTo() (with zero padding).
// Variable parts are Bytes views; error offsets are absolute.
#ifndef SCTPCPP_WIRE_ERROR_CAUSES_H_
#define SCTPCPP_WIRE_ERROR_CAUSES_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "sctpcpp/types.h"
#include "wire/byte_io.h"
#include "wire/chunk_type.h"
#include "wire/parameters.h"
#include "wire/parse_result.h"
#include "wire/tlv.h"

namespace sctp::wire {

// RFC 9260 §3.3.10.1 Invalid Stream Identifier (Cause Length = 8).
struct InvalidStreamIdentifierCause {
  static constexpr uint16_t kType = ErrorCauseCode::kInvalidStreamIdentifier;
  static constexpr size_t kLength = 8;
  StreamId stream_id;  // Reserved: written as 0, ignored on parse
  static Parsed<InvalidStreamIdentifierCause> Parse(const TlvView& tlv);
  size_t WireLength() const { return kLength; }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const InvalidStreamIdentifierCause&,
                         const InvalidStreamIdentifierCause&) = default;
};

// RFC 9260 §3.3.10.2 Missing Mandatory Parameter (Cause Length = 8 + N * 2). The Number of
// missing params is not stored: it is the list's size. An odd N leaves 2 bytes of padding
// after the cause, outside the Cause Length.
struct MissingMandatoryParameterCause {
  static constexpr uint16_t kType = ErrorCauseCode::kMissingMandatoryParameter;
  static constexpr size_t kMinLength = 8;
  PackedArray<U16Record> missing_param_types;
  static Parsed<MissingMandatoryParameterCause> Parse(const TlvView& tlv);
  size_t WireLength() const { return kMinLength + missing_param_types.wire_size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const MissingMandatoryParameterCause&,
                         const MissingMandatoryParameterCause&) = default;
};

// RFC 9260 §3.3.10.3 Stale Cookie (Cause Length = 8).
struct StaleCookieErrorCause {
  static constexpr uint16_t kType = ErrorCauseCode::kStaleCookieError;
  static constexpr size_t kLength = 8;
  uint32_t measure_of_staleness_us = 0;
  static Parsed<StaleCookieErrorCause> Parse(const TlvView& tlv);
  size_t WireLength() const { return kLength; }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const StaleCookieErrorCause&, const StaleCookieErrorCause&) = default;
};

// RFC 9260 §3.3.10.4 Out of Resource (Cause Length = 4).
struct OutOfResourceCause {
  static constexpr uint16_t kType = ErrorCauseCode::kOutOfResource;
  static constexpr size_t kLength = 4;
  static Parsed<OutOfResourceCause> Parse(const TlvView& tlv);
  size_t WireLength() const { return kLength; }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const OutOfResourceCause&, const OutOfResourceCause&) = default;
};

// RFC 9260 §3.3.10.5 Unresolvable Address: "the complete Type, Length, and Value of the
// address parameter (or Host Name parameter)".
struct UnresolvableAddressCause {
  static constexpr uint16_t kType = ErrorCauseCode::kUnresolvableAddress;
  Bytes unresolvable_address;  // exactly one TLV, validated on Parse
  static Parsed<UnresolvableAddressCause> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + unresolvable_address.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const UnresolvableAddressCause&,
                         const UnresolvableAddressCause&) = default;
};

// RFC 9260 §3.3.10.6 Unrecognized Chunk Type: the chunk "complete with Chunk Type, Chunk
// Flags, and Chunk Length".
struct UnrecognizedChunkTypeCause {
  static constexpr uint16_t kType = ErrorCauseCode::kUnrecognizedChunkType;
  Bytes unrecognized_chunk;  // one chunk (header + value), framing validated on Parse
  static Parsed<UnrecognizedChunkTypeCause> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + unrecognized_chunk.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const UnrecognizedChunkTypeCause&,
                         const UnrecognizedChunkTypeCause&) = default;
};

// RFC 9260 §3.3.10.7 Invalid Mandatory Parameter (Cause Length = 4).
struct InvalidMandatoryParameterCause {
  static constexpr uint16_t kType = ErrorCauseCode::kInvalidMandatoryParameter;
  static constexpr size_t kLength = 4;
  static Parsed<InvalidMandatoryParameterCause> Parse(const TlvView& tlv);
  size_t WireLength() const { return kLength; }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const InvalidMandatoryParameterCause&,
                         const InvalidMandatoryParameterCause&) = default;
};

// RFC 9260 §3.3.10.8 Unrecognized Parameters: parameters copied "complete with TLV".
struct UnrecognizedParametersCause {
  static constexpr uint16_t kType = ErrorCauseCode::kUnrecognizedParameters;
  Bytes unrecognized_parameters;  // a TLV sequence, framing validated on Parse
  static Parsed<UnrecognizedParametersCause> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + unrecognized_parameters.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const UnrecognizedParametersCause&,
                         const UnrecognizedParametersCause&) = default;
};

// RFC 9260 §3.3.10.9 No User Data (Cause Length = 8).
struct NoUserDataCause {
  static constexpr uint16_t kType = ErrorCauseCode::kNoUserData;
  static constexpr size_t kLength = 8;
  Tsn tsn;
  static Parsed<NoUserDataCause> Parse(const TlvView& tlv);
  size_t WireLength() const { return kLength; }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const NoUserDataCause&, const NoUserDataCause&) = default;
};

// RFC 9260 §3.3.10.10 Cookie Received While Shutting Down (Cause Length = 4).
struct CookieReceivedWhileShuttingDownCause {
  static constexpr uint16_t kType = ErrorCauseCode::kCookieReceivedWhileShuttingDown;
  static constexpr size_t kLength = 4;
  static Parsed<CookieReceivedWhileShuttingDownCause> Parse(const TlvView& tlv);
  size_t WireLength() const { return kLength; }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const CookieReceivedWhileShuttingDownCause&,
                         const CookieReceivedWhileShuttingDownCause&) = default;
};

// RFC 9260 §3.3.10.11 Restart of an Association with New Addresses.
struct RestartWithNewAddressesCause {
  static constexpr uint16_t kType = ErrorCauseCode::kRestartWithNewAddresses;
  Bytes new_address_tlvs;  // a TLV sequence, framing validated on Parse
  static Parsed<RestartWithNewAddressesCause> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + new_address_tlvs.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const RestartWithNewAddressesCause&,
                         const RestartWithNewAddressesCause&) = default;
};

// RFC 9260 §3.3.10.12 User-Initiated Abort.
struct UserInitiatedAbortCause {
  static constexpr uint16_t kType = ErrorCauseCode::kUserInitiatedAbort;
  Bytes upper_layer_abort_reason;  // opaque
  static Parsed<UserInitiatedAbortCause> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + upper_layer_abort_reason.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const UserInitiatedAbortCause&, const UserInitiatedAbortCause&) = default;
};

// RFC 9260 §3.3.10.13 Protocol Violation.
struct ProtocolViolationCause {
  static constexpr uint16_t kType = ErrorCauseCode::kProtocolViolation;
  Bytes additional_information;  // opaque
  static Parsed<ProtocolViolationCause> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + additional_information.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const ProtocolViolationCause&, const ProtocolViolationCause&) = default;
};

// RFC 5061 §4.3.1 Request to Delete Last Remaining IP Address.
struct DeleteLastRemainingAddressCause {
  static constexpr uint16_t kType = ErrorCauseCode::kDeleteLastRemainingAddress;
  Bytes tlv_copied_from_asconf;  // exactly one TLV, validated on Parse
  static Parsed<DeleteLastRemainingAddressCause> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + tlv_copied_from_asconf.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const DeleteLastRemainingAddressCause&,
                         const DeleteLastRemainingAddressCause&) = default;
};

// RFC 5061 §4.3.2 Operation Refused Due to Resource Shortage.
struct OperationRefusedResourceShortageCause {
  static constexpr uint16_t kType = ErrorCauseCode::kOperationRefusedResourceShortage;
  Bytes tlv_copied_from_asconf;  // exactly one TLV, validated on Parse
  static Parsed<OperationRefusedResourceShortageCause> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + tlv_copied_from_asconf.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const OperationRefusedResourceShortageCause&,
                         const OperationRefusedResourceShortageCause&) = default;
};

// RFC 5061 §4.3.3 Request to Delete Source IP Address.
struct DeleteSourceAddressCause {
  static constexpr uint16_t kType = ErrorCauseCode::kDeleteSourceAddress;
  Bytes tlv_copied_from_asconf;  // exactly one TLV, validated on Parse
  static Parsed<DeleteSourceAddressCause> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + tlv_copied_from_asconf.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const DeleteSourceAddressCause&,
                         const DeleteSourceAddressCause&) = default;
};

// RFC 5061 §4.3.4 Association Aborted Due to Illegal ASCONF-ACK (Cause Length = 4).
struct IllegalAsconfAckCause {
  static constexpr uint16_t kType = ErrorCauseCode::kIllegalAsconfAck;
  static constexpr size_t kLength = 4;
  static Parsed<IllegalAsconfAckCause> Parse(const TlvView& tlv);
  size_t WireLength() const { return kLength; }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const IllegalAsconfAckCause&, const IllegalAsconfAckCause&) = default;
};

// RFC 5061 §4.3.5 Request Refused - No Authorization.
struct RequestRefusedNoAuthorizationCause {
  static constexpr uint16_t kType = ErrorCauseCode::kRequestRefusedNoAuthorization;
  Bytes tlv_copied_from_asconf;  // exactly one TLV, validated on Parse
  static Parsed<RequestRefusedNoAuthorizationCause> Parse(const TlvView& tlv);
  size_t WireLength() const { return kTlvHeaderSize + tlv_copied_from_asconf.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const RequestRefusedNoAuthorizationCause&,
                         const RequestRefusedNoAuthorizationCause&) = default;
};

// RFC 4895 §4.1 Unsupported HMAC Identifier: "Cause Length ... MUST be set to 6", then 2
// bytes of padding. Written with length 6; Parse also accepts 8 (padding counted), which
// is what the BSD/usrsctp stack sends (Cause Length = sizeof its struct).
struct UnsupportedHmacIdentifierCause {
  static constexpr uint16_t kType = ErrorCauseCode::kUnsupportedHmacIdentifier;
  static constexpr size_t kLength = 6;
  uint16_t hmac_id = 0;
  static Parsed<UnsupportedHmacIdentifierCause> Parse(const TlvView& tlv);
  size_t WireLength() const { return kLength; }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const UnsupportedHmacIdentifierCause&,
                         const UnsupportedHmacIdentifierCause&) = default;
};

// Any other cause code, kept verbatim.
struct UnknownErrorCause {
  uint16_t code = 0;
  Bytes value;                                                 // Cause-Specific Information
  static Parsed<UnknownErrorCause> Parse(const TlvView& tlv);  // accepts any code
  size_t WireLength() const { return kTlvHeaderSize + value.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const UnknownErrorCause&, const UnknownErrorCause&) = default;
};

using AnyErrorCause = std::variant<
    InvalidStreamIdentifierCause, MissingMandatoryParameterCause, StaleCookieErrorCause,
    OutOfResourceCause, UnresolvableAddressCause, UnrecognizedChunkTypeCause,
    InvalidMandatoryParameterCause, UnrecognizedParametersCause, NoUserDataCause,
    CookieReceivedWhileShuttingDownCause, RestartWithNewAddressesCause, UserInitiatedAbortCause,
    ProtocolViolationCause, DeleteLastRemainingAddressCause, OperationRefusedResourceShortageCause,
    DeleteSourceAddressCause, IllegalAsconfAckCause, RequestRefusedNoAuthorizationCause,
    UnsupportedHmacIdentifierCause, UnknownErrorCause>;

// Parses by tlv.type (the Cause Code); other codes become UnknownErrorCause. A known code
// whose contents are malformed is an error.
Parsed<AnyErrorCause> ParseErrorCause(const TlvView& tlv);
size_t WireLength(const AnyErrorCause& cause);
void WriteErrorCause(ByteWriter& w, const AnyErrorCause& cause);

}  // namespace sctp::wire

#endif  // SCTPCPP_WIRE_ERROR_CAUSES_H_
