#!/usr/bin/env bash
# Classifier-free guidance on a class-conditional 2D model: for every class and every
# weight w, `ddpm score --class C --guidance W` gives the class accuracy (the fraction of
# samples whose 5 nearest held-out points vote for class C) and the energy distance to
# the held-out points of class C (lower is closer to the class's true distribution).
# Prints CSV: class,w,class_accuracy,energy_distance,seconds.
#
#   bench/guidance_2d.sh [ddpm binary] [checkpoint] [n] [sampler args…]
#       e.g. bench/guidance_2d.sh build/release/app/ddpm gaussians8-conditional 2000 --sampler ddim --steps 50
set -euo pipefail
ddpm="${1:-build/release/app/ddpm}"
checkpoint="${2:-gaussians8-conditional}"
n="${3:-2000}"
sampler=("${@:4}")
[[ ${#sampler[@]} -gt 0 ]] || sampler=(--sampler ddim --steps 50)
[[ -x "$ddpm" ]] || { echo "guidance_2d.sh: '$ddpm' is not an executable" >&2; exit 2; }
classes=$("$ddpm" info "$checkpoint" | awk -F: '/"num_classes"/ { gsub(/[ ,]/, "", $2); print $2 }')
[[ -n "$classes" ]] || { echo "guidance_2d.sh: '$checkpoint' is not a class-conditional model" >&2; exit 2; }

echo "class,w,class_accuracy,energy_distance,seconds"
for ((c = 0; c < classes; ++c)); do
  for w in 0 0.5 1 2 3 5 7; do
    start=$(date +%s.%N)
    out=$("$ddpm" --threads 1 score --checkpoint "$checkpoint" --n "$n" --class "$c" --guidance "$w" "${sampler[@]}" 2>/dev/null)
    end=$(date +%s.%N)
    printf '%s,%s,%s,%s,%.1f\n' "$c" "$w" "$(awk '/^class accuracy:/ { print $3 }' <<<"$out")" \
      "$(awk '/^energy distance:/ { print $3 }' <<<"$out")" "$(echo "$end - $start" | bc)"
  done
done
