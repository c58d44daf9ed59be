#!/usr/bin/env bash
# Builds the Debian package from the release build: build/release/ddpm-studio_VERSION_amd64.deb
# (cmake/Packaging.cmake says what is in it). Install it with
#   sudo apt-get install ./build/release/ddpm-studio_*_amd64.deb
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh release
cd build/release
rm -f ddpm-studio_*.deb
cpack -G DEB >/dev/null
deb=$(ls ddpm-studio_*_amd64.deb)
echo "package.sh: built build/release/$deb"
dpkg-deb --field "$deb" Package Version Depends
