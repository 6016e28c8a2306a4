// sctp::Endpoint — the native, sans-IO API of sctpcpp.
//
// One Endpoint is one local SCTP port with its local addresses and all associations on it.
// The host (your program, or the usrsctp compatibility layer) feeds it packets and time and
// sends the packets it produces:
//
//   sctp::Endpoint ep(config, callbacks);
//   ep.HandlePacket(from, to, bytes, now);      // a packet arrived
//   ep.HandleTimeout(now);                      // when now >= ep.NextDeadline()
//   ep.Send(id, stream, ppid, payload, {}, now);
//   while (auto e = ep.PollEvent()) { ... }     // or set callbacks.on_event
//
// Nothing blocks, sleeps, reads a clock, opens a socket or starts a thread. Callbacks are
// called only from inside these methods: send_packet at any point, on_event only at the
// end of a call, when all state is consistent, so on_event may call back into the
// Endpoint. Not thread-safe: use one Endpoint from one thread at a time.
#ifndef SCTPCPP_ENDPOINT_H_
#define SCTPCPP_ENDPOINT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sctpcpp/address.h"
#include "sctpcpp/events.h"
#include "sctpcpp/message.h"
#include "sctpcpp/options.h"
#include "sctpcpp/time.h"
#include "sctpcpp/types.h"

namespace sctp {

struct EndpointConfig {
  uint16_t local_port = 0;
  // Addresses listed in INIT / INIT ACK (§3.3.2.1). Empty: the peer uses the packet's source.
  std::vector<Address> local_addresses;
  // Accept incoming associations (answer INIT). Off: INIT is answered with ABORT (§8.4 rule 3? no:
  // an endpoint that is not listening treats INIT as out of the blue, §8.4).
  bool listen = false;
  // Defaults for every association of this endpoint.
  Options options;
  // Seeds the endpoint's deterministic generator for verification tags and TSNs when no
  // random_bytes callback is given (tests, simulations). Hosts should give random_bytes.
  uint64_t seed = 0;
  // true: a message handed out (callback or PollEvent) no longer counts against the receive
  // window. false: it counts until the host calls ReleaseReceiveBuffer (a socket layer that
  // buffers messages for later reads, like the usrsctp compatibility layer).
  bool release_on_delivery = true;
  // The lowest association id handed out (0 never is). The usrsctp API reserves 0-2
  // (SCTP_FUTURE_ASSOC, SCTP_CURRENT_ASSOC, SCTP_ALL_ASSOC): its layer starts at 3.
  uint32_t first_association_id = 1;
};

struct EndpointCallbacks {
  // Sends one packet. `from` is the local address to send from (may be empty: host
  // chooses). The bytes are valid only during the call. Required.
  std::function<void(const Address& from, const Address& to, std::span<const uint8_t> packet)>
      send_packet;
  // Fills the buffer with cryptographically strong random bytes (tags, initial TSNs,
  // cookie secrets). Optional: a seeded generator is used otherwise.
  std::function<void(std::span<uint8_t>)> random_bytes;
  // Receives events at the end of each public call. Optional: without it, PollEvent().
  std::function<void(Event&&)> on_event;
};

enum class AssociationState : uint8_t {
  kClosed,
  kCookieWait,
  kCookieEchoed,
  kEstablished,
  kShutdownPending,
  kShutdownSent,
  kShutdownReceived,
  kShutdownAckSent,
};
std::string_view AssociationStateName(AssociationState state);

struct PathInfo {
  Address address;
  bool active = true;
  bool confirmed = false;
  bool primary = false;
  Duration srtt{};
  Duration rto{};
  size_t cwnd = 0;
  size_t ssthresh = 0;
  size_t flight_size = 0;
  size_t mtu = 0;
  int error_count = 0;
};

// RFC 7496 §4 abandonment counters, per policy (index: PrPolicy).
struct PrStatus {
  uint64_t abandoned_unsent[4] = {};
  uint64_t abandoned_sent[4] = {};
};

struct AssociationInfo {
  AssociationState state = AssociationState::kClosed;
  uint16_t peer_port = 0;
  uint16_t inbound_streams = 0;
  uint16_t outbound_streams = 0;
  uint32_t peer_rwnd = 0;
  uint32_t local_rwnd = 0;
  size_t send_buffered_bytes = 0;  // queued, not yet sent
  size_t outstanding_bytes = 0;    // sent, not yet acknowledged
  size_t receive_buffered_bytes = 0;
  int error_count = 0;
  std::vector<PathInfo> paths;
  // Counters.
  uint64_t packets_sent = 0, packets_received = 0;
  uint64_t data_chunks_sent = 0, data_chunks_received = 0;
  uint64_t retransmitted_chunks = 0, fast_retransmissions = 0, t3_expirations = 0;
  uint64_t messages_sent = 0, messages_received = 0;
  uint64_t pmtu_probes_sent = 0;  // RFC 8899 probes (Options::plpmtud)
  PrStatus pr_status;             // all streams
};

// Endpoint-wide counters of what was refused, so hostile input is visible.
struct EndpointStats {
  uint64_t packets_received = 0;
  uint64_t packets_sent = 0;
  uint64_t bad_checksum = 0;
  uint64_t malformed = 0;
  uint64_t out_of_the_blue = 0;
  uint64_t bad_verification_tag = 0;
  uint64_t bad_cookie = 0;
  uint64_t stale_cookie = 0;
  uint64_t init_received = 0;
  uint64_t associations_created = 0;
};

class Endpoint {
 public:
  Endpoint(EndpointConfig config, EndpointCallbacks callbacks);
  ~Endpoint();
  Endpoint(const Endpoint&) = delete;
  Endpoint& operator=(const Endpoint&) = delete;

  void set_listen(bool listen);

  // Starts an association with the peer at these addresses (the first is the primary).
  absl::StatusOr<AssociationId> Connect(std::span<const Address> peer_addresses, uint16_t peer_port,
                                        TimePoint now, const Options* options = nullptr);

  // A packet arrived from `from` to `to`. `checksum_verified`: the lower layer already
  // checked CRC32c (offload); otherwise it is checked here.
  void HandlePacket(const Address& from, const Address& to, std::span<const uint8_t> packet,
                    TimePoint now, bool checksum_verified = false);

  // The earliest time at which HandleTimeout has work; kNever if none.
  TimePoint NextDeadline() const;
  void HandleTimeout(TimePoint now);

  // Queues a message. Fails with InvalidArgument (bad stream, empty or too large),
  // ResourceExhausted (send buffer full), FailedPrecondition (shutting down / closed),
  // NotFound (no such association).
  absl::Status Send(AssociationId id, StreamId stream, Ppid ppid, std::vector<uint8_t> payload,
                    const SendOptions& options, TimePoint now);
  // Graceful shutdown (§9.2) once queued data is acknowledged.
  absl::Status Shutdown(AssociationId id, TimePoint now);
  // ABORT (§9.1) with a User-Initiated Abort cause carrying `reason`.
  absl::Status Abort(AssociationId id, std::span<const uint8_t> reason, TimePoint now);

  // RFC 6525 stream reconfiguration (needs RE-CONFIG on both sides, else FailedPrecondition).
  // Resets the SSNs of our outgoing streams (§5.1.2) and/or asks the peer to reset its
  // outgoing ones, i.e. our incoming streams (§5.1.3). Empty `streams` = all streams. The
  // outcome arrives as an events::StreamReset. One request is in flight at a time; a request
  // made meanwhile is queued (§5.1.1: "the chunk MUST be buffered").
  absl::Status ResetStreams(AssociationId id, std::span<const StreamId> streams, bool outgoing,
                            bool incoming, TimePoint now);
  // RFC 6525 §5.1.4 SSN/TSN reset: once nothing is outstanding, every TSN and SSN of both
  // directions restarts; new messages wait meanwhile. The outcome arrives as an
  // events::AssociationReset.
  absl::Status ResetAssociation(AssociationId id, TimePoint now);
  // Adds outgoing streams (§5.1.5) and/or asks the peer to add incoming ones (§5.1.6); the
  // outcome arrives as an events::StreamChange.
  absl::Status AddStreams(AssociationId id, uint16_t outgoing, uint16_t incoming, TimePoint now);
  // RFC 8260 §3 scheduler parameters of an outgoing stream: priority (kPriority; lower value
  // first) and weight (kWeightedFairQueueing).
  absl::Status SetStreamPriority(AssociationId id, StreamId stream, uint16_t priority);
  absl::Status SetStreamWeight(AssociationId id, StreamId stream, uint16_t weight);

  std::optional<Event> PollEvent();
  // With release_on_delivery = false: the application consumed `bytes` of received messages
  // of this association; the receive window may reopen (§6.2).
  void ReleaseReceiveBuffer(AssociationId id, size_t bytes, TimePoint now);
  std::optional<AssociationInfo> GetInfo(AssociationId id) const;
  // RFC 7496 §4.3 per-stream abandonment counters (nullopt: no such association).
  std::optional<PrStatus> GetStreamPrStatus(AssociationId id, StreamId stream) const;
  // Bytes queued or in flight (not yet acknowledged) on an association: cheap, for send-space
  // checks on every packet.
  std::optional<size_t> BufferedAmount(AssociationId id) const;
  std::vector<AssociationId> associations() const;
  const EndpointStats& stats() const;

  // For tests and debugging: the first violated internal invariant of any association
  // (timers vs. state vs. queues), or "". `deep` adds O(outstanding data) checks. Debug and
  // fuzzing builds check this after every call and abort on a violation.
  std::string InvariantViolation(bool deep = false) const;
  uint16_t local_port() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sctp

#endif  // SCTPCPP_ENDPOINT_H_
