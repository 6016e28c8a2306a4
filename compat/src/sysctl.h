// The usrsctp sysctl and tunable variables: one process-wide set of values behind the
// usrsctp_sysctl_{set,get}_<name>() and usrsctp_tunable_set_<name>() C functions.
//
// Values, defaults and ranges.
//   Defaults are usrsctp 0.9.5.0's values after usrsctp_init_nothreads(0, ...), and every
//   [min, max] range was measured on Debian's libusrsctp.so.2 (0.9.5.0) by probing each
//   setter (see /work/shared/research/usrsctp.md §9, which agrees). Setters store the value
//   and return 0, or return -1 with errno = EINVAL and keep the old value when it is outside
//   [min, max]. Getters return the current value. Nothing else is validated (like usrsctp:
//   rto_min > rto_max is accepted here; the association clamps).
//   Not exported by Debian's library but declared by usrsctp.h, so we export them too:
//   usrsctp_sysctl_set_sctp_multiple_asconfs (the getter exists in 0.9.5.0 and returns 0;
//   range 0..1 from usrsctp's sctp_sysctl.h) and the sctp_sendall_limit pair (default 1024 =
//   usrsctp's SCTP_MAX_SENDALL_LIMIT; range assumed 0..0xFFFFFFFF, not measured). Master-only:
//   sctp_ootb_with_zero_cksum (range 0..1 per the research note; default 0, not measured).
//
// Life cycle (measured on 0.9.5.0, for whoever implements usrsctp_init/usrsctp_finish):
//   before usrsctp_init every getter of usrsctp returns 0; usrsctp_init resets every sysctl to
//   its default (a sysctl set before init is lost) but keeps the tunables set before init.
//   Our values start at the defaults instead of 0 (static initialisation);
//   ResetSysctlsToDefaults(SysctlReset::kKeepTunables) is the init-time reset.
//
// Which sysctls the stack honours (OptionsFromSysctls() builds the sctp::Options that new
// associations start from; units: usrsctp's are ms, s, bytes or counts, Options uses
// sctp::Duration):
//   sctp_sendspace                    -> Options::send_buffer_size (bytes)
//   sctp_recvspace                    -> Options::receive_window (bytes; at least 4096, as
//                                        usrsctp never advertises less: SCTP_MINIMAL_RWND)
//   sctp_rto_initial_default          -> Options::rto_initial (ms)
//   sctp_rto_min_default              -> Options::rto_min (ms)
//   sctp_rto_max_default              -> Options::rto_max (ms)
//   sctp_delayed_sack_time_default    -> Options::sack_delay (ms)
//   sctp_sack_freq_default            -> Options::sack_frequency
//   sctp_valid_cookie_life_default    -> Options::valid_cookie_life (ms, despite usrsctp's
//                                        "seconds" description: default 60000, range
//                                        1000..3600000)
//   sctp_heartbeat_interval_default   -> Options::heartbeat_interval (ms; added to the RTO,
//                                        so 0 means "every RTO", as in usrsctp)
//   sctp_assoc_rtx_max_default        -> Options::association_max_retrans
//   sctp_path_rtx_max_default         -> Options::path_max_retrans
//   sctp_init_rtx_max_default         -> Options::max_init_retransmits
//   sctp_max_burst_default            -> Options::max_burst (0 = no limit in usrsctp: mapped
//                                        to kUnlimitedMaxBurst)
//   sctp_initial_cwnd                 -> Options::initial_cwnd_mtus (0 = RFC formula: 4;
//                                        otherwise capped by max_burst, as usrsctp does)
//   sctp_nr_outgoing_streams_default  -> Options::outbound_streams (usrsctp default 10)
//   sctp_nr_incoming_streams_default  -> Options::inbound_streams (usrsctp default 2048)
//   sctp_pr_enable                    -> Options::partial_reliability
//   sctp_reconfig_enable              -> Options::stream_reset
// Read directly by the compat layer (not part of Options): sctp_blackhole (OOTB replies for
// unbound ports). Meant to be read there but not used yet: sctp_udp_tunneling_port (UDP
// encapsulation, a later issue), sctp_no_csum_on_loopback, sctp_debug_on (debug_printf is
// never called), sctp_ootb_with_zero_cksum, sctp_default_frag_interleave,
// sctp_default_ss_module, sctp_enable_sack_immediately, sctp_shutdown_guard_time_default.
// To map when Options grows the field: sctp_init_rto_max_default (RTO.Max during setup),
// sctp_ecn_enable, sctp_asconf_enable, sctp_auth_enable,
// sctp_nrsack_enable, sctp_path_pf_threshold, sctp_fr_max_burst_default,
// sctp_default_cc_module. There is no MTU sysctl in usrsctp: Options::mtu keeps its default.
// The rest (hash table sizes, resource limits, CMT, mobility, logging, RTCC tuning, ...) is
// stored and returned but has no effect.
#ifndef SCTPCPP_COMPAT_SRC_SYSCTL_H_
#define SCTPCPP_COMPAT_SRC_SYSCTL_H_

#include <atomic>
#include <cstdint>
#include <span>

#include "sctpcpp/options.h"

// X(name, default, min, max) for every tunable: usrsctp_tunable_set_<name>(uint32_t) and
// usrsctp_sysctl_get_<name>(void).
#define SCTPCPP_COMPAT_TUNABLES(X)         \
  X(sctp_hashtblsize, 1024, 1, UINT32_MAX) \
  X(sctp_pcbtblsize, 256, 1, UINT32_MAX)   \
  X(sctp_chunkscale, 10, 1, UINT32_MAX)

// X(name, default, min, max) for every sysctl: usrsctp_sysctl_set_<name>(uint32_t) and
// usrsctp_sysctl_get_<name>(void). Order of usrsctp.h, then the master-only one.
#define SCTPCPP_COMPAT_SYSCTLS(X)                          \
  X(sctp_sendspace, 262144, 0, UINT32_MAX)                 \
  X(sctp_recvspace, 131072, 0, UINT32_MAX)                 \
  X(sctp_auto_asconf, 1, 0, 1)                             \
  X(sctp_multiple_asconfs, 0, 0, 1)                        \
  X(sctp_ecn_enable, 1, 0, 1)                              \
  X(sctp_pr_enable, 1, 0, 1)                               \
  X(sctp_auth_enable, 1, 0, 1)                             \
  X(sctp_asconf_enable, 1, 0, 1)                           \
  X(sctp_reconfig_enable, 1, 0, 1)                         \
  X(sctp_nrsack_enable, 0, 0, 1)                           \
  X(sctp_pktdrop_enable, 0, 0, 1)                          \
  X(sctp_no_csum_on_loopback, 1, 0, 1)                     \
  X(sctp_peer_chunk_oh, 256, 0, UINT32_MAX)                \
  X(sctp_max_burst_default, 4, 0, UINT32_MAX)              \
  X(sctp_max_chunks_on_queue, 512, 0, UINT32_MAX)          \
  X(sctp_min_split_point, 2904, 0, UINT32_MAX)             \
  X(sctp_delayed_sack_time_default, 200, 0, UINT32_MAX)    \
  X(sctp_sack_freq_default, 2, 0, UINT32_MAX)              \
  X(sctp_system_free_resc_limit, 1000, 0, UINT32_MAX)      \
  X(sctp_asoc_free_resc_limit, 10, 0, UINT32_MAX)          \
  X(sctp_heartbeat_interval_default, 30000, 0, UINT32_MAX) \
  X(sctp_pmtu_raise_time_default, 600, 0, UINT32_MAX)      \
  X(sctp_shutdown_guard_time_default, 0, 0, UINT32_MAX)    \
  X(sctp_secret_lifetime_default, 3600, 0, UINT32_MAX)     \
  X(sctp_rto_max_default, 60000, 0, UINT32_MAX)            \
  X(sctp_rto_min_default, 1000, 0, UINT32_MAX)             \
  X(sctp_rto_initial_default, 3000, 0, UINT32_MAX)         \
  X(sctp_init_rto_max_default, 60000, 0, UINT32_MAX)       \
  X(sctp_valid_cookie_life_default, 60000, 1000, 3600000)  \
  X(sctp_init_rtx_max_default, 8, 0, UINT32_MAX)           \
  X(sctp_assoc_rtx_max_default, 10, 0, UINT32_MAX)         \
  X(sctp_path_rtx_max_default, 5, 0, UINT32_MAX)           \
  X(sctp_add_more_threshold, 1452, 0, UINT32_MAX)          \
  X(sctp_nr_incoming_streams_default, 2048, 1, 65535)      \
  X(sctp_nr_outgoing_streams_default, 10, 1, 65535)        \
  X(sctp_cmt_on_off, 0, 0, 4)                              \
  X(sctp_cmt_use_dac, 0, 0, 1)                             \
  X(sctp_use_cwnd_based_maxburst, 1, 0, 1)                 \
  X(sctp_nat_friendly, 1, 0, 1)                            \
  X(sctp_L2_abc_variable, 2, 0, UINT32_MAX)                \
  X(sctp_mbuf_threshold_count, 5, 0, UINT32_MAX)           \
  X(sctp_do_drain, 1, 0, 1)                                \
  X(sctp_hb_maxburst, 4, 1, UINT32_MAX)                    \
  X(sctp_abort_if_one_2_one_hits_limit, 0, 0, 1)           \
  X(sctp_min_residual, 1452, 20, 65535)                    \
  X(sctp_max_retran_chunk, 30, 0, 65535)                   \
  X(sctp_logging_level, 0, 0, UINT32_MAX)                  \
  X(sctp_default_cc_module, 0, 0, 2)                       \
  X(sctp_default_frag_interleave, 1, 0, 2)                 \
  X(sctp_mobility_base, 0, 0, 1)                           \
  X(sctp_mobility_fasthandoff, 0, 0, 1)                    \
  X(sctp_inits_include_nat_friendly, 0, 0, 1)              \
  X(sctp_udp_tunneling_port, 0, 0, 65535)                  \
  X(sctp_enable_sack_immediately, 1, 0, 1)                 \
  X(sctp_vtag_time_wait, 60, 0, UINT32_MAX)                \
  X(sctp_blackhole, 0, 0, 2)                               \
  X(sctp_sendall_limit, 1024, 0, UINT32_MAX)               \
  X(sctp_diag_info_code, 0, 0, 65535)                      \
  X(sctp_fr_max_burst_default, 4, 0, UINT32_MAX)           \
  X(sctp_path_pf_threshold, 65535, 0, 65535)               \
  X(sctp_default_ss_module, 0, 0, 5)                       \
  X(sctp_rttvar_bw, 4, 0, 32)                              \
  X(sctp_rttvar_rtt, 5, 0, 32)                             \
  X(sctp_rttvar_eqret, 0, 0, 1)                            \
  X(sctp_steady_step, 20, 0, 65535)                        \
  X(sctp_use_dccc_ecn, 1, 0, 1)                            \
  X(sctp_buffer_splitting, 0, 0, 3)                        \
  X(sctp_initial_cwnd, 3, 0, UINT32_MAX)                   \
  X(sctp_ootb_with_zero_cksum, 0, 0, 1)                    \
  X(sctp_debug_on, 0, 0, UINT32_MAX)

// The C API (also declared by compat/include/usrsctp.h; the declarations agree).
#define SCTPCPP_COMPAT_DECLARE_TUNABLE(name, default_value, min_value, max_value)        \
  __attribute__((visibility("default"))) int usrsctp_tunable_set_##name(uint32_t value); \
  __attribute__((visibility("default"))) uint32_t usrsctp_sysctl_get_##name(void);
#define SCTPCPP_COMPAT_DECLARE_SYSCTL(name, default_value, min_value, max_value)        \
  __attribute__((visibility("default"))) int usrsctp_sysctl_set_##name(uint32_t value); \
  __attribute__((visibility("default"))) uint32_t usrsctp_sysctl_get_##name(void);
extern "C" {
SCTPCPP_COMPAT_TUNABLES(SCTPCPP_COMPAT_DECLARE_TUNABLE)
SCTPCPP_COMPAT_SYSCTLS(SCTPCPP_COMPAT_DECLARE_SYSCTL)
}
#undef SCTPCPP_COMPAT_DECLARE_TUNABLE
#undef SCTPCPP_COMPAT_DECLARE_SYSCTL

namespace sctp::compat {

// The current values. Each field is read and written independently (relaxed atomics): a
// reader may see a mix of old and new values while another thread is setting several.
struct Sysctls {
#define SCTPCPP_COMPAT_SYSCTL_FIELD(name, default_value, min_value, max_value) \
  std::atomic<uint32_t> name{default_value};
  SCTPCPP_COMPAT_TUNABLES(SCTPCPP_COMPAT_SYSCTL_FIELD)
  SCTPCPP_COMPAT_SYSCTLS(SCTPCPP_COMPAT_SYSCTL_FIELD)
#undef SCTPCPP_COMPAT_SYSCTL_FIELD
};

// The process-wide values (constant-initialised: usable from static constructors).
Sysctls& GetSysctls();

// Describes one variable, for code that walks all of them (tests, diagnostics).
struct SysctlInfo {
  const char* name;  // e.g. "sctp_sendspace"
  bool tunable;      // set with usrsctp_tunable_set_<name> instead of usrsctp_sysctl_set_<name>
  uint32_t default_value;
  uint32_t min_value;
  uint32_t max_value;
  std::atomic<uint32_t> Sysctls::*field;
};
// Tunables first, then sysctls in usrsctp.h order.
std::span<const SysctlInfo> AllSysctls();

enum class SysctlReset {
  kAll,           // every variable back to its default
  kKeepTunables,  // what usrsctp_init does: sysctls to defaults, tunables untouched
};
void ResetSysctlsToDefaults(SysctlReset scope = SysctlReset::kAll);

// Options::max_burst used for usrsctp's "0 = no burst limit".
inline constexpr int kUnlimitedMaxBurst = 1 << 16;

// The Options a new association starts from, built from the current values (see the mapping
// at the top of this file). Fields without a sysctl keep Options' own defaults.
sctp::Options OptionsFromSysctls();

}  // namespace sctp::compat

#endif  // SCTPCPP_COMPAT_SRC_SYSCTL_H_
