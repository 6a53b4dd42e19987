#!/usr/bin/env bash
# Extension updates: ALTER EXTENSION tweet_loader UPDATE must bring an
# existing installation, with its tables and data, to exactly what a fresh
# install of the default version (default_version of tweet_loader.control)
# gives.
#
# For every version an update script tweet_loader--A--B.sql starts from
# (each such A is followed along its update path to the default version),
# in a fresh database per layout:
#   1. CREATE EXTENSION tweet_loader VERSION 'A' CASCADE, create the layout,
#      load data/sample-03.jsonl;
#   2. ALTER EXTENSION tweet_loader UPDATE;
#   3. the version is now the default version, the same file loads again
#      (same tweet count), and the extension's objects (pg_depend entries
#      of deptype 'e', by pg_describe_object, functions with the md5 of
#      their definition and their ACL) equal those of a fresh install of the
#      default version.
# Without any update script (the case while only 1.0 exists), it checks
# that the default version installs, that ALTER EXTENSION tweet_loader
# UPDATE is a no-op without error (same objects before and after), and that
# a load works afterwards.
#
# Also: every tweet_loader--*.sql of the repository is installed, and
# pg_extension_update_paths knows a path from every start version.
#
# Needs a running server (PGHOST/PGPORT/PGUSER of a superuser) with the
# extension installed (make install), as scripts/test.sh provides. Runs from
# the repository root.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

sample=$root/data/sample-03.jsonl
. "$root/test/check.sh"
scratch tweet_loader_upgrade

q() {  # q DB SQL: one value, no decoration, errors on stderr
  psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}

fresh_db() {  # fresh_db NAME: an empty database, dropped at the end
  scratch_dbs+=("$1")
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" 2>/dev/null
  psql -X -q -d postgres -c "CREATE DATABASE $1"
}

# The extension's member objects, sorted; functions with the md5 of their
# full definition and their ACL, so a changed body or grant counts as a
# difference.
objects() {  # objects DB
  q "$1" "
    SELECT pg_describe_object(d.classid, d.objid, d.objsubid)
           || CASE WHEN d.classid = 'pg_proc'::regclass
                   THEN ' ' || md5(pg_get_functiondef(d.objid)) || ' '
                        || coalesce((SELECT proacl::text FROM pg_proc
                                     WHERE oid = d.objid), 'default ACL')
                   ELSE '' END
    FROM pg_depend d JOIN pg_extension e ON d.refobjid = e.oid
    WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
      AND e.extname = 'tweet_loader'
    ORDER BY 1"
}

mode_of() {  # the load_tweets mode of a layout
  case $1 in normalized_batch) echo batch ;; *) echo "$1" ;; esac
}

load() {  # load DB LAYOUT: loads the sample, prints the tweet count
  q "$1" "SELECT tweets FROM load_tweets('$sample', '$(mode_of "$2")')"
}

default=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" tweet_loader.control)
echo "default_version: $default"
check "tweet_loader.control names a default_version" test -n "$default" || exit 1

sharedir=$(pg_config --sharedir)/extension
installed_all() {
  local f ok=0
  for f in sql/tweet_loader--*.sql; do
    cmp -s "$f" "$sharedir/${f#sql/}" || { echo "    $f is not installed as is"; ok=1; }
  done
  return $ok
}
check "every tweet_loader--*.sql is installed in $sharedir" installed_all

# The versions update scripts start from.
shopt -s nullglob
updates=(sql/tweet_loader--*--*.sql)
starts=()
for f in "${updates[@]}"; do
  v=${f#sql/tweet_loader--}; starts+=("${v%%--*}")
done
mapfile -t starts < <(printf '%s\n' "${starts[@]}" | sort -uV | grep .)

# The reference: a fresh install of the default version.
fresh_db tweet_loader_upgrade_fresh &&
  q tweet_loader_upgrade_fresh "SET client_min_messages = warning; CREATE EXTENSION tweet_loader CASCADE" ||
  exit 1
objects tweet_loader_upgrade_fresh >"$tmp/fresh.objects"
check "a fresh install is at the default version $default" test \
  "$(q tweet_loader_upgrade_fresh "SELECT extversion FROM pg_extension WHERE extname = 'tweet_loader'")" = "$default"
echo "    a fresh install has $(wc -l <"$tmp/fresh.objects") member objects"

if [ ${#updates[@]} -eq 0 ]; then
  echo "no update script (tweet_loader--A--B.sql) yet: only the default version $default exists"
  noop_update() {
    local db=tweet_loader_upgrade_noop layout=denormalized out
    fresh_db "$db" &&
      q "$db" "SET client_min_messages = warning; CREATE EXTENSION tweet_loader CASCADE; SELECT create_tweet_tables('$layout')" >/dev/null &&
      out=$(psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "ALTER EXTENSION tweet_loader UPDATE" 2>&1) ||
      { echo "$out"; return 1; }
    echo "    ALTER EXTENSION tweet_loader UPDATE said: ${out:-nothing}"
    objects "$db" >"$tmp/noop.objects"
    diff -u "$tmp/fresh.objects" "$tmp/noop.objects" || return 1
    [ "$(q "$db" "SELECT extversion FROM pg_extension WHERE extname = 'tweet_loader'")" = "$default" ] ||
      return 1
    local n
    n=$(load "$db" "$layout") && [ "${n:-0}" -gt 0 ] || return 1
    echo "    a load after the update: $n tweets"
  }
  check "ALTER EXTENSION tweet_loader UPDATE is a no-op at $default, loads still work" \
    noop_update
else
  echo "update scripts: ${updates[*]}"
  echo "versions they start from: ${starts[*]}"
  for from in "${starts[@]}"; do
    [ "$from" = "$default" ] && continue
    check "pg_extension_update_paths has a path from $from to $default" test -n \
      "$(q tweet_loader_upgrade_fresh "SELECT path FROM pg_extension_update_paths('tweet_loader') WHERE source = '$from' AND target = '$default'")" ||
      continue
    for layout in denormalized normalized normalized_batch; do
      upgrade() {
        local db=tweet_loader_upgrade_${layout}_${from//[^0-9a-zA-Z]/_}
        local before after version
        fresh_db "$db" &&
          q "$db" "SET client_min_messages = warning; CREATE EXTENSION tweet_loader VERSION '$from' CASCADE; SELECT create_tweet_tables('$layout')" >/dev/null &&
          before=$(load "$db" "$layout") &&
          q "$db" "ALTER EXTENSION tweet_loader UPDATE" || return 1
        version=$(q "$db" "SELECT extversion FROM pg_extension WHERE extname = 'tweet_loader'")
        [ "$version" = "$default" ] ||
          { echo "    version after the update: $version"; return 1; }
        after=$(load "$db" "$layout") || return 1
        echo "    loads: $before tweets at $from, $after after the update"
        [ "${before:-0}" -gt 0 ] && [ "$before" = "$after" ] || return 1
        objects "$db" >"$tmp/updated.objects"
        diff -u "$tmp/fresh.objects" "$tmp/updated.objects"
      }
      check "$layout: $from, then ALTER EXTENSION UPDATE equals a fresh $default; loads work" \
        upgrade
    done
  done
fi

echo
if [ "$failures" -gt 0 ]; then
  echo "upgrade: $failures check(s) failed"
  exit 1
fi
echo "upgrade: all checks passed"
