#include "assoc/association.h"

#include <algorithm>

#include "wire/error_causes.h"
#include "wire/parameters.h"

namespace sctp::assoc {
namespace {

using wire::Bytes;
using wire::ToBytes;

// Receive-window charge per DATA chunk held out of order, on top of its payload.
constexpr size_t kHeldChunkOverhead = 64;

// Our Heartbeat Info (opaque to the peer, §3.3.5): path id, nonce.
constexpr size_t kHeartbeatInfoSize = 12;

std::vector<uint8_t> Concat(const std::vector<std::vector<uint8_t>>& parts) {
  std::vector<uint8_t> out;
  for (const auto& p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

void Append(std::vector<uint8_t>* out, const std::vector<uint8_t>& bytes) {
  out->insert(out->end(), bytes.begin(), bytes.end());
}

Address AddressFromParameter(const wire::TlvView& tlv) {
  if (tlv.type == wire::ParameterType::kIpv4Address) {
    auto p = wire::Ipv4AddressParameter::Parse(tlv);
    if (p.ok()) return Address::Ipv4(p->address);
  } else if (tlv.type == wire::ParameterType::kIpv6Address) {
    auto p = wire::Ipv6AddressParameter::Parse(tlv);
    if (p.ok()) return Address::Ipv6(p->address);
  }
  return Address();
}

// Options::Scheduler mirrors tx::StreamScheduler value for value.
static_assert(static_cast<int>(Options::Scheduler::kWeightedFairQueueing) ==
              static_cast<int>(tx::StreamScheduler::kWeightedFairQueueing));
static_assert(static_cast<int>(Options::Scheduler::kFirstComeFirstServed) ==
              static_cast<int>(tx::StreamScheduler::kFirstComeFirstServed));

}  // namespace

void AppendCommonInitParameters(const std::vector<Address>& addresses, const Options& options,
                                std::vector<uint8_t>* out) {
  for (const Address& a : addresses) {
    if (a.is_ipv4()) {
      wire::Ipv4AddressParameter p;
      std::copy_n(a.bytes().begin(), 4, p.address.begin());
      Append(out, ToBytes(p));
    } else if (a.is_ipv6()) {
      wire::Ipv6AddressParameter p;
      std::copy_n(a.bytes().begin(), 16, p.address.begin());
      Append(out, ToBytes(p));
    }
  }
  // RFC 5061 §4.2.7: the chunk types we support beyond RFC 9260, one byte each.
  std::vector<uint8_t> extensions;
  if (options.partial_reliability) {
    // RFC 3758 §3.1: Forward-TSN-Supported; listing FORWARD TSN as well is what peers expect.
    Append(out, ToBytes(wire::ForwardTsnSupportedParameter{}));
    extensions.push_back(wire::ChunkType::kForwardTsn);
  }
  if (options.stream_reset) extensions.push_back(wire::ChunkType::kReconfig);  // RFC 6525 §5.1.1
  if (options.interleaving) {
    // RFC 8260 §2.2: I-DATA, and I-FORWARD-TSN when PR-SCTP is offered too.
    extensions.push_back(wire::ChunkType::kIData);
    if (options.partial_reliability) extensions.push_back(wire::ChunkType::kIForwardTsn);
  }
  if (!extensions.empty()) {
    Append(out, ToBytes(wire::SupportedExtensionsParameter{Bytes(extensions)}));
  }
  if (options.zero_checksum) {
    // RFC 9653 §5.1: "MUST include the Zero Checksum Acceptable Chunk Parameter indicating
    // the alternate error detection method it is willing to use".
    Append(out, ToBytes(wire::ZeroChecksumAcceptableParameter{options.zero_checksum_edmid}));
  }
}

bool IsKnownInitParameter(uint16_t type) {
  switch (type) {
    case wire::ParameterType::kIpv4Address:
    case wire::ParameterType::kIpv6Address:
    case wire::ParameterType::kStateCookie:
    case wire::ParameterType::kUnrecognizedParameter:
    case wire::ParameterType::kCookiePreservative:
    case wire::ParameterType::kHostNameAddress:
    case wire::ParameterType::kSupportedAddressTypes:
    case wire::ParameterType::kForwardTsnSupported:
    case wire::ParameterType::kSupportedExtensions:
    case wire::ParameterType::kEcnCapable:
    case wire::ParameterType::kPadding:
    case wire::ParameterType::kRandom:
    case wire::ParameterType::kChunkList:
    case wire::ParameterType::kRequestedHmacAlgorithm:
    case wire::ParameterType::kAdaptationLayerIndication:
    case wire::ParameterType::kZeroChecksumAcceptable:
      return true;
    default:
      return false;
  }
}

endpoint::Capabilities NegotiateCapabilities(wire::TlvReader peer_parameters,
                                             const Options& options) {
  bool forward_tsn = false, reconfig = false, idata = false, iforward_tsn = false;
  bool zero_checksum = false;
  wire::TlvView tlv;
  while (peer_parameters.Next(&tlv)) {
    switch (tlv.type) {
      case wire::ParameterType::kForwardTsnSupported:
        forward_tsn = true;
        break;
      case wire::ParameterType::kSupportedExtensions: {
        auto p = wire::SupportedExtensionsParameter::Parse(tlv);
        if (!p.ok()) break;
        for (const uint8_t type : p->chunk_types) {
          reconfig |= type == wire::ChunkType::kReconfig;
          idata |= type == wire::ChunkType::kIData;
          iforward_tsn |= type == wire::ChunkType::kIForwardTsn;
        }
        break;
      }
      case wire::ParameterType::kZeroChecksumAcceptable: {
        auto p = wire::ZeroChecksumAcceptableParameter::Parse(tlv);
        // RFC 9653 §5.2 rule 1: only a method we support, announced by the peer.
        if (p.ok() && p->error_detection_method == options.zero_checksum_edmid) {
          zero_checksum = true;
        }
        break;
      }
      default:
        break;
    }
  }
  endpoint::Capabilities caps;
  caps.forward_tsn = forward_tsn && options.partial_reliability;
  caps.reconfig = reconfig && options.stream_reset;
  caps.interleaving = idata && options.interleaving;
  // RFC 8260 §2.3: with I-DATA, PR-SCTP needs I-FORWARD-TSN from both.
  if (caps.interleaving) caps.forward_tsn = caps.forward_tsn && iforward_tsn;
  // RFC 9653 §5.2: we send zero checksums only if the peer accepts them and we were allowed
  // to use the method ourselves.
  caps.zero_checksum = zero_checksum && options.zero_checksum;
  return caps;
}

}  // namespace sctp::assoc

namespace sctp {

std::string_view AssociationStateName(AssociationState state) {
  switch (state) {
    case AssociationState::kClosed:
      return "CLOSED";
    case AssociationState::kCookieWait:
      return "COOKIE-WAIT";
    case AssociationState::kCookieEchoed:
      return "COOKIE-ECHOED";
    case AssociationState::kEstablished:
      return "ESTABLISHED";
    case AssociationState::kShutdownPending:
      return "SHUTDOWN-PENDING";
    case AssociationState::kShutdownSent:
      return "SHUTDOWN-SENT";
    case AssociationState::kShutdownReceived:
      return "SHUTDOWN-RECEIVED";
    case AssociationState::kShutdownAckSent:
      return "SHUTDOWN-ACK-SENT";
  }
  return "UNKNOWN";
}

std::string_view CloseReasonName(CloseReason reason) {
  switch (reason) {
    case CloseReason::kNone:
      return "none";
    case CloseReason::kPeerAbort:
      return "peer abort";
    case CloseReason::kUserAbort:
      return "user abort";
    case CloseReason::kTooManyRetransmissions:
      return "too many retransmissions";
    case CloseReason::kInitFailed:
      return "init failed";
    case CloseReason::kProtocolViolation:
      return "protocol violation";
    case CloseReason::kShutdownComplete:
      return "shutdown complete";
    case CloseReason::kShutdownGuardExpired:
      return "shutdown guard expired";
  }
  return "unknown";
}

}  // namespace sctp

namespace sctp::assoc {

// ---------------------------------------------------------------------------------------
// Construction

Association::Association(AssociationId id, AssociationContext& context, const Options& options,
                         uint16_t local_port, uint16_t peer_port,
                         std::vector<Address> peer_addresses, VerificationTag local_tag,
                         Tsn local_initial_tsn)
    : id_(id),
      context_(context),
      options_(options),
      local_port_(local_port),
      peer_port_(peer_port),
      local_tag_(local_tag),
      local_initial_tsn_(local_initial_tsn) {
  if (options_.plpmtud)
    pmtu_ = std::make_unique<path::Plpmtud>(options_.plpmtud_base, options_.mtu);
  // §5.4 (1): "Any addresses passed to the sender of the INIT chunk by its upper layer in the
  // request to initialize an association are automatically considered to be CONFIRMED."
  for (const Address& a : peer_addresses)
    AddPath(a, TimePoint{})->confirmed = true;
}

Association::Association(AssociationId id, AssociationContext& context, const Options& options,
                         const endpoint::CookieContents& cookie, const Address& peer_source,
                         TimePoint now)
    : id_(id),
      context_(context),
      options_(options),
      local_port_(cookie.local_port),
      peer_port_(cookie.peer_port),
      local_tag_(cookie.local_tag),
      peer_tag_(cookie.peer_tag),
      local_initial_tsn_(cookie.local_initial_tsn) {
  if (options_.plpmtud)
    pmtu_ = std::make_unique<path::Plpmtud>(options_.plpmtud_base, options_.mtu);
  // §5.4: the source of the COOKIE ECHO is confirmed; addresses from the INIT are not yet.
  Path* source = AddPath(peer_source, now);
  source->confirmed = true;
  ApplyPeerParameters(wire::TlvReader(Bytes(cookie.peer_init_parameters), 0), now);
  caps_ = cookie.capabilities;
  SetupAfterNegotiation(cookie.peer_initial_tsn, cookie.peer_rwnd, cookie.outbound_streams,
                        cookie.inbound_streams);
  pending_.cookie_ack = true;
  EnterEstablished(now);
}

Association::~Association() = default;

std::vector<Address> Association::peer_addresses() const {
  std::vector<Address> out;
  for (const auto& p : paths_)
    out.push_back(p->address);
  return out;
}

void Association::SetupAfterNegotiation(Tsn peer_initial_tsn, uint32_t peer_rwnd,
                                        uint16_t outbound_streams, uint16_t inbound_streams) {
  outbound_streams_ = outbound_streams;
  inbound_streams_ = inbound_streams;
  data_tracker_ = std::make_unique<rx::DataTracker>(peer_initial_tsn);
  const size_t pd_point = options_.partial_delivery_point != 0 ? options_.partial_delivery_point
                                                               : options_.receive_window / 2;
  reassembly_ = std::make_unique<rx::ReassemblyQueue>(caps_.interleaving, pd_point);
  if (send_queue_ == nullptr) {
    send_queue_ = std::make_unique<tx::SendQueue>(
        caps_.interleaving, static_cast<tx::StreamScheduler>(options_.scheduler), outbound_streams,
        options_.send_buffer_size);
  } else {
    // Messages queued before the handshake (Send in COOKIE-WAIT) are not numbered yet.
    send_queue_->SetInterleaved(caps_.interleaving);
    send_queue_->SetOutboundStreams(outbound_streams);
  }
  retransmissions_ = std::make_unique<tx::RetransmissionQueue>(
      local_initial_tsn_, peer_rwnd, options_, caps_.forward_tsn, caps_.interleaving);
  for (const auto& p : paths_)
    retransmissions_->AddPath(p->id, MaxPacketSize());
  // RFC 6525 §4.1: request sequence numbers start at the initial TSN of their sender.
  peer_initial_tsn_ = peer_initial_tsn;
  reconfig_.reset();  // created with the sequence numbers on first use (Reconfig())
  last_advertised_rwnd_ = LocalRwnd();
}

// ---------------------------------------------------------------------------------------
// Handshake (§5.1)

void Association::Connect(TimePoint now) {
  state_ = AssociationState::kCookieWait;
  t1_.attempts = 0;
  SendInit(now);
}

void Association::SendInit(TimePoint now) {
  // §5.1 step A: INIT with our Initiate Tag, a_rwnd, stream counts and initial TSN, and
  // the verification tag of the packet set to 0 (§8.5.1 A).
  std::vector<uint8_t> parameters;
  if (cookie_preservative_) {
    // §5.2.6: ask for a longer cookie life after a Stale Cookie error.
    wire::CookiePreservativeParameter p;
    p.suggested_cookie_life_span_increment_ms =
        static_cast<uint32_t>(std::max<int64_t>(ToMilliseconds(stale_extension_), 1));
    Append(&parameters, ToBytes(p));
  }
  AppendCommonInitParameters(context_.local_addresses(), options_, &parameters);
  wire::InitChunk init;
  init.initiate_tag = local_tag_;
  init.a_rwnd = options_.receive_window;
  init.outbound_streams = options_.outbound_streams;
  init.inbound_streams = options_.inbound_streams;
  init.initial_tsn = local_initial_tsn_;
  init.parameters = Bytes(parameters);
  SendSingleChunkPacket(init, PrimaryPath(), VerificationTag(0));
  // §5.1 step A: start T1-init.
  t1_.deadline = now + PrimaryPath().rto.rto();
}

void Association::HandleInit(const wire::InitChunk& init, const Address& from, const Address& to,
                             TimePoint now) {
  // §5.2.1 (COOKIE-WAIT / COOKIE-ECHOED): answer with an INIT ACK that repeats our
  // original Initiate Tag and initial TSN; state unchanged, T1 keeps running.
  // §5.2.2 (any other state): a new Initiate Tag, and the current tags as tie-tags so that
  // a COOKIE ECHO can be recognised as a restart (§5.2.4 case A).
  AssociationContext::InitAckChoice choice;
  if (state_ == AssociationState::kCookieWait || state_ == AssociationState::kCookieEchoed) {
    choice.local_tag = local_tag_;
    choice.local_initial_tsn = local_initial_tsn_;
  } else {
    do {
      choice.local_tag = VerificationTag(context_.RandomU32());
    } while (choice.local_tag.value() == 0 || choice.local_tag == local_tag_);
    choice.local_initial_tsn = Tsn(context_.RandomU32());
    choice.local_tie_tag = local_tag_;
    choice.peer_tie_tag = peer_tag_;
  }
  context_.SendInitAck(init, from, to, peer_port_, choice, now);
}

void Association::HandleInitAck(const wire::InitAckChunk& init_ack, TimePoint now) {
  // §5.2.3: an INIT ACK in any state but COOKIE-WAIT is discarded.
  if (state_ != AssociationState::kCookieWait) return;
  // §3.3.3: a zero Initiate Tag or zero stream count: ABORT.
  if (init_ack.initiate_tag.value() == 0 || init_ack.outbound_streams == 0 ||
      init_ack.inbound_streams == 0) {
    const auto cause = ToBytes(wire::InvalidMandatoryParameterCause{});
    peer_tag_ = init_ack.initiate_tag;
    SendAbort(cause);
    Close(CloseReason::kProtocolViolation);
    return;
  }
  cookie_.clear();
  init_ack_unrecognized_.clear();
  bool has_cookie = false;
  peer_tag_ = init_ack.initiate_tag;
  {
    wire::TlvReader reader = init_ack.parameters_reader();
    wire::TlvView tlv;
    bool stop_processing = false;
    while (reader.Next(&tlv)) {
      if (tlv.type == wire::ParameterType::kStateCookie) {
        cookie_.assign(tlv.value.begin(), tlv.value.end());
        has_cookie = true;
        continue;
      }
      if (tlv.type == wire::ParameterType::kHostNameAddress) {
        // §3.3.2.1 (Host Name Address, deprecated): "The receiver of an INIT chunk or INIT ACK
        // chunk containing a Host Name Address parameter MUST send an ABORT chunk and MAY
        // include an 'Unresolvable Address' error cause."
        SendAbort(ToBytes(wire::UnresolvableAddressCause{tlv.raw()}));
        Close(CloseReason::kProtocolViolation);
        return;
      }
      if (stop_processing || IsKnownInitParameter(tlv.type)) continue;
      // §3.2.1 action bits; §3.2.2: unrecognized parameters of an INIT ACK that must be
      // reported go in an ERROR chunk bundled with the COOKIE ECHO.
      const wire::UnrecognizedAction action = wire::UnrecognizedParameterAction(tlv.type);
      if ((action == wire::UnrecognizedAction::kStopDiscardReport ||
           action == wire::UnrecognizedAction::kSkipReport) &&
          init_ack_unrecognized_.size() + tlv.length < 512) {
        const auto raw = tlv.raw();
        init_ack_unrecognized_.insert(init_ack_unrecognized_.end(), raw.begin(), raw.end());
      }
      stop_processing = action == wire::UnrecognizedAction::kStopDiscard ||
                        action == wire::UnrecognizedAction::kStopDiscardReport;
    }
  }
  if (!has_cookie) {
    // §5.1 step C: a missing State Cookie is reported with "Missing Mandatory Parameter".
    const uint16_t missing[] = {wire::ParameterType::kStateCookie};
    std::vector<wire::U16Record> records = {wire::U16Record{missing[0]}};
    wire::MissingMandatoryParameterCause cause;
    cause.missing_param_types = wire::PackedArray<wire::U16Record>::FromHost(records);
    SendAbort(ToBytes(cause));
    Close(CloseReason::kProtocolViolation);
    return;
  }
  ApplyPeerParameters(init_ack.parameters_reader(), now);
  caps_ = NegotiateCapabilities(init_ack.parameters_reader(), options_);
  // §5.1.1: each side uses min(its OS, the peer's MIS) outbound streams.
  SetupAfterNegotiation(init_ack.initial_tsn, init_ack.a_rwnd,
                        std::min(options_.outbound_streams, init_ack.inbound_streams),
                        std::min(options_.inbound_streams, init_ack.outbound_streams));
  // §5.1 step C: stop T1-init, send COOKIE ECHO, start T1-cookie, enter COOKIE-ECHOED.
  state_ = AssociationState::kCookieEchoed;
  t1_.Stop();
  t1_.attempts = 0;
  SendCookieEcho(now);
}

void Association::SendCookieEcho(TimePoint now) {
  wire::CookieEchoChunk echo{Bytes(cookie_)};
  if (init_ack_unrecognized_.empty()) {
    SendSingleChunkPacket(echo, PrimaryPath(), peer_tag_);
  } else {
    // §3.2.2: the ERROR with the INIT ACK's unrecognized parameters rides with the COOKIE
    // ECHO (which must come first, §6.10). Both are small and bounded: one buffer of their size.
    const std::vector<uint8_t> cause =
        ToBytes(wire::UnrecognizedParametersCause{Bytes(init_ack_unrecognized_)});
    const wire::ErrorChunk error{false, Bytes(cause)};
    std::vector<uint8_t> buffer(wire::kCommonHeaderSize + wire::PaddedLength(echo.WireLength()) +
                                wire::PaddedLength(error.WireLength()));
    wire::PacketBuilder builder(buffer, wire::CommonHeader{local_port_, peer_port_, peer_tag_, 0},
                                buffer.size());
    builder.Add(echo);
    builder.Add(error);
    EmitPacket(PrimaryPath(), builder.Finish());  // RFC 9653 §5.2: COOKIE ECHO keeps CRC32c
  }
  t1_.deadline = now + PrimaryPath().rto.rto();
}

void Association::HandleCookieAck(TimePoint now) {
  // §5.1 step E: COOKIE ACK in COOKIE-ECHOED establishes the association; in other
  // states it is discarded (§5.2.5).
  if (state_ != AssociationState::kCookieEchoed) return;
  t1_.Stop();
  EnterEstablished(now);
}

bool Association::HandleCookieEcho(const endpoint::CookieContents& cookie, TimePoint now) {
  const bool local_match = cookie.local_tag == local_tag_;
  const bool peer_match = cookie.peer_tag == peer_tag_;
  const bool tie_match = cookie.local_tie_tag == local_tag_ && cookie.peer_tie_tag == peer_tag_;
  // §5.2.4 action table.
  if (!local_match && !peer_match && tie_match) {
    // Case A: the peer restarted.
    if (state_ == AssociationState::kShutdownAckSent) {
      // §5.2.4 A: during shutdown, answer with SHUTDOWN ACK and the "Cookie Received While
      // Shutting Down" error instead of restarting.
      pending_.shutdown_ack = true;
      pending_.error_causes.push_back(ToBytes(wire::CookieReceivedWhileShuttingDownCause{}));
      Flush(now);
      return false;
    }
    // Everything queued or in flight for the old peer is lost.
    local_tag_ = cookie.local_tag;
    peer_tag_ = cookie.peer_tag;
    local_initial_tsn_ = cookie.local_initial_tsn;
    caps_ = cookie.capabilities;
    send_queue_.reset();
    SetupAfterNegotiation(cookie.peer_initial_tsn, cookie.peer_rwnd, cookie.outbound_streams,
                          cookie.inbound_streams);
    for (auto& p : paths_) {
      p->t3_rtx.Stop();
      p->error_count = 0;
    }
    association_error_count_ = 0;
    t1_.Stop();
    t2_shutdown_.Stop();
    t5_guard_.Stop();
    delayed_ack_.Stop();
    pending_ = Pending{};
    pending_.cookie_ack = true;
    state_ = AssociationState::kEstablished;
    context_.Emit(
        Event{id_, events::Restarted{inbound_streams_, outbound_streams_, NegotiatedExtensions()}});
    Flush(now);
    return true;
  }
  if (local_match && !peer_match) {
    // Case B: setup collision; the peer's tag in the cookie wins.
    peer_tag_ = cookie.peer_tag;
  } else if (!local_match && peer_match && cookie.local_tie_tag.value() == 0 &&
             cookie.peer_tie_tag.value() == 0) {
    // Case C: a late cookie from an earlier attempt: silently discarded.
    return false;
  } else if (!(local_match && peer_match)) {
    // No row of the table matches: discard.
    return false;
  }
  // Case B or D.
  if (data_tracker_ == nullptr) {
    // We were in COOKIE-WAIT (our INIT crossed the peer's): take everything from the cookie.
    caps_ = cookie.capabilities;
    ApplyPeerParameters(wire::TlvReader(Bytes(cookie.peer_init_parameters), 0), now);
    SetupAfterNegotiation(cookie.peer_initial_tsn, cookie.peer_rwnd, cookie.outbound_streams,
                          cookie.inbound_streams);
  }
  pending_.cookie_ack = true;
  if (state_ == AssociationState::kCookieWait || state_ == AssociationState::kCookieEchoed) {
    t1_.Stop();
    EnterEstablished(now);
  } else {
    Flush(now);
  }
  return true;
}

void Association::EnterEstablished(TimePoint now) {
  state_ = AssociationState::kEstablished;
  was_established_ = true;
  context_.Emit(Event{
      id_, events::CommunicationUp{inbound_streams_, outbound_streams_, NegotiatedExtensions()}});
  for (auto& p : paths_)
    ScheduleHeartbeat(*p, now);
  // RFC 8899 §6.2.1.1: "A sender can therefore enter the BASE state as soon as connectivity
  // has been confirmed"; §6.2.1.2: "Probing can start directly after the PL handshake".
  if (pmtu_ != nullptr && pmtu_->state() == path::Plpmtud::State::kDisabled) pmtu_->Start(now);
  if (shutdown_requested_) {
    state_ = AssociationState::kShutdownPending;
    MaybeStartShutdown(now);
  }
  Flush(now);
}

void Association::ApplyPeerParameters(wire::TlvReader parameters, TimePoint now) {
  wire::TlvView tlv;
  while (parameters.Next(&tlv)) {
    switch (tlv.type) {
      case wire::ParameterType::kIpv4Address:
      case wire::ParameterType::kIpv6Address: {
        const Address a = AddressFromParameter(tlv);
        if (a.empty()) break;
        // §5.4: addresses learned from INIT/INIT ACK are unconfirmed until a heartbeat
        // to them is answered. Bounded: a hostile INIT cannot create many paths.
        if (FindPath(a) == nullptr && paths_.size() < 16) AddPath(a, now);
        break;
      }
      default:
        break;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Incoming packets

void Association::HandlePacket(const wire::PacketView& packet, const Address& from,
                               const Address& to, TimePoint now) {
  (void)to;
  ++counters_.packets_received;
  bool data_seen = false;
  bool immediate_sack = false;
  bool stop = false;
  const bool had_gaps = data_tracker_ != nullptr && data_tracker_->has_gaps();
  wire::ChunkReader reader = packet.chunks();
  wire::ChunkView view;
  while (!stop && !closed() && reader.Next(&view)) {
    wire::Parsed<wire::AnyChunk> parsed = wire::ParseChunk(view);
    if (!parsed.ok()) {
      // A chunk whose framing is valid but whose content is not: §6.10 leaves this to the
      // implementation; we stop processing the packet (what was processed stays).
      break;
    }
    const wire::AnyChunk& chunk = *parsed;
    switch (view.type) {
      case wire::ChunkType::kData:
      case wire::ChunkType::kIData: {
        if (state_ == AssociationState::kCookieWait || data_tracker_ == nullptr) break;
        const bool idata = view.type == wire::ChunkType::kIData;
        // RFC 8260 §2.2: "If user message interleaving support has been negotiated ...
        // DATA chunks MUST NOT be used. If [not] ... I-DATA chunks MUST NOT be used."
        if (idata != caps_.interleaving) {
          AbortProtocolViolation(idata ? "I-DATA without I-DATA support"
                                       : "DATA while I-DATA is negotiated");
          stop = true;
          break;
        }
        const IncomingData data = idata ? FromIData(std::get<wire::IDataChunk>(chunk))
                                        : FromData(std::get<wire::DataChunk>(chunk));
        data_seen = true;
        // §6.4: replies (SACK) go to the address the DATA came from.
        if (const Path* source = FindPath(from)) reply_path_ = source->id;
        immediate_sack |= data.immediate_sack;
        bool aborted = false;
        HandleData(data, &aborted);
        if (aborted) stop = true;
        break;
      }
      case wire::ChunkType::kInitAck:
        HandleInitAck(std::get<wire::InitAckChunk>(chunk), now);
        break;
      case wire::ChunkType::kCookieAck:
        HandleCookieAck(now);
        break;
      case wire::ChunkType::kSack:
        if (retransmissions_ != nullptr) HandleSack(std::get<wire::SackChunk>(chunk), now);
        break;
      case wire::ChunkType::kHeartbeat:
        HandleHeartbeat(std::get<wire::HeartbeatChunk>(chunk), from);
        break;
      case wire::ChunkType::kHeartbeatAck:
        HandleHeartbeatAck(std::get<wire::HeartbeatAckChunk>(chunk), now);
        break;
      case wire::ChunkType::kAbort:
        HandleAbort(std::get<wire::AbortChunk>(chunk));
        stop = true;
        break;
      case wire::ChunkType::kShutdown:
        HandleShutdown(std::get<wire::ShutdownChunk>(chunk), now);
        break;
      case wire::ChunkType::kShutdownAck:
        HandleShutdownAck();
        break;
      case wire::ChunkType::kShutdownComplete:
        HandleShutdownComplete();
        break;
      case wire::ChunkType::kError:
        HandleError(std::get<wire::ErrorChunk>(chunk), now);
        break;
      case wire::ChunkType::kForwardTsn:
      case wire::ChunkType::kIForwardTsn: {
        if (data_tracker_ == nullptr) break;
        const bool iforward = view.type == wire::ChunkType::kIForwardTsn;
        // RFC 8260 §2.3.1: FORWARD-TSN goes with DATA and I-FORWARD-TSN with I-DATA; the
        // wrong one (or either without PR-SCTP) "MUST abort the association".
        if (!caps_.forward_tsn || iforward != caps_.interleaving) {
          AbortProtocolViolation("unexpected FORWARD-TSN / I-FORWARD-TSN");
          stop = true;
          break;
        }
        if (iforward) {
          HandleIForwardTsn(std::get<wire::IForwardTsnChunk>(chunk));
        } else {
          HandleForwardTsn(std::get<wire::ForwardTsnChunk>(chunk));
        }
        data_seen = true;
        break;
      }
      case wire::ChunkType::kReconfig:
        if (data_tracker_ == nullptr || !caps_.reconfig) {
          // Not negotiated: an unknown chunk for us (§3.2, type 130: skip and report).
          if (!HandleUnknownChunk(view)) stop = true;
          break;
        }
        HandleReconfig(std::get<wire::ReconfigChunk>(chunk), now);
        break;
      case wire::ChunkType::kCookieEcho:
        // Handled by the endpoint before the packet reached us (it needs the cookie key).
        break;
      case wire::ChunkType::kInit:
        // Handled by the endpoint (HandleInit), which sees INIT first.
        break;
      case wire::ChunkType::kPad:
        break;  // RFC 4820 §3: ignored on receipt
      case wire::ChunkType::kEcne:
      case wire::ChunkType::kCwr:
        // ECN is not negotiated (we never send the ECN Capable parameter), so a
        // conforming peer never sends these; ignore them.
        break;
      default:
        if (!HandleUnknownChunk(view)) stop = true;
        break;
    }
  }
  if (closed()) return;
  if (data_seen) AfterPacketWithData(immediate_sack, had_gaps, now);
  MaybeFinishDeferredReset();
  DeliverReceivedMessages();
  Flush(now);
}

bool Association::HandleUnknownChunk(const wire::ChunkView& chunk) {
  // §3.2: the two high bits of the type say whether to skip or stop, and whether to
  // report it in an ERROR chunk with an "Unrecognized Chunk Type" cause.
  const auto action = wire::UnrecognizedChunkAction(chunk.type);
  if (action == wire::UnrecognizedAction::kStopDiscardReport ||
      action == wire::UnrecognizedAction::kSkipReport) {
    // Bound what we echo so the ERROR still fits a packet (§3.3.10.6 echoes the chunk).
    if (size_t{chunk.length} + 8 < MaxPacketSize() - 32) {
      pending_.error_causes.push_back(ToBytes(wire::UnrecognizedChunkTypeCause{chunk.raw()}));
    }
  }
  return action == wire::UnrecognizedAction::kSkip ||
         action == wire::UnrecognizedAction::kSkipReport;
}

void Association::AbortProtocolViolation(std::string_view reason) {
  SendAbort(ToBytes(wire::ProtocolViolationCause{Bytes(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(reason.data()), reason.size()))}));
  Close(CloseReason::kProtocolViolation);
}

Association::IncomingData Association::FromData(const wire::DataChunk& chunk) {
  IncomingData d;
  d.tsn = chunk.tsn;
  d.stream_id = chunk.stream_id;
  d.unordered = chunk.unordered;
  d.beginning = chunk.beginning;
  d.ending = chunk.ending;
  d.immediate_sack = chunk.immediate_sack;
  d.ssn = chunk.ssn;
  d.ppid = chunk.ppid;
  d.user_data = chunk.user_data;
  return d;
}

Association::IncomingData Association::FromIData(const wire::IDataChunk& chunk) {
  IncomingData d;
  d.tsn = chunk.tsn;
  d.stream_id = chunk.stream_id;
  d.unordered = chunk.unordered;
  d.beginning = chunk.beginning;
  d.ending = chunk.ending;
  d.immediate_sack = chunk.immediate_sack;
  d.mid = chunk.mid;
  d.fsn = chunk.fsn;
  d.ppid = chunk.ppid;
  d.user_data = chunk.user_data;
  return d;
}

void Association::HandleData(const IncomingData& data, bool* abort_sent) {
  // §6.2: "If an endpoint receives a DATA chunk with no user data (i.e., the Length field
  // is set to 16), it MUST send an ABORT with an error cause set to 'No User Data'."
  // (RFC 8260 §2.1 keeps the rule for I-DATA.)
  if (data.user_data.empty()) {
    SendAbort(ToBytes(wire::NoUserDataCause{data.tsn}));
    Close(CloseReason::kProtocolViolation);
    *abort_sent = true;
    return;
  }
  ++counters_.data_chunks_received;
  // §6.2: "When the receiver's advertised window is 0, the receiver MUST drop any new
  // incoming DATA chunk with a TSN larger than the largest TSN received so far. However, if
  // the new incoming DATA chunk holds a TSN value less than the largest TSN received so far,
  // then the receiver SHOULD NOT drop it": the next expected TSN filling a gap is taken beyond
  // the window (it lets held data be delivered), nothing else.
  const bool fills_first_gap =
      data.tsn == data_tracker_->cumulative_tsn_ack() + 1 && data_tracker_->has_gaps();
  const bool in_order = data.tsn == data_tracker_->cumulative_tsn_ack() + 1;
  const size_t charge = data.user_data.size() + (in_order ? 0 : kHeldChunkOverhead);
  if (!fills_first_gap && !data_tracker_->IsReceived(data.tsn) && charge > LocalRwnd()) {
    pending_.sack = true;  // tell the peer our real window
    return;
  }
  const rx::DataTracker::Observation seen = data_tracker_->Observe(data.tsn);
  if (seen == rx::DataTracker::Observation::kOutOfWindow) return;
  if (seen == rx::DataTracker::Observation::kDuplicate) {
    pending_.sack = true;  // §6.2: a duplicate is reported immediately
    return;
  }
  // §6.5: a stream id beyond what was negotiated: ERROR "Invalid Stream Identifier"; the
  // TSN is acknowledged but the data discarded.
  if (data.stream_id.value() >= inbound_streams_) {
    pending_.error_causes.push_back(ToBytes(wire::InvalidStreamIdentifierCause{data.stream_id}));
    pending_.sack = true;
    return;
  }
  rx::Fragment fragment;
  fragment.tsn = data.tsn;
  fragment.stream_id = data.stream_id;
  fragment.unordered = data.unordered;
  fragment.beginning = data.beginning;
  fragment.ending = data.ending;
  fragment.ssn = data.ssn;
  fragment.mid = data.mid;
  fragment.fsn = data.fsn;
  fragment.ppid = data.ppid;
  fragment.payload.assign(data.user_data.begin(), data.user_data.end());
  // RFC 6525 §5.2.2 E2: while a reset of the peer's outgoing streams waits for earlier TSNs,
  // later data of those streams is already numbered from SSN 0: hold it until the reset.
  if (HoldForDeferredReset(fragment)) return;
  reassembly_->Add(std::move(fragment));
}

void Association::AfterPacketWithData(bool immediate, bool had_gaps, TimePoint now) {
  // §6.2: SACK at least every second packet with DATA, within 200 ms otherwise; at once
  // when there are gaps or duplicates (§6.7), or when the I bit asks for it (RFC 7053).
  // §5.1: "After the reception of the first DATA chunk in an association the endpoint MUST
  // immediately respond with a SACK to acknowledge the DATA chunk." §7.2.4: "whenever an
  // endpoint notices a hole in the arriving TSN sequence, it SHOULD start sending a SACK
  // chunk back every time a packet arrives carrying data until the hole is filled" — the
  // packet that fills it included.
  ++packets_since_sack_;
  // Not for DATA after the peer's SHUTDOWN: usrsctp drops it without a SACK (ETSI
  // sctp-at-i-2-9).
  const bool first_data =
      !first_data_acknowledged_ && state_ != AssociationState::kShutdownReceived;
  first_data_acknowledged_ = true;
  if (immediate || first_data || had_gaps || data_tracker_->has_gaps() ||
      data_tracker_->has_new_duplicates() || packets_since_sack_ >= options_.sack_frequency ||
      state_ == AssociationState::kShutdownSent) {
    pending_.sack = true;
  } else if (!delayed_ack_.running()) {
    delayed_ack_.deadline = now + options_.sack_delay;
  }
  // §9.2: in SHUTDOWN-SENT every packet with DATA is answered with a SHUTDOWN too, and T2
  // restarts.
  if (state_ == AssociationState::kShutdownSent) {
    pending_.shutdown = true;
    t2_shutdown_.deadline = now + PrimaryPath().rto.rto();
  }
}

void Association::DeliverReceivedMessages() {
  if (reassembly_ == nullptr) return;
  while (std::optional<rx::ReassemblyQueue::Delivery> d = reassembly_->Pop()) {
    undelivered_bytes_ += d->message.payload.size();
    if (d->end_of_message) ++counters_.messages_received;
    context_.Emit(Event{id_, events::MessageReceived{std::move(d->message), d->end_of_message}});
  }
}

void Association::OnMessagesConsumed(size_t bytes, TimePoint now) {
  undelivered_bytes_ -= std::min(bytes, undelivered_bytes_);
  // §6.2 / SWS avoidance (§6.2.1 note): announce a reopened window once it grew by at
  // least one MTU or to half the buffer.
  const uint32_t rwnd = LocalRwnd();
  if (data_tracker_ != nullptr && rwnd > last_advertised_rwnd_ &&
      (rwnd - last_advertised_rwnd_ >= MaxPacketSize() || rwnd >= options_.receive_window / 2) &&
      last_advertised_rwnd_ < options_.receive_window / 2) {
    pending_.sack = true;
    Flush(now);
  }
}

uint32_t Association::LocalRwnd() const {
  size_t used = undelivered_bytes_;
  if (reassembly_ != nullptr) used += reassembly_->buffered_bytes();
  // Chunks held out of order cost memory beyond their payload: each is charged a fixed
  // overhead, so a peer sending tiny chunks after a gap cannot make us hold far more than the
  // window (usrsctp charges an mbuf per chunk for the same reason).
  if (data_tracker_ != nullptr) {
    used += data_tracker_->received_above_cumulative() * kHeldChunkOverhead;
  }
  if (reconfig_ && reconfig_->deferred_reset_) {
    used += reconfig_->deferred_reset_->held_bytes;  // RFC 6525 §5.2.2 E2
  }
  return used >= options_.receive_window ? 0
                                         : static_cast<uint32_t>(options_.receive_window - used);
}

void Association::HandleSack(const wire::SackChunk& sack, TimePoint now) {
  if (state_ == AssociationState::kCookieWait || state_ == AssociationState::kCookieEchoed) return;
  const tx::RetransmissionQueue::SackResult result =
      retransmissions_->HandleSack(sack.cumulative_tsn_ack, sack.a_rwnd, sack.gap_ack_blocks, now);
  if (result.acks_unsent_tsn) {
    // §12: "An SCTP implementation MUST abort the association if it receives a SACK chunk
    // acknowledging a TSN that has not been sent."
    AbortProtocolViolation("SACK acknowledges a TSN that was not sent");
    return;
  }
  if (result.ignored) return;
  sack_since_t3_ = true;
  ApplySackResult(result, now);
}

void Association::ApplySackResult(const tx::RetransmissionQueue::SackResult& result,
                                  TimePoint now) {
  for (const auto& [path_id, rtt] : result.rtt_samples) {
    if (path_id < paths_.size()) paths_[path_id]->rto.OnRttMeasurement(rtt);
  }
  for (PathId path_id : result.paths_with_acked_data) {
    if (path_id >= paths_.size()) continue;
    // §8.3 / §8.1: acknowledged data clears the destination's and the association's
    // error counters.
    MarkPathAlive(*paths_[path_id]);
    association_error_count_ = 0;
  }
  for (PathId path_id : result.paths_restart_t3) {
    // §6.3.2 R3: the earliest outstanding TSN of the path was acked: restart its T3.
    if (path_id < paths_.size())
      paths_[path_id]->t3_rtx.deadline = now + paths_[path_id]->rto.rto();
  }
  for (PathId path_id : result.paths_reneged) {
    // §6.3.2 R4: the peer reneged on gap-acked data: T3 must run.
    if (path_id < paths_.size()) StartT3IfNeeded(*paths_[path_id], now);
  }
  for (PathId path_id : result.paths_all_acked) {
    // §6.3.2 R2: all outstanding data to a path acknowledged: stop its T3.
    if (path_id < paths_.size()) paths_[path_id]->t3_rtx.Stop();
  }
  // §7.2.4 step 3: the first fast retransmission goes out now, regardless of cwnd.
  if (result.entered_fast_recovery) fast_recovery_packet_ = true;
  if (result.fast_retransmit) ++counters_.fast_retransmissions;
  // PR-SCTP (RFC 3758 §3.5 C1–C3): abandon what expired and move the ack point.
  ReportSendFailures();
  // C2: "If, after step C1, the Advanced.Peer.Ack.Point is greater than the Cumulative TSN
  // ACK carried in the received SACK, the data sender MUST send the data receiver a FORWARD
  // TSN chunk": one per SACK.
  if (caps_.forward_tsn && retransmissions_->NeedsForwardTsn()) pending_.forward_tsn = true;
  MaybeStartShutdown(now);
  MaybeSenderDry();
}

void Association::ReportSendFailures() {
  if (retransmissions_ == nullptr || send_queue_ == nullptr) return;
  // A message abandoned after some of it was sent may still have unsent fragments in the send
  // queue: those are dropped too (RFC 3758 §3.5 A3) and the message is reported once, below.
  for (const auto& abandoned : retransmissions_->AbandonExpired(last_now_)) {
    if (send_queue_->DiscardRemaining(abandoned.message_id, abandoned.policy)) continue;
    events::SendFailed failed;
    failed.stream_id = abandoned.stream_id;
    failed.ppid = abandoned.ppid;
    failed.context = abandoned.context;
    failed.was_sent = true;
    failed.abandoned_by = abandoned.policy;
    CountAbandoned(failed);
    context_.Emit(Event{id_, std::move(failed)});
  }
  // RFC 3758 §3.5 C2: a FORWARD TSN once the Advanced.Peer.Ack.Point moved past what the last
  // one announced. Not again for every packet while the peer has not caught up (that fed back
  // on itself: each SACK drew a burst of FORWARD TSNs, each of those a SACK; found by
  // fuzz_association); repeats come from SACKs (C2, below in ApplySackResult) and T3-rtx.
  if (caps_.forward_tsn && retransmissions_->NeedsForwardTsn() &&
      forward_tsn_announced_ != retransmissions_->advanced_peer_ack_point()) {
    pending_.forward_tsn = true;
  }
  for (auto& abandoned : send_queue_->TakeAbandoned()) {
    events::SendFailed failed;
    failed.stream_id = abandoned.stream_id;
    failed.ppid = abandoned.ppid;
    failed.context = abandoned.context;
    failed.was_sent = abandoned.partially_sent;
    failed.payload = std::move(abandoned.unsent_payload);
    failed.abandoned_by = abandoned.policy;
    CountAbandoned(failed);
    context_.Emit(Event{id_, std::move(failed)});
  }
}

void Association::CountAbandoned(const events::SendFailed& failed) {
  // RFC 7496 §4: counters per policy, for the association and per stream.
  if (failed.abandoned_by == PrPolicy::kNone) return;
  const auto policy = static_cast<size_t>(failed.abandoned_by);
  if (!pr_stats_) pr_stats_ = std::make_unique<PrStats>();
  for (PrStatus* status : {&pr_stats_->total, &pr_stats_->by_stream[failed.stream_id.value()]}) {
    ++(failed.was_sent ? status->abandoned_sent : status->abandoned_unsent)[policy];
  }
}

std::optional<PrStatus> Association::GetStreamPrStatus(StreamId stream) const {
  if (!pr_stats_) return PrStatus{};
  auto it = pr_stats_->by_stream.find(stream.value());
  return it == pr_stats_->by_stream.end() ? PrStatus{} : it->second;
}

void Association::MaybeSenderDry() {
  if (send_queue_ == nullptr || retransmissions_ == nullptr) return;
  const bool dry = send_queue_->empty() && retransmissions_->empty();
  if (dry && !sender_dry_reported_) {
    sender_dry_reported_ = true;
    context_.Emit(Event{id_, events::SenderDry{}});
  } else if (!dry) {
    sender_dry_reported_ = false;
  }
}

void Association::HandleForwardTsn(const wire::ForwardTsnChunk& forward_tsn) {
  // RFC 3758 §3.6: move the cumulative TSN ack point, skip the listed SSNs, deliver what
  // became deliverable, and SACK at once.
  if (!data_tracker_->ForwardTo(forward_tsn.new_cumulative_tsn)) return;
  std::vector<wire::ForwardTsnStream> streams(forward_tsn.streams.begin(),
                                              forward_tsn.streams.end());
  for (StreamId aborted : reassembly_->HandleForwardTsn(forward_tsn.new_cumulative_tsn, streams)) {
    context_.Emit(Event{id_, events::PartialDeliveryAborted{aborted}});
  }
  pending_.sack = true;
}

void Association::HandleIForwardTsn(const wire::IForwardTsnChunk& forward_tsn) {
  // RFC 8260 §2.3.1: as FORWARD TSN, per (stream, U bit, MID).
  if (!data_tracker_->ForwardTo(forward_tsn.new_cumulative_tsn)) return;
  std::vector<wire::IForwardTsnStream> streams(forward_tsn.streams.begin(),
                                               forward_tsn.streams.end());
  for (StreamId aborted : reassembly_->HandleIForwardTsn(forward_tsn.new_cumulative_tsn, streams)) {
    context_.Emit(Event{id_, events::PartialDeliveryAborted{aborted}});
  }
  pending_.sack = true;
}

void Association::HandleHeartbeat(const wire::HeartbeatChunk& heartbeat, const Address& from) {
  // §8.3: answer at once with a HEARTBEAT ACK carrying the Heartbeat Info unchanged, "sent
  // to the source IP address of the IP datagram containing the HEARTBEAT chunk".
  wire::TlvReader reader = heartbeat.reader();
  wire::TlvView tlv;
  if (!reader.Next(&tlv) || tlv.type != wire::ParameterType::kHeartbeatInfo ||
      size_t{tlv.length} + 4 + wire::kCommonHeaderSize > MaxPacketSize()) {
    return;
  }
  const wire::HeartbeatAckChunk ack{false, tlv.raw()};
  if (const Path* path = FindPath(from)) {
    SendSingleChunkPacket(ack, *path, peer_tag_);
  } else {
    Path reply(options_);
    reply.address = from;
    SendSingleChunkPacket(ack, reply, peer_tag_);
  }
}

void Association::HandleHeartbeatAck(const wire::HeartbeatAckChunk& ack, TimePoint now) {
  wire::TlvReader reader = ack.reader();
  wire::TlvView tlv;
  if (!reader.Next(&tlv) || tlv.type != wire::ParameterType::kHeartbeatInfo ||
      tlv.value.size() != kHeartbeatInfoSize) {
    return;
  }
  const uint32_t path_id = wire::Load32(tlv.value.data());
  const uint64_t nonce = wire::Load64(tlv.value.data() + 4);
  if (path_id >= paths_.size()) return;
  Path& path = *paths_[path_id];
  if (pmtu_ != nullptr && pmtu_probe_.outstanding && nonce == pmtu_probe_.nonce &&
      path_id == pmtu_probe_.path) {
    // RFC 8899 §6.2.1.2: "The reception of the HEARTBEAT ACK chunk acknowledges reception of
    // a successful probe. A successful probe updates the association and path counters".
    pmtu_probe_.outstanding = false;
    association_error_count_ = 0;
    MarkPathAlive(path);
    pmtu_->OnProbeAcked(pmtu_probe_.size, now);
    return;
  }
  // Accept only the answer to the heartbeat we sent last (the nonce), so a forged ACK
  // cannot confirm an address (§5.4, §8.3).
  if (!path.heartbeat_outstanding || nonce != path.heartbeat_nonce) return;
  path.heartbeat_outstanding = false;
  // §8.3: "the sender of the HEARTBEAT ... SHOULD clear the error counter of the
  // destination" and update the RTT.
  path.rto.OnRttMeasurement(now - path.heartbeat_sent_at);
  association_error_count_ = 0;
  if (!path.confirmed) {
    path.confirmed = true;
    context_.Emit(Event{id_, events::PeerAddressChange{
                                 path.address, events::PeerAddressChange::State::kConfirmed}});
  }
  MarkPathAlive(path);
  ScheduleHeartbeat(path, now);
}

void Association::HandleAbort(const wire::AbortChunk& abort) {
  // §9.1: no response to an ABORT; the association is gone. The endpoint already checked
  // the tag per §8.5.1 B.
  Close(CloseReason::kPeerAbort, abort.tlvs.span());
}

void Association::HandleShutdown(const wire::ShutdownChunk& shutdown, TimePoint now) {
  if (retransmissions_ == nullptr) return;
  switch (state_) {
    case AssociationState::kEstablished:
    case AssociationState::kShutdownPending:
    case AssociationState::kShutdownReceived: {
      // §9.2: the Cumulative TSN Ack acknowledges data like a SACK without gaps.
      const wire::PackedArray<wire::GapAckBlock> none;
      const tx::RetransmissionQueue::SackResult result = retransmissions_->HandleSack(
          shutdown.tsn,
          retransmissions_->peer_rwnd() +
              static_cast<uint32_t>(retransmissions_->outstanding_bytes()),
          none, now, /*reports_gaps=*/false);
      if (result.acks_unsent_tsn) {
        AbortProtocolViolation("SHUTDOWN acknowledges a TSN that was not sent");
        return;
      }
      // The timers follow the acknowledgement as for a SACK (§6.3.2 R2/R3).
      if (!result.ignored) ApplySackResult(result, now);
      if (closed()) return;
      if (state_ != AssociationState::kShutdownReceived) {
        state_ = AssociationState::kShutdownReceived;
        context_.Emit(Event{id_, events::PeerShutdown{}});
      }
      MaybeStartShutdown(now);
      break;
    }
    case AssociationState::kShutdownSent:
      // §9.2: both sides shut down: answer with SHUTDOWN ACK at once.
      state_ = AssociationState::kShutdownAckSent;
      pending_.shutdown_ack = true;
      t2_shutdown_.deadline = now + PrimaryPath().rto.rto();
      t2_shutdown_.attempts = 0;
      break;
    default:
      break;
  }
}

void Association::HandleShutdownAck() {
  if (state_ != AssociationState::kShutdownSent && state_ != AssociationState::kShutdownAckSent) {
    return;  // COOKIE-WAIT/ECHOED are handled by the endpoint as OOTB (§8.5.1 E)
  }
  // §9.2: stop T2, send SHUTDOWN COMPLETE, remove the association.
  SendSingleChunkPacket(wire::ShutdownCompleteChunk{false}, PrimaryPath(), peer_tag_);
  Close(CloseReason::kShutdownComplete);
}

void Association::HandleShutdownComplete() {
  // §8.5.1 C: only in SHUTDOWN-ACK-SENT.
  if (state_ != AssociationState::kShutdownAckSent) return;
  Close(CloseReason::kShutdownComplete);
}

void Association::HandleError(const wire::ErrorChunk& error, TimePoint now) {
  wire::TlvReader reader = error.reader();
  wire::TlvView tlv;
  while (reader.Next(&tlv)) {
    if (tlv.type == wire::ErrorCauseCode::kStaleCookieError &&
        state_ == AssociationState::kCookieEchoed) {
      // §5.2.6: start over with a new INIT carrying a Cookie Preservative, unless we have
      // tried too often.
      auto stale = wire::StaleCookieErrorCause::Parse(tlv);
      if (++t1_.attempts > options_.max_init_retransmits) {
        Close(CloseReason::kInitFailed);
        return;
      }
      cookie_preservative_ = true;
      if (stale.ok()) {
        stale_extension_ = std::chrono::microseconds(stale->measure_of_staleness_us) * 2;
      }
      state_ = AssociationState::kCookieWait;
      retransmissions_.reset();
      data_tracker_.reset();
      reassembly_.reset();
      SendInit(now);
      return;
    }
    events::RemoteError remote;
    remote.cause_code = tlv.type;
    const Bytes raw = tlv.raw();
    remote.cause.assign(raw.begin(), raw.end());
    context_.Emit(Event{id_, std::move(remote)});
  }
}

// ---------------------------------------------------------------------------------------
// Application calls

absl::Status Association::Send(StreamId stream, Ppid ppid, std::vector<uint8_t> payload,
                               const SendOptions& options, TimePoint now) {
  last_now_ = now;
  switch (state_) {
    case AssociationState::kCookieWait:
    case AssociationState::kCookieEchoed:
    case AssociationState::kEstablished:
      break;
    default:
      // §9.2: after a shutdown request no new data is accepted.
      return absl::FailedPreconditionError("association is shutting down or closed");
  }
  if (payload.empty()) return absl::InvalidArgumentError("empty message");
  if (payload.size() > options_.max_message_size) {
    return absl::InvalidArgumentError("message larger than max_message_size");
  }
  if (send_queue_ == nullptr) {
    // Before the handshake completes the stream count is not known: queue with the most
    // we asked for; SetOutboundStreams narrows it later.
    send_queue_ =
        std::make_unique<tx::SendQueue>(false, static_cast<tx::StreamScheduler>(options_.scheduler),
                                        options_.outbound_streams, options_.send_buffer_size);
  }
  tx::OutgoingMessage message;
  message.stream_id = stream;
  message.ppid = ppid;
  message.unordered = options.unordered;
  message.immediate_sack = options.immediate_sack;
  message.payload = std::move(payload);
  if (options.lifetime) message.expires_at = now + *options.lifetime;
  message.max_retransmissions = options.max_retransmissions;
  message.pr_priority = options.priority;
  message.context = options.context;
  // RFC 7496 §3.2: "When storing a user message in the send buffer while there is not enough
  // available space, the SCTP stack at the sender side MAY abandon other user message(s) ...
  // with a priority lower than the provided one."
  if (options.priority && caps_.forward_tsn) {
    const size_t wanted = send_queue_->buffered_bytes() + message.payload.size();
    if (wanted > options_.send_buffer_size &&
        send_queue_->AbandonForSpace(wanted - options_.send_buffer_size, *options.priority) > 0) {
      ReportSendFailures();
    }
  }
  switch (send_queue_->Add(std::move(message))) {
    case tx::SendQueue::AddResult::kOk:
      break;
    case tx::SendQueue::AddResult::kInvalidStream:
      return absl::InvalidArgumentError("stream id beyond the negotiated outbound streams");
    case tx::SendQueue::AddResult::kTooLarge:
      return absl::InvalidArgumentError("message larger than the send buffer");
    case tx::SendQueue::AddResult::kBufferFull:
      return absl::ResourceExhaustedError("send buffer full");
    case tx::SendQueue::AddResult::kEmpty:
      return absl::InvalidArgumentError("empty message");
  }
  ++counters_.messages_sent;
  sender_dry_reported_ = false;
  Flush(now);
  return absl::OkStatus();
}

absl::Status Association::Shutdown(TimePoint now) {
  last_now_ = now;
  switch (state_) {
    case AssociationState::kCookieWait:
    case AssociationState::kCookieEchoed:
      // Shut down right after establishment.
      shutdown_requested_ = true;
      return absl::OkStatus();
    case AssociationState::kEstablished:
      // §9.2: SHUTDOWN-PENDING until all outstanding data is acknowledged.
      state_ = AssociationState::kShutdownPending;
      MaybeStartShutdown(now);
      Flush(now);
      return absl::OkStatus();
    case AssociationState::kClosed:
      return absl::FailedPreconditionError("association is closed");
    default:
      return absl::OkStatus();  // already shutting down
  }
}

void Association::Abort(std::span<const uint8_t> reason, TimePoint /*now*/) {
  if (closed()) return;
  // §9.1: ABORT with a "User-Initiated Abort" cause; never bundled with DATA.
  if (state_ != AssociationState::kCookieWait) {
    SendAbort(ToBytes(wire::UserInitiatedAbortCause{Bytes(reason)}));
  }
  Close(CloseReason::kUserAbort);
}

void Association::MaybeStartShutdown(TimePoint now) {
  if (send_queue_ != nullptr && !send_queue_->empty()) return;
  if (retransmissions_ != nullptr && !retransmissions_->empty()) return;
  if (state_ == AssociationState::kShutdownPending) {
    // §9.2: all data acknowledged: send SHUTDOWN, start T2-shutdown and T5-shutdown-guard.
    state_ = AssociationState::kShutdownSent;
    pending_.shutdown = true;
    t2_shutdown_.deadline = now + PrimaryPath().rto.rto();
    t2_shutdown_.attempts = 0;
    t5_guard_.deadline = now + 5 * options_.rto_max;
  } else if (state_ == AssociationState::kShutdownReceived) {
    // §9.2: all data acknowledged: send SHUTDOWN ACK and start T2-shutdown.
    state_ = AssociationState::kShutdownAckSent;
    pending_.shutdown_ack = true;
    t2_shutdown_.deadline = now + PrimaryPath().rto.rto();
    t2_shutdown_.attempts = 0;
  }
}

void Association::SendAbort(std::span<const uint8_t> causes) {
  if (paths_.empty()) return;
  wire::AbortChunk abort;
  abort.tlvs = Bytes(causes);
  // §8.5.1 B: the peer's tag, T bit clear.
  SendSingleChunkPacket(abort, PrimaryPath(), peer_tag_);
}

void Association::Close(CloseReason reason, std::span<const uint8_t> abort_causes) {
  if (closed()) return;
  // Messages still queued will never be sent (RFC 6458 §6.1.4: SEND_FAILED for each).
  if (send_queue_ != nullptr && reason != CloseReason::kShutdownComplete) {
    send_queue_->DiscardAll();
    ReportSendFailures();
  }
  state_ = AssociationState::kClosed;
  t1_.Stop();
  t2_shutdown_.Stop();
  t5_guard_.Stop();
  delayed_ack_.Stop();
  if (reconfig_) reconfig_->reconfig_timer_.Stop();
  for (auto& p : paths_) {
    p->t3_rtx.Stop();
    p->heartbeat.Stop();
  }
  events::AssociationClosed closed_event;
  closed_event.reason = reason;
  closed_event.was_established = was_established_;
  closed_event.abort_causes.assign(abort_causes.begin(), abort_causes.end());
  context_.Emit(Event{id_, std::move(closed_event)});
}

// ---------------------------------------------------------------------------------------
// Timers

TimePoint Association::NextDeadline() const {
  if (closed()) return kNever;
  TimePoint next =
      std::min({t1_.deadline, t2_shutdown_.deadline, t5_guard_.deadline, delayed_ack_.deadline,
                reconfig_ ? reconfig_->reconfig_timer_.deadline : kNever});
  for (const auto& p : paths_) {
    next = std::min({next, p->t3_rtx.deadline, p->heartbeat.deadline});
  }
  if (state_ != AssociationState::kCookieWait && state_ != AssociationState::kCookieEchoed) {
    next = std::min(next, MessageExpiry());
  }
  if (pmtu_ != nullptr && state_ == AssociationState::kEstablished) {
    next = std::min(next, pmtu_->deadline());
  }
  return next;
}

void Association::HandleTimeout(TimePoint now) {
  last_now_ = now;
  if (closed()) return;
  if (t1_.deadline <= now) {
    t1_.Stop();
    // §5.1 / §6.3.3: retransmit INIT or COOKIE ECHO with exponential backoff, up to
    // Max.Init.Retransmits, then give up.
    if (++t1_.attempts > options_.max_init_retransmits) {
      // §5.1 C only asks to report the failure; like usrsctp we also tell the peer, which
      // knows our tag once it has answered INIT (ETSI sctp-as-i-1-3-2).
      if (state_ == AssociationState::kCookieEchoed) SendAbort({});
      Close(CloseReason::kInitFailed);
      return;
    }
    PrimaryPath().rto.BackOff();
    if (state_ == AssociationState::kCookieWait && paths_.size() > 1) {
      // RFC 6458 §9.9: with several peer addresses from the user, the stack "will try to make
      // use of all of the addresses in the list when needed"; as §6.4 does for DATA, the
      // retransmitted INIT goes to the next address. The one that answers stays primary.
      primary_path_ = static_cast<PathId>((primary_path_ + 1) % paths_.size());
    }
    if (state_ == AssociationState::kCookieWait) SendInit(now);
    if (state_ == AssociationState::kCookieEchoed) SendCookieEcho(now);
  }
  if (reconfig_ && reconfig_->reconfig_timer_.deadline <= now) {
    HandleReconfigTimeout(now);
    if (closed()) return;
  }
  if (t5_guard_.deadline <= now) {
    // §9.2: T5-shutdown-guard expired: ABORT.
    SendAbort({});
    Close(CloseReason::kShutdownGuardExpired);
    return;
  }
  if (t2_shutdown_.deadline <= now) {
    // §9.2: retransmit SHUTDOWN / SHUTDOWN ACK; each expiry counts as an error (§8.1).
    t2_shutdown_.Stop();
    Path& path = PrimaryPath();
    OnPathError(path);
    if (closed()) return;
    path.rto.BackOff();
    if (state_ == AssociationState::kShutdownSent) pending_.shutdown = true;
    if (state_ == AssociationState::kShutdownAckSent) pending_.shutdown_ack = true;
    t2_shutdown_.deadline = now + path.rto.rto();
  }
  if (delayed_ack_.deadline <= now) {
    delayed_ack_.Stop();
    pending_.sack = true;
  }
  for (size_t i = 0; i < paths_.size() && !closed(); ++i) {
    Path& path = *paths_[i];
    if (path.t3_rtx.deadline <= now) {
      // §6.3.3 E1–E3: back off RTO, mark the path's outstanding data for retransmission,
      // cut cwnd; count the error.
      path.t3_rtx.Stop();
      ++counters_.t3_expirations;
      path.rto.BackOff();
      // §6.1 A: "If the sender continues to receive SACKs from the peer while doing zero
      // window probing, the unacknowledged window probes SHOULD NOT increment the error
      // counter for the association or any destination transport address." (Judged before
      // the expiry gives the probe's bytes back to rwnd, §6.2.1 C.)
      const bool zero_window_probe = retransmissions_->peer_rwnd() == 0 && sack_since_t3_;
      sack_since_t3_ = false;
      retransmissions_->HandleT3Expiry(path.id);
      // §6.4.1: "retransmit to an active destination transport address that is different
      // from the last destination address to which the DATA chunk was sent".
      if (Path* alternate = AlternatePath(path.id)) t3_alternate_ = alternate->id;
      if (!zero_window_probe) OnPathError(path);
      if (closed()) return;
      ReportSendFailures();
      // RFC 3758 §3.5 C3: the FORWARD TSN is retransmitted when T3-rtx expires.
      if (caps_.forward_tsn && retransmissions_->NeedsForwardTsn()) pending_.forward_tsn = true;
    }
    if (path.heartbeat.deadline <= now) {
      path.heartbeat.Stop();
      // §8.3: heartbeats probe *idle* destinations. A path carrying data is watched by
      // T3-rtx instead; counting a heartbeat loss there too would double-count errors.
      const bool busy = retransmissions_ != nullptr && retransmissions_->HasOutstanding(path.id);
      if (busy && path.confirmed) {
        path.heartbeat_outstanding = false;
        ScheduleHeartbeat(path, now);
        continue;
      }
      if (path.heartbeat_outstanding) {
        // §8.3: an unanswered heartbeat counts as an error for the path.
        path.heartbeat_outstanding = false;
        path.rto.BackOff();
        OnPathError(path);
        if (closed()) return;
      }
      SendHeartbeat(path, now);
    }
  }
  if (pmtu_ != nullptr && state_ == AssociationState::kEstablished && pmtu_->deadline() <= now) {
    if (const auto size = pmtu_->OnDeadline(now)) SendPmtuProbe(*size, now);
  }
  if (MessageExpiry() <= now) {
    // RFC 3758 §4.1 TR5: "The sending SCTP MAY evaluate the lifetime of messages at anytime":
    // at the lifetime's end, so the upper layer hears of it on time.
    send_queue_->ExpireUntil(now);
    ReportSendFailures();
  }
  Flush(now);
}

TimePoint Association::MessageExpiry() const {
  if (send_queue_ == nullptr || retransmissions_ == nullptr) return kNever;
  return std::min(send_queue_->NextExpiry(), retransmissions_->NextExpiry());
}

// ---------------------------------------------------------------------------------------
// Paths (§8)

Association::Path* Association::FindPath(const Address& address) {
  for (auto& p : paths_) {
    if (p->address == address) return p.get();
  }
  return nullptr;
}

Association::Path* Association::AddPath(const Address& address, TimePoint now) {
  auto path = std::make_unique<Path>(options_);
  path->id = static_cast<PathId>(paths_.size());
  path->address = address;
  if (retransmissions_ != nullptr) retransmissions_->AddPath(path->id, MaxPacketSize());
  paths_.push_back(std::move(path));
  Path* added = paths_.back().get();
  if (state_ == AssociationState::kEstablished) ScheduleHeartbeat(*added, now);
  return added;
}

Association::Path& Association::PrimaryPath() {
  // §6.4: send to the primary path while it is active, otherwise to another active,
  // confirmed one (§5.4: never to unconfirmed addresses).
  Path& primary = *paths_[primary_path_];
  if (primary.active) return primary;
  for (auto& p : paths_) {
    if (p->active && p->confirmed) return *p;
  }
  return primary;
}

Association::Path* Association::AlternatePath(PathId avoid) {
  for (auto& p : paths_) {
    if (p->id != avoid && p->active && p->confirmed) return p.get();
  }
  return nullptr;
}

void Association::OnPathError(Path& path) {
  ++path.error_count;
  ++association_error_count_;
  // §8.1: too many consecutive errors: the peer is unreachable. The ABORT (as usrsctp sends;
  // §8.1 only requires reporting the failure) ends the association at the peer too, should
  // it still hear us.
  if (association_error_count_ > options_.association_max_retrans) {
    SendAbort({});
    Close(CloseReason::kTooManyRetransmissions);
    return;
  }
  // §8.2: Path.Max.Retrans exceeded: the destination is inactive.
  if (path.active && path.error_count > options_.path_max_retrans) {
    path.active = false;
    if (retransmissions_ != nullptr) retransmissions_->OnPathInactive(path.id);
    context_.Emit(Event{id_, events::PeerAddressChange{
                                 path.address, events::PeerAddressChange::State::kUnreachable}});
  }
}

void Association::MarkPathAlive(Path& path) {
  path.error_count = 0;
  if (!path.active) {
    path.active = true;
    context_.Emit(Event{id_, events::PeerAddressChange{
                                 path.address, events::PeerAddressChange::State::kAvailable}});
  }
}

void Association::ScheduleHeartbeat(Path& path, TimePoint now) {
  // §8.3: heartbeat an idle destination every RTO + HB.interval, with jitter of ±50% of
  // the RTO. Unconfirmed addresses (§5.4) are probed after one RTO.
  if (!options_.heartbeats_enabled && path.confirmed) return;
  const Duration rto = path.rto.rto();
  if (!path.confirmed) {
    path.heartbeat.deadline = now + rto / 2;
    return;
  }
  const int64_t jitter_range = std::max<int64_t>(rto.count(), 1);
  const int64_t jitter =
      static_cast<int64_t>(context_.RandomU32() % jitter_range) - jitter_range / 2;
  path.heartbeat.deadline = now + rto + options_.heartbeat_interval + Duration(jitter);
}

uint64_t Association::NextHeartbeatNonce() {
  // Random high half (unguessable), counter low half (never repeats).
  return (uint64_t{context_.RandomU32()} << 32) | next_heartbeat_nonce_++;
}

std::vector<uint8_t> Association::HeartbeatInfo(PathId path, uint64_t nonce) {
  // Our Heartbeat Info (§3.3.5, opaque to the peer): path id, nonce.
  uint8_t info[kHeartbeatInfoSize];
  wire::Store32(info, path);
  wire::Store32(info + 4, static_cast<uint32_t>(nonce >> 32));
  wire::Store32(info + 8, static_cast<uint32_t>(nonce));
  return ToBytes(wire::HeartbeatInfoParameter{Bytes(std::span<const uint8_t>(info))});
}

void Association::SendHeartbeat(Path& path, TimePoint now) {
  path.heartbeat_nonce = NextHeartbeatNonce();
  const std::vector<uint8_t> tlv = HeartbeatInfo(path.id, path.heartbeat_nonce);
  wire::HeartbeatChunk heartbeat{false, Bytes(tlv)};
  SendSingleChunkPacket(heartbeat, path, peer_tag_);
  path.heartbeat_outstanding = true;
  path.heartbeat_sent_at = now;
  // The next one: after RTO (unanswered → error) or the regular interval.
  path.heartbeat.deadline =
      now + path.rto.rto() + (path.confirmed ? options_.heartbeat_interval : Duration::zero());
}

void Association::SendPmtuProbe(size_t size, TimePoint now) {
  // RFC 8899 §6.2.1.2: "Probe packets consist of an SCTP common header followed by a
  // HEARTBEAT chunk and a PAD chunk. The PAD chunk is used to control the length of the probe
  // packet." Our Heartbeat Info names the path and a fresh nonce, which the answer must echo.
  Path& path = PrimaryPath();
  const uint64_t nonce = NextHeartbeatNonce();
  const std::vector<uint8_t> tlv = HeartbeatInfo(path.id, nonce);
  const wire::HeartbeatChunk heartbeat{false, Bytes(tlv)};
  const size_t used = wire::kCommonHeaderSize + wire::PaddedLength(heartbeat.WireLength());
  if (size < used + 4) return;  // sizes are at least BASE_PLPMTU: cannot happen
  // RFC 4820 §3: "The Padding Data ... MUST be ignored by the receiver"; zeros.
  const std::vector<uint8_t> padding(size - used - 4, 0);
  wire::PacketBuilder builder(context_.PacketScratch(size),
                              wire::CommonHeader{local_port_, peer_port_, peer_tag_, 0}, size);
  builder.Add(heartbeat);
  builder.Add(wire::PadChunk{Bytes(padding)});
  EmitPacket(path, builder.Finish(caps_.zero_checksum));
  pmtu_probe_ = PmtuProbe{nonce, path.id, size, true};
  ++counters_.pmtu_probes_sent;
  pmtu_->OnProbeSent(now, path.rto.rto());
}

void Association::StartT3IfNeeded(Path& path, TimePoint now) {
  // §6.3.2 R1: start T3 when sending data to a path whose timer is not running.
  if (!path.t3_rtx.running()) path.t3_rtx.deadline = now + path.rto.rto();
}

// ---------------------------------------------------------------------------------------
// Sending

void Association::SendSingleChunkPacket(const wire::AnyChunk& chunk, const Path& path,
                                        VerificationTag tag) {
  const std::span<uint8_t> buffer = context_.PacketScratch(std::max<size_t>(MaxPacketSize(), 64));
  wire::PacketBuilder builder(buffer, wire::CommonHeader{local_port_, peer_port_, tag, 0},
                              buffer.size());
  if (!wire::AddChunk(builder, chunk)) {
    // Only our own chunks go here; they are sized to fit. Larger: build a bigger buffer.
    std::vector<uint8_t> big(wire::kCommonHeaderSize + wire::PaddedLength(wire::WireLength(chunk)));
    wire::PacketBuilder big_builder(big, wire::CommonHeader{local_port_, peer_port_, tag, 0},
                                    big.size());
    wire::AddChunk(big_builder, chunk);
    EmitPacket(path, big_builder.Finish(UseZeroChecksum(chunk)));
    return;
  }
  EmitPacket(path, builder.Finish(UseZeroChecksum(chunk)));
}

events::NegotiatedExtensions Association::NegotiatedExtensions() const {
  return events::NegotiatedExtensions{caps_.forward_tsn, caps_.reconfig, caps_.interleaving,
                                      caps_.zero_checksum};
}

bool Association::UseZeroChecksum(const wire::AnyChunk& chunk) const {
  // RFC 9653 §5.2: zero checksum only once the peer announced it accepts it, and "when an
  // endpoint sends a packet containing a COOKIE ECHO chunk, it MUST include a correct CRC32c
  // checksum" (INIT and OOTB replies are the endpoint's, always with CRC32c).
  return caps_.zero_checksum && !std::holds_alternative<wire::CookieEchoChunk>(chunk);
}

void Association::EmitPacket(const Path& path, std::span<const uint8_t> packet) {
  ++counters_.packets_sent;
  context_.SendPacket(path.local_address, path.address, packet);
}

void Association::Flush(TimePoint now) {
  last_now_ = now;
  if (closed() || paths_.empty()) return;
  if (state_ == AssociationState::kCookieWait || state_ == AssociationState::kCookieEchoed) {
    return;  // nothing but INIT / COOKIE ECHO until established
  }
  MaybeSendReconfigRequest(now);  // RFC 6525: the next queued request, if none is in flight
  // §6.1 / §7.2: at most Max.Burst packets of new data per call.
  // §7.2.1: a path idle for an RTO restarts from a smaller window.
  if (retransmissions_ != nullptr) {
    retransmissions_->MaybeDecayIdleCwnd(PrimaryPath().id, now, PrimaryPath().rto.rto());
  }
  for (int burst = 0; burst < options_.max_burst + 16; ++burst) {
    Path* chosen = &PrimaryPath();
    if (pending_.sack && reply_path_.has_value() && *reply_path_ < paths_.size()) {
      chosen = paths_[*reply_path_].get();  // §6.4: the SACK goes where the DATA came from
    } else if (t3_alternate_.has_value()) {
      if (retransmissions_ != nullptr && retransmissions_->HasRetransmissions(*t3_alternate_) &&
          paths_[*t3_alternate_]->active) {
        chosen = paths_[*t3_alternate_].get();
      } else {
        t3_alternate_.reset();
      }
    }
    Path& path = *chosen;
    wire::PacketBuilder builder(context_.PacketScratch(std::max<size_t>(MaxPacketSize(), 64)),
                                wire::CommonHeader{local_port_, peer_port_, peer_tag_, 0},
                                MaxPacketSize());
    bool sent_data = false;
    FillPacket(path, builder, now, &sent_data);
    if (builder.empty()) break;
    EmitPacket(path, builder.Finish(caps_.zero_checksum));
    if (sent_data) {
      path.last_data_sent = now;
      StartT3IfNeeded(path, now);
      if (send_queue_ != nullptr) send_queue_->OnPacketFinished();
    }
    if (burst >= options_.max_burst && sent_data) break;
  }
  MaybeSenderDry();
}

bool Association::AddDataChunk(wire::PacketBuilder& builder, Tsn tsn, const tx::OutgoingFragment& f,
                               bool immediate_sack) {
  if (caps_.interleaving) {
    // RFC 8260 §2.1: the first fragment carries the PPID, the others their FSN.
    wire::IDataChunk data;
    data.tsn = tsn;
    data.stream_id = f.stream_id;
    data.mid = f.mid;
    if (f.beginning) {
      data.ppid = f.ppid;
    } else {
      data.fsn = f.fsn;
    }
    data.unordered = f.unordered;
    data.beginning = f.beginning;
    data.ending = f.ending;
    data.immediate_sack = immediate_sack;
    data.user_data = Bytes(f.data());
    return builder.Add(data);
  }
  wire::DataChunk data;
  data.tsn = tsn;
  data.stream_id = f.stream_id;
  data.ssn = f.ssn;
  data.ppid = f.ppid;
  data.unordered = f.unordered;
  data.beginning = f.beginning;
  data.ending = f.ending;
  data.immediate_sack = immediate_sack;
  data.user_data = Bytes(f.data());
  return builder.Add(data);
}

bool Association::FillPacket(Path& path, wire::PacketBuilder& builder, TimePoint now,
                             bool* sent_data) {
  // Control chunks first (§6.10: control chunks precede DATA in a bundle).
  if (pending_.cookie_ack && builder.Add(wire::CookieAckChunk{})) pending_.cookie_ack = false;
  if (pending_.shutdown_ack && builder.Add(wire::ShutdownAckChunk{})) {
    pending_.shutdown_ack = false;
  }
  // ERROR before SACK, as usrsctp bundles them (§6.5 fixes no order; ETSI scripts expect it).
  if (!pending_.error_causes.empty()) {
    const std::vector<uint8_t> causes = Concat(pending_.error_causes);
    if (builder.Add(wire::ErrorChunk{false, Bytes(causes)}) ||
        causes.size() + 4 > MaxPacketSize() - wire::kCommonHeaderSize) {
      pending_.error_causes.clear();  // sent, or could never fit: dropped
    }
  }
  if ((pending_.sack || pending_.shutdown) && data_tracker_ != nullptr) {
    // §6.2: SACK with as many gap blocks and duplicates as fit.
    const size_t room = builder.remaining();
    const size_t max_entries = room > 16 ? (room - 16) / 4 : 0;
    rx::DataTracker::SackInfo info = data_tracker_->BuildSack(
        std::min<size_t>(max_entries, 512), std::min<size_t>(max_entries / 4, 64));
    wire::SackChunk sack;
    sack.cumulative_tsn_ack = info.cumulative_tsn_ack;
    sack.a_rwnd = LocalRwnd();
    sack.gap_ack_blocks = wire::PackedArray<wire::GapAckBlock>::FromHost(info.gap_blocks);
    sack.duplicate_tsns = wire::PackedArray<wire::TsnRecord>::FromHost(info.duplicates);
    if (pending_.sack && builder.Add(sack)) {
      pending_.sack = false;
      last_advertised_rwnd_ = sack.a_rwnd;
      packets_since_sack_ = 0;
      delayed_ack_.Stop();
    }
    if (pending_.shutdown && builder.Add(wire::ShutdownChunk{info.cumulative_tsn_ack})) {
      pending_.shutdown = false;
    }
  }
  if (reconfig_ && !reconfig_->pending_reconfig_.empty()) {
    // RFC 6525 §3.1: one RE-CONFIG chunk with the request and/or response parameters.
    std::vector<uint8_t>& pending = reconfig_->pending_reconfig_;
    if (builder.Add(wire::ReconfigChunk{false, Bytes(pending)}) ||
        pending.size() + 4 > MaxPacketSize() - wire::kCommonHeaderSize) {
      pending.clear();
    }
  }
  if (pending_.forward_tsn && retransmissions_ != nullptr) {
    if (auto fwd = retransmissions_->BuildForwardTsn()) {
      bool added;
      if (caps_.interleaving) {
        // RFC 8260 §2.3: I-FORWARD-TSN goes with I-DATA.
        wire::IForwardTsnChunk chunk;
        chunk.new_cumulative_tsn = fwd->new_cumulative_tsn;
        chunk.streams = wire::PackedArray<wire::IForwardTsnStream>::FromHost(fwd->istreams);
        added = builder.Add(chunk);
      } else {
        wire::ForwardTsnChunk chunk;
        chunk.new_cumulative_tsn = fwd->new_cumulative_tsn;
        chunk.streams = wire::PackedArray<wire::ForwardTsnStream>::FromHost(fwd->streams);
        added = builder.Add(chunk);
      }
      if (added) {
        pending_.forward_tsn = false;
        forward_tsn_announced_ = fwd->new_cumulative_tsn;
        // RFC 3758 §3.5 C5: a T3-rtx timer must run while a FORWARD TSN is unacknowledged.
        StartT3IfNeeded(path, now);
      }
    } else {
      pending_.forward_tsn = false;
    }
  }

  // DATA: only while established or draining before/after a SHUTDOWN (§9.2).
  const bool data_allowed = state_ == AssociationState::kEstablished ||
                            state_ == AssociationState::kShutdownPending ||
                            state_ == AssociationState::kShutdownReceived;
  if (!data_allowed || retransmissions_ == nullptr || send_queue_ == nullptr) return true;

  // Retransmissions first (§6.3.3 E3, §7.2.4).
  const size_t data_header =
      caps_.interleaving ? wire::IDataChunk::kHeaderSize : wire::DataChunk::kHeaderSize;
  if (retransmissions_->HasRetransmissions(path.id) && builder.remaining() > data_header) {
    // §6.1 C: retransmissions respect cwnd, except the one packet of §7.2.4 step 3.
    size_t budget = builder.remaining();
    if (!fast_recovery_packet_) {
      budget = std::min(budget, retransmissions_->congestion(path.id).Allowance());
    }
    fast_recovery_packet_ = false;
    for (const auto& r : retransmissions_->TakeRetransmissions(path.id, budget, now)) {
      if (AddDataChunk(builder, r.tsn, *r.fragment, r.fragment->immediate_sack)) {
        *sent_data = true;
        ++counters_.retransmitted_chunks;
        ++counters_.data_chunks_sent;
      }
    }
  }
  // New data while the congestion and receive windows allow (§6.1 rules A and B).
  while (!send_queue_->empty()) {
    // §6.1 A/B: the peer's rwnd and the path's cwnd, in chunk bytes (header included).
    const size_t sendable = retransmissions_->SendableBytes(path.id);
    const size_t room = std::min(builder.remaining(), sendable);
    if (room < data_header + 4) break;
    const size_t max_payload = (room - data_header) & ~size_t{3};
    // Avoid tiny fragments at the tail of a packet (SWS, §6.1): start a new packet instead.
    if (max_payload < 64 && !builder.empty() && send_queue_->buffered_bytes() > max_payload) break;
    // §6.1 B: "The sender MUST also have an algorithm for sending new DATA chunks to avoid
    // silly window syndrome (SWS) as described in [RFC1122]": while data is in flight (a SACK
    // will reopen the window), do not cut a fragment short to a window smaller than both the
    // packet and what is queued; fragments then follow the PMTU (§6.9).
    const size_t packet_payload = builder.remaining() - data_header;
    if (sendable < builder.remaining() && max_payload < packet_payload &&
        max_payload < send_queue_->buffered_bytes() && retransmissions_->outstanding_bytes() > 0) {
      break;
    }
    // Into a packet that already carries chunks, a message is not split if it would fit a
    // packet of its own.
    const size_t whole_packet_payload =
        builder.empty() ? 0
                        : (MaxPacketSize() - wire::kCommonHeaderSize - data_header) & ~size_t{3};
    std::optional<tx::OutgoingFragment> fragment =
        send_queue_->Produce(now, max_payload, whole_packet_payload);
    if (!fragment) break;
    // RFC 7053 §4.2: ask for an immediate SACK when this chunk ends what we have to send.
    const bool immediate_sack =
        fragment->immediate_sack ||
        (options_.immediate_sack_when_idle && fragment->ending && send_queue_->empty());
    // The chunk refers to the message buffer, which the retransmission queue keeps: no copy.
    // It is written before the fragment moves into that queue, with the TSN it will get.
    const bool added =
        AddDataChunk(builder, retransmissions_->next_tsn(), *fragment, immediate_sack);
    retransmissions_->Add(std::move(*fragment), path.id, now);
    if (!added) break;  // cannot happen: sized to fit (and T3 would resend it)
    *sent_data = true;
    ++counters_.data_chunks_sent;
  }
  ReportSendFailures();
  return true;
}

// ---------------------------------------------------------------------------------------
// Introspection

std::string Association::InvariantViolation(bool deep) const {
  if (closed()) {
    if (NextDeadline() != kNever) return "closed association has a timer";
    return "";
  }
  const bool handshake =
      state_ == AssociationState::kCookieWait || state_ == AssociationState::kCookieEchoed;
  if (handshake != t1_.running()) return "T1 runs iff in COOKIE-WAIT/COOKIE-ECHOED";
  if (retransmissions_ != nullptr) {
    if (deep && !retransmissions_->CheckInvariants())
      return "retransmission queue: " + retransmissions_->InvariantViolation();
    bool any_t3 = false;
    for (const auto& p : paths_) {
      any_t3 |= p->t3_rtx.running();
      // §6.3.2 R1: data in flight to a destination means its T3-rtx runs.
      if (retransmissions_->HasOutstanding(p->id) && !p->t3_rtx.running()) {
        return "data outstanding on path " + std::to_string(p->id) + " without T3-rtx";
      }
    }
    if (retransmissions_->HasRetransmissions() && !any_t3 && !pending_.sack) {
      // Marked chunks wait for a send opportunity; something must create one.
      bool can_send = false;
      for (const auto& p : paths_)
        can_send |= retransmissions_->SendableBytes(p->id) > 0;
      if (!can_send) return "chunks marked for retransmission but no timer and no window";
    }
  }
  const bool shutdown_timer =
      state_ == AssociationState::kShutdownSent || state_ == AssociationState::kShutdownAckSent;
  if (shutdown_timer != t2_shutdown_.running()) return "T2 runs iff SHUTDOWN-SENT/ACK-SENT";
  return "";
}

size_t Association::BufferedAmount() const {
  return (send_queue_ != nullptr ? send_queue_->buffered_bytes() : 0) +
         (retransmissions_ != nullptr ? retransmissions_->outstanding_bytes() : 0);
}

AssociationInfo Association::GetInfo() const {
  AssociationInfo info;
  info.packets_sent = counters_.packets_sent;
  info.packets_received = counters_.packets_received;
  info.data_chunks_sent = counters_.data_chunks_sent;
  info.data_chunks_received = counters_.data_chunks_received;
  info.retransmitted_chunks = counters_.retransmitted_chunks;
  info.pmtu_probes_sent = counters_.pmtu_probes_sent;
  info.fast_retransmissions = counters_.fast_retransmissions;
  info.t3_expirations = counters_.t3_expirations;
  info.messages_sent = counters_.messages_sent;
  info.messages_received = counters_.messages_received;
  if (pr_stats_) info.pr_status = pr_stats_->total;
  info.state = state_;
  info.peer_port = peer_port_;
  info.inbound_streams = inbound_streams_;
  info.outbound_streams = outbound_streams_;
  info.local_rwnd = LocalRwnd();
  info.error_count = association_error_count_;
  if (retransmissions_ != nullptr) {
    info.peer_rwnd = retransmissions_->peer_rwnd();
    info.outstanding_bytes = retransmissions_->outstanding_bytes();
  }
  if (send_queue_ != nullptr) info.send_buffered_bytes = send_queue_->buffered_bytes();
  if (reassembly_ != nullptr) info.receive_buffered_bytes = reassembly_->buffered_bytes();
  for (size_t i = 0; i < paths_.size(); ++i) {
    const Path& p = *paths_[i];
    PathInfo pi;
    pi.address = p.address;
    pi.active = p.active;
    pi.confirmed = p.confirmed;
    pi.primary = i == primary_path_;
    pi.srtt = p.rto.srtt().value_or(Duration::zero());
    pi.rto = p.rto.rto();
    pi.mtu = MaxPacketSize();
    pi.error_count = p.error_count;
    if (retransmissions_ != nullptr) {
      const auto& cc = retransmissions_->congestion(p.id);
      pi.cwnd = cc.cwnd();
      pi.ssthresh = cc.ssthresh();
      pi.flight_size = cc.flight_size();
    }
    info.paths.push_back(pi);
  }
  return info;
}

}  // namespace sctp::assoc
