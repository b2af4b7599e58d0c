#!/usr/bin/env bash
# Regenerates the committed protobuf-c code in Sources/CONNX from proto/onnx-subset.proto.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$repo/Sources/CONNX"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
protoc-c --proto_path="$repo/proto" --c_out="$tmp" "$repo/proto/onnx-subset.proto"
mv "$tmp/onnx-subset.pb-c.h" "$out/include/onnx-subset.pb-c.h"
mv "$tmp/onnx-subset.pb-c.c" "$out/onnx-subset.pb-c.c"
echo "regenerated $out"
