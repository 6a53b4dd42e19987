#!/bin/sh
# Run by the postgres image's entrypoint when it initialises an empty data
# directory: installs tweet_loader (and PostGIS) in $POSTGRES_DB and creates
# the tables of the layout named by TWEET_LAYOUT ('denormalized', 'normalized'
# or 'normalized_batch'). test/scripts/docker_compose_config.sh runs this same
# script against the test server.
set -eu

: "${TWEET_LAYOUT:?TWEET_LAYOUT must name the layout to create}"

psql -v ON_ERROR_STOP=1 --no-psqlrc \
     --username "${POSTGRES_USER:-postgres}" \
     --dbname "${POSTGRES_DB:-${POSTGRES_USER:-postgres}}" \
     --set layout="$TWEET_LAYOUT" <<'SQL'
CREATE EXTENSION tweet_loader CASCADE;
SELECT create_tweet_tables(:'layout');
SQL
