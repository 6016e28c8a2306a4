#include "wire/error_causes.h"

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

// Every parse runs on a buffer placed at this offset, so error offsets are checked to be
// absolute.
constexpr uint32_t kBase = 2000;

std::vector<uint8_t> Vec(Bytes b) {
  return std::vector<uint8_t>(b.begin(), b.end());
}

template <typename T>
uint16_t CodeOf(const T& c) {
  if constexpr (requires { T::kType; }) {
    return T::kType;
  } else {
    return c.code;
  }
}

template <typename T>
std::vector<uint8_t> Serialize(const T& c) {
  std::vector<uint8_t> buffer(PaddedLength(c.WireLength()), 0xEE);
  ByteWriter w(buffer);
  c.WriteTo(w);
  EXPECT_TRUE(w.ok());
  EXPECT_EQ(w.size(), buffer.size());
  return buffer;
}

TlvView ReadOne(const std::vector<uint8_t>& bytes) {
  TlvReader reader(bytes, kBase);
  TlvView tlv;
  EXPECT_TRUE(reader.Next(&tlv));
  TlvView extra;
  EXPECT_FALSE(reader.Next(&extra));
  EXPECT_FALSE(reader.failed());
  return tlv;
}

// build -> serialize -> TlvReader -> Parse -> equal, the framing of the bytes, the
// AnyErrorCause entry points, a too-small buffer and a wrong code.
template <typename T>
void ExpectRoundTrip(const T& c) {
  SCOPED_TRACE(std::string(ErrorCauseName(CodeOf(c))));
  const std::vector<uint8_t> bytes = Serialize(c);
  ASSERT_EQ(bytes.size(), PaddedLength(c.WireLength()));
  EXPECT_EQ(Load16(bytes.data()), CodeOf(c));
  EXPECT_EQ(Load16(bytes.data() + 2), c.WireLength());
  for (size_t i = c.WireLength(); i < bytes.size(); ++i)
    EXPECT_EQ(bytes[i], 0) << i;

  const TlvView tlv = ReadOne(bytes);
  EXPECT_EQ(tlv.offset, kBase);
  Parsed<T> parsed = T::Parse(tlv);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(*parsed, c);

  Parsed<AnyErrorCause> any = ParseErrorCause(tlv);
  ASSERT_TRUE(any.ok()) << any.error();
  ASSERT_TRUE(std::holds_alternative<T>(*any));
  EXPECT_EQ(std::get<T>(*any), c);
  EXPECT_EQ(WireLength(*any), c.WireLength());
  std::vector<uint8_t> again(bytes.size());
  ByteWriter w(again);
  WriteErrorCause(w, *any);
  EXPECT_TRUE(w.ok());
  EXPECT_EQ(again, bytes);

  std::vector<uint8_t> small(bytes.size() - 1);
  ByteWriter small_writer(small);
  c.WriteTo(small_writer);
  EXPECT_FALSE(small_writer.ok());

  if constexpr (requires { T::kType; }) {
    std::vector<uint8_t> other = bytes;
    Store16(other.data(), 0x7FFF);
    Parsed<T> wrong = T::Parse(ReadOne(other));
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(wrong.error(), (ParseError{ParseErrorCode::kWrongType, kBase}));
  }
}

// Prefixes `bytes` with an 4-byte Out of Resource cause, reads the second TLV (at
// kBase + 4) and expects T::Parse and ParseErrorCause to fail with `code` at kBase + 4 + at.
template <typename T>
void ExpectParseError(std::vector<uint8_t> bytes, ParseErrorCode code, uint32_t at) {
  std::vector<uint8_t> buffer = {0x00, 0x04, 0x00, 0x04};
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
  Parsed<AnyErrorCause> any = ParseErrorCause(tlv);
  ASSERT_FALSE(any.ok());
  EXPECT_EQ(any.error(), expected);
}

const std::vector<uint8_t> kIpv4Tlv = {0x00, 0x05, 0x00, 0x08, 192, 0, 2, 1};
// RFC 5061 §4.3.1: the Delete IP Address request copied into the cause.
const std::vector<uint8_t> kDeleteIpTlv = {0xC0, 0x02, 0x00, 0x10, 0x01, 0x02, 0x34, 0x76,
                                           0x00, 0x05, 0x00, 0x08, 0xC0, 0x00, 0x02, 0x01};
// An unknown chunk (type 0x4F, flags 0x01, Length 6) with its padding.
const std::vector<uint8_t> kChunk = {0x4F, 0x01, 0x00, 0x06, 0xAB, 0xCD, 0x00, 0x00};

// ---- round trips, one per type ------------------------------------------------------------

TEST(ErrorCausesTest, InvalidStreamIdentifierRoundTrip) {
  ExpectRoundTrip(InvalidStreamIdentifierCause{StreamId(0)});
  ExpectRoundTrip(InvalidStreamIdentifierCause{StreamId(65535)});
}

TEST(ErrorCausesTest, MissingMandatoryParameterRoundTrip) {
  ExpectRoundTrip(MissingMandatoryParameterCause{});
  const std::array<U16Record, 1> one = {{{7}}};
  ExpectRoundTrip(MissingMandatoryParameterCause{PackedArray<U16Record>::FromHost(one)});
  const std::array<U16Record, 2> two = {{{7}, {0x8002}}};
  ExpectRoundTrip(MissingMandatoryParameterCause{PackedArray<U16Record>::FromHost(two)});
}

TEST(ErrorCausesTest, FixedCausesRoundTrip) {
  ExpectRoundTrip(StaleCookieErrorCause{123456});
  ExpectRoundTrip(OutOfResourceCause{});
  ExpectRoundTrip(InvalidMandatoryParameterCause{});
  ExpectRoundTrip(NoUserDataCause{Tsn(0xFFFFFFFF)});
  ExpectRoundTrip(CookieReceivedWhileShuttingDownCause{});
  ExpectRoundTrip(IllegalAsconfAckCause{});
  ExpectRoundTrip(UnsupportedHmacIdentifierCause{2});
}

TEST(ErrorCausesTest, NestedTlvCausesRoundTrip) {
  ExpectRoundTrip(UnresolvableAddressCause{kIpv4Tlv});
  const std::vector<uint8_t> host = {0x00, 0x0B, 0x00, 0x06, 'a', 0};
  ExpectRoundTrip(UnresolvableAddressCause{host});
  ExpectRoundTrip(UnrecognizedChunkTypeCause{kChunk});
  ExpectRoundTrip(UnrecognizedParametersCause{kIpv4Tlv});
  std::vector<uint8_t> several = kIpv4Tlv;
  several.insert(several.end(), {0x80, 0x77, 0x00, 0x05, 0x01, 0, 0, 0});
  several.insert(several.end(), kIpv4Tlv.begin(), kIpv4Tlv.end());
  ExpectRoundTrip(UnrecognizedParametersCause{several});
  ExpectRoundTrip(UnrecognizedParametersCause{});
  ExpectRoundTrip(RestartWithNewAddressesCause{several});
  ExpectRoundTrip(RestartWithNewAddressesCause{});
}

TEST(ErrorCausesTest, OpaqueCausesRoundTrip) {
  const std::string reason = "bye";
  const std::vector<uint8_t> bytes(reason.begin(), reason.end());
  ExpectRoundTrip(UserInitiatedAbortCause{bytes});
  ExpectRoundTrip(UserInitiatedAbortCause{});
  ExpectRoundTrip(ProtocolViolationCause{bytes});
  ExpectRoundTrip(ProtocolViolationCause{});
}

TEST(ErrorCausesTest, AsconfCausesRoundTrip) {
  ExpectRoundTrip(DeleteLastRemainingAddressCause{kDeleteIpTlv});
  ExpectRoundTrip(OperationRefusedResourceShortageCause{kDeleteIpTlv});
  ExpectRoundTrip(DeleteSourceAddressCause{kDeleteIpTlv});
  ExpectRoundTrip(RequestRefusedNoAuthorizationCause{kDeleteIpTlv});
}

TEST(ErrorCausesTest, UnknownCauseRoundTrip) {
  const std::vector<uint8_t> info = {1, 2, 3};
  ExpectRoundTrip(UnknownErrorCause{0x1234, info});
  ExpectRoundTrip(UnknownErrorCause{0x00FF, {}});
}

// ---- RFC figures, parsed field by field ---------------------------------------------------

TEST(ErrorCausesTest, ParsesInvalidStreamIdentifierIgnoringReserved) {
  const std::vector<uint8_t> bytes = {0x00, 0x01, 0x00, 0x08, 0x00, 0x2A, 0xFF, 0xFF};
  Parsed<InvalidStreamIdentifierCause> c = InvalidStreamIdentifierCause::Parse(ReadOne(bytes));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->stream_id, StreamId(42));
  EXPECT_THAT(Serialize(*c), ElementsAre(0x00, 0x01, 0x00, 0x08, 0x00, 0x2A, 0x00, 0x00));
}

TEST(ErrorCausesTest, ParsesMissingMandatoryParameterFigure) {
  // RFC 9260 §3.3.10.2, N = 1 (State Cookie): Cause Length = 8 + 2 = 10, 2 bytes padding.
  const std::vector<uint8_t> one = {0x00, 0x02, 0x00, 0x0A, 0x00, 0x00,
                                    0x00, 0x01, 0x00, 0x07, 0x00, 0x00};
  Parsed<MissingMandatoryParameterCause> c = MissingMandatoryParameterCause::Parse(ReadOne(one));
  ASSERT_TRUE(c.ok()) << c.error();
  ASSERT_EQ(c->missing_param_types.size(), 1u);
  EXPECT_EQ(c->missing_param_types[0].value, ParameterType::kStateCookie);
  // N = 2: Cause Length 12, no padding.
  const std::vector<uint8_t> two = {0x00, 0x02, 0x00, 0x0C, 0x00, 0x00,
                                    0x00, 0x02, 0x00, 0x07, 0x80, 0x02};
  Parsed<MissingMandatoryParameterCause> d = MissingMandatoryParameterCause::Parse(ReadOne(two));
  ASSERT_TRUE(d.ok()) << d.error();
  ASSERT_EQ(d->missing_param_types.size(), 2u);
  EXPECT_EQ(d->missing_param_types[0].value, 7);
  EXPECT_EQ(d->missing_param_types[1].value, 0x8002);
  // Written with the count.
  EXPECT_THAT(Serialize(*d), ElementsAreArray(two));
}

TEST(ErrorCausesTest, ParsesStaleCookieFigure) {
  // RFC 9260 §3.3.10.3: staleness 1000 us.
  const std::vector<uint8_t> bytes = {0x00, 0x03, 0x00, 0x08, 0x00, 0x00, 0x03, 0xE8};
  Parsed<StaleCookieErrorCause> c = StaleCookieErrorCause::Parse(ReadOne(bytes));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->measure_of_staleness_us, 1000u);
}

TEST(ErrorCausesTest, ParsesUnsupportedHmacIdentifierFigure) {
  // RFC 4895 §4.1: Cause Length 6, then 2 bytes of padding.
  const std::vector<uint8_t> bytes = {0x01, 0x05, 0x00, 0x06, 0x00, 0x02, 0x00, 0x00};
  Parsed<UnsupportedHmacIdentifierCause> c = UnsupportedHmacIdentifierCause::Parse(ReadOne(bytes));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->hmac_id, 2);
  EXPECT_THAT(Serialize(*c), ElementsAreArray(bytes));
  // Cause Length 8 (the padding counted, as BSD-derived stacks send it) is accepted.
  std::vector<uint8_t> eight = bytes;
  eight[3] = 0x08;
  Parsed<UnsupportedHmacIdentifierCause> d = UnsupportedHmacIdentifierCause::Parse(ReadOne(eight));
  ASSERT_TRUE(d.ok()) << d.error();
  EXPECT_EQ(d->hmac_id, 2);
}

TEST(ErrorCausesTest, ParsesNoUserDataFigure) {
  const std::vector<uint8_t> bytes = {0x00, 0x09, 0x00, 0x08, 0x12, 0x34, 0x56, 0x78};
  Parsed<NoUserDataCause> c = NoUserDataCause::Parse(ReadOne(bytes));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->tsn, Tsn(0x12345678));
}

TEST(ErrorCausesTest, ParsesUnrecognizedChunkTypeFigure) {
  std::vector<uint8_t> bytes = {0x00, 0x06, 0x00, 0x0C};
  bytes.insert(bytes.end(), kChunk.begin(), kChunk.end());
  Parsed<UnrecognizedChunkTypeCause> c = UnrecognizedChunkTypeCause::Parse(ReadOne(bytes));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_THAT(Vec(c->unrecognized_chunk), ElementsAreArray(kChunk));
  EXPECT_EQ(c->unrecognized_chunk[0], 0x4F);  // the chunk type
}

TEST(ErrorCausesTest, ParsesUserInitiatedAbortFigure) {
  const std::vector<uint8_t> bytes = {0x00, 0x0C, 0x00, 0x07, 'b', 'y', 'e', 0x00};
  Parsed<UserInitiatedAbortCause> c = UserInitiatedAbortCause::Parse(ReadOne(bytes));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_THAT(Vec(c->upper_layer_abort_reason), ElementsAre('b', 'y', 'e'));
}

TEST(ErrorCausesTest, ParsesDeleteLastRemainingAddressFigure) {
  // RFC 5061 §4.3.1: Cause=0x00A0, Length = 20, the Delete IP Address TLV inside.
  std::vector<uint8_t> bytes = {0x00, 0xA0, 0x00, 0x14};
  bytes.insert(bytes.end(), kDeleteIpTlv.begin(), kDeleteIpTlv.end());
  const TlvView tlv = ReadOne(bytes);
  Parsed<DeleteLastRemainingAddressCause> c = DeleteLastRemainingAddressCause::Parse(tlv);
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_THAT(Vec(c->tlv_copied_from_asconf), ElementsAreArray(kDeleteIpTlv));
  // The copied request parses as what it is.
  TlvReader reader(c->tlv_copied_from_asconf, kBase + 4);
  TlvView inner;
  ASSERT_TRUE(reader.Next(&inner));
  Parsed<AnyParameter> request = ParseParameter(inner);
  ASSERT_TRUE(request.ok()) << request.error();
  ASSERT_TRUE(std::holds_alternative<DeleteIpAddressParameter>(*request));
  EXPECT_EQ(std::get<DeleteIpAddressParameter>(*request).correlation_id, 0x01023476u);
}

TEST(ErrorCausesTest, ParsesCausesInsideErrorCauseIndication) {
  // RFC 5061 §4.3.2 example: Error Cause Indication wrapping Operation Refused.
  const std::vector<uint8_t> bytes = {0xC0, 0x03, 0x00, 0x1C, 0x01, 0x02, 0x34, 0x74, 0x00, 0xA1,
                                      0x00, 0x14, 0xC0, 0x01, 0x00, 0x10, 0x01, 0x02, 0x34, 0x74,
                                      0x00, 0x05, 0x00, 0x08, 0xC0, 0x00, 0x02, 0x01};
  Parsed<ErrorCauseIndicationParameter> p = ErrorCauseIndicationParameter::Parse(ReadOne(bytes));
  ASSERT_TRUE(p.ok()) << p.error();
  TlvReader causes(p->error_causes, kBase + 8);
  TlvView tlv;
  ASSERT_TRUE(causes.Next(&tlv));
  Parsed<AnyErrorCause> cause = ParseErrorCause(tlv);
  ASSERT_TRUE(cause.ok()) << cause.error();
  ASSERT_TRUE(std::holds_alternative<OperationRefusedResourceShortageCause>(*cause));
  const auto& refused = std::get<OperationRefusedResourceShortageCause>(*cause);
  EXPECT_EQ(refused.tlv_copied_from_asconf.size(), 16u);
  EXPECT_EQ(Load16(refused.tlv_copied_from_asconf.data()), ParameterType::kAddIpAddress);
}

// ---- malformed input: code and absolute offset ---------------------------------------------

TEST(ErrorCausesTest, WrongCodeIsRejected) {
  const std::vector<uint8_t> bytes = {0x00, 0x04, 0x00, 0x04, 0x00, 0x09, 0x00, 0x08, 0, 0, 0, 1};
  TlvReader reader(bytes, kBase);
  TlvView tlv;
  ASSERT_TRUE(reader.Next(&tlv));
  ASSERT_TRUE(reader.Next(&tlv));
  const ParseError expected{ParseErrorCode::kWrongType, kBase + 4};
  EXPECT_EQ(StaleCookieErrorCause::Parse(tlv).error(), expected);
  EXPECT_EQ(MissingMandatoryParameterCause::Parse(tlv).error(), expected);
  EXPECT_EQ(UnresolvableAddressCause::Parse(tlv).error(), expected);
  EXPECT_TRUE(NoUserDataCause::Parse(tlv).ok());
}

TEST(ErrorCausesTest, FixedSizeWithWrongLength) {
  constexpr auto kWrong = ParseErrorCode::kWrongLength;
  ExpectParseError<InvalidStreamIdentifierCause>({0x00, 0x01, 0x00, 0x06, 0, 1, 0, 0}, kWrong, 2);
  ExpectParseError<StaleCookieErrorCause>({0x00, 0x03, 0x00, 0x0C, 0, 0, 0, 1, 0, 0, 0, 0}, kWrong,
                                          2);
  ExpectParseError<OutOfResourceCause>({0x00, 0x04, 0x00, 0x08, 0, 0, 0, 0}, kWrong, 2);
  ExpectParseError<InvalidMandatoryParameterCause>({0x00, 0x07, 0x00, 0x05, 0, 0, 0, 0}, kWrong, 2);
  ExpectParseError<NoUserDataCause>({0x00, 0x09, 0x00, 0x04}, kWrong, 2);
  ExpectParseError<CookieReceivedWhileShuttingDownCause>({0x00, 0x0A, 0x00, 0x08, 0, 0, 0, 0},
                                                         kWrong, 2);
  ExpectParseError<IllegalAsconfAckCause>({0x00, 0xA3, 0x00, 0x08, 0, 0, 0, 0}, kWrong, 2);
  ExpectParseError<UnsupportedHmacIdentifierCause>({0x01, 0x05, 0x00, 0x04}, kWrong, 2);
  ExpectParseError<UnsupportedHmacIdentifierCause>({0x01, 0x05, 0x00, 0x07, 0, 1, 0, 0}, kWrong, 2);
  ExpectParseError<UnsupportedHmacIdentifierCause>({0x01, 0x05, 0x00, 0x0A, 0, 1, 0, 0, 0, 0, 0, 0},
                                                   kWrong, 2);
}

TEST(ErrorCausesTest, MissingMandatoryParameterMalformed) {
  // Too short for the count.
  ExpectParseError<MissingMandatoryParameterCause>({0x00, 0x02, 0x00, 0x06, 0, 0, 0, 0},
                                                   ParseErrorCode::kLengthTooSmall, 2);
  // An odd number of bytes of types.
  ExpectParseError<MissingMandatoryParameterCause>({0x00, 0x02, 0x00, 0x0B, 0, 0, 0, 1, 0, 7, 9, 0},
                                                   ParseErrorCode::kWrongLength, 2);
  // N = 3 with two types listed.
  ExpectParseError<MissingMandatoryParameterCause>({0x00, 0x02, 0x00, 0x0C, 0, 0, 0, 3, 0, 7, 0, 9},
                                                   ParseErrorCode::kBadValue, 4);
  // N = 1 with the padding counted in the Cause Length (12 instead of 10): two entries.
  ExpectParseError<MissingMandatoryParameterCause>({0x00, 0x02, 0x00, 0x0C, 0, 0, 0, 1, 0, 7, 0, 0},
                                                   ParseErrorCode::kBadValue, 4);
  // N = 0 with one type listed.
  ExpectParseError<MissingMandatoryParameterCause>({0x00, 0x02, 0x00, 0x0A, 0, 0, 0, 0, 0, 7, 0, 0},
                                                   ParseErrorCode::kBadValue, 4);
}

TEST(ErrorCausesTest, SingleTlvCausesMalformed) {
  // Empty or shorter than a TLV header.
  ExpectParseError<UnresolvableAddressCause>({0x00, 0x05, 0x00, 0x04},
                                             ParseErrorCode::kLengthTooSmall, 2);
  ExpectParseError<UnrecognizedChunkTypeCause>({0x00, 0x06, 0x00, 0x06, 0x4F, 0x00, 0, 0},
                                               ParseErrorCode::kLengthTooSmall, 2);
  ExpectParseError<DeleteSourceAddressCause>({0x00, 0xA2, 0x00, 0x04},
                                             ParseErrorCode::kLengthTooSmall, 2);
  // The nested TLV overruns the cause: reported at the nested Length field.
  ExpectParseError<UnresolvableAddressCause>(
      {0x00, 0x05, 0x00, 0x0C, 0x00, 0x06, 0x00, 0x14, 1, 2, 3, 4}, ParseErrorCode::kLengthOverrun,
      6);
  ExpectParseError<UnrecognizedChunkTypeCause>(
      {0x00, 0x06, 0x00, 0x0C, 0x4F, 0x00, 0x00, 0x20, 1, 2, 3, 4}, ParseErrorCode::kLengthOverrun,
      6);
  ExpectParseError<DeleteLastRemainingAddressCause>(
      {0x00, 0xA0, 0x00, 0x0C, 0xC0, 0x02, 0x00, 0x10, 1, 2, 3, 4}, ParseErrorCode::kLengthOverrun,
      6);
  ExpectParseError<OperationRefusedResourceShortageCause>(
      {0x00, 0xA1, 0x00, 0x0C, 0xC0, 0x01, 0x00, 0x02, 1, 2, 3, 4}, ParseErrorCode::kLengthTooSmall,
      6);
  // More than one TLV where the RFC has exactly one: the Cause Length is wrong.
  std::vector<uint8_t> two = {0x00, 0xA4, 0x00, 0x14};
  two.insert(two.end(), kIpv4Tlv.begin(), kIpv4Tlv.end());
  two.insert(two.end(), kIpv4Tlv.begin(), kIpv4Tlv.end());
  ExpectParseError<RequestRefusedNoAuthorizationCause>(two, ParseErrorCode::kWrongLength, 2);
  std::vector<uint8_t> stray = {0x00, 0x05, 0x00, 0x0E};
  stray.insert(stray.end(), kIpv4Tlv.begin(), kIpv4Tlv.end());
  stray.insert(stray.end(), {0xAA, 0xBB, 0, 0});
  ExpectParseError<UnresolvableAddressCause>(stray, ParseErrorCode::kWrongLength, 2);
}

TEST(ErrorCausesTest, TlvSequenceCausesMalformed) {
  // Second TLV overruns.
  std::vector<uint8_t> overrun = {0x00, 0x08, 0x00, 0x10};
  overrun.insert(overrun.end(), kIpv4Tlv.begin(), kIpv4Tlv.end());
  overrun.insert(overrun.end(), {0x00, 0x06, 0x00, 0x14});
  ExpectParseError<UnrecognizedParametersCause>(overrun, ParseErrorCode::kLengthOverrun, 14);
  // Stray bytes after the last TLV.
  std::vector<uint8_t> stray = {0x00, 0x0B, 0x00, 0x0E};
  stray.insert(stray.end(), kIpv4Tlv.begin(), kIpv4Tlv.end());
  stray.insert(stray.end(), {0xAA, 0xBB, 0, 0});
  ExpectParseError<RestartWithNewAddressesCause>(stray, ParseErrorCode::kTrailingBytes, 12);
  // A nested Length below 4.
  ExpectParseError<RestartWithNewAddressesCause>({0x00, 0x0B, 0x00, 0x08, 0x00, 0x05, 0x00, 0x00},
                                                 ParseErrorCode::kLengthTooSmall, 6);
}

// ---- dispatch and names -------------------------------------------------------------------

TEST(ErrorCausesTest, DispatchUnknownCode) {
  const std::vector<uint8_t> bytes = {0x12, 0x34, 0x00, 0x05, 0x77, 0, 0, 0};
  Parsed<AnyErrorCause> c = ParseErrorCause(ReadOne(bytes));
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(std::holds_alternative<UnknownErrorCause>(*c));
  EXPECT_EQ(std::get<UnknownErrorCause>(*c).code, 0x1234);
  EXPECT_THAT(Vec(std::get<UnknownErrorCause>(*c).value), ElementsAre(0x77));
  EXPECT_EQ(ErrorCauseName(0x1234), "UNKNOWN");
  EXPECT_EQ(ErrorCauseName(0), "UNKNOWN");
}

TEST(ErrorCausesTest, DispatchPicksEveryKnownCode) {
  const std::vector<uint8_t> info = {9};
  const std::vector<AnyErrorCause> all = {
      InvalidStreamIdentifierCause{StreamId(1)},
      MissingMandatoryParameterCause{},
      StaleCookieErrorCause{1},
      OutOfResourceCause{},
      UnresolvableAddressCause{kIpv4Tlv},
      UnrecognizedChunkTypeCause{kChunk},
      InvalidMandatoryParameterCause{},
      UnrecognizedParametersCause{kIpv4Tlv},
      NoUserDataCause{Tsn(5)},
      CookieReceivedWhileShuttingDownCause{},
      RestartWithNewAddressesCause{kIpv4Tlv},
      UserInitiatedAbortCause{info},
      ProtocolViolationCause{info},
      DeleteLastRemainingAddressCause{kDeleteIpTlv},
      OperationRefusedResourceShortageCause{kDeleteIpTlv},
      DeleteSourceAddressCause{kDeleteIpTlv},
      IllegalAsconfAckCause{},
      RequestRefusedNoAuthorizationCause{kDeleteIpTlv},
      UnsupportedHmacIdentifierCause{3},
      UnknownErrorCause{0x1234, info},
  };
  ASSERT_EQ(all.size(), std::variant_size_v<AnyErrorCause>);
  std::set<std::string> names;
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].index(), i);
    std::vector<uint8_t> bytes(PaddedLength(WireLength(all[i])));
    ByteWriter w(bytes);
    WriteErrorCause(w, all[i]);
    ASSERT_TRUE(w.ok());
    const TlvView tlv = ReadOne(bytes);
    Parsed<AnyErrorCause> parsed = ParseErrorCause(tlv);
    ASSERT_TRUE(parsed.ok()) << i << ": " << parsed.error();
    EXPECT_EQ(parsed->index(), i);
    EXPECT_EQ(*parsed, all[i]);
    if (i + 1 < all.size()) {
      const std::string_view name = ErrorCauseName(tlv.type);
      EXPECT_NE(name, "UNKNOWN") << tlv.type;
      names.insert(std::string(name));
    }
  }
  EXPECT_EQ(names.size(), all.size() - 1);
}

}  // namespace
}  // namespace sctp::wire
