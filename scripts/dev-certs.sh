#!/usr/bin/env bash
# Throw-away certificates for development and tests (never for production): a CA, a server
# certificate for localhost and 127.0.0.1, and client certificates, all ECDSA P-256 in PEM.
# Usage: scripts/dev-certs.sh DIR [--days N] [--server NAME]... [--client NAME]...
#   DIR/ca.pem, DIR/ca.key    the CA, made unless DIR/ca.key exists (then it signs the new ones)
#   DIR/NAME.pem, NAME.key    per --server (SAN DNS:localhost, IP:127.0.0.1; serverAuth) and per
#                             --client (subject CN=NAME, SAN DNS:NAME.clients.facematch.test and
#                             URI:spiffe://facematch.test/NAME; clientAuth)
# Without --server or --client: --server server --client client. --days (default 30) is the
# new certificates' validity; a negative count makes certificates that have already expired.
set -euo pipefail
[ $# -ge 1 ] || { sed -n 4,10p "$0" >&2; exit 2; }
dir="$1"
shift
days=30 servers=() clients=()
while [ $# -gt 0 ]; do
  case "$1" in
    --days) days="$2"; shift 2 ;;
    --server) servers+=("$2"); shift 2 ;;
    --client) clients+=("$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ ${#servers[@]} -eq 0 ] && [ ${#clients[@]} -eq 0 ]; then servers=(server); clients=(client); fi
command -v openssl >/dev/null || { echo "openssl is missing: scripts/setup.sh installs it" >&2; exit 1; }
mkdir -p "$dir"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Own config, so that the system's openssl.cnf adds nothing.
cat >"$work/openssl.cnf" <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
CNF
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; chmod 600 "$1"; }

if [ ! -f "$dir/ca.key" ]; then
  key "$dir/ca.key"
  openssl req -config "$work/openssl.cnf" -new -x509 -key "$dir/ca.key" -subj "/CN=facematch dev CA $(date +%s%N)" \
    -days 3650 -extensions ca -out "$dir/ca.pem"
fi

# issue NAME SUBJECT-CN EXTENSIONS...
issue() {
  local name="$1" cn="$2"
  shift 2
  printf '%s\n' "[leaf]" "basicConstraints = critical, CA:FALSE" "authorityKeyIdentifier = keyid" "$@" >"$work/$name.ext"
  key "$dir/$name.key"
  openssl req -config "$work/openssl.cnf" -new -key "$dir/$name.key" -subj "/CN=$cn" -out "$work/$name.csr"
  openssl x509 -req -in "$work/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
    -days "$days" -extfile "$work/$name.ext" -extensions leaf -out "$dir/$name.pem" 2>/dev/null
}
for name in "${servers[@]}"; do
  issue "$name" localhost "keyUsage = critical, digitalSignature" "extendedKeyUsage = serverAuth" \
    "subjectAltName = DNS:localhost, IP:127.0.0.1"
done
for name in "${clients[@]}"; do
  issue "$name" "$name" "keyUsage = critical, digitalSignature" "extendedKeyUsage = clientAuth" \
    "subjectAltName = DNS:$name.clients.facematch.test, URI:spiffe://facematch.test/$name"
done
