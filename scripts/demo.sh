#!/usr/bin/env bash
# The main command: installs missing packages, builds Release, fetches MNIST, trains LeNet-5 for
# two epochs and prints the test accuracy. Extra arguments go to examples/mnist (e.g. --threads 1).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_packages "${MINIDL_BUILD_PACKAGES[@]}"

build_dir=${BUILD_DIR:-build-release}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DMINIDL_BUILD_TESTS=OFF
cmake --build "$build_dir" -j"$(nproc)" --target mnist
./scripts/fetch_mnist.sh
data_dir=${MINIDL_DATA:-data/mnist}
"$build_dir/examples/mnist" --model lenet --epochs 2 --optimizer sgd --lr 0.05 --momentum 0.9 \
  --schedule cosine \
  --data "$data_dir" "$@"
