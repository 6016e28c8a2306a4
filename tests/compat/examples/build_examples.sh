#!/usr/bin/env bash
# Builds usrsctp's example programs from source against sctpcpp's installed usrsctp.h,
# libusrsctp.so.2 and usrsctp.pc, and runs the self-contained ones.
#
#   build_examples.sh BUILD_DIR SCRATCH_DIR
#
# 1. `cmake --install BUILD_DIR --prefix SCRATCH_DIR/prefix` (header, library, usrsctp.pc).
# 2. Every example source of Debian's libusrsctp-dev (the .c files in
#    /usr/share/doc/libusrsctp-dev/examples, except usrsctp's own programs_helper.c) is compiled
#    unchanged with
#      cc <usrsctp's flags> $(pkg-config --cflags usrsctp) -I<this dir> example.c \
#         programs_helper.c $(pkg-config --libs usrsctp)
#    where programs_helper.{h,c} are sctpcpp's own (next to this script) and <usrsctp's flags>
#    are those usrsctp's CMake build gives its programs on Linux: -std=c99 -pedantic, its warning
#    set, -D_GNU_SOURCE -DSCTP_DEBUG -DINET -DINET6.  Each compile must take usrsctp.h from
#    SCRATCH_DIR/prefix/include and programs_helper.h from this directory (checked with -H), and
#    link SCRATCH_DIR/prefix's libusrsctp.so (checked with -Wl,-t).  A warning fails the build
#    only if the same example compiles without it against Debian's /usr/include/usrsctp.h
#    (usrsctp builds its programs with -Werror); otherwise it is reported.
# 3. The self-contained examples run with LD_LIBRARY_PATH=SCRATCH_DIR/prefix/lib* under
#    `timeout 60` and must exit 0: ekr_loop and ekr_loop_upcall (two AF_CONN endpoints over
#    loopback UDP sockets in one process), test_timer and test_libmgmt (no network).
#
# Prints "examples: N compiled, M ran" and exits 0 when everything passed, 1 on any failure,
# 77 (ctest SKIP_RETURN_CODE) when the example sources or pkg-config are missing, 2 on usage
# errors.  Environment: CC (default cc), USRSCTP_EXAMPLES_DIR (default above).
set -euo pipefail

readonly SKIP=77
readonly EXAMPLES_DIR="${USRSCTP_EXAMPLES_DIR:-/usr/share/doc/libusrsctp-dev/examples}"
readonly DEBIAN_HEADER=/usr/include/usrsctp.h
readonly CC="${CC:-cc}"
# The examples that run by themselves (no peer, no network beyond loopback).
readonly RUN_PROGRAMS=(ekr_loop ekr_loop_upcall test_timer test_libmgmt)
readonly RUN_TIMEOUT=60
# The flags usrsctp's CMake build compiles its programs with on Linux (minus -Werror, see above).
readonly EXAMPLE_CFLAGS=(-std=c99 -pedantic -Wall -Wextra -Wfloat-equal -Wshadow -Wpointer-arith
  -Winit-self -Wno-unused-function -Wno-unused-parameter -Wstrict-prototypes
  -D_GNU_SOURCE -DSCTP_DEBUG -DINET -DINET6)

if [[ $# -ne 2 ]]; then
  echo "usage: $0 BUILD_DIR SCRATCH_DIR" >&2
  exit 2
fi
HELPER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly HELPER_DIR
BUILD_DIR="$(cd "$1" && pwd)"
readonly BUILD_DIR
mkdir -p "$2"
SCRATCH="$(cd "$2" && pwd)"
readonly SCRATCH
readonly PREFIX="${SCRATCH}/prefix"
readonly BIN="${SCRATCH}/bin"
readonly LOGS="${SCRATCH}/logs"

if [[ ! -d "${EXAMPLES_DIR}" ]]; then
  echo "SKIP: ${EXAMPLES_DIR} does not exist: usrsctp's example sources come with Debian's" \
    "libusrsctp-dev package (apt-get install libusrsctp-dev)"
  exit "${SKIP}"
fi
mapfile -t SOURCES < <(find "${EXAMPLES_DIR}" -maxdepth 1 -name '*.c' ! -name programs_helper.c |
  LC_ALL=C sort)
if [[ ${#SOURCES[@]} -eq 0 ]]; then
  echo "SKIP: no example sources (*.c) in ${EXAMPLES_DIR}"
  exit "${SKIP}"
fi
if ! command -v pkg-config >/dev/null; then
  echo "SKIP: pkg-config not found (the examples are compiled with its flags for usrsctp)"
  exit "${SKIP}"
fi
for tool in cmake "${CC}" ldd timeout; do
  if ! command -v "${tool}" >/dev/null; then
    echo "error: ${tool} not found" >&2
    exit 2
  fi
done

rm -rf "${PREFIX}" "${BIN}" "${LOGS}"
mkdir -p "${BIN}" "${LOGS}"

failures=()
fail() {
  echo "FAIL: $*"
  failures+=("$1")
}

# --- 1. install ------------------------------------------------------------------------------
if ! cmake --install "${BUILD_DIR}" --prefix "${PREFIX}" >"${LOGS}/install.log" 2>&1; then
  cat "${LOGS}/install.log"
  echo "error: cmake --install ${BUILD_DIR} failed (is the tree built?)" >&2
  exit 1
fi
PC_DIR="$(dirname "$(find "${PREFIX}" -path '*/pkgconfig/usrsctp.pc' -print -quit)")"
LIB_FILE="$(find "${PREFIX}" -path "${PREFIX}/lib*/libusrsctp.so.2" -print -quit)"
if [[ "${PC_DIR}" == . || -z "${LIB_FILE}" || ! -f "${PREFIX}/include/usrsctp.h" ]]; then
  echo "error: the install lacks usrsctp.pc, libusrsctp.so.2 or include/usrsctp.h:" >&2
  sed 's/^/  /' "${LOGS}/install.log" >&2
  exit 1
fi
LIB_DIR="$(dirname "${LIB_FILE}")"
readonly PC_DIR LIB_DIR

# --- pkg-config flags -----------------------------------------------------------------------
# Only our usrsctp.pc is visible (PKG_CONFIG_LIBDIR replaces the default search path, so
# Debian's usrsctp.pc can never answer instead).
pc() { PKG_CONFIG_PATH="${PC_DIR}" PKG_CONFIG_LIBDIR="${PC_DIR}" pkg-config "$@" usrsctp; }
pc_includedir="$(pc --variable=includedir)"
pc_define=()
if [[ "${pc_includedir}" != "${PREFIX}/"* ]]; then
  # usrsctp.pc records the prefix given at configure time, so `cmake --install --prefix`
  # elsewhere leaves it pointing at the wrong place; relocate it for this test.
  echo "note: the installed usrsctp.pc says includedir=${pc_includedir} (the configure-time" \
    "prefix), not under ${PREFIX}; using pkg-config --define-variable=prefix=${PREFIX}"
  pc_define=(--define-variable=prefix="${PREFIX}")
fi
read -r -a PC_CFLAGS <<<"$(pc "${pc_define[@]}" --cflags)"
read -r -a PC_LIBS <<<"$(pc "${pc_define[@]}" --libs)"
# usrsctp.pc locates itself (prefix=${pcfiledir}/../..): canonicalize -I/-L paths.
canonical() {
  local flag
  for flag in "$@"; do
    case "${flag}" in
      -I*) echo "-I$(realpath -m "${flag#-I}")" ;;
      -L*) echo "-L$(realpath -m "${flag#-L}")" ;;
      *) echo "${flag}" ;;
    esac
  done
}
mapfile -t PC_CFLAGS < <(canonical "${PC_CFLAGS[@]}")
mapfile -t PC_LIBS < <(canonical "${PC_LIBS[@]}")
echo "pkg-config usrsctp: cflags: ${PC_CFLAGS[*]}; libs: ${PC_LIBS[*]}"
if [[ " ${PC_CFLAGS[*]} " != *" -I${PREFIX}/include "* ]]; then
  fail pkg-config "--cflags does not point at ${PREFIX}/include"
fi
if [[ " ${PC_LIBS[*]} " != *" -L${LIB_DIR} "* ]]; then
  fail pkg-config "--libs does not point at ${LIB_DIR}"
fi

# The header alone, with the pkg-config flags only: it must be ours (marker macro, and -H).
probe="${SCRATCH}/header_probe.c"
cat >"${probe}" <<'EOF'
#include <usrsctp.h>
#ifndef SCTPCPP_USRSCTP_COMPAT
#error "usrsctp.h is not sctpcpp's (SCTPCPP_USRSCTP_COMPAT undefined)"
#endif
int header_probe(void);
int header_probe(void) { return AF_CONN; }
EOF
if "${CC}" "${EXAMPLE_CFLAGS[@]}" "${PC_CFLAGS[@]}" -H -fsyntax-only "${probe}" \
  >"${LOGS}/header_probe.log" 2>&1 &&
  grep -qxF ". ${PREFIX}/include/usrsctp.h" "${LOGS}/header_probe.log"; then
  echo "header: ${PREFIX}/include/usrsctp.h (SCTPCPP_USRSCTP_COMPAT defined)"
else
  sed 's/^/  /' "${LOGS}/header_probe.log"
  fail header-probe "<usrsctp.h> with the pkg-config flags is not ${PREFIX}/include/usrsctp.h"
fi

# --- 2. compile every example ---------------------------------------------------------------
# Checks in a -H / -Wl,-t log that `name` was only ever taken from `want`.
only_from() {
  local log="$1" name="$2" want="$3" seen
  seen="$(sed -n "s/^\.\+ \(.*\/${name}\)$/\1/p" "${log}" | LC_ALL=C sort -u)"
  [[ "${seen}" == "${want}" ]]
}
# Warnings in a compile log, except those in our programs_helper.c (reported separately).
warnings_in() { grep 'warning:' "$1" | grep -vc 'programs_helper\.c:' || true; }

# A program is compiled to <name>.unchecked and renamed once every check passed, so only
# checked programs are listed and run.
compiled=0
warned=()
helper_warned=0
for src in "${SOURCES[@]}"; do
  name="$(basename "${src}" .c)"
  log="${LOGS}/${name}.compile.log"
  if ! "${CC}" "${EXAMPLE_CFLAGS[@]}" "${PC_CFLAGS[@]}" -I"${HELPER_DIR}" -H \
    "${src}" "${HELPER_DIR}/programs_helper.c" "${PC_LIBS[@]}" -pthread -Wl,-t \
    -o "${BIN}/${name}.unchecked" >"${log}" 2>&1; then
    grep -v '^\.\+ \|^/' "${log}" | sed 's/^/  /' | head -n 40
    fail "${name}" "does not compile or link against sctpcpp's usrsctp (log: ${log})"
    continue
  fi
  if ! only_from "${log}" usrsctp.h "${PREFIX}/include/usrsctp.h"; then
    fail "${name}" "was compiled with a usrsctp.h other than ${PREFIX}/include/usrsctp.h"
    continue
  fi
  if grep -q 'programs_helper\.h' "${src}" &&
    ! only_from "${log}" programs_helper.h "${HELPER_DIR}/programs_helper.h"; then
    fail "${name}" "was compiled with a programs_helper.h other than ${HELPER_DIR}'s"
    continue
  fi
  # -Wl,-t lists the files the linker used; the library must be ours.
  linked="$(grep -oE '/[^ ()]*/libusrsctp\.so[^ ()]*' "${log}" | LC_ALL=C sort -u)"
  if [[ "$(realpath "${linked:-/nonexistent}" 2>/dev/null)" != "$(realpath "${LIB_FILE}")" ]]; then
    fail "${name}" "was linked against '${linked}', not ${LIB_DIR}'s libusrsctp.so"
    continue
  fi
  if grep -q 'programs_helper\.c:.*warning:' "${log}"; then
    helper_warned=1
  fi
  n_warnings="$(warnings_in "${log}")"
  if [[ "${n_warnings}" -gt 0 ]]; then
    grep -A3 'warning:' "${log}" | sed 's/^/  /' | head -n 40
    # Does Debian's header give the same program fewer warnings? Then ours is to blame.
    if [[ -f "${DEBIAN_HEADER}" ]] &&
      "${CC}" "${EXAMPLE_CFLAGS[@]}" -I"${HELPER_DIR}" -fsyntax-only "${src}" \
        >"${LOGS}/${name}.debian.log" 2>&1 &&
      [[ "$(warnings_in "${LOGS}/${name}.debian.log")" -lt "${n_warnings}" ]]; then
      fail "${name}" "${n_warnings} warning(s) with sctpcpp's usrsctp.h, fewer with Debian's"
      continue
    fi
    warned+=("${name}")
  fi
  mv "${BIN}/${name}.unchecked" "${BIN}/${name}"
  compiled=$((compiled + 1))
done
rm -f "${BIN}"/*.unchecked
echo "compiled ${compiled} of ${#SOURCES[@]}:" \
  "$(find "${BIN}" -mindepth 1 -maxdepth 1 -printf '%f\n' | LC_ALL=C sort | tr '\n' ' ')"
if [[ ${#warned[@]} -gt 0 ]]; then
  echo "note: compiled with warnings (as with Debian's header): ${warned[*]}"
fi
if [[ ${helper_warned} -ne 0 ]]; then
  echo "note: ${HELPER_DIR}/programs_helper.c compiles with warnings (see ${LOGS}/*.compile.log)"
fi

# --- 3. run the self-contained ones ---------------------------------------------------------
ran=0
# ekr_loop* take two UDP ports on 127.0.0.1; pick them per run so that concurrent or stale
# runs do not collide.
port=$((20000 + ($$ % 10000) * 4))
for name in "${RUN_PROGRAMS[@]}"; do
  if [[ ! -x "${BIN}/${name}" ]]; then
    if [[ -f "${EXAMPLES_DIR}/${name}.c" ]]; then
      fail "${name}" "not run: it did not build"
    else
      echo "note: ${name}.c is not in ${EXAMPLES_DIR}; not run"
    fi
    continue
  fi
  args=()
  if [[ "${name}" == ekr_loop* ]]; then
    args=("${port}" "$((port + 1))")
    port=$((port + 2))
  fi
  resolved="$(LD_LIBRARY_PATH="${LIB_DIR}" ldd "${BIN}/${name}" | awk '$1 == "libusrsctp.so.2" { print $3 }')"
  if [[ "$(realpath "${resolved:-/nonexistent}" 2>/dev/null)" != "$(realpath "${LIB_FILE}")" ]]; then
    fail "${name}" "would load libusrsctp.so.2 from '${resolved}', not ${LIB_DIR}"
    continue
  fi
  log="${LOGS}/${name}.run.log"
  start=${SECONDS}
  rc=0
  LD_LIBRARY_PATH="${LIB_DIR}" timeout "${RUN_TIMEOUT}" "${BIN}/${name}" "${args[@]}" \
    </dev/null >"${log}" 2>&1 || rc=$?
  if [[ ${rc} -ne 0 ]]; then
    tail -n 20 "${log}" | sed 's/^/  /'
    if [[ ${rc} -eq 124 ]]; then
      fail "${name}" "did not finish within ${RUN_TIMEOUT} s (log: ${log})"
    else
      fail "${name}" "exited with ${rc} (log: ${log})"
    fi
    continue
  fi
  echo "ran ${name}${args[*]:+ ${args[*]}}: exit 0 in $((SECONDS - start)) s"
  ran=$((ran + 1))
done

echo "examples: ${compiled} compiled, ${ran} ran"
if [[ ${#failures[@]} -gt 0 ]]; then
  echo "FAILED: ${failures[*]}"
  exit 1
fi
