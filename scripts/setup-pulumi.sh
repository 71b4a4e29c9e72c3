#!/usr/bin/env bash
# Builds the Pulumi CLI from its Go modules (the only route to the engine on
# machines that reach package registries only), caches the build under $HOME
# keyed by version, and installs it with the dynamic-provider launcher and
# the Node.js language host launcher into ./.tools/bin.
#
#   scripts/setup-pulumi.sh            # idempotent; seconds when cached
#   PULUMI_VERSION=3.248.0 scripts/setup-pulumi.sh
#
# Environment:
#   PULUMI_VERSION       the version to build (default: the installed @pulumi/pulumi, else package.json's devDependencies pin)
#   ADNET_PULUMI_CACHE   where the build is cached (default ~/.cache/pulumi-adnetworks/pulumi-<version>)
#   ADNET_TOOLS_DIR      where to install (default <this package>/.tools/bin; `adnet-setup` passes <project>/.tools/bin)
#   ADNET_SETUP_LAUNCHER_ONLY=1   only write the dynamic-provider launcher (for a Pulumi CLI installed the ordinary way)
#
# Go's own output goes to a log file (its path is printed, and shown in full
# when a step fails); the terminal gets a few lines and progress.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The CLI must match the installed @pulumi/pulumi SDK: the one this package
# resolves (a peer dependency: the project's own), else this repository's pin.
default_version="$(cd "$here" && node -p "require(require.resolve('@pulumi/pulumi/package.json', { paths: [process.cwd()] })).version" 2>/dev/null || node -p "require('$here/package.json').devDependencies['@pulumi/pulumi']" 2>/dev/null || true)"
version="${PULUMI_VERSION:-${default_version:-3.248.0}}"
version="${version#v}"
# The language host has no version tag: it is fetched by the commit of the
# pkg/v<version> tag (read from the proxy's origin data when possible).
declare -A known_commits=(
  [3.245.0]=bb4f3bf911f8d19971adf2e1e08f8ddff95fe865
  [3.248.0]=dc7edd58bc13179f81b80983aab4eb7f74a01b41
)
cache="${ADNET_PULUMI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-adnetworks/pulumi-$version}"
dest="${ADNET_TOOLS_DIR:-$here/.tools/bin}"   # adnet-setup and scripts/setup-engine.sh install elsewhere
# This package's Node.js language host (compiled into dist/ by `npm run build`; shipped in the npm package).
langhost_main="$here/dist/provider/language-host/main.js"
# Measured for 3.248.0 on 2 cores (see docs/engine.md); printed before a build.
build_estimate="about 6 minutes on 2 free cores, about 14 minutes when other jobs share them"
disk_estimate="about 3.2 GB: Go modules 1.4 GB and Go build cache 1.6 GB (Go's own caches; 'go clean -modcache -cache' frees them once built), 0.1 GB for the cached binaries and 0.1 GB per project"

say() { printf '[setup:pulumi] %s\n' "$*" >&2; }

installed_version() { "$1" version 2>/dev/null | tr -d '\r\n' || true; }

write_provider_launcher() {
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
}

write_plugin_launcher() {
  # The adnetworks resource-provider plugin (provider/plugin, compiled into
  # dist/): the CLI finds pulumi-resource-adnetworks on PATH.
  cat > "$1/pulumi-resource-adnetworks" <<SH
#!/bin/sh
exec node "$here/dist/provider/plugin/main.js" "\$@"
SH
  chmod 0755 "$1/pulumi-resource-adnetworks"
}

write_launcher() {
  write_provider_launcher "$1"
  write_plugin_launcher "$1"
  write_language_host "$1"
}

write_language_host() {
  # Without the Go language host, `pulumi-language-nodejs` is this package's
  # Node.js implementation (provider/language-host, compiled into dist/), so
  # the CLI can run programs from a directory (`pulumi up`) too. A Go host
  # copied from the cache is never replaced.
  if [ -x "$cache/bin/pulumi-language-nodejs" ]; then
    return 0
  fi
  if [ -f "$1/pulumi-language-nodejs" ] && ! head -c 200 "$1/pulumi-language-nodejs" | grep -q 'Node.js implementation'; then
    return 0
  fi
  case "$here" in
    */node_modules/*) fix="reinstall pulumi-adnetworks (npm install) and run 'npx adnet-setup' again" ;;
    *) fix="run 'npm run build' in $here" ;;
  esac
  if [ ! -f "$langhost_main" ]; then
    say "note: $langhost_main is missing ($fix); the launcher is written anyway"
  fi
  cat > "$1/pulumi-language-nodejs" <<SH
#!/bin/sh
# Node.js implementation of the Pulumi Node.js language host (written by scripts/setup-pulumi.sh).
main="$langhost_main"
if [ ! -f "\$main" ]; then
  echo "pulumi-language-nodejs: \$main is missing; $fix" >&2
  exit 1
fi
exec node "\$main" "\$@"
SH
  chmod 0755 "$1/pulumi-language-nodejs"
}

mkdir -p "$dest"

if [ "${ADNET_SETUP_LAUNCHER_ONLY:-}" = 1 ]; then
  write_provider_launcher "$dest"
  write_plugin_launcher "$dest"
  say "wrote the dynamic-provider launcher and the adnetworks plugin into $dest (put it first on PATH, before your Pulumi CLI's directory)"
  exit 0
fi

if [ -x "$dest/pulumi" ] && [ "$(installed_version "$dest/pulumi")" = "v$version" ]; then
  write_launcher "$dest"
  say "Pulumi v$version already installed in $dest"
  exit 0
fi

if [ ! -x "$cache/bin/pulumi" ] || [ "$(installed_version "$cache/bin/pulumi")" != "v$version" ]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "setup:pulumi: Go is not installed; install Go 1.25 or newer (e.g. 'apt-get install golang-go' or from go.dev) and run this again, or install the Pulumi CLI from pulumi.com (see the README)." >&2
    exit 1
  fi
  mkdir -p "$cache/src" "$cache/bin"
  log="$cache/build.log"
  : > "$log"
  say "building Pulumi v$version from its Go modules (first time on this machine only)"
  say "  takes $build_estimate"
  say "  disk: $disk_estimate"
  say "  Go's output: $log"
  avail_kb="$(df -Pk "$cache" 2>/dev/null | awk 'NR==2 {print $4}')"
  if [ -n "$avail_kb" ] && [ "$avail_kb" -lt 3500000 ]; then
    say "  warning: only $((avail_kb / 1024)) MB free where the build goes; it needs about 3.2 GB"
  fi
  cd "$cache/src"
  export GOFLAGS="${GOFLAGS:-} -mod=mod"
  export CGO_ENABLED=0
  # The checksum database is not reachable through the proxy here for every
  # module; go.sum of the downloaded pulumi modules still pins their deps.
  export GONOSUMDB="${GONOSUMDB:-github.com/pulumi/*}"
  export GOTOOLCHAIN=local
  start=$SECONDS
  elapsed() { local s=$((SECONDS-start)); printf '%dm%02ds' $((s/60)) $((s%60)); }
  # Runs one Go step with its output in the log; on failure prints the log and stops.
  step() {
    local what="$1"; shift
    printf '\n$ %s\n' "$*" >> "$log"
    if ! "$@" >> "$log" 2>&1; then
      say "FAILED: $what. Go's output ($log):"
      cat "$log" >&2
      exit 1
    fi
  }
  [ -f go.mod ] || step "go mod init" go mod init local/pulumi-tools
  say "[1/3] downloading the Go modules of pulumi v$version ($(elapsed))"
  step "resolving github.com/pulumi/pulumi/pkg/v3@v$version" go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$version"
  commit="${known_commits[$version]:-}"
  if [ -z "$commit" ]; then
    commit="$(go mod download -json "github.com/pulumi/pulumi/pkg/v3@v$version" 2>>"$log" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{const j=JSON.parse(s);process.stdout.write((j.Origin&&j.Origin.Hash)||"")}catch(e){}})')"
  fi
  langhost=0
  if [ -n "$commit" ]; then
    printf '\n$ go get github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@%s\n' "$commit" >> "$log"
    if go get "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@$commit" >> "$log" 2>&1; then
      langhost=1
    fi
  fi
  if [ "$langhost" = 0 ]; then
    # The language host has no tag; proxies that refuse commit queries cannot
    # serve it. This package's Node.js language host is used instead.
    echo "(the Go Node.js language host is not served by this Go proxy: expected; this package's Node.js language host is used)" >> "$log"
  fi
  # Keep pkg and sdk at exactly the release (the host's go.mod may ask for older ones).
  step "pinning pkg and sdk to v$version" go get "github.com/pulumi/pulumi/pkg/v3@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version"
  step "listing the modules" go list -m github.com/pulumi/pulumi/pkg/v3 github.com/pulumi/pulumi/sdk/v3
  ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"
  tags="osusergo,grpcnotrace"
  total="$(go list -tags "$tags" -deps github.com/pulumi/pulumi/pkg/v3/cmd/pulumi 2>>"$log" | wc -l | tr -d ' ')"
  say "[2/3] compiling pulumi: $total Go packages, the long step ($(elapsed) so far)"
  built="$cache/build.packages"
  : > "$built"
  # `go build -v` names each package as it compiles it (cached ones are not named).
  ( printf '\n$ go build -v ... github.com/pulumi/pulumi/pkg/v3/cmd/pulumi\n' >> "$log"
    go build -v -trimpath -tags "$tags" -ldflags "$ldflags" -o "$cache/bin/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi 2> >(tee -a "$log" > "$built") ) &
  pid=$!
  every="${ADNET_SETUP_PROGRESS_SECONDS:-30}"
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq "$every"); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null || break
    say "  compiling: $(wc -l < "$built" | tr -d ' ') of at most $total packages compiled, $(elapsed) so far"
  done
  if ! wait "$pid"; then
    say "FAILED: compiling pulumi. Go's output ($log):"
    cat "$log" >&2
    exit 1
  fi
  mv "$cache/bin/pulumi.tmp" "$cache/bin/pulumi"
  if [ "$langhost" = 1 ]; then
    say "[3/3] compiling pulumi-language-nodejs ($(elapsed) so far)"
    step "compiling pulumi-language-nodejs" go build -trimpath -tags "$tags" -ldflags "$ldflags" -o "$cache/bin/pulumi-language-nodejs.tmp" github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
    mv "$cache/bin/pulumi-language-nodejs.tmp" "$cache/bin/pulumi-language-nodejs"
  else
    say "[3/3] the Go Node.js language host is not available from this Go proxy (expected): using this package's Node.js language host"
  fi
  rm -f "$built"
  say "built Pulumi v$version in $(elapsed) (log: $log)"
fi

cp -f "$cache/bin/pulumi" "$dest/"
[ ! -x "$cache/bin/pulumi-language-nodejs" ] || cp -f "$cache/bin/pulumi-language-nodejs" "$dest/"
write_launcher "$dest"
got="$(installed_version "$dest/pulumi")"
if [ "$got" != "v$version" ]; then
  echo "setup:pulumi: installed pulumi reports '$got', expected v$version" >&2
  exit 1
fi
say "installed into ${dest#$here/}: pulumi version -> $got"
