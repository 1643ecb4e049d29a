#!/usr/bin/python3
"""PyTorch side of the op-level micro-benchmarks: the same ops and shapes as bench_ops.cpp,
one JSON line per op with the median time. Run with /usr/bin/python3."""
import argparse
import json
import os
import statistics
import time

PARSER = argparse.ArgumentParser(description=__doc__.splitlines()[0])
PARSER.add_argument("--threads", type=int, default=1)
PARSER.add_argument("--repeats", type=int, default=50)
ARGS = PARSER.parse_args()
os.environ["OPENBLAS_NUM_THREADS"] = str(ARGS.threads)
os.environ["OMP_NUM_THREADS"] = str(ARGS.threads)

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def median_seconds(body):
    body()
    times = []
    for _ in range(ARGS.repeats):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(op, shape, seconds):
    print(json.dumps({"framework": "pytorch", "op": op, "shape": shape,
                      "microseconds": round(seconds * 1e6, 2)}))


def main():
    torch.set_num_threads(ARGS.threads)
    torch.manual_seed(0)
    for m, k, n in [(64, 784, 128), (64, 128, 10), (64, 256, 120), (6, 25, 576), (16, 150, 64)]:
        a, b = torch.randn(m, k), torch.randn(k, n)
        report("matmul", f"{m}x{k}x{n}", median_seconds(lambda: a @ b))
    for cin, cout, size in [(1, 6, 28), (6, 16, 12)]:
        x = torch.randn(64, cin, size, size)
        w = (torch.randn(cout, cin, 5, 5) * 0.1).requires_grad_()
        b = (torch.randn(cout) * 0.1).requires_grad_()
        shape = f"64x{cin}x{size}x{size} k5 -> {cout}"
        with torch.no_grad():
            report("conv2d_forward", shape, median_seconds(lambda: F.conv2d(x, w, b)))

        def forward_backward():
            F.conv2d(x, w, b).sum().backward()
            w.grad = None
            b.grad = None
        report("conv2d_forward_backward", shape, median_seconds(forward_backward))

    act = torch.randn(64, 6, 24, 24).requires_grad_()

    def pool():
        F.max_pool2d(act, 2).sum().backward()
        act.grad = None
    report("max_pool2d_forward_backward", "64x6x24x24 k2", median_seconds(pool))

    def relu():
        F.relu(act).sum().backward()
        act.grad = None
    report("relu_forward_backward", "64x6x24x24", median_seconds(relu))

    logits = torch.randn(64, 10).requires_grad_()
    labels = torch.arange(64) % 10

    def cross_entropy():
        F.cross_entropy(logits, labels).backward()
        logits.grad = None
    report("cross_entropy_forward_backward", "64x10", median_seconds(cross_entropy))

    shapes = [(6, 1, 5, 5), (6,), (16, 6, 5, 5), (16,), (120, 256), (120,), (84, 120), (84,),
              (10, 84), (10,)]
    params = [torch.randn(*s).requires_grad_() for s in shapes]
    for p in params:
        p.grad = torch.randn(*p.shape)
    sgd = torch.optim.SGD(params, lr=0.01, momentum=0.9)
    report("sgd_momentum_step", "lenet5 44426 params", median_seconds(sgd.step))


if __name__ == "__main__":
    main()
