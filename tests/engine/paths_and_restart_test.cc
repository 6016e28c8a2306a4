// Multihoming failover (§6.4, §8.2), peer restart (§5.2.2, §5.2.4 A), timers.
#include <gtest/gtest.h>

#include "support/engine_pair.h"

namespace sctp::testing {
namespace {

std::vector<uint8_t> Bytes(size_t n, uint8_t fill) {
  return std::vector<uint8_t>(n, fill);
}

TEST(MultihomingTest, AddressesFromInitAreConfirmedByHeartbeat) {
  PairConfig config;
  config.paths = 2;
  EnginePair pair(config);
  ASSERT_TRUE(pair.ConnectAndWait());
  pair.RunFor(Seconds(10));
  auto info = pair.client().endpoint->GetInfo(*pair.client().association);
  ASSERT_TRUE(info.has_value());
  ASSERT_EQ(info->paths.size(), 2u);
  EXPECT_TRUE(info->paths[0].primary);
  // The server learned the client's second address from the INIT: §5.4 (3), unconfirmed
  // until a HEARTBEAT to it is answered; then it reports the address confirmed.
  auto server_info = pair.server().endpoint->GetInfo(*pair.server().association);
  ASSERT_TRUE(server_info.has_value());
  ASSERT_EQ(server_info->paths.size(), 2u);
  EXPECT_TRUE(server_info->paths[0].confirmed);
  EXPECT_TRUE(server_info->paths[1].confirmed);
  EXPECT_GE(pair.server().Count<events::PeerAddressChange>(), 1);
}

TEST(MultihomingTest, EveryAddressTheUserGaveIsConfirmed) {
  PairConfig config;
  config.paths = 2;
  EnginePair pair(config);
  ASSERT_TRUE(pair.ConnectAndWait());
  // §5.4 (1): both addresses came from the client's user: confirmed without a heartbeat.
  auto info = pair.client().endpoint->GetInfo(*pair.client().association);
  ASSERT_TRUE(info.has_value());
  ASSERT_EQ(info->paths.size(), 2u);
  EXPECT_TRUE(info->paths[0].confirmed);
  EXPECT_TRUE(info->paths[1].confirmed);
}

TEST(MultihomingTest, InitRetransmissionTriesTheNextAddress) {
  PairConfig config;
  config.paths = 2;
  EnginePair pair(config);
  Peer& c = pair.client();
  Peer& s = pair.server();
  // The first address the user gave is unreachable from the start.
  pair.sim().network().Link(c.addresses[0], s.addresses[0]).up = false;
  pair.sim().network().Link(s.addresses[0], c.addresses[0]).up = false;
  // RFC 6458 §9.9: the stack uses the other addresses when needed. Without that the INIT
  // would go to the dead address until Max.Init.Retransmits (8 tries, minutes).
  ASSERT_TRUE(pair.ConnectAndWait(Seconds(5)));
  auto info = c.endpoint->GetInfo(*c.association);
  ASSERT_TRUE(info.has_value());
  ASSERT_EQ(info->paths.size(), 2u);
  EXPECT_FALSE(info->paths[0].primary);
  EXPECT_TRUE(info->paths[1].primary);  // the address that answered
  // Data goes there at once: no T3-rtx expiry on the dead address first.
  ASSERT_TRUE(
      c.endpoint->Send(*c.association, StreamId(0), Ppid(1), Bytes(100, 7), {}, pair.now()).ok());
  ASSERT_TRUE(pair.RunUntil([&] { return s.messages.size() == 1; }, Milliseconds(500)));
  EXPECT_EQ(s.messages[0].payload, Bytes(100, 7));
}

TEST(MultihomingTest, TransferSurvivesPrimaryPathFailure) {
  PairConfig config;
  config.paths = 2;
  config.seed = 3;
  EnginePair pair(config);
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  Peer& s = pair.server();
  const int kMessages = 200;
  for (int i = 0; i < kMessages; ++i) {
    ASSERT_TRUE(c.endpoint
                    ->Send(*c.association, StreamId(i % 3), Ppid(i),
                           Bytes(4000, static_cast<uint8_t>(i)), {}, pair.now())
                    .ok());
  }
  pair.RunFor(Milliseconds(30));
  ASSERT_LT(s.messages.size(), static_cast<size_t>(kMessages));
  // Kill the primary path in both directions.
  pair.sim().network().Link(c.addresses[0], s.addresses[0]).up = false;
  pair.sim().network().Link(s.addresses[0], c.addresses[0]).up = false;
  ASSERT_TRUE(pair.RunUntil([&] { return s.messages.size() == static_cast<size_t>(kMessages); },
                            Seconds(600)))
      << s.messages.size() << " t=" << ToMilliseconds(pair.now().time_since_epoch())
      << " client events " << c.events.size() << " closed=" << c.Count<events::AssociationClosed>()
      << " server closed=" << s.Count<events::AssociationClosed>()
      << " deadline=" << (c.endpoint->NextDeadline() == kNever) << " "
      << (s.endpoint->NextDeadline() == kNever) << " reason="
      << (c.Last<events::AssociationClosed>()
              ? CloseReasonName(c.Last<events::AssociationClosed>()->reason)
              : "");
  for (int i = 0; i < kMessages; ++i) {
    EXPECT_EQ(s.messages[i].payload, Bytes(4000, static_cast<uint8_t>(s.messages[i].ppid.value())));
  }
  // The client learned that the primary is unreachable (§8.2).
  bool unreachable = false;
  for (const Event& e : c.events) {
    if (const auto* change = std::get_if<events::PeerAddressChange>(&e.payload)) {
      unreachable |= change->address == s.addresses[0] &&
                     change->state == events::PeerAddressChange::State::kUnreachable;
    }
  }
  pair.RunFor(Seconds(300));
  EXPECT_TRUE(unreachable);
  auto info = c.endpoint->GetInfo(*c.association);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->state, AssociationState::kEstablished);
  EXPECT_FALSE(info->paths[0].active);
  EXPECT_TRUE(info->paths[1].active);

  // The primary comes back: heartbeats find it, and traffic returns to it (§6.4).
  pair.sim().network().Link(c.addresses[0], s.addresses[0]).up = true;
  pair.sim().network().Link(s.addresses[0], c.addresses[0]).up = true;
  ASSERT_TRUE(pair.RunUntil([&] { return c.endpoint->GetInfo(*c.association)->paths[0].active; },
                            Seconds(600)));
}

TEST(RestartTest, PeerRestartIsDetectedWithTieTags) {
  EnginePair pair(PairConfig{});
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  Peer& s = pair.server();
  ASSERT_TRUE(
      c.endpoint->Send(*c.association, StreamId(0), Ppid(1), Bytes(100, 1), {}, pair.now()).ok());
  ASSERT_TRUE(pair.RunUntil([&] { return s.messages.size() == 1; }, Seconds(5)));
  const AssociationId server_id = *s.association;

  // The client host restarts: same address and port, new tags, no memory of the old one.
  pair.RecreateEndpoint(c, 99);
  pair.Connect();
  ASSERT_TRUE(pair.RunUntil([&] { return s.Count<events::Restarted>() == 1; }, Seconds(30)));
  ASSERT_TRUE(pair.RunUntil([&] { return c.Count<events::CommunicationUp>() == 2; }, Seconds(30)));
  // The server kept its association (same id) and it works with the new peer.
  EXPECT_EQ(s.endpoint->associations(), std::vector<AssociationId>{server_id});
  ASSERT_TRUE(
      c.endpoint->Send(*c.association, StreamId(0), Ppid(2), Bytes(100, 2), {}, pair.now()).ok());
  ASSERT_TRUE(pair.RunUntil([&] { return s.messages.size() == 2; }, Seconds(5)));
  EXPECT_EQ(s.messages[1].ppid, Ppid(2));
}

TEST(TimerTest, DelayedSackFiresAfterSackDelay) {
  PairConfig config;
  config.client_options.immediate_sack_when_idle = false;
  EnginePair pair(config);
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  // §5.1: the first DATA of an association is acknowledged at once: one round trip.
  TimePoint start = pair.now();
  ASSERT_TRUE(
      c.endpoint->Send(*c.association, StreamId(0), Ppid(0), Bytes(100, 1), {}, start).ok());
  ASSERT_TRUE(pair.RunUntil(
      [&] { return c.endpoint->GetInfo(*c.association)->outstanding_bytes == 0; }, Seconds(5)));
  EXPECT_EQ(pair.now() - start, Milliseconds(20));
  // Later, one packet of data: the receiver waits for sack_delay (200 ms) before
  // acknowledging (§6.2), so the sender's outstanding data is acked 10 + 200 + 10 ms later.
  pair.RunFor(Seconds(1));
  start = pair.now();
  ASSERT_TRUE(
      c.endpoint->Send(*c.association, StreamId(0), Ppid(0), Bytes(100, 2), {}, start).ok());
  ASSERT_TRUE(pair.RunUntil(
      [&] { return c.endpoint->GetInfo(*c.association)->outstanding_bytes == 0; }, Seconds(5)));
  EXPECT_EQ(pair.now() - start, Milliseconds(220));
}

// The first DATA of an association is acknowledged at once anyway (§5.1): send one and let
// it be acknowledged, so that what follows measures the ordinary SACK rules.
void SendFirstData(EnginePair& pair) {
  Peer& c = pair.client();
  ASSERT_TRUE(
      c.endpoint->Send(*c.association, StreamId(0), Ppid(0), Bytes(10, 9), {}, pair.now()).ok());
  ASSERT_TRUE(pair.RunUntil(
      [&] { return c.endpoint->GetInfo(*c.association)->outstanding_bytes == 0; }, Seconds(5)));
  pair.RunFor(Seconds(1));
}

TEST(TimerTest, SenderRunningDryAsksForAnImmediateSack) {
  EnginePair pair(PairConfig{});  // immediate_sack_when_idle is on by default
  ASSERT_TRUE(pair.ConnectAndWait());
  SendFirstData(pair);
  Peer& c = pair.client();
  const TimePoint start = pair.now();
  ASSERT_TRUE(
      c.endpoint->Send(*c.association, StreamId(0), Ppid(0), Bytes(100, 1), {}, start).ok());
  ASSERT_TRUE(pair.RunUntil(
      [&] { return c.endpoint->GetInfo(*c.association)->outstanding_bytes == 0; }, Seconds(5)));
  EXPECT_EQ(pair.now() - start, Milliseconds(20));  // one RTT, no 200 ms SACK delay
}

TEST(TimerTest, ImmediateSackFlagSkipsTheDelay) {
  PairConfig config;
  config.client_options.immediate_sack_when_idle = false;
  EnginePair pair(config);
  ASSERT_TRUE(pair.ConnectAndWait());
  SendFirstData(pair);
  Peer& c = pair.client();
  const TimePoint start = pair.now();
  SendOptions o;
  o.immediate_sack = true;  // RFC 7053 I bit
  ASSERT_TRUE(c.endpoint->Send(*c.association, StreamId(0), Ppid(0), Bytes(100, 1), o, start).ok());
  ASSERT_TRUE(pair.RunUntil(
      [&] { return c.endpoint->GetInfo(*c.association)->outstanding_bytes == 0; }, Seconds(5)));
  EXPECT_EQ(pair.now() - start, Milliseconds(20));
}

TEST(TimerTest, ShutdownRetransmitsWhenShutdownIsLost) {
  EnginePair pair(PairConfig{});
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  Peer& s = pair.server();
  // Lose everything client → server for 1.5 s: the first SHUTDOWN is lost, T2 resends it.
  pair.sim().network().Link(c.addresses[0], s.addresses[0]).up = false;
  ASSERT_TRUE(c.endpoint->Shutdown(*c.association, pair.now()).ok());
  pair.RunFor(Milliseconds(1500));
  EXPECT_EQ(s.Count<events::PeerShutdown>(), 0);
  pair.sim().network().Link(c.addresses[0], s.addresses[0]).up = true;
  ASSERT_TRUE(pair.RunUntil([&] { return pair.BothClosed(); }, Seconds(10)));
  EXPECT_EQ(c.Last<events::AssociationClosed>()->reason, CloseReason::kShutdownComplete);
}

TEST(TimerTest, ShutdownGuardAbortsWhenPeerNeverAnswers) {
  PairConfig config;
  config.client_options.association_max_retrans = 1000;  // let T5 fire first
  config.client_options.path_max_retrans = 1000;
  config.client_options.rto_max = Seconds(2);
  EnginePair pair(config);
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  pair.sim().network().Link(c.addresses[0], pair.server().addresses[0]).up = false;
  ASSERT_TRUE(c.endpoint->Shutdown(*c.association, pair.now()).ok());
  const TimePoint start = pair.now();
  ASSERT_TRUE(
      pair.RunUntil([&] { return c.Count<events::AssociationClosed>() == 1; }, Seconds(60)));
  EXPECT_EQ(c.Last<events::AssociationClosed>()->reason, CloseReason::kShutdownGuardExpired);
  EXPECT_EQ(pair.now() - start, 5 * Seconds(2));  // T5 = 5 × RTO.Max (§9.2)
}

TEST(TimerTest, NoTimersWhenIdleWithoutHeartbeats) {
  PairConfig config;
  config.client_options.heartbeats_enabled = false;
  config.server_options.heartbeats_enabled = false;
  EnginePair pair(config);
  ASSERT_TRUE(pair.ConnectAndWait());
  pair.RunFor(Seconds(1));
  EXPECT_EQ(pair.client().endpoint->NextDeadline(), kNever);
  EXPECT_EQ(pair.server().endpoint->NextDeadline(), kNever);
}

}  // namespace
}  // namespace sctp::testing
