#!/usr/bin/env bash
# Table 2 of Ho et al. (2020): trains one network per objective and loss (same data, seed,
# schedule and number of steps), then measures each checkpoint's bound (`ddpm nll` on the
# test split) and sample quality (`ddpm score`). Prints a markdown table; docs/paper.md
# quotes it. 2D (the default, mlp): all T terms (differential bits/dim) and the energy
# distance of DDPM samples with its Gaussian baseline. Images (MODEL=unet-tiny
# DATA=fashion-mnist): set NLL_ARGS and SCORE_ARGS, e.g. "--n 64 --terms 100" and
# "--n 256 --sampler ddim --steps 50" (the score is then the classifier's Fréchet distance).
#
# usage: bench/objectives_2d.sh BUILD_DIR [WORK_DIR]
# Environment (defaults in brackets): DATA [moons] MODEL [mlp] STEPS [1500] BATCH [256]
#   LR [1e-3] SEED [1] NLL_ARGS ["--n 2000"] SCORE_ARGS ["--n 2000"] THREADS [1]
#   COMBOS ["eps:simple eps:bound mu:simple mu:bound x0:simple x0:bound"]
set -euo pipefail

BUILD=${1:?usage: bench/objectives_2d.sh BUILD_DIR [WORK_DIR]}
WORK=${2:-$BUILD/objectives-2d}
DDPM=$BUILD/app/ddpm
DATA=${DATA:-moons}
MODEL=${MODEL:-mlp}
NLL_ARGS=${NLL_ARGS:---n 2000}
SCORE_ARGS=${SCORE_ARGS:---n 2000}
THREADS=${THREADS:-1}
STEPS=${STEPS:-1500}
BATCH=${BATCH:-256}
LR=${LR:-1e-3}
SEED=${SEED:-1}
COMBOS=${COMBOS:-eps:simple eps:bound mu:simple mu:bound x0:simple x0:bound}

[[ -x $DDPM ]] || { echo "objectives_2d.sh: $DDPM not found; build it first" >&2; exit 2; }
mkdir -p "$WORK"
TIMEFORMAT=%R
echo "| objective | loss | steps | training wall s | final loss | bits/dim (nll) | score | baseline |"
echo "|---|---|---|---|---|---|---|---|"
for combo in $COMBOS; do
  objective=${combo%%:*}
  loss=${combo##*:}
  out=$WORK/$DATA-$objective-$loss.safetensors
  log=$WORK/$DATA-$objective-$loss.log
  seconds=$( { time "$DDPM" --threads "$THREADS" train --data "$DATA" --model "$MODEL" --objective "$objective" --loss "$loss" \
      --steps "$STEPS" --batch "$BATCH" --lr "$LR" --seed "$SEED" --out "$out" > "$log" 2>&1; } 2>&1 )
  final=$(tr '\r' '\n' < "$log" | grep -o 'loss [0-9.e+-]*' | tail -1 | cut -d' ' -f2)
  # shellcheck disable=SC2086  # the ARGS are lists of flags
  nll=$("$DDPM" --threads "$THREADS" nll --checkpoint "$out" $NLL_ARGS --seed 0 2>/dev/null | sed -n 's/^bits\/dim: //p')
  # shellcheck disable=SC2086
  score=$("$DDPM" --threads "$THREADS" score --checkpoint "$out" $SCORE_ARGS --seed 0 2>/dev/null)
  energy=$(sed -n 's/^energy distance: //p; s/^fd: //p' <<< "$score" | head -1)
  baseline=$(sed -n 's/^gaussian baseline: //p; s/^floor: //p' <<< "$score" | head -1)
  echo "| $objective | $loss | $STEPS | $seconds | $final | $nll | $energy | $baseline |"
done
