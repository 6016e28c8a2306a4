#include "tx/congestion_control.h"

#include <algorithm>
#include <cassert>

namespace sctp::tx {
namespace {

size_t InitialCwnd(size_t mtu, int initial_cwnd_mtus, bool ipv6) {
  // RFC 9260 §7.2.1: "The initial cwnd before data transmission MUST be set to min(4 * PMDCS,
  // max(2 * PMDCS, 4404)) bytes if the peer address is an IPv4 address and to min(4 * PMDCS,
  // max(2 * PMDCS, 4344)) bytes if the peer address is an IPv6 address."
  const size_t cap =
      ipv6 ? CongestionControl::kInitialWindowCapIpv6 : CongestionControl::kInitialWindowCapIpv4;
  const size_t rfc = std::min(4 * mtu, std::max(2 * mtu, cap));
  const size_t configured = static_cast<size_t>(std::max(initial_cwnd_mtus, 1)) * mtu;
  // Options::initial_cwnd_mtus: "more is used only when asked for" (above the RFC's 4);
  // fewer is always allowed (§7.2: "it might be beneficial for an SCTP sender to be more
  // conservative than the algorithms allow").
  return initial_cwnd_mtus > 4 ? configured : std::min(rfc, configured);
}

}  // namespace

CongestionControl::CongestionControl(size_t mtu, uint32_t initial_ssthresh, int initial_cwnd_mtus,
                                     bool ipv6)
    : mtu_(mtu), cwnd_(InitialCwnd(mtu, initial_cwnd_mtus, ipv6)), ssthresh_(initial_ssthresh) {}

void CongestionControl::OnSent(size_t bytes) {
  flight_size_ += bytes;
  idle_rtos_applied_ = 0;
  idle_ssthresh_set_ = false;
}

void CongestionControl::OnLeftFlight(size_t bytes) {
  assert(bytes <= flight_size_);
  flight_size_ -= std::min(bytes, flight_size_);
}

size_t CongestionControl::Allowance() const {
  if (one_packet_limit_) return flight_size_ == 0 ? mtu_ : 0;
  // §6.1 B: below cwnd, up to cwnd + (PMDCS - 1) in total; at or above cwnd, nothing.
  if (flight_size_ >= cwnd_) return 0;
  return cwnd_ + mtu_ - 1 - flight_size_;
}

void CongestionControl::OnBytesAcked(size_t bytes_acked, bool cum_ack_advanced,
                                     size_t flight_size_before, bool in_fast_recovery) {
  if (bytes_acked == 0) return;
  // §7.2.1: "The initial cwnd after a retransmission timeout MUST be no more than PMDCS, and
  // only one packet is allowed to be in flight until successful acknowledgement."
  one_packet_limit_ = false;

  if (cwnd_ <= ssthresh_) {
    // §7.2.1: "When cwnd is less than or equal to ssthresh, an SCTP endpoint MUST use the
    // slow-start algorithm to increase cwnd only if the current congestion window is being
    // fully utilized and the data sender is not in Fast Recovery. Only when these two
    // conditions are met can the cwnd be increased; otherwise, the cwnd MUST NOT be
    // increased. If these conditions are met, then cwnd MUST be increased by, at most, the
    // lesser of 1) the total size of the previously outstanding DATA chunk(s) acknowledged
    // and 2) L times the destination's PMDCS." (L = 1.)
    // Fully utilized: the flight size reached cwnd before this SACK (rule B lets a sender
    // with data always get there). Growth also needs the Cumulative TSN Ack to advance: gap
    // reports alone are advisory (§7.1) and must not open the window.
    const bool fully_utilized = flight_size_before >= cwnd_;
    if (fully_utilized && !in_fast_recovery && cum_ack_advanced) {
      cwnd_ += std::min(bytes_acked, mtu_);
    }
    return;
  }

  // §7.2.2 congestion avoidance: "Whenever cwnd is greater than ssthresh, upon each SACK chunk
  // arrival, increase partial_bytes_acked by the total number of bytes ... of all new DATA
  // chunks acknowledged in that SACK chunk, including chunks acknowledged by the new
  // Cumulative TSN Ack, by Gap Ack Blocks ..."
  partial_bytes_acked_ += bytes_acked;
  if (flight_size_before < cwnd_) {
    // "When (1) partial_bytes_acked is greater than cwnd and (2) before the arrival of the
    // SACK chunk the sender had less than cwnd bytes of data outstanding ..., reset
    // partial_bytes_acked to cwnd."
    if (partial_bytes_acked_ > cwnd_) partial_bytes_acked_ = cwnd_;
  } else if (partial_bytes_acked_ >= cwnd_) {
    // "When (1) partial_bytes_acked is equal to or greater than cwnd and (2) before the
    // arrival of the SACK chunk the sender had cwnd or more bytes of data outstanding ...,
    // partial_bytes_acked is reset to (partial_bytes_acked - cwnd). Next, cwnd is increased
    // by PMDCS."
    partial_bytes_acked_ -= cwnd_;
    cwnd_ += mtu_;
  }
}

void CongestionControl::OnFastRetransmit() {
  // §7.2.3: "Upon detection of packet losses from SACK chunks (see Section 7.2.4), an endpoint
  // SHOULD do the following:
  //     ssthresh = max(cwnd / 2, 4 * PMDCS)
  //     cwnd = ssthresh
  //     partial_bytes_acked = 0"
  ssthresh_ = std::max(cwnd_ / 2, 4 * mtu_);
  cwnd_ = ssthresh_;
  partial_bytes_acked_ = 0;
}

void CongestionControl::OnT3Expiry() {
  // §7.2.3: "When the T3-rtx timer expires on an address, SCTP SHOULD perform slow start by:
  //     ssthresh = max(cwnd / 2, 4 * PMDCS)
  //     cwnd = PMDCS
  //     partial_bytes_acked = 0
  // and ensure that no more than one SCTP packet will be in flight for that address until the
  // endpoint receives acknowledgement for successful delivery of data to that address."
  // (§6.3.3 E1 says the same: "adjust its ssthresh with rules defined in Section 7.2.3 and set
  // cwnd = PMDCS.")
  ssthresh_ = std::max(cwnd_ / 2, 4 * mtu_);
  cwnd_ = mtu_;
  partial_bytes_acked_ = 0;
  one_packet_limit_ = true;
}

void CongestionControl::OnIdle(Duration idle, Duration rto) {
  // §7.2.1: "While the endpoint does not transmit data on a given transport address, the cwnd
  // of the transport address SHOULD be adjusted to max(cwnd / 2, 4 * PMDCS) once per RTO.
  // Before the first cwnd adjustment, the ssthresh of the transport address SHOULD be set to
  // the cwnd." (§7.2.2 repeats it for congestion avoidance.)
  if (rto <= Duration::zero() || idle < rto) return;
  const int64_t rtos = idle / rto;
  int64_t pending = rtos - idle_rtos_applied_;
  idle_rtos_applied_ = std::max(idle_rtos_applied_, rtos);
  for (; pending > 0; --pending) {
    const size_t adjusted = std::max(cwnd_ / 2, 4 * mtu_);
    // The adjustment is a decay (§7.1: the parameters "SHOULD decay if the address is not
    // used for a long enough time period"); when cwnd is already at or below 4 * PMDCS (e.g.
    // PMDCS after a T3-rtx expiry) the formula would raise it, which §7.2 forbids ("an SCTP
    // sender MUST NOT be more aggressive than the following algorithms allow"), so cwnd is
    // left alone and the loop ends: every later adjustment would be a no-op too.
    if (adjusted >= cwnd_) break;
    if (!idle_ssthresh_set_) {
      ssthresh_ = cwnd_;
      idle_ssthresh_set_ = true;
    }
    cwnd_ = adjusted;
  }
}

}  // namespace sctp::tx
