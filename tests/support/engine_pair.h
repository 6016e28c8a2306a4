// Two sctp::Endpoints over the simulated network (support/sim_network.h), for end-to-end
// tests of the engine: a client and a server, optionally multihomed, with every event and
// every delivered message recorded.
#ifndef SCTPCPP_TESTS_SUPPORT_ENGINE_PAIR_H_
#define SCTPCPP_TESTS_SUPPORT_ENGINE_PAIR_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sctpcpp/endpoint.h"
#include "support/sim_network.h"

namespace sctp::testing {

struct Peer {
  std::string name;
  std::vector<Address> addresses;
  uint16_t port = 0;
  std::unique_ptr<Endpoint> endpoint;
  std::vector<Event> events;      // every event, in order
  std::vector<Message> messages;  // complete messages, partial pieces joined
  std::map<std::pair<uint32_t, uint16_t>, Message> partial;  // (assoc, stream) → pieces so far
  std::optional<AssociationId> association;  // from CommunicationUp (server) or Connect (client)

  template <typename T>
  int Count() const {
    int n = 0;
    for (const Event& e : events)
      n += std::holds_alternative<T>(e.payload) ? 1 : 0;
    return n;
  }
  template <typename T>
  const T* Last() const {
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      if (const T* t = std::get_if<T>(&it->payload)) return t;
    }
    return nullptr;
  }
};

struct PairConfig {
  uint64_t seed = 1;
  sim::LinkConfig link;  // both directions, every path
  Options client_options;
  Options server_options;
  int paths = 1;                 // addresses per side; path i joins client[i] and server[i]
  bool deep_invariants = false;  // also run the O(n) queue checks after every callback
};

class EnginePair {
 public:
  explicit EnginePair(const PairConfig& config);

  sim::Simulation& sim() { return sim_; }
  Peer& client() { return client_; }
  Peer& server() { return server_; }
  TimePoint now() const { return sim_.now(); }

  // Starts the association from the client (to all server addresses, the first primary).
  AssociationId Connect();
  // Connect() and run until both sides report CommunicationUp (or `limit` passes).
  bool ConnectAndWait(Duration limit = Seconds(30));
  // Runs until `done` or `limit` of virtual time; false if it did not become true.
  bool RunUntil(const std::function<bool()>& done, Duration limit);
  void RunFor(Duration d);

  // Replaces a peer's Endpoint with a fresh one (a crashed and restarted host: same
  // addresses and port, new tags and TSNs). Events recorded so far are kept.
  void RecreateEndpoint(Peer& peer, uint64_t seed);

  bool Established() const;
  // The first invariant violation seen after any callback of either endpoint, or "".
  const std::string& violation() const { return violation_; }
  bool BothClosed() const;

 private:
  void Setup(Peer& peer, const std::string& name, uint8_t host, uint16_t port,
             const Options& options, bool listen, int paths, uint64_t seed);
  void MakeEndpoint(Peer& peer, const Options& options, bool listen, uint64_t seed);
  void OnEvent(Peer& peer, Event&& event);
  void CheckInvariants(Peer& peer);

  PairConfig config_;
  sim::Simulation sim_;
  Peer client_;
  Peer server_;
  std::string violation_;
};

}  // namespace sctp::testing

#endif  // SCTPCPP_TESTS_SUPPORT_ENGINE_PAIR_H_
