// RFC 8899 §5.2 state machine and the search (src/path/plpmtud.h).
#include "path/plpmtud.h"

#include <gtest/gtest.h>

namespace sctp::path {
namespace {

using State = Plpmtud::State;

TimePoint At(int64_t ms) {
  return TimePoint(Milliseconds(ms));
}

// Drives one probe exchange: the probe due now is sent; `passes` says whether a packet of its
// size gets through (then it is acknowledged at once).
struct Driver {
  Plpmtud p;
  TimePoint now = At(0);
  int probes_sent = 0;

  // Runs until the search settles (no probe due before the raise timer); returns false if it
  // takes more than `limit` probes.
  bool Run(size_t path_mtu, int limit = 100) {
    while (probes_sent < limit) {
      if (p.deadline() > now + Seconds(60)) return true;  // settled: only the raise timer
      now = std::max(now, p.deadline());
      const auto size = p.OnDeadline(now);
      if (!size) continue;
      p.OnProbeSent(now, Milliseconds(200));
      ++probes_sent;
      if (*size <= path_mtu) p.OnProbeAcked(*size, now + Milliseconds(20));
    }
    return false;
  }
};

TEST(PlpmtudTest, StartsAtBaseAndProbesItFirst) {
  Plpmtud p(1200, 1452);
  EXPECT_EQ(p.state(), State::kDisabled);
  p.Start(At(0));
  EXPECT_EQ(p.state(), State::kBase);
  EXPECT_EQ(p.plpmtu(), 1200u);
  EXPECT_EQ(p.deadline(), At(0));
  EXPECT_EQ(p.OnDeadline(At(0)), std::optional<size_t>(1200));
  p.OnProbeSent(At(0), Milliseconds(100));
  // §5.1.1: the PROBE_TIMER is at least one second.
  EXPECT_EQ(p.deadline(), At(1000));
}

TEST(PlpmtudTest, PathCarryingTheMaximumIsDoneAfterTwoProbes) {
  Driver d{Plpmtud(1200, 1452)};
  d.p.Start(d.now);
  ASSERT_TRUE(d.Run(9000));
  EXPECT_EQ(d.p.state(), State::kSearchComplete);
  EXPECT_EQ(d.p.plpmtu(), 1452u);
  EXPECT_EQ(d.probes_sent, 2);  // BASE, then MAX_PLPMTU
}

TEST(PlpmtudTest, BinarySearchFindsThePathMtuWithinTheStep) {
  for (size_t mtu : {1200u, 1280u, 1300u, 1400u, 1420u, 1448u}) {
    Driver d{Plpmtud(1200, 1452)};
    d.p.Start(d.now);
    ASSERT_TRUE(d.Run(mtu)) << mtu;
    EXPECT_EQ(d.p.state(), State::kSearchComplete) << mtu;
    EXPECT_LE(d.p.plpmtu(), mtu);
    EXPECT_GT(d.p.plpmtu() + Plpmtud::kMinStep, mtu) << mtu;
    EXPECT_EQ(d.p.plpmtu() % 4, 0u);
  }
}

TEST(PlpmtudTest, AFailedSizeIsTriedMaxProbesTimes) {
  Plpmtud p(1200, 1452);
  p.Start(At(0));
  ASSERT_EQ(p.OnDeadline(At(0)), std::optional<size_t>(1200));
  p.OnProbeSent(At(0), Seconds(1));
  p.OnProbeAcked(1200, At(10));
  ASSERT_EQ(p.state(), State::kSearching);
  TimePoint now = At(10);
  for (int i = 0; i < Plpmtud::kMaxProbes; ++i) {
    ASSERT_EQ(p.OnDeadline(now), std::optional<size_t>(1452)) << i;
    p.OnProbeSent(now, Seconds(1));
    now = p.deadline();
  }
  // The third loss moves the search below 1452.
  const auto next = p.OnDeadline(now);
  ASSERT_TRUE(next.has_value());
  EXPECT_LT(*next, 1452u);
  EXPECT_GT(*next, 1200u);
  EXPECT_EQ(p.plpmtu(), 1200u);  // nothing unconfirmed is used meanwhile
}

TEST(PlpmtudTest, UnconfirmedBaseIsAnErrorAndIsRetriedLater) {
  Driver d{Plpmtud(1200, 1452)};
  d.p.Start(d.now);
  ASSERT_TRUE(d.Run(1000));  // nothing of BASE_PLPMTU gets through
  EXPECT_EQ(d.p.state(), State::kError);
  EXPECT_EQ(d.probes_sent, Plpmtud::kMaxProbes);
  EXPECT_EQ(d.p.plpmtu(), 1200u);
  // After the raise interval BASE is probed again; now the path works.
  EXPECT_GE(d.p.deadline(), d.now + Seconds(500));
  d.now = d.p.deadline();
  ASSERT_TRUE(d.Run(1452));
  EXPECT_EQ(d.p.state(), State::kSearchComplete);
  EXPECT_EQ(d.p.plpmtu(), 1452u);
}

TEST(PlpmtudTest, RaiseTimerSearchesAgainFromWhatIsConfirmed) {
  Driver d{Plpmtud(1200, 1452)};
  d.p.Start(d.now);
  ASSERT_TRUE(d.Run(1300));
  const size_t first = d.p.plpmtu();
  ASSERT_LT(first, 1452u);
  // The path got better; after PMTU_RAISE_TIMER the search starts again (§5.2).
  d.now = d.p.deadline();
  const int before = d.probes_sent;
  ASSERT_TRUE(d.Run(9000));
  EXPECT_EQ(d.p.plpmtu(), 1452u);
  EXPECT_EQ(d.probes_sent, before + 1);  // MAX_PLPMTU at once
}

TEST(PlpmtudTest, LateAckForAnOldProbeIsIgnored) {
  Plpmtud p(1200, 1452);
  p.Start(At(0));
  ASSERT_EQ(p.OnDeadline(At(0)), std::optional<size_t>(1200));
  p.OnProbeSent(At(0), Seconds(1));
  p.OnProbeAcked(1452, At(5));  // not the probe outstanding
  EXPECT_EQ(p.state(), State::kBase);
  EXPECT_EQ(p.plpmtu(), 1200u);
}

TEST(PlpmtudTest, BaseLargerThanMaxIsClamped) {
  Plpmtud p(1200, 1000);
  p.Start(At(0));
  EXPECT_EQ(p.plpmtu(), 1000u);
  ASSERT_EQ(p.OnDeadline(At(0)), std::optional<size_t>(1000));
  p.OnProbeSent(At(0), Seconds(1));
  p.OnProbeAcked(1000, At(1));
  EXPECT_EQ(p.state(), State::kSearchComplete);
}

}  // namespace
}  // namespace sctp::path
