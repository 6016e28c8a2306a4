// Helpers shared by the usrsctp API files: errno returns, socket liveness, and conversions
// between sockaddr / sctp_sockstore and sctp::Address.
#ifndef SCTPCPP_COMPAT_SOCKADDR_H_
#define SCTPCPP_COMPAT_SOCKADDR_H_

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "sctpcpp/address.h"
#include "stack.h"
#include "transport/udp_transport.h"

namespace sctp::compat {

inline int Fail(int error) {
  errno = error;
  return -1;
}

// sockaddr (AF_CONN, AF_INET, AF_INET6) → address + port.
inline bool FromSockaddr(const struct sockaddr* sa, socklen_t len, Address* address,
                         uint16_t* port) {
  if (sa == nullptr) return false;
  switch (sa->sa_family) {
    case AF_CONN: {
      if (len < static_cast<socklen_t>(sizeof(struct sockaddr_conn))) return false;
      struct sockaddr_conn sc;
      std::memcpy(&sc, sa, sizeof(sc));
      *address = Address::Conn(reinterpret_cast<uintptr_t>(sc.sconn_addr));
      *port = ntohs(sc.sconn_port);
      return true;
    }
    case AF_INET: {
      if (len < static_cast<socklen_t>(sizeof(struct sockaddr_in))) return false;
      struct sockaddr_in sin;
      std::memcpy(&sin, sa, sizeof(sin));
      std::array<uint8_t, 4> b;
      std::memcpy(b.data(), &sin.sin_addr, 4);
      *address = Address::Ipv4(b);
      *port = ntohs(sin.sin_port);
      return true;
    }
    case AF_INET6: {
      if (len < static_cast<socklen_t>(sizeof(struct sockaddr_in6))) return false;
      struct sockaddr_in6 sin6;
      std::memcpy(&sin6, sa, sizeof(sin6));
      std::array<uint8_t, 16> b;
      std::memcpy(b.data(), &sin6.sin6_addr, 16);
      // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 peer it names.
      *address = transport::Unmapped(Address::Ipv6(b));
      *port = ntohs(sin6.sin6_port);
      return true;
    }
    default:
      return false;
  }
}

inline union sctp_sockstore ToSockstore(const Address& address, uint16_t port) {
  union sctp_sockstore store;
  std::memset(&store, 0, sizeof(store));
  if (address.is_conn()) {
    store.sconn.sconn_family = AF_CONN;
    store.sconn.sconn_port = htons(port);
    store.sconn.sconn_addr = reinterpret_cast<void*>(address.conn_handle());
  } else if (address.is_ipv4()) {
    store.sin.sin_family = AF_INET;
    store.sin.sin_port = htons(port);
    std::memcpy(&store.sin.sin_addr, address.bytes().data(), 4);
  } else if (address.is_ipv6()) {
    store.sin6.sin6_family = AF_INET6;
    store.sin6.sin6_port = htons(port);
    std::memcpy(&store.sin6.sin6_addr, address.bytes().data(), 16);
  }
  return store;
}

// As the socket reports addresses: on an AF_INET6 socket with SCTP_I_WANT_MAPPED_V4_ADDR an
// IPv4 address becomes ::ffff:a.b.c.d (RFC 6458 §8.1.15).
inline union sctp_sockstore ToSockstoreFor(const struct ::socket* so, const Address& address,
                                           uint16_t port) {
  if (so != nullptr && so->domain == AF_INET6 && so->want_mapped_v4 && address.is_ipv4()) {
    std::array<uint8_t, 16> mapped{};
    mapped[10] = 0xff;
    mapped[11] = 0xff;
    std::memcpy(mapped.data() + 12, address.bytes().data(), 4);
    return ToSockstore(Address::Ipv6(mapped), port);
  }
  return ToSockstore(address, port);
}

inline size_t SockaddrSize(int family) {
  switch (family) {
    case AF_CONN:
      return sizeof(struct sockaddr_conn);
    case AF_INET:
      return sizeof(struct sockaddr_in);
    case AF_INET6:
      return sizeof(struct sockaddr_in6);
    default:
      return 0;
  }
}

inline bool IsLive(Stack* s, struct socket* so) {
  return so != nullptr && s->sockets.contains(so) && !so->closed;
}

}  // namespace sctp::compat

#endif  // SCTPCPP_COMPAT_SOCKADDR_H_
