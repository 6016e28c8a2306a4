// CRC32c (Castagnoli) for the SCTP common header checksum.
//
// RFC 9260 §6.8: the sender computes CRC32c over the whole packet with the checksum field set
// to zero and stores the result in that field; the receiver recomputes it the same way and
// treats a mismatch as an invalid packet (silently discarded by default). Appendix A defines
// the algorithm: polynomial 0x1EDC6F41, reflected, register initialised to all ones, result
// complemented.
//
// Why hand-written: Debian 12's Abseil (20220623) has no absl::crc32c, and the checksum is on
// the hot path of every packet sent and received. The run-time dispatch uses the SSE4.2
// `crc32` instruction on x86-64, the ARMv8 CRC32C instructions on aarch64, and a portable
// slicing-by-8 table implementation everywhere else.
#ifndef SCTPCPP_WIRE_CRC32C_H_
#define SCTPCPP_WIRE_CRC32C_H_

#include <cstdint>
#include <span>
#include <string_view>

namespace sctp::wire {

// Standard CRC-32C (Castagnoli, reflected, init ~0, final xor ~0). Crc32c("123456789") ==
// 0xE3069283.
uint32_t Crc32c(std::span<const uint8_t> data);

// Continue a CRC: Crc32cExtend(Crc32c(a), b) == Crc32c(a ++ b). Crc32cExtend(0, x) ==
// Crc32c(x).
uint32_t Crc32cExtend(uint32_t crc, std::span<const uint8_t> data);

// The SCTP checksum of a whole packet: CRC32c over the packet with bytes 8..11 (checksum
// field) treated as zero, without modifying the input. Packet shorter than 12 bytes -> returns
// 0 (callers check length first).
uint32_t SctpChecksum(std::span<const uint8_t> packet);

// Writes SctpChecksum into bytes 8..11 in SCTP's on-wire byte order (the CRC's least
// significant byte first, as RFC 9260 Appendix A's sample code and every stack do). No-op if
// packet.size() < 12.
void WriteSctpChecksum(std::span<uint8_t> packet);

// True if bytes 8..11 hold the correct checksum. Zero-checksum (RFC 9653) acceptance is the
// caller's choice, not handled here. False for packets shorter than 12 bytes.
bool VerifySctpChecksum(std::span<const uint8_t> packet);

// Which implementation the run-time dispatch picked: "sse4.2", "armv8-crc" or "table".
std::string_view Crc32cImplementationName();

// For tests/benchmarks: force the portable implementation.
uint32_t Crc32cExtendPortable(uint32_t crc, std::span<const uint8_t> data);

}  // namespace sctp::wire

#endif  // SCTPCPP_WIRE_CRC32C_H_
