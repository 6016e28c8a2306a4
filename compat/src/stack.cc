#include "stack.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <algorithm>
#include <random>

#include "extensions.h"
#include "sysctl.h"
#include "wire/crc32c.h"

namespace sctp::compat {
namespace {

Stack* g_stack = nullptr;
std::mutex g_init_mu;  // guards g_stack creation/destruction only

TimePoint MonotonicNow() {
  return TimePoint(
      std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now().time_since_epoch()));
}

uint32_t EventBit(uint16_t type) {
  return type < 32 ? (1u << type) : 0;
}

}  // namespace

Stack* Stack::Get() {
  std::lock_guard<std::mutex> lock(g_init_mu);
  return g_stack;
}

bool Stack::Init(uint16_t udp_port, ConnOutput conn_output, DebugPrintf debug_printf,
                 bool threads) {
  std::lock_guard<std::mutex> lock(g_init_mu);
  if (g_stack != nullptr) return false;  // usrsctp ignores a second init too
  g_stack = new Stack();
  g_stack->conn_output = conn_output;
  g_stack->debug_printf = debug_printf;
  g_stack->threads_ = threads;
#ifdef SCTPCPP_COMPAT_DETERMINISTIC
  // Fuzzing builds only: every usrsctp_init* starts from the same random stream and the same
  // virtual time, so a crash input replays bit for bit.
  g_stack->rng_.seed(0x5c7bc0ffee);
  g_stack->virtual_now_ = TimePoint(Seconds(1000));
#else
  g_stack->rng_.seed(std::random_device{}());
  g_stack->virtual_now_ = MonotonicNow();
#endif
  if (!threads) return true;
  // Threaded mode: one I/O thread, for UDP input and timers. Nothreads mode has no thread to
  // read sockets (usrsctp starts none either), so it opens no UDP sockets: AF_CONN only.
  auto poller = transport::Poller::Create();
  if (!poller.ok()) {
    delete g_stack;
    g_stack = nullptr;
    return false;
  }
  g_stack->poller_ = std::move(*poller);
  if (udp_port != 0) {
    // RFC 6951 §5.1: one local encapsulation port for all incoming packets, IPv4 and IPv6.
    auto udp = transport::UdpEncapsulation::Open(udp_port);
    if (udp.ok()) {
      g_stack->udp = std::move(*udp);
      for (int fd : g_stack->udp->fds())
        g_stack->poller_->Add(fd);
    } else if (debug_printf != nullptr) {
      debug_printf("sctpcpp: UDP encapsulation port %u unavailable\n", unsigned{udp_port});
    }
  }
  g_stack->io_thread_ = std::thread([s = g_stack] { s->IoLoop(); });
  return true;
}

int Stack::Finish() {
  Stack* s = nullptr;
  {
    std::lock_guard<std::mutex> lock(g_init_mu);
    if (g_stack == nullptr) return 0;
    {
      std::lock_guard<std::mutex> stack_lock(g_stack->mu);
      // usrsctp.md §2.1: finish fails while any socket exists; applications retry.
      // Like usrsctp, also while a closed socket's association is still shutting down
      // gracefully (its endpoint lives on until SHUTDOWN COMPLETE or the abort).
      bool busy = !g_stack->sockets.empty();
      for (const auto& [key, pe] : g_stack->ports)
        busy = busy || !pe->endpoint->associations().empty();
      if (busy) {
        errno = EBUSY;
        return -1;
      }
      g_stack->stop_ = true;
    }
    s = g_stack;
    g_stack = nullptr;
  }
  if (s->poller_ != nullptr) s->poller_->Wake();
  if (s->io_thread_.joinable()) s->io_thread_.join();
  delete s;
  return 0;
}

Options Stack::OptionsForSocket(const struct ::socket* so) {
  Options o = OptionsFromSysctls();
  // AF_CONN default path MTU (usrsctp.md §3: 1280, reported as 1268 without the common
  // header).
  o.mtu = 1280;
  if (so == nullptr) return o;
  if (so->domain != AF_CONN) {
    // Over UDP: an Ethernet MTU of 1500 less the IPv6 (40) and UDP (8) headers, valid for
    // both families (RFC 6951 §5.6: encapsulation costs the UDP header).
    o.mtu = 1500 - 40 - transport::kUdpHeaderSize;
  }
  if (so->rcvbuf != 0) o.receive_window = std::max<uint32_t>(so->rcvbuf, 4096);
  if (so->sndbuf != 0) o.send_buffer_size = so->sndbuf;
  if (so->initmsg.sinit_num_ostreams != 0) o.outbound_streams = so->initmsg.sinit_num_ostreams;
  if (so->initmsg.sinit_max_instreams != 0) o.inbound_streams = so->initmsg.sinit_max_instreams;
  if (so->initmsg.sinit_max_attempts != 0) o.max_init_retransmits = so->initmsg.sinit_max_attempts;
  if (so->peer_mtu != 0) o.mtu = so->peer_mtu;
  // RFC 8899 (RFC 6951 §5.6 as updated by RFC 8899 §6.2.2): PLPMTUD finds what the UDP path
  // carries, up to o.mtu; with SPP_PMTUD_DISABLE the MTU is fixed (what WebRTC stacks ask).
  o.plpmtud = so->pmtud == 1 || (so->pmtud == -1 && so->domain != AF_CONN);
  if (so->rto_initial_ms != 0) o.rto_initial = Milliseconds(so->rto_initial_ms);
  if (so->rto_min_ms != 0) o.rto_min = Milliseconds(so->rto_min_ms);
  if (so->rto_max_ms != 0) o.rto_max = Milliseconds(so->rto_max_ms);
  if (so->heartbeats_disabled) o.heartbeats_enabled = false;
  ApplyExtensionOptions(so, &o);
  if (so->pd_point != 0) o.partial_delivery_point = so->pd_point;
  o.max_message_size = std::max<size_t>(o.max_message_size, o.send_buffer_size);
  return o;
}

size_t Stack::GetOptionsSendBuffer() {
  return OptionsFromSysctls().send_buffer_size;
}

TimePoint Stack::Now() const {
  return threads_ ? MonotonicNow() : virtual_now_;
}

void Stack::AdvanceVirtualTime(Duration elapsed) {
  if (!threads_) virtual_now_ = virtual_now_ + elapsed;
}

void Stack::Defer(struct ::socket* owner, std::function<void()> work) {
  work_.push_back(Work{owner, std::move(work)});
}

void Stack::Dispatch(std::unique_lock<std::mutex>& lock) {
  // Only one thread runs deferred work at a time, in order. A thread that finds another
  // dispatching leaves its work to it; a callback that calls the API lands here with
  // dispatching_ set by its own thread and returns at once: the loop below continues.
  if (dispatching_) return;
  dispatching_ = true;
  dispatcher_ = std::this_thread::get_id();
  // Threaded mode: application callbacks run on the library's I/O thread only, as usrsctp
  // runs them on its input and timer threads. An application thread inside an API call
  // (sendv while holding its own lock, say) only sends packets; were it to run a receive
  // callback that takes the same application lock, it would deadlock (seen with rtcweb).
  const bool may_run_callbacks = !threads_ || dispatcher_ == io_thread_id_;
  while (!work_.empty() || !udp_out_.empty()) {
    if (!udp_out_.empty()) {
      FlushUdp(lock);
      continue;
    }
    if (!may_run_callbacks && work_.front().owner != nullptr) {
      if (poller_ != nullptr) poller_->Wake();  // the I/O thread takes over, in order
      break;
    }
    Work w = std::move(work_.front());
    work_.pop_front();
    running_owner_ = w.owner;
    if (w.owner != nullptr) ++w.owner->callbacks_running;
    if (w.run) {
      lock.unlock();
      w.run();
    } else {
      const ConnOutput out = conn_output;
      lock.unlock();
      if (out != nullptr) out(w.conn_address, w.packet.data(), w.packet.size(), 0, 0);
    }
    lock.lock();
    if (w.owner != nullptr) {
      --w.owner->callbacks_running;
      cv.notify_all();  // usrsctp_close may be waiting for this callback to return
      // A socket closed from inside its own callback is freed once that callback returned.
      if (w.owner->closed && w.owner->callbacks_running == 0 && !sockets.contains(w.owner)) {
        work_.erase(std::remove_if(work_.begin(), work_.end(),
                                   [&](const Work& x) { return x.owner == w.owner; }),
                    work_.end());
        delete w.owner;
      }
    }
    running_owner_ = nullptr;
  }
  dispatching_ = false;
  cv.notify_all();
  WakeTimerThread();
}

PortEndpoint* Stack::FindEndpoint(uintptr_t conn_address, uint16_t port) {
  auto it = ports.find({conn_address, port});
  if (it == ports.end() && conn_address != 0) it = ports.find({0, port});
  return it == ports.end() ? nullptr : it->second.get();
}

PortEndpoint* Stack::EndpointFor(struct ::socket* so, uint16_t port) {
  uintptr_t conn = 0;
  if (!so->local_addresses.empty() && so->local_addresses[0].is_conn()) {
    conn = so->local_addresses[0].conn_handle();
  }
  auto it = ports.find({conn, port});
  if (it != ports.end()) {
    it->second->AddUser(so);
    return it->second.get();
  }
  auto pe = std::make_unique<PortEndpoint>();
  pe->port = port;
  pe->conn_address = conn;
  PortEndpoint* raw = pe.get();
  EndpointConfig config;
  config.local_port = port;
  // As usrsctp: association ids start above SCTP_ALL_ASSOC (2), so that an id never reads as
  // one of the reserved SCTP_{FUTURE,CURRENT,ALL}_ASSOC values.
  config.first_association_id = SCTP_ALL_ASSOC + 1;
  config.listen = false;
  config.release_on_delivery = false;
  config.options = OptionsForSocket(so);
  // Specific IPv4/IPv6 addresses (bind, bindx) are listed in INIT / INIT ACK; a wildcard
  // lists none, so the peer uses the packet's source address (RFC 9260 §5.1.2).
  for (const Address& a : so->local_addresses) {
    if ((a.is_ipv4() || a.is_ipv6()) && !transport::IsWildcard(a)) {
      config.local_addresses.push_back(a);
    }
  }
  if (so->remote_encaps_port != 0) encaps_ports.SetDefault(port, so->remote_encaps_port);
  config.seed = static_cast<uint64_t>(MonotonicNow().time_since_epoch().count()) ^ port;
  EndpointCallbacks callbacks;
  callbacks.send_packet = [this](const Address& from, const Address& to,
                                 std::span<const uint8_t> packet) {
    ++counters.packets_out;
    if (to.is_ipv4() || to.is_ipv6()) {
      QueueUdp(from, to, packet);
      return;
    }
    if (!to.is_conn() || conn_output == nullptr) return;
    Work w{nullptr, nullptr, reinterpret_cast<void*>(to.conn_handle()),
           std::vector<uint8_t>(packet.begin(), packet.end())};
    if (crc32c_offload && w.packet.size() >= 12) std::memset(w.packet.data() + 8, 0, 4);
    ++(crc32c_offload ? counters.sent_offloaded_crc : counters.sent_software_crc);
    // usrsctp.md §3: the buffer is valid only during the call (Dispatch calls conn_output).
    work_.push_back(std::move(w));
  };
  // Called by the engine with the stack lock held.
  callbacks.random_bytes = [this](std::span<uint8_t> out) {
    for (uint8_t& b : out)
      b = static_cast<uint8_t>(rng_());
  };
  callbacks.on_event = [this, raw](Event&& e) { HandleEvent(raw, std::move(e)); };
  pe->endpoint = std::make_unique<Endpoint>(config, callbacks);
  pe->AddUser(so);
  ports[{conn, port}] = std::move(pe);
  return raw;
}

void PortEndpoint::AddUser(struct ::socket* so) {
  users.insert(so);
  if (so->send_cb != nullptr) send_cb_users.insert(so);
  if (so->association) socket_of[so->association->value()] = so;
  for (const uint32_t id : so->associations)
    socket_of[id] = so;
}

void PortEndpoint::RemoveUser(struct ::socket* so) {
  users.erase(so);
  send_cb_users.erase(so);
  if (listener == so) listener = nullptr;
  auto unbind = [&](uint32_t id) {
    auto it = socket_of.find(id);
    if (it != socket_of.end() && it->second == so) socket_of.erase(it);
  };
  if (so->association) unbind(so->association->value());
  for (const uint32_t id : so->associations)
    unbind(id);
}

struct ::socket* Stack::SocketFor(PortEndpoint* pe, AssociationId id) {
  auto it = pe->socket_of.find(id.value());
  if (it == pe->socket_of.end() || it->second->closed) return nullptr;
  return it->second;
}

void Stack::Readable(struct ::socket* so) {
  if (so->upcall != nullptr) {
    auto up = so->upcall;
    void* arg = so->upcall_arg;
    Defer(so, [up, so, arg] { up(so, arg, 1); });
  }
  cv.notify_all();
}

void Stack::Writable(struct ::socket* so) {
  if (so->upcall != nullptr) {
    auto up = so->upcall;
    void* arg = so->upcall_arg;
    Defer(so, [up, so, arg] { up(so, arg, 1); });
  }
  if (so->send_cb != nullptr && so->association.has_value() && so->endpoint != nullptr) {
    const size_t buffer = so->sndbuf != 0 ? so->sndbuf : GetOptionsSendBuffer();
    const size_t used = so->endpoint->endpoint->BufferedAmount(*so->association).value_or(0);
    const uint32_t free_space = used >= buffer ? 0 : static_cast<uint32_t>(buffer - used);
    if (free_space >= so->send_threshold) {
      auto cb = so->send_cb;
      void* ulp = so->ulp_info;
      Defer(so, [cb, so, free_space, ulp] { cb(so, free_space, ulp); });
    }
  }
  cv.notify_all();
}

void Stack::Notify(struct ::socket* so, AssociationId id, uint16_t type,
                   std::vector<uint8_t> body) {
  (void)id;
  if ((so->events & EventBit(type)) == 0) return;
  if (so->receive_cb != nullptr) {
    void* data = std::malloc(body.size());
    std::memcpy(data, body.data(), body.size());
    auto cb = so->receive_cb;
    void* ulp = so->ulp_info;
    const size_t len = body.size();
    Defer(so, [cb, so, data, len, ulp] {
      union sctp_sockstore addr;
      std::memset(&addr, 0, sizeof(addr));
      struct sctp_rcvinfo rcv;
      std::memset(&rcv, 0, sizeof(rcv));
      cb(so, addr, data, len, rcv, MSG_NOTIFICATION | MSG_EOR, ulp);
    });
    return;
  }
  Received r;
  r.notification = true;
  r.data = std::move(body);
  r.association = id;
  so->receive_queue.push_back(std::move(r));
  Readable(so);
}

}  // namespace sctp::compat
