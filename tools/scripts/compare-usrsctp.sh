#!/usr/bin/env bash
# Runs bench/usrsctp_api_compare.cc built against our library and against Debian's usrsctp,
# side by side, and prints both figures and the ratio (ours / usrsctp) per scenario.
# Usage: tools/scripts/compare-usrsctp.sh [BUILD_DIR] [SCALE]
set -euo pipefail
build="${1:-build}"
scale="${2:-1}"
ours=$("$build/bench/usrsctp_compare_ours" "$scale")
theirs=$("$build/bench/usrsctp_compare_debian" "$scale")
printf "%-20s %14s %14s %8s\n" scenario "ours msg/s" "usrsctp msg/s" ratio
paste <(echo "$ours") <(echo "$theirs") | while read -r name a _ name2 b _; do
  [ "$name" = "$name2" ] || { echo "mismatched scenarios: $name $name2" >&2; exit 1; }
  awk -v n="$name" -v a="$a" -v b="$b" 'BEGIN { printf "%-20s %14.0f %14.0f %8.2f\n", n, a, b, (b > 0 ? a / b : 0) }'
done

# Scale: N associations set up in one process (bench/usrsctp_scale_compare.cc).
n="${SCALE_ASSOCIATIONS:-10000}"
if [ -x "$build/bench/usrsctp_scale_ours" ] && [ -x "$build/bench/usrsctp_scale_debian" ]; then
  read -r name a_s a_b _ < <("$build/bench/usrsctp_scale_ours" "$n")
  read -r _ b_s b_b _ < <("$build/bench/usrsctp_scale_debian" "$n")
  printf "\n%-20s %14s %14s %8s\n" "$name" "ours" "usrsctp" "ratio"
  awk -v a="$a_s" -v b="$b_s" 'BEGIN { printf "%-20s %14.2f %14.2f %8.2f\n", "setup seconds", a, b, (b > 0 ? a / b : 0) }'
  awk -v a="$a_b" -v b="$b_b" 'BEGIN { printf "%-20s %14.0f %14.0f %8.2f\n", "bytes/association", a, b, (b > 0 ? a / b : 0) }'
fi
