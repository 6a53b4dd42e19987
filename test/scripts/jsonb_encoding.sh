#!/usr/bin/env bash
# Denormalized loads build their jsonb values directly (src/jsonb_encoder.cpp)
# instead of calling jsonb_in. On random JSON written by test/jsonb_cases.py
# (every number form, every escape, duplicate keys, the 32-entry stride,
# deep nesting), for JSONB_CASES_SEEDS seeds (default 3) of
# JSONB_CASES_LINES lines (default 3000):
#
#   - a load with tweet_loader.check_jsonb on succeeds: every value is,
#     byte for byte, what jsonb_in makes of the same line;
#   - independently of that setting, a load without it stores for every
#     tweet id a value equal (=, and as text) to jsonb_in of the line that
#     test/jsonb_cases.py wrote without \u0000 escapes, read by COPY.
#
# Needs a running server (PGHOST/PGPORT/PGUSER of a superuser) with the
# extension installed, as scripts/test.sh provides. Runs from the
# repository root.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. "$root/test/check.sh"

lines=${JSONB_CASES_LINES:-3000}
seeds=${JSONB_CASES_SEEDS:-3}
db=tweet_loader_jsonb_test
scratch tweet_loader_jsonb
scratch_dbs+=("$db")

q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
q -c "SET client_min_messages = warning" -c "CREATE EXTENSION tweet_loader CASCADE" \
  -c "CREATE SCHEMA checked" -c "CREATE SCHEMA plain" \
  -c "SET search_path = checked, public" -c "SELECT create_tweet_tables('denormalized')" \
  -c "SET search_path = plain, public" -c "SELECT create_tweet_tables('denormalized')" \
  -c "CREATE TABLE public.expected (id bigint, line text)" >/dev/null

for seed in $(seq "$seeds"); do
  file=$tmp/cases-$seed.jsonl
  python3 test/jsonb_cases.py "$file" "$tmp/expected-$seed.txt" --lines "$lines" --seed "$seed" ||
    { echo "FAIL - generating the cases"; exit 1; }
  chmod 644 "$file" "$tmp/expected-$seed.txt"
  out=$(q -c "SET search_path = checked, public" -c "SET tweet_loader.check_jsonb = on" \
          -c "SELECT tweets FROM load_tweets('$file', 'denormalized')" 2>&1)
  check "seed $seed: $lines lines, every jsonb byte for byte jsonb_in's ($out)" \
    test "$out" = "$lines"
  out=$(q -c "SET search_path = plain, public" \
          -c "SELECT tweets FROM load_tweets('$file', 'denormalized')" 2>&1)
  check "seed $seed: loaded without the check ($out)" test "$out" = "$lines"
  q -c "\\copy expected FROM '$tmp/expected-$seed.txt' (FORMAT csv, DELIMITER e'\\x02', QUOTE e'\\x01')"
done

total=$((lines * seeds))
n=$(q -c "SELECT count(*) FROM plain.tweets_jsonb t JOIN expected e ON e.id = (t.data->>'id')::bigint
          WHERE t.data = e.line::jsonb AND t.data::text = e.line::jsonb::text")
check "all $total stored values equal jsonb_in of the expected lines ($n)" test "$n" = "$total"
n=$(q -c "SELECT count(*) FROM expected")
check "the expected lines were all read ($n)" test "$n" = "$total"
n=$(q -c "SELECT count(*) FROM plain.tweets_jsonb p JOIN checked.tweets_jsonb c
          ON c.data->>'id' = p.data->>'id' WHERE c.data = p.data")
check "both loads stored the same values ($n)" test "$n" = "$total"

echo "jsonb_encoding: $failures failure(s)"
[ "$failures" = 0 ]
