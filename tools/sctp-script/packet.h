// SCTP packet codec for the script runner: builds injected packets from script nodes, matches
// the stack's packets against expected nodes, and prints packets readably.
//
// Deliberately independent of sctpcpp's own codec (src/wire), so a bug there cannot hide
// behind the same bug here. RFC 9260 §3 is the packet format.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "script.h"

namespace sctp_script {

// What the runner learns from the live association, to translate the script's small numbers
// (tag=1, tsn=0) into the stack's random ones, as packetdrill does.
struct LiveState {
  // The stack's initial TSN minus the script's (from the first INIT or INIT ACK it sends).
  std::optional<int64_t> local_tsn_offset;
  // Script initiate tag -> the stack's live initiate tag.
  std::map<uint32_t, uint32_t> local_tags;
  std::optional<uint32_t> local_tag;  // verification tag for injected packets
  std::optional<uint32_t> peer_tag;   // initiate tag of the script's last INIT / INIT ACK
  uint32_t last_inbound_vtag = 0;     // what a T-bit (reflected) reply must carry
  std::vector<uint8_t> cookie;        // State Cookie of the stack's last INIT ACK
};

uint32_t Crc32c(std::span<const uint8_t> bytes);

// The chunks of one script packet as bytes (no common header). Throws ScriptError.
std::vector<uint8_t> BuildChunks(const std::vector<Node>& chunks, LiveState& state);

// A whole SCTP packet: common header (RFC 9260 §3.1) + chunks, CRC32c filled in.
std::vector<uint8_t> BuildPacket(uint16_t source_port, uint16_t destination_port,
                                 uint32_t verification_tag, std::span<const uint8_t> chunks,
                                 bool bad_crc32c);

// Checks a packet the stack sent against the expected chunks; updates `state` (tags, TSN
// offset, cookie) from INIT / INIT ACK. Returns an empty string when it matches, otherwise
// what differs. Throws ScriptError for script mistakes (unknown chunk or field names).
std::string MatchPacket(const Packet& expected, std::span<const uint8_t> packet,
                        uint16_t local_port, uint16_t remote_port, LiveState& state);

// One readable line: "sctp(8080 > 9090, vtag=0x1234): INIT[flgs=0x00, tag=..., ...]".
std::string DescribePacket(std::span<const uint8_t> packet);

// The chunk type a script name stands for (for CHUNK[type=INIT_ACK]); nullopt if unknown.
std::optional<uint8_t> ChunkTypeByName(const std::string& name);

}  // namespace sctp_script
