#!/usr/bin/env bash
# The test command on a plain clone, as a new user gets it: a clone with
# nothing beside it (no ../shared). Its preflight (scripts/test.sh
# --preflight) must end at once, say that ../shared/realdata is absent and
# count the tests that need it as skipped; where the server cannot read the
# clone, the command tests one copy of it in /tmp, never a copy of a copy.
# Runs from the repository root; needs no server.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/test/check.sh"
scratch tweet_loader_clone

# A clone of the repository, with the working tree's test command.
clone=$tmp/solo/main
git clone -q "$root" "$clone" || exit 1
cp "$root/scripts/test.sh" "$root/scripts/install_deps.sh" "$clone/scripts/"

preflight() {  # preflight OUTFILE [ENV...]: runs the clone's preflight
  local out=$1; shift
  env "$@" timeout 120 "$clone/scripts/test.sh" --preflight >"$out" 2>&1
}

ends_with_skips() {  # the closing line counts the tests that need shared
  tail -n 1 "$1" | grep -qx '0 passed, 0 failed, 4 skipped'
}

# 1. The server can read the clone: the preflight runs there.
preflight "$tmp/readable.out"
check "readable clone: the preflight ends with exit 0" test $? -eq 0
check "readable clone: ../shared/realdata is reported absent" \
  grep -q 'shared/realdata absent' "$tmp/readable.out"
check "readable clone: the tests that need ../shared are counted as skipped" \
  ends_with_skips "$tmp/readable.out"
check "readable clone: no copy is made" \
  test "$(grep -c 'testing a copy' "$tmp/readable.out")" -eq 0

# 2. The server cannot read the clone: one copy, tested there.
chmod 700 "$tmp/solo"
preflight "$tmp/hidden.out"
check "unreadable clone: the preflight ends with exit 0" test $? -eq 0
check "unreadable clone: exactly one copy is made" \
  test "$(grep -c 'testing a copy' "$tmp/hidden.out")" -eq 1
check "unreadable clone: the copy counts them as skipped" \
  ends_with_skips "$tmp/hidden.out"
check "unreadable clone: the copy is removed afterwards" \
  test -z "$(grep -o '/tmp/tweet_loader_test\.[A-Za-z0-9]*' "$tmp/hidden.out" |
             while read -r d; do [ -e "$d" ] && echo "$d"; done)"

# 3. A copy that the server cannot read either stops with a message
# instead of copying again.
preflight "$tmp/copy.out" TWEET_LOADER_TEST_COPY=1
status=$?
check "unreadable copy: the command fails" test $status -ne 0
check "unreadable copy: it says why and makes no copy" \
  sh -c "grep -q 'cannot read the test copy' '$tmp/copy.out' &&
         ! grep -q 'testing a copy' '$tmp/copy.out'"

[ "$failures" -eq 0 ] && echo "plain_clone: all checks passed"
[ "$failures" -eq 0 ]
