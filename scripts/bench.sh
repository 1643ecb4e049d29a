#!/usr/bin/env bash
# Side-by-side benchmark of minidl against PyTorch (Debian's python3-torch) on this machine.
# Builds Release, fetches MNIST, then for 1 and 2 threads runs bench_mnist and torch_mnist.py
# alternately (RUNS each, default 3; median), LeNet-5 and the MLP, one epoch each, and prints one
# table: seconds per epoch, peak RSS and test accuracy, with the ratios minidl / PyTorch. PyTorch
# is also run at its best 2-thread setting (its own threads x OpenBLAS threads). Then the
# op-level micro-benchmarks (bench_ops, torch_ops.py) side by side.
#   RUNS=3 MODELS="lenet mlp" THREADS="1 2" scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_packages "${MINIDL_BUILD_PACKAGES[@]}" python3-torch python3-numpy

runs=${RUNS:-3}
models=${MODELS:-"lenet mlp"}
thread_counts=${THREADS:-"1 2"}
build_dir=${BUILD_DIR:-build-bench}
data_dir=${MINIDL_DATA:-data/mnist}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DMINIDL_BUILD_TESTS=OFF > /dev/null
cmake --build "$build_dir" -j"$(nproc)" --target bench_mnist bench_ops
./scripts/fetch_mnist.sh > /dev/null

results=$(mktemp)
trap 'rm -f "$results"' EXIT
echo "Running $runs alternating runs per configuration (models: $models; threads: $thread_counts) ..."
for threads in $thread_counts; do
  for model in $models; do
    for run in $(seq "$runs"); do
      "$build_dir/bench/bench_mnist" --model "$model" --threads "$threads" --data "$data_dir" |
        sed "s/}\$/, \"config\": \"minidl\"}/" >> "$results"
      /usr/bin/python3 bench/torch_mnist.py --model "$model" --threads "$threads" --data "$data_dir" |
        sed "s/}\$/, \"config\": \"pytorch\"}/" >> "$results"
      if [ "$threads" -gt 1 ]; then  # PyTorch's other 2-thread settings, for its best time
        /usr/bin/python3 bench/torch_mnist.py --model "$model" --threads "$threads" --blas-threads 1 \
          --data "$data_dir" | sed "s/}\$/, \"config\": \"pytorch_blas1\"}/" >> "$results"
      fi
      echo "  $model, $threads thread(s): run $run of $runs done"
    done
  done
done

/usr/bin/python3 - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
def median(model, threads, config, key):
    values = [r[key] for r in rows if r["model"] == model and r["threads"] == threads and r["config"] == config]
    return statistics.median(values) if values else None
print()
print("| model | threads | minidl s/epoch | PyTorch s/epoch | ratio | PyTorch best s/epoch | ratio to best | minidl RSS MiB | PyTorch RSS MiB | RSS ratio | minidl acc | PyTorch acc |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for model in dict.fromkeys(r["model"] for r in rows):
    for threads in sorted({r["threads"] for r in rows}):
        ours = median(model, threads, "minidl", "seconds_per_epoch")
        theirs = median(model, threads, "pytorch", "seconds_per_epoch")
        if ours is None or theirs is None:
            continue
        best = min(t for t in (theirs, median(model, threads, "pytorch_blas1", "seconds_per_epoch"),
                               median(model, 1, "pytorch", "seconds_per_epoch")) if t is not None)
        rss_ours = median(model, threads, "minidl", "peak_rss_mib")
        rss_theirs = median(model, threads, "pytorch", "peak_rss_mib")
        print(f"| {model} | {threads} | {ours:.2f} | {theirs:.2f} | {ours / theirs:.2f} | {best:.2f} | "
              f"{ours / best:.2f} | {rss_ours:.0f} | {rss_theirs:.0f} | {rss_ours / rss_theirs:.2f} | "
              f"{100 * median(model, threads, 'minidl', 'test_accuracy'):.2f}% | "
              f"{100 * median(model, threads, 'pytorch', 'test_accuracy'):.2f}% |")
PY

echo
echo "Op-level micro-benchmarks (median microseconds, 1 thread):"
ops=$(mktemp)
"$build_dir/bench/bench_ops" --threads 1 >> "$ops"
/usr/bin/python3 bench/torch_ops.py --threads 1 >> "$ops"
/usr/bin/python3 - "$ops" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
theirs = {(r["op"], r["shape"]): r["microseconds"] for r in rows if r["framework"] == "pytorch"}
raw = {r["shape"]: r["microseconds"] for r in rows if r["op"] == "raw_sgemm"}
print("| op | shape | minidl µs | PyTorch µs | ratio | raw cblas_sgemm µs |")
print("|---|---|---|---|---|---|")
for r in rows:
    if r["framework"] != "minidl" or r["op"] == "raw_sgemm":
        continue
    t = theirs.get((r["op"], r["shape"]))
    print(f"| {r['op']} | {r['shape']} | {r['microseconds']:.1f} | {t:.1f} | {r['microseconds'] / t:.2f} | "
          f"{raw[r['shape']]:.1f} |" if r["op"] == "matmul" else
          f"| {r['op']} | {r['shape']} | {r['microseconds']:.1f} | {t:.1f} | {r['microseconds'] / t:.2f} | |")
PY
rm -f "$ops"
