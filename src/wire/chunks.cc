#include "wire/chunks.h"

#include <algorithm>

namespace sctp::wire {
namespace {

ParseError ErrorAt(ParseErrorCode code, const ChunkView& chunk, size_t field_offset) {
  return ParseError{code, static_cast<uint32_t>(chunk.offset + field_offset)};
}
// The Length field of a chunk sits at byte 2.
constexpr size_t kLengthField = 2;

void WriteHeader(ByteWriter& w, uint8_t type, uint8_t flags, size_t length) {
  // A chunk longer than the 16-bit Length field cannot be framed: fail the writer.
  if (length > 0xFFFF) {
    w.Fail();
    return;
  }
  w.U8(type);
  w.U8(flags);
  w.U16(static_cast<uint16_t>(length));
}

template <typename Chunk>
bool WrongType(const ChunkView& chunk) {
  return chunk.type != Chunk::kType;
}

}  // namespace

// ---- DATA ----
Parsed<DataChunk> DataChunk::Parse(const ChunkView& chunk) {
  if (WrongType<DataChunk>(chunk)) return ErrorAt(ParseErrorCode::kWrongType, chunk, 0);
  // §3.3.1: the fixed part is 16 bytes. A DATA chunk without user data is framed correctly;
  // §6.2 makes the receiver ABORT with "No User Data", which is the engine's decision.
  if (chunk.length < kHeaderSize)
    return ErrorAt(ParseErrorCode::kLengthTooSmall, chunk, kLengthField);
  const uint8_t* p = chunk.value.data();
  DataChunk d;
  d.immediate_sack = (chunk.flags & kFlagImmediate) != 0;
  d.unordered = (chunk.flags & kFlagUnordered) != 0;
  d.beginning = (chunk.flags & kFlagBeginning) != 0;
  d.ending = (chunk.flags & kFlagEnding) != 0;
  d.tsn = Tsn(Load32(p));
  d.stream_id = StreamId(Load16(p + 4));
  d.ssn = Ssn(Load16(p + 6));
  d.ppid = Ppid(Load32(p + 8));
  d.user_data = Bytes(chunk.value.span().subspan(12));
  return d;
}

void DataChunk::WriteTo(ByteWriter& w) const {
  const uint8_t flags = (immediate_sack ? kFlagImmediate : 0) | (unordered ? kFlagUnordered : 0) |
                        (beginning ? kFlagBeginning : 0) | (ending ? kFlagEnding : 0);
  WriteHeader(w, kType, flags, WireLength());
  w.U32(tsn.value());
  w.U16(stream_id.value());
  w.U16(ssn.value());
  w.U32(ppid.value());
  w.Append(user_data.span());
  w.PadTo4();
}

// ---- INIT / INIT ACK ----
template <uint8_t Type>
Parsed<InitLikeChunk<Type>> InitLikeChunk<Type>::Parse(const ChunkView& chunk) {
  if (WrongType<InitLikeChunk>(chunk)) return ErrorAt(ParseErrorCode::kWrongType, chunk, 0);
  if (chunk.length < kHeaderSize)
    return ErrorAt(ParseErrorCode::kLengthTooSmall, chunk, kLengthField);
  const uint8_t* p = chunk.value.data();
  InitLikeChunk c;
  c.initiate_tag = VerificationTag(Load32(p));
  c.a_rwnd = Load32(p + 4);
  c.outbound_streams = Load16(p + 8);
  c.inbound_streams = Load16(p + 10);
  c.initial_tsn = Tsn(Load32(p + 12));
  c.parameters = Bytes(chunk.value.span().subspan(16));
  c.parameters_offset = chunk.offset + kHeaderSize;
  // Zero tags or stream counts are framed correctly; §5.1 makes the receiver ABORT (or
  // silently discard), which needs association context, so the engine checks them.
  if (auto error = ValidateTlvSequence(c.parameters, c.parameters_offset)) return *error;
  return c;
}

template <uint8_t Type>
void InitLikeChunk<Type>::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, 0, WireLength());
  w.U32(initiate_tag.value());
  w.U32(a_rwnd);
  w.U16(outbound_streams);
  w.U16(inbound_streams);
  w.U32(initial_tsn.value());
  w.Append(TrimFinalTlvPadding(parameters).span());
  w.PadTo4();
}

template struct InitLikeChunk<ChunkType::kInit>;
template struct InitLikeChunk<ChunkType::kInitAck>;

// ---- SACK ----
Parsed<SackChunk> SackChunk::Parse(const ChunkView& chunk) {
  if (WrongType<SackChunk>(chunk)) return ErrorAt(ParseErrorCode::kWrongType, chunk, 0);
  if (chunk.length < kHeaderSize)
    return ErrorAt(ParseErrorCode::kLengthTooSmall, chunk, kLengthField);
  const uint8_t* p = chunk.value.data();
  SackChunk s;
  s.cumulative_tsn_ack = Tsn(Load32(p));
  s.a_rwnd = Load32(p + 4);
  const size_t gaps = Load16(p + 8);
  const size_t dups = Load16(p + 10);
  // §3.3.4: "Number of Gap Ack Blocks ... Number of Duplicate TSNs": the chunk must hold
  // exactly that many 4-byte entries.
  const size_t expected = kHeaderSize + 4 * (gaps + dups);
  if (chunk.length != expected) return ErrorAt(ParseErrorCode::kWrongLength, chunk, kLengthField);
  const std::span<const uint8_t> rest = chunk.value.span().subspan(12);
  s.gap_ack_blocks = PackedArray<GapAckBlock>::FromWire(Bytes(rest.first(4 * gaps)));
  s.duplicate_tsns = PackedArray<TsnRecord>::FromWire(Bytes(rest.subspan(4 * gaps)));
  return s;
}

void SackChunk::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, 0, WireLength());
  w.U32(cumulative_tsn_ack.value());
  w.U32(a_rwnd);
  w.U16(static_cast<uint16_t>(gap_ack_blocks.size()));
  w.U16(static_cast<uint16_t>(duplicate_tsns.size()));
  gap_ack_blocks.WriteTo(w);
  duplicate_tsns.WriteTo(w);
}

// ---- TLV-list chunks ----
template <uint8_t Type, bool HasTBit>
Parsed<TlvListChunk<Type, HasTBit>> TlvListChunk<Type, HasTBit>::Parse(const ChunkView& chunk) {
  if (WrongType<TlvListChunk>(chunk)) return ErrorAt(ParseErrorCode::kWrongType, chunk, 0);
  TlvListChunk c;
  c.tag_reflected = HasTBit && (chunk.flags & kFlagT) != 0;
  c.tlvs = chunk.value;
  c.tlvs_offset = chunk.offset + kHeaderSize;
  if (auto error = ValidateTlvSequence(c.tlvs, c.tlvs_offset)) return *error;
  return c;
}

template <uint8_t Type, bool HasTBit>
void TlvListChunk<Type, HasTBit>::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, tag_reflected ? kFlagT : 0, WireLength());
  w.Append(TrimFinalTlvPadding(tlvs).span());
  w.PadTo4();
}

template struct TlvListChunk<ChunkType::kHeartbeat, false>;
template struct TlvListChunk<ChunkType::kHeartbeatAck, false>;
template struct TlvListChunk<ChunkType::kAbort, true>;
template struct TlvListChunk<ChunkType::kError, false>;
template struct TlvListChunk<ChunkType::kReconfig, false>;

// ---- empty chunks ----
template <uint8_t Type, bool HasTBit>
Parsed<EmptyChunk<Type, HasTBit>> EmptyChunk<Type, HasTBit>::Parse(const ChunkView& chunk) {
  if (WrongType<EmptyChunk>(chunk)) return ErrorAt(ParseErrorCode::kWrongType, chunk, 0);
  if (chunk.length != 4) return ErrorAt(ParseErrorCode::kWrongLength, chunk, kLengthField);
  return EmptyChunk{HasTBit && (chunk.flags & kFlagT) != 0};
}

template <uint8_t Type, bool HasTBit>
void EmptyChunk<Type, HasTBit>::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, tag_reflected ? kFlagT : 0, 4);
}

template struct EmptyChunk<ChunkType::kShutdownAck, false>;
template struct EmptyChunk<ChunkType::kCookieAck, false>;
template struct EmptyChunk<ChunkType::kShutdownComplete, true>;

// ---- TSN chunks ----
template <uint8_t Type>
Parsed<TsnChunk<Type>> TsnChunk<Type>::Parse(const ChunkView& chunk) {
  if (WrongType<TsnChunk>(chunk)) return ErrorAt(ParseErrorCode::kWrongType, chunk, 0);
  if (chunk.length != 8) return ErrorAt(ParseErrorCode::kWrongLength, chunk, kLengthField);
  return TsnChunk{Tsn(Load32(chunk.value.data()))};
}

template <uint8_t Type>
void TsnChunk<Type>::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, 0, 8);
  w.U32(tsn.value());
}

template struct TsnChunk<ChunkType::kShutdown>;
template struct TsnChunk<ChunkType::kEcne>;
template struct TsnChunk<ChunkType::kCwr>;

// ---- opaque chunks ----
template <uint8_t Type>
Parsed<OpaqueChunk<Type>> OpaqueChunk<Type>::Parse(const ChunkView& chunk) {
  if (WrongType<OpaqueChunk>(chunk)) return ErrorAt(ParseErrorCode::kWrongType, chunk, 0);
  return OpaqueChunk{chunk.value};
}

template <uint8_t Type>
void OpaqueChunk<Type>::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, 0, WireLength());
  w.Append(value.span());
  w.PadTo4();
}

template struct OpaqueChunk<ChunkType::kCookieEcho>;
template struct OpaqueChunk<ChunkType::kPad>;

// ---- AUTH ----
Parsed<AuthChunk> AuthChunk::Parse(const ChunkView& chunk) {
  if (WrongType<AuthChunk>(chunk)) return ErrorAt(ParseErrorCode::kWrongType, chunk, 0);
  if (chunk.length < kHeaderSize)
    return ErrorAt(ParseErrorCode::kLengthTooSmall, chunk, kLengthField);
  const uint8_t* p = chunk.value.data();
  return AuthChunk{Load16(p), Load16(p + 2), Bytes(chunk.value.span().subspan(4))};
}

void AuthChunk::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, 0, WireLength());
  w.U16(shared_key_id);
  w.U16(hmac_id);
  w.Append(hmac.span());
  w.PadTo4();
}

// ---- I-DATA ----
Parsed<IDataChunk> IDataChunk::Parse(const ChunkView& chunk) {
  if (WrongType<IDataChunk>(chunk)) return ErrorAt(ParseErrorCode::kWrongType, chunk, 0);
  if (chunk.length < kHeaderSize)
    return ErrorAt(ParseErrorCode::kLengthTooSmall, chunk, kLengthField);
  const uint8_t* p = chunk.value.data();
  IDataChunk d;
  d.immediate_sack = (chunk.flags & DataChunk::kFlagImmediate) != 0;
  d.unordered = (chunk.flags & DataChunk::kFlagUnordered) != 0;
  d.beginning = (chunk.flags & DataChunk::kFlagBeginning) != 0;
  d.ending = (chunk.flags & DataChunk::kFlagEnding) != 0;
  d.tsn = Tsn(Load32(p));
  d.stream_id = StreamId(Load16(p + 4));
  // p + 6: Reserved, ignored on receipt.
  d.mid = Mid(Load32(p + 8));
  const uint32_t ppid_or_fsn = Load32(p + 12);
  if (d.beginning) {
    d.ppid = Ppid(ppid_or_fsn);
  } else {
    d.fsn = Fsn(ppid_or_fsn);
  }
  d.user_data = Bytes(chunk.value.span().subspan(16));
  return d;
}

void IDataChunk::WriteTo(ByteWriter& w) const {
  const uint8_t flags = (immediate_sack ? DataChunk::kFlagImmediate : 0) |
                        (unordered ? DataChunk::kFlagUnordered : 0) |
                        (beginning ? DataChunk::kFlagBeginning : 0) |
                        (ending ? DataChunk::kFlagEnding : 0);
  WriteHeader(w, kType, flags, WireLength());
  w.U32(tsn.value());
  w.U16(stream_id.value());
  w.U16(0);
  w.U32(mid.value());
  w.U32(beginning ? ppid.value() : fsn.value());
  w.Append(user_data.span());
  w.PadTo4();
}

// ---- FORWARD-TSN / I-FORWARD-TSN ----
template <uint8_t Type, typename Entry>
Parsed<ForwardTsnLikeChunk<Type, Entry>> ForwardTsnLikeChunk<Type, Entry>::Parse(
    const ChunkView& chunk) {
  if (WrongType<ForwardTsnLikeChunk>(chunk)) return ErrorAt(ParseErrorCode::kWrongType, chunk, 0);
  if (chunk.length < kHeaderSize)
    return ErrorAt(ParseErrorCode::kLengthTooSmall, chunk, kLengthField);
  const size_t entries_size = chunk.length - kHeaderSize;
  if (entries_size % Entry::kWireSize != 0) {
    return ErrorAt(ParseErrorCode::kWrongLength, chunk, kLengthField);
  }
  ForwardTsnLikeChunk c;
  c.new_cumulative_tsn = Tsn(Load32(chunk.value.data()));
  c.streams = PackedArray<Entry>::FromWire(Bytes(chunk.value.span().subspan(4)));
  return c;
}

template <uint8_t Type, typename Entry>
void ForwardTsnLikeChunk<Type, Entry>::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, 0, WireLength());
  w.U32(new_cumulative_tsn.value());
  streams.WriteTo(w);
}

template struct ForwardTsnLikeChunk<ChunkType::kForwardTsn, ForwardTsnStream>;
template struct ForwardTsnLikeChunk<ChunkType::kIForwardTsn, IForwardTsnStream>;

// ---- ASCONF / ASCONF-ACK ----
Parsed<AsconfChunk> AsconfChunk::Parse(const ChunkView& chunk) {
  if (WrongType<AsconfChunk>(chunk)) return ErrorAt(ParseErrorCode::kWrongType, chunk, 0);
  // RFC 5061 §4.1.1: Sequence Number, then one Address Parameter (at least 8 bytes).
  if (chunk.length < 8 + kTlvHeaderSize) {
    return ErrorAt(ParseErrorCode::kLengthTooSmall, chunk, kLengthField);
  }
  AsconfChunk c;
  c.serial_number = Load32(chunk.value.data());
  TlvReader reader(Bytes(chunk.value.span().subspan(4)), chunk.offset + 8);
  TlvView address;
  if (!reader.Next(&address)) return reader.error();
  if (address.type != ParameterType::kIpv4Address && address.type != ParameterType::kIpv6Address) {
    return ParseError{ParseErrorCode::kBadValue, address.offset};
  }
  // RFC 5061 §4.1.1: the Address Parameter is 8 (IPv4) or 20 (IPv6) bytes.
  const uint16_t want = address.type == ParameterType::kIpv4Address ? 8 : 20;
  if (address.length != want) return ParseError{ParseErrorCode::kWrongLength, address.offset + 2};
  c.address_parameter = address.raw();
  const size_t params_start =
      4 + std::min<size_t>(PaddedLength(address.length), chunk.value.size() - 4);
  c.parameters = Bytes(chunk.value.span().subspan(params_start));
  c.parameters_offset = static_cast<uint32_t>(chunk.offset + kChunkHeaderSize + params_start);
  if (auto error = ValidateTlvSequence(c.parameters, c.parameters_offset)) return *error;
  return c;
}

void AsconfChunk::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, 0, WireLength());
  w.U32(serial_number);
  w.Append(address_parameter.span());
  w.PadTo4();
  w.Append(TrimFinalTlvPadding(parameters).span());
  w.PadTo4();
}

Parsed<AsconfAckChunk> AsconfAckChunk::Parse(const ChunkView& chunk) {
  if (WrongType<AsconfAckChunk>(chunk)) return ErrorAt(ParseErrorCode::kWrongType, chunk, 0);
  if (chunk.length < 8) return ErrorAt(ParseErrorCode::kLengthTooSmall, chunk, kLengthField);
  AsconfAckChunk c;
  c.serial_number = Load32(chunk.value.data());
  c.parameters = Bytes(chunk.value.span().subspan(4));
  c.parameters_offset = chunk.offset + 8;
  if (auto error = ValidateTlvSequence(c.parameters, c.parameters_offset)) return *error;
  return c;
}

void AsconfAckChunk::WriteTo(ByteWriter& w) const {
  WriteHeader(w, kType, 0, WireLength());
  w.U32(serial_number);
  w.Append(TrimFinalTlvPadding(parameters).span());
  w.PadTo4();
}

// ---- unknown ----
void UnknownChunk::WriteTo(ByteWriter& w) const {
  WriteHeader(w, type, flags, WireLength());
  w.Append(value.span());
  w.PadTo4();
}

// ---- dispatch ----
namespace {
template <typename Chunk>
Parsed<AnyChunk> As(const ChunkView& view) {
  Parsed<Chunk> parsed = Chunk::Parse(view);
  if (!parsed.ok()) return parsed.error();
  return AnyChunk(std::move(parsed).value());
}
}  // namespace

Parsed<AnyChunk> ParseChunk(const ChunkView& chunk) {
  switch (chunk.type) {
    case ChunkType::kData:
      return As<DataChunk>(chunk);
    case ChunkType::kInit:
      return As<InitChunk>(chunk);
    case ChunkType::kInitAck:
      return As<InitAckChunk>(chunk);
    case ChunkType::kSack:
      return As<SackChunk>(chunk);
    case ChunkType::kHeartbeat:
      return As<HeartbeatChunk>(chunk);
    case ChunkType::kHeartbeatAck:
      return As<HeartbeatAckChunk>(chunk);
    case ChunkType::kAbort:
      return As<AbortChunk>(chunk);
    case ChunkType::kShutdown:
      return As<ShutdownChunk>(chunk);
    case ChunkType::kShutdownAck:
      return As<ShutdownAckChunk>(chunk);
    case ChunkType::kError:
      return As<ErrorChunk>(chunk);
    case ChunkType::kCookieEcho:
      return As<CookieEchoChunk>(chunk);
    case ChunkType::kCookieAck:
      return As<CookieAckChunk>(chunk);
    case ChunkType::kEcne:
      return As<EcneChunk>(chunk);
    case ChunkType::kCwr:
      return As<CwrChunk>(chunk);
    case ChunkType::kShutdownComplete:
      return As<ShutdownCompleteChunk>(chunk);
    case ChunkType::kAuth:
      return As<AuthChunk>(chunk);
    case ChunkType::kIData:
      return As<IDataChunk>(chunk);
    case ChunkType::kAsconfAck:
      return As<AsconfAckChunk>(chunk);
    case ChunkType::kReconfig:
      return As<ReconfigChunk>(chunk);
    case ChunkType::kPad:
      return As<PadChunk>(chunk);
    case ChunkType::kForwardTsn:
      return As<ForwardTsnChunk>(chunk);
    case ChunkType::kAsconf:
      return As<AsconfChunk>(chunk);
    case ChunkType::kIForwardTsn:
      return As<IForwardTsnChunk>(chunk);
    default:
      return As<UnknownChunk>(chunk);
  }
}

size_t WireLength(const AnyChunk& chunk) {
  return std::visit([](const auto& c) { return c.WireLength(); }, chunk);
}

void WriteChunk(ByteWriter& w, const AnyChunk& chunk) {
  std::visit([&w](const auto& c) { c.WriteTo(w); }, chunk);
}

uint8_t TypeOf(const AnyChunk& chunk) {
  return std::visit(
      [](const auto& c) -> uint8_t {
        if constexpr (std::is_same_v<std::decay_t<decltype(c)>, UnknownChunk>) {
          return c.type;
        } else {
          return std::decay_t<decltype(c)>::kType;
        }
      },
      chunk);
}

bool AddChunk(PacketBuilder& builder, const AnyChunk& chunk) {
  return std::visit([&builder](const auto& c) { return builder.Add(c); }, chunk);
}

std::string_view ChunkTypeName(uint8_t type) {
  switch (type) {
    case ChunkType::kData:
      return "DATA";
    case ChunkType::kInit:
      return "INIT";
    case ChunkType::kInitAck:
      return "INIT_ACK";
    case ChunkType::kSack:
      return "SACK";
    case ChunkType::kHeartbeat:
      return "HEARTBEAT";
    case ChunkType::kHeartbeatAck:
      return "HEARTBEAT_ACK";
    case ChunkType::kAbort:
      return "ABORT";
    case ChunkType::kShutdown:
      return "SHUTDOWN";
    case ChunkType::kShutdownAck:
      return "SHUTDOWN_ACK";
    case ChunkType::kError:
      return "ERROR";
    case ChunkType::kCookieEcho:
      return "COOKIE_ECHO";
    case ChunkType::kCookieAck:
      return "COOKIE_ACK";
    case ChunkType::kEcne:
      return "ECNE";
    case ChunkType::kCwr:
      return "CWR";
    case ChunkType::kShutdownComplete:
      return "SHUTDOWN_COMPLETE";
    case ChunkType::kAuth:
      return "AUTH";
    case ChunkType::kIData:
      return "I_DATA";
    case ChunkType::kAsconfAck:
      return "ASCONF_ACK";
    case ChunkType::kReconfig:
      return "RE_CONFIG";
    case ChunkType::kPad:
      return "PAD";
    case ChunkType::kForwardTsn:
      return "FORWARD_TSN";
    case ChunkType::kAsconf:
      return "ASCONF";
    case ChunkType::kIForwardTsn:
      return "I_FORWARD_TSN";
    default:
      return "UNKNOWN";
  }
}

}  // namespace sctp::wire
