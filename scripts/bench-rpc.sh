#!/usr/bin/env bash
# Load benchmark over loopback, release build: starts `facematch serve` (dev mode, temp store),
# makes an 800 px JPEG from a fixture, runs `facematch bench-rpc` (phases a, b, c), then SIGTERM.
# Usage: scripts/bench-rpc.sh [--serve "SERVE OPTIONS"] [--duration S] [--sequential N] [other bench-rpc options]
# --serve passes options to `facematch serve`, e.g. --serve "--workers 1 --threads-per-worker 2".
set -euo pipefail
serve_options=()
if [ "${1:-}" = "--serve" ]; then
  read -r -a serve_options <<<"$2"
  shift 2
fi
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
. "$repo/scripts/lib/facematch-bin.sh"
facematch_bin release

work="$(mktemp -d)"
port=$(free_port)
mport=$(free_port)
python3 "$repo/scripts/lib/probe800.py" "$repo/Tests/Fixtures/faces/obama.jpg" "$work/probe800.jpg"

"$bin" serve "${serve_options[@]}" --data-dir "$work/data" --port "$port" --metrics-port "$mport" --models "$repo/models" 2>"$work/server.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do
  [ -s "$work/data/dev-api-key" ] && "$bin" health --server "127.0.0.1:$port" --api-key-file "$work/data/dev-api-key" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done

echo "machine: $(nproc) cores; image: 800 px JPEG ($(stat -c %s "$work/probe800.jpg") bytes)"
"$bin" bench-rpc --server "127.0.0.1:$port" --api-key-file "$work/data/dev-api-key" \
  --image "$work/probe800.jpg" --server-pid "$server" "$@"
kill -TERM "$server"
wait "$server"
