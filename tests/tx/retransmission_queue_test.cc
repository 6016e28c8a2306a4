#include "tx/retransmission_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <utility>
#include <vector>

namespace sctp::tx {
namespace {

using wire::GapAckBlock;
using wire::PackedArray;

constexpr PathId kPath0 = 0;
constexpr PathId kPath1 = 1;
constexpr size_t kMtu = 1200;
constexpr size_t kPmdcs = kMtu - 12;  // 1188
constexpr size_t kPayload = 100;
constexpr size_t kChunk = 16 + kPayload;  // DATA header + padded payload
constexpr uint32_t kBigRwnd = 1 << 20;
const TimePoint kT0 = TimePoint(Seconds(1000));

struct FragSpec {
  uint64_t message_id = 0;
  size_t length = kPayload;
  uint16_t stream = 0;
  uint16_t ssn = 0;
  uint32_t mid = 0;
  bool unordered = false;
  bool beginning = true;
  bool ending = true;
  std::optional<TimePoint> expires_at = std::nullopt;
  std::optional<uint32_t> max_retransmissions = std::nullopt;
  uint64_t context = 0;
};

OutgoingFragment Frag(const FragSpec& s) {
  OutgoingFragment f;
  f.message_id = s.message_id;
  f.stream_id = StreamId(s.stream);
  f.ppid = Ppid(51);
  f.unordered = s.unordered;
  f.beginning = s.beginning;
  f.ending = s.ending;
  f.ssn = Ssn(s.ssn);
  f.mid = Mid(s.mid);
  f.message = std::make_shared<const std::vector<uint8_t>>(s.length, uint8_t{0xab});
  f.offset = 0;
  f.length = s.length;
  f.expires_at = s.expires_at;
  f.max_retransmissions = s.max_retransmissions;
  f.context = s.context;
  return f;
}

OutgoingFragment Frag(uint64_t message_id) {
  return Frag(FragSpec{.message_id = message_id});
}

Options OptionsWithInitialCwnd(int mtus) {
  Options o;
  o.mtu = kMtu;
  o.initial_cwnd_mtus = mtus;
  return o;
}

// Gap Ack Blocks from absolute TSN ranges (inclusive), relative to `cum`.
using Ranges = std::vector<std::pair<uint32_t, uint32_t>>;

RetransmissionQueue::SackResult Sack(RetransmissionQueue& q, uint32_t cum, const Ranges& ranges,
                                     TimePoint now, uint32_t a_rwnd = kBigRwnd) {
  std::vector<GapAckBlock> blocks;
  for (const auto& [s, e] : ranges) {
    blocks.push_back({static_cast<uint16_t>(Tsn(s).DistanceFrom(Tsn(cum))),
                      static_cast<uint16_t>(Tsn(e).DistanceFrom(Tsn(cum)))});
  }
  auto result = q.HandleSack(Tsn(cum), a_rwnd, PackedArray<GapAckBlock>::FromHost(blocks), now);
  EXPECT_TRUE(q.CheckInvariants()) << q.InvariantViolation();
  return result;
}

std::vector<uint32_t> Tsns(const std::vector<RetransmissionQueue::Retransmission>& r) {
  std::vector<uint32_t> out;
  for (const auto& x : r)
    out.push_back(x.tsn.value());
  return out;
}

// Adds `n` chunks of kPayload bytes (message ids = TSN) on `path`; returns the first TSN.
uint32_t AddChunks(RetransmissionQueue& q, int n, PathId path, TimePoint now) {
  const uint32_t first = q.next_tsn().value();
  for (int i = 0; i < n; ++i) {
    const uint32_t tsn = q.next_tsn().value();
    EXPECT_EQ(q.Add(Frag(tsn), path, now).value(), tsn);
  }
  EXPECT_TRUE(q.CheckInvariants()) << q.InvariantViolation();
  return first;
}

class RetransmissionQueueTest : public ::testing::Test {
 protected:
  RetransmissionQueue& Make(int cwnd_mtus = 4, uint32_t rwnd = kBigRwnd, bool pr = false,
                            bool idata = false, uint32_t initial_tsn = 1) {
    q_ = std::make_unique<RetransmissionQueue>(Tsn(initial_tsn), rwnd,
                                               OptionsWithInitialCwnd(cwnd_mtus), pr, idata);
    q_->AddPath(kPath0, kMtu);
    q_->AddPath(kPath1, kMtu);
    return *q_;
  }
  std::unique_ptr<RetransmissionQueue> q_;
};

TEST_F(RetransmissionQueueTest, SendTenChunksAckAllEmptiesQueue) {
  auto& q = Make();
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.next_tsn(), Tsn(1));
  EXPECT_EQ(q.cumulative_tsn_ack(), Tsn(0));
  AddChunks(q, 10, kPath0, kT0);
  EXPECT_EQ(q.outstanding_bytes(), 10 * kChunk);
  EXPECT_EQ(q.congestion(kPath0).flight_size(), 10 * kChunk);
  EXPECT_TRUE(q.HasOutstanding(kPath0));
  EXPECT_FALSE(q.HasOutstanding(kPath1));
  EXPECT_EQ(q.next_tsn(), Tsn(11));

  auto r = Sack(q, 10, {}, kT0 + Milliseconds(40));
  EXPECT_FALSE(r.ignored);
  EXPECT_TRUE(r.cumulative_ack_advanced);
  EXPECT_EQ(r.bytes_newly_acked, 10 * kChunk);
  EXPECT_EQ(r.paths_all_acked, std::vector<PathId>{kPath0});
  EXPECT_EQ(r.paths_with_acked_data, std::vector<PathId>{kPath0});
  ASSERT_EQ(r.rtt_samples.size(), 1u);
  EXPECT_EQ(r.rtt_samples[0], std::make_pair(kPath0, Milliseconds(40)));
  EXPECT_FALSE(r.fast_retransmit);
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.outstanding_bytes(), 0u);
  EXPECT_FALSE(q.HasOutstanding(kPath0));
  EXPECT_EQ(q.cumulative_tsn_ack(), Tsn(10));
  EXPECT_EQ(q.peer_rwnd(), kBigRwnd);
}

TEST_F(RetransmissionQueueTest, PartialCumAckRestartsT3OnlyWhenEarliestAcked) {
  auto& q = Make();
  AddChunks(q, 5, kPath0, kT0);
  // Only TSN 3 gap-acked: the earliest outstanding (1) is not acked -> no R3 restart.
  auto r = Sack(q, 0, {{3, 3}}, kT0);
  EXPECT_FALSE(r.cumulative_ack_advanced);
  EXPECT_TRUE(r.paths_restart_t3.empty());
  EXPECT_EQ(r.paths_with_acked_data, std::vector<PathId>{kPath0});
  EXPECT_TRUE(r.paths_all_acked.empty());
  EXPECT_EQ(q.outstanding_bytes(), 4 * kChunk);
  EXPECT_FALSE(q.empty());
  // Cum ack 2 acknowledges the earliest: restart.
  r = Sack(q, 2, {{3, 3}}, kT0);
  EXPECT_EQ(r.paths_restart_t3, std::vector<PathId>{kPath0});
  EXPECT_EQ(q.outstanding_bytes(), 2 * kChunk);
  EXPECT_EQ(q.unacked_chunks(), 3u);  // 3 (gap-acked), 4, 5
}

TEST_F(RetransmissionQueueTest, GapAckedChunksAreNotRetransmittedOnT3) {
  auto& q = Make();
  AddChunks(q, 5, kPath0, kT0);
  Sack(q, 0, {{2, 3}}, kT0);
  q.HandleT3Expiry(kPath0);
  EXPECT_TRUE(q.CheckInvariants()) << q.InvariantViolation();
  EXPECT_EQ(Tsns(q.TakeRetransmissions(kPath0, 10 * kChunk, kT0)),
            (std::vector<uint32_t>{1, 4, 5}));
}

TEST_F(RetransmissionQueueTest, FastRetransmitOfExactlyTheHoleThenFastRecovery) {
  auto& q = Make(/*cwnd_mtus=*/20);
  const size_t cwnd0 = q.congestion(kPath0).cwnd();
  ASSERT_EQ(cwnd0, 20 * kPmdcs);
  AddChunks(q, 20, kPath0, kT0);  // TSN 1..20; 2 and 8 will be lost

  auto r = Sack(q, 1, {{3, 3}}, kT0);
  EXPECT_FALSE(r.fast_retransmit);
  r = Sack(q, 1, {{3, 4}}, kT0);
  EXPECT_FALSE(r.fast_retransmit);
  EXPECT_FALSE(q.HasRetransmissions());
  r = Sack(q, 1, {{3, 5}}, kT0);  // third miss indication for TSN 2
  EXPECT_TRUE(r.fast_retransmit);
  EXPECT_TRUE(r.entered_fast_recovery);
  EXPECT_TRUE(q.in_fast_recovery());
  EXPECT_EQ(q.congestion(kPath0).cwnd(), cwnd0 / 2);  // §7.2.3, once
  EXPECT_EQ(q.congestion(kPath0).ssthresh(), cwnd0 / 2);
  EXPECT_TRUE(q.HasRetransmissions());
  // Marked chunks leave the flight and return to rwnd (§6.2.1 C).
  EXPECT_EQ(q.outstanding_bytes(), (20 - 5) * kChunk);
  EXPECT_EQ(q.peer_rwnd(), kBigRwnd - (20 - 5) * kChunk);

  auto rtx = q.TakeRetransmissions(kPath0, kPmdcs, kT0);
  EXPECT_EQ(Tsns(rtx), std::vector<uint32_t>{2});
  ASSERT_EQ(rtx.size(), 1u);
  EXPECT_EQ(rtx[0].fragment->message_id, 2u);
  EXPECT_FALSE(q.HasRetransmissions());

  // A second hole (TSN 8) while in Fast Recovery: marked after three misses, no second cut.
  r = Sack(q, 1, {{3, 7}, {9, 9}}, kT0);
  EXPECT_FALSE(r.fast_retransmit);
  r = Sack(q, 1, {{3, 7}, {9, 10}}, kT0);
  EXPECT_FALSE(r.fast_retransmit);
  r = Sack(q, 1, {{3, 7}, {9, 11}}, kT0);
  EXPECT_TRUE(r.fast_retransmit);
  EXPECT_FALSE(r.entered_fast_recovery);
  EXPECT_EQ(q.congestion(kPath0).cwnd(), cwnd0 / 2);
  EXPECT_EQ(q.congestion(kPath0).ssthresh(), cwnd0 / 2);
  // TSN 2 was fast retransmitted already: never marked again by miss indications.
  EXPECT_EQ(Tsns(q.TakeRetransmissions(kPath0, kPmdcs, kT0)), std::vector<uint32_t>{8});

  // The retransmitted TSN 2 arrives: cum ack 7, still in Fast Recovery (exit point 20).
  r = Sack(q, 7, {{9, 11}}, kT0);
  EXPECT_TRUE(r.cumulative_ack_advanced);
  EXPECT_TRUE(q.in_fast_recovery());
  EXPECT_FALSE(q.HasRetransmissions());
  // No slow-start growth during Fast Recovery even though the window was used.
  EXPECT_EQ(q.congestion(kPath0).cwnd(), cwnd0 / 2);

  r = Sack(q, 19, {}, kT0);
  EXPECT_TRUE(q.in_fast_recovery());
  r = Sack(q, 20, {}, kT0);  // reaches the exit point
  EXPECT_FALSE(q.in_fast_recovery());
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(r.paths_all_acked, std::vector<PathId>{kPath0});
}

TEST_F(RetransmissionQueueTest, NewLossAfterFastRecoveryExitCutsCwndAgain) {
  auto& q = Make(20);
  const size_t cwnd0 = q.congestion(kPath0).cwnd();
  AddChunks(q, 10, kPath0, kT0);
  Sack(q, 0, {{2, 2}}, kT0);
  Sack(q, 0, {{2, 3}}, kT0);
  Sack(q, 0, {{2, 4}}, kT0);
  ASSERT_EQ(q.congestion(kPath0).cwnd(), cwnd0 / 2);
  q.TakeRetransmissions(kPath0, kPmdcs, kT0);
  Sack(q, 10, {}, kT0);
  ASSERT_FALSE(q.in_fast_recovery());
  AddChunks(q, 10, kPath0, kT0);  // 11..20
  Sack(q, 10, {{12, 12}}, kT0);
  Sack(q, 10, {{12, 13}}, kT0);
  auto r = Sack(q, 10, {{12, 14}}, kT0);
  EXPECT_TRUE(r.entered_fast_recovery);
  EXPECT_EQ(q.congestion(kPath0).cwnd(), std::max(cwnd0 / 4, 4 * kPmdcs));
}

TEST_F(RetransmissionQueueTest, MissIndicationsOnlyBelowHighestNewlyAcked) {
  auto& q = Make(20);
  AddChunks(q, 10, kPath0, kT0);
  Sack(q, 0, {{5, 5}}, kT0);  // HTNA 5: TSN 1-4 get one miss each
  // Newly acked: only TSN 2 -> HTNA 2: only TSN 1 is struck (3 and 4 are above HTNA).
  Sack(q, 0, {{2, 2}, {5, 5}}, kT0);
  EXPECT_FALSE(q.HasRetransmissions());
  // Newly acked TSN 6 -> HTNA 6: TSN 1 (third), 3 and 4 (second).
  auto r = Sack(q, 0, {{2, 2}, {5, 6}}, kT0);
  EXPECT_TRUE(r.fast_retransmit);
  EXPECT_EQ(Tsns(q.TakeRetransmissions(kPath0, 10 * kChunk, kT0)), std::vector<uint32_t>{1});
  r = Sack(q, 0, {{2, 2}, {5, 7}}, kT0);
  EXPECT_TRUE(r.fast_retransmit);
  EXPECT_EQ(Tsns(q.TakeRetransmissions(kPath0, 10 * kChunk, kT0)), (std::vector<uint32_t>{3, 4}));
}

TEST_F(RetransmissionQueueTest, DuplicateSacksAddNoMissIndications) {
  auto& q = Make(20);
  AddChunks(q, 10, kPath0, kT0);
  Sack(q, 0, {{3, 3}}, kT0);
  for (int i = 0; i < 5; ++i) {
    auto r = Sack(q, 0, {{3, 3}}, kT0);
    EXPECT_FALSE(r.ignored);
    EXPECT_FALSE(r.fast_retransmit);
    EXPECT_EQ(r.bytes_newly_acked, 0u);
    EXPECT_TRUE(r.paths_with_acked_data.empty());
  }
  EXPECT_FALSE(q.HasRetransmissions());
  Sack(q, 0, {{3, 4}}, kT0);
  EXPECT_FALSE(q.HasRetransmissions());
  EXPECT_TRUE(Sack(q, 0, {{3, 5}}, kT0).fast_retransmit);
}

TEST_F(RetransmissionQueueTest, OldSackIsIgnored) {
  auto& q = Make();
  AddChunks(q, 10, kPath0, kT0);
  Sack(q, 5, {}, kT0, 50000);
  const uint32_t rwnd = q.peer_rwnd();
  EXPECT_EQ(rwnd, 50000 - 5 * kChunk);
  auto r = Sack(q, 3, {{5, 7}}, kT0, 1000);
  EXPECT_TRUE(r.ignored);
  EXPECT_FALSE(r.acks_unsent_tsn);
  EXPECT_EQ(q.peer_rwnd(), rwnd);
  EXPECT_EQ(q.cumulative_tsn_ack(), Tsn(5));
  EXPECT_EQ(q.outstanding_bytes(), 5 * kChunk);
}

TEST_F(RetransmissionQueueTest, SackOfUnsentTsnIsFlagged) {
  auto& q = Make();
  AddChunks(q, 10, kPath0, kT0);
  auto r = Sack(q, 11, {}, kT0);
  EXPECT_TRUE(r.ignored);
  EXPECT_TRUE(r.acks_unsent_tsn);
  r = Sack(q, 5, {{7, 11}}, kT0);
  EXPECT_TRUE(r.ignored);
  EXPECT_TRUE(r.acks_unsent_tsn);
  EXPECT_EQ(q.cumulative_tsn_ack(), Tsn(0));
  EXPECT_EQ(q.outstanding_bytes(), 10 * kChunk);
}

TEST_F(RetransmissionQueueTest, MalformedGapBlocksAreSkipped) {
  auto& q = Make();
  AddChunks(q, 10, kPath0, kT0);
  std::vector<GapAckBlock> blocks = {{0, 2}, {5, 4}, {3, 3}};
  auto r = q.HandleSack(Tsn(0), kBigRwnd, PackedArray<GapAckBlock>::FromHost(blocks), kT0);
  EXPECT_FALSE(r.ignored);
  EXPECT_EQ(r.bytes_newly_acked, kChunk);  // only TSN 3
  EXPECT_TRUE(q.CheckInvariants()) << q.InvariantViolation();
}

TEST_F(RetransmissionQueueTest, T3ExpiryMarksOnlyThatPathsChunks) {
  auto& q = Make();
  AddChunks(q, 3, kPath0, kT0);  // 1..3
  AddChunks(q, 2, kPath1, kT0);  // 4..5
  const size_t cwnd1 = q.congestion(kPath1).cwnd();
  ASSERT_EQ(q.congestion(kPath0).cwnd(), 4404u);
  q.HandleT3Expiry(kPath0);
  EXPECT_TRUE(q.CheckInvariants()) << q.InvariantViolation();
  // E1 on path 0 only.
  EXPECT_EQ(q.congestion(kPath0).cwnd(), kPmdcs);
  EXPECT_EQ(q.congestion(kPath0).ssthresh(), 4 * kPmdcs);
  EXPECT_EQ(q.congestion(kPath1).cwnd(), cwnd1);
  EXPECT_FALSE(q.HasOutstanding(kPath0));
  EXPECT_TRUE(q.HasOutstanding(kPath1));
  EXPECT_EQ(q.outstanding_bytes(), 2 * kChunk);
  EXPECT_EQ(q.peer_rwnd(), kBigRwnd - 2 * kChunk);
  EXPECT_TRUE(q.HasRetransmissions());
  // After the timeout one packet may be in flight on path 0.
  EXPECT_EQ(q.SendableBytes(kPath0), kPmdcs);
  // T3 marks may go to another path (§6.4).
  auto rtx = q.TakeRetransmissions(kPath1, 100 * kChunk, kT0);
  EXPECT_EQ(Tsns(rtx), (std::vector<uint32_t>{1, 2, 3}));
  EXPECT_EQ(q.congestion(kPath1).flight_size(), 5 * kChunk);
  EXPECT_EQ(q.congestion(kPath0).flight_size(), 0u);
  EXPECT_TRUE(q.HasOutstanding(kPath0) == false);
  EXPECT_FALSE(q.HasRetransmissions());
}

TEST_F(RetransmissionQueueTest, KarnNoRttSampleFromRetransmittedChunks) {
  auto& q = Make();
  AddChunks(q, 2, kPath0, kT0);  // 1, 2
  q.HandleT3Expiry(kPath0);
  // Retransmit only TSN 1.
  EXPECT_EQ(Tsns(q.TakeRetransmissions(kPath0, kChunk, kT0 + Seconds(1))),
            std::vector<uint32_t>{1});
  auto r = Sack(q, 1, {}, kT0 + Milliseconds(1100));
  EXPECT_TRUE(r.rtt_samples.empty());
  // TSN 2 was sent once, but before TSN 1 was retransmitted (§6.3.1 C5 second paragraph).
  r = Sack(q, 2, {}, kT0 + Milliseconds(1200));
  EXPECT_TRUE(r.cumulative_ack_advanced);
  EXPECT_TRUE(r.rtt_samples.empty());
  // New data sent after the retransmission gives a sample again.
  AddChunks(q, 1, kPath0, kT0 + Seconds(2));
  r = Sack(q, 3, {}, kT0 + Seconds(2) + Milliseconds(50));
  ASSERT_EQ(r.rtt_samples.size(), 1u);
  EXPECT_EQ(r.rtt_samples[0].second, Milliseconds(50));
}

TEST_F(RetransmissionQueueTest, OneRttSamplePerPathFromNewestChunk) {
  auto& q = Make();
  AddChunks(q, 2, kPath0, kT0);
  AddChunks(q, 2, kPath1, kT0 + Milliseconds(10));
  AddChunks(q, 1, kPath0, kT0 + Milliseconds(20));
  auto r = Sack(q, 5, {}, kT0 + Milliseconds(100));
  ASSERT_EQ(r.rtt_samples.size(), 2u);
  EXPECT_EQ(r.rtt_samples[0], std::make_pair(kPath0, Milliseconds(80)));
  EXPECT_EQ(r.rtt_samples[1], std::make_pair(kPath1, Milliseconds(90)));
}

TEST_F(RetransmissionQueueTest, PeerRwndAccounting) {
  auto& q = Make(4, 10000);
  EXPECT_EQ(q.peer_rwnd(), 10000u);
  AddChunks(q, 3, kPath0, kT0);
  EXPECT_EQ(q.peer_rwnd(), 10000 - 3 * kChunk);  // §6.2.1 B
  Sack(q, 1, {}, kT0, 5000);
  EXPECT_EQ(q.peer_rwnd(), 5000 - 2 * kChunk);  // §6.2.1 D ii
  q.HandleT3Expiry(kPath0);
  EXPECT_EQ(q.peer_rwnd(), 5000u);  // §6.2.1 C
  q.TakeRetransmissions(kPath0, kPmdcs, kT0);
  EXPECT_EQ(q.peer_rwnd(), 5000 - 2 * kChunk);  // B again on retransmission
  // rwnd smaller than cwnd allowance limits new data.
  // (Path 0 may have one packet in flight after its timeout; path 1's cwnd is untouched.)
  EXPECT_EQ(q.SendableBytes(kPath0), 0u);
  Sack(q, 1, {}, kT0, 300);
  EXPECT_EQ(q.peer_rwnd(), 300 - 2 * kChunk);
  EXPECT_EQ(q.SendableBytes(kPath1), 300 - 2 * kChunk);
  Sack(q, 1, {}, kT0, 100);
  EXPECT_EQ(q.peer_rwnd(), 0u);
  EXPECT_EQ(q.SendableBytes(kPath1), 0u);  // data outstanding: no probe
}

TEST_F(RetransmissionQueueTest, ZeroWindowProbeIsExactlyOneChunk) {
  auto& q = Make(4, 10000);
  AddChunks(q, 2, kPath0, kT0);
  Sack(q, 2, {}, kT0, 0);
  ASSERT_TRUE(q.empty());
  EXPECT_EQ(q.peer_rwnd(), 0u);
  // Nothing in flight, everything cum-acked: one chunk may probe the window.
  EXPECT_EQ(q.SendableBytes(kPath0), kPmdcs);
  EXPECT_EQ(q.SendableBytes(kPath1), kPmdcs);
  AddChunks(q, 1, kPath0, kT0);  // the probe, TSN 3
  EXPECT_EQ(q.SendableBytes(kPath0), 0u);
  EXPECT_EQ(q.SendableBytes(kPath1), 0u);
  // Window still closed; the probe is retransmitted on T3 expiry, nothing new is sent.
  Sack(q, 2, {}, kT0, 0);
  EXPECT_EQ(q.SendableBytes(kPath0), 0u);
  q.HandleT3Expiry(kPath0);
  // §6.2.1 C credits the marked probe back to rwnd; rule C sends it before new data, which
  // takes the credit again.
  EXPECT_TRUE(q.HasRetransmissions());
  EXPECT_EQ(Tsns(q.TakeRetransmissions(kPath0, kPmdcs, kT0)), std::vector<uint32_t>{3});
  EXPECT_EQ(q.SendableBytes(kPath0), 0u);
  EXPECT_EQ(q.SendableBytes(kPath1), 0u);
  // Probe acked, window still 0: another probe may go.
  Sack(q, 3, {}, kT0, 0);
  EXPECT_EQ(q.SendableBytes(kPath1), kPmdcs);
  // The window opens.
  Sack(q, 3, {}, kT0, 3000);
  EXPECT_EQ(q.SendableBytes(kPath1), 3000u);
}

TEST_F(RetransmissionQueueTest, NoProbeWhileGapAckedDataIsUnacked) {
  auto& q = Make(4, 10000);
  AddChunks(q, 3, kPath0, kT0);
  q.HandleT3Expiry(kPath0);  // nothing in flight
  Sack(q, 0, {{2, 3}}, kT0, 0);
  EXPECT_EQ(q.outstanding_bytes(), 0u);
  EXPECT_EQ(q.SendableBytes(kPath1), 0u);
}

TEST_F(RetransmissionQueueTest, SlowStartGrowsOnlyWhenCwndUsed) {
  auto& q = Make();
  const size_t big = 1000, chunk = 16 + big;
  ASSERT_EQ(q.congestion(kPath0).cwnd(), 4404u);
  int n = 0;
  while (q.SendableBytes(kPath0) >= chunk) {
    q.Add(Frag(FragSpec{.message_id = 1, .length = big}), kPath0, kT0);
    ++n;
  }
  EXPECT_EQ(n, 5);  // 4 fill cwnd partly, the 5th breaches it by less than PMDCS (rule B)
  EXPECT_EQ(q.outstanding_bytes(), 5 * chunk);
  Sack(q, 2, {}, kT0);  // flight before (5080) >= cwnd: + min(2032, PMDCS)
  EXPECT_EQ(q.congestion(kPath0).cwnd(), 4404u + kPmdcs);
  Sack(q, 3, {}, kT0);  // flight before (3048) < cwnd: no growth
  EXPECT_EQ(q.congestion(kPath0).cwnd(), 4404u + kPmdcs);
  // Gap-acked only (cum ack not advancing): no growth either.
  while (q.SendableBytes(kPath0) >= chunk) {
    q.Add(Frag(FragSpec{.message_id = 1, .length = big}), kPath0, kT0);
  }
  ASSERT_GE(q.congestion(kPath0).flight_size(), q.congestion(kPath0).cwnd());
  Sack(q, 3, {{5, 6}}, kT0);
  EXPECT_EQ(q.congestion(kPath0).cwnd(), 4404u + kPmdcs);
}

TEST_F(RetransmissionQueueTest, RenegedChunksAreOutstandingAgain) {
  auto& q = Make();
  AddChunks(q, 5, kPath0, kT0);
  auto r = Sack(q, 0, {{2, 3}}, kT0);
  EXPECT_EQ(q.outstanding_bytes(), 3 * kChunk);
  EXPECT_TRUE(r.paths_reneged.empty());
  // The peer no longer reports 2-3.
  r = Sack(q, 0, {}, kT0);
  EXPECT_EQ(r.paths_reneged, std::vector<PathId>{kPath0});
  EXPECT_EQ(q.outstanding_bytes(), 5 * kChunk);
  EXPECT_EQ(q.peer_rwnd(), kBigRwnd - 5 * kChunk);
  q.HandleT3Expiry(kPath0);
  EXPECT_EQ(Tsns(q.TakeRetransmissions(kPath0, 100 * kChunk, kT0)),
            (std::vector<uint32_t>{1, 2, 3, 4, 5}));
}

TEST_F(RetransmissionQueueTest, ShutdownCumulativeAckIsNoRenege) {
  // RFC 9260 §9.2: "the receiver of the SHUTDOWN chunk MUST NOT interpret the lack of a Gap
  // Ack Block as a renege".
  auto& q = Make();
  AddChunks(q, 5, kPath0, kT0);
  Sack(q, 0, {{2, 3}}, kT0);
  const auto r = q.HandleSack(Tsn(1), kBigRwnd, {}, kT0, /*reports_gaps=*/false);
  EXPECT_TRUE(r.paths_reneged.empty());
  EXPECT_EQ(q.outstanding_bytes(), 2 * kChunk);  // 4 and 5; 2-3 stay gap-acked
  EXPECT_TRUE(q.CheckInvariants()) << q.InvariantViolation();
}

TEST_F(RetransmissionQueueTest, PartialRenegeKeepsReportedBlocks) {
  auto& q = Make();
  AddChunks(q, 8, kPath0, kT0);
  Sack(q, 0, {{2, 3}, {5, 6}}, kT0);
  auto r = Sack(q, 0, {{5, 6}}, kT0);
  EXPECT_EQ(r.paths_reneged, std::vector<PathId>{kPath0});
  EXPECT_EQ(q.outstanding_bytes(), 6 * kChunk);  // 1, 2, 3, 4, 7, 8
  q.HandleT3Expiry(kPath0);
  EXPECT_EQ(Tsns(q.TakeRetransmissions(kPath0, 100 * kChunk, kT0)),
            (std::vector<uint32_t>{1, 2, 3, 4, 7, 8}));
}

TEST_F(RetransmissionQueueTest, LifetimeExpiryAbandonsWholeMessageAndForwardTsn) {
  auto& q = Make(4, kBigRwnd, /*pr=*/true);
  const TimePoint expiry = kT0 + Milliseconds(100);
  q.Add(Frag(FragSpec{.message_id = 1, .ssn = 0}), kPath0, kT0);  // TSN 1, reliable
  for (int i = 0; i < 3; ++i) {                                   // TSN 2..4
    q.Add(Frag(FragSpec{.message_id = 2,
                        .stream = 2,
                        .ssn = 4,
                        .beginning = i == 0,
                        .ending = i == 2,
                        .expires_at = expiry,
                        .context = 77}),
          kPath0, kT0);
  }
  q.Add(Frag(FragSpec{.message_id = 3, .ssn = 1}), kPath0, kT0);  // TSN 5, reliable
  EXPECT_TRUE(q.AbandonExpired(kT0 + Milliseconds(50)).empty());
  EXPECT_FALSE(q.BuildForwardTsn().has_value());

  auto abandoned = q.AbandonExpired(expiry);
  ASSERT_EQ(abandoned.size(), 1u);
  EXPECT_EQ(abandoned[0].message_id, 2u);
  EXPECT_EQ(abandoned[0].context, 77u);
  EXPECT_EQ(abandoned[0].stream_id, StreamId(2));
  EXPECT_EQ(abandoned[0].ppid, Ppid(51));
  EXPECT_TRUE(q.CheckInvariants()) << q.InvariantViolation();
  EXPECT_TRUE(q.AbandonExpired(expiry + Seconds(1)).empty());  // reported once
  // Abandoned chunks are no longer outstanding (RFC 3758 A2).
  EXPECT_EQ(q.outstanding_bytes(), 2 * kChunk);
  // TSN 1 is not acked: the Advanced.Peer.Ack.Point cannot move yet.
  EXPECT_EQ(q.advanced_peer_ack_point(), Tsn(0));
  EXPECT_FALSE(q.BuildForwardTsn().has_value());

  Sack(q, 1, {}, kT0);  // C1 + C2
  EXPECT_EQ(q.advanced_peer_ack_point(), Tsn(4));
  auto fwd = q.BuildForwardTsn();
  ASSERT_TRUE(fwd.has_value());
  EXPECT_EQ(fwd->new_cumulative_tsn, Tsn(4));
  EXPECT_EQ(fwd->streams, (std::vector<wire::ForwardTsnStream>{{StreamId(2), Ssn(4)}}));
  EXPECT_TRUE(fwd->istreams.empty());
  // Abandoned chunks are not retransmitted.
  q.HandleT3Expiry(kPath0);
  EXPECT_EQ(Tsns(q.TakeRetransmissions(kPath0, 100 * kChunk, kT0)), std::vector<uint32_t>{5});

  Sack(q, 4, {}, kT0);  // the peer accepted the FORWARD-TSN
  EXPECT_FALSE(q.BuildForwardTsn().has_value());
  Sack(q, 5, {}, kT0);
  EXPECT_TRUE(q.empty());
}

TEST_F(RetransmissionQueueTest, ExpiredButFullyGapAckedMessageIsNotAbandoned) {
  auto& q = Make(4, kBigRwnd, true);
  q.Add(Frag(FragSpec{.message_id = 1}), kPath0, kT0);
  q.Add(Frag(FragSpec{.message_id = 2, .expires_at = kT0 + Milliseconds(1)}), kPath0, kT0);
  Sack(q, 0, {{2, 2}}, kT0);
  EXPECT_TRUE(q.AbandonExpired(kT0 + Seconds(1)).empty());
  Sack(q, 2, {}, kT0);
  EXPECT_TRUE(q.empty());
}

TEST_F(RetransmissionQueueTest, ForwardTsnReportsHighestOrderedSsnPerStream) {
  auto& q = Make(4, kBigRwnd, true);
  const TimePoint expiry = kT0 + Milliseconds(1);
  q.Add(Frag(FragSpec{.message_id = 1, .stream = 1, .ssn = 3, .expires_at = expiry}), kPath0, kT0);
  q.Add(Frag(FragSpec{.message_id = 2, .stream = 1, .ssn = 4, .expires_at = expiry}), kPath0, kT0);
  q.Add(Frag(FragSpec{.message_id = 3, .stream = 3, .unordered = true, .expires_at = expiry}),
        kPath0, kT0);
  q.Add(Frag(FragSpec{.message_id = 4, .stream = 0, .ssn = 9, .expires_at = expiry}), kPath0, kT0);
  q.Add(Frag(FragSpec{.message_id = 5, .stream = 0, .ssn = 10}), kPath0, kT0);  // reliable
  EXPECT_EQ(q.AbandonExpired(expiry).size(), 4u);
  auto fwd = q.BuildForwardTsn();
  ASSERT_TRUE(fwd.has_value());
  EXPECT_EQ(fwd->new_cumulative_tsn, Tsn(4));
  EXPECT_EQ(fwd->streams,
            (std::vector<wire::ForwardTsnStream>{{StreamId(0), Ssn(9)}, {StreamId(1), Ssn(4)}}));
}

TEST_F(RetransmissionQueueTest, IForwardTsnListsMidsPerStreamAndOrdering) {
  auto& q = Make(4, kBigRwnd, true, /*idata=*/true);
  const TimePoint expiry = kT0 + Milliseconds(1);
  q.Add(Frag(FragSpec{.message_id = 1, .stream = 1, .mid = 7, .expires_at = expiry}), kPath0, kT0);
  q.Add(Frag(FragSpec{
            .message_id = 2, .stream = 1, .mid = 2, .unordered = true, .expires_at = expiry}),
        kPath0, kT0);
  q.Add(Frag(FragSpec{.message_id = 3, .stream = 1, .mid = 8, .expires_at = expiry}), kPath0, kT0);
  EXPECT_EQ(q.outstanding_bytes(), 3 * (20 + kPayload));  // I-DATA header
  EXPECT_EQ(q.AbandonExpired(expiry).size(), 3u);
  auto fwd = q.BuildForwardTsn();
  ASSERT_TRUE(fwd.has_value());
  EXPECT_EQ(fwd->new_cumulative_tsn, Tsn(3));
  EXPECT_TRUE(fwd->streams.empty());
  EXPECT_EQ(fwd->istreams, (std::vector<wire::IForwardTsnStream>{{StreamId(1), false, Mid(8)},
                                                                 {StreamId(1), true, Mid(2)}}));
}

TEST_F(RetransmissionQueueTest, ForwardTsnFitsInOnePacket) {
  // C4: lower the new cumulative TSN so that the chunk fits in PMDCS. (1188 - 8) / 4 = 295.
  auto& q = Make(4, kBigRwnd, true);
  const TimePoint expiry = kT0 + Milliseconds(1);
  for (uint16_t s = 0; s < 300; ++s) {
    q.Add(Frag(FragSpec{.message_id = s + 1u, .length = 1, .stream = s, .expires_at = expiry}),
          kPath0, kT0);
  }
  EXPECT_EQ(q.AbandonExpired(expiry).size(), 300u);
  EXPECT_EQ(q.advanced_peer_ack_point(), Tsn(300));
  auto fwd = q.BuildForwardTsn();
  ASSERT_TRUE(fwd.has_value());
  EXPECT_EQ(fwd->streams.size(), 295u);
  EXPECT_EQ(fwd->new_cumulative_tsn, Tsn(295));
  Sack(q, 295, {}, kT0);
  fwd = q.BuildForwardTsn();
  ASSERT_TRUE(fwd.has_value());
  EXPECT_EQ(fwd->new_cumulative_tsn, Tsn(300));
  EXPECT_EQ(fwd->streams.size(), 5u);
}

TEST_F(RetransmissionQueueTest, MaxRetransmissionsZeroAbandonsOnFirstT3) {
  auto& q = Make(4, kBigRwnd, true);
  q.Add(Frag(FragSpec{
            .message_id = 1, .stream = 5, .ssn = 2, .max_retransmissions = 0, .context = 9}),
        kPath0, kT0);
  q.Add(Frag(FragSpec{.message_id = 2, .stream = 5, .ssn = 3}), kPath0, kT0);
  q.HandleT3Expiry(kPath0);
  EXPECT_TRUE(q.CheckInvariants()) << q.InvariantViolation();
  // The congestion adjustment still happens (RFC 3758 F5).
  EXPECT_EQ(q.congestion(kPath0).cwnd(), kPmdcs);
  auto abandoned = q.AbandonExpired(kT0);
  ASSERT_EQ(abandoned.size(), 1u);
  EXPECT_EQ(abandoned[0].message_id, 1u);
  EXPECT_EQ(abandoned[0].context, 9u);
  EXPECT_EQ(Tsns(q.TakeRetransmissions(kPath0, 100 * kChunk, kT0)), std::vector<uint32_t>{2});
  auto fwd = q.BuildForwardTsn();
  ASSERT_TRUE(fwd.has_value());
  EXPECT_EQ(fwd->new_cumulative_tsn, Tsn(1));
  EXPECT_EQ(fwd->streams, (std::vector<wire::ForwardTsnStream>{{StreamId(5), Ssn(2)}}));
}

TEST_F(RetransmissionQueueTest, MaxRetransmissionsOneAllowsOneRetransmission) {
  auto& q = Make(4, kBigRwnd, true);
  q.Add(Frag(FragSpec{.message_id = 1, .max_retransmissions = 1}), kPath0, kT0);
  q.HandleT3Expiry(kPath0);
  EXPECT_TRUE(q.AbandonExpired(kT0).empty());
  EXPECT_EQ(Tsns(q.TakeRetransmissions(kPath0, kPmdcs, kT0)), std::vector<uint32_t>{1});
  q.HandleT3Expiry(kPath0);
  EXPECT_EQ(q.AbandonExpired(kT0).size(), 1u);
  EXPECT_FALSE(q.HasRetransmissions());
  EXPECT_EQ(q.outstanding_bytes(), 0u);
}

TEST_F(RetransmissionQueueTest, FastRetransmitOverLimitAbandonsAndStillCutsCwnd) {
  auto& q = Make(20, kBigRwnd, true);
  const size_t cwnd0 = q.congestion(kPath0).cwnd();
  q.Add(Frag(FragSpec{.message_id = 1, .max_retransmissions = 0}), kPath0, kT0);
  AddChunks(q, 4, kPath0, kT0);  // 2..5
  Sack(q, 0, {{2, 2}}, kT0);
  Sack(q, 0, {{2, 3}}, kT0);
  auto r = Sack(q, 0, {{2, 4}}, kT0);
  EXPECT_FALSE(r.fast_retransmit);  // nothing to retransmit: TSN 1 was abandoned
  EXPECT_TRUE(r.entered_fast_recovery);
  EXPECT_EQ(q.congestion(kPath0).cwnd(), cwnd0 / 2);
  EXPECT_FALSE(q.HasRetransmissions());
  EXPECT_EQ(q.AbandonExpired(kT0).size(), 1u);
  EXPECT_EQ(q.advanced_peer_ack_point(), Tsn(1));
}

TEST_F(RetransmissionQueueTest, ExpiredChunkIsAbandonedInsteadOfRetransmitted) {
  auto& q = Make(4, kBigRwnd, true);
  q.Add(Frag(FragSpec{.message_id = 1, .expires_at = kT0 + Seconds(1)}), kPath0, kT0);
  AddChunks(q, 1, kPath0, kT0);
  q.HandleT3Expiry(kPath0);
  EXPECT_EQ(Tsns(q.TakeRetransmissions(kPath0, kPmdcs, kT0 + Seconds(2))),
            std::vector<uint32_t>{2});
  auto abandoned = q.AbandonExpired(kT0 + Seconds(2));
  ASSERT_EQ(abandoned.size(), 1u);
  EXPECT_EQ(abandoned[0].message_id, 1u);
}

TEST_F(RetransmissionQueueTest, LateFragmentOfAbandonedMessageIsAbandonedToo) {
  auto& q = Make(4, kBigRwnd, true);
  q.Add(Frag(FragSpec{.message_id = 1, .ending = false, .max_retransmissions = 0}), kPath0, kT0);
  q.HandleT3Expiry(kPath0);
  EXPECT_EQ(q.AbandonExpired(kT0).size(), 1u);
  q.Add(Frag(FragSpec{.message_id = 1, .beginning = false, .max_retransmissions = 0}), kPath0, kT0);
  EXPECT_EQ(q.outstanding_bytes(), 0u);
  EXPECT_EQ(q.advanced_peer_ack_point(), Tsn(2));
  EXPECT_TRUE(q.AbandonExpired(kT0).empty());
}

TEST_F(RetransmissionQueueTest, NothingIsAbandonedWithoutPrSctp) {
  auto& q = Make(4, kBigRwnd, /*pr=*/false);
  q.Add(Frag(FragSpec{.message_id = 1, .expires_at = kT0, .max_retransmissions = 0}), kPath0, kT0);
  EXPECT_TRUE(q.AbandonExpired(kT0 + Seconds(10)).empty());
  q.HandleT3Expiry(kPath0);
  EXPECT_TRUE(q.AbandonExpired(kT0 + Seconds(10)).empty());
  EXPECT_EQ(Tsns(q.TakeRetransmissions(kPath0, kPmdcs, kT0 + Seconds(10))),
            std::vector<uint32_t>{1});
  EXPECT_FALSE(q.BuildForwardTsn().has_value());
}

TEST_F(RetransmissionQueueTest, TsnWrapAround) {
  auto& q = Make(20, kBigRwnd, false, false, /*initial_tsn=*/0xFFFFFFF0u);
  EXPECT_EQ(q.cumulative_tsn_ack(), Tsn(0xFFFFFFEFu));
  AddChunks(q, 40, kPath0, kT0);  // 0xFFFFFFF0 .. 0x17
  EXPECT_EQ(q.next_tsn(), Tsn(0x18));
  // Lose 0x00000004; cum ack crosses the wrap.
  auto r = Sack(q, 3, {{5, 5}}, kT0);
  EXPECT_TRUE(r.cumulative_ack_advanced);
  EXPECT_EQ(q.cumulative_tsn_ack(), Tsn(3));
  Sack(q, 3, {{5, 6}}, kT0);
  r = Sack(q, 3, {{5, 7}}, kT0);
  EXPECT_TRUE(r.fast_retransmit);
  EXPECT_EQ(Tsns(q.TakeRetransmissions(kPath0, kPmdcs, kT0)), std::vector<uint32_t>{4});
  // An old SACK from before the wrap is ignored.
  EXPECT_TRUE(Sack(q, 0xFFFFFFF5u, {}, kT0).ignored);
  r = Sack(q, 0x17, {}, kT0);
  EXPECT_TRUE(q.empty());
  EXPECT_FALSE(q.in_fast_recovery());
  EXPECT_EQ(q.cumulative_tsn_ack(), Tsn(0x17));
}

TEST_F(RetransmissionQueueTest, TwoPathsHaveSeparateCongestionWindows) {
  auto& q = Make(20);
  const size_t cwnd0 = q.congestion(kPath0).cwnd();
  AddChunks(q, 10, kPath0, kT0);  // 1..10
  AddChunks(q, 10, kPath1, kT0);  // 11..20
  EXPECT_EQ(q.congestion(kPath0).flight_size(), 10 * kChunk);
  EXPECT_EQ(q.congestion(kPath1).flight_size(), 10 * kChunk);
  auto r = Sack(q, 10, {{12, 12}}, kT0);  // TSN 11 lost on path 1
  EXPECT_EQ(r.paths_all_acked, std::vector<PathId>{kPath0});
  EXPECT_EQ(r.paths_with_acked_data, (std::vector<PathId>{kPath0, kPath1}));
  Sack(q, 10, {{12, 13}}, kT0);
  r = Sack(q, 10, {{12, 14}}, kT0);
  EXPECT_TRUE(r.entered_fast_recovery);
  EXPECT_EQ(q.congestion(kPath0).cwnd(), cwnd0);
  EXPECT_EQ(q.congestion(kPath1).cwnd(), cwnd0 / 2);
  // Fast retransmissions stay with the path the chunk was sent on (§6.4).
  EXPECT_TRUE(q.HasRetransmissions());
  EXPECT_FALSE(q.HasRetransmissions(kPath0));
  EXPECT_TRUE(q.HasRetransmissions(kPath1));
  EXPECT_TRUE(q.TakeRetransmissions(kPath0, kPmdcs, kT0).empty());
  EXPECT_TRUE(q.HasOutstanding(kPath1));
  EXPECT_EQ(Tsns(q.TakeRetransmissions(kPath1, kPmdcs, kT0)), std::vector<uint32_t>{11});
}

TEST_F(RetransmissionQueueTest, OnPathInactiveReleasesFastRetransmissions) {
  auto& q = Make(20);
  AddChunks(q, 10, kPath1, kT0);  // 1..10 on path 1
  Sack(q, 0, {{2, 2}}, kT0);
  Sack(q, 0, {{2, 3}}, kT0);
  Sack(q, 0, {{2, 4}}, kT0);
  ASSERT_TRUE(q.HasRetransmissions(kPath1));
  ASSERT_FALSE(q.HasRetransmissions(kPath0));
  q.OnPathInactive(kPath1);
  EXPECT_TRUE(q.CheckInvariants()) << q.InvariantViolation();
  EXPECT_TRUE(q.HasRetransmissions(kPath0));
  auto rtx = q.TakeRetransmissions(kPath0, kPmdcs, kT0);
  EXPECT_EQ(Tsns(rtx), std::vector<uint32_t>{1});
  EXPECT_EQ(q.congestion(kPath0).flight_size(), kChunk);
  EXPECT_TRUE(q.HasOutstanding(kPath0));
  EXPECT_FALSE(q.HasRetransmissions());
}

TEST_F(RetransmissionQueueTest, T3OnPathConvertsItsPendingFastRetransmissions) {
  auto& q = Make(20);
  AddChunks(q, 10, kPath1, kT0);
  Sack(q, 0, {{2, 2}}, kT0);
  Sack(q, 0, {{2, 3}}, kT0);
  Sack(q, 0, {{2, 4}}, kT0);
  ASSERT_FALSE(q.HasRetransmissions(kPath0));
  q.HandleT3Expiry(kPath1);
  EXPECT_FALSE(q.in_fast_recovery());
  EXPECT_FALSE(q.HasOutstanding(kPath1));
  EXPECT_EQ(Tsns(q.TakeRetransmissions(kPath0, 100 * kChunk, kT0)),
            (std::vector<uint32_t>{1, 5, 6, 7, 8, 9, 10}));
}

TEST_F(RetransmissionQueueTest, TakeRetransmissionsFastFirstThenT3WithinMaxBytes) {
  auto& q = Make(20);
  AddChunks(q, 8, kPath0, kT0);  // 1..8
  AddChunks(q, 2, kPath1, kT0);  // 9, 10
  Sack(q, 3, {{5, 5}}, kT0);
  Sack(q, 3, {{5, 6}}, kT0);
  Sack(q, 3, {{5, 7}}, kT0);  // TSN 4 fast-marked for path 0
  q.HandleT3Expiry(kPath1);   // 9, 10 T3-marked
  EXPECT_TRUE(q.TakeRetransmissions(kPath0, kChunk - 1, kT0).empty());
  EXPECT_EQ(Tsns(q.TakeRetransmissions(kPath0, 2 * kChunk, kT0)), (std::vector<uint32_t>{4, 9}));
  EXPECT_TRUE(q.HasRetransmissions());
  EXPECT_EQ(Tsns(q.TakeRetransmissions(kPath1, kPmdcs, kT0)), std::vector<uint32_t>{10});
  EXPECT_FALSE(q.HasRetransmissions());
  EXPECT_EQ(q.congestion(kPath0).flight_size(), 3 * kChunk);  // 4, 8, 9
  EXPECT_EQ(q.congestion(kPath1).flight_size(), kChunk);      // 10
}

TEST_F(RetransmissionQueueTest, IdleDecayThroughQueue) {
  auto& q = Make(20);
  AddChunks(q, 1, kPath0, kT0);
  Sack(q, 1, {}, kT0);
  q.MaybeDecayIdleCwnd(kPath0, kT0 + Milliseconds(500), Seconds(1));
  EXPECT_EQ(q.congestion(kPath0).cwnd(), 20 * kPmdcs);
  q.MaybeDecayIdleCwnd(kPath0, kT0 + Seconds(1), Seconds(1));
  EXPECT_EQ(q.congestion(kPath0).cwnd(), 10 * kPmdcs);
  EXPECT_EQ(q.congestion(kPath0).ssthresh(), 20 * kPmdcs);
  // Path 1 never sent: nothing to decay.
  q.MaybeDecayIdleCwnd(kPath1, kT0 + Seconds(10), Seconds(1));
  EXPECT_EQ(q.congestion(kPath1).cwnd(), 20 * kPmdcs);
}

// ---------------------------------------------------------------------------------------------
// Randomized: a lossy network between the queue and an independent, simple receiver model.

struct ReceiverModel {
  explicit ReceiverModel(int64_t initial_tsn) : cum(initial_tsn - 1) {}

  void Receive(int64_t u, size_t bytes) {
    if (u <= cum || above.count(u)) return;  // duplicate
    above.emplace(u, bytes);
    buffered += bytes;
    Advance();
  }
  void Forward(int64_t new_cum) {
    while (!above.empty() && above.begin()->first <= new_cum) {
      buffered -= above.begin()->second;
      above.erase(above.begin());
    }
    cum = std::max(cum, new_cum);
    Advance();
  }
  void Advance() {
    while (!above.empty() && above.begin()->first == cum + 1) {
      buffered -= above.begin()->second;
      above.erase(above.begin());
      ++cum;
    }
  }
  // Forgets one out-of-order TSN (RFC 9260 allows reneging).
  void Renege(std::mt19937_64& rng) {
    if (above.empty()) return;
    auto it = above.begin();
    std::advance(it, static_cast<long>(rng() % above.size()));
    buffered -= it->second;
    above.erase(it);
  }
  struct SackInfo {
    uint32_t cum;
    std::vector<GapAckBlock> blocks;
    uint32_t a_rwnd;
  };
  SackInfo MakeSack(uint32_t window) const {
    SackInfo s{static_cast<uint32_t>(cum), {}, 0};
    s.a_rwnd = buffered >= window ? 0 : static_cast<uint32_t>(window - buffered);
    std::optional<std::pair<int64_t, int64_t>> run;
    for (const auto& [u, bytes] : above) {
      if (run && u == run->second + 1) {
        run->second = u;
        continue;
      }
      if (run) {
        s.blocks.push_back(
            {static_cast<uint16_t>(run->first - cum), static_cast<uint16_t>(run->second - cum)});
      }
      run = {u, u};
    }
    if (run) {
      s.blocks.push_back(
          {static_cast<uint16_t>(run->first - cum), static_cast<uint16_t>(run->second - cum)});
    }
    return s;
  }

  int64_t cum;
  std::map<int64_t, size_t> above;
  size_t buffered = 0;
};

struct SimConfig {
  uint64_t seed;
  uint32_t initial_tsn;
  int total_chunks;
  bool pr_sctp;
  // Options::repeat_fast_retransmit; off = RFC 9260 §7.2.4 step 5 exactly, where lost
  // retransmissions are recovered by T3-rtx (so the T3 paths get exercised).
  bool repeat_fast_retransmit = false;
};

struct SimCounts {
  int fast_recoveries = 0, t3_expiries = 0, reneges = 0, ignored_sacks = 0, rtt_samples = 0,
      abandoned = 0, forward_tsns = 0;
};

// Drives the queue like an association would (two paths, T3-rtx timers per path, fast
// retransmission packets, FORWARD-TSN), over a network that loses 10% of DATA chunks, 5% of
// SACKs, reorders SACKs and sometimes makes the receiver renege. Checks the invariants after
// every call and that everything is eventually acknowledged (or, with PR-SCTP, abandoned and
// reported).
void RunLossySimulation(const SimConfig& config, SimCounts* counts = nullptr) {
  std::mt19937_64 rng(config.seed);
  auto chance = [&rng](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  Options options;
  options.mtu = kMtu;
  options.repeat_fast_retransmit = config.repeat_fast_retransmit;
  constexpr uint32_t kWindow = 64 * 1024;
  RetransmissionQueue q(Tsn(config.initial_tsn), kWindow, options, config.pr_sctp);
  const PathId paths[] = {kPath0, kPath1};
  q.AddPath(kPath0, kMtu);
  q.AddPath(kPath1, kMtu);
  ReceiverModel receiver(config.initial_tsn);
  const int64_t first = config.initial_tsn;

#define CHECK_QUEUE(where) \
  ASSERT_TRUE(q.CheckInvariants()) << (where) << ": " << q.InvariantViolation()

  // Message bookkeeping (PR-SCTP variant): fragments of message i.
  struct Message {
    int fragments = 1;
    int sent = 0;
    bool reliable = true;
    bool reported_abandoned = false;
    std::optional<TimePoint> expires_at;
    std::vector<int64_t> tsns;
  };
  std::vector<Message> messages;
  std::map<int64_t, uint64_t> message_of;  // unwrapped TSN -> message index
  std::set<int64_t> received_for_real;     // TSNs the receiver got as DATA
  int chunks_added = 0;

  TimePoint now = kT0;
  const Duration kRto = Milliseconds(300);
  std::optional<TimePoint> t3[2];
  bool fast_packet_pending = false;
  // The queue's cumulative ack on the unwrapped line, and TSNs near it.
  int64_t cum_unwrapped = first - 1;
  auto unwrap = [&cum_unwrapped](Tsn t) {
    return cum_unwrapped + static_cast<int32_t>(t.value() - static_cast<uint32_t>(cum_unwrapped));
  };
  auto sync_cum = [&] { cum_unwrapped = unwrap(q.cumulative_tsn_ack()); };

  struct InNet {
    int64_t u;
    uint64_t message;
    size_t size;
  };

  // What the run exercised (asserted at the end so that the test cannot pass vacuously).
  SimCounts seen;

  std::vector<ReceiverModel::SackInfo> delayed_sacks;
  int round = 0;
  for (; round < 100000; ++round) {
    const bool all_produced =
        chunks_added >= config.total_chunks &&
        (messages.empty() || messages.back().sent == messages.back().fragments ||
         messages.back().reported_abandoned);
    if (all_produced && q.empty()) break;
    now += Milliseconds(10);

    // Timers.
    for (PathId p : paths) {
      if (t3[p] && *t3[p] <= now) {
        t3[p].reset();
        q.HandleT3Expiry(p);
        ++seen.t3_expiries;
        CHECK_QUEUE("T3");
        fast_packet_pending = false;
      }
    }
    if (config.pr_sctp) {
      for (const auto& a : q.AbandonExpired(now)) {
        Message& m = messages[a.message_id];
        ASSERT_FALSE(m.reliable);
        ASSERT_FALSE(m.reported_abandoned);
        m.reported_abandoned = true;  // its unsent rest is dropped (DiscardRemaining)
        ++seen.abandoned;
      }
      CHECK_QUEUE("AbandonExpired");
    }

    // Sending: per path at most Max.Burst packets of PMDCS.
    std::vector<InNet> wire;
    const bool fast_packet_now = fast_packet_pending;
    fast_packet_pending = false;
    for (PathId p : paths) {
      for (int packet = 0; packet < options.max_burst; ++packet) {
        size_t room = kPmdcs;
        const size_t cwnd_room = q.congestion(p).Allowance();
        // §7.2.4 step 3: the first fast retransmission packet ignores cwnd.
        const bool ignore_cwnd = fast_packet_now && packet == 0 && q.HasRetransmissions(p);
        const size_t rtx_room = ignore_cwnd ? room : std::min(room, cwnd_room);
        auto rtx = q.TakeRetransmissions(p, rtx_room, now);
        CHECK_QUEUE("TakeRetransmissions");
        for (const auto& r : rtx) {
          const int64_t u = unwrap(r.tsn);
          ASSERT_EQ(message_of.at(u), r.fragment->message_id);
          wire.push_back({u, r.fragment->message_id, r.fragment->length});
          room -= std::min(room, q.ChunkSize(*r.fragment));
        }
        bool sent_new = false;
        for (;;) {
          // Pick the next fragment to send.
          if (messages.empty() || messages.back().sent == messages.back().fragments ||
              messages.back().reported_abandoned) {
            if (chunks_added >= config.total_chunks) break;
            Message m;
            if (config.pr_sctp) {
              m.fragments = 1 + static_cast<int>(rng() % 3);
              m.reliable = chance(0.5);
              if (!m.reliable && messages.size() % 2 == 1) {
                m.expires_at = now + Milliseconds(50 + static_cast<int64_t>(rng() % 400));
              }
            }
            messages.push_back(m);
          }
          Message& m = messages.back();
          const uint64_t id = messages.size() - 1;
          const size_t length = 1 + rng() % 400;
          FragSpec spec{.message_id = id,
                        .length = length,
                        .stream = static_cast<uint16_t>(id % 4),
                        .ssn = static_cast<uint16_t>(id),
                        .beginning = m.sent == 0,
                        .ending = m.sent + 1 == m.fragments};
          if (!m.reliable) {
            if (id % 2 == 0) {
              spec.max_retransmissions = static_cast<uint32_t>(id % 3);
            } else {
              spec.expires_at = m.expires_at;
            }
          }
          OutgoingFragment f = Frag(spec);
          const size_t size = q.ChunkSize(f);
          if (size > room || size > q.SendableBytes(p)) break;
          const Tsn tsn = q.Add(std::move(f), p, now);
          const int64_t u = unwrap(tsn);
          message_of[u] = id;
          m.tsns.push_back(u);
          ++m.sent;
          ++chunks_added;
          room -= size;
          wire.push_back({u, id, length});
          sent_new = true;
        }
        CHECK_QUEUE("Add");
        if (rtx.empty() && !sent_new) break;
        if (!t3[p]) t3[p] = now + kRto;  // §6.3.2 R1
      }
    }

    // The network: 10% of DATA chunks lost, the rest arrive in random order.
    std::shuffle(wire.begin(), wire.end(), rng);
    std::vector<ReceiverModel::SackInfo> sacks;
    int since_sack = 0;
    for (const InNet& c : wire) {
      if (chance(0.10)) continue;
      receiver.Receive(c.u, c.size);
      received_for_real.insert(c.u);
      if (++since_sack == 2) {  // a SACK every second packet-ish
        if (chance(0.01)) receiver.Renege(rng);
        sacks.push_back(receiver.MakeSack(kWindow));
        since_sack = 0;
      }
    }
    if (since_sack > 0 || sacks.empty()) sacks.push_back(receiver.MakeSack(kWindow));
    // Reordering: a few SACKs are overtaken by the next round's, which makes them stale.
    std::vector<ReceiverModel::SackInfo> late;
    for (auto it = sacks.begin(); it != sacks.end();) {
      if (chance(0.05)) {
        late.push_back(*it);
        it = sacks.erase(it);
      } else {
        ++it;
      }
    }
    sacks.insert(sacks.end(), delayed_sacks.begin(), delayed_sacks.end());
    delayed_sacks = std::move(late);

    for (const auto& s : sacks) {
      if (chance(0.05)) continue;  // SACK lost
      auto r =
          q.HandleSack(Tsn(s.cum), s.a_rwnd, PackedArray<GapAckBlock>::FromHost(s.blocks), now);
      CHECK_QUEUE("HandleSack");
      ASSERT_FALSE(r.acks_unsent_tsn);
      sync_cum();
      seen.ignored_sacks += r.ignored;
      seen.reneges += !r.paths_reneged.empty();
      seen.fast_recoveries += r.entered_fast_recovery;
      seen.rtt_samples += static_cast<int>(r.rtt_samples.size());
      for (PathId p : r.paths_all_acked)
        t3[p].reset();
      for (PathId p : r.paths_restart_t3)
        t3[p] = now + kRto;
      for (PathId p : r.paths_reneged) {
        if (!t3[p]) t3[p] = now + kRto;
      }
      if (r.entered_fast_recovery) fast_packet_pending = true;
      for (PathId p : paths) {
        ASSERT_TRUE(q.congestion(p).flight_size() == 0 || q.HasOutstanding(p));
      }
    }

    if (config.pr_sctp) {
      for (const auto& a : q.AbandonExpired(now)) {
        Message& m = messages[a.message_id];
        ASSERT_FALSE(m.reliable);
        ASSERT_FALSE(m.reported_abandoned);
        m.reported_abandoned = true;
        ++seen.abandoned;
      }
      CHECK_QUEUE("AbandonExpired");
      if (auto fwd = q.BuildForwardTsn()) {
        const int64_t new_cum = unwrap(fwd->new_cumulative_tsn);
        ASSERT_GT(new_cum, cum_unwrapped);
        ASSERT_LE(new_cum, cum_unwrapped + static_cast<int64_t>(q.unacked_chunks()));
        // Only abandoned messages may be skipped.
        for (int64_t u = receiver.cum + 1; u <= new_cum; ++u) {
          if (receiver.above.count(u)) continue;  // the peer has it
          ASSERT_TRUE(messages[message_of.at(u)].reported_abandoned)
              << "FORWARD-TSN skips TSN " << u << " of a message not reported abandoned";
        }
        ++seen.forward_tsns;
        if (!chance(0.1)) {
          receiver.Forward(new_cum);
          const auto s = receiver.MakeSack(kWindow);
          auto r =
              q.HandleSack(Tsn(s.cum), s.a_rwnd, PackedArray<GapAckBlock>::FromHost(s.blocks), now);
          CHECK_QUEUE("HandleSack after FORWARD-TSN");
          sync_cum();
          for (PathId p : r.paths_all_acked)
            t3[p].reset();
          for (PathId p : r.paths_restart_t3)
            t3[p] = now + kRto;
        }
      }
    }
    // RFC 3758 C5 / R1: keep a timer running while anything is outstanding somewhere.
    for (PathId p : paths) {
      if (q.HasOutstanding(p) && !t3[p]) t3[p] = now + kRto;
    }
  }
#undef CHECK_QUEUE
  ASSERT_LT(round, 100000) << "did not converge";
  ::testing::Test::RecordProperty("rounds", round);
  ::testing::Test::RecordProperty("fast_recoveries", seen.fast_recoveries);
  ::testing::Test::RecordProperty("t3_expiries", seen.t3_expiries);
  ::testing::Test::RecordProperty("reneges", seen.reneges);
  ::testing::Test::RecordProperty("ignored_sacks", seen.ignored_sacks);
  ::testing::Test::RecordProperty("abandoned", seen.abandoned);
  if (counts != nullptr) *counts = seen;
  EXPECT_GT(seen.fast_recoveries, 0);
  if (!config.repeat_fast_retransmit) {
    EXPECT_GT(seen.t3_expiries, 0);
  }
  EXPECT_GT(seen.reneges, 0);
  EXPECT_GT(seen.ignored_sacks, 0);
  EXPECT_GT(seen.rtt_samples, 0);
  if (config.pr_sctp) {
    EXPECT_GT(seen.abandoned, 0);
    EXPECT_GT(seen.forward_tsns, 0);
  }
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.outstanding_bytes(), 0u);
  EXPECT_FALSE(q.HasRetransmissions());
  EXPECT_EQ(receiver.cum, first + chunks_added - 1);
  EXPECT_EQ(static_cast<int64_t>(q.next_tsn().value()),
            static_cast<int64_t>(static_cast<uint32_t>(first + chunks_added)));
  EXPECT_GE(chunks_added, config.total_chunks);
  for (const Message& m : messages) {
    if (m.reported_abandoned) continue;
    // Not abandoned: every fragment really arrived.
    ASSERT_EQ(m.sent, m.fragments);
    for (int64_t u : m.tsns)
      ASSERT_TRUE(received_for_real.count(u)) << "TSN " << u;
  }
}

TEST(RetransmissionQueueRandomTest, TenPercentLossEverythingEventuallyAcked) {
  for (uint64_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE(seed);
    RunLossySimulation({.seed = seed, .initial_tsn = 1000, .total_chunks = 5000, .pr_sctp = false});
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// Options::repeat_fast_retransmit: the same lossy runs complete, and lost retransmissions are
// recovered by fast retransmission instead of T3-rtx, so fewer timeouts happen.
TEST(RetransmissionQueueRandomTest, RepeatFastRetransmitNeedsFewerTimeouts) {
  for (uint64_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE(seed);
    SimCounts strict, repeat;
    RunLossySimulation({.seed = seed, .initial_tsn = 1000, .total_chunks = 5000, .pr_sctp = false},
                       &strict);
    RunLossySimulation({.seed = seed,
                        .initial_tsn = 1000,
                        .total_chunks = 5000,
                        .pr_sctp = false,
                        .repeat_fast_retransmit = true},
                       &repeat);
    if (::testing::Test::HasFatalFailure()) return;
    EXPECT_LT(repeat.t3_expiries, strict.t3_expiries);
  }
}

TEST(RetransmissionQueueRandomTest, TenPercentLossAcrossTsnWrap) {
  RunLossySimulation(
      {.seed = 42, .initial_tsn = 0xFFFFF000u, .total_chunks = 5000, .pr_sctp = false});
}

TEST(RetransmissionQueueRandomTest, TenPercentLossWithPrSctp) {
  for (uint64_t seed : {7u, 8u}) {
    SCOPED_TRACE(seed);
    RunLossySimulation(
        {.seed = seed, .initial_tsn = 0xFFFFFF00u, .total_chunks = 3000, .pr_sctp = true});
    if (::testing::Test::HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace sctp::tx
