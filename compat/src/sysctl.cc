// usrsctp's sysctl and tunable accessors over one process-wide Sysctls (see sysctl.h).
#include "sysctl.h"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <limits>

namespace sctp::compat {
namespace {

// Constant-initialised (std::atomic's constructor is constexpr), so a setter called from
// another library's static constructor already finds the defaults.
constinit Sysctls g_sysctls;

#define SCTPCPP_COMPAT_TUNABLE_INFO(name, default_value, min_value, max_value) \
  {#name, true, default_value, min_value, max_value, &Sysctls::name},
#define SCTPCPP_COMPAT_SYSCTL_INFO(name, default_value, min_value, max_value) \
  {#name, false, default_value, min_value, max_value, &Sysctls::name},
// clang-format off
constexpr SysctlInfo kAllSysctls[] = {
  SCTPCPP_COMPAT_TUNABLES(SCTPCPP_COMPAT_TUNABLE_INFO)
  SCTPCPP_COMPAT_SYSCTLS(SCTPCPP_COMPAT_SYSCTL_INFO)
};
// clang-format on
#undef SCTPCPP_COMPAT_TUNABLE_INFO
#undef SCTPCPP_COMPAT_SYSCTL_INFO

// Each default lies inside its own range.
#define SCTPCPP_COMPAT_CHECK_DEFAULT(name, default_value, min_value, max_value) \
  static_assert((min_value) <= (default_value) && (default_value) <= (max_value), #name);
SCTPCPP_COMPAT_TUNABLES(SCTPCPP_COMPAT_CHECK_DEFAULT)
SCTPCPP_COMPAT_SYSCTLS(SCTPCPP_COMPAT_CHECK_DEFAULT)
#undef SCTPCPP_COMPAT_CHECK_DEFAULT

// usrsctp's setter contract: store a value inside [min, max] and return 0, otherwise return
// -1 with errno = EINVAL and keep the old value.
int SetInRange(std::atomic<uint32_t>& field, uint32_t value, uint32_t min_value,
               uint32_t max_value) {
  if (value < min_value || value > max_value) {
    errno = EINVAL;
    return -1;
  }
  field.store(value, std::memory_order_relaxed);
  return 0;
}

Duration FromMilliseconds(uint32_t ms) {
  return Milliseconds(static_cast<int64_t>(ms));
}

int ToInt(uint32_t value) {
  return static_cast<int>(std::min<uint32_t>(value, std::numeric_limits<int>::max()));
}

// usrsctp never advertises a receive window below SCTP_MINIMAL_RWND.
constexpr uint32_t kMinimalReceiveWindow = 4096;

}  // namespace

Sysctls& GetSysctls() {
  return g_sysctls;
}

std::span<const SysctlInfo> AllSysctls() {
  return kAllSysctls;
}

void ResetSysctlsToDefaults(SysctlReset scope) {
  for (const SysctlInfo& info : kAllSysctls) {
    if (info.tunable && scope == SysctlReset::kKeepTunables) continue;
    (g_sysctls.*info.field).store(info.default_value, std::memory_order_relaxed);
  }
}

sctp::Options OptionsFromSysctls() {
  const Sysctls& s = g_sysctls;
  auto get = [](const std::atomic<uint32_t>& field) {
    return field.load(std::memory_order_relaxed);
  };
  sctp::Options options;
  options.send_buffer_size = static_cast<size_t>(get(s.sctp_sendspace));
  options.receive_window = std::max(get(s.sctp_recvspace), kMinimalReceiveWindow);
  options.rto_initial = FromMilliseconds(get(s.sctp_rto_initial_default));
  options.rto_min = FromMilliseconds(get(s.sctp_rto_min_default));
  options.rto_max = FromMilliseconds(get(s.sctp_rto_max_default));
  options.sack_delay = FromMilliseconds(get(s.sctp_delayed_sack_time_default));
  options.sack_frequency = ToInt(get(s.sctp_sack_freq_default));
  options.valid_cookie_life = FromMilliseconds(get(s.sctp_valid_cookie_life_default));
  options.heartbeat_interval = FromMilliseconds(get(s.sctp_heartbeat_interval_default));
  options.heartbeats_enabled = true;
  options.association_max_retrans = ToInt(get(s.sctp_assoc_rtx_max_default));
  options.path_max_retrans = ToInt(get(s.sctp_path_rtx_max_default));
  options.max_init_retransmits = ToInt(get(s.sctp_init_rtx_max_default));

  const uint32_t max_burst = get(s.sctp_max_burst_default);
  options.max_burst = max_burst == 0 ? kUnlimitedMaxBurst
                                     : static_cast<int>(std::min<uint32_t>(
                                           max_burst, static_cast<uint32_t>(kUnlimitedMaxBurst)));
  // usrsctp: 0 selects the RFC formula min(4*MTU, max(2*MTU, 4380)), which is what Options'
  // 4 means; a non-zero value is capped by a non-zero max burst.
  uint32_t cwnd_mtus = get(s.sctp_initial_cwnd);
  if (cwnd_mtus == 0) {
    cwnd_mtus = 4;
  } else if (max_burst > 0) {
    cwnd_mtus = std::min(cwnd_mtus, max_burst);
  }
  options.initial_cwnd_mtus = ToInt(cwnd_mtus);

  // Both are within [1, 65535] by their setters' ranges.
  options.outbound_streams = static_cast<uint16_t>(get(s.sctp_nr_outgoing_streams_default));
  options.inbound_streams = static_cast<uint16_t>(get(s.sctp_nr_incoming_streams_default));
  options.partial_reliability = get(s.sctp_pr_enable) != 0;
  options.stream_reset = get(s.sctp_reconfig_enable) != 0;  // RFC 6525 RE-CONFIG offered
  return options;
}

}  // namespace sctp::compat

// The exported C functions.
#define SCTPCPP_COMPAT_DEFINE_GETTER(name)                                                     \
  extern "C" __attribute__((visibility("default"))) uint32_t usrsctp_sysctl_get_##name(void) { \
    return sctp::compat::GetSysctls().name.load(std::memory_order_relaxed);                    \
  }
#define SCTPCPP_COMPAT_DEFINE_TUNABLE(name, default_value, min_value, max_value)                   \
  extern "C"                                                                                       \
      __attribute__((visibility("default"))) int usrsctp_tunable_set_##name(uint32_t value) {      \
    return sctp::compat::SetInRange(sctp::compat::GetSysctls().name, value, min_value, max_value); \
  }                                                                                                \
  SCTPCPP_COMPAT_DEFINE_GETTER(name)
#define SCTPCPP_COMPAT_DEFINE_SYSCTL(name, default_value, min_value, max_value)                    \
  extern "C"                                                                                       \
      __attribute__((visibility("default"))) int usrsctp_sysctl_set_##name(uint32_t value) {       \
    return sctp::compat::SetInRange(sctp::compat::GetSysctls().name, value, min_value, max_value); \
  }                                                                                                \
  SCTPCPP_COMPAT_DEFINE_GETTER(name)

SCTPCPP_COMPAT_TUNABLES(SCTPCPP_COMPAT_DEFINE_TUNABLE)
SCTPCPP_COMPAT_SYSCTLS(SCTPCPP_COMPAT_DEFINE_SYSCTL)

#undef SCTPCPP_COMPAT_DEFINE_GETTER
#undef SCTPCPP_COMPAT_DEFINE_TUNABLE
#undef SCTPCPP_COMPAT_DEFINE_SYSCTL
