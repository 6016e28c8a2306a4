// CRC32c throughput: the run-time dispatched implementation (SSE4.2 / ARMv8 CRC when the CPU
// has it) against the portable slicing-by-8 tables, at packet-like sizes.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "wire/crc32c.h"

namespace {

std::vector<uint8_t> RandomBuffer(size_t n) {
  std::mt19937 rng(42);
  std::vector<uint8_t> v(n);
  for (auto& b : v)
    b = static_cast<uint8_t>(rng());
  return v;
}

void BM_Crc32cDispatched(benchmark::State& state) {
  const std::vector<uint8_t> buf = RandomBuffer(static_cast<size_t>(state.range(0)));
  state.SetLabel(std::string(sctp::wire::Crc32cImplementationName()));
  for (auto _ : state) {
    benchmark::DoNotOptimize(buf.data());
    uint32_t crc = sctp::wire::Crc32c(buf);
    benchmark::DoNotOptimize(crc);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

void BM_Crc32cPortable(benchmark::State& state) {
  const std::vector<uint8_t> buf = RandomBuffer(static_cast<size_t>(state.range(0)));
  state.SetLabel("table");
  for (auto _ : state) {
    benchmark::DoNotOptimize(buf.data());
    uint32_t crc = sctp::wire::Crc32cExtendPortable(0, buf);
    benchmark::DoNotOptimize(crc);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

// The whole receive-side check of an SCTP packet (checksum field treated as zero).
void BM_SctpVerify(benchmark::State& state) {
  std::vector<uint8_t> packet = RandomBuffer(static_cast<size_t>(state.range(0)));
  sctp::wire::WriteSctpChecksum(packet);
  for (auto _ : state) {
    benchmark::DoNotOptimize(packet.data());
    bool ok = sctp::wire::VerifySctpChecksum(packet);
    benchmark::DoNotOptimize(ok);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

BENCHMARK(BM_Crc32cDispatched)->Arg(64)->Arg(1500)->Arg(9000)->Arg(65536);
BENCHMARK(BM_Crc32cPortable)->Arg(64)->Arg(1500)->Arg(9000)->Arg(65536);
BENCHMARK(BM_SctpVerify)->Arg(64)->Arg(1500)->Arg(9000);

}  // namespace
