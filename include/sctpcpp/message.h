// A user message as the application sends and receives it.
#ifndef SCTPCPP_MESSAGE_H_
#define SCTPCPP_MESSAGE_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "sctpcpp/time.h"
#include "sctpcpp/types.h"

namespace sctp {

struct Message {
  StreamId stream_id;
  Ppid ppid;
  bool unordered = false;
  std::vector<uint8_t> payload;
  // Receive side only, for socket APIs (RFC 6458 §5.3.5 sctp_rcvinfo): the SSN (I-DATA: the
  // low 16 bits of the MID; unordered DATA: 0) and the TSN of the message's first fragment
  // (0 with I-DATA).
  uint16_t ssn = 0;
  uint32_t first_tsn = 0;
};

// PR-SCTP policies (RFC 7496 §3; values as SCTP_PR_SCTP_* in RFC 6458 / usrsctp).
enum class PrPolicy : uint8_t { kNone = 0, kTtl = 1, kPriority = 2, kRtx = 3 };

// Per-message send options (RFC 9260 §10.1 SEND; RFC 3758/7496 PR-SCTP policies).
struct SendOptions {
  bool unordered = false;
  // PR-SCTP "timed reliability": abandon if not acknowledged within this time after Send.
  std::optional<Duration> lifetime;
  // PR-SCTP "limited retransmission": abandon after this many retransmissions.
  std::optional<uint32_t> max_retransmissions;
  // PR-SCTP "priority policy" (RFC 7496 §3.2): when the send buffer is full, queued messages
  // with a larger value (less important) that have not started are abandoned to make room
  // for this one; a message with this set may itself be abandoned that way.
  std::optional<uint16_t> priority;
  // Set the I bit (RFC 7053) on the last fragment: the peer should SACK without delay.
  bool immediate_sack = false;
  // Opaque handle reported back in SendFailed events.
  uint64_t context = 0;
};

}  // namespace sctp

#endif  // SCTPCPP_MESSAGE_H_
