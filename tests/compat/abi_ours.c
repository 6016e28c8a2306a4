/*
 * sctpcpp's usrsctp.h side of the ABI comparison (see abi_table.h).  Compiled as C for the
 * layout and macro tables and, through a generated wrapper, as C++ for the type table.  The
 * include path has compat/include ahead of the system directories.
 */
#define SCTP_DEBUG 1
#include <usrsctp.h>

#ifndef SCTPCPP_USRSCTP_COMPAT
#error "abi_ours.c must see sctpcpp's compat/include/usrsctp.h, not the system's"
#endif

#define ABI_TABLE_SIDE ours
#include "abi_table.h"
