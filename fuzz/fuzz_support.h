// Helpers shared by the stateful fuzz targets: a raw packet writer that can also lie about
// lengths, the check every packet our stack emits must pass, and a reader of fuzz input.
#ifndef SCTPCPP_FUZZ_FUZZ_SUPPORT_H_
#define SCTPCPP_FUZZ_FUZZ_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace sctp::fuzz {

// Reads fuzz input front to back: integers big-endian in as few bytes as their range needs,
// so make_seed_corpus can write meaningful inputs with InputWriter (the mirror image).
// Past the end every read yields zero / the range's minimum.
class InputReader {
 public:
  explicit InputReader(std::span<const uint8_t> data) : data_(data) {}

  size_t remaining_bytes() const { return data_.size() - offset_; }

  template <typename T>
  T ConsumeIntegralInRange(T min, T max) {
    using U = std::make_unsigned_t<T>;
    const uint64_t range = static_cast<uint64_t>(static_cast<U>(max) - static_cast<U>(min));
    uint64_t value = 0;
    for (uint64_t covered = 0; covered < range && offset_ < data_.size();
         covered = covered * 256 + 255)
      value = (value << 8) | data_[offset_++];
    if (range != std::numeric_limits<uint64_t>::max()) value %= range + 1;
    return static_cast<T>(static_cast<U>(static_cast<U>(min) + static_cast<U>(value)));
  }
  template <typename T>
  T ConsumeIntegral() {
    return ConsumeIntegralInRange<T>(std::numeric_limits<T>::min(), std::numeric_limits<T>::max());
  }
  bool ConsumeBool() { return (ConsumeIntegral<uint8_t>() & 1) != 0; }
  template <typename T>
  std::vector<T> ConsumeBytes(size_t n) {
    n = n < remaining_bytes() ? n : remaining_bytes();
    std::vector<T> out(data_.begin() + offset_, data_.begin() + offset_ + n);
    offset_ += n;
    return out;
  }
  template <typename T, size_t N>
  T PickValueInArray(const T (&values)[N]) {
    return values[ConsumeIntegralInRange<size_t>(0, N - 1)];
  }

 private:
  std::span<const uint8_t> data_;
  size_t offset_ = 0;
};

// Writes inputs that InputReader reads back as the same values (seed corpus generator).
class InputWriter {
 public:
  template <typename T>
  InputWriter& InRange(T min, T max, T value) {
    using U = std::make_unsigned_t<T>;
    const uint64_t range = static_cast<uint64_t>(static_cast<U>(max) - static_cast<U>(min));
    const uint64_t v =
        static_cast<uint64_t>(static_cast<U>(static_cast<U>(value) - static_cast<U>(min)));
    int bytes = 0;
    for (uint64_t covered = 0; covered < range && bytes < 8; covered = covered * 256 + 255)
      ++bytes;
    for (int i = bytes - 1; i >= 0; --i)
      data_.push_back(static_cast<uint8_t>(v >> (8 * i)));
    return *this;
  }
  template <typename T>
  InputWriter& Integral(T value) {
    return InRange<T>(std::numeric_limits<T>::min(), std::numeric_limits<T>::max(), value);
  }
  InputWriter& Bool(bool b) { return Integral<uint8_t>(b ? 1 : 0); }
  InputWriter& Bytes(std::span<const uint8_t> bytes) {
    data_.insert(data_.end(), bytes.begin(), bytes.end());
    return *this;
  }
  const std::vector<uint8_t>& data() const { return data_; }

 private:
  std::vector<uint8_t> data_;
};

// With SCTPCPP_FUZZ_TRACE set in the environment, harnesses print each step to stderr
// (to read what a crashing input does).
bool Tracing();
void Trace(const char* format, ...) __attribute__((format(printf, 1, 2)));
void TraceBytes(const char* what, std::span<const uint8_t> bytes);

// Prints "<target>: <what>" and aborts (libFuzzer then saves the input as a crash).
[[noreturn]] void Fail(const char* target, const std::string& what);

void Append16(std::vector<uint8_t>& out, uint16_t v);
void Append32(std::vector<uint8_t>& out, uint32_t v);

// A packet assembled chunk by chunk. Chunk() writes the true length and pads to 4 bytes;
// RawChunk() writes whatever length field it is given (lengths that lie).
class RawPacket {
 public:
  RawPacket(uint16_t source_port, uint16_t destination_port, uint32_t verification_tag);
  void Chunk(uint8_t type, uint8_t flags, std::span<const uint8_t> body);
  void RawChunk(uint8_t type, uint8_t flags, uint16_t length, std::span<const uint8_t> body);
  void Raw(std::span<const uint8_t> bytes);
  // With a correct CRC32c, or with the checksum field left as it is (zero).
  std::vector<uint8_t> Finish(bool write_checksum) const;

 private:
  std::vector<uint8_t> bytes_;
};

// The first chunk's type, or -1 if the packet is shorter than a chunk header.
int FirstChunkType(std::span<const uint8_t> packet);
// Whether the packet frames and holds a chunk of this type.
bool HasChunk(std::span<const uint8_t> packet, uint8_t type);

// Every packet the stack sends must: frame with our codec, carry a valid CRC32c, have every
// chunk parse with its typed parser, and come from `local_port`. Returns "" or the problem.
std::string CheckEmittedPacket(std::span<const uint8_t> packet, uint16_t local_port);

// The values of every State Cookie parameter in the packet's first INIT ACK (normally one).
std::vector<std::vector<uint8_t>> StateCookiesOf(std::span<const uint8_t> packet);

// Chunk and parameter types the fuzzer picks from (valid and unknown ones).
uint8_t PickChunkType(InputReader& fdp);
uint16_t PickParameterType(InputReader& fdp);
// INIT / INIT ACK parameters: a few TLVs with fuzzed types and values (optionally lying
// about their length).
std::vector<uint8_t> FuzzParameters(InputReader& fdp, size_t max_parameters);

}  // namespace sctp::fuzz

#endif  // SCTPCPP_FUZZ_FUZZ_SUPPORT_H_
