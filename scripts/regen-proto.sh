#!/usr/bin/env bash
# Regenerates the committed protobuf-c code in Sources/CProtobuf from proto/facematch.proto.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$repo/Sources/CProtobuf"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
protoc-c --proto_path="$repo/proto" --c_out="$tmp" "$repo/proto/facematch.proto"
# The header goes where SwiftPM exports it; the source includes it by its plain name.
mv "$tmp/facematch.pb-c.h" "$out/include/facematch.pb-c.h"
mv "$tmp/facematch.pb-c.c" "$out/facematch.pb-c.c"
echo "regenerated $out"
