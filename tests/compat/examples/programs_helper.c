/*
 * programs_helper.c -- definitions for programs_helper.h (see there).
 *
 * Written for sctpcpp's example build test; plain C99 + POSIX so that it compiles with the
 * flags usrsctp uses for its example programs (-std=c99 -pedantic -D_GNU_SOURCE ...).
 */
#include "programs_helper.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* ---------------------------------------------------------------------------------------
 * Debug output */

static FILE* debug_target_file; /* NULL = stdout */
static pthread_once_t debug_start_once = PTHREAD_ONCE_INIT;
static struct timespec debug_start;

static void debug_record_start(void) {
  clock_gettime(CLOCK_MONOTONIC, &debug_start);
}

void debug_set_target(FILE* fp) {
  debug_target_file = fp;
}

/* Formats "<prefix><message>" into one buffer and writes it with a single call, so lines
 * from different threads (the stack's and the program's) do not interleave. */
static void debug_write(const char* prefix, const char* format, va_list ap) {
  char line[1024];
  size_t used = 0;
  int n;
  FILE* out = debug_target_file != NULL ? debug_target_file : stdout;

  if (prefix != NULL) {
    struct timespec now;
    long long ms;
    pthread_once(&debug_start_once, debug_record_start);
    clock_gettime(CLOCK_MONOTONIC, &now);
    ms = (long long)(now.tv_sec - debug_start.tv_sec) * 1000 +
         (now.tv_nsec - debug_start.tv_nsec) / 1000000;
    n = snprintf(line, sizeof(line), "%s %lld.%03lld ", prefix, ms / 1000, ms % 1000);
    if (n > 0) used = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
  }
  n = vsnprintf(line + used, sizeof(line) - used, format, ap);
  if (n < 0) line[used] = '\0';
  fputs(line, out);
  fflush(out);
}

void debug_printf_stack(const char* format, ...) {
  va_list ap;
  va_start(ap, format);
  debug_write("[S]", format, ap);
  va_end(ap);
}

void debug_printf(const char* format, ...) {
  va_list ap;
  va_start(ap, format);
  debug_write("[P]", format, ap);
  va_end(ap);
}

void debug_printf_clean(const char* format, ...) {
  va_list ap;
  va_start(ap, format);
  debug_write(NULL, format, ap);
  va_end(ap);
}

/* ---------------------------------------------------------------------------------------
 * Notifications */

static const char* assoc_state_name(uint16_t state) {
  switch (state) {
    case SCTP_COMM_UP:
      return "SCTP_COMM_UP";
    case SCTP_COMM_LOST:
      return "SCTP_COMM_LOST";
    case SCTP_RESTART:
      return "SCTP_RESTART";
    case SCTP_SHUTDOWN_COMP:
      return "SCTP_SHUTDOWN_COMP";
    case SCTP_CANT_STR_ASSOC:
      return "SCTP_CANT_STR_ASSOC";
    default:
      return "unknown state";
  }
}

static const char* paddr_state_name(uint32_t state) {
  switch (state) {
    case SCTP_ADDR_AVAILABLE:
      return "SCTP_ADDR_AVAILABLE";
    case SCTP_ADDR_UNREACHABLE:
      return "SCTP_ADDR_UNREACHABLE";
    case SCTP_ADDR_REMOVED:
      return "SCTP_ADDR_REMOVED";
    case SCTP_ADDR_ADDED:
      return "SCTP_ADDR_ADDED";
    case SCTP_ADDR_MADE_PRIM:
      return "SCTP_ADDR_MADE_PRIM";
    case SCTP_ADDR_CONFIRMED:
      return "SCTP_ADDR_CONFIRMED";
    default:
      return "unknown state";
  }
}

/* Writes a printable form of an address (IPv4, IPv6 or AF_CONN) into buf. */
static void format_address(const struct sockaddr_storage* ss, char* buf, size_t size) {
  char text[INET6_ADDRSTRLEN];
  switch (ss->ss_family) {
    case AF_INET: {
      struct sockaddr_in sin;
      memcpy(&sin, ss, sizeof(sin));
      if (inet_ntop(AF_INET, &sin.sin_addr, text, sizeof(text)) == NULL) text[0] = '\0';
      snprintf(buf, size, "%s:%u", text, (unsigned)ntohs(sin.sin_port));
      break;
    }
    case AF_INET6: {
      struct sockaddr_in6 sin6;
      memcpy(&sin6, ss, sizeof(sin6));
      if (inet_ntop(AF_INET6, &sin6.sin6_addr, text, sizeof(text)) == NULL) text[0] = '\0';
      snprintf(buf, size, "[%s]:%u", text, (unsigned)ntohs(sin6.sin6_port));
      break;
    }
    case AF_CONN: {
      struct sockaddr_conn sconn;
      memcpy(&sconn, ss, sizeof(sconn));
      snprintf(buf, size, "conn %p:%u", sconn.sconn_addr, (unsigned)ntohs(sconn.sconn_port));
      break;
    }
    default:
      snprintf(buf, size, "address family %u", (unsigned)ss->ss_family);
      break;
  }
}

static void print_assoc_change(const struct sctp_assoc_change* sac, size_t n) {
  size_t i;
  printf("Notification: association change %s (error %u), streams out/in %u/%u",
         assoc_state_name(sac->sac_state), (unsigned)sac->sac_error,
         (unsigned)sac->sac_outbound_streams, (unsigned)sac->sac_inbound_streams);
  /* The bytes after the fixed part: supported features (COMM_UP, RESTART) or the ABORT. */
  if (n > sizeof(*sac)) {
    printf(", info");
    for (i = sizeof(*sac); i < n; i++)
      printf(" %u", (unsigned)((const uint8_t*)sac)[i]);
  }
  printf("\n");
}

void handle_notification(union sctp_notification* notif, size_t n) {
  char address[128];

  if (notif == NULL || n < sizeof(notif->sn_header) || notif->sn_header.sn_length != n) {
    printf("Notification: malformed (%zu bytes)\n", n);
    return;
  }
  switch (notif->sn_header.sn_type) {
    case SCTP_ASSOC_CHANGE:
      if (n < sizeof(struct sctp_assoc_change)) break;
      print_assoc_change(&notif->sn_assoc_change, n);
      return;
    case SCTP_PEER_ADDR_CHANGE:
      if (n < sizeof(struct sctp_paddr_change)) break;
      format_address(&notif->sn_paddr_change.spc_aaddr, address, sizeof(address));
      printf("Notification: peer address %s is now %s (error %u)\n", address,
             paddr_state_name(notif->sn_paddr_change.spc_state),
             (unsigned)notif->sn_paddr_change.spc_error);
      return;
    case SCTP_REMOTE_ERROR:
      if (n < sizeof(struct sctp_remote_error)) break;
      printf("Notification: remote error, cause %u, %zu bytes of data\n",
             (unsigned)ntohs(notif->sn_remote_error.sre_error),
             n - sizeof(struct sctp_remote_error));
      return;
    case SCTP_SHUTDOWN_EVENT:
      printf("Notification: peer shut down\n");
      return;
    case SCTP_ADAPTATION_INDICATION:
      if (n < sizeof(struct sctp_adaptation_event)) break;
      printf("Notification: adaptation indication 0x%08x\n",
             (unsigned)notif->sn_adaptation_event.sai_adaptation_ind);
      return;
    case SCTP_PARTIAL_DELIVERY_EVENT:
      if (n < sizeof(struct sctp_pdapi_event)) break;
      printf("Notification: partial delivery indication %u on stream %u\n",
             (unsigned)notif->sn_pdapi_event.pdapi_indication,
             (unsigned)notif->sn_pdapi_event.pdapi_stream);
      return;
    case SCTP_AUTHENTICATION_EVENT:
      if (n < sizeof(struct sctp_authkey_event)) break;
      printf("Notification: authentication indication %u, key %u\n",
             (unsigned)notif->sn_auth_event.auth_indication,
             (unsigned)notif->sn_auth_event.auth_keynumber);
      return;
    case SCTP_STREAM_RESET_EVENT: {
      size_t count, i;
      if (n < sizeof(struct sctp_stream_reset_event)) break;
      count = (n - sizeof(struct sctp_stream_reset_event)) / sizeof(uint16_t);
      printf("Notification: stream reset, flags 0x%04x, streams",
             (unsigned)notif->sn_strreset_event.strreset_flags);
      for (i = 0; i < count; i++) {
        printf(" %u", (unsigned)notif->sn_strreset_event.strreset_stream_list[i]);
      }
      printf(count == 0 ? " (all)\n" : "\n");
      return;
    }
    case SCTP_SENDER_DRY_EVENT:
      printf("Notification: sender dry\n");
      return;
    case SCTP_NOTIFICATIONS_STOPPED_EVENT:
      printf("Notification: notifications stopped\n");
      return;
    case SCTP_ASSOC_RESET_EVENT:
      if (n < sizeof(struct sctp_assoc_reset_event)) break;
      printf("Notification: association reset, flags 0x%04x, local TSN %u, remote TSN %u\n",
             (unsigned)notif->sn_assocreset_event.assocreset_flags,
             (unsigned)notif->sn_assocreset_event.assocreset_local_tsn,
             (unsigned)notif->sn_assocreset_event.assocreset_remote_tsn);
      return;
    case SCTP_STREAM_CHANGE_EVENT:
      if (n < sizeof(struct sctp_stream_change_event)) break;
      printf("Notification: streams changed, flags 0x%04x, now in/out %u/%u\n",
             (unsigned)notif->sn_strchange_event.strchange_flags,
             (unsigned)notif->sn_strchange_event.strchange_instrms,
             (unsigned)notif->sn_strchange_event.strchange_outstrms);
      return;
    case SCTP_SEND_FAILED_EVENT:
      if (n < sizeof(struct sctp_send_failed_event)) break;
      printf("Notification: send failed (%s), error %u, stream %u, PPID %u, %zu bytes\n",
             (notif->sn_send_failed_event.ssfe_flags & SCTP_DATA_SENT) ? "sent" : "unsent",
             (unsigned)notif->sn_send_failed_event.ssfe_error,
             (unsigned)notif->sn_send_failed_event.ssfe_info.snd_sid,
             (unsigned)ntohl(notif->sn_send_failed_event.ssfe_info.snd_ppid),
             n - sizeof(struct sctp_send_failed_event));
      return;
    default:
      printf("Notification: type %u, %zu bytes\n", (unsigned)notif->sn_header.sn_type, n);
      return;
  }
  printf("Notification: type %u too short (%zu bytes)\n", (unsigned)notif->sn_header.sn_type, n);
}
