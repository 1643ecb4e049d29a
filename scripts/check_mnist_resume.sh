#!/usr/bin/env bash
# End-to-end checks of the mnist example's reliability flags on real data (run by CI):
#   1. 2 epochs straight and 1 epoch + --checkpoint, then --resume for epoch 2, save
#      byte-identical models (the MLP has no Dropout; the library test covers one with it), and
#      the resumed run trains epoch 2 only: a resume that restored nothing would train both
#      epochs from scratch (and print epoch 1/2), one that restored the counters but not the
#      state would save a different model;
#   2. a resume that contradicts the checkpoint (fewer --epochs than done, another --batch-size)
#      is refused with exit code 1 and a message that says which;
#   3. a diverging run (huge learning rate) stops with exit code 1 and a hint to lower it,
#      with and without --detect-anomaly.
# Usage: scripts/check_mnist_resume.sh BUILD_DIR   (data from scripts/fetch_mnist.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:?usage: scripts/check_mnist_resume.sh BUILD_DIR}
mnist="$build_dir/examples/mnist"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A constant schedule: the length of a decaying one follows --epochs, which differs between the
# 1-epoch and 2-epoch runs here (a real resume passes the same options as the interrupted run).
common=(--model mlp --limit 3000 --threads 2 --momentum 0.9
  --data "${MINIDL_DATA:-data/mnist}")

"$mnist" "${common[@]}" --lr 0.02 --epochs 2 --save "$work/straight.ckpt" >/dev/null
"$mnist" "${common[@]}" --lr 0.02 --epochs 1 --checkpoint "$work/train.ckpt" >/dev/null
"$mnist" "${common[@]}" --lr 0.02 --epochs 2 --resume "$work/train.ckpt" --save "$work/resumed.ckpt" \
  >"$work/resumed.txt"
grep "resumed from .* after epoch 1 " "$work/resumed.txt"
if grep -q "^epoch 1/2 " "$work/resumed.txt" || ! grep -q "^epoch 2/2 " "$work/resumed.txt"; then
  echo "resume: the resumed run must train epoch 2 only" >&2
  cat "$work/resumed.txt" >&2
  exit 1
fi
cmp "$work/straight.ckpt" "$work/resumed.ckpt"
echo "resume: 2 epochs straight == 1 epoch, checkpoint, resume, 1 epoch (byte-identical)"

# expect_refusal WHAT PATTERN ARGS...: mnist ARGS must exit 1 with PATTERN in its error.
expect_refusal() {
  local what=$1 pattern=$2
  shift 2
  set +e
  "$mnist" "$@" >/dev/null 2>"$work/err"
  local status=$?
  set -e
  cat "$work/err"
  if [ "$status" -ne 1 ] || ! grep -q "$pattern" "$work/err"; then
    echo "resume conflict ($what): exit code $status, expected 1 with '$pattern'" >&2
    exit 1
  fi
}
"$mnist" "${common[@]}" --lr 0.02 --epochs 2 --checkpoint "$work/two.ckpt" >/dev/null
expect_refusal "fewer epochs" "more than --epochs 1" "${common[@]}" --epochs 1 --resume "$work/two.ckpt"
expect_refusal "batch size" "another --batch-size\\|resume with the interrupted run's --batch-size" \
  "${common[@]}" --epochs 3 --batch-size 32 --resume "$work/two.ckpt"
echo "resume conflicts: fewer epochs than done and another batch size are refused"

for flags in "" "--detect-anomaly"; do
  set +e
  # shellcheck disable=SC2086
  "$mnist" "${common[@]}" --epochs 1 --lr 10000 $flags >/dev/null 2>"$work/err"
  status=$?
  set -e
  cat "$work/err"
  [ "$status" -eq 1 ] || { echo "divergence ${flags}: exit code $status, expected 1" >&2; exit 1; }
  grep -q "lower" "$work/err" || { echo "divergence ${flags}: no learning-rate hint" >&2; exit 1; }
done
echo "divergence: stops with exit code 1 and a hint, with and without --detect-anomaly"
