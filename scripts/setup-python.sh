#!/usr/bin/env bash
# The Python side of the tests (issue #33): a virtual environment with the
# Pulumi Python SDK from PyPI at exactly the version of the project's
# @pulumi/pulumi (the CLI's) and what the generated pulumi_adnetworks
# (sdk/python) needs besides (parver, semver), cached under the project's cache and keyed by
# that version; seconds when present. `npm test` calls it (pretest);
# test/e2e.python.test.ts runs Python programs with it as Automation API
# inline programs (the stock Python language host is a Go program this
# machine cannot build; an inline program serves its own language runtime).
#
#   npm run setup:python            # idempotent; prints the venv's python
#
# Environment:
#   PULUMI_VERSION        the SDK version (default: the installed @pulumi/pulumi, else package.json's pin)
#   ADNET_PYTHON_VENV     where the venv goes (default ~/.cache/pulumi-adnetworks/python-<version>)
#   ADNET_PYTHON          the Python interpreter to make it with (default python3)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
default_version="$(cd "$here" && node -p "require(require.resolve('@pulumi/pulumi/package.json', { paths: [process.cwd()] })).version" 2>/dev/null || node -p "require('$here/package.json').devDependencies['@pulumi/pulumi']" 2>/dev/null || true)"
version="${PULUMI_VERSION:-${default_version:-3.248.0}}"
version="${version#v}"
venv="${ADNET_PYTHON_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-adnetworks/python-$version}"
say() { printf '[setup:python] %s\n' "$*" >&2; }

# What the venv holds: the SDK, and what the generated pulumi_adnetworks (sdk/python/pyproject.toml) needs besides.
reqs=("pulumi==$version" "parver>=0.2.1" "semver>=2.8.1")
marker="${reqs[*]}"
# Present and complete (the marker is written last): nothing to do.
if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.adnet-ready" 2>/dev/null)" = "$marker" ]; then
  echo "$venv/bin/python"
  exit 0
fi
# The right pulumi already there (an older marker): only what is missing, in seconds.
if [ -x "$venv/bin/python" ] && [ "$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("pulumi"))' 2>/dev/null)" = "$version" ]; then
  if "$venv/bin/python" -m pip install --disable-pip-version-check -q "${reqs[@]}" >&2; then
    echo "$marker" > "$venv/.adnet-ready"
    echo "$venv/bin/python"
    exit 0
  fi
fi

py="${ADNET_PYTHON:-python3}"
if ! command -v "$py" >/dev/null 2>&1; then
  echo "setup:python: $py is not installed; install Python 3.9 or newer with its venv module (Debian/Ubuntu: apt-get install -y python3 python3-venv) and run 'npm run setup:python' again." >&2
  exit 1
fi
if ! "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' 2>/dev/null; then
  echo "setup:python: $("$py" --version 2>&1) is too old for the Pulumi Python SDK; install Python 3.9 or newer (Debian/Ubuntu: apt-get install -y python3 python3-venv)." >&2
  exit 1
fi
if ! "$py" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "setup:python: $py has no venv module (with ensurepip); install it (Debian/Ubuntu: apt-get install -y python3-venv) and run 'npm run setup:python' again." >&2
  exit 1
fi

say "making $venv with pulumi==$version from PyPI (first time on this machine only)"
# A half-made venv (no marker) is made again.
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
"$py" -m venv "$venv" >&2
log="$venv/install.log"
if ! "$venv/bin/python" -m pip install --disable-pip-version-check -q "${reqs[@]}" > "$log" 2>&1; then
  say "FAILED: pip install ${reqs[*]} into $venv; its output:"
  cat "$log" >&2
  exit 1
fi
got="$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("pulumi"))')"
if [ "$got" != "$version" ]; then
  echo "setup:python: the venv has pulumi $got, expected $version" >&2
  exit 1
fi
echo "$marker" > "$venv/.adnet-ready"
say "pulumi $got installed in $venv"
echo "$venv/bin/python"
