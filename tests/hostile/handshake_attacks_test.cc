// Hostile input against the handshake: INIT floods, cookie forgery, stale and replayed
// cookies (RFC 9260 §5.1, §5.1.3, §5.1.5, §5.2, §12). Each test drives one real Endpoint
// with a scripted peer (hostile_peer.h).
#include <gtest/gtest.h>

#include "hostile/hostile_peer.h"

namespace sctp::testing::hostile {
namespace {

std::vector<uint8_t> UnknownParameters(size_t count) {
  std::vector<uint8_t> params;
  for (size_t i = 0; i < count; ++i) {
    // Types with the "skip and report" (11) and "stop and report" (01) bits, §3.2.1.
    const uint16_t type = static_cast<uint16_t>((i % 2 == 0 ? 0xC000 : 0x4000) | (0x100 + i));
    std::vector<uint8_t> tlv(4 + 60);
    wire::ByteWriter w(tlv);
    wire::WriteTlv(w, type, std::vector<uint8_t>(60, static_cast<uint8_t>(i)));
    params.insert(params.end(), tlv.begin(), tlv.end());
  }
  return params;
}

// §5.1: "the receiver of the INIT ... MUST NOT allocate any resources"; §12.4: the INIT ACK
// "SHOULD be as small as possible to reduce the possibility of byte amplification attacks".
TEST(InitFloodTest, ThousandsOfBigInitsLeaveNoStateAndSmallInitAcks) {
  HostilePeer peer;
  const std::vector<uint8_t> params = UnknownParameters(200);  // ~12.8 KB of parameters
  for (uint32_t i = 0; i < 3000; ++i) {
    const wire::InitChunk init{VerificationTag(0x1000 + i), 65536, 10, 10, Tsn(i),
                               wire::Bytes(params)};
    const Address from = Address::Ipv4({10, 1, static_cast<uint8_t>(i >> 8), uint8_t(i)});
    ASSERT_EQ(peer.Deliver(HostilePeer::Build(0, {init}, static_cast<uint16_t>(1024 + i)), from),
              1u);
  }
  EXPECT_TRUE(peer.endpoint->associations().empty());
  EXPECT_EQ(peer.endpoint->NextDeadline(), kNever);  // no timer either
  EXPECT_EQ(peer.endpoint->stats().init_received, 3000u);
  for (const SentPacket& p : peer.sent) {
    ASSERT_LE(p.bytes.size(), 1200u) << "INIT ACK larger than one MTU";
  }
  EXPECT_EQ(peer.ChunksOfType<wire::InitAckChunk>(0).size(), 3000u);
}

// §5.2.2: an INIT for an established association gets an INIT ACK with a new tag, but the
// association is unchanged until a COOKIE ECHO proves the peer restarted.
TEST(InitFloodTest, InitsForAnEstablishedAssociationChangeNothing) {
  HostilePeer peer;
  ASSERT_TRUE(peer.Handshake());
  const uint32_t tag = peer.local_tag;
  for (int i = 0; i < 100; ++i) {
    peer.Deliver(HostilePeer::Build(0, {peer.Init()}));
  }
  EXPECT_EQ(peer.endpoint->associations().size(), 1u);
  EXPECT_EQ(peer.State(), AssociationState::kEstablished);
  for (const wire::InitAckChunk& ack : peer.ChunksOfType<wire::InitAckChunk>(1)) {
    EXPECT_NE(ack.initiate_tag.value(), tag);  // §5.2.2: a new tag, never the live one
  }
  EXPECT_EQ(peer.CountEvents<events::Restarted>(), 0);
  // The live association still works with its old tag.
  const std::vector<uint8_t> payload(10, 1);
  peer.Send({HostilePeer::Data(1000, 0, 0, payload)});
  EXPECT_EQ(peer.CountEvents<events::MessageReceived>(), 1);
}

// §5.1.5 step 1: "Compute a MAC ... If the MAC does not match, the packet MUST be silently
// discarded." Every single-byte change, truncation or extension of a real cookie fails.
TEST(CookieForgeryTest, EveryAlteredCookieIsSilentlyDiscarded) {
  HostilePeer peer;
  ASSERT_TRUE(peer.SendInit());
  const std::vector<uint8_t> cookie = peer.cookie;
  const size_t sent_before = peer.sent.size();
  size_t forgeries = 0;
  for (size_t i = 0; i < cookie.size(); ++i) {
    std::vector<uint8_t> forged = cookie;
    forged[i] ^= 0x01;
    peer.Send({wire::CookieEchoChunk{wire::Bytes(forged)}});
    ++forgeries;
  }
  for (size_t length : {size_t{0}, size_t{1}, cookie.size() / 2, cookie.size() - 1}) {
    std::vector<uint8_t> truncated(cookie.begin(), cookie.begin() + static_cast<long>(length));
    peer.Send({wire::CookieEchoChunk{wire::Bytes(truncated)}});
    ++forgeries;
  }
  std::vector<uint8_t> extended = cookie;
  extended.push_back(0);
  peer.Send({wire::CookieEchoChunk{wire::Bytes(extended)}});
  ++forgeries;

  EXPECT_TRUE(peer.endpoint->associations().empty());
  EXPECT_EQ(peer.sent.size(), sent_before);  // silently: no reply at all
  EXPECT_EQ(peer.endpoint->stats().bad_cookie, forgeries);
  EXPECT_EQ(peer.endpoint->stats().associations_created, 0u);
  // The genuine cookie still works afterwards.
  peer.Send({wire::CookieEchoChunk{wire::Bytes(cookie)}});
  EXPECT_EQ(peer.endpoint->associations().size(), 1u);
}

// §5.1.5 step 2: the cookie is bound to the verification tag it was issued with.
TEST(CookieForgeryTest, GenuineCookieUnderAnotherTagOrPortIsDiscarded) {
  HostilePeer peer;
  ASSERT_TRUE(peer.SendInit());
  const size_t sent_before = peer.sent.size();
  peer.SendWithTag(peer.local_tag ^ 0x10, {wire::CookieEchoChunk{wire::Bytes(peer.cookie)}});
  peer.Deliver(HostilePeer::Build(peer.local_tag, {wire::CookieEchoChunk{wire::Bytes(peer.cookie)}},
                                  kPeerPort + 1));
  EXPECT_TRUE(peer.endpoint->associations().empty());
  EXPECT_EQ(peer.sent.size(), sent_before);
  EXPECT_EQ(peer.endpoint->stats().bad_cookie, 2u);
}

// §5.1.5 step 3: "If the State Cookie is older than its lifespan ... the endpoint MUST
// transmit an ERROR chunk with a 'Stale Cookie' error cause to the peer endpoint", and no
// association is created.
TEST(StaleCookieTest, ExpiredCookieGetsStaleCookieErrorAndNoState) {
  PeerConfig config;
  config.options.valid_cookie_life = Seconds(10);
  HostilePeer peer(config);
  ASSERT_TRUE(peer.SendInit());
  peer.Advance(Seconds(12));
  const size_t index = peer.sent.size();
  ASSERT_EQ(peer.Send({wire::CookieEchoChunk{wire::Bytes(peer.cookie)}}), 1u);
  EXPECT_TRUE(peer.endpoint->associations().empty());
  auto error = peer.FirstChunk<wire::ErrorChunk>(index);
  ASSERT_TRUE(error.has_value());
  wire::TlvReader r = error->reader();
  wire::TlvView tlv;
  ASSERT_TRUE(r.Next(&tlv));
  auto stale = wire::StaleCookieErrorCause::Parse(tlv);
  ASSERT_TRUE(stale.ok());
  // §3.3.10.3: the staleness in microseconds: here about 2 s.
  EXPECT_GE(stale->measure_of_staleness_us, 1'900'000u);
  EXPECT_LE(stale->measure_of_staleness_us, 2'100'000u);
  // §5.1.5 step 3 / §3.3.10.3: sent with the peer's tag (from the cookie).
  EXPECT_EQ(peer.ChunksSince(index)[0].verification_tag, peer.config_.peer_tag);
  EXPECT_EQ(peer.endpoint->stats().stale_cookie, 1u);
}

// §5.2.4 (handle a COOKIE ECHO when a TCB exists), action D: both tags match a live
// association: a COOKIE ACK, no new association, no restart — even for a replay long after
// the cookie's lifetime (the COOKIE ACK may have been lost).
TEST(CookieReplayTest, ReplayOfALiveAssociationsCookieCreatesNothing) {
  PeerConfig config;
  config.options.valid_cookie_life = Seconds(10);
  HostilePeer peer(config);
  ASSERT_TRUE(peer.Handshake());
  const AssociationId first = peer.id;
  for (Duration wait : {Seconds(1), Seconds(30)}) {
    peer.Advance(wait);
    const size_t index = peer.sent.size();
    peer.Send({wire::CookieEchoChunk{wire::Bytes(peer.cookie)}});
    EXPECT_EQ(peer.endpoint->associations(), std::vector<AssociationId>{first});
    EXPECT_EQ(peer.State(), AssociationState::kEstablished);
    EXPECT_EQ(peer.ChunksOfType<wire::CookieAckChunk>(index).size(), 1u);
    EXPECT_TRUE(peer.ChunksOfType<wire::ErrorChunk>(index).empty());
  }
  EXPECT_EQ(peer.CountEvents<events::CommunicationUp>(), 1);
  EXPECT_EQ(peer.CountEvents<events::Restarted>(), 0);
  EXPECT_EQ(peer.endpoint->stats().associations_created, 1u);
}

// §5.1.5 step 3 for a cookie whose association is gone: once its lifetime has passed, a
// replayed cookie is stale — it cannot resurrect the association.
TEST(CookieReplayTest, ReplayAfterLifetimeOfAClosedAssociationIsStale) {
  PeerConfig config;
  config.options.valid_cookie_life = Seconds(10);
  HostilePeer peer(config);
  ASSERT_TRUE(peer.Handshake());
  const uint8_t reason[] = {'x'};
  ASSERT_TRUE(peer.endpoint->Abort(peer.id, reason, peer.now).ok());
  ASSERT_TRUE(peer.endpoint->associations().empty());
  peer.Advance(Seconds(11));
  const size_t index = peer.sent.size();
  peer.Send({wire::CookieEchoChunk{wire::Bytes(peer.cookie)}});
  EXPECT_TRUE(peer.endpoint->associations().empty());
  EXPECT_EQ(peer.CauseCodes<wire::ErrorChunk>(index),
            std::vector<uint16_t>{wire::ErrorCauseCode::kStaleCookieError});
  EXPECT_EQ(peer.endpoint->stats().associations_created, 1u);
}

// §8.4: a COOKIE ECHO for no existing association makes the packet out of the blue, and
// rule 2 ("If the OOTB packet contains an ABORT chunk, the receiver MUST silently discard
// the OOTB packet and take no further action") precedes rule 4 (process the COOKIE ECHO):
// no association, no COOKIE ACK, no Stale Cookie ERROR. (Found by fuzz_endpoint_listen.)
TEST(CookieReplayTest, CookieEchoBundledWithAbortIsSilentlyDiscarded) {
  PeerConfig config;
  config.options.valid_cookie_life = Seconds(10);
  HostilePeer peer(config);
  ASSERT_TRUE(peer.SendInit());
  const size_t index = peer.sent.size();
  peer.Send({wire::CookieEchoChunk{wire::Bytes(peer.cookie)}, wire::AbortChunk{true, {}}});
  peer.Advance(Seconds(12));  // now stale
  peer.Send({wire::CookieEchoChunk{wire::Bytes(peer.cookie)}, wire::AbortChunk{false, {}}});
  EXPECT_EQ(peer.sent.size(), index);
  EXPECT_TRUE(peer.endpoint->associations().empty());
  EXPECT_EQ(peer.endpoint->stats().associations_created, 0u);
  EXPECT_TRUE(peer.events.empty());
}

}  // namespace
}  // namespace sctp::testing::hostile
