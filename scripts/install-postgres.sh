#!/usr/bin/env bash
# Installs PostgreSQL (Debian's package `postgresql`) when its server programs
# are missing, for the tests and the benchmark of the postgres:// backend
# (scripts/lib/postgres.ts calls it). Prints the directory of initdb/pg_ctl.
set -euo pipefail
find_bin() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v initdb)")"; return 0; fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  return 1
}
if find_bin; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "PostgreSQL is not installed and this is not root: run 'sudo apt-get install -y postgresql' (or set ADNET_PG_BIN to the directory of initdb)" >&2
  exit 1
fi
echo "[postgres] installing Debian's postgresql package (apt-get)..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends postgresql >&2
# The package starts its own cluster on port 5432: not ours, and not needed.
if command -v pg_lsclusters >/dev/null 2>&1; then
  pg_lsclusters -h 2>/dev/null | while read -r ver name _; do pg_ctlcluster "$ver" "$name" stop >/dev/null 2>&1 || true; done
fi
find_bin
