#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a passing test suite: install, build,
# run every test with ctest (offscreen; no display needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
start=$(date +%s)
# The GUI benchmarks in bench/ are not tests: leave them out of this build (bench/*.sh
# say how to add them).
cmake --preset release -DDDPM_BUILD_BENCH=OFF >/dev/null
bash scripts/build.sh release
built=$(date +%s)
export QT_QPA_PLATFORM=offscreen
ctest --preset release -j "$(nproc)" "$@"
echo "test.sh: build $((built - start)) s, tests $(($(date +%s) - built)) s"
