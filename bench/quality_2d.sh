#!/usr/bin/env bash
# The 2D quality measurement of docs/quality-2d.md, end to end: trains the mlp preset on
# swissroll, moons and a smiley CSV (bench/make_points_csv.py) with the paper's schedule
# (T = 1000, linear betas 1e-4 → 0.02), then `ddpm score`s each against held-out data
# (the test split; for the CSV, a second file drawn independently) and prints a table.
#
# usage: bench/quality_2d.sh BUILD_DIR [WORK_DIR]
#   BUILD_DIR holds app/ddpm (cmake --build BUILD_DIR --target ddpm);
#   WORK_DIR (default BUILD_DIR/quality-2d) receives the CSVs, checkpoints and logs.
# Environment (defaults in brackets): STEPS [4000] BATCH [256] LR [1e-3] WARMUP [100]
#   SEED [0: training] SCORE_SEEDS ["0": one `ddpm score --seed` per value] N [2000]
#   DEVICE [cpu] SAMPLER [ddpm] DATASETS ["swissroll moons smiley"]
#   THREADS [0: ddpm's choice, which is 1 for the mlp]
# With several SCORE_SEEDS the score columns read "mean ± standard deviation" over them:
# the spread of the statistic itself at N samples (see docs/quality-2d.md).
set -euo pipefail

BUILD=${1:?usage: bench/quality_2d.sh BUILD_DIR [WORK_DIR]}
WORK=${2:-$BUILD/quality-2d}
DDPM=$BUILD/app/ddpm
HERE=$(cd "$(dirname "$0")" && pwd)
STEPS=${STEPS:-4000}
BATCH=${BATCH:-256}
LR=${LR:-1e-3}
WARMUP=${WARMUP:-100}
SEED=${SEED:-0}
SCORE_SEEDS=${SCORE_SEEDS:-0}
N=${N:-2000}
DEVICE=${DEVICE:-cpu}
SAMPLER=${SAMPLER:-ddpm}
DATASETS=${DATASETS:-swissroll moons smiley}
THREADS=${THREADS:-0}

[[ -x $DDPM ]] || { echo "quality_2d.sh: $DDPM not found; build it: cmake --build $BUILD --target ddpm" >&2; exit 2; }
mkdir -p "$WORK"
python3 "$HERE/make_points_csv.py" "$WORK"

TIMEFORMAT=%R
echo "| data | steps | batch | lr | training wall s | sampling s | energy distance | gaussian baseline | ratio |"
echo "|---|---|---|---|---|---|---|---|---|"
for name in $DATASETS; do
  case $name in
    smiley) train_spec=csv:$WORK/smiley_train.csv; held_out=(--data "csv:$WORK/smiley_heldout.csv") ;;
    *) train_spec=$name; held_out=() ;;
  esac
  checkpoint=$WORK/$name.safetensors
  rm -f "$checkpoint"
  train_seconds=$( { time "$DDPM" --threads "$THREADS" train --data "$train_spec" --model mlp \
      --steps "$STEPS" --batch "$BATCH" --lr "$LR" --warmup "$WARMUP" --seed "$SEED" --device "$DEVICE" \
      --kind linear --timesteps 1000 --beta-start 1e-4 --beta-end 0.02 \
      --out "$checkpoint" >"$WORK/$name.train.log" 2>&1 ; } 2>&1 )
  : >"$WORK/$name.scores"
  for score_seed in $SCORE_SEEDS; do
    "$DDPM" --threads "$THREADS" score --checkpoint "$checkpoint" "${held_out[@]}" --n "$N" --seed "$score_seed" \
        --sampler "$SAMPLER" --device "$DEVICE" >"$WORK/$name.score.txt" 2>"$WORK/$name.score.log"
    # one line per seed: sampling seconds, energy distance, gaussian baseline, ratio
    echo "$(sed -n 's/^sampled [0-9]* points in \([0-9.]*\) s.*/\1/p' "$WORK/$name.score.log")" \
         "$(sed -n 's/^energy distance: //p' "$WORK/$name.score.txt")" \
         "$(sed -n 's/^gaussian baseline: //p' "$WORK/$name.score.txt")" \
         "$(sed -n 's/^ratio: //p' "$WORK/$name.score.txt")" >>"$WORK/$name.scores"
  done
  scores=$(awk '
    { for (i = 1; i <= 4; i++) { sum[i] += $i; sq[i] += $i * $i } n++ }
    END {
      printf "%.1f", sum[1] / n
      for (i = 2; i <= 4; i++) {
        mean = sum[i] / n
        if (n == 1) printf " | %.4g", mean
        else { v = (sq[i] - n * mean * mean) / (n - 1); printf " | %.4g ± %.2g", mean, sqrt(v > 0 ? v : 0) }
      }
    }' "$WORK/$name.scores")
  echo "| $name | $STEPS | $BATCH | $LR | $train_seconds | $scores |"
done
