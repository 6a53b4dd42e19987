#!/bin/bash
# Loads tweet files in parallel, one psql session per file, with GNU parallel:
#   load_parallel.sh [--hosts HOST:PORT,...] [-j JOBS] [-p PARTS] MODE FILE...
# JOBS defaults to the number of CPU cores (GNU parallel's own default),
# which measured faster than all files at once (see README). With fewer
# files than jobs, each file is split into PARTS parts (default: enough for
# every job to have one), loaded by load_tweets(..., part => 'k/PARTS'):
# the members of an archive are shared among the sessions. A file that is
# not an archive is one member, read by its part 1. Shows parallel's
# progress bar when stdout is a terminal, keeps a job log (its path is
# printed), then prints one line per job (tweets, seconds) and the total
# elapsed time. Exits non-zero naming every job that failed.
# The connection comes from the libpq environment (PGHOST, PGPORT,
# PGDATABASE, PGUSER). On a Citus cluster, --hosts spreads the sessions
# over the nodes named (a host or socket directory, a colon, a port), one
# job after the other: a worker loads through Citus as the coordinator does.
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

# Worker mode, run by parallel for each file part: prints the tweets loaded.
if [ "${1:-}" = "--one" ]; then
    [ "$#" -eq 5 ] || usage
    path=$(abs_path "$3")
    if [ "$5" != - ]; then
        export PGHOST=${5%:*} PGPORT=${5##*:}
    fi
    exec psql -X -q -At -v ON_ERROR_STOP=1 \
        ${TWEET_DECOMPRESS_THREADS:+-c "SET tweet_loader.decompress_threads = $TWEET_DECOMPRESS_THREADS"} \
        -c "SELECT tweets FROM load_tweets('$(sql_quote "$path")', '$(sql_quote "$2")', part => '$4')"
fi

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
# One job per file part, in file order.
job_files=()
job_parts=()
job_hosts=()
for file in "${files[@]}"; do
    for ((k = 1; k <= parts; k++)); do
        job_files+=("$file")
        job_parts+=("$k/$parts")
        if [ ${#hosts[@]} -gt 0 ]; then
            job_hosts+=("${hosts[$(( (${#job_hosts[@]}) % ${#hosts[@]} ))]}")
        else
            job_hosts+=(-)
        fi
    done
done

# Each session decompresses with threads of its own
# (tweet_loader.decompress_threads): as many as leave every core one
# thread, none when the sessions alone fill the cores (more threads than
# cores measured slower). TWEET_DECOMPRESS_THREADS overrides.
running=$(( jobs < ${#job_files[@]} ? jobs : ${#job_files[@]} ))
threads=$(( $(nproc) / running - 1 ))
[ "$threads" -le 2 ] || threads=2
[ "$threads" -ge 0 ] || threads=0
export TWEET_DECOMPRESS_THREADS=${TWEET_DECOMPRESS_THREADS:-$threads}

joblog=$(mktemp "${TMPDIR:-/tmp}/load_parallel.XXXXXX.joblog")
output=$(mktemp "${TMPDIR:-/tmp}/load_parallel.XXXXXX.out")
trap 'rm -f "$output"' EXIT
echo "job log: $joblog"

progress=()
if [ -t 1 ]; then
    progress=(--bar)
fi

self=$(abs_path "$0")
start=$EPOCHREALTIME
# Each job's stdout line is tagged with its sequence number ({#}), which is
# also the Seq column of the job log and the position in "${job_files[@]}".
# parallel's exit status counts failed jobs; they are reported below.
parallel --will-cite -j "$jobs" --joblog "$joblog" "${progress[@]}" \
    --tagstring '{#}' --link \
    "$(printf '%q' "$self") --one $(printf '%q' "$mode") {1} {2} {3}" \
    ::: "${job_files[@]}" ::: "${job_parts[@]}" ::: "${job_hosts[@]}" >"$output" || true
elapsed=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')

declare -A tweets runtime status
while IFS=$'\t' read -r seq count; do
    tweets[$seq]=$count
done <"$output"
# Job log columns: Seq Host Starttime JobRuntime Send Receive Exitval Signal Command
while IFS=$'\t' read -r seq _ _ secs _ _ exitval signal _; do
    [[ $seq =~ ^[0-9]+$ ]] || continue
    runtime[$seq]=${secs// /}
    if [ "$exitval" = 0 ] && [ "$signal" = 0 ]; then
        status[$seq]=ok
    else
        status[$seq]="failed (exit $exitval, signal $signal)"
    fi
done <"$joblog"

total=0
failed=()
for i in "${!job_files[@]}"; do
    seq=$((i + 1))
    file=${job_files[$i]}
    [ "$parts" = 1 ] || file="$file (part ${job_parts[$i]})"
    [ "${job_hosts[$i]}" = - ] || file="$file on ${job_hosts[$i]}"
    if [ "${status[$seq]:-}" = ok ] && [[ ${tweets[$seq]:-} =~ ^[0-9]+$ ]]; then
        total=$((total + tweets[$seq]))
        printf '%s\t%s tweets\t%s s\n' "$file" "${tweets[$seq]}" "${runtime[$seq]}"
    else
        failed+=("$file")
        printf '%s\t%s\t%s s\n' "$file" "${status[$seq]:-not run}" "${runtime[$seq]:-?}"
    fi
done
printf 'total\t%s tweets\t%s s elapsed (%d files, %d parts each, %d jobs, mode %s)\n' \
    "$total" "$elapsed" "${#files[@]}" "$parts" "$jobs" "$mode"

if [ "${#failed[@]}" -gt 0 ]; then
    echo "$0: ${#failed[@]} of ${#job_files[@]} jobs failed:" >&2
    printf '  %s\n' "${failed[@]}" >&2
    exit 1
fi
