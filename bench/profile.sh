#!/usr/bin/env bash
# Where the time of one load goes: records the backend with perf while it
# loads one file, and prints the share of its CPU samples in each part
# (reading, parsing, mapping, jsonb, lz4, tuples, heap, indexes, WAL, the
# normalized merge).
#
#   bench/profile.sh LAYOUT MODE [FILE]
#   bench/profile.sh normalized batch
#   bench/profile.sh denormalized denormalized /data/day.jsonl.zip
#
# LAYOUT is a create_tweet_tables layout, MODE a load_tweets mode. Without
# FILE, one file of 10,000 generated tweets (the benchmark's kind) is made
# once in the work folder. The load goes into a fresh database, profile_run,
# on the benchmark's stock server (TWEET_BENCH_PGDATA, default
# /tmp/tweet_loader_bench/pgdata-stock), started if needed. Needs perf (Debian:
# linux-perf) and the right to record the server's processes (root, or
# kernel.perf_event_paranoid <= 1 as the server's owner). The call stacks are
# unwound from DWARF, which costs time: the shares count, not the seconds.
set -euo pipefail

cd "$(dirname "$0")/.."
die() { echo "profile.sh: $*" >&2; exit 1; }
[ $# -ge 2 ] && [ $# -le 3 ] || die "usage: bench/profile.sh LAYOUT MODE [FILE]"
layout=$1 mode=$2 file=${3:-}
case $layout in denormalized | normalized | normalized_batch) ;; *) die "unknown layout $layout" ;; esac
case $mode in denormalized | normalized | batch) ;; *) die "unknown mode $mode" ;; esac
command -v perf >/dev/null || die "perf is missing (apt-get install linux-perf)"

workdir=${TWEET_BENCH_WORKDIR:-/tmp/tweet_loader_bench}
if [ -z "$file" ]; then
    file=$workdir/profile/geoTwitter21-01.jsonl.zip
    if [ ! -f "$file" ]; then
        mkdir -p "$workdir/profile"
        python3 bench/gen_tweets.py --out "$workdir/profile" --files 1 \
            --tweets 10000 --format zip --seed 1 --prefix geoTwitter21 \
            --no-literal-backslash >"$workdir/profile/gen.log" 2>&1 ||
            { cat "$workdir/profile/gen.log" >&2; die "the generator failed"; }
        chmod a+x "$workdir"
        chmod -R a+rX "$workdir/profile"
    fi
fi
[ -r "$file" ] || die "cannot read $file"
case $file in /*) ;; *) file=$PWD/$file ;; esac

export TWEET_PGDATA=${TWEET_BENCH_PGDATA:-$workdir/pgdata-stock}
[ -f "$TWEET_PGDATA/PG_VERSION" ] || export TWEET_PG_STOCK=1
server_env=$(scripts/pg_server.sh start) ||
    die "the server did not start, see $TWEET_PGDATA/server.log"
eval "$server_env"
PATH=$(pg_config --bindir):$PATH
PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists profile_run
createdb profile_run
psql -X -q -v ON_ERROR_STOP=1 -d profile_run \
    -c "SET client_min_messages = warning" \
    -c "CREATE EXTENSION tweet_loader CASCADE" \
    -c "SELECT create_tweet_tables('$layout')" >/dev/null

data=$(mktemp /tmp/tweet_loader_profile.XXXXXX)
trap 'rm -f "$data" "$data.pid"' EXIT
# One session: its libraries are loaded first, so that perf records the load
# alone; perf starts once the session knows its backend's pid.
lit=${file//\'/\'\'}
psql -X -q -At -v ON_ERROR_STOP=1 -d profile_run <<SQL
LOAD 'tweet_loader';
LOAD '\$libdir/postgis-3';
SELECT pg_backend_pid() AS pid \gset
\setenv PROFILE_PID :pid
\! perf record -q -o '$data' --call-graph dwarf,16384 -F 1000 -p "\$PROFILE_PID" 2>/dev/null & echo \$! >'$data.pid'; sleep 1
\timing on
SELECT format('loaded %s tweet lines (under perf)', tweets) FROM load_tweets('$lit', '$mode');
\! kill -INT "\$(cat '$data.pid')"; while kill -0 "\$(cat '$data.pid')" 2>/dev/null; do sleep 0.1; done
SQL

# The parts, in order: a sample goes to the first part that a function of
# its call stack matches (name=regular expression).
parts=(
    "reading and decompression (inflate, CRC)=isal_|inflate|crc32|adler32|ZipArchive|GzipStream|MemberSource|ReadAhead"
    "lines (splitting, UTF-8 check)=LineReader"
    "JSON parsing (JsonTree)=JsonTree::(parse|add|close_container)"
    "mapping to a tweet (TreeView, times, geo)=parse_tweet|map_tweet|TreeView|twitter_time|Geo|JsonTree"
    "jsonb encoding (JsonbEncoder)=JsonbEncoder"
    "lz4 compression=LZ4_|lz4"
    "WAL (records, flushes)=XLogInsert|XLogRegister|XLogFlush|XLogWrite|XLogBackgroundFlush|issue_xlog_fsync"
    "index upkeep=ExecInsertIndexTuples|^index_insert|^gist|^gin[a-z_]|^_bt_|^bt[a-z]"
    "building tuples=heap_form_tuple|ExecFetchSlotHeapTuple|heap_fill_tuple|heap_compute_data_size|ExecCopySlot|^tts_"
    "heap inserts (pages, buffers, extension)=heap_multi_insert|^heap_insert|RelationGetBufferForTuple|ReadBuffer|smgrextend|smgrwrite|FlushBuffer"
    "row values (datums, arrays)=table_writer|tweet_rows|Datum|construct_md_array|cstring_to_text"
    "staging tables (create, empty)=staging_create|staging_empty|heap_truncate|ProcessUtility|heap_create|RemoveRelations|DropRelFileNode"
    "normalized merge (sorts, joins, scans)=staging_merge|SPI_|ExecutorRun|ExecProcNode|^Exec|tuplesort|qsort|hash"
    "commit, everything else=."
)
perf script -i "$data" 2>/dev/null |
awk -v parts="$(printf '%s\n' "${parts[@]}")" '
BEGIN {
    n = split(parts, lines, "\n")
    for (i = 1; i <= n; i++) {
        eq = index(lines[i], "=")
        name[i] = substr(lines[i], 1, eq - 1)
        re[i] = substr(lines[i], eq + 1)
    }
}
function flush(   i, k) {
    if (depth == 0) return
    total++
    for (i = 1; i <= n; i++)
        for (k = 1; k <= depth; k++)
            if (frame[k] ~ re[i]) { count[i]++; depth = 0; return }
    depth = 0
}
# A frame: "  address symbol+offset (library)".
/^[ \t]+[0-9a-f]+ / {
    f = $0
    sub(/^[ \t]+[0-9a-f]+ /, "", f)
    sub(/ \([^()]*\)$/, "", f)
    frame[++depth] = f
    next
}
/^[ \t]*$/ { flush() }
END {
    flush()
    if (total == 0) { print "perf recorded no samples" > "/dev/stderr"; exit 1 }
    printf "%-46s %6s\n", "part (" total " samples)", "share"
    for (i = 1; i <= n; i++)
        printf "%-46s %5.1f %%\n", name[i], 100 * count[i] / total
}'
