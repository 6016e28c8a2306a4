// Datagram Packetization Layer PMTU Discovery for one path (RFC 8899 §5, as SCTP uses it,
// §6.2): the state machine and search algorithm, sans I/O. The association sends the probes
// (HEARTBEAT + PAD, §6.2.1.2) and reports their acknowledgments; this class decides which size
// to probe when, and what packet size is confirmed.
//
// Sizes are SCTP packet sizes (common header included, IP and UDP headers excluded), always
// multiples of 4.
//
// What is implemented: BASE → SEARCHING → SEARCH_COMPLETE, ERROR when BASE_PLPMTU is not
// confirmed, the PMTU_RAISE_TIMER (§5.1.1: search again after 600 s), MAX_PROBES (3) per size.
// Not implemented: PTB messages (userland sees no ICMP) and black-hole detection (§4.3); the
// PLPMTU only grows from BASE_PLPMTU, so data is never sent larger than a size a probe
// confirmed.
#ifndef SCTPCPP_PATH_PLPMTUD_H_
#define SCTPCPP_PATH_PLPMTUD_H_

#include <cstddef>
#include <optional>

#include "sctpcpp/time.h"

namespace sctp::path {

class Plpmtud {
 public:
  enum class State { kDisabled, kBase, kSearching, kSearchComplete, kError };

  // §5.1.2: MAX_PROBES.
  static constexpr int kMaxProbes = 3;
  // The search stops once the unconfirmed range is smaller than this.
  static constexpr size_t kMinStep = 16;
  // §5.1.1 PMTU_RAISE_TIMER.
  static constexpr Duration kRaiseInterval = Seconds(600);

  // `base`: BASE_PLPMTU; `max`: MAX_PLPMTU (the configured MTU). base is clamped to max.
  Plpmtud(size_t base, size_t max);

  // §6.2.1.1: "A sender can therefore enter the BASE state as soon as connectivity has been
  // confirmed." A BASE_PLPMTU probe is due at once.
  void Start(TimePoint now);

  State state() const { return state_; }
  // The confirmed packet size data may use (BASE_PLPMTU until a probe confirms more).
  size_t plpmtu() const { return plpmtu_; }
  // The size of the probe outstanding or due (PROBED_SIZE).
  size_t probed_size() const { return probed_size_; }

  // When the next probe is due or the outstanding one times out (kNever: nothing to do).
  TimePoint deadline() const { return deadline_; }
  // At deadline(): returns the size of the probe to send now (the association sends it and
  // calls OnProbeSent), after counting an unanswered outstanding probe (§5.2).
  std::optional<size_t> OnDeadline(TimePoint now);
  // `timeout`: the PROBE_TIMER for this probe (§5.1.1: at least 1 s).
  void OnProbeSent(TimePoint now, Duration timeout);
  // A HEARTBEAT ACK for the probe of `size` arrived.
  void OnProbeAcked(size_t size, TimePoint now);

 private:
  void Probe(size_t size, TimePoint now);
  void NextSearchStep(TimePoint now);
  static size_t Align(size_t size) { return size & ~size_t{3}; }

  const size_t base_;
  const size_t max_;
  State state_ = State::kDisabled;
  size_t plpmtu_;
  size_t probed_size_;
  std::optional<size_t> ceiling_;  // smallest size that failed MAX_PROBES times
  int probe_count_ = 0;            // §5.1.3 PROBE_COUNT
  bool outstanding_ = false;
  TimePoint deadline_ = kNever;
};

}  // namespace sctp::path

#endif  // SCTPCPP_PATH_PLPMTUD_H_
