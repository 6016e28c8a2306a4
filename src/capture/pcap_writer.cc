#include "capture/pcap_writer.h"

#include <cstring>

namespace sctp::capture {
namespace {

void StoreLe16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
void StoreLe32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = static_cast<uint8_t>(v >> (8 * i));
}
void StoreBe16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}

}  // namespace

uint16_t InternetChecksum(std::span<const uint8_t> bytes) {
  uint32_t sum = 0;
  size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2)
    sum += (uint32_t{bytes[i]} << 8) | bytes[i + 1];
  if (i < bytes.size()) sum += uint32_t{bytes[i]} << 8;  // odd length: pad with a zero byte
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

std::unique_ptr<PcapWriter> PcapWriter::Open(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return nullptr;
  std::unique_ptr<PcapWriter> writer(new PcapWriter(file, /*owns_file=*/true));
  if (!writer->ok()) return nullptr;
  return writer;
}

std::unique_ptr<PcapWriter> PcapWriter::ForStream(std::FILE* file) {
  if (file == nullptr) return nullptr;
  std::unique_ptr<PcapWriter> writer(new PcapWriter(file, /*owns_file=*/false));
  if (!writer->ok()) return nullptr;
  return writer;
}

PcapWriter::PcapWriter(std::FILE* file, bool owns_file) : file_(file), owns_file_(owns_file) {
  uint8_t header[kPcapFileHeaderSize] = {};
  StoreLe32(header, kPcapMagic);
  StoreLe16(header + 4, kPcapVersionMajor);
  StoreLe16(header + 6, kPcapVersionMinor);
  // bytes 8..15: thiszone and sigfigs, always 0.
  StoreLe32(header + 16, kPcapSnapLen);
  StoreLe32(header + 20, kLinkTypeRaw);
  ok_ = std::fwrite(header, 1, sizeof(header), file_) == sizeof(header);
}

PcapWriter::~PcapWriter() {
  if (owns_file_) {
    std::fclose(file_);
  } else {
    std::fflush(file_);
  }
}

void PcapWriter::Flush() {
  if (std::fflush(file_) != 0) ok_ = false;
}

bool PcapWriter::WriteSctpOverUdp(const Ipv4Endpoint& src, const Ipv4Endpoint& dst,
                                  std::span<const uint8_t> sctp_packet, int64_t time_us) {
  return WriteRecord(src, dst, /*udp=*/true, sctp_packet, time_us);
}

bool PcapWriter::WriteSctpOverIp(const Ipv4Endpoint& src, const Ipv4Endpoint& dst,
                                 std::span<const uint8_t> sctp_packet, int64_t time_us) {
  return WriteRecord(src, dst, /*udp=*/false, sctp_packet, time_us);
}

bool PcapWriter::WriteRecord(const Ipv4Endpoint& src, const Ipv4Endpoint& dst, bool udp,
                             std::span<const uint8_t> sctp_packet, int64_t time_us) {
  if (!ok_) return false;
  const size_t headers = kIpv4HeaderSize + (udp ? kUdpHeaderSize : 0);
  const size_t total = headers + sctp_packet.size();
  // The IPv4 Total Length field is 16 bits (and equals the snap length, so nothing is cut).
  if (total > 0xffff) return false;

  uint8_t buf[kPcapRecordHeaderSize + kIpv4HeaderSize + kUdpHeaderSize] = {};
  uint8_t* rec = buf;
  // Floor division, so that times before the origin still give 0 <= usec < 1e6.
  int64_t sec = time_us / 1'000'000;
  int64_t usec = time_us % 1'000'000;
  if (usec < 0) {
    usec += 1'000'000;
    --sec;
  }
  StoreLe32(rec, static_cast<uint32_t>(sec));
  StoreLe32(rec + 4, static_cast<uint32_t>(usec));
  StoreLe32(rec + 8, static_cast<uint32_t>(total));   // captured length
  StoreLe32(rec + 12, static_cast<uint32_t>(total));  // original length

  // RFC 791 §3.1 header, no options.
  uint8_t* ip = rec + kPcapRecordHeaderSize;
  ip[0] = 0x45;  // version 4, IHL 5 words
  ip[1] = 0;     // DSCP/ECN
  StoreBe16(ip + 2, static_cast<uint16_t>(total));
  StoreBe16(ip + 4, ip_id_++);
  StoreBe16(ip + 6, 0x4000);  // flags: DF; fragment offset 0
  ip[8] = 64;                 // TTL
  ip[9] = udp ? kIpProtocolUdp : kIpProtocolSctp;
  std::memcpy(ip + 12, src.address.data(), 4);
  std::memcpy(ip + 16, dst.address.data(), 4);
  StoreBe16(ip + 10, InternetChecksum(std::span<const uint8_t>(ip, kIpv4HeaderSize)));

  if (udp) {
    // RFC 768; checksum 0 means "not computed", allowed over IPv4.
    uint8_t* u = ip + kIpv4HeaderSize;
    StoreBe16(u, src.port);
    StoreBe16(u + 2, dst.port);
    StoreBe16(u + 4, static_cast<uint16_t>(kUdpHeaderSize + sctp_packet.size()));
    StoreBe16(u + 6, 0);
  }

  const size_t head = kPcapRecordHeaderSize + headers;
  bool written = std::fwrite(buf, 1, head, file_) == head;
  if (written && !sctp_packet.empty()) {
    written = std::fwrite(sctp_packet.data(), 1, sctp_packet.size(), file_) == sctp_packet.size();
  }
  if (!written) {
    ok_ = false;
    return false;
  }
  ++packets_;
  return true;
}

std::string ToText2pcapHex(std::span<const uint8_t> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  // Per line: offset (>= 4 digits), then " xx" per byte, then '\n'.
  out.reserve((bytes.size() + 15) / 16 * (9 + 16 * 3));
  for (size_t line = 0; line < bytes.size(); line += 16) {
    char offset[24];
    std::snprintf(offset, sizeof(offset), "%04zx", line);
    out += offset;
    const size_t end = line + 16 < bytes.size() ? line + 16 : bytes.size();
    for (size_t i = line; i < end; ++i) {
      out += ' ';
      out += kHex[bytes[i] >> 4];
      out += kHex[bytes[i] & 0xf];
    }
    out += '\n';
  }
  return out;
}

}  // namespace sctp::capture
