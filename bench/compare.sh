#!/usr/bin/env bash
# One command for the C++ vs PyTorch comparison of docs/performance.md: builds `ddpm`
# (release, no GUI) if it is missing, then runs bench/compare.py with the arguments given,
# e.g. `bash bench/compare.sh --rounds 5 --threads 1,2`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ddpm="${DDPM:-$root/build/release/app/ddpm}"
if [ ! -x "$ddpm" ]; then
  cmake -S "$root" -B "$root/build/release" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDDPM_BUILD_GUI=OFF
  cmake --build "$root/build/release" --target ddpm -j 2
fi
exec /usr/bin/python3 "$root/bench/compare.py" --ddpm "$ddpm" "$@"
