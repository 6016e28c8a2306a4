// The sender's view of the data it has given TSNs to: what is in flight on which destination,
// what the peer acknowledged (RFC 9260 §6.2.1), what must be retransmitted after a gap report
// (§7.2.4) or a T3-rtx expiry (§6.3.3), per-destination congestion control (§7.2), the peer's
// receive window (§6.1, §6.2.1) and PR-SCTP abandonment with the Advanced.Peer.Ack.Point
// (RFC 3758 §3.5, RFC 7496 §3.1).
//
// Sans-IO: the association asks how much it may send (SendableBytes), hands over the
// fragments it sends (Add, TakeRetransmissions), feeds SACKs and timer expiries in, and acts
// on the returned facts (start/stop/restart T3-rtx, RTT samples for its RtoEstimators, fast
// retransmission, SEND_FAILED notifications, FORWARD-TSN). The queue owns no timer and never
// reads a clock.
//
// Byte counts. cwnd, flight size, the peer's rwnd and every "bytes" below count DATA (or
// I-DATA) chunk bytes: chunk header plus user data padded to 4 bytes — §7.2: "When
// calculating one of these variables, the length of the DATA chunk, including the padding,
// SHOULD be used". Using the same unit for rwnd (§6.2.1 says "data size") overstates our use
// of the peer's buffer by the chunk header, which only makes the sender more conservative
// (dcSCTP and Linux do the same); each SACK re-bases rwnd anyway.
//
// Complexity: outstanding chunks are a deque indexed by unwrapped TSN (TSNs are consecutive),
// plus ordered sets (absl::btree_set) of the chunks in each state that a SACK or timer has to
// find: in flight per destination, not yet gap-acked, gap-acked, eligible for a miss
// indication, marked for retransmission. Every event costs O(log n) per chunk whose state
// changes (amortized O(1) for the cumulative ack), plus O(log n) per Gap Ack Block; nothing
// scans the outstanding chunks. CheckInvariants() is the O(n) exception.
#ifndef SCTPCPP_TX_RETRANSMISSION_QUEUE_H_
#define SCTPCPP_TX_RETRANSMISSION_QUEUE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "common/lazy_deque.h"
#include "sctpcpp/options.h"
#include "sctpcpp/time.h"
#include "sctpcpp/types.h"
#include "tx/congestion_control.h"
#include "tx/send_queue.h"
#include "wire/chunks.h"

namespace sctp::tx {

// Index of a peer destination address, assigned by the association.
using PathId = uint32_t;

class RetransmissionQueue {
 public:
  static constexpr size_t kCommonHeaderSize = 12;      // RFC 9260 §3.1
  static constexpr size_t kDataChunkHeaderSize = 16;   // RFC 9260 §3.3.1
  static constexpr size_t kIDataChunkHeaderSize = 20;  // RFC 8260 §2.1

  // `peer_initial_rwnd`: a_rwnd of the peer's INIT/INIT ACK (§6.2.1 A); also every path's
  // initial ssthresh (§7.2.1). `use_forward_tsn`: PR-SCTP negotiated (RFC 3758 §3.3); without
  // it nothing that has a TSN is ever abandoned (RFC 3758 §4.1: once sent, "the message MUST
  // be sent as a normal reliable message"). `use_interleaving`: I-DATA (RFC 8260) — chunk
  // header size, and I-FORWARD-TSN instead of FORWARD-TSN.
  RetransmissionQueue(Tsn my_initial_tsn, uint32_t peer_initial_rwnd, const Options& options,
                      bool use_forward_tsn, bool use_interleaving = false);
  RetransmissionQueue(const RetransmissionQueue&) = delete;
  RetransmissionQueue& operator=(const RetransmissionQueue&) = delete;

  // Creates the path's CongestionControl. `mtu`: largest SCTP packet to that destination
  // (like Options::mtu); the congestion formulas use PMDCS = mtu - common header (§1.3).
  // `ipv6` selects the §7.2.1 initial-window constant (4344 instead of 4404).
  void AddPath(PathId path, size_t mtu, bool ipv6 = false);
  // PMTU discovery changed the path MTU.
  void SetPathMtu(PathId path, size_t mtu);
  bool HasPath(PathId path) const { return paths_.contains(path); }

  // Chunk bytes of a fragment (header + padded user data): the unit of every byte count.
  size_t ChunkSize(const OutgoingFragment& fragment) const;

  // --- sending (the association asks, then sends) ---
  // Chunk bytes of NEW data that may be sent to `path` now: the smaller of
  //  - §6.1 A, the peer's rwnd (a_rwnd minus what is outstanding). When everything sent has
  //    been cumulatively acked and nothing is in flight, at least one PMDCS: rule A's zero
  //    window probe ("A zero window probe SHOULD only be sent when all outstanding DATA chunks
  //    have been cumulatively acknowledged and no DATA chunks are in flight"); once it is
  //    added the budget is 0 again, so exactly one chunk goes out. Its retransmissions follow
  //    T3-rtx with back-off, which is the exponential probe interval §6.1 asks for. (Waiting
  //    one RTO before the first probe is the association's choice.)
  //  - §6.1 B, the path's CongestionControl::Allowance() (cwnd + PMDCS - 1 - flight when
  //    flight < cwnd; one packet after a T3-rtx expiry).
  // Also 0 if the next TSN would be 2^31 - 1 or more above the lowest unacked one (§6.1).
  // Max.Burst (§6.1 D) and silly window avoidance are the association's: they depend on where
  // its send opportunities begin. Subtract the chunk header to get a payload limit.
  size_t SendableBytes(PathId path) const;
  Tsn next_tsn() const { return ToTsn(next_); }
  // Assigns next_tsn() to the fragment, records it in flight on `path` at `now`, reduces the
  // peer's rwnd (§6.2.1 B); returns the TSN. A fragment of a message this queue already
  // abandoned is recorded as abandoned (not in flight); the association should have dropped
  // the rest of such a message with SendQueue::DiscardRemaining.
  Tsn Add(OutgoingFragment fragment, PathId path, TimePoint now);

  struct Retransmission {
    Tsn tsn;
    // Valid until the chunk leaves the queue (a later HandleSack, AbandonExpired, ...).
    const OutgoingFragment* fragment;
  };
  // Chunks marked for retransmission that may go to `path`, lowest TSN first: those marked by
  // fast retransmit (which stay with the destination they were last sent to, §6.4: "an
  // endpoint SHOULD send fast retransmissions to the same destination transport address to
  // which the original data was sent", unless OnPathInactive released them), then those
  // marked by T3-rtx (any path: §6.4 "SHOULD try to retransmit a chunk that timed out to an
  // active destination transport address that is different from the last destination address
  // to which the chunk was sent" — the association picks it). Stops at the first chunk that
  // does not fit in the remaining `max_bytes` (chunk bytes), so the K earliest are sent first
  // (§6.3.3 E3, §7.2.4 step 3). Each is re-recorded in flight on `path` at `now`, its
  // retransmission count incremented; RTT is not measured on it (Karn, §6.3.1 C5). Chunks of
  // messages whose lifetime ended are abandoned instead (RFC 3758 §4.1 TR4) and reported by the
  // next AbandonExpired(). The caller limits max_bytes by cwnd (§6.1 C; use
  // congestion(path).Allowance()) except for the one packet of §7.2.4 step 3.
  std::vector<Retransmission> TakeRetransmissions(PathId path, size_t max_bytes, TimePoint now);
  bool HasRetransmissions() const;
  // Would TakeRetransmissions(path, ...) return anything (given room)?
  bool HasRetransmissions(PathId path) const;

  // --- receiving a SACK (§6.2.1) ---
  struct SackResult {
    bool cumulative_ack_advanced = false;
    // Chunk bytes newly acknowledged (cumulative ack or gap blocks) that were in flight.
    size_t bytes_newly_acked = 0;
    // Karn: only from chunks sent once (and none retransmitted since, §6.3.1 C5), at most one
    // per path per SACK: the highest newly acked TSN of that path.
    std::vector<std::pair<PathId, Duration>> rtt_samples;
    // Chunks were newly marked for fast retransmission (§7.2.4).
    bool fast_retransmit = false;
    // This SACK started Fast Recovery: send the K earliest marked chunks in one packet now,
    // ignoring cwnd (§7.2.4 step 3).
    bool entered_fast_recovery = false;
    // Paths with nothing outstanding any more (stop their T3-rtx, §6.3.2 R2).
    std::vector<PathId> paths_all_acked;
    // Paths with newly acknowledged data (clear their error counters, §8.3: "When an
    // outstanding TSN is acknowledged ..., the endpoint SHOULD clear the error counter of the
    // destination transport address to which the DATA chunk was last sent").
    std::vector<PathId> paths_with_acked_data;
    // Paths whose earliest outstanding TSN this SACK acknowledged while data is still
    // outstanding there: restart T3-rtx with the current RTO (§6.3.2 R3). Restarting on any
    // ack instead would keep postponing the timer of a path whose lowest chunk is lost again
    // while later chunks are gap-acked, so only these should be restarted.
    std::vector<PathId> paths_restart_t3;
    // Paths on which the peer reneged on gap-acked data: start T3-rtx if it is not running
    // (§6.3.2 R4, §6.2.1 D iii).
    std::vector<PathId> paths_reneged;
    // §6.2.1 D i: cum ack older than the last one: discarded.
    bool ignored = false;
    // The SACK acknowledges a TSN that was never sent (also ignored). RFC 9260 §12 (security
    // considerations): "An SCTP implementation MUST abort the association if it receives a
    // SACK chunk acknowledging a TSN that has not been sent."
    bool acks_unsent_tsn = false;
  };
  // `gap_blocks` may be unsorted or overlapping; blocks with start 0 or start > end are
  // skipped. Duplicate TSN reports are not needed here (they only matter to §7.2.2's
  // partial_bytes_acked, and counting them would credit bytes that were not in flight).
  // `reports_gaps` false: a SHUTDOWN's Cumulative TSN Ack (no gap information, so no renege).
  SackResult HandleSack(Tsn cumulative_tsn_ack, uint32_t a_rwnd,
                        const wire::PackedArray<wire::GapAckBlock>& gap_blocks, TimePoint now,
                        bool reports_gaps = true);

  // --- timers ---
  // §6.3.3 T3-rtx expired for `path`: E1 (cwnd/ssthresh of that path), mark every chunk in
  // flight there for retransmission (and the fast-retransmit marks still waiting for that
  // path, which then may go anywhere), E2 is the association's (RtoEstimator::BackOff). Fast
  // Recovery ends (the timeout starts slow start over; Linux does the same). Chunks over
  // their retransmission limit are abandoned (RFC 7496 §3.1; reported by AbandonExpired).
  void HandleT3Expiry(PathId path);
  // §7.2.1: decay the cwnd of a path that has not sent data for `rto` or longer (since the
  // last Add/TakeRetransmissions on it). Cheap; call it before sending on a path.
  void MaybeDecayIdleCwnd(PathId path, TimePoint now, Duration rto);

  // Chunks in flight on `path`, or fast-retransmit marks waiting for it (T3-rtx should run).
  bool HasOutstanding(PathId path) const;
  // Chunk bytes in flight on all paths (§6.1: the "outstanding" data).
  size_t outstanding_bytes() const { return total_flight_; }
  // Nothing unacked: every TSN handed out has been cumulatively acknowledged.
  bool empty() const { return items_.empty(); }
  // Highest TSN acked cumulatively by the peer.
  Tsn cumulative_tsn_ack() const { return ToTsn(cum_); }
  uint32_t peer_rwnd() const { return peer_rwnd_; }
  const CongestionControl& congestion(PathId path) const;
  bool in_fast_recovery() const { return fast_recovery_exit_.has_value(); }
  // Unacked chunks (in flight, marked, gap-acked or abandoned) between the cum ack and
  // next_tsn().
  size_t unacked_chunks() const { return items_.size(); }

  // --- PR-SCTP (RFC 3758 §3.5, RFC 7496) ---
  struct AbandonedMessage {
    uint64_t message_id;
    uint64_t context;
    StreamId stream_id;
    Ppid ppid;
    PrPolicy policy;  // kTtl (lifetime) or kRtx (retransmission limit)
  };
  // Abandons the messages whose lifetime (expires_at) has passed and that still have a chunk
  // the peer has not acknowledged (all their fragments together, A3), and returns them
  // together with those abandoned since the last call for exceeding max_retransmissions
  // (RFC 7496 §3.1, decided when a chunk would be marked for retransmission) or for expiring
  // in TakeRetransmissions. For each, the association reports SEND_FAILED and calls
  // SendQueue::DiscardRemaining; then BuildForwardTsn. Always empty without PR-SCTP.
  std::vector<AbandonedMessage> AbandonExpired(TimePoint now);
  // When the next lifetime of a message here ends (kNever if none, or without PR-SCTP).
  TimePoint NextExpiry() const {
    return !use_forward_tsn_ || expiry_.empty() ? kNever : expiry_.begin()->first;
  }
  // RFC 3758 §3.5 A1: the Advanced.Peer.Ack.Point.
  Tsn advanced_peer_ack_point() const { return ToTsn(adv_peer_ack_); }
  // FORWARD-TSN to send if the Advanced.Peer.Ack.Point is ahead of the cumulative ack (C3):
  // the new cumulative TSN and, per stream, the highest abandoned ordered SSN (C4; DATA) — or
  // for I-DATA the (stream, unordered, MID) list (RFC 8260 §2.3.1); the other list is empty.
  // Sorted by stream. C4: "If the total size of the FORWARD TSN does NOT fit in a single MTU,
  // then the sender of the FORWARD TSN SHOULD lower the Advanced.Peer.Ack.Point to the last TSN
  // that will fit in a single MTU": new_cumulative_tsn is lowered so that the chunk fits the
  // smallest path's PMDCS. The association sends it (F2/F3 timing is its choice) and, per C5,
  // keeps a T3-rtx timer running.
  struct ForwardTsn {
    Tsn new_cumulative_tsn;
    std::vector<wire::ForwardTsnStream> streams;
    std::vector<wire::IForwardTsnStream> istreams;
  };
  std::optional<ForwardTsn> BuildForwardTsn() const;
  // Whether BuildForwardTsn would return a chunk (cheap: no chunk is built).
  bool NeedsForwardTsn() const { return use_forward_tsn_ && adv_peer_ack_ > cum_; }

  // §6.4.1 / §8.2: `path` became inactive: chunks marked for fast retransmission that were
  // waiting for it may now be taken by TakeRetransmissions on any path. (Chunks in flight
  // there are marked when its T3-rtx expires, and T3 marks go to any path anyway.)
  void OnPathInactive(PathId path);

  // Full consistency check, O(n): flight sizes per path equal the bytes of the chunks in
  // flight there and sum to outstanding_bytes(); every chunk is in exactly the index sets of
  // its state; the deque spans cum ack + 1 .. next TSN - 1; the Advanced.Peer.Ack.Point covers
  // only abandoned chunks; message bookkeeping matches. Debug builds run it after every
  // mutating call while the queue holds at most 64 chunks.
  bool CheckInvariants() const { return InvariantViolation().empty(); }
  // The first violated invariant, or "" (for test diagnostics).
  std::string InvariantViolation() const;

 private:
  using Unwrapped = int64_t;  // TSN on a monotonic 64-bit line

  enum class State : uint8_t {
    kInFlight,    // sent (or retransmitted) to `path`, not acked, not marked
    kFastMarked,  // marked for fast retransmission (§7.2.4), waiting for `path` or any path
    kT3Marked,    // marked for retransmission by T3-rtx expiry (§6.3.3), any path
    kAcked,       // acknowledged by a Gap Ack Block (may be reneged, §6.2.1 D iii)
    kAbandoned,   // PR-SCTP: treated as finally acked, waiting for the peer's cum ack
  };

  struct Item {
    OutgoingFragment fragment;
    uint32_t size = 0;  // chunk bytes
    State state = State::kInFlight;
    PathId path = 0;  // destination it was last sent to
    TimePoint sent_at;
    uint32_t transmissions = 0;
    uint8_t misses = 0;               // §7.2.4 miss indications
    bool fast_retransmitted = false;  // §7.2.4 step 5: ineligible for another fast retransmit
    // Highest TSN sent when this chunk was last retransmitted: with repeat_fast_retransmit, a
    // SACK newly acknowledging a higher TSN counts a miss for the retransmission.
    Unwrapped highest_sent_at_retransmission = 0;
    bool fast_any = false;  // kFastMarked, released to any path (OnPathInactive)
    bool tracked = false;   // its message is in messages_ (PR-SCTP)
  };

  struct PathState {
    explicit PathState(CongestionControl c) : cc(c) {}
    CongestionControl cc;
    absl::btree_set<Unwrapped> in_flight;    // kInFlight here
    absl::btree_set<Unwrapped> fast_marked;  // kFastMarked waiting for this path
    std::optional<TimePoint> last_sent;
    // Scratch for HandleSack.
    size_t sack_flight_before = 0;
    size_t sack_acked_bytes = 0;
    bool sack_had_outstanding = false;
    bool sack_newly_acked = false;
    std::optional<Unwrapped> sack_earliest;
    std::optional<Unwrapped> sack_rtt_tsn;
    TimePoint sack_rtt_sent_at;
  };

  // PR-SCTP bookkeeping of a message with a lifetime or a retransmission limit.
  struct MessageInfo {
    std::vector<Unwrapped> tsns;  // every fragment added, ascending
    size_t live = 0;              // fragments still in items_
    bool abandoned = false;
    // The earliest expires_at of its fragments (they normally share one), keying expiry_.
    std::optional<TimePoint> expires_at;
  };

  static Tsn ToTsn(Unwrapped u) { return Tsn(static_cast<uint32_t>(u)); }
  Item& At(Unwrapped u) { return items_[static_cast<size_t>(u - base())]; }
  const Item& At(Unwrapped u) const { return items_[static_cast<size_t>(u - base())]; }
  Unwrapped base() const { return cum_ + 1; }
  PathState& Path(PathId path);
  const PathState& Path(PathId path) const;

  // Index-set membership and flight accounting of an item's state.
  void Detach(Unwrapped u, Item& item);
  // `transmission`: entering kInFlight by (re)sending (ends the path's idle period) rather
  // than by a renege.
  void Attach(Unwrapped u, Item& item, State state, bool transmission = false);
  void AddToRwnd(size_t bytes);
  void TakeFromRwnd(size_t bytes);

  void NoteNewlyAcked(Unwrapped u, const Item& item, SackResult& result, Unwrapped& htna);
  // §7.2.4 step 1 for one chunk (or abandonment when over its retransmission limit). Returns
  // the path whose congestion state the loss concerns.
  void MarkForFastRetransmit(Unwrapped u, std::vector<PathId>& loss_paths, bool& marked);
  bool OverRetransmitLimit(const Item& item) const;
  bool Expired(const Item& item, TimePoint now) const;
  void AbandonMessage(uint64_t message_id, PrPolicy policy);
  void ReleaseItem(const Item& item);  // message bookkeeping when an item leaves items_
  // RFC 3758 §3.5 C2.
  void AdvancePeerAckPoint();
  // Takes one marked chunk for retransmission on `path`; false if it did not fit.
  bool Retransmit(Unwrapped u, PathId path, size_t& remaining, TimePoint now,
                  std::vector<Retransmission>& out);
  void DebugCheck() const;

  const int initial_cwnd_mtus_;
  const uint32_t peer_initial_rwnd_;
  // Whether an in-flight chunk collects §7.2.4 miss indications at all.
  bool Strikable(const Item& item) const { return !item.fast_retransmitted || repeat_fast_rtx_; }

  const bool use_forward_tsn_;
  const bool use_interleaving_;
  const bool repeat_fast_rtx_;

  LazyDeque<Item> items_;   // TSNs cum_ + 1 .. next_ - 1
  Unwrapped next_;          // next TSN to assign
  Unwrapped cum_;           // Cumulative TSN Ack Point
  Unwrapped adv_peer_ack_;  // RFC 3758 Advanced.Peer.Ack.Point
  // Karn (§6.3.1 C5): no RTT sample from TSNs <= this (sent before the last retransmission).
  Unwrapped karn_barrier_;
  std::optional<Unwrapped> fast_recovery_exit_;  // §7.2.4 step 6
  uint32_t peer_rwnd_;
  size_t total_flight_ = 0;

  absl::btree_map<PathId, PathState> paths_;
  absl::btree_set<Unwrapped> unacked_;  // kInFlight, kFastMarked, kT3Marked
  // kInFlight && !fast_retransmitted; kept only without repeat_fast_retransmit (with it,
  // every in-flight chunk is a candidate and the paths' in_flight sets serve).
  absl::btree_set<Unwrapped> strikable_;
  absl::btree_set<Unwrapped> gap_acked_;  // kAcked
  absl::btree_set<Unwrapped> fast_any_;   // kFastMarked && fast_any
  absl::btree_set<Unwrapped> t3_marked_;  // kT3Marked
  size_t fast_marked_on_paths_ = 0;       // sum of PathState::fast_marked sizes

  absl::btree_map<uint64_t, MessageInfo> messages_;
  absl::btree_set<std::pair<TimePoint, uint64_t>> expiry_;  // (expires_at, message id)
  std::vector<AbandonedMessage> abandoned_;                 // not reported yet
};

}  // namespace sctp::tx

#endif  // SCTPCPP_TX_RETRANSMISSION_QUEUE_H_
