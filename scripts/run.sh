#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to the open app: install, build, run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh release
exec ./build/release/app/ddpm-studio "$@"
