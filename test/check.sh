# Sourced by the scripts in test/scripts: a check that is counted.
#   check "what is checked" COMMAND...   prints ok or FAIL, counts failures
#   now; elapsed_ms START END            wall-clock timing in milliseconds
#   create_layout_db DB PREFIX           DB afresh with the extension and the
#                                        three layouts in PREFIX_denormalized,
#                                        PREFIX_normalized and PREFIX_batch

failures=0

check() {  # check DESCRIPTION COMMAND...: passes when the command succeeds
  local what=$1; shift
  if "$@"; then
    echo "ok   - $what"
  else
    echo "FAIL - $what"
    failures=$((failures + 1))
    return 1
  fi
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
