// Tests of src/wire/chunks.h: every chunk type round-trips through its builder and parser,
// parses byte strings laid out as in the RFC figures, and rejects malformed input with the
// exact error code and absolute offset.
#include "wire/chunks.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <variant>
#include <vector>

#include "wire/byte_io.h"
#include "wire/chunk_type.h"
#include "wire/packet.h"
#include "wire/parse_result.h"
#include "wire/tlv.h"

namespace sctp::wire {
namespace {

// Chunks are read through a ChunkReader whose buffer starts at this offset, as if the chunk
// followed a common header, so that error offsets are absolute.
constexpr uint32_t kBase = 12;

std::vector<uint8_t> Text(std::string_view s) {
  return std::vector<uint8_t>(s.begin(), s.end());
}
std::string Str(Bytes b) {
  return std::string(b.begin(), b.end());
}

// A TLV (parameter or error cause) with its padding, or without it when `pad` is false.
std::vector<uint8_t> Tlv(uint16_t type, const std::vector<uint8_t>& value, bool pad = true) {
  std::vector<uint8_t> out = {static_cast<uint8_t>(type >> 8), static_cast<uint8_t>(type),
                              static_cast<uint8_t>((value.size() + 4) >> 8),
                              static_cast<uint8_t>(value.size() + 4)};
  out.insert(out.end(), value.begin(), value.end());
  if (pad) out.resize(PaddedLength(out.size()), 0);
  return out;
}
std::vector<uint8_t> Concat(std::initializer_list<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (const auto& p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

// Reads exactly one chunk from `bytes`, which must be framed correctly.
ChunkView ReadOne(const std::vector<uint8_t>& bytes, uint32_t base = kBase) {
  ChunkReader reader(Bytes(bytes), base);
  ChunkView view;
  EXPECT_TRUE(reader.Next(&view)) << reader.error();
  ChunkView extra;
  EXPECT_FALSE(reader.Next(&extra));
  EXPECT_FALSE(reader.failed()) << reader.error();
  return view;
}

template <typename T>
::testing::AssertionResult FailsWith(const Parsed<T>& parsed, ParseErrorCode code,
                                     uint32_t offset) {
  if (parsed.ok()) return ::testing::AssertionFailure() << "parsed successfully";
  const ParseError expected{code, offset};
  if (parsed.error() != expected) {
    return ::testing::AssertionFailure()
           << "got \"" << parsed.error() << "\", expected \"" << expected << "\"";
  }
  return ::testing::AssertionSuccess();
}

// Parses `bytes` (one chunk) both with T::Parse and ParseChunk, expecting the same error.
template <typename T>
void ExpectBothFail(const std::vector<uint8_t>& bytes, ParseErrorCode code, uint32_t offset) {
  const ChunkView view = ReadOne(bytes);
  EXPECT_TRUE(FailsWith(T::Parse(view), code, offset)) << "typed Parse";
  EXPECT_TRUE(FailsWith(ParseChunk(view), code, offset)) << "ParseChunk";
}

template <typename T>
uint8_t ChunkTypeOf(const T& chunk) {
  if constexpr (std::is_same_v<T, UnknownChunk>) {
    return chunk.type;
  } else {
    return T::kType;
  }
}

// Serializes `chunk` into a buffer of exactly PaddedLength(WireLength()) bytes (pre-filled
// with 0xEE, so that unwritten padding shows), checks the framing, parses it back with the
// typed parser and with ParseChunk, and compares.
template <typename T>
void ExpectRoundTrip(const T& chunk) {
  SCOPED_TRACE(std::string(ChunkTypeName(ChunkTypeOf(chunk))));
  const size_t length = chunk.WireLength();
  ASSERT_GE(length, 4u);
  ASSERT_LE(length, 0xFFFFu);
  std::vector<uint8_t> wire(PaddedLength(length), 0xEE);
  ByteWriter writer(wire);
  chunk.WriteTo(writer);
  ASSERT_TRUE(writer.ok());
  ASSERT_EQ(writer.size(), wire.size());
  EXPECT_EQ(wire[0], ChunkTypeOf(chunk));
  EXPECT_EQ(Load16(&wire[2]), length) << "Length field";
  for (size_t i = length; i < wire.size(); ++i)
    EXPECT_EQ(wire[i], 0) << "padding byte " << i;

  const ChunkView view = ReadOne(wire);
  EXPECT_EQ(view.offset, kBase);
  EXPECT_EQ(view.length, length);
  EXPECT_EQ(view.type, ChunkTypeOf(chunk));

  if constexpr (!std::is_same_v<T, UnknownChunk>) {
    const Parsed<T> typed = T::Parse(view);
    ASSERT_TRUE(typed.ok()) << typed.error();
    EXPECT_TRUE(*typed == chunk) << "typed Parse differs";
  }
  const Parsed<AnyChunk> any = ParseChunk(view);
  ASSERT_TRUE(any.ok()) << any.error();
  ASSERT_TRUE(std::holds_alternative<T>(*any)) << "alternative " << any->index();
  EXPECT_TRUE(std::get<T>(*any) == chunk) << "ParseChunk differs";
  EXPECT_EQ(TypeOf(*any), ChunkTypeOf(chunk));
  EXPECT_EQ(WireLength(*any), length);

  // The parsed chunk (now a view into `wire`) serializes to the same bytes.
  std::vector<uint8_t> again(wire.size(), 0xEE);
  ByteWriter writer2(again);
  WriteChunk(writer2, *any);
  EXPECT_TRUE(writer2.ok());
  EXPECT_EQ(again, wire);

  // One byte short: the writer reports the overflow and never writes past its span.
  std::vector<uint8_t> small(wire.size() + 8, 0xEE);
  ByteWriter short_writer(std::span<uint8_t>(small).first(wire.size() - 1));
  chunk.WriteTo(short_writer);
  EXPECT_FALSE(short_writer.ok());
  for (size_t i = wire.size() - 1; i < small.size(); ++i)
    EXPECT_EQ(small[i], 0xEE) << i;
}

// ---------------------------------------------------------------------------------------
// 1. Round trips
// ---------------------------------------------------------------------------------------

TEST(ChunkRoundTripTest, Data) {
  const std::vector<uint8_t> payload = Text("hello");  // 5 bytes: 3 bytes of padding
  for (int flags = 0; flags < 16; ++flags) {
    DataChunk d;
    d.immediate_sack = flags & 8;
    d.unordered = flags & 4;
    d.beginning = flags & 2;
    d.ending = flags & 1;
    d.tsn = Tsn(0xFFFFFFFE);
    d.stream_id = StreamId(0xABCD);
    d.ssn = Ssn(0xFFFF);
    d.ppid = Ppid(0x12345678);
    d.user_data = payload;
    ExpectRoundTrip(d);
  }
  DataChunk empty;  // no user data: 16 bytes, framed correctly
  empty.tsn = Tsn(1);
  ExpectRoundTrip(empty);
  const std::vector<uint8_t> big(1201, 0x5A);
  DataChunk large;
  large.user_data = big;
  large.beginning = large.ending = true;
  ExpectRoundTrip(large);
}

TEST(ChunkRoundTripTest, InitAndInitAck) {
  const std::vector<uint8_t> params =
      Concat({Tlv(ParameterType::kIpv4Address, {10, 0, 0, 1}),
              Tlv(ParameterType::kForwardTsnSupported, {}),
              Tlv(ParameterType::kSupportedAddressTypes, {0, 5}, /*pad=*/false)});
  ASSERT_EQ(params.size(), 18u);
  InitChunk init;
  init.initiate_tag = VerificationTag(0xDEADBEEF);
  init.a_rwnd = 0x00100000;
  init.outbound_streams = 1024;
  init.inbound_streams = 65535;
  init.initial_tsn = Tsn(0xFFFFFFFF);
  init.parameters = params;
  ExpectRoundTrip(init);
  InitChunk bare = init;  // no parameters
  bare.parameters = Bytes();
  ExpectRoundTrip(bare);

  std::vector<uint8_t> cookie(23);
  for (size_t i = 0; i < cookie.size(); ++i)
    cookie[i] = static_cast<uint8_t>(i * 7);
  const std::vector<uint8_t> ack_params =
      Concat({Tlv(ParameterType::kIpv6Address, std::vector<uint8_t>(16, 0x20)),
              Tlv(ParameterType::kStateCookie, cookie, /*pad=*/false)});
  InitAckChunk ack;
  ack.initiate_tag = VerificationTag(1);
  ack.a_rwnd = 1500;
  ack.outbound_streams = 1;
  ack.inbound_streams = 2;
  ack.initial_tsn = Tsn(0x80000000);
  ack.parameters = ack_params;
  ExpectRoundTrip(ack);
}

TEST(ChunkRoundTripTest, Sack) {
  const std::vector<GapAckBlock> gaps = {{2, 3}, {5, 9}, {0xFFF0, 0xFFFF}};
  const std::vector<TsnRecord> dups = {{Tsn(0xFFFFFFFF)}, {Tsn(7)}};
  SackChunk s;
  s.cumulative_tsn_ack = Tsn(0xFFFFFFF0);
  s.a_rwnd = 0xCAFEBABE;
  s.gap_ack_blocks = PackedArray<GapAckBlock>::FromHost(gaps);
  s.duplicate_tsns = PackedArray<TsnRecord>::FromHost(dups);
  EXPECT_EQ(s.WireLength(), 16u + 12 + 8);
  ExpectRoundTrip(s);

  SackChunk only_dups;
  only_dups.duplicate_tsns = PackedArray<TsnRecord>::FromHost(dups);
  ExpectRoundTrip(only_dups);
  SackChunk only_gaps;
  only_gaps.gap_ack_blocks = PackedArray<GapAckBlock>::FromHost(gaps);
  ExpectRoundTrip(only_gaps);
  ExpectRoundTrip(SackChunk{});
}

TEST(ChunkRoundTripTest, TlvListChunks) {
  const std::vector<uint8_t> info = Tlv(ParameterType::kHeartbeatInfo, Text("time+path"), false);
  HeartbeatChunk hb;
  hb.tlvs = info;
  ExpectRoundTrip(hb);
  HeartbeatAckChunk hb_ack;
  hb_ack.tlvs = info;
  ExpectRoundTrip(hb_ack);

  const std::vector<uint8_t> reason = Tlv(ErrorCauseCode::kUserInitiatedAbort, Text("bye"), false);
  AbortChunk abort;
  abort.tag_reflected = true;
  abort.tlvs = reason;
  ExpectRoundTrip(abort);
  ExpectRoundTrip(AbortChunk{});  // no cause, T bit clear

  const std::vector<uint8_t> causes =
      Concat({Tlv(ErrorCauseCode::kInvalidStreamIdentifier, {0x00, 0x09, 0x00, 0x00}),
              Tlv(ErrorCauseCode::kUnrecognizedChunkType, {0x47, 0x00, 0x00, 0x05, 0x99},
                  /*pad=*/false)});
  ErrorChunk error;
  error.tlvs = causes;
  ExpectRoundTrip(error);

  // RFC 6525 §4.1: Outgoing SSN Reset Request for 3 streams: 16 + 6 = 22 bytes.
  const std::vector<uint8_t> request =
      Tlv(ParameterType::kOutgoingSsnResetRequest,
          {0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x12, 0x34, 0x56, 0x78, 0, 1, 0, 2, 0xFF, 0xFE},
          /*pad=*/false);
  ReconfigChunk reconfig;
  reconfig.tlvs = request;
  ExpectRoundTrip(reconfig);
}

TEST(ChunkRoundTripTest, EmptyAndTsnChunks) {
  ExpectRoundTrip(ShutdownAckChunk{});
  ExpectRoundTrip(CookieAckChunk{});
  ExpectRoundTrip(ShutdownCompleteChunk{});
  ShutdownCompleteChunk reflected;
  reflected.tag_reflected = true;
  ExpectRoundTrip(reflected);
  ExpectRoundTrip(ShutdownChunk{Tsn(0x89ABCDEF)});
  ExpectRoundTrip(EcneChunk{Tsn(0xFFFFFFFF)});
  ExpectRoundTrip(CwrChunk{Tsn(0)});
  ExpectRoundTrip(CwrChunk{Tsn(0x01020304)});
}

TEST(ChunkRoundTripTest, OpaqueChunks) {
  std::vector<uint8_t> cookie(37);
  for (size_t i = 0; i < cookie.size(); ++i)
    cookie[i] = static_cast<uint8_t>(0xFF - i);
  ExpectRoundTrip(CookieEchoChunk{cookie});
  ExpectRoundTrip(CookieEchoChunk{});
  const std::vector<uint8_t> padding(5, 0);
  ExpectRoundTrip(PadChunk{padding});
  const std::vector<uint8_t> big_padding(1000, 0);
  ExpectRoundTrip(PadChunk{big_padding});
}

TEST(ChunkRoundTripTest, Auth) {
  std::vector<uint8_t> hmac(32);
  for (size_t i = 0; i < hmac.size(); ++i)
    hmac[i] = static_cast<uint8_t>(i + 1);
  ExpectRoundTrip(AuthChunk{0x0102, 3, hmac});  // HMAC-SHA-256 (RFC 4895 §3.3)
  const std::vector<uint8_t> odd = Text("1234567");
  ExpectRoundTrip(AuthChunk{0xFFFF, 0x8001, odd});
  ExpectRoundTrip(AuthChunk{});
}

TEST(ChunkRoundTripTest, IData) {
  const std::vector<uint8_t> payload = Text("abc");
  IDataChunk first;
  first.beginning = true;
  first.tsn = Tsn(0x7FFFFFFF);
  first.stream_id = StreamId(2);
  first.mid = Mid(0xFFFFFFFF);
  first.ppid = Ppid(53);  // the same 32 bits carry the PPID, FSN stays 0
  first.user_data = payload;
  ExpectRoundTrip(first);

  IDataChunk middle;
  middle.unordered = true;
  middle.immediate_sack = true;
  middle.tsn = Tsn(0x80000000);
  middle.stream_id = StreamId(65535);
  middle.mid = Mid(17);
  middle.fsn = Fsn(0xFFFFFFFE);  // PPID stays 0
  middle.user_data = payload;
  ExpectRoundTrip(middle);

  IDataChunk last = middle;
  last.ending = true;
  last.fsn = Fsn(1);
  ExpectRoundTrip(last);

  IDataChunk whole = first;
  whole.ending = true;
  whole.user_data = Bytes();
  ExpectRoundTrip(whole);
}

TEST(ChunkRoundTripTest, ForwardTsnAndIForwardTsn) {
  const std::vector<ForwardTsnStream> streams = {
      {StreamId(1), Ssn(5)}, {StreamId(0x0102), Ssn(0xFFFF)}, {StreamId(65535), Ssn(0)}};
  ForwardTsnChunk fwd;
  fwd.new_cumulative_tsn = Tsn(0xFFFFFFFF);
  fwd.streams = PackedArray<ForwardTsnStream>::FromHost(streams);
  EXPECT_EQ(fwd.WireLength(), 8u + 12);
  ExpectRoundTrip(fwd);
  ExpectRoundTrip(ForwardTsnChunk{Tsn(3), {}});

  const std::vector<IForwardTsnStream> istreams = {{StreamId(3), true, Mid(0xFFFFFFFF)},
                                                   {StreamId(3), false, Mid(0x10000)}};
  IForwardTsnChunk ifwd;
  ifwd.new_cumulative_tsn = Tsn(42);
  ifwd.streams = PackedArray<IForwardTsnStream>::FromHost(istreams);
  EXPECT_EQ(ifwd.WireLength(), 8u + 16);
  ExpectRoundTrip(ifwd);
  ExpectRoundTrip(IForwardTsnChunk{});
}

TEST(ChunkRoundTripTest, AsconfAndAsconfAck) {
  const std::vector<uint8_t> address = Tlv(ParameterType::kIpv4Address, {192, 0, 2, 1});
  const std::vector<uint8_t> params =
      Concat({Tlv(ParameterType::kAddIpAddress,
                  Concat({{0, 0, 0, 1}, Tlv(ParameterType::kIpv4Address, {198, 51, 100, 7})})),
              Tlv(ParameterType::kSetPrimaryAddress,
                  Concat({{0, 0, 0, 2}, Tlv(ParameterType::kIpv4Address, {198, 51, 100, 7})}))});
  AsconfChunk asconf;
  asconf.serial_number = 0xFFFFFFFF;
  asconf.address_parameter = address;
  asconf.parameters = params;
  ExpectRoundTrip(asconf);

  const std::vector<uint8_t> address6 =
      Tlv(ParameterType::kIpv6Address, std::vector<uint8_t>(16, 0xFE));
  AsconfChunk only_address;
  only_address.serial_number = 1;
  only_address.address_parameter = address6;
  ExpectRoundTrip(only_address);

  const std::vector<uint8_t> responses = Concat(
      {Tlv(ParameterType::kSuccessIndication, {0, 0, 0, 1}),
       Tlv(ParameterType::kErrorCauseIndication,
           Concat({{0, 0, 0, 2},
                   Tlv(ErrorCauseCode::kRequestRefusedNoAuthorization, {0xAA}, /*pad=*/false)}),
           /*pad=*/false)});
  AsconfAckChunk ack;
  ack.serial_number = 0x01020304;
  ack.parameters = responses;
  ExpectRoundTrip(ack);
  ExpectRoundTrip(AsconfAckChunk{});  // RFC 5061 §4.1.2: length 8 means all succeeded
}

TEST(ChunkRoundTripTest, Unknown) {
  const std::vector<uint8_t> value = {1, 2, 3};
  ExpectRoundTrip(UnknownChunk{0x47, 0xA5, value});
  ExpectRoundTrip(UnknownChunk{0xC8, 0xFF, {}});
  const std::vector<uint8_t> value8(8, 9);
  ExpectRoundTrip(UnknownChunk{0x80 | 0x3F, 0, value8});
  ExpectRoundTrip(UnknownChunk{0x10, 0x01, value});  // unassigned in the 00 range
}

// RFC 9260 §3.2: "The Chunk Length value does not include terminating padding of the
// chunk. However, it does include padding of any variable-length parameter except the last
// parameter in the chunk." Builders may hand over TLV lists whose last TLV is padded.
TEST(ChunkRoundTripTest, PaddingOfTheLastParameterIsNotCounted) {
  const std::vector<uint8_t> padded_info =
      Tlv(ParameterType::kHeartbeatInfo, Text("0123456789abc"));  // 17 bytes + 3 padding
  ASSERT_EQ(padded_info.size(), 20u);
  HeartbeatChunk hb;
  hb.tlvs = padded_info;
  EXPECT_EQ(hb.WireLength(), 4u + 17);
  ExpectRoundTrip(hb);
  // Equal to the same chunk built from the unpadded TLV.
  const std::vector<uint8_t> unpadded_info(padded_info.begin(), padded_info.begin() + 17);
  HeartbeatChunk hb_unpadded;
  hb_unpadded.tlvs = unpadded_info;
  EXPECT_TRUE(hb == hb_unpadded);

  const std::vector<uint8_t> params =
      Concat({Tlv(ParameterType::kSupportedAddressTypes, {0, 5}),  // 6 bytes + 2 padding (counted)
              Tlv(ParameterType::kSupportedAddressTypes, {0, 6})});  // 6 bytes + 2 padding (not)
  InitChunk init;
  init.initiate_tag = VerificationTag(7);
  init.parameters = params;
  EXPECT_EQ(init.WireLength(), 20u + 8 + 6);
  ExpectRoundTrip(init);

  const std::vector<uint8_t> cause = Tlv(ErrorCauseCode::kUserInitiatedAbort, Text("x"));
  AbortChunk abort;
  abort.tlvs = cause;
  EXPECT_EQ(abort.WireLength(), 4u + 5);
  ExpectRoundTrip(abort);

  const std::vector<uint8_t> response =
      Tlv(ParameterType::kErrorCauseIndication,
          Concat({{0, 0, 0, 1}, Tlv(ErrorCauseCode::kUserInitiatedAbort, {1})}));  // 16 bytes
  AsconfAckChunk ack;
  ack.parameters = response;
  ExpectRoundTrip(ack);
}

// Every alternative of AnyChunk round-trips through the type-erased API too.
TEST(ChunkRoundTripTest, AnyChunkCoversEveryAlternative) {
  const std::vector<uint8_t> bytes = Text("xyz");
  const std::vector<uint8_t> hb = Tlv(ParameterType::kHeartbeatInfo, bytes, false);
  const std::vector<uint8_t> addr = Tlv(ParameterType::kIpv4Address, {1, 2, 3, 4});
  const std::vector<AnyChunk> all = {
      DataChunk{true, false, true, true, Tsn(1), StreamId(2), Ssn(3), Ppid(4), bytes},
      InitChunk{VerificationTag(1), 2, 3, 4, Tsn(5), hb},
      InitAckChunk{VerificationTag(6), 7, 8, 9, Tsn(10), hb},
      SackChunk{Tsn(11), 12, {}, {}},
      HeartbeatChunk{false, hb},
      HeartbeatAckChunk{false, hb},
      AbortChunk{true, {}},
      ShutdownChunk{Tsn(13)},
      ShutdownAckChunk{},
      ErrorChunk{false, hb},
      CookieEchoChunk{bytes},
      CookieAckChunk{},
      EcneChunk{Tsn(14)},
      CwrChunk{Tsn(15)},
      ShutdownCompleteChunk{true},
      AuthChunk{16, 17, bytes},
      IDataChunk{false, true, false, false, Tsn(18), StreamId(19), Mid(20), Ppid(), Fsn(21), bytes},
      AsconfAckChunk{22, hb},
      ReconfigChunk{false, hb},
      PadChunk{bytes},
      ForwardTsnChunk{Tsn(23), {}},
      AsconfChunk{24, addr, hb},
      IForwardTsnChunk{Tsn(25), {}},
      UnknownChunk{0xFE, 0x80, bytes},
  };
  ASSERT_EQ(all.size(), std::variant_size_v<AnyChunk>);
  for (size_t i = 0; i < all.size(); ++i) {
    ASSERT_EQ(all[i].index(), i);
    std::vector<uint8_t> wire(PaddedLength(WireLength(all[i])), 0xEE);
    ByteWriter w(wire);
    WriteChunk(w, all[i]);
    ASSERT_TRUE(w.ok());
    ASSERT_EQ(w.size(), wire.size());
    const ChunkView view = ReadOne(wire);
    EXPECT_EQ(view.type, TypeOf(all[i]));
    const Parsed<AnyChunk> parsed = ParseChunk(view);
    ASSERT_TRUE(parsed.ok()) << i << ": " << parsed.error();
    EXPECT_EQ(parsed->index(), i);
    EXPECT_TRUE(*parsed == all[i]) << "alternative " << i;
  }
}

// ---------------------------------------------------------------------------------------
// 2. Byte strings laid out as in the RFC figures
// ---------------------------------------------------------------------------------------

TEST(ChunkWireFormatTest, DataRfc9260Section331) {
  const std::vector<uint8_t> wire = {
      0x00, 0x0F, 0x00, 0x13,  // Type = 0, Flags = Reserved|I|U|B|E all set, Length = 19
      0x12, 0x34, 0x56, 0x78,  // TSN
      0x00, 0x07, 0x00, 0x2A,  // Stream Identifier S = 7, Stream Sequence Number n = 42
      0x00, 0x00, 0x00, 0x33,  // Payload Protocol Identifier = 51
      'a',  'b',  'c',  0x00,  // User Data "abc", one byte of padding
  };
  const ChunkView view = ReadOne(wire);
  EXPECT_EQ(view.offset, kBase);
  const Parsed<DataChunk> d = DataChunk::Parse(view);
  ASSERT_TRUE(d.ok()) << d.error();
  EXPECT_TRUE(d->immediate_sack);
  EXPECT_TRUE(d->unordered);
  EXPECT_TRUE(d->beginning);
  EXPECT_TRUE(d->ending);
  EXPECT_EQ(d->tsn, Tsn(0x12345678));
  EXPECT_EQ(d->stream_id, StreamId(7));
  EXPECT_EQ(d->ssn, Ssn(42));
  EXPECT_EQ(d->ppid, Ppid(51));
  EXPECT_EQ(Str(d->user_data), "abc");
  EXPECT_EQ(d->user_data.data(), wire.data() + 16);  // a view, not a copy
  EXPECT_EQ(d->WireLength(), 19u);
}

TEST(ChunkWireFormatTest, DataFlagBits) {
  // RFC 9260 §3.3.1 / RFC 7053 §3: | Reserved |I|U|B|E|; reserved bits are ignored.
  struct Case {
    uint8_t flags;
    bool i, u, b, e;
  };
  for (const Case& c :
       {Case{0x01, false, false, false, true}, Case{0x02, false, false, true, false},
        Case{0x04, false, true, false, false}, Case{0x08, true, false, false, false},
        Case{0x03, false, false, true, true}, Case{0x00, false, false, false, false},
        Case{0xF0, false, false, false, false}, Case{0xF6, false, true, true, false}}) {
    const std::vector<uint8_t> wire = {
        0x00, c.flags, 0x00, 0x11,  // DATA, flags, Length = 17
        0x00, 0x00,    0x00, 0x01,  // TSN = 1
        0xFF, 0xFF,    0xFF, 0xFF,  // S = 65535, n = 65535
        0xFF, 0xFF,    0xFF, 0xFF,  // PPID = 0xFFFFFFFF
        0x7E, 0x00,    0x00, 0x00,  // User Data (1 byte), padding
    };
    const Parsed<DataChunk> d = DataChunk::Parse(ReadOne(wire));
    ASSERT_TRUE(d.ok()) << d.error();
    EXPECT_EQ(d->immediate_sack, c.i) << int{c.flags};
    EXPECT_EQ(d->unordered, c.u) << int{c.flags};
    EXPECT_EQ(d->beginning, c.b) << int{c.flags};
    EXPECT_EQ(d->ending, c.e) << int{c.flags};
    EXPECT_EQ(d->stream_id, StreamId(65535));
    EXPECT_EQ(d->ssn, Ssn(65535));
    EXPECT_EQ(d->ppid, Ppid(0xFFFFFFFF));
    EXPECT_EQ(d->user_data.size(), 1u);
    EXPECT_EQ(d->user_data[0], 0x7E);
  }
}

TEST(ChunkWireFormatTest, InitWithIpv4AddressAndSupportedAddressTypes) {
  const std::vector<uint8_t> wire = {
      0x01, 0x00, 0x00, 0x22,  // Type = 1 (INIT), Flags = 0, Length = 34
      0xA1, 0xB2, 0xC3, 0xD4,  // Initiate Tag
      0x00, 0x01, 0x00, 0x00,  // Advertised Receiver Window Credit = 65536
      0x00, 0x0A, 0xFF, 0xFF,  // Number of Outbound Streams = 10, Inbound = 65535
      0xFE, 0xDC, 0xBA, 0x98,  // Initial TSN
      0x00, 0x05, 0x00, 0x08,  // IPv4 Address parameter (5), Length = 8
      0xC0, 0xA8, 0x01, 0x02,  //   192.168.1.2
      0x00, 0x0C, 0x00, 0x06,  // Supported Address Types (12), Length = 6
      0x00, 0x05, 0x00, 0x00,  //   Address Type = 5 (IPv4), chunk padding
  };
  const ChunkView view = ReadOne(wire);
  const Parsed<InitChunk> init = InitChunk::Parse(view);
  ASSERT_TRUE(init.ok()) << init.error();
  EXPECT_EQ(init->initiate_tag, VerificationTag(0xA1B2C3D4));
  EXPECT_EQ(init->a_rwnd, 65536u);
  EXPECT_EQ(init->outbound_streams, 10);
  EXPECT_EQ(init->inbound_streams, 65535);
  EXPECT_EQ(init->initial_tsn, Tsn(0xFEDCBA98));
  EXPECT_EQ(init->parameters.size(), 14u);
  EXPECT_EQ(init->parameters_offset, kBase + 20);

  TlvReader reader = init->parameters_reader();
  TlvView p;
  ASSERT_TRUE(reader.Next(&p));
  EXPECT_EQ(p.type, ParameterType::kIpv4Address);
  EXPECT_EQ(p.length, 8);
  EXPECT_EQ(p.offset, kBase + 20);
  EXPECT_EQ(p.value, Bytes(std::vector<uint8_t>{192, 168, 1, 2}));
  EXPECT_EQ(p.raw().size(), 8u);
  ASSERT_TRUE(reader.Next(&p));
  EXPECT_EQ(p.type, ParameterType::kSupportedAddressTypes);
  EXPECT_EQ(p.length, 6);
  EXPECT_EQ(p.offset, kBase + 28);
  const PackedArray<U16Record> types = PackedArray<U16Record>::FromWire(p.value);
  ASSERT_EQ(types.size(), 1u);
  EXPECT_EQ(types[0].value, 5);
  EXPECT_FALSE(reader.Next(&p));
  EXPECT_FALSE(reader.failed());

  // The same bytes with type 2 are an INIT ACK.
  std::vector<uint8_t> ack_wire = wire;
  ack_wire[0] = ChunkType::kInitAck;
  const Parsed<AnyChunk> ack = ParseChunk(ReadOne(ack_wire));
  ASSERT_TRUE(ack.ok()) << ack.error();
  ASSERT_TRUE(std::holds_alternative<InitAckChunk>(*ack));
  EXPECT_EQ(std::get<InitAckChunk>(*ack).initial_tsn, Tsn(0xFEDCBA98));
}

TEST(ChunkWireFormatTest, SackWithTwoGapBlocksAndOneDuplicate) {
  const std::vector<uint8_t> wire = {
      0x03, 0x00, 0x00, 0x1C,  // Type = 3 (SACK), Flags = 0, Length = 28
      0x00, 0x00, 0x01, 0x00,  // Cumulative TSN Ack = 256
      0x00, 0x00, 0x80, 0x00,  // a_rwnd = 32768
      0x00, 0x02, 0x00, 0x01,  // Number of Gap Ack Blocks = 2, Number of Duplicate TSNs = 1
      0x00, 0x02, 0x00, 0x03,  // Gap Ack Block #1 Start = 2, End = 3
      0x00, 0x05, 0x00, 0x05,  // Gap Ack Block #2 Start = 5, End = 5
      0x00, 0x00, 0x00, 0xFE,  // Duplicate TSN #1 = 254
  };
  const Parsed<SackChunk> s = SackChunk::Parse(ReadOne(wire));
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s->cumulative_tsn_ack, Tsn(256));
  EXPECT_EQ(s->a_rwnd, 32768u);
  ASSERT_EQ(s->gap_ack_blocks.size(), 2u);
  EXPECT_EQ(s->gap_ack_blocks[0], (GapAckBlock{2, 3}));
  EXPECT_EQ(s->gap_ack_blocks[1], (GapAckBlock{5, 5}));
  ASSERT_EQ(s->duplicate_tsns.size(), 1u);
  EXPECT_EQ(s->duplicate_tsns[0].tsn, Tsn(254));
  std::vector<uint16_t> ends;
  for (GapAckBlock g : s->gap_ack_blocks)
    ends.push_back(g.end);
  EXPECT_EQ(ends, (std::vector<uint16_t>{3, 5}));
}

TEST(ChunkWireFormatTest, HeartbeatWithInfo) {
  const std::vector<uint8_t> wire = {
      0x04, 0x00, 0x00, 0x11,  // Type = 4 (HEARTBEAT), Flags = 0, Length = 17
      0x00, 0x01, 0x00, 0x0D,  // Heartbeat Info Type = 1, HB Info Length = 13
      0x01, 0x02, 0x03, 0x04,  // Sender-Specific Heartbeat Info (9 bytes) ...
      0x05, 0x06, 0x07, 0x08,  //
      0x09, 0x00, 0x00, 0x00,  // ... and 3 bytes of padding
  };
  const ChunkView view = ReadOne(wire);
  const Parsed<HeartbeatChunk> hb = HeartbeatChunk::Parse(view);
  ASSERT_TRUE(hb.ok()) << hb.error();
  EXPECT_FALSE(hb->tag_reflected);
  EXPECT_EQ(hb->tlvs.size(), 13u);
  TlvReader reader = hb->reader();
  TlvView info;
  ASSERT_TRUE(reader.Next(&info));
  EXPECT_EQ(info.type, ParameterType::kHeartbeatInfo);
  EXPECT_EQ(info.length, 13);
  EXPECT_EQ(info.offset, kBase + 4);
  EXPECT_EQ(info.value, Bytes(std::vector<uint8_t>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_FALSE(reader.Next(&info));
  EXPECT_FALSE(reader.failed());

  // HEARTBEAT ACK (§3.3.6) echoes the same parameter.
  std::vector<uint8_t> ack_wire = wire;
  ack_wire[0] = ChunkType::kHeartbeatAck;
  const Parsed<HeartbeatAckChunk> ack = HeartbeatAckChunk::Parse(ReadOne(ack_wire));
  ASSERT_TRUE(ack.ok()) << ack.error();
  EXPECT_EQ(ack->tlvs, hb->tlvs);
}

TEST(ChunkWireFormatTest, AbortWithTBitAndUserInitiatedAbort) {
  const std::vector<uint8_t> wire = {
      0x06, 0x01, 0x00, 0x0B,  // Type = 6 (ABORT), Flags = T, Length = 11
      0x00, 0x0C, 0x00, 0x07,  // Cause Code = 12 (User-Initiated Abort), Cause Length = 7
      'b',  'y',  'e',  0x00,  // Upper Layer Abort Reason "bye", padding
  };
  const Parsed<AbortChunk> abort = AbortChunk::Parse(ReadOne(wire));
  ASSERT_TRUE(abort.ok()) << abort.error();
  EXPECT_TRUE(abort->tag_reflected);
  TlvReader reader = abort->reader();
  TlvView cause;
  ASSERT_TRUE(reader.Next(&cause));
  EXPECT_EQ(cause.type, ErrorCauseCode::kUserInitiatedAbort);
  EXPECT_EQ(cause.length, 7);
  EXPECT_EQ(cause.offset, kBase + 4);
  EXPECT_EQ(Str(cause.value), "bye");
  EXPECT_FALSE(reader.Next(&cause));

  // Without the T bit; the other flag bits are reserved.
  std::vector<uint8_t> plain = wire;
  plain[1] = 0xFE;
  const Parsed<AbortChunk> no_t = AbortChunk::Parse(ReadOne(plain));
  ASSERT_TRUE(no_t.ok());
  EXPECT_FALSE(no_t->tag_reflected);
}

TEST(ChunkWireFormatTest, ShutdownAndShutdownComplete) {
  const std::vector<uint8_t> shutdown = {
      0x07, 0x00, 0x00, 0x08,  // Type = 7 (SHUTDOWN), Flags = 0, Length = 8
      0xFF, 0xFF, 0xFF, 0xFE,  // Cumulative TSN Ack
  };
  const Parsed<ShutdownChunk> s = ShutdownChunk::Parse(ReadOne(shutdown));
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s->tsn, Tsn(0xFFFFFFFE));

  const std::vector<uint8_t> complete = {
      0x0E, 0x01, 0x00, 0x04,  // Type = 14 (SHUTDOWN COMPLETE), Flags = T, Length = 4
  };
  const Parsed<ShutdownCompleteChunk> c = ShutdownCompleteChunk::Parse(ReadOne(complete));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_TRUE(c->tag_reflected);
  const std::vector<uint8_t> complete_no_t = {0x0E, 0x00, 0x00, 0x04};
  const Parsed<ShutdownCompleteChunk> c2 = ShutdownCompleteChunk::Parse(ReadOne(complete_no_t));
  ASSERT_TRUE(c2.ok());
  EXPECT_FALSE(c2->tag_reflected);

  const std::vector<uint8_t> shutdown_ack = {
      0x08, 0x00, 0x00, 0x04,  // Type = 8 (SHUTDOWN ACK), Flags = 0, Length = 4
  };
  EXPECT_TRUE(ShutdownAckChunk::Parse(ReadOne(shutdown_ack)).ok());
  const std::vector<uint8_t> cookie_ack = {
      0x0B, 0x00, 0x00, 0x04,  // Type = 11 (COOKIE ACK), Flags = 0, Length = 4
  };
  EXPECT_TRUE(CookieAckChunk::Parse(ReadOne(cookie_ack)).ok());
}

TEST(ChunkWireFormatTest, CookieEcho) {
  const std::vector<uint8_t> wire = {
      0x0A, 0x00, 0x00, 0x0A,  // Type = 10 (COOKIE ECHO), Flags = 0, Length = 10
      0xC0, 0x0C, 0x1E, 0x00,  // Cookie (6 bytes) ...
      0xAB, 0xCD, 0x00, 0x00,  // ... and 2 bytes of padding
  };
  const Parsed<CookieEchoChunk> c = CookieEchoChunk::Parse(ReadOne(wire));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->value, Bytes(std::vector<uint8_t>{0xC0, 0x0C, 0x1E, 0x00, 0xAB, 0xCD}));
}

TEST(ChunkWireFormatTest, EcneAndCwr) {
  const std::vector<uint8_t> ecne = {
      0x0C, 0x00, 0x00, 0x08,  // Type = 12 (ECNE), Flags = 0, Length = 8
      0x00, 0x00, 0x10, 0x01,  // Lowest TSN Number
  };
  const Parsed<EcneChunk> e = EcneChunk::Parse(ReadOne(ecne));
  ASSERT_TRUE(e.ok()) << e.error();
  EXPECT_EQ(e->tsn, Tsn(0x1001));
  const std::vector<uint8_t> cwr = {
      0x0D, 0x00, 0x00, 0x08,  // Type = 13 (CWR), Flags = 0, Length = 8
      0x80, 0x00, 0x00, 0x00,  // TSN Number
  };
  const Parsed<CwrChunk> c = CwrChunk::Parse(ReadOne(cwr));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->tsn, Tsn(0x80000000));
}

TEST(ChunkWireFormatTest, AuthRfc4895Section41) {
  const std::vector<uint8_t> wire = {
      0x0F, 0x00, 0x00, 0x1C,  // Type = 0x0F (AUTH), Flags = 0, Length = 28
      0x00, 0x02, 0x00, 0x01,  // Shared Key Identifier = 2, HMAC Identifier = 1 (SHA-1)
      0x00, 0x11, 0x22, 0x33,  // HMAC (20 bytes)
      0x44, 0x55, 0x66, 0x77,  //
      0x88, 0x99, 0xAA, 0xBB,  //
      0xCC, 0xDD, 0xEE, 0xFF,  //
      0x10, 0x20, 0x30, 0x40,  //
  };
  const Parsed<AuthChunk> a = AuthChunk::Parse(ReadOne(wire));
  ASSERT_TRUE(a.ok()) << a.error();
  EXPECT_EQ(a->shared_key_id, 2);
  EXPECT_EQ(a->hmac_id, 1);
  ASSERT_EQ(a->hmac.size(), 20u);
  EXPECT_EQ(a->hmac[0], 0x00);
  EXPECT_EQ(a->hmac[19], 0x40);
  EXPECT_EQ(a->hmac.data(), wire.data() + 8);
}

TEST(ChunkWireFormatTest, IDataFirstFragmentCarriesPpid) {
  const std::vector<uint8_t> wire = {
      0x40, 0x02, 0x00, 0x19,  // Type = 64 (I-DATA), Flags = B, Length = 25
      0x00, 0x00, 0x00, 0x64,  // TSN = 100
      0x00, 0x03, 0xAB, 0xCD,  // Stream Identifier = 3, Reserved (ignored)
      0x00, 0x00, 0x00, 0x09,  // Message Identifier = 9
      0x00, 0x00, 0x00, 0x35,  // Payload Protocol Identifier = 53
      'h',  'e',  'l',  'l',   // User Data "hello" ...
      'o',  0x00, 0x00, 0x00,  // ... and 3 bytes of padding
  };
  const Parsed<IDataChunk> d = IDataChunk::Parse(ReadOne(wire));
  ASSERT_TRUE(d.ok()) << d.error();
  EXPECT_TRUE(d->beginning);
  EXPECT_FALSE(d->ending);
  EXPECT_FALSE(d->unordered);
  EXPECT_FALSE(d->immediate_sack);
  EXPECT_EQ(d->tsn, Tsn(100));
  EXPECT_EQ(d->stream_id, StreamId(3));
  EXPECT_EQ(d->mid, Mid(9));
  EXPECT_EQ(d->ppid, Ppid(53));
  EXPECT_EQ(d->fsn, Fsn(0));  // RFC 8260 §2.1: the first fragment has FSN 0
  EXPECT_EQ(Str(d->user_data), "hello");
}

TEST(ChunkWireFormatTest, IDataMiddleFragmentCarriesFsn) {
  const std::vector<uint8_t> wire = {
      0x40, 0x04, 0x00, 0x16,  // Type = 64 (I-DATA), Flags = U (neither B nor E), Length = 22
      0xFF, 0xFF, 0xFF, 0xFF,  // TSN
      0xFF, 0xFE, 0x00, 0x00,  // Stream Identifier = 65534, Reserved
      0x01, 0x00, 0x00, 0x00,  // Message Identifier = 0x01000000
      0x00, 0x00, 0x00, 0x07,  // Fragment Sequence Number = 7
      0xAA, 0xBB, 0x00, 0x00,  // User Data (2 bytes), padding
  };
  const Parsed<IDataChunk> d = IDataChunk::Parse(ReadOne(wire));
  ASSERT_TRUE(d.ok()) << d.error();
  EXPECT_FALSE(d->beginning);
  EXPECT_FALSE(d->ending);
  EXPECT_TRUE(d->unordered);
  EXPECT_EQ(d->tsn, Tsn(0xFFFFFFFF));
  EXPECT_EQ(d->stream_id, StreamId(65534));
  EXPECT_EQ(d->mid, Mid(0x01000000));
  EXPECT_EQ(d->fsn, Fsn(7));
  EXPECT_EQ(d->ppid, Ppid(0));
  EXPECT_EQ(d->user_data, Bytes(std::vector<uint8_t>{0xAA, 0xBB}));
}

TEST(ChunkWireFormatTest, ForwardTsnWithTwoStreams) {
  const std::vector<uint8_t> wire = {
      0xC0, 0x00, 0x00, 0x10,  // Type = 192 (FORWARD TSN), Flags = 0, Length = 16
      0x00, 0x00, 0x03, 0xE8,  // New Cumulative TSN = 1000
      0x00, 0x01, 0x00, 0x05,  // Stream-1 = 1, Stream Sequence-1 = 5
      0x01, 0x02, 0xFF, 0xFF,  // Stream-2 = 258, Stream Sequence-2 = 65535
  };
  const Parsed<ForwardTsnChunk> f = ForwardTsnChunk::Parse(ReadOne(wire));
  ASSERT_TRUE(f.ok()) << f.error();
  EXPECT_EQ(f->new_cumulative_tsn, Tsn(1000));
  ASSERT_EQ(f->streams.size(), 2u);
  EXPECT_EQ(f->streams[0], (ForwardTsnStream{StreamId(1), Ssn(5)}));
  EXPECT_EQ(f->streams[1], (ForwardTsnStream{StreamId(258), Ssn(65535)}));
}

TEST(ChunkWireFormatTest, IForwardTsnWithUBit) {
  const std::vector<uint8_t> wire = {
      0xC2, 0x00, 0x00, 0x18,  // Type = 194 (I-FORWARD-TSN), Flags = 0, Length = 24
      0x00, 0x00, 0x00, 0x2A,  // New Cumulative TSN = 42
      0x00, 0x03, 0x00, 0x01,  // Stream Identifier = 3, Reserved = 0, U = 1
      0xFF, 0xFF, 0xFF, 0xFF,  // Message Identifier = 0xFFFFFFFF
      0x00, 0x04, 0xFF, 0xFE,  // Stream Identifier = 4, Reserved (ignored, non-zero), U = 0
      0x00, 0x00, 0x00, 0x10,  // Message Identifier = 16
  };
  const Parsed<IForwardTsnChunk> f = IForwardTsnChunk::Parse(ReadOne(wire));
  ASSERT_TRUE(f.ok()) << f.error();
  EXPECT_EQ(f->new_cumulative_tsn, Tsn(42));
  ASSERT_EQ(f->streams.size(), 2u);
  EXPECT_EQ(f->streams[0].stream_id, StreamId(3));
  EXPECT_TRUE(f->streams[0].unordered);
  EXPECT_EQ(f->streams[0].mid, Mid(0xFFFFFFFF));
  EXPECT_EQ(f->streams[1].stream_id, StreamId(4));
  EXPECT_FALSE(f->streams[1].unordered);
  EXPECT_EQ(f->streams[1].mid, Mid(16));
}

TEST(ChunkWireFormatTest, AsconfWithIpv4AddressAndAddIp) {
  const std::vector<uint8_t> wire = {
      0xC1, 0x00, 0x00, 0x20,  // Type = 0xC1 (ASCONF), Flags = 0, Length = 32
      0x00, 0x00, 0x00, 0x07,  // Sequence Number = 7
      0x00, 0x05, 0x00, 0x08,  // Address Parameter: IPv4 Address (5), Length = 8
      0xC0, 0x00, 0x02, 0x01,  //   192.0.2.1
      0xC0, 0x01, 0x00, 0x10,  // ASCONF Parameter #1: Add IP Address (0xC001), Length = 16
      0x00, 0x00, 0x00, 0x63,  //   ASCONF-Request Correlation ID = 99
      0x00, 0x05, 0x00, 0x08,  //   Address Parameter: IPv4 Address, Length = 8
      0xC6, 0x33, 0x64, 0x07,  //     198.51.100.7
  };
  const Parsed<AsconfChunk> a = AsconfChunk::Parse(ReadOne(wire));
  ASSERT_TRUE(a.ok()) << a.error();
  EXPECT_EQ(a->serial_number, 7u);
  EXPECT_EQ(a->address_parameter,
            Bytes(std::vector<uint8_t>{0x00, 0x05, 0x00, 0x08, 192, 0, 2, 1}));
  EXPECT_EQ(a->parameters_offset, kBase + 16);
  TlvReader reader = a->parameters_reader();
  TlvView p;
  ASSERT_TRUE(reader.Next(&p));
  EXPECT_EQ(p.type, ParameterType::kAddIpAddress);
  EXPECT_EQ(p.length, 16);
  EXPECT_EQ(p.offset, kBase + 16);
  EXPECT_EQ(Load32(p.value.data()), 99u);
  TlvReader inner(Bytes(p.value.span().subspan(4)), p.offset + 8);
  TlvView address;
  ASSERT_TRUE(inner.Next(&address));
  EXPECT_EQ(address.type, ParameterType::kIpv4Address);
  EXPECT_EQ(address.offset, kBase + 24);
  EXPECT_EQ(address.value, Bytes(std::vector<uint8_t>{198, 51, 100, 7}));
  EXPECT_FALSE(reader.Next(&p));
  EXPECT_FALSE(reader.failed());
}

TEST(ChunkWireFormatTest, AsconfAck) {
  const std::vector<uint8_t> wire = {
      0x80, 0x00, 0x00, 0x1C,  // Type = 0x80 (ASCONF-ACK), Flags = 0, Length = 28
      0x00, 0x00, 0x00, 0x07,  // Sequence Number = 7
      0xC0, 0x05, 0x00, 0x08,  // Success Indication (0xC005), Length = 8
      0x00, 0x00, 0x00, 0x63,  //   ASCONF-Request Correlation ID = 99
      0xC0, 0x03, 0x00, 0x0C,  // Error Cause Indication (0xC003), Length = 12
      0x00, 0x00, 0x00, 0x64,  //   ASCONF-Request Correlation ID = 100
      0x00, 0xA1, 0x00, 0x04,  //   Cause: Operation Refused Due to Resource Shortage
  };
  const Parsed<AsconfAckChunk> a = AsconfAckChunk::Parse(ReadOne(wire));
  ASSERT_TRUE(a.ok()) << a.error();
  EXPECT_EQ(a->serial_number, 7u);
  TlvReader reader = a->parameters_reader();
  TlvView p;
  ASSERT_TRUE(reader.Next(&p));
  EXPECT_EQ(p.type, ParameterType::kSuccessIndication);
  EXPECT_EQ(p.offset, kBase + 8);
  EXPECT_EQ(Load32(p.value.data()), 99u);
  ASSERT_TRUE(reader.Next(&p));
  EXPECT_EQ(p.type, ParameterType::kErrorCauseIndication);
  EXPECT_EQ(p.length, 12);
  EXPECT_EQ(p.offset, kBase + 16);
  EXPECT_EQ(Load16(p.value.data() + 4), ErrorCauseCode::kOperationRefusedResourceShortage);
  EXPECT_FALSE(reader.Next(&p));
  EXPECT_FALSE(reader.failed());
}

TEST(ChunkWireFormatTest, ReconfigWithOutgoingSsnResetRequest) {
  const std::vector<uint8_t> wire = {
      0x82, 0x00, 0x00, 0x18,  // Type = 130 (RE-CONFIG), Flags = 0, Length = 24
      0x00, 0x0D, 0x00, 0x14,  // Outgoing SSN Reset Request (13), Parameter Length = 20
      0x00, 0x00, 0x00, 0x05,  //   Re-configuration Request Sequence Number = 5
      0x00, 0x00, 0x00, 0x04,  //   Re-configuration Response Sequence Number = 4
      0x00, 0x00, 0x10, 0x00,  //   Sender's Last Assigned TSN = 4096
      0x00, 0x01, 0x00, 0x02,  //   Stream Number 1 = 1, Stream Number 2 = 2
  };
  const Parsed<ReconfigChunk> r = ReconfigChunk::Parse(ReadOne(wire));
  ASSERT_TRUE(r.ok()) << r.error();
  TlvReader reader = r->reader();
  TlvView p;
  ASSERT_TRUE(reader.Next(&p));
  EXPECT_EQ(p.type, ParameterType::kOutgoingSsnResetRequest);
  EXPECT_EQ(p.length, 20);
  EXPECT_EQ(p.offset, kBase + 4);
  EXPECT_EQ(Load32(p.value.data()), 5u);
  EXPECT_EQ(Load32(p.value.data() + 4), 4u);
  EXPECT_EQ(Load32(p.value.data() + 8), 4096u);
  const PackedArray<U16Record> streams =
      PackedArray<U16Record>::FromWire(Bytes(p.value.span().subspan(12)));
  ASSERT_EQ(streams.size(), 2u);
  EXPECT_EQ(streams[0].value, 1);
  EXPECT_EQ(streams[1].value, 2);
  EXPECT_FALSE(reader.Next(&p));
}

TEST(ChunkWireFormatTest, Pad) {
  const std::vector<uint8_t> wire = {
      0x84, 0x00, 0x00, 0x0A,  // Type = 0x84 (PAD), Flags = 0, Length = 10
      0x00, 0x00, 0x00, 0x00,  // Padding Data (6 bytes) ...
      0x00, 0x00, 0x00, 0x00,  // ... and 2 bytes of chunk padding
  };
  const Parsed<PadChunk> p = PadChunk::Parse(ReadOne(wire));
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->value.size(), 6u);
}

TEST(ChunkWireFormatTest, UnknownTypes) {
  const std::vector<uint8_t> wire47 = {
      0x47, 0x5A, 0x00, 0x07,  // Type = 0x47 (unassigned, "01": stop and report), Flags, Length = 7
      0x01, 0x02, 0x03, 0x00,  // Value (3 bytes), padding
  };
  const Parsed<AnyChunk> a = ParseChunk(ReadOne(wire47));
  ASSERT_TRUE(a.ok()) << a.error();
  ASSERT_TRUE(std::holds_alternative<UnknownChunk>(*a));
  const UnknownChunk& u = std::get<UnknownChunk>(*a);
  EXPECT_EQ(u.type, 0x47);
  EXPECT_EQ(u.flags, 0x5A);
  EXPECT_EQ(u.value, Bytes(std::vector<uint8_t>{1, 2, 3}));
  EXPECT_EQ(TypeOf(*a), 0x47);
  EXPECT_EQ(UnrecognizedChunkAction(u.type), UnrecognizedAction::kStopDiscardReport);

  const std::vector<uint8_t> wire_c8 = {
      0xC8, 0x00, 0x00, 0x04,  // Type = 0xC8 (unassigned, "11": skip and report), Length = 4
  };
  const ChunkView view = ReadOne(wire_c8);
  const Parsed<AnyChunk> b = ParseChunk(view);
  ASSERT_TRUE(b.ok()) << b.error();
  ASSERT_TRUE(std::holds_alternative<UnknownChunk>(*b));
  EXPECT_EQ(std::get<UnknownChunk>(*b).type, 0xC8);
  EXPECT_TRUE(std::get<UnknownChunk>(*b).value.empty());
  EXPECT_EQ(UnrecognizedChunkAction(0xC8), UnrecognizedAction::kSkipReport);
  // What "Unrecognized Chunk Type" (§3.3.10.6) echoes: the chunk without padding.
  EXPECT_EQ(view.raw(), Bytes(wire_c8));
}

// ---------------------------------------------------------------------------------------
// 3. Malformed chunks: exact error code and absolute offset
// ---------------------------------------------------------------------------------------

// A well-formed chunk of another type given to a typed Parse.
template <typename T>
class WrongTypeTest : public ::testing::Test {};
using AllTypedChunks =
    ::testing::Types<DataChunk, InitChunk, InitAckChunk, SackChunk, HeartbeatChunk,
                     HeartbeatAckChunk, AbortChunk, ShutdownChunk, ShutdownAckChunk, ErrorChunk,
                     CookieEchoChunk, CookieAckChunk, EcneChunk, CwrChunk, ShutdownCompleteChunk,
                     AuthChunk, IDataChunk, AsconfAckChunk, ReconfigChunk, PadChunk,
                     ForwardTsnChunk, AsconfChunk, IForwardTsnChunk>;
TYPED_TEST_SUITE(WrongTypeTest, AllTypedChunks);

TYPED_TEST(WrongTypeTest, RejectsOtherTypes) {
  // Enough bytes for any fixed part, so that only the type can be wrong.
  std::vector<uint8_t> wire(64, 0);
  wire[3] = 64;
  for (int type = 0; type < 256; ++type) {
    if (type == TypeParam::kType) continue;
    wire[0] = static_cast<uint8_t>(type);
    const ChunkView view = ReadOne(wire, 100);
    EXPECT_TRUE(FailsWith(TypeParam::Parse(view), ParseErrorCode::kWrongType, 100)) << type;
  }
}

TEST(ChunkMalformedTest, DataTooShort) {
  for (uint8_t length = 4; length < 16; ++length) {
    std::vector<uint8_t> wire(PaddedLength(length), 0x11);
    wire[0] = ChunkType::kData;
    wire[1] = 0x03;  // B|E
    wire[2] = 0x00;
    wire[3] = length;  // < 16
    ExpectBothFail<DataChunk>(wire, ParseErrorCode::kLengthTooSmall, kBase + 2);
  }
}

TEST(ChunkMalformedTest, DataWithoutUserDataParses) {
  const std::vector<uint8_t> wire = {
      0x00, 0x03, 0x00, 0x10,  // DATA, B|E, Length = 16
      0x00, 0x00, 0x00, 0x01,  // TSN = 1
      0x00, 0x01, 0x00, 0x02,  // S = 1, n = 2
      0x00, 0x00, 0x00, 0x00,  // PPID = 0
  };
  const Parsed<DataChunk> d = DataChunk::Parse(ReadOne(wire));
  ASSERT_TRUE(d.ok()) << d.error();
  EXPECT_TRUE(d->user_data.empty());
  EXPECT_EQ(d->tsn, Tsn(1));
  EXPECT_EQ(d->ssn, Ssn(2));
}

TEST(ChunkMalformedTest, IDataTooShort) {
  std::vector<uint8_t> wire(19, 0);
  wire[0] = ChunkType::kIData;
  wire[3] = 19;
  ExpectBothFail<IDataChunk>(wire, ParseErrorCode::kLengthTooSmall, kBase + 2);
  wire.push_back(0);
  wire[3] = 20;
  const Parsed<IDataChunk> ok = IDataChunk::Parse(ReadOne(wire));
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->user_data.empty());
}

TEST(ChunkMalformedTest, InitTooShort) {
  const std::vector<uint8_t> wire = {
      0x01, 0x00, 0x00, 0x10,  // INIT, Length = 16 (< 20)
      0x00, 0x00, 0x00, 0x01,  // Initiate Tag
      0x00, 0x00, 0x10, 0x00,  // a_rwnd
      0x00, 0x01, 0x00, 0x01,  // OS, MIS (no Initial TSN)
  };
  ExpectBothFail<InitChunk>(wire, ParseErrorCode::kLengthTooSmall, kBase + 2);
  std::vector<uint8_t> ack = wire;
  ack[0] = ChunkType::kInitAck;
  ExpectBothFail<InitAckChunk>(ack, ParseErrorCode::kLengthTooSmall, kBase + 2);
}

TEST(ChunkMalformedTest, InitParameterOverrunsChunk) {
  const std::vector<uint8_t> wire = {
      0x01, 0x00, 0x00, 0x1C,  // INIT, Length = 28
      0x00, 0x00, 0x00, 0x01,  // Initiate Tag
      0x00, 0x00, 0x10, 0x00,  // a_rwnd
      0x00, 0x01, 0x00, 0x01,  // OS, MIS
      0x00, 0x00, 0x00, 0x01,  // Initial TSN
      0x00, 0x05, 0x00, 0x0C,  // IPv4 Address, Length = 12: 4 bytes past the chunk
      0x0A, 0x00, 0x00, 0x01,  //
  };
  ExpectBothFail<InitChunk>(wire, ParseErrorCode::kLengthOverrun, kBase + 22);
}

TEST(ChunkMalformedTest, InitSecondParameterOverruns) {
  const std::vector<uint8_t> wire = {
      0x02, 0x00, 0x00, 0x24,  // INIT ACK, Length = 36
      0x00, 0x00, 0x00, 0x01,  // Initiate Tag
      0x00, 0x00, 0x10, 0x00,  // a_rwnd
      0x00, 0x01, 0x00, 0x01,  // OS, MIS
      0x00, 0x00, 0x00, 0x01,  // Initial TSN
      0x00, 0x05, 0x00, 0x08,  // IPv4 Address, Length = 8
      0x0A, 0x00, 0x00, 0x01,  //
      0x00, 0x07, 0x00, 0x09,  // State Cookie, Length = 9: one byte past the chunk
      0x01, 0x02, 0x03, 0x04,  //
  };
  ExpectBothFail<InitAckChunk>(wire, ParseErrorCode::kLengthOverrun, kBase + 30);
}

TEST(ChunkMalformedTest, InitParameterLengthTooSmall) {
  for (uint8_t bad : {0, 1, 2, 3}) {
    const std::vector<uint8_t> wire = {
        0x01, 0x00, 0x00, 0x1C,  // INIT, Length = 28
        0x00, 0x00, 0x00, 0x01,  // Initiate Tag
        0x00, 0x00, 0x10, 0x00,  // a_rwnd
        0x00, 0x01, 0x00, 0x01,  // OS, MIS
        0x00, 0x00, 0x00, 0x01,  // Initial TSN
        0x80, 0x00, 0x00, bad,   // ECN Capable, Length < 4
        0x00, 0x00, 0x00, 0x00,  //
    };
    ExpectBothFail<InitChunk>(wire, ParseErrorCode::kLengthTooSmall, kBase + 22);
  }
}

TEST(ChunkMalformedTest, InitStrayBytesAfterParameters) {
  const std::vector<uint8_t> wire = {
      0x01, 0x00, 0x00, 0x1A,  // INIT, Length = 26
      0x00, 0x00, 0x00, 0x01,  // Initiate Tag
      0x00, 0x00, 0x10, 0x00,  // a_rwnd
      0x00, 0x01, 0x00, 0x01,  // OS, MIS
      0x00, 0x00, 0x00, 0x01,  // Initial TSN
      0x80, 0x00, 0x00, 0x04,  // ECN Capable, Length = 4
      0x00, 0x00, 0x00, 0x00,  // 2 stray bytes (counted in the length), 2 bytes padding
  };
  ExpectBothFail<InitChunk>(wire, ParseErrorCode::kTrailingBytes, kBase + 24);
}

TEST(ChunkMalformedTest, SackCountsDoNotMatchLength) {
  // Two gap blocks announced, one present.
  const std::vector<uint8_t> too_many = {
      0x03, 0x00, 0x00, 0x14,  // SACK, Length = 20
      0x00, 0x00, 0x01, 0x00,  // Cumulative TSN Ack
      0x00, 0x00, 0x80, 0x00,  // a_rwnd
      0x00, 0x02, 0x00, 0x00,  // 2 gap blocks, 0 duplicates
      0x00, 0x02, 0x00, 0x03,  // Gap Ack Block #1
  };
  ExpectBothFail<SackChunk>(too_many, ParseErrorCode::kWrongLength, kBase + 2);
  // No entries announced, one present.
  const std::vector<uint8_t> too_few = {
      0x03, 0x00, 0x00, 0x14,  // SACK, Length = 20
      0x00, 0x00, 0x01, 0x00,  // Cumulative TSN Ack
      0x00, 0x00, 0x80, 0x00,  // a_rwnd
      0x00, 0x00, 0x00, 0x00,  // 0 gap blocks, 0 duplicates
      0x00, 0x02, 0x00, 0x03,  // an extra entry
  };
  ExpectBothFail<SackChunk>(too_few, ParseErrorCode::kWrongLength, kBase + 2);
  // One duplicate announced, half of one present (length not a multiple of 4).
  const std::vector<uint8_t> partial = {
      0x03, 0x00, 0x00, 0x12,  // SACK, Length = 18
      0x00, 0x00, 0x01, 0x00,  // Cumulative TSN Ack
      0x00, 0x00, 0x80, 0x00,  // a_rwnd
      0x00, 0x00, 0x00, 0x01,  // 0 gap blocks, 1 duplicate
      0x00, 0x02, 0x00, 0x00,  // 2 bytes of a TSN, padding
  };
  ExpectBothFail<SackChunk>(partial, ParseErrorCode::kWrongLength, kBase + 2);
  // Shorter than the fixed part.
  const std::vector<uint8_t> short_sack = {
      0x03, 0x00, 0x00, 0x0C,  // SACK, Length = 12
      0x00, 0x00, 0x01, 0x00,  // Cumulative TSN Ack
      0x00, 0x00, 0x80, 0x00,  // a_rwnd (no counts)
  };
  ExpectBothFail<SackChunk>(short_sack, ParseErrorCode::kLengthTooSmall, kBase + 2);
}

TEST(ChunkMalformedTest, SackClaiming65535GapBlocksInAShortChunk) {
  const std::vector<uint8_t> wire = {
      0x03, 0x00, 0x00, 0x18,  // SACK, Length = 24
      0x00, 0x00, 0x01, 0x00,  // Cumulative TSN Ack
      0x00, 0x00, 0x80, 0x00,  // a_rwnd
      0xFF, 0xFF, 0xFF, 0xFF,  // 65535 gap blocks, 65535 duplicates
      0x00, 0x02, 0x00, 0x03,  //
      0x00, 0x05, 0x00, 0x06,  //
  };
  ExpectBothFail<SackChunk>(wire, ParseErrorCode::kWrongLength, kBase + 2);
}

TEST(ChunkMalformedTest, FixedSizeChunksWithAnotherLength) {
  const std::vector<uint8_t> shutdown = {
      0x07, 0x00, 0x00, 0x0C,  // SHUTDOWN, Length = 12 (must be 8)
      0x00, 0x00, 0x00, 0x01,  // Cumulative TSN Ack
      0x00, 0x00, 0x00, 0x00,  // extra
  };
  ExpectBothFail<ShutdownChunk>(shutdown, ParseErrorCode::kWrongLength, kBase + 2);
  const std::vector<uint8_t> short_shutdown = {
      0x07, 0x00, 0x00, 0x04,  // SHUTDOWN, Length = 4 (no TSN)
  };
  ExpectBothFail<ShutdownChunk>(short_shutdown, ParseErrorCode::kWrongLength, kBase + 2);
  const std::vector<uint8_t> cookie_ack = {
      0x0B, 0x00, 0x00, 0x08,  // COOKIE ACK, Length = 8 (must be 4)
      0x00, 0x00, 0x00, 0x00,  //
  };
  ExpectBothFail<CookieAckChunk>(cookie_ack, ParseErrorCode::kWrongLength, kBase + 2);
  const std::vector<uint8_t> shutdown_ack = {0x08, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00};
  ExpectBothFail<ShutdownAckChunk>(shutdown_ack, ParseErrorCode::kWrongLength, kBase + 2);
  const std::vector<uint8_t> complete = {0x0E, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00};
  ExpectBothFail<ShutdownCompleteChunk>(complete, ParseErrorCode::kWrongLength, kBase + 2);
  const std::vector<uint8_t> ecne = {0x0C, 0x00, 0x00, 0x07, 0x00, 0x00, 0x01, 0x00};
  ExpectBothFail<EcneChunk>(ecne, ParseErrorCode::kWrongLength, kBase + 2);
  const std::vector<uint8_t> cwr = {0x0D, 0x00, 0x00, 0x09, 0, 0, 0, 1, 2, 0, 0, 0};
  ExpectBothFail<CwrChunk>(cwr, ParseErrorCode::kWrongLength, kBase + 2);
}

TEST(ChunkMalformedTest, ForwardTsnEntriesNotAMultipleOfTheirSize) {
  const std::vector<uint8_t> fwd = {
      0xC0, 0x00, 0x00, 0x0E,  // FORWARD TSN, Length = 14
      0x00, 0x00, 0x03, 0xE8,  // New Cumulative TSN
      0x00, 0x01, 0x00, 0x05,  // Stream-1, Stream Sequence-1
      0x00, 0x02, 0x00, 0x00,  // half an entry, padding
  };
  ExpectBothFail<ForwardTsnChunk>(fwd, ParseErrorCode::kWrongLength, kBase + 2);
  const std::vector<uint8_t> short_fwd = {
      0xC0, 0x00, 0x00, 0x06,  // FORWARD TSN, Length = 6
      0x00, 0x00, 0x00, 0x00,  //
  };
  ExpectBothFail<ForwardTsnChunk>(short_fwd, ParseErrorCode::kLengthTooSmall, kBase + 2);

  const std::vector<uint8_t> ifwd = {
      0xC2, 0x00, 0x00, 0x0C,  // I-FORWARD-TSN, Length = 12
      0x00, 0x00, 0x00, 0x2A,  // New Cumulative TSN
      0x00, 0x03, 0x00, 0x01,  // Stream Identifier, U (no MID)
  };
  ExpectBothFail<IForwardTsnChunk>(ifwd, ParseErrorCode::kWrongLength, kBase + 2);
  const std::vector<uint8_t> ifwd_tail = {
      0xC2, 0x00, 0x00, 0x14,  // I-FORWARD-TSN, Length = 20
      0x00, 0x00, 0x00, 0x2A,  // New Cumulative TSN
      0x00, 0x03, 0x00, 0x01,  // entry 1: Stream Identifier, U
      0x00, 0x00, 0x00, 0x01,  //          MID
      0x00, 0x04, 0x00, 0x00,  // 4-byte tail
  };
  ExpectBothFail<IForwardTsnChunk>(ifwd_tail, ParseErrorCode::kWrongLength, kBase + 2);
}

TEST(ChunkMalformedTest, AuthTooShort) {
  const std::vector<uint8_t> wire = {
      0x0F, 0x00, 0x00, 0x06,  // AUTH, Length = 6 (< 8)
      0x00, 0x01, 0x00, 0x00,  // Shared Key Identifier, (no HMAC Identifier)
  };
  ExpectBothFail<AuthChunk>(wire, ParseErrorCode::kLengthTooSmall, kBase + 2);
  const std::vector<uint8_t> no_hmac = {
      0x0F, 0x00, 0x00, 0x08,  // AUTH, Length = 8
      0x00, 0x01, 0x00, 0x01,  // Shared Key Identifier, HMAC Identifier, empty HMAC
  };
  const Parsed<AuthChunk> a = AuthChunk::Parse(ReadOne(no_hmac));
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->hmac.empty());
}

TEST(ChunkMalformedTest, AsconfWithoutAddressParameter) {
  const std::vector<uint8_t> no_address = {
      0xC1, 0x00, 0x00, 0x08,  // ASCONF, Length = 8
      0x00, 0x00, 0x00, 0x07,  // Sequence Number, and nothing else
  };
  ExpectBothFail<AsconfChunk>(no_address, ParseErrorCode::kLengthTooSmall, kBase + 2);

  const std::vector<uint8_t> add_ip_first = {
      0xC1, 0x00, 0x00, 0x18,  // ASCONF, Length = 24
      0x00, 0x00, 0x00, 0x07,  // Sequence Number
      0xC0, 0x01, 0x00, 0x10,  // Add IP Address where the Address Parameter belongs
      0x00, 0x00, 0x00, 0x63,  //   Correlation ID
      0x00, 0x05, 0x00, 0x08,  //   IPv4 Address
      0xC6, 0x33, 0x64, 0x07,  //
  };
  ExpectBothFail<AsconfChunk>(add_ip_first, ParseErrorCode::kBadValue, kBase + 8);

  const std::vector<uint8_t> overrun = {
      0xC1, 0x00, 0x00, 0x0C,  // ASCONF, Length = 12
      0x00, 0x00, 0x00, 0x07,  // Sequence Number
      0x00, 0x05, 0x00, 0x08,  // IPv4 Address, Length = 8: runs past the chunk
  };
  ExpectBothFail<AsconfChunk>(overrun, ParseErrorCode::kLengthOverrun, kBase + 10);

  const std::vector<uint8_t> bad_param = {
      0xC1, 0x00, 0x00, 0x14,  // ASCONF, Length = 20
      0x00, 0x00, 0x00, 0x07,  // Sequence Number
      0x00, 0x05, 0x00, 0x08,  // IPv4 Address, Length = 8
      0xC0, 0x00, 0x02, 0x01,  //
      0xC0, 0x01, 0x00, 0x02,  // Add IP Address, Length = 2
  };
  ExpectBothFail<AsconfChunk>(bad_param, ParseErrorCode::kLengthTooSmall, kBase + 18);
}

// RFC 5061 §4.1.1: "Address Parameter: 8 or 20 bytes (depending on the address type)". An
// IPv4 Address Parameter (RFC 9260 §3.3.2.1) is exactly 8 bytes and an IPv6 one exactly 20;
// AsconfChunk::Parse only checks the type, so a consumer that reads the 4 address bytes of a
// parsed IPv4 address_parameter reads past the span when the Length field is 4.
TEST(ChunkMalformedTest, AsconfAddressParameterWithWrongLength) {
  const std::vector<uint8_t> empty_ipv4 = {
      0xC1, 0x00, 0x00, 0x0C,  // ASCONF, Length = 12
      0x00, 0x00, 0x00, 0x07,  // Sequence Number
      0x00, 0x05, 0x00, 0x04,  // IPv4 Address, Length = 4: no address
  };
  ExpectBothFail<AsconfChunk>(empty_ipv4, ParseErrorCode::kWrongLength, kBase + 10);
  const std::vector<uint8_t> short_ipv6 = {
      0xC1, 0x00, 0x00, 0x10,  // ASCONF, Length = 16
      0x00, 0x00, 0x00, 0x07,  // Sequence Number
      0x00, 0x06, 0x00, 0x08,  // IPv6 Address, Length = 8 (must be 20)
      0x20, 0x01, 0x0D, 0xB8,  //
  };
  ExpectBothFail<AsconfChunk>(short_ipv6, ParseErrorCode::kWrongLength, kBase + 10);
}

TEST(ChunkMalformedTest, AsconfAckTooShort) {
  const std::vector<uint8_t> wire = {
      0x80, 0x00, 0x00, 0x06,  // ASCONF-ACK, Length = 6 (< 8)
      0x00, 0x00, 0x00, 0x00,  //
  };
  ExpectBothFail<AsconfAckChunk>(wire, ParseErrorCode::kLengthTooSmall, kBase + 2);
}

TEST(ChunkMalformedTest, ErrorWithStrayBytesAfterACause) {
  const std::vector<uint8_t> wire = {
      0x09, 0x00, 0x00, 0x0E,  // ERROR, Length = 14
      0x00, 0x01, 0x00, 0x08,  // Invalid Stream Identifier, Cause Length = 8
      0x00, 0x09, 0x00, 0x00,  //   Stream Identifier = 9, Reserved
      0xAB, 0xCD, 0x00, 0x00,  // 2 stray bytes, 2 bytes of chunk padding
  };
  ExpectBothFail<ErrorChunk>(wire, ParseErrorCode::kTrailingBytes, kBase + 12);
}

TEST(ChunkMalformedTest, TlvChunksWithBadCauses) {
  const std::vector<uint8_t> abort = {
      0x06, 0x00, 0x00, 0x0C,  // ABORT, Length = 12
      0x00, 0x0C, 0x00, 0x10,  // User-Initiated Abort, Cause Length = 16: overrun
      'b',  'y',  'e',  '!',   //
  };
  ExpectBothFail<AbortChunk>(abort, ParseErrorCode::kLengthOverrun, kBase + 6);
  const std::vector<uint8_t> heartbeat = {
      0x04, 0x00, 0x00, 0x07,  // HEARTBEAT, Length = 7
      0x00, 0x01, 0x00, 0x00,  // Heartbeat Info, Length = 0 (3 bytes present)
  };
  ExpectBothFail<HeartbeatChunk>(heartbeat, ParseErrorCode::kTrailingBytes, kBase + 4);
  const std::vector<uint8_t> reconfig = {
      0x82, 0x00, 0x00, 0x0C,  // RE-CONFIG, Length = 12
      0x00, 0x0D, 0x00, 0x03,  // Outgoing SSN Reset Request, Length = 3
      0x00, 0x00, 0x00, 0x00,  //
  };
  ExpectBothFail<ReconfigChunk>(reconfig, ParseErrorCode::kLengthTooSmall, kBase + 6);
  // The last cause may lack its padding (§3.2: the chunk length does not count it).
  const std::vector<uint8_t> one = {
      0x09, 0x00, 0x00, 0x09,  // ERROR, Length = 9
      0x00, 0x0C, 0x00, 0x05,  // User-Initiated Abort, Length = 5
      0x21, 0x00, 0x00, 0x00,  //   '!', chunk padding
  };
  const Parsed<ErrorChunk> e = ErrorChunk::Parse(ReadOne(one));
  ASSERT_TRUE(e.ok()) << e.error();
  EXPECT_EQ(e->tlvs.size(), 5u);
  const std::vector<uint8_t> two = {
      0x09, 0x00, 0x00, 0x11,  // ERROR, Length = 17: the first cause padded, the last not
      0x00, 0x0C, 0x00, 0x05,  // User-Initiated Abort, Length = 5
      0x21, 0x00, 0x00, 0x00,  //   '!', parameter padding (counted in the chunk length)
      0x00, 0x0D, 0x00, 0x05,  // Protocol Violation, Length = 5
      0x3F, 0x00, 0x00, 0x00,  //   '?', chunk padding
  };
  const Parsed<ErrorChunk> e2 = ErrorChunk::Parse(ReadOne(two));
  ASSERT_TRUE(e2.ok()) << e2.error();
  TlvReader reader = e2->reader();
  TlvView cause;
  int count = 0;
  while (reader.Next(&cause))
    ++count;
  EXPECT_EQ(count, 2);
  EXPECT_EQ(cause.offset, kBase + 12);
  EXPECT_FALSE(reader.failed());
}

TEST(ChunkMalformedTest, AbsoluteOffsetsFollowTheBase) {
  // The same malformed INIT read at several base offsets reports offsets shifted by the base.
  const std::vector<uint8_t> wire = {
      0x01, 0x00, 0x00, 0x1C,  // INIT, Length = 28
      0x00, 0x00, 0x00, 0x01,  // Initiate Tag
      0x00, 0x00, 0x10, 0x00,  // a_rwnd
      0x00, 0x01, 0x00, 0x01,  // OS, MIS
      0x00, 0x00, 0x00, 0x01,  // Initial TSN
      0x00, 0x05, 0x00, 0x0C,  // IPv4 Address, Length = 12: overrun
      0x0A, 0x00, 0x00, 0x01,  //
  };
  for (uint32_t base : {0u, 12u, 16u, 1000u, 65532u}) {
    const ChunkView view = ReadOne(wire, base);
    EXPECT_TRUE(FailsWith(InitChunk::Parse(view), ParseErrorCode::kLengthOverrun, base + 22));
  }
}

// ---------------------------------------------------------------------------------------
// 4. Chunk type names and the unrecognized-type action bits
// ---------------------------------------------------------------------------------------

TEST(ChunkTypeTest, UnrecognizedChunkAction) {
  for (int t = 0; t < 256; ++t) {
    const uint8_t type = static_cast<uint8_t>(t);
    UnrecognizedAction expected;
    if (t <= 0x3F) {
      expected = UnrecognizedAction::kStopDiscard;
    } else if (t <= 0x7F) {
      expected = UnrecognizedAction::kStopDiscardReport;
    } else if (t <= 0xBF) {
      expected = UnrecognizedAction::kSkip;
    } else {
      expected = UnrecognizedAction::kSkipReport;
    }
    EXPECT_EQ(UnrecognizedChunkAction(type), expected) << t;
  }
  static_assert(UnrecognizedChunkAction(ChunkType::kAsconf) == UnrecognizedAction::kSkipReport);
  static_assert(UnrecognizedChunkAction(ChunkType::kIData) ==
                UnrecognizedAction::kStopDiscardReport);
  static_assert(UnrecognizedChunkAction(ChunkType::kPad) == UnrecognizedAction::kSkip);
  static_assert(UnrecognizedParameterAction(ParameterType::kForwardTsnSupported) ==
                UnrecognizedAction::kSkipReport);
  static_assert(UnrecognizedParameterAction(ParameterType::kEcnCapable) ==
                UnrecognizedAction::kSkip);
  static_assert(UnrecognizedParameterAction(ParameterType::kStateCookie) ==
                UnrecognizedAction::kStopDiscard);
  static_assert(UnrecognizedParameterAction(0x4001) == UnrecognizedAction::kStopDiscardReport);
}

TEST(ChunkTypeTest, NamesOfEveryKnownType) {
  const std::vector<std::pair<uint8_t, std::string_view>> known = {
      {0, "DATA"},
      {1, "INIT"},
      {2, "INIT_ACK"},
      {3, "SACK"},
      {4, "HEARTBEAT"},
      {5, "HEARTBEAT_ACK"},
      {6, "ABORT"},
      {7, "SHUTDOWN"},
      {8, "SHUTDOWN_ACK"},
      {9, "ERROR"},
      {10, "COOKIE_ECHO"},
      {11, "COOKIE_ACK"},
      {12, "ECNE"},
      {13, "CWR"},
      {14, "SHUTDOWN_COMPLETE"},
      {15, "AUTH"},
      {64, "I_DATA"},
      {128, "ASCONF_ACK"},
      {130, "RE_CONFIG"},
      {132, "PAD"},
      {192, "FORWARD_TSN"},
      {193, "ASCONF"},
      {194, "I_FORWARD_TSN"},
  };
  std::vector<bool> is_known(256, false);
  for (const auto& [type, name] : known) {
    EXPECT_EQ(ChunkTypeName(type), name) << int{type};
    is_known[type] = true;
  }
  for (int t = 0; t < 256; ++t) {
    if (!is_known[t]) {
      EXPECT_EQ(ChunkTypeName(static_cast<uint8_t>(t)), "UNKNOWN") << t;
    }
  }
  // Every other type parses as an UnknownChunk that keeps type, flags and value (the known
  // ones map to their own alternatives: AnyChunkCoversEveryAlternative).
  std::vector<uint8_t> wire(12, 0x5A);
  wire[1] = 0xF1;
  wire[2] = 0;
  wire[3] = 11;
  for (int t = 0; t < 256; ++t) {
    if (is_known[t]) continue;
    wire[0] = static_cast<uint8_t>(t);
    const Parsed<AnyChunk> parsed = ParseChunk(ReadOne(wire));
    ASSERT_TRUE(parsed.ok()) << t;
    ASSERT_TRUE(std::holds_alternative<UnknownChunk>(*parsed)) << t;
    EXPECT_EQ(std::get<UnknownChunk>(*parsed).type, t);
    EXPECT_EQ(std::get<UnknownChunk>(*parsed).flags, 0xF1);
    EXPECT_EQ(std::get<UnknownChunk>(*parsed).value.size(), 7u);
    EXPECT_EQ(TypeOf(*parsed), t);
  }
}

// ---------------------------------------------------------------------------------------
// 5. A large SACK
// ---------------------------------------------------------------------------------------

TEST(ChunkLargeTest, SackWith10000GapBlocksAnd5000Duplicates) {
  constexpr size_t kGaps = 10000;
  constexpr size_t kDups = 5000;
  constexpr size_t kLength = 16 + 4 * (kGaps + kDups);
  static_assert(kLength == 60016 && kLength <= 0xFFFF);
  std::vector<uint8_t> wire(kLength);
  wire[0] = ChunkType::kSack;
  Store16(&wire[2], kLength);
  Store32(&wire[4], 0xFFFFFF00);  // Cumulative TSN Ack
  Store32(&wire[8], 123456);      // a_rwnd
  Store16(&wire[12], kGaps);
  Store16(&wire[14], kDups);
  for (size_t i = 0; i < kGaps; ++i) {
    Store16(&wire[16 + 4 * i], static_cast<uint16_t>(2 * i + 2));
    Store16(&wire[16 + 4 * i + 2], static_cast<uint16_t>(2 * i + 3));
  }
  for (size_t j = 0; j < kDups; ++j) {
    Store32(&wire[16 + 4 * kGaps + 4 * j], static_cast<uint32_t>(0xFFFFF000u + 3 * j));
  }
  const ChunkView view = ReadOne(wire);
  const Parsed<SackChunk> s = SackChunk::Parse(view);
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s->cumulative_tsn_ack, Tsn(0xFFFFFF00));
  EXPECT_EQ(s->a_rwnd, 123456u);
  ASSERT_EQ(s->gap_ack_blocks.size(), kGaps);
  ASSERT_EQ(s->duplicate_tsns.size(), kDups);
  for (size_t i = 0; i < kGaps; ++i) {
    ASSERT_EQ(s->gap_ack_blocks[i],
              (GapAckBlock{static_cast<uint16_t>(2 * i + 2), static_cast<uint16_t>(2 * i + 3)}))
        << i;
  }
  for (size_t j = 0; j < kDups; ++j) {
    ASSERT_EQ(s->duplicate_tsns[j].tsn, Tsn(static_cast<uint32_t>(0xFFFFF000u + 3 * j))) << j;
  }
  size_t iterated = 0;
  for (TsnRecord r : s->duplicate_tsns) {
    ASSERT_EQ(r.tsn, Tsn(static_cast<uint32_t>(0xFFFFF000u + 3 * iterated)));
    ++iterated;
  }
  EXPECT_EQ(iterated, kDups);
  EXPECT_EQ(s->WireLength(), kLength);

  // The same SACK built from host values is equal, and both serialize to the same bytes.
  std::vector<GapAckBlock> gaps;
  for (size_t i = 0; i < kGaps; ++i) {
    gaps.push_back({static_cast<uint16_t>(2 * i + 2), static_cast<uint16_t>(2 * i + 3)});
  }
  std::vector<TsnRecord> dups;
  for (size_t j = 0; j < kDups; ++j)
    dups.push_back({Tsn(static_cast<uint32_t>(0xFFFFF000u + 3 * j))});
  SackChunk built;
  built.cumulative_tsn_ack = Tsn(0xFFFFFF00);
  built.a_rwnd = 123456;
  built.gap_ack_blocks = PackedArray<GapAckBlock>::FromHost(gaps);
  built.duplicate_tsns = PackedArray<TsnRecord>::FromHost(dups);
  EXPECT_TRUE(built == *s);
  std::vector<uint8_t> out(kLength);
  ByteWriter w(out);
  built.WriteTo(w);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(out, wire);
  std::vector<uint8_t> out2(kLength);
  ByteWriter w2(out2);
  s->WriteTo(w2);
  ASSERT_TRUE(w2.ok());
  EXPECT_EQ(out2, wire);

  // One entry fewer than announced: rejected.
  std::vector<uint8_t> truncated(wire.begin(), wire.end() - 4);
  Store16(&truncated[2], static_cast<uint16_t>(kLength - 4));
  ExpectBothFail<SackChunk>(truncated, ParseErrorCode::kWrongLength, kBase + 2);
}

}  // namespace
}  // namespace sctp::wire
