#!/usr/bin/env bash
# Builds Pulumi YAML's language host (`pulumi-language-yaml`, the program the
# CLI runs for `runtime: yaml`) from its Go module, caches the build under
# $HOME keyed by version like the CLI (scripts/setup-pulumi.sh), and installs
# it into ./.tools/bin beside `pulumi`.
#
#   scripts/setup-yaml.sh              # idempotent; a second when cached
#   npm run setup:yaml
#
# The version is package.json's "adnetworks".pulumiYamlVersion (the proxy
# serves github.com/pulumi/pulumi-yaml v1.25.0). It is built from a small
# wrapper module that requires it: pulumi-yaml v1.25.0 does not compile
# against the CLI's pkg/sdk v3.248.0 (schema.NewPluginLoader and
# plugin.NewContextWithRoot changed), so the wrapper keeps the Pulumi
# modules pulumi-yaml's go.mod asks for (v3.206.0); the language host talks
# to the CLI over gRPC only, so the two need not share a version.
#
# Environment:
#   ADNET_YAML_CACHE   where the build is cached (default ~/.cache/pulumi-adnetworks/pulumi-language-yaml-<version>)
#   ADNET_TOOLS_DIR    where to install (default <this package>/.tools/bin)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(node -p "require('$here/package.json').adnetworks.pulumiYamlVersion")"
version="${version#v}"
cache="${ADNET_YAML_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-adnetworks/pulumi-language-yaml-$version}"
dest="${ADNET_TOOLS_DIR:-$here/.tools/bin}"
# Measured on 2 shared cores (load 8 to 26), see docs/languages.md.
build_estimate="about 12 minutes on 2 cores shared with other jobs (load 15 to 27) the first time, 20 seconds once Go's build cache holds it"

say() { printf '[setup:yaml] %s\n' "$*" >&2; }
# The host prints no version; a finished build writes this stamp beside it.
stamp="$cache/bin/pulumi-language-yaml.version"

mkdir -p "$dest"

if [ ! -x "$cache/bin/pulumi-language-yaml" ] || [ "$(cat "$stamp" 2>/dev/null)" != "v$version" ]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "setup:yaml: Go is not installed, and Pulumi YAML's language host is built from its Go module; install Go 1.24 or newer (e.g. 'apt-get install golang-go' or from go.dev) and run 'npm run setup:yaml' again, or install pulumi-language-yaml with the Pulumi CLI from pulumi.com (it ships with it)." >&2
    exit 1
  fi
  mkdir -p "$cache/src" "$cache/bin"
  log="$cache/build.log"
  : > "$log"
  say "building pulumi-language-yaml v$version from its Go module (first time on this machine only)"
  say "  takes $build_estimate"
  say "  Go's output: $log"
  cd "$cache/src"
  export GOFLAGS="${GOFLAGS:-} -mod=mod"
  export CGO_ENABLED=0
  export GONOSUMDB="${GONOSUMDB:-github.com/pulumi/*}"
  export GOTOOLCHAIN=local
  start=$SECONDS
  elapsed() { local s=$((SECONDS-start)); printf '%dm%02ds' $((s/60)) $((s%60)); }
  step() {
    local what="$1"; shift
    printf '\n$ %s\n' "$*" >> "$log"
    if ! "$@" >> "$log" 2>&1; then
      say "FAILED: $what. Go's output ($log):"
      cat "$log" >&2
      exit 1
    fi
  }
  # The wrapper module: requires pulumi-yaml at the version, nothing else pinned.
  rm -f go.mod go.sum
  step "go mod init" go mod init local/pulumi-language-yaml-wrapper
  say "[1/2] downloading the Go modules of pulumi-yaml v$version ($(elapsed))"
  step "resolving github.com/pulumi/pulumi-yaml@v$version" go get "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$version"
  pkg="github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
  tags="osusergo,grpcnotrace"
  total="$(go list -tags "$tags" -deps "$pkg" 2>>"$log" | wc -l | tr -d ' ')"
  say "[2/2] compiling pulumi-language-yaml: $total Go packages ($(elapsed) so far)"
  built="$cache/build.packages"
  : > "$built"
  ( printf '\n$ go build -v ... %s\n' "$pkg" >> "$log"
    nice -n 10 go build -v -trimpath -tags "$tags" -ldflags "-s -w" -o "$cache/bin/pulumi-language-yaml.tmp" "$pkg" 2> >(tee -a "$log" > "$built") ) &
  pid=$!
  every="${ADNET_SETUP_PROGRESS_SECONDS:-30}"
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq "$every"); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null || break
    say "  compiling: $(wc -l < "$built" | tr -d ' ') of at most $total packages compiled, $(elapsed) so far"
  done
  if ! wait "$pid"; then
    say "FAILED: compiling pulumi-language-yaml. Go's output ($log):"
    cat "$log" >&2
    exit 1
  fi
  rm -f "$built"
  mv "$cache/bin/pulumi-language-yaml.tmp" "$cache/bin/pulumi-language-yaml"
  printf 'v%s\n' "$version" > "$stamp"
  say "built pulumi-language-yaml v$version in $(elapsed) (log: $log)"
fi

if ! cmp -s "$cache/bin/pulumi-language-yaml" "$dest/pulumi-language-yaml" 2>/dev/null; then
  cp -f "$cache/bin/pulumi-language-yaml" "$dest/pulumi-language-yaml"
  say "installed pulumi-language-yaml v$version into ${dest#$here/}"
else
  say "pulumi-language-yaml v$version already installed in ${dest#$here/}"
fi
