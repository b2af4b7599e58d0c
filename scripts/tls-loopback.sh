#!/usr/bin/env bash
# TLS 1.3 and mTLS end to end through the CLI, the Python client and a real `facematch serve`:
# the plaintext rule at start (refusal beyond loopback, --insecure-plaintext's warning); then an
# mTLS server (scripts/dev-certs.sh certificates) with an application bound to a client
# certificate: CLI calls with and without a client certificate, from another CA, in plaintext,
# with the right key over another application's certificate; the Python client and the
# documented Python TLS example; a TLS 1.2-only client; /metrics over TLS; SIGHUP swapping the
# server certificate, and a broken certificate at SIGHUP keeping the old one; SIGTERM.
# Usage: scripts/tls-loopback.sh [debug|release]   (default release; builds first)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
. "$repo/scripts/lib/facematch-bin.sh"
facematch_bin "${1:-release}"

work="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- server log"; cat "$work/server.log" 2>/dev/null; exit 1; }
passed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }

certs="$work/certs" other="$work/other"
"$repo/scripts/dev-certs.sh" "$certs" --server server --client client --client shop-backend
"$repo/scripts/dev-certs.sh" "$other" --server server --client client
sha() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
shop_key="shop-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
plain_key="plain-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
port=$(free_port)
mport=$(free_port)
master_key "$work/master.key"  # the store's master key
signing_key "$work/signing-key.pem"                            # the answers' signing key
keys='"master_key_file": "'"$work/master.key"'", "signing_key_file": "'"$work/signing-key.pem"'"'

# The plaintext rule, before any model loads: refused beyond loopback without TLS.
echo '{"host": "0.0.0.0", '"$keys"', "applications": [{"id": "a", "api_key_sha256": "'"$(sha k)"'"}]}' > "$work/open.json"
"$bin" serve --config "$work/open.json" --port "$port" --metrics-port "$mport" --models "$repo/models" \
  --data-dir "$work/open-data" 2>"$work/server.log" && fail "plaintext on 0.0.0.0 was allowed"
grep -q "insecure-plaintext" "$work/server.log" || fail "refusal does not name --insecure-plaintext"
# Allowed with --insecure-plaintext, with a warning: 192.0.2.1 (TEST-NET-1) is on no interface
# here, so the server logs the warning and then fails to bind, listening nowhere.
sed 's/0.0.0.0/192.0.2.1/' "$work/open.json" > "$work/testnet.json"
"$bin" serve --config "$work/testnet.json" --insecure-plaintext --port "$port" --metrics-port "$mport" \
  --models "$repo/models" --data-dir "$work/open-data" 2>"$work/server.log" && fail "bound 192.0.2.1?"
grep -q "warning.*WITHOUT TLS" "$work/server.log" || fail "--insecure-plaintext logged no warning"
ok "plaintext beyond loopback refused at start; --insecure-plaintext passes the rule with a warning"

cp "$certs/server.pem" "$work/live.pem"
cp "$certs/server.key" "$work/live.key"
cat > "$work/config.json" <<JSON
{"host": "127.0.0.1", "port": $port, "metrics_port": $mport, "data_dir": "$work/data", $keys,
 "tls": {"cert": "$work/live.pem", "key": "$work/live.key", "client_ca": "$certs/ca.pem"},
 "applications": [
   {"id": "shop", "api_key_sha256": "$(sha "$shop_key")", "client_certificate": {"subject_cn": "shop-backend"}},
   {"id": "plain", "api_key_sha256": "$(sha "$plain_key")"}]}
JSON
"$bin" serve --config "$work/config.json" --models "$repo/models" 2>"$work/server.log" &
server=$!
mtls=(--tls-ca "$certs/ca.pem" --tls-cert "$certs/client.pem" --tls-key "$certs/client.key")
fm() { FACEMATCH_API_KEY="$plain_key" "$bin" "$@" --server "127.0.0.1:$port"; }
for _ in $(seq 1 300); do
  fm health "${mtls[@]}" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || fail "server exited during start"
  sleep 0.1
done
grep -q 'tls=1.3, client certificates required' "$work/server.log" || fail "start-up log does not state TLS"
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }
faces="$repo/Tests/Fixtures/faces"
[ "$(fm compare "$faces/obama.jpg" "$faces/obama2.jpg" "${mtls[@]}" | field '["status"]')" = Approved ] \
  || fail "compare over mTLS"
ok "CLI over mTLS: Compare Approved"

refused() {  # refused WHAT EXPECTED-TEXT CLI-ARGS...
  local what="$1" expected="$2"
  shift 2
  fm health "$@" >"$work/out" 2>&1 && fail "$what succeeded"
  grep -q "$expected" "$work/out" || fail "$what: $(cat "$work/out")"
}
# The server refuses a client certificate after the client's side of the TLS 1.3 handshake: the
# client sees the alert, or only the connection closing when its request crossed the alert.
refused "no client certificate" "UNAVAILABLE" --tls-ca "$certs/ca.pem"
refused "client certificate from another CA" "UNAVAILABLE" --tls-ca "$certs/ca.pem" --tls-cert "$other/client.pem" --tls-key "$other/client.key"
refused "server checked against another CA" "UNAVAILABLE.*TLS" --tls-ca "$other/ca.pem" --tls-cert "$certs/client.pem" --tls-key "$certs/client.key"
refused "plaintext" "UNAVAILABLE"
ok "refused: no client certificate, a client certificate or server check from another CA, plaintext"

FACEMATCH_API_KEY="$shop_key" "$bin" health --server "127.0.0.1:$port" --tls-ca "$certs/ca.pem" \
  --tls-cert "$certs/shop-backend.pem" --tls-key "$certs/shop-backend.key" >/dev/null || fail "shop over its certificate"
FACEMATCH_API_KEY="$shop_key" "$bin" health --server "127.0.0.1:$port" "${mtls[@]}" >"$work/out" 2>&1 \
  && fail "shop's key over another certificate succeeded"
grep -q PERMISSION_DENIED "$work/out" || fail "bound key over another certificate: $(cat "$work/out")"
ok "an application bound to subject_cn shop-backend: its key over that certificate only (else PERMISSION_DENIED)"

export FACEMATCH_API_KEY="$plain_key"
bash "$repo/Tests/python/run_python_client.sh" --interop-check --tls-example "localhost:$port" "$certs" \
  || fail "documented Python TLS example"
py() { bash "$repo/Tests/python/run_python_client.sh" "localhost:$port" "$plain_key" "$@"; }
[ "$(py compare "$faces/obama.jpg" "$faces/biden.jpg" --tls-ca "$certs/ca.pem" --tls-cert "$certs/client.pem" \
      --tls-key "$certs/client.key" | python3 -c "import json,sys; print(json.load(sys.stdin)['report']['status'])")" \
  = MATCH_STATUS_DECLINED ] || fail "python compare over mTLS"
py health --tls-ca "$certs/ca.pem" >"$work/out" 2>&1 && fail "python without a client certificate succeeded"
python3 - "$port" "$certs" <<'PY' || fail "a TLS 1.2-only client was not refused"
import socket, ssl, sys
port, certs = int(sys.argv[1]), sys.argv[2]
context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
context.maximum_version = ssl.TLSVersion.TLSv1_2
context.load_verify_locations(f"{certs}/ca.pem")
context.load_cert_chain(f"{certs}/client.pem", f"{certs}/client.key")
try:
    with context.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="127.0.0.1") as tls:
        sys.exit(f"TLS 1.2 accepted: {tls.version()}")
except ssl.SSLError as error:
    print(f"TLS 1.2 refused: {error.reason}")
PY
ok "Python: documented TLS example, client over mTLS; without a certificate and TLS 1.2-only refused"

# Read whole before searching (grep -q would close the pipe on curl at the first match).
metrics=$(curl -sf --cacert "$certs/ca.pem" --cert "$certs/client.pem" --key "$certs/client.key" \
  "https://127.0.0.1:$mport/metrics") || fail "metrics over TLS"
grep -q 'facematch_protocol_errors_total{kind="tls_handshake"}' <<<"$metrics" \
  || fail "metrics over TLS, counting refused handshakes"
curl -sf "http://127.0.0.1:$mport/metrics" >/dev/null 2>&1 && fail "metrics answered in plaintext"
curl -sf --tlsv1.2 --tls-max 1.2 --cacert "$certs/ca.pem" --cert "$certs/client.pem" --key "$certs/client.key" \
  "https://127.0.0.1:$mport/metrics" >/dev/null 2>&1 && fail "metrics answered TLS 1.2"
ok "metrics over TLS 1.3 with a client certificate only; refused handshakes counted"

# SIGHUP: a certificate from another CA replaces the server's; new connections see it.
cp "$other/server.pem" "$work/live.pem"
cp "$other/server.key" "$work/live.key"
kill -HUP "$server"
new_ca=(--tls-ca "$other/ca.pem" --tls-cert "$certs/client.pem" --tls-key "$certs/client.key")
for _ in $(seq 1 100); do fm health "${new_ca[@]}" >/dev/null 2>&1 && break; sleep 0.1; done
fm health "${new_ca[@]}" >/dev/null || fail "the new certificate is not served after SIGHUP"
fm health "${mtls[@]}" >/dev/null 2>&1 && fail "the old certificate is still served after SIGHUP"
grep -q "TLS certificates reloaded" "$work/server.log" || fail "reload not logged"
echo "not a certificate" > "$work/live.pem"
kill -HUP "$server"
for _ in $(seq 1 100); do grep -q "TLS reload refused" "$work/server.log" && break; sleep 0.1; done
grep -q "TLS reload refused" "$work/server.log" || fail "a broken certificate at SIGHUP logged no error"
fm health "${new_ca[@]}" >/dev/null || fail "a broken certificate must leave the previous one in force"
ok "SIGHUP: new certificate for new connections; a broken file keeps the previous one, logged"

kill -TERM "$server"
wait "$server" || fail "server exited with status $? after SIGTERM"
server=""
echo "$passed passed, 0 failed"
