// Every tunable of an association in one struct, with RFC 9260 §16 defaults unless noted.
#ifndef SCTPCPP_OPTIONS_H_
#define SCTPCPP_OPTIONS_H_

#include <cstddef>
#include <cstdint>

#include "sctpcpp/time.h"

namespace sctp {

struct Options {
  // RFC 9260 §16 protocol parameters.
  Duration rto_initial = Seconds(1);          // RTO.Initial
  Duration rto_min = Seconds(1);              // RTO.Min
  Duration rto_max = Seconds(60);             // RTO.Max
  int max_burst = 4;                          // Max.Burst
  Duration valid_cookie_life = Seconds(60);   // Valid.Cookie.Life
  int association_max_retrans = 10;           // Association.Max.Retrans
  int path_max_retrans = 5;                   // Path.Max.Retrans
  int max_init_retransmits = 8;               // Max.Init.Retransmits
  Duration heartbeat_interval = Seconds(30);  // HB.interval (0 disables heartbeats)
  bool heartbeats_enabled = true;

  // §6.2 delayed acknowledgement: at most this long, and at least every `sack_frequency`
  // packets containing DATA.
  Duration sack_delay = Milliseconds(200);
  int sack_frequency = 2;

  // Receive buffer advertised as a_rwnd (§6.2 / §3.3.2).
  uint32_t receive_window = 4 * 1024 * 1024;
  // Send buffer: Send() fails with kResourceExhausted beyond this many queued bytes.
  size_t send_buffer_size = 8 * 1024 * 1024;
  // Largest message Send() accepts.
  size_t max_message_size = 256 * 1024 * 1024;

  // Streams requested in INIT (MIS/OS); stream state is created lazily.
  uint16_t outbound_streams = 65535;
  uint16_t inbound_streams = 65535;

  // Largest SCTP packet (common header + chunks) this association sends, i.e. the path MTU
  // minus IP and UDP headers. 1200 is safe over any IPv6 path with encapsulation.
  size_t mtu = 1200;

  // RFC 8899 PLPMTUD (§6.2: probes are a HEARTBEAT with a PAD chunk). Off: every packet may
  // be `mtu` bytes. On: `mtu` is MAX_PLPMTU; each confirmed path starts at BASE_PLPMTU
  // (`plpmtud_base`) and probes upwards; DATA never exceeds the smallest size confirmed on
  // the association's paths.
  bool plpmtud = false;
  size_t plpmtud_base = 1200;

  // Initial congestion window in MTUs (§7.2.1 permits min(4*MTU, max(2*MTU, 4380)); more
  // is used only when asked for).
  int initial_cwnd_mtus = 4;

  // RFC 7053 §4.2: set the I bit on the last DATA chunk sent before the send queue runs
  // empty, so the peer acknowledges at once instead of after its SACK delay (the sender has
  // nothing more that would trigger a SACK).
  bool immediate_sack_when_idle = true;

  // Loss recovery beyond RFC 9260 §7.2.4 step 5, which makes a fast-retransmitted chunk
  // "ineligible for a subsequent Fast Retransmit": a lost retransmission then waits for
  // T3-rtx (at least RTO.Min, 1 s). With this on (as usrsctp/FreeBSD and RFC 8985's
  // principle), a retransmitted chunk collects miss indications again once the peer
  // acknowledges a TSN first sent after that retransmission, so it can be fast retransmitted
  // again after three more. Off: the RFC's rule exactly.
  bool repeat_fast_retransmit = true;

  // Extensions offered in INIT / INIT ACK; each is used when both sides offer it.
  bool partial_reliability = true;  // RFC 3758 Forward-TSN-Supported (+ RFC 8260 I-FORWARD-TSN)
  bool stream_reset = true;         // RFC 6525 RE-CONFIG
  bool interleaving = false;        // RFC 8260 I-DATA (user message interleaving)
  // RFC 9653: accept packets with a zero checksum, because the lower layer (e.g. DTLS, RFC
  // 8261) protects integrity; announced with error detection method `zero_checksum_edmid`.
  bool zero_checksum = false;
  uint32_t zero_checksum_edmid = 1;  // RFC 9653 §7: 1 = SCTP over DTLS

  // RFC 6525 requests from the peer: §5.2.3 "Incoming SSN Reset Request" (reset our outgoing
  // streams) and §5.2.5/§5.2.6 add-streams requests are performed only when these allow it
  // ("The decision to deny a re-configuration request is an administrative decision", §5.2.1).
  // A reset of the peer's outgoing streams (§5.2.2) is always performed.
  bool accept_incoming_reset_requests = true;
  bool accept_add_streams_requests = true;
  // RFC 6525 §5.2.4 SSN/TSN reset requests of the peer (every TSN and SSN restarts).
  bool accept_association_reset_requests = true;

  // RFC 8260 §3 stream scheduler for outgoing messages.
  enum class Scheduler : uint8_t {
    kFirstComeFirstServed,
    kRoundRobin,
    kRoundRobinPerPacket,
    kPriority,
    kFairCapacity,
    kWeightedFairQueueing,
  };
  Scheduler scheduler = Scheduler::kRoundRobin;

  // Partial delivery (RFC 6458 §8.1.21): deliver the head of a message that is still being
  // reassembled once this many bytes of it are buffered (0: half the receive window).
  size_t partial_delivery_point = 0;
};

}  // namespace sctp

#endif  // SCTPCPP_OPTIONS_H_
