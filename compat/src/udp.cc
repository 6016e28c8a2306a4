// The I/O thread and SCTP over UDP (RFC 6951) for the usrsctp API: AF_INET and AF_INET6
// sockets send and receive through the stack's UDP sockets (usrsctp_init's port).
#include <arpa/inet.h>

#include <cstring>

#include "endpoint/ootb.h"
#include "stack.h"
#include "sysctl.h"
#include "wire/byte_io.h"
#include "wire/chunk_type.h"
#include "wire/crc32c.h"
#include "wire/packet.h"

namespace sctp::compat {
namespace {

uint16_t Load16(const uint8_t* p) {
  return static_cast<uint16_t>((p[0] << 8) | p[1]);
}
void Store16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}

// draft-tuexen-tsvwg-sctp-udp-encaps-cons (updates RFC 6951), "Restart of an Association with
// New Encapsulation Port" error cause: code 14, Current Encapsulation Port, New Encapsulation
// Port.
constexpr uint16_t kNewEncapsulationPortCause = 14;

// Datagrams read per socket and wake-up while holding the stack's lock: API callers get the
// lock between bursts.
constexpr size_t kMaxDatagramsPerWakeup = 256;

// The ABORT refusing an INIT that would restart an existing association from another UDP
// port. Like every reply to an INIT it carries the INIT's Initiate Tag, T bit clear
// (RFC 9260 §8.4 rule 3 / §5.2.1 style).
std::vector<uint8_t> NewEncapsulationPortAbort(std::span<const uint8_t> init_packet,
                                               uint16_t current_port, uint16_t new_port) {
  std::vector<uint8_t> out(12 + 4 + 8, 0);
  // Ports swapped: we answer from the INIT's destination port to its source port.
  Store16(out.data(), Load16(init_packet.data() + 2));
  Store16(out.data() + 2, Load16(init_packet.data()));
  std::memcpy(out.data() + 4, init_packet.data() + 16, 4);  // the INIT's Initiate Tag
  out[12] = static_cast<uint8_t>(wire::ChunkType::kAbort);
  Store16(out.data() + 14, 4 + 8);
  Store16(out.data() + 16, kNewEncapsulationPortCause);
  Store16(out.data() + 18, 8);
  Store16(out.data() + 20, current_port);
  Store16(out.data() + 22, new_port);
  wire::WriteSctpChecksum(out);
  return out;
}

bool Rejected(const EndpointStats& before, const EndpointStats& after) {
  return after.bad_checksum != before.bad_checksum || after.malformed != before.malformed ||
         after.out_of_the_blue != before.out_of_the_blue ||
         after.bad_verification_tag != before.bad_verification_tag ||
         after.bad_cookie != before.bad_cookie || after.stale_cookie != before.stale_cookie;
}

}  // namespace

void Stack::QueueUdp(const Address& from, const Address& to, std::span<const uint8_t> packet) {
  if (udp == nullptr || packet.size() < 12) {
    ++counters.udp_no_transport;
    return;
  }
  const uint16_t local_port = Load16(packet.data());
  const uint16_t remote_port = Load16(packet.data() + 2);
  uint16_t udp_port = 0;
  if (in_input_ && to == input_from_) {
    // A reply to the datagram being processed goes back where it came from.
    udp_port = input_udp_port_;
  } else {
    // RFC 6951 §5.3: "the destination port MUST be the remote UDP encapsulation port number
    // maintained for the association and the destination address".
    udp_port = encaps_ports.Lookup(local_port, remote_port, to);
  }
  transport::OutgoingDatagram d;
  d.from = from;
  d.to = to;
  d.to_port = udp_port;
  // RFC 6951 §5.3: "The SCTP checksum MUST be computed for IPv4 and IPv6" — the engine wrote
  // it; CRC offload applies to AF_CONN only. The kernel computes the UDP checksum.
  d.payload.assign(packet.begin(), packet.end());
  udp_out_.push_back(std::move(d));
  ++counters.udp_out;
}

void Stack::FlushUdp(std::unique_lock<std::mutex>& lock) {
  // Called by the dispatcher only (one thread at a time), so sends keep their order.
  while (!udp_out_.empty() && udp != nullptr) {
    std::vector<transport::OutgoingDatagram> batch;
    batch.swap(udp_out_);
    transport::UdpEncapsulation* transport_sockets = udp.get();
    lock.unlock();
    transport_sockets->Send(batch);
    lock.lock();
  }
}

void Stack::HandleUdpDatagram(const transport::IncomingDatagram& d) {
  ++counters.udp_in;
  const std::span<const uint8_t> packet = d.payload;
  if (packet.size() < 12) {  // not even an SCTP common header
    ++counters.udp_too_short;
    return;
  }
  if (d.from_port == 0) {  // cannot be answered (RFC 768: no reply port)
    ++counters.udp_zero_source_port;
    return;
  }
  ++counters.packets_in;
  const uint16_t remote_port = Load16(packet.data());
  const uint16_t local_port = Load16(packet.data() + 2);
  const bool is_init =
      packet.size() >= 20 + 4 && packet[12] == static_cast<uint8_t>(wire::ChunkType::kInit);
  PortEndpoint* pe = FindEndpoint(0, local_port);
  if (pe == nullptr) {
    // RFC 9260 §8.4 for an unbound port; the reply goes to the UDP source port of the packet
    // (draft-tuexen-tsvwg-sctp-udp-encaps-cons: OOTB packets).
    ++counters.dropped_no_port;
    const uint32_t blackhole = GetSysctls().sctp_blackhole.load();
    if (blackhole >= 2 || (blackhole == 1 && is_init)) return;
    if (!wire::VerifySctpChecksum(packet)) return;
    auto parsed = wire::PacketView::Parse(packet);
    if (!parsed.ok()) return;
    std::vector<uint8_t> reply = endpoint::OutOfTheBlueReply(*parsed);
    if (reply.empty()) return;
    transport::OutgoingDatagram out;
    out.from = d.to;
    out.to = d.from;
    out.to_port = d.from_port;
    out.payload = std::move(reply);
    udp_out_.push_back(std::move(out));
    return;
  }
  const uint16_t stored = encaps_ports.Find(local_port, remote_port, d.from);
  if (is_init && stored != 0 && stored != d.from_port && wire::VerifySctpChecksum(packet) &&
      wire::PacketView::Parse(packet).ok()) {
    // draft-tuexen-tsvwg-sctp-udp-encaps-cons, INIT matching an existing association: when
    // its UDP source port is not the encapsulation port stored for that address, reply with
    // an ABORT carrying "Restart of an Association with New Encapsulation Port" (sent to the
    // INIT's source port) and leave the association alone.
    ++counters.udp_init_port_mismatch;
    transport::OutgoingDatagram out;
    out.from = d.to;
    out.to = d.from;
    out.to_port = d.from_port;
    out.payload = NewEncapsulationPortAbort(packet, stored, d.from_port);
    udp_out_.push_back(std::move(out));
    return;
  }
  const EndpointStats before = pe->endpoint->stats();
  in_input_ = true;
  input_from_ = d.from;
  input_udp_port_ = d.from_port;
  pe->endpoint->HandlePacket(d.from, d.to, packet, Now());
  in_input_ = false;
  // RFC 6951 §5.4: only after the association was found and the verification tag checked is
  // the source port stored for that address. INIT is answered without state (no association
  // yet), so it teaches nothing.
  if (!is_init && !Rejected(before, pe->endpoint->stats()) && stored != d.from_port) {
    encaps_ports.Learn(local_port, remote_port, d.from, d.from_port);
    ++counters.udp_port_learned;
  }
}

void Stack::ForgetAssociation(PortEndpoint* pe, AssociationId id) {
  auto it = association_peers_.find({pe, id.value()});
  if (it == association_peers_.end()) return;
  encaps_ports.Forget(pe->port, it->second.first, it->second.second);
  association_peers_.erase(it);
}

void Stack::WakeTimerThread() {
  if (!threads_ || poller_ == nullptr) return;
  const TimePoint next = NextDeadline();
  if (next < armed_deadline_) {
    armed_deadline_ = next;
    poller_->ArmTimer(next);
  }
}

void Stack::IoLoop() {
  std::unique_lock<std::mutex> lock(mu);
  io_thread_id_ = std::this_thread::get_id();
  while (!stop_) {
    armed_deadline_ = NextDeadline();
    poller_->ArmTimer(armed_deadline_);
    lock.unlock();
    const transport::Poller::Ready ready = poller_->Wait();
    lock.lock();
    if (stop_) break;
    if (ready.timer || NextDeadline() <= Now()) RunTimers();
    if (udp != nullptr && !ready.fds.empty()) {
      std::set<PortEndpoint*> touched;
      for (int fd : ready.fds) {
        udp->Receive(
            fd,
            [&](const transport::IncomingDatagram& d) {
              HandleUdpDatagram(d);
              if (d.payload.size() >= 4) {
                if (PortEndpoint* pe = FindEndpoint(0, Load16(d.payload.data() + 2))) {
                  touched.insert(pe);
                }
              }
            },
            kMaxDatagramsPerWakeup);
      }
      // usrsctp.md §3: the send-space callback runs after input processing.
      for (PortEndpoint* pe : touched) {
        if (!ports.contains({0, pe->port})) continue;
        for (struct ::socket* so : pe->send_cb_users) {
          if (so->connected && !so->closed) Writable(so);
        }
      }
    }
    Dispatch(lock);
  }
}

}  // namespace sctp::compat
