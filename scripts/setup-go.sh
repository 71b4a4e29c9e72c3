#!/usr/bin/env bash
# Fetches what the Go programs' end-to-end test (test/e2e.go.test.ts) needs:
# the Go modules of test/go (the Automation API driver), examples/go and the
# generated SDK (sdk/go/adnetworks), from the Go module proxy into Go's
# module cache, and compiles the driver once so Go's build cache holds it
# (the test compiles it again in seconds).
#
#   scripts/setup-go.sh     # idempotent; seconds when Go's caches hold it
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { printf '[setup:go] %s\n' "$*" >&2; }

if ! command -v go >/dev/null 2>&1; then
  echo "setup:go: Go is not installed; install Go 1.25 or newer (e.g. 'apt-get install golang-go' or from go.dev) and run 'npm run setup:go' again." >&2
  exit 1
fi
export GOFLAGS="-mod=readonly" GONOSUMDB="${GONOSUMDB:-github.com/pulumi/*}" GOTOOLCHAIN=local CGO_ENABLED=0
start=$SECONDS
cd "$here/test/go"
if ! out="$(nice -n 10 go build -o /dev/null ./driver 2>&1)"; then
  say "FAILED: compiling test/go/driver:"
  printf '%s\n' "$out" >&2
  exit 1
fi
say "Go modules of test/go, examples/go and sdk/go/adnetworks ready; driver compiled ($((SECONDS - start)) s)"
