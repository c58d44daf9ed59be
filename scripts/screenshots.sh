#!/usr/bin/env bash
# Refreshes the screenshots in docs/screenshots/ from a built ddpm-studio.
#
#   [ONLY=regex] scripts/screenshots.sh [path/to/ddpm-studio] [output folder]
#
# ONLY: take just the pictures whose names match this (grep -E) pattern.
#
# Builds nothing. Each picture is one run of ddpm-studio under a virtual X server
# (xvfb-run): the command-line options choose the view, t, schedule and data, and
# --screenshot saves the window once it is drawn and quits. --fresh keeps the user's
# saved settings out of it (and untouched), so the pictures are the same on every machine.
# Needs: xvfb (xvfb-run) and the DejaVu fonts; Fashion-MNIST (dataset-fashion-mnist) for
# the image shots.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
studio="${1:-$here/build/release/app/ddpm-studio}"
out="${2:-$here/docs/screenshots}"
size="1440x900"

if [[ ! -x "$studio" ]]; then
  echo "screenshots.sh: no ddpm-studio at '$studio' (build it first, or pass its path)" >&2
  exit 2
fi
command -v xvfb-run >/dev/null || { echo "screenshots.sh: xvfb-run not found (apt-get install xvfb)" >&2; exit 2; }
mkdir -p "$out"

# A private config and runtime folder: nothing is read from or written to the user's.
sandbox="$(mktemp -d)"
trap 'rm -rf "$sandbox"' EXIT
export XDG_CONFIG_HOME="$sandbox/config" XDG_RUNTIME_DIR="$sandbox/runtime"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

shot() {
  local name="$1"
  shift
  if [[ -n "${ONLY:-}" ]] && ! grep -Eq -- "$ONLY" <<<"$name"; then return 0; fi
  xvfb-run -a -s "-screen 0 1600x1000x24" \
    "$studio" --fresh --size "$size" --screenshot "$out/$name.png" --screenshot-delay 900 "$@" 2>"$sandbox/log" \
    || { cat "$sandbox/log" >&2; echo "screenshots.sh: '$name' failed" >&2; exit 1; }
  echo "$out/$name.png"
}

# Schedule view: the paper's linear schedule, and linear against cosine.
shot schedule_linear_t250 --view schedule --t 250
shot schedule_compare_cosine_t500 --view schedule --compare cosine --t 500
shot schedule_cosine_t900 --view schedule --schedule cosine --t 900

# Forward view on Fashion-MNIST: the same 16 images and the same ε at four times.
for t in 0 100 300 999; do
  shot "forward_fashion_t$t" --view forward --data fashion-mnist --images 0-15 --noise-seed 1 --t "$t"
done

# Forward view on 2,000 points of the Swiss roll.
for t in 0 150 400 999; do
  shot "forward_swissroll_t$t" --view forward --data swissroll --noise-seed 1 --t "$t"
done
shot forward_gaussians8_t200 --view forward --data gaussians8 --noise-seed 1 --t 200

# A picture of one's own (the app's icon stands in for it).
shot forward_own_image_t200 --view forward --image "$here/resources/icons/ddpm-studio-256.png" --noise-seed 1 --t 200

# Sampling view: a 2D model (trained here in seconds with the CLI beside ddpm-studio)
# sampled with DDPM, shown at four steps of the same run (same seed), and the shipped
# Fashion-MNIST model (or $DDPM_FMNIST_SAMPLE_CHECKPOINT) sampled with DDIM.
ddpm_cli="$(dirname "$studio")/ddpm"
if [[ -x "$ddpm_cli" && ( -z "${ONLY:-}" || "sampling_moons_ddpm_step" =~ $ONLY ) ]]; then
  moons="$sandbox/moons.safetensors"
  "$ddpm_cli" --threads 1 train --data moons --model mlp --steps 3000 --batch 256 --lr 1e-3 --seed 1 \
    --out "$moons" >"$sandbox/train.log" 2>&1 || { cat "$sandbox/train.log" >&2; exit 1; }
  for k in 0 700 950 1000; do
    shot "sampling_moons_ddpm_step$k" --view sampling --checkpoint "$moons" --sample --samples 1000 --seed 1 --frame "$k"
  done
fi
for k in 15 35 50; do
  shot "sampling_fashion_ddim_step$k" --view sampling --checkpoint "${DDPM_FMNIST_SAMPLE_CHECKPOINT:-fashion-mnist}" \
    --sample --sampler ddim --sample-steps 50 --samples 16 --seed 1 --frame "$k"
done
# DPM-Solver++(2M) in 10 network evaluations, at its second-order step 5 and at the end.
for k in 5 10; do
  shot "sampling_fashion_dpmsolver_step$k" --view sampling --checkpoint "${DDPM_FMNIST_SAMPLE_CHECKPOINT:-fashion-mnist}" \
    --sample --sampler dpm-solver++ --sample-steps 10 --samples 16 --seed 1 --frame "$k"
done
# The same run in bf16 autocast (where this machine can: CUDA, or a CPU with AVX512_BF16).
shot "sampling_fashion_dpmsolver_bf16_step10" --view sampling --checkpoint "${DDPM_FMNIST_SAMPLE_CHECKPOINT:-fashion-mnist}" \
  --sample --sampler dpm-solver++ --sample-steps 10 --samples 16 --seed 1 --precision bf16 --frame 10
# Classifier-free guidance on the conditional eight Gaussians: class 2 (90°), the same seed
# at w = 0 and w = 3, half-way and at the end.
for w in 0 3; do
  for k in 25 50; do
    shot "sampling_gaussians8_class2_w${w}_step$k" --view sampling --checkpoint gaussians8-conditional --sample \
      --sampler ddim --sample-steps 50 --samples 1000 --seed 1 --class 2 --guidance "$w" --frame "$k"
  done
done
# Classifier guidance of the unconditional Fashion-MNIST model towards class 7 (sneaker).
shot sampling_fashion_classifier_guidance_step12 --view sampling --checkpoint fashion-mnist \
  --noisy-classifier fashion-mnist-noisy-classifier --class 7 --classifier-scale 3 --sample --sampler dpm-solver++ \
  --sample-steps 20 --samples 16 --seed 0 --frame 12
# The Training view continues a resumable Fashion-MNIST run ($DDPM_FMNIST_CHECKPOINT, or
# runs/fmnist-tiny.safetensors; skipped when there is none: the shipped file holds no resume data).
fmnist="${DDPM_FMNIST_CHECKPOINT:-$here/runs/fmnist-tiny.safetensors}"

# Training view mid-run: --train starts a run with the view's defaults (and --data,
# --model, --train-steps); the screenshot is taken --screenshot-delay ms after the start
# while it trains, then the window stops the run (saving it) and quits. Checkpoints go
# to the sandbox's data folder. Moons with the MLP after 6 s; Fashion-MNIST continues a
# copy of $DDPM_FMNIST_CHECKPOINT (or runs/fmnist-tiny.safetensors) for a minute, so the
# preview shows clothes rather than the noise of a run's first minute on a CPU.
export XDG_DATA_HOME="$sandbox/data"
shot training_moons_midrun --view training --data moons --train --train-steps 3000 --screenshot-delay 6000
if [[ -f "$fmnist" ]]; then
  cp "$fmnist" "$sandbox/fmnist-continued.safetensors"
  shot training_fashion_midrun --view training --train --train-resume "$sandbox/fmnist-continued.safetensors" \
    --train-steps 4000 --screenshot-delay 60000
fi

# The loss heatmap (loss against t and training step) on moons after ~15 s of training.
shot training_loss_heatmap --view training --data moons --train --train-steps 20000 --loss-heatmap \
  --screenshot-delay 15000

# Training ε on the true bound (Table 2): the noisy batch loss, after 30 s.
shot training_bound_loss --view training --data moons --model mlp --objective eps --loss bound --train \
  --train-steps 1500 --screenshot-delay 30000

# Evaluate view (--evaluate runs a panel at start; the picture waits for it): where the
# bits go for the shipped Fashion-MNIST model (all 1000 terms, 64 test images: minutes on
# a CPU), and quality against network evaluations for every sampler on the shipped moons model.
shot evaluate_bits_per_t --view evaluate --checkpoint fashion-mnist --evaluate bound --eval-examples 64 --seed 0
# The same bound read as progressive coding (Fig. 5), on 32 test images.
shot evaluate_rate_distortion --view evaluate --checkpoint fashion-mnist --evaluate rate-distortion --eval-examples 32 \
  --seed 0
shot evaluate_quality_vs_steps --view evaluate --checkpoint moons --evaluate quality --samples 2000 --seed 0 \
  --eval-steps "5,10,20,50,100" --eval-samplers "ddim,dpm-solver++,euler,heun"
