#include "path/plpmtud.h"

#include <algorithm>

namespace sctp::path {

Plpmtud::Plpmtud(size_t base, size_t max)
    : base_(Align(std::min(base, max))), max_(Align(max)), plpmtu_(base_), probed_size_(base_) {}

void Plpmtud::Start(TimePoint now) {
  // §5.2 BASE: "On entry, the PROBED_SIZE is set to the BASE_PLPMTU size, and the PROBE_COUNT
  // is set to zero."
  state_ = State::kBase;
  plpmtu_ = base_;
  ceiling_.reset();
  probe_count_ = 0;
  Probe(base_, now);
}

void Plpmtud::Probe(size_t size, TimePoint now) {
  probed_size_ = size;
  outstanding_ = false;
  deadline_ = now;  // due: OnDeadline hands it out
}

std::optional<size_t> Plpmtud::OnDeadline(TimePoint now) {
  if (deadline_ > now || state_ == State::kDisabled) return std::nullopt;
  if (state_ == State::kSearchComplete) {
    // §5.2: "DPLPMTUD remains in this state until either the PMTU_RAISE_TIMER expires";
    // then it searches again, above what it has.
    state_ = State::kSearching;
    ceiling_.reset();
    probe_count_ = 0;
    NextSearchStep(now);
    if (state_ == State::kSearchComplete) return std::nullopt;
    return probed_size_;
  }
  if (outstanding_) {
    // §5.2: "When a probe packet is sent and not acknowledged within the period of the
    // PROBE_TIMER, the PROBE_COUNT is incremented, and a new probe packet is transmitted."
    outstanding_ = false;
    if (++probe_count_ >= kMaxProbes) {
      probe_count_ = 0;
      if (state_ == State::kBase || state_ == State::kError) {
        // §5.2 BASE: "The state is also left when the PROBE_COUNT reaches MAX_PROBES ... This
        // causes the PL sender to enter the ERROR state." Data keeps BASE_PLPMTU (no smaller
        // size is probed); BASE is probed again after the raise interval.
        state_ = State::kError;
        deadline_ = now + kRaiseInterval;
        return std::nullopt;
      }
      // SEARCHING: this size does not pass; look below it.
      ceiling_ = probed_size_;
      NextSearchStep(now);
      if (state_ == State::kSearchComplete) return std::nullopt;
    }
  }
  return probed_size_;
}

void Plpmtud::OnProbeSent(TimePoint now, Duration timeout) {
  outstanding_ = true;
  // §5.1.1: the PROBE_TIMER "MUST NOT be smaller than 1 second".
  deadline_ = now + std::max(timeout, Seconds(1));
}

void Plpmtud::OnProbeAcked(size_t size, TimePoint now) {
  if (!outstanding_ || size != probed_size_) return;  // an old probe's late answer
  outstanding_ = false;
  probe_count_ = 0;
  switch (state_) {
    case State::kBase:
    case State::kError:
      // §5.2: BASE_PLPMTU confirmed: SEARCHING.
      state_ = State::kSearching;
      plpmtu_ = std::max(plpmtu_, size);
      NextSearchStep(now);
      break;
    case State::kSearching:
      // §5.2 SEARCHING: "Each time a probe packet is acknowledged, the PROBE_COUNT is set to
      // zero, the PLPMTU is set to the PROBED_SIZE, and then the PROBED_SIZE is increased".
      plpmtu_ = std::max(plpmtu_, size);
      NextSearchStep(now);
      break;
    case State::kDisabled:
    case State::kSearchComplete:
      break;
  }
}

void Plpmtud::NextSearchStep(TimePoint now) {
  // §5.3 leaves the algorithm open: MAX_PLPMTU first (most paths carry it), then a binary
  // search between the confirmed size and the smallest size that failed.
  const size_t upper = ceiling_.value_or(max_ + kMinStep);
  if (plpmtu_ >= max_ || upper <= plpmtu_ + kMinStep) {
    // §5.2: "a probe of size MAX_PLPMTU is acknowledged" or nothing worth probing is left.
    state_ = State::kSearchComplete;
    outstanding_ = false;
    deadline_ = now + kRaiseInterval;
    return;
  }
  const size_t next = ceiling_ ? Align(plpmtu_ + (*ceiling_ - plpmtu_) / 2) : max_;
  Probe(next, now);
}

}  // namespace sctp::path
