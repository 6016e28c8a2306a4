// Throughput of two sctpcpp engines over the simulated network (virtual time): how much of a
// link's capacity a bulk transfer uses. Counters:
//   utilization  goodput / link rate (virtual time, deterministic for a seed)
//   goodput_Mbps application bytes delivered per virtual second
//   sim_ratio    virtual seconds simulated per wall-clock second
#include <benchmark/benchmark.h>

#include <chrono>

#include "support/engine_pair.h"

namespace sctp::testing {
namespace {

void BM_SimulatedBulkTransfer(benchmark::State& state) {
  const uint64_t rate_bps = static_cast<uint64_t>(state.range(0)) * 1'000'000;
  const Duration one_way = Milliseconds(state.range(1) / 2);
  const size_t total_bytes = static_cast<size_t>(state.range(2)) * 1024 * 1024;
  const size_t message_size = 64 * 1024;
  double utilization = 0, goodput = 0, virtual_seconds = 0, wall_seconds = 0;
  for (auto _ : state) {
    PairConfig config;
    config.seed = 1;
    config.link.delay = one_way;
    config.link.bandwidth_bps = rate_bps;
    // Queue of one bandwidth-delay product.
    config.link.queue_limit_bytes =
        static_cast<size_t>(rate_bps / 8 * 2 * ToMilliseconds(one_way) / 1000);
    config.client_options.receive_window = 4 * 1024 * 1024;
    config.server_options.receive_window = 4 * 1024 * 1024;
    config.client_options.send_buffer_size = 16 * 1024 * 1024;
    config.client_options.heartbeats_enabled = false;
    config.server_options.heartbeats_enabled = false;
    EnginePair pair(config);
    if (!pair.ConnectAndWait()) {
      state.SkipWithError("no association");
      return;
    }
    Peer& c = pair.client();
    Peer& s = pair.server();
    size_t queued = 0;
    size_t delivered = 0;
    const TimePoint start = pair.now();
    const auto wall_start = std::chrono::steady_clock::now();
    const bool done = pair.RunUntil(
        [&] {
          while (queued < total_bytes &&
                 c.endpoint
                     ->Send(*c.association, StreamId(0), Ppid(0),
                            std::vector<uint8_t>(message_size, 0x5a), {}, pair.now())
                     .ok()) {
            queued += message_size;
          }
          // Count and drop delivered messages (a bulk transfer must not pile up in memory).
          for (const Message& m : s.messages)
            delivered += m.payload.size();
          s.messages.clear();
          return delivered >= total_bytes;
        },
        Seconds(3600));
    if (!done) {
      state.SkipWithError("transfer did not complete");
      return;
    }
    wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    virtual_seconds = std::chrono::duration<double>(pair.now() - start).count();
    goodput = static_cast<double>(total_bytes) * 8 / virtual_seconds;
    utilization = goodput / static_cast<double>(rate_bps);
  }
  state.counters["utilization"] = utilization;
  state.counters["goodput_Mbps"] = goodput / 1e6;
  state.counters["virtual_s"] = virtual_seconds;
  state.counters["sim_ratio"] = virtual_seconds / wall_seconds;
}

// 100 Mbit/s, 50 ms RTT, 64 MiB; and 10 Mbit/s, 200 ms RTT, 16 MiB.
BENCHMARK(BM_SimulatedBulkTransfer)
    ->Args({100, 50, 64})
    ->Args({10, 200, 16})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
}  // namespace sctp::testing
