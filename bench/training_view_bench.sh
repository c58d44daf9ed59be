#!/usr/bin/env bash
# Measures the Training view against the CLI on this machine:
#   1. the GUI thread's event-loop latency while the view trains unet-tiny on
#      Fashion-MNIST (a 10 ms timer's lateness, p50 / p99 / max, idle first);
#   2. the step rate of training from the view against `ddpm train` for the same
#      settings and threads, run alternately (CLI first on odd repeats, GUI first on even
#      ones) so that load from other work on a shared machine falls on both.
#
#   [CLI=path/to/ddpm] [CONFIGS=...] [PREVIEW=5] bench/training_view_bench.sh [build folder] [repeats]
#       [latency seconds, 0: skip]
#
# The step rate is the training loop's: steps / seconds from the first step to the last
# (what `ddpm train`'s progress line prints as it/s). The view draws a preview every 5 s
# by default (PREVIEW=0 turns that off); the CLI draws none. Uses the offscreen Qt platform.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build/release}"
repeats="${2:-3}"
latency_seconds="${3:-60}"
preview="${PREVIEW:-5}"
cli="${CLI:-$build/app/ddpm}"
gui="$build/bench/training_view_bench"
for tool in "$cli" "$gui"; do
  [[ -x "$tool" ]] || { echo "training_view_bench.sh: '$tool' not built (cmake -DDDPM_BUILD_BENCH=ON $build && cmake --build $build --target ddpm training_view_bench)" >&2; exit 2; }
done
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "# $(date -u +%FT%TZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ "$latency_seconds" != 0 ]]; then
  echo "# latency: unet-tiny on fashion-mnist, batch 64, ${latency_seconds} s"
  "$gui" latency --data fashion-mnist --model unet-tiny --batch 64 --seconds "$latency_seconds" --preview "$preview" |
    grep -v '^#'
fi

cli_rate() {  # data model batch steps threads
  "$cli" --threads "$5" train --data "$1" --model "$2" --batch "$3" --steps "$4" --seed 1 \
    --out "$work/cli.safetensors" </dev/null 2>&1 | grep 'it/s' | tail -n 1 | sed -n 's/.*  \([0-9.e+]*\) it\/s.*/\1/p'
}
gui_rate() {
  "$gui" rate --data "$1" --model "$2" --batch "$3" --steps "$4" --threads "$5" --preview "$preview" </dev/null |
    sed -n 's/.*"steps_per_s": \([0-9.]*\).*/\1/p'
}

echo "# step rate, GUI (preview every ${preview} s) against CLI; ratio = GUI / CLI"
# CONFIGS: "data model batch steps threads" per line (default: the two below).
configs="${CONFIGS:-moons mlp 256 3000 1
fashion-mnist unet-tiny 64 60 2}"
while IFS= read -r config; do
  [[ -n "$config" ]] || continue
  ratios=()
  for ((rep = 1; rep <= repeats; ++rep)); do
    if ((rep % 2)); then
      c=$(cli_rate $config); g=$(gui_rate $config)
    else
      g=$(gui_rate $config); c=$(cli_rate $config)
    fi
    ratio=$(awk -v g="$g" -v c="$c" 'BEGIN { printf "%.3f", g / c }')
    ratios+=("$ratio")
    echo "{\"bench\": \"training_rate_vs_cli\", \"config\": \"$config\", \"repeat\": $rep, \"cli_steps_per_s\": $c, \"gui_steps_per_s\": $g, \"ratio\": $ratio}"
  done
  printf '%s\n' "${ratios[@]}" | sort -n | awk -v config="$config" '{ r[NR] = $1 } END {
    median = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
    printf "# %s: median ratio %.3f (min %.3f, max %.3f, %d repeats)\n", config, median, r[1], r[NR], NR }'
done <<<"$configs"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
