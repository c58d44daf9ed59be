#!/usr/bin/env bash
# The time of one Sampling-view run (16 samples of the shipped Fashion-MNIST unet-tiny by
# default) for each sampler and number of network evaluations, in float32 and in bf16
# autocast, measured side by side: each pair runs fp32 then bf16 right after it, so a
# change of machine load hits both. Needs a CPU with AVX512_BF16 (or CUDA) for bf16.
# Prints CSV: sampler,steps,nfe,fp32_s,bf16_s,speedup.
#
#   bench/sampling_precision.sh [ddpm binary] [checkpoint] [n]
#       e.g. bench/sampling_precision.sh build/release/app/ddpm fashion-mnist 16
set -euo pipefail
ddpm="${1:-build/release/app/ddpm}"
checkpoint="${2:-fashion-mnist}"
n="${3:-16}"
[[ -x "$ddpm" ]] || { echo "sampling_precision.sh: '$ddpm' is not an executable" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

seconds() {  # precision sampler steps
  local start end
  start=$(date +%s.%N)
  "$ddpm" sample --checkpoint "$checkpoint" --n "$n" --seed 0 --precision "$1" --sampler "$2" \
    ${3:+--steps "$3"} --out "$out/samples.png" > /dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

row() {  # sampler steps
  local nfe="${2:-1000}" fp32 bf16
  [[ "$1" == heun ]] && nfe=$((2 * $2 - 1))
  fp32=$(seconds fp32 "$1" "$2")
  bf16=$(seconds bf16 "$1" "$2")
  printf '%s,%s,%s,%.2f,%.2f,%.2f\n' "$1" "${2:-T}" "$nfe" "$fp32" "$bf16" "$(echo "$fp32 / $bf16" | bc -l)"
}

echo "sampler,steps,nfe,fp32_s,bf16_s,speedup"
row ddpm ""
for k in 20 50; do row ddim "$k"; done
for k in 10 20; do row dpm-solver++ "$k"; done
row euler 20
row heun 10
