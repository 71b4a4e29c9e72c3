#!/usr/bin/env bash
# Installs moto's S3-compatible server (PyPI `moto[server]`) into a venv under
# the project's cache when missing, for the tests of the s3:// backend
# (scripts/lib/moto.ts calls it). Prints the path of moto_server.
set -euo pipefail
venv="${ADNET_CACHE:-$HOME/.cache/pulumi-adnetworks}/moto-venv"
if [ -x "$venv/bin/moto_server" ]; then echo "$venv/bin/moto_server"; exit 0; fi
py=$(command -v python3 || true)
if [ -z "$py" ]; then echo "python3 is missing: install it (apt-get install -y python3 python3-venv) to test the s3:// backend" >&2; exit 1; fi
echo "[moto] installing moto[server] from PyPI into $venv ..." >&2
"$py" -m venv "$venv" >&2
"$venv/bin/pip" install -q 'moto[server]' >&2
echo "$venv/bin/moto_server"
