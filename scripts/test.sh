#!/usr/bin/env bash
# Runs every test of tweet_loader on a fresh Debian 12 machine, as root:
# installs the packages, builds with warnings as errors, runs the unit tests
# (also under AddressSanitizer/UBSan), starts a private PostgreSQL in
# results/pgdata, runs the pg_regress suite and the script tests against
# it, and fuzzes the plain C++ layer for a bounded time. Ends with
# "N passed, M failed, K skipped".
#
#   scripts/test.sh                  everything
#   scripts/test.sh --preflight      only the checks before the tests: where
#                                    they run, which are skipped, then exit
#   FUZZ_SECONDS=0 scripts/test.sh   skip fuzzing
#
# Tests that need ../shared (the real tweet files of ../shared/realdata,
# Citus's source in ../shared/vendor) are skipped, and counted as skipped,
# where it is absent (a plain clone).
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
preflight=false
[ "${1:-}" = --preflight ] && preflight=true

scripts/install_deps.sh || exit 1

shared=$root/../shared
have_shared=false
[ -d "$shared/realdata" ] && have_shared=true

# The server runs as postgres and reads the test files itself: when it
# cannot reach this tree (e.g. a clone under /root), test a copy in /tmp,
# once: the copy is made readable, and a copy never copies itself again.
server_reads() { runuser -u postgres -- test -r "$1" 2>/dev/null; }
readable=true
if [ "$(id -u)" = 0 ]; then
  server_reads "$root/data/sample-03.jsonl" || readable=false
  if $have_shared && ! server_reads "$shared/realdata/README.md"; then
    readable=false
  fi
fi
if ! $readable; then
  if [ -n "${TWEET_LOADER_TEST_COPY:-}" ]; then
    echo "the server cannot read the test copy $root either"
    echo "0 passed, 1 failed"
    exit 1
  fi
  copy=$(mktemp -d /tmp/tweet_loader_test.XXXXXX)
  chmod 755 "$copy"
  cp -a "$root" "$copy/main"
  $have_shared && cp -a "$shared" "$copy/shared"
  chmod -R a+rX "$copy"
  echo "testing a copy readable by the server: $copy/main"
  TWEET_LOADER_TEST_COPY=1 "$copy/main/scripts/test.sh" "$@"
  status=$?
  rm -rf "$copy"
  exit $status
fi

passed=0
failed=0
skipped=0
failures=()
step() {  # step NAME COMMAND...: runs one test step and counts it; exit
  local name=$1 rc; shift  # status 77 means it cannot run here: skipped
  echo "=== $name"
  "$@"
  rc=$?
  if [ $rc -eq 0 ]; then
    passed=$((passed + 1)); echo "--- ok: $name"
  elif [ $rc -eq 77 ]; then
    skipped=$((skipped + 1)); echo "--- skipped: $name"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "--- FAILED: $name"
  fi
}
skip() {  # skip NAME WHY: a step that cannot run here
  skipped=$((skipped + 1)); echo "--- skipped: $1 ($2)"
}
summary() {
  echo
  [ ${#failures[@]} -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
  echo "$passed passed, $failed failed, $skipped skipped"
}

# The steps that need ../shared (the real tweet files, Citus's source):
# each runs only with it.
shared_steps=("pg_regress realdata" "big_inputs" "citus" "api_v2_realdata")
if ! $have_shared; then
  for s in "${shared_steps[@]}"; do skip "$s" "no ../shared"; done
fi
if $preflight; then
  echo "preflight: tests run in $root; ../shared/realdata $($have_shared && echo present || echo absent)"
  summary
  exit 0
fi

build() {
  make -s clean >/dev/null 2>&1
  make -s -j2 WERROR=1 && make -s install >/dev/null
}
if ! build; then
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi

step "unit tests" make -s -j2 -C test/unit check
step "unit tests under ASan/UBSan" make -s -j2 -C test/unit asan

export TWEET_PGDATA=$root/results/pgdata
scripts/pg_server.sh destroy >/dev/null 2>&1
eval "$(scripts/pg_server.sh start)" || { echo "could not start the server"; exit 1; }
trap 'scripts/pg_server.sh stop' EXIT

regress() {  # regress TEST...: pg_regress on these tests of test/sql
  make -s installcheck REGRESS="$*" && return 0
  cat results/regress/regression.diffs 2>/dev/null | head -200
  return 1
}
mapfile -t suite < <(ls test/sql/*.sql | xargs -n1 basename | sed 's/\.sql$//' |
                     grep -vx realdata)
step "pg_regress suite" regress "${suite[@]}"
$have_shared && step "pg_regress realdata" regress realdata

for t in test/scripts/*.sh; do
  [ -e "$t" ] || continue
  name=$(basename "$t" .sh)
  if ! $have_shared && [[ " ${shared_steps[*]} " == *" $name "* ]]; then
    continue  # counted as skipped above
  fi
  step "$name" bash "$t"
done

if [ "${FUZZ_SECONDS:-30}" -gt 0 ]; then
  step "fuzzing" make -s -C test/fuzz run FUZZ_SECONDS="${FUZZ_SECONDS:-30}"
fi

summary
[ "$failed" -eq 0 ]
