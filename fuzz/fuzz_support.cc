#include "fuzz_support.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>

#include "wire/chunks.h"
#include "wire/crc32c.h"
#include "wire/packet.h"
#include "wire/parameters.h"

namespace sctp::fuzz {

bool Tracing() {
  static const bool tracing = std::getenv("SCTPCPP_FUZZ_TRACE") != nullptr;
  return tracing;
}

void Trace(const char* format, ...) {
  if (!Tracing()) return;
  va_list args;
  va_start(args, format);
  std::vfprintf(stderr, format, args);
  va_end(args);
  std::fputc('\n', stderr);
}

void TraceBytes(const char* what, std::span<const uint8_t> bytes) {
  if (!Tracing()) return;
  std::fprintf(stderr, "%s:", what);
  for (size_t i = 0; i < bytes.size(); ++i)
    std::fprintf(stderr, "%s%02x", i % 4 == 0 ? " " : "", bytes[i]);
  std::fputc('\n', stderr);
}

void Fail(const char* target, const std::string& what) {
  std::fprintf(stderr, "%s: %s\n", target, what.c_str());
  std::abort();
}

void Append16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}
void Append32(std::vector<uint8_t>& out, uint32_t v) {
  Append16(out, static_cast<uint16_t>(v >> 16));
  Append16(out, static_cast<uint16_t>(v));
}

RawPacket::RawPacket(uint16_t source_port, uint16_t destination_port, uint32_t verification_tag) {
  Append16(bytes_, source_port);
  Append16(bytes_, destination_port);
  Append32(bytes_, verification_tag);
  Append32(bytes_, 0);
}

void RawPacket::Chunk(uint8_t type, uint8_t flags, std::span<const uint8_t> body) {
  const size_t length = 4 + body.size();
  RawChunk(type, flags, static_cast<uint16_t>(length > 0xffff ? 0xffff : length), body);
  while (bytes_.size() % 4 != 0)
    bytes_.push_back(0);
}

void RawPacket::RawChunk(uint8_t type, uint8_t flags, uint16_t length,
                         std::span<const uint8_t> body) {
  bytes_.push_back(type);
  bytes_.push_back(flags);
  Append16(bytes_, length);
  bytes_.insert(bytes_.end(), body.begin(), body.end());
}

void RawPacket::Raw(std::span<const uint8_t> bytes) {
  bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
}

std::vector<uint8_t> RawPacket::Finish(bool write_checksum) const {
  std::vector<uint8_t> out = bytes_;
  if (write_checksum) wire::WriteSctpChecksum(out);
  return out;
}

int FirstChunkType(std::span<const uint8_t> packet) {
  return packet.size() >= 16 ? packet[12] : -1;
}

bool HasChunk(std::span<const uint8_t> packet, uint8_t type) {
  auto parsed = wire::PacketView::Parse(packet);
  if (!parsed.ok()) return false;
  wire::ChunkReader reader = parsed->chunks();
  wire::ChunkView chunk;
  while (reader.Next(&chunk)) {
    if (chunk.type == type) return true;
  }
  return false;
}

std::string CheckEmittedPacket(std::span<const uint8_t> packet, uint16_t local_port) {
  if (!wire::VerifySctpChecksum(packet)) return "emitted packet has a bad checksum";
  auto parsed = wire::PacketView::Parse(packet);
  if (!parsed.ok()) return "emitted packet does not parse: " + parsed.error().ToString();
  if (parsed->header().source_port != local_port) return "emitted packet from the wrong port";
  wire::ChunkReader reader = parsed->chunks();
  wire::ChunkView view;
  while (reader.Next(&view)) {
    auto chunk = wire::ParseChunk(view);
    if (!chunk.ok()) {
      return "emitted chunk " + std::to_string(view.type) +
             " does not parse: " + chunk.error().ToString();
    }
  }
  return "";
}

std::vector<std::vector<uint8_t>> StateCookiesOf(std::span<const uint8_t> packet) {
  std::vector<std::vector<uint8_t>> cookies;
  auto parsed = wire::PacketView::Parse(packet);
  if (!parsed.ok()) return cookies;
  wire::ChunkReader reader = parsed->chunks();
  wire::ChunkView view;
  while (reader.Next(&view)) {
    if (view.type != wire::ChunkType::kInitAck) continue;
    auto ack = wire::InitAckChunk::Parse(view);
    if (!ack.ok()) return cookies;
    wire::TlvReader params = ack->parameters_reader();
    wire::TlvView tlv;
    while (params.Next(&tlv)) {
      if (tlv.type == wire::ParameterType::kStateCookie) {
        cookies.emplace_back(tlv.value.begin(), tlv.value.end());
      }
    }
    break;
  }
  return cookies;
}

uint8_t PickChunkType(InputReader& fdp) {
  static constexpr uint8_t kTypes[] = {0,    1,    2,    3,    4,    5,    6,    7,    8,
                                       9,    10,   11,   12,   13,   14,   15,   0x40, 0x80,
                                       0x82, 0x84, 0xc0, 0xc1, 0xc2, 0x3f, 0x7f, 0xbf, 0xff};
  if (fdp.ConsumeBool()) return fdp.ConsumeIntegral<uint8_t>();
  return fdp.PickValueInArray(kTypes);
}

uint16_t PickParameterType(InputReader& fdp) {
  static constexpr uint16_t kTypes[] = {
      1,      5,      6,      7,      8,      9,      11,     12,     13,     14,     15,
      16,     17,     18,     0x8000, 0x8001, 0x8002, 0x8003, 0x8004, 0x8005, 0x8008, 0xc000,
      0xc001, 0xc002, 0xc003, 0xc004, 0xc005, 0xc006, 0x0123, 0x4123, 0x8123, 0xc123};
  if (fdp.ConsumeBool()) return fdp.ConsumeIntegral<uint16_t>();
  return fdp.PickValueInArray(kTypes);
}

std::vector<uint8_t> FuzzParameters(InputReader& fdp, size_t max_parameters) {
  std::vector<uint8_t> out;
  const size_t count = fdp.ConsumeIntegralInRange<size_t>(0, max_parameters);
  for (size_t i = 0; i < count && fdp.remaining_bytes() > 0; ++i) {
    const uint16_t type = PickParameterType(fdp);
    const std::vector<uint8_t> value =
        fdp.ConsumeBytes<uint8_t>(fdp.ConsumeIntegralInRange<size_t>(0, 48));
    const bool lie = fdp.ConsumeIntegralInRange<uint8_t>(0, 15) == 0;
    Append16(out, type);
    Append16(out, lie ? fdp.ConsumeIntegral<uint16_t>() : static_cast<uint16_t>(4 + value.size()));
    out.insert(out.end(), value.begin(), value.end());
    while (out.size() % 4 != 0)
      out.push_back(0);
  }
  return out;
}

}  // namespace sctp::fuzz
