// End-to-end tests of the extensions WebRTC data channels use, over the simulator:
// RFC 6525 stream reconfiguration, RFC 8260 I-DATA, RFC 9653 zero checksum, and the
// negotiation of each (used only when both sides offer it).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "support/engine_pair.h"
#include "wire/chunk_type.h"
#include "wire/chunks.h"
#include "wire/crc32c.h"
#include "wire/packet.h"

namespace sctp::testing {
namespace {

std::vector<uint8_t> Payload(size_t size, uint32_t tag) {
  std::vector<uint8_t> v(size);
  for (size_t i = 0; i < size; ++i)
    v[i] = static_cast<uint8_t>(tag * 31 + i);
  return v;
}

PairConfig Config(uint64_t seed = 1) {
  PairConfig c;
  c.seed = seed;
  c.link.delay = Milliseconds(10);
  c.deep_invariants = true;
  return c;
}

// Every packet on the wire, with the chunk types it carries.
struct WireLog {
  struct Entry {
    std::vector<uint8_t> chunk_types;
    bool crc_ok = false;
    bool zero_checksum = false;
  };
  std::vector<Entry> packets;
  void Attach(EnginePair& pair) {
    pair.sim().network().SetCapture([this](const sim::Packet& p, TimePoint) {
      Entry e;
      e.crc_ok = wire::VerifySctpChecksum(p.bytes);
      e.zero_checksum = p.bytes.size() >= 12 && p.bytes[8] == 0 && p.bytes[9] == 0 &&
                        p.bytes[10] == 0 && p.bytes[11] == 0;
      auto parsed = wire::PacketView::Parse(p.bytes);
      if (parsed.ok()) {
        wire::ChunkReader reader = parsed->chunks();
        wire::ChunkView chunk;
        while (reader.Next(&chunk))
          e.chunk_types.push_back(chunk.type);
      }
      packets.push_back(std::move(e));
    });
  }
  int CountChunks(uint8_t type) const {
    int n = 0;
    for (const Entry& e : packets)
      n += static_cast<int>(std::count(e.chunk_types.begin(), e.chunk_types.end(), type));
    return n;
  }
};

absl::Status Send(EnginePair& pair, Peer& peer, uint16_t stream, std::vector<uint8_t> payload,
                  SendOptions options = {}) {
  return peer.endpoint->Send(*peer.association, StreamId(stream), Ppid(51), std::move(payload),
                             options, pair.now());
}

// --- RFC 8260 I-DATA ------------------------------------------------------------------

TEST(IDataTest, NegotiatedWhenBothOfferAndUsedForEveryMessage) {
  PairConfig config = Config();
  config.client_options.interleaving = true;
  config.server_options.interleaving = true;
  EnginePair pair(config);
  WireLog log;
  log.Attach(pair);
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  Peer& s = pair.server();
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(Send(pair, c, static_cast<uint16_t>(i % 3), Payload(3000 + i, i)).ok());
  }
  ASSERT_TRUE(pair.RunUntil([&] { return s.messages.size() == 20; }, Seconds(10)));
  // RFC 8260 §2.2: I-DATA for all user messages, DATA never.
  EXPECT_GT(log.CountChunks(wire::ChunkType::kIData), 20);
  EXPECT_EQ(log.CountChunks(wire::ChunkType::kData), 0);
  // Per stream, in order and intact.
  for (uint16_t stream = 0; stream < 3; ++stream) {
    int expected = stream;
    for (const Message& m : s.messages) {
      if (m.stream_id != StreamId(stream)) continue;
      EXPECT_EQ(m.payload, Payload(3000 + expected, expected));
      expected += 3;
    }
  }
  EXPECT_EQ(pair.violation(), "");
}

TEST(IDataTest, OneSidedOfferFallsBackToData) {
  PairConfig config = Config();
  config.client_options.interleaving = true;  // the server does not offer I-DATA
  EnginePair pair(config);
  WireLog log;
  log.Attach(pair);
  ASSERT_TRUE(pair.ConnectAndWait());
  ASSERT_TRUE(Send(pair, pair.client(), 1, Payload(5000, 1)).ok());
  ASSERT_TRUE(pair.RunUntil([&] { return pair.server().messages.size() == 1; }, Seconds(5)));
  EXPECT_EQ(log.CountChunks(wire::ChunkType::kIData), 0);
  EXPECT_GT(log.CountChunks(wire::ChunkType::kData), 0);
  EXPECT_EQ(pair.server().messages[0].payload, Payload(5000, 1));
}

TEST(IDataTest, SmallMessageIsNotStuckBehindALargeOne) {
  // RFC 8260 §1: with I-DATA a large message no longer blocks other streams. A 1 MiB
  // message goes first on stream 1, then small ones on stream 2: these arrive while the
  // large one is still being transferred.
  PairConfig config = Config();
  config.link.bandwidth_bps = 10'000'000;
  config.client_options.interleaving = true;
  config.server_options.interleaving = true;
  EnginePair pair(config);
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  Peer& s = pair.server();
  ASSERT_TRUE(Send(pair, c, 1, Payload(1 << 20, 7)).ok());
  pair.RunFor(Milliseconds(50));
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(Send(pair, c, 2, Payload(100, 100 + i)).ok());
  ASSERT_TRUE(pair.RunUntil([&] { return s.messages.size() == 6; }, Seconds(30)));
  // The five small messages came before the large one.
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(s.messages[i].stream_id, StreamId(2)) << i;
  EXPECT_EQ(s.messages[5].payload, Payload(1 << 20, 7));
}

TEST(IDataTest, DataChunkAfterIDataNegotiationAborts) {
  // RFC 8260 §2.2: DATA "MUST NOT be used" once I-DATA is negotiated; the receiver aborts
  // (Protocol Violation). A conforming peer never does this, so the test injects the DATA.
  PairConfig config = Config();
  config.client_options.interleaving = true;
  config.server_options.interleaving = true;
  EnginePair pair(config);
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& s = pair.server();
  // Build a DATA chunk in a packet with the server's tag and the right ports.
  std::vector<uint8_t> buffer(256);
  wire::CommonHeader header;
  header.source_port = pair.client().port;
  header.destination_port = s.port;
  // The server's local tag is what the client puts in its packets: read it from a packet.
  std::optional<uint32_t> tag;
  pair.sim().network().SetCapture([&](const sim::Packet& p, TimePoint) {
    if (p.to == s.addresses[0] && p.bytes.size() >= 8) {
      tag = (uint32_t{p.bytes[4]} << 24) | (uint32_t{p.bytes[5]} << 16) |
            (uint32_t{p.bytes[6]} << 8) | p.bytes[7];
    }
  });
  ASSERT_TRUE(Send(pair, pair.client(), 0, Payload(10, 1)).ok());
  ASSERT_TRUE(pair.RunUntil([&] { return s.messages.size() == 1; }, Seconds(5)));
  ASSERT_TRUE(tag.has_value());
  header.verification_tag = VerificationTag(*tag);
  wire::PacketBuilder builder(buffer, header, buffer.size());
  wire::DataChunk data;
  data.tsn = Tsn(12345);
  data.stream_id = StreamId(0);
  data.beginning = data.ending = true;
  const std::vector<uint8_t> user = Payload(8, 2);
  data.user_data = wire::Bytes(user);
  ASSERT_TRUE(builder.Add(data));
  const auto packet = builder.Finish();
  s.endpoint->HandlePacket(pair.client().addresses[0], s.addresses[0], packet, pair.now());
  const auto* closed = s.Last<events::AssociationClosed>();
  ASSERT_NE(closed, nullptr);
  EXPECT_EQ(closed->reason, CloseReason::kProtocolViolation);
}

// --- RFC 6525 stream reconfiguration --------------------------------------------------

TEST(StreamResetTest, OutgoingResetRestartsTheStreamAtSsnZero) {
  EnginePair pair(Config());
  WireLog log;
  log.Attach(pair);
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  Peer& s = pair.server();
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(Send(pair, c, 3, Payload(200, i)).ok());
  ASSERT_TRUE(pair.RunUntil([&] { return s.messages.size() == 5; }, Seconds(5)));
  EXPECT_EQ(s.messages[4].ssn, 4);
  const StreamId streams[] = {StreamId(3)};
  ASSERT_TRUE(c.endpoint->ResetStreams(*c.association, streams, true, false, pair.now()).ok());
  ASSERT_TRUE(pair.RunUntil(
      [&] { return c.Count<events::StreamReset>() == 1 && s.Count<events::StreamReset>() == 1; },
      Seconds(5)));
  const auto* ours = c.Last<events::StreamReset>();
  EXPECT_TRUE(ours->outgoing);
  EXPECT_FALSE(ours->denied || ours->failed);
  EXPECT_EQ(ours->streams, std::vector<StreamId>{StreamId(3)});
  const auto* theirs = s.Last<events::StreamReset>();
  EXPECT_TRUE(theirs->incoming);
  EXPECT_EQ(theirs->streams, std::vector<StreamId>{StreamId(3)});
  EXPECT_GE(log.CountChunks(wire::ChunkType::kReconfig), 2);  // request and response
  // New messages on the stream start again at SSN 0 and are delivered.
  ASSERT_TRUE(Send(pair, c, 3, Payload(200, 9)).ok());
  ASSERT_TRUE(pair.RunUntil([&] { return s.messages.size() == 6; }, Seconds(5)));
  EXPECT_EQ(s.messages[5].ssn, 0);
  EXPECT_EQ(s.messages[5].payload, Payload(200, 9));
  EXPECT_EQ(pair.violation(), "");
}

TEST(StreamResetTest, ResetRacingWithDataUnderLossLosesAndDuplicatesNothing) {
  // Data before and after the reset on the same stream, 20% loss: the peer sees the request
  // before earlier TSNs arrived (deferred reset, §5.2.2 E2) in many runs. Every message must
  // arrive exactly once, in order, and the reset must complete on both sides.
  int in_progress_runs = 0;
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    SCOPED_TRACE(seed);
    PairConfig config = Config(seed);
    config.link.loss = 0.2;
    EnginePair pair(config);
    WireLog log;
    log.Attach(pair);
    ASSERT_TRUE(pair.ConnectAndWait(Seconds(120)));
    Peer& c = pair.client();
    Peer& s = pair.server();
    for (int i = 0; i < 10; ++i)
      ASSERT_TRUE(Send(pair, c, 1, Payload(500, i)).ok());
    const StreamId streams[] = {StreamId(1)};
    ASSERT_TRUE(c.endpoint->ResetStreams(*c.association, streams, true, false, pair.now()).ok());
    for (int i = 10; i < 20; ++i)
      ASSERT_TRUE(Send(pair, c, 1, Payload(500, i)).ok());
    ASSERT_TRUE(pair.RunUntil(
        [&] { return s.messages.size() >= 20 && c.Count<events::StreamReset>() == 1; },
        Seconds(600)));
    pair.RunFor(Seconds(5));
    ASSERT_EQ(s.messages.size(), 20u);
    for (int i = 0; i < 20; ++i)
      EXPECT_EQ(s.messages[i].payload, Payload(500, i)) << i;
    EXPECT_EQ(s.Count<events::StreamReset>(), 1);
    EXPECT_FALSE(c.Last<events::StreamReset>()->denied);
    EXPECT_EQ(pair.violation(), "");
    // Messages 10.. were numbered after the reset.
    EXPECT_EQ(s.messages[10].ssn, 0);
    // More than request + response on the wire: a retransmitted request, or the deferred
    // reset's "In progress" followed by the final response.
    in_progress_runs += log.CountChunks(wire::ChunkType::kReconfig) > 2;
  }
  EXPECT_GT(in_progress_runs, 0);
}

TEST(StreamResetTest, BothSidesResetAtOnce) {
  EnginePair pair(Config());
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  Peer& s = pair.server();
  ASSERT_TRUE(Send(pair, c, 0, Payload(100, 1)).ok());
  ASSERT_TRUE(Send(pair, s, 0, Payload(100, 2)).ok());
  ASSERT_TRUE(
      pair.RunUntil([&] { return s.messages.size() == 1 && c.messages.size() == 1; }, Seconds(5)));
  ASSERT_TRUE(c.endpoint->ResetStreams(*c.association, {}, true, false, pair.now()).ok());
  ASSERT_TRUE(s.endpoint->ResetStreams(*s.association, {}, true, false, pair.now()).ok());
  ASSERT_TRUE(pair.RunUntil(
      [&] { return c.Count<events::StreamReset>() == 2 && s.Count<events::StreamReset>() == 2; },
      Seconds(10)));
  for (Peer* p : {&c, &s}) {
    int incoming = 0, outgoing = 0;
    for (const Event& e : p->events) {
      if (const auto* r = std::get_if<events::StreamReset>(&e.payload)) {
        EXPECT_FALSE(r->denied || r->failed);
        incoming += r->incoming;
        outgoing += r->outgoing;
      }
    }
    EXPECT_EQ(incoming, 1) << p->name;
    EXPECT_EQ(outgoing, 1) << p->name;
  }
  ASSERT_TRUE(Send(pair, c, 0, Payload(100, 3)).ok());
  ASSERT_TRUE(Send(pair, s, 0, Payload(100, 4)).ok());
  ASSERT_TRUE(
      pair.RunUntil([&] { return s.messages.size() == 2 && c.messages.size() == 2; }, Seconds(5)));
  EXPECT_EQ(s.messages[1].ssn, 0);
  EXPECT_EQ(c.messages[1].ssn, 0);
  EXPECT_EQ(pair.violation(), "");
}

TEST(StreamResetTest, IncomingResetRequestMakesThePeerResetItsOutgoingStream) {
  EnginePair pair(Config());
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  Peer& s = pair.server();
  ASSERT_TRUE(Send(pair, s, 2, Payload(100, 1)).ok());
  ASSERT_TRUE(pair.RunUntil([&] { return c.messages.size() == 1; }, Seconds(5)));
  const StreamId streams[] = {StreamId(2)};
  ASSERT_TRUE(c.endpoint->ResetStreams(*c.association, streams, false, true, pair.now()).ok());
  ASSERT_TRUE(pair.RunUntil(
      [&] { return c.Count<events::StreamReset>() == 1 && s.Count<events::StreamReset>() == 1; },
      Seconds(5)));
  EXPECT_TRUE(c.Last<events::StreamReset>()->incoming);
  EXPECT_TRUE(s.Last<events::StreamReset>()->outgoing);
  ASSERT_TRUE(Send(pair, s, 2, Payload(100, 2)).ok());
  ASSERT_TRUE(pair.RunUntil([&] { return c.messages.size() == 2; }, Seconds(5)));
  EXPECT_EQ(c.messages[1].ssn, 0);
}

TEST(StreamResetTest, PeerMayDenyIncomingResetRequests) {
  PairConfig config = Config();
  config.server_options.accept_incoming_reset_requests = false;
  EnginePair pair(config);
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  ASSERT_TRUE(c.endpoint->ResetStreams(*c.association, {}, false, true, pair.now()).ok());
  ASSERT_TRUE(pair.RunUntil([&] { return c.Count<events::StreamReset>() == 1; }, Seconds(5)));
  EXPECT_TRUE(c.Last<events::StreamReset>()->denied);
  EXPECT_EQ(pair.server().Count<events::StreamReset>(), 0);
}

TEST(StreamResetTest, RefusedWithoutPeerSupport) {
  PairConfig config = Config();
  config.server_options.stream_reset = false;
  EnginePair pair(config);
  WireLog log;
  log.Attach(pair);
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  const absl::Status status = c.endpoint->ResetStreams(*c.association, {}, true, false, pair.now());
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  pair.RunFor(Seconds(1));
  EXPECT_EQ(log.CountChunks(wire::ChunkType::kReconfig), 0);
}

TEST(StreamResetTest, LostRequestIsRetransmitted) {
  EnginePair pair(Config());
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  Peer& s = pair.server();
  // Drop the next packet from the client: the request.
  sim::LinkConfig& link = pair.sim().network().Link(c.addresses[0], s.addresses[0]);
  link.loss = 1.0;
  ASSERT_TRUE(c.endpoint->ResetStreams(*c.association, {}, true, false, pair.now()).ok());
  pair.RunFor(Milliseconds(5));
  link.loss = 0.0;
  ASSERT_TRUE(pair.RunUntil([&] { return c.Count<events::StreamReset>() == 1; }, Seconds(10)));
  EXPECT_FALSE(c.Last<events::StreamReset>()->failed);
  EXPECT_EQ(s.Count<events::StreamReset>(), 1);
}

TEST(StreamResetTest, AddStreamsBothWays) {
  PairConfig config = Config();
  // 10 streams each way at first; up to 20 incoming ones may be added (RFC 6525 §5.2.5: the
  // limit is configurable — here, the MIS of the INIT).
  config.client_options.outbound_streams = 10;
  config.client_options.inbound_streams = 20;
  config.server_options.outbound_streams = 10;
  config.server_options.inbound_streams = 20;
  EnginePair pair(config);
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  Peer& s = pair.server();
  EXPECT_EQ(Send(pair, c, 12, Payload(10, 1)).code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(c.endpoint->AddStreams(*c.association, 5, 3, pair.now()).ok());
  ASSERT_TRUE(pair.RunUntil(
      [&] {
        const auto* a = c.Last<events::StreamChange>();
        const auto* b = s.Last<events::StreamChange>();
        return a != nullptr && a->outbound_streams == 15 && a->inbound_streams == 13 &&
               b != nullptr && b->outbound_streams == 13 && b->inbound_streams == 15;
      },
      Seconds(10)));
  ASSERT_TRUE(Send(pair, c, 12, Payload(10, 1)).ok());
  ASSERT_TRUE(Send(pair, s, 11, Payload(10, 2)).ok());
  ASSERT_TRUE(
      pair.RunUntil([&] { return s.messages.size() == 1 && c.messages.size() == 1; }, Seconds(5)));
  EXPECT_EQ(s.messages[0].stream_id, StreamId(12));
  EXPECT_EQ(c.messages[0].stream_id, StreamId(11));
  // Beyond the peer's limit (15 + 6 > 20): denied, nothing changes.
  const int changes = c.Count<events::StreamChange>();
  ASSERT_TRUE(c.endpoint->AddStreams(*c.association, 6, 0, pair.now()).ok());
  ASSERT_TRUE(
      pair.RunUntil([&] { return c.Count<events::StreamChange>() > changes; }, Seconds(10)));
  const auto* denied = c.Last<events::StreamChange>();
  ASSERT_NE(denied, nullptr);
  EXPECT_TRUE(denied->denied);
  EXPECT_EQ(denied->outbound_streams, 15);
  EXPECT_EQ(pair.violation(), "");
}

TEST(AssociationResetTest, SsnTsnResetRestartsEveryNumberBothWays) {
  // RFC 6525 §5.1.4 / §5.2.4: data given before the request goes first; then both sides
  // restart their TSNs (the responder picks them, G1/G2) and every SSN at 0.
  EnginePair pair(Config());
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  Peer& s = pair.server();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Send(pair, c, 1, Payload(300, i)).ok());
    ASSERT_TRUE(Send(pair, s, 1, Payload(300, 50 + i)).ok());
  }
  ASSERT_TRUE(c.endpoint->ResetAssociation(*c.association, pair.now()).ok());
  for (int i = 5; i < 10; ++i)
    ASSERT_TRUE(Send(pair, c, 1, Payload(300, i)).ok());
  ASSERT_TRUE(pair.RunUntil(
      [&] {
        return c.Count<events::AssociationReset>() == 1 &&
               s.Count<events::AssociationReset>() == 1 && s.messages.size() == 10;
      },
      Seconds(10)));
  const auto* ours = c.Last<events::AssociationReset>();
  const auto* theirs = s.Last<events::AssociationReset>();
  EXPECT_FALSE(ours->denied || ours->failed);
  EXPECT_EQ(ours->local_tsn, theirs->remote_tsn);
  EXPECT_EQ(ours->remote_tsn, theirs->local_tsn);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(s.messages[i].payload, Payload(300, i)) << i;
    EXPECT_EQ(s.messages[i].ssn, i % 5) << i;  // 0..4 before the reset, 0..4 after
  }
  EXPECT_EQ(s.messages[5].first_tsn, ours->local_tsn.value());
  // The other direction restarted too.
  ASSERT_TRUE(Send(pair, s, 1, Payload(300, 99)).ok());
  ASSERT_TRUE(pair.RunUntil([&] { return c.messages.size() == 6; }, Seconds(5)));
  EXPECT_EQ(c.messages[5].ssn, 0);
  EXPECT_EQ(c.messages[5].first_tsn, theirs->local_tsn.value());
  EXPECT_EQ(pair.violation(), "");
}

TEST(AssociationResetTest, PeerMayDenyIt) {
  PairConfig config = Config();
  config.server_options.accept_association_reset_requests = false;
  EnginePair pair(config);
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  ASSERT_TRUE(c.endpoint->ResetAssociation(*c.association, pair.now()).ok());
  ASSERT_TRUE(Send(pair, c, 1, Payload(100, 1)).ok());
  ASSERT_TRUE(pair.RunUntil(
      [&] {
        return c.Count<events::AssociationReset>() == 1 && pair.server().messages.size() == 1;
      },
      Seconds(5)));
  EXPECT_TRUE(c.Last<events::AssociationReset>()->denied);
  EXPECT_EQ(pair.server().Count<events::AssociationReset>(), 0);
  EXPECT_EQ(pair.server().messages[0].ssn, 0);
}

// --- RFC 3758 / RFC 7496 partial reliability -------------------------------------------

// Sends `count` messages with `options` (context = index) over a lossy link and checks that
// every message was delivered or reported abandoned, none twice, in order per stream.
void CheckDeliveredOrReported(EnginePair& pair, int count) {
  Peer& c = pair.client();
  Peer& s = pair.server();
  std::map<uint64_t, int> delivered;
  for (const Message& m : s.messages) {
    ASSERT_GE(m.payload.size(), 4u);
    const uint64_t index = m.payload[0] | (m.payload[1] << 8);
    ++delivered[index];
  }
  std::set<uint64_t> reported;
  for (const Event& e : c.events) {
    if (const auto* f = std::get_if<events::SendFailed>(&e.payload)) {
      EXPECT_NE(f->abandoned_by, PrPolicy::kNone);
      EXPECT_TRUE(reported.insert(f->context).second) << "reported twice: " << f->context;
    }
  }
  for (int i = 0; i < count; ++i) {
    const int times = delivered.count(i) ? delivered[i] : 0;
    EXPECT_LE(times, 1) << "delivered twice: " << i;
    EXPECT_TRUE(times == 1 || reported.contains(i)) << "lost silently: " << i;
  }
  // Ordered messages of one stream arrive in sending order (skipping abandoned ones).
  std::map<uint16_t, int64_t> last;
  for (const Message& m : s.messages) {
    if (m.unordered) continue;
    const int64_t index = m.payload[0] | (m.payload[1] << 8);
    auto [it, fresh] = last.emplace(m.stream_id.value(), index);
    if (!fresh) {
      EXPECT_GT(index, it->second);
      it->second = index;
    }
  }
}

std::vector<uint8_t> Indexed(int index, size_t size) {
  std::vector<uint8_t> v = Payload(size, index);
  v[0] = static_cast<uint8_t>(index);
  v[1] = static_cast<uint8_t>(index >> 8);
  return v;
}

TEST(PrSctpTest, RtxPolicyUnderTwentyPercentLossDeliversOrReportsEveryMessage) {
  for (uint64_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE(seed);
    PairConfig config = Config(seed);
    config.link.loss = 0.2;
    EnginePair pair(config);
    ASSERT_TRUE(pair.ConnectAndWait(Seconds(120)));
    Peer& c = pair.client();
    constexpr int kCount = 400;
    for (int i = 0; i < kCount; ++i) {
      SendOptions options;
      options.max_retransmissions = 1;  // RFC 7496 §3.1
      options.unordered = i % 5 == 0;
      options.context = static_cast<uint64_t>(i);
      ASSERT_TRUE(
          Send(pair, c, static_cast<uint16_t>(i % 3), Indexed(i, 100 + (i % 7) * 400), options)
              .ok());
      if (i % 20 == 19) pair.RunFor(Milliseconds(30));
    }
    ASSERT_TRUE(pair.RunUntil(
        [&] {
          const auto info = c.endpoint->GetInfo(*c.association);
          return info && info->send_buffered_bytes == 0 && info->outstanding_bytes == 0;
        },
        Seconds(600)));
    pair.RunFor(Seconds(5));
    CheckDeliveredOrReported(pair, kCount);
    const auto info = c.endpoint->GetInfo(*c.association);
    ASSERT_TRUE(info.has_value());
    const uint64_t counted = info->pr_status.abandoned_sent[static_cast<int>(PrPolicy::kRtx)] +
                             info->pr_status.abandoned_unsent[static_cast<int>(PrPolicy::kRtx)];
    EXPECT_GT(counted, 0u);  // 20% loss with one retransmission: some are given up
    EXPECT_EQ(counted, static_cast<uint64_t>(c.Count<events::SendFailed>()));
    EXPECT_EQ(pair.violation(), "");
  }
}

TEST(PrSctpTest, TtlPolicyAbandonsWhenTheLifetimeEnds) {
  EnginePair pair(Config());
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  Peer& s = pair.server();
  // The peer becomes unreachable; a message with a 300 ms lifetime is reported at 300 ms.
  pair.sim().network().Link(c.addresses[0], s.addresses[0]).loss = 1.0;
  const TimePoint start = pair.now();
  SendOptions options;
  options.lifetime = Milliseconds(300);
  options.context = 42;
  ASSERT_TRUE(Send(pair, c, 1, Payload(1000, 1), options).ok());
  ASSERT_TRUE(pair.RunUntil([&] { return c.Count<events::SendFailed>() == 1; }, Seconds(10)));
  EXPECT_EQ(pair.now(), start + Milliseconds(300));
  const auto* failed = c.Last<events::SendFailed>();
  EXPECT_EQ(failed->context, 42u);
  EXPECT_TRUE(failed->was_sent);
  EXPECT_EQ(failed->abandoned_by, PrPolicy::kTtl);
  // The FORWARD TSN lets the receiver move on once the link is back: the next message arrives.
  pair.sim().network().Link(c.addresses[0], s.addresses[0]).loss = 0.0;
  ASSERT_TRUE(Send(pair, c, 1, Payload(100, 2)).ok());
  ASSERT_TRUE(pair.RunUntil([&] { return s.messages.size() == 1; }, Seconds(10)));
  EXPECT_EQ(s.messages[0].payload, Payload(100, 2));
  const auto stream = c.endpoint->GetStreamPrStatus(*c.association, StreamId(1));
  ASSERT_TRUE(stream.has_value());
  EXPECT_EQ(stream->abandoned_sent[static_cast<int>(PrPolicy::kTtl)], 1u);
}

// RFC 3758 §3.5 C2: one FORWARD TSN when the ack point moves and one per SACK that leaves the
// peer behind, not one in every packet until the peer catches up (fuzz_association found the
// latter feeding on itself: each SACK drew a burst of FORWARD TSNs, each of those a SACK).
TEST(PrSctpTest, ForwardTsnIsNotRepeatedInEveryPacket) {
  EnginePair pair(Config());
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  Peer& s = pair.server();
  pair.sim().network().Link(c.addresses[0], s.addresses[0]).loss = 1.0;
  SendOptions options;
  options.lifetime = Milliseconds(300);
  ASSERT_TRUE(Send(pair, c, 1, Payload(1000, 1), options).ok());
  ASSERT_TRUE(pair.RunUntil([&] { return c.Count<events::SendFailed>() == 1; }, Seconds(10)));
  // The link is back; 40 messages follow the abandoned one in many packets.
  pair.sim().network().Link(c.addresses[0], s.addresses[0]).loss = 0.0;
  WireLog log;
  log.Attach(pair);
  for (int i = 0; i < 40; ++i)
    ASSERT_TRUE(Send(pair, c, 1, Payload(1000, static_cast<uint8_t>(i))).ok());
  ASSERT_TRUE(pair.RunUntil([&] { return s.messages.size() == 40; }, Seconds(10)));
  // One, then one per SACK sent before the peer had it (about one RTT's worth): 5 here; the
  // per-packet rearming sent 800.
  EXPECT_GE(log.CountChunks(wire::ChunkType::kForwardTsn), 1);
  EXPECT_LE(log.CountChunks(wire::ChunkType::kForwardTsn), 8);
}

TEST(PrSctpTest, PriorityPolicyMakesRoomForMoreImportantMessages) {
  PairConfig config = Config();
  config.client_options.send_buffer_size = 10'000;
  EnginePair pair(config);
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  // The peer is unreachable, so the buffer fills up.
  pair.sim().network().Link(c.addresses[0], pair.server().addresses[0]).loss = 1.0;
  SendOptions low;
  low.priority = 10;
  int queued = 0;
  while (Send(pair, c, 0, Payload(1000, queued), low).ok())
    ++queued;
  ASSERT_GT(queued, 5);
  SendOptions high;
  high.priority = 1;  // more important (RFC 7496 §3.2: a lower value wins)
  EXPECT_TRUE(Send(pair, c, 1, Payload(1000, 99), high).ok());
  ASSERT_GE(c.Count<events::SendFailed>(), 1);
  EXPECT_EQ(c.Last<events::SendFailed>()->abandoned_by, PrPolicy::kPriority);
  EXPECT_FALSE(c.Last<events::SendFailed>()->was_sent);
  // Equal priority does not displace anything.
  EXPECT_FALSE(Send(pair, c, 1, Payload(1000, 98), low).ok());
}

// --- RFC 9653 zero checksum ------------------------------------------------------------

TEST(ZeroChecksumTest, UsedWhenBothAcceptExceptForCookieEcho) {
  PairConfig config = Config();
  config.client_options.zero_checksum = true;
  config.server_options.zero_checksum = true;
  EnginePair pair(config);
  WireLog log;
  log.Attach(pair);
  ASSERT_TRUE(pair.ConnectAndWait());
  ASSERT_TRUE(Send(pair, pair.client(), 0, Payload(3000, 1)).ok());
  ASSERT_TRUE(Send(pair, pair.server(), 0, Payload(3000, 2)).ok());
  ASSERT_TRUE(pair.RunUntil(
      [&] { return pair.server().messages.size() == 1 && pair.client().messages.size() == 1; },
      Seconds(5)));
  int zero_data_packets = 0;
  for (const auto& p : log.packets) {
    const auto& t = p.chunk_types;
    // §5.2: INIT and COOKIE ECHO always carry a correct CRC32c.
    if (std::find(t.begin(), t.end(), wire::ChunkType::kInit) != t.end() ||
        std::find(t.begin(), t.end(), wire::ChunkType::kCookieEcho) != t.end()) {
      EXPECT_TRUE(p.crc_ok);
    }
    if (std::find(t.begin(), t.end(), wire::ChunkType::kData) != t.end()) {
      EXPECT_TRUE(p.zero_checksum);
      ++zero_data_packets;
    }
  }
  EXPECT_GE(zero_data_packets, 6);
  EXPECT_EQ(pair.server().messages[0].payload, Payload(3000, 1));
  EXPECT_EQ(pair.client().messages[0].payload, Payload(3000, 2));
}

TEST(ZeroChecksumTest, FallsBackToCrc32cWhenOneSideDoesNotOffer) {
  for (bool client_offers : {true, false}) {
    SCOPED_TRACE(client_offers);
    PairConfig config = Config();
    config.client_options.zero_checksum = client_offers;
    config.server_options.zero_checksum = !client_offers;
    EnginePair pair(config);
    WireLog log;
    log.Attach(pair);
    ASSERT_TRUE(pair.ConnectAndWait());
    ASSERT_TRUE(Send(pair, pair.client(), 0, Payload(3000, 1)).ok());
    ASSERT_TRUE(Send(pair, pair.server(), 0, Payload(3000, 2)).ok());
    ASSERT_TRUE(pair.RunUntil(
        [&] { return pair.server().messages.size() == 1 && pair.client().messages.size() == 1; },
        Seconds(5)));
    for (const auto& p : log.packets)
      EXPECT_TRUE(p.crc_ok);
  }
}

TEST(ZeroChecksumTest, ZeroChecksumPacketsAreDroppedWhenNotAnnounced) {
  // RFC 9653 §5.3: "Otherwise, the endpoint MUST drop all SCTP packets with an incorrect
  // CRC32c checksum."
  EnginePair pair(Config());
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& s = pair.server();
  std::vector<uint8_t> buffer(64);
  wire::CommonHeader header;
  header.source_port = pair.client().port;
  header.destination_port = s.port;
  wire::PacketBuilder builder(buffer, header, buffer.size());
  ASSERT_TRUE(builder.Add(wire::HeartbeatChunk{}));
  const auto packet = builder.Finish(/*zero_checksum=*/true);
  const uint64_t before = s.endpoint->stats().bad_checksum;
  s.endpoint->HandlePacket(pair.client().addresses[0], s.addresses[0], packet, pair.now());
  EXPECT_EQ(s.endpoint->stats().bad_checksum, before + 1);
}

}  // namespace
}  // namespace sctp::testing
