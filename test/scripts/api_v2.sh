#!/usr/bin/env bash
# Twitter API v2 input (twarc2 pages, flattened tweets, stream lines) gives
# the tables v1.1 input gives.
#
#   1. 3,000 generated tweets (2 files) are written by bench/to_v2.py as
#      v2 pages and as flattened tweets, independently of the loader. Each
#      of the three forms is loaded in every mode (denormalized; row and
#      batch into normalized; batch into normalized_batch): every table,
#      every column, row for row, is the same, but tweets.source, which v2
#      gives as plain text ("Twitter for Android") and v1.1 as an HTML link.
#      In the denormalized layout the views are compared, row for row.
#      A file that mixes v1.1 lines and v2 pages gives them too.
#   2. Lines without tweets (errors-only and empty pages, compliance events
#      of the stream and of a batch job) are skipped and counted. Gaps in a page: an author missing from includes (a partial users row:
#      the id alone), a place_id with no place (place columns NULL), a media
#      key with no media (no row); a page whose mentions carry no ids.
#   3. Bad input, each a clear error naming file and line, nothing of the
#      file left, the server not restarted: data of the wrong type, an id
#      that is not digits, a cut-off last line (also skipped and counted
#      under on_error => 'skip'), a response over the 64 MB limit; ids
#      written as numbers load.
#
# Needs a running server (PGHOST/PGPORT/PGUSER of a superuser) with the
# extension installed, as scripts/test.sh provides. Runs from the repository
# root.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

. "$root/test/check.sh"

scratch tweet_loader_api_v2
fresh_db tweet_loader_api_v2 || exit 1

q() { check_q "$1"; }  # q SQL: one value, no decoration

# load SCHEMA TARGET FILE [EXTRA ARGS]: "tweets skipped bad_lines" or the
# error (verbose) in $tmp/load.out.
load() {
  psql -X -q -At -F ' ' -v ON_ERROR_STOP=1 -v VERBOSITY=verbose \
    -c "SET search_path = $1, public" \
    -c "SELECT tweets, skipped, bad_lines FROM load_tweets('$3', '${mode_of[$2]}'${4:+, $4})" \
    >"$tmp/load.out" 2>&1
}
output_has() { grep -q -- "$1" "$tmp/load.out"; }

# The tables (denormalized: the views) of a schema, without tweets.source.
dump() {
  if [ "$(q "SELECT count(*) FROM pg_tables WHERE schemaname = '$1' AND tablename = 'tweets_jsonb'")" = 1 ]; then
    table_dump "$1" "tweets tweet_urls tweet_mentions tweet_tags tweet_media" source
  else
    table_dump "$1" "" source
  fi
}

# ------------------------------------------------------------------ 1.
echo "# generating 2 x 1,500 tweets and their v2 forms in $tmp"
python3 bench/gen_tweets.py --out "$tmp" --files 2 --tweets 1500 --format plain \
  --prefix gen --seed 22 >"$tmp/gen.log" 2>&1 || { cat "$tmp/gen.log"; exit 1; }
for i in 01 02; do
  python3 bench/to_v2.py "$tmp/gen-$i.jsonl" "$tmp/gen-$i" || exit 1
done
echo "# pages: $(cat "$tmp"/gen-*.page.jsonl | wc -l), largest $(wc -L <"$tmp/gen-01.page.jsonl") bytes"

declare -A count_of
for t in "${targets[@]}"; do
  for form in v1 page flat; do
    s=${t}_$form
    new_schema "$s" "$t"
    total=0
    for i in 01 02; do
      case $form in
        v1) f=$tmp/gen-$i.jsonl ;;
        *) f=$tmp/gen-$i.$form.jsonl ;;
      esac
      load "$s" "$t" "$f" || { cat "$tmp/load.out"; fail "$t: $form file $i loads"; continue 2; }
      total=$((total + $(cut -d' ' -f1 "$tmp/load.out")))
    done
    count_of[$s]=$total
    dump "$s" >"$tmp/$s.dump"
  done
  check "$t: every form reads 3,000 tweets" \
    [ "${count_of[${t}_v1]}/${count_of[${t}_page]}/${count_of[${t}_flat]}" = 3000/3000/3000 ]
  check "$t: v2 pages give the v1.1 tables, every column but tweets.source" \
    cmp -s "$tmp/${t}_v1.dump" "$tmp/${t}_page.dump" || diff "$tmp/${t}_v1.dump" "$tmp/${t}_page.dump"
  check "$t: flattened v2 tweets give the v1.1 tables, every column but tweets.source" \
    cmp -s "$tmp/${t}_v1.dump" "$tmp/${t}_flat.dump" || diff "$tmp/${t}_v1.dump" "$tmp/${t}_flat.dump"
done
check "the tables are not empty: tweets, users, tags, mentions, urls and media rows" \
  [ "$(q "SELECT (SELECT count(*) > 0 FROM row_v1.users) AND (SELECT count(*) > 0 FROM row_v1.tweet_tags)
           AND (SELECT count(*) > 0 FROM row_v1.tweet_mentions) AND (SELECT count(*) > 0 FROM row_v1.tweet_urls)
           AND (SELECT count(*) > 0 FROM row_v1.tweet_media) AND (SELECT count(*) > 0 FROM row_v1.tweets WHERE geo IS NOT NULL)")" = t ]
# One file of both formats: v1.1 lines, then v2 pages, then flattened tweets.
{ head -n 700 "$tmp/gen-01.jsonl"; cat "$tmp/gen-02.page.jsonl"; } >"$tmp/mixed.jsonl"
tail -n +701 "$tmp/gen-01.jsonl" >"$tmp/rest.jsonl"
for t in "${targets[@]}"; do
  new_schema "${t}_mixed" "$t"
  load "${t}_mixed" "$t" "$tmp/mixed.jsonl" && load "${t}_mixed" "$t" "$tmp/rest.jsonl"
  check "$t: a file that mixes v1.1 lines and v2 pages gives the same tables" \
    [ "$(dump "${t}_mixed")" = "$(cat "$tmp/${t}_v1.dump")" ]
done
check "tweets.source: v1.1's link text is v2's source" \
  [ "$(q "SELECT count(*) FROM row_v1.tweets a JOIN row_page.tweets b USING (id_tweets)
           WHERE a.source NOT LIKE '%>' || b.source || '</a>'")" = 0 ]

# ------------------------------------------------------------------ 2.
cat >"$tmp/no_tweets.jsonl" <<'JSON'
{"errors":[{"value":"1","detail":"Could not find tweet with ids: [1].","title":"Not Found Error","resource_type":"tweet","parameter":"ids","resource_id":"1","type":"https://api.twitter.com/2/problems/resource-not-found"}]}
{"data":[],"meta":{"result_count":0}}
{"meta":{"result_count":0},"__twarc":{"version":"2.1.0"}}
{"data":{"delete":{"tweet":{"id":"1","author_id":"2"},"event_at":"2022-01-01T00:00:00.000Z"}}}
{"id":"1372966999991541762","action":"delete","created_at":"2021-03-19T17:07:48.000Z","redacted_at":"2021-03-19T17:10:53.000Z","reason":"deleted"}
JSON
new_schema none_bn bn
load none_bn bn "$tmp/no_tweets.jsonl"
check "errors-only and empty pages, compliance events: 0 tweets, 5 lines skipped" \
  output_has "^0 5 0$" || cat "$tmp/load.out"

cat >"$tmp/gaps.jsonl" <<'JSON'
{"data":[{"id":"101","text":"@known @gone hi","created_at":"2022-03-04T05:06:07.000Z","author_id":"9001","geo":{"place_id":"nowhere"},"attachments":{"media_keys":["3_1","3_lost"]},"entities":{"mentions":[{"start":0,"end":6,"username":"known"},{"start":7,"end":12,"username":"gone"}]}}],"includes":{"users":[{"id":"42","username":"known","name":"Known One"}],"media":[{"media_key":"3_1","type":"photo","url":"https://pbs.twimg.com/media/x.jpg"}]},"errors":[{"title":"Forbidden","detail":"User has been suspended: [gone]."}]}
JSON
for t in den row bn bb; do
  s=gaps_$t
  new_schema "$s" "$t"
  load "$s" "$t" "$tmp/gaps.jsonl"
  check "$t: a page with gaps loads its tweet" output_has "^1 0 0$" || cat "$tmp/load.out"
  check "$t: no place: place columns and geo NULL; mentions: the known user only; media: the one found" \
    [ "$(q "SET search_path = $s, public;
            SELECT (SELECT format('%s/%s/%s/%s', id_users, country_code IS NULL,
                                  place_name IS NULL, geo IS NULL) FROM tweets)
                   || ' ' || (SELECT string_agg(id_users::text, ',') FROM tweet_mentions)
                   || ' ' || (SELECT count(*) FROM tweet_media)")" = "9001/t/t/t 42 1" ] ||
    q "SET search_path = $s, public; SELECT * FROM tweets; SELECT * FROM tweet_mentions"
done
check "normalized: the missing author is a users row of its id alone" \
  [ "$(q "SELECT count(*) FROM gaps_row.users WHERE id_users = 9001 AND screen_name IS NULL
           AND name IS NULL AND created_at IS NULL AND friends_count IS NULL")" = 1 ]
check "normalized: the mentioned user has its name from includes" \
  [ "$(q "SELECT screen_name || '/' || name FROM gaps_bn.users WHERE id_users = 42")" = "known/Known One" ]

# ------------------------------------------------------------------ 3.
good=$(head -1 "$tmp/gen-01.page.jsonl")
printf '%s\n{"data":"x","includes":{}}\n' "$good" >"$tmp/data_type.jsonl"
printf '%s\n{"data":[{"id":"12a","text":"x","author_id":"1","created_at":"2021-01-01T00:00:00.000Z"}]}\n' "$good" >"$tmp/id_text.jsonl"
{ echo "$good"; head -c 5000 <<<"$good"; } >"$tmp/cut.jsonl"
python3 - "$tmp/huge.jsonl" <<'PY'
import json, sys
text = "x" * 1000
data = [{"id": str(10**15 + i), "text": text, "author_id": "1",
         "created_at": "2021-01-01T00:00:00.000Z"} for i in range(68000)]
with open(sys.argv[1], "w") as f:
    f.write(json.dumps({"data": data}) + "\n")
PY
printf '{"data":[{"id":1380242611781386245,"text":"x","author_id":12,"created_at":"2021-01-01T00:00:00.000Z"}]}\n' >"$tmp/numbers.jsonl"

bad_case() {  # bad_case FILE SQLSTATE LINE MESSAGE
  local f=$tmp/$1 t s
  for t in "${targets[@]}"; do
    s=bad_$t
    new_schema "$s" "$t"
    load "$s" "$t" "$f"
    check "$1, $t: $2 at line $3: $4" \
      output_has "ERROR:  $2: .*line $3: $4" || head -3 "$tmp/load.out"
    check "$1, $t: the context names the file and line" \
      output_has "CONTEXT:  load_tweets file \"$f\", line $3"
    check "$1, $t: nothing of the file is left" [ "$(rows_left "$s")" = 0 ]
  done
}
bad_case data_type.jsonl 22P02 2 'field "data" must be an array or an object, not a string'
bad_case id_text.jsonl 22P02 2 'tweet 1 of the v2 response: value "12a" of field "id" is not a string of digits'
bad_case cut.jsonl 22P02 2 'invalid JSON'
bad_case huge.jsonl 54000 1 'v2 response of [0-9]* bytes exceeds the limit of 67108864 bytes'
for t in "${targets[@]}"; do
  new_schema skip_$t "$t"
  load skip_$t "$t" "$tmp/cut.jsonl" "on_error => 'skip'"
  n=$(head -1 "$tmp/cut.jsonl" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["data"]))')
  check "cut.jsonl, $t, on_error => 'skip': the whole page loads, the cut line is counted" \
    output_has "^$n 0 1$" || cat "$tmp/load.out"
  new_schema num_$t "$t"
  load num_$t "$t" "$tmp/numbers.jsonl"
  check "numbers.jsonl, $t: ids written as numbers load, exactly" \
    [ "$(q "SELECT id_tweets || '/' || id_users FROM num_$t.tweets")" = 1380242611781386245/12 ]
done
check "the server never restarted" no_restart

echo "# $failures failures"
[ "$failures" -eq 0 ]
