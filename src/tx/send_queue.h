// The outgoing message queue of an association: user messages wait here until the stream
// scheduler picks them, and leave as fragments (one DATA or I-DATA chunk each) when the
// association has room in a packet.
//
// What it does:
//  - per-stream FIFO queues, created lazily (a stream costs nothing until it is used);
//  - SSN (DATA) or MID/FSN (I-DATA) assignment, late: when a message's first fragment is
//    produced, so that a message abandoned before that leaves no gap in the sequence
//    (RFC 8260 §2.2.2 "late assignment"; RFC 9260 §6.5 and §6.9);
//  - fragmentation without copying: the fragments of a message share its one buffer;
//  - the six stream schedulers of RFC 8260 §3, each O(log n) per fragment in the number of
//    streams with data (a btree of eligible streams keyed by the scheduler's order);
//  - PR-SCTP on the not-yet-sent side: lifetime expiry before the first fragment (RFC 3758
//    §4.1 timed reliability), dropping the unsent rest of a message whose sent fragment was
//    abandoned (RFC 3758 §3.5 A3), and the buffer "priority" policy (RFC 7496 §3.2);
//  - pausing streams while an outgoing SSN reset is pending and the reset itself
//    (RFC 6525 §5.1.2, RFC 8260 §2.3.2).
//
// What it does not do: TSNs, retransmission, congestion control (the caller's retransmission
// queue owns a fragment once Produce returned it). Sans-IO: time is an argument.
#ifndef SCTPCPP_TX_SEND_QUEUE_H_
#define SCTPCPP_TX_SEND_QUEUE_H_

#include <compare>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "sctpcpp/message.h"
#include "sctpcpp/time.h"
#include "sctpcpp/types.h"

namespace sctp::tx {

struct OutgoingMessage {
  StreamId stream_id;
  Ppid ppid;
  bool unordered = false;
  // RFC 7053: set the I bit on the last fragment.
  bool immediate_sack = false;
  std::vector<uint8_t> payload;
  // PR-SCTP timed reliability (RFC 3758 §4.1): abandon if not fully sent/acked by then. The
  // queue enforces it until the first fragment is produced; afterwards the fragments carry it.
  std::optional<TimePoint> expires_at;
  // PR-SCTP limited retransmissions (RFC 7496 §3.1); carried on the fragments.
  std::optional<uint32_t> max_retransmissions;
  // Opaque, reported back on failure.
  uint64_t context = 0;
  // PR-SCTP priority policy (RFC 7496 §3.2), lower value = more important. Unset means the
  // message is sent reliably with respect to buffer pressure: RFC 7496 §3.2 "User messages
  // sent reliably are considered to have a priority higher than all messages sent with the
  // Priority Policy", so AbandonForSpace never drops it. (An addition to the brief's struct.)
  std::optional<uint16_t> pr_priority;
};

// Becomes one DATA or I-DATA chunk.
struct OutgoingFragment {
  uint64_t message_id = 0;  // unique per queued message (for abandoning sibling fragments)
  StreamId stream_id;
  Ppid ppid;
  bool unordered = false;
  bool beginning = false;
  bool ending = false;
  bool immediate_sack = false;  // only on the last fragment
  // DATA: ssn, the same for all fragments of a message; 0 for unordered messages.
  // I-DATA: mid (per stream, separate counters for ordered and unordered) and fsn (0, 1, 2..).
  // The fields of the other chunk type are 0.
  Ssn ssn;
  Mid mid;
  Fsn fsn;
  // The whole message buffer, shared by its fragments (no copy per fragment).
  std::shared_ptr<const std::vector<uint8_t>> message;
  size_t offset = 0;
  size_t length = 0;
  std::optional<TimePoint> expires_at;
  std::optional<uint32_t> max_retransmissions;
  uint64_t context = 0;

  std::span<const uint8_t> data() const;  // message->data() + offset, length
};

// RFC 8260 §3. The rules are documented next to their implementation in send_queue.cc.
enum class StreamScheduler {
  kFirstComeFirstServed,  // §3.1 SCTP_SS_FCFS
  kRoundRobin,            // §3.2 SCTP_SS_RR
  kRoundRobinPerPacket,   // §3.3 SCTP_SS_RR_PKT
  kPriority,              // §3.4 SCTP_SS_PRIO
  kFairCapacity,          // §3.5 SCTP_SS_FC
  kWeightedFairQueueing,  // §3.6 SCTP_SS_WFQ
};

class SendQueue {
 public:
  // Defaults for streams that were never configured. Priority: lower value = higher
  // priority, so the default leaves room on both sides. Weight: the WebRTC "low" (default)
  // data-channel priority as dcSCTP maps it; only ratios matter.
  static constexpr uint16_t kDefaultStreamPriority = 256;
  static constexpr uint16_t kDefaultStreamWeight = 256;

  SendQueue(bool interleaved, StreamScheduler scheduler, uint16_t outbound_streams,
            size_t capacity_bytes);
  SendQueue(const SendQueue&) = delete;
  SendQueue& operator=(const SendQueue&) = delete;

  enum class AddResult { kOk, kInvalidStream, kTooLarge /* > capacity */, kBufferFull, kEmpty };
  // Takes ownership of the payload (moved: the buffer the caller filled is the one that the
  // fragments point into). Checks, in order: stream < outbound streams, non-empty (RFC 9260
  // §6.2: "An endpoint SHOULD NOT send a DATA chunk with no user data part"), size <=
  // capacity, room left (capacity counts the bytes not yet produced).
  AddResult Add(OutgoingMessage message, uint64_t* message_id_out = nullptr);

  // The next fragment of at most max_payload bytes (>= 1; 0 returns nullopt), or nullopt.
  // Messages whose expires_at <= now before their first fragment is produced are removed and
  // reported via TakeAbandoned(). In DATA mode (!interleaved), once the first fragment of a
  // message has been produced the queue keeps producing that message's fragments until its
  // last one (RFC 9260 §6.9: the fragments of one message get consecutive TSNs), whatever the
  // scheduler; in I-DATA mode the scheduler may switch streams after any fragment (RFC 8260
  // §3). May return nullopt while !empty() if all remaining messages are on paused streams.
  // `keep_whole_up_to`: a message not started yet whose size is at most this (what a packet of
  // its own would carry) but more than max_payload is not split: nullopt instead.
  std::optional<OutgoingFragment> Produce(TimePoint now, size_t max_payload,
                                          size_t keep_whole_up_to = 0);

  // RFC 3758 §4.1: abandons the messages not started yet whose lifetime ended by `now`
  // (reported via TakeAbandoned), and the time the next one ends (kNever if none).
  void ExpireUntil(TimePoint now);
  TimePoint NextExpiry() const { return expiry_.empty() ? kNever : expiry_.begin()->first; }

  // DATA or I-DATA numbering (RFC 8260). May change only before the first fragment was
  // produced: messages queued before the handshake settled it get their numbers late anyway.
  bool interleaved() const { return interleaved_; }
  void SetInterleaved(bool interleaved) { interleaved_ = interleaved; }

  // Called when a packet is finished (for kRoundRobinPerPacket; a no-op for the others).
  void OnPacketFinished();

  bool empty() const { return locator_.empty(); }            // nothing left to produce
  size_t buffered_bytes() const { return buffered_total_; }  // payload bytes not yet produced
  size_t buffered_bytes(StreamId sid) const;

  // Messages abandoned before being (fully) sent, oldest (lowest message_id) first; clears
  // the list.
  struct Abandoned {
    uint64_t message_id;
    StreamId stream_id;
    Ppid ppid;
    uint64_t context;
    std::vector<uint8_t> unsent_payload;
    bool partially_sent;
    PrPolicy policy = PrPolicy::kNone;  // the PR-SCTP policy that abandoned it; kNone: discarded
  };
  std::vector<Abandoned> TakeAbandoned();

  // RFC 3758 §3.5 A3 / RFC 7496: a fragment of this message was abandoned after being sent:
  // drop its unsent rest (reported via TakeAbandoned). Returns true if anything was dropped
  // (false for an unknown or fully produced message). A message not started yet is dropped
  // whole.
  bool DiscardRemaining(uint64_t message_id, PrPolicy policy = PrPolicy::kNone);

  // The association is closing without sending them (ABORT, failure; RFC 6458 §6.1.4: a
  // SEND_FAILED for each): every queued message, started or not, is abandoned and reported via
  // TakeAbandoned. Returns how many. (An addition to the brief's interface, for the engine.)
  size_t DiscardAll();

  // RFC 7496 §3.2 (priority policy): abandon queued, not-yet-started messages whose
  // pr_priority is lower than incoming_priority (a larger value), least important first and
  // oldest first among equals, until at least `bytes` are freed. All or nothing: if that is not
  // possible nothing is dropped and 0 is returned. Returns the bytes freed.
  size_t AbandonForSpace(size_t bytes, uint16_t incoming_priority);

  // RFC 6525 §5.1.2 / RFC 8260 §2.3.2: after an outgoing SSN reset, the next SSN and both MID
  // counters of these streams (empty = all) are 0. Messages still queued but not started get
  // numbers from the new sequence (numbers are assigned late).
  void ResetStreams(std::span<const StreamId> streams);

  // Streams with queued data on them? (a reset of a stream must wait until it is empty —
  // RFC 6525 §5.1.2)
  bool HasPending(StreamId sid) const;

  // RFC 6525 §5.1.2 A1: "The sender MUST stop assigning new SSNs to new user data provided by
  // the upper layer for the affected streams and queue it." A paused stream keeps queueing and
  // finishes the message it has started (its fragments must not be cut short), but starts no
  // new one. Empty span = all streams (including ones without state yet). Resume with an empty
  // span lifts every pause. (Additions to the brief's interface.)
  // `after_message_id`: messages queued up to this id (see last_message_id()) may still
  // start; RFC 6525 A1 holds only the data provided after the request.
  void PauseStreams(std::span<const StreamId> streams,
                    std::optional<uint64_t> after_message_id = std::nullopt);
  // Whether a message with id <= up_to_message_id on these streams (empty = any) still has
  // fragments to produce.
  bool HasUnsent(std::span<const StreamId> streams, uint64_t up_to_message_id) const;
  // The id of the message queued last (0 if none yet).
  uint64_t last_message_id() const { return next_message_id_ - 1; }
  void ResumeStreams(std::span<const StreamId> streams);
  // True while a message of this stream has had some but not all fragments produced: a paused
  // stream is ready for its reset request once this is false (and its sent data is acked).
  bool HasPartiallySentMessage(StreamId sid) const;
  // The same for any of these streams (empty = any stream).
  bool HasPartiallySentMessage(std::span<const StreamId> streams) const;

  // After negotiation (min of our OS and peer MIS) or RFC 6525 add-streams. Messages queued on
  // streams >= count are abandoned (reported via TakeAbandoned) and their state removed.
  void SetOutboundStreams(uint16_t count);
  uint16_t outbound_streams() const { return outbound_streams_; }

  // Scheduler parameters (RFC 8260 §3): priority (lower value = higher priority) for
  // kPriority, weight for kWeightedFairQueueing (0 is treated as 1).
  void SetStreamPriority(StreamId sid, uint16_t priority);
  void SetStreamWeight(StreamId sid, uint16_t weight);

  // Streams with state (lazily created: 65,535 streams cost nothing until used).
  size_t stream_state_count() const { return streams_.size(); }

  // Payload bytes copied by the queue itself. The sending path copies nothing; the only copy
  // is the unsent rest of a partially sent message handed back by TakeAbandoned while the
  // retransmission queue still shares its buffer (DESIGN.md: copies are counted).
  uint64_t bytes_copied() const { return bytes_copied_; }

  // The fair-queueing virtual clock (kFairCapacity, kWeightedFairQueueing) is shifted back to
  // 0 automatically long before it could overflow; exposed so tests can exercise it.
  void RebaseVirtualTime();

  // Full consistency check, O(messages + streams). Debug builds run it after every public
  // call while the queue is small; tests call it directly.
  bool InvariantsHold() const;

 private:
  static constexpr uint64_t kNotPaused = std::numeric_limits<uint64_t>::max();

  struct Pending {
    Ppid ppid;
    bool unordered = false;
    bool immediate_sack = false;
    bool started = false;  // first fragment produced; ssn/mid assigned
    std::shared_ptr<std::vector<uint8_t>> payload;
    size_t produced = 0;  // bytes handed out in fragments so far
    Ssn ssn;
    Mid mid;
    Fsn next_fsn;
    std::optional<TimePoint> expires_at;
    std::optional<uint32_t> max_retransmissions;
    std::optional<uint16_t> pr_priority;
    uint64_t context = 0;
  };

  // Order of the eligible streams; the scheduler serves the smallest. Meaning per scheduler in
  // ScheduleKey() (send_queue.cc).
  struct SchedKey {
    uint64_t primary = 0;
    uint64_t secondary = 0;
    friend auto operator<=>(const SchedKey&, const SchedKey&) = default;
  };
  struct ActiveEntry {
    SchedKey key;
    StreamId sid;
    friend auto operator<=>(const ActiveEntry&, const ActiveEntry&) = default;
  };

  struct StreamState {
    absl::btree_map<uint64_t, Pending> queue;  // by message id = arrival order
    size_t buffered = 0;                       // unsent bytes of `queue`
    // RFC 9260 §6.5: "The Stream Sequence Number in all the outgoing streams MUST start from
    // 0". RFC 8260 §2.1: two MID counters per stream, ordered and unordered, initially 0.
    Ssn next_ssn;
    Mid next_ordered_mid;
    Mid next_unordered_mid;
    uint16_t priority = kDefaultStreamPriority;
    uint16_t weight = kDefaultStreamWeight;
    uint64_t paused_after = kNotPaused;  // messages with a larger id do not start
    bool scheduled = false;              // in active_, with `key`
    SchedKey key;
    // Fair queueing: virtual time of the service this stream has received, in bytes scaled by
    // kVirtualScale / weight, and the remainder of that division (so nothing is lost to
    // rounding however small the fragments).
    uint64_t vtag = 0;
    uint64_t vtag_remainder = 0;
  };

  // Priority-policy index order: least important (largest value) first, then oldest first.
  struct PrKey {
    uint16_t priority;
    uint64_t id;
    friend bool operator<(const PrKey& a, const PrKey& b) {
      if (a.priority != b.priority) return a.priority > b.priority;
      return a.id < b.id;
    }
  };

  bool UsesVirtualTime() const;
  bool Eligible(const StreamState& s) const;
  SchedKey ScheduleKey(StreamState& s);
  void Schedule(StreamId sid, StreamState& s);
  void Unschedule(StreamId sid, StreamState& s);
  // Makes active_ membership match Eligible(s); re-keys a scheduled stream if `rekey`.
  void Resync(StreamId sid, StreamState& s, bool rekey);
  std::optional<StreamId> SelectStream();
  void StartMessage(StreamState& s, Pending& m, uint64_t id);

  // Removes a queued message with all its bookkeeping and returns it.
  Pending RemoveMessage(StreamId sid, StreamState& s,
                        absl::btree_map<uint64_t, Pending>::iterator it);
  bool AbandonMessage(uint64_t id, PrPolicy policy);
  void ResyncAll();
  static bool Pristine(const StreamState& s);
  void DebugCheck() const;

  bool interleaved_;
  const StreamScheduler scheduler_;
  uint16_t outbound_streams_;
  const size_t capacity_bytes_;

  uint64_t next_message_id_ = 1;
  size_t buffered_total_ = 0;
  uint64_t bytes_copied_ = 0;
  uint64_t all_paused_after_ = kNotPaused;

  absl::flat_hash_map<StreamId, StreamState> streams_;
  absl::flat_hash_map<uint64_t, StreamId> locator_;  // every queued message -> its stream
  absl::btree_set<ActiveEntry> active_;              // eligible streams, scheduler order
  // Not-started messages with a lifetime, by expiry.
  absl::btree_set<std::pair<TimePoint, uint64_t>> expiry_;
  // Not-started messages under the priority policy -> their size.
  absl::btree_map<PrKey, size_t> pr_index_;

  // DATA mode: the stream whose message is partly produced (RFC 9260 §6.9).
  std::optional<StreamId> data_in_progress_;
  // kRoundRobinPerPacket: the stream chosen for the packet being filled.
  std::optional<StreamId> packet_stream_;
  uint64_t rr_counter_ = 0;  // round-robin turn numbers (also tie-breaks)
  uint64_t vtime_ = 0;       // fair-queueing system virtual time

  std::vector<Abandoned> abandoned_;
};

}  // namespace sctp::tx

#endif  // SCTPCPP_TX_SEND_QUEUE_H_
