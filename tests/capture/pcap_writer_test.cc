#include "capture/pcap_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace sctp::capture {
namespace {

uint32_t LoadLe32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
uint16_t LoadLe16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] | p[1] << 8);
}
uint16_t LoadBe16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}

// Runs `write` against a PcapWriter on an anonymous temporary file and returns the bytes.
template <typename F>
std::vector<uint8_t> Capture(F write) {
  std::FILE* f = std::tmpfile();
  EXPECT_NE(f, nullptr);
  if (f == nullptr) return {};
  {
    std::unique_ptr<PcapWriter> w = PcapWriter::ForStream(f);
    EXPECT_NE(w, nullptr);
    write(*w);
    EXPECT_TRUE(w->ok());
  }
  std::vector<uint8_t> out;
  std::rewind(f);
  int c;
  while ((c = std::fgetc(f)) != EOF)
    out.push_back(static_cast<uint8_t>(c));
  std::fclose(f);
  return out;
}

const Ipv4Endpoint kSrc{{127, 0, 0, 1}, 40000};
const Ipv4Endpoint kDst{{10, 1, 2, 3}, 9899};

std::vector<uint8_t> FakeSctp(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = static_cast<uint8_t>(i * 7 + 1);
  return v;
}

TEST(PcapWriterTest, FileHeaderBytes) {
  const std::vector<uint8_t> file = Capture([](PcapWriter&) {});
  const std::vector<uint8_t> expected = {
      0xd4, 0xc3, 0xb2, 0xa1,  // magic, little-endian
      0x02, 0x00, 0x04, 0x00,  // version 2.4
      0x00, 0x00, 0x00, 0x00,  // thiszone
      0x00, 0x00, 0x00, 0x00,  // sigfigs
      0xff, 0xff, 0x00, 0x00,  // snaplen 65535
      0x65, 0x00, 0x00, 0x00,  // LINKTYPE_RAW (101)
  };
  EXPECT_EQ(file, expected);
}

TEST(PcapWriterTest, UdpRecordLayout) {
  const std::vector<uint8_t> sctp = FakeSctp(33);
  const std::vector<uint8_t> file = Capture([&](PcapWriter& w) {
    EXPECT_TRUE(w.WriteSctpOverUdp(kSrc, kDst, sctp, 1'700'000'000'123'456));
    EXPECT_EQ(w.packets_written(), 1u);
  });
  const size_t ip_len = 20 + 8 + sctp.size();
  ASSERT_EQ(file.size(), kPcapFileHeaderSize + kPcapRecordHeaderSize + ip_len);
  const uint8_t* rec = file.data() + kPcapFileHeaderSize;
  EXPECT_EQ(LoadLe32(rec), 1'700'000'000u);
  EXPECT_EQ(LoadLe32(rec + 4), 123'456u);
  EXPECT_EQ(LoadLe32(rec + 8), ip_len);   // incl_len
  EXPECT_EQ(LoadLe32(rec + 12), ip_len);  // orig_len

  const uint8_t* ip = rec + kPcapRecordHeaderSize;
  EXPECT_EQ(ip[0], 0x45);
  EXPECT_EQ(LoadBe16(ip + 2), ip_len);
  EXPECT_EQ(LoadBe16(ip + 6), 0x4000);  // DF
  EXPECT_EQ(ip[8], 64);
  EXPECT_EQ(ip[9], kIpProtocolUdp);
  EXPECT_EQ(std::vector<uint8_t>(ip + 12, ip + 16), std::vector<uint8_t>({127, 0, 0, 1}));
  EXPECT_EQ(std::vector<uint8_t>(ip + 16, ip + 20), std::vector<uint8_t>({10, 1, 2, 3}));
  // A correct header checksum makes the header sum to 0 (RFC 1071).
  EXPECT_NE(LoadBe16(ip + 10), 0);
  EXPECT_EQ(InternetChecksum(std::span<const uint8_t>(ip, 20)), 0);

  const uint8_t* udp = ip + 20;
  EXPECT_EQ(LoadBe16(udp), 40000);
  EXPECT_EQ(LoadBe16(udp + 2), 9899);
  EXPECT_EQ(LoadBe16(udp + 4), 8 + sctp.size());
  EXPECT_EQ(LoadBe16(udp + 6), 0);
  EXPECT_EQ(std::vector<uint8_t>(udp + 8, file.data() + file.size()), sctp);
}

TEST(PcapWriterTest, RawSctpRecordAndConsecutiveRecords) {
  const std::vector<uint8_t> a = FakeSctp(16);
  const std::vector<uint8_t> b = FakeSctp(100);
  const std::vector<uint8_t> file = Capture([&](PcapWriter& w) {
    EXPECT_TRUE(w.WriteSctpOverIp(kSrc, kDst, a, 5));
    EXPECT_TRUE(w.WriteSctpOverUdp(kDst, kSrc, b, 6));
    EXPECT_EQ(w.packets_written(), 2u);
  });
  ASSERT_EQ(file.size(), 24 + (16 + 20 + 16) + (16 + 28 + 100));
  const uint8_t* rec1 = file.data() + 24;
  EXPECT_EQ(LoadLe32(rec1 + 8), 36u);
  const uint8_t* ip1 = rec1 + 16;
  EXPECT_EQ(ip1[9], kIpProtocolSctp);
  EXPECT_EQ(LoadBe16(ip1 + 2), 36);
  EXPECT_EQ(InternetChecksum(std::span<const uint8_t>(ip1, 20)), 0);
  EXPECT_EQ(std::vector<uint8_t>(ip1 + 20, ip1 + 36), a);

  const uint8_t* rec2 = rec1 + 16 + 36;
  EXPECT_EQ(LoadLe32(rec2), 0u);
  EXPECT_EQ(LoadLe32(rec2 + 4), 6u);
  EXPECT_EQ(LoadLe32(rec2 + 8), 128u);
  const uint8_t* ip2 = rec2 + 16;
  EXPECT_EQ(ip2[9], kIpProtocolUdp);
  EXPECT_EQ(LoadBe16(ip2 + 4), LoadBe16(ip1 + 4) + 1);  // identification advances
  EXPECT_EQ(InternetChecksum(std::span<const uint8_t>(ip2, 20)), 0);
}

TEST(PcapWriterTest, NegativeTimeUsesFloorDivision) {
  const std::vector<uint8_t> file =
      Capture([&](PcapWriter& w) { EXPECT_TRUE(w.WriteSctpOverIp(kSrc, kDst, FakeSctp(12), -1)); });
  ASSERT_GE(file.size(), 24u + 16u);
  EXPECT_EQ(LoadLe32(file.data() + 24), 0xffffffffu);  // -1 s
  EXPECT_EQ(LoadLe32(file.data() + 28), 999'999u);
}

TEST(PcapWriterTest, RejectsPacketsLargerThanAnIpv4Datagram) {
  const std::vector<uint8_t> big(65535 - 28 + 1);
  const std::vector<uint8_t> file = Capture([&](PcapWriter& w) {
    EXPECT_FALSE(w.WriteSctpOverUdp(kSrc, kDst, big, 0));
    EXPECT_TRUE(w.WriteSctpOverIp(kSrc, kDst, big, 0));  // 20 bytes of header fit
    EXPECT_EQ(w.packets_written(), 1u);
  });
  EXPECT_EQ(file.size(), 24 + 16 + 20 + big.size());
  EXPECT_EQ(LoadLe16(file.data() + 24 + 8), 65535 - 8 + 1);
}

TEST(PcapWriterTest, OpenWritesFileAndFailsOnBadPath) {
  EXPECT_EQ(PcapWriter::Open("/nonexistent-dir-sctpcpp/x.pcap"), nullptr);
  std::string path = ::testing::TempDir() + "sctpcpp_pcap_writer_test_XXXXXX";
  const int fd = mkstemp(path.data());
  ASSERT_GE(fd, 0) << path;
  close(fd);
  {
    std::unique_ptr<PcapWriter> w = PcapWriter::Open(path);
    ASSERT_NE(w, nullptr);
    EXPECT_TRUE(w->WriteSctpOverUdp(kSrc, kDst, FakeSctp(20), 0));
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  ASSERT_NE(f, nullptr);
  std::fseek(f, 0, SEEK_END);
  EXPECT_EQ(std::ftell(f), 24 + 16 + 28 + 20);
  std::fclose(f);
  std::remove(path.c_str());
}

TEST(PcapWriterTest, InternetChecksumKnownValue) {
  // The RFC 1071 §3 example words 0001 f203 f4f5 f6f7 sum to 0xddf2; checksum 0x220d.
  const std::vector<uint8_t> words = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(InternetChecksum(words), 0x220d);
  // A classic IPv4 header example (checksum 0xb861).
  const std::vector<uint8_t> ip = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                                   0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  EXPECT_EQ(InternetChecksum(ip), 0xb861);
  // Odd length: the last byte is padded with zero.
  EXPECT_EQ(InternetChecksum(std::vector<uint8_t>{0x12}), static_cast<uint16_t>(~0x1200));
}

TEST(ToText2pcapHexTest, Format) {
  EXPECT_EQ(ToText2pcapHex({}), "");
  EXPECT_EQ(ToText2pcapHex(std::vector<uint8_t>{0x00, 0xab, 0xFF}), "0000 00 ab ff\n");
  std::vector<uint8_t> bytes(35);
  for (size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(ToText2pcapHex(bytes),
            "0000 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f\n"
            "0010 10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f\n"
            "0020 20 21 22\n");
}

TEST(ToText2pcapHexTest, OffsetsGrowBeyondFourDigits) {
  const std::vector<uint8_t> bytes(0x10010, 0x5a);
  const std::string text = ToText2pcapHex(bytes);
  EXPECT_NE(text.find("\nfff0 5a"), std::string::npos);
  EXPECT_NE(text.find("\n10000 5a"), std::string::npos);
  EXPECT_EQ(text.substr(text.size() - 54),
            "10000 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a\n");
}

}  // namespace
}  // namespace sctp::capture
