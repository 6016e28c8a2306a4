// libFuzzer target: any bytes → PacketView → every chunk typed → re-serialize → re-parse →
// the same chunks. Also round-trips every parameter inside INIT/INIT ACK/ASCONF/ASCONF-ACK/
// RE-CONFIG/HEARTBEAT and every error cause inside ABORT/ERROR. Any crash, sanitizer report
// or mismatch is a bug.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "wire/chunks.h"
#include "wire/crc32c.h"
#include "wire/error_causes.h"
#include "wire/packet.h"
#include "wire/parameters.h"

namespace {

using namespace sctp::wire;

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "fuzz_packet_parse: %s\n", what);
  std::abort();
}

template <typename Any, typename ParseFn, typename WriteFn, typename LengthFn>
void RoundTripTlvs(TlvReader reader, ParseFn parse, WriteFn write, LengthFn length) {
  TlvView tlv;
  while (reader.Next(&tlv)) {
    Parsed<Any> typed = parse(tlv);
    if (!typed.ok()) continue;  // a clean rejection is a valid outcome
    std::vector<uint8_t> buffer(PaddedLength(length(*typed)));
    ByteWriter w(buffer);
    write(w, *typed);
    if (!w.ok() || w.size() != buffer.size()) Fail("TLV re-serialization size mismatch");
    TlvReader again(Bytes(buffer), 0);
    TlvView tlv2;
    if (!again.Next(&tlv2)) Fail("re-serialized TLV does not frame");
    Parsed<Any> typed2 = parse(tlv2);
    if (!typed2.ok()) Fail("re-serialized TLV does not parse");
    if (!(*typed == *typed2)) Fail("TLV round trip changed the value");
  }
}

void RoundTripParameters(TlvReader reader) {
  RoundTripTlvs<AnyParameter>(
      reader, [](const TlvView& t) { return ParseParameter(t); },
      [](ByteWriter& w, const AnyParameter& p) { WriteParameter(w, p); },
      [](const AnyParameter& p) { return WireLength(p); });
}
void RoundTripCauses(TlvReader reader) {
  RoundTripTlvs<AnyErrorCause>(
      reader, [](const TlvView& t) { return ParseErrorCause(t); },
      [](ByteWriter& w, const AnyErrorCause& c) { WriteErrorCause(w, c); },
      [](const AnyErrorCause& c) { return WireLength(c); });
}

void ExerciseNested(const AnyChunk& chunk) {
  if (auto* c = std::get_if<InitChunk>(&chunk)) RoundTripParameters(c->parameters_reader());
  if (auto* c = std::get_if<InitAckChunk>(&chunk)) RoundTripParameters(c->parameters_reader());
  if (auto* c = std::get_if<AsconfChunk>(&chunk)) RoundTripParameters(c->parameters_reader());
  if (auto* c = std::get_if<AsconfAckChunk>(&chunk)) RoundTripParameters(c->parameters_reader());
  if (auto* c = std::get_if<ReconfigChunk>(&chunk)) RoundTripParameters(c->reader());
  if (auto* c = std::get_if<HeartbeatChunk>(&chunk)) RoundTripParameters(c->reader());
  if (auto* c = std::get_if<AbortChunk>(&chunk)) RoundTripCauses(c->reader());
  if (auto* c = std::get_if<ErrorChunk>(&chunk)) RoundTripCauses(c->reader());
  if (auto* c = std::get_if<SackChunk>(&chunk)) {
    uint32_t sum = 0;  // touch every decoded element
    for (GapAckBlock b : c->gap_ack_blocks)
      sum += b.start + b.end;
    for (TsnRecord t : c->duplicate_tsns)
      sum += t.tsn.value();
    (void)sum;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> input(data, size);
  (void)VerifySctpChecksum(input);
  Parsed<PacketView> packet = PacketView::Parse(input);
  if (!packet.ok()) {
    // An error may point at the end of the packet (e.g. "no chunks" after a bare header).
    if (packet.error().offset > size) Fail("error offset outside the packet");
    return 0;
  }

  std::vector<AnyChunk> chunks;
  ChunkReader reader = packet->chunks();
  ChunkView view;
  while (reader.Next(&view)) {
    Parsed<AnyChunk> chunk = ParseChunk(view);
    if (!chunk.ok()) {
      if (chunk.error().offset > size) Fail("chunk error offset outside the packet");
      continue;
    }
    if (TypeOf(*chunk) != view.type) Fail("wrong alternative for chunk type");
    ExerciseNested(*chunk);
    chunks.push_back(*chunk);
  }
  if (reader.failed()) Fail("validated packet failed to iterate");

  // Re-serialize what parsed (a packet may exceed 65535 bytes only if the input did).
  std::vector<uint8_t> out(size + 4 * chunks.size() + 64);
  PacketBuilder builder(out, packet->header(), out.size());
  for (const AnyChunk& c : chunks) {
    if (!AddChunk(builder, c)) Fail("re-serialized chunk does not fit");
  }
  if (chunks.empty()) return 0;
  std::span<const uint8_t> rebuilt = builder.Finish();
  if (!VerifySctpChecksum(rebuilt)) Fail("builder wrote a bad checksum");

  Parsed<PacketView> again = PacketView::Parse(rebuilt);
  if (!again.ok()) Fail("re-serialized packet does not parse");
  ChunkReader reader2 = again->chunks();
  size_t i = 0;
  while (reader2.Next(&view)) {
    Parsed<AnyChunk> chunk = ParseChunk(view);
    if (!chunk.ok()) Fail("re-serialized chunk does not parse");
    if (i >= chunks.size() || !(*chunk == chunks[i])) Fail("chunk round trip changed the value");
    ++i;
  }
  if (i != chunks.size()) Fail("chunk count changed");
  return 0;
}
