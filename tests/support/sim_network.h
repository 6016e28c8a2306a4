// A deterministic simulated network and virtual-time event loop for tests (test support,
// not part of the library). Two or more sans-IO stacks live in one process; packets travel
// over directed links that model propagation delay, jitter, bandwidth with a FIFO queue,
// random and bursty loss, duplication, reordering, corruption, MTU and path failure.
//
// Determinism: every random decision comes from one seeded std::mt19937_64 per Network,
// drawn through hand-written helpers (not std::*_distribution, whose output differs between
// standard libraries), so a seed gives the same run with libstdc++ and libc++. An
// impairment that is off (probability 0 or 1, zero jitter) draws nothing, so a clean link
// consumes no randomness at all. Links live in an ordered map and in-flight
// packets in a heap keyed by (delivery time, send sequence number): no iteration order
// depends on hashing or pointers. Time is virtual and starts at TimePoint{}.
//
// Order of decisions for each packet given to Network::Send (steps 1-6 drop it, the first
// that applies wins and is counted; steps 7-10 all apply to a surviving packet):
//   1. no link for (from, to)              -> dropped, stats().no_route
//   2. link down (LinkConfig::up == false) -> dropped, lost_down
//   3. size > mtu (mtu != 0)               -> dropped, lost_mtu
//   4. queue full (queue_limit_bytes != 0) -> tail drop, lost_queue
//      The packet is now accepted by the link's transmitter: it occupies the (FIFO)
//      serializer for bytes*8/bandwidth even if it is lost on the wire below.
//   5. Gilbert-Elliott state step; bad     -> dropped, lost_burst
//   6. independent loss                    -> dropped, lost_random
//   7. corruption: one byte XOR a random non-zero value, corrupted
//   8. arrival = end of serialization + delay + uniform[0, jitter]; with preserve_order the
//      arrival is clamped to be no earlier than the previous in-order arrival on the link
//   9. reorder: + reorder_delay, reordered (later packets overtake it)
//  10. duplicate: a second identical copy at arrival + uniform[0, duplicate_delay], duplicated
//
// Changing a link mid-run (Link(from, to).up = false, or SetLink on an existing link) only
// affects packets sent afterwards: packets already in flight were on the wire and still
// arrive (a documented choice; tests of path failure that need in-flight loss can stop
// delivering to the node instead). SetLink on an existing link replaces its configuration
// and keeps its statistics, its transmit queue and its ordering state.
#ifndef SCTPCPP_TESTS_SUPPORT_SIM_NETWORK_H_
#define SCTPCPP_TESTS_SUPPORT_SIM_NETWORK_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <random>
#include <span>
#include <utility>
#include <vector>

#include "sctpcpp/address.h"
#include "sctpcpp/time.h"

namespace sctp::sim {

struct LinkConfig {
  Duration delay = Milliseconds(10);   // one-way propagation delay
  Duration jitter = Duration::zero();  // uniform extra delay in [0, jitter]
  bool preserve_order = true;          // when false, jitter can reorder packets
  uint64_t bandwidth_bps = 0;          // 0 = unlimited; else bytes*8/bps serialization, FIFO
  size_t queue_limit_bytes = 0;        // 0 = unlimited; bytes accepted and not yet fully serialized
                                       // (the packet on the wire included); tail drop beyond.
                                       // Without a bandwidth limit nothing ever queues.
  double loss = 0.0;                   // independent random loss probability
  // Gilbert model: per packet the state first moves (good->bad with burst_loss_enter,
  // bad->good with burst_loss_exit), then in the bad state the packet is lost. Mean burst
  // length is 1/burst_loss_exit; the long-run loss rate is enter/(enter+exit).
  double burst_loss_enter = 0.0, burst_loss_exit = 1.0;
  double duplicate = 0.0;                      // probability a packet is delivered twice
  Duration duplicate_delay = Milliseconds(5);  // the copy's extra delay: uniform[0, this]
  double reorder = 0.0;  // probability a packet gets an extra reorder_delay (is overtaken)
  Duration reorder_delay = Milliseconds(20);
  double corrupt = 0.0;  // probability one random byte is changed (never a no-op change)
  size_t mtu = 0;        // 0 = unlimited; larger packets are dropped (lost_mtu)
  bool up = true;        // a down link drops everything sent on it
};

struct Packet {
  Address from;
  Address to;
  std::vector<uint8_t> bytes;
  TimePoint sent_at;
};

class Network {
 public:
  struct Stats {
    uint64_t sent = 0;       // every Send, including those without a route
    uint64_t delivered = 0;  // every delivery (a duplicate counts twice)
    uint64_t lost_random = 0, lost_burst = 0, lost_queue = 0, lost_mtu = 0, lost_down = 0;
    uint64_t no_route = 0;  // only in stats(), never in link_stats()
    uint64_t duplicated = 0, reordered = 0, corrupted = 0;
    uint64_t bytes_sent = 0, bytes_delivered = 0;
  };

  explicit Network(uint64_t seed);
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  // Directed link from `from` to `to`: created, or its configuration replaced (see above).
  void SetLink(const Address& from, const Address& to, const LinkConfig& config);
  void SetBidirectional(const Address& a, const Address& b, const LinkConfig& config);
  // The live configuration of an existing link, to change mid-run. Throws std::out_of_range
  // if there is no such link (a typo must not silently create a route).
  LinkConfig& Link(const Address& from, const Address& to);
  bool HasLink(const Address& from, const Address& to) const;

  // Sends at time `now` (which callers keep non-decreasing).
  void Send(const Address& from, const Address& to, std::span<const uint8_t> bytes, TimePoint now);
  // kNever if nothing is in flight.
  TimePoint NextDeliveryTime() const;
  size_t in_flight() const { return heap_.size(); }
  // Removes and returns every packet due at or before `now`, in delivery-time order (ties
  // in send order; a duplicate's copy is ordered as if sent right after its original).
  // Calls the capture observer for each, in the same order.
  std::vector<Packet> DeliverDue(TimePoint now);

  const Stats& stats() const { return stats_; }
  // Throws std::out_of_range if there is no such link.
  const Stats& link_stats(const Address& from, const Address& to) const;
  // Every delivered packet (e.g. for a pcap writer); nullptr to remove.
  void SetCapture(std::function<void(const Packet&, TimePoint delivered_at)> observer);

  std::mt19937_64& rng() { return rng_; }

 private:
  struct LinkState {
    LinkConfig config;
    Stats stats;
    bool burst_bad = false;     // Gilbert state
    int64_t busy_until_ns = 0;  // end of serialization of the last accepted packet
    std::deque<std::pair<int64_t, size_t>> queue;  // (serialization end ns, bytes)
    size_t queued_bytes = 0;
    TimePoint last_in_order_arrival{};
  };
  struct InFlight {
    TimePoint at;
    uint64_t seq;
    LinkState* link;
    Packet packet;
  };
  struct Later {
    bool operator()(const InFlight& a, const InFlight& b) const {
      return a.at != b.at ? a.at > b.at : a.seq > b.seq;
    }
  };

  bool Chance(double p);
  uint64_t UniformUpTo(uint64_t max);  // uniform in [0, max]
  Duration UniformDuration(Duration max);
  void Push(TimePoint at, LinkState* link, Packet packet);

  std::mt19937_64 rng_;
  std::map<std::pair<Address, Address>, LinkState> links_;
  std::vector<InFlight> heap_;  // a binary heap ordered by Later
  uint64_t next_seq_ = 0;
  Stats stats_;
  std::function<void(const Packet&, TimePoint)> capture_;
};

// A virtual clock and event loop. Nodes register the addresses they own, a packet handler
// and a deadline/timeout pair; RunUntil repeatedly advances virtual time to the earliest
// of the next packet delivery and the earliest node deadline, then, at that instant,
// delivers every due packet (in delivery order) and afterwards calls on_timeout of every
// node (in AddNode order) whose next_deadline() is at or before now. That is one step.
//
// Time never goes backwards: a deadline in the past is served immediately at the current
// time. A node whose deadline does not move after on_timeout is therefore served again and
// again at the same instant; max_steps bounds that (RunUntil returns false), so a buggy
// stack makes a test fail instead of hang.
//
// Randomness: rng() is seeded from `seed`; the network's generator is seeded with the first
// draw of that stream, so one seed fixes the whole run while a node drawing more or fewer
// numbers does not shift the network's loss pattern.
class Simulation {
 public:
  struct Node {
    std::function<void(const Packet&, TimePoint now)> on_packet = nullptr;
    std::function<TimePoint()> next_deadline = nullptr;  // kNever (or unset) if none
    std::function<void(TimePoint now)> on_timeout = nullptr;
  };

  explicit Simulation(uint64_t seed);
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  Network& network() { return network_; }
  TimePoint now() const { return now_; }
  std::mt19937_64& rng() { return rng_; }

  // Returns the node's index. Throws std::invalid_argument if an address is already owned.
  int AddNode(std::vector<Address> addresses, Node node);
  // Network().Send at now().
  void Send(const Address& from, const Address& to, std::span<const uint8_t> bytes);

  // Runs until virtual time `until`, until `done()` returns true (checked before every
  // step), or until nothing is scheduled. Returns false only if it stopped because
  // max_steps steps ran in this call. When it stops at `until` or because nothing is
  // scheduled, now() becomes `until` (unless `until` is kNever): idle time passes. When
  // done() stops it, now() is the time of the last step.
  bool RunUntil(TimePoint until, std::function<bool()> done = nullptr,
                uint64_t max_steps = 50'000'000);
  bool RunFor(Duration d, std::function<bool()> done = nullptr, uint64_t max_steps = 50'000'000);

  uint64_t steps() const { return steps_; }  // total over all runs
  // Packets delivered to an address no node owns (dropped).
  uint64_t undeliverable() const { return undeliverable_; }

 private:
  TimePoint NextEventTime() const;
  void Step();

  std::mt19937_64 rng_;
  Network network_;
  TimePoint now_{};
  std::deque<Node> nodes_;  // stable references: a callback may add a node
  std::map<Address, int> owner_;
  uint64_t steps_ = 0;
  uint64_t undeliverable_ = 0;
};

}  // namespace sctp::sim

#endif  // SCTPCPP_TESTS_SUPPORT_SIM_NETWORK_H_
