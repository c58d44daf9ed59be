#!/usr/bin/env bash
# Installs the Debian 12 packages DDPM Studio needs, and only those that are missing.
# Does nothing (no apt-get at all) when everything is already installed.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config
  # the Debian package (scripts/package.sh): man pages from --help, dpkg-shlibdeps, the desktop-entry check
  help2man dpkg-dev desktop-file-utils
  # libraries (all from Debian; see docs/architecture.md for why each)
  qt6-base-dev libqcustomplot-dev libtorch-dev libeigen3-dev zlib1g-dev
  nlohmann-json3-dev libcli11-dev libstb-dev libjpeg-dev libgif-dev
  # data-parallel training (core/distributed): c10d's Gloo headers include <gloo/...>,
  # which libtorch-dev does not pull in
  libgloo-dev
  # tcmalloc for the executables: glibc page-faults LibTorch's large per-step buffers back
  # in on every step (docs/performance.md)
  libgoogle-perftools-dev
  # a fast BLAS for LibTorch: without it the reference BLAS is 7-14x slower. The serial
  # build: torch's --threads never reaches OpenBLAS's own thread pool, whose spinning
  # threads made the MLP up to 5x slower on a busy 2-core box (docs/performance.md)
  libopenblas0-serial
  # the GUI test through real keyboard and mouse (tests/gui_input): a virtual display, a
  # small window manager for focus, the input tool, and Python to drive them
  xvfb openbox xdotool python3
  # data and fonts (the maths symbols need DejaVu)
  dataset-fashion-mnist fonts-dejavu-core
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

# Debian prefers openblas-pthread (priority 100) over serial (90) when both are
# installed: point libblas, liblapack and libopenblas (which liblapack loads) at the
# serial build explicitly, once.
use_serial_openblas() {
  local lib
  for lib in libblas.so.3 liblapack.so.3 libopenblas.so.0; do
    local name="$lib-x86_64-linux-gnu" path="/usr/lib/x86_64-linux-gnu/openblas-serial/$lib"
    if [ -e "$path" ] && [ "$(readlink -f "/usr/lib/x86_64-linux-gnu/$lib")" != "$(readlink -f "$path")" ]; then
      echo "setup: $lib -> openblas-serial"
      $sudo update-alternatives --quiet --set "$name" "$path"
    fi
  done
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages are installed"
  use_serial_openblas
  exit 0
fi

echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
use_serial_openblas
