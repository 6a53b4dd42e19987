#!/usr/bin/env bash
# The fixed cost of a load_tweets call, per mode, on a file of one tweet:
#   - first call: one call in a session of its own against a bare
#     `psql -c 'SELECT 1'`, median of N interleaved pairs (default 40);
#   - next calls: the same call repeated in one session, median of N
#     statements timed by psql, against SELECT 1 in that session;
#   - beside them, what a one-row INSERT into the same layout's tables
#     costs as the first statement of a session, against the same bare
#     session: the part of a first call that is Postgres's own (PostGIS,
#     whose GiST index on tweets.geo loads it into the backend, and the
#     tables' catalog entries read), which any writer of those tables pays.
#
#   bench/fixed_cost.sh [--pairs N] [--workdir DIR]
#
# The server is the one of the libpq environment (PGHOST, PGPORT, PGUSER);
# the extension must be installed. The tables live in schemas fixed_* of the
# current database and are dropped at the end.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
pairs=40 workdir=/tmp/tweet_loader_bench_fixed
while [ $# -gt 0 ]; do
    case $1 in
        --pairs) pairs=$2; shift ;;
        --workdir) workdir=$2; shift ;;
        *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
    esac
    shift
done
mkdir -p "$workdir" && chmod 755 "$workdir"
file=$workdir/one.jsonl
head -n 1 "$root/data/sample-03.jsonl" >"$file" && chmod 644 "$file"

q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
now_ms() { date +%s.%N; }

targets="denormalized:denormalized normalized:normalized batch:normalized batch:normalized_batch"
for target in $targets; do
    layout=${target#*:}
    q -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS fixed_$layout CASCADE;
          CREATE SCHEMA fixed_$layout; SET search_path = fixed_$layout, public;
          SELECT create_tweet_tables('$layout')" >/dev/null
done

# The one-row INSERT of a layout, made again and again (a new key each
# time: a row that conflicts would touch no index).
declare -A insert_sql=(
    [denormalized]="INSERT INTO tweets_jsonb (data) VALUES ('{\"id\": 1}')"
    [normalized]="WITH u AS (INSERT INTO users (id_users)
                             SELECT coalesce(max(id_users), 0) + 1 FROM users RETURNING id_users)
                  INSERT INTO tweets (id_tweets, id_users) SELECT id_users, id_users FROM u"
    [normalized_batch]="INSERT INTO tweets (id_tweets, id_users) VALUES (1, 1)")

# first_ms SEARCH_PATH SQL: the median over the pairs of SQL as the first
# statement of a session, less a bare session.
first_ms() {
    for i in $(seq "$pairs"); do
        t0=$(now_ms); q -c "SELECT 1" >/dev/null; t1=$(now_ms)
        q -c "SET search_path = $1, public" -c "$2" >/dev/null; t2=$(now_ms)
        awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "%.2f\n", ((c - b) - (b - a)) * 1000 }'
    done | median
}

printf '%-28s %14s %14s %22s\n' load "first call ms" "next calls ms" "one-row INSERT first ms"
for target in $targets; do
    mode=${target%%:*} layout=${target#*:}
    call="SELECT tweets FROM load_tweets('$file', '$mode')"
    first=$(first_ms "fixed_$layout" "$call")
    insert=$(first_ms "fixed_$layout" "${insert_sql[$layout]}")
    # psql's \timing of each statement in one session: the loads, each
    # followed by a SELECT 1; the first pair, a first call, left out.
    next=$( { echo "SET search_path = fixed_$layout, public;"; echo '\timing on'
              for i in $(seq "$pairs"); do echo "$call;"; echo "SELECT 1;"; done; } |
            q 2>&1 | awk '/^Time:/ { t[++n] = $2 }
                          END { for (i = 3; i < n; i += 2) print t[i] - t[i + 1] }' | median)
    printf '%-28s %14.1f %14.1f %22.1f\n' "$mode -> $layout" "$first" "$next" "$insert"
done
for target in $targets; do
    q -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS fixed_${target#*:} CASCADE" >/dev/null
done
