// The process-wide stack behind the usrsctp API: sockets, one sctp::Endpoint per bound port,
// the lock, the timer thread, and the dispatcher that runs application callbacks and lower
// layer output without holding the lock.
//
// Locking rule (usrsctp.md §3, §11): one mutex guards all state. Work that calls out of the
// library — conn_output, receive_cb, send_cb, upcalls — is queued while the lock is held and
// run after it is released, in order, by one thread at a time (the dispatcher). So an
// application may take its own locks in a callback and call the API from there, and an API
// call never waits for a lock held across an application callback. usrsctp_close waits until
// no callback of that socket is running (unless it is called from one), so no callback runs
// after it returns.
#ifndef SCTPCPP_COMPAT_STACK_H_
#define SCTPCPP_COMPAT_STACK_H_

#include <sys/socket.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <span>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/lazy_deque.h"
#include "sctpcpp/endpoint.h"
#include "transport/udp_transport.h"
#include "usrsctp.h"

namespace sctp::compat {

using ConnOutput = int (*)(void* addr, void* buffer, size_t length, uint8_t tos, uint8_t set_df);
using DebugPrintf = void (*)(const char* format, ...);
using ReceiveCallback = int (*)(struct socket* sock, union sctp_sockstore addr, void* data,
                                size_t datalen, struct sctp_rcvinfo, int flags, void* ulp_info);
using SendCallback = int (*)(struct socket* sock, uint32_t sb_free, void* ulp_info);
using Upcall = void (*)(struct socket* sock, void* arg, int flags);

class Stack;

// What a socket has waiting for the application in recvv mode.
struct Received {
  bool notification = false;
  std::vector<uint8_t> data;
  bool end_of_record = true;
  AssociationId association;
  Message meta;  // stream, ppid, unordered, ssn, first TSN (payload empty)
};

// One SCTP endpoint on a port, shared by a listening socket and the sockets it accepted.
struct PortEndpoint {
  uint16_t port = 0;
  uintptr_t conn_address = 0;  // AF_CONN address it is bound to, 0 = any
  std::unique_ptr<Endpoint> endpoint;
  std::set<struct ::socket*> users;
  // Indexes over `users`, so that a server with 10,000 accepted sockets does no per-packet
  // or per-event scan of them: the socket of each association, the listening socket, and
  // the sockets with a send-space callback.
  absl::flat_hash_map<uint32_t, struct ::socket*> socket_of;
  struct ::socket* listener = nullptr;
  std::set<struct ::socket*> send_cb_users;

  void AddUser(struct ::socket* so);
  void RemoveUser(struct ::socket* so);
};

}  // namespace sctp::compat

// The usrsctp socket: an opaque `struct socket` for C callers.
struct socket {
  int domain = 0;
  int type = 0;
  sctp::compat::ReceiveCallback receive_cb = nullptr;
  sctp::compat::SendCallback send_cb = nullptr;
  uint32_t send_threshold = 0;
  void* ulp_info = nullptr;
  sctp::compat::Upcall upcall = nullptr;
  void* upcall_arg = nullptr;

  bool non_blocking = false;
  bool closed = false;
  bool listening = false;
  bool connecting = false;
  bool connected = false;  // an association is up (SOCK_STREAM)
  bool was_connected = false;
  bool shut_wr = false;
  bool shut_rd = false;
  int so_error = 0;
  int linger_onoff = 0;
  int linger_seconds = 0;
  uint32_t rcvbuf = 0;
  uint32_t sndbuf = 0;
  bool nodelay = false;
  bool recv_rcvinfo = false;
  bool recv_nxtinfo = false;
  bool explicit_eor = false;
  uint32_t pd_point = 0;
  uint32_t frag_interleave = 1;
  uint16_t events = 0;  // subscribed SCTP_* notification types as bits (1 << type)
  sctp_initmsg initmsg{};
  uint32_t peer_mtu = 0;             // SCTP_PEER_ADDR_PARAMS spp_pathmtu, 0 = default
  bool heartbeats_disabled = false;  // SCTP_PEER_ADDR_PARAMS SPP_HB_DISABLE
  // SCTP_PEER_ADDR_PARAMS SPP_PMTUD_ENABLE (1) / SPP_PMTUD_DISABLE (0); -1: the default, on
  // over UDP (RFC 8899 PLPMTUD), off for AF_CONN (the application's transport sets the MTU).
  int8_t pmtud = -1;
  // SCTP_RTOINFO (milliseconds), 0 = the sysctl default.
  uint32_t rto_initial_ms = 0;
  uint32_t rto_min_ms = 0;
  uint32_t rto_max_ms = 0;
  // The extensions (extensions.cc): SCTP_ENABLE_STREAM_RESET flags, SCTP_PR_SUPPORTED,
  // SCTP_DEFAULT_PRINFO, SCTP_INTERLEAVING_SUPPORTED, SCTP_PLUGGABLE_SS,
  // SCTP_ACCEPT_ZERO_CHECKSUM.
  uint32_t stream_reset_flags = 0;
  bool pr_supported = true;
  uint16_t default_pr_policy = 0;
  uint32_t default_pr_value = 0;
  bool interleaving = false;
  uint32_t stream_scheduler = 0;
  uint32_t zero_checksum_edmid = 0;
  uint16_t default_stream = 0;
  uint32_t default_ppid = 0;

  uint16_t port = 0;  // bound local port, 0 = unbound
  // Bound addresses (AF_CONN, or specific IPv4/IPv6 ones); empty or a wildcard = all.
  std::vector<sctp::Address> local_addresses;
  bool want_mapped_v4 = false;      // SCTP_I_WANT_MAPPED_V4_ADDR (AF_INET6 sockets)
  uint16_t remote_encaps_port = 0;  // SCTP_REMOTE_UDP_ENCAPS_PORT, wildcard address
  sctp::compat::PortEndpoint* endpoint = nullptr;
  std::optional<sctp::AssociationId> association;  // SOCK_STREAM: its association
  std::set<uint32_t> associations;                 // SOCK_SEQPACKET: all of them
  std::vector<sctp::Address> peer_addresses;
  uint16_t peer_port = 0;
  // SOCK_SEQPACKET: the peer of each association (primary address first, SCTP port).
  std::map<uint32_t, std::pair<std::vector<sctp::Address>, uint16_t>> assoc_peers;

  // SCTP_EXPLICIT_EOR: pieces of a message not ended by SCTP_EOR yet, per (assoc, stream).
  std::map<std::pair<uint32_t, uint16_t>, std::vector<uint8_t>> eor_pending;
  // Lazy: most sockets of a 10,000-association server have nothing queued most of the time.
  sctp::LazyDeque<sctp::compat::Received> receive_queue;
  sctp::LazyDeque<struct ::socket*> accept_queue;  // listening SOCK_STREAM
  struct ::socket* listener = nullptr;             // accepted sockets: where they came from
  int callbacks_running = 0;                       // dispatcher is inside one of our callbacks
};

namespace sctp::compat {

class Stack {
 public:
  // Created by usrsctp_init*, destroyed by usrsctp_finish (when no socket is left).
  static Stack* Get();
  static bool Init(uint16_t udp_port, ConnOutput conn_output, DebugPrintf debug_printf,
                   bool threads);
  static int Finish();

  std::mutex mu;
  std::condition_variable cv;  // connect/accept/recv waiters, close waiting for callbacks

  // --- everything below is guarded by mu ---
  ConnOutput conn_output = nullptr;
  DebugPrintf debug_printf = nullptr;
  bool crc32c_offload = false;
  std::set<struct ::socket*> sockets;
  // Keyed by (AF_CONN address or 0 for any, port): AF_CONN sockets may share a port on
  // different addresses (ekr_loop binds both ends to port 5001).
  using PortKey = std::pair<uintptr_t, uint16_t>;
  std::map<PortKey, std::unique_ptr<PortEndpoint>> ports;
  PortEndpoint* FindEndpoint(uintptr_t conn_address, uint16_t port);
  std::set<void*> conn_addresses;  // usrsctp_register_address
  uint16_t next_ephemeral = 49152;
  struct Counters {
    uint64_t packets_in = 0, packets_out = 0, dropped_no_port = 0;
    uint64_t sent_software_crc = 0, sent_offloaded_crc = 0;
    // UDP encapsulation (RFC 6951).
    uint64_t udp_in = 0, udp_out = 0, udp_too_short = 0, udp_zero_source_port = 0;
    uint64_t udp_port_learned = 0, udp_init_port_mismatch = 0, udp_no_transport = 0;
  } counters;

  // --- UDP encapsulation (RFC 6951); all guarded by mu except the sockets' I/O ---
  // Open when usrsctp_init got a non-zero port (threaded mode).
  std::unique_ptr<transport::UdpEncapsulation> udp;
  transport::EncapsulationPorts encaps_ports;
  bool has_udp() const { return udp != nullptr; }
  // An IP packet the engine sends: queued, sent in batches (sendmmsg) by Dispatch.
  void QueueUdp(const Address& from, const Address& to, std::span<const uint8_t> packet);
  // A datagram from the UDP sockets (the I/O thread, under mu).
  void HandleUdpDatagram(const transport::IncomingDatagram& d);
  // The association ended: forget its encapsulation ports.
  void ForgetAssociation(PortEndpoint* pe, AssociationId id);

  // Queue work to run outside the lock (see the file comment). `owner` is the socket the
  // work belongs to (nullptr for packets), so close can drop it.
  void Defer(struct ::socket* owner, std::function<void()> work);
  // Release the lock held by `lock`, run deferred work, and re-acquire it.
  void Dispatch(std::unique_lock<std::mutex>& lock);
  // Is the calling thread the one running deferred work (i.e. inside a callback)?
  bool OnDispatcherThread() const {
    return dispatching_ && dispatcher_ == std::this_thread::get_id();
  }

  // Endpoint plumbing.
  PortEndpoint* EndpointFor(struct ::socket* so, uint16_t port);
  void HandleEvent(PortEndpoint* pe, Event&& event);
  // Threads mode: the monotonic clock. Nothreads mode: virtual time that only
  // usrsctp_handle_timers advances, as usrsctp's tick counter (usrsctp.md §2.1), so a host
  // (or a conformance runner) controls when timers fire.
  TimePoint Now() const;
  void AdvanceVirtualTime(Duration elapsed);
  void RunTimers();  // HandleTimeout on every endpoint whose deadline passed
  TimePoint NextDeadline();
  // The engine's next deadline may have moved earlier: re-arm the I/O thread's timer.
  void WakeTimerThread();
  void DetachSocket(struct ::socket* so);
  struct ::socket* SocketFor(PortEndpoint* pe, AssociationId id);
  void Notify(struct ::socket* so, AssociationId id, uint16_t type, std::vector<uint8_t> body);
  void Readable(struct ::socket* so);
  void Writable(struct ::socket* so);
  // sctp::Options from the sysctls and the socket's options (SO_RCVBUF, SCTP_INITMSG, ...).
  static Options OptionsForSocket(const struct ::socket* so);
  static size_t GetOptionsSendBuffer();

 private:
  Stack() = default;
  // Threaded mode: the one I/O thread. It sleeps in epoll until a UDP socket is readable or
  // the timerfd (armed at the engine's next deadline) fires: no fixed-interval polling.
  void IoLoop();
  void FlushUdp(std::unique_lock<std::mutex>& lock);

  // Deferred work: an application callback (`run`), or an AF_CONN packet for conn_output
  // (`packet`, one allocation per packet instead of a closure and a shared buffer).
  struct Work {
    struct ::socket* owner;
    std::function<void()> run;
    void* conn_address = nullptr;
    std::vector<uint8_t> packet;
  };
  std::deque<Work> work_;
  bool dispatching_ = false;
  std::thread::id dispatcher_;
  struct ::socket* running_owner_ = nullptr;

  bool threads_ = false;
  TimePoint virtual_now_{};
  std::mt19937_64 rng_;  // tags, TSNs, cookie secrets (guarded by mu)
  bool stop_ = false;
  std::thread io_thread_;
  std::thread::id io_thread_id_;  // set by the I/O thread itself, under mu
  std::unique_ptr<transport::Poller> poller_;
  TimePoint armed_deadline_ = kNever;
  std::vector<transport::OutgoingDatagram> udp_out_;
  // While a received datagram is in the engine: replies to its source go to its UDP source
  // port (RFC 6951 §5.4; OOTB replies and INIT ACK before any port is stored).
  bool in_input_ = false;
  Address input_from_;
  uint16_t input_udp_port_ = 0;
  // Peers of each association (for ForgetAssociation), keyed by endpoint and id.
  std::map<std::pair<PortEndpoint*, uint32_t>, std::pair<uint16_t, std::vector<Address>>>
      association_peers_;
};

// usrsctp_connect / usrsctp_connectx: starts an association with the peer at `addresses`
// (one port; the first address is the primary) and, on a blocking socket, waits for it.
// Returns 0 or -1 with errno. Takes the stack lock.
int Connect(struct ::socket* so, std::span<const Address> addresses, uint16_t port);

// The association an option names: the socket's own (one-to-one), or the given id
// (one-to-many). SCTP_FUTURE_ASSOC / SCTP_CURRENT_ASSOC / SCTP_ALL_ASSOC and unknown ids name
// none (nullopt): "the socket's defaults".
inline std::optional<AssociationId> TargetAssociation(const struct ::socket* so, sctp_assoc_t id) {
  if (so->type == SOCK_STREAM) return so->association;
  if (id == SCTP_FUTURE_ASSOC || id == SCTP_ALL_ASSOC || id == SCTP_CURRENT_ASSOC) {
    return std::nullopt;
  }
  if (!so->associations.contains(static_cast<uint32_t>(id))) return std::nullopt;
  return AssociationId(static_cast<uint32_t>(id));
}

}  // namespace sctp::compat

#endif  // SCTPCPP_COMPAT_STACK_H_
