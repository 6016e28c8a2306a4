#include "support/sim_network.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace sctp::sim {
namespace {

int64_t ToNanoseconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// Rounds up: a packet has not arrived before its last bit has.
TimePoint FromNanosecondsCeil(int64_t ns) {
  constexpr int64_t kPerTick = std::nano::den / HostClock::period::den;  // ns per tick
  return TimePoint(Duration((ns + kPerTick - 1) / kPerTick));
}

// bytes*8/bps seconds in nanoseconds, rounded up; 0 for an unlimited link. 128-bit so that
// neither a large packet nor a fast link overflows.
int64_t SerializationNs(size_t bytes, uint64_t bandwidth_bps) {
  if (bandwidth_bps == 0) return 0;
  __extension__ using Wide = unsigned __int128;
  const Wide bits_times_ns = static_cast<Wide>(bytes) * 8u * 1'000'000'000u;
  const Wide ns = (bits_times_ns + bandwidth_bps - 1) / bandwidth_bps;
  return static_cast<int64_t>(std::min<Wide>(ns, std::numeric_limits<int64_t>::max() / 2));
}

std::string LinkName(const Address& from, const Address& to) {
  return from.ToString() + " -> " + to.ToString();
}

}  // namespace

// ---- Network ---------------------------------------------------------------------------

Network::Network(uint64_t seed) : rng_(seed) {}

bool Network::Chance(double p) {
  if (!(p > 0.0)) return false;  // also NaN: an impairment that is off draws nothing
  if (p >= 1.0) return true;
  // 53 random bits -> a double uniform in [0, 1), the same on every standard library.
  const double u = static_cast<double>(rng_() >> 11) * 0x1.0p-53;
  return u < p;
}

uint64_t Network::UniformUpTo(uint64_t max) {
  if (max == 0) return 0;
  if (max == std::numeric_limits<uint64_t>::max()) return rng_();
  // Rejection sampling: unbiased, and portable (std::uniform_int_distribution is not).
  const uint64_t range = max + 1;
  const uint64_t limit =
      std::numeric_limits<uint64_t>::max() - std::numeric_limits<uint64_t>::max() % range;
  uint64_t x;
  do {
    x = rng_();
  } while (x >= limit);
  return x % range;
}

Duration Network::UniformDuration(Duration max) {
  if (max <= Duration::zero()) return Duration::zero();
  return Duration(static_cast<Duration::rep>(UniformUpTo(static_cast<uint64_t>(max.count()))));
}

void Network::SetLink(const Address& from, const Address& to, const LinkConfig& config) {
  links_[{from, to}].config = config;
}

void Network::SetBidirectional(const Address& a, const Address& b, const LinkConfig& config) {
  SetLink(a, b, config);
  SetLink(b, a, config);
}

LinkConfig& Network::Link(const Address& from, const Address& to) {
  auto it = links_.find({from, to});
  if (it == links_.end()) throw std::out_of_range("sim::Network: no link " + LinkName(from, to));
  return it->second.config;
}

bool Network::HasLink(const Address& from, const Address& to) const {
  return links_.contains({from, to});
}

const Network::Stats& Network::link_stats(const Address& from, const Address& to) const {
  auto it = links_.find({from, to});
  if (it == links_.end()) throw std::out_of_range("sim::Network: no link " + LinkName(from, to));
  return it->second.stats;
}

void Network::SetCapture(std::function<void(const Packet&, TimePoint delivered_at)> observer) {
  capture_ = std::move(observer);
}

void Network::Push(TimePoint at, LinkState* link, Packet packet) {
  heap_.push_back(InFlight{at, next_seq_++, link, std::move(packet)});
  std::push_heap(heap_.begin(), heap_.end(), Later{});
}

void Network::Send(const Address& from, const Address& to, std::span<const uint8_t> bytes,
                   TimePoint now) {
  const size_t size = bytes.size();
  ++stats_.sent;
  stats_.bytes_sent += size;
  auto it = links_.find({from, to});
  if (it == links_.end()) {
    ++stats_.no_route;
    return;
  }
  LinkState& link = it->second;
  const LinkConfig& config = link.config;
  ++link.stats.sent;
  link.stats.bytes_sent += size;
  auto count = [&](uint64_t Stats::*counter) {
    ++(stats_.*counter);
    ++(link.stats.*counter);
  };

  if (!config.up) return count(&Stats::lost_down);
  if (config.mtu != 0 && size > config.mtu) return count(&Stats::lost_mtu);

  // The transmitter: a FIFO that serializes one packet after another at bandwidth_bps.
  // Entries leave the queue when their last bit is on the wire.
  const int64_t now_ns = ToNanoseconds(now);
  while (!link.queue.empty() && link.queue.front().first <= now_ns) {
    link.queued_bytes -= link.queue.front().second;
    link.queue.pop_front();
  }
  if (config.queue_limit_bytes != 0 && link.queued_bytes + size > config.queue_limit_bytes) {
    return count(&Stats::lost_queue);
  }
  const int64_t start_ns = std::max(now_ns, link.busy_until_ns);
  const int64_t end_ns = start_ns + SerializationNs(size, config.bandwidth_bps);
  link.busy_until_ns = end_ns;
  if (end_ns > now_ns) {
    link.queue.emplace_back(end_ns, size);
    link.queued_bytes += size;
  }

  // Losses on the wire (after the packet used its share of the bandwidth).
  if (config.burst_loss_enter > 0.0 || link.burst_bad) {
    link.burst_bad =
        link.burst_bad ? !Chance(config.burst_loss_exit) : Chance(config.burst_loss_enter);
    if (link.burst_bad) return count(&Stats::lost_burst);
  }
  if (Chance(config.loss)) return count(&Stats::lost_random);

  Packet packet{from, to, std::vector<uint8_t>(bytes.begin(), bytes.end()), now};
  if (size != 0 && Chance(config.corrupt)) {
    const size_t index = static_cast<size_t>(UniformUpTo(size - 1));
    packet.bytes[index] ^= static_cast<uint8_t>(1 + UniformUpTo(254));  // never XOR 0
    count(&Stats::corrupted);
  }

  TimePoint arrival = FromNanosecondsCeil(end_ns) + std::max(config.delay, Duration::zero()) +
                      UniformDuration(config.jitter);
  if (config.preserve_order) arrival = std::max(arrival, link.last_in_order_arrival);
  link.last_in_order_arrival = std::max(link.last_in_order_arrival, arrival);
  if (Chance(config.reorder)) {
    // Not recorded in last_in_order_arrival: the packets behind it overtake it.
    arrival += std::max(config.reorder_delay, Duration::zero());
    count(&Stats::reordered);
  }

  if (Chance(config.duplicate)) {
    const TimePoint copy_at = arrival + UniformDuration(config.duplicate_delay);
    Packet copy = packet;
    Push(arrival, &link, std::move(packet));
    Push(copy_at, &link, std::move(copy));
    count(&Stats::duplicated);
    return;
  }
  Push(arrival, &link, std::move(packet));
}

TimePoint Network::NextDeliveryTime() const {
  return heap_.empty() ? kNever : heap_.front().at;
}

std::vector<Packet> Network::DeliverDue(TimePoint now) {
  std::vector<Packet> due;
  while (!heap_.empty() && heap_.front().at <= now) {
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    InFlight event = std::move(heap_.back());
    heap_.pop_back();
    const uint64_t size = event.packet.bytes.size();
    ++stats_.delivered;
    stats_.bytes_delivered += size;
    ++event.link->stats.delivered;
    event.link->stats.bytes_delivered += size;
    if (capture_) capture_(event.packet, event.at);
    due.push_back(std::move(event.packet));
  }
  return due;
}

// ---- Simulation ------------------------------------------------------------------------

// rng_ is declared before network_, so it is constructed first and its first draw seeds the
// network.
Simulation::Simulation(uint64_t seed) : rng_(seed), network_(rng_()) {}

int Simulation::AddNode(std::vector<Address> addresses, Node node) {
  for (const Address& address : addresses) {
    if (owner_.contains(address)) {
      throw std::invalid_argument("sim::Simulation: address already owned: " + address.ToString());
    }
  }
  const int index = static_cast<int>(nodes_.size());
  for (const Address& address : addresses)
    owner_.emplace(address, index);
  nodes_.push_back(std::move(node));
  return index;
}

void Simulation::Send(const Address& from, const Address& to, std::span<const uint8_t> bytes) {
  network_.Send(from, to, bytes, now_);
}

TimePoint Simulation::NextEventTime() const {
  TimePoint next = network_.NextDeliveryTime();
  for (const Node& node : nodes_) {
    if (node.next_deadline && node.on_timeout) next = std::min(next, node.next_deadline());
  }
  return next;
}

void Simulation::Step() {
  for (const Packet& packet : network_.DeliverDue(now_)) {
    auto it = owner_.find(packet.to);
    // nodes_ is a deque: a callback that adds a node does not move the running one.
    if (it == owner_.end() || !nodes_[static_cast<size_t>(it->second)].on_packet) {
      ++undeliverable_;
      continue;
    }
    nodes_[static_cast<size_t>(it->second)].on_packet(packet, now_);
  }
  for (size_t i = 0; i < nodes_.size(); ++i) {
    Node& node = nodes_[i];
    if (node.next_deadline && node.on_timeout && node.next_deadline() <= now_) {
      node.on_timeout(now_);
    }
  }
}

bool Simulation::RunUntil(TimePoint until, std::function<bool()> done, uint64_t max_steps) {
  uint64_t steps = 0;
  while (true) {
    if (done && done()) return true;
    const TimePoint next = NextEventTime();
    if (next == kNever || next > until) {
      if (until != kNever) now_ = std::max(now_, until);
      return true;
    }
    if (steps >= max_steps) return false;
    ++steps;
    ++steps_;
    now_ = std::max(now_, next);  // a deadline in the past runs now; time never goes back
    Step();
  }
}

bool Simulation::RunFor(Duration d, std::function<bool()> done, uint64_t max_steps) {
  return RunUntil(now_ + d, std::move(done), max_steps);
}

}  // namespace sctp::sim
