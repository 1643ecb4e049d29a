#!/usr/bin/env bash
# Installs missing Debian packages, configures, builds and runs every test through CTest.
# Extra arguments go to CMake, e.g. scripts/test.sh -DMINIDL_SANITIZE=address,undefined
# BUILD_DIR (default: build) chooses the build directory.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_packages "${MINIDL_BUILD_PACKAGES[@]}"

build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" "$@"
cmake --build "$build_dir" -j"$(nproc)"
ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)"
