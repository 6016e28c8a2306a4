#include "transport/udp_transport.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/status/status.h"

namespace sctp::transport {
namespace {

int OpenUdpSocket(int family, uint16_t port, const Address& bind_address,
                  const UdpOptions& options) {
  const int fd = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const int on = 1;
  if (family == AF_INET6) {
    // Separate IPv4 and IPv6 sockets on the same port.
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on));
    const int dontfrag = options.dont_fragment ? 1 : 0;
    setsockopt(fd, IPPROTO_IPV6, IPV6_DONTFRAG, &dontfrag, sizeof(dontfrag));
  } else {
    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
    const int pmtudisc = options.dont_fragment ? IP_PMTUDISC_PROBE : IP_PMTUDISC_DONT;
    setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &pmtudisc, sizeof(pmtudisc));
  }
  if (options.receive_buffer > 0) {
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &options.receive_buffer, sizeof(int));
  }
  if (options.send_buffer > 0) {
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &options.send_buffer, sizeof(int));
  }
  sockaddr_storage ss;
  unsigned len = 0;
  Address any = bind_address;
  if (any.empty()) {
    any = family == AF_INET ? Address::Ipv4({0, 0, 0, 0}) : Address::Ipv6({});
  }
  ToSockaddr(any, port, &ss, &len);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

uint16_t BoundPort(int fd) {
  sockaddr_storage ss;
  socklen_t len = sizeof(ss);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return 0;
  uint16_t port = 0;
  FromSockaddr(reinterpret_cast<sockaddr*>(&ss), &port);
  return port;
}

// The destination address of a received datagram, from its IP_PKTINFO / IPV6_PKTINFO.
Address DestinationOf(msghdr* msg) {
  for (cmsghdr* c = CMSG_FIRSTHDR(msg); c != nullptr; c = CMSG_NXTHDR(msg, c)) {
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      in_pktinfo info;
      std::memcpy(&info, CMSG_DATA(c), sizeof(info));
      std::array<uint8_t, 4> b;
      std::memcpy(b.data(), &info.ipi_addr, 4);
      return Address::Ipv4(b);
    }
    if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
      in6_pktinfo info;
      std::memcpy(&info, CMSG_DATA(c), sizeof(info));
      std::array<uint8_t, 16> b;
      std::memcpy(b.data(), &info.ipi6_addr, 16);
      return Unmapped(Address::Ipv6(b));
    }
  }
  return {};
}

constexpr size_t kControlSize = CMSG_SPACE(sizeof(in6_pktinfo)) + CMSG_SPACE(sizeof(in_pktinfo));

}  // namespace

// ---------------------------------------------------------------------------------------
// Addresses

bool ToSockaddr(const Address& address, uint16_t port, sockaddr_storage* out, unsigned* length) {
  std::memset(out, 0, sizeof(*out));
  if (address.is_ipv4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(out);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    std::memcpy(&sin->sin_addr, address.bytes().data(), 4);
    *length = sizeof(sockaddr_in);
    return true;
  }
  if (address.is_ipv6()) {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(out);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    std::memcpy(&sin6->sin6_addr, address.bytes().data(), 16);
    *length = sizeof(sockaddr_in6);
    return true;
  }
  *length = 0;
  return false;
}

Address FromSockaddr(const sockaddr* sa, uint16_t* port) {
  if (sa->sa_family == AF_INET) {
    sockaddr_in sin;
    std::memcpy(&sin, sa, sizeof(sin));
    std::array<uint8_t, 4> b;
    std::memcpy(b.data(), &sin.sin_addr, 4);
    *port = ntohs(sin.sin_port);
    return Address::Ipv4(b);
  }
  if (sa->sa_family == AF_INET6) {
    sockaddr_in6 sin6;
    std::memcpy(&sin6, sa, sizeof(sin6));
    std::array<uint8_t, 16> b;
    std::memcpy(b.data(), &sin6.sin6_addr, 16);
    *port = ntohs(sin6.sin6_port);
    return Unmapped(Address::Ipv6(b));
  }
  *port = 0;
  return {};
}

Address Unmapped(const Address& address) {
  if (!address.is_ipv6()) return address;
  const auto b = address.bytes();
  static constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(b.data(), kMappedPrefix, 12) != 0) return address;
  return Address::Ipv4({b[12], b[13], b[14], b[15]});
}

bool IsWildcard(const Address& address) {
  if (!address.is_ipv4() && !address.is_ipv6()) return false;
  for (uint8_t b : address.bytes()) {
    if (b != 0) return false;
  }
  return true;
}

std::vector<Address> LocalAddresses(bool ipv4, bool ipv6) {
  std::vector<Address> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || (i->ifa_flags & IFF_UP) == 0) continue;
    const int family = i->ifa_addr->sa_family;
    if ((family == AF_INET && !ipv4) || (family == AF_INET6 && !ipv6)) continue;
    if (family != AF_INET && family != AF_INET6) continue;
    uint16_t port = 0;
    const Address a = FromSockaddr(i->ifa_addr, &port);
    // IPv6 link-local addresses need a scope: not usable as SCTP addresses here.
    if (a.is_ipv6() && a.bytes()[0] == 0xfe && (a.bytes()[1] & 0xc0) == 0x80) continue;
    bool seen = false;
    for (const Address& o : out)
      seen = seen || o == a;
    if (!seen) out.push_back(a);
  }
  freeifaddrs(list);
  return out;
}

bool IsLocalAddress(const Address& address) {
  if (!address.is_ipv4() && !address.is_ipv6()) return false;
  if (IsWildcard(address)) return true;
  const int fd = ::socket(address.is_ipv4() ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_storage ss;
  unsigned len = 0;
  ToSockaddr(address, 0, &ss, &len);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) == 0;
  ::close(fd);
  return ok;
}

// ---------------------------------------------------------------------------------------
// UdpEncapsulation

absl::StatusOr<std::unique_ptr<UdpEncapsulation>> UdpEncapsulation::Open(
    uint16_t port, const UdpOptions& options) {
  std::unique_ptr<UdpEncapsulation> u(new UdpEncapsulation());
  u->fd4_ = OpenUdpSocket(AF_INET, port, options.bind_v4, options);
  const int saved_errno = errno;
  uint16_t chosen = port;
  if (u->fd4_ >= 0 && chosen == 0) chosen = BoundPort(u->fd4_);
  u->fd6_ = OpenUdpSocket(AF_INET6, chosen, options.bind_v6, options);
  if (u->fd4_ < 0 && u->fd6_ < 0) {
    return absl::UnavailableError(std::string("cannot bind UDP port ") + std::to_string(port) +
                                  ": " + std::strerror(saved_errno));
  }
  u->port_ = u->fd4_ >= 0 ? BoundPort(u->fd4_) : BoundPort(u->fd6_);
  u->buffers_.resize(static_cast<size_t>(kBatch) * kMaxDatagram);
  return u;
}

UdpEncapsulation::~UdpEncapsulation() {
  if (fd4_ >= 0) ::close(fd4_);
  if (fd6_ >= 0) ::close(fd6_);
}

std::vector<int> UdpEncapsulation::fds() const {
  std::vector<int> out;
  if (fd4_ >= 0) out.push_back(fd4_);
  if (fd6_ >= 0) out.push_back(fd6_);
  return out;
}

size_t UdpEncapsulation::Receive(int fd,
                                 const std::function<void(const IncomingDatagram&)>& handler,
                                 size_t max_datagrams) {
  mmsghdr msgs[kBatch];
  iovec iovs[kBatch];
  sockaddr_storage sources[kBatch];
  alignas(cmsghdr) uint8_t control[kBatch][kControlSize];
  size_t total = 0;
  for (;;) {
    for (int i = 0; i < kBatch; ++i) {
      iovs[i].iov_base = buffers_.data() + static_cast<size_t>(i) * kMaxDatagram;
      iovs[i].iov_len = kMaxDatagram;
      std::memset(&msgs[i], 0, sizeof(msgs[i]));
      msgs[i].msg_hdr.msg_name = &sources[i];
      msgs[i].msg_hdr.msg_namelen = sizeof(sources[i]);
      msgs[i].msg_hdr.msg_iov = &iovs[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_control = control[i];
      msgs[i].msg_hdr.msg_controllen = kControlSize;
    }
    const int n = recvmmsg(fd, msgs, kBatch, MSG_DONTWAIT, nullptr);
    if (n <= 0) break;
    ++stats_.receive_batches;
    for (int i = 0; i < n; ++i) {
      ++stats_.datagrams_received;
      if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) {
        ++stats_.truncated;
        continue;
      }
      IncomingDatagram d;
      d.from = FromSockaddr(reinterpret_cast<sockaddr*>(&sources[i]), &d.from_port);
      d.to = DestinationOf(&msgs[i].msg_hdr);
      d.payload =
          std::span<const uint8_t>(static_cast<const uint8_t*>(iovs[i].iov_base), msgs[i].msg_len);
      handler(d);
    }
    total += static_cast<size_t>(n);
    if (n < kBatch || total >= max_datagrams) break;
  }
  return total;
}

size_t UdpEncapsulation::Send(std::span<const OutgoingDatagram> datagrams) {
  std::vector<const OutgoingDatagram*> v4, v6;
  for (const OutgoingDatagram& d : datagrams) {
    if (d.to.is_ipv4() && fd4_ >= 0) {
      v4.push_back(&d);
    } else if (d.to.is_ipv6() && fd6_ >= 0) {
      v6.push_back(&d);
    } else {
      ++stats_.unsupported_destination;
    }
  }
  size_t sent = 0;
  if (!v4.empty()) sent += SendFamily(fd4_, v4);
  if (!v6.empty()) sent += SendFamily(fd6_, v6);
  return sent;
}

size_t UdpEncapsulation::SendFamily(int fd, std::span<const OutgoingDatagram* const> batch) {
  size_t sent = 0;
  while (!batch.empty()) {
    const size_t count = std::min<size_t>(batch.size(), kBatch);
    mmsghdr msgs[kBatch];
    iovec iovs[kBatch];
    sockaddr_storage destinations[kBatch];
    alignas(cmsghdr) uint8_t control[kBatch][kControlSize];
    for (size_t i = 0; i < count; ++i) {
      const OutgoingDatagram& d = *batch[i];
      std::memset(&msgs[i], 0, sizeof(msgs[i]));
      unsigned len = 0;
      ToSockaddr(d.to, d.to_port, &destinations[i], &len);
      iovs[i].iov_base = const_cast<uint8_t*>(d.payload.data());
      iovs[i].iov_len = d.payload.size();
      msghdr& h = msgs[i].msg_hdr;
      h.msg_name = &destinations[i];
      h.msg_namelen = len;
      h.msg_iov = &iovs[i];
      h.msg_iovlen = 1;
      // The source address the engine picked (multihoming): IP_PKTINFO / IPV6_PKTINFO.
      if (!d.from.empty() && !IsWildcard(d.from) && d.from.family() == d.to.family()) {
        h.msg_control = control[i];
        cmsghdr* c = reinterpret_cast<cmsghdr*>(control[i]);
        if (d.from.is_ipv4()) {
          h.msg_controllen = CMSG_SPACE(sizeof(in_pktinfo));
          c->cmsg_level = IPPROTO_IP;
          c->cmsg_type = IP_PKTINFO;
          c->cmsg_len = CMSG_LEN(sizeof(in_pktinfo));
          in_pktinfo info{};
          std::memcpy(&info.ipi_spec_dst, d.from.bytes().data(), 4);
          std::memcpy(CMSG_DATA(c), &info, sizeof(info));
        } else {
          h.msg_controllen = CMSG_SPACE(sizeof(in6_pktinfo));
          c->cmsg_level = IPPROTO_IPV6;
          c->cmsg_type = IPV6_PKTINFO;
          c->cmsg_len = CMSG_LEN(sizeof(in6_pktinfo));
          in6_pktinfo info{};
          std::memcpy(&info.ipi6_addr, d.from.bytes().data(), 16);
          std::memcpy(CMSG_DATA(c), &info, sizeof(info));
        }
      }
    }
    ++stats_.send_batches;
    const int n = sendmmsg(fd, msgs, static_cast<unsigned>(count), MSG_DONTWAIT);
    if (n < 0) {
      // The first datagram failed (EMSGSIZE, ENETUNREACH, EAGAIN...): skip it, go on.
      ++stats_.send_errors;
      batch = batch.subspan(1);
      continue;
    }
    sent += static_cast<size_t>(n);
    stats_.datagrams_sent += static_cast<uint64_t>(n);
    batch = batch.subspan(static_cast<size_t>(n));
  }
  return sent;
}

// ---------------------------------------------------------------------------------------
// Poller

absl::StatusOr<std::unique_ptr<Poller>> Poller::Create() {
  std::unique_ptr<Poller> p(new Poller());
  p->epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  p->timer_fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  p->event_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (p->epoll_fd_ < 0 || p->timer_fd_ < 0 || p->event_fd_ < 0 || !p->Add(p->timer_fd_) ||
      !p->Add(p->event_fd_)) {
    return absl::InternalError(std::string("poller: ") + std::strerror(errno));
  }
  return p;
}

Poller::~Poller() {
  for (int fd : {epoll_fd_, timer_fd_, event_fd_}) {
    if (fd >= 0) ::close(fd);
  }
}

bool Poller::Add(int fd) {
  epoll_event e{};
  e.events = EPOLLIN;
  e.data.fd = fd;
  return epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &e) == 0;
}

void Poller::ArmTimer(TimePoint deadline) {
  itimerspec spec{};
  if (deadline != kNever) {
    const int64_t us = deadline.time_since_epoch().count();
    if (us <= 0) {
      spec.it_value.tv_nsec = 1;  // already due: fire at once (0 would disarm)
    } else {
      spec.it_value.tv_sec = us / 1000000;
      spec.it_value.tv_nsec = (us % 1000000) * 1000;
    }
  }
  timerfd_settime(timer_fd_, TFD_TIMER_ABSTIME, &spec, nullptr);
}

void Poller::Wake() {
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(event_fd_, &one, sizeof(one));
}

Poller::Ready Poller::Wait() {
  Ready ready;
  epoll_event events[16];
  int n = -1;
  while (n < 0) {
    n = epoll_wait(epoll_fd_, events, 16, -1);
    if (n < 0 && errno != EINTR) return ready;
  }
  for (int i = 0; i < n; ++i) {
    const int fd = events[i].data.fd;
    uint64_t value = 0;
    if (fd == timer_fd_) {
      [[maybe_unused]] ssize_t r = ::read(timer_fd_, &value, sizeof(value));
      ready.timer = true;
    } else if (fd == event_fd_) {
      [[maybe_unused]] ssize_t r = ::read(event_fd_, &value, sizeof(value));
      ready.woken = true;
    } else {
      ready.fds.push_back(fd);
    }
  }
  return ready;
}

// ---------------------------------------------------------------------------------------
// EncapsulationPorts

void EncapsulationPorts::Learn(uint16_t local_port, uint16_t remote_port, const Address& remote,
                               uint16_t udp_port) {
  if (udp_port == 0) return;
  exact_[{local_port, remote_port, remote}] = udp_port;
  per_association_.try_emplace({local_port, remote_port}, udp_port);
}

uint16_t EncapsulationPorts::Find(uint16_t local_port, uint16_t remote_port,
                                  const Address& remote) const {
  auto it = exact_.find({local_port, remote_port, remote});
  return it == exact_.end() ? 0 : it->second;
}

uint16_t EncapsulationPorts::Lookup(uint16_t local_port, uint16_t remote_port,
                                    const Address& remote) const {
  if (uint16_t p = Find(local_port, remote_port, remote)) return p;
  if (auto it = per_association_.find({local_port, remote_port}); it != per_association_.end()) {
    return it->second;
  }
  if (uint16_t p = Default(local_port)) return p;
  return fallback;
}

void EncapsulationPorts::SetDefault(uint16_t local_port, uint16_t udp_port) {
  if (udp_port == 0) {
    defaults_.erase(local_port);
  } else {
    defaults_[local_port] = udp_port;
  }
}

uint16_t EncapsulationPorts::Default(uint16_t local_port) const {
  auto it = defaults_.find(local_port);
  return it == defaults_.end() ? 0 : it->second;
}

void EncapsulationPorts::Forget(uint16_t local_port, uint16_t remote_port,
                                std::span<const Address> remotes) {
  for (const Address& a : remotes)
    exact_.erase({local_port, remote_port, a});
  per_association_.erase({local_port, remote_port});
}

void EncapsulationPorts::ForgetPort(uint16_t local_port) {
  std::erase_if(exact_, [&](const auto& e) { return std::get<0>(e.first) == local_port; });
  std::erase_if(per_association_, [&](const auto& e) { return e.first.first == local_port; });
  defaults_.erase(local_port);
}

}  // namespace sctp::transport
