#include "seed_streams.h"

#include <cstdio>
#include <vector>

#include "fuzz_support.h"

namespace sctp::fuzz {
namespace {

void Save(const std::string& dir, const std::string& name, const InputWriter& w) {
  const std::string path = dir + "/" + name;
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return;
  std::fwrite(w.data().data(), 1, w.data().size(), f);
  std::fclose(f);
}

// A chunk type given directly (PickChunkType's "any byte" branch).
void ChunkType(InputWriter& w, uint8_t type) {
  w.Bool(true).Integral<uint8_t>(type);
}
// FuzzParameters with these (type, value length) TLVs, lengths truthful.
void Parameters(InputWriter& w, std::initializer_list<std::pair<uint16_t, size_t>> tlvs,
                size_t max) {
  w.InRange<size_t>(0, max, tlvs.size());
  for (auto [type, length] : tlvs) {
    w.Bool(true).Integral<uint16_t>(type);
    w.InRange<size_t>(0, 48, length);
    w.Bytes(std::vector<uint8_t>(length, 0));
    w.InRange<uint8_t>(0, 15, 1);
  }
}

// --- fuzz_endpoint_listen (Harness::Step, DeliverPacket, AddChunk) ---
enum ListenTag { kListenRandom = 0, kListenZero = 1, kListenLocalTag = 2, kListenPeerTag = 3 };

void ListenPacketHeader(InputWriter& w, ListenTag tag, int chunks, uint32_t random_tag = 0) {
  w.InRange<int>(0, 7, 0);  // step: packet
  w.Integral<uint8_t>(0);   // mode: our ports, chunk list, correct checksum
  w.InRange<int>(0, 3, tag);
  if (tag == kListenRandom) w.Integral<uint32_t>(random_tag);
  w.InRange<int>(1, 4, chunks);
}
void ListenChunkEnd(InputWriter& w) {
  w.InRange<int>(0, 15, 1);  // no lying length
}
void ListenInit(InputWriter& w, uint32_t initiate_tag) {
  ChunkType(w, 1);
  w.Integral<uint8_t>(0);
  w.Bool(true).Integral<uint32_t>(initiate_tag);
  w.Integral<uint32_t>(65536).Integral<uint16_t>(10).Integral<uint16_t>(10);
  w.Integral<uint32_t>(1000);
  Parameters(w, {{0xc000, 0}, {0x8008, 2}}, 6);
  ListenChunkEnd(w);
}
void ListenCookieEcho(InputWriter& w, bool alter) {
  ChunkType(w, 10);
  w.Integral<uint8_t>(0);
  w.Bool(true);  // the cookie we were issued (index range 0: no byte)
  w.InRange<int>(0, 3, alter ? 0 : 1);
  if (alter) w.InRange<size_t>(0, 65535, 5).InRange<uint8_t>(1, 255, 0x10);
  w.InRange<int>(0, 7, 1);  // not truncated
  ListenChunkEnd(w);
}
void ListenData(InputWriter& w, uint32_t tsn, uint16_t stream, uint8_t flags, size_t length) {
  ChunkType(w, 0);
  w.Integral<uint8_t>(flags);
  w.Integral<uint32_t>(tsn).InRange<uint16_t>(0, 20, stream).Integral<uint16_t>(0);
  w.Integral<uint32_t>(51).InRange<size_t>(0, 300, length);
  w.Bytes(std::vector<uint8_t>(length, 0x44));
  ListenChunkEnd(w);
}
void ListenOpaque(InputWriter& w, uint8_t type, uint8_t flags, std::vector<uint8_t> body) {
  ChunkType(w, type);
  w.Integral<uint8_t>(flags);
  w.InRange<size_t>(0, 64, body.size()).Bytes(body);
  ListenChunkEnd(w);
}
void ListenFrom(InputWriter& w, size_t peer) {
  w.InRange<size_t>(0, 2, peer);
}
void ListenAdvance(InputWriter& w, int ms) {
  w.InRange<int>(0, 7, 4).Bool(true).InRange<int>(0, 2000, ms);
}
void ListenAdvanceSeconds(InputWriter& w, int s) {
  w.InRange<int>(0, 7, 4).Bool(false).InRange<int>(0, 120, s);
}
void ListenHandshake(InputWriter& w) {
  ListenPacketHeader(w, kListenZero, 1);
  ListenInit(w, 0x01020304);
  ListenFrom(w, 0);
}

}  // namespace

void WriteListenSeeds(const std::string& dir) {
  {  // handshake, DATA bundled with the COOKIE ECHO, a send, time, SHUTDOWN from the peer
    InputWriter w;
    ListenHandshake(w);
    ListenPacketHeader(w, kListenLocalTag, 2);
    ListenCookieEcho(w, false);
    ListenData(w, 1000, 0, 0x03, 20);
    ListenFrom(w, 0);
    ListenAdvance(w, 250);
    w.InRange<int>(0, 7, 5).Bool(false).InRange<size_t>(0, 5000, 3000).Integral<uint16_t>(1);
    ListenAdvance(w, 50);
    ListenPacketHeader(w, kListenLocalTag, 1);
    ListenOpaque(w, 7, 0, {0, 0, 0x03, 0xe8});  // SHUTDOWN, cumulative TSN ack 1000
    ListenFrom(w, 0);
    ListenAdvanceSeconds(w, 30);
    Save(dir, "handshake_data_shutdown", w);
  }
  {  // fragments out of order, then ABORT with the T bit
    InputWriter w;
    ListenHandshake(w);
    ListenPacketHeader(w, kListenLocalTag, 1);
    ListenCookieEcho(w, false);
    ListenFrom(w, 0);
    ListenPacketHeader(w, kListenLocalTag, 3);
    ListenData(w, 1002, 2, 0x01, 100);
    ListenData(w, 1000, 2, 0x02, 100);
    ListenData(w, 1003, 3, 0x07, 10);
    ListenFrom(w, 0);
    ListenAdvance(w, 500);
    ListenPacketHeader(w, kListenPeerTag, 1);
    ListenOpaque(w, 6, 0x01, {});
    ListenFrom(w, 0);
    Save(dir, "fragments_abort", w);
  }
  {  // INIT flood from three addresses: no state
    InputWriter w;
    for (uint32_t i = 0; i < 12; ++i) {
      ListenPacketHeader(w, kListenZero, 1);
      ListenInit(w, 0x1000 + i);
      ListenFrom(w, i % 3);
    }
    Save(dir, "init_flood", w);
  }
  {  // a forged cookie, then a stale one
    InputWriter w;
    ListenHandshake(w);
    ListenPacketHeader(w, kListenLocalTag, 1);
    ListenCookieEcho(w, true);
    ListenFrom(w, 0);
    ListenAdvanceSeconds(w, 20);
    ListenPacketHeader(w, kListenLocalTag, 1);
    ListenCookieEcho(w, false);
    ListenFrom(w, 0);
    Save(dir, "forged_and_stale_cookie", w);
  }
  {  // out of the blue: SHUTDOWN ACK, ABORT, DATA, COOKIE ACK with a guessed tag
    InputWriter w;
    for (uint8_t type : {8, 6, 11, 14, 4}) {
      ListenPacketHeader(w, kListenRandom, 1, 0xdeadbeef);
      ListenOpaque(w, type, 0, {0, 0, 0, 1});
      ListenFrom(w, 1);
    }
    ListenPacketHeader(w, kListenRandom, 1, 0xdeadbeef);
    ListenData(w, 77, 0, 0x03, 10);
    ListenFrom(w, 1);
    Save(dir, "out_of_the_blue", w);
  }
}

// --- fuzz_endpoint_connect (Harness::FirstInitAck, Step, AddChunk) ---
namespace {

void ConnectInitAck(InputWriter& w, size_t cookie_length) {
  w.InRange<int>(0, 7, 1);  // header tag: ours
  w.Bool(false);            // Initiate Tag 0x0a0b0c0d
  w.Integral<uint32_t>(131072).Integral<uint16_t>(10).Integral<uint16_t>(10);
  w.Integral<uint32_t>(5000);
  w.Bool(true).InRange<size_t>(0, 80, cookie_length);
  w.Bytes(std::vector<uint8_t>(cookie_length, 0xc0));
  Parameters(w, {{5, 4}, {0xc000, 0}}, 6);
}
void ConnectPacket(InputWriter& w, int tag_choice, int chunks) {
  w.InRange<int>(0, 8, 0);
  w.Integral<uint8_t>(0);
  w.InRange<int>(0, 4, tag_choice);  // 3: our tag
  w.InRange<int>(1, 3, chunks);
}
void ConnectOpaque(InputWriter& w, uint8_t type, uint8_t flags, std::vector<uint8_t> body) {
  ChunkType(w, type);
  w.Integral<uint8_t>(flags);
  w.InRange<size_t>(0, 64, body.size()).Bytes(body);
  w.InRange<int>(0, 15, 1);
}
void ConnectData(InputWriter& w, uint32_t tsn_offset, uint8_t flags, size_t length) {
  ChunkType(w, 0);
  w.Integral<uint8_t>(flags);
  w.InRange<uint32_t>(0, 40, tsn_offset + 4).InRange<uint16_t>(0, 20, 1).Integral<uint16_t>(0);
  w.Integral<uint32_t>(51).InRange<size_t>(0, 300, length);
  w.Bytes(std::vector<uint8_t>(length, 0x45));
  w.InRange<int>(0, 15, 1);
}
void ConnectSack(InputWriter& w, uint32_t acked, uint16_t gaps) {
  ChunkType(w, 3);
  w.Integral<uint8_t>(0);
  w.InRange<uint32_t>(0, 40, acked + 3).Integral<uint32_t>(131072);
  w.InRange<uint16_t>(0, 8, gaps).InRange<uint16_t>(0, 4, 0);
  for (uint16_t i = 0; i < gaps; ++i)
    w.Integral<uint32_t>((2u + 2 * i) << 16 | (2u + 2 * i));
  w.InRange<int>(0, 15, 1);
}

}  // namespace

void WriteConnectSeeds(const std::string& dir) {
  {  // INIT ACK, COOKIE ACK, DATA both ways, SACK, SHUTDOWN
    InputWriter w;
    ConnectInitAck(w, 40);
    ConnectPacket(w, 3, 1);
    ConnectOpaque(w, 11, 0, {});
    w.InRange<int>(0, 8, 5).InRange<size_t>(0, 5000, 2500).Bool(false).Integral<uint16_t>(2);
    ConnectPacket(w, 3, 2);
    ConnectData(w, 0, 0x03, 100);
    ConnectSack(w, 1, 0);
    w.InRange<int>(0, 8, 8).InRange<int>(1, 16, 4);
    w.InRange<int>(0, 8, 4).Bool(true).InRange<int>(0, 2000, 300);
    w.InRange<int>(0, 8, 6);
    ConnectPacket(w, 3, 1);
    ConnectOpaque(w, 8, 0, {});  // SHUTDOWN ACK
    Save(dir, "handshake_transfer_shutdown", w);
  }
  {  // INIT ACK, then the cookie timer runs out while the peer is silent
    InputWriter w;
    ConnectInitAck(w, 8);
    for (int i = 0; i < 6; ++i)
      w.InRange<int>(0, 8, 4).Bool(false).InRange<int>(0, 120, 3);
    Save(dir, "cookie_echo_retransmits", w);
  }
  {  // established, then gap reports and an ERROR
    InputWriter w;
    ConnectInitAck(w, 16);
    ConnectPacket(w, 3, 1);
    ConnectOpaque(w, 11, 0, {});
    for (int i = 0; i < 3; ++i)
      w.InRange<int>(0, 8, 5).InRange<size_t>(0, 5000, 1100).Bool(false).Integral<uint16_t>(0);
    ConnectPacket(w, 3, 1);
    ConnectSack(w, 0, 1);
    ConnectPacket(w, 3, 1);
    ConnectOpaque(w, 9, 0, {0, 1, 0, 8, 0, 9, 0, 0});  // ERROR: invalid stream 9
    w.InRange<int>(0, 8, 4).Bool(true).InRange<int>(0, 2000, 1500);
    Save(dir, "gaps_and_error", w);
  }
  {  // INIT ACK with an empty State Cookie: echoed as it is (an early harness crash)
    InputWriter w;
    w.InRange<int>(0, 7, 1).Bool(false);
    w.Integral<uint32_t>(131072).Integral<uint16_t>(10).Integral<uint16_t>(10);
    w.Integral<uint32_t>(5000).Bool(true).InRange<size_t>(0, 80, 0);
    Parameters(w, {}, 6);
    ConnectPacket(w, 3, 1);
    ConnectOpaque(w, 11, 0, {});
    Save(dir, "init_ack_empty_cookie", w);
  }
  {  // INIT ACK with two State Cookies (the engine echoes the last one)
    InputWriter w;
    w.InRange<int>(0, 7, 1).Bool(false);
    w.Integral<uint32_t>(131072).Integral<uint16_t>(10).Integral<uint16_t>(10);
    w.Integral<uint32_t>(5000).Bool(true).InRange<size_t>(0, 80, 2).Bytes(
        std::vector<uint8_t>{1, 2});
    Parameters(w, {{7, 12}}, 6);
    ConnectPacket(w, 3, 1);
    ConnectOpaque(w, 11, 0, {});
    Save(dir, "init_ack_two_cookies", w);
  }
  {  // INIT ACK without a cookie (ABORT), then junk
    InputWriter w;
    w.InRange<int>(0, 7, 1).Bool(false);
    w.Integral<uint32_t>(131072).Integral<uint16_t>(10).Integral<uint16_t>(10);
    w.Integral<uint32_t>(5000).Bool(false);
    Parameters(w, {{0x8123, 4}}, 6);
    Save(dir, "init_ack_without_cookie", w);
  }
}

// --- fuzz_association (Harness constructor, Command, AddChunk) ---
namespace {

void AssocInjectHeader(InputWriter& w, int side, int chunks) {
  w.Bool(side == 1).InRange<int>(0, 11, 0);
  w.InRange<int>(0, 9, 3);  // the right tag
  w.InRange<int>(1, 4, chunks);
}
void AssocTsnNear(InputWriter& w, int32_t delta) {
  w.InRange<int>(0, 15, 1).InRange<int32_t>(-64, 64, delta);
}
void AssocData(InputWriter& w, int32_t delta, uint16_t stream, uint8_t flags, size_t length) {
  w.Integral<uint8_t>(flags).InRange<int>(0, 15, 0);
  AssocTsnNear(w, delta);
  w.InRange<uint16_t>(0, 10, stream).Integral<uint16_t>(0).Integral<uint32_t>(51);
  w.InRange<size_t>(0, 1100, length);
  w.InRange<int>(0, 31, 1);
}
void AssocSack(InputWriter& w, int32_t delta, uint16_t gaps, bool many) {
  w.Integral<uint8_t>(0).InRange<int>(0, 15, 2);
  AssocTsnNear(w, delta);
  w.Bool(true);
  if (many) {
    w.InRange<int>(0, 7, 0).InRange<uint16_t>(0, 2000, gaps);
  } else {
    w.InRange<int>(0, 7, 1).InRange<uint16_t>(0, 6, gaps);
  }
  w.InRange<uint16_t>(0, 4, 1);
  w.InRange<uint16_t>(1, 8, 2);
  for (uint16_t i = 0; i < gaps; ++i)
    w.InRange<uint16_t>(0, 4, 0).InRange<uint16_t>(0, 3, 1);
  AssocTsnNear(w, 0);
  w.InRange<int>(0, 31, 1);
}
void AssocInjectEnd(InputWriter& w) {
  w.InRange<size_t>(0, 1, 0);
}
void AssocRun(InputWriter& w, int ms) {
  w.Bool(false).InRange<int>(0, 11, 6).Bool(true).InRange<int>(0, 500, ms);
}
void AssocSend(InputWriter& w, int side, size_t bytes, uint16_t stream) {
  w.Bool(side == 1).InRange<int>(0, 11, 5).Bool(false);
  w.InRange<int>(0, 3, 1).InRange<int>(0, 3, 1).InRange<int>(0, 3, 1);
  w.InRange<size_t>(0, 3000, bytes).InRange<uint16_t>(0, 9, stream);
}

}  // namespace

void WriteAssociationSeeds(const std::string& dir) {
  for (uint8_t state = 0; state < 8; ++state) {
    InputWriter w;
    w.InRange<uint8_t>(0, 7, state);
    AssocSend(w, 0, 2000, 1);
    AssocRun(w, 300);
    // DATA into the server, as the client: TSNs already received (new TSNs would make the
    // server acknowledge TSNs the real client never sent, which aborts: see sack_acks_unsent).
    AssocInjectHeader(w, 1, 2);
    AssocData(w, -1, 3, 0x03, 200);
    AssocData(w, -2, 3, 0x03, 200);
    AssocInjectEnd(w);
    AssocInjectHeader(w, 0, 1);  // a SACK (duplicate: nothing new) into the client
    AssocSack(w, -1, 0, false);
    AssocInjectEnd(w);
    AssocSend(w, 1, 1500, 2);
    AssocRun(w, 400);
    Save(dir, "state_" + std::to_string(state), w);
  }
  {  // a SACK whose gap blocks acknowledge TSNs never sent (§12: ABORT)
    InputWriter w;
    w.InRange<uint8_t>(0, 7, 0);
    AssocInjectHeader(w, 0, 1);
    AssocSack(w, -1, 3, false);
    AssocInjectEnd(w);
    AssocRun(w, 100);
    Save(dir, "sack_acks_unsent", w);
  }
  {  // a SACK with 2,000 gap blocks, FORWARD TSN far ahead, then time
    InputWriter w;
    w.InRange<uint8_t>(0, 7, 1);
    AssocInjectHeader(w, 0, 1);
    AssocSack(w, 0, 2000, true);
    AssocInjectEnd(w);
    AssocInjectHeader(w, 1, 1);
    w.Integral<uint8_t>(0).InRange<int>(0, 15, 4);
    w.InRange<int>(0, 15, 0).Integral<uint32_t>(0x7fff0000);
    w.InRange<int>(0, 4, 1).InRange<uint16_t>(0, 10, 2).Integral<uint16_t>(65535);
    w.InRange<int>(0, 31, 1);
    AssocInjectEnd(w);
    AssocRun(w, 500);
    Save(dir, "huge_sack_forward_tsn", w);
  }
  {  // duplicate DATA flood, then the link goes down and the association times out
    InputWriter w;
    w.InRange<uint8_t>(0, 7, 0);
    w.Bool(true).InRange<int>(0, 11, 11);
    AssocTsnNear(w, 0);
    w.InRange<int>(1, 50, 50);
    w.Bool(false).InRange<int>(0, 11, 10).InRange<size_t>(0, 0, 0).Bool(false);
    AssocSend(w, 0, 3000, 0);
    w.Bool(false).InRange<int>(0, 11, 6).Bool(false).InRange<int>(0, 60, 60);
    Save(dir, "dup_flood_link_down", w);
  }
}

// --- fuzz_usrsctp_api (Session::Run, Step) ---
void WriteUsrsctpApiSeeds(const std::string& dir) {
  for (bool listening : {false, true}) {
    InputWriter w;
    w.Bool(listening).InRange<int>(0, 2, 2);
    if (listening) {
      Parameters(w, {{0xc000, 0}}, 3);
    } else {
      w.InRange<size_t>(0, 64, 24).Bytes(std::vector<uint8_t>(24, 0xcc));
      Parameters(w, {{0xc000, 0}}, 3);
    }
    // sendv, a DATA chunk from the peer, a timer tick, recvv, shutdown
    w.InRange<int>(0, 7, 4).InRange<size_t>(0, 4000, 1000).InRange<uint16_t>(0, 20, 1);
    w.Bool(true).Bool(false);
    w.InRange<int>(0, 7, 0).InRange<int>(0, 7, 3).InRange<int>(0, 15, 1).Bool(false);
    w.InRange<int>(1, 3, 1);
    ChunkType(w, 0);
    w.Integral<uint8_t>(0x03).InRange<uint32_t>(0, 40, 4).InRange<uint16_t>(0, 20, 0);
    w.Integral<uint16_t>(0).Integral<uint32_t>(51).InRange<size_t>(0, 1000, 100);
    w.InRange<int>(0, 7, 3).Bool(true).InRange<uint32_t>(0, 1000, 250);
    w.InRange<int>(0, 7, 5).Bool(false).Bool(false).Bool(false);
    w.InRange<int>(0, 7, 6);
    w.InRange<int>(0, 7, 3).Bool(false).InRange<uint32_t>(0, 60000, 5000);
    Save(dir, listening ? "listen_transfer" : "connect_transfer", w);
  }
}

}  // namespace sctp::fuzz
