// Runs one parsed script against the usrsctp API (whichever libusrsctp.so.2 is loaded):
// AF_CONN sockets, usrsctp_init_nothreads, virtual time advanced only by
// usrsctp_handle_timers, packets in through usrsctp_conninput and out through conn_output.
#pragma once

#include <string>

#include "script.h"

namespace sctp_script {

struct Outcome {
  bool passed = false;
  int line = 0;         // the script line that failed
  std::string message;  // what was expected, what happened
};

// Call once per process: usrsctp keeps global state, so each script runs in its own process.
// With `verbose`, every packet (both ways) and every call is printed to stdout.
Outcome RunScript(const Script& script, bool verbose);

}  // namespace sctp_script
