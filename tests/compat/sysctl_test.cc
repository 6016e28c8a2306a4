// The usrsctp sysctl/tunable accessors: defaults, ranges, errno, and the mapping onto
// sctp::Options. Needs only compat/src/sysctl.{h,cc}.
#include "sysctl.h"

#include <cerrno>
#include <cstdint>
#include <limits>
#include <set>
#include <string>

#include <gtest/gtest.h>

namespace sctp::compat {
namespace {

constexpr uint32_t kMax = std::numeric_limits<uint32_t>::max();

using Setter = int (*)(uint32_t);
using Getter = uint32_t (*)();

// What usrsctp 0.9.5.0 does (defaults after usrsctp_init_nothreads(0, ...), ranges probed on
// Debian's library; research/usrsctp.md §9), written out independently of sysctl.h's table.
struct Expected {
  const char* name;
  Setter set;
  Getter get;
  uint32_t default_value;
  uint32_t min_value;
  uint32_t max_value;
};

#define TUNABLE(name) #name, &usrsctp_tunable_set_##name, &usrsctp_sysctl_get_##name
#define SYSCTL(name) #name, &usrsctp_sysctl_set_##name, &usrsctp_sysctl_get_##name

const Expected kExpected[] = {
    {TUNABLE(sctp_hashtblsize), 1024, 1, kMax},
    {TUNABLE(sctp_pcbtblsize), 256, 1, kMax},
    {TUNABLE(sctp_chunkscale), 10, 1, kMax},
    {SYSCTL(sctp_sendspace), 262144, 0, kMax},
    {SYSCTL(sctp_recvspace), 131072, 0, kMax},
    {SYSCTL(sctp_auto_asconf), 1, 0, 1},
    {SYSCTL(sctp_multiple_asconfs), 0, 0, 1},
    {SYSCTL(sctp_ecn_enable), 1, 0, 1},
    {SYSCTL(sctp_pr_enable), 1, 0, 1},
    {SYSCTL(sctp_auth_enable), 1, 0, 1},
    {SYSCTL(sctp_asconf_enable), 1, 0, 1},
    {SYSCTL(sctp_reconfig_enable), 1, 0, 1},
    {SYSCTL(sctp_nrsack_enable), 0, 0, 1},
    {SYSCTL(sctp_pktdrop_enable), 0, 0, 1},
    {SYSCTL(sctp_no_csum_on_loopback), 1, 0, 1},
    {SYSCTL(sctp_peer_chunk_oh), 256, 0, kMax},
    {SYSCTL(sctp_max_burst_default), 4, 0, kMax},
    {SYSCTL(sctp_max_chunks_on_queue), 512, 0, kMax},
    {SYSCTL(sctp_min_split_point), 2904, 0, kMax},
    {SYSCTL(sctp_delayed_sack_time_default), 200, 0, kMax},
    {SYSCTL(sctp_sack_freq_default), 2, 0, kMax},
    {SYSCTL(sctp_system_free_resc_limit), 1000, 0, kMax},
    {SYSCTL(sctp_asoc_free_resc_limit), 10, 0, kMax},
    {SYSCTL(sctp_heartbeat_interval_default), 30000, 0, kMax},
    {SYSCTL(sctp_pmtu_raise_time_default), 600, 0, kMax},
    {SYSCTL(sctp_shutdown_guard_time_default), 0, 0, kMax},
    {SYSCTL(sctp_secret_lifetime_default), 3600, 0, kMax},
    {SYSCTL(sctp_rto_max_default), 60000, 0, kMax},
    {SYSCTL(sctp_rto_min_default), 1000, 0, kMax},
    {SYSCTL(sctp_rto_initial_default), 3000, 0, kMax},
    {SYSCTL(sctp_init_rto_max_default), 60000, 0, kMax},
    {SYSCTL(sctp_valid_cookie_life_default), 60000, 1000, 3600000},
    {SYSCTL(sctp_init_rtx_max_default), 8, 0, kMax},
    {SYSCTL(sctp_assoc_rtx_max_default), 10, 0, kMax},
    {SYSCTL(sctp_path_rtx_max_default), 5, 0, kMax},
    {SYSCTL(sctp_add_more_threshold), 1452, 0, kMax},
    {SYSCTL(sctp_nr_incoming_streams_default), 2048, 1, 65535},
    {SYSCTL(sctp_nr_outgoing_streams_default), 10, 1, 65535},
    {SYSCTL(sctp_cmt_on_off), 0, 0, 4},
    {SYSCTL(sctp_cmt_use_dac), 0, 0, 1},
    {SYSCTL(sctp_use_cwnd_based_maxburst), 1, 0, 1},
    {SYSCTL(sctp_nat_friendly), 1, 0, 1},
    {SYSCTL(sctp_L2_abc_variable), 2, 0, kMax},
    {SYSCTL(sctp_mbuf_threshold_count), 5, 0, kMax},
    {SYSCTL(sctp_do_drain), 1, 0, 1},
    {SYSCTL(sctp_hb_maxburst), 4, 1, kMax},
    {SYSCTL(sctp_abort_if_one_2_one_hits_limit), 0, 0, 1},
    {SYSCTL(sctp_min_residual), 1452, 20, 65535},
    {SYSCTL(sctp_max_retran_chunk), 30, 0, 65535},
    {SYSCTL(sctp_logging_level), 0, 0, kMax},
    {SYSCTL(sctp_default_cc_module), 0, 0, 2},
    {SYSCTL(sctp_default_frag_interleave), 1, 0, 2},
    {SYSCTL(sctp_mobility_base), 0, 0, 1},
    {SYSCTL(sctp_mobility_fasthandoff), 0, 0, 1},
    {SYSCTL(sctp_inits_include_nat_friendly), 0, 0, 1},
    {SYSCTL(sctp_udp_tunneling_port), 0, 0, 65535},
    {SYSCTL(sctp_enable_sack_immediately), 1, 0, 1},
    {SYSCTL(sctp_vtag_time_wait), 60, 0, kMax},
    {SYSCTL(sctp_blackhole), 0, 0, 2},
    {SYSCTL(sctp_sendall_limit), 1024, 0, kMax},
    {SYSCTL(sctp_diag_info_code), 0, 0, 65535},
    {SYSCTL(sctp_fr_max_burst_default), 4, 0, kMax},
    {SYSCTL(sctp_path_pf_threshold), 65535, 0, 65535},
    {SYSCTL(sctp_default_ss_module), 0, 0, 5},
    {SYSCTL(sctp_rttvar_bw), 4, 0, 32},
    {SYSCTL(sctp_rttvar_rtt), 5, 0, 32},
    {SYSCTL(sctp_rttvar_eqret), 0, 0, 1},
    {SYSCTL(sctp_steady_step), 20, 0, 65535},
    {SYSCTL(sctp_use_dccc_ecn), 1, 0, 1},
    {SYSCTL(sctp_buffer_splitting), 0, 0, 3},
    {SYSCTL(sctp_initial_cwnd), 3, 0, kMax},
    {SYSCTL(sctp_ootb_with_zero_cksum), 0, 0, 1},
    {SYSCTL(sctp_debug_on), 0, 0, kMax},
};

#undef TUNABLE
#undef SYSCTL

class SysctlTest : public ::testing::Test {
 protected:
  // The values are process-wide: every test starts and ends at the defaults.
  void SetUp() override { ResetSysctlsToDefaults(); }
  void TearDown() override { ResetSysctlsToDefaults(); }
};

TEST_F(SysctlTest, DefaultsMatchUsrsctp) {
  for (const Expected& e : kExpected) {
    EXPECT_EQ(e.get(), e.default_value) << e.name;
  }
}

TEST_F(SysctlTest, TableMatchesExpectations) {
  std::set<std::string> expected_names;
  for (const Expected& e : kExpected)
    expected_names.insert(e.name);
  std::set<std::string> table_names;
  for (const SysctlInfo& info : AllSysctls()) {
    table_names.insert(info.name);
    bool found = false;
    for (const Expected& e : kExpected) {
      if (std::string(e.name) != info.name) continue;
      found = true;
      EXPECT_EQ(info.default_value, e.default_value) << info.name;
      EXPECT_EQ(info.min_value, e.min_value) << info.name;
      EXPECT_EQ(info.max_value, e.max_value) << info.name;
      EXPECT_EQ((GetSysctls().*info.field).load(), e.get()) << info.name;
    }
    EXPECT_TRUE(found) << info.name;
  }
  EXPECT_EQ(table_names, expected_names);
  // 3 tunables, the 69 sysctls usrsctp.h 0.9.5.0 declares (with sctp_debug_on), 1 of master.
  EXPECT_EQ(AllSysctls().size(), 3u + 69u + 1u);
  EXPECT_EQ(table_names.size(), AllSysctls().size());
}

TEST_F(SysctlTest, RejectsValuesOutsideTheRangeAndKeepsTheOldValue) {
  for (const Expected& e : kExpected) {
    // A distinct in-range value, to see that a failed set does not touch it.
    const uint32_t kept = e.default_value != e.min_value ? e.min_value : e.max_value;
    ASSERT_EQ(e.set(kept), 0) << e.name;
    if (e.min_value > 0) {
      for (uint32_t bad : {e.min_value - 1, uint32_t{0}}) {
        errno = 0;
        EXPECT_EQ(e.set(bad), -1) << e.name << " = " << bad;
        EXPECT_EQ(errno, EINVAL) << e.name << " = " << bad;
        EXPECT_EQ(e.get(), kept) << e.name << " = " << bad;
      }
    }
    if (e.max_value < kMax) {
      for (uint32_t bad : {e.max_value + 1, e.max_value + 1000, kMax}) {
        errno = 0;
        EXPECT_EQ(e.set(bad), -1) << e.name << " = " << bad;
        EXPECT_EQ(errno, EINVAL) << e.name << " = " << bad;
        EXPECT_EQ(e.get(), kept) << e.name << " = " << bad;
      }
    }
  }
}

TEST_F(SysctlTest, AcceptsBoundaryValuesAndGetReturnsWhatWasSet) {
  for (const Expected& e : kExpected) {
    const uint32_t middle = e.min_value + (e.max_value - e.min_value) / 2;
    for (uint32_t good : {e.min_value, e.max_value, middle, e.default_value}) {
      errno = 0;
      EXPECT_EQ(e.set(good), 0) << e.name << " = " << good;
      EXPECT_EQ(errno, 0) << e.name << " = " << good;
      EXPECT_EQ(e.get(), good) << e.name << " = " << good;
    }
  }
}

TEST_F(SysctlTest, SettersOnlyChangeTheirOwnVariable) {
  ASSERT_EQ(usrsctp_sysctl_set_sctp_sendspace(1), 0);
  ASSERT_EQ(usrsctp_tunable_set_sctp_chunkscale(7), 0);
  for (const Expected& e : kExpected) {
    const std::string name = e.name;
    if (name == "sctp_sendspace" || name == "sctp_chunkscale") continue;
    EXPECT_EQ(e.get(), e.default_value) << e.name;
  }
  EXPECT_EQ(usrsctp_sysctl_get_sctp_sendspace(), 1u);
  EXPECT_EQ(usrsctp_sysctl_get_sctp_chunkscale(), 7u);
  EXPECT_EQ(GetSysctls().sctp_sendspace.load(), 1u);
}

TEST_F(SysctlTest, ResetCanKeepTheTunables) {
  ASSERT_EQ(usrsctp_tunable_set_sctp_hashtblsize(77), 0);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_sendspace(12345), 0);
  ResetSysctlsToDefaults(SysctlReset::kKeepTunables);
  EXPECT_EQ(usrsctp_sysctl_get_sctp_hashtblsize(), 77u);
  EXPECT_EQ(usrsctp_sysctl_get_sctp_sendspace(), 262144u);
  ResetSysctlsToDefaults(SysctlReset::kAll);
  EXPECT_EQ(usrsctp_sysctl_get_sctp_hashtblsize(), 1024u);
}

TEST_F(SysctlTest, OptionsFromDefaults) {
  const Options o = OptionsFromSysctls();
  EXPECT_EQ(o.send_buffer_size, 262144u);
  EXPECT_EQ(o.receive_window, 131072u);
  EXPECT_EQ(o.rto_initial, Milliseconds(3000));
  EXPECT_EQ(o.rto_min, Milliseconds(1000));
  EXPECT_EQ(o.rto_max, Milliseconds(60000));
  EXPECT_EQ(o.sack_delay, Milliseconds(200));
  EXPECT_EQ(o.sack_frequency, 2);
  EXPECT_EQ(o.valid_cookie_life, Seconds(60));
  EXPECT_EQ(o.heartbeat_interval, Seconds(30));
  EXPECT_TRUE(o.heartbeats_enabled);
  EXPECT_EQ(o.association_max_retrans, 10);
  EXPECT_EQ(o.path_max_retrans, 5);
  EXPECT_EQ(o.max_init_retransmits, 8);
  EXPECT_EQ(o.max_burst, 4);
  EXPECT_EQ(o.initial_cwnd_mtus, 3);
  EXPECT_EQ(o.outbound_streams, 10);
  EXPECT_EQ(o.inbound_streams, 2048);
  EXPECT_TRUE(o.partial_reliability);
}

TEST_F(SysctlTest, OptionsFollowTheSysctls) {
  ASSERT_EQ(usrsctp_sysctl_set_sctp_sendspace(1 << 20), 0);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_recvspace(1 << 21), 0);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_rto_initial_default(250), 0);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_rto_min_default(120), 0);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_rto_max_default(4500), 0);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_delayed_sack_time_default(20), 0);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_sack_freq_default(1), 0);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_valid_cookie_life_default(1500), 0);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_heartbeat_interval_default(0), 0);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_assoc_rtx_max_default(3), 0);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_path_rtx_max_default(2), 0);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_init_rtx_max_default(1), 0);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_max_burst_default(8), 0);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_initial_cwnd(6), 0);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_nr_outgoing_streams_default(65535), 0);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_nr_incoming_streams_default(1), 0);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_pr_enable(0), 0);

  const Options o = OptionsFromSysctls();
  EXPECT_EQ(o.send_buffer_size, size_t{1} << 20);
  EXPECT_EQ(o.receive_window, uint32_t{1} << 21);
  EXPECT_EQ(o.rto_initial, Milliseconds(250));
  EXPECT_EQ(o.rto_min, Milliseconds(120));
  EXPECT_EQ(o.rto_max, Milliseconds(4500));
  EXPECT_EQ(o.sack_delay, Milliseconds(20));
  EXPECT_EQ(o.sack_frequency, 1);
  EXPECT_EQ(o.valid_cookie_life, Milliseconds(1500));
  // usrsctp: 0 means a heartbeat every RTO, not "off".
  EXPECT_EQ(o.heartbeat_interval, Duration::zero());
  EXPECT_TRUE(o.heartbeats_enabled);
  EXPECT_EQ(o.association_max_retrans, 3);
  EXPECT_EQ(o.path_max_retrans, 2);
  EXPECT_EQ(o.max_init_retransmits, 1);
  EXPECT_EQ(o.max_burst, 8);
  EXPECT_EQ(o.initial_cwnd_mtus, 6);
  EXPECT_EQ(o.outbound_streams, 65535);
  EXPECT_EQ(o.inbound_streams, 1);
  EXPECT_FALSE(o.partial_reliability);
}

TEST_F(SysctlTest, OptionsEdgeValues) {
  // usrsctp never advertises less than 4096 bytes of window.
  ASSERT_EQ(usrsctp_sysctl_set_sctp_recvspace(0), 0);
  // initial_cwnd 0 selects the RFC formula (Options: 4 MTUs, capped by the RFC).
  ASSERT_EQ(usrsctp_sysctl_set_sctp_initial_cwnd(0), 0);
  // The largest values convert without overflow.
  ASSERT_EQ(usrsctp_sysctl_set_sctp_rto_max_default(kMax), 0);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_assoc_rtx_max_default(kMax), 0);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_sendspace(kMax), 0);
  Options o = OptionsFromSysctls();
  EXPECT_EQ(o.receive_window, 4096u);
  EXPECT_EQ(o.initial_cwnd_mtus, 4);
  EXPECT_EQ(o.rto_max, Milliseconds(int64_t{kMax}));
  EXPECT_EQ(ToMilliseconds(o.rto_max), int64_t{kMax});
  EXPECT_EQ(o.association_max_retrans, std::numeric_limits<int>::max());
  EXPECT_EQ(o.send_buffer_size, size_t{kMax});

  // max_burst 0 is "no limit" in usrsctp; a non-zero max burst caps the initial cwnd.
  ASSERT_EQ(usrsctp_sysctl_set_sctp_max_burst_default(0), 0);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_initial_cwnd(10), 0);
  o = OptionsFromSysctls();
  EXPECT_EQ(o.max_burst, kUnlimitedMaxBurst);
  EXPECT_EQ(o.initial_cwnd_mtus, 10);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_max_burst_default(4), 0);
  o = OptionsFromSysctls();
  EXPECT_EQ(o.max_burst, 4);
  EXPECT_EQ(o.initial_cwnd_mtus, 4);
  ASSERT_EQ(usrsctp_sysctl_set_sctp_max_burst_default(kMax), 0);
  o = OptionsFromSysctls();
  EXPECT_EQ(o.max_burst, kUnlimitedMaxBurst);
  EXPECT_EQ(o.initial_cwnd_mtus, 10);
}

}  // namespace
}  // namespace sctp::compat
