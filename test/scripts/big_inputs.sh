#!/usr/bin/env bash
# Inputs at the edges of size:
#
#   1. A line nested 100,000 levels deep (inside a tweet, as a bare array,
#      and as objects in objects): a clear error (54001, "nested deeper than
#      200 levels") in every mode, no crash; with on_error => 'skip' the
#      lines around it load. The postmaster does not restart: same
#      pg_postmaster_start_time(), and an idle sentinel session survives.
#   2. A single line of ~100 MB, a valid tweet whose text is 100,000,000
#      characters: loads in the denormalized and the batch mode, and the text
#      comes back whole (it is within the limits: a jsonb string may hold up
#      to 256 MB, a text value 1 GB). A tweet with a ~100 MB member the
#      mapping does not read loads in the batch mode.
#   3. 1,000,000 tweets (8 real lines of ../shared/realdata repeated with
#      new ids, 2.5 GB, gzipped) stream through the batch mode into the
#      normalized_batch layout in bounded memory: the backend's private
#      memory (RssAnon of /proc/<pid>/status, sampled while it loads) peaks
#      below 300 MB. VmHWM is printed and must stay below 300 MB plus
#      shared_buffers: it also counts the shared buffer pages the backend
#      touched, up to all of shared_buffers (512 MB on the test server).
#   4. batch_size 100000 in the denormalized mode, 40,000 tweets: private
#      memory peaks below 120 MB (a batch is written once it holds 32 MB).
#
# BIG_INPUTS_TWEETS=300000 makes part 3 smaller (default 1000000).
#
# Needs a running server (PGHOST/PGPORT/PGUSER of a superuser) with the
# extension installed, as scripts/test.sh provides. Runs from the repository
# root; takes about 2 minutes on 2 cores (most of it the 1,000,000 tweets).
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

. "$root/test/check.sh"

db=tweet_loader_big_inputs
export PGDATABASE=$db
scratch tweet_loader_big
scratch_dbs+=("$db")
realdata=$root/../shared/realdata/insight-geo-stream-2015-11-11.jsonl.gz
n_tweets=${BIG_INPUTS_TWEETS:-1000000}

q() {  # q SQL: one value, no decoration
  psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"
}

within() { [ "$1" -lt "$2" ]; }
output_has() { grep -q -- "$1" "$tmp/load.out"; }
deep_error() {  # deep_error FILE: the error of line 2, and its context
  output_has "ERROR:  54001: invalid tweet at line 2: JSON value is nested deeper than 200 levels" &&
    output_has "CONTEXT:  load_tweets file \"$1\", line 2"
}

echo "# setting up database $db in $tmp"
create_layout_db "$db" b || exit 1

truncate_all() {
  q "TRUNCATE b_denormalized.tweets_jsonb;
     TRUNCATE b_normalized.tweets, b_normalized.users, b_normalized.urls,
              b_normalized.tweet_urls, b_normalized.tweet_mentions,
              b_normalized.tweet_tags, b_normalized.tweet_media;
     TRUNCATE b_batch.tweets, b_batch.users, b_batch.tweet_urls,
              b_batch.tweet_mentions, b_batch.tweet_tags, b_batch.tweet_media" >/dev/null
}

# load MODE FILE [ON_ERROR]: one load, its output (verbose errors) in load.out.
load() {
  psql -X -q -At -F ' ' -v VERBOSITY=verbose -c "SET search_path = b_$1, public" \
    -c "SELECT tweets, skipped, bad_lines FROM load_tweets('$2', '$1', on_error => '${3:-stop}')" \
    >"$tmp/load.out" 2>&1
}

start_time=$(q "SELECT pg_postmaster_start_time()")
PGAPPNAME=tweet_big_sentinel psql -X -q -c "SELECT pg_sleep(3600)" >/dev/null 2>&1 &
bg_pids+=("$!")
sentinel=
for i in $(seq 1 100); do
  sentinel=$(q "SELECT pid FROM pg_stat_activity
                WHERE application_name = 'tweet_big_sentinel' AND state = 'active'")
  [ -n "$sentinel" ] && break
  sleep 0.05
done
no_restart() {
  [ "$(q "SELECT pg_postmaster_start_time()")" = "$start_time" ] &&
  [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE pid = ${sentinel:-0}")" = 1 ]
}

# Small tweets for the files below.
python3 - "$tmp" <<'PY' || exit 1
import json, os, sys
out = sys.argv[1]
depth = 100000

def tweet(n, **extra):
    t = {"created_at": "Fri Jan 01 00:00:%02d +0000 2021" % n, "id": n,
         "user": {"id": 100 + n, "screen_name": "user%d" % n}, "text": "tweet %d" % n}
    t.update(extra)
    return json.dumps(t, ensure_ascii=False, separators=(",", ":"))

def write(name, lines):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        for line in lines:
            f.write(line)
            f.write("\n")

deep_arrays = "[" * depth + "]" * depth
deep_objects = '{"a":' * depth + "1" + "}" * depth
write("deep_in_tweet.jsonl", [tweet(1), tweet(2)[:-1] + ',"deep":' + deep_arrays + "}", tweet(3)])
write("deep_array.jsonl", [tweet(1), deep_arrays, tweet(3)])
write("deep_objects.jsonl", [tweet(1), deep_objects, tweet(3)])

# A text of 100,000,000 characters: ASCII words with an accented letter
# now and then (10 characters, 11 bytes, per piece).
piece = "tweet é ok"
text = piece * 10000000
write("huge_text.jsonl", [tweet(1), tweet(2, text=text), tweet(3)])
write("huge_unused.jsonl", [tweet(1), tweet(2, padding=text), tweet(3)])
PY
chmod 644 "$tmp"/*.jsonl

#
# 1. Deep nesting.
#
for f in deep_in_tweet deep_array deep_objects; do
  for mode in denormalized normalized batch; do
    load "$mode" "$tmp/$f.jsonl"
    check "$f, $mode: error 54001 at line 2, nested deeper than 200 levels" \
      deep_error "$tmp/$f.jsonl" ||
      head -c 600 "$tmp/load.out"
  done
  load batch "$tmp/$f.jsonl" skip
  check "$f, batch, on_error => 'skip': 2 tweets load, 1 bad line" output_has "^2 0 1$" ||
    head -c 600 "$tmp/load.out"
done
check "no rows but the 6 of the skip loads" \
  test "$(q "SELECT (SELECT count(*) FROM b_denormalized.tweets_jsonb) + (SELECT count(*) FROM b_normalized.tweets) + (SELECT count(*) FROM b_batch.tweets)")" = 6
check "the postmaster did not restart (start time $start_time, sentinel $sentinel alive)" no_restart
truncate_all

#
# 2. One line of ~100 MB.
#
echo "# huge_text.jsonl: $(du -m "$tmp/huge_text.jsonl" | cut -f1) MB, line 2 is $(sed -n 2p "$tmp/huge_text.jsonl" | wc -c) bytes"
for mode in denormalized batch; do
  t0=$(now)
  load "$mode" "$tmp/huge_text.jsonl"
  check "huge_text, $mode: 3 tweets load in $(elapsed_ms "$t0" "$(now)") ms" output_has "^3 0 0$" ||
    head -c 600 "$tmp/load.out"
  check "huge_text, $mode: the text of tweet 2 comes back whole (100000000 characters, 110000000 bytes)" \
    test "$(q "SELECT length(text) || ' ' || octet_length(text) || ' ' || (text = repeat('tweet é ok', 10000000))
               FROM b_$mode.tweets WHERE id_tweets = 2")" = "100000000 110000000 true"
done
t0=$(now)
load batch "$tmp/huge_unused.jsonl"
check "huge_unused, batch: 3 tweets load in $(elapsed_ms "$t0" "$(now)") ms" output_has "^3 0 0$" ||
  head -c 600 "$tmp/load.out"
check "the postmaster did not restart" no_restart
truncate_all
rm -f "$tmp"/huge_*.jsonl

#
# 3. 1,000,000 tweets in bounded memory.
#
t0=$(now)
python3 - "$realdata" "$n_tweets" <<'PY' | gzip -1 >"$tmp/million.jsonl.gz" || exit 1
import gzip, io, json, sys
src, n = sys.argv[1], int(sys.argv[2])
rests = []  # tweets without their id, as the text after '{'
for raw in gzip.open(src):
    t = json.loads(raw)
    if "id" not in t or "user" not in t:
        continue  # {"limit": ...}
    del t["id"]
    t.pop("id_str", None)
    rests.append(json.dumps(t, ensure_ascii=False, separators=(",", ":"))[1:].encode() + b"\n")
    if len(rests) == 8:
        break
out = io.BufferedWriter(io.FileIO(sys.stdout.fileno(), "w", closefd=False), 1 << 20)
base = 10 ** 17
for i in range(n):
    out.write(b'{"id":%d,"id_str":"%d",' % (base + i, base + i))
    out.write(rests[i % len(rests)])
out.flush()
PY
chmod 644 "$tmp/million.jsonl.gz"
echo "# million.jsonl.gz: $(du -m "$tmp/million.jsonl.gz" | cut -f1) MB gzipped, made in $(elapsed_ms "$t0" "$(now)") ms"

# Runs the SQL $2 in the schema $1 in the background, sampling the
# backend's /proc status every 0.2 s until it ends: sets peak_anon, peak_rss,
# hwm (kB), samples and ms; the output is in $tmp/load.out.
load_sampled() {
  local t0 load_pid backend=
  t0=$(now)
  PGAPPNAME=tweet_big_load psql -X -q -At -F ' ' -c "SET search_path = $1, public" \
    -c "$2" >"$tmp/load.out" 2>&1 &
  load_pid=$!
  bg_pids+=("$load_pid")
  for i in $(seq 1 200); do
    backend=$(q "SELECT pid FROM pg_stat_activity WHERE application_name = 'tweet_big_load'")
    [ -n "$backend" ] && break
    sleep 0.05
  done
  peak_anon=0; peak_rss=0; hwm=0; samples=0
  while kill -0 "$load_pid" 2>/dev/null && [ -n "$backend" ] && [ -r "/proc/$backend/status" ]; do
    read -r anon rss h < <(awk '/^RssAnon:/ { a = $2 } /^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 }
                                END { print a + 0, r + 0, h + 0 }' "/proc/$backend/status" 2>/dev/null)
    [ "${anon:-0}" -gt "$peak_anon" ] && peak_anon=$anon
    [ "${rss:-0}" -gt "$peak_rss" ] && peak_rss=$rss
    [ "${h:-0}" -gt "$hwm" ] && hwm=$h
    samples=$((samples + 1))
    sleep 0.2
  done
  wait "$load_pid"
  ms=$(elapsed_ms "$t0" "$(now)")
}

load_sampled b_batch "SELECT tweets, skipped, bad_lines FROM load_tweets('$tmp/million.jsonl.gz', 'batch')"
shared_kb=$(q "SELECT setting::bigint * 8 FROM pg_settings WHERE name = 'shared_buffers'")
check "million: $n_tweets tweets load in $ms ms" output_has "^$n_tweets 0 0$" || head -c 600 "$tmp/load.out"
check "million: peak RssAnon $((peak_anon / 1024)) MB over $samples samples (< 300 MB)" \
  test "$samples" -gt 0 -a "$peak_anon" -lt $((300 * 1024))
check "million: VmHWM $((hwm / 1024)) MB, peak VmRSS $((peak_rss / 1024)) MB (< 300 MB + shared_buffers $((shared_kb / 1024)) MB)" \
  within "$hwm" $((300 * 1024 + shared_kb))
check "million: the tables hold $n_tweets tweets" \
  test "$(q "SELECT count(*) FROM b_batch.tweets")" = "$n_tweets"
check "the postmaster did not restart" no_restart
truncate_all

#
# 4. The largest batch_size does not take memory with it: a batch is written
#    early once its rows hold 32 MB. 40,000 denormalized tweets in one batch
#    would hold about 300 MB.
#
n_one_batch=$((n_tweets < 40000 ? n_tweets : 40000))
zcat "$tmp/million.jsonl.gz" | head -n "$n_one_batch" | gzip -1 >"$tmp/one_batch.jsonl.gz"
chmod 644 "$tmp/one_batch.jsonl.gz"
rm -f "$tmp/million.jsonl.gz"
load_sampled b_denormalized "SELECT tweets FROM load_tweets('$tmp/one_batch.jsonl.gz', 'denormalized', batch_size => 100000)"
check "batch_size 100000: $n_one_batch tweets load in $ms ms" output_has "^$n_one_batch$" || head -c 600 "$tmp/load.out"
check "batch_size 100000: peak RssAnon $((peak_anon / 1024)) MB over $samples samples (< 120 MB)" \
  test "$samples" -gt 0 -a "$peak_anon" -lt $((120 * 1024))
check "the postmaster did not restart" no_restart

echo
if [ "$failures" -gt 0 ]; then
  echo "big_inputs: $failures check(s) failed"
  exit 1
fi
echo "big_inputs: all checks passed"
