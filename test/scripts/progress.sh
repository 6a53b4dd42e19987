#!/usr/bin/env bash
# load_tweets reports its progress in pg_stat_progress_copy like a COPY FROM
# a file. For the modes denormalized, batch and normalized, a load of a
# generated file of 60,000 tweets (10,000 generated ones, six times over,
# as a multi-member gzip) with batch_size 100 is watched from a second
# session every 0.2 s; so is a denormalized load of the 10,000 tweets, three
# times over, as a tar of 100 bzip2 members. Every sample must show:
#
#   - relid/relname: the table being filled (tweets_jsonb for denormalized,
#     tweets for batch and normalized, not a staging table), in the load's
#     database;
#   - command 'COPY FROM', type 'FILE', bytes_total = the file's size;
#   - bytes_processed <= bytes_total, never decreasing, and growing over the
#     load;
#   - tuples_processed never decreasing, growing, a multiple of the batch
#     size (it is updated once per batch) and at most the tweets loaded;
#   - tuples_excluded never decreasing, at most skipped + bad_lines of the
#     load, and above 0 at some point (the file has non-tweet lines).
#
# At least 5 samples are needed. Once the load has returned, while its
# session is still open, the view has no row for that session.
#
# Needs a running server (PGHOST/PGPORT/PGUSER of a superuser) with the
# extension installed, as scripts/test.sh provides. Runs from the repository
# root; takes about a minute. PROGRESS_TWEETS changes the 10,000.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

batch_size=100
copies=6
. "$root/test/check.sh"
scratch tweet_loader_progress

echo "generating ${PROGRESS_TWEETS:-10000} tweets, $copies times over"
python3 bench/gen_tweets.py --out "$tmp" --files 1 \
  --tweets "${PROGRESS_TWEETS:-10000}" --format gz --prefix progress --seed 7 \
  >"$tmp/gen.log" 2>&1 || { cat "$tmp/gen.log"; exit 1; }
file=$tmp/progress.jsonl.gz
for _ in $(seq "$copies"); do cat "$tmp/progress-01.jsonl.gz"; done >"$file"
# The same tweets three times over, as a tar of 100 bzip2 members (like the
# stream grab): long enough a load for 5 samples.
gzip -dc "$tmp/progress-01.jsonl.gz" >"$tmp/progress.jsonl"
python3 bench/make_stream_grab.py --out "$tmp/progress.tar" --minutes 100 \
  --compress bz2 --messages "$tmp/progress.jsonl" "$tmp/progress.jsonl" \
  "$tmp/progress.jsonl" >/dev/null || exit 1
chmod 644 "$tmp/progress.tar"
rm "$tmp/progress-01.jsonl.gz" "$tmp/progress.jsonl"
chmod 644 "$file"
size=$(stat -c %s "$file")
echo "file: $file, $size bytes"

# watch LAYOUT MODE TABLE: loads the file in a fresh database and checks the
# samples of pg_stat_progress_copy taken meanwhile.
watch() {
  local layout=$1 mode=$2 table=$3
  local db=tweet_loader_progress_$layout app=tweet_loader_progress_$mode
  local samples=$tmp/$mode.samples result=$tmp/$mode.result
  scratch_dbs+=("$db")
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null
  psql -X -q -d postgres -c "CREATE DATABASE $db" &&
    psql -X -q -d "$db" -v ON_ERROR_STOP=1 \
      -c "SET client_min_messages = warning" \
      -c "CREATE EXTENSION tweet_loader CASCADE" \
      -c "SELECT create_tweet_tables('$layout')" >/dev/null || return 1
  local relid
  relid=$(psql -X -At -d "$db" -c "SELECT '$table'::regclass::oid")

  # The load, then 2 s more in the same session: the view must be empty
  # for the session by then.
  PGAPPNAME=$app psql -X -At -F ' ' -d "$db" -v ON_ERROR_STOP=1 \
    -c "SELECT tweets, skipped, bad_lines FROM load_tweets('$file', '$mode', $batch_size)" \
    -c "SELECT pg_sleep(2)" >"$result" 2>"$tmp/$mode.err" &
  local loader=$!
  bg_pids+=("$loader")

  # One line per poll, from the load's database (relid::regclass resolves
  # there): whether the session is still in load_tweets, then the progress
  # row of the session if there is one.
  : >"$samples"
  while kill -0 "$loader" 2>/dev/null; do
    psql -X -At -F '|' -d "$db" -c "
      SELECT a.query LIKE '%load_tweets%', p.relid, p.relid::regclass,
             p.datname, p.command, p.type, p.bytes_total, p.bytes_processed,
             p.tuples_processed, p.tuples_excluded
      FROM pg_stat_activity a LEFT JOIN pg_stat_progress_copy p USING (pid)
      WHERE a.application_name = '$app' AND a.state = 'active'" \
      >>"$samples" 2>/dev/null
    sleep 0.2
  done
  wait "$loader" || { cat "$tmp/$mode.err"; return 1; }

  python3 - "$samples" "$result" "$relid" "$table" "$db" "$size" \
    "$batch_size" <<'PY'
import sys

samples_path, result_path, relid, table, db, size, batch = sys.argv[1:]
size, batch = int(size), int(batch)
tweets, skipped, bad = map(int, open(result_path).read().split()[:3])
loading, after = [], []
for line in open(samples_path):
    f = line.rstrip("\n").split("|")
    (after, loading)[f[0] == "t"].append(f[1:])
rows = [r for r in loading if r[0]]
errors = []
# Before pgstat_progress_start_command (checks, opening the tables) and
# after pgstat_progress_end_command (building the result) the session is
# in load_tweets without a progress row; in between the row must be there.
have = [bool(r[0]) for r in loading]
if any(have):
    inner = have[have.index(True):len(have) - have[::-1].index(True)]
    if not all(inner):
        errors.append("the progress row vanished during the load: %s"
                      % "".join("x" if h else "-" for h in have))
print("    %s: %d tweets, %d skipped, %d bad lines; %d samples with a "
      "progress row, %d without during the load, %d after it"
      % (table, tweets, skipped, bad, len(rows), len(loading) - len(rows),
         len(after)))
if len(rows) < 5:
    errors.append("only %d samples with a progress row" % len(rows))
prev = None
for r in rows:
    r_relid, relname, datname, command, typ = r[:5]
    total, done, processed, excluded = map(int, r[5:])
    want = (relid, table, db, "COPY FROM", "FILE", size)
    got = (r_relid, relname, datname, command, typ, total)
    if got != want:
        errors.append("sample %s, expected %s" % (got, want))
    if done > total:
        errors.append("bytes_processed %d > bytes_total %d" % (done, total))
    if processed % batch or processed > tweets:
        errors.append("tuples_processed %d: not a multiple of %d or above %d"
                      % (processed, batch, tweets))
    if excluded > skipped + bad:
        errors.append("tuples_excluded %d > %d" % (excluded, skipped + bad))
    if prev and (done < prev[0] or processed < prev[1] or excluded < prev[2]):
        errors.append("a counter went down: %s then %s"
                      % (prev, (done, processed, excluded)))
    prev = (done, processed, excluded)
if rows:
    first, last = rows[0], rows[-1]
    print("    first sample: bytes %s/%s, tuples %s, excluded %s"
          % (first[6], first[5], first[7], first[8]))
    print("    last sample:  bytes %s/%s, tuples %s, excluded %s"
          % (last[6], last[5], last[7], last[8]))
    for i, name in ((6, "bytes_processed"), (7, "tuples_processed")):
        if not int(last[i]) > int(first[i]):
            errors.append("%s did not grow" % name)
    if max(int(r[8]) for r in rows) == 0:
        errors.append("tuples_excluded never counted a skipped line")
if not after:
    errors.append("no sample after the load, in the same session")
if any(r[0] for r in after):
    errors.append("a progress row remains after the load: %s" % after)
for e in errors[:10]:
    print("    " + e)
sys.exit(1 if errors else 0)
PY
}

check "denormalized: pg_stat_progress_copy shows the load into tweets_jsonb" \
  watch denormalized denormalized tweets_jsonb
check "batch: pg_stat_progress_copy shows the load into tweets" \
  watch normalized_batch batch tweets
check "normalized: pg_stat_progress_copy shows the load into tweets" \
  watch normalized normalized tweets

# An archive: bytes_processed counts the bytes of the tar read, with the
# members decompressed by the threads.
file=$tmp/progress.tar
size=$(stat -c %s "$file")
echo "file: $file, $size bytes"
check "denormalized, a tar of bzip2 members: pg_stat_progress_copy counts the archive's bytes" \
  watch denormalized denormalized tweets_jsonb

echo
if [ "$failures" -gt 0 ]; then
  echo "progress: $failures check(s) failed"
  exit 1
fi
echo "progress: all checks passed"
