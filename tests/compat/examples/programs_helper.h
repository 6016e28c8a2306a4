/*
 * programs_helper.h -- the helper interface usrsctp's example programs include.
 *
 * Written for sctpcpp (not taken from usrsctp).  Debian's libusrsctp-dev ships the example
 * sources (the .c files in /usr/share/doc/libusrsctp-dev/examples) but not the header they
 * include as "programs_helper.h"; this one declares exactly the helpers those sources call,
 * so that build_examples.sh can compile them unchanged against sctpcpp's usrsctp.h and
 * libusrsctp.so.2.  The definitions are in programs_helper.c next to this file.
 *
 * Which example uses what (0.9.5.0 sources):
 *   debug_printf_stack   every program that calls usrsctp_init*: the stack's debug_printf
 *   debug_printf         ekr_loop, ekr_loop_upcall: the program's own progress lines
 *   debug_printf_clean   ekr_loop, ekr_loop_upcall: the same without a prefix
 *   debug_set_target     ekr_loop_upcall (only when built with OUTPUT_TO_LOGFILE)
 *   handle_notification  client, http_client, ekr_peer: print an SCTP notification
 *
 * Only these are declared.  In particular no handle_<event>() per notification type:
 * rtcweb.c defines static functions with such names, which a non-static declaration here
 * would conflict with.
 */
#ifndef SCTPCPP_TESTS_COMPAT_EXAMPLES_PROGRAMS_HELPER_H
#define SCTPCPP_TESTS_COMPAT_EXAMPLES_PROGRAMS_HELPER_H

#include <stddef.h>
#include <stdio.h>

#include <usrsctp.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Debug output of the stack: pass as the debug_printf argument of usrsctp_init().  Prints
 * "[S] <seconds since first call> <message>" to the debug target. */
void debug_printf_stack(const char* format, ...);

/* Debug output of the program: "[P] <seconds since first call> <message>". */
void debug_printf(const char* format, ...);

/* The message alone, without prefix or time. */
void debug_printf_clean(const char* format, ...);

/* Where the three functions above write; stdout until set (NULL restores stdout). */
void debug_set_target(FILE* fp);

/* Prints a human-readable line for the notification `notif` of `n` bytes (as delivered to a
 * receive callback with MSG_NOTIFICATION, or read by usrsctp_recvv()). */
void handle_notification(union sctp_notification* notif, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* SCTPCPP_TESTS_COMPAT_EXAMPLES_PROGRAMS_HELPER_H */
