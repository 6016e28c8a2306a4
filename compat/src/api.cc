// The usrsctp C API over sctp::Endpoint (see stack.h for the locking rule).
// usrsctp.md §2 lists every function; behaviour follows its contract notes (§3).
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include <algorithm>

#include "capture/pcap_writer.h"
#include "extensions.h"
#include "sockaddr.h"
#include "stack.h"
#include "sysctl.h"
#include "wire/crc32c.h"

#define USRSCTP_API extern "C" __attribute__((visibility("default")))

using sctp::Address;
using sctp::AssociationId;
using sctp::compat::Fail;
using sctp::compat::FromSockaddr;
using sctp::compat::IsLive;
using sctp::compat::SockaddrSize;
using sctp::compat::Stack;
using sctp::compat::ToSockstore;
using sctp::compat::ToSockstoreFor;

namespace {

// Binds to an ephemeral port when the socket has none (connect, sendv with an address).
bool EnsureBound(Stack* s, struct socket* so) {
  if (so->endpoint != nullptr) return true;
  uint16_t port = so->port;
  if (port == 0) {
    for (int tries = 0; tries < 16384; ++tries) {
      port = s->next_ephemeral++;
      if (s->next_ephemeral == 0) s->next_ephemeral = 49152;
      if (!s->ports.contains({0, port})) break;
    }
  }
  so->port = port;
  so->endpoint = s->EndpointFor(so, port);
  return true;
}

// AF_CONN sockets talk to AF_CONN addresses, AF_INET to IPv4, AF_INET6 to IPv6 and IPv4
// (mapped or not).
bool AddressFitsSocket(const struct socket* so, const Address& address) {
  switch (so->domain) {
    case AF_CONN:
      return address.is_conn();
    case AF_INET:
      return address.is_ipv4();
    case AF_INET6:
      return address.is_ipv4() || address.is_ipv6();
    default:
      return false;
  }
}

}  // namespace

namespace sctp::compat {

namespace {

// RFC 6458 §6.1.1: on COMM_UP and RESTART, sac_info lists the association's features, one
// byte each, in usrsctp's order (it also lists AUTH and ASCONF, which we do not support).
std::vector<uint8_t> AssocChangeWithFeatures(struct sctp_assoc_change n,
                                             const events::NegotiatedExtensions& e) {
  uint8_t features[4];
  size_t count = 0;
  if (e.partial_reliability) features[count++] = SCTP_ASSOC_SUPPORTS_PR;
  if (e.interleaving) features[count++] = SCTP_ASSOC_SUPPORTS_INTERLEAVING;
  features[count++] = SCTP_ASSOC_SUPPORTS_MULTIBUF;
  if (e.stream_reset) features[count++] = SCTP_ASSOC_SUPPORTS_RE_CONFIG;
  n.sac_length = static_cast<uint32_t>(sizeof(n) + count);
  std::vector<uint8_t> out(sizeof(n) + count);
  std::memcpy(out.data(), &n, sizeof(n));
  std::memcpy(out.data() + sizeof(n), features, count);
  return out;
}

}  // namespace

void Stack::HandleEvent(PortEndpoint* pe, Event&& event) {
  struct ::socket* so = SocketFor(pe, event.association);
  if (auto* up = std::get_if<events::CommunicationUp>(&event.payload)) {
    if (so == nullptr) {
      // A new association on a listening socket.
      struct ::socket* listener = pe->listener;
      if (listener != nullptr && (!listener->listening || listener->closed)) listener = nullptr;
      if (listener == nullptr) {
        (void)pe->endpoint->Abort(event.association, {}, Now());
        return;
      }
      if (listener->type == SOCK_SEQPACKET) {
        listener->associations.insert(event.association.value());
        pe->socket_of[event.association.value()] = listener;
        so = listener;
      } else {
        so = new struct ::socket(*listener);
        so->listening = false;
        so->accept_queue.clear();
        so->receive_queue.clear();
        so->callbacks_running = 0;
        so->association = event.association;
        so->listener = listener;
        so->endpoint = pe;
        so->associations.clear();
        pe->AddUser(so);
        sockets.insert(so);
        listener->accept_queue.push_back(so);
        Readable(listener);
      }
    }
    so->connected = true;
    so->was_connected = true;
    so->connecting = false;
    if (auto info = pe->endpoint->GetInfo(event.association)) {
      so->peer_port = info->peer_port;
      so->peer_addresses.clear();
      for (const auto& p : info->paths) {
        // Primary path first: the address messages are reported from.
        if (p.primary) {
          so->peer_addresses.insert(so->peer_addresses.begin(), p.address);
        } else {
          so->peer_addresses.push_back(p.address);
        }
      }
      // One-to-many sockets keep each association's peer (one-to-one: peer_addresses).
      if (so->type == SOCK_SEQPACKET) {
        so->assoc_peers[event.association.value()] = {so->peer_addresses, so->peer_port};
      }
      association_peers_[{pe, event.association.value()}] = {so->peer_port, so->peer_addresses};
    }
    struct sctp_assoc_change n;
    std::memset(&n, 0, sizeof(n));
    n.sac_type = SCTP_ASSOC_CHANGE;
    n.sac_length = sizeof(n);
    n.sac_state = SCTP_COMM_UP;
    n.sac_outbound_streams = up->outbound_streams;
    n.sac_inbound_streams = up->inbound_streams;
    n.sac_assoc_id = event.association.value();
    Notify(so, event.association, SCTP_ASSOC_CHANGE, AssocChangeWithFeatures(n, up->extensions));
    Writable(so);
    return;
  }
  if (so == nullptr) return;
  if (auto* m = std::get_if<events::MessageReceived>(&event.payload)) {
    const size_t len = m->message.payload.size();
    if (so->receive_cb != nullptr) {
      // usrsctp.md §3: a malloc'ed buffer the application frees.
      void* data = std::malloc(len == 0 ? 1 : len);
      if (len != 0) std::memcpy(data, m->message.payload.data(), len);
      struct sctp_rcvinfo rcv;
      std::memset(&rcv, 0, sizeof(rcv));
      rcv.rcv_sid = m->message.stream_id.value();
      rcv.rcv_ssn = m->message.ssn;
      rcv.rcv_tsn = m->message.first_tsn;
      rcv.rcv_ppid = htonl(m->message.ppid.value());
      rcv.rcv_flags = m->message.unordered ? SCTP_UNORDERED : 0;
      rcv.rcv_assoc_id = event.association.value();
      const int flags = m->end_of_message ? MSG_EOR : 0;
      union sctp_sockstore from = ToSockstoreFor(
          so, so->peer_addresses.empty() ? Address() : so->peer_addresses[0], so->peer_port);
      auto cb = so->receive_cb;
      void* ulp = so->ulp_info;
      Defer(so, [cb, so, from, data, len, rcv, flags, ulp] {
        cb(so, from, data, len, rcv, flags, ulp);
      });
      pe->endpoint->ReleaseReceiveBuffer(event.association, len, Now());
      return;
    }
    Received r;
    r.data = std::move(m->message.payload);
    r.end_of_record = m->end_of_message;
    r.association = event.association;
    r.meta = Message{m->message.stream_id, m->message.ppid,     m->message.unordered, {},
                     m->message.ssn,       m->message.first_tsn};
    so->receive_queue.push_back(std::move(r));
    Readable(so);
    return;
  }
  if (auto* closed = std::get_if<events::AssociationClosed>(&event.payload)) {
    const bool was_up = closed->was_established;
    ForgetAssociation(pe, event.association);
    so->connected = false;
    so->connecting = false;
    // As usrsctp: a timeout (Max.Init.Retransmits, Association.Max.Retrans) is ETIMEDOUT.
    if (closed->reason == CloseReason::kInitFailed ||
        closed->reason == CloseReason::kTooManyRetransmissions)
      so->so_error = ETIMEDOUT;
    else if (!was_up)
      so->so_error = ECONNREFUSED;
    else if (closed->reason != CloseReason::kShutdownComplete)
      so->so_error = ECONNRESET;
    struct sctp_assoc_change n;
    std::memset(&n, 0, sizeof(n));
    n.sac_type = SCTP_ASSOC_CHANGE;
    n.sac_length = sizeof(n);
    n.sac_state = !was_up                                            ? SCTP_CANT_STR_ASSOC
                  : closed->reason == CloseReason::kShutdownComplete ? SCTP_SHUTDOWN_COMP
                                                                     : SCTP_COMM_LOST;
    n.sac_error = 0;
    n.sac_assoc_id = event.association.value();
    const auto* bytes = reinterpret_cast<const uint8_t*>(&n);
    Notify(so, event.association, SCTP_ASSOC_CHANGE,
           std::vector<uint8_t>(bytes, bytes + sizeof(n)));
    if (so->type == SOCK_SEQPACKET) {
      so->associations.erase(event.association.value());
      so->assoc_peers.erase(event.association.value());
      pe->socket_of.erase(event.association.value());
    }
    if (so->receive_cb != nullptr && so->type == SOCK_STREAM &&
        closed->reason == CloseReason::kShutdownComplete) {
      // usrsctp.md §3: after SHUTDOWN COMPLETE, "data == NULL" tells the application the
      // association is gone.
      auto cb = so->receive_cb;
      void* ulp = so->ulp_info;
      Defer(so, [cb, so, ulp] {
        union sctp_sockstore addr;
        std::memset(&addr, 0, sizeof(addr));
        struct sctp_rcvinfo rcv;
        std::memset(&rcv, 0, sizeof(rcv));
        cb(so, addr, nullptr, 0, rcv, 0, ulp);
      });
    }
    Readable(so);
    return;
  }
  if (std::holds_alternative<events::PeerShutdown>(event.payload)) {
    struct sctp_shutdown_event n;
    std::memset(&n, 0, sizeof(n));
    n.sse_type = SCTP_SHUTDOWN_EVENT;
    n.sse_length = sizeof(n);
    n.sse_assoc_id = event.association.value();
    const auto* bytes = reinterpret_cast<const uint8_t*>(&n);
    Notify(so, event.association, SCTP_SHUTDOWN_EVENT,
           std::vector<uint8_t>(bytes, bytes + sizeof(n)));
    return;
  }
  if (std::holds_alternative<events::SenderDry>(event.payload)) {
    struct sctp_sender_dry_event n;
    std::memset(&n, 0, sizeof(n));
    n.sender_dry_type = SCTP_SENDER_DRY_EVENT;
    n.sender_dry_length = sizeof(n);
    n.sender_dry_assoc_id = event.association.value();
    const auto* bytes = reinterpret_cast<const uint8_t*>(&n);
    Notify(so, event.association, SCTP_SENDER_DRY_EVENT,
           std::vector<uint8_t>(bytes, bytes + sizeof(n)));
    Writable(so);
    return;
  }
  if (auto* failed = std::get_if<events::SendFailed>(&event.payload)) {
    std::vector<uint8_t> body(sizeof(struct sctp_send_failed_event) + failed->payload.size());
    struct sctp_send_failed_event n;
    std::memset(&n, 0, sizeof(n));
    n.ssfe_type = SCTP_SEND_FAILED_EVENT;
    n.ssfe_flags = failed->was_sent ? SCTP_DATA_SENT : SCTP_DATA_UNSENT;
    n.ssfe_length = static_cast<uint32_t>(body.size());
    n.ssfe_info.snd_sid = failed->stream_id.value();
    n.ssfe_info.snd_ppid = htonl(failed->ppid.value());
    n.ssfe_info.snd_context = static_cast<uint32_t>(failed->context);
    n.ssfe_assoc_id = event.association.value();
    std::memcpy(body.data(), &n, sizeof(n));
    if (!failed->payload.empty()) {
      std::memcpy(body.data() + sizeof(n), failed->payload.data(), failed->payload.size());
    }
    Notify(so, event.association, SCTP_SEND_FAILED_EVENT, std::move(body));
    return;
  }
  if (auto* change = std::get_if<events::PeerAddressChange>(&event.payload)) {
    struct sctp_paddr_change n;
    std::memset(&n, 0, sizeof(n));
    n.spc_type = SCTP_PEER_ADDR_CHANGE;
    n.spc_length = sizeof(n);
    union sctp_sockstore store = ToSockstoreFor(so, change->address, so->peer_port);
    std::memcpy(&n.spc_aaddr, &store, std::min(sizeof(n.spc_aaddr), sizeof(store)));
    using State = events::PeerAddressChange::State;
    switch (change->state) {
      case State::kAvailable:
        n.spc_state = SCTP_ADDR_AVAILABLE;
        break;
      case State::kUnreachable:
        n.spc_state = SCTP_ADDR_UNREACHABLE;
        break;
      case State::kRemoved:
        n.spc_state = SCTP_ADDR_REMOVED;
        break;
      case State::kAdded:
        n.spc_state = SCTP_ADDR_ADDED;
        break;
      case State::kMadePrimary:
        n.spc_state = SCTP_ADDR_MADE_PRIM;
        break;
      case State::kConfirmed:
        n.spc_state = SCTP_ADDR_CONFIRMED;
        break;
    }
    n.spc_assoc_id = event.association.value();
    const auto* bytes = reinterpret_cast<const uint8_t*>(&n);
    Notify(so, event.association, SCTP_PEER_ADDR_CHANGE,
           std::vector<uint8_t>(bytes, bytes + sizeof(n)));
    return;
  }
  if (auto* error = std::get_if<events::RemoteError>(&event.payload)) {
    std::vector<uint8_t> body(sizeof(struct sctp_remote_error) + error->cause.size());
    struct sctp_remote_error n;
    std::memset(&n, 0, sizeof(n));
    n.sre_type = SCTP_REMOTE_ERROR;
    n.sre_length = static_cast<uint32_t>(body.size());
    n.sre_error = htons(error->cause_code);
    n.sre_assoc_id = event.association.value();
    std::memcpy(body.data(), &n, sizeof(n));
    std::memcpy(body.data() + sizeof(n), error->cause.data(), error->cause.size());
    Notify(so, event.association, SCTP_REMOTE_ERROR, std::move(body));
    return;
  }
  if (auto* restarted = std::get_if<events::Restarted>(&event.payload)) {
    struct sctp_assoc_change n;
    std::memset(&n, 0, sizeof(n));
    n.sac_type = SCTP_ASSOC_CHANGE;
    n.sac_length = sizeof(n);
    n.sac_state = SCTP_RESTART;
    n.sac_outbound_streams = restarted->outbound_streams;
    n.sac_inbound_streams = restarted->inbound_streams;
    n.sac_assoc_id = event.association.value();
    Notify(so, event.association, SCTP_ASSOC_CHANGE,
           AssocChangeWithFeatures(n, restarted->extensions));
    return;
  }
  if (auto* aborted = std::get_if<events::PartialDeliveryAborted>(&event.payload)) {
    struct sctp_pdapi_event n;
    std::memset(&n, 0, sizeof(n));
    n.pdapi_type = SCTP_PARTIAL_DELIVERY_EVENT;
    n.pdapi_length = sizeof(n);
    n.pdapi_indication = SCTP_PARTIAL_DELIVERY_ABORTED;
    n.pdapi_stream = aborted->stream_id.value();
    n.pdapi_assoc_id = event.association.value();
    const auto* bytes = reinterpret_cast<const uint8_t*>(&n);
    Notify(so, event.association, SCTP_PARTIAL_DELIVERY_EVENT,
           std::vector<uint8_t>(bytes, bytes + sizeof(n)));
    return;
  }
  if (auto* reset = std::get_if<events::StreamReset>(&event.payload)) {
    Notify(so, event.association, SCTP_STREAM_RESET_EVENT,
           StreamResetNotification(event.association, *reset));
    return;
  }
  if (auto* change = std::get_if<events::StreamChange>(&event.payload)) {
    Notify(so, event.association, SCTP_STREAM_CHANGE_EVENT,
           StreamChangeNotification(event.association, *change));
    return;
  }
  if (auto* reset = std::get_if<events::AssociationReset>(&event.payload)) {
    Notify(so, event.association, SCTP_ASSOC_RESET_EVENT,
           AssociationResetNotification(event.association, *reset));
  }
}

TimePoint Stack::NextDeadline() {
  TimePoint next = kNever;
  for (auto& [port, pe] : ports)
    next = std::min(next, pe->endpoint->NextDeadline());
  return next;
}

void Stack::RunTimers() {
  const TimePoint now = Now();
  for (auto it = ports.begin(); it != ports.end();) {
    PortEndpoint* pe = it->second.get();
    if (pe->endpoint->NextDeadline() <= now) pe->endpoint->HandleTimeout(now);
    // An endpoint no socket uses any more goes away once its associations are gone
    // (a graceful shutdown after close keeps it until SHUTDOWN COMPLETE).
    if (pe->users.empty() && pe->endpoint->associations().empty()) {
      if (pe->conn_address == 0) encaps_ports.ForgetPort(pe->port);
      std::erase_if(association_peers_, [&](const auto& e) { return e.first.first == pe; });
      it = ports.erase(it);
    } else {
      ++it;
    }
  }
}

void Stack::DetachSocket(struct ::socket* so) {
  sockets.erase(so);
  if (so->endpoint != nullptr) so->endpoint->RemoveUser(so);
  work_.erase(
      std::remove_if(work_.begin(), work_.end(), [&](const Work& w) { return w.owner == so; }),
      work_.end());
}

}  // namespace sctp::compat

// ---------------------------------------------------------------------------------------
// Init / finish

USRSCTP_API void usrsctp_init(uint16_t port,
                              int (*conn_output)(void*, void*, size_t, uint8_t, uint8_t),
                              void (*debug_printf)(const char* format, ...)) {
  sctp::compat::ResetSysctlsToDefaults(sctp::compat::SysctlReset::kKeepTunables);
  if (Stack::Init(port, conn_output, debug_printf, /*threads=*/true)) {
    // As usrsctp: the sysctl reports the UDP encapsulation port of usrsctp_init.
    if (Stack* s = Stack::Get(); s != nullptr && s->has_udp()) {
      sctp::compat::GetSysctls().sctp_udp_tunneling_port.store(port);
    }
  }
}

USRSCTP_API void usrsctp_init_nothreads(uint16_t port,
                                        int (*conn_output)(void*, void*, size_t, uint8_t, uint8_t),
                                        void (*debug_printf)(const char* format, ...)) {
  sctp::compat::ResetSysctlsToDefaults(sctp::compat::SysctlReset::kKeepTunables);
  Stack::Init(port, conn_output, debug_printf, /*threads=*/false);
}

USRSCTP_API int usrsctp_finish(void) {
  return Stack::Finish();
}

// ---------------------------------------------------------------------------------------
// Sockets

USRSCTP_API struct socket* usrsctp_socket(int domain, int type, int protocol,
                                          int (*receive_cb)(struct socket*, union sctp_sockstore,
                                                            void*, size_t, struct sctp_rcvinfo, int,
                                                            void*),
                                          int (*send_cb)(struct socket*, uint32_t, void*),
                                          uint32_t sb_threshold, void* ulp_info) {
  Stack* s = Stack::Get();
  if (s == nullptr) {
    errno = EPROTONOSUPPORT;
    return nullptr;
  }
  if (receive_cb == nullptr && (send_cb != nullptr || sb_threshold != 0 || ulp_info != nullptr)) {
    errno = EINVAL;
    return nullptr;
  }
  std::unique_lock<std::mutex> lock(s->mu);
  // usrsctp checks AF_CONN's lower layer first (EAFNOSUPPORT) and answers EINVAL for any
  // other bad domain, type or protocol.
  if (domain == AF_CONN && s->conn_output == nullptr) {
    errno = EAFNOSUPPORT;
    return nullptr;
  }
  if ((domain != AF_CONN && domain != AF_INET && domain != AF_INET6) ||
      (type != SOCK_STREAM && type != SOCK_SEQPACKET) || protocol != IPPROTO_SCTP) {
    errno = EINVAL;
    return nullptr;
  }
  auto* so = new struct socket();
  so->domain = domain;
  so->type = type;
  so->receive_cb = receive_cb;
  so->send_cb = send_cb;
  so->send_threshold = sb_threshold;
  so->ulp_info = ulp_info;
  s->sockets.insert(so);
  return so;
}

USRSCTP_API int usrsctp_bind(struct socket* so, struct sockaddr* name, socklen_t namelen) {
  Stack* s = Stack::Get();
  if (s == nullptr) return Fail(EINVAL);
  std::unique_lock<std::mutex> lock(s->mu);
  if (!IsLive(s, so)) return Fail(EBADF);
  Address address;
  uint16_t port = 0;
  if (!FromSockaddr(name, namelen, &address, &port)) return Fail(EINVAL);
  if (name->sa_family != so->domain && !(so->domain == AF_INET6 && name->sa_family == AF_INET)) {
    return Fail(EINVAL);
  }
  if (so->endpoint != nullptr) return Fail(EINVAL);  // already bound
  if (address.is_conn() && address.conn_handle() != 0 &&
      !s->conn_addresses.contains(reinterpret_cast<void*>(address.conn_handle()))) {
    return Fail(EADDRNOTAVAIL);
  }
  if (so->domain == AF_INET && !address.is_ipv4()) return Fail(EINVAL);
  if ((address.is_ipv4() || address.is_ipv6()) && !sctp::transport::IsLocalAddress(address)) {
    return Fail(EADDRNOTAVAIL);  // not an address of this host
  }
  const uintptr_t conn = address.is_conn() ? address.conn_handle() : 0;
  if (port != 0 && s->ports.contains({conn, port})) return Fail(EADDRINUSE);
  so->port = port;
  so->local_addresses = {address};
  EnsureBound(s, so);
  return 0;
}

// RFC 6458 §9.1: more local addresses (multihoming) or fewer, before any association exists
// (no ASCONF, RFC 5061, here). An unbound socket is bound by the first address.
USRSCTP_API int usrsctp_bindx(struct socket* so, struct sockaddr* addrs, int addrcnt, int flags) {
  Stack* s = Stack::Get();
  if (s == nullptr) return Fail(EINVAL);
  if (addrs == nullptr || addrcnt < 1 || addrcnt > 64) return Fail(EINVAL);
  if (flags != SCTP_BINDX_ADD_ADDR && flags != SCTP_BINDX_REM_ADDR) return Fail(EINVAL);
  std::unique_lock<std::mutex> lock(s->mu);
  if (!IsLive(s, so)) return Fail(EBADF);
  if (so->domain == AF_CONN) return Fail(EINVAL);
  std::vector<Address> addresses;
  uint16_t port = so->port;
  const auto* cursor = reinterpret_cast<const uint8_t*>(addrs);
  for (int i = 0; i < addrcnt; ++i) {
    struct sockaddr sa;
    std::memcpy(&sa, cursor, sizeof(sa));
    const size_t size = SockaddrSize(sa.sa_family);
    if (size == 0 || sa.sa_family == AF_CONN) return Fail(EINVAL);
    Address a;
    uint16_t p = 0;
    if (!FromSockaddr(reinterpret_cast<const struct sockaddr*>(cursor),
                      static_cast<socklen_t>(size), &a, &p) ||
        !AddressFitsSocket(so, a) || sctp::transport::IsWildcard(a)) {
      return Fail(EINVAL);
    }
    if (!sctp::transport::IsLocalAddress(a)) return Fail(EADDRNOTAVAIL);
    if (p != 0 && port != 0 && p != port) return Fail(EINVAL);  // one port per endpoint
    if (port == 0) port = p;
    addresses.push_back(a);
    cursor += size;
  }
  if (so->endpoint != nullptr) {
    // Changing the addresses of an endpoint with associations needs ASCONF (not built).
    if (!so->endpoint->endpoint->associations().empty() || so->endpoint->users.size() != 1) {
      return Fail(EOPNOTSUPP);
    }
  } else if (port != 0 && s->ports.contains({0, port})) {
    return Fail(EADDRINUSE);
  }
  std::vector<Address> locals;
  for (const Address& a : so->local_addresses) {
    if (!sctp::transport::IsWildcard(a)) locals.push_back(a);
  }
  for (const Address& a : addresses) {
    auto it = std::find(locals.begin(), locals.end(), a);
    if (flags == SCTP_BINDX_ADD_ADDR && it == locals.end()) locals.push_back(a);
    if (flags == SCTP_BINDX_REM_ADDR && it != locals.end()) locals.erase(it);
  }
  if (locals.empty()) return Fail(EINVAL);  // the last address cannot go
  so->local_addresses = locals;
  if (so->endpoint != nullptr) {
    // Rebuild the (unused) endpoint with the new address list for INIT / INIT ACK.
    s->ports.erase({0, so->port});
    so->endpoint = nullptr;
  }
  so->port = port;
  EnsureBound(s, so);
  if (so->listening) so->endpoint->endpoint->set_listen(true);
  return 0;
}

USRSCTP_API int usrsctp_listen(struct socket* so, int backlog) {
  (void)backlog;
  Stack* s = Stack::Get();
  if (s == nullptr) return Fail(EINVAL);
  std::unique_lock<std::mutex> lock(s->mu);
  if (!IsLive(s, so)) return Fail(EBADF);
  if (so->connected || so->connecting) return Fail(EINVAL);
  EnsureBound(s, so);
  so->listening = true;
  so->endpoint->listener = so;
  so->endpoint->endpoint->set_listen(true);
  return 0;
}

USRSCTP_API struct socket* usrsctp_accept(struct socket* so, struct sockaddr* aname,
                                          socklen_t* anamelen) {
  Stack* s = Stack::Get();
  if (s == nullptr) {
    errno = EINVAL;
    return nullptr;
  }
  std::unique_lock<std::mutex> lock(s->mu);
  if (!IsLive(s, so)) {
    errno = EBADF;
    return nullptr;
  }
  if (!so->listening || so->type != SOCK_STREAM) {
    errno = EINVAL;
    return nullptr;
  }
  while (so->accept_queue.empty()) {
    if (so->non_blocking) {
      errno = EWOULDBLOCK;
      return nullptr;
    }
    s->cv.wait(lock);
    if (!IsLive(s, so)) {
      errno = ECONNABORTED;
      return nullptr;
    }
  }
  struct socket* accepted = so->accept_queue.front();
  so->accept_queue.pop_front();
  accepted->listener = nullptr;
  if (aname != nullptr && anamelen != nullptr && !accepted->peer_addresses.empty()) {
    union sctp_sockstore store =
        ToSockstoreFor(accepted, accepted->peer_addresses[0], accepted->peer_port);
    const size_t size = SockaddrSize(store.sa.sa_family);
    const size_t copy = std::min<size_t>(size, *anamelen);
    std::memcpy(aname, &store, copy);
    *anamelen = static_cast<socklen_t>(size);
  }
  return accepted;
}

namespace sctp::compat {

int Connect(struct ::socket* so, std::span<const Address> addresses, uint16_t port) {
  Stack* s = Stack::Get();
  if (s == nullptr) return Fail(EINVAL);
  std::unique_lock<std::mutex> lock(s->mu);
  if (!IsLive(s, so)) return Fail(EBADF);
  if (so->listening) return Fail(EOPNOTSUPP);
  if (so->connected) return Fail(EISCONN);
  if (so->connecting) return Fail(EALREADY);
  if (addresses.empty() || port == 0) return Fail(EINVAL);
  for (const Address& address : addresses) {
    if (!AddressFitsSocket(so, address)) return Fail(EINVAL);
    // IPv4/IPv6 peers are reached over UDP encapsulation (RFC 6951) only: without the UDP
    // port of usrsctp_init (or in nothreads mode) there is no way to them (raw IP is not
    // built).
    if (!address.is_conn() && !s->has_udp()) return Fail(ENETUNREACH);
    if (sctp::transport::IsWildcard(address)) return Fail(EINVAL);
    if (address.is_conn() != addresses.front().is_conn()) return Fail(EINVAL);
  }
  EnsureBound(s, so);
  so->endpoint->endpoint->set_listen(false);
  sctp::Options options = Stack::OptionsForSocket(so);
  auto id = so->endpoint->endpoint->Connect(addresses, port, s->Now(), &options);
  if (!id.ok()) return Fail(EADDRINUSE);
  so->association = *id;
  so->associations.insert(id->value());
  so->endpoint->socket_of[id->value()] = so;
  so->peer_addresses.assign(addresses.begin(), addresses.end());
  so->peer_port = port;
  so->connecting = true;
  so->so_error = 0;
  s->WakeTimerThread();
  s->Dispatch(lock);
  if (so->non_blocking) {
    if (so->connected) return 0;
    return Fail(EINPROGRESS);
  }
  while (so->connecting && IsLive(s, so))
    s->cv.wait(lock);
  if (!IsLive(s, so)) return Fail(EBADF);
  if (!so->connected) return Fail(so->so_error != 0 ? so->so_error : ECONNREFUSED);
  return 0;
}

}  // namespace sctp::compat

USRSCTP_API int usrsctp_connect(struct socket* so, struct sockaddr* name, socklen_t namelen) {
  Address address;
  uint16_t port = 0;
  const bool parsed = FromSockaddr(name, namelen, &address, &port);
  return sctp::compat::Connect(
      so, parsed ? std::span<const Address>(&address, 1) : std::span<const Address>(), port);
}

USRSCTP_API int usrsctp_shutdown(struct socket* so, int how) {
  Stack* s = Stack::Get();
  if (s == nullptr) return Fail(EINVAL);
  std::unique_lock<std::mutex> lock(s->mu);
  if (!IsLive(s, so)) return Fail(EBADF);
  if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR) return Fail(EINVAL);
  if (!so->connected && !so->connecting) return Fail(ENOTCONN);
  if (how == SHUT_RD || how == SHUT_RDWR) so->shut_rd = true;
  if (how == SHUT_WR || how == SHUT_RDWR) {
    so->shut_wr = true;
    if (so->association) (void)so->endpoint->endpoint->Shutdown(*so->association, s->Now());
  }
  s->WakeTimerThread();
  s->Dispatch(lock);
  return 0;
}

USRSCTP_API void usrsctp_close(struct socket* so) {
  Stack* s = Stack::Get();
  if (s == nullptr || so == nullptr) return;
  std::unique_lock<std::mutex> lock(s->mu);
  if (!IsLive(s, so)) return;
  so->closed = true;
  // Accepted but never accepted-by-the-application sockets go with their listener.
  std::vector<struct socket*> children(so->accept_queue.begin(), so->accept_queue.end());
  so->accept_queue.clear();
  children.push_back(so);
  for (struct socket* c : children) {
    c->closed = true;
    if (c->endpoint != nullptr) {
      std::vector<uint32_t> ids(c->associations.begin(), c->associations.end());
      if (c->association) ids.push_back(c->association->value());
      for (uint32_t id : ids) {
        // SO_LINGER {1, 0}: ABORT (what every WebRTC user sets); otherwise graceful.
        // An association still being set up has nothing to shut down: ABORT it, as usrsctp
        // frees a TCB in COOKIE-WAIT/COOKIE-ECHOED on close.
        const bool setting_up = c->connecting && !c->connected;
        if ((c->linger_onoff != 0 && c->linger_seconds == 0) || setting_up) {
          (void)c->endpoint->endpoint->Abort(AssociationId(id), {}, s->Now());
        } else {
          (void)c->endpoint->endpoint->Shutdown(AssociationId(id), s->Now());
        }
      }
    }
    s->DetachSocket(c);
  }
  s->WakeTimerThread();
  s->cv.notify_all();
  for (struct socket* c : children) {
    // No callback of a closed socket may run after close returns: wait for one running on
    // another thread. Called from inside the socket's own callback, the free happens when
    // that callback returns (Dispatch).
    while (c->callbacks_running > 0 && !s->OnDispatcherThread())
      s->cv.wait(lock);
    if (c->callbacks_running > 0) continue;
    delete c;
  }
  s->Dispatch(lock);
}

USRSCTP_API int usrsctp_set_non_blocking(struct socket* so, int onoff) {
  Stack* s = Stack::Get();
  if (s == nullptr) return Fail(EINVAL);
  std::unique_lock<std::mutex> lock(s->mu);
  if (!IsLive(s, so)) return Fail(EBADF);
  so->non_blocking = onoff != 0;
  return 0;
}

USRSCTP_API int usrsctp_get_non_blocking(struct socket* so) {
  Stack* s = Stack::Get();
  if (s == nullptr) return Fail(EINVAL);
  std::unique_lock<std::mutex> lock(s->mu);
  if (!IsLive(s, so)) return Fail(EBADF);
  return so->non_blocking ? 1 : 0;
}

USRSCTP_API int usrsctp_set_ulpinfo(struct socket* so, void* info) {
  Stack* s = Stack::Get();
  if (s == nullptr) return Fail(EINVAL);
  std::unique_lock<std::mutex> lock(s->mu);
  if (!IsLive(s, so)) return Fail(EBADF);
  so->ulp_info = info;
  return 1;
}

USRSCTP_API int usrsctp_get_ulpinfo(struct socket* so, void** info) {
  Stack* s = Stack::Get();
  if (s == nullptr || info == nullptr) return Fail(EINVAL);
  std::unique_lock<std::mutex> lock(s->mu);
  if (!IsLive(s, so)) return Fail(EBADF);
  *info = so->ulp_info;
  return 1;
}

USRSCTP_API int usrsctp_set_upcall(struct socket* so, void (*upcall)(struct socket*, void*, int),
                                   void* arg) {
  Stack* s = Stack::Get();
  if (s == nullptr) return Fail(EINVAL);
  std::unique_lock<std::mutex> lock(s->mu);
  if (!IsLive(s, so)) return Fail(EBADF);
  so->upcall = upcall;
  so->upcall_arg = arg;
  return 0;
}

USRSCTP_API int usrsctp_get_events(struct socket* so) {
  Stack* s = Stack::Get();
  if (s == nullptr) return Fail(EINVAL);
  std::unique_lock<std::mutex> lock(s->mu);
  if (!IsLive(s, so)) return Fail(EBADF);
  int events = 0;
  if (!so->receive_queue.empty() || !so->accept_queue.empty() ||
      (so->was_connected && !so->connected)) {
    events |= SCTP_EVENT_READ;
  }
  if ((so->connected && !so->shut_wr) || (so->was_connected && !so->connected)) {
    events |= SCTP_EVENT_WRITE;  // usrsctp: a finished association reads and writes (errors)
  }
  if (so->so_error != 0) events |= SCTP_EVENT_ERROR;
  return events;
}

// ---------------------------------------------------------------------------------------
// Data

USRSCTP_API ssize_t usrsctp_sendv(struct socket* so, const void* data, size_t len,
                                  struct sockaddr* to, int addrcnt, void* info, socklen_t infolen,
                                  unsigned int infotype, int flags) {
  (void)flags;
  Stack* s = Stack::Get();
  if (s == nullptr) return Fail(EINVAL);
  std::unique_lock<std::mutex> lock(s->mu);
  if (!IsLive(s, so)) return Fail(EBADF);
  if (addrcnt > 1) return Fail(EINVAL);
  // usrsctp.md §2.4: infolen must equal the struct size exactly.
  uint16_t sid = so->default_stream;
  uint32_t ppid_net = so->default_ppid;
  uint16_t snd_flags = 0;
  sctp::SendOptions options;
  // SCTP_DEFAULT_PRINFO applies unless the call carries its own PR-SCTP info.
  sctp::compat::ApplyPrPolicy(so->default_pr_policy, so->default_pr_value, &options);
  sctp_assoc_t assoc_id = 0;
  switch (infotype) {
    case SCTP_SENDV_NOINFO:
      if (info != nullptr || infolen != 0) return Fail(EINVAL);
      break;
    case SCTP_SENDV_SNDINFO: {
      if (info == nullptr || infolen != sizeof(struct sctp_sndinfo)) return Fail(EINVAL);
      const auto* i = static_cast<const struct sctp_sndinfo*>(info);
      sid = i->snd_sid;
      ppid_net = i->snd_ppid;
      snd_flags = i->snd_flags;
      options.context = i->snd_context;
      assoc_id = i->snd_assoc_id;
      break;
    }
    case SCTP_SENDV_PRINFO: {
      if (info == nullptr || infolen != sizeof(struct sctp_prinfo)) return Fail(EINVAL);
      const auto* p = static_cast<const struct sctp_prinfo*>(info);
      if (p->pr_policy > SCTP_PR_SCTP_RTX) return Fail(EINVAL);
      options = sctp::SendOptions{};
      sctp::compat::ApplyPrPolicy(p->pr_policy, p->pr_value, &options);
      break;
    }
    case SCTP_SENDV_SPA: {
      if (info == nullptr || infolen != sizeof(struct sctp_sendv_spa)) return Fail(EINVAL);
      const auto* spa = static_cast<const struct sctp_sendv_spa*>(info);
      if (spa->sendv_flags & SCTP_SEND_SNDINFO_VALID) {
        sid = spa->sendv_sndinfo.snd_sid;
        ppid_net = spa->sendv_sndinfo.snd_ppid;
        snd_flags = spa->sendv_sndinfo.snd_flags;
        options.context = spa->sendv_sndinfo.snd_context;
        assoc_id = spa->sendv_sndinfo.snd_assoc_id;
      }
      if (spa->sendv_flags & SCTP_SEND_PRINFO_VALID) {
        if (spa->sendv_prinfo.pr_policy > SCTP_PR_SCTP_RTX) return Fail(EINVAL);
        const uint64_t context = options.context;
        options = sctp::SendOptions{};
        options.context = context;
        sctp::compat::ApplyPrPolicy(spa->sendv_prinfo.pr_policy, spa->sendv_prinfo.pr_value,
                                    &options);
      }
      break;
    }
    default:
      return Fail(EINVAL);  // AUTHINFO: AUTH is not implemented (as in usrsctp)
  }
  options.unordered = (snd_flags & SCTP_UNORDERED) != 0;
  std::optional<AssociationId> id = so->association;
  if (so->type == SOCK_SEQPACKET && assoc_id != 0) id = AssociationId(assoc_id);
  if (to != nullptr && !id.has_value()) {
    // Implicit association setup (one-to-many style sendto).
    Address address;
    uint16_t port = 0;
    if (!FromSockaddr(to, static_cast<socklen_t>(SockaddrSize(to->sa_family)), &address, &port) ||
        !AddressFitsSocket(so, address)) {
      return Fail(EINVAL);
    }
    if (!address.is_conn() && !s->has_udp()) return Fail(ENETUNREACH);
    EnsureBound(s, so);
    sctp::Options o = Stack::OptionsForSocket(so);
    const Address peers[] = {address};
    auto connected = so->endpoint->endpoint->Connect(peers, port, s->Now(), &o);
    if (!connected.ok()) return Fail(EINVAL);
    id = *connected;
    so->associations.insert(id->value());
    so->endpoint->socket_of[id->value()] = so;
    if (so->type == SOCK_STREAM) {
      so->association = id;
      so->connecting = true;
    }
    so->peer_addresses = {address};
    so->peer_port = port;
  }
  // usrsctp answers ENOENT when there is no association to send on.
  if (!id.has_value() || so->endpoint == nullptr || (so->was_connected && !so->connected)) {
    return Fail(ENOENT);
  }
  if (snd_flags & SCTP_ABORT) {
    (void)so->endpoint->endpoint->Abort(
        *id, std::span<const uint8_t>(static_cast<const uint8_t*>(data), len), s->Now());
    s->Dispatch(lock);
    return static_cast<ssize_t>(len);
  }
  if (so->shut_wr) return Fail(ENOENT);  // usrsctp's errno after SHUT_WR
  if ((snd_flags & SCTP_EOF) && len == 0) {
    (void)so->endpoint->endpoint->Shutdown(*id, s->Now());
    s->Dispatch(lock);
    return 0;
  }
  const auto* bytes = static_cast<const uint8_t*>(data);
  std::vector<uint8_t> message;
  if (so->explicit_eor) {
    // SCTP_EXPLICIT_EOR (RFC 6458 §8.1.26): a message ends with the call that sets
    // SCTP_EOR; earlier calls add pieces.
    auto& pending = so->eor_pending[{id->value(), sid}];
    if (pending.size() + len > Stack::OptionsForSocket(so).send_buffer_size) return Fail(EMSGSIZE);
    pending.insert(pending.end(), bytes, bytes + len);
    if ((snd_flags & SCTP_EOR) == 0) return static_cast<ssize_t>(len);
    message = std::move(pending);
    so->eor_pending.erase({id->value(), sid});
    if (message.empty()) return Fail(EINVAL);
  } else {
    if (len == 0) return Fail(EINVAL);
    message.assign(bytes, bytes + len);
  }
  if (!so->non_blocking && !s->OnDispatcherThread()) {
    // A blocking socket waits for send-buffer space (SACKs free it) instead of failing with
    // EWOULDBLOCK, as usrsctp's sosend does; a message larger than the whole buffer fails
    // below with EMSGSIZE, and the wait ends when the association or socket goes away.
    // Not inside a callback: the thread running it is the one that would process the SACKs.
    const size_t capacity = Stack::OptionsForSocket(so).send_buffer_size;
    const size_t size = message.size();
    while (size <= capacity) {
      auto buffered = so->endpoint->endpoint->BufferedAmount(*id);
      if (!buffered.has_value() || *buffered + size <= capacity) break;
      s->Dispatch(lock);
      s->cv.wait(lock);
      if (!IsLive(s, so)) return Fail(EBADF);
      if (so->shut_wr || (so->was_connected && !so->connected)) return Fail(EPIPE);
    }
  }
  absl::Status status = so->endpoint->endpoint->Send(
      *id, sctp::StreamId(sid), sctp::Ppid(ntohl(ppid_net)), std::move(message), options, s->Now());
  // SCTP_EOF with data: send it, then shut down gracefully (usrsctp returns the length).
  if (status.ok() && (snd_flags & SCTP_EOF)) (void)so->endpoint->endpoint->Shutdown(*id, s->Now());
  s->WakeTimerThread();
  s->Dispatch(lock);
  if (status.ok()) return static_cast<ssize_t>(len);
  switch (status.code()) {
    case absl::StatusCode::kResourceExhausted:
      return Fail(EWOULDBLOCK);
    case absl::StatusCode::kInvalidArgument:
      return Fail(len > Stack::OptionsForSocket(so).send_buffer_size ? EMSGSIZE : EINVAL);
    case absl::StatusCode::kFailedPrecondition:
      return Fail(EPIPE);
    case absl::StatusCode::kNotFound:
      return Fail(ENOTCONN);
    default:
      return Fail(EIO);
  }
}

USRSCTP_API ssize_t usrsctp_recvv(struct socket* so, void* dbuf, size_t len, struct sockaddr* from,
                                  socklen_t* fromlen, void* info, socklen_t* infolen,
                                  unsigned int* infotype, int* msg_flags) {
  Stack* s = Stack::Get();
  if (s == nullptr) return Fail(EINVAL);
  std::unique_lock<std::mutex> lock(s->mu);
  if (!IsLive(s, so)) return Fail(EBADF);
  while (so->receive_queue.empty()) {
    if (so->was_connected && !so->connected) {
      if (so->so_error == ECONNRESET) return Fail(ECONNRESET);  // as usrsctp: every call
      return 0;                                                 // orderly end
    }
    if (!so->connected && !so->connecting && so->type == SOCK_STREAM && !so->listening) {
      return Fail(ENOTCONN);
    }
    if (so->non_blocking) return Fail(EWOULDBLOCK);
    s->cv.wait(lock);
    if (!IsLive(s, so)) return Fail(EBADF);
  }
  sctp::compat::Received& r = so->receive_queue.front();
  const size_t n = std::min(len, r.data.size());
  if (n != 0) std::memcpy(dbuf, r.data.data(), n);
  int flags = 0;
  if (r.notification) flags |= MSG_NOTIFICATION;
  const bool whole = n == r.data.size();
  if (whole && r.end_of_record) flags |= MSG_EOR;
  if (msg_flags != nullptr) *msg_flags = flags;
  if (!r.notification && info != nullptr && infolen != nullptr && infotype != nullptr &&
      so->recv_rcvinfo && *infolen >= static_cast<socklen_t>(sizeof(struct sctp_rcvinfo))) {
    struct sctp_rcvinfo rcv;
    std::memset(&rcv, 0, sizeof(rcv));
    rcv.rcv_sid = r.meta.stream_id.value();
    rcv.rcv_ssn = r.meta.ssn;
    rcv.rcv_tsn = r.meta.first_tsn;
    rcv.rcv_ppid = htonl(r.meta.ppid.value());
    rcv.rcv_flags = r.meta.unordered ? SCTP_UNORDERED : 0;
    rcv.rcv_assoc_id = r.association.value();
    std::memcpy(info, &rcv, sizeof(rcv));
    *infolen = sizeof(rcv);
    *infotype = SCTP_RECVV_RCVINFO;
  } else if (infotype != nullptr && !r.notification) {
    *infotype = SCTP_RECVV_NOINFO;
    if (infolen != nullptr) *infolen = 0;
  }
  const std::vector<Address>* peers = &so->peer_addresses;
  uint16_t peer_port = so->peer_port;
  if (auto it = so->assoc_peers.find(r.association.value()); it != so->assoc_peers.end()) {
    peers = &it->second.first;
    peer_port = it->second.second;
  }
  if (from != nullptr && fromlen != nullptr && !peers->empty()) {
    union sctp_sockstore store = ToSockstoreFor(so, (*peers)[0], peer_port);
    const size_t size = SockaddrSize(store.sa.sa_family);
    std::memcpy(from, &store, std::min<size_t>(size, *fromlen));
    *fromlen = static_cast<socklen_t>(size);
  }
  const AssociationId id = r.association;
  const bool notification = r.notification;
  if (whole) {
    so->receive_queue.pop_front();
  } else {
    // The rest stays for the next call, without MSG_EOR on this piece.
    r.data.erase(r.data.begin(), r.data.begin() + static_cast<std::ptrdiff_t>(n));
  }
  if (!notification) {
    if (so->endpoint != nullptr) so->endpoint->endpoint->ReleaseReceiveBuffer(id, n, s->Now());
  }
  s->Dispatch(lock);
  return static_cast<ssize_t>(n);
}
