// Found by the hostile-input work (fixed in src/assoc): a peer that ignores our advertised
// window made us hold unbounded data, because the next expected TSN was always accepted.
// RFC 9260 §6.2: only a TSN below the largest received (filling a gap) may pass a closed
// window.
#include <gtest/gtest.h>

#include "hostile/hostile_peer.h"

namespace sctp::testing::hostile {
namespace {

std::vector<Message> Messages(const HostilePeer& peer) {
  std::vector<Message> out;
  for (const Event& e : peer.events) {
    if (const auto* m = std::get_if<events::MessageReceived>(&e.payload)) out.push_back(m->message);
  }
  return out;
}

// §6.2: "When the receiver's advertised window is 0, the receiver MUST drop any new incoming
// DATA chunk with a TSN larger than the largest TSN received so far." An application that
// does not read (release_on_delivery = false, as the usrsctp layer) closes the window; a
// peer that keeps sending in order must not make us hold more than the window.
TEST(ReassemblyLimitTest, InOrderMessagesBeyondAClosedWindowAreDropped) {
  PeerConfig config;
  config.options.receive_window = 64 * 1024;
  config.release_on_delivery = false;
  HostilePeer peer(config);
  ASSERT_TRUE(peer.Handshake());
  const std::vector<uint8_t> message(1000, 0x43);
  const size_t index = peer.sent.size();
  for (uint32_t i = 0; i < 300; ++i) {
    peer.Send({HostilePeer::Data(1000 + i, 0, static_cast<uint16_t>(i), message)});
  }
  peer.Advance(Seconds(1));
  EXPECT_LE(peer.Info().receive_buffered_bytes, config.options.receive_window);
  const auto cum = peer.LastCumAck(index);
  ASSERT_TRUE(cum.has_value());
  EXPECT_LT(*cum, 1000u + 70);  // about 64 messages fit; the rest were not accepted
  EXPECT_LT(Messages(peer).size(), 70u);
}

// The same with fragments that never complete, each the next expected TSN: they cannot be
// delivered (no E bit, each below the partial delivery point), so they must stop at the
// window too.
TEST(ReassemblyLimitTest, InOrderFragmentsThatNeverCompleteStayWithinTheWindow) {
  PeerConfig config;
  config.options.receive_window = 64 * 1024;
  HostilePeer peer(config);
  ASSERT_TRUE(peer.Handshake());
  const std::vector<uint8_t> fragment(1000, 0x44);
  for (uint32_t i = 0; i < 300; ++i) {
    peer.Send({HostilePeer::Data(1000 + i, static_cast<uint16_t>(i % 16),
                                 static_cast<uint16_t>(i / 16), fragment, true, false)});
  }
  EXPECT_LE(peer.Info().receive_buffered_bytes, config.options.receive_window);
  EXPECT_EQ(peer.State(), AssociationState::kEstablished);
}

}  // namespace
}  // namespace sctp::testing::hostile
