// SCTP over UDP (RFC 6951) for hosts of the sans-IO engine: the UDP sockets, batched I/O
// (recvmmsg/sendmmsg), and a poller (epoll + timerfd + eventfd) that wakes a single I/O thread
// for packets and at the engine's next deadline — no fixed-interval polling.
//
// This layer knows nothing of associations: it moves datagrams. Which remote UDP port a packet
// goes to (RFC 6951 §5.1, one per destination address and association) is the caller's
// choice; `EncapsulationPorts` keeps that table for a host.
#ifndef SCTPCPP_TRANSPORT_UDP_TRANSPORT_H_
#define SCTPCPP_TRANSPORT_UDP_TRANSPORT_H_

#include <sys/socket.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "sctpcpp/address.h"
#include "sctpcpp/time.h"

namespace sctp::transport {

// The IANA-assigned port for SCTP over UDP (RFC 6951 §5.1, "sctp-tunneling").
inline constexpr uint16_t kSctpTunnelingPort = 9899;
// RFC 6951 §5.6: encapsulation costs the UDP header on every packet of a path.
inline constexpr size_t kUdpHeaderSize = 8;

struct IncomingDatagram {
  Address from;
  uint16_t from_port = 0;
  Address to;  // the local address it was sent to (IP_PKTINFO / IPV6_PKTINFO)
  std::span<const uint8_t> payload;
};

struct OutgoingDatagram {
  Address from;  // local source address; empty = the kernel chooses
  Address to;
  uint16_t to_port = 0;
  std::vector<uint8_t> payload;
};

struct UdpStats {
  uint64_t datagrams_received = 0;
  uint64_t datagrams_sent = 0;
  uint64_t receive_batches = 0;          // recvmmsg calls that returned datagrams
  uint64_t send_batches = 0;             // sendmmsg calls
  uint64_t truncated = 0;                // longer than the receive buffer: dropped
  uint64_t send_errors = 0;              // the kernel refused a datagram (EMSGSIZE with DF, ...)
  uint64_t unsupported_destination = 0;  // AF_CONN or empty address, or no socket of its family
};

struct UdpOptions {
  // IPv4: set DF (IP_PMTUDISC_PROBE: DF on, the kernel neither fragments nor caps at its
  // cached PMTU), so the engine's path MTU logic — not IP fragmentation — decides packet
  // sizes (RFC 6951 §5.6). IPv6 never fragments in the network; IPV6_DONTFRAG likewise.
  bool dont_fragment = true;
  // Kernel buffer sizes asked for (best effort; 0 = system default).
  int receive_buffer = 4 << 20;
  int send_buffer = 4 << 20;
  // IPv4 address to bind the IPv4 socket to, IPv6 likewise; empty = wildcard.
  Address bind_v4;
  Address bind_v6;
};

// The UDP sockets of one local encapsulation port: one IPv4 and one IPv6 (IPV6_V6ONLY), both
// non-blocking. Thread-compatible: Receive on one thread, Send on any one thread at a time per
// instance (the stats are not atomic).
class UdpEncapsulation {
 public:
  // Opens both families on `port` (0 = an ephemeral port, the same for both when possible).
  // Succeeds if at least one family opens.
  static absl::StatusOr<std::unique_ptr<UdpEncapsulation>> Open(uint16_t port,
                                                                const UdpOptions& options = {});
  ~UdpEncapsulation();
  UdpEncapsulation(const UdpEncapsulation&) = delete;
  UdpEncapsulation& operator=(const UdpEncapsulation&) = delete;

  uint16_t port() const { return port_; }
  int ipv4_fd() const { return fd4_; }
  int ipv6_fd() const { return fd6_; }
  std::vector<int> fds() const;

  // Reads every datagram waiting on `fd` (batches of up to kBatch via recvmmsg) and calls
  // `handler` for each; the payload is valid during the call only. Returns the number read.
  static constexpr int kBatch = 32;
  static constexpr size_t kMaxDatagram = 65536;
  // At most `max_datagrams` per call, so a flood cannot hold the caller forever (epoll is
  // level-triggered: the rest is reported again).
  size_t Receive(int fd, const std::function<void(const IncomingDatagram&)>& handler,
                 size_t max_datagrams = SIZE_MAX);

  // Sends the datagrams with sendmmsg, batched per address family. Returns how many the
  // kernel took; the others are counted as send errors (SCTP retransmits: a full socket
  // buffer is a lost packet, as on a real link).
  size_t Send(std::span<const OutgoingDatagram> datagrams);

  const UdpStats& stats() const { return stats_; }

 private:
  UdpEncapsulation() = default;
  size_t SendFamily(int fd, std::span<const OutgoingDatagram* const> batch);

  int fd4_ = -1;
  int fd6_ = -1;
  uint16_t port_ = 0;
  UdpStats stats_;
  std::vector<uint8_t> buffers_;  // kBatch receive buffers of kMaxDatagram bytes
};

// epoll over the registered descriptors, a timerfd armed at an absolute deadline of the
// monotonic clock (the same clock as std::chrono::steady_clock), and an eventfd to wake the
// waiting thread. Wait blocks until one of them is ready: nothing runs between events.
class Poller {
 public:
  static absl::StatusOr<std::unique_ptr<Poller>> Create();
  ~Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  bool Add(int fd);
  // Arms the timer at `deadline` (steady_clock time); kNever disarms it. Thread-safe.
  void ArmTimer(TimePoint deadline);
  // Makes a concurrent or the next Wait return with `woken`. Thread-safe.
  void Wake();

  struct Ready {
    std::vector<int> fds;
    bool timer = false;
    bool woken = false;
  };
  Ready Wait();

 private:
  Poller() = default;
  int epoll_fd_ = -1;
  int timer_fd_ = -1;
  int event_fd_ = -1;
};

// RFC 6951 §5.1: "An SCTP implementation supporting UDP encapsulation MUST maintain a remote
// UDP encapsulation port number per destination address for each SCTP association."
// Keyed here by (local SCTP port, remote SCTP port, remote address), which names a destination
// of exactly one association. Lookups fall back to the association's first learned port, then
// to a per-local-port default (SCTP_REMOTE_UDP_ENCAPS_PORT with a wildcard address), then to
// `fallback` (9899).
class EncapsulationPorts {
 public:
  // RFC 6951 §5.4: after the association was found and the verification tag checked, "the UDP
  // source port MUST be stored as the encapsulation port for the destination address the
  // SCTP packet is received from".
  void Learn(uint16_t local_port, uint16_t remote_port, const Address& remote, uint16_t udp_port);
  // The stored port of this exact destination, 0 if none.
  uint16_t Find(uint16_t local_port, uint16_t remote_port, const Address& remote) const;
  // The port to send to.
  uint16_t Lookup(uint16_t local_port, uint16_t remote_port, const Address& remote) const;
  void SetDefault(uint16_t local_port, uint16_t udp_port);  // 0 clears
  uint16_t Default(uint16_t local_port) const;
  // An association ended: forget its destinations.
  void Forget(uint16_t local_port, uint16_t remote_port, std::span<const Address> remotes);
  // A local port is no longer used.
  void ForgetPort(uint16_t local_port);
  size_t size() const { return exact_.size(); }
  uint16_t fallback = kSctpTunnelingPort;

 private:
  std::map<std::tuple<uint16_t, uint16_t, Address>, uint16_t> exact_;
  std::map<std::pair<uint16_t, uint16_t>, uint16_t> per_association_;
  std::map<uint16_t, uint16_t> defaults_;
};

// Sockaddr conversions for the transport and its hosts.
bool ToSockaddr(const Address& address, uint16_t port, ::sockaddr_storage* out, unsigned* length);
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) become IPv4.
Address FromSockaddr(const ::sockaddr* sa, uint16_t* port);
Address Unmapped(const Address& address);
bool IsWildcard(const Address& address);

// The host's interface addresses (getifaddrs) of these families, without IPv6 link-local
// ones: the addresses of a wildcard-bound socket.
std::vector<Address> LocalAddresses(bool ipv4, bool ipv6);
// Can a socket bind to this address here (is it one of ours)?
bool IsLocalAddress(const Address& address);

}  // namespace sctp::transport

#endif  // SCTPCPP_TRANSPORT_UDP_TRANSPORT_H_
