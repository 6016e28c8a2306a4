// usrsctp API: socket options, address queries, the AF_CONN lower layer, timers, CRC32c,
// packet dumps and statistics.
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "capture/pcap_writer.h"
#include "endpoint/ootb.h"
#include "extensions.h"
#include "option_io.h"
#include "sockaddr.h"
#include "stack.h"
#include "sysctl.h"
#include "wire/chunk_type.h"
#include "wire/crc32c.h"
#include "wire/packet.h"

#define USRSCTP_API extern "C" __attribute__((visibility("default")))

using sctp::Address;
using sctp::AssociationId;
using sctp::compat::Fail;
using sctp::compat::FromSockaddr;
using sctp::compat::IsLive;
using sctp::compat::Read;
using sctp::compat::SockaddrSize;
using sctp::compat::Stack;
using sctp::compat::ToSockstore;
using sctp::compat::ToSockstoreFor;
using sctp::compat::Write;

namespace {

uint32_t EventBit(uint16_t type) {
  return type < 32 ? (1u << type) : 0;
}

// RFC 9260 §8.4 for a packet to a port nobody is bound to (the engine's rules, see
// endpoint/ootb.h). usrsctp's sctp_blackhole sysctl: 1 = no ABORT in reply to INIT,
// 2 = never an ABORT.
std::vector<uint8_t> OutOfTheBlueReply(const uint8_t* bytes, size_t length, bool checksum_ok) {
  const std::span<const uint8_t> data(bytes, length);
  if (!checksum_ok && !sctp::wire::VerifySctpChecksum(data)) return {};
  auto packet = sctp::wire::PacketView::Parse(data);
  if (!packet.ok()) return {};
  const uint32_t blackhole = sctp::compat::GetSysctls().sctp_blackhole.load();
  if (blackhole >= 2) return {};
  if (blackhole == 1 && packet->first_chunk_type() == sctp::wire::ChunkType::kInit) return {};
  return sctp::endpoint::OutOfTheBlueReply(*packet);
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Socket options (usrsctp.md §4). Options WebRTC users set have real effect; the rest give
// the errno usrsctp gives for an unsupported request.

USRSCTP_API int usrsctp_setsockopt(struct socket* so, int level, int option_name,
                                   const void* option_value, socklen_t option_len) {
  Stack* s = Stack::Get();
  if (s == nullptr) return Fail(EINVAL);
  std::unique_lock<std::mutex> lock(s->mu);
  if (!IsLive(s, so)) return Fail(EBADF);
  if (level == SOL_SOCKET) {
    switch (option_name) {
      case SO_LINGER: {
        struct linger l;
        if (!Read(option_value, option_len, &l)) return Fail(EINVAL);
        so->linger_onoff = l.l_onoff;
        so->linger_seconds = l.l_linger;
        return 0;
      }
      case SO_RCVBUF:
      case SO_SNDBUF: {
        int v = 0;
        if (!Read(option_value, option_len, &v) || v < 0) return Fail(EINVAL);
        (option_name == SO_RCVBUF ? so->rcvbuf : so->sndbuf) = static_cast<uint32_t>(v);
        return 0;
      }
      default:
        return Fail(EINVAL);
    }
  }
  if (level != IPPROTO_SCTP) return Fail(ENOPROTOOPT);
  switch (option_name) {
    case SCTP_NODELAY: {
      int v = 0;
      if (!Read(option_value, option_len, &v)) return Fail(EINVAL);
      so->nodelay = v != 0;
      return 0;
    }
    case SCTP_RECVRCVINFO:
    case SCTP_RECVNXTINFO:
    case SCTP_EXPLICIT_EOR:
    case SCTP_REUSE_PORT: {
      int v = 0;
      if (!Read(option_value, option_len, &v)) return Fail(EINVAL);
      if (option_name == SCTP_RECVRCVINFO) so->recv_rcvinfo = v != 0;
      if (option_name == SCTP_RECVNXTINFO) so->recv_nxtinfo = v != 0;
      if (option_name == SCTP_EXPLICIT_EOR) so->explicit_eor = v != 0;
      return 0;
    }
    case SCTP_FRAGMENT_INTERLEAVE:
    case SCTP_PARTIAL_DELIVERY_POINT: {
      uint32_t v = 0;
      if (!Read(option_value, option_len, &v)) return Fail(EINVAL);
      if (option_name == SCTP_FRAGMENT_INTERLEAVE) {
        if (v > 2) return Fail(EINVAL);
        so->frag_interleave = v;
      } else {
        so->pd_point = v;
      }
      return 0;
    }
    case SCTP_EVENT: {
      struct sctp_event e;
      if (!Read(option_value, option_len, &e)) return Fail(EINVAL);
      const uint32_t bit = EventBit(e.se_type);
      if (bit == 0) return Fail(EINVAL);
      so->events = static_cast<uint16_t>(e.se_on ? (so->events | bit) : (so->events & ~bit));
      return 0;
    }
    case SCTP_INITMSG: {
      struct sctp_initmsg m;
      if (!Read(option_value, option_len, &m)) return Fail(EINVAL);
      so->initmsg = m;
      return 0;
    }
    case SCTP_PEER_ADDR_PARAMS: {
      struct sctp_paddrparams p;
      if (!Read(option_value, option_len, &p)) return Fail(EINVAL);
      if ((p.spp_flags & SPP_HB_ENABLE) && (p.spp_flags & SPP_HB_DISABLE)) return Fail(EINVAL);
      if ((p.spp_flags & SPP_PMTUD_ENABLE) && (p.spp_flags & SPP_PMTUD_DISABLE)) {
        return Fail(EINVAL);
      }
      if (p.spp_flags & SPP_PMTUD_ENABLE) so->pmtud = 1;
      if (p.spp_flags & SPP_PMTUD_DISABLE) so->pmtud = 0;
      if (p.spp_pathmtu != 0) {
        if (p.spp_pathmtu < 508) return Fail(EINVAL);
        // usrsctp: spp_pathmtu excludes the 12-byte common header (as getsockopt reports it).
        so->peer_mtu = p.spp_pathmtu + 12;
      }
      if (p.spp_flags & SPP_HB_DISABLE) so->heartbeats_disabled = true;
      if (p.spp_flags & SPP_HB_ENABLE) so->heartbeats_disabled = false;
      return 0;
    }
    case SCTP_I_WANT_MAPPED_V4_ADDR: {
      // RFC 6458 §8.1.15: IPv4 peers as ::ffff:a.b.c.d, on AF_INET6 sockets only.
      int v = 0;
      if (!Read(option_value, option_len, &v)) return Fail(EINVAL);
      if (so->domain != AF_INET6) return Fail(EINVAL);
      so->want_mapped_v4 = v != 0;
      return 0;
    }
    case SCTP_REMOTE_UDP_ENCAPS_PORT: {
      // RFC 6951 §6.1: the remote UDP encapsulation port; a wildcard address sets it for
      // future paths, a peer address for that path of the association. 0 disables
      // encapsulation, which this stack cannot do (no raw IP): the fallback port then.
      struct sctp_udpencaps e;
      if (!Read(option_value, option_len, &e)) return Fail(EINVAL);
      if (e.sue_assoc_id == SCTP_CURRENT_ASSOC || e.sue_assoc_id == SCTP_ALL_ASSOC) {
        return Fail(EINVAL);
      }
      Address address;
      uint16_t ignored = 0;
      const auto* sa = reinterpret_cast<const struct sockaddr*>(&e.sue_address);
      const bool specific = FromSockaddr(sa, sizeof(e.sue_address), &address, &ignored) &&
                            !sctp::transport::IsWildcard(address) && !address.is_conn();
      if (!specific) {
        if (e.sue_address.ss_family != AF_INET && e.sue_address.ss_family != AF_INET6) {
          return Fail(EINVAL);
        }
        so->remote_encaps_port = ntohs(e.sue_port);
        if (so->endpoint != nullptr) s->encaps_ports.SetDefault(so->port, so->remote_encaps_port);
        return 0;
      }
      if (so->endpoint == nullptr || so->peer_port == 0) return Fail(EINVAL);
      bool known = false;
      for (const Address& a : so->peer_addresses)
        known = known || a == address;
      if (!known) return Fail(EINVAL);
      s->encaps_ports.Learn(so->port, so->peer_port, address, ntohs(e.sue_port));
      return 0;
    }
    case SCTP_RTOINFO: {
      // RFC 6458 §8.1.1. usrsctp: a 0 field keeps its value; the result must satisfy
      // min <= initial <= max. Applies to associations created afterwards.
      struct sctp_rtoinfo r;
      if (!Read(option_value, option_len, &r)) return Fail(EINVAL);
      const sctp::Options o = Stack::OptionsForSocket(so);
      const auto ms = [](sctp::Duration d) {
        return static_cast<uint32_t>(sctp::ToMilliseconds(d));
      };
      const uint32_t initial = r.srto_initial != 0 ? r.srto_initial : ms(o.rto_initial);
      const uint32_t min = r.srto_min != 0 ? r.srto_min : ms(o.rto_min);
      const uint32_t max = r.srto_max != 0 ? r.srto_max : ms(o.rto_max);
      if (min > initial || initial > max) return Fail(EINVAL);
      so->rto_initial_ms = initial;
      so->rto_min_ms = min;
      so->rto_max_ms = max;
      return 0;
    }
    default:
      // The extensions' options (stream reset, PR-SCTP, I-DATA, schedulers, zero checksum).
      if (auto handled =
              sctp::compat::SetExtensionOption(so, option_name, option_value, option_len)) {
        return *handled;
      }
      return Fail(ENOPROTOOPT);
  }
}

USRSCTP_API int usrsctp_getsockopt(struct socket* so, int level, int option_name,
                                   void* option_value, socklen_t* option_len) {
  Stack* s = Stack::Get();
  if (s == nullptr) return Fail(EINVAL);
  std::unique_lock<std::mutex> lock(s->mu);
  if (!IsLive(s, so)) return Fail(EBADF);
  if (level == SOL_SOCKET) {
    switch (option_name) {
      case SO_LINGER: {
        struct linger l;
        l.l_onoff = so->linger_onoff;
        l.l_linger = so->linger_seconds;
        return Write(option_value, option_len, l);
      }
      case SO_RCVBUF:
        return Write(option_value, option_len,
                     static_cast<int>(Stack::OptionsForSocket(so).receive_window));
      case SO_SNDBUF:
        return Write(option_value, option_len,
                     static_cast<int>(Stack::OptionsForSocket(so).send_buffer_size));
      case SO_ERROR: {
        const int e = so->so_error;
        so->so_error = 0;
        return Write(option_value, option_len, e);
      }
      default:
        return Fail(EINVAL);
    }
  }
  if (level != IPPROTO_SCTP) return Fail(ENOPROTOOPT);
  switch (option_name) {
    case SCTP_NODELAY:
      return Write(option_value, option_len, static_cast<int>(so->nodelay));
    case SCTP_I_WANT_MAPPED_V4_ADDR:
      if (so->domain != AF_INET6) return Fail(EINVAL);
      return Write(option_value, option_len, static_cast<int>(so->want_mapped_v4));
    case SCTP_REMOTE_UDP_ENCAPS_PORT: {
      struct sctp_udpencaps e;
      if (option_value == nullptr || option_len == nullptr ||
          *option_len < static_cast<socklen_t>(sizeof(e))) {
        return Fail(EINVAL);
      }
      std::memcpy(&e, option_value, sizeof(e));
      Address address;
      uint16_t ignored = 0;
      const auto* sa = reinterpret_cast<const struct sockaddr*>(&e.sue_address);
      if (FromSockaddr(sa, sizeof(e.sue_address), &address, &ignored) &&
          !sctp::transport::IsWildcard(address) && !address.is_conn() && so->peer_port != 0) {
        e.sue_port = htons(s->encaps_ports.Lookup(so->port, so->peer_port, address));
      } else {
        e.sue_port = htons(so->remote_encaps_port);
      }
      return Write(option_value, option_len, e);
    }
    case SCTP_RECVRCVINFO:
      return Write(option_value, option_len, static_cast<int>(so->recv_rcvinfo));
    case SCTP_RECVNXTINFO:
      return Write(option_value, option_len, static_cast<int>(so->recv_nxtinfo));
    case SCTP_EXPLICIT_EOR:
      return Write(option_value, option_len, static_cast<int>(so->explicit_eor));
    case SCTP_FRAGMENT_INTERLEAVE:
      return Write(option_value, option_len, so->frag_interleave);
    case SCTP_INITMSG: {
      struct sctp_initmsg m = so->initmsg;
      const sctp::Options o = Stack::OptionsForSocket(so);
      m.sinit_num_ostreams = o.outbound_streams;
      m.sinit_max_instreams = o.inbound_streams;
      m.sinit_max_attempts = static_cast<uint16_t>(o.max_init_retransmits);
      return Write(option_value, option_len, m);
    }
    case SCTP_EVENT: {
      struct sctp_event e;
      if (!Read(option_value, option_len == nullptr ? 0 : *option_len, &e)) return Fail(EINVAL);
      e.se_on = (so->events & EventBit(e.se_type)) != 0;
      return Write(option_value, option_len, e);
    }
    case SCTP_STATUS: {
      // RFC 6458 §8.2.1: sstat_assoc_id picks the association on a one-to-many socket (one
      // it connected itself is the default); one-to-one sockets have just theirs.
      struct sctp_status st;
      if (option_len == nullptr || !Read(option_value, *option_len, &st)) return Fail(EINVAL);
      std::optional<AssociationId> target = sctp::compat::TargetAssociation(so, st.sstat_assoc_id);
      // As usrsctp (SCTP_FIND_STCB): a specific id the socket does not have is ENOENT.
      if (!target && so->type == SOCK_SEQPACKET && st.sstat_assoc_id > SCTP_ALL_ASSOC)
        return Fail(ENOENT);
      if (!target) target = so->association;
      if (!target.has_value() || so->endpoint == nullptr) return Fail(EINVAL);
      auto info = so->endpoint->endpoint->GetInfo(*target);
      if (!info) return Fail(EINVAL);
      std::memset(&st, 0, sizeof(st));
      st.sstat_assoc_id = target->value();
      switch (info->state) {
        case sctp::AssociationState::kClosed:
          st.sstat_state = SCTP_CLOSED;
          break;
        case sctp::AssociationState::kCookieWait:
          st.sstat_state = SCTP_COOKIE_WAIT;
          break;
        case sctp::AssociationState::kCookieEchoed:
          st.sstat_state = SCTP_COOKIE_ECHOED;
          break;
        case sctp::AssociationState::kEstablished:
          st.sstat_state = SCTP_ESTABLISHED;
          break;
        case sctp::AssociationState::kShutdownPending:
          st.sstat_state = SCTP_SHUTDOWN_PENDING;
          break;
        case sctp::AssociationState::kShutdownSent:
          st.sstat_state = SCTP_SHUTDOWN_SENT;
          break;
        case sctp::AssociationState::kShutdownReceived:
          st.sstat_state = SCTP_SHUTDOWN_RECEIVED;
          break;
        case sctp::AssociationState::kShutdownAckSent:
          st.sstat_state = SCTP_SHUTDOWN_ACK_SENT;
          break;
      }
      st.sstat_rwnd = info->peer_rwnd;
      st.sstat_instrms = info->inbound_streams;
      st.sstat_outstrms = info->outbound_streams;
      st.sstat_fragmentation_point =
          static_cast<uint32_t>(info->paths.empty() ? 0 : info->paths[0].mtu - 12 - 16);
      if (!info->paths.empty()) {
        st.sstat_primary.spinfo_cwnd = static_cast<uint32_t>(info->paths[0].cwnd);
        st.sstat_primary.spinfo_srtt =
            static_cast<uint32_t>(sctp::ToMilliseconds(info->paths[0].srtt));
        st.sstat_primary.spinfo_rto =
            static_cast<uint32_t>(sctp::ToMilliseconds(info->paths[0].rto));
        st.sstat_primary.spinfo_mtu = static_cast<uint32_t>(info->paths[0].mtu - 12);
        st.sstat_primary.spinfo_state = info->paths[0].active ? SCTP_ACTIVE : SCTP_INACTIVE;
      }
      return Write(option_value, option_len, st);
    }
    case SCTP_PEER_ADDR_PARAMS: {
      struct sctp_paddrparams p;
      if (!Read(option_value, option_len == nullptr ? 0 : *option_len, &p)) return Fail(EINVAL);
      const sctp::Options o = Stack::OptionsForSocket(so);
      // The association's current packet size (PLPMTUD moves it), else the configured one.
      size_t mtu = o.mtu;
      if (so->association.has_value() && so->endpoint != nullptr) {
        if (auto info = so->endpoint->endpoint->GetInfo(*so->association);
            info && !info->paths.empty()) {
          mtu = info->paths[0].mtu;
        }
      }
      p.spp_pathmtu = static_cast<uint32_t>(mtu - 12);
      p.spp_flags = (o.heartbeats_enabled ? SPP_HB_ENABLE : SPP_HB_DISABLE) |
                    (o.plpmtud ? SPP_PMTUD_ENABLE : SPP_PMTUD_DISABLE);
      p.spp_hbinterval = static_cast<uint32_t>(sctp::ToMilliseconds(o.heartbeat_interval));
      p.spp_pathmaxrxt = static_cast<uint16_t>(o.path_max_retrans);
      return Write(option_value, option_len, p);
    }
    case SCTP_RTOINFO: {
      struct sctp_rtoinfo r;
      if (!Read(option_value, option_len == nullptr ? 0 : *option_len, &r)) return Fail(EINVAL);
      const sctp::Options o = Stack::OptionsForSocket(so);
      r.srto_initial = static_cast<uint32_t>(sctp::ToMilliseconds(o.rto_initial));
      r.srto_min = static_cast<uint32_t>(sctp::ToMilliseconds(o.rto_min));
      r.srto_max = static_cast<uint32_t>(sctp::ToMilliseconds(o.rto_max));
      return Write(option_value, option_len, r);
    }
    default:
      if (auto handled =
              sctp::compat::GetExtensionOption(so, option_name, option_value, option_len)) {
        return *handled;
      }
      return Fail(ENOPROTOOPT);
  }
}

USRSCTP_API int usrsctp_opt_info(struct socket* so, sctp_assoc_t id, int opt, void* arg,
                                 socklen_t* size) {
  // RFC 6458 §9.7: the association id goes into the option's assoc-id field. Every option
  // this layer answers per association starts with that field or ignores it.
  if (arg == nullptr || size == nullptr) return Fail(EINVAL);
  if (id == SCTP_CURRENT_ASSOC || id == SCTP_ALL_ASSOC) return Fail(EINVAL);
  return usrsctp_getsockopt(so, IPPROTO_SCTP, opt, arg, size);
}

// ---------------------------------------------------------------------------------------
// Addresses

namespace {

// usrsctp.md §2.3: a packed array, each entry sized by its family; freed with free().
int PackAddresses(const struct socket* so, const std::vector<Address>& addresses, uint16_t port,
                  struct sockaddr** out) {
  size_t total = 0;
  for (const Address& a : addresses)
    total += SockaddrSize(ToSockstoreFor(so, a, port).sa.sa_family);
  auto* buffer = static_cast<uint8_t*>(std::calloc(1, total == 0 ? 1 : total));
  if (buffer == nullptr) return Fail(ENOMEM);
  size_t offset = 0;
  for (const Address& a : addresses) {
    const union sctp_sockstore store = ToSockstoreFor(so, a, port);
    const size_t size = SockaddrSize(store.sa.sa_family);
    std::memcpy(buffer + offset, &store, size);
    offset += size;
  }
  *out = reinterpret_cast<struct sockaddr*>(buffer);
  return static_cast<int>(addresses.size());
}

}  // namespace

USRSCTP_API int usrsctp_getpaddrs(struct socket* so, sctp_assoc_t id, struct sockaddr** raddrs) {
  Stack* s = Stack::Get();
  if (s == nullptr || raddrs == nullptr) return Fail(EINVAL);
  std::unique_lock<std::mutex> lock(s->mu);
  if (!IsLive(s, so)) return Fail(EBADF);
  if (so->type == SOCK_SEQPACKET && id != 0) {
    auto it = so->assoc_peers.find(id);
    if (it == so->assoc_peers.end()) return Fail(ENOTCONN);
    return PackAddresses(so, it->second.first, it->second.second, raddrs);
  }
  if (!so->connected && !so->connecting) return Fail(ENOTCONN);
  return PackAddresses(so, so->peer_addresses, so->peer_port, raddrs);
}

USRSCTP_API void usrsctp_freepaddrs(struct sockaddr* addrs) {
  std::free(addrs);
}

USRSCTP_API int usrsctp_getladdrs(struct socket* so, sctp_assoc_t id, struct sockaddr** raddrs) {
  (void)id;
  Stack* s = Stack::Get();
  if (s == nullptr || raddrs == nullptr) return Fail(EINVAL);
  std::unique_lock<std::mutex> lock(s->mu);
  if (!IsLive(s, so)) return Fail(EBADF);
  std::vector<Address> locals;
  bool wildcard = so->local_addresses.empty();
  for (const Address& a : so->local_addresses) {
    if (sctp::transport::IsWildcard(a)) {
      wildcard = true;
    } else {
      locals.push_back(a);
    }
  }
  if (wildcard && so->domain == AF_CONN) {
    // Not bound to an explicit address: the registered AF_CONN addresses.
    for (void* a : s->conn_addresses)
      locals.push_back(Address::Conn(reinterpret_cast<uintptr_t>(a)));
  } else if (wildcard) {
    // Bound to the wildcard: every address of the host of the socket's families.
    locals = sctp::transport::LocalAddresses(/*ipv4=*/true, /*ipv6=*/so->domain == AF_INET6);
  }
  return PackAddresses(so, locals, so->port, raddrs);
}

USRSCTP_API void usrsctp_freeladdrs(struct sockaddr* addrs) {
  std::free(addrs);
}

USRSCTP_API sctp_assoc_t usrsctp_getassocid(struct socket* so, struct sockaddr* sa) {
  (void)sa;
  Stack* s = Stack::Get();
  if (s == nullptr) return 0;
  std::unique_lock<std::mutex> lock(s->mu);
  if (!IsLive(s, so) || !so->association.has_value()) return 0;
  return so->association->value();
}

USRSCTP_API int usrsctp_connectx(struct socket* so, const struct sockaddr* addrs, int addrcnt,
                                 sctp_assoc_t* id) {
  // RFC 6458 §9.9: `addrs` packs `addrcnt` addresses of the peer, each as long as its family's
  // sockaddr, all with the same port. The engine sends INIT to the first and, when it times
  // out, to the next (§9.9: "try to make use of all of the addresses in the list").
  if (addrs == nullptr || addrcnt < 1 || addrcnt > 64) return Fail(EINVAL);
  std::vector<Address> addresses;
  uint16_t port = 0;
  const auto* cursor = reinterpret_cast<const uint8_t*>(addrs);
  for (int i = 0; i < addrcnt; ++i) {
    const auto* sa = reinterpret_cast<const struct sockaddr*>(cursor);
    const size_t len = SockaddrSize(sa->sa_family);
    Address address;
    uint16_t address_port = 0;
    if (len == 0 || !FromSockaddr(sa, static_cast<socklen_t>(len), &address, &address_port))
      return Fail(EINVAL);
    if (i > 0 && address_port != port) return Fail(EINVAL);
    port = address_port;
    if (std::find(addresses.begin(), addresses.end(), address) == addresses.end())
      addresses.push_back(address);
    cursor += len;
  }
  const int rc = sctp::compat::Connect(so, addresses, port);
  if ((rc == 0 || errno == EINPROGRESS) && id != nullptr) *id = usrsctp_getassocid(so, nullptr);
  return rc;
}

USRSCTP_API struct socket* usrsctp_peeloff(struct socket* so, sctp_assoc_t id) {
  // RFC 6458 §9.2: branch an association of a one-to-many socket off into a new one-to-one
  // socket, with its queued messages and the parent's options.
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
  if (so->type != SOCK_SEQPACKET) {
    errno = EOPNOTSUPP;
    return nullptr;
  }
  const uint32_t assoc = static_cast<uint32_t>(id);
  if (so->endpoint == nullptr || !so->associations.contains(assoc)) {
    errno = ENOENT;
    return nullptr;
  }
  auto* peeled = new struct socket(*so);
  peeled->type = SOCK_STREAM;
  peeled->listening = false;
  peeled->listener = nullptr;
  peeled->callbacks_running = 0;
  peeled->accept_queue.clear();
  peeled->receive_queue.clear();
  peeled->eor_pending.clear();
  peeled->associations.clear();
  peeled->assoc_peers.clear();
  peeled->association = AssociationId(assoc);
  peeled->connected = true;
  peeled->was_connected = true;
  if (auto it = so->assoc_peers.find(assoc); it != so->assoc_peers.end()) {
    peeled->peer_addresses = it->second.first;
    peeled->peer_port = it->second.second;
    so->assoc_peers.erase(it);
  }
  // The association's queued messages and notifications move with it, in order.
  sctp::LazyDeque<sctp::compat::Received> kept;
  while (!so->receive_queue.empty()) {
    sctp::compat::Received r = std::move(so->receive_queue.front());
    so->receive_queue.pop_front();
    (r.association.value() == assoc ? peeled->receive_queue : kept).push_back(std::move(r));
  }
  so->receive_queue = std::move(kept);
  so->associations.erase(assoc);
  so->endpoint->socket_of.erase(assoc);
  so->endpoint->AddUser(peeled);  // indexes the association to the new socket
  s->sockets.insert(peeled);
  return peeled;
}

// ---------------------------------------------------------------------------------------
// AF_CONN lower layer

USRSCTP_API void usrsctp_register_address(void* addr) {
  Stack* s = Stack::Get();
  if (s == nullptr) return;
  std::unique_lock<std::mutex> lock(s->mu);
  s->conn_addresses.insert(addr);
}

USRSCTP_API void usrsctp_deregister_address(void* addr) {
  Stack* s = Stack::Get();
  if (s == nullptr) return;
  std::unique_lock<std::mutex> lock(s->mu);
  s->conn_addresses.erase(addr);
}

USRSCTP_API void usrsctp_conninput(void* addr, const void* buffer, size_t length,
                                   uint8_t ecn_bits) {
  (void)ecn_bits;
  Stack* s = Stack::Get();
  if (s == nullptr || buffer == nullptr || length < 12) return;
  std::unique_lock<std::mutex> lock(s->mu);
  ++s->counters.packets_in;
  const auto* bytes = static_cast<const uint8_t*>(buffer);
  // usrsctp.md §3: the pointer names the transport, as source and destination.
  const uint16_t port = static_cast<uint16_t>((bytes[2] << 8) | bytes[3]);
  sctp::compat::PortEndpoint* pe = s->FindEndpoint(reinterpret_cast<uintptr_t>(addr), port);
  if (pe == nullptr) {
    ++s->counters.dropped_no_port;
    std::vector<uint8_t> reply = OutOfTheBlueReply(bytes, length, s->crc32c_offload);
    if (!reply.empty() && s->conn_output != nullptr) {
      if (s->crc32c_offload) std::memset(reply.data() + 8, 0, 4);
      auto out = s->conn_output;
      auto copy = std::make_shared<std::vector<uint8_t>>(std::move(reply));
      s->Defer(nullptr, [out, addr, copy] { out(addr, copy->data(), copy->size(), 0, 0); });
      s->Dispatch(lock);
    }
    return;
  }
  const Address conn = Address::Conn(reinterpret_cast<uintptr_t>(addr));
  pe->endpoint->HandlePacket(conn, conn, std::span<const uint8_t>(bytes, length), s->Now(),
                             /*checksum_verified=*/s->crc32c_offload);
  // usrsctp.md §3: the send-space callback runs after input processing (SACKs free send
  // space) whenever the free space is at least the socket's threshold.
  for (struct socket* so : pe->send_cb_users) {
    if (so->connected && !so->closed) s->Writable(so);
  }
  s->WakeTimerThread();
  s->Dispatch(lock);
}

USRSCTP_API void usrsctp_handle_timers(uint32_t elapsed_milliseconds) {
  Stack* s = Stack::Get();
  if (s == nullptr) return;
  std::unique_lock<std::mutex> lock(s->mu);
  s->AdvanceVirtualTime(sctp::Milliseconds(elapsed_milliseconds));
  s->RunTimers();
  s->Dispatch(lock);
}

// ---------------------------------------------------------------------------------------
// CRC32c, dumps, statistics

USRSCTP_API void usrsctp_enable_crc32c_offload(void) {
  if (Stack* s = Stack::Get()) {
    std::unique_lock<std::mutex> lock(s->mu);
    s->crc32c_offload = true;
  }
}

USRSCTP_API void usrsctp_disable_crc32c_offload(void) {
  if (Stack* s = Stack::Get()) {
    std::unique_lock<std::mutex> lock(s->mu);
    s->crc32c_offload = false;
  }
}

USRSCTP_API uint32_t usrsctp_crc32c(void* buffer, size_t length) {
  // usrsctp.md §2.8: the result is ready to be stored at offset 8 as is: the CRC's least
  // significant byte first in memory.
  const uint32_t crc =
      sctp::wire::Crc32c(std::span<const uint8_t>(static_cast<const uint8_t*>(buffer), length));
  uint32_t stored;
  const uint8_t le[4] = {static_cast<uint8_t>(crc), static_cast<uint8_t>(crc >> 8),
                         static_cast<uint8_t>(crc >> 16), static_cast<uint8_t>(crc >> 24)};
  std::memcpy(&stored, le, 4);
  return stored;
}

USRSCTP_API char* usrsctp_dumppacket(const void* buf, size_t len, int outbound) {
  // text2pcap input: "\n<I|O> HH:MM:SS.uuuuuu 0000 xx xx ... # SCTP_PACKET\n".
  if (buf == nullptr || len == 0) return nullptr;
  struct timeval tv;
  gettimeofday(&tv, nullptr);
  struct tm t;
  localtime_r(&tv.tv_sec, &t);
  char header[64];
  std::snprintf(header, sizeof(header), "\n%c %02d:%02d:%02d.%06ld 0000", outbound ? 'O' : 'I',
                t.tm_hour, t.tm_min, t.tm_sec, static_cast<long>(tv.tv_usec));
  const size_t header_len = std::strlen(header);
  static constexpr char kTrailer[] = " # SCTP_PACKET\n";
  const size_t size = header_len + 3 * len + sizeof(kTrailer);
  char* out = static_cast<char*>(std::malloc(size));
  if (out == nullptr) return nullptr;
  std::memcpy(out, header, header_len);
  size_t pos = header_len;
  static constexpr char kHex[] = "0123456789abcdef";
  const auto* bytes = static_cast<const uint8_t*>(buf);
  for (size_t i = 0; i < len; ++i) {
    out[pos++] = ' ';
    out[pos++] = kHex[bytes[i] >> 4];
    out[pos++] = kHex[bytes[i] & 15];
  }
  std::memcpy(out + pos, kTrailer, sizeof(kTrailer));
  return out;
}

USRSCTP_API void usrsctp_freedumpbuffer(char* buf) {
  std::free(buf);
}

USRSCTP_API void usrsctp_get_stat(struct sctpstat* stat) {
  if (stat == nullptr) return;
  std::memset(stat, 0, sizeof(*stat));
  Stack* s = Stack::Get();
  if (s == nullptr) return;
  std::unique_lock<std::mutex> lock(s->mu);
  stat->sctps_inpackets = static_cast<uint32_t>(s->counters.packets_in);
  stat->sctps_recvpackets = static_cast<uint32_t>(s->counters.packets_in);
  stat->sctps_recvdatagrams = static_cast<uint32_t>(s->counters.packets_in);
  stat->sctps_sendswcrc = static_cast<uint32_t>(s->counters.sent_software_crc);
  stat->sctps_sendhwcrc = static_cast<uint32_t>(s->counters.sent_offloaded_crc);
  stat->sctps_outpackets = static_cast<uint32_t>(s->counters.packets_out);
  stat->sctps_noport = static_cast<uint32_t>(s->counters.dropped_no_port);
  for (const auto& [port, pe] : s->ports) {
    const sctp::EndpointStats& es = pe->endpoint->stats();
    stat->sctps_badsum += static_cast<uint32_t>(es.bad_checksum);
    stat->sctps_hdrops += static_cast<uint32_t>(es.malformed);
    stat->sctps_badvtag += static_cast<uint32_t>(es.bad_verification_tag);
    stat->sctps_outoftheblue += static_cast<uint32_t>(es.out_of_the_blue);
  }
  stat->sctps_currestab = 0;
  for (const auto& [port, pe] : s->ports) {
    stat->sctps_currestab += static_cast<uint32_t>(pe->endpoint->associations().size());
  }
}
