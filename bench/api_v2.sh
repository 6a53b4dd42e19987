#!/usr/bin/env bash
# Benchmark of Twitter API v2 input against v1.1 input of the same tweets,
# in the same run: N generated tweets (2 files) as v1.1 lines, as twarc2
# pages of up to 100 tweets (bench/to_v2.py) and as flattened tweets, each
# loaded in every mode into a fresh schema (one session for both files).
#
#   bench/api_v2.sh [--runs R] [--tweets N] [--workdir DIR]
#
# Prints one line per load (median of R runs, default 3): seconds, tweets/s
# and this form's time over v1.1's for the same tweets (below 1: faster).
# The server is the one of the libpq environment (PGHOST, PGPORT, PGUSER),
# on its own configuration; the extension must be installed. The files are
# cached in DIR (default /tmp/tweet_loader_bench_v2), which the server must
# be able to read.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=3 tweets=20000 workdir=/tmp/tweet_loader_bench_v2
while [ $# -gt 0 ]; do
    case $1 in
        --runs) runs=$2; shift ;;
        --tweets) tweets=$2; shift ;;
        --workdir) workdir=$2; shift ;;
        *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
    esac
    shift
done

mkdir -p "$workdir"
chmod 755 "$workdir"
if [ ! -f "$workdir/gen-$tweets-02.flat.jsonl" ]; then
    echo "# generating $tweets tweets and their v2 forms in $workdir"
    python3 "$root/bench/gen_tweets.py" --out "$workdir" --files 2 --tweets $((tweets / 2)) \
        --format plain --prefix "gen-$tweets" --seed 11 >/dev/null 2>&1
    for i in 01 02; do
        python3 "$root/bench/to_v2.py" "$workdir/gen-$tweets-$i.jsonl" "$workdir/gen-$tweets-$i"
    done
fi
chmod -R a+rX "$workdir"
for form in jsonl page.jsonl flat.jsonl; do
    echo "# $form: $(cat "$workdir"/gen-$tweets-0?.$form | wc -c | awk '{printf "%.1f", $1 / 1e6}') MB," \
         "$(cat "$workdir"/gen-$tweets-0?.$form | wc -l) lines"
done

q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# one MODE LAYOUT FORM: seconds of one load of both files into a fresh schema
one() {
    q -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS bench_v2 CASCADE;
          CREATE SCHEMA bench_v2; SET search_path = bench_v2, public;
          SELECT create_tweet_tables('$2')" >/dev/null
    q -c "CHECKPOINT" >/dev/null
    local t0 t1
    t0=$(date +%s.%N)
    q -c "SET search_path = bench_v2, public" \
      -c "SELECT tweets FROM load_tweets('$workdir/gen-$tweets-01.$3', '$1')" \
      -c "SELECT tweets FROM load_tweets('$workdir/gen-$tweets-02.$3', '$1')" >/dev/null
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}

printf '%-38s %8s %9s %7s\n' load seconds tweets/s "x/v1.1"
for target in denormalized:denormalized batch:normalized batch:normalized_batch \
              normalized:normalized; do
    mode=${target%%:*} layout=${target#*:}
    base=
    for form in jsonl page.jsonl flat.jsonl; do
        s=$(for r in $(seq "$runs"); do one "$mode" "$layout" "$form"; done | median)
        [ -z "$base" ] && base=$s
        label="$mode -> $layout, ${form%.jsonl}"
        [ "$form" = jsonl ] && label="$mode -> $layout, v1.1"
        printf '%-38s %8.2f %9.0f %7.2f\n' "$label" "$s" \
            "$(awk -v s="$s" -v n="$tweets" 'BEGIN { print n / s }')" \
            "$(awk -v s="$s" -v b="$base" 'BEGIN { print s / b }')"
    done
done
q -c "DROP SCHEMA IF EXISTS bench_v2 CASCADE" >/dev/null 2>&1 || true
