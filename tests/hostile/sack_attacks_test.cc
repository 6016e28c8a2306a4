// Hostile SACKs and a peer that keeps its window closed (RFC 9260 §3.3.4, §6.1, §6.2.1,
// §12.4): gap-block and duplicate lists of absurd size, SACKs for data never sent, stale
// SACKs, and a zero window held forever.
#include <gtest/gtest.h>

#include <algorithm>

#include "hostile/hostile_peer.h"

namespace sctp::testing::hostile {
namespace {

// Queues `count` messages of `size` bytes on the endpoint and returns the TSNs it sent.
std::vector<uint32_t> SendMessages(HostilePeer& peer, int count, size_t size) {
  const size_t index = peer.sent.size();
  for (int i = 0; i < count; ++i) {
    EXPECT_TRUE(peer.endpoint
                    ->Send(peer.id, StreamId(0), Ppid(1),
                           std::vector<uint8_t>(size, static_cast<uint8_t>(i)), {}, peer.now)
                    .ok());
  }
  std::vector<uint32_t> tsns;
  for (const wire::DataChunk& d : peer.ChunksOfType<wire::DataChunk>(index))
    tsns.push_back(d.tsn.value());
  return tsns;
}

wire::SackChunk Sack(uint32_t cum_ack, uint32_t a_rwnd, const std::vector<wire::GapAckBlock>& gaps,
                     const std::vector<wire::TsnRecord>& dups) {
  return wire::SackChunk{Tsn(cum_ack), a_rwnd, wire::PackedArray<wire::GapAckBlock>::FromHost(gaps),
                         wire::PackedArray<wire::TsnRecord>::FromHost(dups)};
}

// §12.4: "An SCTP implementation MUST abort the association if it receives a SACK chunk
// acknowledging a TSN that has not been sent." The ABORT carries "Protocol Violation".
TEST(SackAttackTest, CumulativeAckOfUnsentDataAborts) {
  HostilePeer peer;
  ASSERT_TRUE(peer.Handshake());
  const std::vector<uint32_t> tsns = SendMessages(peer, 3, 100);
  ASSERT_EQ(tsns.size(), 3u);
  const size_t index = peer.sent.size();
  peer.Send({Sack(tsns.back() + 10, 1 << 20, {}, {})});
  EXPECT_EQ(peer.CauseCodes<wire::AbortChunk>(index),
            std::vector<uint16_t>{wire::ErrorCauseCode::kProtocolViolation});
  EXPECT_FALSE(peer.State().has_value());
  ASSERT_EQ(peer.CountEvents<events::AssociationClosed>(), 1);
  EXPECT_EQ(std::get<events::AssociationClosed>(peer.events.back().payload).reason,
            CloseReason::kProtocolViolation);
}

TEST(SackAttackTest, GapBlockBeyondTheHighestSentTsnAborts) {
  HostilePeer peer;
  ASSERT_TRUE(peer.Handshake());
  const std::vector<uint32_t> tsns = SendMessages(peer, 3, 100);
  ASSERT_EQ(tsns.size(), 3u);
  const size_t index = peer.sent.size();
  // Offsets from the cumulative ack (§3.3.4): 2..20 covers TSNs never sent.
  peer.Send({Sack(tsns[0] - 1, 1 << 20, {{2, 20}}, {})});
  EXPECT_EQ(peer.CauseCodes<wire::AbortChunk>(index),
            std::vector<uint16_t>{wire::ErrorCauseCode::kProtocolViolation});
  EXPECT_FALSE(peer.State().has_value());
}

// §6.2.1 D i): "If Cumulative TSN Ack is less than the Cumulative TSN Ack Point, drop the
// SACK chunk." A replayed old SACK announcing a zero window changes nothing.
TEST(SackAttackTest, SackBehindTheCumulativeAckPointIsDropped) {
  HostilePeer peer;
  ASSERT_TRUE(peer.Handshake());
  const std::vector<uint32_t> tsns = SendMessages(peer, 3, 100);
  ASSERT_EQ(tsns.size(), 3u);
  peer.Send({Sack(tsns.back(), 500'000, {}, {})});
  ASSERT_EQ(peer.Info().outstanding_bytes, 0u);
  const uint32_t rwnd = peer.Info().peer_rwnd;
  peer.Send({Sack(tsns[0], 0, {{1, 1}}, {})});
  EXPECT_EQ(peer.Info().peer_rwnd, rwnd);
  EXPECT_EQ(peer.State(), AssociationState::kEstablished);
}

// §3.3.4: a SACK carries up to 65535 gap blocks. 10,000 of them (overlapping, out of order,
// all about TSNs that were sent) must be processed without harm, and only what they cover
// counts as acknowledged.
TEST(SackAttackTest, TenThousandGapBlocksInOneSack) {
  HostilePeer peer;
  ASSERT_TRUE(peer.Handshake());
  const std::vector<uint32_t> tsns = SendMessages(peer, 20, 100);
  ASSERT_EQ(tsns.size(), 20u);
  std::vector<wire::GapAckBlock> gaps;
  for (int i = 0; i < 10'000; ++i) {
    const uint16_t offset = static_cast<uint16_t>(2 + 2 * ((i * 7) % 9));  // 2, 4, ..., 18
    gaps.push_back({offset, offset});
  }
  const size_t index = peer.sent.size();
  peer.Send({Sack(tsns[0] - 1, 1 << 20, gaps, {})});
  EXPECT_EQ(peer.State(), AssociationState::kEstablished);
  EXPECT_TRUE(peer.ChunksOfType<wire::AbortChunk>(index).empty());
  // One SACK is one miss indication (§7.2.4): no fast retransmission storm.
  EXPECT_LE(peer.ChunksOfType<wire::DataChunk>(index).size(), 11u);
  // The rest is acknowledged normally afterwards.
  peer.Send({Sack(tsns.back(), 1 << 20, {}, {})});
  EXPECT_EQ(peer.Info().outstanding_bytes, 0u);
  EXPECT_EQ(peer.State(), AssociationState::kEstablished);
}

// §3.3.4: the Duplicate TSNs are informational; 10,000 of them, most never sent, change
// nothing (they are not acknowledgements).
TEST(SackAttackTest, AbsurdDuplicateTsnListIsHarmless) {
  HostilePeer peer;
  ASSERT_TRUE(peer.Handshake());
  const std::vector<uint32_t> tsns = SendMessages(peer, 4, 100);
  ASSERT_EQ(tsns.size(), 4u);
  std::vector<wire::TsnRecord> dups;
  for (uint32_t i = 0; i < 10'000; ++i)
    dups.push_back({Tsn(tsns[0] + i * 977)});
  const size_t outstanding = peer.Info().outstanding_bytes;
  const size_t index = peer.sent.size();
  peer.Send({Sack(tsns[0] - 1, 1 << 20, {}, dups)});
  EXPECT_EQ(peer.State(), AssociationState::kEstablished);
  EXPECT_TRUE(peer.ChunksOfType<wire::AbortChunk>(index).empty());
  EXPECT_EQ(peer.Info().outstanding_bytes, outstanding);
}

// §6.1 A: "Senders MUST support zero window probing." A peer that advertises a zero window
// in every SACK but accepts each probe cannot stall the transfer: one DATA chunk at a time
// still gets through, and nothing is given up on.
TEST(ZeroWindowTest, PeerThatNeverOpensItsWindowStillGetsEveryProbe) {
  HostilePeer peer;
  ASSERT_TRUE(peer.Handshake());
  const std::vector<uint32_t> first = SendMessages(peer, 12, 1000);
  ASSERT_FALSE(first.empty());
  std::vector<uint32_t> received;
  size_t checked = 0;  // from the start: the first packets carry `first`
  int max_in_flight_after_zero = 0;
  for (int step = 0; step < 6000 && received.size() < 12; ++step) {
    const auto data = peer.ChunksOfType<wire::DataChunk>(checked);
    checked = peer.sent.size();
    if (!data.empty()) {
      if (!received.empty()) {
        max_in_flight_after_zero =
            std::max(max_in_flight_after_zero, static_cast<int>(data.size()));
      }
      for (const wire::DataChunk& d : data) {
        if (std::find(received.begin(), received.end(), d.tsn.value()) == received.end())
          received.push_back(d.tsn.value());
      }
      std::sort(received.begin(), received.end());
      peer.Send({Sack(received.back(), 0, {}, {})});  // everything so far, window closed
    }
    peer.Advance(Milliseconds(100));
  }
  EXPECT_EQ(received.size(), 12u);
  EXPECT_EQ(max_in_flight_after_zero, 1);  // one probe at a time while the window is zero
  EXPECT_EQ(peer.State(), AssociationState::kEstablished);
  EXPECT_EQ(peer.CountEvents<events::SendFailed>(), 0);
}

}  // namespace
}  // namespace sctp::testing::hostile
