#include "tx/retransmission_queue.h"

#include <algorithm>
#include <cassert>
#include <cstdlib>
#include <limits>

namespace sctp::tx {
namespace {

// §7.2.4: "When the third consecutive miss indication is received for one or more TSNs ..."
constexpr uint8_t kFastRetransmitMisses = 3;

// RFC 3758 §3.2 / RFC 8260 §2.3.1: FORWARD-TSN and I-FORWARD-TSN chunk header, entry sizes.
constexpr size_t kForwardTsnHeaderSize = 8;

// §6.1: "The data sender MUST NOT use a TSN that is more than 2^31 - 1 above the beginning TSN
// of the current send window."
constexpr int64_t kMaxTsnWindow = (int64_t{1} << 31) - 1;

size_t Padded(size_t n) {
  return (n + 3) & ~size_t{3};
}

}  // namespace

RetransmissionQueue::RetransmissionQueue(Tsn my_initial_tsn, uint32_t peer_initial_rwnd,
                                         const Options& options, bool use_forward_tsn,
                                         bool use_interleaving)
    : initial_cwnd_mtus_(options.initial_cwnd_mtus),
      peer_initial_rwnd_(peer_initial_rwnd),
      use_forward_tsn_(use_forward_tsn),
      use_interleaving_(use_interleaving),
      repeat_fast_rtx_(options.repeat_fast_retransmit),
      next_(my_initial_tsn.value()),
      cum_(next_ - 1),
      adv_peer_ack_(cum_),
      karn_barrier_(cum_),
      // §6.2.1 A: "At the establishment of the association, the endpoint initializes the rwnd
      // to the Advertised Receiver Window Credit (a_rwnd) the peer specified in the INIT or
      // INIT ACK chunk."
      peer_rwnd_(peer_initial_rwnd) {}

// ---------------------------------------------------------------------------------------------
// Paths

void RetransmissionQueue::AddPath(PathId path, size_t mtu, bool ipv6) {
  const size_t pmdcs = mtu > kCommonHeaderSize ? mtu - kCommonHeaderSize : 1;
  // §7.2.1: "The initial value of ssthresh SHOULD be arbitrarily high (e.g., the size of the
  // largest-possible advertised window)." — the peer's initial a_rwnd.
  paths_.try_emplace(path, CongestionControl(pmdcs, peer_initial_rwnd_, initial_cwnd_mtus_, ipv6));
}

void RetransmissionQueue::SetPathMtu(PathId path, size_t mtu) {
  Path(path).cc.set_mtu(mtu > kCommonHeaderSize ? mtu - kCommonHeaderSize : 1);
}

RetransmissionQueue::PathState& RetransmissionQueue::Path(PathId path) {
  auto it = paths_.find(path);
  // An unknown PathId is a programming error of the association (AddPath first).
  if (it == paths_.end()) std::abort();
  return it->second;
}

const RetransmissionQueue::PathState& RetransmissionQueue::Path(PathId path) const {
  auto it = paths_.find(path);
  if (it == paths_.end()) std::abort();
  return it->second;
}

const CongestionControl& RetransmissionQueue::congestion(PathId path) const {
  return Path(path).cc;
}

bool RetransmissionQueue::HasOutstanding(PathId path) const {
  const PathState& p = Path(path);
  return !p.in_flight.empty() || !p.fast_marked.empty();
}

void RetransmissionQueue::MaybeDecayIdleCwnd(PathId path, TimePoint now, Duration rto) {
  PathState& p = Path(path);
  if (p.last_sent && now > *p.last_sent) p.cc.OnIdle(now - *p.last_sent, rto);
}

// ---------------------------------------------------------------------------------------------
// State bookkeeping

size_t RetransmissionQueue::ChunkSize(const OutgoingFragment& fragment) const {
  // §7.2: "the length of the DATA chunk, including the padding, SHOULD be used."
  return (use_interleaving_ ? kIDataChunkHeaderSize : kDataChunkHeaderSize) +
         Padded(fragment.length);
}

void RetransmissionQueue::AddToRwnd(size_t bytes) {
  const uint64_t sum = uint64_t{peer_rwnd_} + bytes;
  peer_rwnd_ = static_cast<uint32_t>(std::min<uint64_t>(sum, std::numeric_limits<uint32_t>::max()));
}

void RetransmissionQueue::TakeFromRwnd(size_t bytes) {
  peer_rwnd_ = bytes >= peer_rwnd_ ? 0 : static_cast<uint32_t>(peer_rwnd_ - bytes);
}

namespace {
// Erases `u` from `set`. A cumulative ack removes the lowest TSN: then erasing begin() saves
// the lookup.
void EraseTsn(absl::btree_set<int64_t>& set, int64_t u) {
  if (!set.empty() && *set.begin() == u) {
    set.erase(set.begin());
  } else {
    set.erase(u);
  }
}
}  // namespace

void RetransmissionQueue::Detach(Unwrapped u, Item& item) {
  switch (item.state) {
    case State::kInFlight: {
      PathState& p = Path(item.path);
      EraseTsn(p.in_flight, u);
      p.cc.OnLeftFlight(item.size);
      total_flight_ -= item.size;
      EraseTsn(unacked_, u);
      if (!repeat_fast_rtx_) strikable_.erase(u);
      break;
    }
    case State::kFastMarked:
      unacked_.erase(u);
      if (item.fast_any) {
        fast_any_.erase(u);
      } else {
        Path(item.path).fast_marked.erase(u);
        --fast_marked_on_paths_;
      }
      break;
    case State::kT3Marked:
      unacked_.erase(u);
      t3_marked_.erase(u);
      break;
    case State::kAcked:
      gap_acked_.erase(u);
      break;
    case State::kAbandoned:
      break;
  }
}

void RetransmissionQueue::Attach(Unwrapped u, Item& item, State state, bool transmission) {
  item.state = state;
  switch (state) {
    case State::kInFlight: {
      PathState& p = Path(item.path);
      // A first transmission has the highest TSN yet: the end() hint makes those inserts
      // amortized O(1); for any other TSN the hint is checked and ignored.
      p.in_flight.insert(p.in_flight.end(), u);
      if (transmission) {
        p.cc.OnSent(item.size);
      } else {
        p.cc.OnReturnedToFlight(item.size);
      }
      total_flight_ += item.size;
      unacked_.insert(unacked_.end(), u);
      if (!repeat_fast_rtx_ && !item.fast_retransmitted) strikable_.insert(u);
      break;
    }
    case State::kFastMarked:
      unacked_.insert(u);
      if (item.fast_any) {
        fast_any_.insert(u);
      } else {
        Path(item.path).fast_marked.insert(u);
        ++fast_marked_on_paths_;
      }
      break;
    case State::kT3Marked:
      unacked_.insert(u);
      t3_marked_.insert(u);
      break;
    case State::kAcked:
      gap_acked_.insert(u);
      break;
    case State::kAbandoned:
      break;
  }
}

void RetransmissionQueue::ReleaseItem(const Item& item) {
  if (!item.tracked) return;
  auto it = messages_.find(item.fragment.message_id);
  if (it == messages_.end()) return;
  if (--it->second.live == 0) {
    if (it->second.expires_at) expiry_.erase({*it->second.expires_at, it->first});
    messages_.erase(it);
  }
}

// ---------------------------------------------------------------------------------------------
// Sending

size_t RetransmissionQueue::SendableBytes(PathId path) const {
  const PathState& p = Path(path);
  if (next_ - base() >= kMaxTsnWindow) return 0;
  // §6.1 B (and §7.2.1 after a T3-rtx expiry).
  const size_t cwnd_allowance = p.cc.Allowance();
  // §6.1 A: "the data sender MUST NOT transmit new data to any destination transport address
  // if its peer's rwnd indicates that the peer has no buffer space (i.e., rwnd is smaller than
  // the size of the next DATA chunk; see Section 6.2.1), except for zero window probes. ... A
  // zero window probe MUST only be sent when the cwnd allows (see rule B below). A zero window
  // probe SHOULD only be sent when all outstanding DATA chunks have been cumulatively
  // acknowledged and no DATA chunks are in flight."
  size_t rwnd_allowance = peer_rwnd_;
  if (items_.empty()) rwnd_allowance = std::max(rwnd_allowance, p.cc.mtu());
  return std::min(cwnd_allowance, rwnd_allowance);
}

Tsn RetransmissionQueue::Add(OutgoingFragment fragment, PathId path, TimePoint now) {
  PathState& p = Path(path);
  const Unwrapped u = next_++;
  Item& item = items_.emplace_back();
  item.size = static_cast<uint32_t>(ChunkSize(fragment));
  item.fragment = std::move(fragment);
  item.path = path;
  item.sent_at = now;
  item.transmissions = 1;
  p.last_sent = now;

  bool abandoned = false;
  if (use_forward_tsn_ && (item.fragment.expires_at || item.fragment.max_retransmissions)) {
    MessageInfo& info = messages_[item.fragment.message_id];
    info.tsns.push_back(u);
    ++info.live;
    item.tracked = true;
    abandoned = info.abandoned;
    const std::optional<TimePoint>& expires_at = item.fragment.expires_at;
    if (expires_at && !abandoned) {
      if (!info.expires_at || *expires_at < *info.expires_at) {
        if (info.expires_at) expiry_.erase({*info.expires_at, item.fragment.message_id});
        info.expires_at = expires_at;
      }
      // (Again, if AbandonExpired dropped the entry while the message was fully acked.)
      expiry_.insert({*info.expires_at, item.fragment.message_id});
    }
  }
  if (abandoned) {
    // RFC 3758 §3.5 A3: "all other TSN's within that fragmented message MUST be abandoned at
    // the same time" — including one the association produced after the abandonment.
    Attach(u, item, State::kAbandoned);
    AdvancePeerAckPoint();
  } else {
    Attach(u, item, State::kInFlight, /*transmission=*/true);
    // §6.2.1 B: "Any time a DATA chunk is transmitted (or retransmitted) to a peer, the
    // endpoint subtracts the data size of the chunk from the rwnd of that peer."
    TakeFromRwnd(item.size);
  }
  DebugCheck();
  return ToTsn(u);
}

bool RetransmissionQueue::HasRetransmissions() const {
  return !t3_marked_.empty() || !fast_any_.empty() || fast_marked_on_paths_ > 0;
}

bool RetransmissionQueue::HasRetransmissions(PathId path) const {
  return !t3_marked_.empty() || !fast_any_.empty() || !Path(path).fast_marked.empty();
}

bool RetransmissionQueue::Expired(const Item& item, TimePoint now) const {
  return use_forward_tsn_ && item.fragment.expires_at && *item.fragment.expires_at <= now;
}

bool RetransmissionQueue::OverRetransmitLimit(const Item& item) const {
  // RFC 7496 §3.1: "The sender MUST abandon a user message if the number of retransmissions
  // of any of the DATA chunks of the user message would exceed the provided limit." The next
  // retransmission would be number `transmissions`.
  return use_forward_tsn_ && item.fragment.max_retransmissions &&
         item.transmissions > *item.fragment.max_retransmissions;
}

bool RetransmissionQueue::Retransmit(Unwrapped u, PathId path, size_t& remaining, TimePoint now,
                                     std::vector<Retransmission>& out) {
  Item& item = At(u);
  if (item.size > remaining) return false;
  remaining -= item.size;
  Detach(u, item);
  item.path = path;
  item.sent_at = now;
  ++item.transmissions;
  item.misses = 0;
  item.highest_sent_at_retransmission = next_ - 1;
  Attach(u, item, State::kInFlight, /*transmission=*/true);
  TakeFromRwnd(item.size);  // §6.2.1 B
  // §6.3.1 C5: "RTT measurements SHOULD only be made using a DATA chunk with TSN r if no DATA
  // chunk with TSN less than or equal to r was retransmitted since the DATA chunk with TSN r
  // was sent first." Every TSN handed out so far was first sent before this retransmission.
  karn_barrier_ = next_ - 1;
  Path(path).last_sent = now;
  out.push_back({ToTsn(u), &item.fragment});
  return true;
}

std::vector<RetransmissionQueue::Retransmission> RetransmissionQueue::TakeRetransmissions(
    PathId path, size_t max_bytes, TimePoint now) {
  std::vector<Retransmission> out;
  PathState& p = Path(path);
  size_t remaining = max_bytes;
  // Fast-retransmit marks first (waiting for this path or released to any), in TSN order.
  Unwrapped cursor = cum_;
  for (;;) {
    auto a = p.fast_marked.upper_bound(cursor);
    auto b = fast_any_.upper_bound(cursor);
    if (a == p.fast_marked.end() && b == fast_any_.end()) break;
    Unwrapped u;
    if (b == fast_any_.end() || (a != p.fast_marked.end() && *a < *b)) {
      u = *a;
    } else {
      u = *b;
    }
    cursor = u;
    // RFC 3758 §4.1 TR4: "Before transmitting or retransmitting a message for which a TSN is
    // already assigned, the SCTP sender MUST evaluate the lifetime of the message. If the
    // lifetime of the message is expired, the SCTP sender MUST 'abandon' the message".
    if (Expired(At(u), now)) {
      AbandonMessage(At(u).fragment.message_id, PrPolicy::kTtl);
      if (At(u).state == State::kAbandoned) continue;
    }
    if (!Retransmit(u, path, remaining, now, out)) {
      DebugCheck();
      return out;
    }
  }
  // Then T3-rtx marks, in TSN order.
  cursor = cum_;
  for (;;) {
    auto it = t3_marked_.upper_bound(cursor);
    if (it == t3_marked_.end()) break;
    const Unwrapped u = *it;
    cursor = u;
    if (Expired(At(u), now)) {
      AbandonMessage(At(u).fragment.message_id, PrPolicy::kTtl);
      if (At(u).state == State::kAbandoned) continue;
    }
    if (!Retransmit(u, path, remaining, now, out)) break;
  }
  DebugCheck();
  return out;
}

// ---------------------------------------------------------------------------------------------
// SACK

void RetransmissionQueue::NoteNewlyAcked(Unwrapped u, const Item& item, SackResult& result,
                                         Unwrapped& htna) {
  // §7.2.4: "A newly acknowledged DATA chunk is one not previously acknowledged in a SACK
  // chunk."
  htna = std::max(htna, u);
  PathState& p = Path(item.path);
  p.sack_newly_acked = true;
  if (item.state == State::kInFlight) {
    // §7.2.1 "the total size of the previously outstanding DATA chunk(s) acknowledged";
    // chunks already marked for retransmission were no longer counted as outstanding.
    p.sack_acked_bytes += item.size;
    result.bytes_newly_acked += item.size;
  }
  // §6.3.1 C5 (Karn): only chunks sent exactly once, and none retransmitted since they were.
  // C4: at most one measurement per path per SACK — the most recently sent chunk.
  if (item.transmissions == 1 && u > karn_barrier_ && (!p.sack_rtt_tsn || u > *p.sack_rtt_tsn)) {
    p.sack_rtt_tsn = u;
    p.sack_rtt_sent_at = item.sent_at;
  }
}

void RetransmissionQueue::MarkForFastRetransmit(Unwrapped u, std::vector<PathId>& loss_paths,
                                                bool& marked) {
  Item& item = At(u);
  if (item.state != State::kInFlight) return;
  // §7.2.4 step 2 concerns "the destination address(es) to which the missing DATA chunks were
  // last sent"; RFC 3758 §3.5 F5: an abandoned chunk gets "the appropriate congestion
  // adjustment ... if the chunk would have been marked for retransmission".
  if (std::find(loss_paths.begin(), loss_paths.end(), item.path) == loss_paths.end()) {
    loss_paths.push_back(item.path);
  }
  if (OverRetransmitLimit(item)) {
    AbandonMessage(item.fragment.message_id, PrPolicy::kRtx);
    if (item.state == State::kAbandoned) return;
  }
  // §7.2.4 step 1: "Mark the DATA chunk(s) with three miss indications for retransmission."
  // Step 5: "Mark the DATA chunk(s) as being fast retransmitted and thus ineligible for a
  // subsequent Fast Retransmit."
  Detach(u, item);
  item.fast_retransmitted = true;
  item.fast_any = false;
  Attach(u, item, State::kFastMarked);
  // §6.2.1 C: "Any time a DATA chunk is marked for retransmission, either via T3-rtx timer
  // expiration (Section 6.3.3) or via Fast Retransmit (Section 7.2.4), add the data size of
  // those chunks to the rwnd."
  AddToRwnd(item.size);
  marked = true;
}

RetransmissionQueue::SackResult RetransmissionQueue::HandleSack(
    Tsn cumulative_tsn_ack, uint32_t a_rwnd, const wire::PackedArray<wire::GapAckBlock>& gap_blocks,
    TimePoint now, bool reports_gaps) {
  SackResult result;

  // §6.2.1 D i: "If Cumulative TSN Ack is less than the Cumulative TSN Ack Point, then drop the
  // SACK chunk. Since Cumulative TSN Ack is monotonically increasing, a SACK chunk whose
  // Cumulative TSN Ack is less than the Cumulative TSN Ack Point indicates an out-of-order
  // SACK chunk." RFC 3758 §3.5 F4: the comparison is with the Cumulative TSN Ack Point, never
  // the Advanced.Peer.Ack.Point. A distance of 2^31 or more is "less" (or undefined, RFC 1982).
  const uint32_t distance = cumulative_tsn_ack.DistanceFrom(ToTsn(cum_));
  if (distance >= Tsn::kHalf) {
    result.ignored = true;
    return result;
  }
  const Unwrapped new_cum = cum_ + distance;
  const Unwrapped highest_sent = next_ - 1;
  if (new_cum > highest_sent) {
    result.ignored = true;
    result.acks_unsent_tsn = true;
    return result;
  }
  // Normalize the Gap Ack Blocks: absolute, sorted, merged; reject the SACK if one covers a TSN
  // never sent. Gap blocks lower than the (new) cum ack cannot occur (offsets are >= 1).
  std::vector<std::pair<Unwrapped, Unwrapped>> blocks;
  blocks.reserve(gap_blocks.size());
  for (const wire::GapAckBlock block : gap_blocks) {
    if (block.start == 0 || block.start > block.end) continue;  // malformed: skip
    const Unwrapped s = new_cum + block.start;
    const Unwrapped e = new_cum + block.end;
    if (e > highest_sent) {
      result.ignored = true;
      result.acks_unsent_tsn = true;
      return result;
    }
    blocks.emplace_back(s, e);
  }
  std::sort(blocks.begin(), blocks.end());
  {
    size_t w = 0;
    for (size_t r = 0; r < blocks.size(); ++r) {
      if (w > 0 && blocks[r].first <= blocks[w - 1].second + 1) {
        blocks[w - 1].second = std::max(blocks[w - 1].second, blocks[r].second);
      } else {
        blocks[w++] = blocks[r];
      }
    }
    blocks.resize(w);
  }

  // Snapshot per path (for §7.2.1/§7.2.2 "before the arrival of the SACK", R2 and R3).
  for (auto& [id, p] : paths_) {
    p.sack_flight_before = p.cc.flight_size();
    p.sack_acked_bytes = 0;
    p.sack_had_outstanding = !p.in_flight.empty() || !p.fast_marked.empty();
    p.sack_newly_acked = false;
    p.sack_earliest = p.in_flight.empty() ? std::nullopt : std::optional(*p.in_flight.begin());
    p.sack_rtt_tsn.reset();
  }
  const bool in_fast_recovery_on_arrival = fast_recovery_exit_.has_value();
  Unwrapped htna = std::numeric_limits<Unwrapped>::min();

  // The Cumulative TSN Ack: everything up to it is delivered; drop it from the queue.
  result.cumulative_ack_advanced = new_cum > cum_;
  while (cum_ < new_cum) {
    Item& item = items_.front();
    const Unwrapped u = cum_ + 1;
    if (item.state == State::kInFlight || item.state == State::kFastMarked ||
        item.state == State::kT3Marked) {
      NoteNewlyAcked(u, item, result, htna);
    }
    Detach(u, item);
    ReleaseItem(item);
    items_.pop_front();
    ++cum_;
  }

  // Gap Ack Blocks: newly acked chunks become kAcked; they stay until cumulatively acked (§7.1:
  // gap reports are advisory) but are neither in flight nor retransmitted.
  for (const auto& [s, e] : blocks) {
    for (;;) {
      auto it = unacked_.lower_bound(s);
      if (it == unacked_.end() || *it > e) break;
      const Unwrapped u = *it;
      Item& item = At(u);
      NoteNewlyAcked(u, item, result, htna);
      Detach(u, item);
      Attach(u, item, State::kAcked);
    }
  }

  // §7.2.4 note: "Before the above adjustments, if the received SACK chunk also acknowledges
  // new DATA chunks and advances the Cumulative TSN Ack Point, the cwnd adjustment rules
  // defined in Sections 7.2.1 and 7.2.2 MUST be applied first." Slow start is not allowed
  // while in Fast Recovery, judged as the SACK arrived.
  // §7.2.1: "if an endpoint receives a SACK chunk that results in updating the cwnd, then it
  // SHOULD update its cwnd (or cwnds) apportioned to the destination addresses to which it
  // transmitted the acknowledged data."
  for (auto& [id, p] : paths_) {
    if (p.sack_acked_bytes > 0) {
      p.cc.OnBytesAcked(p.sack_acked_bytes, result.cumulative_ack_advanced, p.sack_flight_before,
                        in_fast_recovery_on_arrival);
    }
  }

  // §6.2.1 D iv: "If the Cumulative TSN Ack matches or exceeds the Fast Recovery exit point
  // (Section 7.2.4), Fast Recovery is exited."
  if (fast_recovery_exit_ && cum_ >= *fast_recovery_exit_) fast_recovery_exit_.reset();

  // §7.2.4 miss indications: "Miss indications SHOULD follow the Highest TSN Newly Acknowledged
  // (HTNA) algorithm. For each incoming SACK chunk, miss indications are incremented only for
  // missing TSNs prior to the HTNA in the SACK chunk. ... If an endpoint is in Fast Recovery
  // and a SACK chunks arrives that advances the Cumulative TSN Ack Point, the miss indications
  // are incremented for all TSNs reported missing in the SACK chunk."
  // Missing = in flight, not in any block (everything inside a block is acked by now), below
  // the limit. Chunks already fast retransmitted are not in strikable_ (step 5) unless
  // Options::repeat_fast_retransmit, and a chunk that reaches three indications leaves it.
  std::vector<Unwrapped> to_mark;
  std::optional<Unwrapped> strike_limit;  // exclusive
  if (fast_recovery_exit_ && result.cumulative_ack_advanced) {
    if (!blocks.empty()) strike_limit = blocks.back().second;
  } else if (htna != std::numeric_limits<Unwrapped>::min()) {
    strike_limit = htna;
  }
  auto strike = [&](const absl::btree_set<Unwrapped>& candidates) {
    for (auto it = candidates.upper_bound(cum_); it != candidates.end() && *it < *strike_limit;
         ++it) {
      Item& item = At(*it);
      // Options::repeat_fast_retransmit: a retransmission counts as missing only when data
      // first sent after it has been newly acknowledged.
      if (item.fast_retransmitted && htna <= item.highest_sent_at_retransmission) continue;
      if (item.misses < kFastRetransmitMisses) ++item.misses;
      if (item.misses >= kFastRetransmitMisses) to_mark.push_back(*it);
    }
  };
  if (strike_limit && !repeat_fast_rtx_) {
    strike(strikable_);
  } else if (strike_limit) {
    // Every in-flight chunk is a candidate: walk the paths' own sets (no extra index to
    // maintain per chunk), then restore TSN order.
    for (const auto& [id, p] : paths_)
      strike(p.in_flight);
    if (paths_.size() > 1) std::sort(to_mark.begin(), to_mark.end());
  }

  // §6.2.1 D iii: "If the SACK chunk is missing a TSN that was previously acknowledged via a
  // Gap Ack Block (e.g., the data receiver reneged on the data), then consider the
  // corresponding DATA that might be possibly missing: Count one miss indication towards Fast
  // Retransmit as described in Section 7.2.4, and if no retransmit timer is running for the
  // destination address to which the DATA chunk was originally transmitted, then T3-rtx is
  // started for that destination address." The chunk is outstanding again on the path it was
  // last sent to. Only gap-acked chunks outside every block of this SACK are visited, and each
  // visit moves one out of gap_acked_. Not for a SHUTDOWN's cumulative ack (§9.2: "the
  // receiver of the SHUTDOWN chunk MUST NOT interpret the lack of a Gap Ack Block as a
  // renege").
  if (reports_gaps) {
    Unwrapped lo = cum_ + 1;
    for (size_t i = 0; i <= blocks.size(); ++i) {
      const Unwrapped hi = i < blocks.size() ? blocks[i].first - 1 : highest_sent;
      for (;;) {
        auto it = gap_acked_.lower_bound(lo);
        if (it == gap_acked_.end() || *it > hi) break;
        const Unwrapped u = *it;
        Item& item = At(u);
        Detach(u, item);
        Attach(u, item, State::kInFlight);
        if (std::find(result.paths_reneged.begin(), result.paths_reneged.end(), item.path) ==
            result.paths_reneged.end()) {
          result.paths_reneged.push_back(item.path);
        }
        if (Strikable(item) &&
            !(item.fast_retransmitted && htna <= item.highest_sent_at_retransmission)) {
          if (item.misses < kFastRetransmitMisses) ++item.misses;
          if (item.misses >= kFastRetransmitMisses) to_mark.push_back(u);
        }
      }
      if (i < blocks.size()) lo = blocks[i].second + 1;
    }
  }

  // §7.2.4 steps 1, 2, 5, 6.
  std::vector<PathId> loss_paths;
  bool marked = false;
  for (const Unwrapped u : to_mark) {
    if (u > cum_) MarkForFastRetransmit(u, loss_paths, marked);
  }
  result.fast_retransmit = marked;
  if (!loss_paths.empty() && !fast_recovery_exit_) {
    // Step 2: "If not in Fast Recovery, adjust the ssthresh and cwnd of the destination
    // address(es) to which the missing DATA chunks were last sent, according to the formula
    // described in Section 7.2.3."
    for (const PathId id : loss_paths)
      Path(id).cc.OnFastRetransmit();
    // Step 6: "If not in Fast Recovery, enter Fast Recovery and mark the highest outstanding
    // TSN as the Fast Recovery exit point. ... While in Fast Recovery, the ssthresh and cwnd
    // SHOULD NOT change for any destinations due to a subsequent Fast Recovery event".
    fast_recovery_exit_ = highest_sent;
    result.entered_fast_recovery = true;
  }

  // §6.2.1 D ii: "Set rwnd equal to the newly received a_rwnd minus the number of bytes still
  // outstanding after processing the Cumulative TSN Ack and the Gap Ack Blocks."
  peer_rwnd_ = a_rwnd > total_flight_ ? static_cast<uint32_t>(a_rwnd - total_flight_) : 0;

  // §7.2.2: "When all of the data transmitted by the sender has been acknowledged by the
  // receiver, partial_bytes_acked is initialized to 0."
  if (items_.empty()) {
    for (auto& [id, p] : paths_)
      p.cc.OnAllDataAcked();
  }

  // RFC 3758 §3.5 C1: "If (Advanced.Peer.Ack.Point < SackCumAck), then update
  // Advanced.Peer.Ack.Point to be equal to SackCumAck." C2: advance it over abandoned chunks.
  adv_peer_ack_ = std::max(adv_peer_ack_, cum_);
  AdvancePeerAckPoint();

  for (auto& [id, p] : paths_) {
    const bool has_outstanding = !p.in_flight.empty() || !p.fast_marked.empty();
    if (p.sack_newly_acked) result.paths_with_acked_data.push_back(id);
    if (p.sack_had_outstanding && !has_outstanding) {
      // §6.3.2 R2: "Whenever all outstanding data sent to an address have been acknowledged,
      // turn off the T3-rtx timer of that address."
      result.paths_all_acked.push_back(id);
    } else if (has_outstanding && p.sack_earliest &&
               (*p.sack_earliest <= cum_ || At(*p.sack_earliest).state == State::kAcked)) {
      // §6.3.2 R3: "Whenever a SACK chunk is received that acknowledges the DATA chunk with
      // the earliest outstanding TSN for that address, restart the T3-rtx timer for that
      // address with its current RTO (if there is still outstanding data on that address)."
      result.paths_restart_t3.push_back(id);
    }
    if (p.sack_rtt_tsn) result.rtt_samples.emplace_back(id, now - p.sack_rtt_sent_at);
  }
  DebugCheck();
  return result;
}

// ---------------------------------------------------------------------------------------------
// Timers

void RetransmissionQueue::HandleT3Expiry(PathId path) {
  PathState& p = Path(path);
  // §6.3.3 E1: "For the destination address for which the timer expires, adjust its ssthresh
  // with rules defined in Section 7.2.3 and set cwnd = PMDCS."
  p.cc.OnT3Expiry();
  // A timeout ends Fast Recovery (slow start begins again); RFC 9260 does not say, Linux and
  // TCP (RFC 6582 §3.2 step 6 via RFC 5681) do so, and staying in Fast Recovery would forbid
  // slow start from cwnd = PMDCS until the old exit point is acked.
  fast_recovery_exit_.reset();
  // §6.3.3 E3: "Determine how many of the earliest (i.e., lowest TSN) outstanding DATA chunks
  // for the address for which the T3-rtx has expired will fit into a single SCTP packet ...
  // Bundle and retransmit those K DATA chunks". And: "Any DATA chunks that were sent to the
  // address for which the T3-rtx timer expired but did not fit in an SCTP packet of size
  // smaller than or equal to the PMTU (rule E3 above) SHOULD be marked for retransmission and
  // sent as soon as cwnd allows". All are marked; TakeRetransmissions returns the lowest first.
  while (!p.in_flight.empty()) {
    const Unwrapped u = *p.in_flight.begin();
    Item& item = At(u);
    if (OverRetransmitLimit(item)) {
      // RFC 7496 §3.1; RFC 3758 §3.5 F5 (the congestion adjustment above still applies).
      AbandonMessage(item.fragment.message_id, PrPolicy::kRtx);
      if (item.state == State::kAbandoned) continue;
    }
    Detach(u, item);
    item.misses = 0;
    Attach(u, item, State::kT3Marked);
    AddToRwnd(item.size);  // §6.2.1 C
  }
  // Fast-retransmit marks still waiting for this path have timed out as well: from now on they
  // may go to any destination, like every chunk marked by T3-rtx.
  while (!p.fast_marked.empty()) {
    const Unwrapped u = *p.fast_marked.begin();
    Item& item = At(u);
    Detach(u, item);
    Attach(u, item, State::kT3Marked);
  }
  // RFC 3758 §3.5 A5: "Any time the T3-rtx timer expires, on any destination, the sender
  // SHOULD try to advance the 'Advanced.Peer.Ack.Point' by following the procedures outlined
  // in C2 - C5."
  AdvancePeerAckPoint();
  DebugCheck();
}

void RetransmissionQueue::OnPathInactive(PathId path) {
  PathState& p = Path(path);
  while (!p.fast_marked.empty()) {
    const Unwrapped u = *p.fast_marked.begin();
    Item& item = At(u);
    Detach(u, item);
    item.fast_any = true;
    Attach(u, item, State::kFastMarked);
  }
  DebugCheck();
}

// ---------------------------------------------------------------------------------------------
// PR-SCTP

void RetransmissionQueue::AbandonMessage(uint64_t message_id, PrPolicy policy) {
  auto it = messages_.find(message_id);
  if (it == messages_.end() || it->second.abandoned) return;
  MessageInfo& info = it->second;
  info.abandoned = true;
  const OutgoingFragment* first = nullptr;
  for (const Unwrapped u : info.tsns) {
    if (u <= cum_) continue;
    Item& item = At(u);
    if (first == nullptr) first = &item.fragment;
    if (item.state == State::kAbandoned) continue;
    // RFC 3758 §3.5 A2: "When a data chunk is 'abandoned', the sender MUST treat the data chunk
    // as being finally acked and no longer outstanding." A3: "if it is part of a fragmented
    // message, all other TSN's within that fragmented message MUST be abandoned at the same
    // time." A2 also forbids crediting it to partial_bytes_acked or cwnd: it leaves the
    // flight without going through OnBytesAcked.
    Detach(u, item);
    Attach(u, item, State::kAbandoned);
  }
  if (first != nullptr) {
    abandoned_.push_back({message_id, first->context, first->stream_id, first->ppid, policy});
  }
  if (info.expires_at) expiry_.erase({*info.expires_at, message_id});
  AdvancePeerAckPoint();
}

void RetransmissionQueue::AdvancePeerAckPoint() {
  if (!use_forward_tsn_) return;
  // RFC 3758 §3.5 C2: "Try to further advance the 'Advanced.Peer.Ack.Point' locally, that is,
  // to move 'Advanced.Peer.Ack.Point' up as long as the chunk next in the out-queue space is
  // marked as 'abandoned'". (Not over gap-acked chunks: the peer may still renege on them.)
  adv_peer_ack_ = std::max(adv_peer_ack_, cum_);
  while (adv_peer_ack_ + 1 < next_ && At(adv_peer_ack_ + 1).state == State::kAbandoned) {
    ++adv_peer_ack_;
  }
}

std::vector<RetransmissionQueue::AbandonedMessage> RetransmissionQueue::AbandonExpired(
    TimePoint now) {
  if (use_forward_tsn_) {
    // RFC 3758 §4.1 TR5: "The sending SCTP MAY evaluate the lifetime of messages at anytime."
    while (!expiry_.empty() && expiry_.begin()->first <= now) {
      const uint64_t id = expiry_.begin()->second;
      expiry_.erase(expiry_.begin());
      auto it = messages_.find(id);
      if (it == messages_.end() || it->second.abandoned) continue;
      // A message whose fragments here are all acknowledged reached the peer: nothing to
      // abandon (its unsent rest, if any, is the SendQueue's to expire).
      bool unacked = false;
      for (const Unwrapped u : it->second.tsns) {
        if (u > cum_ && At(u).state != State::kAcked && At(u).state != State::kAbandoned) {
          unacked = true;
          break;
        }
      }
      if (unacked) AbandonMessage(id, PrPolicy::kTtl);
    }
  }
  std::vector<AbandonedMessage> out;
  out.swap(abandoned_);
  DebugCheck();
  return out;
}

std::optional<RetransmissionQueue::ForwardTsn> RetransmissionQueue::BuildForwardTsn() const {
  // RFC 3758 §3.5 C3: "If, after step C1 and C2, the 'Advanced.Peer.Ack.Point' is greater than
  // the Cumulative TSN ACK carried in the received SACK, the data sender MUST send the data
  // receiver a FORWARD TSN chunk containing the latest value of the 'Advanced.Peer.Ack.Point'."
  if (!use_forward_tsn_ || adv_peer_ack_ <= cum_) return std::nullopt;

  // C4 size limit: the chunk must fit the smallest PMDCS.
  size_t max_entries = std::numeric_limits<size_t>::max();
  const size_t entry_size =
      use_interleaving_ ? wire::IForwardTsnStream::kWireSize : wire::ForwardTsnStream::kWireSize;
  for (const auto& [id, p] : paths_) {
    const size_t pmdcs = p.cc.mtu();
    max_entries = std::min(max_entries, pmdcs > kForwardTsnHeaderSize
                                            ? (pmdcs - kForwardTsnHeaderSize) / entry_size
                                            : size_t{0});
  }
  max_entries = std::max<size_t>(max_entries, 1);

  // C4: "For each 'abandoned' TSN, the sender of the FORWARD TSN MUST determine if the chunk
  // has a valid stream and sequence number (i.e., it was ordered). If the chunk has a valid
  // stream and sequence number, the sender MUST include the stream and sequence number in the
  // FORWARD TSN. ... Each stream SHOULD only be reported once; this means that if multiple
  // abandoned messages occur in the same stream, then only the highest abandoned stream
  // sequence number is reported." RFC 8260 §2.3.1: with I-FORWARD-TSN "the principle applied
  // to ordered messages when using FORWARD-TSN chunks is applied to ordered and unordered
  // messages".
  absl::btree_map<StreamId, Ssn> ssns;
  absl::btree_map<std::pair<StreamId, bool>, Mid> mids;
  Unwrapped new_cum = cum_;
  for (Unwrapped u = cum_ + 1; u <= adv_peer_ack_; ++u) {
    const OutgoingFragment& f = At(u).fragment;
    if (use_interleaving_) {
      const std::pair<StreamId, bool> key(f.stream_id, f.unordered);
      auto it = mids.find(key);
      if (it == mids.end()) {
        if (mids.size() == max_entries) break;
        mids.emplace(key, f.mid);
      } else if (it->second < f.mid) {
        it->second = f.mid;
      }
    } else if (!f.unordered) {
      auto it = ssns.find(f.stream_id);
      if (it == ssns.end()) {
        if (ssns.size() == max_entries) break;
        ssns.emplace(f.stream_id, f.ssn);
      } else if (it->second < f.ssn) {
        it->second = f.ssn;
      }
    }
    new_cum = u;
  }
  if (new_cum <= cum_) return std::nullopt;

  ForwardTsn out;
  out.new_cumulative_tsn = ToTsn(new_cum);
  for (const auto& [sid, ssn] : ssns)
    out.streams.push_back({sid, ssn});
  for (const auto& [key, mid] : mids)
    out.istreams.push_back({key.first, key.second, mid});
  return out;
}

// ---------------------------------------------------------------------------------------------
// Invariants

void RetransmissionQueue::DebugCheck() const {
#ifndef NDEBUG
  // Every invariant after each mutating public call while the queue holds at most this many
  // chunks (the check is linear).
  constexpr size_t kDebugCheckLimit = 64;
  if (items_.size() <= kDebugCheckLimit) assert(CheckInvariants());
#endif
}

std::string RetransmissionQueue::InvariantViolation() const {
  if (static_cast<Unwrapped>(items_.size()) != next_ - base()) return "deque size != TSN span";
  if (adv_peer_ack_ < cum_ || adv_peer_ack_ >= next_) return "adv peer ack point out of range";
  if (karn_barrier_ >= next_) return "karn barrier beyond next TSN";
  if (fast_recovery_exit_ && (*fast_recovery_exit_ <= cum_ || *fast_recovery_exit_ >= next_)) {
    return "fast recovery exit point out of range";
  }

  absl::btree_map<PathId, size_t> flight;
  absl::btree_map<PathId, size_t> in_flight_count;
  absl::btree_map<PathId, size_t> fast_count;
  absl::btree_map<uint64_t, size_t> live;
  size_t total = 0, unacked = 0, strikable = 0, acked = 0, fast_any = 0, t3 = 0;
  for (size_t i = 0; i < items_.size(); ++i) {
    const Unwrapped u = base() + static_cast<Unwrapped>(i);
    const Item& item = items_[i];
    if (!paths_.contains(item.path)) return "item on unknown path";
    const PathState& p = paths_.find(item.path)->second;
    if (item.transmissions == 0) return "item never transmitted";
    if (item.tracked) ++live[item.fragment.message_id];
    if (u <= adv_peer_ack_ && item.state != State::kAbandoned) {
      return "non-abandoned chunk below adv peer ack point";
    }
    switch (item.state) {
      case State::kInFlight:
        flight[item.path] += item.size;
        ++in_flight_count[item.path];
        total += item.size;
        ++unacked;
        if (!p.in_flight.contains(u) || !unacked_.contains(u)) return "in-flight chunk not indexed";
        if (!repeat_fast_rtx_) {
          if (!item.fast_retransmitted != strikable_.contains(u)) return "strikable set mismatch";
          if (!item.fast_retransmitted) ++strikable;
        }
        break;
      case State::kFastMarked:
        ++unacked;
        if (!unacked_.contains(u)) return "fast-marked chunk not in unacked set";
        if (item.fast_any) {
          ++fast_any;
          if (!fast_any_.contains(u)) return "released fast mark not indexed";
        } else {
          ++fast_count[item.path];
          if (!p.fast_marked.contains(u)) return "fast mark not indexed on its path";
        }
        break;
      case State::kT3Marked:
        ++unacked;
        ++t3;
        if (!t3_marked_.contains(u) || !unacked_.contains(u)) return "T3 mark not indexed";
        break;
      case State::kAcked:
        ++acked;
        if (!gap_acked_.contains(u)) return "gap-acked chunk not indexed";
        break;
      case State::kAbandoned:
        break;
    }
  }
  if (unacked != unacked_.size()) return "unacked set size";
  if (strikable != strikable_.size()) return "strikable set size";
  if (acked != gap_acked_.size()) return "gap-acked set size";
  if (fast_any != fast_any_.size()) return "released fast mark set size";
  if (t3 != t3_marked_.size()) return "T3 mark set size";
  if (total != total_flight_) return "total flight != bytes of chunks in flight";
  size_t cc_total = 0, fast_total = 0;
  for (const auto& [id, p] : paths_) {
    const auto f = flight.find(id);
    const size_t expected = f == flight.end() ? 0 : f->second;
    if (p.cc.flight_size() != expected) return "path flight size != bytes in flight there";
    const auto c = in_flight_count.find(id);
    if (p.in_flight.size() != (c == in_flight_count.end() ? 0 : c->second)) {
      return "path in-flight set size";
    }
    const auto fc = fast_count.find(id);
    if (p.fast_marked.size() != (fc == fast_count.end() ? 0 : fc->second)) {
      return "path fast-mark set size";
    }
    cc_total += p.cc.flight_size();
    fast_total += p.fast_marked.size();
  }
  if (cc_total != total_flight_) return "path flight sizes do not sum to outstanding bytes";
  if (fast_total != fast_marked_on_paths_) return "fast mark counter";
  if (live.size() != messages_.size()) return "message bookkeeping: message count";
  for (const auto& [id, info] : messages_) {
    const auto l = live.find(id);
    if (l == live.end() || l->second != info.live) return "message bookkeeping: live fragments";
  }
  for (const auto& [at, id] : expiry_) {
    if (!messages_.contains(id)) return "expiry entry without message";
  }
  return "";
}

}  // namespace sctp::tx
