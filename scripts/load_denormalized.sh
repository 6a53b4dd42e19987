#!/bin/sh
# Loads one tweet file into the current database in the denormalized layout:
#   load_denormalized.sh FILE
# The connection comes from the libpq environment (PGHOST, PGPORT,
# PGDATABASE, PGUSER). The server reads the file, so the path is made
# absolute first.
set -eu

if [ "$#" -ne 1 ]; then
    echo "usage: $0 FILE" >&2
    exit 2
fi

file=$1
case $file in
    /*) abs=$file ;;
    *) abs=$(cd -- "$(dirname -- "$file")" && pwd -P)/$(basename -- "$file") ;;
esac
# An SQL string literal: single quotes doubled.
literal=$(printf '%s' "$abs" | sed "s/'/''/g")

exec psql -v ON_ERROR_STOP=1 -X -q \
    -c "SELECT * FROM load_tweets('$literal', 'denormalized')"
