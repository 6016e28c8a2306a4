// Found by fuzz_association (input multihomed_shutdown_pending_path_down_t3): multihomed,
// both sides sending, the client shuts down with data outstanding, then path 0 fails both
// ways. The SHUTDOWN's Cumulative TSN Ack was processed like a SACK without gap blocks, so
// data the peer had gap-acknowledged looked reneged and became outstanding on path 1 with no
// T3-rtx running. RFC 9260 §9.2: "the receiver of the SHUTDOWN chunk MUST NOT interpret the
// lack of a Gap Ack Block as a renege"; §6.3.2 R1: outstanding data has its T3-rtx running.
#include <gtest/gtest.h>

#include "support/engine_pair.h"

namespace sctp::testing {
namespace {

TEST(MultihomedShutdownTest, DataOutstandingOnTheSurvivingPathKeepsItsT3) {
  PairConfig config;
  config.seed = 7;
  config.deep_invariants = true;
  config.paths = 2;
  for (Options* o : {&config.client_options, &config.server_options}) {
    o->rto_initial = Milliseconds(200);
    o->rto_min = Milliseconds(100);
    o->rto_max = Seconds(2);
    o->heartbeat_interval = Seconds(3);
    o->receive_window = 64 * 1024;
    o->send_buffer_size = 512 * 1024;
    o->outbound_streams = 8;
    o->inbound_streams = 8;
    o->valid_cookie_life = Seconds(5);
    o->association_max_retrans = 6;
  }
  EnginePair pair(config);
  ASSERT_TRUE(pair.ConnectAndWait(Seconds(10)));
  Peer& c = pair.client();
  Peer& s = pair.server();
  SendOptions unordered;
  unordered.unordered = true;
  ASSERT_TRUE(c.endpoint
                  ->Send(*c.association, StreamId(7), Ppid(51), std::vector<uint8_t>(45825, 0x30),
                         {}, pair.now())
                  .ok());
  ASSERT_TRUE(s.endpoint
                  ->Send(*s.association, StreamId(7), Ppid(51), std::vector<uint8_t>(1783, 0x31),
                         {}, pair.now())
                  .ok());
  ASSERT_TRUE(s.endpoint
                  ->Send(*s.association, StreamId(3), Ppid(51), std::vector<uint8_t>(65599, 0x31),
                         unordered, pair.now())
                  .ok());
  ASSERT_TRUE(c.endpoint->Shutdown(*c.association, pair.now()).ok());
  pair.sim().network().Link(c.addresses[0], s.addresses[0]).up = false;
  pair.sim().network().Link(s.addresses[0], c.addresses[0]).up = false;
  pair.RunFor(Seconds(16));
  EXPECT_EQ(pair.violation(), "");
}

}  // namespace
}  // namespace sctp::testing
