// CRC32c for SCTP (RFC 9260 §6.8, Appendix A). See crc32c.h for why this is hand-written.
//
// Three implementations, picked once at run time:
//  - "sse4.2"    x86-64 `crc32` instruction (_mm_crc32_u64), compiled with a target attribute
//                so the file needs no -msse4.2;
//  - "armv8-crc" aarch64 CRC32C instructions (__crc32cd & co.), also via a target attribute;
//  - "table"     portable slicing-by-8 with tables computed at compile time.
//
// The hardware instruction has a latency of about 3 cycles but a throughput of one per cycle,
// so a single dependency chain runs at a third of the possible speed. For large buffers we run
// three independent chains over three adjacent blocks of kBlock bytes and then combine them:
// a raw (un-complemented) CRC register is linear, so
//   crc(A ++ B) = Shift_|B|(crc(A)) ^ crc_from_zero(B),
// where Shift_n multiplies by x^(8n) modulo the polynomial (the effect of feeding n zero bytes).
// Shift_n is a linear map on 32 bits, so it is four 256-entry tables, built at compile time.

#include "wire/crc32c.h"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <nmmintrin.h>
#define SCTP_CRC32C_HW 1
#define SCTP_CRC32C_HW_TARGET __attribute__((target("sse4.2")))
#elif defined(__aarch64__) && (defined(__GNUC__) || defined(__clang__))
#include <arm_acle.h>
#if defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)  // From <asm/hwcap.h>.
#endif
#endif
#define SCTP_CRC32C_HW 1
#if defined(__clang__)
#define SCTP_CRC32C_HW_TARGET __attribute__((target("crc")))
#else
#define SCTP_CRC32C_HW_TARGET __attribute__((target("+crc")))
#endif
#endif

namespace sctp::wire {
namespace {

// RFC 9260 Appendix A: polynomial 0x1EDC6F41, bit-reflected.
constexpr uint32_t kPolyReflected = 0x82F63B78;

// ---------------------------------------------------------------------------------------------
// Byte loads. memcpy keeps unaligned access well defined (no UB under UBSan); compilers turn it
// into a single load. CRC32c is defined over a little-endian reading of the words.

inline uint64_t LoadLe64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

inline uint32_t LoadLe32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
  return v;
}

[[maybe_unused]] inline uint16_t LoadLe16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] | (static_cast<unsigned>(p[1]) << 8));
}

// ---------------------------------------------------------------------------------------------
// Compile-time tables.

// Slicing-by-8: kSlice.t[k][b] is the raw CRC register after feeding byte b followed by k zero
// bytes, starting from a zero register. t[0] is the classic byte-at-a-time table.
struct SliceTables {
  uint32_t t[8][256];
};

constexpr SliceTables MakeSliceTables() {
  SliceTables s{};
  for (uint32_t b = 0; b < 256; ++b) {
    uint32_t c = b;
    for (int bit = 0; bit < 8; ++bit)
      c = (c & 1) ? (c >> 1) ^ kPolyReflected : c >> 1;
    s.t[0][b] = c;
  }
  for (int k = 1; k < 8; ++k) {
    for (uint32_t b = 0; b < 256; ++b) {
      const uint32_t prev = s.t[k - 1][b];
      s.t[k][b] = (prev >> 8) ^ s.t[0][prev & 0xFF];
    }
  }
  return s;
}

// Constant-initialised (lives in .rodata): no dynamic initialisation order to worry about.
constexpr SliceTables kSlice = MakeSliceTables();

// Polynomial arithmetic modulo P in the reflected representation: bit 31 is the coefficient of
// x^0, bit 0 the coefficient of x^31 (as in zlib's crc32_combine).
constexpr uint32_t MulModP(uint32_t a, uint32_t b) {
  uint32_t product = 0;
  for (uint32_t m = 1u << 31; m != 0; m >>= 1) {
    if (a & m) product ^= b;
    b = (b & 1) ? (b >> 1) ^ kPolyReflected : b >> 1;  // b *= x
  }
  return product;
}

// x^n mod P, by square-and-multiply.
constexpr uint32_t XPowModP(uint64_t n) {
  uint32_t result = 1u << 31;  // x^0
  uint32_t square = 1u << 30;  // x^1, then x^2, x^4, ...
  while (n != 0) {
    if (n & 1) result = MulModP(result, square);
    square = MulModP(square, square);
    n >>= 1;
  }
  return result;
}

// The linear map "feed `zero_bytes` zero bytes into a raw CRC register", as four byte tables.
struct ShiftTable {
  uint32_t t[4][256];
};

[[maybe_unused]] constexpr ShiftTable MakeShiftTable(uint64_t zero_bytes) {
  ShiftTable s{};
  const uint32_t factor = XPowModP(8 * zero_bytes);
  for (int k = 0; k < 4; ++k) {
    for (uint32_t b = 0; b < 256; ++b)
      s.t[k][b] = MulModP(b << (8 * k), factor);
  }
  return s;
}

[[maybe_unused]] inline uint32_t Shift(const ShiftTable& s, uint32_t crc) {
  return s.t[0][crc & 0xFF] ^ s.t[1][(crc >> 8) & 0xFF] ^ s.t[2][(crc >> 16) & 0xFF] ^
         s.t[3][crc >> 24];
}

// Sanity checks of the table machinery, evaluated by the compiler.
static_assert(kSlice.t[0][1] == 0xF26B8303 && kSlice.t[0][2] == 0xE13B70F7);  // Appendix A table
static_assert(kSlice.t[0][0x80] == kPolyReflected);
static_assert(XPowModP(0) == (1u << 31) && XPowModP(1) == (1u << 30) && XPowModP(31) == 1);
static_assert(XPowModP(32) == kPolyReflected);  // x^32 == P - x^32 (mod P)

// ---------------------------------------------------------------------------------------------
// Portable slicing-by-8. Works on the raw (already complemented) register.

uint32_t ExtendTableRaw(uint32_t c, const uint8_t* p, size_t n) {
  const auto& t = kSlice.t;
  while (n >= 8) {
    const uint64_t v = LoadLe64(p) ^ c;
    c = t[7][v & 0xFF] ^ t[6][(v >> 8) & 0xFF] ^ t[5][(v >> 16) & 0xFF] ^ t[4][(v >> 24) & 0xFF] ^
        t[3][(v >> 32) & 0xFF] ^ t[2][(v >> 40) & 0xFF] ^ t[1][(v >> 48) & 0xFF] ^ t[0][v >> 56];
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    c = (c >> 8) ^ t[0][(c ^ *p) & 0xFF];
    ++p;
    --n;
  }
  return c;
}

uint32_t ExtendTable(uint32_t crc, const uint8_t* p, size_t n) {
  return ~ExtendTableRaw(~crc, p, n);
}

// ---------------------------------------------------------------------------------------------
// Hardware implementations (one per architecture, sharing the three-stream code below).

#if defined(SCTP_CRC32C_HW)

#if defined(__x86_64__)
constexpr std::string_view kHwName = "sse4.2";

SCTP_CRC32C_HW_TARGET inline uint32_t HwU64(uint32_t c, uint64_t v) {
  return static_cast<uint32_t>(_mm_crc32_u64(c, v));
}
SCTP_CRC32C_HW_TARGET inline uint32_t HwU32(uint32_t c, uint32_t v) {
  return _mm_crc32_u32(c, v);
}
SCTP_CRC32C_HW_TARGET inline uint32_t HwU16(uint32_t c, uint16_t v) {
  return _mm_crc32_u16(c, v);
}
SCTP_CRC32C_HW_TARGET inline uint32_t HwU8(uint32_t c, uint8_t v) {
  return _mm_crc32_u8(c, v);
}

bool HwAvailable() {
  __builtin_cpu_init();  // Harmless if already done; required if called before constructors.
  return __builtin_cpu_supports("sse4.2");
}

#elif defined(__aarch64__)
constexpr std::string_view kHwName = "armv8-crc";

#if defined(__clang__) && !defined(__ARM_FEATURE_CRC32)
// clang's <arm_acle.h> only declares __crc32c* when the whole TU is built with +crc, so call
// the builtins behind them directly.
SCTP_CRC32C_HW_TARGET inline uint32_t HwU64(uint32_t c, uint64_t v) {
  return __builtin_arm_crc32cd(c, v);
}
SCTP_CRC32C_HW_TARGET inline uint32_t HwU32(uint32_t c, uint32_t v) {
  return __builtin_arm_crc32cw(c, v);
}
SCTP_CRC32C_HW_TARGET inline uint32_t HwU16(uint32_t c, uint16_t v) {
  return __builtin_arm_crc32ch(c, v);
}
SCTP_CRC32C_HW_TARGET inline uint32_t HwU8(uint32_t c, uint8_t v) {
  return __builtin_arm_crc32cb(c, v);
}
#else
// GCC's <arm_acle.h> wraps these in `#pragma GCC target("+crc")`, so they exist regardless.
SCTP_CRC32C_HW_TARGET inline uint32_t HwU64(uint32_t c, uint64_t v) {
  return __crc32cd(c, v);
}
SCTP_CRC32C_HW_TARGET inline uint32_t HwU32(uint32_t c, uint32_t v) {
  return __crc32cw(c, v);
}
SCTP_CRC32C_HW_TARGET inline uint32_t HwU16(uint32_t c, uint16_t v) {
  return __crc32ch(c, v);
}
SCTP_CRC32C_HW_TARGET inline uint32_t HwU8(uint32_t c, uint8_t v) {
  return __crc32cb(c, v);
}
#endif

bool HwAvailable() {
#if defined(__ARM_FEATURE_CRC32) || defined(__APPLE__)
  return true;  // Built for a CPU that has it (every Apple arm64 does).
#elif defined(__linux__)
  return (getauxval(AT_HWCAP) & HWCAP_CRC32) != 0;
#else
  return false;
#endif
}
#endif  // architecture

// Block sizes (bytes per stream) for the three-stream loop, largest first. The large block
// amortises the combine step on big buffers; the small ones keep MTU-sized packets (1500 bytes)
// mostly on the three-stream path. Each costs one 4 KiB shift table.
constexpr size_t kLongBlock = 2048;
constexpr size_t kMidBlock = 256;
constexpr size_t kShortBlock = 64;
constexpr ShiftTable kShiftLong = MakeShiftTable(kLongBlock);
constexpr ShiftTable kShiftMid = MakeShiftTable(kMidBlock);
constexpr ShiftTable kShiftShort = MakeShiftTable(kShortBlock);

// Consumes as many groups of 3 * kBlock bytes as possible from [p, p + n).
template <size_t kBlock>
SCTP_CRC32C_HW_TARGET inline uint32_t HwThreeStreams(uint32_t c, const uint8_t*& p, size_t& n,
                                                     const ShiftTable& shift) {
  static_assert(kBlock % 8 == 0);
  while (n >= 3 * kBlock) {
    uint32_t c0 = c;
    uint32_t c1 = 0;
    uint32_t c2 = 0;
    const uint8_t* p0 = p;
    const uint8_t* p1 = p + kBlock;
    const uint8_t* p2 = p + 2 * kBlock;
    for (size_t i = 0; i < kBlock; i += 8) {
      c0 = HwU64(c0, LoadLe64(p0 + i));
      c1 = HwU64(c1, LoadLe64(p1 + i));
      c2 = HwU64(c2, LoadLe64(p2 + i));
    }
    // crc(A ++ B ++ C) = Shift(Shift(crc(A)) ^ crc0(B)) ^ crc0(C).
    c = Shift(shift, Shift(shift, c0) ^ c1) ^ c2;
    p += 3 * kBlock;
    n -= 3 * kBlock;
  }
  return c;
}

SCTP_CRC32C_HW_TARGET uint32_t ExtendHw(uint32_t crc, const uint8_t* p, size_t n) {
  uint32_t c = ~crc;
  if (n >= 16) {
    // Align to 8 bytes so the word loads below never straddle a cache line.
    const auto misalign = reinterpret_cast<uintptr_t>(p);
    if (misalign & 1) {
      c = HwU8(c, *p);
      p += 1;
      n -= 1;
    }
    if (misalign & 2) {
      c = HwU16(c, LoadLe16(p));
      p += 2;
      n -= 2;
    }
    if (misalign & 4) {
      c = HwU32(c, LoadLe32(p));
      p += 4;
      n -= 4;
    }
  }
  c = HwThreeStreams<kLongBlock>(c, p, n, kShiftLong);
  c = HwThreeStreams<kMidBlock>(c, p, n, kShiftMid);
  c = HwThreeStreams<kShortBlock>(c, p, n, kShiftShort);
  while (n >= 8) {
    c = HwU64(c, LoadLe64(p));
    p += 8;
    n -= 8;
  }
  if (n >= 4) {
    c = HwU32(c, LoadLe32(p));
    p += 4;
    n -= 4;
  }
  while (n > 0) {
    c = HwU8(c, *p);
    ++p;
    --n;
  }
  return ~c;
}

#endif  // SCTP_CRC32C_HW

// ---------------------------------------------------------------------------------------------
// Dispatch, decided once (thread-safe function-local static).

using ExtendFn = uint32_t (*)(uint32_t, const uint8_t*, size_t);

struct Implementation {
  ExtendFn extend;
  std::string_view name;
};

Implementation Select() {
#if defined(SCTP_CRC32C_HW)
  if (HwAvailable()) return {&ExtendHw, kHwName};
#endif
  return {&ExtendTable, "table"};
}

const Implementation& Selected() {
  static const Implementation impl = Select();
  return impl;
}

constexpr size_t kChecksumOffset = 8;
constexpr size_t kCommonHeaderSize = 12;

}  // namespace

uint32_t Crc32cExtend(uint32_t crc, std::span<const uint8_t> data) {
  return Selected().extend(crc, data.data(), data.size());
}

uint32_t Crc32c(std::span<const uint8_t> data) {
  return Crc32cExtend(0, data);
}

uint32_t Crc32cExtendPortable(uint32_t crc, std::span<const uint8_t> data) {
  return ExtendTable(crc, data.data(), data.size());
}

std::string_view Crc32cImplementationName() {
  return Selected().name;
}

uint32_t SctpChecksum(std::span<const uint8_t> packet) {
  if (packet.size() < kCommonHeaderSize) return 0;
  // RFC 9260 §6.8: the CRC covers the whole packet with the checksum field taken as zero. Copy
  // the common header with the field zeroed rather than touching the caller's bytes.
  uint8_t header[kCommonHeaderSize] = {};
  std::memcpy(header, packet.data(), kChecksumOffset);
  const ExtendFn extend = Selected().extend;
  const uint32_t crc = extend(0, header, kCommonHeaderSize);
  return extend(crc, packet.data() + kCommonHeaderSize, packet.size() - kCommonHeaderSize);
}

void WriteSctpChecksum(std::span<uint8_t> packet) {
  if (packet.size() < kCommonHeaderSize) return;
  const uint32_t crc = SctpChecksum(packet);
  // On the wire the CRC's least significant byte comes first (RFC 9260 Appendix A's sample
  // code; Linux, FreeBSD and usrsctp all agree), i.e. little-endian, unlike every other field.
  for (size_t i = 0; i < 4; ++i) {
    packet[kChecksumOffset + i] = static_cast<uint8_t>(crc >> (8 * i));
  }
}

bool VerifySctpChecksum(std::span<const uint8_t> packet) {
  if (packet.size() < kCommonHeaderSize) return false;
  // RFC 9260 §6.8: a mismatch makes the packet invalid (the caller discards it).
  return LoadLe32(packet.data() + kChecksumOffset) == SctpChecksum(packet);
}

}  // namespace sctp::wire
