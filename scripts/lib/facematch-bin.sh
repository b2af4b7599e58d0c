# Sourced by the loopback scripts. Sets `bin` to the facematch binary for configuration $1
# (debug|release): $FACEMATCH_BIN when set (scripts/test.sh passes the one it built), else a
# build into .build (debug) or .build-release (release). Defines free_port, signing_key FILE
# (a new Ed25519 answer-signing key, mode 0600, as docs/security.md tells operators to make one)
# and master_key FILE (32 random bytes, mode 0600: the store's master key).
facematch_bin() {
  local config="$1" scratch=".build"
  [ "$config" = release ] && scratch=".build-release"
  if [ -n "${FACEMATCH_BIN:-}" ]; then
    bin="$FACEMATCH_BIN"
  else
    swift build -c "$config" --scratch-path "$scratch" --product facematch >/dev/null
    bin="$repo/$scratch/$config/facematch"
  fi
}

signing_key() { (umask 077; openssl genpkey -algorithm ed25519 -out "$1"); }

master_key() { (umask 077; head -c 32 /dev/urandom > "$1"); }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
