#!/usr/bin/env bash
# Citus: load_tweets writes plain tables only, so a layout whose tables
# Citus distributes (or keeps as reference tables) is refused with a clear
# error, in every mode, and nothing is written: before, a batch load into a
# distributed normalized_batch layout reported its tweets while they went
# to the coordinator's own copy of the tables, which no distributed query
# reads. Plain tables in a database with Citus still load.
#
# Runs on a real cluster, a coordinator and two workers (scripts/citus.sh),
# Citus built from ../shared/vendor; exit status 77 (skipped) without it.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. "$root/test/check.sh"

scripts/citus.sh install
status=$?
[ $status -eq 77 ] && { echo "skip: no Citus source in ../shared/vendor"; exit 77; }
[ $status -eq 0 ] || { echo "could not install Citus"; exit 1; }

scratch tweet_loader_citus
cluster=$tmp/cluster
trap 'scripts/citus.sh stop "$cluster"; scratch_cleanup' EXIT
env=$(scripts/citus.sh start "$cluster") || { echo "could not start the cluster"; exit 1; }
eval "$env"
sample=$root/data/sample-03.jsonl

q() { psql -X -q -At -v ON_ERROR_STOP=1 -c "$1" 2>&1; }

check "the cluster has two workers" \
  test "$(q "SELECT count(*) FROM pg_dist_node WHERE noderole = 'primary' AND groupid > 0")" = 2

# Each layout in its own schema, distributed the way a user would.
q "SET client_min_messages = warning;
   CREATE SCHEMA dist_batch; SET search_path = dist_batch, public;
   SELECT create_tweet_tables('normalized_batch');
   SELECT create_distributed_table('tweets', 'id_tweets');
   SELECT create_distributed_table(t, 'id_tweets', colocate_with => 'dist_batch.tweets')
   FROM unnest(ARRAY['tweet_urls', 'tweet_mentions', 'tweet_tags', 'tweet_media']) t;
   SELECT create_distributed_table('users', 'id_users');" >"$tmp/setup.out" ||
  { cat "$tmp/setup.out"; exit 1; }
q "SET client_min_messages = warning;
   CREATE SCHEMA dist_norm; SET search_path = dist_norm, public;
   SELECT create_tweet_tables('normalized');
   SELECT create_reference_table('urls');
   SELECT create_reference_table('users');
   -- Citus distributes a table only while no plain table refers to it: the
   -- child tables' keys to tweets come back once all are distributed.
   ALTER TABLE tweet_urls DROP CONSTRAINT tweet_urls_id_tweets_fkey;
   ALTER TABLE tweet_mentions DROP CONSTRAINT tweet_mentions_id_tweets_fkey;
   ALTER TABLE tweet_tags DROP CONSTRAINT tweet_tags_id_tweets_fkey;
   ALTER TABLE tweet_media DROP CONSTRAINT tweet_media_id_tweets_fkey;
   SELECT create_distributed_table('tweets', 'id_tweets');
   SELECT create_distributed_table(t, 'id_tweets', colocate_with => 'dist_norm.tweets')
   FROM unnest(ARRAY['tweet_urls', 'tweet_mentions', 'tweet_tags', 'tweet_media']) t;
   ALTER TABLE tweet_urls ADD FOREIGN KEY (id_tweets) REFERENCES tweets;
   ALTER TABLE tweet_mentions ADD FOREIGN KEY (id_tweets) REFERENCES tweets;
   ALTER TABLE tweet_tags ADD FOREIGN KEY (id_tweets) REFERENCES tweets;
   ALTER TABLE tweet_media ADD FOREIGN KEY (id_tweets) REFERENCES tweets;" >"$tmp/setup.out" ||
  { cat "$tmp/setup.out"; exit 1; }
q "SET client_min_messages = warning;
   CREATE SCHEMA dist_den; SET search_path = dist_den, public;
   SELECT create_tweet_tables('denormalized');
   SELECT create_reference_table('tweets_jsonb');" >"$tmp/setup.out" ||
  { cat "$tmp/setup.out"; exit 1; }
q "SET client_min_messages = warning;
   CREATE SCHEMA plain_batch; SET search_path = plain_batch, public;
   SELECT create_tweet_tables('normalized_batch');" >"$tmp/setup.out" ||
  { cat "$tmp/setup.out"; exit 1; }

refused() {  # refused SCHEMA MODE TABLE: the load fails naming TABLE, nothing written
  local out count
  out=$(psql -X -q -At -c "SET search_path = $1, public" \
          -c "SELECT tweets FROM load_tweets('$sample', '$2')" 2>&1)
  count=$(q "SELECT count(*) FROM $1.$3")
  if ! grep -q "ERROR:  load_tweets cannot load into the Citus table \"[a-z_]*\"" <<<"$out"; then
    echo "    $out"; return 1
  fi
  [ "$count" = 0 ] || { echo "    $1.$3 holds $count rows"; return 1; }
}
check "distributed normalized_batch, 'batch': refused, nothing written" \
  refused dist_batch batch tweets
check "distributed normalized, 'batch': refused, nothing written" \
  refused dist_norm batch tweets
check "distributed normalized, 'normalized': refused, nothing written" \
  refused dist_norm normalized tweets
check "reference tweets_jsonb, 'denormalized': refused, nothing written" \
  refused dist_den denormalized tweets_jsonb
check "the error says why (DETAIL)" \
  sh -c "psql -X -q -c 'SET search_path = dist_batch, public' \
           -c \"SELECT load_tweets('$sample', 'batch')\" 2>&1 |
         grep -q \"DETAIL:  Its rows would go to the coordinator's own copy\""

# Plain tables next to Citus load as on any server.
check "plain normalized_batch in a Citus database: 300 tweets load" \
  test "$(psql -X -q -At -c 'SET search_path = plain_batch, public' \
            -c "SELECT tweets FROM load_tweets('$sample', 'batch')" 2>&1)" = 300
check "plain normalized_batch: the tweets are there" \
  test "$(q 'SELECT count(*) FROM plain_batch.tweets')" = 300

[ "$failures" -eq 0 ] && echo "citus: all checks passed"
[ "$failures" -eq 0 ]
