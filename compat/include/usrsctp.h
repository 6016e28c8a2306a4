/*
 * usrsctp.h -- usrsctp-compatible C API of sctpcpp.
 *
 * This header is part of sctpcpp and was written for it.  It declares the programming
 * interface of the usrsctp user-land SCTP library (release 0.9.5.0) so that programs written
 * for usrsctp compile unchanged against sctpcpp's libusrsctp.so.2, and programs already built
 * against usrsctp run on it.  Every name, numeric value and type layout below is chosen to be
 * identical to usrsctp's on the supported platforms; tests/compat/ checks the x86-64 Linux
 * layout member by member against the usrsctp header shipped by Debian.
 *
 * A few later additions of usrsctp's development branch are also provided (zero-checksum
 * option and its values, SCTP_INTERLEAVING_SUPPORTED, the sctp_ootb_with_zero_cksum sysctl).
 *
 * Conventions kept from usrsctp:
 *  - The header includes the system headers it needs, so it may be included first.
 *  - `struct socket` is an opaque handle.
 *  - The debug sysctl values SCTP_DEBUG_NONE / SCTP_DEBUG_ALL are only defined when the
 *    program defines SCTP_DEBUG before including this header.
 *  - Integers in the structures are in host byte order unless stated otherwise; payload
 *    protocol identifiers are passed through unchanged (callers use network byte order).
 */

#ifndef __USRSCTP_H__
#define __USRSCTP_H__

/* Lets programs and tests tell this implementation apart from the original library. */
#define SCTPCPP_USRSCTP_COMPAT 1

/* ------------------------------------------------------------------------------------------
 * Platform glue
 * ---------------------------------------------------------------------------------------- */

#include <errno.h>
#include <stddef.h>
#include <sys/types.h>

#if defined(_WIN32)
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>
#endif

#if defined(_WIN32)
/* Fixed-width integers: <stdint.h> from Visual C++ 2010 on, else a user-supplied header, else
 * the compiler's sized integer types. */
#if defined(_MSC_VER) && _MSC_VER >= 1600
#include <stdint.h>
#elif defined(SCTP_STDINT_INCLUDE)
#include SCTP_STDINT_INCLUDE
#else
typedef unsigned __int8 uint8_t;
typedef unsigned __int16 uint16_t;
typedef unsigned __int32 uint32_t;
typedef unsigned __int64 uint64_t;
typedef __int16 int16_t;
typedef __int32 int32_t;
#endif

/* Windows has no ssize_t; usrsctp provides it as a macro. */
#ifndef ssize_t
#if defined(_WIN64)
#define ssize_t __int64
#else
#define ssize_t int
#endif
#endif

/* BSD socket names that Winsock lacks or spells differently. */
#define MSG_EOR 0x8
#ifndef EWOULDBLOCK
#define EWOULDBLOCK WSAEWOULDBLOCK
#endif
#ifndef EINPROGRESS
#define EINPROGRESS WSAEINPROGRESS
#endif
#define SHUT_RD 1
#define SHUT_WR 2
#define SHUT_RDWR 3
#endif /* _WIN32 */

/* Flag in the receive callback's flags / usrsctp_recvv()'s *msg_flags marking a notification
 * (it shares its value with Linux's MSG_ERRQUEUE, which the stack never reports). */
#ifndef MSG_NOTIFICATION
#define MSG_NOTIFICATION 0x2000
#endif

/* IANA protocol number of SCTP, for systems whose headers lack it. */
#ifndef IPPROTO_SCTP
#define IPPROTO_SCTP 132
#endif

/* Address family of the "lower layer" transport: the application moves the packets itself
 * (usrsctp_conninput() in, the conn_output callback out), e.g. over DTLS. */
#define AF_CONN 123

#if defined(_WIN32) && defined(_MSC_VER)
#pragma warning(push)
#pragma warning(disable : 4200) /* zero-sized array (flexible array member) in struct */
#endif

#if defined(__cplusplus) && defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wc99-extensions"
#endif

/* Flexible array members are standard C99; C++ compilers accept them as an extension. */
#if defined(__cplusplus) && defined(__GNUC__)
#define SCTPCPP_USRSCTP_FLEX __extension__
#else
#define SCTPCPP_USRSCTP_FLEX
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------
 * Basic types and addresses
 * ---------------------------------------------------------------------------------------- */

/* Association identifier (unsigned 32 bits, unlike the Linux kernel's signed one). */
typedef uint32_t sctp_assoc_t;

/* Special association identifiers for socket options on one-to-many sockets. */
#define SCTP_FUTURE_ASSOC 0
#define SCTP_CURRENT_ASSOC 1
#define SCTP_ALL_ASSOC 2

/* The 12-byte SCTP common header at the start of every packet (network byte order). */
#if defined(_WIN32) && defined(_MSC_VER)
#pragma pack(push, 1)
#define SCTP_PACKED
#else
#define SCTP_PACKED __attribute__((packed))
#endif
struct sctp_common_header {
  uint16_t source_port;
  uint16_t destination_port;
  uint32_t verification_tag;
  uint32_t crc32c;
} SCTP_PACKED;
#if defined(_WIN32) && defined(_MSC_VER)
#pragma pack(pop)
#endif
#undef SCTP_PACKED

/* An AF_CONN address: an opaque pointer naming the lower-layer connection, plus a port (network
 * byte order).  Shaped like the platform's other sockaddr_* structures: BSD-derived systems
 * have a leading length byte, the others a 16-bit family. */
#if defined(__APPLE__) || defined(__Bitrig__) || defined(__DragonFly__) || defined(__FreeBSD__) || \
    defined(__OpenBSD__) || defined(__NetBSD__)
struct sockaddr_conn {
  uint8_t sconn_len;
  uint8_t sconn_family;
  uint16_t sconn_port;
  void* sconn_addr;
};
#else
struct sockaddr_conn {
  uint16_t sconn_family;
  uint16_t sconn_port;
  void* sconn_addr;
};
#endif

/* Any address the stack may report (passed by value to the receive callback). */
union sctp_sockstore {
  struct sockaddr_in sin;
  struct sockaddr_in6 sin6;
  struct sockaddr_conn sconn;
  struct sockaddr sa;
};

/* Bits returned by usrsctp_get_events(). */
#define SCTP_EVENT_READ 0x0001
#define SCTP_EVENT_WRITE 0x0002
#define SCTP_EVENT_ERROR 0x0004

/* Historical padding sizes of the deprecated sctp_sndrcvinfo / sctp_extrcvinfo structures. */
#define SCTP_ALIGN_RESV_PAD 92
#define SCTP_ALIGN_RESV_PAD_SHORT 76

/* ------------------------------------------------------------------------------------------
 * Ancillary information for usrsctp_sendv() and usrsctp_recvv() (RFC 6458 section 5.3)
 * ---------------------------------------------------------------------------------------- */

/* Received message (SCTP_RECVV_RCVINFO; enabled with SCTP_RECVRCVINFO). */
struct sctp_rcvinfo {
  uint16_t rcv_sid;
  uint16_t rcv_ssn;
  uint16_t rcv_flags;
  uint32_t rcv_ppid;
  uint32_t rcv_tsn;
  uint32_t rcv_cumtsn;
  uint32_t rcv_context;
  sctp_assoc_t rcv_assoc_id;
};

/* The message after the one returned (SCTP_RECVV_NXTINFO; enabled with SCTP_RECVNXTINFO). */
struct sctp_nxtinfo {
  uint16_t nxt_sid;
  uint16_t nxt_flags;
  uint32_t nxt_ppid;
  uint32_t nxt_length;
  sctp_assoc_t nxt_assoc_id;
};

/* Both of the above (SCTP_RECVV_RN). */
struct sctp_recvv_rn {
  struct sctp_rcvinfo recvv_rcvinfo;
  struct sctp_nxtinfo recvv_nxtinfo;
};

/* Values describing a following message. */
#define SCTP_NO_NEXT_MSG 0x0000
#define SCTP_NEXT_MSG_AVAIL 0x0001
#define SCTP_NEXT_MSG_ISCOMPLETE 0x0002
#define SCTP_NEXT_MSG_IS_UNORDERED 0x0004
#define SCTP_NEXT_MSG_IS_NOTIFICATION 0x0008

/* *infotype values reported by usrsctp_recvv(). */
#define SCTP_RECVV_NOINFO 0
#define SCTP_RECVV_RCVINFO 1
#define SCTP_RECVV_NXTINFO 2
#define SCTP_RECVV_RN 3

/* infotype values accepted by usrsctp_sendv(). */
#define SCTP_SENDV_NOINFO 0
#define SCTP_SENDV_SNDINFO 1
#define SCTP_SENDV_PRINFO 2
#define SCTP_SENDV_AUTHINFO 3
#define SCTP_SENDV_SPA 4

/* Bits of sctp_sendv_spa.sendv_flags telling which parts are present. */
#define SCTP_SEND_SNDINFO_VALID 0x00000001
#define SCTP_SEND_PRINFO_VALID 0x00000002
#define SCTP_SEND_AUTHINFO_VALID 0x00000004

/* Result of a send to all associations (SCTP_SENDALL). */
struct sctp_snd_all_completes {
  uint16_t sall_stream;
  uint16_t sall_flags;
  uint32_t sall_ppid;
  uint32_t sall_context;
  uint32_t sall_num_sent;
  uint32_t sall_num_failed;
};

/* Send parameters (SCTP_SENDV_SNDINFO, SCTP_DEFAULT_SNDINFO). */
struct sctp_sndinfo {
  uint16_t snd_sid;
  uint16_t snd_flags;
  uint32_t snd_ppid;
  uint32_t snd_context;
  sctp_assoc_t snd_assoc_id;
};

/* Partial-reliability policy (SCTP_SENDV_PRINFO). */
struct sctp_prinfo {
  uint16_t pr_policy;
  uint32_t pr_value;
};

/* Authentication key to use (SCTP_SENDV_AUTHINFO). */
struct sctp_authinfo {
  uint16_t auth_keynumber;
};

/* Several kinds of send information at once (SCTP_SENDV_SPA). */
struct sctp_sendv_spa {
  uint32_t sendv_flags;
  struct sctp_sndinfo sendv_sndinfo;
  struct sctp_prinfo sendv_prinfo;
  struct sctp_authinfo sendv_authinfo;
};

/* UDP encapsulation port of a peer (SCTP_REMOTE_UDP_ENCAPS_PORT, RFC 6951). */
struct sctp_udpencaps {
  struct sockaddr_storage sue_address;
  uint32_t sue_assoc_id;
  uint16_t sue_port;
};

/* ------------------------------------------------------------------------------------------
 * Notifications (RFC 6458 section 6)
 * ---------------------------------------------------------------------------------------- */

/* Notification types (sn_type; also the se_type of struct sctp_event). */
#define SCTP_ASSOC_CHANGE 0x0001
#define SCTP_PEER_ADDR_CHANGE 0x0002
#define SCTP_REMOTE_ERROR 0x0003
#define SCTP_SEND_FAILED 0x0004
#define SCTP_SHUTDOWN_EVENT 0x0005
#define SCTP_ADAPTATION_INDICATION 0x0006
#define SCTP_PARTIAL_DELIVERY_EVENT 0x0007
#define SCTP_AUTHENTICATION_EVENT 0x0008
#define SCTP_STREAM_RESET_EVENT 0x0009
#define SCTP_SENDER_DRY_EVENT 0x000a
#define SCTP_NOTIFICATIONS_STOPPED_EVENT 0x000b
#define SCTP_ASSOC_RESET_EVENT 0x000c
#define SCTP_STREAM_CHANGE_EVENT 0x000d
#define SCTP_SEND_FAILED_EVENT 0x000e

/* SCTP_ASSOC_CHANGE.  On SCTP_COMM_UP and SCTP_RESTART, sac_info lists the features the
 * association supports (SCTP_ASSOC_SUPPORTS_*), one byte each. */
struct sctp_assoc_change {
  uint16_t sac_type;
  uint16_t sac_flags;
  uint32_t sac_length;
  uint16_t sac_state;
  uint16_t sac_error;
  uint16_t sac_outbound_streams;
  uint16_t sac_inbound_streams;
  sctp_assoc_t sac_assoc_id;
  SCTPCPP_USRSCTP_FLEX uint8_t sac_info[];
};

/* sac_state */
#define SCTP_COMM_UP 0x0001
#define SCTP_COMM_LOST 0x0002
#define SCTP_RESTART 0x0003
#define SCTP_SHUTDOWN_COMP 0x0004
#define SCTP_CANT_STR_ASSOC 0x0005

/* Entries of sac_info */
#define SCTP_ASSOC_SUPPORTS_PR 0x01
#define SCTP_ASSOC_SUPPORTS_AUTH 0x02
#define SCTP_ASSOC_SUPPORTS_ASCONF 0x03
#define SCTP_ASSOC_SUPPORTS_MULTIBUF 0x04
#define SCTP_ASSOC_SUPPORTS_RE_CONFIG 0x05
#define SCTP_ASSOC_SUPPORTS_INTERLEAVING 0x06
#define SCTP_ASSOC_SUPPORTS_MAX 0x06

/* SCTP_PEER_ADDR_CHANGE */
struct sctp_paddr_change {
  uint16_t spc_type;
  uint16_t spc_flags;
  uint32_t spc_length;
  struct sockaddr_storage spc_aaddr;
  uint32_t spc_state;
  uint32_t spc_error;
  sctp_assoc_t spc_assoc_id;
  uint8_t spc_padding[4];
};

/* spc_state */
#define SCTP_ADDR_AVAILABLE 0x0001
#define SCTP_ADDR_UNREACHABLE 0x0002
#define SCTP_ADDR_REMOVED 0x0003
#define SCTP_ADDR_ADDED 0x0004
#define SCTP_ADDR_MADE_PRIM 0x0005
#define SCTP_ADDR_CONFIRMED 0x0006

/* SCTP_REMOTE_ERROR: the peer's ERROR chunk; sre_data holds its causes. */
struct sctp_remote_error {
  uint16_t sre_type;
  uint16_t sre_flags;
  uint32_t sre_length;
  uint16_t sre_error;
  sctp_assoc_t sre_assoc_id;
  SCTPCPP_USRSCTP_FLEX uint8_t sre_data[];
};

/* SCTP_SHUTDOWN_EVENT */
struct sctp_shutdown_event {
  uint16_t sse_type;
  uint16_t sse_flags;
  uint32_t sse_length;
  sctp_assoc_t sse_assoc_id;
};

/* SCTP_ADAPTATION_INDICATION */
struct sctp_adaptation_event {
  uint16_t sai_type;
  uint16_t sai_flags;
  uint32_t sai_length;
  uint32_t sai_adaptation_ind;
  sctp_assoc_t sai_assoc_id;
};

/* SCTP_PARTIAL_DELIVERY_EVENT */
struct sctp_pdapi_event {
  uint16_t pdapi_type;
  uint16_t pdapi_flags;
  uint32_t pdapi_length;
  uint32_t pdapi_indication;
  uint32_t pdapi_stream;
  uint32_t pdapi_seq;
  sctp_assoc_t pdapi_assoc_id;
};

/* pdapi_indication */
#define SCTP_PARTIAL_DELIVERY_ABORTED 0x0001

/* SCTP_AUTHENTICATION_EVENT */
struct sctp_authkey_event {
  uint16_t auth_type;
  uint16_t auth_flags;
  uint32_t auth_length;
  uint16_t auth_keynumber;
  uint32_t auth_indication;
  sctp_assoc_t auth_assoc_id;
};

/* auth_indication */
#define SCTP_AUTH_NEW_KEY 0x0001
#define SCTP_AUTH_NO_AUTH 0x0002
#define SCTP_AUTH_FREE_KEY 0x0003

/* SCTP_SENDER_DRY_EVENT: nothing is left to send or retransmit. */
struct sctp_sender_dry_event {
  uint16_t sender_dry_type;
  uint16_t sender_dry_flags;
  uint32_t sender_dry_length;
  sctp_assoc_t sender_dry_assoc_id;
};

/* SCTP_STREAM_RESET_EVENT (RFC 6525): the affected stream identifiers follow. */
struct sctp_stream_reset_event {
  uint16_t strreset_type;
  uint16_t strreset_flags;
  uint32_t strreset_length;
  sctp_assoc_t strreset_assoc_id;
  SCTPCPP_USRSCTP_FLEX uint16_t strreset_stream_list[];
};

/* strreset_flags */
#define SCTP_STREAM_RESET_INCOMING_SSN 0x0001
#define SCTP_STREAM_RESET_OUTGOING_SSN 0x0002
#define SCTP_STREAM_RESET_DENIED 0x0004
#define SCTP_STREAM_RESET_FAILED 0x0008
#define SCTP_STREAM_CHANGED_DENIED 0x0010

/* SCTP_ASSOC_RESET_EVENT (RFC 6525) */
struct sctp_assoc_reset_event {
  uint16_t assocreset_type;
  uint16_t assocreset_flags;
  uint32_t assocreset_length;
  sctp_assoc_t assocreset_assoc_id;
  uint32_t assocreset_local_tsn;
  uint32_t assocreset_remote_tsn;
};

/* assocreset_flags */
#define SCTP_ASSOC_RESET_DENIED 0x0004
#define SCTP_ASSOC_RESET_FAILED 0x0008

/* SCTP_STREAM_CHANGE_EVENT (RFC 6525): new stream counts after SCTP_ADD_STREAMS. */
struct sctp_stream_change_event {
  uint16_t strchange_type;
  uint16_t strchange_flags;
  uint32_t strchange_length;
  sctp_assoc_t strchange_assoc_id;
  uint16_t strchange_instrms;
  uint16_t strchange_outstrms;
};

/* strchange_flags */
#define SCTP_STREAM_CHANGE_DENIED 0x0004
#define SCTP_STREAM_CHANGE_FAILED 0x0008

/* SCTP_SEND_FAILED_EVENT: the undelivered user data follows in ssfe_data. */
struct sctp_send_failed_event {
  uint16_t ssfe_type;
  uint16_t ssfe_flags;
  uint32_t ssfe_length;
  uint32_t ssfe_error;
  struct sctp_sndinfo ssfe_info;
  sctp_assoc_t ssfe_assoc_id;
  SCTPCPP_USRSCTP_FLEX uint8_t ssfe_data[];
};

/* ssfe_flags */
#define SCTP_DATA_UNSENT 0x0001 /* never transmitted */
#define SCTP_DATA_SENT 0x0002   /* transmitted at least once */

/* Argument of the SCTP_EVENT option: switch one notification type on or off. */
struct sctp_event {
  sctp_assoc_t se_assoc_id;
  uint16_t se_type;
  uint8_t se_on;
};

/* Any notification.  Every one starts with the common sn_header.  As in usrsctp, the header
 * structure is declared inside the union (in C++ it is sctp_notification::sctp_tlv). */
union sctp_notification {
  struct sctp_tlv {
    uint16_t sn_type;
    uint16_t sn_flags;
    uint32_t sn_length;
  } sn_header;
  struct sctp_assoc_change sn_assoc_change;
  struct sctp_paddr_change sn_paddr_change;
  struct sctp_remote_error sn_remote_error;
  struct sctp_shutdown_event sn_shutdown_event;
  struct sctp_adaptation_event sn_adaptation_event;
  struct sctp_pdapi_event sn_pdapi_event;
  struct sctp_authkey_event sn_auth_event;
  struct sctp_sender_dry_event sn_sender_dry_event;
  struct sctp_send_failed_event sn_send_failed_event;
  struct sctp_stream_reset_event sn_strreset_event;
  struct sctp_assoc_reset_event sn_assocreset_event;
  struct sctp_stream_change_event sn_strchange_event;
};

/* Deprecated all-in-one subscription structure (RFC 6458 SCTP_EVENTS); one byte per type. */
struct sctp_event_subscribe {
  uint8_t sctp_data_io_event;
  uint8_t sctp_association_event;
  uint8_t sctp_address_event;
  uint8_t sctp_send_failure_event;
  uint8_t sctp_peer_error_event;
  uint8_t sctp_shutdown_event;
  uint8_t sctp_partial_delivery_event;
  uint8_t sctp_adaptation_layer_event;
  uint8_t sctp_authentication_event;
  uint8_t sctp_sender_dry_event;
  uint8_t sctp_stream_reset_event;
};

/* ------------------------------------------------------------------------------------------
 * Message flags and partial reliability
 * ---------------------------------------------------------------------------------------- */

/* snd_flags / rcv_flags / nxt_flags / ssfe_flags bits. */
#define SCTP_DATA_LAST_FRAG 0x0001   /* the end of the message was not sent */
#define SCTP_DATA_NOT_FRAG 0x0003    /* none of the message was sent */
#define SCTP_NOTIFICATION 0x0010     /* the next message is a notification */
#define SCTP_COMPLETE 0x0020         /* the next message is complete */
#define SCTP_EOF 0x0100              /* start a graceful shutdown */
#define SCTP_ABORT 0x0200            /* abort the association */
#define SCTP_UNORDERED 0x0400        /* deliver without ordering */
#define SCTP_ADDR_OVER 0x0800        /* send to the given address, not the primary path */
#define SCTP_SENDALL 0x1000          /* send on every association of the socket */
#define SCTP_EOR 0x2000              /* last piece of a message (explicit EOR mode) */
#define SCTP_SACK_IMMEDIATELY 0x4000 /* ask the peer to acknowledge at once (I bit) */

/* Nonzero when flags has a bit set that is not a valid user send flag. */
/* clang-format off */
#define INVALID_SINFO_FLAG(x)                                                               \
  (((x) & 0xfffffff0 & ~(SCTP_EOF | SCTP_ABORT | SCTP_UNORDERED | SCTP_ADDR_OVER |        \
                         SCTP_SENDALL | SCTP_EOR | SCTP_SACK_IMMEDIATELY)) != 0)

/* Partial-reliability policies (pr_policy; RFC 3758 and RFC 7496). */
#define SCTP_PR_SCTP_NONE 0x0000 /* fully reliable */
#define SCTP_PR_SCTP_TTL 0x0001  /* pr_value = lifetime in milliseconds */
#define SCTP_PR_SCTP_BUF 0x0002  /* pr_value = send buffer limit */
#define SCTP_PR_SCTP_RTX 0x0003  /* pr_value = maximum number of retransmissions */

/* Policy tests on a pr_policy value (the policy lives in the low four bits). */
#define PR_SCTP_POLICY(x) ((x) & 0x0f)
#define PR_SCTP_ENABLED(x) (PR_SCTP_POLICY(x) != SCTP_PR_SCTP_NONE)
#define PR_SCTP_TTL_ENABLED(x) (PR_SCTP_POLICY(x) == SCTP_PR_SCTP_TTL)
#define PR_SCTP_BUF_ENABLED(x) (PR_SCTP_POLICY(x) == SCTP_PR_SCTP_BUF)
#define PR_SCTP_RTX_ENABLED(x) (PR_SCTP_POLICY(x) == SCTP_PR_SCTP_RTX)
#define PR_SCTP_INVALID_POLICY(x) (PR_SCTP_POLICY(x) > SCTP_PR_SCTP_RTX)
/* clang-format on */

/* ------------------------------------------------------------------------------------------
 * Socket options, level IPPROTO_SCTP (usrsctp_setsockopt / usrsctp_getsockopt)
 * ---------------------------------------------------------------------------------------- */

/* Readable and writable. */
#define SCTP_RTOINFO 0x00000001                /* struct sctp_rtoinfo */
#define SCTP_ASSOCINFO 0x00000002              /* struct sctp_assocparams */
#define SCTP_INITMSG 0x00000003                /* struct sctp_initmsg */
#define SCTP_NODELAY 0x00000004                /* int: disable Nagle */
#define SCTP_AUTOCLOSE 0x00000005              /* int: seconds */
#define SCTP_PRIMARY_ADDR 0x00000007           /* struct sctp_setprim */
#define SCTP_ADAPTATION_LAYER 0x00000008       /* struct sctp_setadaptation */
#define SCTP_DISABLE_FRAGMENTS 0x00000009      /* int */
#define SCTP_PEER_ADDR_PARAMS 0x0000000a       /* struct sctp_paddrparams */
#define SCTP_I_WANT_MAPPED_V4_ADDR 0x0000000d  /* int: IPv4 as v4-mapped IPv6 */
#define SCTP_MAXSEG 0x0000000e                 /* struct sctp_assoc_value */
#define SCTP_DELAYED_SACK 0x0000000f           /* struct sctp_sack_info */
#define SCTP_FRAGMENT_INTERLEAVE 0x00000010    /* int: 0, 1 or 2 */
#define SCTP_PARTIAL_DELIVERY_POINT 0x00000011 /* int: bytes */
#define SCTP_HMAC_IDENT 0x00000014             /* struct sctp_hmacalgo */
#define SCTP_AUTH_ACTIVE_KEY 0x00000015        /* struct sctp_authkeyid */
#define SCTP_AUTO_ASCONF 0x00000018            /* int */
#define SCTP_MAX_BURST 0x00000019              /* struct sctp_assoc_value */
#define SCTP_CONTEXT 0x0000001a                /* struct sctp_assoc_value */
#define SCTP_EXPLICIT_EOR 0x0000001b           /* int: messages end at SCTP_EOR */
#define SCTP_REUSE_PORT 0x0000001c             /* int */
#define SCTP_EVENT 0x0000001e                  /* struct sctp_event */
#define SCTP_RECVRCVINFO 0x0000001f            /* int */
#define SCTP_RECVNXTINFO 0x00000020            /* int */
#define SCTP_DEFAULT_SNDINFO 0x00000021        /* struct sctp_sndinfo */
#define SCTP_DEFAULT_PRINFO 0x00000022         /* struct sctp_default_prinfo */
#define SCTP_REMOTE_UDP_ENCAPS_PORT 0x00000024 /* struct sctp_udpencaps */
#define SCTP_ECN_SUPPORTED 0x00000025          /* struct sctp_assoc_value */
#define SCTP_PR_SUPPORTED 0x00000026           /* struct sctp_assoc_value */
#define SCTP_AUTH_SUPPORTED 0x00000027         /* struct sctp_assoc_value */
#define SCTP_ASCONF_SUPPORTED 0x00000028       /* struct sctp_assoc_value */
#define SCTP_RECONFIG_SUPPORTED 0x00000029     /* struct sctp_assoc_value */
#define SCTP_NRSACK_SUPPORTED 0x00000030       /* struct sctp_assoc_value */
#define SCTP_PKTDROP_SUPPORTED 0x00000031      /* struct sctp_assoc_value */
#define SCTP_MAX_CWND 0x00000032               /* struct sctp_assoc_value */
#define SCTP_ENABLE_STREAM_RESET 0x00000900    /* struct sctp_assoc_value */
#define SCTP_PLUGGABLE_SS 0x00001203           /* struct sctp_assoc_value: SCTP_SS_* */
#define SCTP_SS_VALUE 0x00001204               /* struct sctp_stream_value */

/* Later usrsctp additions.  SCTP_ACCEPT_ZERO_CHECKSUM (write-only, a uint32_t error detection
 * method identifier, SCTP_EDMID_*) enables RFC 9653 zero checksums; SCTP_INTERLEAVING_SUPPORTED
 * (struct sctp_assoc_value) enables RFC 8260 I-DATA chunks and needs SCTP_FRAGMENT_INTERLEAVE
 * set to 2 first.  Spelled as the programs that define them themselves spell them. */
#define SCTP_ACCEPT_ZERO_CHECKSUM 0x00000033
#define SCTP_INTERLEAVING_SUPPORTED 0x00001206
#define SCTP_EDMID_NONE 0
#define SCTP_EDMID_LOWER_LAYER_DTLS 1

/* Read-only. */
#define SCTP_STATUS 0x00000100             /* struct sctp_status */
#define SCTP_GET_PEER_ADDR_INFO 0x00000101 /* struct sctp_paddrinfo */
#define SCTP_PEER_AUTH_CHUNKS 0x00000102   /* struct sctp_authchunks */
#define SCTP_LOCAL_AUTH_CHUNKS 0x00000103  /* struct sctp_authchunks */
#define SCTP_GET_ASSOC_NUMBER 0x00000104   /* uint32_t */
#define SCTP_GET_ASSOC_ID_LIST 0x00000105  /* struct sctp_assoc_ids */
#define SCTP_TIMEOUTS 0x00000106           /* struct sctp_timeouts */
#define SCTP_PR_STREAM_STATUS 0x00000107   /* struct sctp_prstatus */
#define SCTP_PR_ASSOC_STATUS 0x00000108    /* struct sctp_prstatus */

/* Write-only. */
#define SCTP_SET_PEER_PRIMARY_ADDR 0x00000006 /* struct sctp_setpeerprim */
#define SCTP_AUTH_CHUNK 0x00000012            /* struct sctp_authchunk */
#define SCTP_AUTH_KEY 0x00000013              /* struct sctp_authkey */
#define SCTP_AUTH_DELETE_KEY 0x00000016       /* struct sctp_authkeyid */
#define SCTP_AUTH_DEACTIVATE_KEY 0x0000001d   /* struct sctp_authkeyid */
#define SCTP_RESET_STREAMS 0x00000901         /* struct sctp_reset_streams */
#define SCTP_RESET_ASSOC 0x00000902           /* sctp_assoc_t */
#define SCTP_ADD_STREAMS 0x00000903           /* struct sctp_add_streams */

/* SCTP_INITMSG */
struct sctp_initmsg {
  uint16_t sinit_num_ostreams;
  uint16_t sinit_max_instreams;
  uint16_t sinit_max_attempts;
  uint16_t sinit_max_init_timeo;
};

/* SCTP_RTOINFO (milliseconds) */
struct sctp_rtoinfo {
  sctp_assoc_t srto_assoc_id;
  uint32_t srto_initial;
  uint32_t srto_max;
  uint32_t srto_min;
};

/* SCTP_ASSOCINFO */
struct sctp_assocparams {
  sctp_assoc_t sasoc_assoc_id;
  uint32_t sasoc_peer_rwnd;
  uint32_t sasoc_local_rwnd;
  uint32_t sasoc_cookie_life;
  uint16_t sasoc_asocmaxrxt;
  uint16_t sasoc_number_peer_destinations;
};

/* SCTP_PRIMARY_ADDR */
struct sctp_setprim {
  struct sockaddr_storage ssp_addr;
  sctp_assoc_t ssp_assoc_id;
  uint8_t ssp_padding[4];
};

/* SCTP_ADAPTATION_LAYER */
struct sctp_setadaptation {
  uint32_t ssb_adaptation_ind;
};

/* SCTP_PEER_ADDR_PARAMS */
struct sctp_paddrparams {
  struct sockaddr_storage spp_address;
  sctp_assoc_t spp_assoc_id;
  uint32_t spp_hbinterval;
  uint32_t spp_pathmtu;
  uint32_t spp_flags;
  uint32_t spp_ipv6_flowlabel;
  uint16_t spp_pathmaxrxt;
  uint8_t spp_dscp;
};

/* spp_flags */
#define SPP_HB_ENABLE 0x00000001
#define SPP_HB_DISABLE 0x00000002
#define SPP_HB_DEMAND 0x00000004
#define SPP_PMTUD_ENABLE 0x00000008
#define SPP_PMTUD_DISABLE 0x00000010
#define SPP_HB_TIME_IS_ZERO 0x00000080
#define SPP_IPV6_FLOWLABEL 0x00000100
#define SPP_DSCP 0x00000200

/* A value for one association (SCTP_MAXSEG, SCTP_MAX_BURST, SCTP_CONTEXT,
 * SCTP_ENABLE_STREAM_RESET, SCTP_*_SUPPORTED, SCTP_MAX_CWND, SCTP_PLUGGABLE_SS, ...). */
struct sctp_assoc_value {
  sctp_assoc_t assoc_id;
  uint32_t assoc_value;
};

/* SCTP_ENABLE_STREAM_RESET bits (RFC 6525 requests the peer may make). */
#define SCTP_ENABLE_RESET_STREAM_REQ 0x00000001
#define SCTP_ENABLE_RESET_ASSOC_REQ 0x00000002
#define SCTP_ENABLE_CHANGE_ASSOC_REQ 0x00000004
#define SCTP_ENABLE_VALUE_MASK 0x00000007

/* SCTP_RESET_STREAMS: srs_number_streams identifiers follow (0 = all streams). */
struct sctp_reset_streams {
  sctp_assoc_t srs_assoc_id;
  uint16_t srs_flags;
  uint16_t srs_number_streams;
  SCTPCPP_USRSCTP_FLEX uint16_t srs_stream_list[];
};

/* srs_flags */
#define SCTP_STREAM_RESET_INCOMING 0x00000001
#define SCTP_STREAM_RESET_OUTGOING 0x00000002

/* SCTP_ADD_STREAMS */
struct sctp_add_streams {
  sctp_assoc_t sas_assoc_id;
  uint16_t sas_instrms;
  uint16_t sas_outstrms;
};

/* SCTP_HMAC_IDENT: preference-ordered list of HMAC identifiers. */
struct sctp_hmacalgo {
  uint32_t shmac_number_of_idents;
  SCTPCPP_USRSCTP_FLEX uint16_t shmac_idents[];
};

/* HMAC identifiers (RFC 4895 and later). */
#define SCTP_AUTH_HMAC_ID_RSVD 0x0000
#define SCTP_AUTH_HMAC_ID_SHA1 0x0001 /* mandatory to implement */
#define SCTP_AUTH_HMAC_ID_SHA256 0x0003
#define SCTP_AUTH_HMAC_ID_SHA224 0x0004
#define SCTP_AUTH_HMAC_ID_SHA384 0x0005
#define SCTP_AUTH_HMAC_ID_SHA512 0x0006

/* SCTP_DELAYED_SACK (sack_delay in milliseconds) */
struct sctp_sack_info {
  sctp_assoc_t sack_assoc_id;
  uint32_t sack_delay;
  uint32_t sack_freq;
};

/* SCTP_DEFAULT_PRINFO */
struct sctp_default_prinfo {
  uint16_t pr_policy;
  uint32_t pr_value;
  sctp_assoc_t pr_assoc_id;
};

/* SCTP_GET_PEER_ADDR_INFO, and the primary path in struct sctp_status. */
struct sctp_paddrinfo {
  struct sockaddr_storage spinfo_address;
  sctp_assoc_t spinfo_assoc_id;
  int32_t spinfo_state;
  uint32_t spinfo_cwnd;
  uint32_t spinfo_srtt;
  uint32_t spinfo_rto;
  uint32_t spinfo_mtu;
};

/* SCTP_STATUS */
struct sctp_status {
  sctp_assoc_t sstat_assoc_id;
  int32_t sstat_state;
  uint32_t sstat_rwnd;
  uint16_t sstat_unackdata;
  uint16_t sstat_penddata;
  uint16_t sstat_instrms;
  uint16_t sstat_outstrms;
  uint32_t sstat_fragmentation_point;
  struct sctp_paddrinfo sstat_primary;
};

/* sstat_state */
#define SCTP_CLOSED 0x0000
#define SCTP_BOUND 0x1000
#define SCTP_LISTEN 0x2000
#define SCTP_COOKIE_WAIT 0x0002
#define SCTP_COOKIE_ECHOED 0x0004
#define SCTP_ESTABLISHED 0x0008
#define SCTP_SHUTDOWN_SENT 0x0010
#define SCTP_SHUTDOWN_RECEIVED 0x0020
#define SCTP_SHUTDOWN_ACK_SENT 0x0040
#define SCTP_SHUTDOWN_PENDING 0x0080

/* spinfo_state */
#define SCTP_ACTIVE 0x0001      /* reachable */
#define SCTP_INACTIVE 0x0002    /* unreachable */
#define SCTP_UNCONFIRMED 0x0200 /* not yet confirmed by a heartbeat */

/* SCTP_PEER_AUTH_CHUNKS / SCTP_LOCAL_AUTH_CHUNKS: chunk types that must be authenticated. */
struct sctp_authchunks {
  sctp_assoc_t gauth_assoc_id;
  SCTPCPP_USRSCTP_FLEX uint8_t gauth_chunks[];
};

/* SCTP_GET_ASSOC_ID_LIST */
struct sctp_assoc_ids {
  uint32_t gaids_number_of_ids;
  SCTPCPP_USRSCTP_FLEX sctp_assoc_t gaids_assoc_id[];
};

/* SCTP_SET_PEER_PRIMARY_ADDR */
struct sctp_setpeerprim {
  struct sockaddr_storage sspp_addr;
  sctp_assoc_t sspp_assoc_id;
  uint8_t sspp_padding[4];
};

/* SCTP_AUTH_CHUNK */
struct sctp_authchunk {
  uint8_t sauth_chunk;
};

/* Verification tags of an association (option SCTP_GET_NONCE_VALUES, not declared here). */
struct sctp_get_nonce_values {
  sctp_assoc_t gn_assoc_id;
  uint32_t gn_peers_tag;
  uint32_t gn_local_tag;
};

/* SCTP_AUTH_KEY: sca_keylength key bytes follow. */
struct sctp_authkey {
  sctp_assoc_t sca_assoc_id;
  uint16_t sca_keynumber;
  uint16_t sca_keylength;
  SCTPCPP_USRSCTP_FLEX uint8_t sca_key[];
};

/* SCTP_AUTH_ACTIVE_KEY, SCTP_AUTH_DELETE_KEY, SCTP_AUTH_DEACTIVATE_KEY */
struct sctp_authkeyid {
  sctp_assoc_t scact_assoc_id;
  uint16_t scact_keynumber;
};

/* Congestion control module option (option SCTP_CC_OPTION, not declared here). */
struct sctp_cc_option {
  int option;
  struct sctp_assoc_value aid_value;
};

/* SCTP_SS_VALUE: scheduler parameter (priority, weight) of one stream. */
struct sctp_stream_value {
  sctp_assoc_t assoc_id;
  uint16_t stream_id;
  uint16_t stream_value;
};

/* SCTP_TIMEOUTS: number of expirations of each timer. */
struct sctp_timeouts {
  sctp_assoc_t stimo_assoc_id;
  uint32_t stimo_init;
  uint32_t stimo_data;
  uint32_t stimo_sack;
  uint32_t stimo_shutdown;
  uint32_t stimo_heartbeat;
  uint32_t stimo_cookie;
  uint32_t stimo_shutdownack;
};

/* SCTP_PR_STREAM_STATUS / SCTP_PR_ASSOC_STATUS (RFC 7496) */
struct sctp_prstatus {
  sctp_assoc_t sprstat_assoc_id;
  uint16_t sprstat_sid;
  uint16_t sprstat_policy;
  uint64_t sprstat_abandoned_unsent;
  uint64_t sprstat_abandoned_sent;
};

/* Congestion control modules. */
#define SCTP_CC_RFC2581 0x00000000 /* standard (RFC 4960) */
#define SCTP_CC_HSTCP 0x00000001   /* HighSpeed TCP (RFC 3649) */
#define SCTP_CC_HTCP 0x00000002    /* H-TCP */
#define SCTP_CC_RTCC 0x00000003    /* standard with RTT-based adjustments */

/* struct sctp_cc_option.option values (RTCC module). */
#define SCTP_CC_OPT_RTCC_SETMODE 0x00002000
#define SCTP_CC_OPT_USE_DCCC_EC 0x00002001
#define SCTP_CC_OPT_STEADY_STEP 0x00002002

/* Concurrent multipath transfer variants (sctp_cmt_on_off sysctl). */
#define SCTP_CMT_OFF 0
#define SCTP_CMT_BASE 1
#define SCTP_CMT_RPV1 2
#define SCTP_CMT_RPV2 3
#define SCTP_CMT_MPTCP 4
#define SCTP_CMT_MAX SCTP_CMT_MPTCP

/* Stream schedulers (SCTP_PLUGGABLE_SS, sctp_default_ss_module sysctl; RFC 8260). */
#define SCTP_SS_DEFAULT 0x00000000            /* default: simple round robin */
#define SCTP_SS_ROUND_ROBIN 0x00000001        /* round robin per message */
#define SCTP_SS_ROUND_ROBIN_PACKET 0x00000002 /* round robin per packet */
#define SCTP_SS_PRIORITY 0x00000003           /* strict priority */
#define SCTP_SS_FAIR_BANDWITH 0x00000004      /* fair capacity (the name's typo is usrsctp's) */
#define SCTP_SS_FIRST_COME 0x00000005         /* first come first served */
/* sctpcpp addition (not in usrsctp): weighted fair queueing, RFC 8260 §3.6; SCTP_SS_VALUE is
 * the stream's weight. */
#define SCTP_SS_WEIGHTED_FAIR_QUEUEING 0x00000006

/* ------------------------------------------------------------------------------------------
 * Chunk types (the ones usrsctp names; RFC 9260 and extensions)
 * ---------------------------------------------------------------------------------------- */

#define SCTP_DATA 0x00
#define SCTP_INITIATION 0x01
#define SCTP_INITIATION_ACK 0x02
#define SCTP_SELECTIVE_ACK 0x03
#define SCTP_HEARTBEAT_REQUEST 0x04
#define SCTP_HEARTBEAT_ACK 0x05
#define SCTP_ABORT_ASSOCIATION 0x06
#define SCTP_SHUTDOWN 0x07
#define SCTP_SHUTDOWN_ACK 0x08
#define SCTP_OPERATION_ERROR 0x09
#define SCTP_COOKIE_ECHO 0x0a
#define SCTP_COOKIE_ACK 0x0b
#define SCTP_ECN_ECHO 0x0c
#define SCTP_ECN_CWR 0x0d
#define SCTP_SHUTDOWN_COMPLETE 0x0e
#define SCTP_AUTHENTICATION 0x0f   /* AUTH, RFC 4895 */
#define SCTP_NR_SELECTIVE_ACK 0x10 /* NR-SACK */
#define SCTP_ASCONF_ACK 0x80       /* RFC 5061 */
#define SCTP_PACKET_DROPPED 0x81   /* PKTDROP */
#define SCTP_STREAM_RESET 0x82     /* RE-CONFIG, RFC 6525 */
#define SCTP_PAD_CHUNK 0x84        /* PAD, RFC 4820 */
#define SCTP_FORWARD_CUM_TSN 0xc0  /* FORWARD-TSN, RFC 3758 */
#define SCTP_ASCONF 0xc1           /* RFC 5061 */

/* ------------------------------------------------------------------------------------------
 * Functions
 * ---------------------------------------------------------------------------------------- */

/* Opaque socket handle. */
struct socket;

/* Start the stack.  udp_port: local UDP encapsulation port (0 = none).  conn_output sends an
 * AF_CONN packet; buffer is only valid during the call; return 0 or an errno value.
 * debug_printf receives debug output while the sctp_debug_on sysctl is nonzero.
 * usrsctp_init_nothreads() starts no timer thread: call usrsctp_handle_timers(). */
void usrsctp_init(uint16_t udp_port,
                  int (*conn_output)(void* addr, void* buffer, size_t length, uint8_t tos,
                                     uint8_t set_df),
                  void (*debug_printf)(const char* format, ...));
void usrsctp_init_nothreads(uint16_t udp_port,
                            int (*conn_output)(void* addr, void* buffer, size_t length, uint8_t tos,
                                               uint8_t set_df),
                            void (*debug_printf)(const char* format, ...));

/* Stop the stack: 0, or -1 while sockets still exist. */
int usrsctp_finish(void);

/* Create a socket (AF_INET, AF_INET6 or AF_CONN; SOCK_STREAM or SOCK_SEQPACKET;
 * IPPROTO_SCTP).  With receive_cb, messages and notifications are delivered to it: data is
 * allocated with malloc() and belongs to the callee; flags holds MSG_EOR and MSG_NOTIFICATION;
 * data == NULL means the association is gone.  send_cb is called when at least sb_threshold
 * bytes of send buffer are free (always when sb_threshold is 0). */
struct socket* usrsctp_socket(int domain, int type, int protocol,
                              int (*receive_cb)(struct socket* sock, union sctp_sockstore addr,
                                                void* data, size_t datalen, struct sctp_rcvinfo rcv,
                                                int flags, void* ulp_info),
                              int (*send_cb)(struct socket* sock, uint32_t sb_free, void* ulp_info),
                              uint32_t sb_threshold, void* ulp_info);

int usrsctp_setsockopt(struct socket* so, int level, int option_name, const void* option_value,
                       socklen_t option_len);
int usrsctp_getsockopt(struct socket* so, int level, int option_name, void* option_value,
                       socklen_t* option_len);
/* getsockopt() for association id (RFC 6458 sctp_opt_info). */
int usrsctp_opt_info(struct socket* so, sctp_assoc_t id, int opt, void* arg, socklen_t* size);

/* Peer / local addresses of an association as a packed array; returns the count or -1.
 * Release the array with the matching free function. */
int usrsctp_getpaddrs(struct socket* so, sctp_assoc_t id, struct sockaddr** raddrs);
void usrsctp_freepaddrs(struct sockaddr* addrs);
int usrsctp_getladdrs(struct socket* so, sctp_assoc_t id, struct sockaddr** raddrs);
void usrsctp_freeladdrs(struct sockaddr* addrs);

/* Send one message (or part of one in explicit-EOR mode).  info/infolen/infotype: one of the
 * SCTP_SENDV_* structures, infolen exactly its size.  Returns the bytes accepted or -1. */
ssize_t usrsctp_sendv(struct socket* so, const void* data, size_t len, struct sockaddr* to,
                      int addrcnt, void* info, socklen_t infolen, unsigned int infotype, int flags);

/* Receive a message or notification.  *infotype reports what was stored in info
 * (SCTP_RECVV_*); *msg_flags gets MSG_EOR and MSG_NOTIFICATION.  Returns bytes, 0 at end. */
ssize_t usrsctp_recvv(struct socket* so, void* dbuf, size_t len, struct sockaddr* from,
                      socklen_t* fromlen, void* info, socklen_t* infolen, unsigned int* infotype,
                      int* msg_flags);

int usrsctp_bind(struct socket* so, struct sockaddr* name, socklen_t namelen);

/* usrsctp_bindx() flags. */
#define SCTP_BINDX_ADD_ADDR 0x00008001
#define SCTP_BINDX_REM_ADDR 0x00008002

int usrsctp_bindx(struct socket* so, struct sockaddr* addrs, int addrcnt, int flags);
int usrsctp_listen(struct socket* so, int backlog);
struct socket* usrsctp_accept(struct socket* so, struct sockaddr* aname, socklen_t* anamelen);
/* Detach one association of a one-to-many socket into a new one-to-one socket. */
struct socket* usrsctp_peeloff(struct socket* so, sctp_assoc_t id);
int usrsctp_connect(struct socket* so, struct sockaddr* name, socklen_t namelen);
int usrsctp_connectx(struct socket* so, const struct sockaddr* addrs, int addrcnt,
                     sctp_assoc_t* id);
void usrsctp_close(struct socket* so);
sctp_assoc_t usrsctp_getassocid(struct socket* so, struct sockaddr* sa);
int usrsctp_shutdown(struct socket* so, int how);

/* Hand a packet received on the lower layer identified by addr to the stack. */
void usrsctp_conninput(void* addr, const void* buffer, size_t length, uint8_t ecn_bits);

int usrsctp_set_non_blocking(struct socket* so, int onoff);
int usrsctp_get_non_blocking(struct socket* so);

/* Make an AF_CONN address (the addr pointer) usable for binding, or remove it. */
void usrsctp_register_address(void* addr);
void usrsctp_deregister_address(void* addr);

/* The ulp_info pointer given to the callbacks. */
int usrsctp_set_ulpinfo(struct socket* so, void* ulp_info);
int usrsctp_get_ulpinfo(struct socket* so, void** pulp_info);

/* Called when the socket becomes readable, writable or has an error (see
 * usrsctp_get_events(), SCTP_EVENT_*). */
int usrsctp_set_upcall(struct socket* so, void (*upcall)(struct socket* so, void* arg, int flags),
                       void* arg);
int usrsctp_get_events(struct socket* so);

/* Advance the stack's timers (after usrsctp_init_nothreads()). */
void usrsctp_handle_timers(uint32_t elapsed_milliseconds);

/* Packet dumps in text2pcap format; free the result with usrsctp_freedumpbuffer(). */
#define SCTP_DUMP_OUTBOUND 1
#define SCTP_DUMP_INBOUND 0
char* usrsctp_dumppacket(const void* buffer, size_t length, int direction);
void usrsctp_freedumpbuffer(char* dump);

/* With offload on, AF_CONN packets are sent with checksum 0 and received without check. */
void usrsctp_enable_crc32c_offload(void);
void usrsctp_disable_crc32c_offload(void);
/* CRC32c of a buffer, ready to be stored in the packet's checksum field. */
uint32_t usrsctp_crc32c(void* buffer, size_t length);

/* ------------------------------------------------------------------------------------------
 * Tunables (take effect at usrsctp_init()) and sysctls.  Setters return 0, or -1 with errno
 * EINVAL for a value out of range; getters return the current value.
 * ---------------------------------------------------------------------------------------- */

/* Declares the setter and getter of a tunable (usrsctp leaves this macro defined). */
#define USRSCTP_TUNABLE_DECL(field)                \
  int usrsctp_tunable_set_##field(uint32_t value); \
  uint32_t usrsctp_sysctl_get_##field(void);

int usrsctp_tunable_set_sctp_hashtblsize(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_hashtblsize(void);
int usrsctp_tunable_set_sctp_pcbtblsize(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_pcbtblsize(void);
int usrsctp_tunable_set_sctp_chunkscale(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_chunkscale(void);

/* Socket buffer sizes. */
int usrsctp_sysctl_set_sctp_sendspace(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_sendspace(void);
int usrsctp_sysctl_set_sctp_recvspace(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_recvspace(void);

/* Protocol extensions offered to peers. */
int usrsctp_sysctl_set_sctp_ecn_enable(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_ecn_enable(void);
int usrsctp_sysctl_set_sctp_pr_enable(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_pr_enable(void);
int usrsctp_sysctl_set_sctp_auth_enable(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_auth_enable(void);
int usrsctp_sysctl_set_sctp_asconf_enable(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_asconf_enable(void);
int usrsctp_sysctl_set_sctp_reconfig_enable(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_reconfig_enable(void);
int usrsctp_sysctl_set_sctp_nrsack_enable(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_nrsack_enable(void);
int usrsctp_sysctl_set_sctp_pktdrop_enable(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_pktdrop_enable(void);
int usrsctp_sysctl_set_sctp_auto_asconf(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_auto_asconf(void);
/* Declared by usrsctp 0.9.5.0 although its library lacks the setter. */
int usrsctp_sysctl_set_sctp_multiple_asconfs(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_multiple_asconfs(void);

/* Checksums and UDP encapsulation. */
int usrsctp_sysctl_set_sctp_no_csum_on_loopback(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_no_csum_on_loopback(void);
int usrsctp_sysctl_set_sctp_udp_tunneling_port(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_udp_tunneling_port(void);
/* Later usrsctp addition: answer out-of-the-blue packets with zero checksum. */
int usrsctp_sysctl_set_sctp_ootb_with_zero_cksum(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_ootb_with_zero_cksum(void);

/* Bundling, fragmentation and bursts. */
int usrsctp_sysctl_set_sctp_peer_chunk_oh(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_peer_chunk_oh(void);
int usrsctp_sysctl_set_sctp_max_burst_default(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_max_burst_default(void);
int usrsctp_sysctl_set_sctp_fr_max_burst_default(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_fr_max_burst_default(void);
int usrsctp_sysctl_set_sctp_hb_maxburst(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_hb_maxburst(void);
int usrsctp_sysctl_set_sctp_use_cwnd_based_maxburst(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_use_cwnd_based_maxburst(void);
int usrsctp_sysctl_set_sctp_max_chunks_on_queue(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_max_chunks_on_queue(void);
int usrsctp_sysctl_set_sctp_min_split_point(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_min_split_point(void);
int usrsctp_sysctl_set_sctp_add_more_threshold(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_add_more_threshold(void);
int usrsctp_sysctl_set_sctp_min_residual(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_min_residual(void);
int usrsctp_sysctl_set_sctp_mbuf_threshold_count(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_mbuf_threshold_count(void);
int usrsctp_sysctl_set_sctp_buffer_splitting(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_buffer_splitting(void);
/* Declared by usrsctp 0.9.5.0 although its library has neither function. */
int usrsctp_sysctl_set_sctp_sendall_limit(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_sendall_limit(void);

/* Acknowledgements. */
int usrsctp_sysctl_set_sctp_delayed_sack_time_default(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_delayed_sack_time_default(void);
int usrsctp_sysctl_set_sctp_sack_freq_default(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_sack_freq_default(void);
int usrsctp_sysctl_set_sctp_enable_sack_immediately(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_enable_sack_immediately(void);

/* Resource limits. */
int usrsctp_sysctl_set_sctp_system_free_resc_limit(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_system_free_resc_limit(void);
int usrsctp_sysctl_set_sctp_asoc_free_resc_limit(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_asoc_free_resc_limit(void);
int usrsctp_sysctl_set_sctp_do_drain(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_do_drain(void);
int usrsctp_sysctl_set_sctp_abort_if_one_2_one_hits_limit(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_abort_if_one_2_one_hits_limit(void);

/* Timers (milliseconds, except secret lifetime and vtag time-wait in seconds). */
int usrsctp_sysctl_set_sctp_heartbeat_interval_default(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_heartbeat_interval_default(void);
int usrsctp_sysctl_set_sctp_pmtu_raise_time_default(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_pmtu_raise_time_default(void);
int usrsctp_sysctl_set_sctp_shutdown_guard_time_default(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_shutdown_guard_time_default(void);
int usrsctp_sysctl_set_sctp_secret_lifetime_default(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_secret_lifetime_default(void);
int usrsctp_sysctl_set_sctp_rto_max_default(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_rto_max_default(void);
int usrsctp_sysctl_set_sctp_rto_min_default(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_rto_min_default(void);
int usrsctp_sysctl_set_sctp_rto_initial_default(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_rto_initial_default(void);
int usrsctp_sysctl_set_sctp_init_rto_max_default(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_init_rto_max_default(void);
int usrsctp_sysctl_set_sctp_valid_cookie_life_default(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_valid_cookie_life_default(void);
int usrsctp_sysctl_set_sctp_vtag_time_wait(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_vtag_time_wait(void);

/* Retransmission limits. */
int usrsctp_sysctl_set_sctp_init_rtx_max_default(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_init_rtx_max_default(void);
int usrsctp_sysctl_set_sctp_assoc_rtx_max_default(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_assoc_rtx_max_default(void);
int usrsctp_sysctl_set_sctp_path_rtx_max_default(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_path_rtx_max_default(void);
int usrsctp_sysctl_set_sctp_max_retran_chunk(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_max_retran_chunk(void);
int usrsctp_sysctl_set_sctp_path_pf_threshold(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_path_pf_threshold(void);

/* Streams and message interleaving. */
int usrsctp_sysctl_set_sctp_nr_incoming_streams_default(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_nr_incoming_streams_default(void);
int usrsctp_sysctl_set_sctp_nr_outgoing_streams_default(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_nr_outgoing_streams_default(void);
int usrsctp_sysctl_set_sctp_default_frag_interleave(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_default_frag_interleave(void);
int usrsctp_sysctl_set_sctp_default_ss_module(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_default_ss_module(void);

/* Congestion control and multipath. */
int usrsctp_sysctl_set_sctp_default_cc_module(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_default_cc_module(void);
int usrsctp_sysctl_set_sctp_initial_cwnd(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_initial_cwnd(void);
int usrsctp_sysctl_set_sctp_L2_abc_variable(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_L2_abc_variable(void);
int usrsctp_sysctl_set_sctp_rttvar_bw(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_rttvar_bw(void);
int usrsctp_sysctl_set_sctp_rttvar_rtt(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_rttvar_rtt(void);
int usrsctp_sysctl_set_sctp_rttvar_eqret(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_rttvar_eqret(void);
int usrsctp_sysctl_set_sctp_steady_step(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_steady_step(void);
int usrsctp_sysctl_set_sctp_use_dccc_ecn(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_use_dccc_ecn(void);
int usrsctp_sysctl_set_sctp_cmt_on_off(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_cmt_on_off(void);
int usrsctp_sysctl_set_sctp_cmt_use_dac(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_cmt_use_dac(void);

/* NAT and mobility. */
int usrsctp_sysctl_set_sctp_nat_friendly(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_nat_friendly(void);
int usrsctp_sysctl_set_sctp_inits_include_nat_friendly(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_inits_include_nat_friendly(void);
int usrsctp_sysctl_set_sctp_mobility_base(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_mobility_base(void);
int usrsctp_sysctl_set_sctp_mobility_fasthandoff(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_mobility_fasthandoff(void);

/* Diagnostics. */
int usrsctp_sysctl_set_sctp_logging_level(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_logging_level(void);
int usrsctp_sysctl_set_sctp_blackhole(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_blackhole(void);
int usrsctp_sysctl_set_sctp_diag_info_code(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_diag_info_code(void);

/* Debug output through debug_printf.  usrsctp declares these only when SCTP_DEBUG is defined;
 * they are declared unconditionally here (the library always provides them), while the two
 * values keep usrsctp's condition. */
int usrsctp_sysctl_set_sctp_debug_on(uint32_t value);
uint32_t usrsctp_sysctl_get_sctp_debug_on(void);
#ifdef SCTP_DEBUG
#define SCTP_DEBUG_NONE 0x00000000
#define SCTP_DEBUG_ALL 0xffffffff
#endif

/* ------------------------------------------------------------------------------------------
 * Statistics (usrsctp_get_stat); counters follow the SCTP MIB (RFC 3873) and FreeBSD's stack.
 * ---------------------------------------------------------------------------------------- */

struct sctp_timeval {
  uint32_t tv_sec;
  uint32_t tv_usec;
};

struct sctpstat {
  struct sctp_timeval sctps_discontinuitytime;
  /* RFC 3873 MIB counters. */
  uint32_t sctps_currestab;
  uint32_t sctps_activeestab;
  uint32_t sctps_restartestab;
  uint32_t sctps_collisionestab;
  uint32_t sctps_passiveestab;
  uint32_t sctps_aborted;
  uint32_t sctps_shutdown;
  uint32_t sctps_outoftheblue;
  uint32_t sctps_checksumerrors;
  uint32_t sctps_outcontrolchunks;
  uint32_t sctps_outorderchunks;
  uint32_t sctps_outunorderchunks;
  uint32_t sctps_incontrolchunks;
  uint32_t sctps_inorderchunks;
  uint32_t sctps_inunorderchunks;
  uint32_t sctps_fragusrmsgs;
  uint32_t sctps_reasmusrmsgs;
  uint32_t sctps_outpackets;
  uint32_t sctps_inpackets;
  /* Input. */
  uint32_t sctps_recvpackets;
  uint32_t sctps_recvdatagrams;
  uint32_t sctps_recvpktwithdata;
  uint32_t sctps_recvsacks;
  uint32_t sctps_recvdata;
  uint32_t sctps_recvdupdata;
  uint32_t sctps_recvheartbeat;
  uint32_t sctps_recvheartbeatack;
  uint32_t sctps_recvecne;
  uint32_t sctps_recvauth;
  uint32_t sctps_recvauthmissing;
  uint32_t sctps_recvivalhmacid;
  uint32_t sctps_recvivalkeyid;
  uint32_t sctps_recvauthfailed;
  uint32_t sctps_recvexpress;
  uint32_t sctps_recvexpressm;
  uint32_t sctps_recv_spare;
  uint32_t sctps_recvswcrc;
  uint32_t sctps_recvhwcrc;
  /* Output. */
  uint32_t sctps_sendpackets;
  uint32_t sctps_sendsacks;
  uint32_t sctps_senddata;
  uint32_t sctps_sendretransdata;
  uint32_t sctps_sendfastretrans;
  uint32_t sctps_sendmultfastretrans;
  uint32_t sctps_sendheartbeat;
  uint32_t sctps_sendecne;
  uint32_t sctps_sendauth;
  uint32_t sctps_senderrors;
  uint32_t sctps_send_spare;
  uint32_t sctps_sendswcrc;
  uint32_t sctps_sendhwcrc;
  /* PKTDROP reports. */
  uint32_t sctps_pdrpfmbox;
  uint32_t sctps_pdrpfehos;
  uint32_t sctps_pdrpmbda;
  uint32_t sctps_pdrpmbct;
  uint32_t sctps_pdrpbwrpt;
  uint32_t sctps_pdrpcrupt;
  uint32_t sctps_pdrpnedat;
  uint32_t sctps_pdrppdbrk;
  uint32_t sctps_pdrptsnnf;
  uint32_t sctps_pdrpdnfnd;
  uint32_t sctps_pdrpdiwnp;
  uint32_t sctps_pdrpdizrw;
  uint32_t sctps_pdrpbadd;
  uint32_t sctps_pdrpmark;
  /* Timer expirations. */
  uint32_t sctps_timoiterator;
  uint32_t sctps_timodata;
  uint32_t sctps_timowindowprobe;
  uint32_t sctps_timoinit;
  uint32_t sctps_timosack;
  uint32_t sctps_timoshutdown;
  uint32_t sctps_timoheartbeat;
  uint32_t sctps_timocookie;
  uint32_t sctps_timosecret;
  uint32_t sctps_timopathmtu;
  uint32_t sctps_timoshutdownack;
  uint32_t sctps_timoshutdownguard;
  uint32_t sctps_timostrmrst;
  uint32_t sctps_timoearlyfr;
  uint32_t sctps_timoasconf;
  uint32_t sctps_timodelprim;
  uint32_t sctps_timoautoclose;
  uint32_t sctps_timoassockill;
  uint32_t sctps_timoinpkill;
  uint32_t sctps_spare[11]; /* unused */
  /* Miscellaneous. */
  uint32_t sctps_hdrops;
  uint32_t sctps_badsum;
  uint32_t sctps_noport;
  uint32_t sctps_badvtag;
  uint32_t sctps_badsid;
  uint32_t sctps_nomem;
  uint32_t sctps_fastretransinrtt;
  uint32_t sctps_markedretrans;
  uint32_t sctps_naglesent;
  uint32_t sctps_naglequeued;
  uint32_t sctps_maxburstqueued;
  uint32_t sctps_ifnomemqueued;
  uint32_t sctps_windowprobed;
  uint32_t sctps_lowlevelerr;
  uint32_t sctps_lowlevelerrusr;
  uint32_t sctps_datadropchklmt;
  uint32_t sctps_datadroprwnd;
  uint32_t sctps_ecnereducedcwnd;
  uint32_t sctps_vtagexpress;
  uint32_t sctps_vtagbogus;
  uint32_t sctps_primary_randry;
  uint32_t sctps_cmt_randry;
  uint32_t sctps_slowpath_sack;
  uint32_t sctps_wu_sacks_sent;
  uint32_t sctps_sends_with_flags;
  uint32_t sctps_sends_with_unord;
  uint32_t sctps_sends_with_eof;
  uint32_t sctps_sends_with_abort;
  uint32_t sctps_protocol_drain_calls;
  uint32_t sctps_protocol_drains_done;
  uint32_t sctps_read_peeks;
  uint32_t sctps_cached_chk;
  uint32_t sctps_cached_strmoq;
  uint32_t sctps_left_abandon;
  uint32_t sctps_send_burst_avoid;
  uint32_t sctps_send_cwnd_avoid;
  uint32_t sctps_fwdtsn_map_over;
  uint32_t sctps_queue_upd_ecne;
  /* Room for future counters; keeps the structure at its 0.9.5.0 size. */
  uint32_t sctps_reserved[31];
};

void usrsctp_get_stat(struct sctpstat* stat);

#ifdef __cplusplus
} /* extern "C" */
#endif

#undef SCTPCPP_USRSCTP_FLEX

#if defined(__cplusplus) && defined(__clang__)
#pragma clang diagnostic pop
#endif

#if defined(_WIN32) && defined(_MSC_VER)
#pragma warning(pop)
#endif

#endif /* __USRSCTP_H__ */
