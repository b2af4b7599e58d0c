#!/usr/bin/env bash
# Generates the Python message module from the .proto at run time and runs the client.
# Usage: run_python_client.sh HOST:PORT KEY compare|verify ARGS...
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# Debian's protoc 3.21 emits code for the protobuf 4.21 runtime.
python3 -c "import google.protobuf, sys; sys.exit(0 if google.protobuf.__version__.startswith('4.21') else 1)" 2>/dev/null \
  || python3 -m pip install --quiet "protobuf==4.21.12" >&2
gen="$(mktemp -d)"; trap 'rm -rf "$gen"' EXIT
protoc --proto_path="$repo/proto" --python_out="$gen" "$repo/proto/facematch.proto"
PYTHONPATH="$gen" exec python3 "$here/facematch_client.py" "$@"
