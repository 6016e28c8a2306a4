// Tests of src/wire/packet.h: the common header, chunk framing, the §6.10 bundling rules,
// the PacketBuilder, and a brute-force robustness sweep over truncations and mutations.
#include "wire/packet.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "wire/byte_io.h"
#include "wire/chunk_type.h"
#include "wire/chunks.h"
#include "wire/crc32c.h"
#include "wire/parse_result.h"
#include "wire/tlv.h"

namespace sctp::wire {
namespace {

// Common header: source port 5000, destination port 5001, tag 0x11223344, checksum bytes
// 0xAABBCCDD (not checked by Parse).
const std::vector<uint8_t> kHeader = {
    0x13, 0x88, 0x13, 0x89,  // Source Port = 5000, Destination Port = 5001
    0x11, 0x22, 0x33, 0x44,  // Verification Tag
    0xAA, 0xBB, 0xCC, 0xDD,  // Checksum
};

std::vector<uint8_t> Packet(std::initializer_list<std::vector<uint8_t>> chunks) {
  std::vector<uint8_t> out = kHeader;
  for (const auto& c : chunks)
    out.insert(out.end(), c.begin(), c.end());
  return out;
}

// Minimal well-formed chunks (padded).
const std::vector<uint8_t> kData = {
    0x00, 0x03, 0x00, 0x13,  // DATA, B|E, Length = 19
    0x00, 0x00, 0x00, 0x01,  // TSN = 1
    0x00, 0x00, 0x00, 0x00,  // S = 0, n = 0
    0x00, 0x00, 0x00, 0x33,  // PPID = 51
    'a',  'b',  'c',  0x00,  // User Data, padding
};
const std::vector<uint8_t> kInit = {
    0x01, 0x00, 0x00, 0x14,  // INIT, Length = 20
    0x00, 0x00, 0x00, 0x01,  // Initiate Tag
    0x00, 0x01, 0x00, 0x00,  // a_rwnd
    0x00, 0x0A, 0x00, 0x0A,  // OS, MIS
    0x00, 0x00, 0x00, 0x01,  // Initial TSN
};
const std::vector<uint8_t> kInitAck = {
    0x02, 0x00, 0x00, 0x18,  // INIT ACK, Length = 24
    0x00, 0x00, 0x00, 0x02,  // Initiate Tag
    0x00, 0x01, 0x00, 0x00,  // a_rwnd
    0x00, 0x0A, 0x00, 0x0A,  // OS, MIS
    0x00, 0x00, 0x00, 0x01,  // Initial TSN
    0x00, 0x07, 0x00, 0x04,  // State Cookie, Length = 4 (empty)
};
const std::vector<uint8_t> kCookieEcho = {
    0x0A, 0x00, 0x00, 0x09,  // COOKIE ECHO, Length = 9
    0x01, 0x02, 0x03, 0x04,  // Cookie ...
    0x05, 0x00, 0x00, 0x00,  // ... and 3 bytes of padding
};
const std::vector<uint8_t> kCookieAck = {0x0B, 0x00, 0x00, 0x04};
const std::vector<uint8_t> kShutdownComplete = {0x0E, 0x01, 0x00, 0x04};
const std::vector<uint8_t> kSack = {
    0x03, 0x00, 0x00, 0x18,  // SACK, Length = 24
    0x00, 0x00, 0x00, 0x10,  // Cumulative TSN Ack
    0x00, 0x00, 0x10, 0x00,  // a_rwnd
    0x00, 0x01, 0x00, 0x01,  // 1 gap block, 1 duplicate
    0x00, 0x02, 0x00, 0x04,  // Gap Ack Block
    0x00, 0x00, 0x00, 0x0F,  // Duplicate TSN
};

::testing::AssertionResult FailsWith(const Parsed<PacketView>& parsed, ParseErrorCode code,
                                     uint32_t offset) {
  if (parsed.ok()) return ::testing::AssertionFailure() << "parsed successfully";
  const ParseError expected{code, offset};
  if (parsed.error() != expected) {
    return ::testing::AssertionFailure()
           << "got \"" << parsed.error() << "\", expected \"" << expected << "\"";
  }
  return ::testing::AssertionSuccess();
}

std::vector<ChunkView> Chunks(const PacketView& packet) {
  std::vector<ChunkView> out;
  ChunkReader reader = packet.chunks();
  ChunkView chunk;
  while (reader.Next(&chunk))
    out.push_back(chunk);
  EXPECT_FALSE(reader.failed()) << reader.error();
  return out;
}

// ---------------------------------------------------------------------------------------
// PacketView::Parse
// ---------------------------------------------------------------------------------------

TEST(PacketParseTest, ShorterThanTheCommonHeader) {
  const std::vector<uint8_t> full = Packet({kCookieAck});
  for (size_t n = 0; n < kCommonHeaderSize; ++n) {
    // A fresh heap copy of exactly n bytes, so that ASan sees any read past the end.
    const std::vector<uint8_t> bytes(full.begin(), full.begin() + n);
    EXPECT_TRUE(FailsWith(PacketView::Parse(bytes), ParseErrorCode::kPacketTooShort, 0)) << n;
  }
}

TEST(PacketParseTest, HeaderOnlyHasNoChunks) {
  EXPECT_TRUE(FailsWith(PacketView::Parse(kHeader), ParseErrorCode::kNoChunks, 12));
}

TEST(PacketParseTest, HeaderFields) {
  const std::vector<uint8_t> bytes = Packet({kCookieAck});
  const Parsed<PacketView> p = PacketView::Parse(bytes);
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->header().source_port, 5000);
  EXPECT_EQ(p->header().destination_port, 5001);
  EXPECT_EQ(p->header().verification_tag, VerificationTag(0x11223344));
  EXPECT_EQ(p->header().checksum, 0xAABBCCDDu);  // raw bytes, big-endian load, unchecked
  EXPECT_EQ(p->bytes().data(), bytes.data());
  EXPECT_EQ(p->bytes().size(), bytes.size());
  EXPECT_EQ(p->chunk_count(), 1u);
  EXPECT_EQ(p->first_chunk_type(), ChunkType::kCookieAck);

  const std::vector<uint8_t> extremes = {
      0xFF, 0xFF, 0x00, 0x00,  // Source Port = 65535, Destination Port = 0
      0xFF, 0xFF, 0xFF, 0xFF,  // Verification Tag
      0x00, 0x00, 0x00, 0x00,  // Checksum = 0 (RFC 9653)
      0x0B, 0x00, 0x00, 0x04,  // COOKIE ACK
  };
  const Parsed<PacketView> q = PacketView::Parse(extremes);
  ASSERT_TRUE(q.ok()) << q.error();
  EXPECT_EQ(q->header().source_port, 65535);
  EXPECT_EQ(q->header().destination_port, 0);
  EXPECT_EQ(q->header().verification_tag, VerificationTag(0xFFFFFFFF));
  EXPECT_EQ(q->header().checksum, 0u);
}

TEST(PacketParseTest, ChunkLengthBelowFour) {
  for (uint8_t length : {0, 1, 2, 3}) {
    // First chunk.
    const std::vector<uint8_t> first = Packet({{0x0B, 0x00, 0x00, length, 0, 0, 0, 0}});
    EXPECT_TRUE(FailsWith(PacketView::Parse(first), ParseErrorCode::kLengthTooSmall, 14));
    // After a DATA chunk (12 + 20 = 32): the error points at that chunk's Length field.
    const std::vector<uint8_t> second = Packet({kData, {0x0B, 0x00, 0x00, length}});
    EXPECT_TRUE(FailsWith(PacketView::Parse(second), ParseErrorCode::kLengthTooSmall, 34));
  }
}

TEST(PacketParseTest, ChunkLengthPastTheEnd) {
  // COOKIE ECHO claiming 13 bytes with 8 present.
  const std::vector<uint8_t> first = Packet({{0x0A, 0x00, 0x00, 0x0D, 1, 2, 3, 4}});
  EXPECT_TRUE(FailsWith(PacketView::Parse(first), ParseErrorCode::kLengthOverrun, 14));
  // The second chunk claims 0xFFFF bytes.
  const std::vector<uint8_t> second = Packet({kData, {0x00, 0x00, 0xFF, 0xFF, 0, 0, 0, 0}});
  EXPECT_TRUE(FailsWith(PacketView::Parse(second), ParseErrorCode::kLengthOverrun, 34));
  // One byte past the end: Length = 5 with only the 4-byte header present.
  const std::vector<uint8_t> by_one = Packet({kData, {0xC8, 0x00, 0x00, 0x05}});
  EXPECT_TRUE(FailsWith(PacketView::Parse(by_one), ParseErrorCode::kLengthOverrun, 34));
}

TEST(PacketParseTest, StrayBytesAfterTheLastChunk) {
  for (size_t stray = 1; stray <= 3; ++stray) {
    std::vector<uint8_t> bytes = Packet({kData, kCookieAck});
    bytes.insert(bytes.end(), stray, 0);
    // 12 + 20 + 4 = 36: where the stray bytes start.
    EXPECT_TRUE(FailsWith(PacketView::Parse(bytes), ParseErrorCode::kTrailingBytes, 36)) << stray;
  }
  // Four or more bytes are a chunk header (here one with a too-small length).
  std::vector<uint8_t> four = Packet({kCookieAck});
  four.insert(four.end(), 4, 0);
  EXPECT_TRUE(FailsWith(PacketView::Parse(four), ParseErrorCode::kLengthTooSmall, 18));
}

// Documented choice (packet.h): the final chunk's padding may be missing, as usrsctp and
// most stacks accept; padding between chunks is required.
TEST(PacketParseTest, FinalChunkWithoutPaddingIsAccepted) {
  for (size_t cut = 0; cut <= 3; ++cut) {
    std::vector<uint8_t> bytes = Packet({kCookieAck, kCookieEcho});
    bytes.resize(bytes.size() - cut);  // drop 0-3 of COOKIE ECHO's padding bytes
    const Parsed<PacketView> p = PacketView::Parse(bytes);
    ASSERT_TRUE(p.ok()) << cut << ": " << p.error();
    const std::vector<ChunkView> chunks = Chunks(*p);
    ASSERT_EQ(chunks.size(), 2u);
    EXPECT_EQ(chunks[1].offset, 16u);
    EXPECT_EQ(chunks[1].length, 9);
    const Parsed<AnyChunk> echo = ParseChunk(chunks[1]);
    ASSERT_TRUE(echo.ok()) << echo.error();
    EXPECT_EQ(std::get<CookieEchoChunk>(*echo).value.size(), 5u);
  }
  // Without its last value byte the chunk overruns.
  std::vector<uint8_t> short_by_one = Packet({kCookieAck, kCookieEcho});
  short_by_one.resize(short_by_one.size() - 4);
  EXPECT_TRUE(FailsWith(PacketView::Parse(short_by_one), ParseErrorCode::kLengthOverrun, 18));
}

TEST(PacketParseTest, InitMustBeAlone) {
  // INIT first, DATA after: the INIT is the offender.
  EXPECT_TRUE(
      FailsWith(PacketView::Parse(Packet({kInit, kData})), ParseErrorCode::kInvalidBundling, 12));
  // DATA first, INIT after (12 + 20 = 32).
  EXPECT_TRUE(
      FailsWith(PacketView::Parse(Packet({kData, kInit})), ParseErrorCode::kInvalidBundling, 32));
  EXPECT_TRUE(
      FailsWith(PacketView::Parse(Packet({kInit, kInit})), ParseErrorCode::kInvalidBundling, 32));
  // A lone INIT is fine.
  const std::vector<uint8_t> lone = Packet({kInit});
  const Parsed<PacketView> p = PacketView::Parse(lone);
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->chunk_count(), 1u);
  EXPECT_EQ(p->first_chunk_type(), ChunkType::kInit);
  const std::vector<ChunkView> chunks = Chunks(*p);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_TRUE(InitChunk::Parse(chunks[0]).ok());
}

TEST(PacketParseTest, InitAckAfterCookieEcho) {
  // 12 + 12 = 24: the INIT ACK.
  EXPECT_TRUE(FailsWith(PacketView::Parse(Packet({kCookieEcho, kInitAck})),
                        ParseErrorCode::kInvalidBundling, 24));
  EXPECT_TRUE(FailsWith(PacketView::Parse(Packet({kInitAck, kCookieEcho})),
                        ParseErrorCode::kInvalidBundling, 12));
  const std::vector<uint8_t> lone = Packet({kInitAck});
  EXPECT_TRUE(PacketView::Parse(lone).ok());
}

TEST(PacketParseTest, ShutdownCompleteMustBeAlone) {
  EXPECT_TRUE(FailsWith(PacketView::Parse(Packet({kShutdownComplete, kSack})),
                        ParseErrorCode::kInvalidBundling, 12));
  EXPECT_TRUE(FailsWith(PacketView::Parse(Packet({kSack, kShutdownComplete})),
                        ParseErrorCode::kInvalidBundling, 36));
  EXPECT_TRUE(FailsWith(PacketView::Parse(Packet({kShutdownComplete, kShutdownComplete})),
                        ParseErrorCode::kInvalidBundling, 16));
  EXPECT_TRUE(FailsWith(PacketView::Parse(Packet({kCookieAck, kShutdownComplete, kCookieAck})),
                        ParseErrorCode::kInvalidBundling, 16));
  EXPECT_TRUE(FailsWith(PacketView::Parse(Packet({kShutdownComplete, kInit})),
                        ParseErrorCode::kInvalidBundling, 16));
  const std::vector<uint8_t> lone = Packet({kShutdownComplete});
  const Parsed<PacketView> p = PacketView::Parse(lone);
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->first_chunk_type(), ChunkType::kShutdownComplete);
}

TEST(PacketParseTest, OtherChunksBundleFreely) {
  const std::vector<uint8_t> bytes =
      Packet({kCookieAck, kSack, kData, kData, {0x07, 0x00, 0x00, 0x08, 0, 0, 0, 1}});
  const Parsed<PacketView> p = PacketView::Parse(bytes);
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->chunk_count(), 5u);
}

TEST(PacketParseTest, CookieEchoAndTwoDataIterateInOrder) {
  std::vector<uint8_t> second_data = kData;
  second_data[7] = 2;  // TSN = 2
  const std::vector<uint8_t> bytes = Packet({kCookieEcho, kData, second_data});
  const Parsed<PacketView> p = PacketView::Parse(bytes);
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->chunk_count(), 3u);
  EXPECT_EQ(p->first_chunk_type(), ChunkType::kCookieEcho);
  const std::vector<ChunkView> chunks = Chunks(*p);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].type, ChunkType::kCookieEcho);
  EXPECT_EQ(chunks[0].offset, 12u);
  EXPECT_EQ(chunks[0].length, 9);
  EXPECT_EQ(chunks[1].type, ChunkType::kData);
  EXPECT_EQ(chunks[1].offset, 24u);  // 12 + PaddedLength(9)
  EXPECT_EQ(chunks[1].flags, 0x03);
  EXPECT_EQ(chunks[2].type, ChunkType::kData);
  EXPECT_EQ(chunks[2].offset, 44u);  // 24 + PaddedLength(19)
  EXPECT_EQ(chunks[2].value.data(), bytes.data() + 48);
  EXPECT_EQ(chunks[2].raw().data(), bytes.data() + 44);
  EXPECT_EQ(chunks[2].raw().size(), 19u);

  const Parsed<DataChunk> d1 = DataChunk::Parse(chunks[1]);
  const Parsed<DataChunk> d2 = DataChunk::Parse(chunks[2]);
  ASSERT_TRUE(d1.ok() && d2.ok());
  EXPECT_EQ(d1->tsn, Tsn(1));
  EXPECT_EQ(d2->tsn, Tsn(2));
  const Parsed<CookieEchoChunk> echo = CookieEchoChunk::Parse(chunks[0]);
  ASSERT_TRUE(echo.ok());
  EXPECT_EQ(echo->value, Bytes(std::vector<uint8_t>{1, 2, 3, 4, 5}));
}

TEST(PacketParseTest, ChunkReaderStandalone) {
  // A ChunkReader over an empty area yields nothing and does not fail.
  ChunkReader empty(Bytes(), 12);
  ChunkView chunk;
  EXPECT_FALSE(empty.Next(&chunk));
  EXPECT_FALSE(empty.failed());
  // After a failure it keeps failing with the same error.
  const std::vector<uint8_t> bad = {0x0B, 0x00, 0x00, 0x02};
  ChunkReader reader{Bytes(bad), 40};
  EXPECT_FALSE(reader.Next(&chunk));
  ASSERT_TRUE(reader.failed());
  EXPECT_EQ(reader.error(), (ParseError{ParseErrorCode::kLengthTooSmall, 42}));
  EXPECT_FALSE(reader.Next(&chunk));
  EXPECT_EQ(reader.error(), (ParseError{ParseErrorCode::kLengthTooSmall, 42}));
}

// ---------------------------------------------------------------------------------------
// PacketBuilder
// ---------------------------------------------------------------------------------------

const CommonHeader kBuildHeader = {5000, 5001, VerificationTag(0xCAFEF00D), 0x12345678};

TEST(PacketBuilderTest, WritesTheHeader) {
  std::vector<uint8_t> buffer(1500, 0xEE);
  PacketBuilder builder(buffer, kBuildHeader, 1200);
  EXPECT_TRUE(builder.empty());
  EXPECT_EQ(builder.remaining(), 1200u - 12);
  ASSERT_TRUE(builder.Add(CookieAckChunk{}));
  EXPECT_FALSE(builder.empty());
  const std::span<const uint8_t> packet = builder.Finish(/*zero_checksum=*/true);
  ASSERT_EQ(packet.size(), 16u);
  EXPECT_EQ(packet.data(), buffer.data());
  const std::vector<uint8_t> expected = {
      0x13, 0x88, 0x13, 0x89,  // ports 5000, 5001
      0xCA, 0xFE, 0xF0, 0x0D,  // Verification Tag
      0x00, 0x00, 0x00, 0x00,  // Checksum: zero, not the header struct's value
      0x0B, 0x00, 0x00, 0x04,  // COOKIE ACK
  };
  EXPECT_EQ(std::vector<uint8_t>(packet.begin(), packet.end()), expected);
  EXPECT_EQ(buffer[16], 0xEE);  // nothing written past the packet
}

TEST(PacketBuilderTest, AddThatDoesNotFitLeavesThePacketUnchanged) {
  std::vector<uint8_t> buffer(200, 0xEE);
  PacketBuilder builder(buffer, kBuildHeader, 64);  // 52 bytes for chunks
  const std::vector<uint8_t> payload(17, 0x42);     // DATA: 33 bytes, 36 padded
  DataChunk data;
  data.user_data = payload;
  ASSERT_TRUE(builder.Add(data));
  EXPECT_EQ(builder.remaining(), 16u);
  EXPECT_EQ(builder.chunk_count(), 1u);
  const std::vector<uint8_t> before = buffer;

  EXPECT_FALSE(builder.Fits(data.WireLength()));
  EXPECT_FALSE(builder.Add(data));
  // A 13-byte COOKIE ECHO (16 padded) fits exactly; a 17-byte one (20 padded) does not.
  const std::vector<uint8_t> cookie13(9, 1);
  const std::vector<uint8_t> cookie17(13, 1);
  EXPECT_FALSE(builder.Add(CookieEchoChunk{cookie17}));
  EXPECT_FALSE(builder.AddRaw(std::vector<uint8_t>(20, 0)));
  EXPECT_EQ(buffer, before);
  EXPECT_EQ(builder.remaining(), 16u);
  EXPECT_EQ(builder.chunk_count(), 1u);

  EXPECT_TRUE(builder.Fits(13));
  ASSERT_TRUE(builder.Add(CookieEchoChunk{cookie13}));
  EXPECT_EQ(builder.remaining(), 0u);
  EXPECT_FALSE(builder.Add(CookieAckChunk{}));
  EXPECT_EQ(builder.chunk_count(), 2u);
  const std::span<const uint8_t> packet = builder.Finish();
  EXPECT_EQ(packet.size(), 64u);
  EXPECT_EQ(buffer[64], 0xEE);
  EXPECT_TRUE(VerifySctpChecksum(packet));
}

TEST(PacketBuilderTest, FillsExactlyUpToMaxSize) {
  for (size_t max_size : {12u + 4u, 100u, 1200u, 1452u}) {
    std::vector<uint8_t> buffer(2000, 0xEE);
    PacketBuilder builder(buffer, kBuildHeader, max_size);
    // DATA chunks of 20 bytes while they fit, then 8-byte SHUTDOWNs, then 4-byte COOKIE ACKs.
    const std::vector<uint8_t> payload(4, 7);
    DataChunk data;
    data.user_data = payload;
    size_t count = 0;
    while (builder.Add(data))
      ++count;
    while (builder.Add(ShutdownChunk{Tsn(9)}))
      ++count;
    while (builder.Add(CookieAckChunk{}))
      ++count;
    EXPECT_EQ(builder.remaining(), 0u) << max_size;
    EXPECT_EQ(builder.chunk_count(), count);
    const std::span<const uint8_t> packet = builder.Finish();
    EXPECT_EQ(packet.size(), max_size);
    EXPECT_EQ(buffer[max_size], 0xEE);
    const Parsed<PacketView> p = PacketView::Parse(packet);
    ASSERT_TRUE(p.ok()) << p.error();
    EXPECT_EQ(p->chunk_count(), count);
  }
}

TEST(PacketBuilderTest, MaxSizeIsCappedByTheBuffer) {
  std::vector<uint8_t> buffer(40, 0xEE);
  PacketBuilder builder(buffer, kBuildHeader, 9000);
  EXPECT_EQ(builder.remaining(), 28u);
  const std::vector<uint8_t> payload(13, 1);  // DATA: 29 bytes, 32 padded
  DataChunk data;
  data.user_data = payload;
  EXPECT_FALSE(builder.Add(data));
  EXPECT_EQ(std::vector<uint8_t>(buffer.begin() + 12, buffer.end()),
            std::vector<uint8_t>(28, 0xEE));
}

TEST(PacketBuilderTest, TooSmallForAHeader) {
  std::vector<uint8_t> buffer(8, 0xEE);
  PacketBuilder builder(buffer, kBuildHeader, 1500);
  EXPECT_EQ(builder.remaining(), 0u);
  EXPECT_FALSE(builder.Add(CookieAckChunk{}));
  EXPECT_TRUE(builder.Finish().empty());

  std::vector<uint8_t> big(100, 0xEE);
  PacketBuilder tiny_limit(big, kBuildHeader, 10);
  EXPECT_EQ(tiny_limit.remaining(), 0u);
  EXPECT_FALSE(tiny_limit.Add(CookieAckChunk{}));
}

TEST(PacketBuilderTest, ChecksumIsVerifiable) {
  std::vector<uint8_t> buffer(1500);
  PacketBuilder builder(buffer, kBuildHeader, 1500);
  const std::vector<uint8_t> payload = {'p', 'i', 'n', 'g'};
  DataChunk data;
  data.beginning = data.ending = true;
  data.tsn = Tsn(77);
  data.user_data = payload;
  ASSERT_TRUE(builder.Add(data));
  const std::span<const uint8_t> packet = builder.Finish();
  EXPECT_TRUE(VerifySctpChecksum(packet));
  // The CRC's least significant byte goes first (RFC 9260 Appendix A).
  const uint32_t stored = uint32_t{packet[8]} | uint32_t{packet[9]} << 8 |
                          uint32_t{packet[10]} << 16 | uint32_t{packet[11]} << 24;
  EXPECT_EQ(stored, SctpChecksum(packet));
  EXPECT_NE(stored, 0u);

  std::vector<uint8_t> corrupted(packet.begin(), packet.end());
  corrupted[20] ^= 0x01;
  EXPECT_FALSE(VerifySctpChecksum(corrupted));
}

TEST(PacketBuilderTest, ZeroChecksum) {
  std::vector<uint8_t> buffer(1500, 0xEE);
  PacketBuilder builder(buffer, kBuildHeader, 1500);
  ASSERT_TRUE(builder.Add(CookieAckChunk{}));
  const std::span<const uint8_t> packet = builder.Finish(/*zero_checksum=*/true);
  ASSERT_EQ(packet.size(), 16u);
  EXPECT_EQ(Load32(&packet[8]), 0u);
  EXPECT_FALSE(VerifySctpChecksum(packet));
  const Parsed<PacketView> p = PacketView::Parse(packet);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->header().checksum, 0u);
}

TEST(PacketBuilderTest, BuiltPacketReparsesToTheSameChunks) {
  const std::vector<uint8_t> cookie = {9, 8, 7, 6, 5, 4, 3};
  const std::vector<uint8_t> payload = {'h', 'e', 'l', 'l', 'o'};
  const std::vector<GapAckBlock> gaps = {{2, 3}, {6, 6}};
  const std::vector<TsnRecord> dups = {{Tsn(100)}};
  const std::vector<ForwardTsnStream> streams = {{StreamId(1), Ssn(2)}};
  std::vector<uint8_t> cause(4 + 5);
  cause[1] = ErrorCauseCode::kUserInitiatedAbort;
  cause[3] = 9;
  const std::vector<AnyChunk> chunks = {
      CookieEchoChunk{cookie},
      DataChunk{false, false, true, false, Tsn(10), StreamId(1), Ssn(0), Ppid(51), payload},
      DataChunk{true, true, false, true, Tsn(11), StreamId(2), Ssn(65535), Ppid(53), payload},
      SackChunk{Tsn(9), 65536, PackedArray<GapAckBlock>::FromHost(gaps),
                PackedArray<TsnRecord>::FromHost(dups)},
      ForwardTsnChunk{Tsn(12), PackedArray<ForwardTsnStream>::FromHost(streams)},
      ErrorChunk{false, cause},
      UnknownChunk{0xC8, 0x01, cookie},
      ShutdownChunk{Tsn(12)},
  };
  std::vector<uint8_t> buffer(1500);
  PacketBuilder builder(buffer, kBuildHeader, 1500);
  for (const AnyChunk& c : chunks) {
    ASSERT_TRUE(std::visit([&builder](const auto& chunk) { return builder.Add(chunk); }, c));
  }
  const std::vector<uint8_t> raw = {0x0B, 0x00, 0x00, 0x04};  // COOKIE ACK, pre-serialized
  ASSERT_TRUE(builder.AddRaw(raw));
  EXPECT_EQ(builder.chunk_count(), chunks.size() + 1);
  const std::span<const uint8_t> packet = builder.Finish();
  ASSERT_TRUE(VerifySctpChecksum(packet));

  const Parsed<PacketView> p = PacketView::Parse(packet);
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->header().source_port, kBuildHeader.source_port);
  EXPECT_EQ(p->header().destination_port, kBuildHeader.destination_port);
  EXPECT_EQ(p->header().verification_tag, kBuildHeader.verification_tag);
  EXPECT_EQ(p->chunk_count(), chunks.size() + 1);
  EXPECT_EQ(p->first_chunk_type(), ChunkType::kCookieEcho);
  const std::vector<ChunkView> views = Chunks(*p);
  ASSERT_EQ(views.size(), chunks.size() + 1);
  size_t offset = kCommonHeaderSize;
  for (size_t i = 0; i < chunks.size(); ++i) {
    EXPECT_EQ(views[i].offset, offset) << i;
    offset += PaddedLength(WireLength(chunks[i]));
    const Parsed<AnyChunk> parsed = ParseChunk(views[i]);
    ASSERT_TRUE(parsed.ok()) << i << ": " << parsed.error();
    EXPECT_TRUE(*parsed == chunks[i]) << "chunk " << i;
  }
  EXPECT_EQ(views.back().type, ChunkType::kCookieAck);
  EXPECT_EQ(views.back().offset, offset);
  EXPECT_EQ(offset + 4, packet.size());
}

// ---------------------------------------------------------------------------------------
// Robustness: truncations and mutations never read out of bounds and fail cleanly
// ---------------------------------------------------------------------------------------

// Reads every byte and element a parsed chunk exposes, so that ASan sees any view that
// extends past the buffer. Returns a value that depends on all of them.
uint64_t TouchBytes(Bytes b) {
  uint64_t sum = b.size();
  for (uint8_t x : b)
    sum = sum * 31 + x;
  return sum;
}
uint64_t TouchTlvs(TlvReader reader) {
  uint64_t sum = 0;
  TlvView tlv;
  while (reader.Next(&tlv))
    sum += tlv.type + tlv.offset + TouchBytes(tlv.value) + TouchBytes(tlv.raw());
  EXPECT_FALSE(reader.failed()) << "validated by Parse: " << reader.error();
  return sum;
}
template <typename T>
uint64_t TouchArray(const PackedArray<T>& a) {
  uint64_t sum = a.size();
  for (size_t i = 0; i < a.size(); ++i) {
    std::vector<uint8_t> tmp(T::kWireSize);
    a[i].Store(tmp.data());
    for (uint8_t x : tmp)
      sum = sum * 31 + x;
  }
  return sum;
}
uint64_t Touch(const AnyChunk& any) {
  return std::visit(
      [](const auto& c) -> uint64_t {
        using T = std::decay_t<decltype(c)>;
        uint64_t sum = c.WireLength();
        if constexpr (std::is_same_v<T, DataChunk> || std::is_same_v<T, IDataChunk>) {
          sum += TouchBytes(c.user_data);
        } else if constexpr (std::is_same_v<T, InitChunk> || std::is_same_v<T, InitAckChunk> ||
                             std::is_same_v<T, AsconfAckChunk>) {
          sum += TouchTlvs(c.parameters_reader());
        } else if constexpr (std::is_same_v<T, AsconfChunk>) {
          sum += TouchBytes(c.address_parameter) + TouchTlvs(c.parameters_reader());
        } else if constexpr (std::is_same_v<T, SackChunk>) {
          sum += TouchArray(c.gap_ack_blocks) + TouchArray(c.duplicate_tsns);
        } else if constexpr (std::is_same_v<T, HeartbeatChunk> ||
                             std::is_same_v<T, HeartbeatAckChunk> ||
                             std::is_same_v<T, AbortChunk> || std::is_same_v<T, ErrorChunk> ||
                             std::is_same_v<T, ReconfigChunk>) {
          sum += TouchTlvs(c.reader());
        } else if constexpr (std::is_same_v<T, ForwardTsnChunk> ||
                             std::is_same_v<T, IForwardTsnChunk>) {
          sum += TouchArray(c.streams);
        } else if constexpr (std::is_same_v<T, AuthChunk>) {
          sum += TouchBytes(c.hmac);
        } else if constexpr (std::is_same_v<T, CookieEchoChunk> || std::is_same_v<T, PadChunk> ||
                             std::is_same_v<T, UnknownChunk>) {
          sum += TouchBytes(c.value);
        }
        // Re-serializing reads every view once more.
        std::vector<uint8_t> out(PaddedLength(c.WireLength()));
        ByteWriter w(out);
        c.WriteTo(w);
        EXPECT_TRUE(w.ok());
        return sum + TouchBytes(out);
      },
      any);
}

struct SweepStats {
  size_t parsed_packets = 0;
  size_t rejected_packets = 0;
  size_t parsed_chunks = 0;
  size_t rejected_chunks = 0;
  uint64_t digest = 0;
};

// Parses `bytes` (which must be an exactly-sized heap buffer, so that ASan catches any read
// past its end) and checks that every outcome is clean.
void CheckOne(const std::vector<uint8_t>& bytes, SweepStats& stats, const std::string& what) {
  const Parsed<PacketView> p = PacketView::Parse(bytes);
  if (!p.ok()) {
    ++stats.rejected_packets;
    const ParseError& e = p.error();
    if (e.code == ParseErrorCode::kPacketTooShort) {
      ASSERT_EQ(e.offset, 0u) << what;  // also for an empty packet
      ASSERT_LT(bytes.size(), kCommonHeaderSize) << what;
    } else if (e.code == ParseErrorCode::kNoChunks) {
      // The one error that points at the end: where the first chunk should start.
      ASSERT_EQ(e.offset, kCommonHeaderSize) << what;
      ASSERT_EQ(bytes.size(), kCommonHeaderSize) << what;
    } else {
      ASSERT_LT(e.offset, bytes.size()) << what << ": " << e;
    }
    return;
  }
  ++stats.parsed_packets;
  ASSERT_GE(p->chunk_count(), 1u) << what;
  size_t count = 0;
  ChunkReader reader = p->chunks();
  ChunkView chunk;
  while (reader.Next(&chunk)) {
    if (count == 0) {
      ASSERT_EQ(chunk.type, p->first_chunk_type()) << what;
    }
    ++count;
    ASSERT_GE(chunk.offset, kCommonHeaderSize) << what;
    ASSERT_LE(chunk.offset + size_t{chunk.length}, bytes.size()) << what;
    const Parsed<AnyChunk> parsed = ParseChunk(chunk);
    if (parsed.ok()) {
      ++stats.parsed_chunks;
      ASSERT_EQ(TypeOf(*parsed), chunk.type) << what;
      stats.digest += Touch(*parsed);
    } else {
      ++stats.rejected_chunks;
      // The error lies inside the chunk (or names the chunk itself).
      ASSERT_GE(parsed.error().offset, chunk.offset) << what << ": " << parsed.error();
      ASSERT_LT(parsed.error().offset, chunk.offset + size_t{chunk.length})
          << what << ": " << parsed.error();
    }
  }
  ASSERT_FALSE(reader.failed()) << what << ": Parse accepted what the reader rejects";
  ASSERT_EQ(count, p->chunk_count()) << what;
}

// A packet touching every parser family: opaque, DATA, SACK with both arrays, TLV lists,
// FORWARD-TSN, I-FORWARD-TSN, AUTH, ASCONF, I-DATA, an unknown type, and a final chunk
// without padding.
std::vector<uint8_t> RobustnessPacket() {
  return Packet({
      {0x0A, 0x00, 0x00, 0x09, 1, 2, 3, 4, 5, 0, 0, 0},           // COOKIE ECHO, 5-byte cookie
      kData,                                                      // DATA
      kSack,                                                      // SACK: 1 gap, 1 dup
      {0x09, 0x00, 0x00, 0x11,                                    // ERROR, Length = 17
       0x00, 0x0C, 0x00, 0x05, '!', 0, 0, 0,                      //   User-Initiated Abort
       0x00, 0x01, 0x00, 0x05, '?', 0, 0, 0},                     //   Invalid Stream Id (short)
      {0xC0, 0x00, 0x00, 0x0C, 0, 0, 0, 9, 0, 1, 0, 2},           // FORWARD TSN, 1 stream
      {0xC2, 0x00, 0x00, 0x10, 0, 0, 0, 9,                        // I-FORWARD-TSN, 1 stream
       0, 1, 0, 1, 0, 0, 0, 3},                                   //
      {0x0F, 0x00, 0x00, 0x0A, 0, 1, 0, 1, 0xAB, 0xCD, 0, 0},     // AUTH, 2-byte HMAC
      {0xC1, 0x00, 0x00, 0x18, 0,  0, 0, 1,                       // ASCONF
       0x00, 0x05, 0x00, 0x08, 10, 0, 0, 1,                       //   IPv4 Address
       0xC0, 0x04, 0x00, 0x08, 0,  0, 0, 7},                      //   Set Primary (short)
      {0x40, 0x02, 0x00, 0x15, 0, 0, 0, 2,  0,   1, 0, 0,         // I-DATA, B
       0,    0,    0,    1,    0, 0, 0, 53, 'x', 0, 0, 0},        //
      {0xC8, 0x00, 0x00, 0x06, 0x77, 0x88, 0, 0},                 // unknown type 0xC8
      {0x04, 0x00, 0x00, 0x0B, 0x00, 0x01, 0x00, 0x07, 1, 2, 3},  // HEARTBEAT, no padding
  });
}

TEST(PacketRobustnessTest, ThePacketIsValid) {
  const std::vector<uint8_t> bytes = RobustnessPacket();
  const Parsed<PacketView> p = PacketView::Parse(bytes);
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->chunk_count(), 11u);
  for (const ChunkView& c : Chunks(*p)) {
    const Parsed<AnyChunk> parsed = ParseChunk(c);
    EXPECT_TRUE(parsed.ok()) << ChunkTypeName(c.type) << ": " << parsed.error();
  }
}

TEST(PacketRobustnessTest, EveryTruncation) {
  const std::vector<uint8_t> full = RobustnessPacket();
  SweepStats stats;
  for (size_t n = 0; n <= full.size(); ++n) {
    const std::vector<uint8_t> bytes(full.begin(), full.begin() + n);
    CheckOne(bytes, stats, "truncated to " + std::to_string(n));
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(stats.parsed_packets, 1u);
  EXPECT_GT(stats.rejected_packets, 1u);
}

TEST(PacketRobustnessTest, EverySingleByteMutationOfTheFirst64Bytes) {
  const std::vector<uint8_t> full = RobustnessPacket();
  ASSERT_GE(full.size(), 64u);
  SweepStats stats;
  for (size_t at = 0; at < 64; ++at) {
    for (int v = 0; v < 256; ++v) {
      std::vector<uint8_t> bytes = full;
      bytes[at] = static_cast<uint8_t>(v);
      CheckOne(bytes, stats, "byte " + std::to_string(at) + " = " + std::to_string(v));
      if (HasFatalFailure()) return;
    }
  }
  EXPECT_GT(stats.parsed_chunks, 0u);
  EXPECT_GT(stats.rejected_chunks, 0u);
  EXPECT_GT(stats.rejected_packets, 0u);
}

TEST(PacketRobustnessTest, EverySingleByteMutationOfTheRest) {
  const std::vector<uint8_t> full = RobustnessPacket();
  SweepStats stats;
  for (size_t at = 64; at < full.size(); ++at) {
    for (int v = 0; v < 256; ++v) {
      std::vector<uint8_t> bytes = full;
      bytes[at] = static_cast<uint8_t>(v);
      CheckOne(bytes, stats, "byte " + std::to_string(at) + " = " + std::to_string(v));
      if (HasFatalFailure()) return;
    }
  }
  EXPECT_GT(stats.rejected_chunks, 0u);
}

TEST(PacketRobustnessTest, RandomMutationsAndTruncations) {
  const std::vector<uint8_t> full = RobustnessPacket();
  std::mt19937 rng(9260);
  SweepStats stats;
  for (int i = 0; i < 20000; ++i) {
    std::vector<uint8_t> bytes = full;
    const int mutations = 1 + static_cast<int>(rng() % 4);
    for (int m = 0; m < mutations; ++m) {
      bytes[rng() % bytes.size()] = static_cast<uint8_t>(rng());
    }
    // An exactly-sized copy, so that ASan sees reads past the truncation point.
    const size_t n = kCommonHeaderSize + rng() % (bytes.size() - kCommonHeaderSize + 1);
    bytes = std::vector<uint8_t>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    CheckOne(bytes, stats, "iteration " + std::to_string(i));
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(stats.parsed_packets, 0u);
  EXPECT_GT(stats.rejected_packets, 0u);
}

}  // namespace
}  // namespace sctp::wire
