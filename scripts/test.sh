#!/usr/bin/env bash
# Sets up (packages, models) and runs the whole test suite: XCTest in release mode with
# testability (failing on any skip Tests/allowed-skips.txt does not list); the fuzz corpus
# replayed through the server's wire path; the Python client checked against the Swift encoder
# both ways; then the service end to end as real processes on loopback (CLI and Python client,
# hostile clients, the contract probe, SIGHUP, SIGTERM), TLS 1.3 and mTLS through the CLI and the
# Python client (scripts/tls-loopback.sh), and three nodes on a throw-away
# PostgreSQL (scripts/cluster-test.sh).
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
bin_dir="$(swift build -c release -Xswiftc -enable-testing --show-bin-path)"
seeds="$(mktemp -d)"
"$bin_dir/WireFuzz" --write-seeds "$seeds"
"$bin_dir/WireFuzz" "$seeds" "$repo/Tests/Fixtures/fuzz-corpus"
rm -rf "$seeds"
"$repo/Tests/python/run_python_client.sh" --interop-check
export FACEMATCH_BIN="$bin_dir/facematch"
"$repo/scripts/rpc-loopback.sh"
"$repo/scripts/rpc-hostile.sh"
"$repo/scripts/tls-loopback.sh"
"$repo/scripts/cluster-test.sh"
