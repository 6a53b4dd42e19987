#!/bin/bash
# Loads tweet files in parallel sessions:
#   load_parallel.sh [--hosts HOST:PORT,...] [-j JOBS] [-p PARTS] MODE FILE...
# JOBS sessions (default: one per CPU core, which measured faster than more)
# share the files: session k loads files k, k + JOBS, ... one after another,
# each file in a transaction of its own. One session for several files
# spares each file after its first the start of a session and the first
# call's costs in it, tens of milliseconds a file (see README). With fewer
# files than sessions, each file is split into PARTS parts (default: enough
# for every session to have one), loaded by load_tweets(..., part =>
# 'k/PARTS'): the members of an archive are shared among the sessions. A
# file that is not an archive is one member, read by its part 1.
# Prints one line per file part as it is loaded (tweets, seconds), then the
# total elapsed time. A file that fails is rolled back alone and its
# session goes on with the next: the script exits non-zero naming every
# file that failed.
# The connection comes from the libpq environment (PGHOST, PGPORT,
# PGDATABASE, PGUSER). On a Citus cluster, --hosts spreads the sessions
# over the nodes named (a host or socket directory, a colon, a port), one
# session after the other: a worker loads through Citus as the coordinator
# does.
set -euo pipefail

usage() {
    echo "usage: $0 [--hosts HOST:PORT,...] [-j JOBS] [-p PARTS] MODE FILE..." >&2
    exit 2
}

# The absolute path of $1 (the server resolves paths from its own directory).
abs_path() {
    case $1 in
        /*) printf '%s' "$1" ;;
        *) printf '%s/%s' "$(cd -- "$(dirname -- "$1")" && pwd -P)" "$(basename -- "$1")" ;;
    esac
}

# $1 as the body of an SQL string literal.
sql_quote() {
    printf '%s' "${1//\'/\'\'}"
}

hosts=()
if [ "${1:-}" = "--hosts" ]; then
    [ "$#" -ge 2 ] || usage
    IFS=, read -r -a hosts <<<"$2"
    for h in "${hosts[@]}"; do
        [[ $h =~ ^.+:[0-9]+$ ]] || { echo "$0: --hosts takes HOST:PORT,...; not \"$h\"" >&2; exit 2; }
    done
    shift 2
fi
jobs=
parts=
while getopts j:p: opt; do
    case $opt in
        j) jobs=$OPTARG ;;
        p) parts=$OPTARG ;;
        *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ "$#" -ge 2 ] || usage
mode=$1
shift
files=("$@")
jobs=${jobs:-$(nproc)}
case $jobs in
    '' | *[!0-9]* | 0) echo "$0: -j needs a positive number" >&2; exit 2 ;;
esac
if [ -z "$parts" ]; then
    parts=$(( (jobs + ${#files[@]} - 1) / ${#files[@]} ))
fi
case $parts in
    '' | *[!0-9]* | 0) echo "$0: -p needs a positive number" >&2; exit 2 ;;
esac
# The items to load, file parts in file order.
item_files=()
item_parts=()
for file in "${files[@]}"; do
    for ((k = 1; k <= parts; k++)); do
        item_files+=("$file")
        item_parts+=("$k/$parts")
    done
done
sessions=$(( jobs < ${#item_files[@]} ? jobs : ${#item_files[@]} ))

# Each session decompresses with threads of its own
# (tweet_loader.decompress_threads): as many as leave every core one
# thread, none when the sessions alone fill the cores (more threads than
# cores measured slower). TWEET_DECOMPRESS_THREADS overrides.
threads=$(( $(nproc) / sessions - 1 ))
[ "$threads" -le 2 ] || threads=2
[ "$threads" -ge 0 ] || threads=0
threads=${TWEET_DECOMPRESS_THREADS:-$threads}

results=$(mktemp "${TMPDIR:-/tmp}/load_parallel.XXXXXX")
trap 'rm -f "$results"' EXIT

# label I: item I as the output names it.
label() {
    local text=${item_files[$1]}
    [ "$parts" = 1 ] || text="$text (part ${item_parts[$1]})"
    [ "${#hosts[@]}" = 0 ] || text="$text on ${hosts[$(( $1 % sessions % ${#hosts[@]} ))]}"
    printf '%s' "$text"
}

# session K: loads items K, K + sessions, ... in one psql session; appends
# "item<TAB>tweets" to the results and prints each item's line as it ends.
# Without ON_ERROR_STOP, psql goes on with the next statement after an
# error (printed on stderr); a lost connection ends the session.
session() {
    local k=$1 i path
    if [ "${#hosts[@]}" -gt 0 ]; then
        local host=${hosts[$(( k % ${#hosts[@]} ))]}
        export PGHOST=${host%:*} PGPORT=${host##*:}
    fi
    for ((i = k; i < ${#item_files[@]}; i += sessions)); do
        path=$(abs_path "${item_files[$i]}")
        printf "SELECT %d, tweets, round(extract(epoch FROM clock_timestamp() - statement_timestamp()), 2) FROM load_tweets('%s', '%s', part => '%s');\n" \
            "$i" "$(sql_quote "$path")" "$(sql_quote "$mode")" "${item_parts[$i]}"
    done | psql -X -q -At -F $'\t' -c "SET tweet_loader.decompress_threads = $threads" -f - |
    while IFS=$'\t' read -r i tweets secs; do
        printf '%s\t%s\n' "$i" "$tweets" >>"$results"
        printf '%s\t%s tweets\t%s s\n' "$(label "$i")" "$tweets" "$secs"
    done
}

start=$EPOCHREALTIME
for ((k = 0; k < sessions; k++)); do
    session "$k" &
done
wait
elapsed=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')

declare -A tweets
while IFS=$'\t' read -r i count; do
    tweets[$i]=$count
done <"$results"
total=0
failed=()
for i in "${!item_files[@]}"; do
    if [[ ${tweets[$i]:-} =~ ^[0-9]+$ ]]; then
        total=$((total + tweets[$i]))
    else
        failed+=("$(label "$i")")
        printf '%s\tfailed\n' "$(label "$i")"
    fi
done
printf 'total\t%s tweets\t%s s elapsed (%d files, %d parts each, %d sessions, mode %s)\n' \
    "$total" "$elapsed" "${#files[@]}" "$parts" "$sessions" "$mode"

if [ "${#failed[@]}" -gt 0 ]; then
    echo "$0: ${#failed[@]} of ${#item_files[@]} loads failed:" >&2
    printf '  %s\n' "${failed[@]}" >&2
    exit 1
fi
