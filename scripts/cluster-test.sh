#!/usr/bin/env bash
# Three facematch nodes on one throw-away PostgreSQL, all on loopback (docs/scaling.md):
#  1. three nodes start at once on an empty database: one migration, one cluster id;
#  2. enrol on A and B, Verify and Identify on C; Delete on B, gone everywhere;
#  3. the multi-server client fails over from a stopped node;
#  4. PostgreSQL stopped during enrolments: reads go on, writes UNAVAILABLE, the store reported
#     degraded, a node restarted meanwhile serves from its cache; after PostgreSQL restarts nodes
#     catch up and every acknowledged enrolment verifies on every node;
#  5. kill -9 of a node during enrolments, restart: nothing acknowledged lost, its cache catches up;
#  6. a node's cache folder deleted: rebuilt from PostgreSQL;
#  7. the master key rotated under running nodes, which restart with the new key: everything verifies.
# Usage: scripts/cluster-test.sh [debug|release]   (default release; FACEMATCH_BIN overrides)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
. "$repo/scripts/lib/facematch-bin.sh"
. "$repo/scripts/lib/throwaway-postgres.sh"
facematch_bin "${1:-release}"

work="$(mktemp -d)"
master_key "$work/master.key"  # every node wraps the data keys with it (config master_key_file; B and C also on the command line)
declare -A pid port mport
cleanup() {
  for n in "${!pid[@]}"; do kill -9 "${pid[$n]}" 2>/dev/null || true; done
  pg_stop || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  for n in A B C; do [ -f "$work/$n.log" ] && { echo "--- node $n log (tail)"; tail -20 "$work/$n.log"; }; done
  [ -f "$pg_dir/server.log" ] && { echo "--- postgres log (tail)"; tail -20 "$pg_dir/server.log"; }
  exit 1
}
passed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }

pg_init "$work/pg" "$(free_port)"
pg_start

key="k-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export FACEMATCH_API_KEY="$key"
sha="$(printf %s "$key" | sha256sum | cut -d' ' -f1)"
# One answer-signing key for the cluster: a relying service trusts one key, whichever node answers.
signing_key "$work/signing-key.pem"
for n in A B C; do
  port[$n]=$(free_port); mport[$n]=$(free_port)
  # A names PostgreSQL in its config file, B on the command line, C in the environment. The
  # application names dlib's model, which a cluster holds whether or not it holds 0095's too.
  pg_key=""; [ "$n" = A ] && pg_key="\"postgres\": {\"url\": \"$pg_url\"},"
  cat > "$work/$n.json" <<JSON
{"host": "127.0.0.1", "master_key_file": "$work/master.key", "port": ${port[$n]}, "metrics_port": ${mport[$n]}, "data_dir": "$work/$n", $pg_key
 "signing_key_file": "$work/signing-key.pem",
 "applications": [{"id": "gate", "api_key_sha256": "$sha", "model": "dlib_face_recognition_resnet_model_v1"}]}
JSON
done

start_node() {
  local n="$1" extra=()
  [ "$n" = B ] && extra=(--postgres "$pg_url" --master-key-file "$work/master.key")
  if [ "$n" = C ]; then
    FACEMATCH_POSTGRES_URL="$pg_url" "$bin" serve --config "$work/$n.json" --models "$repo/models" \
      --master-key-file "$work/master.key" 2>>"$work/$n.log" &
  else
    "$bin" serve --config "$work/$n.json" --models "$repo/models" "${extra[@]}" 2>>"$work/$n.log" &
  fi
  pid[$n]=$!
}
healthy() { "$bin" health --server "127.0.0.1:${port[$1]}" --timeout 5 >/dev/null 2>&1; }
wait_healthy() {
  for _ in $(seq 1 600); do
    healthy "$1" && return 0
    kill -0 "${pid[$1]}" 2>/dev/null || fail "node $1 exited during start"
    sleep 0.1
  done
  fail "node $1 not healthy within 60 s"
}
# `until_true SECONDS CMD...`: polls CMD every 0.1 s, false when it never held within the bound.
until_true() {
  local bound=$(( $1 * 10 )); shift
  for _ in $(seq 1 "$bound"); do "$@" && return 0; sleep 0.1; done
  return 1
}
metric() { curl -sf "http://127.0.0.1:${mport[$1]}/metrics" | awk -v m="$2" '$1 == m { printf "%d", $2 }'; }
metric_is() { [ "$(metric "$1" "$2")" = "$3" ]; }
caught_up() { metric_is "$1" facematch_store_changes_behind 0 && [ "$(metric "$1" facematch_store_vectors)" = "$2" ]; }
fm() { local n="$1"; shift; "$bin" "$@" --server "127.0.0.1:${port[$n]}" --timeout 20; }
status() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d.get('status') or d.get('error',{}).get('name',''))"; }
top() { python3 -c "import json,sys; c=json.load(sys.stdin)['candidates']; print(c[0]['subject_id'] if c else '')"; }
faces="$repo/Tests/Fixtures/faces"
vectors_in_db() { pg_psql "SELECT count(*) FROM facematch_templates"; }
verifies_everywhere() {  # subject → Approved on every node
  for n in A B C; do [ "$(fm "$n" verify "$1" "$faces/obama3.jpg" | status)" = Approved ] || return 1; done
}

# 1. Three nodes at once on an empty database.
for n in A B C; do start_node "$n"; done
for n in A B C; do wait_healthy "$n"; done
[ "$(pg_psql "SELECT count(*) FROM facematch_schema_migrations")" = 2 ] || fail "migrations applied more than once"
[ "$(pg_psql "SELECT count(*) FROM facematch_cluster")" = 1 ] || fail "more than one cluster row"
cluster_id="$(pg_psql "SELECT id FROM facematch_cluster")"
for n in A B C; do grep -q "$cluster_id" "$work/$n/cluster-cache/CLUSTER" || fail "node $n cache not of cluster $cluster_id"; done
ok "three nodes started at once on an empty database: one migration, one cluster id"

# 2. Writes on A and B, reads on C.
[ "$(fm A enroll alice "$faces/obama.jpg" | python3 -c 'import json,sys; print(json.load(sys.stdin)["enrolled"])')" = True ] \
  || fail "enroll alice on A"
fm B enroll bob "$faces/biden.jpg" >/dev/null || fail "enroll bob on B"
until_true 5 caught_up C 2 || fail "C did not apply both enrolments within 5 s"
[ "$(fm C verify alice "$faces/obama3.jpg" | status)" = Approved ] || fail "verify alice on C"
[ "$(fm C verify bob "$faces/biden2.jpg" | status)" = Approved ] || fail "verify bob on C"
[ "$(fm C identify "$faces/obama2.jpg" --top-k 3 | top)" = alice ] || fail "identify alice on C"
[ "$(fm C identify "$faces/biden2.jpg" --top-k 3 | top)" = bob ] || fail "identify bob on C"
ok "enrolled on A and B; Verify and Identify on C find both"
fm B delete bob >/dev/null || fail "delete bob on B"
for n in A C; do until_true 5 caught_up "$n" 1 || fail "node $n kept bob's template"; done
for n in A B C; do
  fm "$n" verify bob "$faces/biden2.jpg" | grep -q NO_REFERENCE_IMAGE || fail "bob still verifies on $n after delete"
done
[ "$(fm C identify "$faces/biden2.jpg" --top-k 3 | top)" != bob ] || fail "identify on C still finds bob"
[ "$(pg_psql "SELECT count(*) FROM facematch_templates WHERE subject = 'bob'")" = 0 ] || fail "bob still in PostgreSQL"
ok "deleted on B: gone from PostgreSQL and from every node"

# 3. The multi-server client spreads calls and fails over from a stopped node.
all="127.0.0.1:${port[A]},127.0.0.1:${port[B]},127.0.0.1:${port[C]}"
kill -TERM "${pid[B]}"; wait "${pid[B]}" || fail "B exited with status $? on SIGTERM"; unset 'pid[B]'
for _ in 1 2 3 4; do
  [ "$("$bin" verify alice "$faces/obama3.jpg" --server "$all" | status)" = Approved ] || fail "pool verify with B down"
done
start_node B; wait_healthy B
ok "--server a,b,c: four Verify calls answered with node B stopped"

# 4. PostgreSQL stopped during enrolments.
acked=(alice)
enrol_loop() {  # enrol subjects $1-1..$1-$2 on node $3, one line per acknowledgement
  for i in $(seq 1 "$2"); do
    if "$bin" enroll "$1-$i" "$faces/obama.jpg" --server "127.0.0.1:${port[$3]}" --timeout 20 >"$work/enrol.out"; then
      [ "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["enrolled"])' <"$work/enrol.out")" = True ] && echo "$1-$i"
    else
      grep -q UNAVAILABLE "$work/enrol.out" && echo "refused $1-$i"
    fi
  done
}
acked_at_least() { [ "$(grep -c "^$1" "$2" 2>/dev/null || true)" -ge "$3" ]; }
enrol_loop pgdown 14 B > "$work/pgdown.txt" &
loop=$!
until_true 90 acked_at_least pgdown "$work/pgdown.txt" 3 || fail "fewer than 3 enrolments acknowledged before stopping PostgreSQL"
pg_stop
until_true 10 metric_is A facematch_store_degraded 1 || fail "A does not report the store degraded"
[ "$(fm A health | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["serving"], d["store_degraded"])')" = "True True" ] \
  || fail "Health on A does not show serving with the store degraded"
[ "$(fm C verify alice "$faces/obama3.jpg" | status)" = Approved ] || fail "verify on C with PostgreSQL down"
[ "$(fm A identify "$faces/obama2.jpg" --top-k 3 | top)" != "" ] || fail "identify on A with PostgreSQL down"
out="$(fm A enroll carol "$faces/obama.jpg" || true)"
echo "$out" | grep -q UNAVAILABLE || fail "enrol with PostgreSQL down: $out"
wait "$loop"
grep -q "^refused" "$work/pgdown.txt" || fail "no enrolment of the loop was refused while PostgreSQL was down"
ok "PostgreSQL down: Verify and Identify answer, Enroll UNAVAILABLE, Health and metrics show degraded"
kill -TERM "${pid[C]}"; wait "${pid[C]}" || fail "C exited with status $? on SIGTERM"; unset 'pid[C]'
start_node C; wait_healthy C
grep -q "PostgreSQL unreachable at start" "$work/C.log" || fail "C did not report starting without PostgreSQL"
[ "$(fm C verify alice "$faces/obama3.jpg" | status)" = Approved ] || fail "verify on C restarted during the outage"
out="$(fm C delete alice || true)"
echo "$out" | grep -q UNAVAILABLE || fail "delete on C restarted during the outage: $out"
ok "a node restarted during the outage serves reads from its cache and refuses writes"
pg_start
until_true 30 fm A enroll carol "$faces/obama.jpg" >/dev/null || fail "enrol did not recover after PostgreSQL restart"
acked+=(carol $(grep -v '^refused' "$work/pgdown.txt"))
total="$(vectors_in_db)"
for n in A B C; do until_true 10 caught_up "$n" "$total" || fail "node $n did not catch up to $total templates"; done
for n in A B C; do metric_is "$n" facematch_store_degraded 0 || fail "node $n still degraded"; done
for s in "${acked[@]}"; do verifies_everywhere "$s" || fail "acknowledged $s does not verify on every node"; done
ok "PostgreSQL back: nodes caught up; ${#acked[@]} acknowledged enrolments verify on every node"

# 5. kill -9 of the node taking enrolments.
enrol_loop crash 10 A > "$work/crash.txt" &
loop=$!
until_true 90 acked_at_least crash "$work/crash.txt" 3 || fail "fewer than 3 enrolments acknowledged before kill -9"
kill -9 "${pid[A]}"; wait "${pid[A]}" 2>/dev/null || true; unset 'pid[A]'
wait "$loop"
start_node A; wait_healthy A
crashed=($(grep -v '^refused' "$work/crash.txt"))
total="$(vectors_in_db)"
for n in A B C; do until_true 10 caught_up "$n" "$total" || fail "node $n did not catch up after the restart"; done
for s in "${crashed[@]}"; do verifies_everywhere "$s" || fail "acknowledged $s lost after kill -9"; done
ok "kill -9 during enrolments: ${#crashed[@]} acknowledged enrolments on every node after restart"

# 6. A node's cache folder deleted, then its marker garbled: each restart rebuilds from PostgreSQL.
rebuilds() { grep -c "rebuilding the cache from PostgreSQL" "$work/C.log" || true; }
restart_c_after() {
  local before; before="$(rebuilds)"
  kill -TERM "${pid[C]}"; wait "${pid[C]}" || fail "C exited with status $? on SIGTERM"; unset 'pid[C]'
  "$@"
  start_node C; wait_healthy C
  [ "$(rebuilds)" -gt "$before" ] || fail "C did not rebuild after: $*"
  until_true 10 caught_up C "$(vectors_in_db)" || fail "rebuilt cache of C misses templates after: $*"
  [ "$(fm C verify alice "$faces/obama3.jpg" | status)" = Approved ] || fail "alice on C after: $*"
}
restart_c_after rm -rf "$work/C/cluster-cache"
restart_c_after sh -c "echo garbage > '$work/C/cluster-cache/CLUSTER'"
ok "deleted cache folder and garbled marker: rebuilt from PostgreSQL"

# 7. rotate-master-key while the nodes run; each restarts with the new key (the old one destroyed).
head -c 32 /dev/urandom > "$work/new.key"; chmod 600 "$work/new.key"
"$bin" rotate-master-key --postgres "$pg_url" --master-key-file "$work/master.key" --new-master-key-file "$work/new.key" \
  >"$work/rotate.json" || fail "rotate-master-key: $(cat "$work/rotate.json")"
[ "$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["data_keys"])' <"$work/rotate.json")" \
  = "$(pg_psql "SELECT count(*) FROM facematch_data_keys")" ] || fail "not every data key re-wrapped: $(cat "$work/rotate.json")"
mv "$work/new.key" "$work/master.key"
for n in A B C; do
  kill -TERM "${pid[$n]}"; wait "${pid[$n]}" || fail "node $n exited with status $? on SIGTERM"; unset "pid[$n]"
  start_node "$n"; wait_healthy "$n"
done
for s in alice carol "${crashed[0]}"; do verifies_everywhere "$s" || fail "$s does not verify after the rotation"; done
fm B enroll dave "$faces/biden.jpg" >/dev/null || fail "enrol after the rotation"
until_true 5 caught_up C "$(vectors_in_db)" || fail "C did not apply the enrolment after the rotation"
[ "$(fm C verify dave "$faces/biden2.jpg" | status)" = Approved ] || fail "verify dave on C after the rotation"
ok "master key rotated under running nodes: after restarts with the new key everything verifies and enrols"

for n in A B C; do
  grep -qF "$key" "$work/$n.log" && fail "the API key is in node $n's log"
  kill -TERM "${pid[$n]}"; wait "${pid[$n]}" || fail "node $n exited with status $? on SIGTERM"; unset "pid[$n]"
done
ok "clean SIGTERM on every node"
echo "$passed passed, 0 failed"
