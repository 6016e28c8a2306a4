// Executes a script on the usrsctp API in virtual time (see runner.h).
#include "runner.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <usrsctp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <sstream>

#include "packet.h"

namespace sctp_script {
namespace {

// The script's two endpoints. Every AF_CONN address is one pointer: the "link". Packets the
// script sends from another IP address go through a distinct pointer per address.
constexpr uint16_t kLocalPort = 8080;            // the stack under test (bind)
constexpr uint16_t kRemotePort = 9090;           // the script's peer (connect, injected packets)
constexpr const char* kLocalIp = "192.168.0.1";  // packetdrill's defaults
constexpr const char* kRemoteIp = "192.0.2.1";
// IPv4 over Ethernet (MTU 1500). usrsctp's spp_pathmtu counts what follows the IP and SCTP
// common headers (1500 - 20 - 12); on AF_CONN it adds only the 12-byte common header back.
constexpr uint32_t kLinkMtu = 1468;
constexpr int64_t kMaxWildcardWaitUsecs = 600'000'000;  // `*` waits at most 10 virtual minutes
constexpr int64_t kMaxBlockingWaitUsecs = 5'000'000;    // a blocking call waits at most 5 s

char link_address_storage[16];  // only the addresses matter

struct Failure {
  std::string message;
};

struct Captured {
  int64_t time_usecs;
  void* address;
  std::vector<uint8_t> bytes;
};

struct ScriptSocket {
  struct socket* so = nullptr;
  bool nonblocking = false;  // as the script sees it; internally every socket is non-blocking
};

struct NamedConstant {
  const char* name;
  int64_t value;
};

// Names scripts use for numbers: errno values, socket constants, option names and flags.
constexpr NamedConstant kConstants[] = {
    {"EPERM", EPERM},
    {"ENOENT", ENOENT},
    {"EINTR", EINTR},
    {"EBADF", EBADF},
    {"EAGAIN", EAGAIN},
    {"EWOULDBLOCK", EWOULDBLOCK},
    {"ENOMEM", ENOMEM},
    {"EFAULT", EFAULT},
    {"EINVAL", EINVAL},
    {"EPIPE", EPIPE},
    {"EMSGSIZE", EMSGSIZE},
    {"ENOPROTOOPT", ENOPROTOOPT},
    {"EOPNOTSUPP", EOPNOTSUPP},
    {"EAFNOSUPPORT", EAFNOSUPPORT},
    {"EADDRINUSE", EADDRINUSE},
    {"EADDRNOTAVAIL", EADDRNOTAVAIL},
    {"ENETUNREACH", ENETUNREACH},
    {"ECONNABORTED", ECONNABORTED},
    {"ECONNRESET", ECONNRESET},
    {"ENOBUFS", ENOBUFS},
    {"EISCONN", EISCONN},
    {"ENOTCONN", ENOTCONN},
    {"ESHUTDOWN", ESHUTDOWN},
    {"ETIMEDOUT", ETIMEDOUT},
    {"ECONNREFUSED", ECONNREFUSED},
    {"EHOSTUNREACH", EHOSTUNREACH},
    {"EALREADY", EALREADY},
    {"EINPROGRESS", EINPROGRESS},
    {"SOCK_STREAM", SOCK_STREAM},
    {"SOCK_SEQPACKET", SOCK_SEQPACKET},
    {"IPPROTO_SCTP", IPPROTO_SCTP},
    {"SOL_SOCKET", SOL_SOCKET},
    {"F_GETFL", F_GETFL},
    {"F_SETFL", F_SETFL},
    {"O_RDWR", O_RDWR},
    {"O_NONBLOCK", O_NONBLOCK},
    {"SHUT_RD", SHUT_RD},
    {"SHUT_WR", SHUT_WR},
    {"SHUT_RDWR", SHUT_RDWR},
    {"SO_ERROR", SO_ERROR},
    {"SO_RCVBUF", SO_RCVBUF},
    {"SO_SNDBUF", SO_SNDBUF},
    {"SCTP_RTOINFO", SCTP_RTOINFO},
    {"SCTP_INITMSG", SCTP_INITMSG},
    {"SCTP_PEER_ADDR_PARAMS", SCTP_PEER_ADDR_PARAMS},
    {"SCTP_STATUS", SCTP_STATUS},
    {"SCTP_NODELAY", SCTP_NODELAY},
    {"SPP_HB_ENABLE", SPP_HB_ENABLE},
    {"SPP_HB_DISABLE", SPP_HB_DISABLE},
    {"SPP_HB_DEMAND", SPP_HB_DEMAND},
    {"SPP_PMTUD_ENABLE", SPP_PMTUD_ENABLE},
    {"SPP_PMTUD_DISABLE", SPP_PMTUD_DISABLE},
    {"SPP_HB_TIME_IS_ZERO", SPP_HB_TIME_IS_ZERO},
    {"SPP_IPV6_FLOWLABEL", SPP_IPV6_FLOWLABEL},
    {"SPP_DSCP", SPP_DSCP},
    {"SCTP_CLOSED", SCTP_CLOSED},
    {"SCTP_BOUND", SCTP_BOUND},
    {"SCTP_LISTEN", SCTP_LISTEN},
    {"SCTP_COOKIE_WAIT", SCTP_COOKIE_WAIT},
    {"SCTP_COOKIE_ECHOED", SCTP_COOKIE_ECHOED},
    {"SCTP_ESTABLISHED", SCTP_ESTABLISHED},
    {"SCTP_SHUTDOWN_SENT", SCTP_SHUTDOWN_SENT},
    {"SCTP_SHUTDOWN_RECEIVED", SCTP_SHUTDOWN_RECEIVED},
    {"SCTP_SHUTDOWN_ACK_SENT", SCTP_SHUTDOWN_ACK_SENT},
    {"SCTP_SHUTDOWN_PENDING", SCTP_SHUTDOWN_PENDING},
};

std::string ErrnoName(int error) {
  for (const auto& constant : kConstants) {
    if (constant.name[0] == 'E' && constant.value == error) return constant.name;
  }
  return "errno " + std::to_string(error);
}

int64_t ConstantValue(const Value& value, int line) {
  switch (value.kind) {
    case Value::Kind::kNumber:
      return value.number;
    case Value::Kind::kWord:
      for (const auto& constant : kConstants) {
        if (value.text == constant.name) return constant.value;
      }
      throw ScriptError{line, "unknown constant '" + value.text + "'"};
    case Value::Kind::kFlags: {
      int64_t flags = 0;
      for (const Value& item : value.items)
        flags |= ConstantValue(item, line);
      return flags;
    }
    case Value::Kind::kList:
      if (value.items.size() == 1) return ConstantValue(value.items[0], line);
      break;
    default:
      break;
  }
  throw ScriptError{line, "expected a number or a constant name"};
}

std::string TimeText(int64_t usecs) {
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%06lld", static_cast<long long>(usecs / 1000000),
                static_cast<long long>(usecs % 1000000));
  return text;
}

class Runner;
Runner* active_runner = nullptr;  // the conn_output callback's way back (one per process)

class Runner {
 public:
  Runner(const Script& script, bool verbose) : script_(script), verbose_(verbose) {}

  Outcome Run() {
    active_runner = this;
    usrsctp_init_nothreads(0, &Runner::ConnOutput, nullptr);
    usrsctp_register_address(LinkAddress(kRemoteIp));
    Outcome outcome;
    const Event* current = nullptr;
    try {
      for (const Event& event : script_.events) {
        current = &event;
        RunEvent(event);
      }
      outcome.passed = true;
    } catch (const Failure& failure) {
      outcome.line = current ? current->line : 0;
      outcome.message = failure.message;
    } catch (const ScriptError& error) {
      outcome.line = error.line;
      outcome.message = "script error: " + error.message;
    }
    // What the stack sent that no line checked (packetdrill does not check for extra packets
    // at the end either); shown for debugging.
    for (const Captured& packet : captured_) {
      if (verbose_) {
        std::printf("  %s > %s (not checked)\n", TimeText(packet.time_usecs).c_str(),
                    DescribePacket(packet.bytes).c_str());
      }
    }
    for (auto& [fd, socket] : sockets_) {
      usrsctp_close(socket.so);
    }
    return outcome;
  }

 private:
  static int ConnOutput(void* address, void* buffer, size_t length, uint8_t /*tos*/,
                        uint8_t /*set_df*/) {
    Runner* runner = active_runner;
    const auto* bytes = static_cast<const uint8_t*>(buffer);
    runner->captured_.push_back(
        Captured{runner->now_usecs_, address, std::vector<uint8_t>(bytes, bytes + length)});
    return 0;
  }

  // AF_CONN has no IP addresses: each script IP address is a distinct pointer.
  void* LinkAddress(const std::string& ip) {
    std::string key = (ip == kLocalIp) ? kRemoteIp : ip;  // one link for both default ends
    auto found = links_.find(key);
    if (found != links_.end()) return found->second;
    if (links_.size() >= sizeof link_address_storage) throw Failure{"too many IP addresses"};
    void* address = &link_address_storage[links_.size()];
    links_[key] = address;
    return address;
  }

  void Log(const std::string& text) {
    if (verbose_) std::printf("  %s %s\n", TimeText(now_usecs_).c_str(), text.c_str());
  }

  // One millisecond of virtual time: the stack's timers run, packets it sends are captured.
  void Tick() {
    ++timer_ms_;
    now_usecs_ = timer_ms_ * 1000;
    usrsctp_handle_timers(1);
  }

  void AdvanceTo(int64_t target_usecs) {
    while ((timer_ms_ + 1) * 1000 <= target_usecs)
      Tick();
    if (target_usecs > now_usecs_) now_usecs_ = target_usecs;
  }

  int64_t TargetTime(const Event& event) const {
    switch (event.time_kind) {
      case TimeKind::kAbsolute:
        return event.time_usecs;
      case TimeKind::kRelative:
        return last_event_usecs_ + event.time_usecs;
      case TimeKind::kAny:
        return now_usecs_;
    }
    return now_usecs_;
  }

  void RunEvent(const Event& event) {
    int64_t target = TargetTime(event);
    switch (event.type) {
      case Event::Type::kPacket:
        if (event.packet.inbound) {
          AdvanceTo(target);
          Inject(event.packet);
        } else {
          Expect(event, target);
        }
        break;
      case Event::Type::kSyscall:
        AdvanceTo(target);
        RunSyscall(event);
        break;
      case Event::Type::kCommand:
        AdvanceTo(target);
        RunCommand(event);
        break;
    }
    last_event_usecs_ = now_usecs_;
  }

  void Inject(const Packet& packet) {
    std::vector<uint8_t> chunks =
        packet.raw_chunks ? *packet.raw_chunks : BuildChunks(packet.chunks, state_);
    uint32_t vtag = 0;
    bool has_init = !chunks.empty() && chunks[0] == 1;
    if (packet.verification_tag) {
      vtag = *packet.verification_tag;
    } else if (!has_init && state_.local_tag) {
      vtag = *state_.local_tag;
    }
    state_.last_inbound_vtag = vtag;
    std::vector<uint8_t> bytes =
        BuildPacket(kRemotePort, kLocalPort, vtag, chunks, packet.bad_crc32c);
    Log("< " + DescribePacket(bytes) + (packet.bad_crc32c ? " (bad CRC32c)" : ""));
    usrsctp_conninput(LinkAddress(packet.source_ip.value_or(kRemoteIp)), bytes.data(), bytes.size(),
                      0);
  }

  void Expect(const Event& event, int64_t target) {
    const bool any_time = event.time_kind == TimeKind::kAny;
    const int64_t tolerance = script_.tolerance_usecs;
    const int64_t deadline = any_time ? now_usecs_ + kMaxWildcardWaitUsecs : target + tolerance;
    while (captured_.empty() && now_usecs_ < deadline)
      Tick();
    std::string expected_text = any_time ? "at any time" : "at " + TimeText(target);
    if (captured_.empty()) {
      throw Failure{"expected a packet " + expected_text + ", but the stack sent nothing by " +
                    TimeText(now_usecs_)};
    }
    Captured packet = std::move(captured_.front());
    captured_.pop_front();
    Log("> " + DescribePacket(packet.bytes));
    if (!any_time &&
        (packet.time_usecs < target - tolerance || packet.time_usecs > target + tolerance)) {
      throw Failure{"expected a packet " + expected_text + " (tolerance " +
                    std::to_string(tolerance) + " us), but " + DescribePacket(packet.bytes) +
                    " was sent at " + TimeText(packet.time_usecs)};
    }
    std::string destination = event.packet.destination_ip.value_or(kRemoteIp);
    if (packet.address != LinkAddress(destination)) {
      throw Failure{"packet sent to another address than " + destination};
    }
    std::string why = MatchPacket(event.packet, packet.bytes, kLocalPort, kRemotePort, state_);
    if (!why.empty()) {
      throw Failure{why + "; the stack sent " + DescribePacket(packet.bytes)};
    }
    if (now_usecs_ < packet.time_usecs) now_usecs_ = packet.time_usecs;
  }

  // --- socket calls ---

  // SCTP_PEER_ADDR_PARAMS for every path of the association: on an AF_CONN socket the
  // wildcard address is AF_CONN with a null sconn_addr.
  static sctp_paddrparams WildcardPathParams() {
    sctp_paddrparams params{};
    sockaddr_conn wildcard = ConnAddress(0, nullptr);
    std::memcpy(&params.spp_address, &wildcard, sizeof wildcard);
    return params;
  }

  // The scripts assume IPv4 over a 1500-byte MTU link (a 1452-byte message fills one DATA
  // chunk of 1468 bytes, so AF_CONN packets of up to 1480 bytes).
  void SetLinkMtu(struct socket* so) {
    sctp_paddrparams params = WildcardPathParams();
    params.spp_pathmtu = kLinkMtu;
    params.spp_flags = SPP_PMTUD_DISABLE;
    if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &params, sizeof params) != 0) {
      throw Failure{"cannot set the link MTU (SCTP_PEER_ADDR_PARAMS): " + ErrnoName(errno)};
    }
  }

  ScriptSocket& SocketArg(const Syscall& call, int line) {
    if (call.args.empty()) throw ScriptError{line, call.name + " needs a file descriptor"};
    int64_t fd = ConstantValue(call.args[0], line);
    auto found = sockets_.find(fd);
    if (found == sockets_.end()) {
      throw Failure{call.name + "(): descriptor " + std::to_string(fd) +
                    " is not a socket the script opened"};
    }
    return found->second;
  }

  static sockaddr_conn ConnAddress(uint16_t port, void* address) {
    sockaddr_conn sconn{};
    sconn.sconn_family = AF_CONN;
    sconn.sconn_port = htons(port);
    sconn.sconn_addr = address;
    return sconn;
  }

  // The descriptor a successful socket()/accept() returns: the script's number; a script that
  // expects failure sees the lowest free descriptor (as a kernel would return).
  int64_t ScriptFd(const Syscall& call) const {
    if (call.result.value >= 0) return call.result.value;
    int64_t fd = 3;
    while (sockets_.contains(fd))
      ++fd;
    return fd;
  }

  void CheckArgCount(const Syscall& call, size_t count, int line) {
    if (call.args.size() != count) {
      throw ScriptError{line, call.name + " takes " + std::to_string(count) + " arguments"};
    }
  }

  // Checks the call's return value (and errno) against the script.
  void CheckResult(const Event& event, int64_t result, int error) {
    const SyscallResult& want = event.syscall.result;
    std::string got = std::to_string(result);
    if (result < 0) got += " " + ErrnoName(error);
    Log(event.syscall.name + "() = " + got);
    if (want.any) return;
    bool same = result == want.value;
    if (same && want.errno_name) {
      int64_t want_errno =
          ConstantValue(Value{Value::Kind::kWord, 0, 0, *want.errno_name}, event.line);
      bool would_block = (want_errno == EAGAIN || want_errno == EWOULDBLOCK) &&
                         (error == EAGAIN || error == EWOULDBLOCK);
      same = would_block || want_errno == error;
    }
    if (!same) {
      std::string expected = std::to_string(want.value);
      if (want.errno_name) expected += " " + *want.errno_name;
      throw Failure{event.syscall.name + "() returned " + got + ", expected " + expected};
    }
  }

  // A call the script makes on a blocking socket waits (in virtual time) until it completes.
  template <typename Call>
  int64_t MaybeBlock(const ScriptSocket& socket, Call call, int& error) {
    int64_t result = call();
    error = errno;
    int64_t give_up = now_usecs_ + kMaxBlockingWaitUsecs;
    while (!socket.nonblocking && result < 0 && (error == EWOULDBLOCK || error == EAGAIN) &&
           now_usecs_ < give_up) {
      Tick();
      result = call();
      error = errno;
    }
    return result;
  }

  void RunSyscall(const Event& event) {
    const Syscall& call = event.syscall;
    const int line = event.line;
    const std::string& name = call.name;
    int error = 0;
    errno = 0;
    if (name == "socket") {
      CheckArgCount(call, 3, line);
      int type = static_cast<int>(ConstantValue(call.args[1], line));
      struct socket* so = usrsctp_socket(AF_CONN, type, IPPROTO_SCTP, nullptr, nullptr, 0, nullptr);
      error = errno;
      if (so && call.result.value < 0) usrsctp_close(so);
      // The script's number names the socket (packetdrill maps script fds onto live ones).
      CheckResult(event, so ? ScriptFd(call) : -1, error);
      if (so) {
        usrsctp_set_non_blocking(so, 1);
        SetLinkMtu(so);
        sockets_[call.result.value] = ScriptSocket{so, false};
      }
    } else if (name == "bind" || name == "connect" || name == "sctp_connectx") {
      CheckArgCount(call, 3, line);
      ScriptSocket& socket = SocketArg(call, line);
      int result;
      if (name == "bind") {
        sockaddr_conn local = ConnAddress(kLocalPort, LinkAddress(kRemoteIp));
        result = usrsctp_bind(socket.so, reinterpret_cast<sockaddr*>(&local), sizeof local);
      } else {
        sockaddr_conn remote = ConnAddress(kRemotePort, LinkAddress(kRemoteIp));
        if (name == "connect") {
          result = usrsctp_connect(socket.so, reinterpret_cast<sockaddr*>(&remote), sizeof remote);
        } else {
          sctp_assoc_t id = 0;
          result = usrsctp_connectx(socket.so, reinterpret_cast<sockaddr*>(&remote), 1, &id);
        }
      }
      error = errno;
      CheckResult(event, result, error);
    } else if (name == "listen") {
      CheckArgCount(call, 2, line);
      ScriptSocket& socket = SocketArg(call, line);
      int result = usrsctp_listen(socket.so, static_cast<int>(ConstantValue(call.args[1], line)));
      error = errno;
      CheckResult(event, result, error);
    } else if (name == "accept") {
      CheckArgCount(call, 3, line);
      ScriptSocket& socket = SocketArg(call, line);
      struct socket* accepted = nullptr;
      MaybeBlock(
          socket,
          [&]() -> int64_t {
            accepted = usrsctp_accept(socket.so, nullptr, nullptr);
            return accepted ? 0 : -1;
          },
          error);
      if (accepted && call.result.value < 0) usrsctp_close(accepted);
      CheckResult(event, accepted ? ScriptFd(call) : -1, error);
      if (accepted) {
        usrsctp_set_non_blocking(accepted, 1);
        sockets_[call.result.value] = ScriptSocket{accepted, false};
      }
    } else if (name == "write" || name == "read") {
      CheckArgCount(call, 3, line);
      ScriptSocket& socket = SocketArg(call, line);
      int64_t length = ConstantValue(call.args[2], line);
      if (length < 0 || length > 1 << 20) throw ScriptError{line, "length out of range"};
      std::vector<uint8_t> buffer(static_cast<size_t>(length), 0);
      int64_t result = MaybeBlock(
          socket,
          [&]() -> int64_t {
            if (name == "write") {
              return usrsctp_sendv(socket.so, buffer.data(), buffer.size(), nullptr, 0, nullptr, 0,
                                   SCTP_SENDV_NOINFO, 0);
            }
            sockaddr_storage from{};
            socklen_t from_length = sizeof from;
            sctp_rcvinfo info{};
            socklen_t info_length = sizeof info;
            unsigned int infotype = 0;
            int flags = 0;
            return usrsctp_recvv(socket.so, buffer.data(), buffer.size(),
                                 reinterpret_cast<sockaddr*>(&from), &from_length, &info,
                                 &info_length, &infotype, &flags);
          },
          error);
      CheckResult(event, result, error);
    } else if (name == "close") {
      CheckArgCount(call, 1, line);
      ScriptSocket& socket = SocketArg(call, line);
      usrsctp_close(socket.so);
      sockets_.erase(ConstantValue(call.args[0], line));
      CheckResult(event, 0, 0);
    } else if (name == "shutdown") {
      CheckArgCount(call, 2, line);
      ScriptSocket& socket = SocketArg(call, line);
      int result = usrsctp_shutdown(socket.so, static_cast<int>(ConstantValue(call.args[1], line)));
      error = errno;
      CheckResult(event, result, error);
    } else if (name == "fcntl") {
      if (call.args.size() < 2) throw ScriptError{line, "fcntl needs (fd, command[, flags])"};
      ScriptSocket& socket = SocketArg(call, line);
      int64_t command = ConstantValue(call.args[1], line);
      if (command == F_GETFL) {
        CheckResult(event, O_RDWR | (socket.nonblocking ? O_NONBLOCK : 0), 0);
      } else if (command == F_SETFL && call.args.size() == 3) {
        socket.nonblocking = (ConstantValue(call.args[2], line) & O_NONBLOCK) != 0;
        CheckResult(event, 0, 0);
      } else {
        throw ScriptError{line, "fcntl supports F_GETFL and F_SETFL only"};
      }
    } else if (name == "setsockopt" || name == "getsockopt") {
      RunSockopt(event);
    } else {
      throw ScriptError{line, "unsupported call '" + name + "'"};
    }
  }

  static void CheckStructFields(const Value& value, std::initializer_list<const char*> names,
                                int line) {
    for (const auto& [key, field] : value.fields) {
      bool known = false;
      for (const char* name : names)
        known |= key == name;
      if (!known) throw ScriptError{line, "unknown structure field '" + key + "'"};
    }
  }

  template <typename Integer>
  static void SetField(const Value& value, const char* name, Integer& out, int line) {
    for (const auto& [key, field] : value.fields) {
      if (key == name && field.kind != Value::Kind::kAny) {
        out = static_cast<Integer>(ConstantValue(field, line));
      }
    }
  }

  template <typename Integer>
  static void CheckField(const Value& value, const char* name, Integer live, int line) {
    for (const auto& [key, field] : value.fields) {
      if (key == name && field.kind != Value::Kind::kAny &&
          ConstantValue(field, line) != static_cast<int64_t>(live)) {
        throw Failure{std::string(name) + " is " + std::to_string(live) + ", expected " +
                      std::to_string(ConstantValue(field, line))};
      }
    }
  }

  void RunSockopt(const Event& event) {
    const Syscall& call = event.syscall;
    const int line = event.line;
    CheckArgCount(call, 5, line);
    ScriptSocket& socket = SocketArg(call, line);
    int level = static_cast<int>(ConstantValue(call.args[1], line));
    int option = static_cast<int>(ConstantValue(call.args[2], line));
    const Value& value = call.args[3];
    const bool set = call.name == "setsockopt";
    int result = -1;
    int error = 0;
    if (value.kind == Value::Kind::kStruct && level == IPPROTO_SCTP && option == SCTP_RTOINFO) {
      CheckStructFields(value, {"srto_assoc_id", "srto_initial", "srto_max", "srto_min"}, line);
      sctp_rtoinfo info{};
      socklen_t length = sizeof info;
      if (set) {
        SetField(value, "srto_initial", info.srto_initial, line);
        SetField(value, "srto_max", info.srto_max, line);
        SetField(value, "srto_min", info.srto_min, line);
        result = usrsctp_setsockopt(socket.so, level, option, &info, length);
      } else {
        result = usrsctp_getsockopt(socket.so, level, option, &info, &length);
      }
      error = errno;
      CheckResult(event, result, error);
      if (!set && result == 0) {
        CheckField(value, "srto_initial", info.srto_initial, line);
        CheckField(value, "srto_max", info.srto_max, line);
        CheckField(value, "srto_min", info.srto_min, line);
      }
    } else if (value.kind == Value::Kind::kStruct && level == IPPROTO_SCTP &&
               option == SCTP_INITMSG) {
      CheckStructFields(value,
                        {"sinit_num_ostreams", "sinit_max_instreams", "sinit_max_attempts",
                         "sinit_max_init_timeo"},
                        line);
      sctp_initmsg info{};
      socklen_t length = sizeof info;
      if (set) {
        SetField(value, "sinit_num_ostreams", info.sinit_num_ostreams, line);
        SetField(value, "sinit_max_instreams", info.sinit_max_instreams, line);
        SetField(value, "sinit_max_attempts", info.sinit_max_attempts, line);
        SetField(value, "sinit_max_init_timeo", info.sinit_max_init_timeo, line);
        result = usrsctp_setsockopt(socket.so, level, option, &info, length);
      } else {
        result = usrsctp_getsockopt(socket.so, level, option, &info, &length);
      }
      error = errno;
      CheckResult(event, result, error);
      if (!set && result == 0) {
        CheckField(value, "sinit_num_ostreams", info.sinit_num_ostreams, line);
        CheckField(value, "sinit_max_instreams", info.sinit_max_instreams, line);
        CheckField(value, "sinit_max_attempts", info.sinit_max_attempts, line);
        CheckField(value, "sinit_max_init_timeo", info.sinit_max_init_timeo, line);
      }
    } else if (value.kind == Value::Kind::kStruct && level == IPPROTO_SCTP &&
               option == SCTP_PEER_ADDR_PARAMS && set) {
      CheckStructFields(value,
                        {"spp_address", "spp_hbinterval", "spp_pathmaxrxt", "spp_pathmtu",
                         "spp_flags", "spp_ipv6_flowlabel", "spp_dscp"},
                        line);
      for (const auto& [key, field] : value.fields) {
        if (key == "spp_address" && field.kind != Value::Kind::kAny) {
          throw ScriptError{line, "spp_address must be ... (all of the association's paths)"};
        }
      }
      sctp_paddrparams params = WildcardPathParams();
      SetField(value, "spp_hbinterval", params.spp_hbinterval, line);
      SetField(value, "spp_pathmaxrxt", params.spp_pathmaxrxt, line);
      SetField(value, "spp_pathmtu", params.spp_pathmtu, line);
      SetField(value, "spp_flags", params.spp_flags, line);
      SetField(value, "spp_ipv6_flowlabel", params.spp_ipv6_flowlabel, line);
      SetField(value, "spp_dscp", params.spp_dscp, line);
      // spp_pathmtu=0 means "leave the MTU alone" (as Linux and older FreeBSD read it);
      // usrsctp rejects 0 together with SPP_PMTUD_DISABLE, so pass the link MTU instead.
      if (params.spp_pathmtu == 0 && (params.spp_flags & SPP_PMTUD_DISABLE)) {
        params.spp_pathmtu = kLinkMtu;
      }
      result = usrsctp_setsockopt(socket.so, level, option, &params, sizeof params);
      error = errno;
      CheckResult(event, result, error);
    } else if (value.kind == Value::Kind::kStruct && level == IPPROTO_SCTP &&
               option == SCTP_STATUS && !set) {
      CheckStructFields(
          value,
          {"sstat_assoc_id", "sstat_state", "sstat_rwnd", "sstat_unackdata", "sstat_penddata",
           "sstat_instrms", "sstat_outstrms", "sstat_fragmentation_point", "sstat_primary"},
          line);
      sctp_status status{};
      socklen_t length = sizeof status;
      result = usrsctp_getsockopt(socket.so, level, option, &status, &length);
      error = errno;
      CheckResult(event, result, error);
      if (result == 0) {
        CheckField(value, "sstat_state", status.sstat_state, line);
        CheckField(value, "sstat_rwnd", status.sstat_rwnd, line);
        CheckField(value, "sstat_unackdata", status.sstat_unackdata, line);
        CheckField(value, "sstat_penddata", status.sstat_penddata, line);
        CheckField(value, "sstat_instrms", status.sstat_instrms, line);
        CheckField(value, "sstat_outstrms", status.sstat_outstrms, line);
        CheckField(value, "sstat_fragmentation_point", status.sstat_fragmentation_point, line);
      }
    } else if (value.kind == Value::Kind::kList || value.kind == Value::Kind::kNumber) {
      // Integer options: SO_ERROR, SCTP_NODELAY, SO_RCVBUF, ...
      int number = 0;
      socklen_t length = sizeof number;
      if (set) {
        number = static_cast<int>(ConstantValue(value, line));
        result = usrsctp_setsockopt(socket.so, level, option, &number, length);
      } else {
        result = usrsctp_getsockopt(socket.so, level, option, &number, &length);
      }
      error = errno;
      CheckResult(event, result, error);
      if (!set && result == 0 &&
          !(value.kind == Value::Kind::kList && !value.items.empty() &&
            value.items[0].kind == Value::Kind::kAny)) {
        int64_t want = ConstantValue(value, line);
        if (want != number) {
          bool is_error = option == SO_ERROR && level == SOL_SOCKET;
          throw Failure{call.name + "() value is " +
                        (is_error ? ErrnoName(number) : std::to_string(number)) + ", expected " +
                        (is_error ? ErrnoName(static_cast<int>(want)) : std::to_string(want))};
        }
      }
    } else {
      throw ScriptError{line, "unsupported " + call.name + " option or value"};
    }
  }

  // `sysctl [-i] net.inet.sctp.NAME=VALUE`: FreeBSD sysctl names mapped onto usrsctp's setters
  // (usrsctp is FreeBSD's stack; its sysctls carry the same meaning). With -i, names usrsctp
  // does not have are ignored, as sysctl -i ignores unknown names.
  void RunCommand(const Event& event) {
    struct SysctlSetter {
      const char* name;
      int (*set)(uint32_t);
    };
    static constexpr SysctlSetter kSetters[] = {
        {"ecn_enable", usrsctp_sysctl_set_sctp_ecn_enable},
        {"pr_enable", usrsctp_sysctl_set_sctp_pr_enable},
        {"asconf_enable", usrsctp_sysctl_set_sctp_asconf_enable},
        {"pktdrop_enable", usrsctp_sysctl_set_sctp_pktdrop_enable},
        {"reconfig_enable", usrsctp_sysctl_set_sctp_reconfig_enable},
        {"auth_enable", usrsctp_sysctl_set_sctp_auth_enable},
        {"nrsack_enable", usrsctp_sysctl_set_sctp_nrsack_enable},
        {"rto_initial", usrsctp_sysctl_set_sctp_rto_initial_default},
        {"rto_min", usrsctp_sysctl_set_sctp_rto_min_default},
        {"rto_max", usrsctp_sysctl_set_sctp_rto_max_default},
        {"init_rto_max", usrsctp_sysctl_set_sctp_init_rto_max_default},
        {"init_rtx_max", usrsctp_sysctl_set_sctp_init_rtx_max_default},
        {"assoc_rtx_max", usrsctp_sysctl_set_sctp_assoc_rtx_max_default},
        {"path_rtx_max", usrsctp_sysctl_set_sctp_path_rtx_max_default},
        {"heartbeat_interval", usrsctp_sysctl_set_sctp_heartbeat_interval_default},
        {"valid_cookie_life", usrsctp_sysctl_set_sctp_valid_cookie_life_default},
        {"delayed_sack_time", usrsctp_sysctl_set_sctp_delayed_sack_time_default},
        {"sack_freq", usrsctp_sysctl_set_sctp_sack_freq_default},
        {"blackhole", usrsctp_sysctl_set_sctp_blackhole},
        {"max_burst", usrsctp_sysctl_set_sctp_max_burst_default},
        {"outgoing_streams", usrsctp_sysctl_set_sctp_nr_outgoing_streams_default},
        {"incoming_streams", usrsctp_sysctl_set_sctp_nr_incoming_streams_default},
    };
    std::istringstream words(event.command);
    std::string program, word, assignment;
    bool ignore_unknown = false;
    words >> program;
    if (program != "sysctl")
      throw ScriptError{event.line, "unsupported command `" + event.command + "`"};
    while (words >> word) {
      if (word == "-i") {
        ignore_unknown = true;
      } else if (assignment.empty()) {
        assignment = word;
      } else {
        throw ScriptError{event.line, "sysctl takes one NAME=VALUE"};
      }
    }
    const std::string prefix = "net.inet.sctp.";
    size_t equals = assignment.find('=');
    char* end = nullptr;
    unsigned long value =
        equals == std::string::npos ? 0 : std::strtoul(assignment.c_str() + equals + 1, &end, 10);
    if (assignment.rfind(prefix, 0) != 0 || equals == std::string::npos || end == nullptr ||
        *end != '\0' || end == assignment.c_str() + equals + 1 || value > UINT32_MAX) {
      throw ScriptError{event.line, "sysctl needs net.inet.sctp.NAME=NUMBER"};
    }
    std::string name = assignment.substr(prefix.size(), equals - prefix.size());
    // FreeBSD 9/10 spellings of two switches.
    if (name == "auth_disable") {
      name = "auth_enable";
      value = value ? 0 : 1;
    } else if (name == "nrsack_on_off") {
      name = "nrsack_enable";
    }
    for (const SysctlSetter& setter : kSetters) {
      if (name != setter.name) continue;
      int result = setter.set(static_cast<uint32_t>(value));
      Log("sysctl " + name + "=" + std::to_string(value) + " -> " + std::to_string(result));
      if (result != 0) throw Failure{"sysctl " + name + "=" + std::to_string(value) + " failed"};
      return;
    }
    if (!ignore_unknown) throw ScriptError{event.line, "unknown sysctl " + name};
    Log("sysctl " + name + " ignored (-i: usrsctp has no such sysctl)");
  }

  const Script& script_;
  const bool verbose_;
  int64_t timer_ms_ = 0;
  int64_t now_usecs_ = 0;
  int64_t last_event_usecs_ = 0;
  std::deque<Captured> captured_;
  std::map<int64_t, ScriptSocket> sockets_;
  std::map<std::string, void*> links_;
  LiveState state_;
};

}  // namespace

Outcome RunScript(const Script& script, bool verbose) {
  Runner runner(script, verbose);
  return runner.Run();
}

}  // namespace sctp_script
