#!/usr/bin/env bash
# Data-parallel training on this machine: the same per-process batch trained by one
# process without a launcher, by one rank through the data-parallel path (world size 1:
# what the path itself costs) and by W ranks launched as torchrun launches them (RANK,
# WORLD_SIZE, MASTER_ADDR, MASTER_PORT on the loopback), one thread each, run one after
# the other. Rates come from rank 0's own progress line (start-up excluded), so they are
# the training loop's. Prints CSV:
#   setup,world_size,batch_per_process,global_batch,steps_per_s,images_per_s,all_reduce_ms,all_reduce_mb
#
#   bench/data_parallel.sh [ddpm] [model] [data] [batch] [steps] [world]
#       e.g. bench/data_parallel.sh build/release/app/ddpm unet-tiny fashion-mnist 32 60 2
set -euo pipefail
ddpm="${1:-build/release/app/ddpm}"
model="${2:-unet-tiny}"
data="${3:-fashion-mnist}"
batch="${4:-32}"
steps="${5:-60}"
world="${6:-2}"
[[ -x "$ddpm" ]] || { echo "data_parallel.sh: '$ddpm' is not an executable" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
port=$((29600 + RANDOM % 1000))

train() {  # log-file [extra flags]: one process, stderr to the log
  local log="$1"; shift
  "$ddpm" --threads 1 train --data "$data" --model "$model" --batch "$batch" --steps "$steps" --seed 0 \
    --autosave-every "$steps" --out "$out/$(basename "$log" .log).safetensors" "$@" 2> "$log" > /dev/null
}

launch() {  # world-size: that many ranks, rank 0's stderr in $out/w<world>.log
  local w="$1" pids=() r
  port=$((port + 1))
  for ((r = 0; r < w; r++)); do
    RANK=$r LOCAL_RANK=$r WORLD_SIZE=$w LOCAL_WORLD_SIZE=$w MASTER_ADDR=127.0.0.1 MASTER_PORT=$port \
      train "$out/w$w-r$r.log" & pids+=($!)
  done
  for r in "${pids[@]}"; do wait "$r"; done
}

row() {  # setup world log
  local rate ms mb
  rate=$(grep -o '[0-9.e+]* it/s  in' "$3" | tail -1 | cut -d' ' -f1)
  [[ -n "$rate" ]] || { echo "data_parallel.sh: no rate in $3:" >&2; cat "$3" >&2; exit 1; }
  ms=$(grep -o 'MB per step, [0-9.e+-]* ms' "$3" | tail -1 | awk '{print $4}' || true)
  mb=$(grep -o 'all-reduce of [0-9.e+-]* MB' "$3" | tail -1 | awk '{print $3}' || true)
  printf '%s,%s,%s,%s,%.3f,%.1f,%s,%s\n' "$1" "$2" "$batch" $((batch * $2)) "$rate" \
    "$(echo "$rate * $batch * $2" | bc -l)" "${ms:-}" "${mb:-}"
}

echo "setup,world_size,batch_per_process,global_batch,steps_per_s,images_per_s,all_reduce_ms,all_reduce_mb"
train "$out/alone.log"
row alone 1 "$out/alone.log"
launch 1
row launched 1 "$out/w1-r0.log"
launch "$world"
row launched "$world" "$out/w$world-r0.log"
