// Receive-side TSN bookkeeping: which TSNs have arrived, and what the next SACK says.
//
// RFC 9260 §6.2: "The SCTP endpoint MUST always acknowledge the reception of each valid DATA
// chunk when the DATA chunk received is inside its receive window." The tracker answers, for
// every arriving TSN, whether it is new, a duplicate or outside the window, and builds the
// Cumulative TSN Ack, the Gap Ack Blocks and the Duplicate TSNs of the SACK (§3.3.4).
//
// An arriving TSN is placed relative to the cumulative ack with RFC 1982 serial arithmetic
// (sctp::Tsn), then onto a monotonic 64-bit line; received TSNs above the cumulative ack are
// kept there as disjoint, non-adjacent closed intervals in a B-tree, so each arrival costs
// O(log n) in the number of gaps, whatever the TSN wrap-around.
#ifndef SCTPCPP_RX_DATA_TRACKER_H_
#define SCTPCPP_RX_DATA_TRACKER_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/container/btree_map.h"
#include "sctpcpp/types.h"
#include "wire/chunks.h"

namespace sctp::rx {

class DataTracker {
 public:
  // How many duplicate TSNs are remembered between two SACKs; further ones are counted
  // only by has_new_duplicates() (a SACK cannot carry more than fit a packet anyway).
  static constexpr size_t kMaxRememberedDuplicates = 256;
  // Largest accepted window: comfortably under half the 32-bit TSN space, so that
  // serial-number unwrapping of every TSN kept here is unambiguous (RFC 1982 §3.2).
  static constexpr uint32_t kMaxWindowTsns = 1u << 30;

  // `peer_initial_tsn`: the Initial TSN of the peer's INIT / INIT ACK (§5.1); §3.3.4: "In
  // the case where no DATA chunk has been received, this value is set to the peer's Initial
  // TSN minus one." `max_window_tsns` (clamped to [1, kMaxWindowTsns]): TSNs more than this
  // far above the cumulative ack are refused, bounding memory against hostile peers.
  explicit DataTracker(Tsn peer_initial_tsn, uint32_t max_window_tsns = 1u << 20);

  enum class Observation { kNew, kDuplicate, kOutOfWindow };
  // Records an arriving DATA / I-DATA TSN. Duplicates are remembered for the next SACK.
  Observation Observe(Tsn tsn);

  Tsn cumulative_tsn_ack() const { return ToTsn(cum_ack_); }
  // Some TSN above cumulative_tsn_ack() + 1 has been received (§6.7: report the gap).
  bool has_gaps() const { return !blocks_.empty(); }
  // A duplicate arrived since the last BuildSack() (§6.2: SACK without delay).
  bool has_new_duplicates() const { return duplicate_seen_; }
  // At or below the cumulative ack, or inside a received block.
  bool IsReceived(Tsn tsn) const;

  // RFC 3758 §3.6: "the data receiver MUST first update its cumulative TSN point to the value
  // carried in the FORWARD TSN chunk, and then MUST further advance its cumulative TSN point
  // locally if possible". An out-of-date value (at or behind the cumulative ack) changes
  // nothing and returns true. A value more than max_window_tsns ahead is refused: returns
  // false and changes nothing.
  bool ForwardTo(Tsn new_cumulative_tsn);

  struct SackInfo {
    Tsn cumulative_tsn_ack;
    std::vector<wire::GapAckBlock> gap_blocks;
    std::vector<wire::TsnRecord> duplicates;
  };
  // §3.3.4: gap blocks as offsets from the cumulative ack, in increasing order, at most
  // `max_gap_blocks` (the lowest are kept); the duplicates seen since the previous call, at
  // most `max_duplicates` (the earliest are kept). Clears the duplicate list.
  SackInfo BuildSack(size_t max_gap_blocks, size_t max_duplicates);

  // Number of received blocks above the cumulative ack (including any that a SACK cannot
  // express because they lie more than 65535 TSNs above it).
  size_t gap_block_count() const { return blocks_.size(); }
  // TSNs received above the cumulative ack (held out of order).
  size_t received_above_cumulative() const { return above_cumulative_; }

 private:
  static Tsn ToTsn(int64_t unwrapped) { return Tsn(static_cast<uint32_t>(unwrapped)); }
  // Where `tsn` lies relative to the cumulative ack.
  enum class Place { kAtOrBelow, kUndefined, kAbove };
  Place Locate(Tsn tsn, int64_t* unwrapped) const;
  void RecordDuplicate(Tsn tsn);

  int64_t max_window_;
  // The cumulative TSN ack on a monotonic 64-bit line (its low 32 bits are the TSN).
  int64_t cum_ack_;
  // Received TSNs above cum_ack_ + 1: first -> last (inclusive). Invariants: every first is
  // > cum_ack_ + 1, and two blocks are never adjacent (first of one > last of the previous + 1).
  absl::btree_map<int64_t, int64_t> blocks_;
  size_t above_cumulative_ = 0;  // sum of the blocks' sizes
  // §3.3.4 "Duplicate TSN": every duplicate arrival since the last SACK, in arrival order.
  std::vector<Tsn> duplicates_;
  bool duplicate_seen_ = false;
};

}  // namespace sctp::rx

#endif  // SCTPCPP_RX_DATA_TRACKER_H_
