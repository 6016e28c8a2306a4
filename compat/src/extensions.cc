// Socket options and notifications of the extensions (RFC 6458 §8, RFC 6525 §6, RFC 7496 §4,
// RFC 8260 §4, RFC 9653 via usrsctp's SCTP_ACCEPT_ZERO_CHECKSUM), mapped onto the engine:
// stream reset and add streams, PR-SCTP defaults and counters, I-DATA, stream schedulers,
// zero checksum. Called from usrsctp_setsockopt/getsockopt (api_misc.cc) and from the event
// handler (api.cc); the stack lock is held by the caller.
#include "extensions.h"

#include <cerrno>
#include <cstring>
#include <vector>

#include "option_io.h"

namespace sctp::compat {
namespace {

// usrsctp's SCTP_PR_SCTP_ALL (netinet/sctp_uio.h, not in usrsctp.h): all policies summed.
constexpr uint16_t kPrPolicyAll = 0x000f;

int FromStatus(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return 0;
    case absl::StatusCode::kNotFound:
      return Fail(ENOENT);
    case absl::StatusCode::kFailedPrecondition:
      // usrsctp: the peer did not offer RE-CONFIG, or the association is not up.
      return Fail(EOPNOTSUPP);
    default:
      return Fail(EINVAL);
  }
}

Options::Scheduler SchedulerFor(uint32_t ss) {
  switch (ss) {
    case SCTP_SS_ROUND_ROBIN_PACKET:
      return Options::Scheduler::kRoundRobinPerPacket;
    case SCTP_SS_PRIORITY:
      return Options::Scheduler::kPriority;
    case SCTP_SS_FAIR_BANDWITH:
      return Options::Scheduler::kFairCapacity;
    case SCTP_SS_FIRST_COME:
      return Options::Scheduler::kFirstComeFirstServed;
    case SCTP_SS_WEIGHTED_FAIR_QUEUEING:
      return Options::Scheduler::kWeightedFairQueueing;
    default:  // SCTP_SS_DEFAULT, SCTP_SS_ROUND_ROBIN
      return Options::Scheduler::kRoundRobin;
  }
}

bool ValidScheduler(uint32_t ss) {
  return ss <= SCTP_SS_FIRST_COME || ss == SCTP_SS_WEIGHTED_FAIR_QUEUEING;
}

}  // namespace

void ApplyExtensionOptions(const struct ::socket* so, Options* o) {
  // usrsctp.md §4: stream reset requests of the peer are honoured only as enabled with
  // SCTP_ENABLE_STREAM_RESET (the peer's own outgoing resets always are, RFC 6525 §5.2.2).
  o->accept_incoming_reset_requests = (so->stream_reset_flags & SCTP_ENABLE_RESET_STREAM_REQ) != 0;
  o->accept_add_streams_requests = (so->stream_reset_flags & SCTP_ENABLE_CHANGE_ASSOC_REQ) != 0;
  o->accept_association_reset_requests =
      (so->stream_reset_flags & SCTP_ENABLE_RESET_ASSOC_REQ) != 0;
  o->partial_reliability = o->partial_reliability && so->pr_supported;
  o->interleaving = so->interleaving;
  o->scheduler = SchedulerFor(so->stream_scheduler);
  o->zero_checksum = so->zero_checksum_edmid != SCTP_EDMID_NONE;
  if (o->zero_checksum) o->zero_checksum_edmid = so->zero_checksum_edmid;
  // usrsctp sets the RFC 7053 I bit only when the application asks (SCTP_SACK_IMMEDIATELY).
  o->immediate_sack_when_idle = false;
}

std::optional<int> SetExtensionOption(struct ::socket* so, int name, const void* value,
                                      socklen_t len) {
  Endpoint* endpoint = so->endpoint != nullptr ? so->endpoint->endpoint.get() : nullptr;
  switch (name) {
    case SCTP_ENABLE_STREAM_RESET: {
      struct sctp_assoc_value v;
      if (!Read(value, len, &v)) return Fail(EINVAL);
      if ((v.assoc_value & ~uint32_t{SCTP_ENABLE_RESET_STREAM_REQ | SCTP_ENABLE_RESET_ASSOC_REQ |
                                     SCTP_ENABLE_CHANGE_ASSOC_REQ}) != 0) {
        return Fail(EINVAL);
      }
      so->stream_reset_flags = v.assoc_value;
      return 0;
    }
    case SCTP_RESET_STREAMS: {
      // RFC 6525 §6.3.2: struct sctp_reset_streams with srs_number_streams ids after it.
      struct sctp_reset_streams header;
      if (!Read(value, len, &header)) return Fail(EINVAL);
      const size_t needed = sizeof(header) + size_t{header.srs_number_streams} * sizeof(uint16_t);
      if (static_cast<size_t>(len) < needed) return Fail(EINVAL);
      const bool incoming = (header.srs_flags & SCTP_STREAM_RESET_INCOMING) != 0;
      const bool outgoing = (header.srs_flags & SCTP_STREAM_RESET_OUTGOING) != 0;
      if (!incoming && !outgoing) return Fail(EINVAL);
      const auto target = TargetAssociation(so, header.srs_assoc_id);
      if (!target || endpoint == nullptr) return Fail(ENOENT);
      std::vector<StreamId> streams;
      const auto* list = static_cast<const uint8_t*>(value) + sizeof(header);
      for (size_t i = 0; i < header.srs_number_streams; ++i) {
        uint16_t sid;
        std::memcpy(&sid, list + i * sizeof(sid), sizeof(sid));
        streams.push_back(StreamId(sid));
      }
      return FromStatus(
          endpoint->ResetStreams(*target, streams, outgoing, incoming, Stack::Get()->Now()));
    }
    case SCTP_ADD_STREAMS: {
      struct sctp_add_streams add;
      if (!Read(value, len, &add)) return Fail(EINVAL);
      const auto target = TargetAssociation(so, add.sas_assoc_id);
      if (!target || endpoint == nullptr) return Fail(ENOENT);
      return FromStatus(
          endpoint->AddStreams(*target, add.sas_outstrms, add.sas_instrms, Stack::Get()->Now()));
    }
    case SCTP_RESET_ASSOC: {
      // RFC 6525 §6.3.3: the value is the association id.
      sctp_assoc_t id = 0;
      if (!Read(value, len, &id)) return Fail(EINVAL);
      const auto target = TargetAssociation(so, id);
      if (!target || endpoint == nullptr) return Fail(ENOENT);
      return FromStatus(endpoint->ResetAssociation(*target, Stack::Get()->Now()));
    }
    case SCTP_PR_SUPPORTED: {
      struct sctp_assoc_value v;
      if (!Read(value, len, &v)) return Fail(EINVAL);
      so->pr_supported = v.assoc_value != 0;
      return 0;
    }
    case SCTP_DEFAULT_PRINFO: {
      struct sctp_default_prinfo p;
      if (!Read(value, len, &p)) return Fail(EINVAL);
      if (p.pr_policy > SCTP_PR_SCTP_RTX) return Fail(EINVAL);
      so->default_pr_policy = p.pr_policy;
      so->default_pr_value = p.pr_value;
      return 0;
    }
    case SCTP_INTERLEAVING_SUPPORTED: {
      // usrsctp allows I-DATA only with SCTP_FRAGMENT_INTERLEAVE 2 (messages of several
      // streams may then interleave in recvv), and only before the association starts.
      struct sctp_assoc_value v;
      if (!Read(value, len, &v)) return Fail(EINVAL);
      if (v.assoc_value != 0 && so->frag_interleave != 2) return Fail(EINVAL);
      if (so->association.has_value()) return Fail(EINVAL);
      so->interleaving = v.assoc_value != 0;
      return 0;
    }
    case SCTP_PLUGGABLE_SS: {
      struct sctp_assoc_value v;
      if (!Read(value, len, &v)) return Fail(EINVAL);
      if (!ValidScheduler(v.assoc_value)) return Fail(EINVAL);
      so->stream_scheduler = v.assoc_value;
      return 0;
    }
    case SCTP_SS_VALUE: {
      struct sctp_stream_value v;
      if (!Read(value, len, &v)) return Fail(EINVAL);
      const auto target = TargetAssociation(so, v.assoc_id);
      if (!target || endpoint == nullptr) return Fail(EINVAL);
      // The value is the stream's priority for SCTP_SS_PRIORITY (lower first) and its weight
      // for SCTP_SS_WEIGHTED_FAIR_QUEUEING.
      const absl::Status status =
          so->stream_scheduler == SCTP_SS_WEIGHTED_FAIR_QUEUEING
              ? endpoint->SetStreamWeight(*target, StreamId(v.stream_id), v.stream_value)
              : endpoint->SetStreamPriority(*target, StreamId(v.stream_id), v.stream_value);
      return status.ok() ? 0 : Fail(EINVAL);
    }
    case SCTP_ACCEPT_ZERO_CHECKSUM: {
      uint32_t edmid = 0;
      if (!Read(value, len, &edmid)) return Fail(EINVAL);
      if (edmid != SCTP_EDMID_NONE && edmid != SCTP_EDMID_LOWER_LAYER_DTLS) return Fail(EINVAL);
      so->zero_checksum_edmid = edmid;
      return 0;
    }
    default:
      return std::nullopt;
  }
}

std::optional<int> GetExtensionOption(struct ::socket* so, int name, void* value, socklen_t* len) {
  Endpoint* endpoint = so->endpoint != nullptr ? so->endpoint->endpoint.get() : nullptr;
  switch (name) {
    case SCTP_ENABLE_STREAM_RESET:
    case SCTP_PR_SUPPORTED:
    case SCTP_INTERLEAVING_SUPPORTED:
    case SCTP_PLUGGABLE_SS: {
      struct sctp_assoc_value v;
      if (!Read(value, len == nullptr ? 0 : *len, &v)) return Fail(EINVAL);
      switch (name) {
        case SCTP_ENABLE_STREAM_RESET:
          v.assoc_value = so->stream_reset_flags;
          break;
        case SCTP_PR_SUPPORTED:
          v.assoc_value = so->pr_supported ? 1 : 0;
          break;
        case SCTP_INTERLEAVING_SUPPORTED:
          v.assoc_value = so->interleaving ? 1 : 0;
          break;
        default:
          v.assoc_value = so->stream_scheduler;
          break;
      }
      return Write(value, len, v);
    }
    case SCTP_DEFAULT_PRINFO: {
      struct sctp_default_prinfo p;
      if (!Read(value, len == nullptr ? 0 : *len, &p)) return Fail(EINVAL);
      p.pr_policy = so->default_pr_policy;
      p.pr_value = so->default_pr_value;
      return Write(value, len, p);
    }
    case SCTP_PR_STREAM_STATUS:
    case SCTP_PR_ASSOC_STATUS: {
      // RFC 7496 §4.2/§4.3: abandoned message counts, per policy or summed (SCTP_PR_SCTP_ALL).
      struct sctp_prstatus st;
      if (!Read(value, len == nullptr ? 0 : *len, &st)) return Fail(EINVAL);
      const auto target = TargetAssociation(so, st.sprstat_assoc_id);
      if (!target || endpoint == nullptr) return Fail(EINVAL);
      std::optional<PrStatus> status;
      if (name == SCTP_PR_STREAM_STATUS) {
        status = endpoint->GetStreamPrStatus(*target, StreamId(st.sprstat_sid));
      } else if (auto info = endpoint->GetInfo(*target)) {
        status = info->pr_status;
      }
      if (!status) return Fail(EINVAL);
      st.sprstat_abandoned_unsent = 0;
      st.sprstat_abandoned_sent = 0;
      for (uint16_t policy = SCTP_PR_SCTP_TTL; policy <= SCTP_PR_SCTP_RTX; ++policy) {
        if (st.sprstat_policy != kPrPolicyAll && st.sprstat_policy != policy) continue;
        st.sprstat_abandoned_unsent += status->abandoned_unsent[policy];
        st.sprstat_abandoned_sent += status->abandoned_sent[policy];
      }
      return Write(value, len, st);
    }
    case SCTP_ACCEPT_ZERO_CHECKSUM:
      return Write(value, len, so->zero_checksum_edmid);
    default:
      return std::nullopt;
  }
}

std::vector<uint8_t> StreamResetNotification(AssociationId id, const events::StreamReset& e) {
  // RFC 6525 §6.1.1: the affected streams follow the header (none: all streams).
  struct sctp_stream_reset_event n;
  std::memset(&n, 0, sizeof(n));
  n.strreset_type = SCTP_STREAM_RESET_EVENT;
  if (e.incoming) n.strreset_flags |= SCTP_STREAM_RESET_INCOMING_SSN;
  if (e.outgoing) n.strreset_flags |= SCTP_STREAM_RESET_OUTGOING_SSN;
  if (e.denied) n.strreset_flags |= SCTP_STREAM_RESET_DENIED;
  if (e.failed) n.strreset_flags |= SCTP_STREAM_RESET_FAILED;
  n.strreset_length = static_cast<uint32_t>(sizeof(n) + e.streams.size() * sizeof(uint16_t));
  n.strreset_assoc_id = id.value();
  std::vector<uint8_t> out(n.strreset_length);
  std::memcpy(out.data(), &n, sizeof(n));
  for (size_t i = 0; i < e.streams.size(); ++i) {
    const uint16_t sid = e.streams[i].value();
    std::memcpy(out.data() + sizeof(n) + i * sizeof(sid), &sid, sizeof(sid));
  }
  return out;
}

std::vector<uint8_t> StreamChangeNotification(AssociationId id, const events::StreamChange& e) {
  // RFC 6525 §6.1.3.
  struct sctp_stream_change_event n;
  std::memset(&n, 0, sizeof(n));
  n.strchange_type = SCTP_STREAM_CHANGE_EVENT;
  if (e.denied) n.strchange_flags |= SCTP_STREAM_CHANGE_DENIED;
  if (e.failed) n.strchange_flags |= SCTP_STREAM_CHANGE_FAILED;
  n.strchange_length = sizeof(n);
  n.strchange_assoc_id = id.value();
  n.strchange_instrms = e.inbound_streams;
  n.strchange_outstrms = e.outbound_streams;
  std::vector<uint8_t> out(sizeof(n));
  std::memcpy(out.data(), &n, sizeof(n));
  return out;
}

std::vector<uint8_t> AssociationResetNotification(AssociationId id,
                                                  const events::AssociationReset& e) {
  // RFC 6525 §6.1.2.
  struct sctp_assoc_reset_event n;
  std::memset(&n, 0, sizeof(n));
  n.assocreset_type = SCTP_ASSOC_RESET_EVENT;
  if (e.denied) n.assocreset_flags |= SCTP_ASSOC_RESET_DENIED;
  if (e.failed) n.assocreset_flags |= SCTP_ASSOC_RESET_FAILED;
  n.assocreset_length = sizeof(n);
  n.assocreset_assoc_id = id.value();
  n.assocreset_local_tsn = e.local_tsn.value();
  n.assocreset_remote_tsn = e.remote_tsn.value();
  std::vector<uint8_t> out(sizeof(n));
  std::memcpy(out.data(), &n, sizeof(n));
  return out;
}

void ApplyPrPolicy(uint16_t policy, uint32_t value, SendOptions* options) {
  // RFC 7496 §3 / RFC 6458 §5.3.7 sctp_prinfo: TTL in milliseconds, RTX a retransmission
  // count, BUF (RFC 7496 "priority") a priority where a lower value is more important.
  switch (policy) {
    case SCTP_PR_SCTP_TTL:
      options->lifetime = Milliseconds(value);
      break;
    case SCTP_PR_SCTP_RTX:
      options->max_retransmissions = value;
      break;
    case SCTP_PR_SCTP_BUF:
      options->priority = static_cast<uint16_t>(std::min<uint32_t>(value, 0xffff));
      break;
    default:
      break;
  }
}

}  // namespace sctp::compat
