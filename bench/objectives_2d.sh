#!/usr/bin/env bash
# Table 2 of Ho et al. (2020) on a 2D set: trains the mlp preset once per objective and
# loss (same data, seed, schedule and number of steps), then measures each checkpoint's
# bound (`ddpm nll`, all T terms, differential bits/dim on the test split) and sample
# quality (`ddpm score`, energy distance of DDPM samples to held-out points, with the
# Gaussian baseline). Prints a markdown table; docs/paper.md quotes it.
#
# usage: bench/objectives_2d.sh BUILD_DIR [WORK_DIR]
# Environment (defaults in brackets): DATA [moons] STEPS [1500] BATCH [256] LR [1e-3]
#   SEED [1] N [2000] COMBOS ["eps:simple eps:bound mu:simple mu:bound x0:simple x0:bound"]
set -euo pipefail

BUILD=${1:?usage: bench/objectives_2d.sh BUILD_DIR [WORK_DIR]}
WORK=${2:-$BUILD/objectives-2d}
DDPM=$BUILD/app/ddpm
DATA=${DATA:-moons}
STEPS=${STEPS:-1500}
BATCH=${BATCH:-256}
LR=${LR:-1e-3}
SEED=${SEED:-1}
N=${N:-2000}
COMBOS=${COMBOS:-eps:simple eps:bound mu:simple mu:bound x0:simple x0:bound}

[[ -x $DDPM ]] || { echo "objectives_2d.sh: $DDPM not found; build it first" >&2; exit 2; }
mkdir -p "$WORK"
TIMEFORMAT=%R
echo "| objective | loss | steps | training wall s | final loss | bits/dim (nll) | energy distance | gaussian baseline |"
echo "|---|---|---|---|---|---|---|---|"
for combo in $COMBOS; do
  objective=${combo%%:*}
  loss=${combo##*:}
  out=$WORK/$DATA-$objective-$loss.safetensors
  log=$WORK/$DATA-$objective-$loss.log
  seconds=$( { time "$DDPM" --threads 1 train --data "$DATA" --model mlp --objective "$objective" --loss "$loss" \
      --steps "$STEPS" --batch "$BATCH" --lr "$LR" --seed "$SEED" --out "$out" > "$log" 2>&1; } 2>&1 )
  final=$(tr '\r' '\n' < "$log" | grep -o 'loss [0-9.e+-]*' | tail -1 | cut -d' ' -f2)
  nll=$("$DDPM" --threads 1 nll --checkpoint "$out" --n "$N" --seed 0 2>/dev/null | sed -n 's/^bits\/dim: //p')
  score=$("$DDPM" --threads 1 score --checkpoint "$out" --n "$N" --seed 0 2>/dev/null)
  energy=$(sed -n 's/^energy distance: //p' <<< "$score")
  baseline=$(sed -n 's/^gaussian baseline: //p' <<< "$score")
  echo "| $objective | $loss | $STEPS | $seconds | $final | $nll | $energy | $baseline |"
done
