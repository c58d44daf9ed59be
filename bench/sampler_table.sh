#!/usr/bin/env bash
# Quality against network evaluations for every sampler on one shipped 2D model: the
# energy-distance ratio of `ddpm score` (docs/quality-2d.md; lower is better) at several
# step counts, with the seconds each score took (sampling and scoring, one after another
# in this one run). Prints CSV: sampler,spacing,steps,nfe,ratio,seconds.
#
#   bench/sampler_table.sh [ddpm binary] [checkpoint] [n]
#       e.g. bench/sampler_table.sh build/release/app/ddpm moons 2000 > sampler_table.csv
set -euo pipefail
ddpm="${1:-build/release/app/ddpm}"
checkpoint="${2:-moons}"
n="${3:-2000}"
[[ -x "$ddpm" ]] || { echo "sampler_table.sh: '$ddpm' is not an executable" >&2; exit 2; }

score() {  # sampler spacing steps
  local start end ratio
  start=$(date +%s.%N)
  ratio=$("$ddpm" score --checkpoint "$checkpoint" --n "$n" --sampler "$1" ${3:+--steps "$3"} \
            ${2:+--spacing "$2"} 2>/dev/null | awk '/^ratio:/ { print $2 }')
  end=$(date +%s.%N)
  local nfe="${3:-1000}"
  [[ "$1" == heun ]] && nfe=$((2 * $3 - 1))
  printf '%s,%s,%s,%s,%s,%.1f\n' "$1" "${2:--}" "${3:-T}" "$nfe" "$ratio" "$(echo "$end - $start" | bc)"
}

echo "sampler,spacing,steps,nfe,ratio,seconds"
score ddpm "" ""
for k in 5 10 20 50 100; do
  score ddim uniform "$k"
  score euler uniform "$k"
  score dpm-solver++ logsnr "$k"
  score dpm-solver++ uniform "$k"
done
for k in 3 5 10 25 50; do score heun uniform "$k"; done
