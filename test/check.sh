# Sourced by the scripts in test/scripts: a check that is counted.
#   check "what is checked" COMMAND...   prints ok or FAIL, counts failures
#   pass WHAT; fail WHAT                 the same for a check decided by the
#                                        script itself
#   scratch NAME                         $tmp, a new directory /tmp/NAME.XXXXXX
#                                        the server can read; at exit the
#                                        processes in bg_pids are stopped, the
#                                        databases in scratch_dbs dropped and
#                                        $tmp removed
#   now; elapsed_ms START END            wall-clock timing in milliseconds
#   create_layout_db DB PREFIX           DB afresh with the extension and the
#                                        three layouts in PREFIX_denormalized,
#                                        PREFIX_normalized and PREFIX_batch
#   new_layout_schema SCHEMA LAYOUT [D]  SCHEMA afresh, holding LAYOUT (D:
#                                        true for Citus tables)
#   fresh_db DB                          DB afresh with the extension, made
#                                        PGDATABASE and dropped at exit;
#                                        no_restart is then true while the
#                                        server has not restarted
#   targets, mode_of, layout_of          the four loads: den (denormalized),
#                                        row (the row mode into normalized),
#                                        bn and bb (batch into normalized and
#                                        normalized_batch)
#   new_schema SCHEMA TARGET             SCHEMA afresh, holding TARGET's layout
#   table_dump SCHEMA [RELATIONS] [DROP] every row of RELATIONS (default: every
#                                        table of SCHEMA) as text, sorted, a
#                                        count and md5 per relation: equal
#                                        dumps are equal tables; urls named by
#                                        their text (id_urls comes from a
#                                        sequence); DROP: a column of tweets
#                                        left out
#   rows_left SCHEMA                     rows in all the tables of SCHEMA

failures=0

pass() { echo "ok   - $*"; }
fail() {
  echo "FAIL - $*"
  failures=$((failures + 1))
}

check() {  # check DESCRIPTION COMMAND...: passes when the command succeeds
  local what=$1; shift
  if "$@"; then
    pass "$what"
  else
    fail "$what"
    return 1
  fi
}

bg_pids=()
scratch_dbs=()
scratch() {  # scratch NAME
  tmp=$(mktemp -d "/tmp/$1.XXXXXX") || exit 1
  chmod 755 "$tmp"
  trap scratch_cleanup EXIT
  trap 'exit 130' INT TERM
}
scratch_cleanup() {
  local p db
  for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  for db in "${scratch_dbs[@]}"; do
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1
  done
  rm -rf "$tmp"
}

now() { date +%s.%N; }
elapsed_ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b - a) * 1000 }'; }

# One value, no decoration, of the database in PGDATABASE.
check_q() { psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }

targets=(den row bn bb)
declare -A mode_of=([den]=denormalized [row]=normalized [bn]=batch [bb]=batch)
declare -A layout_of=([den]=denormalized [row]=normalized [bn]=normalized
                      [bb]=normalized_batch)

fresh_db() {  # fresh_db DB
  export PGDATABASE=$1
  scratch_dbs+=("$1")
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1
  psql -X -q -d postgres -c "CREATE DATABASE $1" || return 1
  check_q "SET client_min_messages = warning; CREATE EXTENSION tweet_loader CASCADE" ||
    return 1
  start_time=$(check_q "SELECT pg_postmaster_start_time()")
}
no_restart() { [ "$(check_q "SELECT pg_postmaster_start_time()")" = "$start_time" ]; }

new_schema() { new_layout_schema "$1" "${layout_of[$2]}"; }  # new_schema SCHEMA TARGET

new_layout_schema() {  # new_layout_schema SCHEMA LAYOUT [DISTRIBUTED]
  check_q "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $1 CASCADE;
           CREATE SCHEMA $1; SET search_path = $1, public;
           SELECT create_tweet_tables('$2'${3:+, distributed => $3})" >/dev/null
}

table_dump() {  # table_dump SCHEMA [RELATIONS] [DROP]
  local t out= row rels=${2:-}
  [ -n "$rels" ] ||
    rels=$(check_q "SELECT tablename FROM pg_tables WHERE schemaname = '$1' ORDER BY 1")
  for t in $rels; do
    row="r::text"
    # the geometry as its own text, not as the GeoJSON of to_jsonb
    [ "$t" = tweets ] && [ -n "${3:-}" ] &&
      row="to_jsonb(r) - '$3' || jsonb_build_object('geo', r.geo::text)"
    if [ "$t" = urls ]; then
      row="to_jsonb(r) - 'id_urls'"
    elif [ "$(check_q "SELECT count(*) FROM information_schema.columns
                       WHERE table_schema = '$1' AND table_name = '$t'
                       AND column_name = 'id_urls'")" = 1 ]; then
      row="to_jsonb(r) - 'id_urls' || jsonb_build_object('url',
             (SELECT url FROM $1.urls l WHERE l.id_urls = r.id_urls))"
    fi
    out+="$t $(check_q "SELECT count(*) || ' ' || coalesce(md5(string_agg(x, E'\n' ORDER BY x)), '')
                        FROM (SELECT ($row)::text AS x FROM $1.$t r) d")"$'\n'
  done
  printf '%s' "$out"
}

rows_left() {  # rows_left SCHEMA
  local t n=0
  for t in $(check_q "SELECT tablename FROM pg_tables WHERE schemaname = '$1'"); do
    n=$((n + $(check_q "SELECT count(*) FROM $1.$t")))
  done
  echo "$n"
}

create_layout_db() {  # create_layout_db DB PREFIX
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1
  psql -X -q -d postgres -c "CREATE DATABASE $1" || return 1
  psql -X -q -d "$1" -v ON_ERROR_STOP=1 >/dev/null <<SQL
SET client_min_messages = warning;
CREATE EXTENSION tweet_loader CASCADE;
CREATE SCHEMA $2_denormalized;
CREATE SCHEMA $2_normalized;
CREATE SCHEMA $2_batch;
SET search_path = $2_denormalized, public;
SELECT create_tweet_tables('denormalized');
SET search_path = $2_normalized, public;
SELECT create_tweet_tables('normalized');
SET search_path = $2_batch, public;
SELECT create_tweet_tables('normalized_batch');
SQL
}
