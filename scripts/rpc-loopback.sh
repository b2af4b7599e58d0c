#!/usr/bin/env bash
# End-to-end over loopback with the real engine and store, through the CLI and a real process:
# dev-mode start (key file 0600), Compare same/different person, Enroll → Verify → Identify →
# Delete → Verify (NO_REFERENCE_IMAGE), wrong key, metrics, the Python client (Tests/python),
# SIGHUP (ignored in dev mode), then SIGTERM with a clean exit; config mode with SIGHUP, an
# application moving to face-reidentification-retail-0095 with previous_model (its dlib subject
# migrated by Verify), an unknown model refused at start, and compare --model in-process.
# Usage: scripts/rpc-loopback.sh [debug|release]   (default release; builds first)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
config="${1:-release}"
. "$repo/scripts/lib/facematch-bin.sh"
facematch_bin "$config"

work="$(mktemp -d)"
(umask 077 && head -c 32 /dev/urandom > "$work/master.key")  # the store's master key (config master_key_file)
port=$(free_port)
mport=$(free_port)
"$bin" serve --data-dir "$work/data" --port "$port" --metrics-port "$mport" --models "$repo/models" 2>"$work/server.log" &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

fail() { echo "FAIL: $*"; echo "--- server log"; cat "$work/server.log"; exit 1; }
passed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }

# Wait for the key file and the port (the server writes the key before listening).
for _ in $(seq 1 300); do
  [ -s "$work/data/dev-api-key" ] && "$bin" health --server "127.0.0.1:$port" --api-key-file "$work/data/dev-api-key" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || fail "server exited during start"
  sleep 0.1
done
key="$work/data/dev-api-key"
[ "$(stat -c %a "$key")" = 600 ] || fail "dev-api-key mode is $(stat -c %a "$key")"
grep -q "dev-api-key" "$work/server.log" || fail "start-up log does not name the key file"
grep -qF "$(cat "$key")" "$work/server.log" && fail "the key itself is in the log"
[ "$(stat -c %a "$work/data/dev-master-key")" = 600 ] || fail "dev-master-key missing or not 0600"
[ "$(stat -c %s "$work/data/dev-master-key")" = 32 ] || fail "dev-master-key is not 32 bytes"
ok "dev mode: key file 0600, named in the log, key not logged; master key created 0600"

fm() { "$bin" "$@" --server "127.0.0.1:$port" --api-key-file "$key"; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }
risks() { python3 -c "import json,sys; print(' '.join(w['risk'] for w in json.load(sys.stdin)['warnings']))"; }
faces="$repo/Tests/Fixtures/faces"

[ "$(fm compare "$faces/obama.jpg" "$faces/obama2.jpg" | field '["status"]')" = Approved ] || fail "compare same person"
[ "$(fm compare "$faces/obama.jpg" "$faces/biden.jpg" | field '["status"]')" = Declined ] || fail "compare different people"
ok "compare same person Approved, different people Declined"

fm enroll alice "$faces/obama.jpg" | field '["enrolled"]' | grep -q True || fail "enroll"
[ "$(fm verify alice "$faces/obama3.jpg" | field '["status"]')" = Approved ] || fail "verify enrolled subject"
[ "$(fm identify "$faces/obama2.jpg" --top-k 5 | field '["candidates"][0]["subject_id"]')" = alice ] || fail "identify"
fm delete alice >/dev/null || fail "delete"
fm verify alice "$faces/obama3.jpg" | risks | grep -q NO_REFERENCE_IMAGE \
  || fail "verify after delete must report NO_REFERENCE_IMAGE"
ok "enroll → verify → identify → delete → verify gives NO_REFERENCE_IMAGE"

if echo wrong-key > "$work/wrong" && "$bin" health --server "127.0.0.1:$port" --api-key-file "$work/wrong" >"$work/out" 2>&1; then
  fail "a wrong key succeeded"
fi
grep -q UNAUTHENTICATED "$work/out" || fail "wrong key: $(cat "$work/out")"
"$bin" compare "$faces/obama.jpg" "$repo/README.md" --server "127.0.0.1:$port" --api-key-file "$key" >"$work/out" && fail "non-image accepted"
grep -q INVALID_ARGUMENT "$work/out" || fail "non-image: $(cat "$work/out")"
ok "wrong key UNAUTHENTICATED, non-image INVALID_ARGUMENT, both exit non-zero"

curl -sf "http://127.0.0.1:$mport/metrics" | grep -q 'facematch_calls_total{method="Compare",code="OK"}' || fail "metrics"
ok "metrics endpoint counts calls"

# The Python client written from the .proto alone (protoc-generated at run time).
py() { bash "$repo/Tests/python/run_python_client.sh" "127.0.0.1:$port" "$(cat "$key")" "$@"; }
pystatus() { python3 -c "import json,sys; print(json.load(sys.stdin)['report']['status'])"; }
[ "$(py compare "$faces/obama.jpg" "$faces/obama2.jpg" | pystatus)" = MATCH_STATUS_APPROVED ] || fail "python compare"
fm enroll bob "$faces/biden.jpg" >/dev/null
[ "$(py verify bob "$faces/biden2.jpg" | pystatus)" = MATCH_STATUS_APPROVED ] || fail "python verify"
[ "$(py verify bob "$faces/obama.jpg" | pystatus)" = MATCH_STATUS_DECLINED ] || fail "python verify impostor"
ok "python client (from the .proto alone): Compare and Verify"

kill -HUP "$server"
fm health >/dev/null || fail "server did not survive SIGHUP"
kill -TERM "$server"
wait "$server" || fail "server exited with status $? after SIGTERM"
grep -q "store closed" "$work/server.log" || fail "store not closed on SIGTERM"
ok "SIGHUP survived; SIGTERM: clean exit, store closed"

# Config mode: applications from a JSON file; SIGHUP swaps them.
sha() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
key_a="a-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
key_b="b-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
write_config() {
  cat > "$work/config.json" <<JSON
{"host": "127.0.0.1", "master_key_file": "$work/master.key", "port": $port, "metrics_port": $mport, "data_dir": "$work/data2",
 "applications": [{"id": "$1", "api_key_sha256": "$(sha "$2")", "review_threshold": 80, "decline_threshold": 60${3:-}}]}
JSON
}
write_config shop "$key_a"
# A config without a master key: refused at start, with the reason.
python3 - "$work/config.json" "$work/nokey.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1])); config.pop("master_key_file")
json.dump(config, open(sys.argv[2], "w"))
PY
"$bin" serve --config "$work/nokey.json" --models "$repo/models" >"$work/nokey.out" 2>&1 && fail "a config without a master key started"
grep -q "master-key-file" "$work/nokey.out" || fail "no reason given for refusing: $(cat "$work/nokey.out")"
ok "config without master_key_file: refused at start"
"$bin" serve --config "$work/config.json" --models "$repo/models" 2>"$work/server.log" &
server=$!
for _ in $(seq 1 300); do
  FACEMATCH_API_KEY="$key_a" "$bin" health --server "127.0.0.1:$port" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || fail "config server exited during start"
  sleep 0.1
done
FACEMATCH_API_KEY="$key_b" "$bin" health --server "127.0.0.1:$port" >/dev/null 2>&1 && fail "key b accepted before reload"
write_config bank "$key_b" ', "model": "dlib_face_recognition_resnet_model_v1"'
kill -HUP "$server"
for _ in $(seq 1 100); do
  FACEMATCH_API_KEY="$key_b" "$bin" health --server "127.0.0.1:$port" >/dev/null 2>&1 && break
  sleep 0.1
done
FACEMATCH_API_KEY="$key_b" "$bin" health --server "127.0.0.1:$port" >/dev/null || fail "key b refused after SIGHUP"
FACEMATCH_API_KEY="$key_a" "$bin" health --server "127.0.0.1:$port" >/dev/null 2>&1 && fail "key a still accepted after SIGHUP"
fb() { FACEMATCH_API_KEY="$key_b" "$bin" "$@" --server "127.0.0.1:$port"; }
fb enroll carol "$faces/obama.jpg" | field '["enrolled"]' | grep -q True || fail "enroll with dlib"
write_config bank "$key_b" ', "model": "face-reidentification-retail-0095", "previous_model": "dlib_face_recognition_resnet_model_v1"'
kill -HUP "$server"
for _ in $(seq 1 100); do
  [ "$(fb health | field '["model_id"]')" = face-reidentification-retail-0095 ] && break
  sleep 0.1
done
[ "$(fb health | field '["migration_waiting_subjects"]')" = 1 ] || fail "health: $(fb health)"
fb verify carol "$faces/obama3.jpg" | risks | grep -q TEMPLATE_MIGRATED || fail "verify did not migrate carol"
[ "$(fb verify carol "$faces/obama2.jpg" | field '["call"]["model_id"]')" = face-reidentification-retail-0095 ] \
  || fail "carol's next verify must use her 0095 template"
[ "$(fb health | field '["migration_waiting_subjects"]')" = 0 ] || fail "health after migration: $(fb health)"
[ -d "$work/data2/models/face-reidentification-retail-0095/namespaces/bank" ] || fail "no 0095 store for bank"
echo "{ broken" > "$work/config.json"
kill -HUP "$server"
for _ in $(seq 1 100); do grep -q "reload refused" "$work/server.log" && break; sleep 0.1; done
grep -q "reload refused" "$work/server.log" || fail "broken config: no refusal logged"
FACEMATCH_API_KEY="$key_b" "$bin" health --server "127.0.0.1:$port" >/dev/null || fail "a broken config must not lock callers out"
kill -TERM "$server"
wait "$server" || fail "config server exited with status $?"
ok "config mode: SIGHUP swaps applications; a broken file keeps the old set; dlib → 0095 migration by Verify"

write_config shop "$key_a" ', "model": "facenet"'
"$bin" serve --config "$work/config.json" --models "$repo/models" >"$work/out" 2>&1 && fail "unknown model accepted"
grep -q 'model "facenet" is not a known model' "$work/out" || fail "unknown model: $(cat "$work/out")"
[ "$("$bin" compare --model face-reidentification-retail-0095 --models "$repo/models" "$faces/obama.jpg" "$faces/obama2.jpg" \
  | field '["status"]')" = Approved ] || fail "compare --model face-reidentification-retail-0095"
[ "$("$bin" compare --model face-reidentification-retail-0095 --models "$repo/models" "$faces/obama.jpg" "$faces/biden.jpg" \
  | field '["status"]')" = Declined ] || fail "compare --model 0095, different people"
ok "unknown model refused at start; compare --model face-reidentification-retail-0095 in-process"
echo "$passed passed, 0 failed"
