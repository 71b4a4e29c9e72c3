#!/usr/bin/env bash
# The newest Pulumi this package is tested with (package.json
# "adnetworks".newestPulumiTested): its CLI, built once from the Go module
# proxy into its own cache (~/.cache/pulumi-adnetworks/pulumi-<version>,
# like the pinned one; seconds when cached), installed into
# .tools/engines/<version>/bin. `npm test` runs a program with it, Node 22
# and @pulumi/pulumi of the same version (test/e2e.package.test.ts).
#
#   npm run setup:newest
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(node -p "require('$here/package.json').adnetworks.newestPulumiTested")"
PULUMI_VERSION="$version" ADNET_TOOLS_DIR="$here/.tools/engines/$version/bin" bash "$here/scripts/setup-pulumi.sh"
