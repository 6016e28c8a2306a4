// The codec behind packet.h. One table (kSpecs) says how every chunk, parameter and error cause
// the scripts use is laid out; building, matching and printing all read that table.
#include "packet.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>

namespace sctp_script {
namespace {

enum class Kind { kChunk, kParam, kCause };

// How a field's number relates to the live association (packetdrill's tag/TSN translation).
enum class Space {
  kPlain,          // used as written
  kSenderTsn,      // a TSN of the chunk's sender (DATA): the stack's TSNs are translated
  kReceiverTsn,    // a TSN of the chunk's receiver (SACK, SHUTDOWN, NO_USER_DATA)
  kSenderInitTag,  // INIT / INIT ACK Initiate Tag
  kSenderInitTsn,  // INIT / INIT ACK Initial TSN
};

// What follows the fixed fields.
enum class Tail {
  kNone,
  kParams,        // parameters (children)
  kCauses,        // error causes (children)
  kValue,         // opaque bytes: val=[...] (or info=[...])
  kData,          // DATA user data: only its length (len) is scripted
  kSack,          // gaps=[start:end, ...], dups=[tsn, ...]
  kIpv4,          // addr=1.2.3.4
  kIpv6,          // addr=fe80::1
  kHostname,      // addr="name"
  kAddressTypes,  // types=[IPv4, IPv6, HOSTNAME]
  kNestedChunk,   // chk=CHUNK[...]
  kNestedParam,   // param=PARAM[...]
  kNestedParams,  // params=[PARAM[...], ...]
  kGeneric,       // CHUNK / PARAMETER / CAUSE [type=, flgs=, len=, val=]
};

struct Field {
  const char* name;
  uint8_t offset;  // after the 4-byte TLV header
  uint8_t width;   // 1, 2 or 4 bytes
  Space space = Space::kPlain;
};

struct Spec {
  const char* name;
  Kind kind;
  uint16_t type;
  std::vector<Field> fields;
  uint8_t fixed_size;  // bytes of fixed fields after the header
  Tail tail;
  const char* flag_letters = "";  // letters for flag bits, most significant first
  const char* value_name = "val";
};

// RFC 9260 §3.3 (chunks), §3.3.2.1 / §3.3.3.1 (parameters), §3.3.10 (error causes).
const std::vector<Spec>& Specs() {
  static const std::vector<Spec> specs = {
      {"DATA",
       Kind::kChunk,
       0,
       {{"tsn", 0, 4, Space::kSenderTsn}, {"sid", 4, 2}, {"ssn", 6, 2}, {"ppid", 8, 4}},
       12,
       Tail::kData,
       "IUBE"},
      {"INIT",
       Kind::kChunk,
       1,
       {{"tag", 0, 4, Space::kSenderInitTag},
        {"a_rwnd", 4, 4},
        {"os", 8, 2},
        {"is", 10, 2},
        {"tsn", 12, 4, Space::kSenderInitTsn}},
       16,
       Tail::kParams},
      {"INIT_ACK",
       Kind::kChunk,
       2,
       {{"tag", 0, 4, Space::kSenderInitTag},
        {"a_rwnd", 4, 4},
        {"os", 8, 2},
        {"is", 10, 2},
        {"tsn", 12, 4, Space::kSenderInitTsn}},
       16,
       Tail::kParams},
      {"SACK",
       Kind::kChunk,
       3,
       {{"cum_tsn", 0, 4, Space::kReceiverTsn}, {"a_rwnd", 4, 4}},
       12,
       Tail::kSack},
      {"HEARTBEAT", Kind::kChunk, 4, {}, 0, Tail::kParams},
      {"HEARTBEAT_ACK", Kind::kChunk, 5, {}, 0, Tail::kParams},
      {"ABORT", Kind::kChunk, 6, {}, 0, Tail::kCauses, "T"},
      {"SHUTDOWN", Kind::kChunk, 7, {{"cum_tsn", 0, 4, Space::kReceiverTsn}}, 4, Tail::kNone},
      {"SHUTDOWN_ACK", Kind::kChunk, 8, {}, 0, Tail::kNone},
      {"ERROR", Kind::kChunk, 9, {}, 0, Tail::kCauses},
      {"COOKIE_ECHO", Kind::kChunk, 10, {}, 0, Tail::kValue},
      {"COOKIE_ACK", Kind::kChunk, 11, {}, 0, Tail::kNone},
      {"ECNE", Kind::kChunk, 12, {{"tsn", 0, 4, Space::kReceiverTsn}}, 4, Tail::kNone},
      {"CWR", Kind::kChunk, 13, {{"tsn", 0, 4, Space::kSenderTsn}}, 4, Tail::kNone},
      {"SHUTDOWN_COMPLETE", Kind::kChunk, 14, {}, 0, Tail::kNone, "T"},
      {"PAD", Kind::kChunk, 0x84, {}, 0, Tail::kValue},
      {"CHUNK", Kind::kChunk, 0xffff, {}, 0, Tail::kGeneric},

      {"HEARTBEAT_INFORMATION", Kind::kParam, 1, {}, 0, Tail::kValue},
      {"IPV4_ADDRESS", Kind::kParam, 5, {}, 0, Tail::kIpv4},
      {"IPV6_ADDRESS", Kind::kParam, 6, {}, 0, Tail::kIpv6},
      {"STATE_COOKIE", Kind::kParam, 7, {}, 0, Tail::kValue},
      {"UNRECOGNIZED_PARAMETER", Kind::kParam, 8, {}, 0, Tail::kNestedParams},
      {"COOKIE_PRESERVATIVE", Kind::kParam, 9, {{"incr", 0, 4}}, 4, Tail::kNone},
      {"HOSTNAME_ADDRESS", Kind::kParam, 11, {}, 0, Tail::kHostname},
      {"SUPPORTED_ADDRESS_TYPES", Kind::kParam, 12, {}, 0, Tail::kAddressTypes},
      {"ECN_CAPABLE", Kind::kParam, 0x8000, {}, 0, Tail::kNone},
      {"SUPPORTED_EXTENSIONS", Kind::kParam, 0x8008, {}, 0, Tail::kValue},
      {"FORWARD_TSN_SUPPORTED", Kind::kParam, 0xc000, {}, 0, Tail::kNone},
      {"ADAPTATION_INDICATION",
       Kind::kParam,
       0xc006,
       {{"adaptation_code_point", 0, 4}},
       4,
       Tail::kNone},
      {"PARAMETER", Kind::kParam, 0xffff, {}, 0, Tail::kGeneric},

      {"INVALID_STREAM_IDENTIFIER", Kind::kCause, 1, {{"sid", 0, 2}}, 4, Tail::kNone},
      {"MISSING_MANDATORY_PARAMETER", Kind::kCause, 2, {}, 0, Tail::kValue},
      {"STALE_COOKIE_ERROR", Kind::kCause, 3, {{"staleness", 0, 4}}, 4, Tail::kNone},
      {"OUT_OF_RESOURCES", Kind::kCause, 4, {}, 0, Tail::kNone},
      {"UNRESOLVABLE_ADDRESS", Kind::kCause, 5, {}, 0, Tail::kNestedParam},
      {"UNRECOGNIZED_CHUNK_TYPE", Kind::kCause, 6, {}, 0, Tail::kNestedChunk},
      {"INVALID_MANDATORY_PARAMETER", Kind::kCause, 7, {}, 0, Tail::kNone},
      {"UNRECOGNIZED_PARAMETERS", Kind::kCause, 8, {}, 0, Tail::kNestedParams},
      {"NO_USER_DATA", Kind::kCause, 9, {{"tsn", 0, 4, Space::kReceiverTsn}}, 4, Tail::kNone},
      {"COOKIE_RECEIVED_WHILE_SHUTDOWN", Kind::kCause, 10, {}, 0, Tail::kNone},
      {"RESTART_WITH_NEW_ADDRESSES", Kind::kCause, 11, {}, 0, Tail::kValue},
      {"USER_INITIATED_ABORT", Kind::kCause, 12, {}, 0, Tail::kValue, "", "info"},
      {"PROTOCOL_VIOLATION", Kind::kCause, 13, {}, 0, Tail::kValue, "", "info"},
      {"CAUSE", Kind::kCause, 0xffff, {}, 0, Tail::kGeneric},
  };
  return specs;
}

const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kChunk:
      return "chunk";
    case Kind::kParam:
      return "parameter";
    case Kind::kCause:
      return "error cause";
  }
  return "?";
}

const Spec* SpecByName(const std::string& name, Kind kind) {
  for (const Spec& spec : Specs()) {
    if (spec.kind == kind && name == spec.name) return &spec;
  }
  return nullptr;
}

const Spec* SpecByType(uint16_t type, Kind kind) {
  for (const Spec& spec : Specs()) {
    if (spec.kind == kind && spec.type == type) return &spec;
  }
  return nullptr;
}

size_t HeaderSize() {
  return 4;
}  // chunks: type, flags, length; TLVs: type, length
size_t Padded(size_t length) {
  return (length + 3) & ~size_t{3};
}

uint32_t Read(std::span<const uint8_t> bytes, size_t offset, size_t width) {
  uint32_t value = 0;
  for (size_t i = 0; i < width; ++i)
    value = (value << 8) | bytes[offset + i];
  return value;
}

void WriteTo(uint8_t* out, size_t width, uint64_t value) {
  for (size_t i = 0; i < width; ++i)
    out[width - 1 - i] = static_cast<uint8_t>(value >> (8 * i));
}

void Write(std::vector<uint8_t>& bytes, size_t offset, size_t width, uint64_t value) {
  if (offset + width <= bytes.size()) WriteTo(bytes.data() + offset, width, value);
}

[[noreturn]] void ScriptFail(const Node& node, const std::string& message) {
  throw ScriptError{node.line, message};
}

std::string Hex(uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

uint8_t Flags(const Spec& spec, const Node& node, const Value& value) {
  if (value.kind == Value::Kind::kNumber) {
    if (value.number < 0 || value.number > 255) ScriptFail(node, "flgs must fit in 8 bits");
    return static_cast<uint8_t>(value.number);
  }
  if (value.kind != Value::Kind::kWord) ScriptFail(node, "flgs must be a number or letters");
  const size_t letters = std::strlen(spec.flag_letters);
  uint8_t flags = 0;
  for (char letter : value.text) {
    const char* found = std::strchr(spec.flag_letters, letter);
    if (found == nullptr || letter == '\0') {
      ScriptFail(node, std::string("flag '") + letter + "' is not defined for " + spec.name);
    }
    flags |= static_cast<uint8_t>(1u << (letters - 1 - (found - spec.flag_letters)));
  }
  return flags;
}

std::string FlagsText(const Spec& spec, uint8_t flags) {
  const size_t letters = std::strlen(spec.flag_letters);
  std::string text;
  uint8_t rest = flags;
  for (size_t i = 0; i < letters; ++i) {
    uint8_t bit = static_cast<uint8_t>(1u << (letters - 1 - i));
    if (flags & bit) {
      text += spec.flag_letters[i];
      rest &= static_cast<uint8_t>(~bit);
    }
  }
  if (text.empty() || rest != 0) return Hex(flags);
  return text;
}

int64_t Number(const Node& node, const char* field, const Value& value) {
  if (value.kind != Value::Kind::kNumber) {
    ScriptFail(node, std::string(node.name) + " " + field + " must be a number");
  }
  return value.number;
}

// Live value of a field with a translated meaning, for packets the runner injects.
int64_t Translate(Space space, int64_t script_value, const LiveState& state) {
  if (space == Space::kReceiverTsn && state.local_tsn_offset) {
    return script_value + *state.local_tsn_offset;
  }
  return script_value;
}

std::vector<uint8_t> ByteList(const Node& node, const Value& value) {
  std::vector<uint8_t> bytes;
  if (value.kind != Value::Kind::kList) ScriptFail(node, node.name + " value must be [bytes]");
  for (const Value& item : value.items) {
    if (item.kind != Value::Kind::kNumber || item.number < 0 || item.number > 255) {
      ScriptFail(node, node.name + " value bytes must be numbers 0..255");
    }
    bytes.push_back(static_cast<uint8_t>(item.number));
  }
  return bytes;
}

uint16_t AddressType(const Node& node, const Value& value) {
  if (value.kind == Value::Kind::kNumber) return static_cast<uint16_t>(value.number);
  if (value.kind == Value::Kind::kWord) {
    if (value.text == "IPv4") return 5;
    if (value.text == "IPv6") return 6;
    if (value.text == "HOSTNAME") return 11;
  }
  ScriptFail(node, "address types are IPv4, IPv6, HOSTNAME or numbers");
}

std::vector<uint8_t> BuildTlv(const Node& node, Kind kind, LiveState& state);

// A list of TLVs: each padded to 4 bytes except the last (RFC 9260 §3.2: a chunk's length
// counts the padding of all its parameters but the last).
std::vector<uint8_t> BuildList(const std::vector<Node>& nodes, Kind kind, LiveState& state) {
  std::vector<uint8_t> bytes;
  for (size_t i = 0; i < nodes.size(); ++i) {
    std::vector<uint8_t> tlv = BuildTlv(nodes[i], kind, state);
    if (i + 1 < nodes.size()) tlv.resize(Padded(tlv.size()), 0);
    bytes.insert(bytes.end(), tlv.begin(), tlv.end());
  }
  return bytes;
}

const Value* RequireNodeValue(const Node& node, const char* key) {
  const Value* value = node.Field(key);
  if (value == nullptr || value->kind == Value::Kind::kAny) return nullptr;
  return value;
}

std::vector<Node> NodeList(const Node& node, const Value& value) {
  std::vector<Node> nodes;
  if (value.kind == Value::Kind::kNode) {
    nodes.push_back(*value.node);
    return nodes;
  }
  if (value.kind != Value::Kind::kList) ScriptFail(node, node.name + " needs [PARAMETER[...]]");
  for (const Value& item : value.items) {
    if (item.kind != Value::Kind::kNode) ScriptFail(node, node.name + " list items must be nodes");
    nodes.push_back(*item.node);
  }
  return nodes;
}

void CheckFieldNames(const Spec& spec, const Node& node) {
  for (const auto& [key, value] : node.fields) {
    bool known = key == "flgs" || key == "len" || key == spec.value_name;
    for (const Field& field : spec.fields)
      known |= key == field.name;
    switch (spec.tail) {
      case Tail::kSack:
        known |= key == "gaps" || key == "dups";
        break;
      case Tail::kIpv4:
      case Tail::kIpv6:
      case Tail::kHostname:
        known |= key == "addr";
        break;
      case Tail::kAddressTypes:
        known |= key == "types";
        break;
      case Tail::kNestedChunk:
        known |= key == "chk";
        break;
      case Tail::kNestedParam:
        known |= key == "param";
        break;
      case Tail::kNestedParams:
        known |= key == "params";
        break;
      case Tail::kGeneric:
        known |= key == "type";
        break;
      default:
        break;
    }
    if (!known) ScriptFail(node, "unknown field '" + key + "' in " + spec.name);
  }
  if (spec.kind != Kind::kChunk && node.Field("flgs")) {
    ScriptFail(node, std::string(spec.name) + " has no flags");
  }
  bool takes_children = spec.tail == Tail::kParams || spec.tail == Tail::kCauses;
  if (!takes_children && (!node.children.empty() || node.more_children)) {
    ScriptFail(node, std::string(spec.name) + " takes no parameters or causes");
  }
}

std::vector<uint8_t> BuildTlv(const Node& node, Kind kind, LiveState& state) {
  const Spec* spec = SpecByName(node.name, kind);
  if (spec == nullptr) ScriptFail(node, "unknown " + std::string(KindName(kind)) + " " + node.name);
  CheckFieldNames(*spec, node);
  std::vector<uint8_t> bytes(HeaderSize() + spec->fixed_size, 0);
  uint16_t type = spec->type;
  uint8_t flags = 0;
  if (const Value* value = RequireNodeValue(node, "flgs")) flags = Flags(*spec, node, *value);
  for (const Field& field : spec->fields) {
    if (const Value* value = RequireNodeValue(node, field.name)) {
      int64_t number = Translate(field.space, Number(node, field.name, *value), state);
      Write(bytes, HeaderSize() + field.offset, field.width, static_cast<uint64_t>(number));
    }
  }
  const Value* len = RequireNodeValue(node, "len");
  std::optional<int64_t> length;
  if (len) length = Number(node, "len", *len);
  const Value* val = RequireNodeValue(node, spec->value_name);
  std::vector<uint8_t> tail;
  switch (spec->tail) {
    case Tail::kNone:
      break;
    case Tail::kParams:
      tail = BuildList(node.children, Kind::kParam, state);
      break;
    case Tail::kCauses:
      tail = BuildList(node.children, Kind::kCause, state);
      break;
    case Tail::kValue:
      if (val) {
        tail = ByteList(node, *val);
      } else if (kind == Kind::kChunk && spec->type == 10) {
        tail = state.cookie;  // COOKIE_ECHO[val=...]: echo the stack's State Cookie
      } else if (length) {
        if (*length < 4 || *length > 65535) ScriptFail(node, "len out of range");
        tail.assign(static_cast<size_t>(*length) - HeaderSize(), 0);
      }
      break;
    case Tail::kData:
      if (!length || *length < 16 || *length > 65535) {
        ScriptFail(node, "DATA needs len=16..65535 (the chunk length, header included)");
      }
      tail.assign(static_cast<size_t>(*length) - 16, 0);
      break;
    case Tail::kSack: {
      const Value* gaps = node.Field("gaps");
      const Value* dups = node.Field("dups");
      std::vector<std::pair<int64_t, int64_t>> gap_blocks;
      std::vector<int64_t> duplicates;
      if (gaps && gaps->kind == Value::Kind::kList) {
        for (const Value& gap : gaps->items) {
          if (gap.kind != Value::Kind::kRange) ScriptFail(node, "gaps are start:end");
          gap_blocks.emplace_back(gap.number, gap.number_end);
        }
      }
      if (dups && dups->kind == Value::Kind::kList) {
        for (const Value& dup : dups->items)
          duplicates.push_back(Number(node, "dups", dup));
      }
      Write(bytes, HeaderSize() + 8, 2, gap_blocks.size());
      Write(bytes, HeaderSize() + 10, 2, duplicates.size());
      for (auto [start, end] : gap_blocks) {
        tail.resize(tail.size() + 4);
        std::vector<uint8_t> block(4);
        Write(block, 0, 2, static_cast<uint64_t>(start));
        Write(block, 2, 2, static_cast<uint64_t>(end));
        std::copy(block.begin(), block.end(), tail.end() - 4);
      }
      for (int64_t dup : duplicates) {
        std::vector<uint8_t> tsn(4);
        Write(tsn, 0, 4, static_cast<uint64_t>(Translate(Space::kReceiverTsn, dup, state)));
        tail.insert(tail.end(), tsn.begin(), tsn.end());
      }
      break;
    }
    case Tail::kIpv4:
    case Tail::kIpv6: {
      const Value* addr = RequireNodeValue(node, "addr");
      bool v4 = spec->tail == Tail::kIpv4;
      tail.assign(v4 ? 4 : 16, 0);
      if (addr && (addr->kind != Value::Kind::kWord ||
                   inet_pton(v4 ? AF_INET : AF_INET6, addr->text.c_str(), tail.data()) != 1)) {
        ScriptFail(node, "bad address in " + node.name);
      }
      break;
    }
    case Tail::kHostname: {
      const Value* addr = RequireNodeValue(node, "addr");
      if (addr && addr->kind == Value::Kind::kString)
        tail.assign(addr->text.begin(), addr->text.end());
      tail.push_back(0);  // RFC 9260 §3.3.2.1: at least one terminating NUL
      break;
    }
    case Tail::kAddressTypes: {
      const Value* types = RequireNodeValue(node, "types");
      if (types && types->kind == Value::Kind::kList) {
        for (const Value& item : types->items) {
          uint16_t address_type = AddressType(node, item);
          tail.push_back(static_cast<uint8_t>(address_type >> 8));
          tail.push_back(static_cast<uint8_t>(address_type));
        }
      }
      break;
    }
    case Tail::kNestedChunk:
      if (const Value* chk = RequireNodeValue(node, "chk")) {
        tail = BuildList(NodeList(node, *chk), Kind::kChunk, state);
      }
      break;
    case Tail::kNestedParam:
      if (const Value* param = RequireNodeValue(node, "param")) {
        tail = BuildList(NodeList(node, *param), Kind::kParam, state);
      }
      break;
    case Tail::kNestedParams:
      if (const Value* params = RequireNodeValue(node, "params")) {
        tail = BuildList(NodeList(node, *params), Kind::kParam, state);
      }
      break;
    case Tail::kGeneric: {
      const Value* type_value = RequireNodeValue(node, "type");
      if (type_value == nullptr) ScriptFail(node, node.name + " needs type=");
      if (type_value->kind == Value::Kind::kWord && kind == Kind::kChunk) {
        auto by_name = ChunkTypeByName(type_value->text);
        if (!by_name) ScriptFail(node, "unknown chunk type " + type_value->text);
        type = *by_name;
      } else {
        int64_t number = Number(node, "type", *type_value);
        if (number < 0 || number > (kind == Kind::kChunk ? 255 : 65535)) {
          ScriptFail(node, "type out of range");
        }
        type = static_cast<uint16_t>(number);
      }
      if (val) {
        tail = ByteList(node, *val);
      } else if (length && *length >= 4 && *length <= 65535) {
        tail.assign(static_cast<size_t>(*length) - HeaderSize(), 0);
      }
      break;
    }
  }
  bytes.insert(bytes.end(), tail.begin(), tail.end());
  if (bytes.size() > 65535) ScriptFail(node, node.name + " is longer than 65535 bytes");
  uint16_t length_field = static_cast<uint16_t>(bytes.size());
  if (length) {
    if (*length < 0 || *length > 65535) ScriptFail(node, "len out of range");
    length_field = static_cast<uint16_t>(*length);  // may lie on purpose (malformed tests)
  }
  if (kind == Kind::kChunk) {
    bytes[0] = static_cast<uint8_t>(type);
    bytes[1] = flags;
  } else {
    Write(bytes, 0, 2, type);
  }
  Write(bytes, 2, 2, length_field);
  return bytes;
}

// ----- matching -----

struct Tlv {
  uint16_t type;
  uint8_t flags;
  uint16_t length;                 // the length field
  std::span<const uint8_t> bytes;  // header included, `length` bytes (no padding)
};

// Splits a chunk/parameter/cause list; returns an error text for a malformed list.
std::string SplitTlvs(std::span<const uint8_t> bytes, Kind kind, std::vector<Tlv>& out) {
  size_t offset = 0;
  while (offset < bytes.size()) {
    if (bytes.size() - offset < 4) return "trailing bytes shorter than a TLV header";
    Tlv tlv;
    if (kind == Kind::kChunk) {
      tlv.type = bytes[offset];
      tlv.flags = bytes[offset + 1];
    } else {
      tlv.type = static_cast<uint16_t>(Read(bytes, offset, 2));
      tlv.flags = 0;
    }
    tlv.length = static_cast<uint16_t>(Read(bytes, offset + 2, 2));
    if (tlv.length < 4 || tlv.length > bytes.size() - offset) {
      return std::string(KindName(kind)) + " length " + std::to_string(tlv.length) +
             " is invalid at offset " + std::to_string(offset);
    }
    tlv.bytes = bytes.subspan(offset, tlv.length);
    out.push_back(tlv);
    offset += Padded(tlv.length);
  }
  return "";
}

std::string DescribeTlv(const Tlv& tlv, Kind kind);

std::string DescribeList(std::span<const uint8_t> bytes, Kind kind) {
  std::vector<Tlv> tlvs;
  std::string error = SplitTlvs(bytes, kind, tlvs);
  std::string text;
  for (const Tlv& tlv : tlvs) {
    if (!text.empty()) text += ", ";
    text += DescribeTlv(tlv, kind);
  }
  if (!error.empty())
    text += (text.empty() ? "" : ", ") + std::string("<malformed: ") + error + ">";
  return text;
}

std::string BytesText(std::span<const uint8_t> bytes) {
  std::string text = "[";
  for (size_t i = 0; i < bytes.size() && i < 16; ++i) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "%s0x%02x", i ? ", " : "", bytes[i]);
    text += hex;
  }
  if (bytes.size() > 16) text += ", ... (" + std::to_string(bytes.size()) + " bytes)";
  return text + "]";
}

std::string DescribeTlv(const Tlv& tlv, Kind kind) {
  const Spec* spec = SpecByType(tlv.type, kind);
  std::span<const uint8_t> body = tlv.bytes.subspan(4);
  if (spec == nullptr || (spec->fixed_size > body.size())) {
    const char* generic = kind == Kind::kChunk   ? "CHUNK"
                          : kind == Kind::kParam ? "PARAMETER"
                                                 : "CAUSE";
    std::string text = std::string(generic) + "[type=" + Hex(tlv.type);
    if (kind == Kind::kChunk) text += ", flgs=" + Hex(tlv.flags);
    return text + ", len=" + std::to_string(tlv.length) + ", val=" + BytesText(body) + "]";
  }
  std::string text = std::string(spec->name) + "[";
  std::vector<std::string> parts;
  if (kind == Kind::kChunk) parts.push_back("flgs=" + FlagsText(*spec, tlv.flags));
  for (const Field& field : spec->fields) {
    parts.push_back(std::string(field.name) + "=" +
                    std::to_string(Read(body, field.offset, field.width)));
  }
  std::span<const uint8_t> rest = body.subspan(spec->fixed_size);
  switch (spec->tail) {
    case Tail::kParams:
      if (!rest.empty()) parts.push_back(DescribeList(rest, Kind::kParam));
      break;
    case Tail::kCauses:
      if (!rest.empty()) parts.push_back(DescribeList(rest, Kind::kCause));
      break;
    case Tail::kValue:
      parts.insert(parts.begin() + (kind == Kind::kChunk), "len=" + std::to_string(tlv.length));
      parts.push_back(std::string(spec->value_name) + "=" + BytesText(rest));
      break;
    case Tail::kData:
      parts.insert(parts.begin() + 1, "len=" + std::to_string(tlv.length));
      break;
    case Tail::kSack: {
      size_t gaps = Read(body, 8, 2), dups = Read(body, 10, 2);
      std::string gap_text = "gaps=[", dup_text = "dups=[";
      for (size_t i = 0; i < gaps && 4 * i + 4 <= rest.size(); ++i) {
        gap_text += (i ? ", " : "") + std::to_string(Read(rest, 4 * i, 2)) + ":" +
                    std::to_string(Read(rest, 4 * i + 2, 2));
      }
      for (size_t i = 0; i < dups && 4 * (gaps + i) + 4 <= rest.size(); ++i) {
        dup_text += (i ? ", " : "") + std::to_string(Read(rest, 4 * (gaps + i), 4));
      }
      parts.push_back(gap_text + "]");
      parts.push_back(dup_text + "]");
      break;
    }
    case Tail::kIpv4:
    case Tail::kIpv6: {
      char address[INET6_ADDRSTRLEN] = "?";
      bool v4 = spec->tail == Tail::kIpv4;
      if (rest.size() == (v4 ? 4u : 16u)) {
        inet_ntop(v4 ? AF_INET : AF_INET6, rest.data(), address, sizeof address);
      }
      parts.push_back(std::string("addr=") + address);
      break;
    }
    case Tail::kHostname:
      parts.push_back("addr=\"" +
                      std::string(rest.begin(), std::find(rest.begin(), rest.end(), 0)) + "\"");
      break;
    case Tail::kAddressTypes: {
      std::string types = "types=[";
      for (size_t i = 0; i + 2 <= rest.size(); i += 2) {
        uint32_t type = Read(rest, i, 2);
        types += (i ? ", " : "") + (type == 5    ? std::string("IPv4")
                                    : type == 6  ? std::string("IPv6")
                                    : type == 11 ? std::string("HOSTNAME")
                                                 : std::to_string(type));
      }
      parts.push_back(types + "]");
      break;
    }
    case Tail::kNestedChunk:
      parts.push_back("chk=" + DescribeList(rest, Kind::kChunk));
      break;
    case Tail::kNestedParam:
      parts.push_back("param=" + DescribeList(rest, Kind::kParam));
      break;
    case Tail::kNestedParams:
      parts.push_back("params=[" + DescribeList(rest, Kind::kParam) + "]");
      break;
    case Tail::kNone:
    case Tail::kGeneric:
      break;
  }
  for (size_t i = 0; i < parts.size(); ++i)
    text += (i ? ", " : "") + parts[i];
  return text + "]";
}

std::string MatchTlv(const Node& node, const Tlv& tlv, Kind kind, LiveState& state, bool outbound);

// Expected children in order; with a trailing `...` more live items may follow.
std::string MatchList(const std::vector<Node>& expected, bool more_allowed,
                      std::span<const uint8_t> bytes, Kind kind, LiveState& state, bool outbound) {
  std::vector<Tlv> tlvs;
  std::string error = SplitTlvs(bytes, kind, tlvs);
  if (!error.empty()) return error;
  for (size_t i = 0; i < expected.size(); ++i) {
    if (i >= tlvs.size()) {
      return "expected " + expected[i].name + " as " + KindName(kind) + " #" +
             std::to_string(i + 1) + ", but there are only " + std::to_string(tlvs.size());
    }
    std::string why = MatchTlv(expected[i], tlvs[i], kind, state, outbound);
    if (!why.empty()) return why;
  }
  if (!more_allowed && tlvs.size() > expected.size()) {
    return "unexpected " + std::string(KindName(kind)) + " " +
           DescribeTlv(tlvs[expected.size()], kind);
  }
  return "";
}

std::string Mismatch(const Node& node, const std::string& field, const std::string& expected,
                     const std::string& actual) {
  return node.name + " " + field + ": expected " + expected + ", got " + actual;
}

std::string MatchTlv(const Node& node, const Tlv& tlv, Kind kind, LiveState& state, bool outbound) {
  const Spec* spec = SpecByName(node.name, kind);
  if (spec == nullptr) ScriptFail(node, "unknown " + std::string(KindName(kind)) + " " + node.name);
  CheckFieldNames(*spec, node);
  std::span<const uint8_t> body = tlv.bytes.subspan(4);
  if (spec->tail == Tail::kGeneric) {
    const Value* type_value = RequireNodeValue(node, "type");
    if (type_value) {
      int64_t want;
      if (type_value->kind == Value::Kind::kWord && kind == Kind::kChunk) {
        auto by_name = ChunkTypeByName(type_value->text);
        if (!by_name) ScriptFail(node, "unknown chunk type " + type_value->text);
        want = *by_name;
      } else {
        want = Number(node, "type", *type_value);
      }
      if (want != tlv.type) return Mismatch(node, "type", Hex(want), Hex(tlv.type));
    }
  } else if (tlv.type != spec->type) {
    return "expected " + node.name + ", got " + DescribeTlv(tlv, kind);
  }
  if (const Value* flags = RequireNodeValue(node, "flgs")) {
    uint8_t want = Flags(*spec, node, *flags);
    if (want != tlv.flags) {
      return Mismatch(node, "flgs", FlagsText(*spec, want), FlagsText(*spec, tlv.flags));
    }
  }
  if (const Value* len = RequireNodeValue(node, "len")) {
    int64_t want = Number(node, "len", *len);
    if (want != tlv.length) {
      return Mismatch(node, "len", std::to_string(want), std::to_string(tlv.length));
    }
  }
  if (body.size() < spec->fixed_size) {
    return node.name + " is too short: length " + std::to_string(tlv.length);
  }
  for (const Field& field : spec->fields) {
    uint32_t live = Read(body, field.offset, field.width);
    const Value* value = node.Field(field.name);
    bool any = value == nullptr || value->kind == Value::Kind::kAny;
    int64_t script = any ? 0 : Number(node, field.name, *value);
    if (outbound && field.space == Space::kSenderInitTag) {
      // The stack picks its tag: remember it for the script's number (packetdrill's mapping).
      if (any) continue;
      uint32_t script_tag = static_cast<uint32_t>(script);
      auto known = state.local_tags.find(script_tag);
      if (known == state.local_tags.end()) {
        state.local_tags[script_tag] = live;
        state.local_tag = live;
      } else if (known->second != live) {
        return Mismatch(node, field.name,
                        Hex(known->second) + " (script tag " + std::to_string(script_tag) + ")",
                        Hex(live));
      }
      continue;
    }
    if (outbound && field.space == Space::kSenderInitTsn) {
      if (any) continue;
      if (!state.local_tsn_offset) {
        state.local_tsn_offset = static_cast<int64_t>(live) - script;
      } else if (static_cast<uint32_t>(script + *state.local_tsn_offset) != live) {
        return Mismatch(node, field.name,
                        std::to_string(static_cast<uint32_t>(script + *state.local_tsn_offset)),
                        std::to_string(live));
      }
      continue;
    }
    if (any) continue;
    int64_t want = script;
    if (outbound && field.space == Space::kSenderTsn && state.local_tsn_offset) {
      want = script + *state.local_tsn_offset;
    }
    uint32_t mask = field.width == 4 ? 0xffffffffu : (1u << (8 * field.width)) - 1;
    if ((static_cast<uint32_t>(want) & mask) != live) {
      std::string shown = std::to_string(live);
      if (field.space == Space::kSenderTsn && outbound && state.local_tsn_offset) {
        shown += " (script " +
                 std::to_string(static_cast<int64_t>(live) - *state.local_tsn_offset) + ")";
      }
      return Mismatch(node, field.name, std::to_string(script), shown);
    }
  }
  std::span<const uint8_t> rest = body.subspan(spec->fixed_size);
  switch (spec->tail) {
    case Tail::kNone:
    case Tail::kData:
      return "";
    case Tail::kParams:
      return MatchList(node.children, node.more_children, rest, Kind::kParam, state, outbound);
    case Tail::kCauses:
      return MatchList(node.children, node.more_children, rest, Kind::kCause, state, outbound);
    case Tail::kValue:
    case Tail::kGeneric:
      if (const Value* val = RequireNodeValue(node, spec->value_name)) {
        std::vector<uint8_t> want = ByteList(node, *val);
        if (!std::equal(want.begin(), want.end(), rest.begin(), rest.end())) {
          return Mismatch(node, spec->value_name, BytesText(want), BytesText(rest));
        }
      }
      return "";
    case Tail::kSack: {
      size_t gaps = Read(body, 8, 2), dups = Read(body, 10, 2);
      if (rest.size() < 4 * (gaps + dups)) return "SACK shorter than its gap and dup counts";
      if (const Value* want = RequireNodeValue(node, "gaps")) {
        std::string expected_text = "[", live_text = "[";
        bool same = want->items.size() == gaps;
        for (size_t i = 0; i < want->items.size(); ++i) {
          const Value& gap = want->items[i];
          if (gap.kind != Value::Kind::kRange) ScriptFail(node, "gaps are start:end");
          expected_text +=
              (i ? ", " : "") + std::to_string(gap.number) + ":" + std::to_string(gap.number_end);
          if (i < gaps) {
            same &=
                Read(rest, 4 * i, 2) == gap.number && Read(rest, 4 * i + 2, 2) == gap.number_end;
          }
        }
        for (size_t i = 0; i < gaps; ++i) {
          live_text += (i ? ", " : "") + std::to_string(Read(rest, 4 * i, 2)) + ":" +
                       std::to_string(Read(rest, 4 * i + 2, 2));
        }
        if (!same) return Mismatch(node, "gaps", expected_text + "]", live_text + "]");
      }
      if (const Value* want = RequireNodeValue(node, "dups")) {
        std::string expected_text = "[", live_text = "[";
        bool same = want->items.size() == dups;
        for (size_t i = 0; i < want->items.size(); ++i) {
          int64_t dup = Number(node, "dups", want->items[i]);
          expected_text += (i ? ", " : "") + std::to_string(dup);
          if (i < dups) same &= Read(rest, 4 * (gaps + i), 4) == static_cast<uint32_t>(dup);
        }
        for (size_t i = 0; i < dups; ++i) {
          live_text += (i ? ", " : "") + std::to_string(Read(rest, 4 * (gaps + i), 4));
        }
        if (!same) return Mismatch(node, "dups", expected_text + "]", live_text + "]");
      }
      return "";
    }
    case Tail::kIpv4:
    case Tail::kIpv6:
    case Tail::kHostname:
    case Tail::kAddressTypes: {
      // Build the expected TLV and compare its value bytes.
      std::vector<uint8_t> want = BuildTlv(node, kind, state);
      std::span<const uint8_t> want_rest = std::span<const uint8_t>(want).subspan(4);
      if (!std::equal(want_rest.begin(), want_rest.end(), rest.begin(), rest.end())) {
        Tlv expected_tlv{tlv.type, 0, static_cast<uint16_t>(want.size()), want};
        return "expected " + DescribeTlv(expected_tlv, kind) + ", got " + DescribeTlv(tlv, kind);
      }
      return "";
    }
    case Tail::kNestedChunk:
      if (const Value* chk = RequireNodeValue(node, "chk")) {
        return MatchList(NodeList(node, *chk), false, rest, Kind::kChunk, state, false);
      }
      return "";
    case Tail::kNestedParam:
      if (const Value* param = RequireNodeValue(node, "param")) {
        return MatchList(NodeList(node, *param), false, rest, Kind::kParam, state, false);
      }
      return "";
    case Tail::kNestedParams:
      if (const Value* params = RequireNodeValue(node, "params")) {
        return MatchList(NodeList(node, *params), false, rest, Kind::kParam, state, false);
      }
      return "";
  }
  return "";
}

}  // namespace

uint32_t Crc32c(std::span<const uint8_t> bytes) {
  // RFC 9260 Appendix A: CRC32c (Castagnoli), reflected polynomial 0x82F63B78.
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t crc = i;
      for (int bit = 0; bit < 8; ++bit)
        crc = (crc >> 1) ^ ((crc & 1) ? 0x82F63B78u : 0);
      t[i] = crc;
    }
    return t;
  }();
  uint32_t crc = 0xffffffffu;
  for (uint8_t byte : bytes)
    crc = table[(crc ^ byte) & 0xff] ^ (crc >> 8);
  return ~crc;
}

std::optional<uint8_t> ChunkTypeByName(const std::string& name) {
  const Spec* spec = SpecByName(name, Kind::kChunk);
  if (spec == nullptr || spec->type > 255) return std::nullopt;
  return static_cast<uint8_t>(spec->type);
}

std::vector<uint8_t> BuildChunks(const std::vector<Node>& chunks, LiveState& state) {
  std::vector<uint8_t> bytes;
  for (const Node& node : chunks) {
    std::vector<uint8_t> chunk = BuildTlv(node, Kind::kChunk, state);
    // The script's peer announces its Initiate Tag: the stack must use it (RFC 9260 §8.5).
    if ((chunk[0] == 1 || chunk[0] == 2) && chunk.size() >= 8) {
      state.peer_tag = Read(chunk, 4, 4);
    }
    chunk.resize(Padded(chunk.size()), 0);  // RFC 9260 §3.2: chunks are padded to 4 bytes
    bytes.insert(bytes.end(), chunk.begin(), chunk.end());
  }
  return bytes;
}

std::vector<uint8_t> BuildPacket(uint16_t source_port, uint16_t destination_port,
                                 uint32_t verification_tag, std::span<const uint8_t> chunks,
                                 bool bad_crc32c) {
  std::array<uint8_t, 12> header{};
  WriteTo(&header[0], 2, source_port);
  WriteTo(&header[2], 2, destination_port);
  WriteTo(&header[4], 4, verification_tag);
  std::vector<uint8_t> packet(header.size() + chunks.size());
  std::memcpy(packet.data(), header.data(), header.size());
  if (!chunks.empty()) std::memcpy(packet.data() + header.size(), chunks.data(), chunks.size());
  uint32_t crc = Crc32c(packet);
  if (bad_crc32c) crc = ~crc;
  // RFC 9260 Appendix A: the CRC goes into the packet least significant byte first.
  for (int i = 0; i < 4; ++i)
    packet[8 + i] = static_cast<uint8_t>(crc >> (8 * i));
  return packet;
}

std::string DescribePacket(std::span<const uint8_t> packet) {
  if (packet.size() < 12) return "<packet of " + std::to_string(packet.size()) + " bytes>";
  std::string text = "sctp(" + std::to_string(Read(packet, 0, 2)) + " > " +
                     std::to_string(Read(packet, 2, 2)) + ", vtag=" + Hex(Read(packet, 4, 4)) +
                     "): ";
  std::vector<Tlv> chunks;
  std::string error = SplitTlvs(packet.subspan(12), Kind::kChunk, chunks);
  for (size_t i = 0; i < chunks.size(); ++i) {
    text += (i ? "; " : "") + DescribeTlv(chunks[i], Kind::kChunk);
  }
  if (!error.empty()) text += " <malformed: " + error + ">";
  return text;
}

std::string MatchPacket(const Packet& expected, std::span<const uint8_t> packet,
                        uint16_t local_port, uint16_t remote_port, LiveState& state) {
  if (packet.size() < 12) return "packet shorter than the SCTP common header";
  // RFC 9260 §6.8: the CRC32c covers the whole packet with the checksum field zeroed.
  std::vector<uint8_t> zeroed(packet.begin(), packet.end());
  uint32_t sent = 0;
  for (int i = 0; i < 4; ++i)
    sent |= static_cast<uint32_t>(packet[8 + i]) << (8 * i);
  std::fill(zeroed.begin() + 8, zeroed.begin() + 12, 0);
  if (Crc32c(zeroed) != sent)
    return "bad CRC32c " + Hex(sent) + " (should be " + Hex(Crc32c(zeroed)) + ")";
  if (Read(packet, 0, 2) != local_port || Read(packet, 2, 2) != remote_port) {
    return "ports " + std::to_string(Read(packet, 0, 2)) + " > " +
           std::to_string(Read(packet, 2, 2)) + ", expected " + std::to_string(local_port) + " > " +
           std::to_string(remote_port);
  }
  std::span<const uint8_t> chunk_bytes = packet.subspan(12);
  std::vector<Tlv> chunks;
  std::string error = SplitTlvs(chunk_bytes, Kind::kChunk, chunks);
  if (!error.empty()) return error;
  uint32_t vtag = Read(packet, 4, 4);
  if (expected.raw_chunks) {
    if (!std::equal(expected.raw_chunks->begin(), expected.raw_chunks->end(), chunk_bytes.begin(),
                    chunk_bytes.end())) {
      return "chunk bytes differ: " + BytesText(chunk_bytes);
    }
  } else {
    std::string why = MatchList(expected.chunks, false, chunk_bytes, Kind::kChunk, state, true);
    if (!why.empty()) return why;
  }
  // The stack's State Cookie, for the script's COOKIE_ECHO[val=...].
  for (const Tlv& chunk : chunks) {
    if (chunk.type != 2 || chunk.length < 20) continue;
    std::vector<Tlv> params;
    SplitTlvs(chunk.bytes.subspan(20), Kind::kParam, params);
    for (const Tlv& param : params) {
      if (param.type == 7) state.cookie.assign(param.bytes.begin() + 4, param.bytes.end());
    }
  }
  // Verification tag, RFC 9260 §8.5.1: 0 for INIT; reflected (T bit) copies the tag of the
  // packet answered; otherwise the peer's Initiate Tag.
  if (expected.verification_tag) {
    if (vtag != *expected.verification_tag) {
      return "verification tag " + Hex(vtag) + ", expected " + Hex(*expected.verification_tag);
    }
  } else if (!chunks.empty() && chunks[0].type == 1) {
    if (vtag != 0) return "INIT with verification tag " + Hex(vtag) + ", expected 0";
  } else if (!chunks.empty() && (chunks[0].type == 6 || chunks[0].type == 14) &&
             (chunks[0].flags & 1)) {
    if (vtag != state.last_inbound_vtag) {
      return "reflected verification tag " + Hex(vtag) + ", expected " +
             Hex(state.last_inbound_vtag) + " (the tag of the packet answered)";
    }
  } else if (state.peer_tag && vtag != *state.peer_tag) {
    return "verification tag " + Hex(vtag) + ", expected the peer's tag " + Hex(*state.peer_tag);
  }
  return "";
}

}  // namespace sctp_script
