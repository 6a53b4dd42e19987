#!/usr/bin/env bash
# Citus for the tests: builds and installs Citus 13.2.2 from the source in
# ../shared/vendor (Debian 12 has no Citus package; users install Citus from
# its own packages instead), and runs a private three-node cluster, a
# coordinator and two workers, on free ports in private data directories.
#
#   scripts/citus.sh install        build and install Citus unless installed
#   scripts/citus.sh start DIR      start the cluster in DIR, print its env
#   scripts/citus.sh stop DIR       stop it
#   scripts/citus.sh node-stop DIR NODE [MODE]   stop one node (worker1, ...),
#                                   pg_ctl's shutdown MODE (default fast)
#   scripts/citus.sh node-start DIR NODE         start it again
#
# start prints PGHOST/PGPORT/PGUSER of the coordinator and
# CITUS_WORKER1_PORT/CITUS_WORKER2_PORT; every node has the database
# tweet_loader_citus with citus, postgis and tweet_loader, and the workers
# are registered with the coordinator. Exit status 77: no vendored source.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
version=13.2.2
vendor=$root/../shared/vendor
cache=${TWEET_CITUS_CACHE:-/var/cache/tweet_loader}
db=tweet_loader_citus

installed() {
  test -f "$(pg_config --pkglibdir)/citus.so" &&
    grep -q "default_version = '13.2-1'" "$(pg_config --sharedir)/extension/citus.control" 2>/dev/null
}

install() {
  installed && return 0
  [ -f "$vendor/citus-$version.tar.gz" ] || { echo "no $vendor/citus-$version.tar.gz" >&2; exit 77; }
  local deps=(libcurl4-openssl-dev liblz4-dev libzstd-dev libkrb5-dev libssl-dev
              libselinux1-dev libxslt1-dev libpam0g-dev libreadline-dev)
  local missing=() p
  for p in "${deps[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # The build tree is kept: a later install (a new PostgreSQL minor
  # release, a wiped extension folder) only runs make install again.
  local src=$cache/citus-$version
  if [ ! -f "$src/.built" ]; then
    rm -rf "$src"
    mkdir -p "$cache"
    tar xzf "$vendor/citus-$version.tar.gz" -C "$cache"
    (cd "$src" && patch -s -p1 < "$vendor/citus-pg15-have_createdb_privilege.patch" &&
     ./configure --without-libcurl >"$src.configure.log" 2>&1 &&
     make -s -j"$(nproc)" >"$src.build.log" 2>&1) ||
      { echo "Citus build failed; see $src.build.log" >&2; tail -20 "$src.build.log" >&2; exit 1; }
    touch "$src/.built"
  fi
  make -s -C "$src" install >/dev/null
  installed
}

node() {  # node DIR NAME ARGS...: pg_server.sh for one node
  local dir=$1 name=$2; shift 2
  TWEET_PGDATA=$dir/$name TWEET_PG_CONF="shared_preload_libraries = 'citus'
shared_buffers = 128MB
max_prepared_transactions = 100" "$root/scripts/pg_server.sh" "$@"
}

port_of() { cat "$1/$2/port"; }

start() {
  local dir=$1 name
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chmod 755 "$dir"
  for name in coordinator worker1 worker2; do
    node "$dir" "$name" start >/dev/null
    local sock=$dir/$name/socket port
    port=$(port_of "$dir" "$name")
    if ! psql -X -q -h "$sock" -p "$port" -U postgres -d postgres -Atc \
           "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
      psql -X -q -h "$sock" -p "$port" -U postgres -d postgres -c "CREATE DATABASE $db" >/dev/null
      psql -X -q -h "$sock" -p "$port" -U postgres -d "$db" -v ON_ERROR_STOP=1 >/dev/null <<SQL
SET client_min_messages = warning;
CREATE EXTENSION citus;
CREATE EXTENSION tweet_loader CASCADE;
SQL
    fi
  done
  local c=$dir/coordinator/socket cport w1 w2
  cport=$(port_of "$dir" coordinator)
  w1=$(port_of "$dir" worker1)
  w2=$(port_of "$dir" worker2)
  psql -X -q -h "$c" -p "$cport" -U postgres -d "$db" -v ON_ERROR_STOP=1 >/dev/null <<SQL
SET client_min_messages = warning;
SELECT citus_set_coordinator_host('127.0.0.1', $cport);
SELECT citus_add_node('127.0.0.1', $w1) WHERE NOT EXISTS (SELECT FROM pg_dist_node WHERE nodeport = $w1);
SELECT citus_add_node('127.0.0.1', $w2) WHERE NOT EXISTS (SELECT FROM pg_dist_node WHERE nodeport = $w2);
SQL
  echo "export PGHOST=$c PGPORT=$cport PGUSER=postgres PGDATABASE=$db CITUS_WORKER1_PORT=$w1 CITUS_WORKER2_PORT=$w2"
}

stop() {
  local dir=$1 name
  for name in coordinator worker1 worker2; do
    [ -d "$dir/$name" ] && node "$dir" "$name" stop
  done
  return 0
}

node_stop() {  # node_stop DIR NODE [MODE]
  [ -d "$1/$2" ] || { echo "no node $2 in $1" >&2; exit 2; }
  TWEET_PG_STOP_MODE=${3:-fast} node "$1" "$2" stop
}

case "${1:-}" in
  install) install ;;
  node-stop) [ $# -ge 3 ] || { echo "usage: $0 node-stop DIR NODE [MODE]" >&2; exit 2; }
             node_stop "$2" "$3" "${4:-fast}" ;;
  node-start) [ $# -eq 3 ] || { echo "usage: $0 node-start DIR NODE" >&2; exit 2; }
              node "$2" "$3" start >/dev/null ;;
  start) [ $# -eq 2 ] || { echo "usage: $0 start DIR" >&2; exit 2; }; start "$2" ;;
  stop) [ $# -eq 2 ] || { echo "usage: $0 stop DIR" >&2; exit 2; }; stop "$2" ;;
  *) echo "usage: $0 install | start DIR | stop DIR" >&2; exit 2 ;;
esac
