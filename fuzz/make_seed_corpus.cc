// Writes the seed corpus of a fuzz target, built with the code itself so the corpus follows
// the code instead of being hand-copied blobs. Usage: make_seed_corpus DIR [TARGET]
//   fuzz_packet_parse (default): one valid packet per chunk type (and a few bundles);
//   the stateful targets: command streams written with InputWriter (seed_streams.cc).
#include <cstdio>
#include <string>
#include <vector>

#include "seed_streams.h"
#include "wire/chunks.h"
#include "wire/packet.h"
#include "wire/tlv.h"

using namespace sctp;
using namespace sctp::wire;

namespace {

std::vector<uint8_t> Tlv(uint16_t type, std::vector<uint8_t> value) {
  std::vector<uint8_t> out(PaddedLength(4 + value.size()));
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

void WritePacket(const std::string& dir, const std::string& name, std::vector<AnyChunk> chunks,
                 uint32_t vtag = 0x11223344) {
  std::vector<uint8_t> buffer(65535);
  PacketBuilder b(buffer, CommonHeader{5000, 5001, VerificationTag(vtag), 0}, buffer.size());
  for (const AnyChunk& c : chunks)
    AddChunk(b, c);
  std::span<const uint8_t> packet = b.Finish();
  const std::string path = dir + "/" + name;
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return;
  std::fwrite(packet.data(), 1, packet.size(), f);
  std::fclose(f);
}

void WritePacketSeeds(const std::string& dir) {
  const std::vector<uint8_t> payload = {'h', 'e', 'l', 'l', 'o', '!', '!'};
  const auto ipv4 = Tlv(ParameterType::kIpv4Address, {127, 0, 0, 1});
  const auto init_params =
      Concat({ipv4, Tlv(ParameterType::kSupportedAddressTypes, {0, 5, 0, 6}),
              Tlv(ParameterType::kForwardTsnSupported, {}),
              Tlv(ParameterType::kSupportedExtensions, {0x40, 0x82, 0xc0, 0xc2}),
              Tlv(ParameterType::kRandom, std::vector<uint8_t>(32, 7)),
              Tlv(ParameterType::kChunkList, {0x03, 0x82}),
              Tlv(ParameterType::kRequestedHmacAlgorithm, {0, 1, 0, 3}),
              Tlv(ParameterType::kZeroChecksumAcceptable, {0, 0, 0, 1})});
  const auto cookie = std::vector<uint8_t>(44, 0x5a);
  const auto init_ack_params =
      Concat({Tlv(ParameterType::kStateCookie, cookie), ipv4,
              Tlv(ParameterType::kUnrecognizedParameter, Tlv(0xC123, {1, 2, 3}))});
  const auto hb_info = Tlv(ParameterType::kHeartbeatInfo, std::vector<uint8_t>(12, 3));
  const auto causes =
      Concat({Tlv(ErrorCauseCode::kUserInitiatedAbort, {'b', 'y', 'e'}),
              Tlv(ErrorCauseCode::kInvalidStreamIdentifier, {0, 9, 0, 0}),
              Tlv(ErrorCauseCode::kStaleCookieError, {0, 1, 0, 0}),
              Tlv(ErrorCauseCode::kMissingMandatoryParameter, {0, 0, 0, 1, 0, 7, 0, 0}),
              Tlv(ErrorCauseCode::kNoUserData, {0, 0, 0, 5})});
  const auto reconfig =
      Concat({Tlv(ParameterType::kOutgoingSsnResetRequest,
                  {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9, 0, 1, 0, 2}),
              Tlv(ParameterType::kIncomingSsnResetRequest, {0, 0, 0, 2, 0, 3, 0, 0})});
  const auto reconfig_resp = Tlv(ParameterType::kReconfigResponse, {0, 0, 0, 1, 0, 0, 0, 1});
  const auto asconf_params = Concat(
      {Tlv(ParameterType::kAddIpAddress, Concat({{0, 0, 0, 1}, Tlv(5, {10, 0, 0, 2})})),
       Tlv(ParameterType::kSetPrimaryAddress, Concat({{0, 0, 0, 2}, Tlv(5, {10, 0, 0, 2})}))});
  const auto asconf_ack_params =
      Concat({Tlv(ParameterType::kSuccessIndication, {0, 0, 0, 1}),
              Tlv(ParameterType::kErrorCauseIndication,
                  Concat({{0, 0, 0, 2}, Tlv(ErrorCauseCode::kDeleteLastRemainingAddress, ipv4)}))});
  const GapAckBlock gaps[] = {{2, 3}, {5, 9}};
  const TsnRecord dups[] = {{Tsn(100)}};
  const ForwardTsnStream fwd[] = {{StreamId(1), Ssn(4)}, {StreamId(2), Ssn(9)}};
  const IForwardTsnStream ifwd[] = {{StreamId(1), true, Mid(4)}, {StreamId(3), false, Mid(7)}};

  WritePacket(
      dir, "init",
      {InitChunk{VerificationTag(0xabcdef01), 65536, 10, 65535, Tsn(1), Bytes(init_params)}}, 0);
  WritePacket(dir, "init_ack",
              {InitAckChunk{VerificationTag(0x01020304), 131072, 5, 5, Tsn(0xfffffff0),
                            Bytes(init_ack_params)}});
  WritePacket(
      dir, "cookie_echo_data",
      {CookieEchoChunk{Bytes(cookie)},
       DataChunk{false, false, true, true, Tsn(1), StreamId(0), Ssn(0), Ppid(51), Bytes(payload)}});
  WritePacket(dir, "cookie_ack", {CookieAckChunk{}});
  WritePacket(
      dir, "data_fragments",
      {DataChunk{false, false, true, false, Tsn(7), StreamId(2), Ssn(3), Ppid(53), Bytes(payload)},
       DataChunk{true, true, false, true, Tsn(8), StreamId(2), Ssn(3), Ppid(53), Bytes(payload)}});
  WritePacket(dir, "sack",
              {SackChunk{Tsn(99), 4096, PackedArray<GapAckBlock>::FromHost(gaps),
                         PackedArray<TsnRecord>::FromHost(dups)}});
  WritePacket(dir, "heartbeat", {HeartbeatChunk{false, Bytes(hb_info)}});
  WritePacket(dir, "heartbeat_ack", {HeartbeatAckChunk{false, Bytes(hb_info)}});
  WritePacket(dir, "abort", {AbortChunk{true, Bytes(causes)}});
  WritePacket(dir, "error", {ErrorChunk{false, Bytes(causes)}});
  WritePacket(dir, "shutdown", {ShutdownChunk{Tsn(42)}});
  WritePacket(dir, "shutdown_ack", {ShutdownAckChunk{}});
  WritePacket(dir, "shutdown_complete", {ShutdownCompleteChunk{true}});
  WritePacket(dir, "ecne_cwr", {EcneChunk{Tsn(5)}, CwrChunk{Tsn(5)}});
  WritePacket(
      dir, "auth_data",
      {AuthChunk{1, 1, Bytes(std::vector<uint8_t>(20, 9))},
       DataChunk{false, false, true, true, Tsn(9), StreamId(0), Ssn(1), Ppid(0), Bytes(payload)}});
  WritePacket(dir, "idata",
              {IDataChunk{false, false, true, false, Tsn(10), StreamId(1), Mid(0), Ppid(51), Fsn(0),
                          Bytes(payload)},
               IDataChunk{false, false, false, true, Tsn(11), StreamId(1), Mid(0), Ppid(0), Fsn(1),
                          Bytes(payload)}});
  WritePacket(dir, "forward_tsn",
              {ForwardTsnChunk{Tsn(77), PackedArray<ForwardTsnStream>::FromHost(fwd)}});
  WritePacket(dir, "i_forward_tsn",
              {IForwardTsnChunk{Tsn(78), PackedArray<IForwardTsnStream>::FromHost(ifwd)}});
  WritePacket(dir, "reconfig", {ReconfigChunk{false, Bytes(reconfig)}});
  WritePacket(dir, "reconfig_response", {ReconfigChunk{false, Bytes(reconfig_resp)}});
  WritePacket(dir, "asconf", {AsconfChunk{7, Bytes(ipv4), Bytes(asconf_params)}});
  WritePacket(dir, "asconf_ack", {AsconfAckChunk{7, Bytes(asconf_ack_params)}});
  WritePacket(
      dir, "pad_heartbeat",
      {PadChunk{Bytes(std::vector<uint8_t>(100, 0))}, HeartbeatChunk{false, Bytes(hb_info)}});
  WritePacket(dir, "unknown_chunks",
              {UnknownChunk{0x47, 0x01, Bytes(payload)}, UnknownChunk{0xC8, 0x00, Bytes(payload)}});
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::fprintf(stderr, "usage: %s DIR [TARGET]\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const std::string target = argc == 3 ? argv[2] : "fuzz_packet_parse";
  if (target == "fuzz_packet_parse") {
    WritePacketSeeds(dir);
  } else if (target == "fuzz_endpoint_listen") {
    sctp::fuzz::WriteListenSeeds(dir);
  } else if (target == "fuzz_endpoint_connect") {
    sctp::fuzz::WriteConnectSeeds(dir);
  } else if (target == "fuzz_association") {
    sctp::fuzz::WriteAssociationSeeds(dir);
  } else if (target == "fuzz_usrsctp_api") {
    sctp::fuzz::WriteUsrsctpApiSeeds(dir);
  } else {
    std::fprintf(stderr, "unknown target %s\n", target.c_str());
    return 2;
  }
  return 0;
}
