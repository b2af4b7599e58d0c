#!/usr/bin/env bash
# End-to-end over loopback with the real engine and store, through the CLI and a real process:
# dev-mode start (key file 0600), Compare same/different person, Enroll → Verify → Identify →
# Delete → Verify (NO_REFERENCE_IMAGE), wrong key, metrics, signed answers (the key file, Health
# and `public-key` agree; the CLI and the Python client verify, and refuse another key's
# signatures), the Python client (Tests/python), SIGHUP (ignored in dev mode), then SIGTERM with a
# clean exit; config mode with SIGHUP, a config without a master key or a signing key (or with
# one others can read) refused at start, an application moving to face-reidentification-retail-0095
# with previous_model (its dlib subject migrated by Verify), the default-model upgrade rule (an
# application without model over dlib templates refused at start and on SIGHUP; a dev store with
# dlib templates migrating), an unknown model refused at start, and compare in-process (default
# and --model dlib).
# Usage: scripts/rpc-loopback.sh [debug|release]   (default release; builds first)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
config="${1:-release}"
. "$repo/scripts/lib/facematch-bin.sh"
facematch_bin "$config"

work="$(mktemp -d)"
master_key "$work/master.key"  # the store's master key (config master_key_file)
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
[ "$(fm health | field '["model_id"]')" = face-reidentification-retail-0095 ] || fail "dev mode must run the default model"
ok "compare same person Approved, different people Declined; dev mode runs face-reidentification-retail-0095"

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

# Read whole before searching: grep -q stops reading at the first match, and curl, still writing,
# would then fail with a broken pipe under pipefail.
metrics=$(curl -sf "http://127.0.0.1:$mport/metrics") || fail "metrics endpoint"
grep -q 'facematch_calls_total{method="Compare",code="OK"}' <<<"$metrics" || fail "metrics"
ok "metrics endpoint counts calls"

skey="$work/data/signing-key.pem"
[ "$(stat -c %a "$skey")" = 600 ] || fail "signing-key.pem mode is $(stat -c %a "$skey")"
pub="$("$bin" public-key --signing-key-file "$skey" | field '["public_key"]')"
[ "$(fm public-key | field '["public_key"]')" = "$pub" ] || fail "public-key from Health differs from the key file's"
[ "$(fm health | field '["signing_key_id"]')" = "$("$bin" public-key --signing-key-file "$skey" | field '["key_id"]')" ] \
  || fail "Health's key id differs from the key file's"
[ "$(openssl pkey -in "$skey" -pubout -outform DER | tail -c 32 | od -An -tx1 | tr -d ' \n')" = "$pub" ] \
  || fail "OpenSSL derives another public key from $skey"
ok "dev mode: signing-key.pem 0600; the key file, OpenSSL, Health and public-key agree"

fm enroll carol "$faces/obama.jpg" --server-public-key "$pub" >/dev/null || fail "enroll with signature check"
[ "$(fm verify carol "$faces/obama3.jpg" --server-public-key "$pub" | field '["status"]')" = Approved ] \
  || fail "verify with signature check"
signing_key "$work/other-key.pem"
other="$("$bin" public-key --signing-key-file "$work/other-key.pem" | field '["public_key"]')"
fm verify carol "$faces/obama3.jpg" --server-public-key "$other" >"$work/out" && fail "an answer passed another key's check"
grep -q "UNAUTHENTICATED" "$work/out" && grep -q "not the trusted key" "$work/out" || fail "wrong key: $(cat "$work/out")"
ok "CLI --server-public-key: signed answers verify; checked against another key they are refused (exit 1)"

# The Python client written from the .proto alone (protoc-generated at run time).
py() { bash "$repo/Tests/python/run_python_client.sh" "127.0.0.1:$port" "$(cat "$key")" "$@"; }
pystatus() { python3 -c "import json,sys; print(json.load(sys.stdin)['report']['status'])"; }
[ "$(py compare "$faces/obama.jpg" "$faces/obama2.jpg" | pystatus)" = MATCH_STATUS_APPROVED ] || fail "python compare"
fm enroll bob "$faces/biden.jpg" >/dev/null
[ "$(py verify bob "$faces/biden2.jpg" | pystatus)" = MATCH_STATUS_APPROVED ] || fail "python verify"
[ "$(py verify bob "$faces/obama.jpg" | pystatus)" = MATCH_STATUS_DECLINED ] || fail "python verify impostor"
ok "python client (from the .proto alone): Compare and Verify"
py --server-public-key "$pub" compare-verify "$faces/obama.jpg" "$faces/obama2.jpg" >"$work/py.json" \
  || fail "python signature check: $(cat "$work/py.json")"
[ "$(python3 -c "import json,sys; print(sum(o['signature_verified'] for o in json.load(open(sys.argv[1]))))" "$work/py.json")" = 4 ] \
  || fail "python verified fewer than 4 signatures: $(cat "$work/py.json")"
py --server-public-key "$other" verify bob "$faces/biden2.jpg" >"$work/out" 2>&1 && fail "python accepted another key's answer"
grep -q "answer not trusted" "$work/out" || fail "python wrong key: $(cat "$work/out")"
ok "python client verifies the Ed25519 signatures of Compare, Enroll, Verify and Delete, and refuses another key"

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
{"host": "127.0.0.1", "master_key_file": "$work/master.key", "port": $port, "metrics_port": $mport, "data_dir": "$work/data2", "signing_key_file": "$skey",
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
# Without a signing key, or with one others can read, a configured server refuses to start.
python3 -c "import json,sys; c=json.load(open(sys.argv[1])); del c['signing_key_file']; json.dump(c, open(sys.argv[2], 'w'))" \
  "$work/config.json" "$work/nokey.json"
"$bin" serve --config "$work/nokey.json" --models "$repo/models" >"$work/out" 2>&1 && fail "started without a signing key"
grep -q "no signing key" "$work/out" || fail "no signing key: $(cat "$work/out")"
cp "$skey" "$work/open-key.pem" && chmod 644 "$work/open-key.pem"
"$bin" serve --config "$work/config.json" --signing-key-file "$work/open-key.pem" --models "$repo/models" >"$work/out" 2>&1 \
  && fail "started with a world-readable signing key"
grep -q "chmod 600" "$work/out" || fail "open key: $(cat "$work/out")"
ok "config mode refuses to start without a signing key, or with a key file others can read"
"$bin" serve --config "$work/config.json" --models "$repo/models" 2>"$work/server.log" &
server=$!
for _ in $(seq 1 300); do
  FACEMATCH_API_KEY="$key_a" "$bin" health --server "127.0.0.1:$port" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || fail "config server exited during start"
  sleep 0.1
done
FACEMATCH_API_KEY="$key_b" "$bin" health --server "127.0.0.1:$port" >/dev/null 2>&1 && fail "key b accepted before reload"
[ "$(FACEMATCH_API_KEY="$key_a" "$bin" public-key --server "127.0.0.1:$port" | field '["public_key"]')" = "$pub" ] \
  || fail "the key changed across the restart"
ok "the signing key persists across restarts (dev server, then config server on the same key file)"
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
# The upgrade rule on reload: bank without model would strand carol's dlib template.
write_config bank "$key_b"
kill -HUP "$server"
for _ in $(seq 1 100); do grep -q "reload refused" "$work/server.log" && break; sleep 0.1; done
grep "reload refused" "$work/server.log" | grep -qF 'application "bank" names no model' \
  || fail "reload of bank without model not refused: $(grep "reload refused" "$work/server.log")"
[ "$(fb health | field '["model_id"]')" = dlib_face_recognition_resnet_model_v1 ] || fail "the refused reload changed bank's model"
ok "SIGHUP: an application without model over dlib templates refused, the running one kept"
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
for _ in $(seq 1 100); do [ "$(grep -c "reload refused" "$work/server.log")" = 2 ] && break; sleep 0.1; done
[ "$(grep -c "reload refused" "$work/server.log")" = 2 ] || fail "broken config: no refusal logged"
FACEMATCH_API_KEY="$key_b" "$bin" health --server "127.0.0.1:$port" >/dev/null || fail "a broken config must not lock callers out"
kill -TERM "$server"
wait "$server" || fail "config server exited with status $?"
ok "config mode: SIGHUP swaps applications; a broken file keeps the old set; dlib → 0095 migration by Verify"

# The upgrade rule at start: bank, now without model, still holds carol's dlib template.
write_config bank "$key_b"
"$bin" serve --config "$work/config.json" --models "$repo/models" >"$work/out" 2>&1 && fail "bank without model started"
grep -qF 'application "bank" names no model' "$work/out" && grep -qF '"model": "dlib_face_recognition_resnet_model_v1" keeps them' "$work/out" \
  && grep -qF '"previous_model": "dlib_face_recognition_resnet_model_v1" migrates' "$work/out" \
  || fail "no upgrade refusal naming bank and both ways out: $(cat "$work/out")"
"$bin" serve --config "$work/config.json" --model dlib_face_recognition_resnet_model_v1 >"$work/out" 2>&1 \
  && fail "--model accepted with --config"
grep -q "with --config, name model" "$work/out" || fail "--model with --config: $(cat "$work/out")"
ok "an application without model over dlib templates refused at start, naming both ways out; --model is dev mode's"

# Development mode over a store with dlib templates: the dev application migrates from dlib.
dev_serve() {
  "$bin" serve --data-dir "$work/data3" --port "$port" --metrics-port 0 --models "$repo/models" "$@" 2>>"$work/dev3.log" &
  server=$!
  for _ in $(seq 1 300); do
    [ -s "$work/data3/dev-api-key" ] && "$bin" health --server "127.0.0.1:$port" --api-key-file "$work/data3/dev-api-key" >/dev/null 2>&1 && break
    kill -0 "$server" 2>/dev/null || fail "dev server exited during start: $(cat "$work/dev3.log")"
    sleep 0.1
  done
}
fd() { "$bin" "$@" --server "127.0.0.1:$port" --api-key-file "$work/data3/dev-api-key"; }
dev_serve --model dlib_face_recognition_resnet_model_v1
[ "$(fd health | field '["model_id"]')" = dlib_face_recognition_resnet_model_v1 ] || fail "serve --model dlib: $(fd health)"
fd enroll dave "$faces/obama.jpg" >/dev/null || fail "enroll dave with dlib"
kill -TERM "$server"; wait "$server" || fail "dev server exited with status $?"
dev_serve
grep -q "development application: its store holds 1 dlib_face_recognition_resnet_model_v1 template(s)" "$work/dev3.log" \
  || fail "no migration notice: $(cat "$work/dev3.log")"
[ "$(fd health | field '["previous_model_id"]')" = dlib_face_recognition_resnet_model_v1 ] || fail "dev health: $(fd health)"
[ "$(fd health | field '["model_id"]')" = face-reidentification-retail-0095 ] || fail "dev health: $(fd health)"
fd verify dave "$faces/obama3.jpg" | risks | grep -q TEMPLATE_MIGRATED || fail "dev verify did not migrate dave"
kill -TERM "$server"; wait "$server" || fail "dev server exited with status $?"
ok "dev mode: serve --model dlib keeps dlib; without it a store with dlib templates migrates (notice, Verify migrates)"

write_config shop "$key_a" ', "model": "facenet"'
"$bin" serve --config "$work/config.json" --models "$repo/models" >"$work/out" 2>&1 && fail "unknown model accepted"
grep -q 'model "facenet" is not a known model' "$work/out" || fail "unknown model: $(cat "$work/out")"
[ "$("$bin" compare --models "$repo/models" "$faces/obama.jpg" "$faces/biden.jpg" | field '["status"]')" = Declined ] \
  || fail "compare, different people"
same="$("$bin" compare --models "$repo/models" "$faces/obama.jpg" "$faces/obama2.jpg")"
[ "$(echo "$same" | field '["status"]')" = Approved ] || fail "compare, same person: $same"
[ "$("$bin" compare --model face-reidentification-retail-0095 --models "$repo/models" "$faces/obama.jpg" "$faces/obama2.jpg" \
  | field '["distance"]')" = "$(echo "$same" | field '["distance"]')" ] || fail "compare without --model is not 0095's"
dlib="$("$bin" compare --model dlib_face_recognition_resnet_model_v1 --models "$repo/models" "$faces/obama.jpg" "$faces/obama2.jpg")"
[ "$(echo "$dlib" | field '["status"]')" = Approved ] || fail "compare --model dlib: $dlib"
[ "$(echo "$dlib" | field '["distance"]')" != "$(echo "$same" | field '["distance"]')" ] || fail "--model dlib ran the default"
ok "unknown model refused at start; compare in-process runs 0095 by default and dlib with --model"
echo "$passed passed, 0 failed"
