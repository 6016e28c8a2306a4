// Packets whose framing lies: chunk lengths that run past the packet or are too short,
// parameters that overrun their chunk, DATA without user data (RFC 9260 §3.2, §3.2.1,
// §3.3.1, §6.2, §6.10). A packet that cannot be framed is discarded whole, before any of its
// chunks is acted on; the association is not disturbed.
#include <gtest/gtest.h>

#include "hostile/hostile_peer.h"

namespace sctp::testing::hostile {
namespace {

const std::vector<uint8_t> kPayload(40, 0x33);

std::vector<uint8_t> DataChunkBytes(uint32_t tsn, uint16_t length_field, size_t payload) {
  std::vector<uint8_t> c(16 + payload, 0x61);
  c[0] = wire::ChunkType::kData;
  c[1] = 0x03;  // B and E
  wire::Store16(&c[2], length_field);
  wire::Store32(&c[4], tsn);
  wire::Store16(&c[8], 0);
  wire::Store16(&c[10], 0);
  wire::Store32(&c[12], 51);
  while (c.size() % 4 != 0)
    c.push_back(0);
  return c;
}

// §3.2: Chunk Length "represents the size of the chunk in bytes, including the Chunk Type,
// Chunk Flags, Chunk Length, and Chunk Value fields"; a chunk that claims more than the
// packet holds, or less than its own header, cannot be framed, and nothing after it can be
// found: the packet is discarded (counted as malformed), its DATA not acknowledged.
TEST(LyingLengthTest, ChunkLengthsThatLieDiscardThePacket) {
  HostilePeer peer;
  ASSERT_TRUE(peer.Handshake());
  const size_t index = peer.sent.size();
  const uint64_t malformed_before = peer.endpoint->stats().malformed;
  const std::vector<uint16_t> lies = {0, 1, 3, 4, 15, 16 + 41, 16 + 400, 0xffff};
  for (uint16_t length : lies) {
    peer.Deliver(HostilePeer::Raw(peer.local_tag, DataChunkBytes(1000, length, 40)));
  }
  // A valid HEARTBEAT first, then a chunk that runs past the end: the HEARTBEAT is not
  // answered either (the packet is discarded whole).
  std::vector<uint8_t> two = {4, 0, 0, 8, 0, 1, 0, 4};
  const std::vector<uint8_t> data = DataChunkBytes(1000, 200, 40);
  two.insert(two.end(), data.begin(), data.end());
  peer.Deliver(HostilePeer::Raw(peer.local_tag, two));

  EXPECT_EQ(peer.sent.size(), index);
  EXPECT_EQ(peer.CountEvents<events::MessageReceived>(), 0);
  EXPECT_EQ(peer.endpoint->stats().malformed, malformed_before + lies.size() + 1);
  EXPECT_EQ(peer.State(), AssociationState::kEstablished);
  // TSN 1000 was never accepted: sent properly now, it is delivered and acknowledged.
  peer.Send({HostilePeer::Data(1000, 0, 0, kPayload)});
  EXPECT_EQ(peer.CountEvents<events::MessageReceived>(), 1);
  peer.Advance(Seconds(1));
  EXPECT_EQ(peer.LastCumAck(index), 1000u);
}

// §6.2: "If an endpoint receives a DATA chunk with no user data (i.e., the Length field is
// set to 16), it MUST send an ABORT with an error cause set to 'No User Data'."
TEST(LyingLengthTest, DataWithoutUserDataIsAbortedWithNoUserData) {
  HostilePeer peer;
  ASSERT_TRUE(peer.Handshake());
  const size_t index = peer.sent.size();
  peer.Deliver(HostilePeer::Raw(peer.local_tag, DataChunkBytes(1000, 16, 0)));
  EXPECT_EQ(peer.CauseCodes<wire::AbortChunk>(index),
            std::vector<uint16_t>{wire::ErrorCauseCode::kNoUserData});
  EXPECT_FALSE(peer.State().has_value());
}

// §3.2.1: parameters are TLVs inside the chunk; one whose length runs past the chunk (or is
// below 4) cannot be framed, so the INIT is discarded: no INIT ACK, no state.
TEST(OverrunTest, InitParametersThatOverrunAreDiscarded) {
  HostilePeer peer;
  for (uint16_t length : {uint16_t{0}, uint16_t{2}, uint16_t{3}, uint16_t{12}, uint16_t{0xfff0}}) {
    std::vector<uint8_t> init(20 + 8, 0);
    init[0] = wire::ChunkType::kInit;
    wire::Store16(&init[2], static_cast<uint16_t>(init.size()));
    wire::Store32(&init[4], 0x01020304);  // Initiate Tag
    wire::Store32(&init[8], 65536);
    wire::Store16(&init[12], 10);
    wire::Store16(&init[14], 10);
    wire::Store32(&init[16], 1);
    wire::Store16(&init[20], wire::ParameterType::kIpv4Address);
    wire::Store16(&init[22], length);  // claims `length` bytes; 8 are there
    peer.Deliver(HostilePeer::Raw(0, init));
  }
  EXPECT_TRUE(peer.sent.empty());
  EXPECT_TRUE(peer.endpoint->associations().empty());
  EXPECT_EQ(peer.endpoint->stats().associations_created, 0u);
}

// The same for causes inside an ABORT: an ABORT that cannot be framed does not abort.
TEST(OverrunTest, AbortWhoseCauseOverrunsIsDiscarded) {
  HostilePeer peer;
  ASSERT_TRUE(peer.Handshake());
  const std::vector<uint8_t> abort = {6, 0, 0, 12, 0, 12, 0, 200, 'b', 'y', 'e', 0};
  peer.Deliver(HostilePeer::Raw(peer.local_tag, abort));
  EXPECT_EQ(peer.State(), AssociationState::kEstablished);
}

// A connecting endpoint (COOKIE-WAIT) receiving an INIT ACK whose parameters overrun:
// discarded, it stays in COOKIE-WAIT and keeps retransmitting its INIT (§5.1, T1-init).
TEST(OverrunTest, InitAckWithOverrunningParametersLeavesCookieWait) {
  PeerConfig config;
  config.listen = false;
  HostilePeer peer(config);
  const Address peers[] = {peer.peer_address};
  auto id = peer.endpoint->Connect(peers, kPeerPort, peer.now);
  ASSERT_TRUE(id.ok());
  auto init = peer.FirstChunk<wire::InitChunk>(0);
  ASSERT_TRUE(init.has_value());
  std::vector<uint8_t> ack(20 + 12, 0);
  ack[0] = wire::ChunkType::kInitAck;
  wire::Store16(&ack[2], static_cast<uint16_t>(ack.size()));
  wire::Store32(&ack[4], 0x0a0b0c0d);
  wire::Store32(&ack[8], 65536);
  wire::Store16(&ack[12], 10);
  wire::Store16(&ack[14], 10);
  wire::Store32(&ack[16], 1);
  wire::Store16(&ack[20], wire::ParameterType::kStateCookie);
  wire::Store16(&ack[22], 300);  // a cookie of 300 bytes in 12
  const size_t index = peer.sent.size();
  peer.Deliver(HostilePeer::Raw(init->initiate_tag.value(), ack));
  EXPECT_EQ(peer.sent.size(), index);  // no COOKIE ECHO
  EXPECT_EQ(peer.StateOf(*id), AssociationState::kCookieWait);
  peer.Advance(Seconds(4));
  EXPECT_FALSE(peer.ChunksOfType<wire::InitChunk>(index).empty());  // T1-init retransmission
}

}  // namespace
}  // namespace sctp::testing::hostile
