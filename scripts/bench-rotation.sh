#!/usr/bin/env bash
# Time of `rotate-master-key --postgres` over N data keys (default 1 000 000), release build, on a
# throw-away PostgreSQL 15 on loopback: COPY-loads N sealed templates, each subject with its own
# data key (as facematch_enroll stores them), then re-wraps every key under a new master key in
# one transaction. Prints the CPU (model and scripts/cpu-peak.sh's fp32 peak) first.
# Usage: scripts/bench-rotation.sh [N]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
. "$repo/scripts/lib/facematch-bin.sh"
. "$repo/scripts/lib/throwaway-postgres.sh"
facematch_bin release
keys="${1:-1000000}"

work="$(mktemp -d)"
cleanup() { pg_stop || true; rm -rf "$work"; }
trap cleanup EXIT
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; $("$repo/scripts/cpu-peak.sh" | tail -1)"
pg_init "$work/pg" "$(free_port)"
pg_start
"$bin" bench-cluster --postgres "$pg_url" --dir "$work/bench" --rate 50 --seconds 1 --rebuild "$keys" --rotate
