/*
 * Reference side of the ABI comparison (see abi_table.h): the usrsctp 0.9.5.0 header from
 * Debian's libusrsctp-dev, included by absolute path.  This translation unit is built without
 * compat/include on the include path, and the check below makes sure sctpcpp's header (which
 * uses the same include guard) was not picked up instead.
 */
#define SCTP_DEBUG 1
#include "/usr/include/usrsctp.h"

#ifdef SCTPCPP_USRSCTP_COMPAT
#error "abi_debian.c must see Debian's /usr/include/usrsctp.h, not sctpcpp's"
#endif

#define ABI_TABLE_SIDE debian
#include "abi_table.h"
