#!/usr/bin/env bash
# Classifier-free guidance on a class-conditional Fashion-MNIST model: for every class
# and every weight w, `ddpm score --class C --guidance W` gives the class accuracy (the
# fraction of samples the project's own classifier, resources/checkpoints/
# fmnist-classifier.safetensors, puts in class C) and the Fréchet distance in that
# classifier's features to the test images of class C (docs/quality-score.md; biased
# upwards at small N, so compare rows with each other).
# With NOISY_CLASSIFIER set, the same for classifier guidance of an unconditional model:
# `--noisy-classifier F --class C --classifier-scale S`, the weights being the scales s.
# Prints CSV: class,w,class_accuracy,fd,seconds (w is s with a classifier).
#
#   [WEIGHTS="0 1 3 7"] [NOISY_CLASSIFIER=F] bench/guidance_fashion.sh [ddpm binary] [checkpoint] [n] [sampler args…]
#       e.g. bench/guidance_fashion.sh build/release/app/ddpm runs/fmnist-cond.safetensors 100 \
#              --sampler dpm-solver++ --steps 20 --precision bf16
#            NOISY_CLASSIFIER=fashion-mnist-noisy-classifier WEIGHTS="0 1 3 10" \
#              bench/guidance_fashion.sh build/release/app/ddpm fashion-mnist 100 --sampler dpm-solver++ --steps 20
set -euo pipefail
ddpm="${1:-build/release/app/ddpm}"
checkpoint="${2:-runs/fmnist-cond.safetensors}"
n="${3:-100}"
sampler=("${@:4}")
[[ ${#sampler[@]} -gt 0 ]] || sampler=(--sampler dpm-solver++ --steps 20)
read -r -a weights <<<"${WEIGHTS:-0 1 3 7}"
[[ -x "$ddpm" ]] || { echo "guidance_fashion.sh: '$ddpm' is not an executable" >&2; exit 2; }
if [[ -n "${NOISY_CLASSIFIER:-}" ]]; then
  classes=$("$ddpm" info "$NOISY_CLASSIFIER" | python3 -c 'import json, sys; print(json.load(sys.stdin)["model"]["classes"])')
  steer() { echo --noisy-classifier "$NOISY_CLASSIFIER" --classifier-scale "$1"; }
else
  classes=$("$ddpm" info "$checkpoint" | awk -F: '/"num_classes"/ { gsub(/[ ,]/, "", $2); print $2 }')
  [[ -n "$classes" ]] || { echo "guidance_fashion.sh: '$checkpoint' is not a class-conditional model" >&2; exit 2; }
  steer() { echo --guidance "$1"; }
fi

echo "class,w,class_accuracy,fd,seconds"
for w in "${weights[@]}"; do
  for ((c = 0; c < classes; ++c)); do
    start=$(date +%s.%N)
    # shellcheck disable=SC2046  # steer prints flags without spaces inside them
    out=$("$ddpm" --threads 1 score --checkpoint "$checkpoint" --n "$n" --seed 0 --class "$c" $(steer "$w") \
            "${sampler[@]}" 2>/dev/null | tail -1)
    end=$(date +%s.%N)
    scores=$(python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(d["class_accuracy"], d["fd"], sep=",")' "$out")
    printf '%s,%s,%s,%.1f\n' "$c" "$w" "$scores" "$(echo "$end - $start" | bc)"
  done
done
