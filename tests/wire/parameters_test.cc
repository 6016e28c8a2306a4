#include "wire/parameters.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace sctp::wire {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

// Every parse in these tests runs on a buffer that sits at this offset in a made-up outer
// buffer, so that error offsets are checked to be absolute.
constexpr uint32_t kBase = 1000;

std::vector<uint8_t> Vec(Bytes b) {
  return std::vector<uint8_t>(b.begin(), b.end());
}

template <typename T>
uint16_t TypeOf(const T& p) {
  if constexpr (requires { T::kType; }) {
    return T::kType;
  } else {
    return p.type;
  }
}

template <typename T>
std::vector<uint8_t> Serialize(const T& p) {
  std::vector<uint8_t> buffer(PaddedLength(p.WireLength()), 0xEE);
  ByteWriter w(buffer);
  p.WriteTo(w);
  EXPECT_TRUE(w.ok());
  EXPECT_EQ(w.size(), buffer.size());
  return buffer;
}

// Reads exactly one TLV from `bytes`, placed at kBase.
TlvView ReadOne(const std::vector<uint8_t>& bytes) {
  TlvReader reader(bytes, kBase);
  TlvView tlv;
  EXPECT_TRUE(reader.Next(&tlv));
  TlvView extra;
  EXPECT_FALSE(reader.Next(&extra));
  EXPECT_FALSE(reader.failed());
  return tlv;
}

// build -> serialize -> TlvReader -> Parse -> equal, plus the framing of the bytes, the
// AnyParameter entry points, a too-small buffer and a wrong type.
template <typename T>
void ExpectRoundTrip(const T& p) {
  SCOPED_TRACE(std::string(ParameterTypeName(TypeOf(p))));
  const std::vector<uint8_t> bytes = Serialize(p);
  ASSERT_EQ(bytes.size(), PaddedLength(p.WireLength()));
  EXPECT_EQ(Load16(bytes.data()), TypeOf(p));
  EXPECT_EQ(Load16(bytes.data() + 2), p.WireLength());
  for (size_t i = p.WireLength(); i < bytes.size(); ++i)
    EXPECT_EQ(bytes[i], 0) << i;

  const TlvView tlv = ReadOne(bytes);
  EXPECT_EQ(tlv.offset, kBase);
  Parsed<T> parsed = T::Parse(tlv);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(*parsed, p);

  Parsed<AnyParameter> any = ParseParameter(tlv);
  ASSERT_TRUE(any.ok()) << any.error();
  ASSERT_TRUE(std::holds_alternative<T>(*any));
  EXPECT_EQ(std::get<T>(*any), p);
  EXPECT_EQ(WireLength(*any), p.WireLength());
  std::vector<uint8_t> again(bytes.size());
  ByteWriter w(again);
  WriteParameter(w, *any);
  EXPECT_TRUE(w.ok());
  EXPECT_EQ(again, bytes);

  std::vector<uint8_t> small(bytes.size() - 1);
  ByteWriter small_writer(small);
  p.WriteTo(small_writer);
  EXPECT_FALSE(small_writer.ok());

  if constexpr (requires { T::kType; }) {
    std::vector<uint8_t> other = bytes;
    Store16(other.data(), 0x7FFF);
    Parsed<T> wrong = T::Parse(ReadOne(other));
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(wrong.error(), (ParseError{ParseErrorCode::kWrongType, kBase}));
  }
}

// Prefixes `bytes` with a 4-byte Forward-TSN-Supported parameter, reads the second TLV at
// kBase + 4 and expects T::Parse (and ParseParameter) to fail with `code` at
// kBase + 4 + `at`.
template <typename T>
void ExpectParseError(std::vector<uint8_t> bytes, ParseErrorCode code, uint32_t at) {
  std::vector<uint8_t> buffer = {0xC0, 0x00, 0x00, 0x04};
  buffer.insert(buffer.end(), bytes.begin(), bytes.end());
  TlvReader reader(buffer, kBase);
  TlvView tlv;
  ASSERT_TRUE(reader.Next(&tlv));
  ASSERT_TRUE(reader.Next(&tlv)) << reader.error();
  ASSERT_EQ(tlv.offset, kBase + 4);
  const ParseError expected{code, kBase + 4 + at};
  Parsed<T> parsed = T::Parse(tlv);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error(), expected);
  Parsed<AnyParameter> any = ParseParameter(tlv);
  ASSERT_FALSE(any.ok());
  EXPECT_EQ(any.error(), expected);
}

const std::vector<uint8_t> kOpaque = {1, 2, 3, 4, 5, 6, 7};
const std::vector<uint8_t> kIpv4Tlv = {0x00, 0x05, 0x00, 0x08, 192, 0, 2, 1};
const std::vector<uint8_t> kIpv6Tlv = {0x00, 0x06, 0x00, 0x14, 0x20, 0x01, 0x0d, 0xb8, 0, 0,
                                       0,    0,    0,    0,    0,    0,    0,    0,    0, 1};

// ---- round trips, one per type ------------------------------------------------------------

TEST(ParametersTest, HeartbeatInfoRoundTrip) {
  ExpectRoundTrip(HeartbeatInfoParameter{});
  ExpectRoundTrip(HeartbeatInfoParameter{kOpaque});
}

TEST(ParametersTest, AddressRoundTrip) {
  ExpectRoundTrip(Ipv4AddressParameter{{10, 0, 0, 1}});
  ExpectRoundTrip(Ipv6AddressParameter{{0xfe, 0x80, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8}});
}

TEST(ParametersTest, StateCookieRoundTrip) {
  ExpectRoundTrip(StateCookieParameter{});
  ExpectRoundTrip(StateCookieParameter{kOpaque});
  const std::vector<uint8_t> big(400, 0xAB);
  ExpectRoundTrip(StateCookieParameter{big});
}

TEST(ParametersTest, UnrecognizedParameterRoundTrip) {
  ExpectRoundTrip(UnrecognizedParameterParameter{kIpv4Tlv});
  // A copied parameter with a 5-byte Length, with and without its own padding.
  const std::vector<uint8_t> odd = {0x80, 0x77, 0x00, 0x05, 0xAA};
  ExpectRoundTrip(UnrecognizedParameterParameter{odd});
  const std::vector<uint8_t> odd_padded = {0x80, 0x77, 0x00, 0x05, 0xAA, 0, 0, 0};
  ExpectRoundTrip(UnrecognizedParameterParameter{odd_padded});
}

TEST(ParametersTest, CookiePreservativeRoundTrip) {
  ExpectRoundTrip(CookiePreservativeParameter{0});
  ExpectRoundTrip(CookiePreservativeParameter{0xDEADBEEF});
}

TEST(ParametersTest, HostNameAddressRoundTrip) {
  const std::string name = "example.org";
  const std::vector<uint8_t> host(name.c_str(), name.c_str() + name.size() + 1);
  ExpectRoundTrip(HostNameAddressParameter{host});
}

TEST(ParametersTest, SupportedAddressTypesRoundTrip) {
  ExpectRoundTrip(SupportedAddressTypesParameter{});
  const std::array<U16Record, 1> one = {{{5}}};
  ExpectRoundTrip(SupportedAddressTypesParameter{PackedArray<U16Record>::FromHost(one)});
  const std::array<U16Record, 3> three = {{{5}, {6}, {11}}};
  ExpectRoundTrip(SupportedAddressTypesParameter{PackedArray<U16Record>::FromHost(three)});
}

TEST(ParametersTest, OutgoingSsnResetRequestRoundTrip) {
  OutgoingSsnResetRequestParameter p;
  p.request_seq = ReconfigSeq(0xFFFFFFFF);
  p.response_seq = ReconfigSeq(7);
  p.sender_last_tsn = Tsn(0x12345678);
  ExpectRoundTrip(p);  // no streams: all streams
  const std::array<StreamIdRecord, 3> streams = {{{StreamId(1)}, {StreamId(2)}, {StreamId(65535)}}};
  p.streams = PackedArray<StreamIdRecord>::FromHost(streams);
  ExpectRoundTrip(p);
}

TEST(ParametersTest, IncomingSsnResetRequestRoundTrip) {
  IncomingSsnResetRequestParameter p;
  p.request_seq = ReconfigSeq(42);
  ExpectRoundTrip(p);
  const std::array<StreamIdRecord, 2> streams = {{{StreamId(3)}, {StreamId(4)}}};
  p.streams = PackedArray<StreamIdRecord>::FromHost(streams);
  ExpectRoundTrip(p);
}

TEST(ParametersTest, SsnTsnResetRequestRoundTrip) {
  ExpectRoundTrip(SsnTsnResetRequestParameter{ReconfigSeq(99)});
}

TEST(ParametersTest, ReconfigResponseRoundTrip) {
  ReconfigResponseParameter p;
  p.response_seq = ReconfigSeq(5);
  p.result = ReconfigResult::kInProgress;
  ExpectRoundTrip(p);
  EXPECT_EQ(p.WireLength(), 12u);
  p.sender_next_tsn = Tsn(100);
  p.receiver_next_tsn = Tsn(200);
  ExpectRoundTrip(p);
  EXPECT_EQ(p.WireLength(), 20u);
  // Result values outside RFC 6525 Table 3 survive a round trip.
  p.result = static_cast<ReconfigResult>(0xABCDEF01);
  ExpectRoundTrip(p);
}

TEST(ParametersTest, ReconfigResponseWithOneTsnWritesBoth) {
  ReconfigResponseParameter p;
  p.response_seq = ReconfigSeq(1);
  p.result = ReconfigResult::kSuccessPerformed;
  p.sender_next_tsn = Tsn(77);
  const std::vector<uint8_t> bytes = Serialize(p);
  ASSERT_EQ(bytes.size(), 20u);
  Parsed<ReconfigResponseParameter> parsed = ReconfigResponseParameter::Parse(ReadOne(bytes));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->sender_next_tsn, Tsn(77));
  EXPECT_EQ(parsed->receiver_next_tsn, Tsn(0));
}

TEST(ParametersTest, AddStreamsRoundTrip) {
  ExpectRoundTrip(AddOutgoingStreamsParameter{ReconfigSeq(10), 3});
  ExpectRoundTrip(AddIncomingStreamsParameter{ReconfigSeq(11), 65535});
}

TEST(ParametersTest, EmptyParametersRoundTrip) {
  ExpectRoundTrip(EcnCapableParameter{});
  ExpectRoundTrip(ForwardTsnSupportedParameter{});
}

TEST(ParametersTest, ZeroChecksumAcceptableRoundTrip) {
  ExpectRoundTrip(ZeroChecksumAcceptableParameter{1});  // EDMID 1: DTLS (RFC 9653 §10)
}

TEST(ParametersTest, AuthParametersRoundTrip) {
  const std::vector<uint8_t> random(32, 0x5A);
  ExpectRoundTrip(RandomParameter{random});
  ExpectRoundTrip(RandomParameter{kOpaque});  // shorter than 32 bytes: still parses
  const std::vector<uint8_t> chunks = {0x00, 0x03, 0xC1};
  ExpectRoundTrip(ChunkListParameter{chunks});
  ExpectRoundTrip(ChunkListParameter{});
  const std::array<U16Record, 1> sha1 = {{{1}}};
  ExpectRoundTrip(RequestedHmacAlgorithmParameter{PackedArray<U16Record>::FromHost(sha1)});
  const std::array<U16Record, 2> both = {{{3}, {1}}};
  ExpectRoundTrip(RequestedHmacAlgorithmParameter{PackedArray<U16Record>::FromHost(both)});
}

TEST(ParametersTest, PaddingRoundTrip) {
  ExpectRoundTrip(PaddingParameter{});
  const std::vector<uint8_t> junk = {0xFF, 0x00, 0x13};
  ExpectRoundTrip(PaddingParameter{junk});
}

TEST(ParametersTest, SupportedExtensionsRoundTrip) {
  const std::vector<uint8_t> types = {0x82, 0xC0, 0x40, 0xC2, 0x80};
  ExpectRoundTrip(SupportedExtensionsParameter{types});
}

TEST(ParametersTest, AsconfRequestsRoundTrip) {
  ExpectRoundTrip(AddIpAddressParameter{0x01023474, kIpv4Tlv});
  ExpectRoundTrip(AddIpAddressParameter{1, kIpv6Tlv});
  ExpectRoundTrip(DeleteIpAddressParameter{0x01023476, kIpv4Tlv});
  ExpectRoundTrip(SetPrimaryAddressParameter{0x01023479, kIpv6Tlv});
}

TEST(ParametersTest, ErrorCauseIndicationRoundTrip) {
  const std::vector<uint8_t> causes = {0x00, 0xA1, 0x00, 0x14, 0xC0, 0x01, 0x00, 0x10, 0x01, 0x02,
                                       0x34, 0x74, 0x00, 0x05, 0x00, 0x08, 0xC0, 0x00, 0x02, 0x01};
  ExpectRoundTrip(ErrorCauseIndicationParameter{0x01023474, causes});
  ExpectRoundTrip(ErrorCauseIndicationParameter{5, {}});
  // A cause with an odd length as the last one (its padding missing).
  const std::vector<uint8_t> odd = {0x00, 0x0C, 0x00, 0x05, 'x'};
  ExpectRoundTrip(ErrorCauseIndicationParameter{6, odd});
}

TEST(ParametersTest, CorrelationOnlyParametersRoundTrip) {
  ExpectRoundTrip(SuccessIndicationParameter{0x01023474});
  ExpectRoundTrip(AdaptationLayerIndicationParameter{0x00000001});
}

TEST(ParametersTest, UnknownParameterRoundTrip) {
  ExpectRoundTrip(UnknownParameter{0x1234, kOpaque});
  ExpectRoundTrip(UnknownParameter{0xFFFF, {}});
}

// ---- RFC figures, parsed field by field ---------------------------------------------------

TEST(ParametersTest, ParsesIpv4AddressFigure) {
  // RFC 9260 §3.3.2.1.1.
  const std::vector<uint8_t> bytes = {0x00, 0x05, 0x00, 0x08, 0xC0, 0x00, 0x02, 0x01};
  Parsed<Ipv4AddressParameter> p = Ipv4AddressParameter::Parse(ReadOne(bytes));
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_THAT(p->address, ElementsAre(192, 0, 2, 1));
}

TEST(ParametersTest, ParsesIpv6AddressFigure) {
  Parsed<Ipv6AddressParameter> p = Ipv6AddressParameter::Parse(ReadOne(kIpv6Tlv));
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_THAT(p->address, ElementsAre(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
}

TEST(ParametersTest, ParsesStateCookieFigure) {
  // RFC 9260 §3.3.3.1.1: Length 9 (5 bytes of cookie), then 3 bytes of padding.
  const std::vector<uint8_t> bytes = {0x00, 0x07, 0x00, 0x09, 'h', 'e', 'l', 'l', 'o', 0, 0, 0};
  const TlvView tlv = ReadOne(bytes);
  EXPECT_EQ(tlv.length, 9);
  Parsed<StateCookieParameter> p = StateCookieParameter::Parse(tlv);
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_THAT(Vec(p->cookie), ElementsAre('h', 'e', 'l', 'l', 'o'));
  // The view points into the input, no copy.
  EXPECT_EQ(p->cookie.data(), bytes.data() + 4);
}

TEST(ParametersTest, ParsesSupportedAddressTypesWithOddCount) {
  // RFC 9260 §3.3.2.1.5: three types, Length = 4 + 3 * 2 = 10, two bytes of padding.
  const std::vector<uint8_t> bytes = {0x00, 0x0C, 0x00, 0x0A, 0x00, 0x05,
                                      0x00, 0x06, 0x00, 0x0B, 0x00, 0x00};
  Parsed<SupportedAddressTypesParameter> p = SupportedAddressTypesParameter::Parse(ReadOne(bytes));
  ASSERT_TRUE(p.ok()) << p.error();
  ASSERT_EQ(p->address_types.size(), 3u);
  EXPECT_EQ(p->address_types[0].value, 5);
  EXPECT_EQ(p->address_types[1].value, 6);
  EXPECT_EQ(p->address_types[2].value, 11);
  // A single type: Length 6.
  const std::vector<uint8_t> single = {0x00, 0x0C, 0x00, 0x06, 0x00, 0x05, 0x00, 0x00};
  Parsed<SupportedAddressTypesParameter> q = SupportedAddressTypesParameter::Parse(ReadOne(single));
  ASSERT_TRUE(q.ok()) << q.error();
  ASSERT_EQ(q->address_types.size(), 1u);
  EXPECT_EQ(q->address_types[0].value, 5);
}

TEST(ParametersTest, ParsesOutgoingSsnResetRequestWithThreeStreams) {
  // RFC 6525 §4.1: Length = 16 + 2 * 3 = 22, padded to 24.
  const std::vector<uint8_t> bytes = {0x00, 0x0D, 0x00, 0x16, 0x00, 0x00, 0x00, 0x64,
                                      0x00, 0x00, 0x00, 0x63, 0x11, 0x22, 0x33, 0x44,
                                      0x00, 0x01, 0x00, 0x05, 0xFF, 0xFE, 0x00, 0x00};
  Parsed<OutgoingSsnResetRequestParameter> p =
      OutgoingSsnResetRequestParameter::Parse(ReadOne(bytes));
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->request_seq, ReconfigSeq(100));
  EXPECT_EQ(p->response_seq, ReconfigSeq(99));
  EXPECT_EQ(p->sender_last_tsn, Tsn(0x11223344));
  ASSERT_EQ(p->streams.size(), 3u);
  EXPECT_EQ(p->streams[0].value, StreamId(1));
  EXPECT_EQ(p->streams[1].value, StreamId(5));
  EXPECT_EQ(p->streams[2].value, StreamId(0xFFFE));
  std::vector<StreamId> ids;
  for (StreamIdRecord r : p->streams)
    ids.push_back(r.value);
  EXPECT_THAT(ids, ElementsAre(StreamId(1), StreamId(5), StreamId(0xFFFE)));
}

TEST(ParametersTest, ParsesIncomingSsnResetRequest) {
  // RFC 6525 §4.2: Length = 8 + 2 * 1 = 10.
  const std::vector<uint8_t> bytes = {0x00, 0x0E, 0x00, 0x0A, 0x00, 0x00,
                                      0x00, 0x07, 0x00, 0x02, 0x00, 0x00};
  Parsed<IncomingSsnResetRequestParameter> p =
      IncomingSsnResetRequestParameter::Parse(ReadOne(bytes));
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->request_seq, ReconfigSeq(7));
  ASSERT_EQ(p->streams.size(), 1u);
  EXPECT_EQ(p->streams[0].value, StreamId(2));
}

TEST(ParametersTest, ParsesReconfigResponseWithoutTsns) {
  // RFC 6525 §4.4: Length 12.
  const std::vector<uint8_t> bytes = {0x00, 0x10, 0x00, 0x0C, 0x00, 0x00,
                                      0x01, 0x00, 0x00, 0x00, 0x00, 0x01};
  Parsed<ReconfigResponseParameter> p = ReconfigResponseParameter::Parse(ReadOne(bytes));
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->response_seq, ReconfigSeq(256));
  EXPECT_EQ(p->result, ReconfigResult::kSuccessPerformed);
  EXPECT_FALSE(p->sender_next_tsn.has_value());
  EXPECT_FALSE(p->receiver_next_tsn.has_value());
}

TEST(ParametersTest, ParsesReconfigResponseWithTsns) {
  // RFC 6525 §4.4: Length 20, result 6 (In progress).
  const std::vector<uint8_t> bytes = {0x00, 0x10, 0x00, 0x14, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00,
                                      0x00, 0x06, 0xAA, 0xBB, 0xCC, 0xDD, 0x00, 0x00, 0x00, 0x01};
  Parsed<ReconfigResponseParameter> p = ReconfigResponseParameter::Parse(ReadOne(bytes));
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->response_seq, ReconfigSeq(2));
  EXPECT_EQ(p->result, ReconfigResult::kInProgress);
  EXPECT_EQ(p->sender_next_tsn, Tsn(0xAABBCCDD));
  EXPECT_EQ(p->receiver_next_tsn, Tsn(1));
}

TEST(ParametersTest, ParsesAddStreamsIgnoringReserved) {
  // RFC 6525 §4.5: Reserved is ignored on receipt and written back as 0.
  const std::vector<uint8_t> bytes = {0x00, 0x11, 0x00, 0x0C, 0x00, 0x00,
                                      0x00, 0x09, 0x00, 0x04, 0xBE, 0xEF};
  Parsed<AddOutgoingStreamsParameter> p = AddOutgoingStreamsParameter::Parse(ReadOne(bytes));
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->request_seq, ReconfigSeq(9));
  EXPECT_EQ(p->number_of_new_streams, 4);
  EXPECT_THAT(Serialize(*p),
              ElementsAre(0x00, 0x11, 0x00, 0x0C, 0x00, 0x00, 0x00, 0x09, 0x00, 0x04, 0x00, 0x00));
  std::vector<uint8_t> incoming = bytes;
  incoming[1] = 0x12;
  Parsed<AddIncomingStreamsParameter> q = AddIncomingStreamsParameter::Parse(ReadOne(incoming));
  ASSERT_TRUE(q.ok()) << q.error();
  EXPECT_EQ(q->number_of_new_streams, 4);
}

TEST(ParametersTest, ParsesSupportedExtensionsFigure) {
  // RFC 5061 §4.2.7: RE-CONFIG (0x82), FORWARD-TSN (0xC0), ASCONF (0xC1), ASCONF-ACK
  // (0x80), AUTH (0x0F); Length 9, three bytes of padding.
  const std::vector<uint8_t> bytes = {0x80, 0x08, 0x00, 0x09, 0x82, 0xC0,
                                      0xC1, 0x80, 0x0F, 0x00, 0x00, 0x00};
  Parsed<SupportedExtensionsParameter> p = SupportedExtensionsParameter::Parse(ReadOne(bytes));
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_THAT(Vec(p->chunk_types), ElementsAre(0x82, 0xC0, 0xC1, 0x80, 0x0F));
}

TEST(ParametersTest, ParsesAuthParameterFigures) {
  // RFC 4895 §3.2 CHUNKS with 2 types, §3.3 HMAC-ALGO with 1 identifier.
  const std::vector<uint8_t> chunks = {0x80, 0x03, 0x00, 0x06, 0x00, 0x03, 0x00, 0x00};
  Parsed<ChunkListParameter> c = ChunkListParameter::Parse(ReadOne(chunks));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_THAT(Vec(c->chunk_types), ElementsAre(0x00, 0x03));
  const std::vector<uint8_t> hmac = {0x80, 0x04, 0x00, 0x06, 0x00, 0x01, 0x00, 0x00};
  Parsed<RequestedHmacAlgorithmParameter> h = RequestedHmacAlgorithmParameter::Parse(ReadOne(hmac));
  ASSERT_TRUE(h.ok()) << h.error();
  ASSERT_EQ(h->hmac_identifiers.size(), 1u);
  EXPECT_EQ(h->hmac_identifiers[0].value, 1);
  const std::vector<uint8_t> zero = {0x80, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01};
  Parsed<ZeroChecksumAcceptableParameter> z = ZeroChecksumAcceptableParameter::Parse(ReadOne(zero));
  ASSERT_TRUE(z.ok()) << z.error();
  EXPECT_EQ(z->error_detection_method, 1u);
}

TEST(ParametersTest, ParsesAddIpAddressFigureWithIpv4) {
  // RFC 5061 §4.2.1 example: add 192.0.2.1, C-ID 0x01023474.
  const std::vector<uint8_t> bytes = {0xC0, 0x01, 0x00, 0x10, 0x01, 0x02, 0x34, 0x74,
                                      0x00, 0x05, 0x00, 0x08, 0xC0, 0x00, 0x02, 0x01};
  Parsed<AddIpAddressParameter> p = AddIpAddressParameter::Parse(ReadOne(bytes));
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->correlation_id, 0x01023474u);
  EXPECT_THAT(Vec(p->address_parameter), ElementsAreArray(kIpv4Tlv));
}

TEST(ParametersTest, ParsesAddIpAddressWithIpv6) {
  std::vector<uint8_t> bytes = {0xC0, 0x01, 0x00, 0x1C, 0xCA, 0xFE, 0xBA, 0xBE};
  bytes.insert(bytes.end(), kIpv6Tlv.begin(), kIpv6Tlv.end());
  Parsed<AddIpAddressParameter> p = AddIpAddressParameter::Parse(ReadOne(bytes));
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->correlation_id, 0xCAFEBABEu);
  // The nested address, parsed with its absolute offset.
  TlvReader reader(p->address_parameter, kBase + 8);
  TlvView inner;
  ASSERT_TRUE(reader.Next(&inner));
  EXPECT_EQ(inner.offset, kBase + 8);
  Parsed<AddressParameter> address = ParseAddressParameter(inner);
  ASSERT_TRUE(address.ok()) << address.error();
  ASSERT_TRUE(std::holds_alternative<Ipv6AddressParameter>(*address));
  EXPECT_THAT(std::get<Ipv6AddressParameter>(*address).address,
              ElementsAre(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
}

TEST(ParametersTest, ParsesDeleteAndSetPrimaryFigures) {
  // RFC 5061 §4.2.2 and §4.2.4 examples.
  const std::vector<uint8_t> del = {0xC0, 0x02, 0x00, 0x10, 0x01, 0x02, 0x34, 0x76,
                                    0x00, 0x05, 0x00, 0x08, 0xC0, 0x00, 0x02, 0x01};
  Parsed<DeleteIpAddressParameter> d = DeleteIpAddressParameter::Parse(ReadOne(del));
  ASSERT_TRUE(d.ok()) << d.error();
  EXPECT_EQ(d->correlation_id, 0x01023476u);
  EXPECT_THAT(Vec(d->address_parameter), ElementsAreArray(kIpv4Tlv));
  std::vector<uint8_t> set = del;
  set[1] = 0x04;
  set[7] = 0x79;
  Parsed<SetPrimaryAddressParameter> s = SetPrimaryAddressParameter::Parse(ReadOne(set));
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s->correlation_id, 0x01023479u);
  EXPECT_THAT(Vec(s->address_parameter), ElementsAreArray(kIpv4Tlv));
}

TEST(ParametersTest, ParsesErrorCauseIndicationFigure) {
  // RFC 5061 §4.3.1 example: a failed delete reported in an ASCONF-ACK.
  const std::vector<uint8_t> bytes = {0xC0, 0x03, 0x00, 0x1C, 0x01, 0x02, 0x34, 0x76, 0x00, 0xA0,
                                      0x00, 0x14, 0xC0, 0x02, 0x00, 0x10, 0x01, 0x02, 0x34, 0x76,
                                      0x00, 0x05, 0x00, 0x08, 0xC0, 0x00, 0x02, 0x01};
  Parsed<ErrorCauseIndicationParameter> p = ErrorCauseIndicationParameter::Parse(ReadOne(bytes));
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->correlation_id, 0x01023476u);
  TlvReader causes(p->error_causes, kBase + 8);
  TlvView cause;
  ASSERT_TRUE(causes.Next(&cause));
  EXPECT_EQ(cause.type, 0x00A0);
  EXPECT_EQ(cause.length, 20);
  EXPECT_EQ(cause.offset, kBase + 8);
  EXPECT_FALSE(causes.Next(&cause));
  EXPECT_FALSE(causes.failed());
}

TEST(ParametersTest, ParsesSuccessAndAdaptationFigures) {
  const std::vector<uint8_t> ok = {0xC0, 0x05, 0x00, 0x08, 0x01, 0x02, 0x34, 0x74};
  Parsed<SuccessIndicationParameter> s = SuccessIndicationParameter::Parse(ReadOne(ok));
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s->correlation_id, 0x01023474u);
  const std::vector<uint8_t> ali = {0xC0, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x02};
  Parsed<AdaptationLayerIndicationParameter> a =
      AdaptationLayerIndicationParameter::Parse(ReadOne(ali));
  ASSERT_TRUE(a.ok()) << a.error();
  EXPECT_EQ(a->adaptation_code_point, 2u);
}

TEST(ParametersTest, ParsesEmptyParameterFigures) {
  const std::vector<uint8_t> ecn = {0x80, 0x00, 0x00, 0x04};
  EXPECT_TRUE(EcnCapableParameter::Parse(ReadOne(ecn)).ok());
  const std::vector<uint8_t> fwd = {0xC0, 0x00, 0x00, 0x04};
  EXPECT_TRUE(ForwardTsnSupportedParameter::Parse(ReadOne(fwd)).ok());
  const std::vector<uint8_t> cookie_life = {0x00, 0x09, 0x00, 0x08, 0x00, 0x00, 0x27, 0x10};
  Parsed<CookiePreservativeParameter> c = CookiePreservativeParameter::Parse(ReadOne(cookie_life));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->suggested_cookie_life_span_increment_ms, 10000u);
}

// ---- malformed input: code and absolute offset ---------------------------------------------

TEST(ParametersTest, WrongTypeIsRejected) {
  // Typed parsers refuse other types, at the TLV's first byte (every type is also checked
  // by ExpectRoundTrip); here inside a longer buffer.
  const std::vector<uint8_t> bytes = {0xC0, 0x00, 0x00, 0x04, 0x00, 0x05, 0x00, 0x08, 1, 2, 3, 4};
  TlvReader reader(bytes, kBase);
  TlvView tlv;
  ASSERT_TRUE(reader.Next(&tlv));
  ASSERT_TRUE(reader.Next(&tlv));
  const ParseError expected{ParseErrorCode::kWrongType, kBase + 4};
  EXPECT_EQ(StateCookieParameter::Parse(tlv).error(), expected);
  EXPECT_EQ(Ipv6AddressParameter::Parse(tlv).error(), expected);
  EXPECT_EQ(AddIpAddressParameter::Parse(tlv).error(), expected);
  EXPECT_EQ(ReconfigResponseParameter::Parse(tlv).error(), expected);
  EXPECT_TRUE(Ipv4AddressParameter::Parse(tlv).ok());
}

TEST(ParametersTest, FixedSizeWithWrongLength) {
  constexpr auto kWrong = ParseErrorCode::kWrongLength;
  ExpectParseError<Ipv4AddressParameter>({0x00, 0x05, 0x00, 0x0C, 1, 2, 3, 4, 5, 6, 7, 8}, kWrong,
                                         2);
  ExpectParseError<Ipv4AddressParameter>({0x00, 0x05, 0x00, 0x07, 1, 2, 3, 0}, kWrong, 2);
  ExpectParseError<Ipv6AddressParameter>({0x00, 0x06, 0x00, 0x08, 1, 2, 3, 4}, kWrong, 2);
  ExpectParseError<CookiePreservativeParameter>({0x00, 0x09, 0x00, 0x04}, kWrong, 2);
  ExpectParseError<SsnTsnResetRequestParameter>({0x00, 0x0F, 0x00, 0x0C, 0, 0, 0, 1, 0, 0, 0, 0},
                                                kWrong, 2);
  ExpectParseError<AddOutgoingStreamsParameter>({0x00, 0x11, 0x00, 0x08, 0, 0, 0, 1}, kWrong, 2);
  ExpectParseError<AddIncomingStreamsParameter>(
      {0x00, 0x12, 0x00, 0x10, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 0}, kWrong, 2);
  ExpectParseError<EcnCapableParameter>({0x80, 0x00, 0x00, 0x08, 0, 0, 0, 0}, kWrong, 2);
  ExpectParseError<ZeroChecksumAcceptableParameter>({0x80, 0x01, 0x00, 0x04}, kWrong, 2);
  ExpectParseError<ForwardTsnSupportedParameter>({0xC0, 0x00, 0x00, 0x05, 0, 0, 0, 0}, kWrong, 2);
  ExpectParseError<SuccessIndicationParameter>({0xC0, 0x05, 0x00, 0x0C, 0, 0, 0, 1, 0, 0, 0, 0},
                                               kWrong, 2);
  ExpectParseError<AdaptationLayerIndicationParameter>({0xC0, 0x06, 0x00, 0x06, 0, 1, 0, 0}, kWrong,
                                                       2);
}

TEST(ParametersTest, ReconfigResponseLengthMustBe12Or20) {
  constexpr auto kWrong = ParseErrorCode::kWrongLength;
  ExpectParseError<ReconfigResponseParameter>({0x00, 0x10, 0x00, 0x08, 0, 0, 0, 1}, kWrong, 2);
  ExpectParseError<ReconfigResponseParameter>(
      {0x00, 0x10, 0x00, 0x10, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5}, kWrong, 2);
  ExpectParseError<ReconfigResponseParameter>(
      {0x00, 0x10, 0x00, 0x18, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0, 7}, kWrong,
      2);
}

TEST(ParametersTest, TruncatedVariableParameters) {
  constexpr auto kShort = ParseErrorCode::kLengthTooSmall;
  // RFC 6525 §4.1 needs at least 16 bytes, §4.2 at least 8.
  ExpectParseError<OutgoingSsnResetRequestParameter>(
      {0x00, 0x0D, 0x00, 0x0C, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3}, kShort, 2);
  ExpectParseError<IncomingSsnResetRequestParameter>({0x00, 0x0E, 0x00, 0x04}, kShort, 2);
  ExpectParseError<IncomingSsnResetRequestParameter>({0x00, 0x0E, 0x00, 0x06, 0, 1, 0, 0}, kShort,
                                                     2);
  // ASCONF parameters need the correlation ID.
  ExpectParseError<AddIpAddressParameter>({0xC0, 0x01, 0x00, 0x06, 0, 1, 0, 0}, kShort, 2);
  ExpectParseError<DeleteIpAddressParameter>({0xC0, 0x02, 0x00, 0x04}, kShort, 2);
  ExpectParseError<ErrorCauseIndicationParameter>({0xC0, 0x03, 0x00, 0x07, 0, 0, 1, 0}, kShort, 2);
  // ... and the address after it.
  ExpectParseError<SetPrimaryAddressParameter>({0xC0, 0x04, 0x00, 0x08, 0, 0, 0, 1}, kShort, 2);
  // The Unrecognized Parameter must hold a parameter.
  ExpectParseError<UnrecognizedParameterParameter>({0x00, 0x08, 0x00, 0x04}, kShort, 2);
}

TEST(ParametersTest, RecordListsNotAMultipleOfTheRecordSize) {
  constexpr auto kWrong = ParseErrorCode::kWrongLength;
  ExpectParseError<SupportedAddressTypesParameter>({0x00, 0x0C, 0x00, 0x07, 0, 5, 0, 0}, kWrong, 2);
  ExpectParseError<RequestedHmacAlgorithmParameter>({0x80, 0x04, 0x00, 0x05, 1, 0, 0, 0}, kWrong,
                                                    2);
  ExpectParseError<OutgoingSsnResetRequestParameter>(
      {0x00, 0x0D, 0x00, 0x11, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 9, 0, 0, 0}, kWrong, 2);
  ExpectParseError<IncomingSsnResetRequestParameter>(
      {0x00, 0x0E, 0x00, 0x0B, 0, 0, 0, 1, 0, 2, 3, 0}, kWrong, 2);
}

TEST(ParametersTest, NestedAddressProblems) {
  // Inner Length 20 with only 8 bytes there: overrun, at the inner Length field.
  ExpectParseError<AddIpAddressParameter>(
      {0xC0, 0x01, 0x00, 0x10, 0, 0, 0, 1, 0x00, 0x06, 0x00, 0x14, 1, 2, 3, 4},
      ParseErrorCode::kLengthOverrun, 10);
  // Inner Length below 4.
  ExpectParseError<DeleteIpAddressParameter>(
      {0xC0, 0x02, 0x00, 0x10, 0, 0, 0, 1, 0x00, 0x05, 0x00, 0x02, 1, 2, 3, 4},
      ParseErrorCode::kLengthTooSmall, 10);
  // Not an IPv4/IPv6 address parameter: the nested type is a bad value.
  ExpectParseError<SetPrimaryAddressParameter>(
      {0xC0, 0x04, 0x00, 0x10, 0, 0, 0, 1, 0x00, 0x07, 0x00, 0x08, 1, 2, 3, 4},
      ParseErrorCode::kBadValue, 8);
  // An IPv4 address parameter of the wrong size.
  ExpectParseError<AddIpAddressParameter>(
      {0xC0, 0x01, 0x00, 0x14, 0, 0, 0, 1, 0x00, 0x05, 0x00, 0x0C, 1, 2, 3, 4, 5, 6, 7, 8},
      ParseErrorCode::kWrongLength, 10);
  // More than one address parameter: the outer Length is wrong.
  std::vector<uint8_t> two = {0xC0, 0x01, 0x00, 0x18, 0, 0, 0, 1};
  two.insert(two.end(), kIpv4Tlv.begin(), kIpv4Tlv.end());
  two.insert(two.end(), kIpv4Tlv.begin(), kIpv4Tlv.end());
  ExpectParseError<AddIpAddressParameter>(two, ParseErrorCode::kWrongLength, 2);
  // Stray bytes after the address parameter.
  std::vector<uint8_t> stray = {0xC0, 0x01, 0x00, 0x12, 0, 0, 0, 1};
  stray.insert(stray.end(), kIpv4Tlv.begin(), kIpv4Tlv.end());
  stray.insert(stray.end(), {0xAA, 0xBB, 0, 0});
  ExpectParseError<AddIpAddressParameter>(stray, ParseErrorCode::kWrongLength, 2);
}

TEST(ParametersTest, NestedUnrecognizedParameterProblems) {
  ExpectParseError<UnrecognizedParameterParameter>(
      {0x00, 0x08, 0x00, 0x0C, 0x80, 0x77, 0x00, 0x10, 1, 2, 3, 4}, ParseErrorCode::kLengthOverrun,
      6);
  ExpectParseError<UnrecognizedParameterParameter>(
      {0x00, 0x08, 0x00, 0x0C, 0x80, 0x77, 0x00, 0x04, 0x80, 0x78, 0x00, 0x04},
      ParseErrorCode::kWrongLength, 2);
  // Too short to hold a parameter header.
  ExpectParseError<UnrecognizedParameterParameter>({0x00, 0x08, 0x00, 0x06, 0x80, 0x77, 0, 0},
                                                   ParseErrorCode::kLengthTooSmall, 2);
}

TEST(ParametersTest, ErrorCauseIndicationWithBadCauses) {
  // Second cause overruns the parameter.
  ExpectParseError<ErrorCauseIndicationParameter>(
      {0xC0, 0x03, 0x00, 0x14, 0,    0,    0, 1, 0x00, 0x04,
       0x00, 0x04, 0x00, 0x03, 0x00, 0x0C, 0, 0, 0,    0},
      ParseErrorCode::kLengthOverrun, 14);
  // A cause Length below 4.
  ExpectParseError<ErrorCauseIndicationParameter>(
      {0xC0, 0x03, 0x00, 0x0C, 0, 0, 0, 1, 0x00, 0x01, 0x00, 0x03}, ParseErrorCode::kLengthTooSmall,
      10);
  // Two stray bytes after a cause.
  ExpectParseError<ErrorCauseIndicationParameter>(
      {0xC0, 0x03, 0x00, 0x0E, 0, 0, 0, 1, 0x00, 0x04, 0x00, 0x04, 0xAB, 0xCD, 0, 0},
      ParseErrorCode::kTrailingBytes, 12);
}

TEST(ParametersTest, ParseAddressParameterRejectsOtherTypes) {
  const std::vector<uint8_t> cookie = {0x00, 0x07, 0x00, 0x08, 1, 2, 3, 4};
  Parsed<AddressParameter> a = ParseAddressParameter(ReadOne(cookie));
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error(), (ParseError{ParseErrorCode::kWrongType, kBase}));
  Parsed<AddressParameter> b = ParseAddressParameter(ReadOne(kIpv4Tlv));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(std::get<Ipv4AddressParameter>(*b).address, (std::array<uint8_t, 4>{192, 0, 2, 1}));
}

TEST(ParametersTest, TooLongForTheLengthFieldFailsTheWriter) {
  const std::vector<uint8_t> huge(70000, 1);
  StateCookieParameter p{huge};
  std::vector<uint8_t> buffer(PaddedLength(p.WireLength()));
  ByteWriter w(buffer);
  p.WriteTo(w);
  EXPECT_FALSE(w.ok());
}

TEST(ParametersTest, WritesRelativePaddingAfterAnUnalignedStart) {
  // Padding is counted from the parameter's own start.
  std::vector<uint8_t> buffer(1 + 8, 0xEE);
  ByteWriter w(buffer);
  w.U8(0x11);
  const std::vector<uint8_t> one = {0x42};
  StateCookieParameter{one}.WriteTo(w);
  ASSERT_TRUE(w.ok());
  EXPECT_THAT(buffer, ElementsAre(0x11, 0x00, 0x07, 0x00, 0x05, 0x42, 0, 0, 0));
}

// ---- dispatch and names -------------------------------------------------------------------

TEST(ParametersTest, DispatchUnknownType) {
  const std::vector<uint8_t> bytes = {0x12, 0x34, 0x00, 0x06, 0xAB, 0xCD, 0, 0};
  Parsed<AnyParameter> p = ParseParameter(ReadOne(bytes));
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(std::holds_alternative<UnknownParameter>(*p));
  EXPECT_EQ(std::get<UnknownParameter>(*p).type, 0x1234);
  EXPECT_THAT(Vec(std::get<UnknownParameter>(*p).value), ElementsAre(0xAB, 0xCD));
  EXPECT_EQ(ParameterTypeName(0x1234), "UNKNOWN");
}

TEST(ParametersTest, DispatchPicksEveryKnownType) {
  const std::array<U16Record, 1> one = {{{5}}};
  const std::vector<AnyParameter> all = {
      HeartbeatInfoParameter{kOpaque},
      Ipv4AddressParameter{{1, 2, 3, 4}},
      Ipv6AddressParameter{},
      StateCookieParameter{kOpaque},
      UnrecognizedParameterParameter{kIpv4Tlv},
      CookiePreservativeParameter{1},
      HostNameAddressParameter{kOpaque},
      SupportedAddressTypesParameter{PackedArray<U16Record>::FromHost(one)},
      OutgoingSsnResetRequestParameter{},
      IncomingSsnResetRequestParameter{},
      SsnTsnResetRequestParameter{},
      ReconfigResponseParameter{},
      AddOutgoingStreamsParameter{},
      AddIncomingStreamsParameter{},
      EcnCapableParameter{},
      ZeroChecksumAcceptableParameter{},
      RandomParameter{kOpaque},
      ChunkListParameter{kOpaque},
      RequestedHmacAlgorithmParameter{PackedArray<U16Record>::FromHost(one)},
      PaddingParameter{kOpaque},
      SupportedExtensionsParameter{kOpaque},
      ForwardTsnSupportedParameter{},
      AddIpAddressParameter{1, kIpv4Tlv},
      DeleteIpAddressParameter{2, kIpv6Tlv},
      ErrorCauseIndicationParameter{3, {}},
      SetPrimaryAddressParameter{4, kIpv4Tlv},
      SuccessIndicationParameter{5},
      AdaptationLayerIndicationParameter{6},
      UnknownParameter{0x1234, kOpaque},
  };
  // Every alternative appears once, in variant order.
  ASSERT_EQ(all.size(), std::variant_size_v<AnyParameter>);
  std::set<std::string> names;
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].index(), i);
    std::vector<uint8_t> bytes(PaddedLength(WireLength(all[i])));
    ByteWriter w(bytes);
    WriteParameter(w, all[i]);
    ASSERT_TRUE(w.ok());
    const TlvView tlv = ReadOne(bytes);
    Parsed<AnyParameter> parsed = ParseParameter(tlv);
    ASSERT_TRUE(parsed.ok()) << i << ": " << parsed.error();
    EXPECT_EQ(parsed->index(), i);
    EXPECT_EQ(*parsed, all[i]);
    if (i + 1 < all.size()) {
      const std::string_view name = ParameterTypeName(tlv.type);
      EXPECT_NE(name, "UNKNOWN") << tlv.type;
      names.insert(std::string(name));
    }
  }
  EXPECT_EQ(names.size(), all.size() - 1);  // distinct names
}

}  // namespace
}  // namespace sctp::wire
