// Time as the host gives it. The stack never reads a clock: every call that needs the time
// takes it as an argument, so runs are deterministic under a virtual clock.
#ifndef SCTPCPP_TIME_H_
#define SCTPCPP_TIME_H_

#include <chrono>
#include <cstdint>

namespace sctp {

// A tag clock: the host decides what its epoch is (a monotonic clock, or zero for a
// simulation). It has no now(); time is passed in.
struct HostClock {
  using rep = int64_t;
  using period = std::micro;
  using duration = std::chrono::duration<rep, period>;
  using time_point = std::chrono::time_point<HostClock>;
  static constexpr bool is_steady = true;
};

using Duration = HostClock::duration;
using TimePoint = HostClock::time_point;

// "No deadline".
inline constexpr TimePoint kNever = TimePoint::max();

constexpr Duration Milliseconds(int64_t ms) {
  return std::chrono::milliseconds(ms);
}
constexpr Duration Seconds(int64_t s) {
  return std::chrono::seconds(s);
}
constexpr int64_t ToMilliseconds(Duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

}  // namespace sctp

#endif  // SCTPCPP_TIME_H_
