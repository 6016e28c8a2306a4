// What an association tells the application: received messages and notifications
// (RFC 9260 §10.2 ULP notifications; RFC 6458 §6.1 names in brackets).
#ifndef SCTPCPP_EVENTS_H_
#define SCTPCPP_EVENTS_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sctpcpp/address.h"
#include "sctpcpp/message.h"
#include "sctpcpp/types.h"

namespace sctp {

using AssociationId = Identifier<struct AssociationIdTag, uint32_t>;

// Why an association ended or could not start.
enum class CloseReason : uint8_t {
  kNone,
  kPeerAbort,               // ABORT received (§9.1)
  kUserAbort,               // Abort() called
  kTooManyRetransmissions,  // Association.Max.Retrans exceeded (§8.1)
  kInitFailed,              // Max.Init.Retransmits exceeded (§5.1)
  kProtocolViolation,       // we sent ABORT because the peer broke the protocol
  kShutdownComplete,        // graceful end (§9.2)
  kShutdownGuardExpired,    // T5-shutdown-guard (§9.2)
};
std::string_view CloseReasonName(CloseReason reason);

namespace events {

// A whole message or, with partial delivery, one piece of it (end_of_message false until the
// last piece).
struct MessageReceived {
  Message message;
  bool end_of_message = true;
};
// [SCTP_ASSOC_CHANGE / SCTP_COMM_UP] the association is established (§10.2 COMMUNICATION UP).
// The extensions both sides agreed on (RFC 6458 §6.1.1 sac_info).
struct NegotiatedExtensions {
  bool partial_reliability = false;  // RFC 3758
  bool stream_reset = false;         // RFC 6525
  bool interleaving = false;         // RFC 8260
  bool zero_checksum = false;        // RFC 9653
};
struct CommunicationUp {
  uint16_t inbound_streams = 0;
  uint16_t outbound_streams = 0;
  NegotiatedExtensions extensions;
};
// [SCTP_ASSOC_CHANGE / SCTP_RESTART] the peer restarted (§5.2.2, §10.2 RESTART).
struct Restarted {
  uint16_t inbound_streams = 0;
  uint16_t outbound_streams = 0;
  NegotiatedExtensions extensions;
};
// [SCTP_ASSOC_CHANGE / SCTP_COMM_LOST, SCTP_CANT_STR_ASSOC, SCTP_SHUTDOWN_COMP] the
// association is gone. `cause` holds the error causes of a received ABORT (raw TLVs).
struct AssociationClosed {
  CloseReason reason = CloseReason::kNone;
  bool was_established = false;
  std::vector<uint8_t> abort_causes;
};
// [SCTP_SHUTDOWN_EVENT] the peer sent SHUTDOWN: no more data will arrive (§10.2).
struct PeerShutdown {};
// [SCTP_PEER_ADDR_CHANGE] (§10.2 NETWORK STATUS CHANGE).
struct PeerAddressChange {
  enum class State : uint8_t {
    kAvailable,
    kUnreachable,
    kRemoved,
    kAdded,
    kMadePrimary,
    kConfirmed
  };
  Address address;
  State state = State::kAvailable;
};
// [SCTP_SEND_FAILED_EVENT] a message was not (fully) delivered (§10.2 SEND FAILURE).
struct SendFailed {
  StreamId stream_id;
  Ppid ppid;
  uint64_t context = 0;
  bool was_sent = false;  // some of it went on the wire (SCTP_DATA_SENT vs SCTP_DATA_UNSENT)
  // Why: abandoned by its PR-SCTP policy (RFC 3758/7496), or kNone when the association
  // ended with the message still queued or in flight.
  PrPolicy abandoned_by = PrPolicy::kNone;
  std::vector<uint8_t> payload;  // what is left of it, when known
};
// [SCTP_SENDER_DRY_EVENT] nothing queued or in flight.
struct SenderDry {};
// [SCTP_PARTIAL_DELIVERY_EVENT / SCTP_PARTIAL_DELIVERY_ABORTED]
struct PartialDeliveryAborted {
  StreamId stream_id;
};
// [SCTP_REMOTE_ERROR] an ERROR chunk arrived (§10.2 COMMUNICATION ERROR).
struct RemoteError {
  uint16_t cause_code = 0;
  std::vector<uint8_t> cause;  // the whole cause TLV
};

// [SCTP_STREAM_RESET_EVENT] RFC 6525 §6.1.1: streams were reset (incoming: the peer reset
// its outgoing streams, their next SSN is 0 again; outgoing: our request was performed), or
// our request was denied or failed. An empty list means all streams.
struct StreamReset {
  std::vector<StreamId> streams;
  bool incoming = false;
  bool outgoing = false;
  bool denied = false;
  bool failed = false;
};
// [SCTP_STREAM_CHANGE_EVENT] RFC 6525 §6.1.3: the stream counts changed (streams added), or
// a request to add streams was denied or failed.
struct StreamChange {
  uint16_t inbound_streams = 0;
  uint16_t outbound_streams = 0;
  bool denied = false;
  bool failed = false;
};

// [SCTP_ASSOC_RESET_EVENT] RFC 6525 §6.1.2: an SSN/TSN reset was performed (both sides'
// TSNs restart at these values, every SSN at 0), or our request was denied or failed.
struct AssociationReset {
  Tsn local_tsn;   // the next TSN we send
  Tsn remote_tsn;  // the next TSN we expect
  bool denied = false;
  bool failed = false;
};

}  // namespace events

struct Event {
  AssociationId association;
  std::variant<events::MessageReceived, events::CommunicationUp, events::Restarted,
               events::AssociationClosed, events::PeerShutdown, events::PeerAddressChange,
               events::SendFailed, events::SenderDry, events::PartialDeliveryAborted,
               events::RemoteError, events::StreamReset, events::StreamChange,
               events::AssociationReset>
      payload;
};

}  // namespace sctp

#endif  // SCTPCPP_EVENTS_H_
