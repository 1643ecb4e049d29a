#!/usr/bin/env bash
# End-to-end check of minidl::dist on real data (run by CI when MPI is installed), 2 ranks:
# data-parallel mnist (MLP, 1 epoch on 10,000 images) must print one result line (rank 0 only)
# and reach at least 89.7% test accuracy; pipeline_lenet (1 epoch on 6,400 images) must bring the
# mean training loss below 1.45. Measured on 2026-12-04: 90.3% and 1.267; without the gradient
# allreduce (each rank trains alone) 89.1%, and with rank 0's conv stage frozen 1.631, so either
# breakage fails its threshold; the hybrid run on 4 ranks (2 replicas x 2 stages, 1 epoch on
# 12,800 images, the same 100 steps per replica, measured 1.34) must pass the same threshold.
# Usage: scripts/check_distributed.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:?usage: scripts/check_distributed.sh BUILD_DIR}
./scripts/fetch_mnist.sh
data=${MINIDL_DATA:-data/mnist}
# Open MPI: 2 ranks may exceed the cores, CI runs as root, and containers often block the
# kernel's cross-process copy.
export OMPI_MCA_btl_vader_single_copy_mechanism=none
mpi=(mpirun -np 2 --oversubscribe --allow-run-as-root)

output=$(timeout 300 "${mpi[@]}" "$build_dir/examples/mnist" --distributed --model mlp --epochs 1 \
  --limit 10000 --threads 1 --lr 0.02 --data "$data")
echo "$output"
[ "$(echo "$output" | grep -c '^epoch 1/1 ')" -eq 1 ] ||
  { echo "distributed: expected exactly one result line (from rank 0)" >&2; exit 1; }
accuracy=$(echo "$output" | sed -n 's/.*test acc \([0-9.]*\)%.*/\1/p' | tail -1)
[ -n "$accuracy" ] || { echo "distributed: no test accuracy in the output" >&2; exit 1; }
awk -v a="$accuracy" 'BEGIN { exit !(a >= 89.7) }' ||
  { echo "distributed: test accuracy ${accuracy}% is below 89.7%: FAILED" >&2; exit 1; }
echo "distributed: data-parallel test accuracy ${accuracy}% >= 89.7%: passed"

# check_pipeline NAME RANKS ARGS...: pipeline_lenet on RANKS ranks must bring the mean training
# loss below 1.45.
check_pipeline() {
  local name=$1 ranks=$2
  shift 2
  local output loss
  output=$(timeout 300 mpirun -np "$ranks" --oversubscribe --allow-run-as-root \
    "$build_dir/examples/pipeline_lenet" --epochs 1 --lr 0.05 --data "$data" "$@")
  echo "$output"
  loss=$(echo "$output" | sed -n 's/.*mean train loss \([0-9.]*\).*/\1/p' | tail -1)
  [ -n "$loss" ] || { echo "$name: no mean train loss in the output" >&2; exit 1; }
  awk -v l="$loss" 'BEGIN { exit !(l < 1.45) }' ||
    { echo "$name: mean train loss $loss is not below 1.45: FAILED" >&2; exit 1; }
  echo "$name: mean train loss $loss < 1.45: passed"
}
check_pipeline "pipeline (model-parallel, 2 ranks)" 2 --limit 6400
check_pipeline "hybrid (2 replicas x 2 stages, 4 ranks)" 4 --replicas 2 --limit 12800
