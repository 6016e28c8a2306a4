// Verification tag rules against blind attackers (RFC 9260 §8.5, §8.5.1, §12.2.4.2): an
// attacker who knows the addresses and ports but not the tag must not be able to inject
// data, shut down or abort an association. Also INIT bundled with other chunks (§6.10).
#include <gtest/gtest.h>

#include <random>

#include "hostile/hostile_peer.h"

namespace sctp::testing::hostile {
namespace {

const std::vector<uint8_t> kPayload(20, 0x77);

// §8.5: "When receiving an SCTP packet, the endpoint MUST ensure that the value in the
// Verification Tag field of the received SCTP packet matches its own tag. If the received
// Verification Tag value does not match the receiver's own tag value, the receiver MUST
// silently discard the packet and MUST NOT process it any further" (exceptions: §8.5.1).
TEST(BlindAttackTest, GuessedTagsAreSilentlyDiscarded) {
  HostilePeer peer;
  ASSERT_TRUE(peer.Handshake());
  const size_t sent_before = peer.sent.size();
  const size_t events_before = peer.events.size();
  std::mt19937 rng(1);
  const std::vector<wire::AnyChunk> attacks = {
      HostilePeer::Data(1000, 0, 0, kPayload),
      wire::SackChunk{Tsn(peer.local_initial_tsn + 5), 0, {}, {}},
      wire::ShutdownChunk{Tsn(peer.local_initial_tsn)},
      wire::ShutdownAckChunk{},
      wire::AbortChunk{false, {}},
      wire::ShutdownCompleteChunk{false},
      wire::ErrorChunk{false, {}},
      wire::CookieAckChunk{},
      wire::ForwardTsnChunk{Tsn(5000), {}},
  };
  uint64_t attempts = 0;
  for (int round = 0; round < 200; ++round) {
    for (const wire::AnyChunk& chunk : attacks) {
      uint32_t guess = rng();
      if (guess == peer.local_tag || guess == 0) guess ^= 0x5a5a5a5a;
      peer.SendWithTag(guess, {chunk});
      ++attempts;
    }
  }
  EXPECT_EQ(peer.sent.size(), sent_before);  // silently: nothing sent in reply
  EXPECT_EQ(peer.events.size(), events_before);
  EXPECT_EQ(peer.State(), AssociationState::kEstablished);
  EXPECT_EQ(peer.endpoint->stats().bad_verification_tag, attempts);
  // The real peer is unaffected: its next TSN is still 1000.
  peer.Send({HostilePeer::Data(1000, 0, 0, kPayload)});
  EXPECT_EQ(peer.CountEvents<events::MessageReceived>(), 1);
}

// §8.5.1 B: an ABORT is accepted if its tag is our own tag (T bit 0), or the peer's tag
// (T bit 1); otherwise it is silently discarded.
TEST(TBitTest, AbortWithTheWrongTagForItsTBitIsDiscarded) {
  HostilePeer peer;
  ASSERT_TRUE(peer.Handshake());
  const uint32_t peer_tag = peer.config_.peer_tag;
  peer.SendWithTag(peer_tag, {wire::AbortChunk{false, {}}});       // T=0 needs our tag
  peer.SendWithTag(peer.local_tag, {wire::AbortChunk{true, {}}});  // T=1 needs the peer's
  peer.SendWithTag(peer_tag ^ 1, {wire::AbortChunk{true, {}}});    // T=1, guessed tag
  EXPECT_EQ(peer.State(), AssociationState::kEstablished);
  EXPECT_EQ(peer.CountEvents<events::AssociationClosed>(), 0);
  peer.SendWithTag(peer_tag, {wire::AbortChunk{true, {}}});
  EXPECT_FALSE(peer.State().has_value());
  ASSERT_EQ(peer.CountEvents<events::AssociationClosed>(), 1);
  EXPECT_EQ(std::get<events::AssociationClosed>(peer.events.back().payload).reason,
            CloseReason::kPeerAbort);
}

TEST(TBitTest, AbortWithOurTagAndNoTBitIsAccepted) {
  HostilePeer peer;
  ASSERT_TRUE(peer.Handshake());
  const size_t index = peer.sent.size();
  peer.SendWithTag(peer.local_tag, {wire::AbortChunk{false, {}}});
  EXPECT_FALSE(peer.State().has_value());
  EXPECT_EQ(peer.sent.size(), index);  // §9.1: no reply to an ABORT
}

// §8.5 for SHUTDOWN: a SHUTDOWN with a guessed tag must not start the shutdown.
TEST(TBitTest, ShutdownWithAWrongTagIsIgnored) {
  HostilePeer peer;
  ASSERT_TRUE(peer.Handshake());
  const size_t index = peer.sent.size();
  peer.SendWithTag(peer.config_.peer_tag, {wire::ShutdownChunk{Tsn(peer.local_initial_tsn - 1)}});
  peer.SendWithTag(peer.local_tag + 1, {wire::ShutdownChunk{Tsn(peer.local_initial_tsn - 1)}});
  EXPECT_EQ(peer.State(), AssociationState::kEstablished);
  EXPECT_EQ(peer.sent.size(), index);
  EXPECT_EQ(peer.CountEvents<events::PeerShutdown>(), 0);
  // With the right tag: §9.2, SHUTDOWN ACK (nothing outstanding).
  peer.Send({wire::ShutdownChunk{Tsn(peer.local_initial_tsn - 1)}});
  EXPECT_EQ(peer.ChunksOfType<wire::ShutdownAckChunk>(index).size(), 1u);
  EXPECT_EQ(peer.State(), AssociationState::kShutdownAckSent);
}

// §8.5.1 C: a SHUTDOWN COMPLETE is accepted with our tag (T=0) or the peer's tag (T=1).
TEST(TBitTest, ShutdownCompleteFollowsTheTBitRules) {
  HostilePeer peer;
  ASSERT_TRUE(peer.Handshake());
  peer.Send({wire::ShutdownChunk{Tsn(peer.local_initial_tsn - 1)}});
  ASSERT_EQ(peer.State(), AssociationState::kShutdownAckSent);
  peer.SendWithTag(peer.local_tag, {wire::ShutdownCompleteChunk{true}});
  peer.SendWithTag(peer.config_.peer_tag, {wire::ShutdownCompleteChunk{false}});
  peer.SendWithTag(0x12345678, {wire::ShutdownCompleteChunk{true}});
  EXPECT_EQ(peer.State(), AssociationState::kShutdownAckSent);
  peer.SendWithTag(peer.config_.peer_tag, {wire::ShutdownCompleteChunk{true}});
  EXPECT_FALSE(peer.State().has_value());
  ASSERT_EQ(peer.CountEvents<events::AssociationClosed>(), 1);
  EXPECT_EQ(std::get<events::AssociationClosed>(peer.events.back().payload).reason,
            CloseReason::kShutdownComplete);
}

// §8.5.1 A: a packet carrying an INIT must have tag 0; §5.1 / §6.10: "An INIT or INIT ACK
// chunk MUST NOT be bundled with any other chunk. They MUST be the only chunks present in
// the SCTP packets that carry them." Such packets are discarded: no INIT ACK, no state.
TEST(InitBundlingTest, InitWithOtherChunksOrNonZeroTagIsDiscarded) {
  HostilePeer peer;
  const std::vector<uint8_t> params = peer.InitParameters();
  const wire::InitChunk init = peer.Init(params);
  peer.Deliver(HostilePeer::Build(0, {init, HostilePeer::Data(1000, 0, 0, kPayload)}));
  peer.Deliver(HostilePeer::Build(0, {HostilePeer::Data(1000, 0, 0, kPayload), init}));
  peer.Deliver(HostilePeer::Build(0, {init, init}));
  peer.Deliver(HostilePeer::Build(0, {init, wire::CookieEchoChunk{}}));
  peer.Deliver(HostilePeer::Build(0x1234, {init}));
  EXPECT_TRUE(peer.sent.empty());
  EXPECT_TRUE(peer.endpoint->associations().empty());
  EXPECT_EQ(peer.endpoint->NextDeadline(), kNever);
}

TEST(InitBundlingTest, InitBundledIntoAnEstablishedAssociationChangesNothing) {
  HostilePeer peer;
  ASSERT_TRUE(peer.Handshake());
  const size_t index = peer.sent.size();
  const wire::InitChunk init = peer.Init();
  peer.Send({HostilePeer::Data(1000, 0, 0, kPayload), init});
  peer.Send({init});  // with the association's tag instead of 0 (§8.5.1 A)
  EXPECT_EQ(peer.sent.size(), index);
  EXPECT_EQ(peer.CountEvents<events::MessageReceived>(), 0);  // the DATA went with it
  EXPECT_EQ(peer.State(), AssociationState::kEstablished);
  EXPECT_EQ(peer.Info().packets_received, 1u);  // only the COOKIE ECHO reached it
}

// §8.4 rule 2: "If the OOTB packet contains an ABORT chunk, the receiver MUST silently
// discard the OOTB packet and take no further action": ABORTs from addresses of no
// association get nothing back (no reflection) and change nothing.
TEST(BlindAttackTest, AbortFromUnknownAddressesIsNotAnswered) {
  HostilePeer peer;
  ASSERT_TRUE(peer.Handshake());
  const size_t index = peer.sent.size();
  for (uint8_t host = 1; host < 200; ++host) {
    peer.Deliver(HostilePeer::Build(0x0bad0000u + host, {wire::AbortChunk{host % 2 == 0, {}}}),
                 Address::Ipv4({192, 168, 7, host}));
  }
  EXPECT_EQ(peer.sent.size(), index);
  EXPECT_EQ(peer.State(), AssociationState::kEstablished);
}

}  // namespace
}  // namespace sctp::testing::hostile
