#!/usr/bin/env bash
# Installs the Debian 12 packages DDPM Studio needs, and only those that are missing.
# Does nothing (no apt-get at all) when everything is already installed.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config
  # libraries (all from Debian; see docs/architecture.md for why each)
  qt6-base-dev libqcustomplot-dev libtorch-dev libeigen3-dev zlib1g-dev
  nlohmann-json3-dev libcli11-dev libstb-dev libgif-dev
  # a fast BLAS for LibTorch: without it the reference BLAS is 14-17x slower (NOTES.md)
  libopenblas0-pthread
  # data and fonts (the maths symbols need DejaVu)
  dataset-fashion-mnist fonts-dejavu-core
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages are installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
