// Tests of rx::DataTracker: cumulative ack, gap blocks and duplicates as RFC 9260 §3.3.4 and
// §6.2 define them, FORWARD TSN handling (RFC 3758 §3.6), the receive window, and TSN
// wrap-around at 2^32, including a randomized comparison against a brute-force model.
#include "rx/data_tracker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <set>
#include <utility>
#include <vector>

namespace sctp::rx {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Observation = DataTracker::Observation;

// Gap blocks as (start, end) pairs, which gmock can print.
std::vector<std::pair<int, int>> Blocks(const DataTracker::SackInfo& sack) {
  std::vector<std::pair<int, int>> out;
  for (const wire::GapAckBlock& b : sack.gap_blocks)
    out.emplace_back(b.start, b.end);
  return out;
}

std::vector<uint32_t> Dups(const DataTracker::SackInfo& sack) {
  std::vector<uint32_t> out;
  for (const wire::TsnRecord& r : sack.duplicates)
    out.push_back(r.tsn.value());
  return out;
}

constexpr size_t kMany = 1000;

TEST(DataTrackerTest, InitialStateAcksInitialTsnMinusOne) {
  DataTracker t(Tsn(1000));
  EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(999));
  EXPECT_FALSE(t.has_gaps());
  EXPECT_FALSE(t.has_new_duplicates());
  EXPECT_EQ(t.gap_block_count(), 0u);
  EXPECT_TRUE(t.IsReceived(Tsn(999)));
  EXPECT_FALSE(t.IsReceived(Tsn(1000)));
  const DataTracker::SackInfo sack = t.BuildSack(kMany, kMany);
  EXPECT_EQ(sack.cumulative_tsn_ack, Tsn(999));
  EXPECT_THAT(sack.gap_blocks, IsEmpty());
  EXPECT_THAT(sack.duplicates, IsEmpty());
}

TEST(DataTrackerTest, InitialTsnZeroAcksMaxTsn) {
  DataTracker t(Tsn(0));
  EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(0xFFFFFFFF));
  EXPECT_EQ(t.Observe(Tsn(0)), Observation::kNew);
  EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(0));
}

TEST(DataTrackerTest, InOrderArrivalAdvancesCumulativeAck) {
  DataTracker t(Tsn(1000));
  for (uint32_t i = 1000; i < 1010; ++i) {
    EXPECT_EQ(t.Observe(Tsn(i)), Observation::kNew);
    EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(i));
    EXPECT_FALSE(t.has_gaps());
  }
  const DataTracker::SackInfo sack = t.BuildSack(kMany, kMany);
  EXPECT_EQ(sack.cumulative_tsn_ack, Tsn(1009));
  EXPECT_THAT(sack.gap_blocks, IsEmpty());
}

TEST(DataTrackerTest, CountsTsnsHeldAboveTheCumulativeAck) {
  DataTracker t(Tsn(100));
  EXPECT_EQ(t.received_above_cumulative(), 0u);
  for (uint32_t tsn : {102u, 103u, 105u, 107u, 108u})
    t.Observe(Tsn(tsn));
  EXPECT_EQ(t.received_above_cumulative(), 5u);
  t.Observe(Tsn(103));  // duplicate: no change
  EXPECT_EQ(t.received_above_cumulative(), 5u);
  t.Observe(Tsn(100));  // in order, no block joins
  EXPECT_EQ(t.received_above_cumulative(), 5u);
  t.Observe(Tsn(101));  // joins 102-103
  EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(103));
  EXPECT_EQ(t.received_above_cumulative(), 3u);
  ASSERT_TRUE(t.ForwardTo(Tsn(106)));  // RFC 3758: skips 104 and 106, takes 105 and 107-108
  EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(108));
  EXPECT_EQ(t.received_above_cumulative(), 0u);
}

// The example of RFC 9260 §3.3.4: received 10, 11, 12, 14, 15, 17 → Cumulative TSN Ack 12,
// block #1 start 2 end 3, block #2 start 5 end 5.
TEST(DataTrackerTest, RfcSackExample) {
  DataTracker t(Tsn(10));
  for (uint32_t tsn : {10u, 11u, 12u, 14u, 15u, 17u})
    EXPECT_EQ(t.Observe(Tsn(tsn)), Observation::kNew);
  EXPECT_TRUE(t.has_gaps());
  EXPECT_EQ(t.gap_block_count(), 2u);
  const DataTracker::SackInfo sack = t.BuildSack(kMany, kMany);
  EXPECT_EQ(sack.cumulative_tsn_ack, Tsn(12));
  EXPECT_THAT(Blocks(sack), ElementsAre(std::pair(2, 3), std::pair(5, 5)));
  EXPECT_THAT(sack.duplicates, IsEmpty());
}

TEST(DataTrackerTest, GapBlocksUseGapAckBlockType) {
  DataTracker t(Tsn(10));
  t.Observe(Tsn(12));
  EXPECT_THAT(t.BuildSack(kMany, kMany).gap_blocks, ElementsAre(wire::GapAckBlock{3, 3}));
}

// RFC 9260 §3.3.4: "if a receiver were to get the TSN 19 three times, it would list 19 twice
// in the outbound SACK chunk. After sending the SACK chunk, if it received yet one more TSN
// 19, it would list 19 as a duplicate once in the next outgoing SACK chunk."
TEST(DataTrackerTest, RfcDuplicateExample) {
  DataTracker t(Tsn(10));
  for (uint32_t tsn = 10; tsn <= 19; ++tsn)
    t.Observe(Tsn(tsn));
  EXPECT_FALSE(t.has_new_duplicates());
  EXPECT_EQ(t.Observe(Tsn(19)), Observation::kDuplicate);
  EXPECT_EQ(t.Observe(Tsn(19)), Observation::kDuplicate);
  EXPECT_TRUE(t.has_new_duplicates());
  EXPECT_THAT(Dups(t.BuildSack(kMany, kMany)), ElementsAre(19u, 19u));
  EXPECT_FALSE(t.has_new_duplicates());
  EXPECT_THAT(Dups(t.BuildSack(kMany, kMany)), IsEmpty());
  EXPECT_EQ(t.Observe(Tsn(19)), Observation::kDuplicate);
  EXPECT_THAT(Dups(t.BuildSack(kMany, kMany)), ElementsAre(19u));
}

TEST(DataTrackerTest, DuplicatesBelowCumAckAndInsideBlocksInArrivalOrder) {
  DataTracker t(Tsn(1));
  for (uint32_t tsn : {1u, 2u, 3u, 6u, 7u})
    t.Observe(Tsn(tsn));
  EXPECT_EQ(t.Observe(Tsn(7)), Observation::kDuplicate);  // inside a block (its end)
  EXPECT_EQ(t.Observe(Tsn(2)), Observation::kDuplicate);  // below the cum ack
  EXPECT_EQ(t.Observe(Tsn(6)), Observation::kDuplicate);  // inside a block (its start)
  EXPECT_EQ(t.Observe(Tsn(0)), Observation::kDuplicate);  // before the initial TSN
  // Duplicates leave the state alone.
  const DataTracker::SackInfo sack = t.BuildSack(kMany, kMany);
  EXPECT_EQ(sack.cumulative_tsn_ack, Tsn(3));
  EXPECT_THAT(Blocks(sack), ElementsAre(std::pair(3, 4)));
  EXPECT_THAT(Dups(sack), ElementsAre(7u, 2u, 6u, 0u));
}

TEST(DataTrackerTest, DuplicateListIsBoundedAndTruncatedPerSack) {
  DataTracker t(Tsn(1));
  t.Observe(Tsn(1));
  for (int i = 0; i < 300; ++i)
    t.Observe(Tsn(1));
  EXPECT_THAT(t.BuildSack(kMany, kMany).duplicates,
              ::testing::SizeIs(DataTracker::kMaxRememberedDuplicates));
  for (int i = 0; i < 20; ++i)
    t.Observe(Tsn(1));
  const DataTracker::SackInfo sack = t.BuildSack(kMany, 5);
  EXPECT_EQ(sack.duplicates.size(), 5u);
  // The rest is not carried over to the next SACK.
  EXPECT_FALSE(t.has_new_duplicates());
  EXPECT_THAT(t.BuildSack(kMany, kMany).duplicates, IsEmpty());
}

TEST(DataTrackerTest, AdjacentBlocksMerge) {
  DataTracker t(Tsn(1));  // cum ack 0
  t.Observe(Tsn(5));
  t.Observe(Tsn(7));
  EXPECT_EQ(t.gap_block_count(), 2u);
  t.Observe(Tsn(6));  // joins both neighbours
  EXPECT_EQ(t.gap_block_count(), 1u);
  EXPECT_THAT(Blocks(t.BuildSack(kMany, kMany)), ElementsAre(std::pair(5, 7)));
  t.Observe(Tsn(3));  // isolated
  EXPECT_THAT(Blocks(t.BuildSack(kMany, kMany)), ElementsAre(std::pair(3, 3), std::pair(5, 7)));
  t.Observe(Tsn(8));  // extends a block upwards
  t.Observe(Tsn(4));  // joins 3 and 5..8
  EXPECT_THAT(Blocks(t.BuildSack(kMany, kMany)), ElementsAre(std::pair(3, 8)));
  t.Observe(Tsn(2));  // extends a block downwards
  EXPECT_THAT(Blocks(t.BuildSack(kMany, kMany)), ElementsAre(std::pair(2, 8)));
  t.Observe(Tsn(1));  // fills the gap: the block is absorbed into the cum ack
  EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(8));
  EXPECT_FALSE(t.has_gaps());
  EXPECT_EQ(t.gap_block_count(), 0u);
}

TEST(DataTrackerTest, OffsetsAreRelativeToTheCurrentCumAck) {
  DataTracker t(Tsn(100));
  t.Observe(Tsn(103));
  t.Observe(Tsn(106));
  EXPECT_THAT(Blocks(t.BuildSack(kMany, kMany)), ElementsAre(std::pair(4, 4), std::pair(7, 7)));
  t.Observe(Tsn(100));
  t.Observe(Tsn(101));
  EXPECT_THAT(Blocks(t.BuildSack(kMany, kMany)), ElementsAre(std::pair(2, 2), std::pair(5, 5)));
}

TEST(DataTrackerTest, TruncatesToMaxBlocksKeepingTheLowest) {
  DataTracker t(Tsn(1));  // cum ack 0
  for (uint32_t i = 0; i < 10; ++i)
    t.Observe(Tsn(2 + 2 * i));  // 2, 4, ..., 20
  EXPECT_EQ(t.gap_block_count(), 10u);
  EXPECT_THAT(Blocks(t.BuildSack(3, kMany)),
              ElementsAre(std::pair(2, 2), std::pair(4, 4), std::pair(6, 6)));
  EXPECT_THAT(t.BuildSack(0, kMany).gap_blocks, IsEmpty());
  EXPECT_EQ(t.BuildSack(kMany, kMany).gap_blocks.size(), 10u);
}

TEST(DataTrackerTest, BlocksBeyondSixteenBitOffsetsAreNotReported) {
  DataTracker t(Tsn(1));  // cum ack 0
  t.Observe(Tsn(100));
  t.Observe(Tsn(65535));  // end offset 65535: still expressible
  EXPECT_THAT(Blocks(t.BuildSack(kMany, kMany)),
              ElementsAre(std::pair(100, 100), std::pair(65535, 65535)));
  t.Observe(Tsn(65536));  // the block now ends at offset 65536
  t.Observe(Tsn(70000));
  EXPECT_EQ(t.gap_block_count(), 3u);
  EXPECT_THAT(Blocks(t.BuildSack(kMany, kMany)), ElementsAre(std::pair(100, 100)));
  // Once the cum ack moves up they become reportable.
  for (uint32_t i = 1; i <= 99; ++i)
    t.Observe(Tsn(i));
  EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(100));
  EXPECT_THAT(Blocks(t.BuildSack(kMany, kMany)), ElementsAre(std::pair(65435, 65436)));
  EXPECT_EQ(t.gap_block_count(), 2u);  // 70000 is still 69900 above the cum ack
}

TEST(DataTrackerTest, RefusesTsnsBeyondTheWindow) {
  DataTracker t(Tsn(1), /*max_window_tsns=*/100);  // cum ack 0
  EXPECT_EQ(t.Observe(Tsn(101)), Observation::kOutOfWindow);
  EXPECT_FALSE(t.IsReceived(Tsn(101)));
  EXPECT_FALSE(t.has_new_duplicates());
  // Exactly half the TSN space away: RFC 1982 leaves the order undefined.
  EXPECT_EQ(t.Observe(Tsn(0x80000000)), Observation::kOutOfWindow);
  EXPECT_EQ(t.Observe(Tsn(0x80000001)), Observation::kDuplicate);  // "before" the cum ack
  EXPECT_EQ(t.Observe(Tsn(100)), Observation::kNew);               // exactly at the edge
  EXPECT_EQ(t.Observe(Tsn(101)), Observation::kOutOfWindow);
  EXPECT_EQ(t.Observe(Tsn(1)), Observation::kNew);
  EXPECT_EQ(t.Observe(Tsn(101)), Observation::kNew);  // the window moved with the cum ack
  EXPECT_EQ(t.gap_block_count(), 1u);
}

TEST(DataTrackerTest, WindowIsClampedBelowHalfTheTsnSpace) {
  DataTracker t(Tsn(1), 0xFFFFFFFF);
  EXPECT_EQ(t.Observe(Tsn(DataTracker::kMaxWindowTsns + 1)), Observation::kOutOfWindow);
  EXPECT_EQ(t.Observe(Tsn(DataTracker::kMaxWindowTsns)), Observation::kNew);
  DataTracker zero(Tsn(1), 0);  // at least one TSN: the next one
  EXPECT_EQ(zero.Observe(Tsn(2)), Observation::kOutOfWindow);
  EXPECT_EQ(zero.Observe(Tsn(1)), Observation::kNew);
}

// Initial TSN 0xFFFFFFF0 and 100 TSNs with gaps across the wrap at 2^32.
TEST(DataTrackerTest, WrapAroundWithGaps) {
  const uint32_t initial = 0xFFFFFFF0;
  DataTracker t{Tsn(initial)};
  auto missing = [](uint32_t i) { return i % 7 == 3 || i % 11 == 5; };
  for (uint32_t i = 0; i < 100; ++i) {
    if (!missing(i)) {
      EXPECT_EQ(t.Observe(Tsn(initial + i)), Observation::kNew) << i;
    }
  }
  // Model: blocks between the missing offsets.
  EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(initial + 2));  // i = 3 is the first missing
  std::vector<std::pair<int, int>> expected;
  const uint32_t cum_index = 2;
  for (uint32_t i = cum_index + 1; i < 100;) {
    if (missing(i)) {
      ++i;
      continue;
    }
    uint32_t j = i;
    while (j + 1 < 100 && !missing(j + 1))
      ++j;
    expected.emplace_back(static_cast<int>(i - cum_index), static_cast<int>(j - cum_index));
    i = j + 1;
  }
  EXPECT_EQ(Blocks(t.BuildSack(kMany, kMany)), expected);
  EXPECT_EQ(t.gap_block_count(), expected.size());
  for (uint32_t i = 0; i < 100; ++i)
    EXPECT_EQ(t.IsReceived(Tsn(initial + i)), !missing(i)) << i;
  EXPECT_TRUE(t.IsReceived(Tsn(0xFFFFFFFF)));  // i = 15, across from 0
  EXPECT_FALSE(t.IsReceived(Tsn(initial + 100)));
  // Duplicates on both sides of the wrap.
  EXPECT_EQ(t.Observe(Tsn(0xFFFFFFFF)), Observation::kDuplicate);
  EXPECT_EQ(t.Observe(Tsn(2)), Observation::kDuplicate);  // i = 18
  EXPECT_EQ(t.Observe(Tsn(0)), Observation::kNew);        // i = 16 was missing
  EXPECT_THAT(Dups(t.BuildSack(kMany, kMany)), ElementsAre(0xFFFFFFFFu, 2u));
  // Fill the gaps from the top down: the cum ack only moves at the last one.
  for (uint32_t i = 100; i-- > 0;) {
    if (missing(i) && i != 16) {
      EXPECT_EQ(t.Observe(Tsn(initial + i)), Observation::kNew) << i;
    }
  }
  EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(initial + 99));
  EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(0x53));
  EXPECT_FALSE(t.has_gaps());
}

// RFC 3758 §3.6 example: cum 102; 103 missing; 104, 105 received; 106 missing; 107 received.
// A FORWARD TSN to 103 moves the cumulative TSN point to 103, then further to 105.
TEST(DataTrackerTest, ForwardToRfcExample) {
  DataTracker t(Tsn(100));
  for (uint32_t tsn : {100u, 101u, 102u, 104u, 105u, 107u})
    t.Observe(Tsn(tsn));
  EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(102));
  EXPECT_TRUE(t.ForwardTo(Tsn(103)));
  EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(105));
  EXPECT_THAT(Blocks(t.BuildSack(kMany, kMany)), ElementsAre(std::pair(2, 2)));
  EXPECT_TRUE(t.IsReceived(Tsn(103)));
  // "if a TSN that was skipped does arrive ... the receiver will drop the chunk and report it
  // as a duplicate in the next outbound SACK chunk."
  EXPECT_EQ(t.Observe(Tsn(103)), Observation::kDuplicate);
  EXPECT_THAT(Dups(t.BuildSack(kMany, kMany)), ElementsAre(103u));
}

TEST(DataTrackerTest, ForwardToSwallowsBlocksAtOrBelowTheNewPoint) {
  DataTracker t(Tsn(1));  // cum ack 0
  for (uint32_t tsn : {5u, 6u, 10u, 20u, 30u})
    t.Observe(Tsn(tsn));
  EXPECT_TRUE(t.ForwardTo(Tsn(12)));
  EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(12));
  EXPECT_THAT(Blocks(t.BuildSack(kMany, kMany)), ElementsAre(std::pair(8, 8), std::pair(18, 18)));
  EXPECT_TRUE(t.ForwardTo(Tsn(19)));  // 20 is adjacent: absorbed
  EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(20));
  EXPECT_EQ(t.gap_block_count(), 1u);
  EXPECT_TRUE(t.ForwardTo(Tsn(25)));  // lands inside a gap
  EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(25));
  EXPECT_THAT(Blocks(t.BuildSack(kMany, kMany)), ElementsAre(std::pair(5, 5)));
  EXPECT_TRUE(t.ForwardTo(Tsn(30)));  // lands on a received TSN
  EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(30));
  EXPECT_FALSE(t.has_gaps());
}

TEST(DataTrackerTest, ForwardToOutOfDateChangesNothing) {
  DataTracker t(Tsn(1));
  for (uint32_t tsn : {1u, 2u, 3u, 5u})
    t.Observe(Tsn(tsn));
  EXPECT_TRUE(t.ForwardTo(Tsn(3)));
  EXPECT_TRUE(t.ForwardTo(Tsn(1)));
  EXPECT_TRUE(t.ForwardTo(Tsn(0xFFFFFFF0)));  // far behind
  EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(3));
  EXPECT_THAT(Blocks(t.BuildSack(kMany, kMany)), ElementsAre(std::pair(2, 2)));
}

TEST(DataTrackerTest, ForwardToBeyondTheWindowIsRefused) {
  DataTracker t(Tsn(1), /*max_window_tsns=*/1000);  // cum ack 0
  t.Observe(Tsn(5));
  EXPECT_FALSE(t.ForwardTo(Tsn(1001)));
  EXPECT_FALSE(t.ForwardTo(Tsn(0x80000000)));  // undefined distance (RFC 1982 §3.2)
  EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(0));
  EXPECT_EQ(t.gap_block_count(), 1u);
  EXPECT_TRUE(t.ForwardTo(Tsn(1000)));
  EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(1000));
  EXPECT_FALSE(t.has_gaps());
}

TEST(DataTrackerTest, ForwardToAcrossTheWrap) {
  DataTracker t(Tsn(0xFFFFFFFE));
  t.Observe(Tsn(7));
  EXPECT_TRUE(t.ForwardTo(Tsn(5)));
  EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(5));
  EXPECT_THAT(Blocks(t.BuildSack(kMany, kMany)), ElementsAre(std::pair(2, 2)));
  EXPECT_TRUE(t.IsReceived(Tsn(0xFFFFFFFF)));
  EXPECT_EQ(t.Observe(Tsn(6)), Observation::kNew);
  EXPECT_EQ(t.cumulative_tsn_ack(), Tsn(7));
}

TEST(DataTrackerTest, IsReceived) {
  DataTracker t(Tsn(50));
  for (uint32_t tsn : {50u, 51u, 55u, 56u, 60u})
    t.Observe(Tsn(tsn));
  for (uint32_t tsn : {40u, 49u, 50u, 51u, 55u, 56u, 60u})
    EXPECT_TRUE(t.IsReceived(Tsn(tsn))) << tsn;
  for (uint32_t tsn : {52u, 54u, 57u, 59u, 61u, 1000u}) {
    EXPECT_FALSE(t.IsReceived(Tsn(tsn))) << tsn;
  }
}

// Random arrivals (with duplicates, window overruns and FORWARD TSNs) across the wrap,
// checked against a brute-force model on a 64-bit line.
TEST(DataTrackerTest, RandomizedAgainstModel) {
  std::mt19937 rng(20240611);
  for (int round = 0; round < 4; ++round) {
    const uint32_t initial = 0xFFFFFFFFu - static_cast<uint32_t>(rng() % 3000);
    const uint32_t window = 300;
    DataTracker t{Tsn(initial), window};
    // The model's line is offset by 2^32 so that it stays positive; TSN = value mod 2^32.
    uint64_t cum = uint64_t{initial} - 1 + (uint64_t{1} << 32);
    std::set<uint64_t> above;
    size_t dups = 0;
    auto wire = [](uint64_t v) { return Tsn(static_cast<uint32_t>(v)); };
    for (int step = 0; step < 20000; ++step) {
      const int action = static_cast<int>(rng() % 100);
      if (action < 90) {
        const uint64_t v = cum + 1 + rng() % (window + 40) - 20;
        Observation expected;
        if (v <= cum || above.contains(v)) {
          expected = Observation::kDuplicate;
          ++dups;
        } else if (v - cum > window) {
          expected = Observation::kOutOfWindow;
        } else {
          expected = Observation::kNew;
          above.insert(v);
          while (above.contains(cum + 1)) {
            above.erase(cum + 1);
            ++cum;
          }
        }
        ASSERT_EQ(t.Observe(wire(v)), expected) << "step " << step;
      } else if (action < 95) {
        const uint64_t v = cum + rng() % (window + 20) - 10;
        const bool accepted = v <= cum || v - cum <= window;
        ASSERT_EQ(t.ForwardTo(wire(v)), accepted);
        if (accepted && v > cum) {
          cum = v;
          while (!above.empty() && *above.begin() <= cum)
            above.erase(above.begin());
          while (above.contains(cum + 1)) {
            above.erase(cum + 1);
            ++cum;
          }
        }
      } else {
        const DataTracker::SackInfo sack = t.BuildSack(kMany, kMany);
        ASSERT_EQ(sack.cumulative_tsn_ack, wire(cum));
        std::vector<std::pair<int, int>> expected;
        for (auto it = above.begin(); it != above.end();) {
          uint64_t last = *it;
          auto next = std::next(it);
          while (next != above.end() && *next == last + 1)
            last = *next++;
          expected.emplace_back(static_cast<int>(*it - cum), static_cast<int>(last - cum));
          it = next;
        }
        ASSERT_EQ(Blocks(sack), expected);
        ASSERT_EQ(sack.duplicates.size(), std::min(dups, DataTracker::kMaxRememberedDuplicates));
        dups = 0;
      }
      ASSERT_EQ(t.cumulative_tsn_ack(), wire(cum));
      ASSERT_EQ(t.has_gaps(), !above.empty());
      const uint64_t probe = cum + rng() % 40 - 20;
      ASSERT_EQ(t.IsReceived(wire(probe)), probe <= cum || above.contains(probe));
    }
    // The run went across the wrap.
    EXPECT_GT(cum, uint64_t{1} << 33);
  }
}

}  // namespace
}  // namespace sctp::rx
