#include "path/rto_estimator.h"

#include <gtest/gtest.h>

namespace sctp::path {
namespace {

using std::chrono::microseconds;

Options LowMinOptions() {
  Options o;
  o.rto_initial = Seconds(3);
  o.rto_min = Milliseconds(10);
  o.rto_max = Seconds(60);
  return o;
}

TEST(RtoEstimatorTest, InitialRtoIsRtoInitialUntilMeasured) {
  // C1.
  RtoEstimator rto(LowMinOptions());
  EXPECT_EQ(rto.rto(), Seconds(3));
  EXPECT_FALSE(rto.srtt().has_value());
  EXPECT_EQ(rto.rttvar(), Duration::zero());
}

TEST(RtoEstimatorTest, FirstMeasurement) {
  // C2: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4 * RTTVAR = 100 + 200 ms.
  RtoEstimator rto(LowMinOptions());
  rto.OnRttMeasurement(Milliseconds(100));
  ASSERT_TRUE(rto.srtt().has_value());
  EXPECT_EQ(*rto.srtt(), Milliseconds(100));
  EXPECT_EQ(rto.rttvar(), Milliseconds(50));
  EXPECT_EQ(rto.rto(), Milliseconds(300));
}

TEST(RtoEstimatorTest, SubsequentMeasurementUsesOldSrttForRttvar) {
  // C3 with R' = 200 ms after R = 100 ms:
  //   RTTVAR = 3/4 * 50 + 1/4 * |100 - 200| = 62.5 ms
  //   SRTT   = 7/8 * 100 + 1/8 * 200       = 112.5 ms
  //   RTO    = 112.5 + 4 * 62.5            = 362.5 ms
  RtoEstimator rto(LowMinOptions());
  rto.OnRttMeasurement(Milliseconds(100));
  rto.OnRttMeasurement(Milliseconds(200));
  EXPECT_EQ(rto.rttvar(), microseconds(62500));
  EXPECT_EQ(*rto.srtt(), microseconds(112500));
  EXPECT_EQ(rto.rto(), microseconds(362500));
  // A third sample R'' = 50 ms:
  //   RTTVAR = 3/4 * 62.5 + 1/4 * |112.5 - 50| = 46.875 + 15.625 = 62.5 ms
  //   SRTT   = 7/8 * 112.5 + 1/8 * 50          = 98.4375 + 6.25 = 104.6875 ms
  rto.OnRttMeasurement(Milliseconds(50));
  EXPECT_EQ(rto.rttvar(), microseconds(62500));
  EXPECT_EQ(*rto.srtt(), microseconds(104687));  // 104687.5 truncated
  EXPECT_EQ(rto.rto(), microseconds(104687 + 250000));
}

TEST(RtoEstimatorTest, ClampedToRtoMin) {
  // C6 with the RFC default RTO.Min = 1 s.
  Options o;
  RtoEstimator rto(o);
  rto.OnRttMeasurement(Milliseconds(20));
  EXPECT_EQ(*rto.srtt(), Milliseconds(20));
  EXPECT_EQ(rto.rto(), Seconds(1));
}

TEST(RtoEstimatorTest, ClampedToRtoMax) {
  // C7.
  Options o = LowMinOptions();
  o.rto_max = Seconds(2);
  RtoEstimator rto(o);
  rto.OnRttMeasurement(Seconds(10));  // 10 + 4 * 5 = 30 s
  EXPECT_EQ(rto.rto(), Seconds(2));
}

TEST(RtoEstimatorTest, RttvarNeverBelowClockGranularity) {
  // G1: a perfectly stable RTT decays RTTVAR towards 0; it stays at G = 1 ms.
  RtoEstimator rto(LowMinOptions());
  for (int i = 0; i < 200; ++i)
    rto.OnRttMeasurement(Milliseconds(100));
  EXPECT_EQ(*rto.srtt(), Milliseconds(100));
  EXPECT_EQ(rto.rttvar(), RtoEstimator::kGranularity);
  EXPECT_EQ(rto.rto(), Milliseconds(104));
}

TEST(RtoEstimatorTest, ZeroRttGivesGranularity) {
  RtoEstimator rto(LowMinOptions());
  rto.OnRttMeasurement(Duration::zero());
  EXPECT_EQ(rto.rttvar(), Milliseconds(1));
  EXPECT_EQ(rto.rto(), Milliseconds(10));  // 4 ms, raised to RTO.Min
}

TEST(RtoEstimatorTest, NegativeSampleIgnored) {
  RtoEstimator rto(LowMinOptions());
  rto.OnRttMeasurement(Milliseconds(-5));
  EXPECT_FALSE(rto.srtt().has_value());
  EXPECT_EQ(rto.rto(), Seconds(3));
}

TEST(RtoEstimatorTest, BackOffDoublesUpToRtoMax) {
  // E2 with the C7 cap: 1, 2, 4, ..., 32, 60, 60.
  Options o;
  RtoEstimator rto(o);
  EXPECT_EQ(rto.rto(), Seconds(1));
  const int64_t expected[] = {2, 4, 8, 16, 32, 60, 60, 60};
  for (int64_t s : expected) {
    rto.BackOff();
    EXPECT_EQ(rto.rto(), Seconds(s));
  }
}

TEST(RtoEstimatorTest, MeasurementAfterBackOffCollapsesRto) {
  // §6.3.3: a new measurement recomputes RTO from SRTT/RTTVAR, undoing the doubling.
  RtoEstimator rto(LowMinOptions());
  rto.OnRttMeasurement(Milliseconds(100));
  rto.BackOff();
  rto.BackOff();
  EXPECT_EQ(rto.rto(), Milliseconds(1200));
  rto.OnRttMeasurement(Milliseconds(100));
  // RTTVAR = 3/4 * 50 = 37.5 ms, SRTT = 100 ms.
  EXPECT_EQ(rto.rto(), microseconds(100000 + 4 * 37500));
}

}  // namespace
}  // namespace sctp::path
