#include "rx/reassembly_queue.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace sctp::rx {
namespace {

// RFC 1982 §3.2 only orders serial numbers less than half the space apart; an SSN (16 bits)
// at or beyond that distance from the next expected one cannot be placed.
constexpr int64_t kSsnWindow = int64_t{1} << 15;
// RFC 8260 §2.1: "the sender MUST NOT have more than 2**31 - 1 ordered messages for each
// outgoing stream in flight"; a margin below that keeps the unwrapping unambiguous.
constexpr int64_t kMidWindow = int64_t{1} << 30;

}  // namespace

ReassemblyQueue::ReassemblyQueue(bool interleaved, size_t partial_delivery_point)
    : interleaved_(interleaved), partial_delivery_point_(partial_delivery_point) {}

ReassemblyQueue::StreamState& ReassemblyQueue::GetOrCreateStream(StreamId stream_id) {
  auto [it, inserted] = streams_.try_emplace(stream_id);
  if (inserted) {
    // RFC 9260 §6.5: "The Stream Sequence Number in all the outgoing streams MUST start from
    // 0"; RFC 8260 §2.1: the MID counters "are independent and initially 0".
    it->second.ssn_unwrapper.Unwrap(Ssn(0));
    it->second.ordered_mid_unwrapper.Unwrap(Mid(0));
    it->second.unordered_mid_unwrapper.Unwrap(Mid(0));
  }
  return it->second;
}

void ReassemblyQueue::Add(Fragment fragment) {
  if (interleaved_) {
    AddInterleaved(fragment);
  } else {
    AddData(fragment);
  }
}

// ---- DATA mode ----

void ReassemblyQueue::AddData(Fragment& f) {
  const int64_t tsn_key = tsn_unwrapper_.Unwrap(f.tsn);
  StreamState& st = GetOrCreateStream(f.stream_id);
  if (f.unordered) {
    AddDataUnordered(st, tsn_key, f);
    return;
  }
  // RFC 9260 §6.6: "an endpoint MUST deliver DATA chunks received with the U flag set to 0
  // to the upper layer according to the order of their Stream Sequence Number". An SSN
  // behind the next expected one was delivered or skipped already; one too far ahead
  // cannot be ordered (RFC 1982).
  const int64_t ssn_key = st.ssn_unwrapper.PeekUnwrap(f.ssn);
  if (ssn_key < st.next_ordered || ssn_key - st.next_ordered >= kSsnWindow ||
      st.ordered_complete.contains(ssn_key)) {
    Discard();
    return;
  }
  st.ssn_unwrapper.Unwrap(f.ssn);
  if (f.beginning && f.ending) {
    if (st.ordered.contains(ssn_key)) {  // fragments of another message claim this SSN
      Discard();
      return;
    }
    buffered_bytes_ += f.payload.size();
    Message m{f.stream_id, f.ppid, false, std::move(f.payload)};
    m.ssn = f.ssn.value();
    m.first_tsn = f.tsn.value();
    st.ordered_complete.emplace(ssn_key, std::move(m));
    Advance(f.stream_id, st);
    return;
  }
  // §6.9 step 2: "The transmitter assigns the same Stream Sequence Number to each of the
  // DATA chunks": fragments are grouped by SSN and placed by TSN.
  auto [it, inserted] = st.ordered.try_emplace(ssn_key);
  if (!InsertPart(it->second, tsn_key, f)) {
    if (inserted) st.ordered.erase(it);
    Discard();
    return;
  }
  AfterChange(f.stream_id, st, /*unordered=*/false, it);
}

void ReassemblyQueue::AddDataUnordered(StreamState& st, int64_t tsn_key, Fragment& f) {
  // RFC 9260 §6.6: "The 'Stream Sequence Number' field in a DATA chunk with U flag set to 1
  // has no significance ... the receiver MUST ignore the field." An unordered message is
  // identified only by its run of consecutive TSNs (§6.9 step 2) from a B to an E fragment.
  const StreamId sid = f.stream_id;
  if (f.beginning && f.ending) {
    buffered_bytes_ += f.payload.size();
    Message m{sid, f.ppid, true, std::move(f.payload)};
    m.first_tsn = f.tsn.value();
    Release(st, std::move(m));
    return;
  }
  if (f.beginning) {
    auto [it, inserted] = st.unordered.try_emplace(tsn_key);
    if (!inserted || !InsertPart(it->second, tsn_key, f)) {
      if (inserted) st.unordered.erase(it);
      Discard();
      return;
    }
    PullOrphans(sid, it->second);
    AfterChange(sid, st, /*unordered=*/true, it);
    return;
  }
  // A middle or last fragment continues the message whose contiguous run ends just before it.
  auto it = st.unordered.upper_bound(tsn_key);
  if (it != st.unordered.begin()) {
    --it;
    Assembly& a = it->second;
    if (a.prefix_end == tsn_key && !a.end_key) {
      if (!InsertPart(a, tsn_key, f)) {
        Discard();
        return;
      }
      PullOrphans(sid, a);
      AfterChange(sid, st, /*unordered=*/true, it);
      return;
    }
  }
  // Its B fragment (or one between) has not arrived: keep it until it does, or until a
  // FORWARD TSN shows that it never will.
  const size_t n = f.payload.size();
  if (!orphans_.try_emplace(tsn_key, Orphan{sid, f.ending, std::move(f.payload)}).second) {
    Discard();
    return;
  }
  buffered_bytes_ += n;
}

void ReassemblyQueue::PullOrphans(StreamId stream_id, Assembly& a) {
  while (!a.end_key) {
    auto o = orphans_.find(a.prefix_end);
    if (o == orphans_.end() || o->second.stream_id != stream_id) break;
    const size_t n = o->second.payload.size();
    a.parts.emplace_hint(a.parts.end(), a.prefix_end, std::move(o->second.payload));
    a.bytes += n;
    a.prefix_bytes += n;
    if (o->second.ending) a.end_key = a.prefix_end;
    ++a.prefix_end;
    orphans_.erase(o);
  }
}

// ---- I-DATA mode ----

void ReassemblyQueue::AddInterleaved(Fragment& f) {
  // RFC 8260 §2.2.3: "the receiver MUST first use the SID to identify the stream, consider
  // the U bit to determine if it is part of an ordered or unordered message, find the user
  // message identified by the MID, and use the FSN for reassembly of the message and not the
  // TSN."
  const StreamId sid = f.stream_id;
  StreamState& st = GetOrCreateStream(sid);
  Unwrapper<Mid>& mids = f.unordered ? st.unordered_mid_unwrapper : st.ordered_mid_unwrapper;
  const int64_t mid_key = mids.PeekUnwrap(f.mid);
  if (f.unordered) {
    if (st.unordered_floor != kNone && mid_key < st.unordered_floor) {
      Discard();  // skipped by an I-FORWARD-TSN
      return;
    }
  } else if (mid_key < st.next_ordered || mid_key - st.next_ordered >= kMidWindow ||
             st.ordered_complete.contains(mid_key)) {
    Discard();  // delivered or skipped already, or too far ahead to order
    return;
  }
  mids.Unwrap(f.mid);
  AssemblyMap& map = f.unordered ? st.unordered : st.ordered;
  if (f.beginning && f.ending) {
    // "a non-fragmented message is indicated by the fact that both the E and B bits are set"
    if (map.contains(mid_key)) {
      Discard();
      return;
    }
    buffered_bytes_ += f.payload.size();
    Message m{sid, f.ppid, f.unordered, std::move(f.payload)};
    m.ssn = static_cast<uint16_t>(f.mid.value());
    if (f.unordered) {
      Release(st, std::move(m));
    } else {
      st.ordered_complete.emplace(mid_key, std::move(m));
      Advance(sid, st);
    }
    return;
  }
  auto [it, inserted] = map.try_emplace(mid_key);
  Assembly& a = it->second;
  if (inserted) a.fsn_unwrapper.Unwrap(Fsn(0));
  // RFC 8260 §2.1: with the B bit "the FSN is implicitly considered to be 0"; the others
  // count up from there ("starting from 0 and incremented by 1"), possibly wrapping.
  const int64_t fsn_key = f.beginning ? 0 : a.fsn_unwrapper.PeekUnwrap(f.fsn);
  if ((!f.beginning && fsn_key <= 0) || !InsertPart(a, fsn_key, f)) {
    if (inserted) map.erase(it);
    Discard();
    return;
  }
  if (!f.beginning) a.fsn_unwrapper.Unwrap(f.fsn);
  AfterChange(sid, st, f.unordered, it);
}

// ---- assemblies ----

bool ReassemblyQueue::InsertPart(Assembly& a, int64_t key, Fragment& f) {
  if (a.parts.contains(key)) return false;            // same position twice
  if (a.has_begin && key < a.next_key) return false;  // before the B, or handed out
  if (a.end_key && key > *a.end_key) return false;    // after the E
  if (f.beginning) {
    if (a.has_begin) return false;                                       // second B
    if (!a.parts.empty() && a.parts.begin()->first < key) return false;  // parts before B
  }
  if (f.ending) {
    if (a.end_key) return false;                                          // second E
    if (!a.parts.empty() && a.parts.rbegin()->first > key) return false;  // parts after E
  }
  const size_t n = f.payload.size();
  a.parts.emplace(key, std::move(f.payload));
  a.bytes += n;
  buffered_bytes_ += n;
  if (f.ending) a.end_key = key;
  if (f.beginning) {
    a.has_begin = true;
    a.ppid = f.ppid;  // DATA: every fragment carries it; I-DATA: only the first one does
    a.next_key = key;
    a.prefix_end = key;
    a.prefix_bytes = 0;
  }
  if (a.has_begin) {
    // Extend the contiguous run from the first part not handed out. Each part is passed over
    // once in its life, so this is amortized O(log n) per fragment.
    for (auto p = a.parts.find(a.prefix_end); p != a.parts.end() && p->first == a.prefix_end; ++p) {
      a.prefix_bytes += p->second.size();
      ++a.prefix_end;
    }
  }
  return true;
}

void ReassemblyQueue::AfterChange(StreamId stream_id, StreamState& st, bool unordered,
                                  AssemblyMap::iterator it) {
  Assembly& a = it->second;
  // DATA: "consecutive TSNs from a B to an E fragment"; I-DATA: FSN 0 .. the E's FSN.
  if (a.has_begin && a.end_key && a.prefix_end > *a.end_key) {
    Finish(stream_id, st, unordered, it);
    return;
  }
  if (!interleaved_) Index(stream_id, unordered, it->first, a);
  MaybeDeliverPiece(stream_id, st, unordered, it);
}

std::vector<uint8_t> ReassemblyQueue::TakeParts(Assembly& a, int64_t from, int64_t to) {
  auto first = a.parts.lower_bound(from);
  auto last = a.parts.lower_bound(to);
  std::vector<uint8_t> out;
  if (first != last && std::next(first) == last) {
    out = std::move(first->second);  // one fragment: no copy
  } else {
    size_t total = 0;
    for (auto p = first; p != last; ++p)
      total += p->second.size();
    out.reserve(total);
    for (auto p = first; p != last; ++p)
      out.insert(out.end(), p->second.begin(), p->second.end());
  }
  a.bytes -= out.size();
  a.parts.erase(first, last);
  return out;
}

void ReassemblyQueue::Finish(StreamId stream_id, StreamState& st, bool unordered,
                             AssemblyMap::iterator it) {
  Assembly& a = it->second;
  const int64_t key = it->first;
  if (!interleaved_) Unindex(stream_id, unordered, key, a);
  const bool was_partial = a.partial_started;
  const uint32_t first_tsn =
      interleaved_ || a.parts.empty() ? 0 : static_cast<uint32_t>(a.parts.begin()->first);
  Message m{stream_id, a.ppid, unordered, TakeParts(a, a.next_key, *a.end_key + 1)};
  m.ssn = (unordered && !interleaved_) ? 0 : static_cast<uint16_t>(key);
  m.first_tsn = first_tsn;
  (unordered ? st.unordered : st.ordered).erase(it);
  if (was_partial) {
    ready_.push_back(Delivery{std::move(m), true});
    if (!unordered) st.next_ordered = key + 1;  // it was the head of its stream
    EndPartial(st);
  } else if (unordered) {
    // RFC 9260 §6.6: "it bypasses the ordering mechanism and immediately deliver the data to
    // the upper layer (after reassembly if the user data is fragmented by the data sender)."
    Release(st, std::move(m));
    return;
  } else {
    st.ordered_complete.emplace(key, std::move(m));
  }
  Advance(stream_id, st);
}

void ReassemblyQueue::MaybeDeliverPiece(StreamId stream_id, StreamState& st, bool unordered,
                                        AssemblyMap::iterator it) {
  if (it == (unordered ? st.unordered : st.ordered).end()) return;
  Assembly& a = it->second;
  // RFC 9260 §6.9: "If the data receiver runs out of buffer space while still waiting for
  // more fragments to complete the reassembly of the message, it SHOULD dispatch part of its
  // inbound message through a partial delivery API"; RFC 6458 §8.1.21 sets the threshold.
  if (!a.has_begin || a.prefix_bytes == 0 || a.prefix_bytes < partial_delivery_point_) return;
  if (!a.partial_started) {
    if (st.partial) {
      // One partially delivered message per stream at a time; try this one when it ends.
      if (unordered) st.unordered_pd_candidates.insert(it->first);
      return;
    }
    // §6.6: an ordered message may only start once all before it were delivered.
    if (!unordered && it->first != st.next_ordered) return;
    a.partial_started = true;
    st.partial = StreamState::PartialRef{unordered, it->first};
  }
  const int64_t end = a.prefix_end;
  const uint32_t first_tsn =
      interleaved_ || a.parts.empty() ? 0 : static_cast<uint32_t>(a.parts.begin()->first);
  Message m{stream_id, a.ppid, unordered, TakeParts(a, a.next_key, end)};
  m.ssn = (unordered && !interleaved_) ? 0 : static_cast<uint16_t>(it->first);
  m.first_tsn = first_tsn;
  a.next_key = end;
  a.prefix_bytes = 0;
  ready_.push_back(Delivery{std::move(m), false});
}

void ReassemblyQueue::DropAssembly(StreamId stream_id, StreamState& st, bool unordered,
                                   AssemblyMap::iterator it, std::vector<StreamId>* aborted,
                                   size_t* counter) {
  Assembly& a = it->second;
  if (!interleaved_) Unindex(stream_id, unordered, it->first, a);
  buffered_bytes_ -= a.bytes;
  *counter += a.parts.size();
  if (a.partial_started) {
    // RFC 3758 §3.6: "In the event that the receiver has invoked the partial delivery API, a
    // notification SHOULD also be generated to inform the upper layer API that the message
    // being partially delivered will NOT be completed."
    if (aborted != nullptr) aborted->push_back(stream_id);
    EndPartial(st);
  }
  (unordered ? st.unordered : st.ordered).erase(it);
}

// ---- delivery ----

void ReassemblyQueue::Release(StreamState& st, Message message) {
  if (st.partial) {
    st.held.push_back(std::move(message));
  } else {
    ready_.push_back(Delivery{std::move(message), true});
  }
}

void ReassemblyQueue::EndPartial(StreamState& st) {
  st.partial.reset();
  for (Message& m : st.held)
    ready_.push_back(Delivery{std::move(m), true});
  st.held.clear();
}

void ReassemblyQueue::Advance(StreamId stream_id, StreamState& st) {
  // §6.6: "If DATA chunks arrive out of order of their Stream Sequence Number, the endpoint
  // MUST hold the received DATA chunks from delivery to the ULP until they are reordered."
  auto c = st.ordered_complete.begin();
  while (c != st.ordered_complete.end() && c->first == st.next_ordered) {
    Release(st, std::move(c->second));
    c = st.ordered_complete.erase(c);
    ++st.next_ordered;
  }
  if (!st.partial) MaybeDeliverPiece(stream_id, st, false, st.ordered.find(st.next_ordered));
  while (!st.partial && !st.unordered_pd_candidates.empty()) {
    const int64_t key = *st.unordered_pd_candidates.begin();
    st.unordered_pd_candidates.erase(st.unordered_pd_candidates.begin());
    MaybeDeliverPiece(stream_id, st, true, st.unordered.find(key));
  }
}

std::optional<ReassemblyQueue::Delivery> ReassemblyQueue::Pop() {
  if (ready_.empty()) return std::nullopt;
  Delivery d = std::move(ready_.front());
  ready_.pop_front();
  buffered_bytes_ -= d.message.payload.size();
  return d;
}

// ---- FORWARD TSN, I-FORWARD-TSN, stream reset ----

void ReassemblyQueue::Index(StreamId stream_id, bool unordered, int64_t key, Assembly& a) {
  // The first TSN this message misses: after its contiguous run from the B fragment, or
  // just before its lowest fragment when the B is missing.
  const int64_t first_missing = a.has_begin ? a.prefix_end : a.parts.begin()->first - 1;
  if (first_missing == a.indexed_first_missing) return;
  Unindex(stream_id, unordered, key, a);
  tsn_index_.insert(TsnIndexEntry{first_missing, stream_id, unordered, key});
  a.indexed_first_missing = first_missing;
}

void ReassemblyQueue::Unindex(StreamId stream_id, bool unordered, int64_t key, Assembly& a) {
  if (a.indexed_first_missing == kNone) return;
  tsn_index_.erase(TsnIndexEntry{a.indexed_first_missing, stream_id, unordered, key});
  a.indexed_first_missing = kNone;
}

void ReassemblyQueue::SkipOrdered(StreamId stream_id, StreamState& st, int64_t last_key,
                                  std::vector<StreamId>* aborted) {
  // RFC 3758 §3.6: "The receiver MUST remove any partially reassembled message, which is
  // still missing one or more TSNs earlier than or equal to the new cumulative TSN point":
  // the sender abandoned every ordered message up to the listed one that is not complete.
  while (!st.ordered.empty() && st.ordered.begin()->first <= last_key) {
    DropAssembly(stream_id, st, /*unordered=*/false, st.ordered.begin(), aborted,
                 &abandoned_fragments_);
  }
  // "... immediately make available for delivery stream sequence numbers earlier than or
  // equal to the stream sequence number listed inside the FORWARD TSN. Any such stranded
  // data SHOULD be made immediately available to the upper layer application."
  auto c = st.ordered_complete.begin();
  while (c != st.ordered_complete.end() && c->first <= last_key) {
    Release(st, std::move(c->second));
    c = st.ordered_complete.erase(c);
  }
  st.next_ordered = last_key + 1;
}

namespace {

void SortUnique(std::vector<StreamId>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

std::vector<StreamId> ReassemblyQueue::HandleForwardTsn(
    Tsn new_cumulative_tsn, std::span<const wire::ForwardTsnStream> streams) {
  std::vector<StreamId> aborted;
  // RFC 8260 §2.3.1: "The FORWARD-TSN chunk MUST be used in combination with the DATA chunk
  // and MUST NOT be used in combination with the I-DATA chunk" (the engine aborts).
  if (interleaved_) return aborted;
  const int64_t cum = tsn_unwrapper_.Unwrap(new_cumulative_tsn);
  std::vector<StreamId> touched;

  // RFC 3758 §3.6: "The receiver MUST remove any partially reassembled message, which is
  // still missing one or more TSNs earlier than or equal to the new cumulative TSN point."
  while (!tsn_index_.empty() && tsn_index_.begin()->first_missing <= cum) {
    const TsnIndexEntry e = *tsn_index_.begin();
    StreamState& st = streams_.find(e.stream_id)->second;
    AssemblyMap& map = e.unordered ? st.unordered : st.ordered;
    DropAssembly(e.stream_id, st, e.unordered, map.find(e.key), &aborted, &abandoned_fragments_);
    touched.push_back(e.stream_id);
  }
  // An orphan at or below cum + 1 misses its predecessor, at or below the new cumulative
  // TSN: it will never complete, nor will the fragments that follow it contiguously.
  while (!orphans_.empty() && orphans_.begin()->first <= cum + 1) {
    auto o = orphans_.begin();
    int64_t key = o->first;
    const StreamId sid = o->second.stream_id;
    while (true) {
      const bool ending = o->second.ending;
      buffered_bytes_ -= o->second.payload.size();
      ++abandoned_fragments_;
      orphans_.erase(o);
      if (ending) break;
      o = orphans_.find(++key);
      if (o == orphans_.end() || o->second.stream_id != sid) break;
    }
  }
  for (const wire::ForwardTsnStream& e : streams) {
    StreamState& st = GetOrCreateStream(e.stream_id);
    const int64_t key = st.ssn_unwrapper.PeekUnwrap(e.ssn);
    if (key < st.next_ordered || key - st.next_ordered >= kSsnWindow) continue;  // out of date
    st.ssn_unwrapper.Unwrap(e.ssn);
    SkipOrdered(e.stream_id, st, key, &aborted);
    touched.push_back(e.stream_id);
  }
  SortUnique(touched);
  for (StreamId sid : touched)
    Advance(sid, streams_.find(sid)->second);
  SortUnique(aborted);
  return aborted;
}

std::vector<StreamId> ReassemblyQueue::HandleIForwardTsn(
    Tsn new_cumulative_tsn, std::span<const wire::IForwardTsnStream> streams) {
  std::vector<StreamId> aborted;
  // RFC 8260 §2.3.1: "The I-FORWARD-TSN chunk MUST be used in combination with the I-DATA
  // chunk and MUST NOT be used in combination with the DATA chunk."
  if (!interleaved_) return aborted;
  // §2.2.3: "The receiver MUST NOT make any assumption about the TSN assignments of the
  // sender", so the new cumulative TSN says nothing about which message a missing fragment
  // belongs to: the (stream, U, MID) entries alone name the abandoned messages.
  (void)new_cumulative_tsn;
  std::vector<StreamId> touched;
  for (const wire::IForwardTsnStream& e : streams) {
    StreamState& st = GetOrCreateStream(e.stream_id);
    if (!e.unordered) {
      // §2.3.1: "For ordered messages, this is similar to the FORWARD-TSN chunk, just
      // replacing the 16-bit SSN by the 32-bit MID."
      const int64_t key = st.ordered_mid_unwrapper.PeekUnwrap(e.mid);
      if (key < st.next_ordered || key - st.next_ordered >= kMidWindow) continue;
      st.ordered_mid_unwrapper.Unwrap(e.mid);
      SkipOrdered(e.stream_id, st, key, &aborted);
    } else {
      // "the largest skipped MID can also be provided for unordered messages": unordered
      // messages up to it that are not complete will not be.
      const int64_t key = st.unordered_mid_unwrapper.PeekUnwrap(e.mid);
      if (st.unordered_floor != kNone && key < st.unordered_floor) continue;
      st.unordered_mid_unwrapper.Unwrap(e.mid);
      while (!st.unordered.empty() && st.unordered.begin()->first <= key) {
        DropAssembly(e.stream_id, st, /*unordered=*/true, st.unordered.begin(), &aborted,
                     &abandoned_fragments_);
      }
      st.unordered_floor = key + 1;
    }
    touched.push_back(e.stream_id);
  }
  SortUnique(touched);
  for (StreamId sid : touched)
    Advance(sid, streams_.find(sid)->second);
  SortUnique(aborted);
  return aborted;
}

void ReassemblyQueue::ResetStreams(std::span<const StreamId> streams) {
  // RFC 6525 §5.2.2 E3: "If no stream numbers are listed in the parameter, then all incoming
  // streams MUST be reset to 0 as the next expected SSN. If specific stream numbers are
  // listed, then only these specific streams MUST be reset to 0". RFC 8260 §2.3.2: "the two
  // counters (one for the ordered messages, one for the unordered messages) used for the
  // MIDs MUST be reset to 0." A stream without state is at 0 already, so resetting one
  // returns it to that lazy default. E2 defers the reset until every TSN the sender
  // assigned before it has arrived, so nothing incomplete should remain; whatever does
  // (a peer breaking E2) belongs to the old numbering and is dropped.
  auto reset = [this](StreamId sid, StreamState& st) {
    while (!st.ordered.empty()) {
      DropAssembly(sid, st, false, st.ordered.begin(), nullptr, &discarded_fragments_);
    }
    while (!st.unordered.empty()) {
      DropAssembly(sid, st, true, st.unordered.begin(), nullptr, &discarded_fragments_);
    }
    for (const auto& [key, m] : st.ordered_complete) {
      buffered_bytes_ -= m.payload.size();
      ++discarded_fragments_;
    }
    EndPartial(st);  // messages already deliverable stay deliverable
  };
  if (streams.empty()) {
    for (auto& [sid, st] : streams_)
      reset(sid, st);
    streams_.clear();
    return;
  }
  for (StreamId sid : streams) {
    auto it = streams_.find(sid);
    if (it == streams_.end()) continue;
    reset(sid, it->second);
    streams_.erase(it);
  }
}

// ---- invariants ----

bool ReassemblyQueue::CheckInvariants() const {
  size_t total = 0;
  for (const Delivery& d : ready_)
    total += d.message.payload.size();
  if (interleaved_ && (!orphans_.empty() || !tsn_index_.empty())) return false;
  for (const auto& [key, o] : orphans_)
    total += o.payload.size();
  size_t indexed = 0;
  for (const auto& [sid, st] : streams_) {
    if (!st.partial && !st.held.empty()) return false;
    for (const Message& m : st.held)
      total += m.payload.size();
    for (const auto& [key, m] : st.ordered_complete) {
      if (key <= st.next_ordered) return false;  // would have been delivered
      total += m.payload.size();
    }
    size_t partials = 0;
    for (const bool unordered : {false, true}) {
      const AssemblyMap& map = unordered ? st.unordered : st.ordered;
      for (const auto& [key, a] : map) {
        if (!unordered && (key < st.next_ordered || st.ordered_complete.contains(key))) {
          return false;
        }
        if (a.parts.empty() && !a.partial_started) return false;
        if (a.partial_started) {
          ++partials;
          if (!st.partial || st.partial->unordered != unordered || st.partial->key != key) {
            return false;
          }
        }
        size_t bytes = 0;
        for (const auto& [pos, payload] : a.parts)
          bytes += payload.size();
        if (bytes != a.bytes) return false;
        if (a.has_begin) {
          if (!a.parts.empty() && a.parts.begin()->first < a.next_key) return false;
          size_t prefix = 0;
          for (int64_t pos = a.next_key; pos < a.prefix_end; ++pos) {
            auto p = a.parts.find(pos);
            if (p == a.parts.end()) return false;
            prefix += p->second.size();
          }
          if (prefix != a.prefix_bytes || a.parts.contains(a.prefix_end)) return false;
          if (a.end_key && a.prefix_end > *a.end_key) return false;  // complete: not finished
        }
        if (a.end_key && !a.parts.empty() && a.parts.rbegin()->first > *a.end_key) return false;
        if (interleaved_) {
          if (a.indexed_first_missing != kNone) return false;
        } else {
          if (!tsn_index_.contains(TsnIndexEntry{a.indexed_first_missing, sid, unordered, key})) {
            return false;
          }
          ++indexed;
        }
        total += a.bytes;
      }
    }
    if (partials != (st.partial ? 1u : 0u)) return false;
  }
  return indexed == tsn_index_.size() && total == buffered_bytes_;
}

}  // namespace sctp::rx
