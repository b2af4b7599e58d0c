#!/usr/bin/env bash
# Fuzzes the frame decoder and every message decoder with libFuzzer.
# Usage: scripts/fuzz-wire.sh [SECONDS]   (default 60). Crashes land in fuzz-out/.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
cd "$repo"
swift build --scratch-path .build-fuzz -c debug --product wire-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -parse-as-library -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld
mkdir -p fuzz-out/corpus
# Seeds: the worked examples from docs/wire-format.md, with a chunk-size byte in front.
printf '\x03\x00\x00\x00\x10\x08\x01\x12\x06Health\x1a\x01k\x20\xe8\x07' > fuzz-out/corpus/health-request
printf '\x01\x00\x00\x00\x09\x08\x01\x22\x05\x08\x01\x12\x01m' > fuzz-out/corpus/health-response
.build-fuzz/debug/wire-fuzz fuzz-out/corpus -max_total_time="$seconds" -max_len=4096 \
  -artifact_prefix=fuzz-out/ -print_final_stats=1
