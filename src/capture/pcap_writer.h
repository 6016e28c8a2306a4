// Packet capture for humans and tools: writes SCTP packets into a classic pcap file
// (tcpdump format, https://www.tcpdump.org/manpages/pcap-savefile.5.html) with a
// synthesized IPv4 header, so that Wireshark/tshark decode them without configuration.
//
// SCTP over UDP (RFC 6951): Wireshark decodes UDP port 9899 (IANA's sctp-tunneling port)
// as SCTP by default; any other port needs "Decode As" (tshark -d udp.port==N,sctp). Raw
// SCTP (IPv4 protocol 132) is always decoded.
//
// The link type is LINKTYPE_RAW (101): every record starts with the IPv4 header, no
// Ethernet header is invented. The file is written little-endian (the magic number tells
// readers the byte order), so the same run produces the same bytes on every host.
#ifndef SCTPCPP_CAPTURE_PCAP_WRITER_H_
#define SCTPCPP_CAPTURE_PCAP_WRITER_H_

#include <array>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>

namespace sctp::capture {

struct Ipv4Endpoint {
  std::array<uint8_t, 4> address{};
  uint16_t port = 0;  // UDP port for WriteSctpOverUdp; ignored by WriteSctpOverIp
};

constexpr uint32_t kPcapMagic = 0xa1b2c3d4;  // microsecond timestamps
constexpr uint16_t kPcapVersionMajor = 2;
constexpr uint16_t kPcapVersionMinor = 4;
constexpr uint32_t kPcapSnapLen = 65535;
constexpr uint32_t kLinkTypeRaw = 101;  // LINKTYPE_RAW: packets begin with an IPv4/IPv6 header
constexpr size_t kPcapFileHeaderSize = 24;
constexpr size_t kPcapRecordHeaderSize = 16;
constexpr size_t kIpv4HeaderSize = 20;
constexpr size_t kUdpHeaderSize = 8;
constexpr uint8_t kIpProtocolUdp = 17;
constexpr uint8_t kIpProtocolSctp = 132;

class PcapWriter {
 public:
  // Creates (truncates) `path` and writes the file header. nullptr if it cannot be opened.
  static std::unique_ptr<PcapWriter> Open(const std::string& path);
  // Writes to an already open stream, which the caller keeps open while the writer lives
  // and closes afterwards. Writes the file header at once.
  static std::unique_ptr<PcapWriter> ForStream(std::FILE* file);

  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  // One record: IPv4 (protocol 17, DF, TTL 64, header checksum) + UDP (checksum 0, which
  // RFC 768 allows over IPv4) + the SCTP packet. `time_us` is microseconds since the Unix
  // epoch (or any origin the caller likes; tshark shows it as the arrival time).
  // Returns false (and writes nothing) if the packet would not fit in an IPv4 datagram,
  // or if the stream reported an error.
  bool WriteSctpOverUdp(const Ipv4Endpoint& src, const Ipv4Endpoint& dst,
                        std::span<const uint8_t> sctp_packet, int64_t time_us);
  // One record: IPv4 with protocol 132 (SCTP directly over IP) + the SCTP packet. The
  // endpoints' ports are not used (the SCTP common header carries its own).
  bool WriteSctpOverIp(const Ipv4Endpoint& src, const Ipv4Endpoint& dst,
                       std::span<const uint8_t> sctp_packet, int64_t time_us);

  void Flush();
  // False once any write failed.
  bool ok() const { return ok_; }
  uint64_t packets_written() const { return packets_; }

 private:
  PcapWriter(std::FILE* file, bool owns_file);
  bool WriteRecord(const Ipv4Endpoint& src, const Ipv4Endpoint& dst, bool udp,
                   std::span<const uint8_t> sctp_packet, int64_t time_us);

  std::FILE* file_;
  bool owns_file_;
  bool ok_ = true;
  uint16_t ip_id_ = 0;
  uint64_t packets_ = 0;
};

// RFC 1071 Internet checksum of `bytes` (one's complement of the one's complement sum of
// 16-bit big-endian words). A header whose checksum field is filled in sums to 0.
uint16_t InternetChecksum(std::span<const uint8_t> bytes);

// The hex dump text2pcap reads (and usrsctp_dumppacket writes): one line per 16 bytes,
// "OOOO xx xx ... xx\n" with a hexadecimal offset of at least four digits. Empty input
// gives an empty string.
std::string ToText2pcapHex(std::span<const uint8_t> bytes);

}  // namespace sctp::capture

#endif  // SCTPCPP_CAPTURE_PCAP_WRITER_H_
