#!/usr/bin/env bash
# Installs what tweet_loader needs on Debian 12 (as root): PostgreSQL 15 with
# its server headers and PostGIS, the C++ libraries, the tools the scripts
# and tests use. Skips apt when everything is there already.
set -euo pipefail

packages=(
  postgresql-15 postgresql-server-dev-15 postgresql-15-postgis-3
  build-essential nlohmann-json3-dev zlib1g-dev libisal-dev libarchive-dev libzstd-dev libgtest-dev
  clang libclang-rt-14-dev
  parallel zip unzip bzip2 xz-utils zstd python3 gnuplot-nox docker-compose
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "missing packages: ${missing[*]} (run as root to install them)" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
