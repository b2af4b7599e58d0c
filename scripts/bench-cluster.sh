#!/usr/bin/env bash
# Cluster benchmark on loopback, release build, with a throw-away PostgreSQL 15:
#  - `facematch bench-cluster`: enrol latency through PostgreSQL, replication lag p50/p99 at
#    50 enrolments/s, store-level verify on a follower, cache rebuild for 100k and 1M templates;
#  - Verify p50 over RPC (`facematch bench-rpc` phase a) on a cluster node and on a plain node.
# Usage: scripts/bench-cluster.sh [--rebuild 100000,1000000] [--rate 50] [--seconds 20]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
. "$repo/scripts/lib/facematch-bin.sh"
. "$repo/scripts/lib/throwaway-postgres.sh"
facematch_bin release

work="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; pg_stop || true; rm -rf "$work"; }
trap cleanup EXIT
master_key "$work/master.key"
pg_init "$work/pg" "$(free_port)"
pg_start
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
"$bin" bench-cluster --postgres "$pg_url" --dir "$work/bench" "$@"

# Verify over RPC: a cluster node (enrolment through PostgreSQL, Verify from its cache) and a
# plain node, one after the other on the same machine, both with dlib's model (which a cluster
# holds whether or not it holds 0095's too).
python3 "$repo/scripts/lib/probe800.py" "$repo/Tests/Fixtures/faces/obama.jpg" "$work/probe800.jpg"
pg_psql "CREATE DATABASE rpc"  # apart from the templates the bench above loaded
for mode in cluster plain; do
  port=$(free_port); mport=$(free_port)
  extra=(); [ "$mode" = cluster ] && extra=(--postgres "postgres://facematch@127.0.0.1:$pg_port/rpc?sslmode=disable"
                                --master-key-file "$work/master.key")
  "$bin" serve --data-dir "$work/$mode" --port "$port" --metrics-port "$mport" --models "$repo/models" \
    --model dlib_face_recognition_resnet_model_v1 "${extra[@]}" \
    2>"$work/$mode.log" &
  server=$!
  for _ in $(seq 1 600); do
    [ -s "$work/$mode/dev-api-key" ] && "$bin" health --server "127.0.0.1:$port" --api-key-file "$work/$mode/dev-api-key" \
      >/dev/null 2>&1 && break
    kill -0 "$server" 2>/dev/null || { cat "$work/$mode.log"; exit 1; }
    sleep 0.1
  done
  echo "--- Verify over RPC, $mode node"
  "$bin" bench-rpc --server "127.0.0.1:$port" --api-key-file "$work/$mode/dev-api-key" --image "$work/probe800.jpg" \
    --sequential 40 --duration 2 | grep -i -E "sequential|verify|p50" | head -4
  kill -TERM "$server"; wait "$server" || true; server=""
done
