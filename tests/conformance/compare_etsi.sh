#!/bin/bash
# Runs every ETSI script on our libusrsctp.so.2 and on the real usrsctp (Debian's), prints
# both verdicts side by side, and fails if ours fails a script the real usrsctp passes (or
# passes fewer scripts). `NAME.exfail` beside a script marks an expected failure (see
# docs/CONFORMANCE.md); it is shown as XFAIL when it fails, and never excuses a regression.
# Usage: compare_etsi.sh RUNNER OUR_LIBRARY_DIR REAL_LIBRARY_DIR ETSI_DIR
set -u
runner=$1
ours_dir=$2
real_dir=$3
etsi_dir=$4
if [ ! -e "$real_dir/libusrsctp.so.2" ]; then
  echo "the real usrsctp is missing: $real_dir/libusrsctp.so.2 (install libusrsctp2)"
  exit 1
fi
mapfile -t scripts < <(find "$etsi_dir" -name '*.pkt' | sort)
if [ ${#scripts[@]} -eq 0 ]; then
  echo "no scripts in $etsi_dir"
  exit 1
fi
ours=$(LD_LIBRARY_PATH=$ours_dir "$runner" "${scripts[@]}")
real=$(LD_LIBRARY_PATH=$real_dir "$runner" "${scripts[@]}")
verdict() {  # verdict OUTPUT NAME -> PASS / FAIL (and the reason on stdout line 2)
  grep -E "^(PASS|FAIL) $2(:|$)" <<<"$1" | head -1
}
status=0
ours_passed=0
real_passed=0
printf '%-22s %-6s %-6s %s\n' script ours usrsctp note
for script in "${scripts[@]}"; do
  name=$(basename "$script" .pkt)
  ours_line=$(verdict "$ours" "$name")
  real_line=$(verdict "$real" "$name")
  ours_verdict=${ours_line%% *}
  real_verdict=${real_line%% *}
  [ "$ours_verdict" = PASS ] && ours_passed=$((ours_passed + 1))
  [ "$real_verdict" = PASS ] && real_passed=$((real_passed + 1))
  note=""
  if [ -e "${script%.pkt}.exfail" ]; then
    [ "$ours_verdict" = FAIL ] && ours_verdict=XFAIL
    [ "$real_verdict" = FAIL ] && real_verdict=XFAIL
  fi
  if [ "$real_verdict" = PASS ] && [ "$ours_verdict" != PASS ]; then
    note="REGRESSION: ${ours_line#*: }"
    status=1
  elif [ "$ours_verdict" != PASS ]; then
    note="ours: ${ours_line#*: }"
  fi
  printf '%-22s %-6s %-6s %s\n' "$name" "${ours_verdict:-?}" "${real_verdict:-?}" "$note"
  if [ -z "$ours_verdict" ] || [ -z "$real_verdict" ]; then
    echo "no verdict for $name"
    status=1
  fi
done
echo "ours: $ours_passed passed; real usrsctp: $real_passed passed; ${#scripts[@]} scripts"
if [ $ours_passed -lt $real_passed ]; then
  echo "ours passes fewer scripts than the real usrsctp"
  status=1
fi
exit $status
