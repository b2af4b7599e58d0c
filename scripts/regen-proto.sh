#!/usr/bin/env bash
# Regenerates the committed protobuf-c code: Sources/CProtobuf from proto/facematch.proto (the
# contract) and Sources/CONNX from proto/onnx-subset.proto (the ONNX messages YuNet's reader needs).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
for pair in facematch:CProtobuf onnx-subset:CONNX; do
  name="${pair%%:*}" out="$repo/Sources/${pair##*:}"
  protoc-c --proto_path="$repo/proto" --c_out="$tmp" "$repo/proto/$name.proto"
  # The header goes where SwiftPM exports it; the source includes it by its plain name.
  mv "$tmp/$name.pb-c.h" "$out/include/$name.pb-c.h"
  mv "$tmp/$name.pb-c.c" "$out/$name.pb-c.c"
  echo "regenerated $out"
done
