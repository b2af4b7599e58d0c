#!/usr/bin/env bash
# Fails when the `swift test` output in LOG shows a skipped XCTest that Tests/allowed-skips.txt
# does not list. Setup guarantees models and packages, so a skip would hide a failure.
# Usage: scripts/check-skips.sh LOG        (scripts/test.sh runs it after the XCTests)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
log="$1"
allowed_file="$repo/Tests/allowed-skips.txt"

grep -qE "Executed [0-9]+ tests?" "$log" || { echo "check-skips: no XCTest summary in $log" >&2; exit 1; }

# Allowed entries: "Suite.testName: reason", one a line; '#' starts a comment.
allowed="$(grep -vE '^[[:space:]]*(#|$)' "$allowed_file" || true)"
bad_entries="$(printf '%s\n' "$allowed" | grep -vE '^[A-Za-z0-9_]+\.[A-Za-z0-9_]+: .*[^ ]' | grep -v '^$' || true)"
if [ -n "$bad_entries" ]; then
  echo "check-skips: entries in $allowed_file need the form 'Suite.testName: reason':" >&2
  echo "$bad_entries" >&2
  exit 1
fi

# Linux prints "Test Case 'Suite.test' skipped", Darwin "Test Case '-[Module.Suite test]' skipped".
skipped="$(grep -oE "Test Case '[^']+' skipped" "$log" \
  | sed -E "s/^Test Case '(.*)' skipped$/\1/; s/^-\[[A-Za-z0-9_]+\.([A-Za-z0-9_]+) ([A-Za-z0-9_]+)\]$/\1.\2/" \
  | sort -u || true)"
unlisted=()
while IFS= read -r test; do
  [ -z "$test" ] && continue
  printf '%s\n' "$allowed" | grep -qE "^${test//./\\.}:" || unlisted+=("$test")
done <<<"$skipped"

if [ ${#unlisted[@]} -gt 0 ]; then
  echo "check-skips: ${#unlisted[@]} XCTest(s) skipped without an entry in Tests/allowed-skips.txt:" >&2
  printf '  %s\n' "${unlisted[@]}" >&2
  grep -E "Test skipped" "$log" >&2 || true
  exit 1
fi
count="$(printf '%s' "$skipped" | grep -c . || true)"
echo "check-skips: $count skipped test(s), all listed in Tests/allowed-skips.txt"
