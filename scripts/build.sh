#!/usr/bin/env bash
# Configures and builds DDPM Studio (CMake preset "release" unless one is given).
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
