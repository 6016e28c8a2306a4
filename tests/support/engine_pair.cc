#include "support/engine_pair.h"

namespace sctp::testing {

EnginePair::EnginePair(const PairConfig& config) : config_(config), sim_(config.seed) {
  Setup(client_, "client", 1, 5001, config.client_options, false, config.paths,
        config.seed * 2 + 1);
  Setup(server_, "server", 2, 5002, config.server_options, true, config.paths, config.seed * 2 + 2);
  for (int i = 0; i < config.paths; ++i) {
    sim_.network().SetBidirectional(client_.addresses[i], server_.addresses[i], config.link);
  }
}

void EnginePair::Setup(Peer& peer, const std::string& name, uint8_t host, uint16_t port,
                       const Options& options, bool listen, int paths, uint64_t seed) {
  peer.name = name;
  peer.port = port;
  for (int i = 0; i < paths; ++i) {
    peer.addresses.push_back(Address::Ipv4({10, static_cast<uint8_t>(i), 0, host}));
  }
  MakeEndpoint(peer, options, listen, seed);
  Peer* self = &peer;
  sim::Simulation::Node node;
  node.on_packet = [this, self](const sim::Packet& p, TimePoint now) {
    self->endpoint->HandlePacket(p.from, p.to, p.bytes, now);
    CheckInvariants(*self);
  };
  node.next_deadline = [self] { return self->endpoint->NextDeadline(); };
  node.on_timeout = [this, self](TimePoint now) {
    self->endpoint->HandleTimeout(now);
    CheckInvariants(*self);
  };
  sim_.AddNode(peer.addresses, node);
}

void EnginePair::RecreateEndpoint(Peer& peer, uint64_t seed) {
  const bool is_client = &peer == &client_;
  peer.partial.clear();
  peer.association.reset();
  MakeEndpoint(peer, is_client ? config_.client_options : config_.server_options, !is_client, seed);
}

void EnginePair::MakeEndpoint(Peer& peer, const Options& options, bool listen, uint64_t seed) {
  EndpointConfig ec;
  ec.local_port = peer.port;
  ec.listen = listen;
  ec.options = options;
  ec.seed = seed;
  if (peer.addresses.size() > 1) ec.local_addresses = peer.addresses;
  EndpointCallbacks cb;
  Peer* self = &peer;
  cb.send_packet = [this, self](const Address& from, const Address& to,
                                std::span<const uint8_t> bytes) {
    Address source = from;
    if (source.empty()) {
      // Path i's traffic leaves from our address i (the harness wires i ↔ i).
      source = self->addresses[0];
      for (size_t i = 0; i < self->addresses.size(); ++i) {
        const Peer& other = self == &client_ ? server_ : client_;
        if (i < other.addresses.size() && other.addresses[i] == to) source = self->addresses[i];
      }
    }
    sim_.Send(source, to, bytes);
  };
  cb.on_event = [this, self](Event&& e) { OnEvent(*self, std::move(e)); };
  peer.endpoint = std::make_unique<Endpoint>(ec, cb);
}

void EnginePair::OnEvent(Peer& peer, Event&& event) {
  if (auto* m = std::get_if<events::MessageReceived>(&event.payload)) {
    auto key = std::make_pair(event.association.value(), m->message.stream_id.value());
    auto it = peer.partial.find(key);
    if (it == peer.partial.end() && m->end_of_message) {
      peer.messages.push_back(m->message);
    } else {
      Message& acc = peer.partial[key];
      if (acc.payload.empty()) {
        acc.stream_id = m->message.stream_id;
        acc.ppid = m->message.ppid;
        acc.unordered = m->message.unordered;
      }
      acc.payload.insert(acc.payload.end(), m->message.payload.begin(), m->message.payload.end());
      if (m->end_of_message) {
        peer.messages.push_back(std::move(acc));
        peer.partial.erase(key);
      }
    }
    // Keep the event without its payload (tests look at counts and order).
    events::MessageReceived light{
        Message{m->message.stream_id, m->message.ppid, m->message.unordered, {}},
        m->end_of_message};
    peer.events.push_back(Event{event.association, std::move(light)});
    return;
  }
  if (std::holds_alternative<events::CommunicationUp>(event.payload)) {
    peer.association = event.association;
  }
  peer.events.push_back(std::move(event));
}

void EnginePair::CheckInvariants(Peer& peer) {
  if (!violation_.empty()) return;
  std::string v = peer.endpoint->InvariantViolation(config_.deep_invariants);
  if (!v.empty()) {
    violation_ = peer.name + " at " +
                 std::to_string(ToMilliseconds(sim_.now().time_since_epoch())) + " ms: " + v;
  }
}

AssociationId EnginePair::Connect() {
  auto id = client_.endpoint->Connect(server_.addresses, server_.port, sim_.now(),
                                      &config_.client_options);
  client_.association = *id;
  return *id;
}

bool EnginePair::ConnectAndWait(Duration limit) {
  Connect();
  return RunUntil([this] { return Established(); }, limit);
}

bool EnginePair::Established() const {
  return client_.Count<events::CommunicationUp>() > 0 &&
         server_.Count<events::CommunicationUp>() > 0;
}

bool EnginePair::BothClosed() const {
  return client_.Count<events::AssociationClosed>() > 0 &&
         server_.Count<events::AssociationClosed>() > 0;
}

bool EnginePair::RunUntil(const std::function<bool()>& done, Duration limit) {
  sim_.RunUntil(sim_.now() + limit, done, 20'000'000);
  return done();
}

void EnginePair::RunFor(Duration d) {
  sim_.RunFor(d, nullptr, 20'000'000);
}

}  // namespace sctp::testing
