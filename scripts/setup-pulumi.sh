#!/usr/bin/env bash
# Builds the Pulumi CLI and the Node.js language host from their Go modules
# (the only route to the engine on machines that reach package registries
# only), caches the build under $HOME keyed by version, and installs it with
# the dynamic-provider launcher into ./.tools/bin.
#
#   scripts/setup-pulumi.sh            # idempotent; seconds when cached
#   PULUMI_VERSION=3.248.0 scripts/setup-pulumi.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The CLI must match the installed @pulumi/pulumi SDK.
default_version="$(node -p "require('$here/package.json').dependencies['@pulumi/pulumi']" 2>/dev/null || true)"
version="${PULUMI_VERSION:-${default_version:-3.248.0}}"
version="${version#v}"
# The language host has no version tag: it is fetched by the commit of the
# pkg/v<version> tag (read from the proxy's origin data when possible).
declare -A known_commits=(
  [3.245.0]=bb4f3bf911f8d19971adf2e1e08f8ddff95fe865
  [3.248.0]=dc7edd58bc13179f81b80983aab4eb7f74a01b41
)
cache="${ADNET_PULUMI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-adnetworks/pulumi-$version}"
dest="${ADNET_PULUMI_DEST:-$here/.tools/bin}"   # scripts/setup-engine.sh installs other versions elsewhere

say() { printf '[setup:pulumi] %s\n' "$*" >&2; }

installed_version() { "$1" version 2>/dev/null | tr -d '\r\n' || true; }

write_launcher() {
  # The engine starts this with cwd = the program directory; it runs the
  # dynamic-provider host from the program's own @pulumi/pulumi. Programs
  # that use pulumi-adnetworks get its host wrapper, which adds support for
  # the `import` resource option; every other program gets the stock host.
  cat > "$1/pulumi-resource-pulumi-nodejs" <<'SH'
#!/bin/sh
script="$(node -e "try{process.stdout.write(require.resolve('pulumi-adnetworks/dynamic-host'))}catch(e){}")"
[ -n "$script" ] || script="$(node -e "process.stdout.write(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))")" || exit 1
exec node "$script" "$@"
SH
  chmod 0755 "$1/pulumi-resource-pulumi-nodejs"
  write_language_host "$1"
}

write_language_host() {
  # Without the Go language host, `pulumi-language-nodejs` is this repo's
  # Node.js implementation (scripts/language-host, compiled into dist/), so
  # the CLI can run programs from a directory (`pulumi up`) too. A Go host
  # copied from the cache is never replaced.
  if [ -x "$cache/bin/pulumi-language-nodejs" ]; then
    return 0
  fi
  if [ -f "$1/pulumi-language-nodejs" ] && ! head -c 200 "$1/pulumi-language-nodejs" | grep -q 'Node.js implementation'; then
    return 0
  fi
  cat > "$1/pulumi-language-nodejs" <<'SH'
#!/bin/sh
# Node.js implementation of the Pulumi Node.js language host (written by scripts/setup-pulumi.sh).
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
main="$repo/dist/scripts/language-host/main.js"
if [ ! -f "$main" ]; then
  echo "pulumi-language-nodejs: $main is missing; run 'npm run build' in $repo" >&2
  exit 1
fi
exec node "$main" "$@"
SH
  chmod 0755 "$1/pulumi-language-nodejs"
}

if [ -x "$dest/pulumi" ] && [ "$(installed_version "$dest/pulumi")" = "v$version" ]; then
  write_launcher "$dest"
  say "Pulumi v$version already installed in ${dest#$here/}"
  exit 0
fi

if [ ! -x "$cache/bin/pulumi" ] || [ "$(installed_version "$cache/bin/pulumi")" != "v$version" ] \
; then
  if ! command -v go >/dev/null 2>&1; then
    echo "setup:pulumi: Go is not installed; install Go 1.25 or newer (e.g. 'apt-get install golang-go' or from go.dev) and run 'npm run setup:pulumi' again." >&2
    exit 1
  fi
  say "building Pulumi v$version from the Go module proxy into $cache (first time only; ~15-30 min on 2 cores)"
  mkdir -p "$cache/src" "$cache/bin"
  cd "$cache/src"
  [ -f go.mod ] || go mod init local/pulumi-tools >/dev/null 2>&1
  export GOFLAGS="${GOFLAGS:-} -mod=mod"
  export CGO_ENABLED=0
  # The checksum database is not reachable through the proxy here for every
  # module; go.sum of the downloaded pulumi modules still pins their deps.
  export GONOSUMDB="${GONOSUMDB:-github.com/pulumi/*}"
  export GOTOOLCHAIN=local
  start=$SECONDS
  say "[1/4] resolving github.com/pulumi/pulumi/pkg/v3@v$version"
  go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$version"
  commit="${known_commits[$version]:-}"
  if [ -z "$commit" ]; then
    commit="$(go mod download -json "github.com/pulumi/pulumi/pkg/v3@v$version" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);process.stdout.write((j.Origin&&j.Origin.Hash)||"")})')"
  fi
  say "[2/4] resolving the Node.js language host at ${commit:-(unknown commit)}"
  langhost=1
  if [ -z "$commit" ] || ! go get "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@$commit"; then
    # The language host has no tag; proxies that refuse commit queries cannot
    # serve it. Programs then run as Automation API inline programs, which
    # need only the CLI and the dynamic-provider launcher.
    langhost=0
    say "the Node.js language host is not served by this Go proxy; continuing without it (programs run through the Automation API)"
  fi
  # Keep pkg and sdk at exactly the release (the host's go.mod may ask for older ones).
  go get "github.com/pulumi/pulumi/pkg/v3@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version"
  go list -m github.com/pulumi/pulumi/pkg/v3 github.com/pulumi/pulumi/sdk/v3 >&2
  ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"
  say "[3/4] compiling pulumi (the long step; $((SECONDS-start))s so far)"
  go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" -o "$cache/bin/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  mv "$cache/bin/pulumi.tmp" "$cache/bin/pulumi"
  if [ "$langhost" = 1 ]; then
    say "[4/4] compiling pulumi-language-nodejs ($((SECONDS-start))s so far)"
    go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" -o "$cache/bin/pulumi-language-nodejs.tmp" github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
    mv "$cache/bin/pulumi-language-nodejs.tmp" "$cache/bin/pulumi-language-nodejs"
  else
    say "[4/4] skipped pulumi-language-nodejs (not available)"
  fi
  say "built in $((SECONDS-start))s"
fi

mkdir -p "$dest"
cp -f "$cache/bin/pulumi" "$dest/"
[ ! -x "$cache/bin/pulumi-language-nodejs" ] || cp -f "$cache/bin/pulumi-language-nodejs" "$dest/"
write_launcher "$dest"
got="$(installed_version "$dest/pulumi")"
if [ "$got" != "v$version" ]; then
  echo "setup:pulumi: installed pulumi reports '$got', expected v$version" >&2
  exit 1
fi
say "installed into ${dest#$here/}: pulumi version -> $got"
