#include "tx/congestion_control.h"

#include <gtest/gtest.h>

namespace sctp::tx {
namespace {

constexpr uint32_t kHighSsthresh = 1 << 20;

TEST(CongestionControlTest, InitialCwndFollowsRfc9260) {
  // §7.2.1: min(4 * PMDCS, max(2 * PMDCS, 4404)) for IPv4, 4344 for IPv6.
  EXPECT_EQ(CongestionControl(1200, kHighSsthresh).cwnd(), 4404u);
  EXPECT_EQ(CongestionControl(1500, kHighSsthresh).cwnd(), 4404u);
  EXPECT_EQ(CongestionControl(1200, kHighSsthresh, 4, /*ipv6=*/true).cwnd(), 4344u);
  EXPECT_EQ(CongestionControl(1000, kHighSsthresh).cwnd(), 4000u);       // 4 * PMDCS is smaller
  EXPECT_EQ(CongestionControl(3000, kHighSsthresh).cwnd(), 6000u);       // 2 * PMDCS is larger
  EXPECT_EQ(CongestionControl(1200, kHighSsthresh, 10).cwnd(), 12000u);  // opted in
  EXPECT_EQ(CongestionControl(1200, kHighSsthresh, 1).cwnd(), 1200u);    // more conservative
  CongestionControl cc(1200, 65535);
  EXPECT_EQ(cc.ssthresh(), 65535u);
  EXPECT_EQ(cc.partial_bytes_acked(), 0u);
  EXPECT_EQ(cc.flight_size(), 0u);
  EXPECT_EQ(cc.mtu(), 1200u);
}

TEST(CongestionControlTest, AllowanceFollowsRuleB) {
  CongestionControl cc(1200, kHighSsthresh);  // cwnd 4404
  EXPECT_EQ(cc.Allowance(), 4404u + 1199u);
  cc.OnSent(4000);
  EXPECT_EQ(cc.Allowance(), 1603u);  // may exceed cwnd by up to PMDCS - 1
  cc.OnSent(404);
  EXPECT_EQ(cc.Allowance(), 0u);  // flight reached cwnd
  cc.OnSent(1000);
  EXPECT_EQ(cc.Allowance(), 0u);
  cc.OnLeftFlight(1404);
  EXPECT_EQ(cc.flight_size(), 4000u);
  EXPECT_EQ(cc.Allowance(), 1603u);
}

TEST(CongestionControlTest, SlowStartGrowsOnlyWhenCwndFullyUtilized) {
  CongestionControl cc(1200, kHighSsthresh);
  cc.OnSent(4404);
  // Fully utilized, cum ack advanced: + min(bytes acked, PMDCS).
  cc.OnLeftFlight(1200);
  cc.OnBytesAcked(1200, true, 4404, false);
  EXPECT_EQ(cc.cwnd(), 5604u);
  // Fewer bytes than PMDCS acked: + bytes acked (ACK-splitting protection).
  cc.OnBytesAcked(500, true, 5604, false);
  EXPECT_EQ(cc.cwnd(), 6104u);
  // Many bytes acked: + at most PMDCS (L = 1).
  cc.OnBytesAcked(5000, true, 6104, false);
  EXPECT_EQ(cc.cwnd(), 7304u);
  // Not utilized (flight was below cwnd): no growth.
  cc.OnBytesAcked(1200, true, 7303, false);
  EXPECT_EQ(cc.cwnd(), 7304u);
  // Cum ack did not advance (gap reports only): no growth.
  cc.OnBytesAcked(1200, false, 7304, false);
  EXPECT_EQ(cc.cwnd(), 7304u);
  // In Fast Recovery: no growth.
  cc.OnBytesAcked(1200, true, 7304, true);
  EXPECT_EQ(cc.cwnd(), 7304u);
  EXPECT_EQ(cc.partial_bytes_acked(), 0u);  // slow start does not use it
}

TEST(CongestionControlTest, CongestionAvoidanceUsesPartialBytesAcked) {
  // ssthresh below the initial cwnd: congestion avoidance from the start.
  CongestionControl cc(1200, 3000);
  ASSERT_EQ(cc.cwnd(), 4404u);
  ASSERT_FALSE(cc.in_slow_start());
  cc.OnBytesAcked(1200, true, 4404, false);
  EXPECT_EQ(cc.partial_bytes_acked(), 1200u);
  cc.OnBytesAcked(1200, true, 4404, false);
  cc.OnBytesAcked(1200, true, 4404, false);
  EXPECT_EQ(cc.partial_bytes_acked(), 3600u);
  EXPECT_EQ(cc.cwnd(), 4404u);
  // pba 4800 >= cwnd 4404 with flight >= cwnd: pba -= cwnd, cwnd += PMDCS.
  cc.OnBytesAcked(1200, true, 4404, false);
  EXPECT_EQ(cc.partial_bytes_acked(), 396u);
  EXPECT_EQ(cc.cwnd(), 5604u);
  // Flight was below cwnd and pba exceeds cwnd: pba is reset to cwnd, no growth.
  cc.OnBytesAcked(6000, true, 3000, false);
  EXPECT_EQ(cc.partial_bytes_acked(), 5604u);
  EXPECT_EQ(cc.cwnd(), 5604u);
  // Flight below cwnd, pba not above cwnd: only accumulates.
  CongestionControl cc2(1200, 3000);
  cc2.OnBytesAcked(1000, true, 100, false);
  EXPECT_EQ(cc2.partial_bytes_acked(), 1000u);
  EXPECT_EQ(cc2.cwnd(), 4404u);
  // All data acked: pba = 0.
  cc.OnAllDataAcked();
  EXPECT_EQ(cc.partial_bytes_acked(), 0u);
}

TEST(CongestionControlTest, CongestionAvoidanceAtMostOnePmdcsPerSack) {
  CongestionControl cc(1500, 1000);
  ASSERT_EQ(cc.cwnd(), 4404u);
  cc.OnBytesAcked(20000, true, 5000, false);  // pba 20000 -> 20000 - 4404, cwnd + 1500
  EXPECT_EQ(cc.cwnd(), 5904u);
  EXPECT_EQ(cc.partial_bytes_acked(), 20000u - 4404u);
}

TEST(CongestionControlTest, FastRetransmitValues) {
  // §7.2.3: ssthresh = max(cwnd / 2, 4 * PMDCS), cwnd = ssthresh, pba = 0.
  {
    CongestionControl cc(1200, 3000, 20);  // cwnd 24000, CA
    cc.OnBytesAcked(1000, true, 24000, false);
    ASSERT_EQ(cc.partial_bytes_acked(), 1000u);
    cc.OnFastRetransmit();
    EXPECT_EQ(cc.ssthresh(), 12000u);
    EXPECT_EQ(cc.cwnd(), 12000u);
    EXPECT_EQ(cc.partial_bytes_acked(), 0u);
    cc.OnFastRetransmit();  // 6000 -> max(6000, 4800)
    EXPECT_EQ(cc.cwnd(), 6000u);
    cc.OnFastRetransmit();  // max(3000, 4800)
    EXPECT_EQ(cc.ssthresh(), 4800u);
    EXPECT_EQ(cc.cwnd(), 4800u);
  }
  {
    CongestionControl cc(1500, kHighSsthresh, 20);  // cwnd 30000
    cc.OnFastRetransmit();
    EXPECT_EQ(cc.ssthresh(), 15000u);
    EXPECT_EQ(cc.cwnd(), 15000u);
    CongestionControl small(1500, kHighSsthresh);  // cwnd 4404 < 4 * PMDCS
    small.OnFastRetransmit();
    EXPECT_EQ(small.ssthresh(), 6000u);
    EXPECT_EQ(small.cwnd(), 6000u);
  }
}

TEST(CongestionControlTest, T3ExpiryValuesAndOnePacketLimit) {
  // §7.2.3: ssthresh = max(cwnd / 2, 4 * PMDCS), cwnd = PMDCS, pba = 0.
  {
    CongestionControl cc(1200, 3000, 20);  // cwnd 24000
    cc.OnBytesAcked(1000, true, 24000, false);
    cc.OnT3Expiry();
    EXPECT_EQ(cc.ssthresh(), 12000u);
    EXPECT_EQ(cc.cwnd(), 1200u);
    EXPECT_EQ(cc.partial_bytes_acked(), 0u);
    EXPECT_TRUE(cc.one_packet_limit());
    // One packet may be in flight until an ack arrives.
    EXPECT_EQ(cc.Allowance(), 1200u);
    cc.OnSent(100);
    EXPECT_EQ(cc.Allowance(), 0u);
    cc.OnLeftFlight(100);
    cc.OnBytesAcked(100, true, 100, false);
    EXPECT_FALSE(cc.one_packet_limit());
    EXPECT_EQ(cc.cwnd(), 1200u);  // flight 100 < cwnd: not fully utilized
    EXPECT_EQ(cc.Allowance(), 1200u + 1199u);
  }
  {
    CongestionControl cc(1500, kHighSsthresh);  // cwnd 4404
    cc.OnT3Expiry();
    EXPECT_EQ(cc.ssthresh(), 6000u);  // max(2202, 6000)
    EXPECT_EQ(cc.cwnd(), 1500u);
    // Slow start again from one PMDCS.
    cc.OnSent(1500);
    cc.OnLeftFlight(1500);
    cc.OnBytesAcked(1500, true, 1500, false);
    EXPECT_EQ(cc.cwnd(), 3000u);
  }
}

TEST(CongestionControlTest, IdleDecayOncePerRto) {
  const Duration rto = Seconds(1);
  CongestionControl cc(1200, kHighSsthresh, 20);  // cwnd 24000
  cc.OnIdle(Milliseconds(999), rto);
  EXPECT_EQ(cc.cwnd(), 24000u);
  EXPECT_EQ(cc.ssthresh(), kHighSsthresh);
  // Two full RTOs: ssthresh = cwnd before the first adjustment, then halve twice.
  cc.OnIdle(Milliseconds(2500), rto);
  EXPECT_EQ(cc.ssthresh(), 24000u);
  EXPECT_EQ(cc.cwnd(), 6000u);
  // Same idle period, a third RTO: one more adjustment only, floor 4 * PMDCS.
  cc.OnIdle(Milliseconds(3000), rto);
  EXPECT_EQ(cc.cwnd(), 4800u);
  EXPECT_EQ(cc.ssthresh(), 24000u);
  cc.OnIdle(Seconds(100), rto);
  EXPECT_EQ(cc.cwnd(), 4800u);
  // Sending ends the idle period; the next one starts counting again.
  cc.OnSent(100);
  cc.OnIdle(Seconds(5), rto);
  EXPECT_EQ(cc.cwnd(), 4800u);
}

TEST(CongestionControlTest, IdleDecayNeverRaisesCwnd) {
  CongestionControl cc(1200, kHighSsthresh, 20);
  cc.OnT3Expiry();
  ASSERT_EQ(cc.cwnd(), 1200u);
  const size_t ssthresh = cc.ssthresh();
  cc.OnIdle(Seconds(10), Seconds(1));
  EXPECT_EQ(cc.cwnd(), 1200u);
  EXPECT_EQ(cc.ssthresh(), ssthresh);
  cc.OnIdle(Seconds(10), Duration::zero());  // no division by zero
  EXPECT_EQ(cc.cwnd(), 1200u);
}

}  // namespace
}  // namespace sctp::tx
