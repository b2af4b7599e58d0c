#!/usr/bin/env bash
# Fuzzes the Wire frame decoder and message codec with libFuzzer + AddressSanitizer.
# Usage: scripts/fuzz-wire.sh [SECONDS] [libFuzzer flags...]     (SECONDS defaults to 60)
# The growing corpus stays in fuzz-out/corpus; a crashing input lands in fuzz-out/crashes/ and
# can be replayed in an ordinary build: swift run WireFuzz fuzz-out/crashes/<file>.
# The harness checks more than "no crash": whatever decodes must re-encode stably (see
# Sources/WireFuzz/WireFuzzHarness.swift).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
[ $# -gt 0 ] && shift
scratch="$repo/.build-fuzz"
build=(swift build --package-path "$repo" --scratch-path "$scratch" -c release --product WireFuzz
       -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
       -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld)  # gold fails on the ASan objects
"${build[@]}"
bin="$("${build[@]}" --show-bin-path)/WireFuzz"
out="$repo/fuzz-out"
mkdir -p "$out/corpus" "$out/crashes"
"$bin" --write-seeds "$out/seeds"
# -max_len above WireFuzzHarness.maxFrameBytes so that the size check is reachable.
"$bin" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$out/crashes/" "$@" "$out/corpus" "$out/seeds"
