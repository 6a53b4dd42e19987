# Sourced by the scripts in test/scripts: a check that is counted.
#   check "what is checked" COMMAND...   prints ok or FAIL, counts failures
#   now; elapsed_ms START END            wall-clock timing in milliseconds

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
