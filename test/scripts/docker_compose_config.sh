#!/usr/bin/env bash
# The Docker deployment, checked without a Docker engine:
#
#   1. docker/docker-compose.yml is valid (`docker-compose config`), and a
#      broken copy of it is rejected, so the check means something.
#   2. It has exactly the services pg_denormalized, pg_normalized and
#      pg_normalized_batch, each built from docker/Dockerfile with the
#      repository root as context, with TWEET_LAYOUT naming its layout, its
#      own named volume at /var/lib/postgresql/data and data/ read-only at
#      /data; the host ports default to 15433-15435 and follow
#      PG_DENORMALIZED_PORT, PG_NORMALIZED_PORT and PG_NORMALIZED_BATCH_PORT,
#      the password follows POSTGRES_PASSWORD.
#   3. docker/Dockerfile starts from postgres:15, installs PostGIS, builds
#      with `make` and `make install` like the tests, removes its build
#      packages, and installs the init scripts.
#   4. The files the Dockerfile copies, taken from the build context that
#      .dockerignore leaves, build the extension with `make` on their own.
#   5. The init script docker/initdb/10-tweet_loader.sh, run as the image's
#      entrypoint runs it (POSTGRES_USER, POSTGRES_DB, TWEET_LAYOUT) against
#      the test server in a fresh database per layout, installs tweet_loader
#      and creates the layout; data/sample-03.jsonl then loads in the
#      layout's modes. Without TWEET_LAYOUT it fails.
#   6. docker/citus/docker-compose.yml is valid and has a coordinator and
#      two workers, built from docker/Dockerfile with Citus's package,
#      Citus preloaded, their roles set, the coordinator waiting for the
#      workers (test/scripts/citus.sh runs the init script on a cluster).
#
# Needs docker-compose (v1 is enough) and a running server
# (PGHOST/PGPORT/PGUSER of a superuser), as scripts/test.sh provides. Runs
# from the repository root. DOCKER_BUILD_CHECK=0 skips the build of step 4.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

compose=docker/docker-compose.yml
dockerfile=docker/Dockerfile
initdb=docker/initdb/10-tweet_loader.sh
layouts=(denormalized normalized normalized_batch)

. "$root/test/check.sh"
scratch tweet_loader_docker
for layout in "${layouts[@]}"; do scratch_dbs+=("tweet_loader_initdb_$layout"); done

if ! command -v docker-compose >/dev/null; then
  echo "FAIL - docker-compose is not installed (scripts/install_deps.sh installs it)"
  exit 1
fi

# ------------------------------------------------------------- 1. validity
config() {  # config [VAR=VALUE...]: the resolved compose file, as YAML
  env -u PG_DENORMALIZED_PORT -u PG_NORMALIZED_PORT \
      -u PG_NORMALIZED_BATCH_PORT -u POSTGRES_PASSWORD "$@" \
      docker-compose -f "$compose" config 2>"$tmp/config.err"
}
config_to() {  # config_to FILE [VAR=VALUE...]
  local out=$1; shift
  config "$@" >"$out" || { sed 's/^/    /' "$tmp/config.err"; return 1; }
}
check "docker-compose config accepts $compose" config_to "$tmp/default.yml"
rejects_broken() {  # a copy with an unknown key must fail, naming the key
  local out
  sed 's/^services:/services:\n  broken:\n    no_such_key: 1/' "$compose" \
    >"$tmp/broken.yml"
  out=$(docker-compose -f "$tmp/broken.yml" config 2>&1) && return 1
  grep -q no_such_key <<<"$out"
}
check "docker-compose config rejects a compose file with an unknown key" \
  rejects_broken

# ---------------------------------------------------------- 2. the services
config_to "$tmp/override.yml" PG_DENORMALIZED_PORT=25433 \
  PG_NORMALIZED_PORT=25434 PG_NORMALIZED_BATCH_PORT=25435 \
  POSTGRES_PASSWORD=other-secret

# services_ok FILE PORT1 PORT2 PORT3 PASSWORD: prints what is wrong
services_ok() {
  python3 - "$@" <<'PY'
import sys
import yaml

path, ports, password = sys.argv[1], sys.argv[2:5], sys.argv[5]
root = sys.argv[6] if len(sys.argv) > 6 else None
with open(path) as f:
    doc = yaml.safe_load(f)
want = {"pg_denormalized": ("denormalized", ports[0]),
        "pg_normalized": ("normalized", ports[1]),
        "pg_normalized_batch": ("normalized_batch", ports[2])}
errors = []
services = doc.get("services", {})
if sorted(services) != sorted(want):
    errors.append("services are %s" % sorted(services))
volumes_seen = set()
for name, (layout, port) in want.items():
    s = services.get(name)
    if s is None:
        continue
    env = s.get("environment", {})
    if env.get("TWEET_LAYOUT") != layout:
        errors.append("%s: TWEET_LAYOUT is %r" % (name, env.get("TWEET_LAYOUT")))
    if env.get("POSTGRES_PASSWORD") != password:
        errors.append("%s: POSTGRES_PASSWORD is %r" % (name, env.get("POSTGRES_PASSWORD")))
    published = [(str(p.get("published")), str(p.get("target")))
                 for p in s.get("ports", [])]
    if published != [(port, "5432")]:
        errors.append("%s: ports are %s, not %s:5432" % (name, published, port))
    build = s.get("build", {})
    if build.get("dockerfile") != "docker/Dockerfile":
        errors.append("%s: dockerfile is %r" % (name, build.get("dockerfile")))
    if root is not None and build.get("context") != root:
        errors.append("%s: build context is %r" % (name, build.get("context")))
    mounts = s.get("volumes", [])
    data = [m for m in mounts if m.split(":")[1:] == ["/data", "ro"]]
    if root is not None and [m.split(":")[0] for m in data] != [root + "/data"]:
        errors.append("%s: data/ is not mounted read-only at /data: %s" % (name, mounts))
    pgdata = [m.split(":")[0] for m in mounts
              if m.split(":")[1] == "/var/lib/postgresql/data"]
    if len(pgdata) != 1 or pgdata[0] not in doc.get("volumes", {}):
        errors.append("%s: no named volume at /var/lib/postgresql/data: %s" % (name, mounts))
    else:
        volumes_seen.add(pgdata[0])
if len(volumes_seen) != 3:
    errors.append("the services do not have a volume each: %s" % sorted(volumes_seen))
for e in errors:
    print("    " + e)
sys.exit(1 if errors else 0)
PY
}
check "three services with their layout, Dockerfile, data and volume; default ports 15433-15435" \
  services_ok "$tmp/default.yml" 15433 15434 15435 pass "$root"
check "PG_*_PORT move the host ports to 25433-25435, POSTGRES_PASSWORD the password" \
  services_ok "$tmp/override.yml" 25433 25434 25435 other-secret

# ---------------------------------------------------------- 3. the Dockerfile
has() { grep -Eq "$1" "$dockerfile"; }
check "Dockerfile starts from the official postgres:15 image" has '^FROM postgres:15(-bookworm)?$'
check "Dockerfile installs PostGIS 3 for PostgreSQL 15" has 'postgresql-15-postgis-3'
check "Dockerfile builds with make and installs with make install" \
  bash -c "grep -Eq 'make( -j[^;]*)?;' $dockerfile && grep -q 'make install' $dockerfile"
check "Dockerfile purges its build packages in the building layer" \
  has 'apt-get purge -y --auto-remove \$build_deps'
check "Dockerfile installs docker/initdb/ as /docker-entrypoint-initdb.d/" \
  has '^COPY docker/initdb/ /docker-entrypoint-initdb.d/$'
check "the init script is executable (the entrypoint runs it, not sources it)" \
  test -x "$initdb"

# ------------------------------------------- 4. the copied files build alone
# The build context as .dockerignore leaves it, then what the Dockerfile's
# COPY lines take from it (globs at the context's root, directories whole).
context_copy() {
  python3 - "$tmp/image_src" <<'PY'
import fnmatch
import os
import re
import shutil
import sys

dest = sys.argv[1]
patterns = []
with open(".dockerignore") as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith("#"):
            patterns.append(line.strip("/"))

def ignored(rel):
    # A pattern excludes a path when it matches it or one of its parents;
    # "**/" matches any number of directories, as in Docker.
    parts = rel.split("/")
    for p in patterns:
        rx = fnmatch.translate(p).replace(".*.*/", "(.*/)?")
        for i in range(1, len(parts) + 1):
            if re.match(rx, "/".join(parts[:i])) or (
                    p.startswith("**/") and
                    fnmatch.fnmatch(parts[i - 1], p[3:])):
                return True
    return False

os.makedirs(dest)
with open("docker/Dockerfile") as f:
    lines = [l.split()[1:] for l in f if l.startswith("COPY ")]
for args in lines:
    sources, target = args[:-1], args[-1]
    if target.startswith("/"):
        continue  # init scripts, not build input
    for src in sources:
        src = src.rstrip("/")
        for rel in sorted(fnmatch.filter(os.listdir("."), src)):
            if ignored(rel):
                continue
            if os.path.isdir(rel):
                for d, _, files in os.walk(rel):
                    for name in files:
                        path = os.path.join(d, name)
                        if not ignored(path):
                            os.makedirs(os.path.join(dest, d), exist_ok=True)
                            shutil.copy2(path, os.path.join(dest, path))
            else:
                shutil.copy2(rel, os.path.join(dest, rel))
PY
}
build_alone() {
  context_copy || return 1
  if find "$tmp/image_src" -name '*.o' -o -name '*.so' | grep -q .; then
    echo "    build products are in the build context"; return 1
  fi
  make -s -C "$tmp/image_src" -j2 >"$tmp/build.log" 2>&1 &&
    make -s -C "$tmp/image_src" install DESTDIR="$tmp/image_root" \
      >>"$tmp/build.log" 2>&1 || { tail -20 "$tmp/build.log"; return 1; }
  local libdir sharedir
  libdir=$(pg_config --pkglibdir)
  sharedir=$(pg_config --sharedir)
  test -f "$tmp/image_root$libdir/tweet_loader.so" &&
    test -f "$tmp/image_root$sharedir/extension/tweet_loader.control" &&
    ls "$tmp/image_root$sharedir/extension/" | grep -q '^tweet_loader--.*\.sql$'
}
if [ "${DOCKER_BUILD_CHECK:-1}" != 0 ]; then
  check "the files the Dockerfile copies (after .dockerignore) build and install alone" \
    build_alone
else
  echo "skip - build of the Dockerfile's files (DOCKER_BUILD_CHECK=0)"
fi

# ------------------------------------------------------ 5. the init script
init_layout() {  # init_layout LAYOUT MODE...: fresh database, init, load
  local layout=$1; shift
  local db=tweet_loader_initdb_$layout
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null &&
    psql -X -q -d postgres -c "CREATE DATABASE $db" || return 1
  env POSTGRES_USER="${PGUSER:-postgres}" POSTGRES_DB="$db" TWEET_LAYOUT="$layout" \
    "$initdb" >"$tmp/init.log" 2>&1 || { cat "$tmp/init.log"; return 1; }
  # The tables (or views) of the layout, as create_tweet_tables makes them.
  local want got
  case $layout in
    denormalized) want="tweets_jsonb:r tweets:v tweet_tags_total:v" ;;
    normalized) want="urls:r users:r tweets:r tweet_tags_total:m" ;;
    normalized_batch) want="users:r tweets:r tweet_tags_total:m" ;;
  esac
  got=$(psql -X -At -d "$db" -c "
    SELECT string_agg(relname || ':' || relkind::text, ' ' ORDER BY relname)
    FROM pg_class WHERE relnamespace = 'public'::regnamespace
      AND relkind IN ('r', 'v', 'm')")
  for w in $want; do
    [[ " $got " == *" $w "* ]] || { echo "    $layout: $w missing in: $got"; return 1; }
  done
  [ "$layout" = normalized_batch ] && [[ " $got " == *" urls:"* ]] &&
    { echo "    normalized_batch has a urls table"; return 1; }
  [ "$(psql -X -At -d "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'tweet_loader'")" != "" ] ||
    { echo "    tweet_loader is not installed"; return 1; }
  local mode n
  for mode in "$@"; do
    n=$(psql -X -At -v ON_ERROR_STOP=1 -d "$db" -c \
      "SELECT tweets FROM load_tweets('$root/data/sample-03.jsonl', '$mode')") ||
      return 1
    [ "${n:-0}" -gt 0 ] || { echo "    $mode loaded no tweet"; return 1; }
    echo "    $layout: load_tweets(sample-03, '$mode') loaded $n tweets"
  done
}
check "init script, TWEET_LAYOUT=denormalized: layout created, 'denormalized' loads" \
  init_layout denormalized denormalized
check "init script, TWEET_LAYOUT=normalized: layout created, 'normalized' loads" \
  init_layout normalized normalized
check "init script, TWEET_LAYOUT=normalized_batch: layout created, 'batch' loads" \
  init_layout normalized_batch batch
check "init script fails without TWEET_LAYOUT" \
  bash -c "env -u TWEET_LAYOUT POSTGRES_USER=${PGUSER:-postgres} POSTGRES_DB=postgres $initdb >/dev/null 2>&1; [ \$? -ne 0 ]"

# ------------------------------------------------- 6. the Citus cluster file
citus_compose=docker/citus/docker-compose.yml
check "docker-compose config accepts $citus_compose" \
  sh -c "docker-compose -f $citus_compose config >'$tmp/citus.yml' 2>'$tmp/citus.err' ||
         { sed 's/^/    /' '$tmp/citus.err'; exit 1; }"
citus_services_ok() {
  python3 - "$tmp/citus.yml" "$root" <<'PY'
import sys
import yaml

doc = yaml.safe_load(open(sys.argv[1]))
root = sys.argv[2]
errors = []
services = doc.get("services", {})
if sorted(services) != ["coordinator", "worker1", "worker2"]:
    errors.append("services are %s" % sorted(services))
roles = {"coordinator": "coordinator", "worker1": "worker", "worker2": "worker"}
for name, s in services.items():
    build = s.get("build", {})
    if build.get("dockerfile") != "docker/Dockerfile" or build.get("context") != root:
        errors.append("%s: not built by docker/Dockerfile from the root" % name)
    if not str(build.get("args", {}).get("CITUS_PACKAGE", "")).startswith("postgresql-15-citus-"):
        errors.append("%s: no Citus package for PostgreSQL 15" % name)
    if "shared_preload_libraries=citus" not in str(s.get("command")):
        errors.append("%s: Citus is not preloaded" % name)
    env = s.get("environment", {})
    if env.get("CITUS_ROLE") != roles.get(name):
        errors.append("%s: CITUS_ROLE is %r" % (name, env.get("CITUS_ROLE")))
    if not any(m.startswith(root + "/data:/data") for m in s.get("volumes", [])):
        errors.append("%s: data/ is not mounted at /data" % name)
coordinator = services.get("coordinator", {})
env = coordinator.get("environment", {})
if env.get("CITUS_WORKERS", "").split() != ["worker1:5432", "worker2:5432"]:
    errors.append("coordinator: CITUS_WORKERS is %r" % env.get("CITUS_WORKERS"))
deps = coordinator.get("depends_on", {})
for w in ("worker1", "worker2"):
    if deps.get(w, {}).get("condition") != "service_healthy":
        errors.append("coordinator does not wait for %s to be healthy" % w)
for e in errors:
    print("    " + e)
sys.exit(1 if errors else 0)
PY
}
check "Citus: a coordinator and two workers built with Citus's package, preloaded, roles set" \
  citus_services_ok
check "Dockerfile installs CITUS_PACKAGE from Citus's repository when it is set" \
  bash -c "grep -q '^ARG CITUS_PACKAGE=$' $dockerfile && grep -q 'install.citusdata.com' $dockerfile"
check "init script refuses an unknown CITUS_ROLE" \
  bash -c "CITUS_ROLE=leader TWEET_LAYOUT=normalized $initdb >/dev/null 2>&1; [ \$? -ne 0 ]"

echo
if [ "$failures" -gt 0 ]; then
  echo "docker_compose_config: $failures check(s) failed"
  exit 1
fi
echo "docker_compose_config: all checks passed"
