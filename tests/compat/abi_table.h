/*
 * ABI comparison between sctpcpp's compat/include/usrsctp.h and the usrsctp 0.9.5.0 header
 * installed by Debian's libusrsctp-dev (/usr/include/usrsctp.h).
 *
 * abi_ours.c and abi_debian.c each include one of the two headers and then this file with
 * ABI_TABLE_SIDE set to `ours` or `debian`.  The implementation section at the end turns the
 * name lists below into tables of facts, so both sides check exactly the same names:
 *   - compiled as C:   abi_<side>_layout(): sizeof / alignof of every struct and union, offset
 *                      and size of every member, value of every integer constant, results of
 *                      the value-computing function-like macros on sample arguments;
 *                      abi_<side>_text(): the expansion of every macro usrsctp.h defines.
 *   - compiled as C++: abi_<side>_types(): the mangled type of every member, constant,
 *                      typedef and function (signature), from typeid().
 * abi_test.cc compares the tables entry by entry.
 *
 * The lists were produced once by a throwaway script that read the declarations of Debian's
 * header (clang's AST for records, members and functions; the #define directives and
 * `gcc -dM` for macros, a macro counting as an integer constant when `(long long)(NAME)`
 * compiles on x86-64 Linux with SCTP_DEBUG defined).  Only identifiers were taken from the
 * header.  Regenerate them if the reference header changes.
 */
#ifndef SCTPCPP_TESTS_COMPAT_ABI_TABLE_H
#define SCTPCPP_TESTS_COMPAT_ABI_TABLE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A numeric fact: a size, an alignment, an offset or a value. */
struct abi_entry {
  const char* name;
  long long value;
};

/* A textual fact: a macro expansion or a mangled type name. */
struct abi_text_entry {
  const char* name;
  const char* text;
};

const struct abi_entry* abi_ours_layout(size_t* count);
const struct abi_entry* abi_debian_layout(size_t* count);
const struct abi_text_entry* abi_ours_text(size_t* count);
const struct abi_text_entry* abi_debian_text(size_t* count);
const struct abi_text_entry* abi_ours_types(size_t* count);
const struct abi_text_entry* abi_debian_types(size_t* count);

#ifdef __cplusplus
}
#endif

// clang-format off
/* Arguments on which the value-computing function-like macros are evaluated. */
#define ABI_SAMPLE_ARGUMENTS(X, macro) \
  X(macro, 0x0) X(macro, 0x1) X(macro, 0x2) X(macro, 0x3) X(macro, 0x4) X(macro, 0x5) \
  X(macro, 0xf) X(macro, 0x10) X(macro, 0x13) X(macro, 0x20) X(macro, 0xff) \
  X(macro, 0x100) X(macro, 0x200) X(macro, 0x400) X(macro, 0x800) X(macro, 0x1000) \
  X(macro, 0x2000) X(macro, 0x4000) X(macro, 0x8000) X(macro, 0x10000) \
  X(macro, 0xfffffff0) X(macro, 0xffffffff)

/* Every struct and union: X(kind, tag, C++ scope of the tag). */
#define ABI_RECORDS(X) \
  X(struct, sctp_common_header, ) \
  X(struct, sockaddr_conn, ) \
  X(union, sctp_sockstore, ) \
  X(struct, sctp_rcvinfo, ) \
  X(struct, sctp_nxtinfo, ) \
  X(struct, sctp_recvv_rn, ) \
  X(struct, sctp_snd_all_completes, ) \
  X(struct, sctp_sndinfo, ) \
  X(struct, sctp_prinfo, ) \
  X(struct, sctp_authinfo, ) \
  X(struct, sctp_sendv_spa, ) \
  X(struct, sctp_udpencaps, ) \
  X(struct, sctp_assoc_change, ) \
  X(struct, sctp_paddr_change, ) \
  X(struct, sctp_remote_error, ) \
  X(struct, sctp_shutdown_event, ) \
  X(struct, sctp_adaptation_event, ) \
  X(struct, sctp_pdapi_event, ) \
  X(struct, sctp_authkey_event, ) \
  X(struct, sctp_sender_dry_event, ) \
  X(struct, sctp_stream_reset_event, ) \
  X(struct, sctp_assoc_reset_event, ) \
  X(struct, sctp_stream_change_event, ) \
  X(struct, sctp_send_failed_event, ) \
  X(struct, sctp_event, ) \
  X(union, sctp_notification, ) \
  X(struct, sctp_tlv, sctp_notification::) \
  X(struct, sctp_event_subscribe, ) \
  X(struct, sctp_initmsg, ) \
  X(struct, sctp_rtoinfo, ) \
  X(struct, sctp_assocparams, ) \
  X(struct, sctp_setprim, ) \
  X(struct, sctp_setadaptation, ) \
  X(struct, sctp_paddrparams, ) \
  X(struct, sctp_assoc_value, ) \
  X(struct, sctp_reset_streams, ) \
  X(struct, sctp_add_streams, ) \
  X(struct, sctp_hmacalgo, ) \
  X(struct, sctp_sack_info, ) \
  X(struct, sctp_default_prinfo, ) \
  X(struct, sctp_paddrinfo, ) \
  X(struct, sctp_status, ) \
  X(struct, sctp_authchunks, ) \
  X(struct, sctp_assoc_ids, ) \
  X(struct, sctp_setpeerprim, ) \
  X(struct, sctp_authchunk, ) \
  X(struct, sctp_get_nonce_values, ) \
  X(struct, sctp_authkey, ) \
  X(struct, sctp_authkeyid, ) \
  X(struct, sctp_cc_option, ) \
  X(struct, sctp_stream_value, ) \
  X(struct, sctp_timeouts, ) \
  X(struct, sctp_prstatus, ) \
  X(struct, sctp_timeval, ) \
  X(struct, sctpstat, ) \
  /* end of ABI_RECORDS */

/* Every member except flexible array members: X(kind, tag, C++ scope, member). */
#define ABI_MEMBERS(X) \
  X(struct, sctp_common_header, , source_port) \
  X(struct, sctp_common_header, , destination_port) \
  X(struct, sctp_common_header, , verification_tag) \
  X(struct, sctp_common_header, , crc32c) \
  X(struct, sockaddr_conn, , sconn_family) \
  X(struct, sockaddr_conn, , sconn_port) \
  X(struct, sockaddr_conn, , sconn_addr) \
  X(union, sctp_sockstore, , sin) \
  X(union, sctp_sockstore, , sin6) \
  X(union, sctp_sockstore, , sconn) \
  X(union, sctp_sockstore, , sa) \
  X(struct, sctp_rcvinfo, , rcv_sid) \
  X(struct, sctp_rcvinfo, , rcv_ssn) \
  X(struct, sctp_rcvinfo, , rcv_flags) \
  X(struct, sctp_rcvinfo, , rcv_ppid) \
  X(struct, sctp_rcvinfo, , rcv_tsn) \
  X(struct, sctp_rcvinfo, , rcv_cumtsn) \
  X(struct, sctp_rcvinfo, , rcv_context) \
  X(struct, sctp_rcvinfo, , rcv_assoc_id) \
  X(struct, sctp_nxtinfo, , nxt_sid) \
  X(struct, sctp_nxtinfo, , nxt_flags) \
  X(struct, sctp_nxtinfo, , nxt_ppid) \
  X(struct, sctp_nxtinfo, , nxt_length) \
  X(struct, sctp_nxtinfo, , nxt_assoc_id) \
  X(struct, sctp_recvv_rn, , recvv_rcvinfo) \
  X(struct, sctp_recvv_rn, , recvv_nxtinfo) \
  X(struct, sctp_snd_all_completes, , sall_stream) \
  X(struct, sctp_snd_all_completes, , sall_flags) \
  X(struct, sctp_snd_all_completes, , sall_ppid) \
  X(struct, sctp_snd_all_completes, , sall_context) \
  X(struct, sctp_snd_all_completes, , sall_num_sent) \
  X(struct, sctp_snd_all_completes, , sall_num_failed) \
  X(struct, sctp_sndinfo, , snd_sid) \
  X(struct, sctp_sndinfo, , snd_flags) \
  X(struct, sctp_sndinfo, , snd_ppid) \
  X(struct, sctp_sndinfo, , snd_context) \
  X(struct, sctp_sndinfo, , snd_assoc_id) \
  X(struct, sctp_prinfo, , pr_policy) \
  X(struct, sctp_prinfo, , pr_value) \
  X(struct, sctp_authinfo, , auth_keynumber) \
  X(struct, sctp_sendv_spa, , sendv_flags) \
  X(struct, sctp_sendv_spa, , sendv_sndinfo) \
  X(struct, sctp_sendv_spa, , sendv_prinfo) \
  X(struct, sctp_sendv_spa, , sendv_authinfo) \
  X(struct, sctp_udpencaps, , sue_address) \
  X(struct, sctp_udpencaps, , sue_assoc_id) \
  X(struct, sctp_udpencaps, , sue_port) \
  X(struct, sctp_assoc_change, , sac_type) \
  X(struct, sctp_assoc_change, , sac_flags) \
  X(struct, sctp_assoc_change, , sac_length) \
  X(struct, sctp_assoc_change, , sac_state) \
  X(struct, sctp_assoc_change, , sac_error) \
  X(struct, sctp_assoc_change, , sac_outbound_streams) \
  X(struct, sctp_assoc_change, , sac_inbound_streams) \
  X(struct, sctp_assoc_change, , sac_assoc_id) \
  X(struct, sctp_paddr_change, , spc_type) \
  X(struct, sctp_paddr_change, , spc_flags) \
  X(struct, sctp_paddr_change, , spc_length) \
  X(struct, sctp_paddr_change, , spc_aaddr) \
  X(struct, sctp_paddr_change, , spc_state) \
  X(struct, sctp_paddr_change, , spc_error) \
  X(struct, sctp_paddr_change, , spc_assoc_id) \
  X(struct, sctp_paddr_change, , spc_padding) \
  X(struct, sctp_remote_error, , sre_type) \
  X(struct, sctp_remote_error, , sre_flags) \
  X(struct, sctp_remote_error, , sre_length) \
  X(struct, sctp_remote_error, , sre_error) \
  X(struct, sctp_remote_error, , sre_assoc_id) \
  X(struct, sctp_shutdown_event, , sse_type) \
  X(struct, sctp_shutdown_event, , sse_flags) \
  X(struct, sctp_shutdown_event, , sse_length) \
  X(struct, sctp_shutdown_event, , sse_assoc_id) \
  X(struct, sctp_adaptation_event, , sai_type) \
  X(struct, sctp_adaptation_event, , sai_flags) \
  X(struct, sctp_adaptation_event, , sai_length) \
  X(struct, sctp_adaptation_event, , sai_adaptation_ind) \
  X(struct, sctp_adaptation_event, , sai_assoc_id) \
  X(struct, sctp_pdapi_event, , pdapi_type) \
  X(struct, sctp_pdapi_event, , pdapi_flags) \
  X(struct, sctp_pdapi_event, , pdapi_length) \
  X(struct, sctp_pdapi_event, , pdapi_indication) \
  X(struct, sctp_pdapi_event, , pdapi_stream) \
  X(struct, sctp_pdapi_event, , pdapi_seq) \
  X(struct, sctp_pdapi_event, , pdapi_assoc_id) \
  X(struct, sctp_authkey_event, , auth_type) \
  X(struct, sctp_authkey_event, , auth_flags) \
  X(struct, sctp_authkey_event, , auth_length) \
  X(struct, sctp_authkey_event, , auth_keynumber) \
  X(struct, sctp_authkey_event, , auth_indication) \
  X(struct, sctp_authkey_event, , auth_assoc_id) \
  X(struct, sctp_sender_dry_event, , sender_dry_type) \
  X(struct, sctp_sender_dry_event, , sender_dry_flags) \
  X(struct, sctp_sender_dry_event, , sender_dry_length) \
  X(struct, sctp_sender_dry_event, , sender_dry_assoc_id) \
  X(struct, sctp_stream_reset_event, , strreset_type) \
  X(struct, sctp_stream_reset_event, , strreset_flags) \
  X(struct, sctp_stream_reset_event, , strreset_length) \
  X(struct, sctp_stream_reset_event, , strreset_assoc_id) \
  X(struct, sctp_assoc_reset_event, , assocreset_type) \
  X(struct, sctp_assoc_reset_event, , assocreset_flags) \
  X(struct, sctp_assoc_reset_event, , assocreset_length) \
  X(struct, sctp_assoc_reset_event, , assocreset_assoc_id) \
  X(struct, sctp_assoc_reset_event, , assocreset_local_tsn) \
  X(struct, sctp_assoc_reset_event, , assocreset_remote_tsn) \
  X(struct, sctp_stream_change_event, , strchange_type) \
  X(struct, sctp_stream_change_event, , strchange_flags) \
  X(struct, sctp_stream_change_event, , strchange_length) \
  X(struct, sctp_stream_change_event, , strchange_assoc_id) \
  X(struct, sctp_stream_change_event, , strchange_instrms) \
  X(struct, sctp_stream_change_event, , strchange_outstrms) \
  X(struct, sctp_send_failed_event, , ssfe_type) \
  X(struct, sctp_send_failed_event, , ssfe_flags) \
  X(struct, sctp_send_failed_event, , ssfe_length) \
  X(struct, sctp_send_failed_event, , ssfe_error) \
  X(struct, sctp_send_failed_event, , ssfe_info) \
  X(struct, sctp_send_failed_event, , ssfe_assoc_id) \
  X(struct, sctp_event, , se_assoc_id) \
  X(struct, sctp_event, , se_type) \
  X(struct, sctp_event, , se_on) \
  X(struct, sctp_tlv, sctp_notification::, sn_type) \
  X(struct, sctp_tlv, sctp_notification::, sn_flags) \
  X(struct, sctp_tlv, sctp_notification::, sn_length) \
  X(union, sctp_notification, , sn_header) \
  X(union, sctp_notification, , sn_assoc_change) \
  X(union, sctp_notification, , sn_paddr_change) \
  X(union, sctp_notification, , sn_remote_error) \
  X(union, sctp_notification, , sn_shutdown_event) \
  X(union, sctp_notification, , sn_adaptation_event) \
  X(union, sctp_notification, , sn_pdapi_event) \
  X(union, sctp_notification, , sn_auth_event) \
  X(union, sctp_notification, , sn_sender_dry_event) \
  X(union, sctp_notification, , sn_send_failed_event) \
  X(union, sctp_notification, , sn_strreset_event) \
  X(union, sctp_notification, , sn_assocreset_event) \
  X(union, sctp_notification, , sn_strchange_event) \
  X(struct, sctp_event_subscribe, , sctp_data_io_event) \
  X(struct, sctp_event_subscribe, , sctp_association_event) \
  X(struct, sctp_event_subscribe, , sctp_address_event) \
  X(struct, sctp_event_subscribe, , sctp_send_failure_event) \
  X(struct, sctp_event_subscribe, , sctp_peer_error_event) \
  X(struct, sctp_event_subscribe, , sctp_shutdown_event) \
  X(struct, sctp_event_subscribe, , sctp_partial_delivery_event) \
  X(struct, sctp_event_subscribe, , sctp_adaptation_layer_event) \
  X(struct, sctp_event_subscribe, , sctp_authentication_event) \
  X(struct, sctp_event_subscribe, , sctp_sender_dry_event) \
  X(struct, sctp_event_subscribe, , sctp_stream_reset_event) \
  X(struct, sctp_initmsg, , sinit_num_ostreams) \
  X(struct, sctp_initmsg, , sinit_max_instreams) \
  X(struct, sctp_initmsg, , sinit_max_attempts) \
  X(struct, sctp_initmsg, , sinit_max_init_timeo) \
  X(struct, sctp_rtoinfo, , srto_assoc_id) \
  X(struct, sctp_rtoinfo, , srto_initial) \
  X(struct, sctp_rtoinfo, , srto_max) \
  X(struct, sctp_rtoinfo, , srto_min) \
  X(struct, sctp_assocparams, , sasoc_assoc_id) \
  X(struct, sctp_assocparams, , sasoc_peer_rwnd) \
  X(struct, sctp_assocparams, , sasoc_local_rwnd) \
  X(struct, sctp_assocparams, , sasoc_cookie_life) \
  X(struct, sctp_assocparams, , sasoc_asocmaxrxt) \
  X(struct, sctp_assocparams, , sasoc_number_peer_destinations) \
  X(struct, sctp_setprim, , ssp_addr) \
  X(struct, sctp_setprim, , ssp_assoc_id) \
  X(struct, sctp_setprim, , ssp_padding) \
  X(struct, sctp_setadaptation, , ssb_adaptation_ind) \
  X(struct, sctp_paddrparams, , spp_address) \
  X(struct, sctp_paddrparams, , spp_assoc_id) \
  X(struct, sctp_paddrparams, , spp_hbinterval) \
  X(struct, sctp_paddrparams, , spp_pathmtu) \
  X(struct, sctp_paddrparams, , spp_flags) \
  X(struct, sctp_paddrparams, , spp_ipv6_flowlabel) \
  X(struct, sctp_paddrparams, , spp_pathmaxrxt) \
  X(struct, sctp_paddrparams, , spp_dscp) \
  X(struct, sctp_assoc_value, , assoc_id) \
  X(struct, sctp_assoc_value, , assoc_value) \
  X(struct, sctp_reset_streams, , srs_assoc_id) \
  X(struct, sctp_reset_streams, , srs_flags) \
  X(struct, sctp_reset_streams, , srs_number_streams) \
  X(struct, sctp_add_streams, , sas_assoc_id) \
  X(struct, sctp_add_streams, , sas_instrms) \
  X(struct, sctp_add_streams, , sas_outstrms) \
  X(struct, sctp_hmacalgo, , shmac_number_of_idents) \
  X(struct, sctp_sack_info, , sack_assoc_id) \
  X(struct, sctp_sack_info, , sack_delay) \
  X(struct, sctp_sack_info, , sack_freq) \
  X(struct, sctp_default_prinfo, , pr_policy) \
  X(struct, sctp_default_prinfo, , pr_value) \
  X(struct, sctp_default_prinfo, , pr_assoc_id) \
  X(struct, sctp_paddrinfo, , spinfo_address) \
  X(struct, sctp_paddrinfo, , spinfo_assoc_id) \
  X(struct, sctp_paddrinfo, , spinfo_state) \
  X(struct, sctp_paddrinfo, , spinfo_cwnd) \
  X(struct, sctp_paddrinfo, , spinfo_srtt) \
  X(struct, sctp_paddrinfo, , spinfo_rto) \
  X(struct, sctp_paddrinfo, , spinfo_mtu) \
  X(struct, sctp_status, , sstat_assoc_id) \
  X(struct, sctp_status, , sstat_state) \
  X(struct, sctp_status, , sstat_rwnd) \
  X(struct, sctp_status, , sstat_unackdata) \
  X(struct, sctp_status, , sstat_penddata) \
  X(struct, sctp_status, , sstat_instrms) \
  X(struct, sctp_status, , sstat_outstrms) \
  X(struct, sctp_status, , sstat_fragmentation_point) \
  X(struct, sctp_status, , sstat_primary) \
  X(struct, sctp_authchunks, , gauth_assoc_id) \
  X(struct, sctp_assoc_ids, , gaids_number_of_ids) \
  X(struct, sctp_setpeerprim, , sspp_addr) \
  X(struct, sctp_setpeerprim, , sspp_assoc_id) \
  X(struct, sctp_setpeerprim, , sspp_padding) \
  X(struct, sctp_authchunk, , sauth_chunk) \
  X(struct, sctp_get_nonce_values, , gn_assoc_id) \
  X(struct, sctp_get_nonce_values, , gn_peers_tag) \
  X(struct, sctp_get_nonce_values, , gn_local_tag) \
  X(struct, sctp_authkey, , sca_assoc_id) \
  X(struct, sctp_authkey, , sca_keynumber) \
  X(struct, sctp_authkey, , sca_keylength) \
  X(struct, sctp_authkeyid, , scact_assoc_id) \
  X(struct, sctp_authkeyid, , scact_keynumber) \
  X(struct, sctp_cc_option, , option) \
  X(struct, sctp_cc_option, , aid_value) \
  X(struct, sctp_stream_value, , assoc_id) \
  X(struct, sctp_stream_value, , stream_id) \
  X(struct, sctp_stream_value, , stream_value) \
  X(struct, sctp_timeouts, , stimo_assoc_id) \
  X(struct, sctp_timeouts, , stimo_init) \
  X(struct, sctp_timeouts, , stimo_data) \
  X(struct, sctp_timeouts, , stimo_sack) \
  X(struct, sctp_timeouts, , stimo_shutdown) \
  X(struct, sctp_timeouts, , stimo_heartbeat) \
  X(struct, sctp_timeouts, , stimo_cookie) \
  X(struct, sctp_timeouts, , stimo_shutdownack) \
  X(struct, sctp_prstatus, , sprstat_assoc_id) \
  X(struct, sctp_prstatus, , sprstat_sid) \
  X(struct, sctp_prstatus, , sprstat_policy) \
  X(struct, sctp_prstatus, , sprstat_abandoned_unsent) \
  X(struct, sctp_prstatus, , sprstat_abandoned_sent) \
  X(struct, sctp_timeval, , tv_sec) \
  X(struct, sctp_timeval, , tv_usec) \
  X(struct, sctpstat, , sctps_discontinuitytime) \
  X(struct, sctpstat, , sctps_currestab) \
  X(struct, sctpstat, , sctps_activeestab) \
  X(struct, sctpstat, , sctps_restartestab) \
  X(struct, sctpstat, , sctps_collisionestab) \
  X(struct, sctpstat, , sctps_passiveestab) \
  X(struct, sctpstat, , sctps_aborted) \
  X(struct, sctpstat, , sctps_shutdown) \
  X(struct, sctpstat, , sctps_outoftheblue) \
  X(struct, sctpstat, , sctps_checksumerrors) \
  X(struct, sctpstat, , sctps_outcontrolchunks) \
  X(struct, sctpstat, , sctps_outorderchunks) \
  X(struct, sctpstat, , sctps_outunorderchunks) \
  X(struct, sctpstat, , sctps_incontrolchunks) \
  X(struct, sctpstat, , sctps_inorderchunks) \
  X(struct, sctpstat, , sctps_inunorderchunks) \
  X(struct, sctpstat, , sctps_fragusrmsgs) \
  X(struct, sctpstat, , sctps_reasmusrmsgs) \
  X(struct, sctpstat, , sctps_outpackets) \
  X(struct, sctpstat, , sctps_inpackets) \
  X(struct, sctpstat, , sctps_recvpackets) \
  X(struct, sctpstat, , sctps_recvdatagrams) \
  X(struct, sctpstat, , sctps_recvpktwithdata) \
  X(struct, sctpstat, , sctps_recvsacks) \
  X(struct, sctpstat, , sctps_recvdata) \
  X(struct, sctpstat, , sctps_recvdupdata) \
  X(struct, sctpstat, , sctps_recvheartbeat) \
  X(struct, sctpstat, , sctps_recvheartbeatack) \
  X(struct, sctpstat, , sctps_recvecne) \
  X(struct, sctpstat, , sctps_recvauth) \
  X(struct, sctpstat, , sctps_recvauthmissing) \
  X(struct, sctpstat, , sctps_recvivalhmacid) \
  X(struct, sctpstat, , sctps_recvivalkeyid) \
  X(struct, sctpstat, , sctps_recvauthfailed) \
  X(struct, sctpstat, , sctps_recvexpress) \
  X(struct, sctpstat, , sctps_recvexpressm) \
  X(struct, sctpstat, , sctps_recv_spare) \
  X(struct, sctpstat, , sctps_recvswcrc) \
  X(struct, sctpstat, , sctps_recvhwcrc) \
  X(struct, sctpstat, , sctps_sendpackets) \
  X(struct, sctpstat, , sctps_sendsacks) \
  X(struct, sctpstat, , sctps_senddata) \
  X(struct, sctpstat, , sctps_sendretransdata) \
  X(struct, sctpstat, , sctps_sendfastretrans) \
  X(struct, sctpstat, , sctps_sendmultfastretrans) \
  X(struct, sctpstat, , sctps_sendheartbeat) \
  X(struct, sctpstat, , sctps_sendecne) \
  X(struct, sctpstat, , sctps_sendauth) \
  X(struct, sctpstat, , sctps_senderrors) \
  X(struct, sctpstat, , sctps_send_spare) \
  X(struct, sctpstat, , sctps_sendswcrc) \
  X(struct, sctpstat, , sctps_sendhwcrc) \
  X(struct, sctpstat, , sctps_pdrpfmbox) \
  X(struct, sctpstat, , sctps_pdrpfehos) \
  X(struct, sctpstat, , sctps_pdrpmbda) \
  X(struct, sctpstat, , sctps_pdrpmbct) \
  X(struct, sctpstat, , sctps_pdrpbwrpt) \
  X(struct, sctpstat, , sctps_pdrpcrupt) \
  X(struct, sctpstat, , sctps_pdrpnedat) \
  X(struct, sctpstat, , sctps_pdrppdbrk) \
  X(struct, sctpstat, , sctps_pdrptsnnf) \
  X(struct, sctpstat, , sctps_pdrpdnfnd) \
  X(struct, sctpstat, , sctps_pdrpdiwnp) \
  X(struct, sctpstat, , sctps_pdrpdizrw) \
  X(struct, sctpstat, , sctps_pdrpbadd) \
  X(struct, sctpstat, , sctps_pdrpmark) \
  X(struct, sctpstat, , sctps_timoiterator) \
  X(struct, sctpstat, , sctps_timodata) \
  X(struct, sctpstat, , sctps_timowindowprobe) \
  X(struct, sctpstat, , sctps_timoinit) \
  X(struct, sctpstat, , sctps_timosack) \
  X(struct, sctpstat, , sctps_timoshutdown) \
  X(struct, sctpstat, , sctps_timoheartbeat) \
  X(struct, sctpstat, , sctps_timocookie) \
  X(struct, sctpstat, , sctps_timosecret) \
  X(struct, sctpstat, , sctps_timopathmtu) \
  X(struct, sctpstat, , sctps_timoshutdownack) \
  X(struct, sctpstat, , sctps_timoshutdownguard) \
  X(struct, sctpstat, , sctps_timostrmrst) \
  X(struct, sctpstat, , sctps_timoearlyfr) \
  X(struct, sctpstat, , sctps_timoasconf) \
  X(struct, sctpstat, , sctps_timodelprim) \
  X(struct, sctpstat, , sctps_timoautoclose) \
  X(struct, sctpstat, , sctps_timoassockill) \
  X(struct, sctpstat, , sctps_timoinpkill) \
  X(struct, sctpstat, , sctps_spare) \
  X(struct, sctpstat, , sctps_hdrops) \
  X(struct, sctpstat, , sctps_badsum) \
  X(struct, sctpstat, , sctps_noport) \
  X(struct, sctpstat, , sctps_badvtag) \
  X(struct, sctpstat, , sctps_badsid) \
  X(struct, sctpstat, , sctps_nomem) \
  X(struct, sctpstat, , sctps_fastretransinrtt) \
  X(struct, sctpstat, , sctps_markedretrans) \
  X(struct, sctpstat, , sctps_naglesent) \
  X(struct, sctpstat, , sctps_naglequeued) \
  X(struct, sctpstat, , sctps_maxburstqueued) \
  X(struct, sctpstat, , sctps_ifnomemqueued) \
  X(struct, sctpstat, , sctps_windowprobed) \
  X(struct, sctpstat, , sctps_lowlevelerr) \
  X(struct, sctpstat, , sctps_lowlevelerrusr) \
  X(struct, sctpstat, , sctps_datadropchklmt) \
  X(struct, sctpstat, , sctps_datadroprwnd) \
  X(struct, sctpstat, , sctps_ecnereducedcwnd) \
  X(struct, sctpstat, , sctps_vtagexpress) \
  X(struct, sctpstat, , sctps_vtagbogus) \
  X(struct, sctpstat, , sctps_primary_randry) \
  X(struct, sctpstat, , sctps_cmt_randry) \
  X(struct, sctpstat, , sctps_slowpath_sack) \
  X(struct, sctpstat, , sctps_wu_sacks_sent) \
  X(struct, sctpstat, , sctps_sends_with_flags) \
  X(struct, sctpstat, , sctps_sends_with_unord) \
  X(struct, sctpstat, , sctps_sends_with_eof) \
  X(struct, sctpstat, , sctps_sends_with_abort) \
  X(struct, sctpstat, , sctps_protocol_drain_calls) \
  X(struct, sctpstat, , sctps_protocol_drains_done) \
  X(struct, sctpstat, , sctps_read_peeks) \
  X(struct, sctpstat, , sctps_cached_chk) \
  X(struct, sctpstat, , sctps_cached_strmoq) \
  X(struct, sctpstat, , sctps_left_abandon) \
  X(struct, sctpstat, , sctps_send_burst_avoid) \
  X(struct, sctpstat, , sctps_send_cwnd_avoid) \
  X(struct, sctpstat, , sctps_fwdtsn_map_over) \
  X(struct, sctpstat, , sctps_queue_upd_ecne) \
  X(struct, sctpstat, , sctps_reserved) \
  /* end of ABI_MEMBERS */

/* Flexible array members: X(kind, tag, C++ scope, member). */
#define ABI_FLEX_MEMBERS(X) \
  X(struct, sctp_assoc_change, , sac_info) \
  X(struct, sctp_remote_error, , sre_data) \
  X(struct, sctp_stream_reset_event, , strreset_stream_list) \
  X(struct, sctp_send_failed_event, , ssfe_data) \
  X(struct, sctp_reset_streams, , srs_stream_list) \
  X(struct, sctp_hmacalgo, , shmac_idents) \
  X(struct, sctp_authchunks, , gauth_chunks) \
  X(struct, sctp_assoc_ids, , gaids_assoc_id) \
  X(struct, sctp_authkey, , sca_key) \
  /* end of ABI_FLEX_MEMBERS */

/* Typedef names: X(name). */
#define ABI_TYPEDEFS(X) \
  X(sctp_assoc_t) \
  /* end of ABI_TYPEDEFS */

/* Object-like macros that are integer constants on Linux with SCTP_DEBUG: X(name). */
#define ABI_CONSTANTS(X) \
  X(MSG_NOTIFICATION) \
  X(IPPROTO_SCTP) \
  X(MSG_EOR) \
  X(EWOULDBLOCK) \
  X(EINPROGRESS) \
  X(SHUT_RD) \
  X(SHUT_WR) \
  X(SHUT_RDWR) \
  X(AF_CONN) \
  X(SCTP_FUTURE_ASSOC) \
  X(SCTP_CURRENT_ASSOC) \
  X(SCTP_ALL_ASSOC) \
  X(SCTP_EVENT_READ) \
  X(SCTP_EVENT_WRITE) \
  X(SCTP_EVENT_ERROR) \
  X(SCTP_ALIGN_RESV_PAD) \
  X(SCTP_ALIGN_RESV_PAD_SHORT) \
  X(SCTP_NO_NEXT_MSG) \
  X(SCTP_NEXT_MSG_AVAIL) \
  X(SCTP_NEXT_MSG_ISCOMPLETE) \
  X(SCTP_NEXT_MSG_IS_UNORDERED) \
  X(SCTP_NEXT_MSG_IS_NOTIFICATION) \
  X(SCTP_RECVV_NOINFO) \
  X(SCTP_RECVV_RCVINFO) \
  X(SCTP_RECVV_NXTINFO) \
  X(SCTP_RECVV_RN) \
  X(SCTP_SENDV_NOINFO) \
  X(SCTP_SENDV_SNDINFO) \
  X(SCTP_SENDV_PRINFO) \
  X(SCTP_SENDV_AUTHINFO) \
  X(SCTP_SENDV_SPA) \
  X(SCTP_SEND_SNDINFO_VALID) \
  X(SCTP_SEND_PRINFO_VALID) \
  X(SCTP_SEND_AUTHINFO_VALID) \
  X(SCTP_ASSOC_CHANGE) \
  X(SCTP_PEER_ADDR_CHANGE) \
  X(SCTP_REMOTE_ERROR) \
  X(SCTP_SEND_FAILED) \
  X(SCTP_SHUTDOWN_EVENT) \
  X(SCTP_ADAPTATION_INDICATION) \
  X(SCTP_PARTIAL_DELIVERY_EVENT) \
  X(SCTP_AUTHENTICATION_EVENT) \
  X(SCTP_STREAM_RESET_EVENT) \
  X(SCTP_SENDER_DRY_EVENT) \
  X(SCTP_NOTIFICATIONS_STOPPED_EVENT) \
  X(SCTP_ASSOC_RESET_EVENT) \
  X(SCTP_STREAM_CHANGE_EVENT) \
  X(SCTP_SEND_FAILED_EVENT) \
  X(SCTP_COMM_UP) \
  X(SCTP_COMM_LOST) \
  X(SCTP_RESTART) \
  X(SCTP_SHUTDOWN_COMP) \
  X(SCTP_CANT_STR_ASSOC) \
  X(SCTP_ASSOC_SUPPORTS_PR) \
  X(SCTP_ASSOC_SUPPORTS_AUTH) \
  X(SCTP_ASSOC_SUPPORTS_ASCONF) \
  X(SCTP_ASSOC_SUPPORTS_MULTIBUF) \
  X(SCTP_ASSOC_SUPPORTS_RE_CONFIG) \
  X(SCTP_ASSOC_SUPPORTS_INTERLEAVING) \
  X(SCTP_ASSOC_SUPPORTS_MAX) \
  X(SCTP_ADDR_AVAILABLE) \
  X(SCTP_ADDR_UNREACHABLE) \
  X(SCTP_ADDR_REMOVED) \
  X(SCTP_ADDR_ADDED) \
  X(SCTP_ADDR_MADE_PRIM) \
  X(SCTP_ADDR_CONFIRMED) \
  X(SCTP_PARTIAL_DELIVERY_ABORTED) \
  X(SCTP_AUTH_NEW_KEY) \
  X(SCTP_AUTH_NO_AUTH) \
  X(SCTP_AUTH_FREE_KEY) \
  X(SCTP_STREAM_RESET_INCOMING_SSN) \
  X(SCTP_STREAM_RESET_OUTGOING_SSN) \
  X(SCTP_STREAM_RESET_DENIED) \
  X(SCTP_STREAM_RESET_FAILED) \
  X(SCTP_STREAM_CHANGED_DENIED) \
  X(SCTP_STREAM_RESET_INCOMING) \
  X(SCTP_STREAM_RESET_OUTGOING) \
  X(SCTP_ASSOC_RESET_DENIED) \
  X(SCTP_ASSOC_RESET_FAILED) \
  X(SCTP_STREAM_CHANGE_DENIED) \
  X(SCTP_STREAM_CHANGE_FAILED) \
  X(SCTP_DATA_UNSENT) \
  X(SCTP_DATA_SENT) \
  X(SCTP_DATA_LAST_FRAG) \
  X(SCTP_DATA_NOT_FRAG) \
  X(SCTP_NOTIFICATION) \
  X(SCTP_COMPLETE) \
  X(SCTP_EOF) \
  X(SCTP_ABORT) \
  X(SCTP_UNORDERED) \
  X(SCTP_ADDR_OVER) \
  X(SCTP_SENDALL) \
  X(SCTP_EOR) \
  X(SCTP_SACK_IMMEDIATELY) \
  X(SCTP_PR_SCTP_NONE) \
  X(SCTP_PR_SCTP_TTL) \
  X(SCTP_PR_SCTP_BUF) \
  X(SCTP_PR_SCTP_RTX) \
  X(SCTP_RTOINFO) \
  X(SCTP_ASSOCINFO) \
  X(SCTP_INITMSG) \
  X(SCTP_NODELAY) \
  X(SCTP_AUTOCLOSE) \
  X(SCTP_PRIMARY_ADDR) \
  X(SCTP_ADAPTATION_LAYER) \
  X(SCTP_DISABLE_FRAGMENTS) \
  X(SCTP_PEER_ADDR_PARAMS) \
  X(SCTP_I_WANT_MAPPED_V4_ADDR) \
  X(SCTP_MAXSEG) \
  X(SCTP_DELAYED_SACK) \
  X(SCTP_FRAGMENT_INTERLEAVE) \
  X(SCTP_PARTIAL_DELIVERY_POINT) \
  X(SCTP_HMAC_IDENT) \
  X(SCTP_AUTH_ACTIVE_KEY) \
  X(SCTP_AUTO_ASCONF) \
  X(SCTP_MAX_BURST) \
  X(SCTP_CONTEXT) \
  X(SCTP_EXPLICIT_EOR) \
  X(SCTP_REUSE_PORT) \
  X(SCTP_EVENT) \
  X(SCTP_RECVRCVINFO) \
  X(SCTP_RECVNXTINFO) \
  X(SCTP_DEFAULT_SNDINFO) \
  X(SCTP_DEFAULT_PRINFO) \
  X(SCTP_REMOTE_UDP_ENCAPS_PORT) \
  X(SCTP_ECN_SUPPORTED) \
  X(SCTP_PR_SUPPORTED) \
  X(SCTP_AUTH_SUPPORTED) \
  X(SCTP_ASCONF_SUPPORTED) \
  X(SCTP_RECONFIG_SUPPORTED) \
  X(SCTP_NRSACK_SUPPORTED) \
  X(SCTP_PKTDROP_SUPPORTED) \
  X(SCTP_MAX_CWND) \
  X(SCTP_ENABLE_STREAM_RESET) \
  X(SCTP_PLUGGABLE_SS) \
  X(SCTP_SS_VALUE) \
  X(SCTP_STATUS) \
  X(SCTP_GET_PEER_ADDR_INFO) \
  X(SCTP_PEER_AUTH_CHUNKS) \
  X(SCTP_LOCAL_AUTH_CHUNKS) \
  X(SCTP_GET_ASSOC_NUMBER) \
  X(SCTP_GET_ASSOC_ID_LIST) \
  X(SCTP_TIMEOUTS) \
  X(SCTP_PR_STREAM_STATUS) \
  X(SCTP_PR_ASSOC_STATUS) \
  X(SCTP_SET_PEER_PRIMARY_ADDR) \
  X(SCTP_AUTH_CHUNK) \
  X(SCTP_AUTH_KEY) \
  X(SCTP_AUTH_DEACTIVATE_KEY) \
  X(SCTP_AUTH_DELETE_KEY) \
  X(SCTP_RESET_STREAMS) \
  X(SCTP_RESET_ASSOC) \
  X(SCTP_ADD_STREAMS) \
  X(SPP_HB_ENABLE) \
  X(SPP_HB_DISABLE) \
  X(SPP_HB_DEMAND) \
  X(SPP_PMTUD_ENABLE) \
  X(SPP_PMTUD_DISABLE) \
  X(SPP_HB_TIME_IS_ZERO) \
  X(SPP_IPV6_FLOWLABEL) \
  X(SPP_DSCP) \
  X(SCTP_ENABLE_RESET_STREAM_REQ) \
  X(SCTP_ENABLE_RESET_ASSOC_REQ) \
  X(SCTP_ENABLE_CHANGE_ASSOC_REQ) \
  X(SCTP_ENABLE_VALUE_MASK) \
  X(SCTP_AUTH_HMAC_ID_RSVD) \
  X(SCTP_AUTH_HMAC_ID_SHA1) \
  X(SCTP_AUTH_HMAC_ID_SHA256) \
  X(SCTP_AUTH_HMAC_ID_SHA224) \
  X(SCTP_AUTH_HMAC_ID_SHA384) \
  X(SCTP_AUTH_HMAC_ID_SHA512) \
  X(SCTP_CLOSED) \
  X(SCTP_BOUND) \
  X(SCTP_LISTEN) \
  X(SCTP_COOKIE_WAIT) \
  X(SCTP_COOKIE_ECHOED) \
  X(SCTP_ESTABLISHED) \
  X(SCTP_SHUTDOWN_SENT) \
  X(SCTP_SHUTDOWN_RECEIVED) \
  X(SCTP_SHUTDOWN_ACK_SENT) \
  X(SCTP_SHUTDOWN_PENDING) \
  X(SCTP_ACTIVE) \
  X(SCTP_INACTIVE) \
  X(SCTP_UNCONFIRMED) \
  X(SCTP_DATA) \
  X(SCTP_INITIATION) \
  X(SCTP_INITIATION_ACK) \
  X(SCTP_SELECTIVE_ACK) \
  X(SCTP_HEARTBEAT_REQUEST) \
  X(SCTP_HEARTBEAT_ACK) \
  X(SCTP_ABORT_ASSOCIATION) \
  X(SCTP_SHUTDOWN) \
  X(SCTP_SHUTDOWN_ACK) \
  X(SCTP_OPERATION_ERROR) \
  X(SCTP_COOKIE_ECHO) \
  X(SCTP_COOKIE_ACK) \
  X(SCTP_ECN_ECHO) \
  X(SCTP_ECN_CWR) \
  X(SCTP_SHUTDOWN_COMPLETE) \
  X(SCTP_AUTHENTICATION) \
  X(SCTP_NR_SELECTIVE_ACK) \
  X(SCTP_ASCONF_ACK) \
  X(SCTP_PACKET_DROPPED) \
  X(SCTP_STREAM_RESET) \
  X(SCTP_PAD_CHUNK) \
  X(SCTP_FORWARD_CUM_TSN) \
  X(SCTP_ASCONF) \
  X(SCTP_CC_RFC2581) \
  X(SCTP_CC_HSTCP) \
  X(SCTP_CC_HTCP) \
  X(SCTP_CC_RTCC) \
  X(SCTP_CC_OPT_RTCC_SETMODE) \
  X(SCTP_CC_OPT_USE_DCCC_EC) \
  X(SCTP_CC_OPT_STEADY_STEP) \
  X(SCTP_CMT_OFF) \
  X(SCTP_CMT_BASE) \
  X(SCTP_CMT_RPV1) \
  X(SCTP_CMT_RPV2) \
  X(SCTP_CMT_MPTCP) \
  X(SCTP_CMT_MAX) \
  X(SCTP_SS_DEFAULT) \
  X(SCTP_SS_ROUND_ROBIN) \
  X(SCTP_SS_ROUND_ROBIN_PACKET) \
  X(SCTP_SS_PRIORITY) \
  X(SCTP_SS_FAIR_BANDWITH) \
  X(SCTP_SS_FIRST_COME) \
  X(SCTP_BINDX_ADD_ADDR) \
  X(SCTP_BINDX_REM_ADDR) \
  X(SCTP_DUMP_OUTBOUND) \
  X(SCTP_DUMP_INBOUND) \
  X(SCTP_DEBUG_NONE) \
  X(SCTP_DEBUG_ALL) \
  /* end of ABI_CONSTANTS */

/* Every object-like macro name that usrsctp.h #defines (under any condition): X(name). */
#define ABI_MACRO_NAMES(X) \
  X(__USRSCTP_H__) \
  X(MSG_NOTIFICATION) \
  X(IPPROTO_SCTP) \
  X(uint8_t) \
  X(uint16_t) \
  X(uint32_t) \
  X(uint64_t) \
  X(int16_t) \
  X(int32_t) \
  X(ssize_t) \
  X(MSG_EOR) \
  X(EWOULDBLOCK) \
  X(EINPROGRESS) \
  X(SHUT_RD) \
  X(SHUT_WR) \
  X(SHUT_RDWR) \
  X(SCTP_PACKED) \
  X(AF_CONN) \
  X(SCTP_FUTURE_ASSOC) \
  X(SCTP_CURRENT_ASSOC) \
  X(SCTP_ALL_ASSOC) \
  X(SCTP_EVENT_READ) \
  X(SCTP_EVENT_WRITE) \
  X(SCTP_EVENT_ERROR) \
  X(SCTP_ALIGN_RESV_PAD) \
  X(SCTP_ALIGN_RESV_PAD_SHORT) \
  X(SCTP_NO_NEXT_MSG) \
  X(SCTP_NEXT_MSG_AVAIL) \
  X(SCTP_NEXT_MSG_ISCOMPLETE) \
  X(SCTP_NEXT_MSG_IS_UNORDERED) \
  X(SCTP_NEXT_MSG_IS_NOTIFICATION) \
  X(SCTP_RECVV_NOINFO) \
  X(SCTP_RECVV_RCVINFO) \
  X(SCTP_RECVV_NXTINFO) \
  X(SCTP_RECVV_RN) \
  X(SCTP_SENDV_NOINFO) \
  X(SCTP_SENDV_SNDINFO) \
  X(SCTP_SENDV_PRINFO) \
  X(SCTP_SENDV_AUTHINFO) \
  X(SCTP_SENDV_SPA) \
  X(SCTP_SEND_SNDINFO_VALID) \
  X(SCTP_SEND_PRINFO_VALID) \
  X(SCTP_SEND_AUTHINFO_VALID) \
  X(SCTP_ASSOC_CHANGE) \
  X(SCTP_PEER_ADDR_CHANGE) \
  X(SCTP_REMOTE_ERROR) \
  X(SCTP_SEND_FAILED) \
  X(SCTP_SHUTDOWN_EVENT) \
  X(SCTP_ADAPTATION_INDICATION) \
  X(SCTP_PARTIAL_DELIVERY_EVENT) \
  X(SCTP_AUTHENTICATION_EVENT) \
  X(SCTP_STREAM_RESET_EVENT) \
  X(SCTP_SENDER_DRY_EVENT) \
  X(SCTP_NOTIFICATIONS_STOPPED_EVENT) \
  X(SCTP_ASSOC_RESET_EVENT) \
  X(SCTP_STREAM_CHANGE_EVENT) \
  X(SCTP_SEND_FAILED_EVENT) \
  X(SCTP_COMM_UP) \
  X(SCTP_COMM_LOST) \
  X(SCTP_RESTART) \
  X(SCTP_SHUTDOWN_COMP) \
  X(SCTP_CANT_STR_ASSOC) \
  X(SCTP_ASSOC_SUPPORTS_PR) \
  X(SCTP_ASSOC_SUPPORTS_AUTH) \
  X(SCTP_ASSOC_SUPPORTS_ASCONF) \
  X(SCTP_ASSOC_SUPPORTS_MULTIBUF) \
  X(SCTP_ASSOC_SUPPORTS_RE_CONFIG) \
  X(SCTP_ASSOC_SUPPORTS_INTERLEAVING) \
  X(SCTP_ASSOC_SUPPORTS_MAX) \
  X(SCTP_ADDR_AVAILABLE) \
  X(SCTP_ADDR_UNREACHABLE) \
  X(SCTP_ADDR_REMOVED) \
  X(SCTP_ADDR_ADDED) \
  X(SCTP_ADDR_MADE_PRIM) \
  X(SCTP_ADDR_CONFIRMED) \
  X(SCTP_PARTIAL_DELIVERY_ABORTED) \
  X(SCTP_AUTH_NEW_KEY) \
  X(SCTP_AUTH_NO_AUTH) \
  X(SCTP_AUTH_FREE_KEY) \
  X(SCTP_STREAM_RESET_INCOMING_SSN) \
  X(SCTP_STREAM_RESET_OUTGOING_SSN) \
  X(SCTP_STREAM_RESET_DENIED) \
  X(SCTP_STREAM_RESET_FAILED) \
  X(SCTP_STREAM_CHANGED_DENIED) \
  X(SCTP_STREAM_RESET_INCOMING) \
  X(SCTP_STREAM_RESET_OUTGOING) \
  X(SCTP_ASSOC_RESET_DENIED) \
  X(SCTP_ASSOC_RESET_FAILED) \
  X(SCTP_STREAM_CHANGE_DENIED) \
  X(SCTP_STREAM_CHANGE_FAILED) \
  X(SCTP_DATA_UNSENT) \
  X(SCTP_DATA_SENT) \
  X(SCTP_DATA_LAST_FRAG) \
  X(SCTP_DATA_NOT_FRAG) \
  X(SCTP_NOTIFICATION) \
  X(SCTP_COMPLETE) \
  X(SCTP_EOF) \
  X(SCTP_ABORT) \
  X(SCTP_UNORDERED) \
  X(SCTP_ADDR_OVER) \
  X(SCTP_SENDALL) \
  X(SCTP_EOR) \
  X(SCTP_SACK_IMMEDIATELY) \
  X(SCTP_PR_SCTP_NONE) \
  X(SCTP_PR_SCTP_TTL) \
  X(SCTP_PR_SCTP_BUF) \
  X(SCTP_PR_SCTP_RTX) \
  X(SCTP_RTOINFO) \
  X(SCTP_ASSOCINFO) \
  X(SCTP_INITMSG) \
  X(SCTP_NODELAY) \
  X(SCTP_AUTOCLOSE) \
  X(SCTP_PRIMARY_ADDR) \
  X(SCTP_ADAPTATION_LAYER) \
  X(SCTP_DISABLE_FRAGMENTS) \
  X(SCTP_PEER_ADDR_PARAMS) \
  X(SCTP_I_WANT_MAPPED_V4_ADDR) \
  X(SCTP_MAXSEG) \
  X(SCTP_DELAYED_SACK) \
  X(SCTP_FRAGMENT_INTERLEAVE) \
  X(SCTP_PARTIAL_DELIVERY_POINT) \
  X(SCTP_HMAC_IDENT) \
  X(SCTP_AUTH_ACTIVE_KEY) \
  X(SCTP_AUTO_ASCONF) \
  X(SCTP_MAX_BURST) \
  X(SCTP_CONTEXT) \
  X(SCTP_EXPLICIT_EOR) \
  X(SCTP_REUSE_PORT) \
  X(SCTP_EVENT) \
  X(SCTP_RECVRCVINFO) \
  X(SCTP_RECVNXTINFO) \
  X(SCTP_DEFAULT_SNDINFO) \
  X(SCTP_DEFAULT_PRINFO) \
  X(SCTP_REMOTE_UDP_ENCAPS_PORT) \
  X(SCTP_ECN_SUPPORTED) \
  X(SCTP_PR_SUPPORTED) \
  X(SCTP_AUTH_SUPPORTED) \
  X(SCTP_ASCONF_SUPPORTED) \
  X(SCTP_RECONFIG_SUPPORTED) \
  X(SCTP_NRSACK_SUPPORTED) \
  X(SCTP_PKTDROP_SUPPORTED) \
  X(SCTP_MAX_CWND) \
  X(SCTP_ENABLE_STREAM_RESET) \
  X(SCTP_PLUGGABLE_SS) \
  X(SCTP_SS_VALUE) \
  X(SCTP_STATUS) \
  X(SCTP_GET_PEER_ADDR_INFO) \
  X(SCTP_PEER_AUTH_CHUNKS) \
  X(SCTP_LOCAL_AUTH_CHUNKS) \
  X(SCTP_GET_ASSOC_NUMBER) \
  X(SCTP_GET_ASSOC_ID_LIST) \
  X(SCTP_TIMEOUTS) \
  X(SCTP_PR_STREAM_STATUS) \
  X(SCTP_PR_ASSOC_STATUS) \
  X(SCTP_SET_PEER_PRIMARY_ADDR) \
  X(SCTP_AUTH_CHUNK) \
  X(SCTP_AUTH_KEY) \
  X(SCTP_AUTH_DEACTIVATE_KEY) \
  X(SCTP_AUTH_DELETE_KEY) \
  X(SCTP_RESET_STREAMS) \
  X(SCTP_RESET_ASSOC) \
  X(SCTP_ADD_STREAMS) \
  X(SPP_HB_ENABLE) \
  X(SPP_HB_DISABLE) \
  X(SPP_HB_DEMAND) \
  X(SPP_PMTUD_ENABLE) \
  X(SPP_PMTUD_DISABLE) \
  X(SPP_HB_TIME_IS_ZERO) \
  X(SPP_IPV6_FLOWLABEL) \
  X(SPP_DSCP) \
  X(SCTP_ENABLE_RESET_STREAM_REQ) \
  X(SCTP_ENABLE_RESET_ASSOC_REQ) \
  X(SCTP_ENABLE_CHANGE_ASSOC_REQ) \
  X(SCTP_ENABLE_VALUE_MASK) \
  X(SCTP_AUTH_HMAC_ID_RSVD) \
  X(SCTP_AUTH_HMAC_ID_SHA1) \
  X(SCTP_AUTH_HMAC_ID_SHA256) \
  X(SCTP_AUTH_HMAC_ID_SHA224) \
  X(SCTP_AUTH_HMAC_ID_SHA384) \
  X(SCTP_AUTH_HMAC_ID_SHA512) \
  X(SCTP_CLOSED) \
  X(SCTP_BOUND) \
  X(SCTP_LISTEN) \
  X(SCTP_COOKIE_WAIT) \
  X(SCTP_COOKIE_ECHOED) \
  X(SCTP_ESTABLISHED) \
  X(SCTP_SHUTDOWN_SENT) \
  X(SCTP_SHUTDOWN_RECEIVED) \
  X(SCTP_SHUTDOWN_ACK_SENT) \
  X(SCTP_SHUTDOWN_PENDING) \
  X(SCTP_ACTIVE) \
  X(SCTP_INACTIVE) \
  X(SCTP_UNCONFIRMED) \
  X(SCTP_DATA) \
  X(SCTP_INITIATION) \
  X(SCTP_INITIATION_ACK) \
  X(SCTP_SELECTIVE_ACK) \
  X(SCTP_HEARTBEAT_REQUEST) \
  X(SCTP_HEARTBEAT_ACK) \
  X(SCTP_ABORT_ASSOCIATION) \
  X(SCTP_SHUTDOWN) \
  X(SCTP_SHUTDOWN_ACK) \
  X(SCTP_OPERATION_ERROR) \
  X(SCTP_COOKIE_ECHO) \
  X(SCTP_COOKIE_ACK) \
  X(SCTP_ECN_ECHO) \
  X(SCTP_ECN_CWR) \
  X(SCTP_SHUTDOWN_COMPLETE) \
  X(SCTP_AUTHENTICATION) \
  X(SCTP_NR_SELECTIVE_ACK) \
  X(SCTP_ASCONF_ACK) \
  X(SCTP_PACKET_DROPPED) \
  X(SCTP_STREAM_RESET) \
  X(SCTP_PAD_CHUNK) \
  X(SCTP_FORWARD_CUM_TSN) \
  X(SCTP_ASCONF) \
  X(SCTP_CC_RFC2581) \
  X(SCTP_CC_HSTCP) \
  X(SCTP_CC_HTCP) \
  X(SCTP_CC_RTCC) \
  X(SCTP_CC_OPT_RTCC_SETMODE) \
  X(SCTP_CC_OPT_USE_DCCC_EC) \
  X(SCTP_CC_OPT_STEADY_STEP) \
  X(SCTP_CMT_OFF) \
  X(SCTP_CMT_BASE) \
  X(SCTP_CMT_RPV1) \
  X(SCTP_CMT_RPV2) \
  X(SCTP_CMT_MPTCP) \
  X(SCTP_CMT_MAX) \
  X(SCTP_SS_DEFAULT) \
  X(SCTP_SS_ROUND_ROBIN) \
  X(SCTP_SS_ROUND_ROBIN_PACKET) \
  X(SCTP_SS_PRIORITY) \
  X(SCTP_SS_FAIR_BANDWITH) \
  X(SCTP_SS_FIRST_COME) \
  X(SCTP_BINDX_ADD_ADDR) \
  X(SCTP_BINDX_REM_ADDR) \
  X(SCTP_DUMP_OUTBOUND) \
  X(SCTP_DUMP_INBOUND) \
  X(SCTP_DEBUG_NONE) \
  X(SCTP_DEBUG_ALL) \
  /* end of ABI_MACRO_NAMES */

/* Every function-like macro name (all take one argument): X(name). */
#define ABI_FUNCTION_LIKE_MACROS(X) \
  X(INVALID_SINFO_FLAG) \
  X(PR_SCTP_POLICY) \
  X(PR_SCTP_ENABLED) \
  X(PR_SCTP_TTL_ENABLED) \
  X(PR_SCTP_BUF_ENABLED) \
  X(PR_SCTP_RTX_ENABLED) \
  X(PR_SCTP_INVALID_POLICY) \
  X(USRSCTP_TUNABLE_DECL) \
  X(USRSCTP_SYSCTL_DECL) \
  /* end of ABI_FUNCTION_LIKE_MACROS */

/* Function-like macros that compute a value from their argument: X(name). */
#define ABI_VALUE_MACROS(X) \
  X(INVALID_SINFO_FLAG) \
  X(PR_SCTP_POLICY) \
  X(PR_SCTP_ENABLED) \
  X(PR_SCTP_TTL_ENABLED) \
  X(PR_SCTP_BUF_ENABLED) \
  X(PR_SCTP_RTX_ENABLED) \
  X(PR_SCTP_INVALID_POLICY) \
  /* end of ABI_VALUE_MACROS */

/* Every declared function (with SCTP_DEBUG): X(name). */
#define ABI_FUNCTIONS(X) \
  X(usrsctp_init) \
  X(usrsctp_init_nothreads) \
  X(usrsctp_socket) \
  X(usrsctp_setsockopt) \
  X(usrsctp_getsockopt) \
  X(usrsctp_opt_info) \
  X(usrsctp_getpaddrs) \
  X(usrsctp_freepaddrs) \
  X(usrsctp_getladdrs) \
  X(usrsctp_freeladdrs) \
  X(usrsctp_sendv) \
  X(usrsctp_recvv) \
  X(usrsctp_bind) \
  X(usrsctp_bindx) \
  X(usrsctp_listen) \
  X(usrsctp_accept) \
  X(usrsctp_peeloff) \
  X(usrsctp_connect) \
  X(usrsctp_connectx) \
  X(usrsctp_close) \
  X(usrsctp_getassocid) \
  X(usrsctp_finish) \
  X(usrsctp_shutdown) \
  X(usrsctp_conninput) \
  X(usrsctp_set_non_blocking) \
  X(usrsctp_get_non_blocking) \
  X(usrsctp_register_address) \
  X(usrsctp_deregister_address) \
  X(usrsctp_set_ulpinfo) \
  X(usrsctp_get_ulpinfo) \
  X(usrsctp_set_upcall) \
  X(usrsctp_get_events) \
  X(usrsctp_handle_timers) \
  X(usrsctp_dumppacket) \
  X(usrsctp_freedumpbuffer) \
  X(usrsctp_enable_crc32c_offload) \
  X(usrsctp_disable_crc32c_offload) \
  X(usrsctp_crc32c) \
  X(usrsctp_tunable_set_sctp_hashtblsize) \
  X(usrsctp_sysctl_get_sctp_hashtblsize) \
  X(usrsctp_tunable_set_sctp_pcbtblsize) \
  X(usrsctp_sysctl_get_sctp_pcbtblsize) \
  X(usrsctp_tunable_set_sctp_chunkscale) \
  X(usrsctp_sysctl_get_sctp_chunkscale) \
  X(usrsctp_sysctl_set_sctp_sendspace) \
  X(usrsctp_sysctl_get_sctp_sendspace) \
  X(usrsctp_sysctl_set_sctp_recvspace) \
  X(usrsctp_sysctl_get_sctp_recvspace) \
  X(usrsctp_sysctl_set_sctp_auto_asconf) \
  X(usrsctp_sysctl_get_sctp_auto_asconf) \
  X(usrsctp_sysctl_set_sctp_multiple_asconfs) \
  X(usrsctp_sysctl_get_sctp_multiple_asconfs) \
  X(usrsctp_sysctl_set_sctp_ecn_enable) \
  X(usrsctp_sysctl_get_sctp_ecn_enable) \
  X(usrsctp_sysctl_set_sctp_pr_enable) \
  X(usrsctp_sysctl_get_sctp_pr_enable) \
  X(usrsctp_sysctl_set_sctp_auth_enable) \
  X(usrsctp_sysctl_get_sctp_auth_enable) \
  X(usrsctp_sysctl_set_sctp_asconf_enable) \
  X(usrsctp_sysctl_get_sctp_asconf_enable) \
  X(usrsctp_sysctl_set_sctp_reconfig_enable) \
  X(usrsctp_sysctl_get_sctp_reconfig_enable) \
  X(usrsctp_sysctl_set_sctp_nrsack_enable) \
  X(usrsctp_sysctl_get_sctp_nrsack_enable) \
  X(usrsctp_sysctl_set_sctp_pktdrop_enable) \
  X(usrsctp_sysctl_get_sctp_pktdrop_enable) \
  X(usrsctp_sysctl_set_sctp_no_csum_on_loopback) \
  X(usrsctp_sysctl_get_sctp_no_csum_on_loopback) \
  X(usrsctp_sysctl_set_sctp_peer_chunk_oh) \
  X(usrsctp_sysctl_get_sctp_peer_chunk_oh) \
  X(usrsctp_sysctl_set_sctp_max_burst_default) \
  X(usrsctp_sysctl_get_sctp_max_burst_default) \
  X(usrsctp_sysctl_set_sctp_max_chunks_on_queue) \
  X(usrsctp_sysctl_get_sctp_max_chunks_on_queue) \
  X(usrsctp_sysctl_set_sctp_min_split_point) \
  X(usrsctp_sysctl_get_sctp_min_split_point) \
  X(usrsctp_sysctl_set_sctp_delayed_sack_time_default) \
  X(usrsctp_sysctl_get_sctp_delayed_sack_time_default) \
  X(usrsctp_sysctl_set_sctp_sack_freq_default) \
  X(usrsctp_sysctl_get_sctp_sack_freq_default) \
  X(usrsctp_sysctl_set_sctp_system_free_resc_limit) \
  X(usrsctp_sysctl_get_sctp_system_free_resc_limit) \
  X(usrsctp_sysctl_set_sctp_asoc_free_resc_limit) \
  X(usrsctp_sysctl_get_sctp_asoc_free_resc_limit) \
  X(usrsctp_sysctl_set_sctp_heartbeat_interval_default) \
  X(usrsctp_sysctl_get_sctp_heartbeat_interval_default) \
  X(usrsctp_sysctl_set_sctp_pmtu_raise_time_default) \
  X(usrsctp_sysctl_get_sctp_pmtu_raise_time_default) \
  X(usrsctp_sysctl_set_sctp_shutdown_guard_time_default) \
  X(usrsctp_sysctl_get_sctp_shutdown_guard_time_default) \
  X(usrsctp_sysctl_set_sctp_secret_lifetime_default) \
  X(usrsctp_sysctl_get_sctp_secret_lifetime_default) \
  X(usrsctp_sysctl_set_sctp_rto_max_default) \
  X(usrsctp_sysctl_get_sctp_rto_max_default) \
  X(usrsctp_sysctl_set_sctp_rto_min_default) \
  X(usrsctp_sysctl_get_sctp_rto_min_default) \
  X(usrsctp_sysctl_set_sctp_rto_initial_default) \
  X(usrsctp_sysctl_get_sctp_rto_initial_default) \
  X(usrsctp_sysctl_set_sctp_init_rto_max_default) \
  X(usrsctp_sysctl_get_sctp_init_rto_max_default) \
  X(usrsctp_sysctl_set_sctp_valid_cookie_life_default) \
  X(usrsctp_sysctl_get_sctp_valid_cookie_life_default) \
  X(usrsctp_sysctl_set_sctp_init_rtx_max_default) \
  X(usrsctp_sysctl_get_sctp_init_rtx_max_default) \
  X(usrsctp_sysctl_set_sctp_assoc_rtx_max_default) \
  X(usrsctp_sysctl_get_sctp_assoc_rtx_max_default) \
  X(usrsctp_sysctl_set_sctp_path_rtx_max_default) \
  X(usrsctp_sysctl_get_sctp_path_rtx_max_default) \
  X(usrsctp_sysctl_set_sctp_add_more_threshold) \
  X(usrsctp_sysctl_get_sctp_add_more_threshold) \
  X(usrsctp_sysctl_set_sctp_nr_incoming_streams_default) \
  X(usrsctp_sysctl_get_sctp_nr_incoming_streams_default) \
  X(usrsctp_sysctl_set_sctp_nr_outgoing_streams_default) \
  X(usrsctp_sysctl_get_sctp_nr_outgoing_streams_default) \
  X(usrsctp_sysctl_set_sctp_cmt_on_off) \
  X(usrsctp_sysctl_get_sctp_cmt_on_off) \
  X(usrsctp_sysctl_set_sctp_cmt_use_dac) \
  X(usrsctp_sysctl_get_sctp_cmt_use_dac) \
  X(usrsctp_sysctl_set_sctp_use_cwnd_based_maxburst) \
  X(usrsctp_sysctl_get_sctp_use_cwnd_based_maxburst) \
  X(usrsctp_sysctl_set_sctp_nat_friendly) \
  X(usrsctp_sysctl_get_sctp_nat_friendly) \
  X(usrsctp_sysctl_set_sctp_L2_abc_variable) \
  X(usrsctp_sysctl_get_sctp_L2_abc_variable) \
  X(usrsctp_sysctl_set_sctp_mbuf_threshold_count) \
  X(usrsctp_sysctl_get_sctp_mbuf_threshold_count) \
  X(usrsctp_sysctl_set_sctp_do_drain) \
  X(usrsctp_sysctl_get_sctp_do_drain) \
  X(usrsctp_sysctl_set_sctp_hb_maxburst) \
  X(usrsctp_sysctl_get_sctp_hb_maxburst) \
  X(usrsctp_sysctl_set_sctp_abort_if_one_2_one_hits_limit) \
  X(usrsctp_sysctl_get_sctp_abort_if_one_2_one_hits_limit) \
  X(usrsctp_sysctl_set_sctp_min_residual) \
  X(usrsctp_sysctl_get_sctp_min_residual) \
  X(usrsctp_sysctl_set_sctp_max_retran_chunk) \
  X(usrsctp_sysctl_get_sctp_max_retran_chunk) \
  X(usrsctp_sysctl_set_sctp_logging_level) \
  X(usrsctp_sysctl_get_sctp_logging_level) \
  X(usrsctp_sysctl_set_sctp_default_cc_module) \
  X(usrsctp_sysctl_get_sctp_default_cc_module) \
  X(usrsctp_sysctl_set_sctp_default_frag_interleave) \
  X(usrsctp_sysctl_get_sctp_default_frag_interleave) \
  X(usrsctp_sysctl_set_sctp_mobility_base) \
  X(usrsctp_sysctl_get_sctp_mobility_base) \
  X(usrsctp_sysctl_set_sctp_mobility_fasthandoff) \
  X(usrsctp_sysctl_get_sctp_mobility_fasthandoff) \
  X(usrsctp_sysctl_set_sctp_inits_include_nat_friendly) \
  X(usrsctp_sysctl_get_sctp_inits_include_nat_friendly) \
  X(usrsctp_sysctl_set_sctp_udp_tunneling_port) \
  X(usrsctp_sysctl_get_sctp_udp_tunneling_port) \
  X(usrsctp_sysctl_set_sctp_enable_sack_immediately) \
  X(usrsctp_sysctl_get_sctp_enable_sack_immediately) \
  X(usrsctp_sysctl_set_sctp_vtag_time_wait) \
  X(usrsctp_sysctl_get_sctp_vtag_time_wait) \
  X(usrsctp_sysctl_set_sctp_blackhole) \
  X(usrsctp_sysctl_get_sctp_blackhole) \
  X(usrsctp_sysctl_set_sctp_sendall_limit) \
  X(usrsctp_sysctl_get_sctp_sendall_limit) \
  X(usrsctp_sysctl_set_sctp_diag_info_code) \
  X(usrsctp_sysctl_get_sctp_diag_info_code) \
  X(usrsctp_sysctl_set_sctp_fr_max_burst_default) \
  X(usrsctp_sysctl_get_sctp_fr_max_burst_default) \
  X(usrsctp_sysctl_set_sctp_path_pf_threshold) \
  X(usrsctp_sysctl_get_sctp_path_pf_threshold) \
  X(usrsctp_sysctl_set_sctp_default_ss_module) \
  X(usrsctp_sysctl_get_sctp_default_ss_module) \
  X(usrsctp_sysctl_set_sctp_rttvar_bw) \
  X(usrsctp_sysctl_get_sctp_rttvar_bw) \
  X(usrsctp_sysctl_set_sctp_rttvar_rtt) \
  X(usrsctp_sysctl_get_sctp_rttvar_rtt) \
  X(usrsctp_sysctl_set_sctp_rttvar_eqret) \
  X(usrsctp_sysctl_get_sctp_rttvar_eqret) \
  X(usrsctp_sysctl_set_sctp_steady_step) \
  X(usrsctp_sysctl_get_sctp_steady_step) \
  X(usrsctp_sysctl_set_sctp_use_dccc_ecn) \
  X(usrsctp_sysctl_get_sctp_use_dccc_ecn) \
  X(usrsctp_sysctl_set_sctp_buffer_splitting) \
  X(usrsctp_sysctl_get_sctp_buffer_splitting) \
  X(usrsctp_sysctl_set_sctp_initial_cwnd) \
  X(usrsctp_sysctl_get_sctp_initial_cwnd) \
  X(usrsctp_sysctl_set_sctp_debug_on) \
  X(usrsctp_sysctl_get_sctp_debug_on) \
  X(usrsctp_get_stat) \
  /* end of ABI_FUNCTIONS */
// clang-format on

/* ------------------------------------------------------------------------------------------
 * Implementation, compiled by abi_ours.c / abi_debian.c (as C and as C++).
 * ---------------------------------------------------------------------------------------- */
#ifdef ABI_TABLE_SIDE

#define ABI_CAT_(a, b, c) a##b##c
#define ABI_CAT(a, b, c) ABI_CAT_(a, b, c)
#define ABI_FN(suffix) ABI_CAT(abi_, ABI_TABLE_SIDE, suffix)
#define ABI_COUNT(table) (sizeof(table) / sizeof((table)[0]))

#ifndef __cplusplus

/* Expands the argument's macros, then makes a string of the result. */
#define ABI_STR_(...) #__VA_ARGS__
#define ABI_XSTR(...) ABI_STR_(__VA_ARGS__)

#define ABI_RECORD_LAYOUT(kind, tag, scope)                    \
  {"sizeof(" #kind " " #tag ")", (long long)sizeof(kind tag)}, \
      {"alignof(" #kind " " #tag ")", (long long)_Alignof(kind tag)},
#define ABI_MEMBER_LAYOUT(kind, tag, scope, member)                                     \
  {"offsetof(" #kind " " #tag ", " #member ")", (long long)offsetof(kind tag, member)}, \
      {"sizeof(" #kind " " #tag "." #member ")", (long long)sizeof(((kind tag*)0)->member)},
#define ABI_FLEX_LAYOUT(kind, tag, scope, member)                                       \
  {"offsetof(" #kind " " #tag ", " #member ")", (long long)offsetof(kind tag, member)}, \
      {"sizeof(" #kind " " #tag "." #member "[0])", (long long)sizeof(((kind tag*)0)->member[0])},
#define ABI_TYPEDEF_LAYOUT(id) \
  {"sizeof(" #id ")", (long long)sizeof(id)}, {"alignof(" #id ")", (long long)_Alignof(id)},
#define ABI_CONSTANT_VALUE(id) {#id, (long long)(id)},
#define ABI_SAMPLE_VALUE(macro, arg) {#macro "(" #arg ")", (long long)(macro(arg))},
#define ABI_VALUE_MACRO_SAMPLES(macro) ABI_SAMPLE_ARGUMENTS(ABI_SAMPLE_VALUE, macro)

// clang-format off
static const struct abi_entry abi_layout_table[] = {
  ABI_RECORDS(ABI_RECORD_LAYOUT)
  ABI_MEMBERS(ABI_MEMBER_LAYOUT)
  ABI_FLEX_MEMBERS(ABI_FLEX_LAYOUT)
  ABI_TYPEDEFS(ABI_TYPEDEF_LAYOUT)
  ABI_CONSTANTS(ABI_CONSTANT_VALUE)
  ABI_VALUE_MACROS(ABI_VALUE_MACRO_SAMPLES)
};
// clang-format on

const struct abi_entry* ABI_FN(_layout)(size_t* count) {
  *count = ABI_COUNT(abi_layout_table);
  return abi_layout_table;
}

/* A name that is not a macro stringifies to itself, so these also record which names are
 * defined (e.g. SCTP_PACKED must be gone again after the header). */
#define ABI_OBJECT_MACRO_TEXT(id) {"expansion of " #id, ABI_XSTR(id)},
#define ABI_FUNCTION_MACRO_TEXT(id) {"expansion of " #id "(abi_arg)", ABI_XSTR(id(abi_arg))},

// clang-format off
static const struct abi_text_entry abi_text_table[] = {
  ABI_MACRO_NAMES(ABI_OBJECT_MACRO_TEXT)
  ABI_FUNCTION_LIKE_MACROS(ABI_FUNCTION_MACRO_TEXT)
};
// clang-format on

const struct abi_text_entry* ABI_FN(_text)(size_t* count) {
  *count = ABI_COUNT(abi_text_table);
  return abi_text_table;
}

#else /* __cplusplus */

#include <typeinfo>

/* Nested tags are scoped in C++ (sctp_notification::sctp_tlv), hence `scope`.  Unary plus
 * turns an enumerator (IPPROTO_SCTP is one in glibc) into its promoted integer type. */
#define ABI_MEMBER_TYPE(kind, tag, scope, member) \
  {"type of " #kind " " #tag "." #member,         \
   typeid(decltype(((kind scope tag*)nullptr)->member)).name()},
#define ABI_TYPEDEF_TYPE(id) {"type of " #id, typeid(id).name()},
#define ABI_CONSTANT_TYPE(id) {"type of " #id, typeid(decltype(+(id))).name()},
#define ABI_FUNCTION_TYPE(id) {"type of " #id, typeid(decltype(id)).name()},

// clang-format off
static const abi_text_entry abi_types_table[] = {
  ABI_MEMBERS(ABI_MEMBER_TYPE)
  ABI_FLEX_MEMBERS(ABI_MEMBER_TYPE)
  ABI_TYPEDEFS(ABI_TYPEDEF_TYPE)
  ABI_CONSTANTS(ABI_CONSTANT_TYPE)
  ABI_FUNCTIONS(ABI_FUNCTION_TYPE)
};
// clang-format on

extern "C" const abi_text_entry* ABI_FN(_types)(size_t* count) {
  *count = ABI_COUNT(abi_types_table);
  return abi_types_table;
}

#endif /* __cplusplus */
#endif /* ABI_TABLE_SIDE */

#endif /* SCTPCPP_TESTS_COMPAT_ABI_TABLE_H */
