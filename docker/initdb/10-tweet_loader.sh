#!/bin/sh
# Run by the postgres image's entrypoint when it initialises an empty data
# directory: installs tweet_loader (and PostGIS) in $POSTGRES_DB and creates
# the tables of the layout named by TWEET_LAYOUT ('denormalized', 'normalized'
# or 'normalized_batch'). test/scripts/docker_compose_config.sh runs this same
# script against the test server, test/scripts/citus.sh against a cluster.
#
# On a Citus node (CITUS_ROLE, docker/citus/docker-compose.yml) Citus is
# installed first. A worker stops there. The coordinator registers itself
# (CITUS_COORDINATOR, host:port as the workers reach it) and the workers
# (CITUS_WORKERS, host:port ...), then makes the layout distributed.
set -eu

case "${CITUS_ROLE:-}" in
  '' | coordinator)
    : "${TWEET_LAYOUT:?TWEET_LAYOUT must name the layout to create}" ;;
  worker) ;;
  *) echo "CITUS_ROLE must be coordinator or worker, not $CITUS_ROLE" >&2; exit 1 ;;
esac

# run_sql SQL [psql options]: SQL from stdin, so that :'var' is filled in
run_sql() {
  sql=$1; shift
  echo "$sql" | psql -v ON_ERROR_STOP=1 --no-psqlrc -q \
       --username "${POSTGRES_USER:-postgres}" \
       --dbname "${POSTGRES_DB:-${POSTGRES_USER:-postgres}}" "$@"
}

if [ -n "${CITUS_ROLE:-}" ]; then
  run_sql "CREATE EXTENSION citus"
fi
run_sql "CREATE EXTENSION tweet_loader CASCADE"
[ "${CITUS_ROLE:-}" = worker ] && exit 0

distributed=false
if [ "${CITUS_ROLE:-}" = coordinator ]; then
  distributed=true
  : "${CITUS_COORDINATOR:?CITUS_COORDINATOR must be host:port of the coordinator}"
  : "${CITUS_WORKERS:?CITUS_WORKERS must list the workers as host:port}"
  run_sql "SELECT citus_set_coordinator_host(:'host', :'port')" \
          --set host="${CITUS_COORDINATOR%:*}" --set port="${CITUS_COORDINATOR##*:}" >/dev/null
  for worker in $CITUS_WORKERS; do
    run_sql "SELECT citus_add_node(:'host', :'port')" \
            --set host="${worker%:*}" --set port="${worker##*:}" >/dev/null
  done
fi
run_sql "SELECT create_tweet_tables(:'layout', distributed => :'distributed')" \
        --set layout="$TWEET_LAYOUT" --set distributed="$distributed" >/dev/null
