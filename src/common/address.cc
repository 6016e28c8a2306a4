#include "sctpcpp/address.h"

#include <arpa/inet.h>

#include <cstdio>

namespace sctp {

std::optional<Address> Address::Parse(std::string_view text) {
  // inet_pton needs a NUL-terminated string; addresses are short.
  char buffer[INET6_ADDRSTRLEN + 1];
  if (text.size() >= sizeof(buffer)) return std::nullopt;
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  std::array<uint8_t, 4> v4;
  if (inet_pton(AF_INET, buffer, v4.data()) == 1) return Ipv4(v4);
  std::array<uint8_t, 16> v6;
  if (inet_pton(AF_INET6, buffer, v6.data()) == 1) return Ipv6(v6);
  return std::nullopt;
}

std::string Address::ToString() const {
  char buffer[INET6_ADDRSTRLEN + 32];
  switch (family_) {
    case Family::kIpv4:
      inet_ntop(AF_INET, bytes_.data(), buffer, sizeof(buffer));
      return buffer;
    case Family::kIpv6:
      inet_ntop(AF_INET6, bytes_.data(), buffer, sizeof(buffer));
      return buffer;
    case Family::kConn:
      std::snprintf(buffer, sizeof(buffer), "conn:%#jx", static_cast<uintmax_t>(conn_handle()));
      return buffer;
    case Family::kNone:
      break;
  }
  return "none";
}

}  // namespace sctp
