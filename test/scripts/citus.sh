#!/usr/bin/env bash
# Citus: distributed layouts, loads through Citus from any node, in
# parallel, and faults, on a real cluster of a coordinator and two workers
# (scripts/citus.sh), Citus built from ../shared/vendor; exit status 77
# (skipped) without it.
#
#   1. create_tweet_tables(..., distributed => true) refuses a database
#      without Citus and a node that is not the coordinator, nothing made;
#      on the coordinator it makes Citus tables as docs/citus.md says.
#   2. Every load (den, row, bn, bb) of the same files, v1.1 and v2, into a
#      distributed layout gives the tables (the denormalized layout's views)
#      of a plain layout loaded in the same database, row for row, and the
#      nine answers; the rows are on both workers' shards and none in the
#      coordinator's own copies of the tables.
#   3. The same files loaded from a worker give the same tables.
#   4. Overlapping files loaded in parallel by load_parallel.sh --hosts, over
#      all three nodes, three times for the merging loads: no job fails (no
#      deadlock), the tables equal the sequential load's.
#   5. docker/initdb/10-tweet_loader.sh, as the Docker nodes of
#      docker/citus/docker-compose.yml run it, makes a working cluster.
#   6. Faults: a worker stopped in the middle of a load, and a worker down
#      at the start: a clear error (naming the worker, or relaying its
#      shutdown), no row on any shard,
#      no prepared transaction left; once it is back, the same load works.
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
coordinator=$PGHOST:$PGPORT
worker1=$cluster/worker1/socket:$CITUS_WORKER1_PORT
worker2=$cluster/worker2/socket:$CITUS_WORKER2_PORT
on() {  # on HOST:PORT SQL: one value from that node
  PGHOST=${1%:*} PGPORT=${1##*:} psql -X -q -At -v ON_ERROR_STOP=1 -c "$2" 2>&1
}
q() { check_q "$1" 2>&1; }

check "the cluster has two workers" \
  test "$(q "SELECT count(*) FROM pg_dist_node WHERE noderole = 'primary' AND groupid > 0")" = 2

# The files: the samples and, with ../shared, real v1.1 and v2 files.
files=("$root/data/sample-01.jsonl.zip" "$root/data/sample-02.jsonl.gz"
       "$root/data/sample-03.jsonl")
real=$root/../shared/realdata
for f in "$real/tweet-parser-examples-2017.jsonl" "$real/insight-geo-stream-2015-11-11.jsonl.gz" \
         "$real/twitter-api-v2/noflat.jsonl" "$real/twitter-api-v2/withheld.jsonl"; do
  [ -f "$f" ] || continue
  cp "$f" "$tmp/"
  chmod 644 "$tmp/${f##*/}"
  files+=("$tmp/${f##*/}")
done
echo "# ${#files[@]} files: $(printf '%s ' "${files[@]##*/}")"

# --- 1. Making distributed layouts
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS tl_no_citus" >/dev/null 2>&1
psql -X -q -d postgres -c "CREATE DATABASE tl_no_citus" >/dev/null
scratch_dbs+=(tl_no_citus)
out=$(psql -X -q -At -d tl_no_citus -c "SET client_min_messages = warning;
        CREATE EXTENSION tweet_loader CASCADE" \
        -c "SELECT create_tweet_tables('normalized', distributed => true)" 2>&1)
check "without Citus: refused" grep -q "ERROR:  distributed tweet tables need the Citus extension" <<<"$out"
check "without Citus: nothing made" \
  test "$(psql -X -q -At -d tl_no_citus -c "SELECT count(*) FROM pg_tables WHERE tablename = 'tweets'")" = 0
out=$(on "$worker1" "SELECT create_tweet_tables('normalized', distributed => true)")
check "on a worker: refused" grep -q "ERROR:  distributed tweet tables are made on the Citus coordinator" <<<"$out"
check "on a worker: nothing made" \
  test "$(on "$worker1" "SELECT count(*) FROM pg_tables WHERE tablename = 'tweets'")" = 0

dist_schema() { new_layout_schema "$1" "$2" true; }  # dist_schema SCHEMA LAYOUT
for t in "${targets[@]}"; do
  new_schema "s_$t" "$t" && dist_schema "d_$t" "${layout_of[$t]}" ||
    { echo "could not make the layouts of $t"; exit 1; }
done
dist_of() {  # dist_of TABLE: "h id_tweets" (hash, column) or "n" (reference)
  q "SELECT partmethod::text || coalesce(' ' || column_to_column_name(logicalrelid, partkey), '')
     FROM pg_dist_partition WHERE logicalrelid = '$1'::regclass"
}
colocated() {  # colocated TABLE...: all in the colocation group of the first
  local t first
  first=$(q "SELECT colocationid FROM pg_dist_partition WHERE logicalrelid = '$1'::regclass")
  for t in "$@"; do
    [ "$(q "SELECT colocationid FROM pg_dist_partition WHERE logicalrelid = '$t'::regclass")" = "$first" ] ||
      { echo "    $t is not co-located with $1"; return 1; }
  done
}
check "normalized: tweets hash-distributed on id_tweets" test "$(dist_of d_row.tweets)" = "h id_tweets"
check "normalized: child tables co-located with tweets" \
  colocated d_row.tweets d_row.tweet_urls d_row.tweet_mentions d_row.tweet_tags d_row.tweet_media
check "normalized: users and urls are reference tables" \
  test "$(dist_of d_row.users) $(dist_of d_row.urls)" = "n n"
fkeys() {  # fkeys SCHEMA: its foreign keys, table column -> table
  q "SELECT string_agg(format('%s.%s->%s', conrelid::regclass::text, a.attname,
       confrelid::regclass::text), ' ' ORDER BY 1) FROM pg_constraint c
     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
     WHERE contype = 'f' AND connamespace = '$1'::regnamespace
       AND conrelid::regclass::text !~ '_[0-9]+$'" | sed "s/$1\.//g"
}
check "normalized: every foreign key of the plain layout ($(fkeys s_row | wc -w))" \
  test "$(fkeys d_row)" = "$(fkeys s_row)"
check "normalized_batch: tweets and child tables on id_tweets, co-located" \
  colocated d_bb.tweets d_bb.tweet_urls d_bb.tweet_mentions d_bb.tweet_tags d_bb.tweet_media
check "normalized_batch: users hash-distributed on id_users" test "$(dist_of d_bb.users)" = "h id_users"
check "denormalized: tweets_jsonb hash-distributed on id_tweets" \
  test "$(dist_of d_den.tweets_jsonb)" = "h id_tweets"
check "denormalized: its views are on the workers too" \
  test "$(on "$worker1" "SELECT count(*) FROM pg_views WHERE schemaname = 'd_den'")" = 7

# --- 2. Sequential loads, compared with plain layouts loaded the same way
load_all() {  # load_all HOST:PORT SCHEMA MODE: each file in turn, one session
  local f sql="SET search_path = $2, public;"
  for f in "${files[@]}"; do sql+="SELECT tweets FROM load_tweets('$f', '$3');"; done
  PGHOST=${1%:*} PGPORT=${1##*:} psql -X -q -At -v ON_ERROR_STOP=1 -c "$sql" >"$tmp/load.out" 2>&1 ||
    { cat "$tmp/load.out"; return 1; }
}
relations() {  # relations TARGET: what to compare
  if [ "$1" = den ]; then echo "tweets tweet_urls tweet_mentions tweet_tags tweet_media"; fi
}
same_tables() {  # same_tables SCHEMA PLAIN TARGET
  local a b
  a=$(table_dump "$1" "$(relations "$3")") || return 1
  b=$(table_dump "$2" "$(relations "$3")") || return 1
  [ -n "$a" ] && [ "$a" = "$b" ] && return 0
  diff <(echo "$b") <(echo "$a") | head -10; return 1
}
nine() {  # nine SCHEMA: the nine answers, a line each: rows and md5
  local i sql=()
  # Each answer is copied into a local table first: Citus would send the
  # row type of a temporary view to the workers, which do not have it.
  for i in 1 2 3 4 5 6 7 8 9; do
    sql+=(-c "CREATE TEMP TABLE r$i AS SELECT * FROM answer_$i"
          -c "SELECT count(*) || ' ' || md5(coalesce(string_agg(a::text, ',' ORDER BY a::text), ''))
              FROM r$i a")
  done
  psql -X -q -At -v ON_ERROR_STOP=1 -c "SET client_min_messages = error" \
    -c "SET search_path = $1, public" -f scripts/nine_answers.sql "${sql[@]}" 2>&1
}
on_both_workers() {  # on_both_workers TABLE: its rows are on both workers' shards, all of them
  local rows shards
  rows=$(q "SELECT count(*) FROM $1")
  shards=$(q "SELECT count(DISTINCT p.nodeport) FILTER (WHERE r.result::bigint > 0) || ' ' ||
              sum(r.result::bigint) FROM run_command_on_shards('$1', 'SELECT count(*) FROM %s') r
              JOIN pg_dist_shard_placement p USING (shardid)")
  [ "$shards" = "2 $rows" ] || { echo "    $1: $rows rows; nodes, rows on shards: $shards"; return 1; }
}
local_copy_empty() {  # local_copy_empty TABLE: the coordinator's own copy holds nothing
  [ "$(q "SELECT pg_relation_size('$1')")" = 0 ]
}

plain_answers=
for t in "${targets[@]}"; do
  check "$t: loads into the plain layout" load_all "$coordinator" "s_$t" "${mode_of[$t]}"
  check "$t: loads into the distributed layout" load_all "$coordinator" "d_$t" "${mode_of[$t]}"
  check "$t: distributed tables equal the plain ones" same_tables "d_$t" "s_$t" "$t"
  answers=$(nine "s_$t")
  check "$t: nine answers equal" test "$(nine "d_$t")" = "$answers"
  [ -n "$plain_answers" ] || plain_answers=$answers
  check "$t: nine answers equal the first layout's" test "$answers" = "$plain_answers"
  table=tweets; [ "$t" = den ] && table=tweets_jsonb
  check "$t: rows on both workers" on_both_workers "d_$t.$table"
  check "$t: nothing in the coordinator's own copy" local_copy_empty "d_$t.$table"
done
echo "# nine answers: $(echo "$plain_answers" | cut -d' ' -f1 | tr '\n' ' ')"

# --- 3. From a worker
for t in "${targets[@]}"; do
  dist_schema "w_$t" "${layout_of[$t]}"
  check "$t: loads from a worker" load_all "$worker1" "w_$t" "${mode_of[$t]}"
  check "$t: loaded from a worker, the tables equal the plain ones" same_tables "w_$t" "s_$t" "$t"
done

# --- 4. In parallel, overlapping files, sessions on all three nodes
parallel_load() {  # parallel_load SCHEMA MODE
  PGOPTIONS="-c search_path=$1,public" scripts/load_parallel.sh \
    --hosts "$coordinator,$worker1,$worker2" -j 3 "$2" "${files[@]}" "${files[@]}" \
    >"$tmp/par.out" 2>&1 || { tail -5 "$tmp/par.out"; return 1; }
}
for t in "${targets[@]}"; do
  rounds=1; [ "$t" = row ] || [ "$t" = bn ] && rounds=3
  for ((r = 1; r <= rounds; r++)); do
    dist_schema "p_$t" "${layout_of[$t]}"
    check "$t: parallel load $r/$rounds over three nodes, every file twice: no job fails" \
      parallel_load "p_$t" "${mode_of[$t]}"
    if [ "$t" = row ] || [ "$t" = bn ]; then
      check "$t: parallel load $r/$rounds: tables equal the sequential load's" same_tables "p_$t" "s_$t" "$t"
    else
      check "$t: parallel load: nine answers equal" test "$(nine "p_$t")" = "$plain_answers"
    fi
  done
done

# --- 5. The Docker nodes' init script on this cluster, in a new database
dockerdb=tl_docker
for n in "$coordinator" "$worker1" "$worker2"; do
  on "$n" "DROP DATABASE IF EXISTS $dockerdb" >/dev/null
  on "$n" "CREATE DATABASE $dockerdb" >/dev/null
done
init_node() {  # init_node HOST:PORT ROLE
  PGHOST=${1%:*} PGPORT=${1##*:} POSTGRES_USER=postgres POSTGRES_DB=$dockerdb \
    CITUS_ROLE=$2 CITUS_COORDINATOR=127.0.0.1:$PGPORT TWEET_LAYOUT=normalized \
    CITUS_WORKERS="127.0.0.1:$CITUS_WORKER1_PORT 127.0.0.1:$CITUS_WORKER2_PORT" \
    sh docker/initdb/10-tweet_loader.sh >"$tmp/init.out" 2>&1 || { cat "$tmp/init.out"; return 1; }
}
check "docker init script: worker1" init_node "$worker1" worker
check "docker init script: worker2" init_node "$worker2" worker
check "docker init script: coordinator registers the workers, distributes normalized" \
  init_node "$coordinator" coordinator
in_docker_db() { PGDATABASE=$dockerdb q "$1"; }
check "docker init script: two workers, tweets distributed" \
  test "$(in_docker_db "SELECT count(*) FROM pg_dist_node WHERE groupid > 0")/$(PGDATABASE=$dockerdb dist_of tweets)" = "2/h id_tweets"
expected=$(python3 -c 'import json,sys; print(len({json.loads(l)["id"] for l in open(sys.argv[1]) if l.strip()}))' "${files[2]}")
check "docker init script: a load works ($expected distinct tweets)" \
  test "$(in_docker_db "SELECT tweets FROM load_tweets('${files[2]}', 'batch')")/$(in_docker_db "SELECT count(*) FROM tweets")" = "300/$expected"
for n in "$coordinator" "$worker1" "$worker2"; do
  on "$n" "DROP DATABASE IF EXISTS $dockerdb WITH (FORCE)" >/dev/null
done

# --- 6. Faults
python3 bench/gen_tweets.py --out "$tmp" --files 1 --tweets 10000 --format plain \
  --prefix fault --seed 11 >"$tmp/gen.log" 2>&1 || { cat "$tmp/gen.log"; exit 1; }
for i in 1 2 3; do cat "$tmp/fault-01.jsonl"; done >"$tmp/big.jsonl"
chmod 644 "$tmp/big.jsonl"
big=$tmp/big.jsonl
shard_rows() {  # shard_rows SCHEMA: rows on all shards of all its Citus tables
  q "SELECT coalesce(sum(r.result::bigint), 0) FROM pg_dist_partition p,
     run_command_on_shards(p.logicalrelid, 'SELECT count(*) FROM %s') r
     WHERE p.logicalrelid::text LIKE '$1.%' AND p.partmethod = 'h'"
}
prepared_left() {  # prepared transactions on any node
  q "SELECT recover_prepared_transactions()" >/dev/null
  echo $(( $(on "$coordinator" "SELECT count(*) FROM pg_prepared_xacts") +
           $(on "$worker1" "SELECT count(*) FROM pg_prepared_xacts") +
           $(on "$worker2" "SELECT count(*) FROM pg_prepared_xacts") ))
}
nothing_anywhere() {  # nothing_anywhere SCHEMA TABLE
  local n
  n=$(shard_rows "$1"); [ "$n" = 0 ] || { echo "    $n rows on the shards"; return 1; }
  n=$(q "SELECT count(*) FROM $1.$2"); [ "$n" = 0 ] || { echo "    $n rows in $1.$2"; return 1; }
  n=$(prepared_left); [ "$n" = 0 ] || { echo "    $n prepared transactions left"; return 1; }
}
for t in bn bb den; do
  table=tweets; [ "$t" = den ] && table=tweets_jsonb
  dist_schema "f_$t" "${layout_of[$t]}"
  # Stopped in the middle: once the load has run for a second.
  psql -X -q -At -c "SET search_path = f_$t, public" \
    -c "SELECT tweets FROM load_tweets('$big', '${mode_of[$t]}')" >"$tmp/fault.out" 2>&1 &
  pid=$!
  sleep 1
  running=$(q "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%load_tweets(''$big''%' AND pid <> pg_backend_pid()")
  scripts/citus.sh node-stop "$cluster" worker2 fast
  wait $pid; rc=$?
  check "$t: worker stopped during the load (running then: $running): the load fails" \
    test "$rc" != 0 -a "$running" = 1
  # Citus's own words, by when the worker went: a failed connection, COPY
  # or essential connection to it (naming it), or its backend's termination
  # relayed.
  check "$t: the error says the worker went away" \
    grep -Eq "^ERROR: +(connection to the remote node [^ ]*127.0.0.1:$CITUS_WORKER2_PORT failed|failed to COPY to shard [0-9]+ on 127.0.0.1:$CITUS_WORKER2_PORT|failure on connection marked as essential: 127.0.0.1:$CITUS_WORKER2_PORT\$|terminating connection due to administrator command)" "$tmp/fault.out"
  head -2 "$tmp/fault.out" | sed 's/^/    /'
  scripts/citus.sh node-start "$cluster" worker2
  check "$t: worker back: no row on any shard, no prepared transaction" nothing_anywhere "f_$t" "$table"
  check "$t: the same load now works" load_all "$coordinator" "f_$t" "${mode_of[$t]}"
  # Down at the start.
  dist_schema "f_$t" "${layout_of[$t]}"
  scripts/citus.sh node-stop "$cluster" worker2 fast
  out=$(psql -X -q -At -c "SET search_path = f_$t, public" \
          -c "SELECT tweets FROM load_tweets('${files[2]}', '${mode_of[$t]}')" 2>&1)
  check "$t: worker down at the start: a clear error naming it" \
    grep -q "ERROR: .*connection to the remote node .*$CITUS_WORKER2_PORT.* failed" <<<"$out"
  scripts/citus.sh node-start "$cluster" worker2
  check "$t: nothing written" nothing_anywhere "f_$t" "$table"
done

[ "$failures" -eq 0 ] && echo "citus: all checks passed"
[ "$failures" -eq 0 ]
