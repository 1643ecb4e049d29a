#!/usr/bin/python3
"""The PyTorch side of the side-by-side MNIST benchmark.

Trains the same LeNet-5 or MLP as bench_mnist (same IDX data, batch size, SGD with momentum,
per-epoch seeded shuffle, per-batch normalisation from bytes) for one epoch with Debian's
python3-torch, then prints one JSON line: seconds per epoch, images/s, test accuracy, peak RSS.
Run with /usr/bin/python3. numpy is used only to read the IDX files.
"""
import argparse
import json
import os
import resource
import sys
import time


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.environ.get("MINIDL_DATA", "data/mnist"))
    parser.add_argument("--model", choices=["lenet", "mlp"], default="lenet")
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="OpenBLAS/OpenMP threads (default: same as --threads)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


ARGS = parse_args()
EVAL_BATCH = 250  # test-set batch size, the same as kEvalBatch in bench/bench_mnist.cpp
# Thread counts must be in the environment before torch (and its BLAS) is loaded.
BLAS_THREADS = ARGS.blas_threads if ARGS.blas_threads is not None else ARGS.threads
os.environ["OPENBLAS_NUM_THREADS"] = str(BLAS_THREADS)
os.environ["OMP_NUM_THREADS"] = str(BLAS_THREADS)

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

MEAN, STD = 0.1307, 0.3081


def read_idx(path, dims):
    with open(path, "rb") as f:
        raw = f.read()
    magic = int.from_bytes(raw[0:4], "big")
    if magic != (0x0800 | dims):
        sys.exit(f"{path}: wrong magic {magic:#010x}")
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(split):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(os.path.join(ARGS.data, f"{prefix}-images-idx3-ubyte"), 3)
    labels = read_idx(os.path.join(ARGS.data, f"{prefix}-labels-idx1-ubyte"), 1)
    return torch.from_numpy(images.copy()), torch.from_numpy(labels.astype(np.int64))


def normalise(batch_bytes):
    return ((batch_bytes.float() / 255.0 - MEAN) / STD).unsqueeze(1)


def make_model():
    if ARGS.model == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10))


def main():
    torch.set_num_threads(ARGS.threads)
    torch.manual_seed(ARGS.seed)
    train_x, train_y = load("train")
    test_x, test_y = load("test")
    model = make_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=ARGS.lr, momentum=ARGS.momentum)
    loss_fn = nn.CrossEntropyLoss()
    rng = np.random.default_rng(ARGS.seed)

    start = time.perf_counter()
    for _ in range(ARGS.epochs):
        model.train()
        order = torch.from_numpy(rng.permutation(len(train_y)))
        for first in range(0, len(order), ARGS.batch_size):
            index = order[first:first + ARGS.batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(normalise(train_x[index])), train_y[index])
            loss.backward()
            optimizer.step()
    seconds = (time.perf_counter() - start) / ARGS.epochs

    model.eval()
    correct = 0
    with torch.no_grad():
        for first in range(0, len(test_y), EVAL_BATCH):
            logits = model(normalise(test_x[first:first + EVAL_BATCH]))
            correct += int((logits.argmax(1) == test_y[first:first + EVAL_BATCH]).sum())
    print(json.dumps({
        "framework": "pytorch", "version": torch.__version__, "model": ARGS.model,
        "threads": ARGS.threads, "blas_threads": BLAS_THREADS,
        "seconds_per_epoch": seconds, "images_per_second": len(train_y) / seconds,
        "test_accuracy": correct / len(test_y),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }))


if __name__ == "__main__":
    main()
