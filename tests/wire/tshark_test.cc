// Cross-checks the codec against an independent decoder: every chunk type Wireshark knows is
// built with the codec, written to a pcap as SCTP over UDP (RFC 6951, port 9899), and
// decoded by tshark. For every packet tshark must see SCTP, the same chunk types in the
// same order, the same ports and verification tag, a good CRC32c, and nothing malformed.
// One packet with a corrupted checksum proves the checksum check is really on.
//
// Skipped only when tshark is not installed (SCTPCPP_TSHARK empty or *-NOTFOUND).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "capture/pcap_writer.h"
#include "wire/chunks.h"
#include "wire/crc32c.h"
#include "wire/packet.h"
#include "wire/tlv.h"

#ifndef SCTPCPP_TSHARK
#define SCTPCPP_TSHARK ""
#endif

namespace sctp::wire {
namespace {

constexpr uint16_t kSctpSourcePort = 5000;
constexpr uint16_t kSctpDestinationPort = 5001;
constexpr uint16_t kUdpEncapsulationPort = 9899;  // RFC 6951 §5
constexpr uint32_t kVtag = 0x11223344;

std::vector<uint8_t> Tlv(uint16_t type, std::vector<uint8_t> value) {
  std::vector<uint8_t> out(PaddedLength(kTlvHeaderSize + value.size()));
  ByteWriter w(out);
  WriteTlv(w, type, value);
  return out;
}
std::vector<uint8_t> Concat(std::initializer_list<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (const auto& p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}
// The TLVs of a chunk as RFC 9260 §3.2 frames them: "The Chunk Length field does not count
// any chunk padding. However, it does include any padding of variable-length parameters
// other than the last parameter in the chunk." The chunk writers pad the chunk itself, so
// the final TLV is passed without its padding (tshark flags it otherwise, as a Note in its
// Malformed group).
std::vector<uint8_t> TlvSequence(std::initializer_list<std::vector<uint8_t>> tlvs) {
  std::vector<uint8_t> out;
  for (const auto& t : tlvs) {
    out.resize(PaddedLength(out.size()));
    out.insert(out.end(), t.begin(), t.begin() + Load16(t.data() + 2));
  }
  return out;
}

struct TestPacket {
  std::string name;
  std::vector<uint8_t> bytes;
  std::vector<int> chunk_types;  // in wire order
  // Every parameter type and error cause code, nested ones included, in wire order: what
  // tshark reports as sctp.parameter_type and sctp.cause_code.
  std::vector<int> parameter_types;
  std::vector<int> cause_codes;
  uint32_t vtag = kVtag;
  bool corrupt_checksum = false;
};

// Serializes `chunks` into one packet; the codec must accept its own output.
TestPacket Build(std::string name, std::vector<AnyChunk> chunks,
                 std::vector<int> parameter_types = {}, std::vector<int> cause_codes = {},
                 uint32_t vtag = kVtag) {
  TestPacket t;
  t.name = std::move(name);
  t.vtag = vtag;
  t.parameter_types = std::move(parameter_types);
  t.cause_codes = std::move(cause_codes);
  std::vector<uint8_t> buffer(4096);
  PacketBuilder b(buffer,
                  CommonHeader{kSctpSourcePort, kSctpDestinationPort, VerificationTag(vtag), 0},
                  buffer.size());
  for (const AnyChunk& c : chunks) {
    EXPECT_TRUE(AddChunk(b, c)) << t.name;
    t.chunk_types.push_back(TypeOf(c));
  }
  const std::span<const uint8_t> packet = b.Finish();
  t.bytes.assign(packet.begin(), packet.end());

  // Round trip through our own parser first.
  const Parsed<PacketView> view = PacketView::Parse(t.bytes);
  EXPECT_TRUE(view.ok()) << t.name << ": " << view.error();
  EXPECT_TRUE(VerifySctpChecksum(t.bytes)) << t.name;
  if (view.ok()) {
    ChunkReader reader = view->chunks();
    ChunkView chunk;
    size_t i = 0;
    while (reader.Next(&chunk)) {
      const Parsed<AnyChunk> parsed = ParseChunk(chunk);
      EXPECT_TRUE(parsed.ok()) << t.name << ": " << parsed.error();
      if (parsed.ok() && i < chunks.size()) {
        EXPECT_TRUE(*parsed == chunks[i]) << t.name << " #" << i;
      }
      ++i;
    }
    EXPECT_EQ(i, chunks.size()) << t.name;
  }
  return t;
}

std::vector<TestPacket> BuildAllPackets() {
  const std::vector<uint8_t> payload = {'h', 'e', 'l', 'l', 'o', ' ', 's', 'c', 't', 'p', '!'};
  const auto ipv4 = Tlv(ParameterType::kIpv4Address, {192, 0, 2, 1});
  const auto ipv6 = Tlv(ParameterType::kIpv6Address,
                        {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  const auto init_params = TlvSequence({
      ipv4,
      ipv6,
      Tlv(ParameterType::kCookiePreservative, {0, 0, 0x27, 0x10}),
      Tlv(ParameterType::kSupportedAddressTypes, {0, 5, 0, 6}),
      Tlv(ParameterType::kEcnCapable, {}),
      Tlv(ParameterType::kForwardTsnSupported, {}),
      Tlv(ParameterType::kSupportedExtensions, {0x0f, 0x40, 0x80, 0x82, 0xc0, 0xc1, 0xc2}),
      Tlv(ParameterType::kRandom, std::vector<uint8_t>(32, 7)),
      Tlv(ParameterType::kChunkList, {0x00, 0x03, 0x40, 0x82}),
      Tlv(ParameterType::kRequestedHmacAlgorithm, {0, 1, 0, 3}),
      Tlv(ParameterType::kAdaptationLayerIndication, {0, 0, 0, 42}),
      Tlv(ParameterType::kPadding, std::vector<uint8_t>(9, 0)),
  });
  const auto cookie = std::vector<uint8_t>(52, 0x5a);
  const auto init_ack_params = TlvSequence({
      Tlv(ParameterType::kStateCookie, cookie),
      ipv4,
      Tlv(ParameterType::kForwardTsnSupported, {}),
      Tlv(ParameterType::kUnrecognizedParameter, Tlv(0xC123, {1, 2, 3, 4})),
  });
  const auto hb_info =
      TlvSequence({Tlv(ParameterType::kHeartbeatInfo, std::vector<uint8_t>(13, 3))});
  const auto abort_causes = TlvSequence({
      Tlv(ErrorCauseCode::kUserInitiatedAbort, {'b', 'y', 'e'}),
      Tlv(ErrorCauseCode::kProtocolViolation, {'b', 'a', 'd', ' ', 't', 's', 'n'}),
  });
  const auto error_causes = TlvSequence({
      Tlv(ErrorCauseCode::kInvalidStreamIdentifier, {0, 9, 0, 0}),
      Tlv(ErrorCauseCode::kMissingMandatoryParameter, {0, 0, 0, 1, 0, 7, 0, 0}),
      Tlv(ErrorCauseCode::kStaleCookieError, {0, 0, 0x03, 0xe8}),
      Tlv(ErrorCauseCode::kOutOfResource, {}),
      Tlv(ErrorCauseCode::kUnresolvableAddress, ipv4),
      Tlv(ErrorCauseCode::kInvalidMandatoryParameter, {}),
      Tlv(ErrorCauseCode::kUnrecognizedParameters, Tlv(0xC123, {1, 2, 3, 4})),
      Tlv(ErrorCauseCode::kNoUserData, {0, 0, 0, 5}),
      Tlv(ErrorCauseCode::kCookieReceivedWhileShuttingDown, {}),
      Tlv(ErrorCauseCode::kRestartWithNewAddresses, ipv4),
  });
  const auto reconfig_request = TlvSequence({
      Tlv(ParameterType::kOutgoingSsnResetRequest,
          {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9, 0, 1, 0, 2}),
      Tlv(ParameterType::kIncomingSsnResetRequest, {0, 0, 0, 2, 0, 3, 0, 0}),
  });
  const auto reconfig_add_streams =
      TlvSequence({Tlv(ParameterType::kAddOutgoingStreams, {0, 0, 0, 3, 0, 4, 0, 0})});
  const auto reconfig_response =
      TlvSequence({Tlv(ParameterType::kReconfigResponse, {0, 0, 0, 1, 0, 0, 0, 1})});
  const auto asconf_params = TlvSequence({
      Tlv(ParameterType::kAddIpAddress,
          Concat({{0, 0, 0, 1}, Tlv(ParameterType::kIpv4Address, {10, 0, 0, 2})})),
      Tlv(ParameterType::kDeleteIpAddress,
          Concat({{0, 0, 0, 2}, Tlv(ParameterType::kIpv4Address, {10, 0, 0, 3})})),
      Tlv(ParameterType::kSetPrimaryAddress,
          Concat({{0, 0, 0, 3}, Tlv(ParameterType::kIpv4Address, {10, 0, 0, 2})})),
  });
  const auto asconf_ack_params = TlvSequence({
      Tlv(ParameterType::kSuccessIndication, {0, 0, 0, 1}),
      Tlv(ParameterType::kErrorCauseIndication,
          Concat({{0, 0, 0, 2},
                  Tlv(ErrorCauseCode::kDeleteLastRemainingAddress, Tlv(5, {10, 0, 0, 3}))})),
  });
  const GapAckBlock gaps[] = {{2, 3}, {5, 9}, {12, 12}};
  const TsnRecord dups[] = {{Tsn(1000)}, {Tsn(997)}};
  const ForwardTsnStream fwd[] = {{StreamId(1), Ssn(4)}, {StreamId(2), Ssn(9)}};
  const IForwardTsnStream ifwd[] = {{StreamId(1), true, Mid(4)}, {StreamId(3), false, Mid(7)}};
  const std::vector<uint8_t> hmac(20, 0x99);  // HMAC-SHA-1 length; tshark does not verify it

  std::vector<TestPacket> out;
  out.push_back(Build(
      "INIT",
      {InitChunk{VerificationTag(0xabcdef01), 65536, 10, 65535, Tsn(1000), Bytes(init_params)}},
      {0x0005, 0x0006, 0x0009, 0x000c, 0x8000, 0xc000, 0x8008, 0x8002, 0x8003, 0x8004, 0xc006,
       0x8005},
      {}, /*vtag=*/0));
  // The Unrecognized Parameter's value is itself a parameter, which tshark also reports.
  out.push_back(Build("INIT ACK",
                      {InitAckChunk{VerificationTag(0x01020304), 131072, 5, 5, Tsn(0xfffffff0),
                                    Bytes(init_ack_params)}},
                      {0x0007, 0x0005, 0xc000, 0x0008, 0xc123}));
  out.push_back(Build(
      "COOKIE ECHO + DATA",
      {CookieEchoChunk{Bytes(cookie)}, DataChunk{false, false, true, true, Tsn(1000), StreamId(0),
                                                 Ssn(0), Ppid(51), Bytes(payload)}}));
  out.push_back(
      Build("COOKIE ACK + SACK", {CookieAckChunk{}, SackChunk{Tsn(1000), 65536, {}, {}}}));
  out.push_back(Build("DATA fragments", {DataChunk{false, false, true, false, Tsn(1001),
                                                   StreamId(2), Ssn(3), Ppid(53), Bytes(payload)},
                                         DataChunk{true, true, false, true, Tsn(1002), StreamId(2),
                                                   Ssn(3), Ppid(53), Bytes(payload)}}));
  out.push_back(
      Build("SACK gaps+dups", {SackChunk{Tsn(990), 4096, PackedArray<GapAckBlock>::FromHost(gaps),
                                         PackedArray<TsnRecord>::FromHost(dups)}}));
  out.push_back(Build("HEARTBEAT", {HeartbeatChunk{false, Bytes(hb_info)}}, {0x0001}));
  out.push_back(Build("HEARTBEAT ACK", {HeartbeatAckChunk{false, Bytes(hb_info)}}, {0x0001}));
  out.push_back(Build("ABORT T", {AbortChunk{true, Bytes(abort_causes)}}, {}, {0x000c, 0x000d}));
  out.push_back(Build("SHUTDOWN", {ShutdownChunk{Tsn(1002)}}));
  out.push_back(Build("SHUTDOWN ACK", {ShutdownAckChunk{}}));
  // Causes 5, 8 and 11 carry parameters (an address, the unrecognized one, an address).
  out.push_back(
      Build("ERROR", {ErrorChunk{false, Bytes(error_causes)}}, {0x0005, 0xc123, 0x0005},
            {0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0007, 0x0008, 0x0009, 0x000a, 0x000b}));
  out.push_back(Build("ECNE + CWR", {EcneChunk{Tsn(1001)}, CwrChunk{Tsn(1001)}}));
  out.push_back(Build("SHUTDOWN COMPLETE", {ShutdownCompleteChunk{true}}));
  out.push_back(Build("AUTH + DATA", {AuthChunk{0, 1, Bytes(hmac)},
                                      DataChunk{false, true, true, true, Tsn(1003), StreamId(0),
                                                Ssn(0), Ppid(0), Bytes(payload)}}));
  out.push_back(Build("I-DATA", {IDataChunk{false, false, true, false, Tsn(1004), StreamId(1),
                                            Mid(0), Ppid(51), Fsn(0), Bytes(payload)},
                                 IDataChunk{true, false, false, true, Tsn(1005), StreamId(1),
                                            Mid(0), Ppid(0), Fsn(1), Bytes(payload)}}));
  // The address parameter, then each request with the address it carries.
  out.push_back(Build("ASCONF", {AsconfChunk{7, Bytes(ipv4), Bytes(asconf_params)}},
                      {0x0005, 0xc001, 0x0005, 0xc002, 0x0005, 0xc004, 0x0005}));
  out.push_back(Build("ASCONF-ACK", {AsconfAckChunk{7, Bytes(asconf_ack_params)}},
                      {0xc005, 0xc003, 0x0005}, {0x00a0}));
  out.push_back(Build("RE-CONFIG request", {ReconfigChunk{false, Bytes(reconfig_request)}},
                      {0x000d, 0x000e}));
  out.push_back(Build("RE-CONFIG add streams", {ReconfigChunk{false, Bytes(reconfig_add_streams)}},
                      {0x0011}));
  out.push_back(
      Build("RE-CONFIG response", {ReconfigChunk{false, Bytes(reconfig_response)}}, {0x0010}));
  out.push_back(
      Build("PAD + HEARTBEAT",
            {PadChunk{Bytes(std::vector<uint8_t>(100, 0))}, HeartbeatChunk{false, Bytes(hb_info)}},
            {0x0001}));
  out.push_back(Build("FORWARD-TSN",
                      {ForwardTsnChunk{Tsn(1010), PackedArray<ForwardTsnStream>::FromHost(fwd)}}));
  out.push_back(
      Build("I-FORWARD-TSN",
            {IForwardTsnChunk{Tsn(1011), PackedArray<IForwardTsnStream>::FromHost(ifwd)}}));

  // Last: a copy of the HEARTBEAT with one checksum bit flipped.
  TestPacket bad =
      Build("HEARTBEAT bad checksum", {HeartbeatChunk{false, Bytes(hb_info)}}, {0x0001});
  bad.bytes[8] ^= 0x01;
  bad.corrupt_checksum = true;
  out.push_back(std::move(bad));
  return out;
}

bool TsharkAvailable(std::string* path) {
  *path = SCTPCPP_TSHARK;
  if (path->empty() || path->ends_with("NOTFOUND")) return false;
  return access(path->c_str(), X_OK) == 0;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep))
    out.push_back(cur);
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}

// Runs a shell command and returns its standard output.
std::string RunCommand(const std::string& command, int* status) {
  std::string output;
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    *status = -1;
    return output;
  }
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0)
    output.append(buf, n);
  *status = pclose(pipe);
  return output;
}

std::vector<int> ParseIntList(const std::string& s) {
  std::vector<int> out;
  if (s.empty()) return out;
  for (const std::string& item : Split(s, ','))
    out.push_back(static_cast<int>(std::strtol(item.c_str(), nullptr, 0)));
  return out;
}

// Wireshark's expert info (epan/proto.h): severities Chat 0x00200000, Note 0x00400000,
// Warn 0x00600000, Error 0x00800000; the group of "this is malformed" findings.
constexpr int kExpertSeverityWarn = 0x00600000;
constexpr int kExpertGroupMalformed = 0x07000000;

// Columns requested from tshark, in order.
enum Column {
  kFrame,
  kProtocols,
  kSrcPort,
  kDstPort,
  kVerificationTag,
  kChunkTypes,
  kChecksumStatus,
  kParameterTypes,
  kCauseCodes,
  kExpertSeverity,
  kExpertGroup,
  kExpertMessage,
  kColumnCount
};

class TsharkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!TsharkAvailable(&tshark_)) {
      GTEST_SKIP() << "tshark not available (SCTPCPP_TSHARK=\"" << SCTPCPP_TSHARK << "\")";
    }
    std::string dir = ::testing::TempDir() + "sctpcpp_tshark_XXXXXX";
    ASSERT_NE(mkdtemp(dir.data()), nullptr) << dir;
    dir_ = dir;
    pcap_ = dir_ + "/all_chunks.pcap";
    hex_ = dir_ + "/all_chunks.txt";
  }
  void TearDown() override {
    if (!pcap_.empty()) std::remove(pcap_.c_str());
    if (!hex_.empty()) std::remove(hex_.c_str());
    if (!dir_.empty()) rmdir(dir_.c_str());
  }

  // Runs tshark on `pcap` with `fields` and returns one line per frame (stderr is
  // discarded: tshark warns about running as root there).
  std::vector<std::string> RunTshark(const std::string& pcap, const std::string& fields) {
    const std::string command = "'" + tshark_ + "' -n -r '" + pcap +
                                "' -o 'sctp.checksum:CRC 32c' -d udp.port==9899,sctp -T fields " +
                                fields + " -E occurrence=a -E aggregator=, 2>/dev/null";
    int status = -1;
    const std::string output = RunCommand(command, &status);
    EXPECT_EQ(status, 0) << command << "\n" << output;
    std::vector<std::string> lines = Split(output, '\n');
    if (!lines.empty() && lines.back().empty()) lines.pop_back();
    return lines;
  }

  std::string tshark_;
  std::string dir_;
  std::string pcap_;
  std::string hex_;
};

TEST_F(TsharkTest, EveryChunkTypeDecodesCleanly) {
  const std::vector<TestPacket> packets = BuildAllPackets();
  {
    std::unique_ptr<capture::PcapWriter> writer = capture::PcapWriter::Open(pcap_);
    ASSERT_NE(writer, nullptr) << pcap_;
    const capture::Ipv4Endpoint client{{127, 0, 0, 1}, kUdpEncapsulationPort};
    const capture::Ipv4Endpoint server{{127, 0, 0, 2}, kUdpEncapsulationPort};
    int64_t time_us = 1'700'000'000'000'000;
    for (const TestPacket& p : packets) {
      ASSERT_TRUE(writer->WriteSctpOverUdp(client, server, p.bytes, time_us)) << p.name;
      time_us += 1000;
    }
    writer->Flush();
    ASSERT_TRUE(writer->ok());
  }

  const std::vector<std::string> lines =
      RunTshark(pcap_,
                "-e frame.number -e frame.protocols -e sctp.srcport -e sctp.dstport"
                " -e sctp.verification_tag -e sctp.chunk_type -e sctp.checksum.status"
                " -e sctp.parameter_type -e sctp.cause_code"
                " -e _ws.expert.severity -e _ws.expert.group -e _ws.expert.message");
  ASSERT_EQ(lines.size(), packets.size());
  std::set<int> types_seen;
  for (size_t i = 0; i < packets.size(); ++i) {
    const TestPacket& p = packets[i];
    SCOPED_TRACE("frame " + std::to_string(i + 1) + " (" + p.name + "): " + lines[i]);
    std::vector<std::string> cols = Split(lines[i], '\t');
    cols.resize(kColumnCount);
    EXPECT_EQ(cols[kFrame], std::to_string(i + 1));
    EXPECT_NE(cols[kProtocols].find("udp:sctp"), std::string::npos);
    EXPECT_EQ(cols[kProtocols].find("malformed"), std::string::npos);
    EXPECT_EQ(cols[kSrcPort], std::to_string(kSctpSourcePort));
    EXPECT_EQ(cols[kDstPort], std::to_string(kSctpDestinationPort));
    EXPECT_EQ(std::strtoul(cols[kVerificationTag].c_str(), nullptr, 0), p.vtag);
    EXPECT_EQ(ParseIntList(cols[kChunkTypes]), p.chunk_types);
    for (int t : ParseIntList(cols[kChunkTypes]))
      types_seen.insert(t);
    EXPECT_EQ(ParseIntList(cols[kParameterTypes]), p.parameter_types);
    EXPECT_EQ(ParseIntList(cols[kCauseCodes]), p.cause_codes);

    // sctp.checksum.status: 0 = Bad, 1 = Good, 2 = Unverified.
    const std::vector<int> status = ParseIntList(cols[kChecksumStatus]);
    if (p.corrupt_checksum) {
      EXPECT_EQ(status, std::vector<int>{0});
      EXPECT_NE(cols[kExpertMessage].find("Bad SCTP checksum"), std::string::npos);
      continue;
    }
    EXPECT_EQ(status, std::vector<int>{1});
    // Nothing malformed (at any severity: tshark reports RFC 9260 §3.2 padding slips as a
    // Note in the Malformed group), nothing worse than a Note.
    EXPECT_EQ(cols[kExpertMessage].find("Malformed"), std::string::npos);
    for (int group : ParseIntList(cols[kExpertGroup])) {
      EXPECT_NE(group, kExpertGroupMalformed) << cols[kExpertMessage];
    }
    for (int severity : ParseIntList(cols[kExpertSeverity])) {
      EXPECT_LT(severity, kExpertSeverityWarn) << cols[kExpertMessage];
    }
  }
  // Every chunk type this test means to cover reached tshark.
  for (int t :
       {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 64, 128, 130, 132, 192, 193, 194}) {
    EXPECT_TRUE(types_seen.contains(t)) << "chunk type " << t;
  }
}

// capture::ToText2pcapHex writes the hex dump text2pcap reads (the format usrsctp_dumppacket
// logs): text2pcap turns the same packets, as raw SCTP over IPv4, into what tshark decodes
// exactly like the pcap above.
TEST_F(TsharkTest, Text2pcapReadsOurHexDump) {
  const std::string text2pcap = tshark_.substr(0, tshark_.find_last_of('/') + 1) + "text2pcap";
  if (access(text2pcap.c_str(), X_OK) != 0) GTEST_SKIP() << "no " << text2pcap;
  const std::vector<TestPacket> packets = BuildAllPackets();
  {
    std::FILE* f = std::fopen(hex_.c_str(), "w");
    ASSERT_NE(f, nullptr) << hex_;
    for (const TestPacket& p : packets) {
      const std::string text = capture::ToText2pcapHex(p.bytes);
      std::fwrite(text.data(), 1, text.size(), f);
    }
    std::fclose(f);
  }
  int status = -1;
  const std::string command =
      "'" + text2pcap + "' -q -i 132 '" + hex_ + "' '" + pcap_ + "' >/dev/null 2>&1";
  RunCommand(command, &status);
  ASSERT_EQ(status, 0) << command;

  const std::vector<std::string> lines =
      RunTshark(pcap_, "-e frame.protocols -e sctp.chunk_type -e sctp.checksum.status");
  ASSERT_EQ(lines.size(), packets.size());
  for (size_t i = 0; i < packets.size(); ++i) {
    SCOPED_TRACE("frame " + std::to_string(i + 1) + " (" + packets[i].name + "): " + lines[i]);
    std::vector<std::string> cols = Split(lines[i], '\t');
    cols.resize(3);
    EXPECT_NE(cols[0].find("ip:sctp"), std::string::npos);
    EXPECT_EQ(ParseIntList(cols[1]), packets[i].chunk_types);
    EXPECT_EQ(ParseIntList(cols[2]), std::vector<int>{packets[i].corrupt_checksum ? 0 : 1});
  }
}

}  // namespace
}  // namespace sctp::wire
