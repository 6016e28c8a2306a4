// Unit tests of the conformance runner's parser and packet codec (tools/sctp-script), without
// a stack: the scripts in this folder test the runner end to end.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "packet.h"
#include "script.h"

namespace sctp_script {
namespace {

Script Parse(const std::string& text) {
  return ParseScript("test.pkt", text, {"FreeBSD"});
}

// The error a malformed script gives, as "line N: message".
std::string ParseError(const std::string& text) {
  try {
    Parse(text);
  } catch (const ScriptError& error) {
    return "line " + std::to_string(error.line) + ": " + error.message;
  }
  return "no error";
}

Node OneChunk(const std::string& chunk_text) {
  Script script = Parse("0.0 < sctp: " + chunk_text + "\n");
  return script.events.at(0).packet.chunks.at(0);
}

Packet Expected(const std::string& chunks_text) {
  return Parse("0.0 > sctp: " + chunks_text + "\n").events.at(0).packet;
}

std::vector<uint8_t> Packetize(uint32_t vtag, const std::string& chunks_text, LiveState state) {
  Packet packet = Parse("0.0 < sctp: " + chunks_text + "\n").events.at(0).packet;
  std::vector<uint8_t> chunks = BuildChunks(packet.chunks, state);
  return BuildPacket(8080, 9090, vtag, chunks, false);
}

TEST(Crc32cTest, MatchesTheRfc3720TestVector) {
  const std::string digits = "123456789";
  EXPECT_EQ(Crc32c({reinterpret_cast<const uint8_t*>(digits.data()), digits.size()}), 0xE3069283u);
}

TEST(ParserTest, TimesAreAbsoluteRelativeOrAnyInMicroseconds) {
  Script script = Parse(
      "--tolerance_usecs=25000\n"
      " 0.5 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3\n"
      "+0.000001 close(3) = 0\n"
      "+ 1.25 close(3) = 0\n"
      "*    > sctp: COOKIE_ACK[flgs=0]\n");
  EXPECT_EQ(script.tolerance_usecs, 25000);
  ASSERT_EQ(script.events.size(), 4u);
  EXPECT_EQ(script.events[0].time_kind, TimeKind::kAbsolute);
  EXPECT_EQ(script.events[0].time_usecs, 500000);
  EXPECT_EQ(script.events[1].time_kind, TimeKind::kRelative);
  EXPECT_EQ(script.events[1].time_usecs, 1);
  EXPECT_EQ(script.events[2].time_usecs, 1250000);
  EXPECT_EQ(script.events[3].time_kind, TimeKind::kAny);
  EXPECT_FALSE(script.events[3].packet.inbound);
}

TEST(ParserTest, BundlesAndStructuresSpanLinesAndKeepTheirFirstLine) {
  Script script = Parse(
      "// comment\n"
      "+0.0 < sctp: DATA[flgs=BE, len=116, tsn=1, sid=0, ssn=0, ppid=0];\n"
      "             DATA[flgs=BE, len=116, tsn=2, sid=0, ssn=1, ppid=0]\n"
      "+0.0 setsockopt(3, IPPROTO_SCTP, SCTP_RTOINFO, {srto_initial=100,\n"
      "                srto_max=800, srto_min=100}, 16) = 0\n");
  ASSERT_EQ(script.events.size(), 2u);
  EXPECT_EQ(script.events[0].line, 2);
  EXPECT_EQ(script.events[0].packet.chunks.size(), 2u);
  EXPECT_EQ(script.events[1].line, 4);
  ASSERT_EQ(script.events[1].syscall.args.size(), 5u);
  EXPECT_EQ(script.events[1].syscall.args[3].fields.size(), 3u);
}

TEST(ParserTest, IfdefKeepsTheFreeBsdBranch) {
  Script script = Parse(
      "#ifdef Linux\n"
      "+0.0 close(3) = 0\n"
      "#else\n"
      "+0.0 close(4) = 0\n"
      "#endif\n"
      "#ifdef FreeBSD\n"
      "+0.0 close(5) = 0\n"
      "#endif\n");
  ASSERT_EQ(script.events.size(), 2u);
  EXPECT_EQ(script.events[0].syscall.args[0].number, 4);
  EXPECT_EQ(script.events[1].syscall.args[0].number, 5);
}

TEST(ParserTest, ResultsWithErrnoAndNotes) {
  Script script = Parse(
      "+0.0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
      "+0.0 fcntl(3, F_GETFL) = 0x02 (flags O_RDWR)\n"
      "+0.0 write(3, ..., 10) = -1 // comment only\n");
  EXPECT_EQ(script.events[0].syscall.result.value, -1);
  EXPECT_EQ(script.events[0].syscall.result.errno_name, "EINPROGRESS");
  EXPECT_EQ(script.events[1].syscall.result.value, 2);
  EXPECT_FALSE(script.events[2].syscall.result.errno_name.has_value());
}

TEST(ParserTest, MalformedScriptsGiveTheirLine) {
  EXPECT_EQ(ParseError("+0.0 close(3) = 0\n+0.0 close(3 = 0\n"), "line 2: unclosed bracket");
  EXPECT_EQ(ParseError("+0.0 close(3) = 0\nclose(3) = 0\n"),
            "line 2: expected a time (e.g. +0.1) or an option, got 'close(3) = 0'");
  EXPECT_EQ(ParseError("+0.0 < sctp: INIT[flgs=0] trailing\n"),
            "line 1: unexpected text at end of statement near 'trailing'");
  EXPECT_EQ(ParseError("\n\n#endif\n"), "line 3: #endif without #ifdef");
  EXPECT_EQ(ParseError("--verbose_mode=1\n"), "line 1: unsupported option '--verbose_mode=1'");
  EXPECT_EQ(ParseError("+0.0 < sctp(tag=99999999999): COOKIE_ACK[flgs=0]\n"),
            "line 1: tag must be a 32-bit number near '): COOKIE_ACK[flgs=0]'");
  EXPECT_EQ(ParseError("/* never closed\n+0.0 close(3) = 0\n"), "line 1: unterminated /* comment");
  EXPECT_EQ(ParseError("+0.0 < sctp: DATA[flgs=BE, ..., len=16]\n"),
            "line 1: '...' must be the last item of DATA near 'len=16]'");
}

TEST(CodecTest, InjectedChunksArePaddedAndCarryTheirFields) {
  LiveState state;
  std::vector<uint8_t> chunk =
      BuildChunks({OneChunk("CHUNK[type=0xEF, flgs=0x55, len=5, val=[0x01]]")}, state);
  EXPECT_EQ(chunk, (std::vector<uint8_t>{0xef, 0x55, 0x00, 0x05, 0x01, 0, 0, 0}));

  std::vector<uint8_t> data =
      BuildChunks({OneChunk("DATA[flgs=BE, len=20, tsn=7, sid=1, ssn=2, ppid=3]")}, state);
  EXPECT_EQ(data, (std::vector<uint8_t>{0x00, 0x03, 0x00, 0x14, 0, 0, 0, 7, 0, 1,
                                        0,    2,    0,    0,    0, 3, 0, 0, 0, 0}));
}

TEST(CodecTest, ParametersArePaddedExceptTheLastOne) {
  LiveState state;
  std::vector<uint8_t> init =
      BuildChunks({OneChunk("INIT[flgs=0, tag=1, a_rwnd=1500, os=1, is=1, tsn=1, "
                            "PARAMETER[type=0xc00c, len=5, val=[0x01]], "
                            "PARAMETER[type=0x8000, len=5, val=[0x02]]]")},
                  state);
  // 4 header + 16 fixed + 8 (first parameter, padded) + 5 (last parameter) = 33, then the chunk
  // padding (not counted in the length).
  ASSERT_EQ(init.size(), 36u);
  EXPECT_EQ(init[3], 33);
  EXPECT_EQ(state.peer_tag, 1u);  // the script's peer announced tag 1
}

TEST(CodecTest, TheStacksTagsAndTsnsAreLearnedAndTranslated) {
  LiveState state;
  // The stack's INIT ACK: tag 0xa1b2c3d4, initial TSN 1000 (script: tag=2, tsn=1).
  std::vector<uint8_t> init_ack =
      Packetize(1,
                "INIT_ACK[flgs=0, tag=0xa1b2c3d4, a_rwnd=1500, os=1, is=1, tsn=1000, "
                "STATE_COOKIE[len=8, val=[9, 8, 7, 6]]]",
                {});
  state.peer_tag = 1;
  Packet expected = Expected("INIT_ACK[flgs=0, tag=2, a_rwnd=..., os=..., is=..., tsn=1, ...]");
  EXPECT_EQ(MatchPacket(expected, init_ack, 8080, 9090, state), "");
  EXPECT_EQ(state.local_tag, 0xa1b2c3d4u);
  EXPECT_EQ(state.local_tsn_offset, 999);
  EXPECT_EQ(state.cookie, (std::vector<uint8_t>{9, 8, 7, 6}));

  // The stack's DATA with TSN 1001 is the script's TSN 2.
  std::vector<uint8_t> data =
      Packetize(1, "DATA[flgs=BE, len=17, tsn=1001, sid=0, ssn=0, ppid=0]", {});
  EXPECT_EQ(MatchPacket(Expected("DATA[flgs=BE, len=17, tsn=2, sid=0, ssn=0, ppid=0]"), data, 8080,
                        9090, state),
            "");
  EXPECT_EQ(MatchPacket(Expected("DATA[flgs=BE, len=17, tsn=1, sid=0, ssn=0, ppid=0]"), data, 8080,
                        9090, state),
            "DATA tsn: expected 1, got 1001 (script 2)");
}

TEST(CodecTest, MismatchesAreNamed) {
  LiveState state;
  state.peer_tag = 5;
  std::vector<uint8_t> sack =
      Packetize(5, "SACK[flgs=0, cum_tsn=3, a_rwnd=1500, gaps=[2:2], dups=[]]", {});
  EXPECT_EQ(MatchPacket(Expected("SACK[flgs=0, cum_tsn=3, a_rwnd=..., gaps=[2:2], dups=[]]"), sack,
                        8080, 9090, state),
            "");
  EXPECT_EQ(MatchPacket(Expected("SACK[flgs=0, cum_tsn=3, a_rwnd=..., gaps=[], dups=[]]"), sack,
                        8080, 9090, state),
            "SACK gaps: expected [], got [2:2]");
  EXPECT_EQ(MatchPacket(Expected("SACK[flgs=0, cum_tsn=3, a_rwnd=..., gaps=[2:2], dups=[]]"), sack,
                        9999, 9090, state),
            "ports 8080 > 9090, expected 9999 > 9090");
  state.peer_tag = 6;
  EXPECT_EQ(MatchPacket(Expected("SACK[flgs=0, cum_tsn=3, a_rwnd=..., gaps=[2:2], dups=[]]"), sack,
                        8080, 9090, state),
            "verification tag 0x5, expected the peer's tag 0x6");
}

TEST(CodecTest, ChildListsAreExactUnlessOpen) {
  LiveState state;
  std::vector<uint8_t> abort = Packetize(0, "ABORT[flgs=0, PROTOCOL_VIOLATION[info=[1, 2]]]", {});
  EXPECT_EQ(MatchPacket(Expected("ABORT[flgs=0, ...]"), abort, 8080, 9090, state), "");
  EXPECT_EQ(MatchPacket(Expected("ABORT[flgs=0, PROTOCOL_VIOLATION[info=...]]"), abort, 8080, 9090,
                        state),
            "");
  EXPECT_EQ(MatchPacket(Expected("ABORT[flgs=0]"), abort, 8080, 9090, state),
            "unexpected error cause PROTOCOL_VIOLATION[len=6, info=[0x01, 0x02]]");
}

TEST(CodecTest, VerificationTagRules) {
  LiveState state;
  state.peer_tag = 1;
  state.last_inbound_vtag = 0x77;
  // RFC 9260 §8.5.1: INIT carries tag 0; a T-bit reply reflects the tag it answers.
  std::vector<uint8_t> init =
      Packetize(3, "INIT[flgs=0, tag=9, a_rwnd=1500, os=1, is=1, tsn=1]", {});
  EXPECT_EQ(MatchPacket(Expected("INIT[flgs=0, tag=1, a_rwnd=..., os=..., is=..., tsn=1, ...]"),
                        init, 8080, 9090, state),
            "INIT with verification tag 0x3, expected 0");
  std::vector<uint8_t> reflected = Packetize(0x77, "ABORT[flgs=T]", {});
  EXPECT_EQ(MatchPacket(Expected("ABORT[flgs=T]"), reflected, 8080, 9090, state), "");
  std::vector<uint8_t> not_reflected = Packetize(0x78, "ABORT[flgs=T]", {});
  EXPECT_EQ(MatchPacket(Expected("ABORT[flgs=T]"), not_reflected, 8080, 9090, state),
            "reflected verification tag 0x78, expected 0x77 (the tag of the packet answered)");
}

TEST(CodecTest, BadChecksumsAndTruncatedChunksAreReported) {
  LiveState state;
  std::vector<uint8_t> packet = Packetize(0, "COOKIE_ACK[flgs=0]", {});
  packet[8] ^= 1;
  EXPECT_NE(
      MatchPacket(Expected("COOKIE_ACK[flgs=0]"), packet, 8080, 9090, state).find("bad CRC32c"),
      std::string::npos);
  std::vector<uint8_t> truncated =
      BuildPacket(8080, 9090, 0, std::vector<uint8_t>{0x0b, 0, 0, 9}, false);
  EXPECT_EQ(MatchPacket(Expected("COOKIE_ACK[flgs=0]"), truncated, 8080, 9090, state),
            "chunk length 9 is invalid at offset 0");
}

TEST(CodecTest, UnknownNamesAreScriptErrors) {
  LiveState state;
  EXPECT_THROW(BuildChunks({OneChunk("NOPE[flgs=0]")}, state), ScriptError);
  EXPECT_THROW(BuildChunks({OneChunk("SHUTDOWN[flgs=0, cumtsn=1]")}, state), ScriptError);
  EXPECT_THROW(BuildChunks({OneChunk("DATA[flgs=X, len=16, tsn=1, sid=0, ssn=0, ppid=0]")}, state),
               ScriptError);
}

}  // namespace
}  // namespace sctp_script
