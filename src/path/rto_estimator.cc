#include "path/rto_estimator.h"

#include <algorithm>

namespace sctp::path {
namespace {

Duration Abs(Duration d) {
  return d < Duration::zero() ? -d : d;
}

}  // namespace

// RFC 9260 §6.3.1 C1: "Until an RTT measurement has been made for a packet sent to the given
// destination transport address, set RTO to the protocol parameter 'RTO.Initial'."
RtoEstimator::RtoEstimator(const Options& options)
    : rto_min_(options.rto_min),
      rto_max_(std::max(options.rto_max, options.rto_min)),
      rto_(options.rto_initial) {}

void RtoEstimator::OnRttMeasurement(Duration rtt) {
  if (rtt < Duration::zero()) return;
  if (!srtt_) {
    // C2: "When the first RTT measurement R is made, perform:
    //        SRTT = R
    //        RTTVAR = R/2
    //        RTO = SRTT + 4 * RTTVAR"
    srtt_ = rtt;
    rttvar_ = rtt / 2;
  } else {
    // C3: "RTTVAR = (1 - RTO.Beta) * RTTVAR + RTO.Beta * |SRTT - R'|
    //      SRTT = (1 - RTO.Alpha) * SRTT + RTO.Alpha * R'
    //      Note: The value of SRTT used in the update to RTTVAR is its value before updating
    //      SRTT itself using the second assignment."
    const Duration deviation = Abs(*srtt_ - rtt);
    rttvar_ = (rttvar_ * ((1 << kBetaShift) - 1) + deviation) / (1 << kBetaShift);
    srtt_ = (*srtt_ * ((1 << kAlphaShift) - 1) + rtt) / (1 << kAlphaShift);
  }
  // G1: "Whenever RTTVAR is computed, if RTTVAR == 0, then adjust RTTVAR = G." Our clock counts
  // microseconds but the granularity we assume is G = 1 ms, so a variation below G (which a
  // clock of granularity G reads as 0) is raised to G as well; this keeps RTTVAR monotone in
  // its inputs instead of jumping from a few microseconds to G when it decays to exactly 0.
  rttvar_ = std::max(rttvar_, kGranularity);
  UpdateRto();
}

void RtoEstimator::UpdateRto() {
  // C3: "After the computation, update: RTO = SRTT + 4 * RTTVAR"
  Duration rto = *srtt_ + 4 * rttvar_;
  // C6: "Whenever RTO is computed, if it is less than 'RTO.Min' seconds, then it is rounded up
  // to 'RTO.Min' seconds."
  // C7: "A maximum value MAY be placed on RTO, provided it is at least 'RTO.Max' seconds."
  rto_ = std::clamp(rto, rto_min_, rto_max_);
}

void RtoEstimator::BackOff() {
  // §6.3.3 E2; doubling saturates at RTO.Max (also guards the multiplication).
  rto_ = rto_ >= rto_max_ / 2 ? std::max(rto_, rto_max_) : rto_ * 2;
}

}  // namespace sctp::path
