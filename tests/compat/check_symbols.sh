#!/usr/bin/env bash
# Checks the exported symbols of our libusrsctp.so.2 against Debian's libusrsctp.so.2:
#   (a) every usrsctp_* symbol Debian's library defines is defined by ours (Debian's list comes
#       from its .so when installed, otherwise from debian_usrsctp_symbols.txt next to this
#       script);
#   (b) ours defines no dynamic symbol outside usrsctp_* (no C++, libstdc++ or Abseil leaks);
#   (c) ours has SONAME libusrsctp.so.2.
# Usage: check_symbols.sh path/to/our/libusrsctp.so.2
set -euo pipefail

# USRSCTP_DEBIAN_LIB overrides where Debian's library is looked for.
readonly DEBIAN_LIB="${USRSCTP_DEBIAN_LIB:-/usr/lib/x86_64-linux-gnu/libusrsctp.so.2}"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
readonly DEBIAN_LIST="${SCRIPT_DIR}/debian_usrsctp_symbols.txt"
readonly WANT_SONAME=libusrsctp.so.2

if [[ $# -ne 1 ]]; then
  echo "usage: $0 path/to/libusrsctp.so.2" >&2
  exit 2
fi
readonly OURS="$1"
if [[ ! -f "${OURS}" ]]; then
  echo "error: ${OURS}: no such file" >&2
  exit 2
fi
for tool in nm readelf; do
  if ! command -v "${tool}" >/dev/null; then
    echo "error: ${tool} not found (binutils)" >&2
    exit 2
  fi
done

tmp="$(mktemp -d)"
trap 'rm -rf "${tmp}"' EXIT

# Names of the defined dynamic symbols of a shared object, sorted and unique.
defined_symbols() {
  nm -D --defined-only "$1" | awk 'NF >= 3 { print $3 }' | LC_ALL=C sort -u
}

if [[ -f "${DEBIAN_LIB}" ]]; then
  defined_symbols "${DEBIAN_LIB}" | grep '^usrsctp_' >"${tmp}/required" || true
  source_of_required="${DEBIAN_LIB}"
elif [[ -f "${DEBIAN_LIST}" ]]; then
  grep '^usrsctp_' "${DEBIAN_LIST}" | LC_ALL=C sort -u >"${tmp}/required" || true
  source_of_required="${DEBIAN_LIST}"
else
  echo "error: neither ${DEBIAN_LIB} nor ${DEBIAN_LIST} exists" >&2
  exit 2
fi
if [[ ! -s "${tmp}/required" ]]; then
  echo "error: no usrsctp_* symbols found in ${source_of_required}" >&2
  exit 2
fi

defined_symbols "${OURS}" >"${tmp}/ours"

failed=0

# (a) Missing symbols.
LC_ALL=C comm -23 "${tmp}/required" "${tmp}/ours" >"${tmp}/missing"
required_count=$(wc -l <"${tmp}/required")
missing_count=$(wc -l <"${tmp}/missing")
present_count=$((required_count - missing_count))
if [[ ${missing_count} -gt 0 ]]; then
  echo "FAIL: ${missing_count} usrsctp_* symbol(s) of ${source_of_required} missing:"
  sed 's/^/  /' "${tmp}/missing"
  failed=1
fi

# (b) Foreign symbols: anything defined that is not usrsctp_*.
grep -v '^usrsctp_' "${tmp}/ours" >"${tmp}/foreign" || true
foreign_count=$(wc -l <"${tmp}/foreign")
if [[ ${foreign_count} -gt 0 ]]; then
  echo "FAIL: ${foreign_count} exported symbol(s) outside usrsctp_*:"
  sed 's/^/  /' "${tmp}/foreign" | head -n 50
  if [[ ${foreign_count} -gt 50 ]]; then echo "  ..."; fi
  failed=1
fi

# Extra usrsctp_* symbols Debian lacks are allowed (e.g. the three functions usrsctp.h declares
# but 0.9.5.0 never defined); list them for information.
grep '^usrsctp_' "${tmp}/ours" | LC_ALL=C comm -13 "${tmp}/required" - >"${tmp}/extra" || true
extra_count=$(wc -l <"${tmp}/extra")
if [[ ${extra_count} -gt 0 ]]; then
  echo "note: ${extra_count} usrsctp_* symbol(s) beyond Debian's:"
  sed 's/^/  /' "${tmp}/extra"
fi

# (c) SONAME.
soname="$(readelf -d "${OURS}" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')"
if [[ "${soname}" != "${WANT_SONAME}" ]]; then
  echo "FAIL: SONAME is '${soname:-<none>}', want ${WANT_SONAME}"
  failed=1
fi

echo "symbols: ${required_count} required, ${present_count} present, ${foreign_count} foreign," \
  "${extra_count} extra; SONAME ${soname:-<none>}"
if [[ ${failed} -ne 0 ]]; then
  echo "check_symbols: FAILED"
  exit 1
fi
echo "check_symbols: OK"
