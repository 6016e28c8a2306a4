#include "tx/send_queue.h"

#include <algorithm>
#include <cassert>
#include <iterator>
#include <utility>

namespace sctp::tx {
namespace {

// Fair-queueing virtual time is kept in bytes * kVirtualScale / weight, so that a weight of
// 65535 still advances the clock by about one unit per byte.
constexpr uint64_t kVirtualScale = uint64_t{1} << 16;
// Shift the virtual clock back to 0 once it passes this (2^46 bytes at weight 1): far from
// overflow, with room for any single increment.
constexpr uint64_t kVirtualRebaseThreshold = uint64_t{1} << 62;

}  // namespace

std::span<const uint8_t> OutgoingFragment::data() const {
  if (message == nullptr) return {};
  return std::span<const uint8_t>(*message).subspan(offset, length);
}

SendQueue::SendQueue(bool interleaved, StreamScheduler scheduler, uint16_t outbound_streams,
                     size_t capacity_bytes)
    : interleaved_(interleaved),
      scheduler_(scheduler),
      outbound_streams_(outbound_streams),
      capacity_bytes_(capacity_bytes) {}

SendQueue::AddResult SendQueue::Add(OutgoingMessage message, uint64_t* message_id_out) {
  const StreamId sid = message.stream_id;
  if (sid.value() >= outbound_streams_) return AddResult::kInvalidStream;
  // RFC 9260 §6.2: "An endpoint SHOULD NOT send a DATA chunk with no user data part."
  if (message.payload.empty()) return AddResult::kEmpty;
  const size_t size = message.payload.size();
  if (size > capacity_bytes_) return AddResult::kTooLarge;
  if (size > capacity_bytes_ - buffered_total_) return AddResult::kBufferFull;

  const uint64_t id = next_message_id_++;
  Pending p;
  p.ppid = message.ppid;
  p.unordered = message.unordered;
  p.immediate_sack = message.immediate_sack;
  // Moving the vector into the shared buffer keeps its heap block: no copy of the payload.
  p.payload = std::make_shared<std::vector<uint8_t>>(std::move(message.payload));
  p.expires_at = message.expires_at;
  p.max_retransmissions = message.max_retransmissions;
  p.pr_priority = message.pr_priority;
  p.context = message.context;
  if (p.expires_at) expiry_.insert({*p.expires_at, id});
  if (p.pr_priority) pr_index_.emplace(PrKey{*p.pr_priority, id}, size);

  StreamState& s = streams_[sid];
  s.queue.emplace_hint(s.queue.end(), id, std::move(p));
  s.buffered += size;
  buffered_total_ += size;
  locator_.emplace(id, sid);
  Resync(sid, s, /*rekey=*/false);
  if (message_id_out != nullptr) *message_id_out = id;
  DebugCheck();
  return AddResult::kOk;
}

std::optional<OutgoingFragment> SendQueue::Produce(TimePoint now, size_t max_payload,
                                                   size_t keep_whole_up_to) {
  if (max_payload == 0) return std::nullopt;
  ExpireUntil(now);
  const std::optional<StreamId> sid = SelectStream();
  if (!sid) {
    DebugCheck();
    return std::nullopt;
  }
  StreamState& s = streams_.find(*sid)->second;
  const auto it = s.queue.begin();
  const uint64_t id = it->first;
  Pending& m = it->second;
  // A message that would fit whole into a packet of its own is not split to fill the rest of
  // this one (fragments cost headers and reassembly; §6.9 fragments what exceeds the PMTU).
  if (m.produced == 0 && m.payload->size() > max_payload && m.payload->size() <= keep_whole_up_to) {
    return std::nullopt;
  }
  if (!m.started) StartMessage(s, m, id);

  const size_t size = m.payload->size();
  const size_t length = std::min(size - m.produced, max_payload);
  OutgoingFragment f;
  f.message_id = id;
  f.stream_id = *sid;
  f.ppid = m.ppid;
  f.unordered = m.unordered;
  // RFC 9260 §6.9 (3): B/E bits 10 on the first fragment, 01 on the last, 00 in between (11
  // for an unfragmented message). RFC 8260 §2.2.2: the same for I-DATA.
  f.beginning = m.produced == 0;
  f.ending = m.produced + length == size;
  // RFC 7053 §5.1: "The application requests to set the I bit of the last DATA chunk of a
  // user message when providing the user message to the SCTP implementation".
  f.immediate_sack = m.immediate_sack && f.ending;
  if (interleaved_) {
    f.mid = m.mid;
    // RFC 8260 §2.1: "The FSN is used to enumerate all fragments of a single user message,
    // starting from 0 and incremented by 1."
    f.fsn = m.next_fsn++;
  } else {
    // RFC 9260 §6.9 (2): "The transmitter assigns the same Stream Sequence Number to each of
    // the DATA chunks."
    f.ssn = m.ssn;
  }
  f.message = m.payload;
  f.offset = m.produced;
  f.length = length;
  f.expires_at = m.expires_at;
  f.max_retransmissions = m.max_retransmissions;
  f.context = m.context;

  m.produced += length;
  s.buffered -= length;
  buffered_total_ -= length;
  if (UsesVirtualTime()) {
    // Fair capacity counts bytes; WFQ counts bytes / weight (RFC 8260 §3.5, §3.6).
    const uint64_t weight =
        scheduler_ == StreamScheduler::kWeightedFairQueueing ? std::max<uint16_t>(s.weight, 1) : 1;
    const uint64_t scaled = static_cast<uint64_t>(length) * kVirtualScale + s.vtag_remainder;
    s.vtag += scaled / weight;
    s.vtag_remainder = scaled % weight;
  }

  bool rekey = false;
  switch (scheduler_) {
    case StreamScheduler::kFirstComeFirstServed:
      rekey = f.ending;  // the stream's key is its head message id
      break;
    case StreamScheduler::kRoundRobin:
    case StreamScheduler::kPriority:
      // RFC 8260 §3.2: a turn is one message with DATA, one chunk with I-DATA.
      rekey = interleaved_ || f.ending;
      break;
    case StreamScheduler::kRoundRobinPerPacket:
      break;  // turns end in OnPacketFinished
    case StreamScheduler::kFairCapacity:
    case StreamScheduler::kWeightedFairQueueing:
      rekey = true;  // the virtual time moved
      break;
  }
  if (f.ending) {
    locator_.erase(id);
    s.queue.erase(it);
    if (!interleaved_) data_in_progress_.reset();
  } else if (!interleaved_) {
    // RFC 9260 §6.9 (2): "The transmitter MUST then assign, in sequence, a separate TSN to
    // each of the DATA chunks in the series": nothing else may come between them.
    data_in_progress_ = *sid;
  }
  Resync(*sid, s, rekey);
  if (vtime_ >= kVirtualRebaseThreshold) RebaseVirtualTime();
  DebugCheck();
  return f;
}

void SendQueue::OnPacketFinished() {
  // RFC 8260 §3.3: round robin "which only switches streams when starting to fill a new
  // packet": the stream that filled this packet goes to the back of the round.
  if (scheduler_ == StreamScheduler::kRoundRobinPerPacket && packet_stream_) {
    const auto it = streams_.find(*packet_stream_);
    if (it != streams_.end() && it->second.scheduled) Resync(it->first, it->second, true);
  }
  packet_stream_.reset();
  DebugCheck();
}

size_t SendQueue::buffered_bytes(StreamId sid) const {
  const auto it = streams_.find(sid);
  return it == streams_.end() ? 0 : it->second.buffered;
}

std::vector<SendQueue::Abandoned> SendQueue::TakeAbandoned() {
  std::vector<Abandoned> out = std::move(abandoned_);
  abandoned_.clear();
  std::stable_sort(out.begin(), out.end(), [](const Abandoned& a, const Abandoned& b) {
    return a.message_id < b.message_id;
  });
  return out;
}

bool SendQueue::DiscardRemaining(uint64_t message_id, PrPolicy policy) {
  // RFC 3758 §3.5 A3: "When a TSN is "abandoned", if it is part of a fragmented message, all
  // other TSN's within that fragmented message MUST be abandoned at the same time." The sent
  // ones are the retransmission queue's; the unsent rest is dropped here, never to get TSNs.
  const bool dropped = AbandonMessage(message_id, policy);
  DebugCheck();
  return dropped;
}

size_t SendQueue::DiscardAll() {
  std::vector<uint64_t> ids;
  ids.reserve(locator_.size());
  for (const auto& [id, sid] : locator_)
    ids.push_back(id);
  std::sort(ids.begin(), ids.end());  // deterministic, oldest first
  for (const uint64_t id : ids)
    AbandonMessage(id, PrPolicy::kNone);
  DebugCheck();
  return ids.size();
}

size_t SendQueue::AbandonForSpace(size_t bytes, uint16_t incoming_priority) {
  // RFC 7496 §3.2: "When storing a user message in the send buffer while there is not enough
  // available space, the SCTP stack at the sender side MAY abandon other user message(s) of the
  // same SCTP association (with the same or a different stream) with a priority lower than the
  // provided one. [...] The algorithm for selecting the message(s) being abandoned is
  // implementation specific." Here: not-started messages only (a started one would need a
  // FORWARD-TSN), least important first, oldest first among equals, and only if enough can
  // be freed (dropping messages and still refusing the new one helps nobody).
  if (bytes == 0) return 0;
  size_t available = 0;
  for (const auto& [key, size] : pr_index_) {
    if (key.priority <= incoming_priority) break;
    available += size;
    if (available >= bytes) break;
  }
  if (available < bytes) return 0;
  size_t freed = 0;
  while (freed < bytes) {
    const auto first = pr_index_.begin();
    freed += first->second;
    AbandonMessage(first->first.id, PrPolicy::kPriority);
  }
  DebugCheck();
  return freed;
}

void SendQueue::ResetStreams(std::span<const StreamId> streams) {
  // RFC 6525 §5.1.2 and §5.2.2: after the reset the SSN of the stream starts again at 0.
  // RFC 8260 §2.3.2: "When an association resets the SSN using the SCTP extension defined in
  // [RFC6525], the two counters (one for the ordered messages, one for the unordered
  // messages) used for the MIDs MUST be reset to 0."
  auto reset = [](StreamState& s) {
    s.next_ssn = Ssn(0);
    s.next_ordered_mid = Mid(0);
    s.next_unordered_mid = Mid(0);
  };
  if (streams.empty()) {
    for (auto it = streams_.begin(); it != streams_.end();) {
      reset(it->second);
      if (Pristine(it->second)) {
        streams_.erase(it++);
      } else {
        ++it;
      }
    }
  } else {
    for (const StreamId sid : streams) {
      const auto it = streams_.find(sid);
      if (it == streams_.end()) continue;  // never used: already at 0
      reset(it->second);
      if (Pristine(it->second)) streams_.erase(it);
    }
  }
  DebugCheck();
}

bool SendQueue::HasPending(StreamId sid) const {
  const auto it = streams_.find(sid);
  return it != streams_.end() && !it->second.queue.empty();
}

void SendQueue::PauseStreams(std::span<const StreamId> streams,
                             std::optional<uint64_t> after_message_id) {
  const uint64_t limit = after_message_id.value_or(0);
  if (streams.empty()) {
    all_paused_after_ = std::min(all_paused_after_, limit);
    ResyncAll();
  } else {
    for (const StreamId sid : streams) {
      StreamState& s = streams_[sid];
      s.paused_after = std::min(s.paused_after, limit);
      Resync(sid, s, false);
    }
  }
  DebugCheck();
}

bool SendQueue::HasUnsent(std::span<const StreamId> streams, uint64_t up_to_message_id) const {
  auto unsent = [&](const StreamState& s) {
    return !s.queue.empty() && s.queue.begin()->first <= up_to_message_id;
  };
  if (streams.empty()) {
    for (const auto& [sid, s] : streams_) {
      if (unsent(s)) return true;
    }
    return false;
  }
  for (const StreamId sid : streams) {
    const auto it = streams_.find(sid);
    if (it != streams_.end() && unsent(it->second)) return true;
  }
  return false;
}

void SendQueue::ResumeStreams(std::span<const StreamId> streams) {
  if (streams.empty()) {
    all_paused_after_ = kNotPaused;
    for (auto& [sid, s] : streams_)
      s.paused_after = kNotPaused;
    ResyncAll();
  } else {
    for (const StreamId sid : streams) {
      const auto it = streams_.find(sid);
      if (it == streams_.end()) continue;
      it->second.paused_after = kNotPaused;
      Resync(sid, it->second, false);
    }
  }
  DebugCheck();
}

bool SendQueue::HasPartiallySentMessage(StreamId sid) const {
  const auto it = streams_.find(sid);
  return it != streams_.end() && !it->second.queue.empty() &&
         it->second.queue.begin()->second.started;
}

bool SendQueue::HasPartiallySentMessage(std::span<const StreamId> streams) const {
  if (streams.empty()) {
    for (const auto& [sid, s] : streams_) {
      if (!s.queue.empty() && s.queue.begin()->second.started) return true;
    }
    return false;
  }
  for (const StreamId sid : streams) {
    if (HasPartiallySentMessage(sid)) return true;
  }
  return false;
}

void SendQueue::SetOutboundStreams(uint16_t count) {
  outbound_streams_ = count;
  std::vector<StreamId> gone;
  for (const auto& [sid, s] : streams_) {
    if (sid.value() >= count) gone.push_back(sid);
  }
  std::sort(gone.begin(), gone.end());  // deterministic report order
  for (const StreamId sid : gone) {
    StreamState& s = streams_.find(sid)->second;
    while (!s.queue.empty())
      AbandonMessage(s.queue.begin()->first, PrPolicy::kNone);
    streams_.erase(sid);
  }
  if (packet_stream_ && packet_stream_->value() >= count) packet_stream_.reset();
  DebugCheck();
}

void SendQueue::SetStreamPriority(StreamId sid, uint16_t priority) {
  auto it = streams_.find(sid);
  if (it == streams_.end()) {
    if (priority == kDefaultStreamPriority) return;  // stays lazy
    it = streams_.try_emplace(sid).first;
  }
  StreamState& s = it->second;
  s.priority = priority;
  if (scheduler_ == StreamScheduler::kPriority && s.scheduled) Resync(sid, s, true);
  DebugCheck();
}

void SendQueue::SetStreamWeight(StreamId sid, uint16_t weight) {
  weight = std::max<uint16_t>(weight, 1);
  auto it = streams_.find(sid);
  if (it == streams_.end()) {
    if (weight == kDefaultStreamWeight) return;
    it = streams_.try_emplace(sid).first;
  }
  // Applies to the service received from now on; the virtual time already earned stays.
  it->second.weight = weight;
  DebugCheck();
}

void SendQueue::RebaseVirtualTime() {
  const uint64_t base = vtime_;
  for (auto& [sid, s] : streams_) {
    const bool was_scheduled = s.scheduled;
    if (was_scheduled) active_.erase(ActiveEntry{s.key, sid});
    s.vtag = s.vtag > base ? s.vtag - base : 0;
    if (was_scheduled) {
      if (UsesVirtualTime()) s.key.primary = s.vtag;
      active_.insert(ActiveEntry{s.key, sid});
    }
  }
  vtime_ = 0;
}

// --- Scheduling ----------------------------------------------------------------------------

bool SendQueue::UsesVirtualTime() const {
  return scheduler_ == StreamScheduler::kFairCapacity ||
         scheduler_ == StreamScheduler::kWeightedFairQueueing;
}

bool SendQueue::Eligible(const StreamState& s) const {
  if (s.queue.empty()) return false;
  // A paused stream finishes the message it has started but starts no new one (beyond the
  // pause point: messages queued before the pause may still start).
  const auto& [id, front] = *s.queue.begin();
  return front.started || id <= std::min(s.paused_after, all_paused_after_);
}

// The order in which the scheduler serves eligible streams (smallest key first).
SendQueue::SchedKey SendQueue::ScheduleKey(StreamState& s) {
  switch (scheduler_) {
    case StreamScheduler::kFirstComeFirstServed:
      // RFC 8260 §3.1: "It just passes through the messages in the order in which they have
      // been delivered by the application. No modification of the order is done at all."
      // Key: the id (arrival number) of the stream's oldest message. The message in progress
      // is the oldest of all, so FCFS never interleaves, with I-DATA either.
      return {s.queue.begin()->first, 0};
    case StreamScheduler::kRoundRobin:
    case StreamScheduler::kRoundRobinPerPacket:
      // RFC 8260 §3.2: "fair scheduling based on the number of user messages by cycling
      // around non-empty stream queues" (DATA); "based on the number of I-DATA chunks" with
      // interleaving. §3.3: the same, switching streams only between packets. Key: the turn
      // number handed out when the stream joined or went to the back of the round.
      return {rr_counter_++, 0};
    case StreamScheduler::kPriority:
      // RFC 8260 §3.4: "Streams having a higher priority will be scheduled first and when
      // multiple streams have the same priority, the scheduling between them is implementation
      // dependent." Strict priority (lower value first), round robin among equals.
      return {s.priority, rr_counter_++};
    case StreamScheduler::kFairCapacity:
    case StreamScheduler::kWeightedFairQueueing:
      // RFC 8260 §3.5: "schedules them in a specific way to maintain an equal capacity for all
      // streams". §3.6: "If the weight of stream S1 is n times the weight of stream S2, the
      // scheduler should assign to stream S1 n times the capacity it assigns to stream S2."
      // Start-time fair queueing: serve the stream whose virtual time (bytes sent, divided by
      // the weight for WFQ) is the smallest. A stream that becomes backlogged joins at the
      // current virtual time rather than with credit banked while it was idle, which would
      // let it starve the others until it caught up. With DATA the unit is a whole message,
      // with I-DATA one fragment, so interleaving gives the finer-grained fairness that §3.6
      // mentions.
      s.vtag = std::max(s.vtag, vtime_);
      return {s.vtag, rr_counter_++};
  }
  return {};
}

void SendQueue::Schedule(StreamId sid, StreamState& s) {
  s.key = ScheduleKey(s);
  s.scheduled = true;
  active_.insert(ActiveEntry{s.key, sid});
}

void SendQueue::Unschedule(StreamId sid, StreamState& s) {
  if (!s.scheduled) return;
  active_.erase(ActiveEntry{s.key, sid});
  s.scheduled = false;
}

void SendQueue::Resync(StreamId sid, StreamState& s, bool rekey) {
  if (!Eligible(s)) {
    Unschedule(sid, s);
    return;
  }
  if (s.scheduled && !rekey) return;
  Unschedule(sid, s);
  Schedule(sid, s);
}

void SendQueue::ResyncAll() {
  // In stream id order: hash-map order differs from run to run (Abseil seeds its hash per
  // process), and the order of (re)scheduling decides round-robin turns. Runs must be
  // reproducible (DESIGN.md: same seed, same run). O(n log n), on global pause/resume only.
  std::vector<StreamId> sids;
  sids.reserve(streams_.size());
  for (const auto& [sid, s] : streams_)
    sids.push_back(sid);
  std::sort(sids.begin(), sids.end());
  for (const StreamId sid : sids)
    Resync(sid, streams_.find(sid)->second, false);
}

std::optional<StreamId> SendQueue::SelectStream() {
  // RFC 9260 §6.9: in DATA mode a started message is finished first, whatever the scheduler.
  if (!interleaved_ && data_in_progress_) return data_in_progress_;
  if (scheduler_ == StreamScheduler::kRoundRobinPerPacket && packet_stream_) {
    // RFC 8260 §3.3: "It bundles only DATA or I-DATA chunks referring to the same stream in a
    // packet." If that stream runs dry, another one fills the rest of the packet rather than
    // leaving it short (as usrsctp does); it becomes the packet's stream.
    const auto it = streams_.find(*packet_stream_);
    if (it != streams_.end() && it->second.scheduled) return packet_stream_;
  }
  if (active_.empty()) return std::nullopt;
  const ActiveEntry& next = *active_.begin();
  if (UsesVirtualTime()) vtime_ = std::max(vtime_, next.key.primary);
  // A DATA message continued from the previous packet does not claim the new packet (above),
  // so a stream whose messages each straddle packets cannot keep the turn forever.
  if (scheduler_ == StreamScheduler::kRoundRobinPerPacket) packet_stream_ = next.sid;
  return next.sid;
}

void SendQueue::StartMessage(StreamState& s, Pending& m, uint64_t id) {
  m.started = true;
  // From now on a lifetime is checked by the retransmission queue (RFC 3758 §4.1 TR4), and the
  // message can no longer be dropped for space without a FORWARD-TSN.
  if (m.expires_at) expiry_.erase({*m.expires_at, id});
  if (m.pr_priority) pr_index_.erase(PrKey{*m.pr_priority, id});
  if (interleaved_) {
    // RFC 8260 §2.1: "The sender uses two counters for each outgoing stream: one for ordered
    // messages and one for unordered messages. All of these counters are independent and
    // initially 0. They are incremented by 1 for each user message."
    m.mid = m.unordered ? s.next_unordered_mid++ : s.next_ordered_mid++;
  } else if (!m.unordered) {
    // RFC 9260 §6.5: "The Stream Sequence Number of an outgoing stream MUST be incremented by
    // 1 for each ordered user message sent on that outgoing stream. In particular, when the
    // Stream Sequence Number reaches the value 65535, the next Stream Sequence Number MUST be
    // set to 0." (Ssn is a 16-bit serial number: the increment wraps.)
    m.ssn = s.next_ssn++;
  } else {
    // RFC 9260 §6.5: "For unordered user messages, the Stream Sequence Number MUST NOT be
    // changed." §6.6: the receiver ignores the field; we send 0.
    m.ssn = Ssn(0);
  }
}

// --- Abandoning ----------------------------------------------------------------------------

void SendQueue::ExpireUntil(TimePoint now) {
  // RFC 3758 §4.1 TR3: "Before assigning a TSN to any message, the SCTP sender MUST evaluate
  // the lifetime of that message. If it is expired, the SCTP sender MUST NOT assign a TSN to
  // that message, but instead, SHOULD issue a notification to the upper layer and abandon the
  // message." TR5 allows evaluating it at any time; all expired ones go now, in O(log n) each.
  while (!expiry_.empty() && expiry_.begin()->first <= now) {
    AbandonMessage(expiry_.begin()->second, PrPolicy::kTtl);
  }
}

SendQueue::Pending SendQueue::RemoveMessage(StreamId sid, StreamState& s,
                                            absl::btree_map<uint64_t, Pending>::iterator it) {
  const uint64_t id = it->first;
  Pending m = std::move(it->second);
  const bool was_head = it == s.queue.begin();
  if (!m.started) {
    if (m.expires_at) expiry_.erase({*m.expires_at, id});
    if (m.pr_priority) pr_index_.erase(PrKey{*m.pr_priority, id});
  }
  const size_t unsent = m.payload->size() - m.produced;
  s.buffered -= unsent;
  buffered_total_ -= unsent;
  locator_.erase(id);
  if (m.started && data_in_progress_ == sid) data_in_progress_.reset();
  s.queue.erase(it);
  bool rekey = false;
  if (was_head) {
    switch (scheduler_) {
      case StreamScheduler::kFirstComeFirstServed:
        rekey = true;  // new head, new arrival number
        break;
      case StreamScheduler::kRoundRobin:
      case StreamScheduler::kPriority:
        rekey = m.started;  // like a message finished: the turn ends
        break;
      default:
        break;
    }
  }
  Resync(sid, s, rekey);
  return m;
}

bool SendQueue::AbandonMessage(uint64_t id, PrPolicy policy) {
  const auto loc = locator_.find(id);
  if (loc == locator_.end()) return false;
  const StreamId sid = loc->second;
  StreamState& s = streams_.find(sid)->second;
  Pending m = RemoveMessage(sid, s, s.queue.find(id));
  Abandoned a{id, sid, m.ppid, m.context, {}, m.produced > 0, policy};
  if (m.produced == 0 && m.payload.use_count() == 1) {
    a.unsent_payload = std::move(*m.payload);  // hand the buffer back as it came in
  } else {
    // Fragments already produced (held by the retransmission queue) share the buffer.
    const auto first = m.payload->begin() + static_cast<std::ptrdiff_t>(m.produced);
    a.unsent_payload.assign(first, m.payload->end());
    bytes_copied_ += a.unsent_payload.size();
  }
  abandoned_.push_back(std::move(a));
  return true;
}

// --- Housekeeping --------------------------------------------------------------------------

bool SendQueue::Pristine(const StreamState& s) {
  return s.queue.empty() && s.paused_after == kNotPaused && s.priority == kDefaultStreamPriority &&
         s.weight == kDefaultStreamWeight && s.next_ssn == Ssn(0) && s.next_ordered_mid == Mid(0) &&
         s.next_unordered_mid == Mid(0);
}

void SendQueue::DebugCheck() const {
#ifndef NDEBUG
  // Every invariant after each public call while the queue holds at most this many messages
  // + streams: the check is linear, and debug builds must stay O(log n) per event beyond that.
  constexpr size_t kDebugCheckLimit = 256;
  if (locator_.size() + streams_.size() <= kDebugCheckLimit) assert(InvariantsHold());
#endif
}

bool SendQueue::InvariantsHold() const {
  size_t total = 0;
  size_t messages = 0;
  size_t scheduled = 0;
  size_t expiring = 0;
  size_t prioritized = 0;
  size_t started_streams = 0;
  for (const auto& [sid, s] : streams_) {
    size_t buffered = 0;
    for (auto it = s.queue.begin(); it != s.queue.end(); ++it) {
      const Pending& m = it->second;
      // RFC 8260 §2.2.2: no interleaving of messages within a stream: only the head started.
      if (m.started && it != s.queue.begin()) return false;
      if (m.started != (m.produced > 0)) return false;
      if (m.payload == nullptr || m.produced >= m.payload->size()) return false;
      buffered += m.payload->size() - m.produced;
      const auto loc = locator_.find(it->first);
      if (loc == locator_.end() || loc->second != sid) return false;
      if (!m.started && m.expires_at) {
        if (!expiry_.contains({*m.expires_at, it->first})) return false;
        ++expiring;
      }
      if (!m.started && m.pr_priority) {
        const auto pr = pr_index_.find(PrKey{*m.pr_priority, it->first});
        if (pr == pr_index_.end() || pr->second != m.payload->size()) return false;
        ++prioritized;
      }
      ++messages;
    }
    if (!s.queue.empty() && s.queue.begin()->second.started) ++started_streams;
    if (buffered != s.buffered) return false;
    total += buffered;
    if (!s.queue.empty() && sid.value() >= outbound_streams_) return false;
    if (s.scheduled != Eligible(s)) return false;
    if (s.scheduled) {
      if (!active_.contains(ActiveEntry{s.key, sid})) return false;
      ++scheduled;
    }
  }
  if (total != buffered_total_ || total > capacity_bytes_) return false;
  if (messages != locator_.size() || scheduled != active_.size()) return false;
  if (expiring != expiry_.size() || prioritized != pr_index_.size()) return false;
  if (!interleaved_) {
    // RFC 9260 §6.9: at most one message is partly sent, and it is the one being continued.
    if (started_streams > 1) return false;
    if ((started_streams == 1) != data_in_progress_.has_value()) return false;
    if (data_in_progress_ && !HasPartiallySentMessage(*data_in_progress_)) return false;
  }
  return true;
}

}  // namespace sctp::tx
