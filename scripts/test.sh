#!/usr/bin/env bash
# Sets up (packages, models) and runs the whole test suite: XCTest in release mode with
# testability (failing on any skip Tests/allowed-skips.txt does not list), then the service end to
# end as real processes on loopback (CLI and Python client, hostile clients, SIGHUP, SIGTERM).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
"$repo/scripts/setup.sh"
cd "$repo"
swift build -c release -Xswiftc -enable-testing --build-tests
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
swift test -c release -Xswiftc -enable-testing --skip-build "$@" 2>&1 | tee "$log"
# A skipped XCTest fails CI unless Tests/allowed-skips.txt lists it with its reason.
"$repo/scripts/check-skips.sh" "$log"
export FACEMATCH_BIN="$repo/.build/release/facematch"
"$repo/scripts/rpc-loopback.sh"
"$repo/scripts/rpc-hostile.sh"
