#!/usr/bin/env bash
# Faults during a load: a cancelled backend, a statement timeout, a killed
# backend, and memory over repeated loads in one session.
#
#   1. pg_cancel_backend stops a load in every mode within 1 second (from the
#      cancel to the exit of the loading psql) and no row remains; in the
#      normalized mode also once while it merges its staging tables.
#   2. statement_timeout = '1s' stops a load in every mode, no row remains.
#   3. SIGKILL of a loading backend: the server restarts and accepts
#      connections again, no row of the file is visible.
#   4. After 1 and 2 the postmaster has not restarted (same start time).
#   5. 20 loads of a small file in one session, a transaction each, in every
#      mode: the backend's private memory (RssAnon of /proc/<pid>/status)
#      grows by less than 4 MB between load 5 and load 20, and its memory
#      contexts (pg_backend_memory_contexts) by less than 1 MB. VmRSS is
#      printed too; it also counts the pages of shared_buffers the backend
#      has touched, which grow with the tables. The session runs with
#      temp_buffers = 1MB: the normalized mode's temporary staging tables
#      fill the session's local buffer pool up to temp_buffers (8 MB by
#      default, about 400 kB a load here), which is kept, not leaked.
#
# Needs a running server (PGHOST/PGPORT/PGUSER of a superuser) with the
# extension installed, as scripts/test.sh provides. Runs from the repository
# root; takes about a minute.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

. "$root/test/check.sh"

db=tweet_loader_faults
export PGDATABASE=$db
scratch tweet_loader_faults
scratch_dbs+=("$db")

q() {  # q SQL: one value, no decoration
  psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"
}


wait_for_server() {  # up to 120 s
  local i
  for i in $(seq 1 240); do
    psql -X -q -At -d postgres -c "SELECT 1" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  return 1
}

# Rows in all tables of a schema.
table_rows() {
  q "SELECT coalesce(sum((xpath('/row/n/text()',
          query_to_xml(format('SELECT count(*) AS n FROM %I.%I', nspname, relname),
                       false, true, '')))[1]::text::bigint), 0)
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE nspname = '$1' AND relkind = 'r'"
}

echo "# setting up database $db and the input files in $tmp"
create_layout_db "$db" f || exit 1

# 10,000 generated tweets, 7 times over: ~300 MB that take several seconds
# to load in every mode (repeated tweets are fine: normalized keeps one).
t0=$(now)
python3 bench/gen_tweets.py --out "$tmp" --files 1 --tweets 10000 \
  --format plain --prefix part --seed 7 >"$tmp/gen.log" 2>&1 ||
  { cat "$tmp/gen.log"; exit 1; }
for i in 1 2 3 4 5 6 7; do cat "$tmp/part-01.jsonl"; done >"$tmp/big.jsonl"
rm -f "$tmp/part-01.jsonl"
chmod 644 "$tmp/big.jsonl"
echo "# big.jsonl: $(wc -l <"$tmp/big.jsonl") lines, $(du -m "$tmp/big.jsonl" | cut -f1) MB, made in $(elapsed_ms "$t0" "$(now)") ms"
big=$tmp/big.jsonl

start_time=$(q "SELECT pg_postmaster_start_time()")
echo "# postmaster started at $start_time"

# A crash restart ends every session, while pg_postmaster_start_time() stays
# the same in PostgreSQL 15: an idle sentinel session tells a crash restart.
start_sentinel() {
  PGAPPNAME=tweet_faults_sentinel psql -X -q -c "SELECT pg_sleep(3600)" >/dev/null 2>&1 &
  bg_pids+=("$!")
  sentinel=
  local i
  for i in $(seq 1 100); do
    sentinel=$(q "SELECT pid FROM pg_stat_activity
                  WHERE application_name = 'tweet_faults_sentinel' AND state = 'active'")
    [ -n "$sentinel" ] && return 0
    sleep 0.05
  done
  echo "# the sentinel session did not start"; return 1
}
sentinel_alive() {
  [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE pid = ${sentinel:-0}")" = 1 ]
}
sentinel_gone() { ! sentinel_alive; }
start_sentinel || exit 1

# start_load MODE [SQL before the load]: runs the load in the background
# under application_name tweet_faults_load; sets load_pid (psql) and
# backend_pid; waits until the load has written its first batch.
start_load() {
  local mode=$1 pre=${2:-}
  rm -f "$tmp/load.out"
  PGAPPNAME=tweet_faults_load psql -X -q \
    -c "SET search_path = f_$mode, public" ${pre:+-c "$pre"} \
    -c "SELECT * FROM load_tweets('$big', '$mode')" >"$tmp/load.out" 2>&1 &
  load_pid=$!
  bg_pids+=("$load_pid")
  backend_pid=
  local i
  for i in $(seq 1 200); do
    backend_pid=$(q "SELECT pid FROM pg_stat_activity
                     WHERE application_name = 'tweet_faults_load'
                       AND query LIKE '%load_tweets%' AND state = 'active'")
    [ -n "$backend_pid" ] && break
    sleep 0.05
  done
  [ -n "$backend_pid" ] || { echo "# the load did not start"; cat "$tmp/load.out"; return 1; }
  for i in $(seq 1 200); do
    [ "$(q "SELECT coalesce(max(tuples_processed), 0) > 0 FROM pg_stat_progress_copy
            WHERE pid = $backend_pid")" = t ] && return 0
    kill -0 "$load_pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "# the load made no progress"; cat "$tmp/load.out"; return 1
}

still_loading() { kill -0 "$load_pid" 2>/dev/null; }
no_rows() { [ "$(table_rows "f_$1")" = 0 ]; }
no_staging() { [ "$(q "SELECT count(*) FROM pg_class WHERE relname LIKE 'tweet_loader_stage%'")" = 0 ]; }
within() { [ "$1" -lt "$2" ]; }
output_has() { grep -q "$1" "$tmp/load.out"; }

#
# 1. Cancel.
#
cancel_load() {  # cancel_load MODE WHEN
  local mode=$1 when=$2
  check "$mode: the load is still running $when" still_loading || return
  local t0 t1 ms
  t0=$(now)
  q "SELECT pg_cancel_backend($backend_pid)" >/dev/null
  wait "$load_pid"
  t1=$(now)
  ms=$(elapsed_ms "$t0" "$t1")
  check "$mode: cancelled $when, psql exits ${ms} ms after the cancel (< 1000)" within "$ms" 1000
  check "$mode: the error is 'canceling statement due to user request'" \
    output_has "canceling statement due to user request"
  check "$mode: no rows remain" no_rows "$mode"
}

for mode in denormalized normalized batch; do
  echo "# 1. pg_cancel_backend while loading in $mode mode"
  start_load "$mode" || { failures=$((failures + 1)); continue; }
  sleep 0.5
  cancel_load "$mode" "while reading"
done

# The normalized mode merges its staging tables into its tables after the
# last line: cancel it there. It takes locks on those tables only then.
echo "# 1. pg_cancel_backend while the normalized mode merges"
if start_load normalized; then
  merging=
  for i in $(seq 1 600); do
    merging=$(q "SELECT 1 FROM pg_locks WHERE pid = $backend_pid
                 AND relation = 'f_normalized.urls'::regclass")
    [ -n "$merging" ] && break
    still_loading || break
    sleep 0.02
  done
  check "normalized: the load reached its merge" test -n "$merging"
  cancel_load normalized "while merging"
fi
check "no staging tables are left" no_staging

#
# 2. statement_timeout.
#
for mode in denormalized normalized batch; do
  echo "# 2. statement_timeout = '1s' in $mode mode"
  t0=$(now)
  psql -X -q -c "SET search_path = f_$mode, public" -c "SET statement_timeout = '1s'" \
    -c "SELECT * FROM load_tweets('$big', '$mode')" >"$tmp/load.out" 2>&1
  ms=$(elapsed_ms "$t0" "$(now)")
  check "$mode: the error is 'canceling statement due to statement timeout'" \
    output_has "canceling statement due to statement timeout"
  check "$mode: psql exits ${ms} ms after its start (< 2000)" within "$ms" 2000
  check "$mode: no rows remain" no_rows "$mode"
done

#
# 4. No crash restart so far.
#
echo "# 4. the postmaster did not restart"
check "pg_postmaster_start_time() is still $start_time" \
  test "$(q "SELECT pg_postmaster_start_time()")" = "$start_time"
check "the sentinel session (backend $sentinel) is still there" sentinel_alive

#
# 3. SIGKILL: the postmaster restarts all backends and recovers.
#
for mode in denormalized normalized batch; do
  echo "# 3. SIGKILL of the backend loading in $mode mode"
  start_load "$mode" || { failures=$((failures + 1)); continue; }
  sleep 0.5
  check "$mode: the load is still running" still_loading || continue
  sentinel_alive || start_sentinel
  kill -KILL "$backend_pid"
  wait "$load_pid"
  t0=$(now)
  check "$mode: the server accepts connections again" wait_for_server
  echo "# server back after $(elapsed_ms "$t0" "$(now)") ms"
  check "$mode: it was a crash restart: the sentinel session is gone" sentinel_gone
  check "$mode: no rows remain" no_rows "$mode"
  check "$mode: no staging tables are left" no_staging
done
# A load after the restart works.
out=$(q "SET search_path = f_batch, public;
         SELECT tweets FROM load_tweets('$root/data/sample-03.jsonl', 'batch')")
check "a load after the restarts works (300 tweets: $out)" test "$out" = 300
q "TRUNCATE f_batch.tweets, f_batch.users, f_batch.tweet_urls, f_batch.tweet_mentions,
            f_batch.tweet_tags, f_batch.tweet_media" >/dev/null

#
# 5. Memory over 20 loads in one session.
#
small=$root/data/sample-02.jsonl.gz
for mode in denormalized normalized batch; do
  echo "# 5. 20 loads of $(basename "$small") in $mode mode, one session"
  {
    # The normalized mode's staging tables are temporary: their pages live
    # in the session's local buffers, which grow up to temp_buffers and
    # stay. With a small pool it is full before load 5.
    echo "SET temp_buffers = '1MB';"
    echo "SET search_path = f_$mode, public;"
    for i in $(seq 1 20); do
      echo "SELECT 'load', $i, tweets FROM load_tweets('$small', '$mode');"
      if [ "$i" = 5 ] || [ "$i" = 20 ]; then
        for f in VmRSS RssAnon RssShmem; do
          echo "SELECT 'mem', $i, '$f', (regexp_match(pg_read_file('/proc/self/status'), '$f:\s+(\d+) kB'))[1];"
        done
        echo "SELECT 'mem', $i, 'contexts', sum(total_bytes)::bigint / 1024 FROM pg_backend_memory_contexts;"
        echo "SELECT 'mem', $i, 'LocalBufferContext', coalesce(sum(total_bytes)::bigint / 1024, 0) FROM pg_backend_memory_contexts WHERE name = 'LocalBufferContext';"
      fi
    done
  } | psql -X -q -At -F ' ' -v ON_ERROR_STOP=1 >"$tmp/mem.out" 2>&1
  check "$mode: 20 loads succeed" test "$(grep -c '^load [0-9]* 300$' "$tmp/mem.out")" = 20 ||
    head -5 "$tmp/mem.out"
  val() { awk -v i="$1" -v f="$2" '$1 == "mem" && $2 == i && $3 == f { print $4 }' "$tmp/mem.out"; }
  for f in VmRSS RssShmem LocalBufferContext; do
    echo "# $f after load 5: $(val 5 $f) kB, after load 20: $(val 20 $f) kB"
  done
  anon5=$(val 5 RssAnon); anon20=$(val 20 RssAnon)
  growth=$(( ${anon20:-0} - ${anon5:-0} ))
  check "$mode: RssAnon $anon5 kB after load 5, $anon20 kB after load 20: growth $growth kB (< 4096)" \
    within "$growth" 4096
  ctx5=$(val 5 contexts); ctx20=$(val 20 contexts)
  growth=$(( ${ctx20:-0} - ${ctx5:-0} ))
  check "$mode: memory contexts $ctx5 kB after load 5, $ctx20 kB after load 20: growth $growth kB (< 1024)" \
    within "$growth" 1024
done

echo
if [ "$failures" -gt 0 ]; then
  echo "faults: $failures check(s) failed"
  exit 1
fi
echo "faults: all checks passed"
