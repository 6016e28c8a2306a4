// Reading and writing socket option values (usrsctp_setsockopt / getsockopt): exact sizes,
// no out-of-bounds access, EINVAL otherwise.
#ifndef SCTPCPP_COMPAT_OPTION_IO_H_
#define SCTPCPP_COMPAT_OPTION_IO_H_

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "sockaddr.h"

namespace sctp::compat {

template <typename T>
bool Read(const void* value, socklen_t len, T* out) {
  if (value == nullptr || len < static_cast<socklen_t>(sizeof(T))) return false;
  std::memcpy(out, value, sizeof(T));
  return true;
}

template <typename T>
int Write(void* value, socklen_t* len, const T& in) {
  if (value == nullptr || len == nullptr || *len < static_cast<socklen_t>(sizeof(T))) {
    return Fail(EINVAL);
  }
  std::memcpy(value, &in, sizeof(T));
  *len = sizeof(T);
  return 0;
}

}  // namespace sctp::compat

#endif  // SCTPCPP_COMPAT_OPTION_IO_H_
