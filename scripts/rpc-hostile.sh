#!/usr/bin/env bash
# Hostile clients against a real `facematch serve` process (real engine and store): random bytes,
# an oversize length prefix, a stalled half frame, 500 connections opened and dropped, a wrong key;
# after each a normal call must still succeed. Then 64 Verify calls in flight and SIGTERM: every
# call gets an answer, new connections are refused, and the process exits 0.
# Usage: scripts/rpc-hostile.sh [debug|release]   (default release)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
config="${1:-release}"
. "$repo/scripts/lib/facematch-bin.sh"
facematch_bin "$config"

work="$(mktemp -d)"
port=$(free_port); mport=$(free_port)
key="k-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
cat > "$work/config.json" <<JSON
{"host": "127.0.0.1", "port": $port, "metrics_port": $mport, "data_dir": "$work/data",
 "queue_capacity": 64, "latency_budget_ms": 0, "frame_timeout_seconds": 2, "idle_timeout_seconds": 5,
 "applications": [{"id": "hostile", "api_key_sha256": "$(printf %s "$key" | sha256sum | cut -d' ' -f1)"}]}
JSON
"$bin" serve --config "$work/config.json" --models "$repo/models" 2>"$work/server.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
export FACEMATCH_API_KEY="$key"
fail() { echo "FAIL: $*"; echo "--- server log"; tail -50 "$work/server.log"; exit 1; }
passed=0
still_serves() {
  "$bin" health --server "127.0.0.1:$port" >/dev/null || fail "no longer serving after: $1"
  kill -0 "$server" || fail "server died after: $1"
  passed=$((passed + 1)); echo "ok: $1"
}
for _ in $(seq 1 300); do
  "$bin" health --server "127.0.0.1:$port" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || fail "server exited during start"
  sleep 0.1
done
"$bin" enroll alice "$repo/Tests/Fixtures/faces/obama.jpg" --server "127.0.0.1:$port" >/dev/null

python3 - "$port" <<'PY' || fail "raw-socket attacks"
import os, socket, struct, sys, time
port = int(sys.argv[1])
def conn():
    s = socket.create_connection(("127.0.0.1", port)); s.settimeout(10); return s
def closed_by_server(s):
    try:
        return s.recv(1) == b""
    except (ConnectionResetError, socket.timeout):
        return True
# Random garbage with a plausible length prefix, then pure garbage.
for n in (64, 1000, 70000):
    s = conn(); s.sendall(struct.pack(">I", n - 4) + os.urandom(n - 4)); assert closed_by_server(s), "garbage frame"; s.close()
    s = conn(); s.sendall(os.urandom(n)); assert closed_by_server(s), "garbage"; s.close()
# Oversize lengths: closed on the prefix alone.
for prefix in (b"\xff\xff\xff\xff", b"\x7f\x00\x00\x00"):
    s = conn(); s.sendall(prefix); assert closed_by_server(s), "oversize"; s.close()
# A stalled half frame is closed by the frame timeout (2 s here).
s = conn(); s.sendall(struct.pack(">I", 1000) + b"x" * 10); t = time.time()
assert closed_by_server(s) and time.time() - t < 8, "stalled frame"; s.close()
# 500 connections opened and dropped.
socks = [conn() for _ in range(500)]
for s in socks: s.close()
PY
still_serves "random bytes, oversize lengths, stalled frame, 500 dropped connections"

echo wrong > "$work/wrong"
"$bin" health --server "127.0.0.1:$port" --api-key-file "$work/wrong" >"$work/out" 2>&1 && fail "wrong key accepted"
grep -q UNAUTHENTICATED "$work/out" || fail "wrong key: $(cat "$work/out")"
still_serves "wrong key answered UNAUTHENTICATED"

# 64 Verify calls in flight (all admitted: the config turns the latency budget off and allows 64
# waiting; a request still in a socket buffer at SIGTERM is a new call, refused by closing),
# then SIGTERM.
for i in $(seq 1 64); do
  "$bin" verify alice "$repo/Tests/Fixtures/faces/obama2.jpg" --server "127.0.0.1:$port" >"$work/call$i.json" 2>&1 &
  echo $! > "$work/call$i.pid"
done
for _ in $(seq 1 600); do
  inflight=$(curl -sf "http://127.0.0.1:$mport/metrics" | awk '/^facematch_in_flight /{print int($2)}')
  [ "${inflight:-0}" -ge 64 ] && break
  sleep 0.05
done
echo "in flight at SIGTERM: ${inflight:-?}"
kill -TERM "$server"
answered=0
for i in $(seq 1 64); do
  wait "$(cat "$work/call$i.pid")" || true
  if grep -q '"status"' "$work/call$i.json"; then answered=$((answered + 1))
  elif grep -q '"UNAVAILABLE"' "$work/call$i.json" && ! grep -q "connection closed" "$work/call$i.json"; then answered=$((answered + 1))
  elif grep -q "cannot connect" "$work/call$i.json"; then answered=$((answered + 1))  # started after the listener closed
  else echo "call $i: $(cat "$work/call$i.json")"; fi
done
[ "$answered" -eq 64 ] || fail "only $answered of 64 calls were answered"
wait "$server" || fail "server exit status $? after SIGTERM"
"$bin" health --server "127.0.0.1:$port" >/dev/null 2>&1 && fail "new connection accepted after shutdown"
grep -q "store closed" "$work/server.log" || fail "store not closed"
passed=$((passed + 1)); echo "ok: 64 calls in flight then SIGTERM: all answered, exit 0, new connections refused"
echo "$passed passed, 0 failed"
