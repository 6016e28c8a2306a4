// Engine behaviour at the edges: pull-mode events, partial delivery, abort mid-transfer,
// both sides closing at once, unknown chunks (§3.2), out-of-the-blue packets (§8.4) and
// verification tags (§8.5).
#include <gtest/gtest.h>

#include <algorithm>

#include "support/engine_pair.h"
#include "wire/chunks.h"
#include "wire/error_causes.h"
#include "wire/packet.h"

namespace sctp::testing {
namespace {

std::vector<uint8_t> Fill(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = static_cast<uint8_t>(seed + i * 31);
  return v;
}

// A bare Endpoint driven by hand: packets it sends are collected for inspection.
struct Manual {
  std::vector<std::pair<Address, std::vector<uint8_t>>> sent;
  std::unique_ptr<Endpoint> endpoint;
  Address local = Address::Ipv4({10, 0, 0, 2});
  Address remote = Address::Ipv4({10, 0, 0, 1});

  explicit Manual(bool listen = true) {
    EndpointConfig config;
    config.local_port = 5002;
    config.listen = listen;
    config.seed = 5;
    EndpointCallbacks cb;
    cb.send_packet = [this](const Address&, const Address& to, std::span<const uint8_t> p) {
      sent.emplace_back(to, std::vector<uint8_t>(p.begin(), p.end()));
    };
    endpoint = std::make_unique<Endpoint>(config, cb);
  }
  void Receive(const std::vector<uint8_t>& packet) {
    endpoint->HandlePacket(remote, local, packet, TimePoint(Seconds(1)));
  }
};

std::vector<uint8_t> Packet(uint32_t vtag, const wire::AnyChunk& chunk, uint16_t src = 5001,
                            uint16_t dst = 5002) {
  std::vector<uint8_t> buffer(2048);
  wire::PacketBuilder b(buffer, wire::CommonHeader{src, dst, VerificationTag(vtag), 0},
                        buffer.size());
  EXPECT_TRUE(wire::AddChunk(b, chunk));
  auto out = b.Finish();
  return std::vector<uint8_t>(out.begin(), out.end());
}

std::vector<uint8_t> FirstChunkTypes(const std::vector<uint8_t>& packet) {
  std::vector<uint8_t> types;
  auto view = wire::PacketView::Parse(packet);
  if (!view.ok()) return types;
  wire::ChunkReader r = view->chunks();
  wire::ChunkView c;
  while (r.Next(&c))
    types.push_back(c.type);
  return types;
}

TEST(PullModeTest, EventsWaitForPollAndCountAgainstTheWindow) {
  // Server without on_event: messages stay queued until PollEvent().
  sim::Simulation sim(1);
  const Address ca = Address::Ipv4({10, 0, 0, 1}), sa = Address::Ipv4({10, 0, 0, 2});
  sim.network().SetBidirectional(ca, sa, sim::LinkConfig{});
  EndpointConfig sc;
  sc.local_port = 2;
  sc.listen = true;
  sc.options.receive_window = 64 * 1024;
  Endpoint server(sc, {[&](const Address&, const Address& to, std::span<const uint8_t> p) {
                         sim.Send(sa, to, p);
                       },
                       nullptr, nullptr});
  EndpointConfig cc;
  cc.local_port = 1;
  Endpoint client(cc, {[&](const Address&, const Address& to, std::span<const uint8_t> p) {
                         sim.Send(ca, to, p);
                       },
                       nullptr, nullptr});
  sim.AddNode({ca}, {[&](const sim::Packet& p, TimePoint now) {
                       client.HandlePacket(p.from, p.to, p.bytes, now);
                     },
                     [&] { return client.NextDeadline(); },
                     [&](TimePoint now) { client.HandleTimeout(now); }});
  sim.AddNode({sa}, {[&](const sim::Packet& p, TimePoint now) {
                       server.HandlePacket(p.from, p.to, p.bytes, now);
                     },
                     [&] { return server.NextDeadline(); },
                     [&](TimePoint now) { server.HandleTimeout(now); }});
  const Address peers[] = {sa};
  auto id = client.Connect(peers, 2, sim.now());
  ASSERT_TRUE(id.ok());
  sim.RunFor(Seconds(1));
  // 200 KB toward a 64 KB window that nobody reads: the sender stalls at the window.
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(client.Send(*id, StreamId(0), Ppid(0), Fill(10000, i), {}, sim.now()).ok());
  }
  sim.RunFor(Seconds(5));
  auto info = client.GetInfo(*id);
  ASSERT_TRUE(info.has_value());
  EXPECT_GT(info->send_buffered_bytes, 100'000u);
  EXPECT_LT(info->peer_rwnd, 12'000u);
  // Reading opens the window and the rest flows.
  int messages = 0;
  for (int round = 0; round < 50 && messages < 20; ++round) {
    while (auto e = server.PollEvent()) {
      if (auto* m = std::get_if<events::MessageReceived>(&e->payload)) {
        EXPECT_EQ(m->message.payload, Fill(10000, static_cast<uint8_t>(messages)));
        ++messages;
      }
    }
    sim.RunFor(Milliseconds(200));
  }
  EXPECT_EQ(messages, 20);
}

TEST(PartialDeliveryTest, MessageLargerThanTheReceiveWindowIsDeliveredInPieces) {
  PairConfig config;
  config.server_options.receive_window = 256 * 1024;
  config.client_options.max_message_size = 64 * 1024 * 1024;
  config.client_options.send_buffer_size = 80 * 1024 * 1024;
  EnginePair pair(config);
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  Peer& s = pair.server();
  const std::vector<uint8_t> big = Fill(64 * 1024 * 1024, 7);  // 64 MiB
  ASSERT_TRUE(c.endpoint->Send(*c.association, StreamId(3), Ppid(9), big, {}, pair.now()).ok());
  ASSERT_TRUE(
      c.endpoint->Send(*c.association, StreamId(3), Ppid(10), Fill(10, 1), {}, pair.now()).ok());
  ASSERT_TRUE(pair.RunUntil([&] { return s.messages.size() == 2; }, Seconds(3600)));
  EXPECT_EQ(s.messages[0].payload.size(), big.size());
  EXPECT_TRUE(s.messages[0].payload == big);
  EXPECT_EQ(s.messages[1].ppid, Ppid(10));
  int pieces = 0;
  for (const Event& e : s.events) {
    if (const auto* m = std::get_if<events::MessageReceived>(&e.payload))
      pieces += m->end_of_message ? 0 : 1;
  }
  EXPECT_GT(pieces, 100);  // delivered in pieces of at most half the window
}

TEST(AbortTest, AbortMidTransferReportsUnsentMessages) {
  EnginePair pair(PairConfig{});
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  for (int i = 0; i < 50; ++i) {
    SendOptions o;
    o.context = 1000 + i;
    ASSERT_TRUE(
        c.endpoint->Send(*c.association, StreamId(0), Ppid(0), Fill(20000, i), o, pair.now()).ok());
  }
  pair.RunFor(Milliseconds(25));
  ASSERT_TRUE(c.endpoint->Abort(*c.association, {}, pair.now()).ok());
  ASSERT_TRUE(pair.RunUntil([&] { return pair.BothClosed(); }, Seconds(1)));
  EXPECT_GT(c.Count<events::SendFailed>(), 0);
  EXPECT_LT(pair.server().messages.size(), 50u);
  EXPECT_EQ(pair.server().Last<events::AssociationClosed>()->reason, CloseReason::kPeerAbort);
}

TEST(ShutdownTest, BothSidesShutDownAtOnce) {
  EnginePair pair(PairConfig{});
  ASSERT_TRUE(pair.ConnectAndWait());
  ASSERT_TRUE(pair.client().endpoint->Shutdown(*pair.client().association, pair.now()).ok());
  ASSERT_TRUE(pair.server().endpoint->Shutdown(*pair.server().association, pair.now()).ok());
  ASSERT_TRUE(pair.RunUntil([&] { return pair.BothClosed(); }, Seconds(10)));
  EXPECT_EQ(pair.client().Last<events::AssociationClosed>()->reason,
            CloseReason::kShutdownComplete);
  EXPECT_EQ(pair.server().Last<events::AssociationClosed>()->reason,
            CloseReason::kShutdownComplete);
}

TEST(ShutdownTest, DataKeepsFlowingFromThePeerUntilItsQueueIsEmpty) {
  EnginePair pair(PairConfig{});
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  Peer& s = pair.server();
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(
        s.endpoint->Send(*s.association, StreamId(1), Ppid(i), Fill(8000, i), {}, pair.now()).ok());
  }
  ASSERT_TRUE(c.endpoint->Shutdown(*c.association, pair.now()).ok());
  ASSERT_TRUE(pair.RunUntil([&] { return pair.BothClosed(); }, Seconds(30)));
  EXPECT_EQ(c.messages.size(), 30u);
}

TEST(OutOfTheBlueTest, UnknownPeerGetsAbortWithReflectedTag) {
  Manual m(/*listen=*/true);
  m.Receive(Packet(0x12345678, wire::ShutdownChunk{Tsn(5)}));
  ASSERT_EQ(m.sent.size(), 1u);
  auto view = wire::PacketView::Parse(m.sent[0].second);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->header().verification_tag, VerificationTag(0x12345678));
  wire::ChunkReader r = view->chunks();
  wire::ChunkView chunk;
  ASSERT_TRUE(r.Next(&chunk));
  EXPECT_EQ(chunk.type, wire::ChunkType::kAbort);
  EXPECT_EQ(chunk.flags & 1, 1);  // §8.4 rule 8: T bit
  EXPECT_EQ(m.endpoint->stats().out_of_the_blue, 1u);
}

TEST(OutOfTheBlueTest, NoReplyToAbortShutdownCompleteOrCookieAck) {
  Manual m;
  m.Receive(Packet(7, wire::AbortChunk{false, {}}));
  m.Receive(Packet(7, wire::ShutdownCompleteChunk{false}));
  m.Receive(Packet(7, wire::CookieAckChunk{}));
  EXPECT_TRUE(m.sent.empty());
}

TEST(OutOfTheBlueTest, ShutdownAckIsAnsweredWithShutdownComplete) {
  Manual m;
  m.Receive(Packet(0xabcdef, wire::ShutdownAckChunk{}));
  ASSERT_EQ(m.sent.size(), 1u);
  EXPECT_EQ(FirstChunkTypes(m.sent[0].second),
            std::vector<uint8_t>{wire::ChunkType::kShutdownComplete});
}

TEST(OutOfTheBlueTest, BadChecksumAndMalformedAreDroppedAndCounted) {
  Manual m;
  auto p = Packet(0, wire::InitChunk{VerificationTag(1), 1000, 1, 1, Tsn(1), {}});
  p[20] ^= 1;  // checksum now wrong
  m.Receive(p);
  m.Receive(std::vector<uint8_t>(5, 0));
  EXPECT_TRUE(m.sent.empty());
  EXPECT_EQ(m.endpoint->stats().bad_checksum, 2u);  // the 5-byte packet fails the CRC too
}

TEST(HandshakeTest, InitIsAnsweredWithoutCreatingState) {
  Manual m;
  for (uint32_t i = 1; i <= 1000; ++i) {
    m.Receive(Packet(0, wire::InitChunk{VerificationTag(i), 65536, 10, 10, Tsn(i), {}},
                     static_cast<uint16_t>(1000 + i)));
  }
  EXPECT_EQ(m.sent.size(), 1000u);  // one INIT ACK each
  EXPECT_TRUE(m.endpoint->associations().empty());
  EXPECT_EQ(m.endpoint->NextDeadline(), kNever);
  for (const auto& [to, packet] : m.sent) {
    ASSERT_EQ(FirstChunkTypes(packet), std::vector<uint8_t>{wire::ChunkType::kInitAck});
  }
}

TEST(HandshakeTest, InitWithNonZeroTagOrZeroInitiateTagIsDiscarded) {
  Manual m;
  m.Receive(Packet(99, wire::InitChunk{VerificationTag(1), 65536, 10, 10, Tsn(1), {}}));
  m.Receive(Packet(0, wire::InitChunk{VerificationTag(0), 65536, 10, 10, Tsn(1), {}}));
  EXPECT_TRUE(m.sent.empty());
}

TEST(HandshakeTest, InitWithZeroStreamsIsAborted) {
  Manual m;
  m.Receive(Packet(0, wire::InitChunk{VerificationTag(42), 65536, 0, 10, Tsn(1), {}}));
  ASSERT_EQ(m.sent.size(), 1u);
  EXPECT_EQ(FirstChunkTypes(m.sent[0].second), std::vector<uint8_t>{wire::ChunkType::kAbort});
  auto view = wire::PacketView::Parse(m.sent[0].second);
  EXPECT_EQ(view->header().verification_tag, VerificationTag(42));
}

TEST(HandshakeTest, InitWithHostNameAddressIsAbortedAsUnresolvable) {
  // §3.3.2.1: "The receiver of an INIT chunk or INIT ACK chunk containing a Host Name Address
  // parameter MUST send an ABORT chunk and MAY include an 'Unresolvable Address' error cause."
  Manual m;
  std::vector<uint8_t> params(12);
  wire::ByteWriter w(params);
  wire::WriteTlv(w, wire::ParameterType::kHostNameAddress,
                 std::vector<uint8_t>{'h', 'o', 's', 't', '.', 'e', 'x', 0});
  m.Receive(
      Packet(0, wire::InitChunk{VerificationTag(42), 65536, 10, 10, Tsn(1), wire::Bytes(params)}));
  ASSERT_EQ(m.sent.size(), 1u);
  EXPECT_EQ(FirstChunkTypes(m.sent[0].second), std::vector<uint8_t>{wire::ChunkType::kAbort});
  auto view = wire::PacketView::Parse(m.sent[0].second);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->header().verification_tag, VerificationTag(42));
  wire::ChunkReader r = view->chunks();
  wire::ChunkView chunk;
  ASSERT_TRUE(r.Next(&chunk));
  auto abort = wire::AbortChunk::Parse(chunk);
  ASSERT_TRUE(abort.ok());
  wire::TlvReader causes = abort->reader();
  wire::TlvView cause;
  ASSERT_TRUE(causes.Next(&cause));
  EXPECT_EQ(cause.type, wire::ErrorCauseCode::kUnresolvableAddress);
  EXPECT_TRUE(m.endpoint->associations().empty());
}

TEST(HandshakeTest, NotListeningAnswersInitWithAbort) {
  Manual m(/*listen=*/false);
  m.Receive(Packet(0, wire::InitChunk{VerificationTag(42), 65536, 10, 10, Tsn(1), {}}));
  ASSERT_EQ(m.sent.size(), 1u);
  EXPECT_EQ(FirstChunkTypes(m.sent[0].second), std::vector<uint8_t>{wire::ChunkType::kAbort});
}

TEST(HandshakeTest, ForgedCookieIsDiscarded) {
  Manual m;
  std::vector<uint8_t> cookie(120, 0x41);
  m.Receive(Packet(0x1111, wire::CookieEchoChunk{wire::Bytes(cookie)}));
  EXPECT_TRUE(m.sent.empty());
  EXPECT_TRUE(m.endpoint->associations().empty());
  EXPECT_EQ(m.endpoint->stats().bad_cookie, 1u);
}

TEST(HandshakeTest, UnrecognizedInitParametersAreReportedPerTheirBits) {
  Manual m;
  // 0x4001: "stop, report" — reported, and nothing after it is processed.
  // 0xC001 is ASCONF Add IP (known type but not in INIT): skip+report bits 11.
  std::vector<uint8_t> params;
  auto add = [&](uint16_t type) {
    std::vector<uint8_t> tlv(8);
    wire::ByteWriter w(tlv);
    wire::WriteTlv(w, type, std::vector<uint8_t>{1, 2, 3, 4});
    params.insert(params.end(), tlv.begin(), tlv.end());
  };
  add(0xC123);  // 11: skip, report
  add(0x8123);  // 10: skip silently
  add(0x4123);  // 01: stop, report
  add(0xC124);  // never looked at
  m.Receive(
      Packet(0, wire::InitChunk{VerificationTag(42), 65536, 10, 10, Tsn(1), wire::Bytes(params)}));
  ASSERT_EQ(m.sent.size(), 1u);
  auto view = wire::PacketView::Parse(m.sent[0].second);
  wire::ChunkReader r = view->chunks();
  wire::ChunkView chunk;
  ASSERT_TRUE(r.Next(&chunk));
  auto ack = wire::InitAckChunk::Parse(chunk);
  ASSERT_TRUE(ack.ok());
  std::vector<uint16_t> reported;
  wire::TlvReader pr = ack->parameters_reader();
  wire::TlvView tlv;
  while (pr.Next(&tlv)) {
    if (tlv.type == wire::ParameterType::kUnrecognizedParameter)
      reported.push_back(wire::Load16(tlv.value.data()));
  }
  EXPECT_EQ(reported, (std::vector<uint16_t>{0xC123, 0x4123}));
}

// §3.2: the two high bits of an unknown chunk type decide: 00 stop silently, 01 stop and
// report, 10 skip silently, 11 skip and report (in an ERROR with "Unrecognized Chunk Type").
// A HEARTBEAT after the unknown chunk shows whether processing continued.
class UnknownChunkTest : public ::testing::TestWithParam<std::tuple<uint8_t, bool, bool>> {};

TEST_P(UnknownChunkTest, HighBitsDecide) {
  const auto [type, expect_report, expect_continue] = GetParam();
  EnginePair pair(PairConfig{});
  ASSERT_TRUE(pair.ConnectAndWait());
  Peer& c = pair.client();
  Peer& s = pair.server();
  // Learn the server's tag from a packet the client sends it.
  std::vector<uint8_t> captured;
  pair.sim().network().SetCapture([&](const sim::Packet& p, TimePoint) {
    if (p.to == s.addresses[0] && captured.empty()) captured = p.bytes;
  });
  ASSERT_TRUE(
      c.endpoint->Send(*c.association, StreamId(0), Ppid(1), Fill(10, 1), {}, pair.now()).ok());
  ASSERT_TRUE(pair.RunUntil([&] { return s.messages.size() == 1; }, Seconds(5)));
  auto first = wire::PacketView::Parse(captured);
  ASSERT_TRUE(first.ok());
  std::vector<uint8_t> replies;
  pair.sim().network().SetCapture([&](const sim::Packet& p, TimePoint) {
    if (p.from == s.addresses[0]) {
      for (uint8_t t : FirstChunkTypes(p.bytes))
        replies.push_back(t);
    }
  });
  std::vector<uint8_t> buffer(2048);
  wire::PacketBuilder b(buffer,
                        wire::CommonHeader{c.port, s.port, first->header().verification_tag, 0},
                        buffer.size());
  const std::vector<uint8_t> junk = {1, 2, 3};
  ASSERT_TRUE(b.Add(wire::UnknownChunk{type, 0, wire::Bytes(junk)}));
  std::vector<uint8_t> info(12);
  wire::ByteWriter iw(info);
  wire::WriteTlv(iw, wire::ParameterType::kHeartbeatInfo, std::vector<uint8_t>{9, 9, 9, 9});
  ASSERT_TRUE(b.Add(
      wire::HeartbeatChunk{false, wire::Bytes(std::span<const uint8_t>(info).first(iw.size()))}));
  pair.sim().Send(c.addresses[0], s.addresses[0], b.Finish());
  pair.RunFor(Milliseconds(100));
  const bool reported = std::count(replies.begin(), replies.end(), wire::ChunkType::kError) > 0;
  const bool continued =
      std::count(replies.begin(), replies.end(), wire::ChunkType::kHeartbeatAck) > 0;
  EXPECT_EQ(reported, expect_report);
  EXPECT_EQ(continued, expect_continue);
  EXPECT_EQ(c.Count<events::RemoteError>(), expect_report ? 1 : 0);
  if (expect_report) {
    EXPECT_EQ(c.Last<events::RemoteError>()->cause_code,
              wire::ErrorCauseCode::kUnrecognizedChunkType);
  }
  // The association is unharmed either way.
  EXPECT_EQ(c.endpoint->GetInfo(*c.association)->state, AssociationState::kEstablished);
}

INSTANTIATE_TEST_SUITE_P(ActionBits, UnknownChunkTest,
                         ::testing::Values(std::make_tuple(uint8_t{0x30}, false, false),
                                           std::make_tuple(uint8_t{0x70}, true, false),
                                           std::make_tuple(uint8_t{0xB0}, false, true),
                                           std::make_tuple(uint8_t{0xF0}, true, true)));

}  // namespace
}  // namespace sctp::testing
