#!/usr/bin/env bash
# Runs the Python client with a protobuf runtime that matches Debian's protoc 3.21
# (protobuf==4.21.12, pinned), in a venv under .build-python unless python3 already has it.
# Usage: Tests/python/run.sh client [facematch_client.py args...]
#        Tests/python/run.sh interop-check [--write-fixtures]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
pin="4.21.12"
command -v protoc >/dev/null || { echo "protoc is missing: scripts/setup.sh installs protobuf-compiler" >&2; exit 1; }
has_pin() { "$1" -c "import sys, google.protobuf as p; sys.exit(p.__version__ != '$pin')" 2>/dev/null; }
python=python3
if ! has_pin "$python"; then
  venv="$repo/.build-python/venv"
  python="$venv/bin/python"
  if ! has_pin "$python"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "protobuf==$pin"
  fi
fi
case "${1:-}" in
  client) shift; exec "$python" "$here/facematch_client.py" "$@" ;;
  interop-check) shift; exec "$python" "$here/interop_check.py" "$@" ;;
  *) echo "usage: $0 client ARGS... | interop-check [--write-fixtures]" >&2; exit 2 ;;
esac
