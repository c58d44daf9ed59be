#!/usr/bin/env bash
# The GPU session in one command (docs/performance.md, "GPU"): on the lent GPU machine,
# from the repository root, with .deps/ carried (scripts/gpu-deps.sh made it here):
#   build core + CLI against that machine's CUDA LibTorch, check the CUDA path against
#   the CPU, time `ddpm bench` and its PyTorch twin side by side, train the shipped
#   Fashion-MNIST model for the time that is left, and score it.
# Usage: bash bench/gpu/run.sh SECONDS   (the wall-clock budget of the whole call)
# What comes back lands in $OUT, at most eight files: log.txt (everything printed),
# bench.jsonl, the exported checkpoint and two sample grids.
set -uo pipefail
budget=${1:-540}
start=$(date +%s)
out=${OUT:-/tmp/gpu-out}
mkdir -p "$out"
exec > >(tee -a "$out/log.txt") 2>&1
left() { echo $((budget - ($(date +%s) - start))); }
stage() { echo "== $(date +%T) [$(left) s left] $*" ; }
export CMAKE_POLICY_VERSION_MINIMUM=3.5  # a CMake 4 there reads the packages' older config files
export LIBRARY_PATH=$PWD/.deps/prefix/lib LD_LIBRARY_PATH=$PWD/.deps/prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}  # libstb
export DDPM_FASHION_MNIST_DIR=$PWD/.deps/fashion-mnist
work=/tmp/ddpm-gpu
mkdir -p "$work"

stage "machine"
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name(0))'
echo "cores $(nproc)"

stage "configure + build (core, CLI; no Qt there)"
prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
build() {  # $1: build dir, $2: C++ standard
  cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDDPM_BUILD_GUI=OFF -DDDPM_BUILD_TESTS=OFF \
        -DCMAKE_CXX_STANDARD="$2" -DCMAKE_PREFIX_PATH="$prefix;$PWD/.deps/prefix" >"$work/configure-$2.log" 2>&1 &&
  cmake --build "$1" -j "$(nproc)" --target ddpm >"$work/build-$2.log" 2>&1
}
if build build/gpu 17; then ddpm=build/gpu/app/ddpm
elif build build/gpu20 20; then ddpm=build/gpu20/app/ddpm
else
  tail -40 "$work/configure-17.log"; grep -m20 -B2 -A8 "error" "$work/build-17.log"; tail -20 "$work/build-20.log"; exit 1
fi
grep -A3 "CMake Warning" "$work/configure-17.log" | head -12

stage "CUDA against CPU: the same seed gives the same samples on both (moons, DDPM 1000 steps)"
$ddpm sample --checkpoint moons --n 2000 --seed 7 --device cpu --out "$work/moons-cpu.csv" >/dev/null
$ddpm sample --checkpoint moons --n 2000 --seed 7 --device cuda --out "$work/moons-cuda.csv" >/dev/null
python3 - "$work/moons-cpu.csv" "$work/moons-cuda.csv" <<'PY'
import sys, numpy as np
a, b = (np.loadtxt(p, delimiter=",", skiprows=1) for p in sys.argv[1:3])
print("moons cpu vs cuda: n=%d max|diff|=%.3g mean|diff|=%.3g" % (len(a), np.abs(a - b).max(), np.abs(a - b).mean()))
PY

stage "smoke: 100 training steps on CUDA, fp32 (TF32) and bf16"
for p in fp32 bf16; do
  $ddpm train --data fashion-mnist --model unet-tiny --steps 100 --batch 128 --device cuda --precision $p \
        --out "$work/smoke-$p.safetensors" >"$work/smoke-$p.log" 2>&1; echo "smoke $p rc=$?"; tail -c 600 "$work/smoke-$p.log"
done

reserve=240  # export + scores (~110 s) and the bench (~115 s) after training
train_seconds=$(( $(left) - reserve ))
if (( train_seconds < 60 )); then train_seconds=60; fi
stage "train the shipped Fashion-MNIST model for $train_seconds s (unet-tiny, batch 256, stopped by SIGTERM)"
timeout -s TERM "$train_seconds" $ddpm train --data fashion-mnist --model unet-tiny --steps 1000000 --batch 256 \
      --lr 5e-4 --warmup 500 --ema 0.9995 --autosave-every 2000 --seed 1 --device cuda --precision fp32 \
      --out "$work/fmnist-gpu.safetensors" >"$work/train.log" 2>&1
echo "train rc=$?"; grep -v "^\s*$" "$work/train.log" | tail -4
$ddpm export --checkpoint "$work/fmnist-gpu.safetensors" --weights f16 --drop-resume \
      --out "$out/fashion-mnist.safetensors" 2>&1 | tail -1
$ddpm info "$out/fashion-mnist.safetensors" 2>&1 | head -30
$ddpm sample --checkpoint "$out/fashion-mnist.safetensors" --device cuda --n 64 --seed 2 --out "$out/ddpm1000.png" | tail -1
$ddpm sample --checkpoint "$out/fashion-mnist.safetensors" --device cuda --n 64 --seed 2 --sampler ddim --steps 50 \
      --out "$out/ddim50.png" | tail -1

stage "scores on the GPU (N = 10000 each, the classifier shipped in resources/)"
ckpt=$out/fashion-mnist.safetensors
score() { echo "-- score $*"; $ddpm score --checkpoint "$ckpt" --device cuda --n 10000 --batch 10000 --seed 1 "$@" 2>&1 | tail -4; }
score --sampler ddpm
score --sampler ddim --steps 50
score --sampler ddim --steps 20
echo "-- floor"; $ddpm score --reference train --n 10000 --seed 1 --device cuda 2>&1 | tail -3
stage "test bits/dim, all 1000 terms, 1000 test images"
$ddpm nll --checkpoint "$ckpt" --device cuda --n 1000 --terms 0 --batch 1000 --seed 0 2>&1 | tail -3

stage "bench: unet-paper (35.7M, 3x32x32), C++ and PyTorch eager, bf16 and fp32"
bench() { # $1: tag, rest: arguments for both
  local tag=$1; shift
  $ddpm bench --device cuda --case unet-paper "$@" --peak-tflops 989 --seconds 4 >>"$out/bench.jsonl" || echo "ddpm bench $tag failed"
  python3 bench/python/ddpm_bench.py --device cuda --case unet-paper "$@" --peak-tflops 989 --seconds 4 \
        >>"$out/bench.jsonl" || echo "ddpm_bench.py $tag failed"
}
bench bf16 --precision bf16 --full-run
bench fp32 --precision fp32
python3 - "$out/bench.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
for r in rows:
    print("%-22s %-6s %-4s img/s %8.0f  TFLOPS %6.1f  peak %5.1f%%  step %7.2f ms  run %s" % (
        r["case"], r["impl"], r["precision"], r["images_per_second"], r["gflops_per_second"] / 1e3,
        100 * r.get("peak_fraction", 0), r["step_ms_median"], "%.1f s" % r["run_seconds"] if "run_seconds" in r else "-"))
PY
stage "done"
