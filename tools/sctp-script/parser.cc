// Parser for the packetdrill script subset the ETSI SCTP suite uses (see script.h).
#include <cctype>
#include <cstring>
#include <string_view>

#include "script.h"

namespace sctp_script {

const Value* Node::Field(const std::string& key) const {
  for (const auto& [field_name, value] : fields) {
    if (field_name == key) return &value;
  }
  return nullptr;
}

namespace {

[[noreturn]] void Fail(int line, std::string message) {
  throw ScriptError{line, std::move(message)};
}

struct SourceLine {
  int number = 0;
  std::string text;
};

// Removes `//` and `/* */` comments (not inside string literals), keeping line numbers.
std::vector<SourceLine> StripComments(const std::string& text) {
  std::vector<SourceLine> lines;
  SourceLine current{1, ""};
  bool in_block = false;
  int block_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      lines.push_back(current);
      current = SourceLine{current.number + 1, ""};
      continue;
    }
    if (in_block) {
      if (c == '*' && i + 1 < text.size() && text[i + 1] == '/') {
        in_block = false;
        ++i;
      }
      continue;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i + 1 < text.size() && text[i + 1] != '\n')
        ++i;
      continue;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      in_block = true;
      block_start = current.number;
      ++i;
      continue;
    }
    if (c == '"') {  // copy a string literal verbatim
      current.text += c;
      for (++i; i < text.size() && text[i] != '"' && text[i] != '\n'; ++i)
        current.text += text[i];
      if (i >= text.size() || text[i] != '"') Fail(current.number, "unterminated string literal");
      current.text += '"';
      continue;
    }
    if (c == '\0') Fail(current.number, "NUL byte in script");
    current.text += (c == '\t' || c == '\r') ? ' ' : c;
  }
  if (in_block) Fail(block_start, "unterminated /* comment");
  lines.push_back(current);
  return lines;
}

std::string Trim(const std::string& s) {
  size_t begin = s.find_first_not_of(' ');
  if (begin == std::string::npos) return "";
  size_t end = s.find_last_not_of(' ');
  return s.substr(begin, end - begin + 1);
}

// Applies #ifdef / #ifndef / #else / #endif.
std::vector<SourceLine> Preprocess(const std::vector<SourceLine>& lines,
                                   const std::vector<std::string>& defines) {
  struct Frame {
    bool active;  // this branch is taken (and every enclosing one)
    bool parent_active;
    bool seen_else;
    int line;
  };
  std::vector<Frame> stack;
  std::vector<SourceLine> out;
  auto active = [&] { return stack.empty() || stack.back().active; };
  for (const SourceLine& line : lines) {
    std::string text = Trim(line.text);
    if (!text.empty() && text[0] == '#') {
      std::string directive = text.substr(0, text.find(' '));
      std::string argument = Trim(text.substr(directive.size()));
      if (directive == "#ifdef" || directive == "#ifndef") {
        if (argument.empty()) Fail(line.number, directive + " without a name");
        bool defined = false;
        for (const auto& name : defines)
          defined |= (name == argument);
        bool taken = (directive == "#ifdef") == defined;
        stack.push_back(Frame{active() && taken, active(), false, line.number});
      } else if (directive == "#else") {
        if (stack.empty() || stack.back().seen_else) Fail(line.number, "#else without #ifdef");
        stack.back().seen_else = true;
        stack.back().active = stack.back().parent_active && !stack.back().active;
      } else if (directive == "#endif") {
        if (stack.empty()) Fail(line.number, "#endif without #ifdef");
        stack.pop_back();
      } else {
        Fail(line.number, "unsupported preprocessor directive '" + directive + "'");
      }
      continue;
    }
    if (active()) out.push_back(line);
  }
  if (!stack.empty()) Fail(stack.back().line, "#ifdef without #endif");
  return out;
}

// Joins continuation lines: a statement goes on while brackets are open or the text so far
// ends with `;`, `,` or `|` (bundles, argument lists and flag sets split over lines).
std::vector<SourceLine> JoinStatements(const std::vector<SourceLine>& lines) {
  std::vector<SourceLine> statements;
  int depth = 0;
  bool continues = false;
  for (const SourceLine& line : lines) {
    std::string text = Trim(line.text);
    if (text.empty()) continue;
    bool starts_event = std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '+' ||
                        text[0] == '*' || text[0] == '-';
    if (statements.empty() || (depth == 0 && !continues)) {
      if (!starts_event)
        Fail(line.number, "expected a time (e.g. +0.1) or an option, got '" + text + "'");
      statements.push_back(SourceLine{line.number, text});
    } else {
      statements.back().text += " " + text;
    }
    bool in_string = false;
    for (char c : text) {
      if (c == '"') in_string = !in_string;
      if (in_string) continue;
      if (c == '[' || c == '(' || c == '{') ++depth;
      if (c == ']' || c == ')' || c == '}') --depth;
      if (depth < 0) Fail(line.number, std::string("unbalanced '") + c + "'");
    }
    char last = text.back();
    continues = last == ';' || last == ',' || last == '|';
  }
  if (depth != 0 && !statements.empty()) Fail(statements.back().number, "unclosed bracket");
  return statements;
}

// Scripts run in virtual time, but every millisecond is a timer call: keep runs bounded.
constexpr int64_t kMaxSeconds = 3600;

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == ':';
}

std::optional<int64_t> ParseInteger(const std::string& word) {
  if (word.empty()) return std::nullopt;
  size_t i = 0;
  bool negative = false;
  if (word[0] == '-') {
    negative = true;
    i = 1;
  }
  int base = 10;
  if (word.size() > i + 2 && word[i] == '0' && (word[i + 1] == 'x' || word[i + 1] == 'X')) {
    base = 16;
    i += 2;
  }
  if (i >= word.size()) return std::nullopt;
  uint64_t value = 0;
  for (; i < word.size(); ++i) {
    int digit;
    char c = word[i];
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (base == 16 && std::isxdigit(static_cast<unsigned char>(c))) {
      digit = std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
    } else {
      return std::nullopt;
    }
    if (value > (UINT64_MAX - digit) / base) return std::nullopt;
    value = value * base + digit;
  }
  if (value > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return negative ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
}

// A recursive-descent reader over one statement.
class Cursor {
 public:
  Cursor(const std::string& text, int line) : text_(text), line_(line) {}

  int line() const { return line_; }
  [[noreturn]] void Error(const std::string& message) const {
    std::string near = text_.substr(pos_, 30);
    Fail(line_, message + (near.empty() ? " at end of line" : " near '" + near + "'"));
  }
  void SkipSpace() {
    while (pos_ < text_.size() && text_[pos_] == ' ')
      ++pos_;
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ >= text_.size();
  }
  char Peek() {
    SkipSpace();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }
  bool LooksAt(std::string_view token) {
    SkipSpace();
    return text_.compare(pos_, token.size(), token) == 0;
  }
  bool Accept(std::string_view token) {
    if (!LooksAt(token)) return false;
    pos_ += token.size();
    return true;
  }
  void Expect(std::string_view token) {
    if (!Accept(token)) Error("expected '" + std::string(token) + "'");
  }
  std::string Word() {
    SkipSpace();
    size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    while (pos_ < text_.size() && IsWordChar(text_[pos_]))
      ++pos_;
    if (start == pos_) Error("expected a name or a number");
    return text_.substr(start, pos_ - start);
  }
  std::string Rest() {
    SkipSpace();
    std::string rest = text_.substr(pos_);
    pos_ = text_.size();
    return rest;
  }
  std::string Until(char end) {
    size_t found = text_.find(end, pos_);
    if (found == std::string::npos) Error(std::string("missing '") + end + "'");
    std::string inside = text_.substr(pos_, found - pos_);
    pos_ = found + 1;
    return inside;
  }

  // Seconds with up to 6 decimals, as microseconds (no floating point rounding).
  int64_t Seconds() {
    SkipSpace();
    size_t start = pos_;
    int64_t whole = 0;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      whole = whole * 10 + (text_[pos_++] - '0');
      if (whole > kMaxSeconds) Error("time beyond " + std::to_string(kMaxSeconds) + " s");
    }
    int64_t fraction = 0;
    int digits = 0;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
        if (digits < 6) {
          fraction = fraction * 10 + (text_[pos_] - '0');
          ++digits;
        }
        ++pos_;
      }
    }
    if (pos_ == start) Error("expected a time in seconds");
    while (digits++ < 6)
      fraction *= 10;
    return whole * 1000000 + fraction;
  }

  Value ParseValue() {
    Value value;
    char c = Peek();
    if (Accept("...")) {
      value.kind = Value::Kind::kAny;
      return value;
    }
    if (c == '"') {
      ++pos_;
      value.kind = Value::Kind::kString;
      value.text = Until('"');
      return value;
    }
    if (c == '[') {
      ++pos_;
      value.kind = Value::Kind::kList;
      if (Accept("]")) return value;
      do {
        value.items.push_back(ParseValue());
      } while (Accept(","));
      Expect("]");
      return value;
    }
    if (c == '{') {
      ++pos_;
      value.kind = Value::Kind::kStruct;
      if (Accept("}")) return value;
      do {
        std::string key = Word();
        Expect("=");
        value.fields.emplace_back(key, ParseValue());
      } while (Accept(","));
      Expect("}");
      return value;
    }
    Value first = ParseAtom();
    if (Peek() != '|') return first;
    value.kind = Value::Kind::kFlags;
    value.items.push_back(first);
    while (Accept("|"))
      value.items.push_back(ParseAtom());
    return value;
  }

  Node ParseNode(const std::string& name) {
    Node node;
    node.name = name;
    node.line = line_;
    Expect("[");
    if (Accept("]")) return node;
    do {
      if (Accept("...")) {
        node.more_children = true;
        continue;
      }
      if (node.more_children) Error("'...' must be the last item of " + name);
      std::string key = Word();
      if (Accept("=")) {
        node.fields.emplace_back(key, ParseValue());
      } else if (Peek() == '[') {
        node.children.push_back(ParseNode(key));
      } else {
        Error("expected 'field=value' or a parameter in " + name);
      }
    } while (Accept(","));
    Expect("]");
    return node;
  }

 private:
  Value ParseAtom() {
    Value value;
    std::string word = Word();
    if (auto number = ParseInteger(word)) {
      value.kind = Value::Kind::kNumber;
      value.number = *number;
      return value;
    }
    size_t colon = word.find(':');
    if (colon != std::string::npos && word.find(':', colon + 1) == std::string::npos) {
      auto start = ParseInteger(word.substr(0, colon));
      auto end = ParseInteger(word.substr(colon + 1));
      if (start && end) {
        value.kind = Value::Kind::kRange;
        value.number = *start;
        value.number_end = *end;
        return value;
      }
    }
    if (Peek() == '[') {
      value.kind = Value::Kind::kNode;
      value.node = std::make_shared<Node>(ParseNode(word));
      return value;
    }
    value.kind = Value::Kind::kWord;
    value.text = word;
    return value;
  }

  const std::string& text_;
  int line_;
  size_t pos_ = 0;
};

void ParsePacket(Cursor& cursor, Packet& packet) {
  if (!cursor.LooksAt("sctp")) {
    packet.source_ip = cursor.Word();
    cursor.Expect(">");
    packet.destination_ip = cursor.Word();
  }
  cursor.Expect("sctp");
  if (cursor.Accept("(")) {
    do {
      std::string option = cursor.Word();
      if (option == "bad_crc32c") {
        packet.bad_crc32c = true;
      } else if (option == "tag" && cursor.Accept("=")) {
        auto tag = ParseInteger(cursor.Word());
        if (!tag || *tag < 0 || *tag > UINT32_MAX) cursor.Error("tag must be a 32-bit number");
        packet.verification_tag = static_cast<uint32_t>(*tag);
      } else {
        cursor.Error("unsupported sctp() option '" + option + "'");
      }
    } while (cursor.Accept(","));
    cursor.Expect(")");
  }
  cursor.Expect(":");
  if (cursor.Peek() == '[') {  // raw chunk bytes
    Value bytes = cursor.ParseValue();
    packet.raw_chunks.emplace();
    for (const Value& item : bytes.items) {
      if (item.kind != Value::Kind::kNumber || item.number < 0 || item.number > 255) {
        cursor.Error("raw packet bytes must be numbers 0..255");
      }
      packet.raw_chunks->push_back(static_cast<uint8_t>(item.number));
    }
    return;
  }
  do {
    std::string name = cursor.Word();
    packet.chunks.push_back(cursor.ParseNode(name));
  } while (cursor.Accept(";"));
}

void ParseSyscall(Cursor& cursor, Syscall& call) {
  call.name = cursor.Word();
  cursor.Expect("(");
  if (!cursor.Accept(")")) {
    do {
      call.args.push_back(cursor.ParseValue());
    } while (cursor.Accept(","));
    cursor.Expect(")");
  }
  cursor.Expect("=");
  if (cursor.Accept("...")) {
    call.result.any = true;
  } else {
    auto number = ParseInteger(cursor.Word());
    if (!number) cursor.Error("expected the call's result (a number)");
    call.result.value = *number;
  }
  if (cursor.AtEnd()) return;
  if (std::isupper(static_cast<unsigned char>(cursor.Peek()))) {
    call.result.errno_name = cursor.Word();
  }
  if (cursor.Accept("(")) cursor.Until(')');  // human-readable note: (flags O_RDWR)
  if (!cursor.AtEnd()) cursor.Error("unexpected text after the call's result");
}

Event ParseEvent(const SourceLine& statement) {
  Cursor cursor(statement.text, statement.number);
  Event event;
  event.line = statement.number;
  if (cursor.Accept("*")) {
    event.time_kind = TimeKind::kAny;
  } else if (cursor.Accept("+")) {
    event.time_kind = TimeKind::kRelative;
    event.time_usecs = cursor.Seconds();
  } else {
    event.time_kind = TimeKind::kAbsolute;
    event.time_usecs = cursor.Seconds();
  }
  char direction = cursor.Peek();
  if (direction == '<' || direction == '>') {
    cursor.Accept(direction == '<' ? "<" : ">");
    event.type = Event::Type::kPacket;
    event.packet.inbound = direction == '<';
    ParsePacket(cursor, event.packet);
  } else if (cursor.Accept("`")) {
    event.type = Event::Type::kCommand;
    event.command = cursor.Until('`');
  } else {
    event.type = Event::Type::kSyscall;
    ParseSyscall(cursor, event.syscall);
  }
  if (!cursor.AtEnd()) cursor.Error("unexpected text at end of statement");
  return event;
}

}  // namespace

Script ParseScript(const std::string& path, const std::string& text,
                   const std::vector<std::string>& defines) {
  Script script;
  script.path = path;
  for (const SourceLine& statement : JoinStatements(Preprocess(StripComments(text), defines))) {
    if (statement.text.rfind("--", 0) == 0) {
      std::string option = statement.text.substr(2);
      size_t equals = option.find('=');
      std::string name = option.substr(0, equals);
      if (name != "tolerance_usecs" || equals == std::string::npos) {
        Fail(statement.number, "unsupported option '--" + option + "'");
      }
      auto value = ParseInteger(Trim(option.substr(equals + 1)));
      if (!value || *value < 0 || *value > 100000000) {
        Fail(statement.number, "--tolerance_usecs needs a number of microseconds");
      }
      script.tolerance_usecs = *value;
      continue;
    }
    script.events.push_back(ParseEvent(statement));
  }
  return script;
}

}  // namespace sctp_script
