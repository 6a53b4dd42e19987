#!/bin/bash
# Loads tweet files one after another with load_tweets(path, MODE), all in
# one psql session, each file in a transaction of its own:
#   load_sequential.sh MODE FILE...
# One session for all the files spares each file after the first the start
# of a session and the first call's costs in it (PostGIS loaded, catalogs
# read, the staging tables made), tens of milliseconds a file (see README).
# Prints one line per file (tweets loaded, seconds) as it is loaded and the
# total elapsed time; stops at the first file that fails, with a non-zero
# exit status. The connection comes from the libpq environment (PGHOST,
# PGPORT, PGDATABASE, PGUSER).
set -euo pipefail

if [ "$#" -lt 2 ]; then
    echo "usage: $0 MODE FILE..." >&2
    exit 2
fi
mode=$1
shift
files=("$@")

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

# One statement per file: its number, the tweets loaded and the seconds it
# took, the load's own.
statements() {
    local i path
    for i in "${!files[@]}"; do
        path=$(abs_path "${files[$i]}")
        printf "SELECT %d, tweets, round(extract(epoch FROM clock_timestamp() - statement_timestamp()), 2) FROM load_tweets('%s', '%s');\n" \
            "$i" "$(sql_quote "$path")" "$(sql_quote "$mode")"
    done
}

seconds() {  # seconds between two $EPOCHREALTIME values
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'
}

start_all=$EPOCHREALTIME
last=$start_all
total=0
done_files=0
# psql prints each result as its statement ends; ON_ERROR_STOP ends the
# session at the first error (which psql prints on stderr).
while IFS=$'\t' read -r i tweets secs; do
    total=$((total + tweets))
    done_files=$((done_files + 1))
    last=$EPOCHREALTIME
    printf '%s\t%s tweets\t%s s\n' "${files[$i]}" "$tweets" "$secs"
done < <(statements | psql -X -q -At -F $'\t' -v ON_ERROR_STOP=1 -f -)
if [ "$done_files" -lt "${#files[@]}" ]; then
    echo "${files[$done_files]}: load failed after $(seconds "$last" "$EPOCHREALTIME") s" >&2
    exit 1
fi
printf 'total\t%s tweets\t%s s elapsed (%d files, mode %s, one session)\n' \
    "$total" "$(seconds "$start_all" "$EPOCHREALTIME")" "${#files[@]}" "$mode"
