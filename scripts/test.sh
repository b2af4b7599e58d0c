#!/usr/bin/env bash
# Sets up (packages, models) and runs the whole test suite: XCTest in release mode with
# testability, then the service end to end as real processes on loopback (CLI and Python client,
# hostile clients, SIGHUP, SIGTERM), and three nodes on a throw-away PostgreSQL (scripts/cluster-test.sh).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
"$repo/scripts/setup.sh"
cd "$repo"
swift build -c release -Xswiftc -enable-testing --build-tests
swift test -c release -Xswiftc -enable-testing --skip-build "$@"
export FACEMATCH_BIN="$repo/.build/release/facematch"
"$repo/scripts/rpc-loopback.sh"
"$repo/scripts/rpc-hostile.sh"
"$repo/scripts/cluster-test.sh"
