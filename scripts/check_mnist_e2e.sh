#!/usr/bin/env bash
# End-to-end check on real data (run by CI): the MLP trained for one epoch on the first 10,000
# training images must reach at least 90% on the full test set.
# Usage: scripts/check_mnist_e2e.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:?usage: scripts/check_mnist_e2e.sh BUILD_DIR}
./scripts/fetch_mnist.sh
output=$("$build_dir/examples/mnist" --model mlp --epochs 1 --limit 10000 --threads 2 --lr 0.02 \
  --data "${MINIDL_DATA:-data/mnist}")
echo "$output"
accuracy=$(echo "$output" | sed -n 's/.*test acc \([0-9.]*\)%.*/\1/p' | tail -1)
[ -n "$accuracy" ] || { echo "e2e: no test accuracy in the output" >&2; exit 1; }
if awk -v a="$accuracy" 'BEGIN { exit !(a >= 90.0) }'; then
  echo "e2e: test accuracy ${accuracy}% >= 90%: passed"
else
  echo "e2e: test accuracy ${accuracy}% is below 90%: FAILED" >&2
  exit 1
fi
