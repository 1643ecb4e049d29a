#!/usr/bin/env bash
# The main command: installs missing packages, builds Release and runs the demo.
# Until the MNIST example lands (data + examples issue), the demo trains the quickstart model.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_packages "${MINIDL_BUILD_PACKAGES[@]}"

build_dir=${BUILD_DIR:-build-release}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DMINIDL_BUILD_TESTS=OFF
cmake --build "$build_dir" -j"$(nproc)" --target quickstart
"$build_dir/examples/quickstart"
