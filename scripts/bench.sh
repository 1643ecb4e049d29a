#!/usr/bin/env bash
# Side-by-side benchmark of minidl against PyTorch (Debian's python3-torch) on this machine, in
# one run: every configuration runs minidl and then PyTorch, RUNS times (default 3), and the table
# shows medians and ranges.
#   - LeNet-5 and the 784-128-10 MLP, one MNIST epoch, at 1 and 2 threads, with OpenBLAS's core
#     auto-detected (OPENBLAS_CORETYPE unset), forced to Prescott (a stand-in for a CPU OpenBLAS
#     does not recognise) and, when the caller's environment sets OPENBLAS_CORETYPE, as set there;
#     PyTorch with the core auto-detected and its OpenBLAS at 1 thread (its best setting).
#   - The CIFAR-shaped CNN with BatchNorm (bench_cnn / torch_cnn.py, synthetic 3x32x32 data) at
#     batch 64 (10 steps) and 256 (4 steps), 1 and 2 threads: median milliseconds per step.
#   - Per-step overhead of an MLP 32-32-10 at batch 1 (bench_step / torch_step.py), 1 and 2 threads.
#   - The character-level language models (examples/char_lm / bench/torch_char_lm.py: mlp, lstm,
#     gpt at their default recipes, 4,000 steps each) at 1 and 2 threads: final validation loss
#     and seconds per 1,000 training steps, CHAR_LM_RUNS times (default 1: each is a whole
#     training; CHAR_LM=0 skips them).
#   - Peak RSS of every run, one core's FMA peak (bench_gemm --peak) and the fraction of it the
#     GEMMs of LeNet-5 and the CNN reach over a whole epoch / step; then the targets, each met or
#     missed by how much; then GEMM throughput per kernel and the op-level micro-benchmarks.
#   RUNS=3 scripts/bench.sh    (RUNS=1 for a quick look; OPS=0 skips the op-level tables;
#                               CHAR_LM=0 the language models; RESULTS=FILE keeps the raw
#                               results)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_packages "${MINIDL_BUILD_PACKAGES[@]}" "${MINIDL_DATA_PACKAGES[@]}" python3-torch \
  python3-numpy

runs=${RUNS:-3}
build_dir=${BUILD_DIR:-build-bench}
data_dir=${MINIDL_DATA:-data/mnist}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DMINIDL_BUILD_TESTS=OFF > /dev/null
cmake --build "$build_dir" -j"$(nproc)" --target bench_mnist bench_cnn bench_step bench_gemm bench_ops \
  char_lm
./scripts/fetch_mnist.sh > /dev/null

# RESULTS=FILE keeps the raw JSON lines (report.py can format them again); else a temp file.
if [ -n "${RESULTS:-}" ]; then
  results=$RESULTS
  : > "$results"
else
  results=$(mktemp)
  trap 'rm -f "$results"' EXIT
fi
# The OpenBLAS settings: "auto" (unset), "Prescott", and the caller's own when it sets one.
blas_modes=(auto Prescott)
if [ -n "${OPENBLAS_CORETYPE:-}" ] && [ "$OPENBLAS_CORETYPE" != Prescott ]; then
  blas_modes+=("$OPENBLAS_CORETYPE")
fi

# with_blas MODE COMMAND...: runs COMMAND with OpenBLAS's core set as MODE says.
with_blas() {
  local mode=$1
  shift
  if [ "$mode" = auto ]; then env -u OPENBLAS_CORETYPE "$@"; else OPENBLAS_CORETYPE=$mode "$@"; fi
}

# record CONFIG BLAS COMMAND...: appends the command's JSON line, tagged, to the results.
record() {
  local config=$1 blas=$2
  shift 2
  with_blas "$blas" "$@" | grep '^{' |
    sed "s/}\$/, \"config\": \"$config\", \"blas\": \"$blas\"}/" >> "$results"
}

with_blas auto "$build_dir/bench/bench_gemm" --peak | sed 's/}$/, "config": "peak"}/' >> "$results"
echo "Running $runs alternating runs of every configuration ..."
for run in $(seq "$runs"); do
  for threads in 1 2; do
    for model in lenet mlp; do
      for blas in "${blas_modes[@]}"; do
        record minidl "$blas" "$build_dir/bench/bench_mnist" --model "$model" --threads "$threads" \
          --data "$data_dir"
      done
      # PyTorch with OpenBLAS's core auto-detected only (no target compares its other settings);
      # at 2 threads with its OpenBLAS at 1 thread, its best setting here (with both pools at 2
      # threads its LeNet-5 epoch took 2-3x as long)
      record pytorch auto /usr/bin/python3 bench/torch_mnist.py --model "$model" \
        --threads "$threads" --blas-threads 1 --data "$data_dir"
    done
    for batch in 64 256; do
      steps=$([ "$batch" -eq 64 ] && echo 10 || echo 4)
      record minidl auto "$build_dir/bench/bench_cnn" --batch-size "$batch" --threads "$threads" \
        --steps "$steps" --warmup 2
      record pytorch auto /usr/bin/python3 bench/torch_cnn.py --batch-size "$batch" \
        --threads "$threads" --steps "$steps" --warmup 2
    done
    record minidl auto "$build_dir/bench/bench_step" --threads "$threads" --blocks 5 --steps 1000
    record pytorch auto /usr/bin/python3 bench/torch_step.py --threads "$threads" --blocks 5 \
      --steps 1000
  done
  echo "  run $run of $runs done"
done

# The language models: one whole training per model, thread count and framework, alternating.
if [ "${CHAR_LM:-1}" != 0 ]; then
  char_lm_runs=${CHAR_LM_RUNS:-1}
  echo "Training the language models (4,000 steps each), $char_lm_runs run(s) ..."
  for run in $(seq "$char_lm_runs"); do
    for threads in 1 2; do
      for model in mlp lstm gpt; do
        record minidl_lm auto "$build_dir/examples/char_lm" --model "$model" --threads "$threads" \
          --samples 0 --json
        record pytorch_lm auto /usr/bin/python3 bench/torch_char_lm.py --model "$model" \
          --threads "$threads"
        echo "  $model at $threads thread(s) done"
      done
    done
  done
fi

echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" \
  "(family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | xargs)), $(nproc) cores;" \
  "minidl GEMM variant: $("$build_dir/bench/bench_gemm" --variant); RUNS=$runs"
/usr/bin/python3 bench/report.py "$results"

if [ "${OPS:-1}" != 0 ]; then
  echo
  echo "GEMM throughput at 1 thread, GFLOP/s (bench_gemm; OpenBLAS with its core auto-detected):"
  env -u OPENBLAS_CORETYPE "$build_dir/bench/bench_gemm" | /usr/bin/python3 bench/report.py --gemm -
  echo
  echo "Op-level micro-benchmarks (median microseconds, 1 thread):"
  ops=$(mktemp)
  "$build_dir/bench/bench_ops" --threads 1 >> "$ops"
  /usr/bin/python3 bench/torch_ops.py --threads 1 >> "$ops"
  /usr/bin/python3 bench/report.py --ops "$ops"
  rm -f "$ops"
fi
