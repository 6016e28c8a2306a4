// The receive side against a peer that ignores the rules: stream ids beyond the negotiated
// count, TSN and SSN wrap-around, FORWARD TSN beyond the window, and data that never forms
// a message (RFC 9260 §6.2, §6.5, §6.6, RFC 3758 §3.6). Memory held for the peer must stay
// bounded by the receive window.
#include <gtest/gtest.h>

#include "hostile/hostile_peer.h"

namespace sctp::testing::hostile {
namespace {

std::vector<uint8_t> Bytes4(uint32_t v) {
  return {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
          static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
}

uint32_t Read4(const std::vector<uint8_t>& b) {
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

std::vector<Message> Messages(const HostilePeer& peer) {
  std::vector<Message> out;
  for (const Event& e : peer.events) {
    if (const auto* m = std::get_if<events::MessageReceived>(&e.payload)) out.push_back(m->message);
  }
  return out;
}

// §6.5: "If an endpoint receives a DATA chunk with an invalid stream identifier, it SHOULD
// acknowledge the reception of the DATA chunk following the normal procedure, immediately
// send an ERROR chunk with cause set to 'Invalid Stream Identifier' ... and discard the
// DATA chunk."
TEST(StreamLimitTest, StreamIdsBeyondTheNegotiatedCountGetAnErrorAndAreAcked) {
  PeerConfig config;
  config.peer_outbound_streams = 4;  // our inbound streams = min(65535, 4) (§5.1.1)
  HostilePeer peer(config);
  ASSERT_TRUE(peer.Handshake());
  ASSERT_EQ(peer.Info().inbound_streams, 4);
  const std::vector<uint8_t> payload(10, 9);
  const size_t index = peer.sent.size();
  peer.Send({HostilePeer::Data(1000, 4, 0, payload)});
  peer.Send({HostilePeer::Data(1001, 65535, 0, payload)});
  peer.Send({HostilePeer::Data(1002, 3, 0, payload)});  // valid, after the bad ones
  peer.Advance(Seconds(1));
  EXPECT_EQ(peer.CauseCodes<wire::ErrorChunk>(index),
            (std::vector<uint16_t>{wire::ErrorCauseCode::kInvalidStreamIdentifier,
                                   wire::ErrorCauseCode::kInvalidStreamIdentifier}));
  EXPECT_EQ(peer.LastCumAck(index), 1002u);  // all three acknowledged
  const std::vector<Message> got = Messages(peer);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].stream_id, StreamId(3));
  EXPECT_EQ(peer.State(), AssociationState::kEstablished);
}

// §3.3.1 / §6.2: TSNs are serial numbers (RFC 1982) and wrap from 2^32-1 to 0.
TEST(WrapAroundTest, TsnWrapsAroundTwoToTheThirtyTwo) {
  PeerConfig config;
  config.peer_initial_tsn = 0xFFFFFFF0u;
  HostilePeer peer(config);
  ASSERT_TRUE(peer.Handshake());
  const size_t index = peer.sent.size();
  // 40 messages, TSN 0xFFFFFFF0 .. 0x00000017, delivered out of order around the wrap.
  std::vector<uint32_t> order;
  for (uint32_t i = 0; i < 40; ++i)
    order.push_back(0xFFFFFFF0u + i);
  std::swap(order[10], order[20]);  // 0xFFFFFFFA after 0x00000004
  std::swap(order[15], order[16]);  // 0xFFFFFFFF after 0x00000000
  for (uint32_t tsn : order) {
    const uint32_t n = tsn - 0xFFFFFFF0u;
    peer.Send({HostilePeer::Data(tsn, 1, static_cast<uint16_t>(n), Bytes4(n))});
  }
  peer.Advance(Seconds(1));
  EXPECT_EQ(peer.LastCumAck(index), 0x00000017u);
  const std::vector<Message> got = Messages(peer);
  ASSERT_EQ(got.size(), 40u);
  for (uint32_t i = 0; i < 40; ++i)
    EXPECT_EQ(Read4(got[i].payload), i) << "ordered delivery across the TSN wrap";
  EXPECT_EQ(peer.State(), AssociationState::kEstablished);
}

// §6.5: "when the Stream Sequence Number reaches the value 65535, the next Stream Sequence
// Number MUST be set to 0": 65,546 ordered messages on one stream arrive in order.
TEST(WrapAroundTest, SsnWrapsAroundTwoToTheSixteen) {
  HostilePeer peer;
  ASSERT_TRUE(peer.Handshake());
  constexpr uint32_t kMessages = 65536 + 10;
  constexpr uint32_t kPerPacket = 50;
  uint32_t tsn = 1000;
  std::vector<std::vector<uint8_t>> payloads(kPerPacket);
  for (uint32_t first = 0; first < kMessages; first += kPerPacket) {
    const uint32_t end = std::min(kMessages, first + kPerPacket);
    std::vector<wire::AnyChunk> chunks;
    for (uint32_t n = first; n < end; ++n) {
      payloads[n - first] = Bytes4(n);
      chunks.push_back(HostilePeer::Data(tsn++, 2, static_cast<uint16_t>(n), payloads[n - first]));
    }
    peer.Send(chunks);
    const std::vector<Message> got = Messages(peer);
    ASSERT_EQ(got.size(), end - first) << "messages stuck at SSN " << (first & 0xffff);
    for (uint32_t n = first; n < end; ++n) {
      ASSERT_EQ(Read4(got[n - first].payload), n);
      ASSERT_EQ(got[n - first].ssn, static_cast<uint16_t>(n));
    }
    peer.events.clear();
  }
  EXPECT_EQ(peer.Info().messages_received, kMessages);
  EXPECT_EQ(peer.State(), AssociationState::kEstablished);
}

// RFC 3758 §3.6 moves the cumulative TSN point to the FORWARD TSN's value. A value far
// beyond anything the receive window could hold (or half the TSN space away, where serial
// comparison is undefined) is refused, so a forged FORWARD TSN cannot make us skip data.
TEST(ForwardTsnTest, ForwardTsnBeyondTheWindowIsIgnored) {
  HostilePeer peer;
  ASSERT_TRUE(peer.Handshake());
  const std::vector<uint8_t> payload(10, 1);
  peer.Send({HostilePeer::Data(1000, 0, 0, payload)});
  size_t index = peer.sent.size();
  peer.Send({wire::ForwardTsnChunk{Tsn(1000 + (1u << 21)), {}}});
  peer.Send({wire::ForwardTsnChunk{Tsn(1000 + (1u << 31)), {}}});
  peer.Send({wire::ForwardTsnChunk{Tsn(1000 + (1u << 31) + 7), {}}});
  peer.Advance(Seconds(1));
  if (auto cum = peer.LastCumAck(index)) {
    EXPECT_EQ(*cum, 1000u);
  }
  // Positive control: a FORWARD TSN inside the window moves the cumulative ack.
  index = peer.sent.size();
  peer.Send({wire::ForwardTsnChunk{Tsn(1010), {}}});
  peer.Advance(Seconds(1));
  EXPECT_EQ(peer.LastCumAck(index), 1010u);
  peer.Send({HostilePeer::Data(1011, 0, 1, payload)});
  EXPECT_EQ(Messages(peer).size(), 2u);
  EXPECT_EQ(peer.State(), AssociationState::kEstablished);
}

// §6.2: a receiver keeps what it holds within its advertised window. Fragments of messages
// that never complete (no E bit, and a gap before them so nothing can be delivered) fill the
// window; beyond it, DATA is dropped and not acknowledged.
TEST(ReassemblyLimitTest, FragmentsAfterAGapStayWithinTheWindow) {
  PeerConfig config;
  config.options.receive_window = 64 * 1024;
  HostilePeer peer(config);
  ASSERT_TRUE(peer.Handshake());
  const std::vector<uint8_t> fragment(1000, 0x42);
  // TSN 1000 never arrives; 1001.. are first fragments of messages on 16 streams.
  for (uint32_t i = 1; i <= 300; ++i) {
    peer.Send({HostilePeer::Data(1000 + i, static_cast<uint16_t>(i % 16),
                                 static_cast<uint16_t>(i / 16), fragment, true, false)});
    ASSERT_LE(peer.Info().receive_buffered_bytes, config.options.receive_window);
  }
  // Each chunk held out of order is charged its payload plus 64 bytes of window
  // (association.cc kHeldChunkOverhead): about window / 1064 fragments fit.
  const size_t buffered = peer.Info().receive_buffered_bytes;
  const size_t held = buffered / fragment.size();
  EXPECT_GE(buffered + 2 * (fragment.size() + 64), config.options.receive_window * 1000 / 1064);
  EXPECT_EQ(peer.Info().local_rwnd, config.options.receive_window - buffered - 64 * held);
  EXPECT_EQ(peer.State(), AssociationState::kEstablished);
}

}  // namespace
}  // namespace sctp::testing::hostile
