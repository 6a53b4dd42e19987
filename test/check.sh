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
