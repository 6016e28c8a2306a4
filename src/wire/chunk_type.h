// Numbers the wire format assigns: chunk types, parameter types, error cause codes.
// Unscoped enums inside their own names so that values compare with raw wire bytes.
#ifndef SCTPCPP_WIRE_CHUNK_TYPE_H_
#define SCTPCPP_WIRE_CHUNK_TYPE_H_

#include <cstdint>
#include <string_view>

namespace sctp::wire {

enum ChunkType : uint8_t {
  kData = 0,               // RFC 9260 §3.3.1
  kInit = 1,               // §3.3.2
  kInitAck = 2,            // §3.3.3
  kSack = 3,               // §3.3.4
  kHeartbeat = 4,          // §3.3.5
  kHeartbeatAck = 5,       // §3.3.6
  kAbort = 6,              // §3.3.7
  kShutdown = 7,           // §3.3.8
  kShutdownAck = 8,        // §3.3.9
  kError = 9,              // §3.3.10
  kCookieEcho = 10,        // §3.3.11
  kCookieAck = 11,         // §3.3.12
  kEcne = 12,              // §3.3.13 / RFC 9260 Appendix A
  kCwr = 13,               // §3.3.14 / Appendix A
  kShutdownComplete = 14,  // §3.3.13
  kAuth = 15,              // RFC 4895 §4.1
  kIData = 64,             // RFC 8260 §2.1
  kAsconfAck = 128,        // RFC 5061 §4.1.2
  kReconfig = 130,         // RFC 6525 §3.1
  kPad = 132,              // RFC 4820 §3
  kForwardTsn = 192,       // RFC 3758 §3.2
  kAsconf = 193,           // RFC 5061 §4.1.1
  kIForwardTsn = 194,      // RFC 8260 §2.3
};

enum ParameterType : uint16_t {
  kHeartbeatInfo = 1,                   // RFC 9260 §3.3.5
  kIpv4Address = 5,                     // §3.3.2.1
  kIpv6Address = 6,                     // §3.3.2.1
  kStateCookie = 7,                     // §3.3.3.1
  kUnrecognizedParameter = 8,           // §3.3.3.1
  kCookiePreservative = 9,              // §3.3.2.1
  kHostNameAddress = 11,                // §3.3.2.1 (deprecated, still parsed)
  kSupportedAddressTypes = 12,          // §3.3.2.1
  kOutgoingSsnResetRequest = 13,        // RFC 6525 §4.1
  kIncomingSsnResetRequest = 14,        // RFC 6525 §4.2
  kSsnTsnResetRequest = 15,             // RFC 6525 §4.3
  kReconfigResponse = 16,               // RFC 6525 §4.4
  kAddOutgoingStreams = 17,             // RFC 6525 §4.5
  kAddIncomingStreams = 18,             // RFC 6525 §4.6
  kEcnCapable = 0x8000,                 // RFC 9260 Appendix A
  kZeroChecksumAcceptable = 0x8001,     // RFC 9653 §4
  kRandom = 0x8002,                     // RFC 4895 §3.1
  kChunkList = 0x8003,                  // RFC 4895 §3.2
  kRequestedHmacAlgorithm = 0x8004,     // RFC 4895 §3.3
  kPadding = 0x8005,                    // RFC 4820 §4
  kSupportedExtensions = 0x8008,        // RFC 5061 §4.2.7
  kForwardTsnSupported = 0xC000,        // RFC 3758 §3.1
  kAddIpAddress = 0xC001,               // RFC 5061 §4.2.1
  kDeleteIpAddress = 0xC002,            // RFC 5061 §4.2.2
  kErrorCauseIndication = 0xC003,       // RFC 5061 §4.2.3
  kSetPrimaryAddress = 0xC004,          // RFC 5061 §4.2.4
  kSuccessIndication = 0xC005,          // RFC 5061 §4.2.5
  kAdaptationLayerIndication = 0xC006,  // RFC 5061 §4.2.6
};

enum ErrorCauseCode : uint16_t {
  kInvalidStreamIdentifier = 1,                // RFC 9260 §3.3.10.1
  kMissingMandatoryParameter = 2,              // §3.3.10.2
  kStaleCookieError = 3,                       // §3.3.10.3
  kOutOfResource = 4,                          // §3.3.10.4
  kUnresolvableAddress = 5,                    // §3.3.10.5
  kUnrecognizedChunkType = 6,                  // §3.3.10.6
  kInvalidMandatoryParameter = 7,              // §3.3.10.7
  kUnrecognizedParameters = 8,                 // §3.3.10.8
  kNoUserData = 9,                             // §3.3.10.9
  kCookieReceivedWhileShuttingDown = 10,       // §3.3.10.10
  kRestartWithNewAddresses = 11,               // §3.3.10.11
  kUserInitiatedAbort = 12,                    // §3.3.10.12
  kProtocolViolation = 13,                     // §3.3.10.13
  kDeleteLastRemainingAddress = 0x00A0,        // RFC 5061 §4.3.1
  kOperationRefusedResourceShortage = 0x00A1,  // RFC 5061 §4.3
  kDeleteSourceAddress = 0x00A2,               // RFC 5061 §4.3.3
  kIllegalAsconfAck = 0x00A3,                  // RFC 5061 §4.3
  kRequestRefusedNoAuthorization = 0x00A4,     // RFC 5061 §4.3
  kUnsupportedHmacIdentifier = 0x0105,         // RFC 4895 §4.1
};

// RFC 9260 §3.2: the two high bits of an unrecognized chunk type say what to do.
enum class UnrecognizedAction : uint8_t {
  kStopDiscard,        // 00: stop processing, discard the packet
  kStopDiscardReport,  // 01: same, and report "Unrecognized Chunk Type" in an ERROR
  kSkip,               // 10: skip the chunk, continue
  kSkipReport,         // 11: skip, continue, and report in an ERROR
};
constexpr UnrecognizedAction UnrecognizedChunkAction(uint8_t chunk_type) {
  return static_cast<UnrecognizedAction>(chunk_type >> 6);
}
// RFC 9260 §3.2.1: the same two bits for an unrecognized parameter type; "report" means an
// "Unrecognized Parameter" (in INIT ACK, or in an ERROR chunk).
constexpr UnrecognizedAction UnrecognizedParameterAction(uint16_t parameter_type) {
  return static_cast<UnrecognizedAction>(parameter_type >> 14);
}

// Names for logs and tests; "UNKNOWN" for anything else.
std::string_view ChunkTypeName(uint8_t type);
std::string_view ParameterTypeName(uint16_t type);
std::string_view ErrorCauseName(uint16_t code);

}  // namespace sctp::wire

#endif  // SCTPCPP_WIRE_CHUNK_TYPE_H_
