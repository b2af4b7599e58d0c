# Sourced by the cluster scripts: a throw-away PostgreSQL 15 in a folder, on a loopback port, run
# as an unprivileged user (initdb refuses root; as root the system user facematch-pg is made).
# pg_init DIR PORT, then pg_start / pg_stop / pg_psql SQL; pg_url is the URL nodes use. Another
# process may stop a cluster by setting pg_dir and calling pg_stop (the XCTests do).
pg_bin=/usr/lib/postgresql/15/bin
pg_dir=""
if [ "$(id -u)" -eq 0 ]; then
  pg_as() { runuser -u facematch-pg -- "$@"; }
else
  pg_as() { "$@"; }
fi

pg_init() {
  pg_dir="$1"; pg_port="$2"
  [ -x "$pg_bin/initdb" ] || { echo "PostgreSQL 15 is missing: run scripts/setup.sh"; return 1; }
  if [ "$(id -u)" -eq 0 ]; then
    id facematch-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin facematch-pg
  fi
  mkdir -p "$pg_dir"
  chmod 755 "$(dirname "$pg_dir")"
  [ "$(id -u)" -eq 0 ] && chown facematch-pg "$pg_dir"
  pg_as "$pg_bin/initdb" -D "$pg_dir/data" -U facematch --auth=trust -E UTF8 >"$pg_dir/initdb.log" 2>&1
  pg_url="postgres://facematch@127.0.0.1:$pg_port/postgres?sslmode=disable"
}

pg_start() {
  pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1" start >/dev/null
}

pg_stop() {
  [ -n "$pg_dir" ] && [ -f "$pg_dir/data/postmaster.pid" ] || return 0
  pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w -t 60 stop >/dev/null
}

pg_psql() {
  psql -X -q -t -A "$pg_url" -c "$1"
}
