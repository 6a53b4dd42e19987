#!/bin/bash
# Loads tweet files one after another with load_tweets(path, MODE):
#   load_sequential.sh MODE FILE...
# Prints one line per file (tweets loaded, seconds) and the total elapsed
# time; stops at the first file that fails, with a non-zero exit status.
# The connection comes from the libpq environment (PGHOST, PGPORT,
# PGDATABASE, PGUSER).
set -euo pipefail

if [ "$#" -lt 2 ]; then
    echo "usage: $0 MODE FILE..." >&2
    exit 2
fi
mode=$1
shift

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

# Seconds between two $EPOCHREALTIME values.
seconds() {
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'
}

start_all=$EPOCHREALTIME
total=0
for file in "$@"; do
    start=$EPOCHREALTIME
    path=$(abs_path "$file")
    if ! tweets=$(psql -X -q -At -v ON_ERROR_STOP=1 \
            -c "SELECT tweets FROM load_tweets('$(sql_quote "$path")', '$(sql_quote "$mode")')"); then
        echo "$file: load failed after $(seconds "$start" "$EPOCHREALTIME") s" >&2
        exit 1
    fi
    total=$((total + tweets))
    printf '%s\t%s tweets\t%s s\n' "$file" "$tweets" "$(seconds "$start" "$EPOCHREALTIME")"
done
printf 'total\t%s tweets\t%s s elapsed (%d files, mode %s)\n' \
    "$total" "$(seconds "$start_all" "$EPOCHREALTIME")" "$#" "$mode"
