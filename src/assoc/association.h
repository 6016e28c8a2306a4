// One association (the TCB of RFC 9260 §2.9 / §14): state machine (§4), handshake (§5),
// data transfer (§6), congestion control (§7), fault management (§8), termination (§9).
//
// Sans-IO: the Endpoint hands it parsed packets and time; it hands back packets and events
// through AssociationContext. Parsing and demultiplexing happen in the Endpoint.
#ifndef SCTPCPP_ASSOC_ASSOCIATION_H_
#define SCTPCPP_ASSOC_ASSOCIATION_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "endpoint/state_cookie.h"
#include "path/plpmtud.h"
#include "path/rto_estimator.h"
#include "rx/data_tracker.h"
#include "rx/reassembly_queue.h"
#include "sctpcpp/address.h"
#include "sctpcpp/endpoint.h"
#include "sctpcpp/events.h"
#include "sctpcpp/options.h"
#include "sctpcpp/time.h"
#include "tx/retransmission_queue.h"
#include "tx/send_queue.h"
#include "wire/chunks.h"
#include "wire/packet.h"
#include "wire/parameters.h"

namespace sctp::assoc {

// Appends the parameters INIT and INIT ACK share: our addresses (§3.3.2.1) and, with PR-SCTP,
// Forward-TSN-Supported (RFC 3758 §3.1) and Supported Extensions (RFC 5061 §4.2.7).
void AppendCommonInitParameters(const std::vector<Address>& addresses, const Options& options,
                                std::vector<uint8_t>* out);
// Parameter types of INIT / INIT ACK this stack understands (everything else follows the
// §3.2.1 action bits).
bool IsKnownInitParameter(uint16_t type);
// What both sides support, from the peer's INIT / INIT ACK parameters and our options
// (RFC 3758 §3.3, RFC 5061 §4.2.7 Supported Extensions, RFC 6525 §5.1.1, RFC 8260 §2.2,
// RFC 9653 §5.1).
endpoint::Capabilities NegotiateCapabilities(wire::TlvReader peer_parameters,
                                             const Options& options);

// What an association needs from the endpoint that owns it.
class AssociationContext {
 public:
  virtual ~AssociationContext() = default;
  virtual void SendPacket(const Address& from, const Address& to,
                          std::span<const uint8_t> packet) = 0;
  virtual void Emit(Event event) = 0;
  virtual uint32_t RandomU32() = 0;
  // A buffer of `size` bytes to build one outgoing packet in, valid until the next call.
  virtual std::span<uint8_t> PacketScratch(size_t size) = 0;
  // Answers an INIT with an INIT ACK carrying a signed State Cookie (§5.1 step B). The
  // association decides the tag, initial TSN and tie-tags (§5.2.1, §5.2.2).
  struct InitAckChoice {
    VerificationTag local_tag;
    Tsn local_initial_tsn;
    VerificationTag local_tie_tag;
    VerificationTag peer_tie_tag;
  };
  virtual void SendInitAck(const wire::InitChunk& init, const Address& from, const Address& to,
                           uint16_t peer_port, const InitAckChoice& choice, TimePoint now) = 0;
  virtual const std::vector<Address>& local_addresses() const = 0;
};

class Association {
 public:
  // Active open: the endpoint calls Connect() next.
  Association(AssociationId id, AssociationContext& context, const Options& options,
              uint16_t local_port, uint16_t peer_port, std::vector<Address> peer_addresses,
              VerificationTag local_tag, Tsn local_initial_tsn);
  // Passive open from a verified cookie (§5.1 step D): the association is ESTABLISHED.
  Association(AssociationId id, AssociationContext& context, const Options& options,
              const endpoint::CookieContents& cookie, const Address& peer_source, TimePoint now);
  ~Association();

  AssociationId id() const { return id_; }
  AssociationState state() const { return state_; }
  bool closed() const { return state_ == AssociationState::kClosed; }
  VerificationTag local_tag() const { return local_tag_; }
  VerificationTag peer_tag() const { return peer_tag_; }
  uint16_t peer_port() const { return peer_port_; }
  std::vector<Address> peer_addresses() const;
  size_t path_count() const { return paths_.size(); }

  void Connect(TimePoint now);

  // A packet addressed to this association (the endpoint matched ports and tag or
  // addresses). `packet` is already framed and checksummed.
  void HandlePacket(const wire::PacketView& packet, const Address& from, const Address& to,
                    TimePoint now);
  // A COOKIE ECHO for this association, already verified by the endpoint (§5.2.4 table).
  // Returns true if the packet's other chunks should then be processed by this
  // association.
  bool HandleCookieEcho(const endpoint::CookieContents& cookie, TimePoint now);

  TimePoint NextDeadline() const;
  void HandleTimeout(TimePoint now);

  absl::Status Send(StreamId stream, Ppid ppid, std::vector<uint8_t> payload,
                    const SendOptions& options, TimePoint now);
  absl::Status Shutdown(TimePoint now);
  void Abort(std::span<const uint8_t> reason, TimePoint now);

  // RFC 6525 (association_reconfig.cc).
  absl::Status ResetStreams(std::span<const StreamId> streams, bool outgoing, bool incoming,
                            TimePoint now);
  absl::Status AddStreams(uint16_t outgoing, uint16_t incoming, TimePoint now);
  absl::Status ResetAssociation(TimePoint now);
  // RFC 8260 §3 scheduler parameters of one outgoing stream.
  absl::Status SetStreamScheduling(StreamId stream, std::optional<uint16_t> priority,
                                   std::optional<uint16_t> weight);
  const endpoint::Capabilities& capabilities() const { return caps_; }
  events::NegotiatedExtensions NegotiatedExtensions() const;

  // The application took `bytes` of received messages: the window may reopen (§6.2).
  void OnMessagesConsumed(size_t bytes, TimePoint now);

  AssociationInfo GetInfo() const;
  std::optional<PrStatus> GetStreamPrStatus(StreamId stream) const;
  size_t BufferedAmount() const;

  // The first violated invariant between state, queues and timers, or "" (DESIGN.md:
  // invariants checked after every public call in debug builds).
  // `deep` adds the O(n) consistency check of the retransmission queue.
  std::string InvariantViolation(bool deep = false) const;

 private:
  using PathId = tx::PathId;
  struct Timer {
    TimePoint deadline = kNever;
    int attempts = 0;  // retransmissions so far (T1, T2)
    bool running() const { return deadline != kNever; }
    void Stop() { deadline = kNever; }
  };
  struct Path {
    PathId id = 0;
    Address address;
    Address local_address;  // source to use; empty: host chooses
    path::RtoEstimator rto;
    int error_count = 0;
    bool active = true;
    bool confirmed = false;
    Timer t3_rtx;
    Timer heartbeat;  // next heartbeat due
    bool heartbeat_outstanding = false;
    uint64_t heartbeat_nonce = 0;
    TimePoint heartbeat_sent_at;
    TimePoint last_data_sent;
    explicit Path(const Options& options) : rto(options) {}
  };
  // Pending control work, sent with the next packet(s).
  struct Pending {
    bool sack = false;
    bool cookie_ack = false;
    bool shutdown = false;
    bool shutdown_ack = false;
    bool shutdown_complete = false;
    bool forward_tsn = false;
    std::vector<std::vector<uint8_t>> error_causes;  // causes for one ERROR chunk
  };

  // --- chunk handlers (one per type, §-referenced in the .cc) ---

 public:
  // §5.2.1 / §5.2.2: an INIT for an existing association (the endpoint matched addresses).
  void HandleInit(const wire::InitChunk& init, const Address& from, const Address& to,
                  TimePoint now);

 private:
  void HandleInitAck(const wire::InitAckChunk& init_ack, TimePoint now);
  void HandleCookieAck(TimePoint now);
  // A DATA or I-DATA chunk (RFC 8260 §2.1), in one shape.
  struct IncomingData {
    Tsn tsn;
    StreamId stream_id;
    bool unordered = false, beginning = false, ending = false, immediate_sack = false;
    Ssn ssn;  // DATA
    Mid mid;  // I-DATA
    Fsn fsn;  // I-DATA
    Ppid ppid;
    wire::Bytes user_data;
  };
  static IncomingData FromData(const wire::DataChunk& chunk);
  static IncomingData FromIData(const wire::IDataChunk& chunk);
  void HandleData(const IncomingData& data, bool* abort_sent);
  void HandleIForwardTsn(const wire::IForwardTsnChunk& forward_tsn);
  void AbortProtocolViolation(std::string_view reason);
  void HandleSack(const wire::SackChunk& sack, TimePoint now);
  void ApplySackResult(const tx::RetransmissionQueue::SackResult& result, TimePoint now);
  void HandleHeartbeat(const wire::HeartbeatChunk& heartbeat, const Address& from);
  void HandleHeartbeatAck(const wire::HeartbeatAckChunk& ack, TimePoint now);
  void HandleAbort(const wire::AbortChunk& abort);
  void HandleShutdown(const wire::ShutdownChunk& shutdown, TimePoint now);
  void HandleShutdownAck();
  void HandleShutdownComplete();
  void HandleError(const wire::ErrorChunk& error, TimePoint now);
  void HandleForwardTsn(const wire::ForwardTsnChunk& forward_tsn);
  // §3.2: returns false if processing of the packet must stop.
  bool HandleUnknownChunk(const wire::ChunkView& chunk);

  // --- sending ---
  void SendInit(TimePoint now);
  void SendCookieEcho(TimePoint now);
  // Sends what is pending and what the windows allow (bundling control chunks and DATA).
  void Flush(TimePoint now);
  bool FillPacket(Path& path, wire::PacketBuilder& builder, TimePoint now, bool* sent_data);
  void SendSingleChunkPacket(const wire::AnyChunk& chunk, const Path& path, VerificationTag tag);
  // DATA, or I-DATA when negotiated (RFC 8260 §2.2).
  bool AddDataChunk(wire::PacketBuilder& builder, Tsn tsn, const tx::OutgoingFragment& fragment,
                    bool immediate_sack);

  // --- RFC 6525 stream reconfiguration (association_reconfig.cc) ---
  struct ReconfigRequest {
    uint16_t type = 0;                       // wire::ParameterType of the request parameter
    std::vector<StreamId> streams;           // resets: the streams, empty = all
    uint16_t count = 0;                      // add-streams: how many
    std::optional<ReconfigSeq> response_to;  // §5.1.2 A4: answers the peer's incoming request
    uint64_t pause_after = 0;  // outgoing reset: the last message queued before the request
  };
  struct ReconfigInFlight {
    ReconfigSeq seq;
    ReconfigRequest request;
    std::vector<uint8_t> parameter;  // as sent, for retransmission (§5.1.1)
    bool in_progress = false;        // §5.2.7 H2: the peer answered "In progress"
  };
  struct DeferredReset {  // §5.2.2 E2
    ReconfigSeq seq;
    Tsn sender_last_tsn;
    std::vector<StreamId> streams;
    std::vector<rx::Fragment> held;
    size_t held_bytes = 0;
  };
  void HandleReconfig(const wire::ReconfigChunk& chunk, TimePoint now);
  wire::ReconfigResult HandlePeerRequest(ReconfigSeq seq, const wire::TlvView& tlv, TimePoint now);
  void HandleReconfigResponse(const wire::ReconfigResponseParameter& response, TimePoint now);
  // `tsns`: (Sender's Next TSN, Receiver's Next TSN) of an SSN/TSN reset response (D3/D4).
  void QueueReconfigResponse(ReconfigSeq seq, wire::ReconfigResult result,
                             std::optional<std::pair<Tsn, Tsn>> tsns = std::nullopt);
  // §5.2.4 G3–G5 / §5.2.7 H5: both directions restart at these TSNs, every SSN at 0.
  void RestartNumbering(Tsn our_next_tsn, Tsn peer_next_tsn);
  std::optional<std::pair<Tsn, Tsn>> ResetTsnsFor(uint16_t type, wire::ReconfigResult result);
  void MaybeSendReconfigRequest(TimePoint now);
  void HandleReconfigTimeout(TimePoint now);
  bool HoldForDeferredReset(rx::Fragment& fragment);
  void MaybeFinishDeferredReset();
  void RepauseQueuedResets();
  void SendAbort(std::span<const uint8_t> causes);
  void EmitPacket(const Path& path, std::span<const uint8_t> packet);
  bool UseZeroChecksum(const wire::AnyChunk& chunk) const;

  // --- state ---
  void EnterEstablished(TimePoint now);
  void Close(CloseReason reason, std::span<const uint8_t> abort_causes = {});
  void MaybeStartShutdown(TimePoint now);
  void DeliverReceivedMessages();
  void AfterPacketWithData(bool immediate, bool had_gaps, TimePoint now);
  void ReportSendFailures();
  TimePoint MessageExpiry() const;  // the earliest PR-SCTP lifetime end of a queued message
  void CountAbandoned(const events::SendFailed& failed);
  void MaybeSenderDry();

  // --- paths ---
  Path* FindPath(const Address& address);
  Path* AddPath(const Address& address, TimePoint now);
  Path& PrimaryPath();
  Path* AlternatePath(PathId avoid);
  void OnPathError(Path& path);
  void MarkPathAlive(Path& path);
  void ScheduleHeartbeat(Path& path, TimePoint now);
  void SendHeartbeat(Path& path, TimePoint now);
  void StartT3IfNeeded(Path& path, TimePoint now);
  void ApplyPeerParameters(wire::TlvReader parameters, TimePoint now);

  // --- negotiation result ---
  void SetupAfterNegotiation(Tsn peer_initial_tsn, uint32_t peer_rwnd, uint16_t outbound_streams,
                             uint16_t inbound_streams);
  uint32_t LocalRwnd() const;
  // The largest packet DATA may fill: the configured MTU, or with PLPMTUD (RFC 8899) the
  // size its probes confirmed.
  size_t MaxPacketSize() const {
    return pmtu_ != nullptr ? pmtu_->plpmtu() : options_.mtu & ~size_t{3};
  }

  AssociationId id_;
  AssociationContext& context_;
  Options options_;
  AssociationState state_ = AssociationState::kClosed;
  uint16_t local_port_;
  uint16_t peer_port_;
  VerificationTag local_tag_;
  VerificationTag peer_tag_;
  Tsn local_initial_tsn_;
  // §5.2.2 tie-tags: the tags of this association offered in INIT ACKs to a restarting peer.
  uint16_t outbound_streams_ = 0;
  uint16_t inbound_streams_ = 0;
  endpoint::Capabilities caps_;  // negotiated extensions
  bool was_established_ = false;

  std::vector<std::unique_ptr<Path>> paths_;
  PathId primary_path_ = 0;
  int association_error_count_ = 0;
  bool sack_since_t3_ = false;  // §6.1 A: the peer answers while we probe a zero window

  // Handshake.
  Timer t1_;                                    // T1-init or T1-cookie
  std::vector<uint8_t> cookie_;                 // from INIT ACK, echoed in COOKIE ECHO
  std::vector<uint8_t> init_ack_unrecognized_;  // §3.2.2: reported with the COOKIE ECHO
  bool first_data_acknowledged_ = false;        // §5.1: the first DATA is SACKed at once
  bool cookie_preservative_ = false;
  Duration stale_extension_{};
  Timer t2_shutdown_;
  Timer t5_guard_;
  Timer delayed_ack_;
  int packets_since_sack_ = 0;

  std::unique_ptr<rx::DataTracker> data_tracker_;
  std::unique_ptr<rx::ReassemblyQueue> reassembly_;
  std::unique_ptr<tx::SendQueue> send_queue_;
  std::unique_ptr<tx::RetransmissionQueue> retransmissions_;

  // RFC 6525 state, allocated on first use (most associations never reconfigure).
  struct ReconfigState {
    ReconfigSeq next_request_seq_;       // ours; starts at our initial TSN (§4.1)
    ReconfigSeq peer_next_request_seq_;  // the peer's next expected; starts at its initial TSN
    std::optional<ReconfigInFlight> reconfig_in_flight_;
    std::vector<ReconfigRequest> reconfig_queue_;  // waiting for the one in flight (§5.1.1)
    Timer reconfig_timer_;
    std::vector<uint8_t> pending_reconfig_;  // parameters for the next RE-CONFIG chunk
    // §5.2.1: the result for the peer's latest request sequence number, resent unchanged when
    // that request arrives again.
    std::optional<std::pair<ReconfigSeq, wire::ReconfigResult>> last_peer_request_result_;
    std::optional<std::pair<Tsn, Tsn>> last_ssn_tsn_reset_tsns_;  // resent with its response
    std::optional<DeferredReset> deferred_reset_;
  };
  ReconfigState& Reconfig();
  std::unique_ptr<ReconfigState> reconfig_;
  Tsn peer_initial_tsn_;

  Pending pending_;
  size_t undelivered_bytes_ = 0;  // emitted to the application, not consumed yet
  uint32_t last_advertised_rwnd_ = 0;
  bool sender_dry_reported_ = true;
  bool shutdown_requested_ = false;
  bool fast_recovery_packet_ = false;         // §7.2.4 step 3: next retransmission ignores cwnd
  std::optional<Tsn> forward_tsn_announced_;  // RFC 3758: New Cumulative TSN last sent
  std::optional<PathId> t3_alternate_;        // §6.4.1: where T3 retransmissions go next
  std::optional<PathId> reply_path_;          // §6.4: source of the latest DATA
  uint64_t next_heartbeat_nonce_ = 1;

  // RFC 8899 PLPMTUD (Options::plpmtud), run on the primary path: one packet size for the
  // association. The outstanding probe is identified by its Heartbeat Info nonce.
  struct PmtuProbe {
    uint64_t nonce = 0;
    PathId path = 0;
    size_t size = 0;
    bool outstanding = false;
  };
  std::unique_ptr<path::Plpmtud> pmtu_;
  PmtuProbe pmtu_probe_;
  void SendPmtuProbe(size_t size, TimePoint now);
  uint64_t NextHeartbeatNonce();
  static std::vector<uint8_t> HeartbeatInfo(PathId path, uint64_t nonce);

  // RFC 7496 §4 counters, allocated at the first abandonment.
  struct PrStats {
    PrStatus total;
    absl::flat_hash_map<uint16_t, PrStatus> by_stream;
  };
  std::unique_ptr<PrStats> pr_stats_;

  TimePoint last_now_;  // time of the current call (for helpers without a `now`)
  struct Counters {     // reported in AssociationInfo
    uint64_t packets_sent = 0, packets_received = 0;
    uint64_t data_chunks_sent = 0, data_chunks_received = 0;
    uint64_t retransmitted_chunks = 0, fast_retransmissions = 0, t3_expirations = 0;
    uint64_t messages_sent = 0, messages_received = 0;
    uint64_t pmtu_probes_sent = 0;  // RFC 8899 probes (Options::plpmtud)
  };
  Counters counters_;
};

}  // namespace sctp::assoc

#endif  // SCTPCPP_ASSOC_ASSOCIATION_H_
