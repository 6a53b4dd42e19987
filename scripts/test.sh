#!/usr/bin/env bash
# Runs every test of tweet_loader on a fresh Debian 12 machine, as root:
# installs the packages, builds with warnings as errors, runs the unit tests
# (also under AddressSanitizer/UBSan), starts a private PostgreSQL in
# results/pgdata, runs the pg_regress suite and the script tests against
# it, and fuzzes the plain C++ layer for a bounded time.
#
#   scripts/test.sh              everything
#   FUZZ_SECONDS=0 scripts/test.sh   skip fuzzing
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

scripts/install_deps.sh || exit 1

# The server runs as postgres and reads the test files itself: when it
# cannot reach this tree (e.g. a clone under /root), test a copy in /tmp.
server_reads() { runuser -u postgres -- test -r "$1" 2>/dev/null; }
if [ "$(id -u)" = 0 ] &&
   ! { server_reads "$root/data/sample-03.jsonl" &&
       server_reads "$root/../shared/realdata/tweet-parser-examples-2017.jsonl"; }; then
  copy=$(mktemp -d /tmp/tweet_loader_test.XXXXXX)
  chmod 755 "$copy"
  cp -a "$root" "$copy/main"
  [ -d "$root/../shared" ] && cp -a "$root/../shared" "$copy/shared"
  chmod -R a+rX "$copy"
  echo "testing a copy readable by the server: $copy/main"
  "$copy/main/scripts/test.sh"
  status=$?
  rm -rf "$copy"
  exit $status
fi

passed=0
failed=0
failures=()
step() {  # step NAME COMMAND...: runs one test step and counts it
  local name=$1; shift
  echo "=== $name"
  if "$@"; then
    passed=$((passed + 1)); echo "--- ok: $name"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "--- FAILED: $name"
  fi
}

build() {
  make -s clean >/dev/null 2>&1
  make -s -j2 WERROR=1 && make -s install >/dev/null
}
if ! build; then
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi

step "unit tests" make -s -C test/unit check
step "unit tests under ASan/UBSan" make -s -C test/unit asan

export TWEET_PGDATA=$root/results/pgdata
scripts/pg_server.sh destroy >/dev/null 2>&1
eval "$(scripts/pg_server.sh start)" || { echo "could not start the server"; exit 1; }
trap 'scripts/pg_server.sh stop' EXIT

regress() {
  make -s installcheck && return 0
  cat results/regress/regression.diffs 2>/dev/null | head -200
  return 1
}
step "pg_regress suite" regress

for t in test/scripts/*.sh; do
  [ -e "$t" ] || continue
  step "$(basename "$t" .sh)" bash "$t"
done

if [ "${FUZZ_SECONDS:-30}" -gt 0 ]; then
  step "fuzzing" make -s -C test/fuzz run FUZZ_SECONDS="${FUZZ_SECONDS:-30}"
fi

echo
[ ${#failures[@]} -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
