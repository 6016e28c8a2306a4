#include "wire/crc32c.h"

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace sctp::wire {
namespace {

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::vector<uint8_t> RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> v(n);
  for (auto& b : v)
    b = static_cast<uint8_t>(rng());
  return v;
}

uint32_t LoadLe32(std::span<const uint8_t> p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

TEST(Crc32cTest, ReportsAnImplementation) {
  const std::string_view name = Crc32cImplementationName();
  EXPECT_TRUE(name == "sse4.2" || name == "armv8-crc" || name == "table") << name;
#if defined(__x86_64__)
  if (__builtin_cpu_supports("sse4.2")) {
    EXPECT_EQ(name, "sse4.2");
  }
#endif
}

TEST(Crc32cTest, CheckValue) {
  EXPECT_EQ(Crc32c(Bytes("123456789")), 0xE3069283u);
  EXPECT_EQ(Crc32cExtendPortable(0, Bytes("123456789")), 0xE3069283u);
}

TEST(Crc32cTest, Empty) {
  EXPECT_EQ(Crc32c({}), 0u);
  EXPECT_EQ(Crc32cExtendPortable(0, {}), 0u);
  EXPECT_EQ(Crc32cExtend(0x12345678, {}), 0x12345678u);
  EXPECT_EQ(Crc32cExtendPortable(0x12345678, {}), 0x12345678u);
}

// RFC 3720 Appendix B.4 (the vectors RFC 9260's predecessors point to for CRC32c). The RFC
// lists the CRC bytes in transmission order, least significant first ("aa 91 36 8a"); the values
// here are the CRC as a number.
struct Vector {
  const char* name;
  std::vector<uint8_t> data;
  uint32_t crc;
};

std::vector<Vector> Rfc3720Vectors() {
  std::vector<Vector> v;
  v.push_back({"32 zeros", std::vector<uint8_t>(32, 0x00), 0x8A9136AA});
  v.push_back({"32 0xFF", std::vector<uint8_t>(32, 0xFF), 0x62A8AB43});
  std::vector<uint8_t> inc(32), dec(32);
  for (int i = 0; i < 32; ++i) {
    inc[i] = static_cast<uint8_t>(i);
    dec[i] = static_cast<uint8_t>(31 - i);
  }
  v.push_back({"incrementing", inc, 0x46DD794E});
  v.push_back({"decrementing", dec, 0x113FDB5C});
  // An iSCSI SCSI Read (10) command PDU.
  v.push_back({"iSCSI read PDU",
               {0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
                0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28, 0x00, 0x00, 0x00,
                0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
               0xD9963A56});
  return v;
}

TEST(Crc32cTest, Rfc3720Vectors) {
  for (const Vector& v : Rfc3720Vectors()) {
    SCOPED_TRACE(v.name);
    EXPECT_EQ(Crc32c(v.data), v.crc);
    EXPECT_EQ(Crc32cExtendPortable(0, v.data), v.crc);
  }
}

TEST(Crc32cTest, DispatchedMatchesPortableForEveryLengthAndAlignment) {
  const std::vector<uint8_t> buf = RandomBytes(1024 + 16, 1);
  for (size_t offset = 0; offset < 16; ++offset) {
    for (size_t len = 0; len <= 1024; ++len) {
      const std::span<const uint8_t> s(buf.data() + offset, len);
      ASSERT_EQ(Crc32c(s), Crc32cExtendPortable(0, s)) << "offset " << offset << " len " << len;
      // A non-trivial starting value exercises the pre/post complement as well.
      ASSERT_EQ(Crc32cExtend(0xDEADBEEF, s), Crc32cExtendPortable(0xDEADBEEF, s))
          << "offset " << offset << " len " << len;
    }
  }
}

TEST(Crc32cTest, DispatchedMatchesPortableForLargeSizes) {
  const std::vector<uint8_t> buf = RandomBytes((1 << 20) + 7 + 3, 2);
  for (size_t len : {size_t{3 * 64 * 1}, size_t{3 * 256 + 3 * 64 + 5}, size_t{3 * 2048},
                     size_t{9000}, size_t{65536}, size_t{(1 << 20) + 7}}) {
    for (size_t offset : {0, 3}) {
      const std::span<const uint8_t> s(buf.data() + offset, len);
      EXPECT_EQ(Crc32c(s), Crc32cExtendPortable(0, s)) << "offset " << offset << " len " << len;
    }
  }
}

TEST(Crc32cTest, ExtendAtEverySplitPoint) {
  const std::vector<uint8_t> buf = RandomBytes(200, 3);
  const std::span<const uint8_t> all(buf);
  const uint32_t whole = Crc32c(all);
  for (size_t split = 0; split <= all.size(); ++split) {
    const auto a = all.first(split);
    const auto b = all.subspan(split);
    EXPECT_EQ(Crc32cExtend(Crc32c(a), b), whole) << split;
    EXPECT_EQ(Crc32cExtendPortable(Crc32cExtendPortable(0, a), b), whole) << split;
  }
  // Three pieces, which crosses the hardware three-stream block boundaries.
  const std::vector<uint8_t> big = RandomBytes(5000, 4);
  const uint32_t big_whole = Crc32c(big);
  for (size_t i = 0; i < big.size(); i += 97) {
    for (size_t j = i; j < big.size(); j += 389) {
      const std::span<const uint8_t> s(big);
      uint32_t c = Crc32c(s.subspan(0, i));
      c = Crc32cExtend(c, s.subspan(i, j - i));
      c = Crc32cExtend(c, s.subspan(j));
      ASSERT_EQ(c, big_whole) << i << " " << j;
    }
  }
}

TEST(SctpChecksumTest, ShortPacket) {
  std::array<uint8_t, 11> p{};
  p.fill(0xAB);
  EXPECT_EQ(SctpChecksum(p), 0u);
  WriteSctpChecksum(p);  // No-op.
  for (uint8_t b : p)
    EXPECT_EQ(b, 0xAB);
  EXPECT_FALSE(VerifySctpChecksum(p));
  EXPECT_FALSE(VerifySctpChecksum({}));
}

TEST(SctpChecksumTest, IgnoresChecksumFieldAndDoesNotModifyInput) {
  std::vector<uint8_t> p = RandomBytes(100, 5);
  p[8] = p[9] = p[10] = p[11] = 0;
  const uint32_t expected = Crc32c(p);  // RFC 9260 §6.8: CRC with the field set to zero.
  for (uint32_t field : {0x00000000u, 0xFFFFFFFFu, 0x12345678u, expected}) {
    for (int i = 0; i < 4; ++i)
      p[8 + i] = static_cast<uint8_t>(field >> (8 * i));
    const std::vector<uint8_t> before = p;
    EXPECT_EQ(SctpChecksum(p), expected);
    EXPECT_EQ(p, before);
  }
  // Exactly a common header and nothing else.
  std::array<uint8_t, 12> header = {1, 2, 3, 4, 5, 6, 7, 8, 0xFF, 0xFF, 0xFF, 0xFF};
  std::array<uint8_t, 12> zeroed = header;
  zeroed[8] = zeroed[9] = zeroed[10] = zeroed[11] = 0;
  EXPECT_EQ(SctpChecksum(header), Crc32c(zeroed));
}

TEST(SctpChecksumTest, WriteThenVerifyAndEverySingleBitFlipIsDetected) {
  for (size_t size : {size_t{12}, size_t{13}, size_t{64}, size_t{301}}) {
    SCOPED_TRACE(size);
    std::vector<uint8_t> p = RandomBytes(size, static_cast<uint32_t>(size));
    WriteSctpChecksum(p);
    ASSERT_TRUE(VerifySctpChecksum(p));
    EXPECT_EQ(LoadLe32(std::span(p).subspan(8, 4)), SctpChecksum(p));
    for (size_t bit = 0; bit < size * 8; ++bit) {
      p[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
      EXPECT_FALSE(VerifySctpChecksum(p)) << "bit " << bit;
      p[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    }
    EXPECT_TRUE(VerifySctpChecksum(p));
  }
}

// A real SCTP packet (common header + INIT chunk) built by hand. The expected checksum was
// computed independently with a bit-at-a-time CRC32c in Python, and the resulting packet
// (wrapped in IPv4 with text2pcap) is reported "Checksum (CRC32C): 0x7ec186be [correct]" by
// tshark 4.0, which confirms the on-wire byte order.
TEST(SctpChecksumTest, KnownInitPacket) {
  std::vector<uint8_t> packet = {
      // Common header (RFC 9260 §3.1).
      0x13, 0x88,              //  0: source port 5000
      0x13, 0x89,              //  2: destination port 5001
      0x00, 0x00, 0x00, 0x00,  //  4: verification tag 0 (required for INIT, §8.5.1)
      0x00, 0x00, 0x00, 0x00,  //  8: checksum, zero while computing
      // INIT chunk (RFC 9260 §3.3.2).
      0x01, 0x00, 0x00, 0x20,  // 12: type 1 (INIT), flags 0, length 32
      0x12, 0x34, 0x56, 0x78,  // 16: initiate tag 0x12345678
      0x00, 0x02, 0x00, 0x00,  // 20: a_rwnd 131072
      0x00, 0x0a, 0xff, 0xff,  // 24: outbound streams 10, inbound streams 65535
      0xa1, 0xb2, 0xc3, 0xd4,  // 28: initial TSN 0xA1B2C3D4
      0x00, 0x0c, 0x00, 0x08,  // 32: Supported Address Types (12), length 8
      0x00, 0x05, 0x00, 0x06,  // 36:   IPv4 (5), IPv6 (6)
      0xc0, 0x00, 0x00, 0x04,  // 40: Forward-TSN-Supported (0xC000, RFC 3758), length 4
  };
  ASSERT_EQ(packet.size(), 44u);
  constexpr uint32_t kExpected = 0xBE86C17E;
  EXPECT_EQ(SctpChecksum(packet), kExpected);
  EXPECT_EQ(Crc32c(packet), kExpected);  // The field is zero here anyway.

  WriteSctpChecksum(packet);
  // Least significant byte first on the wire.
  EXPECT_EQ(packet[8], 0x7e);
  EXPECT_EQ(packet[9], 0xc1);
  EXPECT_EQ(packet[10], 0x86);
  EXPECT_EQ(packet[11], 0xbe);
  EXPECT_TRUE(VerifySctpChecksum(packet));

  // The big-endian placement (a classic interoperability bug) must not verify.
  std::swap(packet[8], packet[11]);
  std::swap(packet[9], packet[10]);
  EXPECT_FALSE(VerifySctpChecksum(packet));
}

}  // namespace
}  // namespace sctp::wire
