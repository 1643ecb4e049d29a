#!/usr/bin/python3
"""The PyTorch side of the per-step overhead benchmark (bench/bench_step.cpp is minidl's).

An MLP 32-32-10 (ReLU) trained at batch 1 with SGD lr 0.01 momentum 0.9 and cross-entropy: the
arithmetic is a few thousand flops, so the time per step is the framework's own overhead. Prints
one JSON line: the median over blocks of steps, in microseconds per training step.
Run with /usr/bin/python3.
"""
import argparse
import json
import os
import resource
import statistics
import time


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    parser.add_argument("--blocks", type=int, default=7)
    parser.add_argument("--steps", type=int, default=2000, help="steps per timed block")
    return parser.parse_args()


ARGS = parse_args()
os.environ["OPENBLAS_NUM_THREADS"] = str(ARGS.threads)
os.environ["OMP_NUM_THREADS"] = str(ARGS.threads)

import torch  # noqa: E402
from torch import nn  # noqa: E402


def main():
    torch.set_num_threads(ARGS.threads)
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    inputs = [torch.randn(1, 32) for _ in range(16)]
    targets = [torch.tensor([i % 10]) for i in range(16)]

    def step(i):
        optimizer.zero_grad()
        loss = loss_fn(model(inputs[i % 16]), targets[i % 16])
        loss.backward()
        optimizer.step()

    for i in range(ARGS.steps):  # warm-up
        step(i)
    per_step = []
    for _ in range(ARGS.blocks):
        start = time.perf_counter()
        for i in range(ARGS.steps):
            step(i)
        per_step.append((time.perf_counter() - start) / ARGS.steps)
    print(json.dumps({
        "framework": "pytorch", "version": torch.__version__, "model": "tiny",
        "threads": ARGS.threads, "us_per_step": statistics.median(per_step) * 1e6,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }))


if __name__ == "__main__":
    main()
