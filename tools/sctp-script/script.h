// The packetdrill-syntax script model: what the parser produces and the runner executes.
//
// A script is a list of events. Each event has a time (absolute `0.1`, relative `+0.1`, or any
// `*`) and one action: a socket call on the stack under test, a packet the runner injects
// (`< sctp: ...`), a packet the stack must send (`> sctp: ...`), or a backtick command.
// Chunks, parameters and error causes are all written `NAME[field=value, ..., CHILD[...]]`; the
// parser keeps them as generic nodes and the codec (packet.h) gives them meaning.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sctp_script {

struct Node;
struct NamedValue;

// A value on the right of `=` (or a positional item in a list or a call's argument list).
struct Value {
  enum class Kind {
    kAny,     // `...`: matches anything; on inbound packets the runner picks a value.
    kNumber,  // 12, 0x0c, -1
    kString,  // "a.b"
    kWord,    // an identifier or address-like word: BE, IPv4, 1.1.1.1, fe80::1, SCTP_RTOINFO
    kList,    // [a, b, c] (also [2:2] gap blocks: items of kind kRange)
    kRange,   // 2:2 (a SACK gap block start:end)
    kNode,    // NAME[...]
    kStruct,  // {key=value, ...} (socket option structures)
    kFlags,   // A|B|0x10 (or-ed words and numbers)
  };
  Kind kind = Kind::kAny;
  int64_t number = 0;              // kNumber; kRange start
  int64_t number_end = 0;          // kRange end
  std::string text;                // kString, kWord
  std::vector<Value> items;        // kList, kFlags
  std::vector<NamedValue> fields;  // kStruct
  std::shared_ptr<Node> node;      // kNode
};

// key=value. A named struct rather than std::pair<std::string, Value>: a pair of a type that
// is still incomplete inside Value does not compile with clang's libstdc++ checks.
struct NamedValue {
  NamedValue(std::string key, Value value) : first(std::move(key)), second(std::move(value)) {}
  std::string first;
  Value second;
};

// NAME[key=value, ..., CHILD[...], ...]: a chunk, a parameter or an error cause.
struct Node {
  std::string name;
  int line = 0;
  std::vector<NamedValue> fields;
  std::vector<Node> children;  // nested parameters or causes, in order
  bool more_children = false;  // a trailing `...`: any further children are allowed
  const Value* Field(const std::string& key) const;
};

struct Packet {
  bool inbound = false;                  // `<` injected by the runner; `>` sent by the stack
  std::optional<std::string> source_ip;  // `< 224.0.0.0 > 192.168.0.1 sctp: ...`
  std::optional<std::string> destination_ip;
  std::optional<uint32_t> verification_tag;        // sctp(tag=N)
  bool bad_crc32c = false;                         // sctp(bad_crc32c)
  std::vector<Node> chunks;                        // `;`-separated bundle
  std::optional<std::vector<uint8_t>> raw_chunks;  // sctp: [0x01, 0x00, ...]
};

struct SyscallResult {
  bool any = false;  // `= ...`
  int64_t value = 0;
  std::optional<std::string> errno_name;  // -1 EINPROGRESS (...)
};

struct Syscall {
  std::string name;
  std::vector<Value> args;
  SyscallResult result;
};

enum class TimeKind { kAbsolute, kRelative, kAny };

struct Event {
  int line = 0;
  TimeKind time_kind = TimeKind::kRelative;
  int64_t time_usecs = 0;
  enum class Type { kPacket, kSyscall, kCommand } type = Type::kSyscall;
  Packet packet;
  Syscall syscall;
  std::string command;  // text between backticks
};

struct Script {
  std::string path;
  int64_t tolerance_usecs = 4000;  // packetdrill's default
  std::vector<Event> events;
};

// Thrown by the parser (and by the codec for semantic errors in a script): message with line.
struct ScriptError {
  int line = 0;
  std::string message;
};

// Parses a script. `defines` are the names `#ifdef` tests as true (e.g. "FreeBSD").
// Throws ScriptError on malformed input.
Script ParseScript(const std::string& path, const std::string& text,
                   const std::vector<std::string>& defines);

}  // namespace sctp_script
