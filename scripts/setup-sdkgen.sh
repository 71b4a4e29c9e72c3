#!/usr/bin/env bash
# Builds the SDK generator (tools/sdkgen: Pulumi's own Python and Go code
# generators, pkg/v3/codegen of the CLI's Pulumi version) once, caches it
# under $HOME keyed by that version and a hash of its sources, and installs
# it as ./.tools/bin/pulumi-adnetworks-sdkgen. `npm run sdk` and the SDK test
# (test/sdk.test.ts) run it.
#
#   scripts/setup-sdkgen.sh     # idempotent; a second when cached
#
# Go's modules come from the module proxy; with the CLI built here first
# (npm run setup:pulumi), Go's caches already hold them and the build takes
# about a minute on a free core.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$here/tools/sdkgen"
dest="${ADNET_TOOLS_DIR:-$here/.tools/bin}"
say() { printf '[setup:sdkgen] %s\n' "$*" >&2; }

version="$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2 } $1 == "require" && $2 == "github.com/pulumi/pulumi/pkg/v3" { print $3 }' "$src/go.mod" | head -1)"
version="${version#v}"
if [ -z "$version" ]; then
  echo "setup:sdkgen: $src/go.mod requires no github.com/pulumi/pulumi/pkg/v3" >&2
  exit 1
fi
hash="$(cat "$src/go.mod" "$src/go.sum" "$src/main.go" | sha256sum | cut -c1-12)"
cache="${ADNET_SDKGEN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-adnetworks/sdkgen-$version-$hash}"

mkdir -p "$dest"
if [ ! -x "$cache/sdkgen" ]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "setup:sdkgen: Go is not installed; install Go 1.26 or newer (e.g. 'apt-get install golang-go' or from go.dev) and run 'npm run setup:sdkgen' again." >&2
    exit 1
  fi
  mkdir -p "$cache"
  log="$cache/build.log"
  say "building the SDK generator on Pulumi v$version's codegen (first time on this machine only; about a minute when Go's caches hold the CLI's build, else several)"
  say "  Go's output: $log"
  start=$SECONDS
  if ! ( cd "$src" && GOFLAGS="-mod=readonly" GONOSUMDB="${GONOSUMDB:-github.com/pulumi/*}" GOTOOLCHAIN=local CGO_ENABLED=0 \
        nice -n 10 go build -trimpath -o "$cache/sdkgen.tmp" . ) > "$log" 2>&1; then
    say "FAILED: building tools/sdkgen. Go's output ($log):"
    cat "$log" >&2
    exit 1
  fi
  mv "$cache/sdkgen.tmp" "$cache/sdkgen"
  say "built in $((SECONDS - start)) s"
fi
cp -f "$cache/sdkgen" "$dest/pulumi-adnetworks-sdkgen"
say "installed ${dest#$here/}/pulumi-adnetworks-sdkgen (Pulumi v$version codegen)"
