#include "rx/data_tracker.h"

#include <algorithm>
#include <iterator>

namespace sctp::rx {
namespace {

// §3.3.4: "Gap Ack Block Start: 16 bits (unsigned integer)", same for End: a block can only
// be reported if its last TSN is at most 65535 above the Cumulative TSN Ack.
constexpr int64_t kMaxGapOffset = 0xFFFF;

}  // namespace

DataTracker::DataTracker(Tsn peer_initial_tsn, uint32_t max_window_tsns)
    : max_window_(std::clamp<uint32_t>(max_window_tsns, 1, kMaxWindowTsns)),
      // §3.3.4: "In the case where no DATA chunk has been received, this value is set to the
      // peer's Initial TSN minus one."
      cum_ack_((peer_initial_tsn - 1).value()) {}

DataTracker::Place DataTracker::Locate(Tsn tsn, int64_t* unwrapped) const {
  const Tsn cum = ToTsn(cum_ack_);
  if (tsn <= cum) return Place::kAtOrBelow;
  // RFC 1982 §3.2: a TSN exactly half the space away is neither above nor below.
  if (!(tsn > cum)) return Place::kUndefined;
  *unwrapped = cum_ack_ + tsn.DistanceFrom(cum);
  return Place::kAbove;
}

void DataTracker::RecordDuplicate(Tsn tsn) {
  // §3.3.4: "Every time a receiver gets a duplicate TSN (before sending the SACK chunk), it
  // adds it to the list of duplicates."
  duplicate_seen_ = true;
  if (duplicates_.size() < kMaxRememberedDuplicates) duplicates_.push_back(tsn);
}

DataTracker::Observation DataTracker::Observe(Tsn tsn) {
  int64_t u = 0;
  switch (Locate(tsn, &u)) {
    case Place::kAtOrBelow:
      RecordDuplicate(tsn);
      return Observation::kDuplicate;
    case Place::kUndefined:
      return Observation::kOutOfWindow;
    case Place::kAbove:
      break;
  }
  // §6.2: DATA outside the receive window is not acknowledged; here the window is counted in
  // TSNs so that a hostile peer cannot make the block map grow without bound.
  if (u - cum_ack_ > max_window_) return Observation::kOutOfWindow;

  // The first block starting above u, and the one before it (which may contain u).
  auto next = blocks_.upper_bound(u);
  const bool has_prev = next != blocks_.begin();
  if (has_prev && std::prev(next)->second >= u) {
    RecordDuplicate(tsn);
    return Observation::kDuplicate;
  }

  if (u == cum_ack_ + 1) {
    // §3.3.4: the cumulative ack is "the last TSN received before a break in the sequence of
    // received TSNs". Blocks all start above cum_ack_ + 1 = u, so only the first one can
    // now be adjacent.
    cum_ack_ = u;
    if (next != blocks_.end() && next->first == u + 1) {
      cum_ack_ = next->second;
      above_cumulative_ -= static_cast<size_t>(next->second - next->first + 1);
      blocks_.erase(next);
    }
    return Observation::kNew;
  }
  ++above_cumulative_;

  const bool joins_prev = has_prev && std::prev(next)->second == u - 1;
  const bool joins_next = next != blocks_.end() && next->first == u + 1;
  if (joins_prev && joins_next) {
    auto prev = std::prev(next);
    prev->second = next->second;
    blocks_.erase(next);
  } else if (joins_prev) {
    std::prev(next)->second = u;
  } else if (joins_next) {
    const int64_t last = next->second;
    blocks_.erase(next);
    blocks_.emplace(u, last);
  } else {
    blocks_.emplace_hint(next, u, u);
  }
  return Observation::kNew;
}

bool DataTracker::IsReceived(Tsn tsn) const {
  int64_t u = 0;
  const Place place = Locate(tsn, &u);
  if (place != Place::kAbove) return place == Place::kAtOrBelow;
  auto next = blocks_.upper_bound(u);
  return next != blocks_.begin() && std::prev(next)->second >= u;
}

bool DataTracker::ForwardTo(Tsn new_cumulative_tsn) {
  int64_t u = 0;
  switch (Locate(new_cumulative_tsn, &u)) {
    case Place::kAtOrBelow:
      // RFC 3758 §3.6: "if the "New Cumulative TSN" value carried in the arrived FORWARD TSN
      // chunk is found to be behind or at the current cumulative TSN point, the data receiver
      // MUST treat this FORWARD TSN as out-of-date and MUST NOT update its Cumulative TSN."
      return true;
    case Place::kUndefined:
      return false;
    case Place::kAbove:
      break;
  }
  if (u - cum_ack_ > max_window_) return false;
  cum_ack_ = u;
  // "... and then MUST further advance its cumulative TSN point locally if possible", and
  // "MUST stop reporting any missing TSNs earlier than or equal to the new cumulative TSN
  // point": blocks at or below it disappear, a block adjacent to it is absorbed. Each block
  // is erased once, so this is amortized O(log n) per block.
  while (!blocks_.empty() && blocks_.begin()->first <= cum_ack_ + 1) {
    cum_ack_ = std::max(cum_ack_, blocks_.begin()->second);
    above_cumulative_ -= static_cast<size_t>(blocks_.begin()->second - blocks_.begin()->first + 1);
    blocks_.erase(blocks_.begin());
  }
  return true;
}

DataTracker::SackInfo DataTracker::BuildSack(size_t max_gap_blocks, size_t max_duplicates) {
  SackInfo info;
  info.cumulative_tsn_ack = ToTsn(cum_ack_);
  info.gap_blocks.reserve(std::min(max_gap_blocks, blocks_.size()));
  for (const auto& [first, last] : blocks_) {
    if (info.gap_blocks.size() >= max_gap_blocks) break;
    // §3.3.4: offsets are 16-bit; blocks further away cannot be expressed (nor can any block
    // after them, since they are in increasing order).
    if (last - cum_ack_ > kMaxGapOffset) break;
    info.gap_blocks.push_back(wire::GapAckBlock{static_cast<uint16_t>(first - cum_ack_),
                                                static_cast<uint16_t>(last - cum_ack_)});
  }
  // §3.3.4: "The duplicate count is reinitialized to zero after sending each SACK chunk."
  const size_t n = std::min(max_duplicates, duplicates_.size());
  info.duplicates.reserve(n);
  for (size_t i = 0; i < n; ++i)
    info.duplicates.push_back(wire::TsnRecord{duplicates_[i]});
  duplicates_.clear();
  duplicate_seen_ = false;
  return info;
}

}  // namespace sctp::rx
