#!/usr/bin/env bash
# TLS's cost over loopback, release build: starts two `facematch serve` alike but for TLS 1.3
# (throw-away certificates from scripts/dev-certs.sh), then `facematch bench-tls`: median
# connect (+ handshake) over --connections connections to each, Health (transport only) and
# Verify of an 800 px JPEG on one connection to each (--calls), alternating between the servers.
# Usage: scripts/bench-tls.sh [--connections N] [--calls N]   (defaults 200 and 60)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
. "$repo/scripts/lib/facematch-bin.sh"
facematch_bin release

work="$(mktemp -d)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
python3 "$repo/scripts/lib/probe800.py" "$repo/Tests/Fixtures/faces/obama.jpg" "$work/probe800.jpg"
"$repo/scripts/dev-certs.sh" "$work/certs"
key="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
echo '{"applications": [{"id": "bench", "api_key_sha256": "'"$(printf %s "$key" | sha256sum | cut -d' ' -f1)"'"}]}' > "$work/config.json"
export FACEMATCH_API_KEY="$key"

plain=$(free_port) tls=$(free_port)
master_key "$work/master.key"  # the store's master key
signing_key "$work/signing-key.pem"                            # the answers' signing key
server_keys=(--master-key-file "$work/master.key" --signing-key-file "$work/signing-key.pem")
"$bin" serve "${server_keys[@]}" --config "$work/config.json" --data-dir "$work/plain" --port "$plain" --metrics-port 0 \
  --models "$repo/models" 2>"$work/plain.log" &
pids+=($!)
"$bin" serve "${server_keys[@]}" --config "$work/config.json" --data-dir "$work/tls" --port "$tls" --metrics-port 0 --models "$repo/models" \
  --tls-cert "$work/certs/server.pem" --tls-key "$work/certs/server.key" 2>"$work/tls.log" &
pids+=($!)
tls_ca=(--tls-ca "$work/certs/ca.pem")
for _ in $(seq 1 600); do
  "$bin" health --server "127.0.0.1:$plain" >/dev/null 2>&1 && "$bin" health --server "127.0.0.1:$tls" "${tls_ca[@]}" >/dev/null 2>&1 && break
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || { cat "$work"/*.log; exit 1; }; done
  sleep 0.1
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); image: 800 px JPEG"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin" bench-tls --server "127.0.0.1:$tls" "${tls_ca[@]}" --plaintext-server "127.0.0.1:$plain" \
  --image "$work/probe800.jpg" "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
