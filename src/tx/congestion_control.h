// Congestion control state of one destination address (RFC 9260 §7.2): cwnd, ssthresh,
// partial_bytes_acked and the flight size of that address.
//
// RFC 9260 §7.2: "Unlike TCP, an SCTP sender MUST keep a set of the control variables cwnd,
// ssthresh, and partial_bytes_acked for EACH destination address of its peer (when its peer
// is multi-homed)."
//
// Units: every byte count here is DATA/I-DATA chunk bytes — chunk header plus padded user
// data — as §7.2 asks ("When calculating one of these variables, the length of the DATA chunk,
// including the padding, SHOULD be used"). `mtu` is the destination's PMDCS (Path Maximum
// DATA Chunk Size, §1.3): RFC 9260 uses PMDCS wherever RFC 4960 said MTU in §6.1 and §7.2; the
// retransmission queue derives it from the packet MTU (PMTU minus the common header).
//
// Sans-IO and O(1) per call. The retransmission queue drives it; nothing here knows TSNs.
#ifndef SCTPCPP_TX_CONGESTION_CONTROL_H_
#define SCTPCPP_TX_CONGESTION_CONTROL_H_

#include <cstddef>
#include <cstdint>

#include "sctpcpp/time.h"

namespace sctp::tx {

class CongestionControl {
 public:
  // §7.2.1: "The initial cwnd before data transmission MUST be set to min(4 * PMDCS,
  // max(2 * PMDCS, 4404)) bytes if the peer address is an IPv4 address and to min(4 * PMDCS,
  // max(2 * PMDCS, 4344)) bytes if the peer address is an IPv6 address."
  static constexpr size_t kInitialWindowCapIpv4 = 4404;
  static constexpr size_t kInitialWindowCapIpv6 = 4344;

  // `mtu`: PMDCS of the destination. `initial_ssthresh`: §7.2.1 "The initial value of
  // ssthresh SHOULD be arbitrarily high (e.g., the size of the largest-possible advertised
  // window)" — the peer's a_rwnd from INIT/INIT ACK. `initial_cwnd_mtus`: Options::
  // initial_cwnd_mtus; a value above 4 replaces the RFC formula by initial_cwnd_mtus * PMDCS
  // (an explicit, non-default opt-in such as RFC 6928's IW10), a value below 4 caps it.
  CongestionControl(size_t mtu, uint32_t initial_ssthresh, int initial_cwnd_mtus = 4,
                    bool ipv6 = false);

  size_t cwnd() const { return cwnd_; }
  size_t ssthresh() const { return ssthresh_; }
  size_t partial_bytes_acked() const { return partial_bytes_acked_; }
  size_t flight_size() const { return flight_size_; }
  size_t mtu() const { return mtu_; }
  bool in_slow_start() const { return cwnd_ <= ssthresh_; }
  // After a T3-rtx expiry until data sent to this address is acknowledged (§7.2.3 / §7.2.1).
  bool one_packet_limit() const { return one_packet_limit_; }

  // New PMDCS (PMTU discovery). cwnd and ssthresh keep their byte values.
  void set_mtu(size_t mtu) { mtu_ = mtu; }

  // --- flight size bookkeeping (the retransmission queue calls these) ---
  // Bytes (re)transmitted to this address. Ends an idle period (§7.2.1).
  void OnSent(size_t bytes);
  // Bytes that stopped being in flight: acked, marked for retransmission, or abandoned.
  void OnLeftFlight(size_t bytes);
  // An acknowledged chunk that the peer then reneged on is in flight again.
  void OnReturnedToFlight(size_t bytes) { flight_size_ += bytes; }

  // How many more bytes rule B of §6.1 lets the sender put in flight to this address now:
  // "MUST NOT transmit new data to a given transport address if it has cwnd + (PMDCS - 1) or
  // more bytes of data outstanding to that transport address. If data is available, the
  // sender SHOULD exceed cwnd by up to (PMDCS - 1) bytes on a new data transmission if the
  // flightsize does not currently reach cwnd. The breach of cwnd MUST constitute one packet
  // only." After a T3-rtx expiry, §7.2.1 "only one packet is allowed to be in flight until
  // successful acknowledgement": then one PMDCS when nothing is in flight, else 0.
  size_t Allowance() const;

  // A SACK acknowledged `bytes_acked` bytes previously in flight to this address (by the
  // Cumulative TSN Ack or Gap Ack Blocks). `flight_size_before`: this address's flight size
  // before the SACK arrived. §7.2.1 slow start / §7.2.2 congestion avoidance.
  void OnBytesAcked(size_t bytes_acked, bool cum_ack_advanced, size_t flight_size_before,
                    bool in_fast_recovery);
  // §7.2.2: "When all of the data transmitted by the sender has been acknowledged by the
  // receiver, partial_bytes_acked is initialized to 0."
  void OnAllDataAcked() { partial_bytes_acked_ = 0; }

  // §7.2.3 on loss detected by gap reports (§7.2.4 step 2).
  void OnFastRetransmit();
  // §7.2.3 / §6.3.3 E1 on T3-rtx expiry.
  void OnT3Expiry();
  // §7.2.1 "While the endpoint does not transmit data on a given transport address ...".
  // `idle`: time since data was last sent to this address. Idempotent within one idle period:
  // calling it again with a longer idle time applies only the adjustments not applied yet.
  void OnIdle(Duration idle, Duration rto);

 private:
  size_t mtu_;
  size_t cwnd_;
  size_t ssthresh_;
  size_t partial_bytes_acked_ = 0;
  size_t flight_size_ = 0;
  bool one_packet_limit_ = false;
  // Idle period bookkeeping (reset by OnSent).
  int64_t idle_rtos_applied_ = 0;
  bool idle_ssthresh_set_ = false;
};

}  // namespace sctp::tx

#endif  // SCTPCPP_TX_CONGESTION_CONTROL_H_
