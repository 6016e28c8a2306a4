// Per-destination retransmission timeout (RFC 9260 §6.3.1), one instance per peer address
// ("When an endpoint's peer is multi-homed, the endpoint will calculate a separate RTO for
// each different destination transport address of its peer endpoint", §6.3).
//
// Sans-IO: the caller measures the RTT (from a DATA chunk sent once, Karn's rule C5, or a
// HEARTBEAT, §8.3) and feeds it in; the caller owns the T3-rtx timer and asks rto() for its
// duration. All arithmetic is integer microseconds (Duration); nothing reads a clock.
#ifndef SCTPCPP_PATH_RTO_ESTIMATOR_H_
#define SCTPCPP_PATH_RTO_ESTIMATOR_H_

#include <optional>

#include "sctpcpp/options.h"
#include "sctpcpp/time.h"

namespace sctp::path {

class RtoEstimator {
 public:
  // RFC 9260 §16: RTO.Alpha = 1/8, RTO.Beta = 1/4 (as the shifts below).
  static constexpr int kAlphaShift = 3;
  static constexpr int kBetaShift = 2;
  // Clock granularity G of §6.3.1 G1.
  static constexpr Duration kGranularity = Milliseconds(1);

  explicit RtoEstimator(const Options& options);

  // C2 (first measurement) or C3 (later ones), then C6/C7 clamping. A negative sample (a host
  // clock that went backwards) is ignored.
  void OnRttMeasurement(Duration rtt);

  // Current RTO: RTO.Initial until the first measurement (C1), SRTT + 4 * RTTVAR clamped to
  // [RTO.Min, RTO.Max] afterwards, doubled by each BackOff().
  Duration rto() const { return rto_; }

  // §6.3.3 E2: "set RTO = RTO * 2 ('back off the timer'). The maximum value discussed in rule
  // C7 above ('RTO.Max') MAY be used to provide an upper bound to this doubling operation."
  // The next measurement recomputes RTO from SRTT/RTTVAR ("collapsing" it back, §6.3.3).
  void BackOff();

  // Smoothed RTT; nullopt until the first measurement.
  std::optional<Duration> srtt() const { return srtt_; }
  // RTT variation; zero until the first measurement.
  Duration rttvar() const { return rttvar_; }

 private:
  void UpdateRto();

  const Duration rto_min_;
  const Duration rto_max_;
  Duration rto_;
  std::optional<Duration> srtt_;
  Duration rttvar_{0};
};

}  // namespace sctp::path

#endif  // SCTPCPP_PATH_RTO_ESTIMATOR_H_
