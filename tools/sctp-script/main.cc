// sctp-script: runs packetdrill-syntax SCTP scripts against the usrsctp API in virtual time.
//
//   sctp-script [--verbose] FILE.pkt...
//
// Prints `PASS name` or `FAIL name: line N: what was expected, what happened` per script, then
// `N passed, M failed`; exits 0 only if every script passed. The stack is whichever
// libusrsctp.so.2 the dynamic loader finds (LD_LIBRARY_PATH picks ours or the real usrsctp).
//
// usrsctp keeps process-wide state, so every script runs in a child process of its own; a
// crash or a hang in the stack fails that script only.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "runner.h"
#include "script.h"

namespace {

constexpr unsigned kScriptTimeoutSeconds = 60;
constexpr size_t kMaxScriptBytes = 1 << 20;

std::string ScriptName(const std::string& path) {
  std::string name = path.substr(path.find_last_of('/') + 1);
  if (name.size() > 4 && name.compare(name.size() - 4, 4, ".pkt") == 0)
    name.resize(name.size() - 4);
  return name;
}

// Parses and runs one script; returns "" on success, otherwise "line N: ...".
std::string RunOne(const std::string& path, bool verbose) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return "cannot read " + path;
  std::ostringstream text;
  text << file.rdbuf();
  if (text.str().size() > kMaxScriptBytes) return "script larger than 1 MiB";
  try {
    // usrsctp is FreeBSD's stack, so the scripts' `#ifdef FreeBSD` branches apply.
    sctp_script::Script script = sctp_script::ParseScript(path, text.str(), {"FreeBSD"});
    sctp_script::Outcome outcome = sctp_script::RunScript(script, verbose);
    if (outcome.passed) return "";
    return "line " + std::to_string(outcome.line) + ": " + outcome.message;
  } catch (const sctp_script::ScriptError& error) {
    return "line " + std::to_string(error.line) + ": script error: " + error.message;
  }
}

// Runs RunOne in a child process; the verdict comes back through a pipe.
std::string RunIsolated(const std::string& path, bool verbose) {
  int fds[2];
  if (pipe(fds) != 0) return std::string("pipe: ") + std::strerror(errno);
  std::fflush(stdout);
  pid_t child = fork();
  if (child < 0) return std::string("fork: ") + std::strerror(errno);
  if (child == 0) {
    close(fds[0]);
    alarm(kScriptTimeoutSeconds);
    std::string verdict = RunOne(path, verbose);
    std::fflush(stdout);
    size_t written = 0;
    while (written < verdict.size()) {
      ssize_t n = write(fds[1], verdict.data() + written, verdict.size() - written);
      if (n <= 0) break;
      written += static_cast<size_t>(n);
    }
    _exit(verdict.empty() ? 0 : 1);
  }
  close(fds[1]);
  std::string verdict;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof buffer)) > 0)
    verdict.append(buffer, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  if (WIFSIGNALED(status)) {
    int signal_number = WTERMSIG(status);
    if (signal_number == SIGALRM) {
      return "timed out after " + std::to_string(kScriptTimeoutSeconds) + " s of real time";
    }
    return std::string("the stack crashed (signal ") + std::to_string(signal_number) + ", " +
           strsignal(signal_number) + ")";
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0 && verdict.empty()) {
    return "child exited with status " + std::to_string(WEXITSTATUS(status));
  }
  return verdict;
}

// Messages quote script text: keep hostile bytes off the terminal.
std::string Printable(const std::string& text) {
  std::string out;
  for (char c : text)
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  bool verbose = false;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    std::string argument = argv[i];
    if (argument == "--verbose" || argument == "-v") {
      verbose = true;
    } else if (argument == "--help" || argument == "-h") {
      std::printf("usage: %s [--verbose] FILE.pkt...\n", argv[0]);
      return 0;
    } else if (argument.rfind("-", 0) == 0) {
      std::fprintf(stderr, "unknown option %s\nusage: %s [--verbose] FILE.pkt...\n",
                   argument.c_str(), argv[0]);
      return 2;
    } else {
      paths.push_back(argument);
    }
  }
  if (paths.empty()) {
    std::fprintf(stderr, "usage: %s [--verbose] FILE.pkt...\n", argv[0]);
    return 2;
  }
  int passed = 0;
  int failed = 0;
  for (const std::string& path : paths) {
    if (verbose) std::printf("--- %s\n", path.c_str());
    std::string verdict = RunIsolated(path, verbose);
    if (verdict.empty()) {
      ++passed;
      std::printf("PASS %s\n", ScriptName(path).c_str());
    } else {
      ++failed;
      std::printf("FAIL %s: %s\n", Printable(ScriptName(path)).c_str(), Printable(verdict).c_str());
    }
    std::fflush(stdout);
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
