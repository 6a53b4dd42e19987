#!/usr/bin/env bash
# A private PostgreSQL 15 server for running and testing tweet_loader: its
# own data directory (default .pgdata/ in the project) and a free port, never
# the machine's own cluster.
#
#   scripts/pg_server.sh start   # initdb if needed, start, print the env
#   scripts/pg_server.sh stop
#   eval "$(scripts/pg_server.sh env)"   # PGHOST/PGPORT/PGUSER for psql
#   scripts/pg_server.sh datadir         # where its data directory is
#
# TWEET_PG_CONF: lines added to postgresql.conf when the server is made;
# TWEET_PG_STOP_MODE: pg_ctl's shutdown mode for stop (default fast);
# TWEET_PG_STOCK=1: when the server is made, keep initdb's postgresql.conf
# as it is (only the port and socket set), as a user's fresh server has it.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
PGBIN=${PGBIN:-$(pg_config --bindir)}
# The data directory: .pgdata/ in the project, unless the postgres account
# cannot reach the project (a clone under /root): then one in /tmp, named
# after the project's path, so that every command finds the same server.
datadir=${TWEET_PGDATA:-$root/.pgdata}
if [ -z "${TWEET_PGDATA:-}" ] && [ "$(id -u)" = 0 ] &&
   ! runuser -u postgres -- test -x "$root" 2>/dev/null; then
  datadir=/tmp/tweet_loader_pgdata.$(printf '%s' "$root" | md5sum | cut -c1-8)
fi
sockdir=$datadir/socket

# The server refuses to run as root: run it as the postgres account then.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A port no socket uses, in any state: a connection's TIME-WAIT on the
# port keeps the server from binding it as well.
free_port() {
  local port
  for port in $(seq 54320 54420); do
    if [ -z "$(ss -Htan "( sport = :$port )" 2>/dev/null)" ] &&
       ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null &&
       [ -z "$(ss -Htan "( sport = :$port )" 2>/dev/null)" ] &&
       [ ! -e "/tmp/.s.PGSQL.$port" ]; then
      echo "$port"; return
    fi
  done
  echo "no free port in 54320-54420" >&2; exit 1
}

print_env() {
  echo "export PGHOST=$sockdir PGPORT=$(cat "$datadir/port") PGUSER=postgres PGDATABASE=postgres"
}

case "${1:-}" in
  start)
    if [ ! -f "$datadir/PG_VERSION" ]; then
      mkdir -p "$datadir"
      [ "$(id -u)" = 0 ] && chown postgres: "$datadir"
      as_owner "$PGBIN/initdb" -D "$datadir" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$datadir.initdb.log" 2>&1 ||
        { cat "$datadir.initdb.log" >&2; exit 1; }
      as_owner mkdir -p "$sockdir"
      free_port | as_owner tee "$datadir/port" >/dev/null
      tuning="max_connections = 60
shared_buffers = 512MB
max_wal_size = 4GB"
      [ "${TWEET_PG_STOCK:-0}" = 1 ] && tuning=
      cat <<CONF | as_owner tee -a "$datadir/postgresql.conf" >/dev/null
listen_addresses = '127.0.0.1'
port = $(cat "$datadir/port")
unix_socket_directories = '$sockdir'
$tuning
fsync = on
logging_collector = off
${TWEET_PG_CONF:-}
CONF
    fi
    if ! as_owner "$PGBIN/pg_ctl" -D "$datadir" status >/dev/null 2>&1; then
      as_owner "$PGBIN/pg_ctl" -D "$datadir" -l "$datadir/server.log" -w start >/dev/null
    fi
    print_env
    ;;
  stop)
    if [ -f "$datadir/PG_VERSION" ]; then
      as_owner "$PGBIN/pg_ctl" -D "$datadir" -m "${TWEET_PG_STOP_MODE:-fast}" -w stop >/dev/null 2>&1 || true
    fi
    ;;
  env)
    print_env
    ;;
  datadir)
    echo "$datadir"
    ;;
  destroy)
    "$0" stop
    rm -rf "$datadir" "$datadir.initdb.log"
    ;;
  *)
    echo "usage: $0 start|stop|env|datadir|destroy" >&2; exit 2 ;;
esac
