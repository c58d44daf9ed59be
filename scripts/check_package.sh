#!/usr/bin/env bash
# Installs the .deb that scripts/package.sh built, runs the installed programs from
# another folder, validates the desktop entry, then removes the package and checks that
# nothing of it is left in /usr. For CI and throwaway machines: it installs system-wide.
set -euo pipefail
cd "$(dirname "$0")/.."
deb=$(ls "$PWD"/build/release/ddpm-studio_*_amd64.deb)
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$deb" >/dev/null
files=$(dpkg -L ddpm-studio | sort)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(
  cd "$work"
  unset DDPM_CHECKPOINT_DIR
  test "$(command -v ddpm)" = /usr/bin/ddpm
  ddpm --version
  ddpm-studio --version
  ddpm-studio --help >/dev/null
  ddpm checkpoints | grep -q '^moons'
  ddpm sample --checkpoint moons --n 64 --out moons.csv
  test "$(wc -l < moons.csv)" -ge 64
  ddpm sample --checkpoint fashion-mnist --sampler ddim --steps 5 --n 4 --out fashion.png
  test -s fashion.png
  QT_QPA_PLATFORM=offscreen ddpm-studio --fresh --view sampling --screenshot shot.png >/dev/null 2>&1
  test -s shot.png
)
desktop-file-validate /usr/share/applications/ddpm-studio.desktop
test -s /usr/share/icons/hicolor/256x256/apps/ddpm-studio.png
test -s /usr/share/man/man1/ddpm.1.gz
test -s /usr/share/man/man1/ddpm-studio.1.gz
MANPAGER=cat man -l /usr/share/man/man1/ddpm.1.gz 2>/dev/null | grep -q 'sample'

DEBIAN_FRONTEND=noninteractive $sudo apt-get remove -y -qq ddpm-studio >/dev/null
left=""
for f in $files; do
  case "$f" in /usr/*) [ -f "$f" ] && left="$left $f" ;; esac
done
if [ -n "$left" ]; then
  echo "check_package.sh: left behind after removal:$left" >&2
  exit 1
fi
echo "check_package.sh: $(basename "$deb") installs, runs from $work, passes desktop-file-validate and removes cleanly"
