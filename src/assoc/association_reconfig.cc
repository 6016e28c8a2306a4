// RFC 6525 stream reconfiguration: the Association's RE-CONFIG requests, responses and the
// Re-configuration Timer. Split from association.cc to keep each file about one subject.
//
// What is done here:
//  - our requests (§5.1.2 outgoing SSN reset, §5.1.3 incoming SSN reset, §5.1.4 SSN/TSN
//    reset, §5.1.5/§5.1.6 add streams), one in flight at a time, the others queued (§5.1.1),
//    retransmitted on the Re-configuration Timer with backoff and error counting (§5.1.1; not after
//    "In progress", §5.2.7 H2);
//  - the peer's requests with the request sequence number rules (§5.2.1: a retransmitted
//    request gets the same answer; an unexpected number "Error: Bad Sequence Number");
//    deferred reset processing while earlier TSNs are missing (§5.2.2 E2), holding the data
//    that already uses the new numbering;
//  - SSN/TSN reset both ways (§5.2.4 G1–G7, §5.2.7 H5: RestartNumbering).
#include <algorithm>

#include "assoc/association.h"

namespace sctp::assoc {
namespace {

using wire::Bytes;
using wire::ToBytes;

bool Contains(const std::vector<StreamId>& streams, StreamId sid) {
  return streams.empty() || std::find(streams.begin(), streams.end(), sid) != streams.end();
}

void Append(std::vector<uint8_t>* out, const std::vector<uint8_t>& bytes) {
  out->insert(out->end(), bytes.begin(), bytes.end());
}

std::vector<wire::StreamIdRecord> Records(const std::vector<StreamId>& streams) {
  std::vector<wire::StreamIdRecord> out;
  for (const StreamId sid : streams)
    out.push_back(wire::StreamIdRecord{sid});
  return out;
}

template <typename Parameter>
std::optional<ReconfigSeq> SeqOf(const wire::TlvView& tlv) {
  auto p = Parameter::Parse(tlv);
  return p.ok() ? std::optional(p->request_seq) : std::nullopt;
}

// The Re-configuration Request Sequence Number of a request parameter; nullopt for anything
// else (a response, an unknown or malformed parameter).
std::optional<ReconfigSeq> RequestSequenceNumber(const wire::TlvView& tlv) {
  switch (tlv.type) {
    case wire::ParameterType::kOutgoingSsnResetRequest:
      return SeqOf<wire::OutgoingSsnResetRequestParameter>(tlv);
    case wire::ParameterType::kIncomingSsnResetRequest:
      return SeqOf<wire::IncomingSsnResetRequestParameter>(tlv);
    case wire::ParameterType::kSsnTsnResetRequest:
      return SeqOf<wire::SsnTsnResetRequestParameter>(tlv);
    case wire::ParameterType::kAddOutgoingStreams:
      return SeqOf<wire::AddOutgoingStreamsParameter>(tlv);
    case wire::ParameterType::kAddIncomingStreams:
      return SeqOf<wire::AddIncomingStreamsParameter>(tlv);
    default:
      return std::nullopt;
  }
}

bool IsSuccess(wire::ReconfigResult result) {
  return result == wire::ReconfigResult::kSuccessPerformed ||
         result == wire::ReconfigResult::kSuccessNothingToDo;
}

}  // namespace

absl::Status Association::ResetStreams(std::span<const StreamId> streams, bool outgoing,
                                       bool incoming, TimePoint now) {
  ReconfigState& rs = Reconfig();
  last_now_ = now;
  // §5.1.1: "If the chunk type of the RE-CONFIG chunk does not appear in the supported
  // extension's list of chunks, then the sender MUST NOT send any re-configuration request".
  if (!caps_.reconfig) {
    return absl::FailedPreconditionError("the peer does not support stream reconfiguration");
  }
  if (state_ != AssociationState::kEstablished) {
    return absl::FailedPreconditionError("association is not established");
  }
  if (!outgoing && !incoming) return absl::InvalidArgumentError("no direction to reset");
  for (const StreamId sid : streams) {
    if ((outgoing && sid.value() >= outbound_streams_) ||
        (incoming && sid.value() >= inbound_streams_)) {
      return absl::InvalidArgumentError("stream id beyond the negotiated streams");
    }
  }
  const std::vector<StreamId> list(streams.begin(), streams.end());
  if (outgoing) {
    // §5.1.2 A1: "The sender MUST stop assigning new SSNs to new user data provided by the
    // upper layer for the affected streams and queue it."
    // Messages queued before this call still go out first (with the old numbering).
    const uint64_t last = send_queue_->last_message_id();
    send_queue_->PauseStreams(streams, last);
    rs.reconfig_queue_.push_back(ReconfigRequest{wire::ParameterType::kOutgoingSsnResetRequest,
                                                 list, 0, std::nullopt, last});
  }
  if (incoming) {
    rs.reconfig_queue_.push_back(
        ReconfigRequest{wire::ParameterType::kIncomingSsnResetRequest, list, 0, std::nullopt});
  }
  Flush(now);
  return absl::OkStatus();
}

absl::Status Association::AddStreams(uint16_t outgoing, uint16_t incoming, TimePoint now) {
  ReconfigState& rs = Reconfig();
  last_now_ = now;
  if (!caps_.reconfig) {
    return absl::FailedPreconditionError("the peer does not support stream reconfiguration");
  }
  if (state_ != AssociationState::kEstablished) {
    return absl::FailedPreconditionError("association is not established");
  }
  if (outgoing == 0 && incoming == 0) return absl::InvalidArgumentError("no streams to add");
  if (size_t{outbound_streams_} + outgoing > 65535 || size_t{inbound_streams_} + incoming > 65535) {
    return absl::InvalidArgumentError("more than 65535 streams");
  }
  if (outgoing > 0) {
    rs.reconfig_queue_.push_back(
        ReconfigRequest{wire::ParameterType::kAddOutgoingStreams, {}, outgoing, std::nullopt});
  }
  if (incoming > 0) {
    rs.reconfig_queue_.push_back(
        ReconfigRequest{wire::ParameterType::kAddIncomingStreams, {}, incoming, std::nullopt});
  }
  Flush(now);
  return absl::OkStatus();
}

absl::Status Association::ResetAssociation(TimePoint now) {
  last_now_ = now;
  if (!caps_.reconfig) {
    return absl::FailedPreconditionError("the peer does not support stream reconfiguration");
  }
  if (state_ != AssociationState::kEstablished) {
    return absl::FailedPreconditionError("association is not established");
  }
  ReconfigState& rs = Reconfig();
  // §5.1.4 C2: "The sender MUST queue any user data, suspending any new transmissions and TSN
  // assignment until the reset procedure is finished": data given before the call still goes
  // first, and the request waits until nothing is outstanding.
  const uint64_t last = send_queue_->last_message_id();
  send_queue_->PauseStreams({}, last);
  rs.reconfig_queue_.push_back(
      ReconfigRequest{wire::ParameterType::kSsnTsnResetRequest, {}, 0, std::nullopt, last});
  Flush(now);
  return absl::OkStatus();
}

void Association::RestartNumbering(Tsn our_next_tsn, Tsn peer_next_tsn) {
  // §5.2.4 G3: what we sent counts as acknowledged (a SACK up to our next TSN − 1); G4: what
  // the peer sent before its next TSN is skipped (a FORWARD TSN); G5: every SSN restarts at 0.
  const uint32_t peer_rwnd =
      retransmissions_->peer_rwnd() + static_cast<uint32_t>(retransmissions_->outstanding_bytes());
  retransmissions_ = std::make_unique<tx::RetransmissionQueue>(
      our_next_tsn, peer_rwnd, options_, caps_.forward_tsn, caps_.interleaving);
  for (const auto& p : paths_) {
    retransmissions_->AddPath(p->id, MaxPacketSize());
    p->t3_rtx.Stop();
  }
  data_tracker_ = std::make_unique<rx::DataTracker>(peer_next_tsn);
  reassembly_->ResetStreams({});
  send_queue_->ResetStreams({});
  pending_.forward_tsn = false;
  if (reconfig_) reconfig_->deferred_reset_.reset();
}

absl::Status Association::SetStreamScheduling(StreamId stream, std::optional<uint16_t> priority,
                                              std::optional<uint16_t> weight) {
  if (send_queue_ == nullptr) return absl::FailedPreconditionError("association is not set up");
  if (stream.value() >= send_queue_->outbound_streams()) {
    return absl::InvalidArgumentError("stream id beyond the negotiated outbound streams");
  }
  if (priority) send_queue_->SetStreamPriority(stream, *priority);
  if (weight) send_queue_->SetStreamWeight(stream, *weight);
  return absl::OkStatus();
}

void Association::MaybeSendReconfigRequest(TimePoint now) {
  if (!reconfig_) return;
  ReconfigState& rs = *reconfig_;
  // §5.1.1: "At any given time, there MUST NOT be more than one request in flight."
  if (rs.reconfig_in_flight_ || rs.reconfig_queue_.empty() || retransmissions_ == nullptr) return;
  if (state_ != AssociationState::kEstablished) return;
  ReconfigRequest& next = rs.reconfig_queue_.front();
  if (next.type == wire::ParameterType::kSsnTsnResetRequest &&
      (send_queue_->HasUnsent({}, next.pause_after) || !retransmissions_->empty())) {
    return;  // §5.1.4 C2: no outstanding TSNs first
  }
  if (next.type == wire::ParameterType::kOutgoingSsnResetRequest &&
      send_queue_->HasUnsent(next.streams, next.pause_after)) {
    // Messages given before the request still have fragments to send: they must get TSNs
    // before the Sender's Last Assigned TSN (A3), or the peer would hold them for the new
    // numbering.
    return;
  }
  ReconfigInFlight flight;
  flight.seq = rs.next_request_seq_++;  // A2 / B1 / C1
  flight.request = std::move(next);
  rs.reconfig_queue_.erase(rs.reconfig_queue_.begin());
  const std::vector<StreamId>& streams = flight.request.streams;
  switch (flight.request.type) {
    case wire::ParameterType::kOutgoingSsnResetRequest: {
      wire::OutgoingSsnResetRequestParameter p;
      p.request_seq = flight.seq;
      // A4: "The Re-configuration Response Sequence Number is the next expected
      // Re-configuration Request Sequence Number of the peer minus 1" (or the request answered).
      p.response_seq = flight.request.response_to.value_or(rs.peer_next_request_seq_ - 1);
      // A3: "The Sender's Last Assigned TSN MUST be set to the next TSN the sender assigns
      // minus 1."
      p.sender_last_tsn = retransmissions_->next_tsn() - 1;
      const std::vector<wire::StreamIdRecord> records = Records(streams);  // outlives ToBytes
      p.streams = wire::PackedArray<wire::StreamIdRecord>::FromHost(records);
      flight.parameter = ToBytes(p);
      break;
    }
    case wire::ParameterType::kIncomingSsnResetRequest: {
      wire::IncomingSsnResetRequestParameter p;
      p.request_seq = flight.seq;
      const std::vector<wire::StreamIdRecord> records = Records(streams);  // outlives ToBytes
      p.streams = wire::PackedArray<wire::StreamIdRecord>::FromHost(records);
      flight.parameter = ToBytes(p);
      break;
    }
    case wire::ParameterType::kSsnTsnResetRequest:
      flight.parameter = ToBytes(wire::SsnTsnResetRequestParameter{flight.seq});  // C1
      break;
    case wire::ParameterType::kAddOutgoingStreams:
      flight.parameter =
          ToBytes(wire::AddOutgoingStreamsParameter{flight.seq, flight.request.count});
      break;
    case wire::ParameterType::kAddIncomingStreams:
      flight.parameter =
          ToBytes(wire::AddIncomingStreamsParameter{flight.seq, flight.request.count});
      break;
    default:
      return;
  }
  Append(&rs.pending_reconfig_, flight.parameter);
  // §5.1.1: "the sender MUST start the Re-configuration Timer ... This timer MUST use the same
  // value as SCTP's data transmission timer (i.e., the retransmission timeout (RTO) timer)".
  rs.reconfig_timer_.attempts = 0;
  rs.reconfig_timer_.deadline = now + PrimaryPath().rto.rto();
  rs.reconfig_in_flight_ = std::move(flight);
}

void Association::HandleReconfigTimeout(TimePoint now) {
  if (!reconfig_) return;
  ReconfigState& rs = *reconfig_;
  rs.reconfig_timer_.Stop();
  if (!rs.reconfig_in_flight_) return;
  // §5.1.1: "If the timer expires, besides doubling the value, the sender MUST retransmit the
  // RE-CONFIG chunk, increment the appropriate error counts (for both the association and the
  // destination), and perform threshold management". §5.2.7 H2: after "In progress" the
  // error counters "MUST NOT be incremented".
  Path& path = PrimaryPath();
  if (!rs.reconfig_in_flight_->in_progress) {
    OnPathError(path);
    if (closed()) return;
  }
  ++rs.reconfig_timer_.attempts;
  Duration timeout = path.rto.rto();
  for (int i = 0; i < rs.reconfig_timer_.attempts && timeout < options_.rto_max; ++i)
    timeout *= 2;
  rs.reconfig_timer_.deadline = now + std::min(timeout, options_.rto_max);
  Append(&rs.pending_reconfig_, rs.reconfig_in_flight_->parameter);
}

void Association::HandleReconfig(const wire::ReconfigChunk& chunk, TimePoint now) {
  ReconfigState& rs = Reconfig();
  bool had_request = false;
  wire::TlvReader reader = chunk.reader();
  wire::TlvView tlv;
  // §3.1: at most two parameters; more is not a valid RE-CONFIG chunk. We read two at most.
  for (int n = 0; n < 2 && reader.Next(&tlv); ++n) {
    if (tlv.type == wire::ParameterType::kReconfigResponse) {
      auto response = wire::ReconfigResponseParameter::Parse(tlv);
      if (response.ok()) HandleReconfigResponse(*response, now);
      continue;
    }
    const std::optional<ReconfigSeq> request_seq = RequestSequenceNumber(tlv);
    if (!request_seq) continue;  // not a (valid) request parameter: ignored
    const ReconfigSeq seq = *request_seq;
    if (tlv.type == wire::ParameterType::kOutgoingSsnResetRequest) {
      // E1: the peer's outgoing reset may answer our incoming reset request.
      auto p = wire::OutgoingSsnResetRequestParameter::Parse(tlv);
      if (rs.reconfig_in_flight_ && rs.reconfig_in_flight_->seq == p->response_seq &&
          rs.reconfig_in_flight_->request.type == wire::ParameterType::kIncomingSsnResetRequest) {
        rs.reconfig_in_flight_.reset();
        rs.reconfig_timer_.Stop();
      }
    }
    had_request = true;
    // §5.2.3 F1: an accepted incoming reset request is answered by our outgoing reset request
    // (A4), not by a response parameter.
    auto respond = [&](ReconfigSeq s, wire::ReconfigResult result) {
      if (tlv.type != wire::ParameterType::kIncomingSsnResetRequest || !IsSuccess(result) ||
          result == wire::ReconfigResult::kSuccessNothingToDo) {
        QueueReconfigResponse(s, result, ResetTsnsFor(tlv.type, result));
      }
    };
    if (seq == rs.peer_next_request_seq_) {
      ++rs.peer_next_request_seq_;
      const wire::ReconfigResult result = HandlePeerRequest(seq, tlv, now);
      rs.last_peer_request_result_ = {seq, result};
      respond(seq, result);
    } else if (rs.last_peer_request_result_ && seq == rs.last_peer_request_result_->first) {
      // §5.2.1: a retransmission: "the same RE-CONFIG chunk MUST to be sent back in
      // response, as it was earlier" — a deferred reset that finished since answers success.
      wire::ReconfigResult result = rs.last_peer_request_result_->second;
      if (result == wire::ReconfigResult::kInProgress &&
          (!rs.deferred_reset_ || rs.deferred_reset_->seq != seq)) {
        result = wire::ReconfigResult::kSuccessPerformed;
        rs.last_peer_request_result_->second = result;
      }
      respond(seq, result);
    } else {
      // Table 3: "Error: Bad Sequence Number".
      QueueReconfigResponse(seq, wire::ReconfigResult::kErrorBadSequenceNumber);
    }
  }
  // §5.2.1: "If the received RE-CONFIG chunk contains at least one request parameter, a
  // selective acknowledgment (SACK) chunk SHOULD be sent back and MAY be bundled".
  if (had_request) pending_.sack = true;
}

wire::ReconfigResult Association::HandlePeerRequest(ReconfigSeq seq, const wire::TlvView& tlv,
                                                    TimePoint now) {
  ReconfigState& rs = Reconfig();
  (void)now;
  switch (tlv.type) {
    case wire::ParameterType::kOutgoingSsnResetRequest: {
      auto p = wire::OutgoingSsnResetRequestParameter::Parse(tlv);
      std::vector<StreamId> streams;
      for (const wire::StreamIdRecord r : p->streams)
        streams.push_back(r.value);
      if (rs.deferred_reset_) return wire::ReconfigResult::kErrorRequestAlreadyInProgress;
      // E2: "If the Sender's Last Assigned TSN is greater than the cumulative acknowledgment
      // point, then the endpoint MUST enter 'deferred reset processing'."
      if (p->sender_last_tsn > data_tracker_->cumulative_tsn_ack()) {
        rs.deferred_reset_ = DeferredReset{seq, p->sender_last_tsn, std::move(streams), {}, 0};
        return wire::ReconfigResult::kInProgress;
      }
      // E3: "If no stream numbers are listed in the parameter, then all incoming streams MUST
      // be reset to 0 as the next expected SSN."
      reassembly_->ResetStreams(streams);
      context_.Emit(Event{id_, events::StreamReset{std::move(streams), /*incoming=*/true,
                                                   /*outgoing=*/false, false, false}});
      return wire::ReconfigResult::kSuccessPerformed;
    }
    case wire::ParameterType::kIncomingSsnResetRequest: {
      auto p = wire::IncomingSsnResetRequestParameter::Parse(tlv);
      if (!options_.accept_incoming_reset_requests) return wire::ReconfigResult::kDenied;
      std::vector<StreamId> streams;
      for (const wire::StreamIdRecord r : p->streams) {
        if (r.value.value() >= outbound_streams_) return wire::ReconfigResult::kDenied;
        streams.push_back(r.value);
      }
      // §5.2.3: "If the Outgoing SSN Reset Request Parameter that was just sent completely
      // overlaps the received Incoming SSN Reset Request Parameter, respond ... 'Nothing to
      // do'."
      if (rs.reconfig_in_flight_ &&
          rs.reconfig_in_flight_->request.type == wire::ParameterType::kOutgoingSsnResetRequest) {
        const std::vector<StreamId>& sent = rs.reconfig_in_flight_->request.streams;
        const bool covered =
            sent.empty() ||
            (!streams.empty() && std::all_of(streams.begin(), streams.end(),
                                             [&](StreamId s) { return Contains(sent, s); }));
        if (covered) return wire::ReconfigResult::kSuccessNothingToDo;
      }
      // F1: answer with our own Outgoing SSN Reset Request (A4: same streams, response
      // sequence number = this request's).
      const uint64_t last = send_queue_->last_message_id();
      send_queue_->PauseStreams(streams, last);
      rs.reconfig_queue_.push_back(
          ReconfigRequest{wire::ParameterType::kOutgoingSsnResetRequest, streams, 0, seq, last});
      return wire::ReconfigResult::kSuccessPerformed;
    }
    case wire::ParameterType::kSsnTsnResetRequest: {
      // "The decision to deny a re-configuration request is an administrative decision"
      // (§5.2.1): Options::accept_association_reset_requests.
      if (!options_.accept_association_reset_requests) return wire::ReconfigResult::kDenied;
      // G1: "the smallest TSN not acknowledged by the receiver of the request plus 2^31";
      // G2: "the highest TSN sent by the receiver of the request plus 1".
      const Tsn receiver_next = data_tracker_->cumulative_tsn_ack() + 1 + (1u << 31);
      const Tsn sender_next = retransmissions_->next_tsn();
      RestartNumbering(sender_next, receiver_next);
      Reconfig().last_ssn_tsn_reset_tsns_ = std::pair(sender_next, receiver_next);
      context_.Emit(Event{id_, events::AssociationReset{sender_next, receiver_next, false, false}});
      return wire::ReconfigResult::kSuccessPerformed;
    }
    case wire::ParameterType::kAddOutgoingStreams: {
      auto p = wire::AddOutgoingStreamsParameter::Parse(tlv);
      // §5.2.5: add inbound streams ("initializing the next expected SSN to 0": stream state
      // is created lazily) unless the total exceeds the limit.
      // The limit is what we would have accepted in the INIT (our MIS), as usrsctp does.
      if (!options_.accept_add_streams_requests ||
          size_t{inbound_streams_} + p->number_of_new_streams > options_.inbound_streams) {
        return wire::ReconfigResult::kDenied;
      }
      inbound_streams_ = static_cast<uint16_t>(inbound_streams_ + p->number_of_new_streams);
      context_.Emit(
          Event{id_, events::StreamChange{inbound_streams_, outbound_streams_, false, false}});
      return wire::ReconfigResult::kSuccessPerformed;
    }
    case wire::ParameterType::kAddIncomingStreams: {
      auto p = wire::AddIncomingStreamsParameter::Parse(tlv);
      // §5.2.6: deny, or send a corresponding Add Outgoing Streams Request.
      if (!options_.accept_add_streams_requests ||
          size_t{outbound_streams_} + p->number_of_new_streams > 65535) {
        return wire::ReconfigResult::kDenied;
      }
      rs.reconfig_queue_.push_back(ReconfigRequest{
          wire::ParameterType::kAddOutgoingStreams, {}, p->number_of_new_streams, std::nullopt});
      return wire::ReconfigResult::kSuccessPerformed;
    }
    default:
      return wire::ReconfigResult::kDenied;
  }
}

std::optional<std::pair<Tsn, Tsn>> Association::ResetTsnsFor(uint16_t type,
                                                             wire::ReconfigResult result) {
  if (type != wire::ParameterType::kSsnTsnResetRequest || !IsSuccess(result)) return std::nullopt;
  return Reconfig().last_ssn_tsn_reset_tsns_;
}

void Association::QueueReconfigResponse(ReconfigSeq seq, wire::ReconfigResult result,
                                        std::optional<std::pair<Tsn, Tsn>> tsns) {
  ReconfigState& rs = Reconfig();
  // §5.1.7 D1/D2; D3/D4: an SSN/TSN reset's response carries the Sender's and the Receiver's
  // Next TSN.
  wire::ReconfigResponseParameter response;
  response.response_seq = seq;
  response.result = result;
  if (tsns) {
    response.sender_next_tsn = tsns->first;
    response.receiver_next_tsn = tsns->second;
  }
  Append(&rs.pending_reconfig_, ToBytes(response));
}

void Association::HandleReconfigResponse(const wire::ReconfigResponseParameter& response,
                                         TimePoint now) {
  ReconfigState& rs = Reconfig();
  // H1: only a response to the request in flight counts.
  if (!rs.reconfig_in_flight_ || rs.reconfig_in_flight_->seq != response.response_seq) return;
  if (response.result == wire::ReconfigResult::kInProgress) {
    // H2: "the timer for the Re-configuration Request Sequence Number is started again".
    rs.reconfig_in_flight_->in_progress = true;
    rs.reconfig_timer_.deadline = now + PrimaryPath().rto.rto();
    return;
  }
  rs.reconfig_timer_.Stop();
  ReconfigInFlight done = std::move(*rs.reconfig_in_flight_);
  rs.reconfig_in_flight_.reset();
  const bool ok = IsSuccess(response.result);
  const bool denied = response.result == wire::ReconfigResult::kDenied;
  const std::vector<StreamId>& streams = done.request.streams;
  switch (done.request.type) {
    case wire::ParameterType::kOutgoingSsnResetRequest:
      // H4: "the affected streams MUST now be reset and all queued data should now be
      // processed. The assigning of SSNs is allowed again." H3: otherwise nothing changes,
      // but the streams may carry data again.
      if (ok) send_queue_->ResetStreams(streams);
      send_queue_->ResumeStreams(streams);
      RepauseQueuedResets();
      context_.Emit(Event{id_, events::StreamReset{streams, /*incoming=*/false, /*outgoing=*/true,
                                                   denied, !ok && !denied}});
      break;
    case wire::ParameterType::kIncomingSsnResetRequest:
      // Success arrives as the peer's outgoing reset request (its event is emitted there);
      // a refusal is reported here.
      if (!ok || response.result == wire::ReconfigResult::kSuccessNothingToDo) {
        context_.Emit(Event{id_, events::StreamReset{streams, /*incoming=*/true,
                                                     /*outgoing=*/false, denied, !ok && !denied}});
      }
      break;
    case wire::ParameterType::kSsnTsnResetRequest:
      // H5: "new data MUST be sent from the Receiver's Next TSN, beginning with SSN 0 for all
      // outgoing streams. All incoming streams MUST be reset to 0 as the next expected SSN.
      // The peer will send DATA chunks starting with the Sender's Next TSN."
      if (ok && response.sender_next_tsn && response.receiver_next_tsn) {
        RestartNumbering(*response.receiver_next_tsn, *response.sender_next_tsn);
        context_.Emit(
            Event{id_, events::AssociationReset{*response.receiver_next_tsn,
                                                *response.sender_next_tsn, false, false}});
      } else {
        context_.Emit(Event{id_, events::AssociationReset{retransmissions_->next_tsn(),
                                                          data_tracker_->cumulative_tsn_ack() + 1,
                                                          denied, !denied}});
      }
      send_queue_->ResumeStreams({});
      RepauseQueuedResets();
      break;
    case wire::ParameterType::kAddOutgoingStreams:
      // H6: "the endpoint MUST add the additional streams to the association".
      if (ok) {
        outbound_streams_ = static_cast<uint16_t>(outbound_streams_ + done.request.count);
        send_queue_->SetOutboundStreams(outbound_streams_);
      }
      context_.Emit(Event{
          id_, events::StreamChange{inbound_streams_, outbound_streams_, denied, !ok && !denied}});
      break;
    case wire::ParameterType::kAddIncomingStreams:
      // The peer adds its outgoing streams with its own request (§5.2.6); only a refusal
      // is final here.
      if (!ok) {
        context_.Emit(
            Event{id_, events::StreamChange{inbound_streams_, outbound_streams_, denied, !denied}});
      }
      break;
    default:
      break;
  }
}

void Association::RepauseQueuedResets() {
  if (!reconfig_) return;
  ReconfigState& rs = *reconfig_;
  // A resume of all streams must not lift the pause of resets still waiting (A1).
  for (const ReconfigRequest& r : rs.reconfig_queue_) {
    if (r.type == wire::ParameterType::kOutgoingSsnResetRequest) {
      send_queue_->PauseStreams(r.streams, r.pause_after);
    }
  }
}

bool Association::HoldForDeferredReset(rx::Fragment& fragment) {
  if (!reconfig_) return false;
  ReconfigState& rs = *reconfig_;
  // E2: "any data arriving with a TSN larger than the Sender's Last Assigned TSN for the
  // affected stream(s) MUST be queued locally and held until the cumulative acknowledgment
  // point reaches the Sender's Last Assigned TSN." Held bytes count against the receive
  // window (LocalRwnd), so this is bounded like any received data.
  if (!rs.deferred_reset_ || fragment.tsn <= rs.deferred_reset_->sender_last_tsn ||
      !Contains(rs.deferred_reset_->streams, fragment.stream_id)) {
    return false;
  }
  rs.deferred_reset_->held_bytes += fragment.payload.size();
  rs.deferred_reset_->held.push_back(std::move(fragment));
  return true;
}

void Association::MaybeFinishDeferredReset() {
  if (!reconfig_) return;
  ReconfigState& rs = *reconfig_;
  if (!rs.deferred_reset_ || data_tracker_ == nullptr ||
      data_tracker_->cumulative_tsn_ack() < rs.deferred_reset_->sender_last_tsn) {
    return;
  }
  DeferredReset done = std::move(*rs.deferred_reset_);
  rs.deferred_reset_.reset();
  // E3, then E4: "Any queued TSNs (queued at step E2) MUST now be released and processed
  // normally."
  reassembly_->ResetStreams(done.streams);
  for (rx::Fragment& f : done.held)
    reassembly_->Add(std::move(f));
  context_.Emit(Event{id_, events::StreamReset{std::move(done.streams), /*incoming=*/true,
                                               /*outgoing=*/false, false, false}});
  // E5: the response indicating success (the peer, told "In progress", may also ask again).
  if (rs.last_peer_request_result_ && rs.last_peer_request_result_->first == done.seq) {
    rs.last_peer_request_result_->second = wire::ReconfigResult::kSuccessPerformed;
  }
  QueueReconfigResponse(done.seq, wire::ReconfigResult::kSuccessPerformed);
}

Association::ReconfigState& Association::Reconfig() {
  if (!reconfig_) {
    reconfig_ = std::make_unique<ReconfigState>();
    // RFC 6525 §4.1: request sequence numbers start at the initial TSN of their sender.
    reconfig_->next_request_seq_ = ReconfigSeq(local_initial_tsn_.value());
    reconfig_->peer_next_request_seq_ = ReconfigSeq(peer_initial_tsn_.value());
  }
  return *reconfig_;
}

}  // namespace sctp::assoc
