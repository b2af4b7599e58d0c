#!/usr/bin/env bash
# One server, both model families (issue 12): a dlib application and a
# face-reidentification-retail-0095 application in the same config, each load-benchmarked with
# `facematch bench-rpc` (one client sequential, 8 clients, 64 clients) in the same run, dlib
# first as the baseline; and the server's resident memory idle with both families loaded.
# Usage: scripts/bench-rpc-models.sh [--serve "SERVE OPTIONS"] [--duration S] [other bench-rpc options]
# --serve passes options to `facematch serve`, e.g. --serve "--workers 2 --threads-per-worker 1".
# Uses $FACEMATCH_BIN when set, else a release build (.build-release).
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
apps=""
for model in dlib_face_recognition_resnet_model_v1 face-reidentification-retail-0095; do
  key="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  printf %s "$key" >"$work/$model.key"
  digest="$(printf %s "$key" | sha256sum | cut -d' ' -f1)"
  apps="$apps${apps:+,}{\"id\": \"$model\", \"api_key_sha256\": \"$digest\", \"model\": \"$model\"}"
done
echo "{\"applications\": [$apps]}" >"$work/config.json"
master_key "$work/master.key"  # the store's master key
signing_key "$work/signing-key.pem"                            # the answers' signing key
server_keys=(--master-key-file "$work/master.key" --signing-key-file "$work/signing-key.pem")

"$bin" serve "${serve_options[@]}" "${server_keys[@]}" --config "$work/config.json" --data-dir "$work/data" --port "$port" --metrics-port "$mport" \
  --models "$repo/models" 2>"$work/server.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do
  "$bin" health --server "127.0.0.1:$port" --api-key-file "$work/dlib_face_recognition_resnet_model_v1.key" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done

echo "serve options: ${serve_options[*]:-(defaults)}; OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-(unset)}; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); image: 800 px JPEG ($(stat -c %s "$work/probe800.jpg") bytes)"
echo "server resident memory, both families loaded, idle: $(grep VmRSS /proc/$server/status | awk '{printf "%.1f MiB", $2/1024}')"
for model in dlib_face_recognition_resnet_model_v1 face-reidentification-retail-0095; do
  echo
  echo "== application model: $model"
  "$bin" bench-rpc --server "127.0.0.1:$port" --api-key-file "$work/$model.key" \
    --image "$work/probe800.jpg" --server-pid "$server" "$@"
done
echo
echo "server resident memory after both runs: $(grep VmRSS /proc/$server/status | awk '{printf "%.1f MiB", $2/1024}')"
kill -TERM "$server"
wait "$server"
