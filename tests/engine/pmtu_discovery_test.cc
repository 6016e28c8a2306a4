// RFC 8899 PLPMTUD in the association (Options::plpmtud): probes of HEARTBEAT + PAD find the
// path MTU; DATA never exceeds a size a probe confirmed.
#include <gtest/gtest.h>

#include "support/engine_pair.h"

namespace sctp::testing {
namespace {

constexpr size_t kConfiguredMtu = 1452;  // what a host would configure for UDP over Ethernet

PairConfig WithPathMtu(size_t path_mtu, bool plpmtud) {
  PairConfig config;
  config.link.mtu = path_mtu;  // larger SCTP packets are dropped (lost_mtu)
  for (Options* o : {&config.client_options, &config.server_options}) {
    o->mtu = kConfiguredMtu;
    o->plpmtud = plpmtud;
    o->plpmtud_base = 1200;
  }
  return config;
}

// Sends `count` messages of `size` bytes from the client; true when all arrived.
bool Transfer(EnginePair& pair, int count, size_t size, Duration limit) {
  Peer& c = pair.client();
  Peer& s = pair.server();
  const size_t before = s.messages.size();
  for (int i = 0; i < count; ++i) {
    if (!c.endpoint
             ->Send(*c.association, StreamId(0), Ppid(1),
                    std::vector<uint8_t>(size, static_cast<uint8_t>(i)), {}, pair.now())
             .ok()) {
      return false;
    }
  }
  return pair.RunUntil([&] { return s.messages.size() == before + count; }, limit);
}

TEST(PmtuDiscoveryTest, FindsTheLargestPacketThePathCarries) {
  EnginePair pair(WithPathMtu(1300, true));
  ASSERT_TRUE(pair.ConnectAndWait());
  pair.RunFor(Seconds(30));
  auto info = pair.client().endpoint->GetInfo(*pair.client().association);
  ASSERT_TRUE(info.has_value());
  ASSERT_FALSE(info->paths.empty());
  // Within the search step below the path MTU, never above it.
  EXPECT_LE(info->paths[0].mtu, 1300u);
  EXPECT_GE(info->paths[0].mtu, 1300u - 16);
  EXPECT_GT(info->pmtu_probes_sent, 2u);
  // Large messages cross with full-size packets and nothing but probes is lost to the MTU.
  ASSERT_TRUE(Transfer(pair, 200, 4000, Seconds(60)));
  const auto& link =
      pair.sim().network().link_stats(pair.client().addresses[0], pair.server().addresses[0]);
  EXPECT_LE(link.lost_mtu, info->pmtu_probes_sent);
  auto after = pair.client().endpoint->GetInfo(*pair.client().association);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->retransmitted_chunks, 0u);
}

TEST(PmtuDiscoveryTest, UsesTheConfiguredMaximumWhenThePathCarriesIt) {
  EnginePair pair(WithPathMtu(0, true));  // no limit on the link
  ASSERT_TRUE(pair.ConnectAndWait());
  pair.RunFor(Seconds(5));
  auto info = pair.client().endpoint->GetInfo(*pair.client().association);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->paths[0].mtu, kConfiguredMtu & ~size_t{3});
  EXPECT_EQ(info->pmtu_probes_sent, 2u);  // BASE_PLPMTU, then the maximum
  ASSERT_TRUE(Transfer(pair, 50, 4000, Seconds(30)));
}

TEST(PmtuDiscoveryTest, WithoutItAFixedMtuAboveThePathMtuIsABlackHole) {
  // The reason for PLPMTUD: a configured MTU the path cannot carry loses every full packet.
  EnginePair pair(WithPathMtu(1300, false));
  ASSERT_TRUE(pair.ConnectAndWait());
  EXPECT_FALSE(Transfer(pair, 20, 4000, Seconds(30)));
  const auto& link =
      pair.sim().network().link_stats(pair.client().addresses[0], pair.server().addresses[0]);
  EXPECT_GT(link.lost_mtu, 0u);
}

TEST(PmtuDiscoveryTest, DataWaitsForNothingWhileTheSearchRuns) {
  // Sending at once after COMMUNICATION UP: DATA uses BASE_PLPMTU until probes confirm more.
  EnginePair pair(WithPathMtu(1300, true));
  ASSERT_TRUE(pair.ConnectAndWait());
  ASSERT_TRUE(Transfer(pair, 100, 3000, Seconds(30)));
  auto info = pair.client().endpoint->GetInfo(*pair.client().association);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->retransmitted_chunks, 0u);
}

}  // namespace
}  // namespace sctp::testing
