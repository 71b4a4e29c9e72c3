#!/usr/bin/env bash
# Installs another Pulumi version beside this repository's, for the
# benchmark's side-by-side rows (npm run bench -- --engines <version>):
#   .tools/engines/<version>/bin   its CLI, built once from the Go module proxy
#                                  into its own cache (~/.cache/pulumi-adnetworks/pulumi-<version>),
#                                  and the dynamic-provider launcher
#   .tools/engines/<version>/app   @pulumi/pulumi@<version> with this package's
#                                  other dependencies (npm); the benchmark copies dist/ there
#
#   bash scripts/setup-engine.sh 3.276.0
set -euo pipefail
if [ "${1:-}" = "" ] || [ "$1" = "--help" ] || [ "$1" = "-h" ]; then
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi
version="${1#v}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$here/.tools/engines/$version"
mkdir -p "$dir/bin" "$dir/app"
PULUMI_VERSION="$version" \
  ADNET_PULUMI_CACHE="${ADNET_PULUMI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-adnetworks/pulumi-$version}" \
  ADNET_TOOLS_DIR="$dir/bin" \
  bash "$here/scripts/setup-pulumi.sh"
# This package's runtime dependencies, with that SDK.
node -e '
const pkg = require(process.argv[1] + "/package.json");
const deps = { ...pkg.dependencies, "@pulumi/pulumi": process.argv[2] };
require("fs").writeFileSync(process.argv[3] + "/package.json", JSON.stringify({ name: pkg.name, version: pkg.version, private: true, main: pkg.main, dependencies: deps }, null, 2) + "\n");
' "$here" "$version" "$dir/app"
(cd "$dir/app" && npm install --no-audit --no-fund --loglevel=error)
# The package resolves itself by name from its app (host.js, the provider reference in state).
ln -sfn .. "$dir/app/node_modules/pulumi-adnetworks"
cli="$("$dir/bin/pulumi" version)"
sdk="$(node -p "require('$dir/app/node_modules/@pulumi/pulumi/package.json').version")"
echo "[setup:engine] Pulumi $cli and @pulumi/pulumi $sdk in .tools/engines/$version" >&2
