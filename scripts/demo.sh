#!/usr/bin/env bash
# The main command: installs missing packages, builds Release, fetches MNIST, trains LeNet-5 for
# two epochs and prints the test accuracy. Extra arguments go to examples/mnist (e.g. --threads 1)
# and win over the demo's own settings (e.g. --epochs 5); with --dataset fashion it fetches and
# trains on Fashion-MNIST (Debian's dataset-fashion-mnist) instead.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_packages "${MINIDL_BUILD_PACKAGES[@]}" "${MINIDL_DATA_PACKAGES[@]}"

args=("$@")
# given OPTION: whether the command line sets OPTION (as "OPTION VALUE" or "OPTION=VALUE").
given() {
  local arg
  for arg in "${args[@]}"; do [[ $arg == "$1" || $arg == "$1="* ]] && return 0; done
  return 1
}
dataset=mnist
for ((i = 0; i < ${#args[@]}; ++i)); do
  case "${args[i]}" in
    --dataset) dataset=${args[i + 1]:-} ;;
    --dataset=*) dataset=${args[i]#--dataset=} ;;
  esac
done

build_dir=${BUILD_DIR:-build-release}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DMINIDL_BUILD_TESTS=OFF
cmake --build "$build_dir" -j"$(nproc)" --target mnist
./scripts/fetch_mnist.sh --dataset "$dataset"
default_dir=data/mnist
[ "$dataset" = fashion ] && default_dir=data/fashion-mnist
defaults=(--model lenet --epochs 2 --optimizer sgd --lr 0.05 --momentum 0.9 --schedule cosine
          --data "${MINIDL_DATA:-$default_dir}")
chosen=()
for ((i = 0; i < ${#defaults[@]}; i += 2)); do
  given "${defaults[i]}" || chosen+=("${defaults[i]}" "${defaults[i + 1]}")
done
"$build_dir/examples/mnist" "${chosen[@]}" "$@"
