#!/usr/bin/python3
"""The PyTorch side of the CIFAR-shaped CNN benchmark (bench/bench_cnn.cpp is minidl's).

The same model (3x3 convs 3->32->32, max-pool, 32->64->64, max-pool, each conv followed by
BatchNorm2d and ReLU, global average pool, linear 64->10), SGD lr 0.01 momentum 0.9 and
cross-entropy, on four fixed random batches of 3x32x32 inputs, cycled. Prints one JSON line: median
milliseconds per training step, images/s, peak RSS. Run with /usr/bin/python3.
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
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--steps", type=int, default=20, help="timed training steps")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps first")
    return parser.parse_args()


ARGS = parse_args()
# Thread counts must be in the environment before torch (and its BLAS) is loaded.
os.environ["OPENBLAS_NUM_THREADS"] = str(ARGS.threads)
os.environ["OMP_NUM_THREADS"] = str(ARGS.threads)

import torch  # noqa: E402
from torch import nn  # noqa: E402


def conv_block(channels_in, channels_out):
    return [nn.Conv2d(channels_in, channels_out, 3, padding=1), nn.BatchNorm2d(channels_out),
            nn.ReLU()]


def main():
    torch.set_num_threads(ARGS.threads)
    torch.manual_seed(1)
    model = nn.Sequential(
        *conv_block(3, 32), *conv_block(32, 32), nn.MaxPool2d(2),
        *conv_block(32, 64), *conv_block(64, 64), nn.MaxPool2d(2),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(7)
    inputs = [torch.randn(ARGS.batch_size, 3, 32, 32, generator=generator) for _ in range(4)]
    targets = [torch.randint(0, 10, (ARGS.batch_size,), generator=generator) for _ in range(4)]
    model.train()
    times = []
    for step in range(ARGS.warmup + ARGS.steps):
        start = time.perf_counter()
        optimizer.zero_grad()
        loss = loss_fn(model(inputs[step % 4]), targets[step % 4])
        loss.backward()
        optimizer.step()
        if step >= ARGS.warmup:
            times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(json.dumps({
        "framework": "pytorch", "version": torch.__version__, "model": f"cnn{ARGS.batch_size}",
        "threads": ARGS.threads, "ms_per_step": median * 1e3,
        "images_per_second": ARGS.batch_size / median,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }))


if __name__ == "__main__":
    main()
