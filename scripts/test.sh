#!/usr/bin/env bash
# Installs missing Debian packages, configures, builds and runs every test through CTest.
# Extra arguments go to CMake, e.g. scripts/test.sh -DMINIDL_SANITIZE=address,undefined
# BUILD_DIR (default: build) chooses the build directory.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_packages "${MINIDL_BUILD_PACKAGES[@]}"

build_dir=${BUILD_DIR:-build}
# The quick-to-compile Check build (-O2, no debug information) unless the arguments choose one.
build_type=(-DCMAKE_BUILD_TYPE=Check)
for arg in "$@"; do [[ $arg == -DCMAKE_BUILD_TYPE=* ]] && build_type=(); done
cmake -S . -B "$build_dir" "${build_type[@]}" "$@"
cmake --build "$build_dir" -j"$(nproc)"
ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)"
