#!/usr/bin/python3
"""Formats scripts/bench.sh's results as Markdown tables.

  report.py RESULTS        the side-by-side table (medians and ranges), FMA-peak fractions and
                           the performance targets, each met or missed by how much; then the
                           language models' losses and speed, when the results hold them
  report.py --gemm FILE    bench_gemm's GFLOP/s per shape and implementation ('-': stdin)
  report.py --ops FILE     bench_ops / torch_ops.py side by side
Each input line is one JSON object, as the benchmark programs print them.
"""
import json
import statistics
import sys

# GEMM floating-point operations of one training sample (forward and backward; no input
# gradient for the first layer, whose input is data), from the layer shapes.
LENET_FLOPS = (2 * 2 * 6 * 576 * 25 + 3 * 2 * 16 * 64 * 150
               + 3 * 2 * (256 * 120 + 120 * 84 + 84 * 10))
MLP_FLOPS = 2 * 2 * (784 * 128 + 128 * 10) + 2 * 128 * 10
CNN_FLOPS = (2 * 2 * 32 * 1024 * 27 + 3 * 2 * 32 * 1024 * 288 + 3 * 2 * 64 * 256 * 288
             + 3 * 2 * 64 * 256 * 576 + 3 * 2 * 64 * 10)
MNIST_TRAIN = 60000
MODELS = [("lenet", "seconds_per_epoch", "s/epoch"), ("mlp", "seconds_per_epoch", "s/epoch"),
          ("cnn64", "ms_per_step", "ms/step"), ("cnn256", "ms_per_step", "ms/step"),
          ("tiny", "us_per_step", "µs/step")]


def load(path):
    stream = sys.stdin if path == "-" else open(path)
    return [json.loads(line) for line in stream if line.strip().startswith("{")]


def values(rows, model, threads, config, blas, key):
    return [r[key] for r in rows if r.get("model") == model and r.get("threads") == threads
            and r.get("config") == config and r.get("blas") == blas and key in r]


def median(rows, *args):
    found = values(rows, *args)
    return statistics.median(found) if found else None


def cell(rows, *args):
    found = values(rows, *args)
    if not found:
        return "", None
    mid = statistics.median(found)
    digits = 2 if mid < 100 else 0
    spread = f" ({min(found):.{digits}f}–{max(found):.{digits}f})" if len(found) > 1 else ""
    return f"{mid:.{digits}f}{spread}", mid


def verdict(value, target, what):
    if value is None:
        return f"- {what}: not measured"
    status = "met" if value <= target else f"MISSED by {value - target:.3f}"
    return f"- {what}: {value:.3f} (target ≤ {target}): {status}"


def main_report(path):
    rows = load(path)
    peak = next((r["gflops"] for r in rows if r.get("config") == "peak"), None)
    blas_modes = list(dict.fromkeys(r["blas"] for r in rows if r.get("config") == "minidl"))
    print()
    print("| model | threads | OpenBLAS core | unit | minidl | PyTorch | ratio | PyTorch best "
          "| ratio to best | minidl RSS MiB | PyTorch RSS MiB | minidl acc | PyTorch acc |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for model, key, unit in MODELS:
        for threads in (1, 2):
            for blas in blas_modes:
                ours_text, ours = cell(rows, model, threads, "minidl", blas, key)
                theirs_text, theirs = cell(rows, model, threads, "pytorch", blas, key)
                if ours is None:
                    continue
                candidates = [t for t in (theirs, median(rows, model, threads, "pytorch_blas1",
                                                          blas, key),
                                          median(rows, model, 1, "pytorch", blas, key))
                              if t is not None]
                best = min(candidates) if candidates else None
                rss = [median(rows, model, threads, c, blas, "peak_rss_mib")
                       for c in ("minidl", "pytorch")]
                acc = [median(rows, model, threads, c, blas, "test_accuracy")
                       for c in ("minidl", "pytorch")]
                ratio = f"{ours / theirs:.2f}" if theirs else ""
                best_text = f"{best:.2f}" if best is not None else ""
                best_ratio = f"{ours / best:.2f}" if best else ""
                rss_text = [f"{v:.0f}" if v is not None else "" for v in rss]
                acc_text = [f"{100 * v:.2f}%" if v is not None else "" for v in acc]
                print(f"| {model} | {threads} | {blas} | {unit} | {ours_text} | {theirs_text} | "
                      f"{ratio} | {best_text} | {best_ratio} | {rss_text[0]} | {rss_text[1]} | "
                      f"{acc_text[0]} | {acc_text[1]} |")

    print()
    if peak:
        print(f"One core's FMA peak (bench_gemm --peak): {peak:.1f} GFLOP/s. GEMM work of a whole "
              "epoch / step over its time, minidl at 1 thread, OpenBLAS core auto:")
        for model, flops, per, key, scale in (
                ("lenet", LENET_FLOPS * MNIST_TRAIN, "epoch", "seconds_per_epoch", 1.0),
                ("mlp", MLP_FLOPS * MNIST_TRAIN, "epoch", "seconds_per_epoch", 1.0),
                ("cnn64", CNN_FLOPS * 64, "step", "ms_per_step", 1e-3),
                ("cnn256", CNN_FLOPS * 256, "step", "ms_per_step", 1e-3)):
            seconds = median(rows, model, 1, "minidl", "auto", key)
            if seconds:
                rate = flops / (seconds * scale) / 1e9
                print(f"- {model}: {flops / 1e9:.2f} GFLOP per {per} → {rate:.1f} GFLOP/s, "
                      f"{100 * rate / peak:.0f}% of peak")

    print()
    print("Targets (ratios of medians from this run):")

    def ratio_of(model, threads, key, blas="auto"):
        ours = median(rows, model, threads, "minidl", blas, key)
        theirs = median(rows, model, threads, "pytorch", blas, key)
        return ours / theirs if ours and theirs else None

    print(verdict(ratio_of("lenet", 1, "seconds_per_epoch"), 0.5,
                  "LeNet-5, 1 thread, minidl / PyTorch"))
    for model in ("lenet", "mlp"):
        for threads in (1, 2):
            ours = median(rows, model, threads, "minidl", "auto", "seconds_per_epoch")
            slow = median(rows, model, threads, "minidl", "Prescott", "seconds_per_epoch")
            print(verdict(slow / ours if ours and slow else None, 1.15,
                          f"{model}, {threads} thread(s), minidl with Prescott / auto"))
    for model, key, _ in MODELS:
        one = median(rows, model, 1, "minidl", "auto", key)
        two = median(rows, model, 2, "minidl", "auto", key)
        print(verdict(two / one if one and two else None, 1.0,
                      f"{model}, minidl 2 threads / 1 thread"))
    for model in ("cnn64", "cnn256"):
        for threads in (1, 2):
            print(verdict(ratio_of(model, threads, "ms_per_step"), 0.6,
                          f"CIFAR-shaped CNN batch {model[3:]}, {threads} thread(s), "
                          "minidl / PyTorch"))
    print(verdict(ratio_of("tiny", 1, "us_per_step"), 0.5,
                  "per-step overhead (MLP 32-32-10, batch 1), 1 thread, minidl / PyTorch"))
    char_lm_report(rows)


def char_lm_report(rows):
    """The language models (config minidl_lm / pytorch_lm): loss and seconds per 1,000 steps."""
    lm_rows = [r for r in rows if r.get("config") in ("minidl_lm", "pytorch_lm")]
    if not lm_rows:
        return
    print()
    print("Character-level language models (examples/char_lm, bench/torch_char_lm.py; default "
          "recipes, 4,000 steps; medians when run more than once):")
    print()
    print("| model | threads | minidl val loss | PyTorch val loss | difference | "
          "minidl s/1000 steps | PyTorch s/1000 steps | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    differences = []
    for model in ("mlp", "lstm", "gpt"):
        for threads in (1, 2):
            loss = [median(lm_rows, model, threads, c, "auto", "val_loss")
                    for c in ("minidl_lm", "pytorch_lm")]
            speed = [cell(lm_rows, model, threads, c, "auto", "seconds_per_1000_steps")
                     for c in ("minidl_lm", "pytorch_lm")]
            if loss[0] is None:
                continue
            difference = loss[0] - loss[1] if loss[1] is not None else None
            if difference is not None:
                differences.append((model, threads, difference))
            ratio = f"{speed[0][1] / speed[1][1]:.2f}" if speed[1][1] else ""
            loss_text = [f"{v:.4f}" if v is not None else "" for v in loss]
            difference_text = f"{difference:+.4f}" if difference is not None else ""
            print(f"| {model} | {threads} | {loss_text[0]} | {loss_text[1]} | {difference_text} "
                  f"| {speed[0][0]} | {speed[1][0]} | {ratio} |")
    print()
    for model, threads, difference in differences:
        status = "met" if abs(difference) <= 0.05 else f"MISSED by {abs(difference) - 0.05:.4f}"
        print(f"- {model}, {threads} thread(s), |minidl - PyTorch| final validation loss: "
              f"{abs(difference):.4f} nats (target ≤ 0.05): {status}")


def gemm_report(path):
    rows = load(path)
    impls = list(dict.fromkeys(r["impl"] for r in rows))
    print("| product | M | N | K | " + " | ".join(impls) + " | sgemm uses |")
    print("|---|---|---|---|" + "---|" * len(impls) + "---|")
    shapes = list(dict.fromkeys((r["shape"], r["m"], r["n"], r["k"]) for r in rows))
    for shape in shapes:
        found = {r["impl"]: r for r in rows if (r["shape"], r["m"], r["n"], r["k"]) == shape}
        cells = " | ".join(f"{found[i]['gflops']:.0f}" if i in found else "" for i in impls)
        uses = next(iter(found.values()))["sgemm_uses"]
        print(f"| {shape[0]} | {shape[1]} | {shape[2]} | {shape[3]} | {cells} | {uses} |")


def ops_report(path):
    rows = load(path)
    theirs = {(r["op"], r["shape"]): r["microseconds"] for r in rows
              if r["framework"] == "pytorch"}
    raw = {r["shape"]: r["microseconds"] for r in rows if r["op"] == "raw_sgemm"}
    print("| op | shape | minidl µs | PyTorch µs | ratio | raw cblas_sgemm µs |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        if r["framework"] != "minidl" or r["op"] == "raw_sgemm":
            continue
        t = theirs.get((r["op"], r["shape"]))
        raw_text = f"{raw[r['shape']]:.1f}" if r["op"] == "matmul" else ""
        print(f"| {r['op']} | {r['shape']} | {r['microseconds']:.1f} | {t:.1f} | "
              f"{r['microseconds'] / t:.2f} | {raw_text} |")


if __name__ == "__main__":
    if sys.argv[1] == "--gemm":
        gemm_report(sys.argv[2])
    elif sys.argv[1] == "--ops":
        ops_report(sys.argv[2])
    else:
        main_report(sys.argv[1])
