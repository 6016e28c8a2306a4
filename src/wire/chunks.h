// Every SCTP chunk type as a typed view: parse from a ChunkView (no copy, no allocation),
// serialize with WriteTo (header, value, zero padding). Variable-length parts are Bytes
// views into the parsed packet; lists of fixed records are PackedArrays that decode on
// access. Parsing checks framing and lengths only: protocol rules that need association
// state (e.g. "DATA without user data" → ABORT, §6.2) are the engine's.
#ifndef SCTPCPP_WIRE_CHUNKS_H_
#define SCTPCPP_WIRE_CHUNKS_H_

#include <cstdint>
#include <variant>

#include "sctpcpp/types.h"
#include "wire/byte_io.h"
#include "wire/chunk_type.h"
#include "wire/packet.h"
#include "wire/parse_result.h"
#include "wire/tlv.h"

namespace sctp::wire {

// ---- DATA (RFC 9260 §3.3.1) ----
struct DataChunk {
  static constexpr uint8_t kType = ChunkType::kData;
  static constexpr size_t kHeaderSize = 16;
  static constexpr uint8_t kFlagEnding = 0x01;     // E
  static constexpr uint8_t kFlagBeginning = 0x02;  // B
  static constexpr uint8_t kFlagUnordered = 0x04;  // U
  static constexpr uint8_t kFlagImmediate = 0x08;  // I (RFC 7053 §3, kept in RFC 9260)

  bool immediate_sack = false;
  bool unordered = false;
  bool beginning = false;
  bool ending = false;
  Tsn tsn;
  StreamId stream_id;
  Ssn ssn;
  Ppid ppid;
  Bytes user_data;

  static Parsed<DataChunk> Parse(const ChunkView& chunk);
  size_t WireLength() const { return kHeaderSize + user_data.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const DataChunk&, const DataChunk&) = default;
};

// ---- INIT (§3.3.2) and INIT ACK (§3.3.3): same fixed part, then parameters ----
template <uint8_t Type>
struct InitLikeChunk {
  static constexpr uint8_t kType = Type;
  static constexpr size_t kHeaderSize = 20;

  VerificationTag initiate_tag;
  uint32_t a_rwnd = 0;
  uint16_t outbound_streams = 0;
  uint16_t inbound_streams = 0;
  Tsn initial_tsn;
  Bytes parameters;  // TLVs, validated by Parse; read them with parameters_reader()

  static Parsed<InitLikeChunk> Parse(const ChunkView& chunk);
  TlvReader parameters_reader() const { return TlvReader(parameters, parameters_offset); }
  size_t WireLength() const { return kHeaderSize + TrimFinalTlvPadding(parameters).size(); }
  void WriteTo(ByteWriter& w) const;
  // Equal regardless of whether the last parameter's padding was counted (§3.2).
  friend bool operator==(const InitLikeChunk& a, const InitLikeChunk& b) {
    return a.initiate_tag == b.initiate_tag && a.a_rwnd == b.a_rwnd &&
           a.outbound_streams == b.outbound_streams && a.inbound_streams == b.inbound_streams &&
           a.initial_tsn == b.initial_tsn &&
           TrimFinalTlvPadding(a.parameters) == TrimFinalTlvPadding(b.parameters);
  }

  uint32_t parameters_offset = 0;  // for error offsets; not part of equality
};
using InitChunk = InitLikeChunk<ChunkType::kInit>;
using InitAckChunk = InitLikeChunk<ChunkType::kInitAck>;

// ---- SACK (§3.3.4) ----
struct GapAckBlock {
  static constexpr size_t kWireSize = 4;
  // Offsets from the Cumulative TSN Ack: the block covers TSNs cum+start .. cum+end.
  uint16_t start = 0;
  uint16_t end = 0;
  static GapAckBlock Load(const uint8_t* p) { return {Load16(p), Load16(p + 2)}; }
  void Store(uint8_t* p) const {
    Store16(p, start);
    Store16(p + 2, end);
  }
  friend bool operator==(GapAckBlock, GapAckBlock) = default;
};
struct TsnRecord {
  static constexpr size_t kWireSize = 4;
  Tsn tsn;
  static TsnRecord Load(const uint8_t* p) { return {Tsn(Load32(p))}; }
  void Store(uint8_t* p) const { Store32(p, tsn.value()); }
  friend bool operator==(TsnRecord, TsnRecord) = default;
};

struct SackChunk {
  static constexpr uint8_t kType = ChunkType::kSack;
  static constexpr size_t kHeaderSize = 16;

  Tsn cumulative_tsn_ack;
  uint32_t a_rwnd = 0;
  PackedArray<GapAckBlock> gap_ack_blocks;
  PackedArray<TsnRecord> duplicate_tsns;

  // §3.3.4: the chunk length must match the two counts exactly.
  static Parsed<SackChunk> Parse(const ChunkView& chunk);
  size_t WireLength() const {
    return kHeaderSize + gap_ack_blocks.wire_size() + duplicate_tsns.wire_size();
  }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const SackChunk&, const SackChunk&) = default;
};

// ---- chunks whose value is a sequence of TLVs ----
// HEARTBEAT §3.3.5 / HEARTBEAT ACK §3.3.6 (Heartbeat Info parameter), ERROR §3.3.10
// (error causes), ABORT §3.3.7 (error causes, T bit), RE-CONFIG RFC 6525 §3.1 (one or
// two re-configuration parameters).
template <uint8_t Type, bool HasTBit>
struct TlvListChunk {
  static constexpr uint8_t kType = Type;
  static constexpr size_t kHeaderSize = 4;
  static constexpr uint8_t kFlagT = 0x01;  // §3.3.7: "T bit": the sender had no TCB

  bool tag_reflected = false;  // T bit (ABORT only)
  Bytes tlvs;                  // validated by Parse

  static Parsed<TlvListChunk> Parse(const ChunkView& chunk);
  TlvReader reader() const { return TlvReader(tlvs, tlvs_offset); }
  size_t WireLength() const { return kHeaderSize + TrimFinalTlvPadding(tlvs).size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const TlvListChunk& a, const TlvListChunk& b) {
    return a.tag_reflected == b.tag_reflected &&
           TrimFinalTlvPadding(a.tlvs) == TrimFinalTlvPadding(b.tlvs);
  }

  uint32_t tlvs_offset = 0;  // for error offsets; not part of equality
};
using HeartbeatChunk = TlvListChunk<ChunkType::kHeartbeat, false>;
using HeartbeatAckChunk = TlvListChunk<ChunkType::kHeartbeatAck, false>;
using AbortChunk = TlvListChunk<ChunkType::kAbort, true>;
using ErrorChunk = TlvListChunk<ChunkType::kError, false>;
using ReconfigChunk = TlvListChunk<ChunkType::kReconfig, false>;

// ---- chunks with no value, or a T bit only ----
// SHUTDOWN ACK §3.3.9, COOKIE ACK §3.3.12, SHUTDOWN COMPLETE §3.3.13 (T bit).
template <uint8_t Type, bool HasTBit>
struct EmptyChunk {
  static constexpr uint8_t kType = Type;
  static constexpr uint8_t kFlagT = 0x01;
  bool tag_reflected = false;

  static Parsed<EmptyChunk> Parse(const ChunkView& chunk);
  size_t WireLength() const { return 4; }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const EmptyChunk&, const EmptyChunk&) = default;
};
using ShutdownAckChunk = EmptyChunk<ChunkType::kShutdownAck, false>;
using CookieAckChunk = EmptyChunk<ChunkType::kCookieAck, false>;
using ShutdownCompleteChunk = EmptyChunk<ChunkType::kShutdownComplete, true>;

// ---- chunks with one 32-bit TSN ----
// SHUTDOWN §3.3.8 (Cumulative TSN Ack), ECNE and CWR (RFC 9260 Appendix A, Lowest TSN).
template <uint8_t Type>
struct TsnChunk {
  static constexpr uint8_t kType = Type;
  Tsn tsn;

  static Parsed<TsnChunk> Parse(const ChunkView& chunk);
  size_t WireLength() const { return 8; }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const TsnChunk&, const TsnChunk&) = default;
};
using ShutdownChunk = TsnChunk<ChunkType::kShutdown>;
using EcneChunk = TsnChunk<ChunkType::kEcne>;
using CwrChunk = TsnChunk<ChunkType::kCwr>;

// ---- chunks with an opaque value ----
// COOKIE ECHO §3.3.11 (the cookie), PAD RFC 4820 §3 (padding data).
template <uint8_t Type>
struct OpaqueChunk {
  static constexpr uint8_t kType = Type;
  Bytes value;

  static Parsed<OpaqueChunk> Parse(const ChunkView& chunk);
  size_t WireLength() const { return 4 + value.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const OpaqueChunk&, const OpaqueChunk&) = default;
};
using CookieEchoChunk = OpaqueChunk<ChunkType::kCookieEcho>;
using PadChunk = OpaqueChunk<ChunkType::kPad>;

// ---- AUTH (RFC 4895 §4.1) ----
struct AuthChunk {
  static constexpr uint8_t kType = ChunkType::kAuth;
  static constexpr size_t kHeaderSize = 8;
  uint16_t shared_key_id = 0;
  uint16_t hmac_id = 0;
  Bytes hmac;

  static Parsed<AuthChunk> Parse(const ChunkView& chunk);
  size_t WireLength() const { return kHeaderSize + hmac.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const AuthChunk&, const AuthChunk&) = default;
};

// ---- I-DATA (RFC 8260 §2.1) ----
struct IDataChunk {
  static constexpr uint8_t kType = ChunkType::kIData;
  static constexpr size_t kHeaderSize = 20;

  bool immediate_sack = false;
  bool unordered = false;
  bool beginning = false;
  bool ending = false;
  Tsn tsn;
  StreamId stream_id;
  Mid mid;
  // RFC 8260 §2.1: the same 32 bits carry the PPID in the first fragment (B bit set) and
  // the FSN in every other fragment (the first fragment's FSN is 0).
  Ppid ppid;
  Fsn fsn;
  Bytes user_data;

  static Parsed<IDataChunk> Parse(const ChunkView& chunk);
  size_t WireLength() const { return kHeaderSize + user_data.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const IDataChunk&, const IDataChunk&) = default;
};

// ---- FORWARD-TSN (RFC 3758 §3.2) and I-FORWARD-TSN (RFC 8260 §2.3) ----
struct ForwardTsnStream {
  static constexpr size_t kWireSize = 4;
  StreamId stream_id;
  Ssn ssn;
  static ForwardTsnStream Load(const uint8_t* p) {
    return {StreamId(Load16(p)), Ssn(Load16(p + 2))};
  }
  void Store(uint8_t* p) const {
    Store16(p, stream_id.value());
    Store16(p + 2, ssn.value());
  }
  friend bool operator==(ForwardTsnStream, ForwardTsnStream) = default;
};
struct IForwardTsnStream {
  static constexpr size_t kWireSize = 8;
  StreamId stream_id;
  bool unordered = false;  // U bit: the MID is an unordered one
  Mid mid;
  static IForwardTsnStream Load(const uint8_t* p) {
    return {StreamId(Load16(p)), (Load16(p + 2) & 1) != 0, Mid(Load32(p + 4))};
  }
  void Store(uint8_t* p) const {
    Store16(p, stream_id.value());
    Store16(p + 2, unordered ? 1 : 0);
    Store32(p + 4, mid.value());
  }
  friend bool operator==(IForwardTsnStream, IForwardTsnStream) = default;
};

template <uint8_t Type, typename Entry>
struct ForwardTsnLikeChunk {
  static constexpr uint8_t kType = Type;
  static constexpr size_t kHeaderSize = 8;
  Tsn new_cumulative_tsn;
  PackedArray<Entry> streams;

  static Parsed<ForwardTsnLikeChunk> Parse(const ChunkView& chunk);
  size_t WireLength() const { return kHeaderSize + streams.wire_size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const ForwardTsnLikeChunk&, const ForwardTsnLikeChunk&) = default;
};
using ForwardTsnChunk = ForwardTsnLikeChunk<ChunkType::kForwardTsn, ForwardTsnStream>;
using IForwardTsnChunk = ForwardTsnLikeChunk<ChunkType::kIForwardTsn, IForwardTsnStream>;

// ---- ASCONF (RFC 5061 §4.1.1) and ASCONF-ACK (§4.1.2) ----
struct AsconfChunk {
  static constexpr uint8_t kType = ChunkType::kAsconf;
  uint32_t serial_number = 0;
  Bytes address_parameter;  // one IPv4/IPv6 Address Parameter TLV (unpadded)
  Bytes parameters;         // ASCONF parameters (TLVs), validated by Parse

  static Parsed<AsconfChunk> Parse(const ChunkView& chunk);
  TlvReader parameters_reader() const { return TlvReader(parameters, parameters_offset); }
  size_t WireLength() const {
    const size_t params = TrimFinalTlvPadding(parameters).size();
    return 8 + (params == 0 ? address_parameter.size() : PaddedLength(address_parameter.size())) +
           params;
  }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const AsconfChunk& a, const AsconfChunk& b) {
    return a.serial_number == b.serial_number && a.address_parameter == b.address_parameter &&
           TrimFinalTlvPadding(a.parameters) == TrimFinalTlvPadding(b.parameters);
  }
  uint32_t parameters_offset = 0;
};
struct AsconfAckChunk {
  static constexpr uint8_t kType = ChunkType::kAsconfAck;
  uint32_t serial_number = 0;
  Bytes parameters;  // ASCONF response parameters (TLVs), validated by Parse

  static Parsed<AsconfAckChunk> Parse(const ChunkView& chunk);
  TlvReader parameters_reader() const { return TlvReader(parameters, parameters_offset); }
  size_t WireLength() const { return 8 + TrimFinalTlvPadding(parameters).size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const AsconfAckChunk& a, const AsconfAckChunk& b) {
    return a.serial_number == b.serial_number &&
           TrimFinalTlvPadding(a.parameters) == TrimFinalTlvPadding(b.parameters);
  }
  uint32_t parameters_offset = 0;
};

// ---- any other chunk type (RFC 9260 §3.2: handled by its two high bits) ----
struct UnknownChunk {
  uint8_t type = 0;
  uint8_t flags = 0;
  Bytes value;

  static Parsed<UnknownChunk> Parse(const ChunkView& chunk) {
    return UnknownChunk{chunk.type, chunk.flags, chunk.value};
  }
  size_t WireLength() const { return 4 + value.size(); }
  void WriteTo(ByteWriter& w) const;
  friend bool operator==(const UnknownChunk&, const UnknownChunk&) = default;
};

using AnyChunk =
    std::variant<DataChunk, InitChunk, InitAckChunk, SackChunk, HeartbeatChunk, HeartbeatAckChunk,
                 AbortChunk, ShutdownChunk, ShutdownAckChunk, ErrorChunk, CookieEchoChunk,
                 CookieAckChunk, EcneChunk, CwrChunk, ShutdownCompleteChunk, AuthChunk, IDataChunk,
                 AsconfAckChunk, ReconfigChunk, PadChunk, ForwardTsnChunk, AsconfChunk,
                 IForwardTsnChunk, UnknownChunk>;

// Parses a chunk into the alternative for its type (UnknownChunk for unassigned types).
Parsed<AnyChunk> ParseChunk(const ChunkView& chunk);
size_t WireLength(const AnyChunk& chunk);
void WriteChunk(ByteWriter& w, const AnyChunk& chunk);
uint8_t TypeOf(const AnyChunk& chunk);
// PacketBuilder::Add for the variant: false (packet unchanged) when it does not fit.
bool AddChunk(PacketBuilder& builder, const AnyChunk& chunk);

}  // namespace sctp::wire

#endif  // SCTPCPP_WIRE_CHUNKS_H_
