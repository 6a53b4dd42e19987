# Sourced by the scripts in test/scripts: a check that is counted.
#   check "what is checked" COMMAND...   prints ok or FAIL, counts failures

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
