// Receive-side reassembly and ordered delivery: fragments in, user messages out.
//
// RFC 9260 §6.9: "An endpoint ... MUST support reassembly when receiving DATA chunks. ... Once
// the user message is reassembled, SCTP passes the reassembled user message to the specific
// stream for possible reordering and final dispatching." §6.6: ordered messages are delivered
// in Stream Sequence Number order per stream, unordered ones as soon as they are complete.
// RFC 8260 §2.2.3 does the same for I-DATA with a Message Identifier (MID) per stream and
// direction (ordered / unordered) and a Fragment Sequence Number (FSN) per message.
//
// Layout (every container is an Abseil B-tree or hash map, so each event costs O(log n)):
//   * per stream, created on first use (a 65,535-stream association costs nothing up front):
//     incomplete ordered messages by unwrapped SSN/MID, complete ordered messages waiting
//     for their turn, incomplete unordered messages (DATA: by the TSN of their B fragment;
//     I-DATA: by MID), and the partial-delivery state;
//   * DATA only: fragments of unordered messages whose B fragment is not here yet
//     ("orphans", by TSN), and an index of incomplete DATA messages by their first missing
//     TSN, so that a FORWARD TSN finds what it obsoletes without scanning every stream.
// A message's fragments are concatenated once, when it (or a partial-delivery piece of it)
// is handed out; a single-fragment message is moved, never copied.
#ifndef SCTPCPP_RX_REASSEMBLY_QUEUE_H_
#define SCTPCPP_RX_REASSEMBLY_QUEUE_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "common/lazy_deque.h"
#include "sctpcpp/message.h"
#include "sctpcpp/types.h"
#include "wire/chunks.h"

namespace sctp::rx {

// The user part of one DATA (RFC 9260 §3.3.1) or I-DATA (RFC 8260 §2.1) chunk.
struct Fragment {
  Tsn tsn;
  StreamId stream_id;
  bool unordered = false;
  bool beginning = false;
  bool ending = false;
  Ssn ssn;    // DATA
  Mid mid;    // I-DATA
  Fsn fsn;    // I-DATA; ignored when `beginning` (RFC 8260 §2.1: "the FSN is implicitly ... 0")
  Ppid ppid;  // DATA: every fragment; I-DATA: first fragment only
  std::vector<uint8_t> payload;  // moved in
};

class ReassemblyQueue {
 public:
  // `interleaved`: I-DATA mode (RFC 8260): messages keyed by stream + MID (ordered and
  // unordered MIDs apart), fragments by FSN. Otherwise DATA mode: a message's fragments carry
  // consecutive TSNs (RFC 9260 §6.9 step 2).
  // `partial_delivery_point`: once the leading contiguous part of an incomplete message that
  // may be delivered (the next one of its ordered stream, or an unordered one) holds this
  // many bytes, it is handed out as a piece (RFC 6458 §8.1.21); later pieces follow at the
  // same threshold, the last when the message is complete. SIZE_MAX disables it.
  ReassemblyQueue(bool interleaved, size_t partial_delivery_point);
  ReassemblyQueue(const ReassemblyQueue&) = delete;
  ReassemblyQueue& operator=(const ReassemblyQueue&) = delete;

  // The caller guarantees the TSN is new (DataTracker said kNew). Fragments that cannot be
  // part of a valid message (duplicate position, second B or E, fragment beyond the E or
  // before the B, a message already delivered or skipped) are discarded and counted.
  void Add(Fragment fragment);

  // end_of_message=false: a partial-delivery piece; the next pieces of the same message
  // follow, the last with end_of_message=true. Pieces of one message are never interleaved
  // with other messages of the same stream (other streams' messages may come between them).
  struct Delivery {
    Message message;
    bool end_of_message = true;
  };
  // The next deliverable message or piece, or nullopt.
  std::optional<Delivery> Pop();
  bool has_deliverable() const { return !ready_.empty(); }

  // Payload bytes held: fragments of incomplete messages and deliverable data not yet popped.
  size_t buffered_bytes() const { return buffered_bytes_; }

  // RFC 3758 §3.6 (DATA mode): drops incomplete messages still missing a TSN at or below
  // `new_cumulative_tsn`; for each (stream, ssn), ordered messages up to that SSN are
  // treated as delivered or skipped (complete ones are handed out, incomplete ones dropped),
  // then newly deliverable messages become available. Returns the streams whose partially
  // delivered message was abandoned (for a "partial delivery aborted" event).
  std::vector<StreamId> HandleForwardTsn(Tsn new_cumulative_tsn,
                                         std::span<const wire::ForwardTsnStream> streams);
  // RFC 8260 §2.3.1 (I-DATA mode): the same per (stream, unordered flag, MID).
  std::vector<StreamId> HandleIForwardTsn(Tsn new_cumulative_tsn,
                                          std::span<const wire::IForwardTsnStream> streams);

  // RFC 6525 §5.2.2 E3 / RFC 8260 §2.3.2: the next expected SSN (both MID counters) of these
  // incoming streams (empty span = all) becomes 0. State left over from the old numbering,
  // which a peer deferring the reset as E2 requires cannot leave, is dropped and counted.
  void ResetStreams(std::span<const StreamId> streams);

  // Streams with state (created lazily, only when used).
  size_t stream_state_count() const { return streams_.size(); }
  // Fragments discarded because they could not belong to a valid message.
  size_t discarded_fragments() const { return discarded_fragments_; }
  // Fragments dropped because a FORWARD TSN / I-FORWARD TSN abandoned their message.
  size_t abandoned_fragments() const { return abandoned_fragments_; }

  // O(n) consistency check of every internal structure (tests, debug builds).
  bool CheckInvariants() const;

 private:
  static constexpr int64_t kNone = std::numeric_limits<int64_t>::min();

  // An incomplete message: its fragments not yet handed out, by position (TSN in DATA mode,
  // FSN in I-DATA mode, both unwrapped).
  struct Assembly {
    absl::btree_map<int64_t, std::vector<uint8_t>> parts;
    Unwrapper<Fsn> fsn_unwrapper;  // I-DATA only
    std::optional<int64_t> end_key;
    bool has_begin = false;
    bool partial_started = false;
    // Valid once has_begin: the first position not handed out yet, the first missing
    // position at or after it, and the bytes in between.
    int64_t next_key = 0;
    int64_t prefix_end = 0;
    size_t prefix_bytes = 0;
    size_t bytes = 0;  // all bytes in `parts`
    Ppid ppid;
    int64_t indexed_first_missing = kNone;  // DATA mode: its entry in tsn_index_
  };
  using AssemblyMap = absl::btree_map<int64_t, Assembly>;

  struct StreamState {
    // Ordered: DATA uses SSNs, I-DATA uses MIDs; both unwrapped, next expected first.
    Unwrapper<Ssn> ssn_unwrapper;
    Unwrapper<Mid> ordered_mid_unwrapper;
    int64_t next_ordered = 0;
    AssemblyMap ordered;
    absl::btree_map<int64_t, Message> ordered_complete;
    // Unordered: DATA keys by the TSN of the B fragment, I-DATA by MID.
    Unwrapper<Mid> unordered_mid_unwrapper;
    int64_t unordered_floor = kNone;  // I-DATA: MIDs below were skipped by I-FORWARD-TSN
    AssemblyMap unordered;
    // Unordered messages that reached the partial delivery point while another message of
    // this stream was being partially delivered (may hold stale keys; rechecked on use).
    absl::btree_set<int64_t> unordered_pd_candidates;
    // The message of this stream being partially delivered, and the messages of this stream
    // that became deliverable meanwhile (released, in order, when it ends).
    struct PartialRef {
      bool unordered;
      int64_t key;
    };
    std::optional<PartialRef> partial;
    std::vector<Message> held;
  };

  // DATA mode: an unordered fragment whose B fragment has not arrived.
  struct Orphan {
    StreamId stream_id;
    bool ending = false;
    std::vector<uint8_t> payload;
  };

  // DATA mode: incomplete messages by the first TSN they miss.
  struct TsnIndexEntry {
    int64_t first_missing;
    StreamId stream_id;
    bool unordered;
    int64_t key;
    friend auto operator<=>(const TsnIndexEntry&, const TsnIndexEntry&) = default;
  };

  StreamState& GetOrCreateStream(StreamId stream_id);
  void Discard() { ++discarded_fragments_; }

  void AddData(Fragment& f);
  void AddDataUnordered(StreamState& st, int64_t tsn_key, Fragment& f);
  void AddInterleaved(Fragment& f);

  // Adds one fragment at `key`; returns false (changing nothing) if it conflicts.
  bool InsertPart(Assembly& a, int64_t key, Fragment& f);
  // DATA mode: moves orphans continuing the contiguous run of `a` into it.
  void PullOrphans(StreamId stream_id, Assembly& a);
  // After an assembly gained fragments: finish it, or reindex it and try partial delivery.
  void AfterChange(StreamId stream_id, StreamState& st, bool unordered, AssemblyMap::iterator it);
  void Finish(StreamId stream_id, StreamState& st, bool unordered, AssemblyMap::iterator it);
  // Hands out the leading part of an incomplete message if the rules allow it.
  void MaybeDeliverPiece(StreamId stream_id, StreamState& st, bool unordered,
                         AssemblyMap::iterator it);
  // Removes and concatenates parts [from, to) of `a` (moves when there is one part).
  std::vector<uint8_t> TakeParts(Assembly& a, int64_t from, int64_t to);
  // Drops an incomplete message (abandoned or invalid), adding its fragments to *counter;
  // reports an aborted partial delivery in *aborted (if not null).
  void DropAssembly(StreamId stream_id, StreamState& st, bool unordered, AssemblyMap::iterator it,
                    std::vector<StreamId>* aborted, size_t* counter);
  // Ordered messages up to `last_key` count as delivered or skipped (FORWARD TSN).
  void SkipOrdered(StreamId stream_id, StreamState& st, int64_t last_key,
                   std::vector<StreamId>* aborted);

  void Release(StreamState& st, Message message);
  void EndPartial(StreamState& st);
  // Delivers what became deliverable on this stream: in-order complete messages, then a
  // partial-delivery piece of the ordered head or of an unordered candidate.
  void Advance(StreamId stream_id, StreamState& st);

  void Index(StreamId stream_id, bool unordered, int64_t key, Assembly& a);
  void Unindex(StreamId stream_id, bool unordered, int64_t key, Assembly& a);

  const bool interleaved_;
  const size_t partial_delivery_point_;

  absl::flat_hash_map<StreamId, StreamState> streams_;
  LazyDeque<Delivery> ready_;
  // DATA mode only.
  Unwrapper<Tsn> tsn_unwrapper_;
  absl::btree_map<int64_t, Orphan> orphans_;
  absl::btree_set<TsnIndexEntry> tsn_index_;

  size_t buffered_bytes_ = 0;
  size_t discarded_fragments_ = 0;
  size_t abandoned_fragments_ = 0;
};

}  // namespace sctp::rx

#endif  // SCTPCPP_RX_REASSEMBLY_QUEUE_H_
