#!/usr/bin/env bash
# Refreshes the screenshots in docs/screenshots/ from a built ddpm-studio.
#
#   scripts/screenshots.sh [path/to/ddpm-studio] [output folder]
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
