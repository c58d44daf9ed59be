#!/usr/bin/env bash
# Gathers what the core and the CLI need besides LibTorch into .deps/prefix (ignored by
# git), for a machine that has a CUDA LibTorch but none of these packages (the GPU
# machine: docs/performance.md, "GPU"). Header-only libraries travel as headers, the C
# libraries as Debian's static archives, each with the CMake config or the headers its
# find module looks for. Run it here after scripts/setup.sh; bench/gpu/run.sh uses it there.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=.deps/prefix
rm -rf "$prefix"
mkdir -p "$prefix/include" "$prefix/lib" "$prefix/share/cmake" "$prefix/share/eigen3"
cp -r /usr/include/eigen3 /usr/include/nlohmann /usr/include/CLI /usr/include/stb "$prefix/include/"
cp -r /usr/share/eigen3/cmake "$prefix/share/eigen3/"
cp -r /usr/share/cmake/nlohmann_json /usr/share/cmake/CLI11 "$prefix/share/cmake/"
cp /usr/include/{jpeglib.h,jerror.h,jmorecfg.h,gif_lib.h,zlib.h,zconf.h} "$prefix/include/"
cp /usr/include/x86_64-linux-gnu/jconfig.h "$prefix/include/"
cp /usr/lib/x86_64-linux-gnu/{libjpeg.a,libgif.a,libz.a} "$prefix/lib/"
# stb_image_write comes from Debian's libstb, linked as the shared library as here: both names, for the linker and the loader
cp /usr/lib/x86_64-linux-gnu/libstb.so.0 "$prefix/lib/libstb.so.0"; cp "$prefix/lib/libstb.so.0" "$prefix/lib/libstb.so"
# Fashion-MNIST (the dataset-fashion-mnist package), for training the shipped model there.
mkdir -p .deps/fashion-mnist
cp /usr/share/datasets/fashion-mnist/*.gz .deps/fashion-mnist/
du -sh .deps
