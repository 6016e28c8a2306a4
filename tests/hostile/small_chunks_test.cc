// Found by the hostile-input work (fixed in src/assoc + src/rx): the receive window counted
// only payload bytes, so a peer sending 1-byte DATA chunks after a gap made us hold ~250
// bytes of heap per byte of window. Every chunk held out of order is now charged 64 bytes of
// window on top of its payload (usrsctp charges an mbuf per chunk for the same reason).
#include <gtest/gtest.h>

#include "hostile/hostile_peer.h"

namespace sctp::testing::hostile {
namespace {

TEST(ReassemblyLimitTest, OneByteChunksAreChargedTheirOverhead) {
  PeerConfig config;
  config.options.receive_window = 256 * 1024;
  HostilePeer peer(config);
  ASSERT_TRUE(peer.Handshake());
  const std::vector<uint8_t> one(1, 0x42);
  // TSN 1000 never arrives; 10,000 one-byte first fragments follow on 16 streams.
  uint32_t tsn = 1001;
  for (int packet = 0; packet < 200; ++packet) {
    std::vector<wire::AnyChunk> chunks;
    for (int i = 0; i < 50; ++i, ++tsn) {
      chunks.push_back(HostilePeer::Data(tsn, static_cast<uint16_t>(tsn % 16),
                                         static_cast<uint16_t>(tsn / 16), one, true, false));
    }
    peer.Send(chunks);
  }
  const AssociationInfo info = peer.Info();
  // Each held chunk closed the window by at least 64 bytes: the window closed long before
  // 10,000 were taken, and what is held costs at most the window.
  const size_t held = info.receive_buffered_bytes;  // one byte each
  EXPECT_LT(held, 10'000u);
  EXPECT_LE(held * (1 + 64), config.options.receive_window);
  EXPECT_EQ(info.local_rwnd, config.options.receive_window - held * (1 + 64));
}

}  // namespace
}  // namespace sctp::testing::hostile
