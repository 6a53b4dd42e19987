#!/usr/bin/env bash
# Benchmark of archive loads: 100,000 generated tweets as one tar of 1,440
# bzip2 minute members (a day of the stream grab), against the pipeline a
# user would write for it, in the same run:
#
#   tar -xOf day.tar --wildcards '*.bz2' | bzip2 -dc | sed 's/\\u0000//g' |
#     psql -c "COPY tweets_jsonb (data) FROM STDIN ..."
#
# and against the same tweets as one .jsonl.bz2 stream and as 10 zip files.
# Every load goes into a fresh database, denormalized layout unless said.
#
#   bench/archives.sh [--runs R] [--tweets N] [--members M] [--workdir DIR]
#
# Prints one line per measurement (median of R runs, default 3): seconds,
# tweets/s, and the ratio to the user's pipeline of the same run. The
# server is the one of the libpq environment (PGHOST, PGPORT, PGUSER), on its
# own configuration; the extension must be installed. The files are cached
# in DIR (default /tmp/tweet_loader_bench_archives), which the server must
# be able to read.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=3 tweets=100000 members=1440 workdir=/tmp/tweet_loader_bench_archives
while [ $# -gt 0 ]; do
    case $1 in
        --runs) runs=$2; shift ;;
        --tweets) tweets=$2; shift ;;
        --members) members=$2; shift ;;
        --workdir) workdir=$2; shift ;;
        *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
    esac
    shift
done

SED_EXPR='s/\\u0000//g'
COPY_SQL="COPY tweets_jsonb (data) FROM STDIN csv quote e'\\x01' delimiter e'\\x02'"

# ------------------------------------------------------------------- files
mkdir -p "$workdir"
chmod 755 "$workdir"
key="t$tweets-m$members"
day=$workdir/day-$key.tar
if [ ! -f "$day" ]; then
    echo "# generating $tweets tweets in $workdir"
    rm -f "$workdir"/gen-*
    per=$((tweets / 10))
    python3 "$root/bench/gen_tweets.py" --out "$workdir" --files 10 --tweets "$per" \
        --format plain --prefix gen --seed 7 --no-literal-backslash >/dev/null
    python3 "$root/bench/make_stream_grab.py" --out "$day.tmp" --minutes "$members" \
        --compress bz2 --messages --lines "$workdir/day-$key.jsonl" "$workdir"/gen-*.jsonl
    bzip2 -c "$workdir/day-$key.jsonl" >"$workdir/day-$key.jsonl.bz2"
    python3 "$root/bench/make_stream_grab.py" --out "$workdir/plain-$key.tar" \
        --minutes "$members" --compress none --messages "$workdir"/gen-*.jsonl >/dev/null
    rm -rf "$workdir/zip-$key" && mkdir "$workdir/zip-$key"
    for f in "$workdir"/gen-*.jsonl; do
        (cd "$workdir" && zip -q -j "zip-$key/$(basename "$f").zip" "$(basename "$f")")
    done
    mv "$day.tmp" "$day"
fi
chmod -R a+rX "$workdir"
single=$workdir/day-$key.jsonl.bz2
plain_tar=$workdir/plain-$key.tar
plain_lines=$workdir/day-$key.jsonl
zips=("$workdir/zip-$key"/*.zip)
json_mb=$(( $(stat -c %s "$workdir/day-$key.jsonl") / 1000000 ))
echo "# $tweets tweets, $json_mb MB of JSON: $(basename "$day") ($(( $(stat -c %s "$day") / 1000000 )) MB, $members members), $(basename "$single"), ${#zips[@]} zip files"

# ------------------------------------------------------------------ loads
db=tweet_loader_bench_archives
fresh_db() {
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
    psql -X -q -d postgres -c "CREATE DATABASE $db" >/dev/null
    psql -X -q -d "$db" -c "SET client_min_messages = warning" \
        -c "CREATE EXTENSION tweet_loader CASCADE" \
        -c "SELECT create_tweet_tables('$1')" >/dev/null
    psql -X -q -d "$db" -c "CHECKPOINT" >/dev/null
}
load_sql() {  # load_sql SQL: one session
    psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "$1" >/dev/null
}
lit() { printf '%s' "${1//\'/\'\'}"; }

declare -A secs
measure() {  # measure NAME LAYOUT COMMAND...: the seconds of COMMAND
    local name=$1 layout=$2
    shift 2
    fresh_db "$layout"
    local t0=$EPOCHREALTIME
    "$@"
    local t1=$EPOCHREALTIME
    secs[$name]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') "
}

pipeline() {
    tar -xOf "$day" --wildcards '*.bz2' | bzip2 -dc | sed "$SED_EXPR" |
        psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "$COPY_SQL" >/dev/null
}
decompress_only() { tar -xOf "$day" --wildcards '*.bz2' | bzip2 -dc >/dev/null; }
tar_one() { load_sql "SET tweet_loader.decompress_threads = ${2:-2}; SELECT load_tweets('$(lit "$day")', '$1')"; }
tar_parts() {  # tar_parts MODE N
    local k pids=()
    for ((k = 1; k <= $2; k++)); do
        load_sql "SELECT load_tweets('$(lit "$day")', '$1', part => '$k/$2')" &
        pids+=("$!")
    done
    for k in "${pids[@]}"; do wait "$k"; done
}
single_one() { load_sql "SELECT load_tweets('$(lit "${1:-$single}")', 'denormalized')"; }
zips_seq() {
    local sql="" f
    for f in "${zips[@]}"; do sql+="SELECT load_tweets('$(lit "$f")', 'denormalized');"; done
    load_sql "$sql"
}
zips_par() {
    local f pids=()
    local half=$(( ${#zips[@]} / 2 ))
    local a="" b=""
    for f in "${zips[@]:0:$half}"; do a+="SELECT load_tweets('$(lit "$f")', 'denormalized');"; done
    for f in "${zips[@]:$half}"; do b+="SELECT load_tweets('$(lit "$f")', 'denormalized');"; done
    load_sql "$a" & pids+=("$!")
    load_sql "$b" & pids+=("$!")
    for f in "${pids[@]}"; do wait "$f"; done
}

names=(pipeline decompress tar tar_no_thread tar_1_thread tar_2_parts single_bz2 plain_tar plain_lines zips zips_2_sessions
       batch_tar batch_tar_2_parts)
for ((r = 1; r <= runs; r++)); do
    echo "# run $r of $runs"
    measure pipeline denormalized pipeline
    measure decompress denormalized decompress_only
    measure tar denormalized tar_one denormalized
    measure tar_no_thread denormalized tar_one denormalized 0
    measure tar_1_thread denormalized tar_one denormalized 1
    measure tar_2_parts denormalized tar_parts denormalized 2
    measure single_bz2 denormalized single_one
    measure plain_tar denormalized single_one "$plain_tar"
    measure plain_lines denormalized single_one "$plain_lines"
    measure zips denormalized zips_seq
    measure zips_2_sessions denormalized zips_par
    measure batch_tar normalized_batch tar_one batch
    measure batch_tar_2_parts normalized_batch tar_parts batch 2
done
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
base=$(echo "${secs[pipeline]}" | median)
printf '%-18s %8s %10s %8s   %s\n' measurement seconds tweets/s ratio "runs"
for n in "${names[@]}"; do
    m=$(echo "${secs[$n]}" | median)
    printf '%-18s %8.2f %10.0f %8.2f   %s\n' "$n" "$m" \
        "$(awk -v t="$tweets" -v s="$m" 'BEGIN { print t / s }')" \
        "$(awk -v a="$m" -v b="$base" 'BEGIN { print a / b }')" "${secs[$n]}"
done
pt=$(echo "${secs[plain_tar]}" | median)
pl=$(echo "${secs[plain_lines]}" | median)
awk -v t="$pt" -v s="$pl" -v m="$members" 'BEGIN {
    printf "per member, uncompressed: %.2f ms (tar of plain members - the same lines as one file = %.2f s over %d members)\n", (t - s) * 1000 / m, t - s, m }'
tar_s=$(echo "${secs[tar]}" | median)
single_s=$(echo "${secs[single_bz2]}" | median)
two_s=$(echo "${secs[tar_2_parts]}" | median)
awk -v t="$tar_s" -v s="$single_s" -v m="$members" -v p="$two_s" 'BEGIN {
    printf "per member: %.2f ms beyond its lines (tar - single stream = %.2f s over %d members)\n", (t - s) * 1000 / m, t - s, m
    printf "2 parts: %.2fx the speed of 1\n", t / p }'
