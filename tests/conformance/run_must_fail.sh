#!/bin/bash
# Scripts the runner must reject, each with the failure it must report:
#   // expect: REGEX   (matched against "line N: ..." after "FAIL name: ")
# Checks that the runner detects mismatches and malformed scripts, and never crashes.
# Usage: run_must_fail.sh RUNNER SCRIPT...
set -u
runner=$1
shift
status=0
for script in "$@"; do
  name=$(basename "$script" .pkt)
  expect=$(sed -n 's|^// expect: ||p' "$script" | head -1)
  if [ -z "$expect" ]; then
    echo "BROKEN $name: no '// expect:' line"
    status=1
    continue
  fi
  output=$("$runner" "$script" 2>&1)
  code=$?
  line=$(grep "^FAIL $name: " <<<"$output" | head -1)
  if [ $code -ne 1 ] || [ -z "$line" ]; then
    echo "WRONG $name: exit $code, output: $output"
    status=1
  elif ! grep -Eq "^FAIL $name: $expect" <<<"$line"; then
    echo "WRONG $name: expected /$expect/, got: $line"
    status=1
  else
    echo "OK $name"
  fi
done
exit $status
