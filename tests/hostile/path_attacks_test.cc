// Forged path verification (RFC 9260 §5.4, §8.3): an attacker must not be able to confirm
// a peer address, or keep a path alive, with HEARTBEAT ACKs it made up.
#include <gtest/gtest.h>

#include "hostile/hostile_peer.h"

namespace sctp::testing::hostile {
namespace {

std::vector<uint8_t> HeartbeatAckInfo(uint32_t path, uint64_t nonce) {
  std::vector<uint8_t> info(12);
  wire::Store32(&info[0], path);
  wire::Store32(&info[4], static_cast<uint32_t>(nonce >> 32));
  wire::Store32(&info[8], static_cast<uint32_t>(nonce));
  return wire::ToBytes(wire::HeartbeatInfoParameter{wire::Bytes(info)});
}

std::optional<PathInfo> PathTo(const HostilePeer& peer, const Address& address) {
  for (const PathInfo& p : peer.Info().paths) {
    if (p.address == address) return p;
  }
  return std::nullopt;
}

// §5.4: "Upon receipt of the HEARTBEAT ACK chunk, a verification is made that the nonce
// included in the Heartbeat Info parameter is the one sent to the address indicated inside
// the Heartbeat Info parameter. When this match occurs, the address ... is now considered
// CONFIRMED." Guessed nonces, replies for other paths and malformed infos confirm nothing.
TEST(PathVerificationTest, ForgedHeartbeatAcksDoNotConfirmAnAddress) {
  HostilePeer peer;
  const Address second = Address::Ipv4({10, 0, 0, 9});
  std::vector<uint8_t> params = peer.InitParameters();
  for (const auto& a : {std::array<uint8_t, 4>{10, 0, 0, 1}, std::array<uint8_t, 4>{10, 0, 0, 9}}) {
    const auto p = wire::ToBytes(wire::Ipv4AddressParameter{a});
    params.insert(params.end(), p.begin(), p.end());
  }
  const size_t index = peer.sent.size();
  peer.Deliver(HostilePeer::Build(0, {peer.Init(params)}));
  auto ack = peer.FirstChunk<wire::InitAckChunk>(index);
  ASSERT_TRUE(ack.has_value());
  peer.local_tag = ack->initiate_tag.value();
  wire::TlvReader r = ack->parameters_reader();
  wire::TlvView tlv;
  while (r.Next(&tlv)) {
    if (tlv.type == wire::ParameterType::kStateCookie)
      peer.cookie.assign(tlv.value.begin(), tlv.value.end());
  }
  peer.Send({wire::CookieEchoChunk{wire::Bytes(peer.cookie)}});
  ASSERT_EQ(peer.endpoint->associations().size(), 1u);
  peer.id = peer.endpoint->associations()[0];
  ASSERT_TRUE(PathTo(peer, second).has_value());
  ASSERT_FALSE(PathTo(peer, second)->confirmed);

  // The endpoint probes the unconfirmed address; the attacker does not see that HEARTBEAT.
  const size_t probes_from = peer.sent.size();
  peer.Advance(Seconds(3));
  std::vector<uint8_t> genuine;
  for (const SentChunk& c : peer.ChunksSince(probes_from)) {
    if (const auto* hb = std::get_if<wire::HeartbeatChunk>(&c.chunk);
        hb != nullptr && peer.sent[c.packet_index].to == second) {
      genuine.assign(hb->tlvs.begin(), hb->tlvs.end());
    }
  }
  ASSERT_FALSE(genuine.empty()) << "no HEARTBEAT to the unconfirmed address";

  for (uint32_t path = 0; path < 4; ++path) {
    for (uint64_t nonce : {uint64_t{0}, uint64_t{1}, uint64_t{0x0123456789abcdef}, ~uint64_t{0}}) {
      const auto forged = HeartbeatAckInfo(path, nonce);
      peer.Deliver(
          HostilePeer::Build(peer.local_tag, {wire::HeartbeatAckChunk{false, wire::Bytes(forged)}}),
          second);
    }
  }
  const std::vector<uint8_t> short_info =
      wire::ToBytes(wire::HeartbeatInfoParameter{wire::Bytes(std::vector<uint8_t>(4, 0))});
  peer.Send({wire::HeartbeatAckChunk{false, wire::Bytes(short_info)}});
  EXPECT_FALSE(PathTo(peer, second)->confirmed);
  EXPECT_EQ(peer.CountEvents<events::PeerAddressChange>(), 0);

  // The genuine echo confirms it.
  peer.Deliver(
      HostilePeer::Build(peer.local_tag, {wire::HeartbeatAckChunk{false, wire::Bytes(genuine)}}),
      second);
  EXPECT_TRUE(PathTo(peer, second)->confirmed);
  EXPECT_EQ(peer.CountEvents<events::PeerAddressChange>(), 1);
  // §8.3: and a replay of it changes nothing more.
  peer.Deliver(
      HostilePeer::Build(peer.local_tag, {wire::HeartbeatAckChunk{false, wire::Bytes(genuine)}}),
      second);
  EXPECT_EQ(peer.CountEvents<events::PeerAddressChange>(), 1);
}

}  // namespace
}  // namespace sctp::testing::hostile
