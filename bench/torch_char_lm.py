#!/usr/bin/python3
"""The PyTorch side of the character-level language model (examples/char_lm is minidl's).

The same three recipes on the same data and split: the word list's lowercase a-z words, every
10th (counting from the first) for validation, 27 symbols with '.' (index 0) marking the start
and end of a word.
  mlp:  context 3, embedding 16, one tanh hidden layer of 256, output 27; batches of 64 windows
  lstm: embedding 32, one LSTM layer of 128, output 27; batches of 64 whole words, padded, the
        padding ignored by the loss
  gpt:  context 16, 2 pre-LayerNorm blocks of 4 heads, width 64, GELU MLP of 4x width, learned
        position embeddings, no dropout; batches of 64 words (a word longer than 15 characters
        also gets a window ending at its end, whose already predicted targets are ignored)
  all:  AdamW lr 3e-3 with weight decay 0.01 on every weight matrix (Linear, LSTM, attention;
        not embeddings, norms or biases), linear warmup from 0 over 200 steps then cosine to
        lr / 10, gradient clipping at norm 1.0.
Prints one JSON line per model: the final validation loss (mean cross-entropy in nats per
character) and the seconds per 1,000 training steps. Run with /usr/bin/python3.
"""
import argparse
import json
import math
import os
import re
import time


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=["mlp", "lstm", "gpt"], nargs="+",
                        default=["mlp", "lstm", "gpt"])
    parser.add_argument("--words", default="/usr/share/dict/american-english")
    parser.add_argument("--steps", type=int, default=4000)
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


ARGS = parse_args()
os.environ["OPENBLAS_NUM_THREADS"] = str(ARGS.threads)
os.environ["OMP_NUM_THREADS"] = str(ARGS.threads)

import torch  # noqa: E402
from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

IGNORE = -1
VOCAB = 27


def read_words(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        words = [line.rstrip("\r\n").rstrip("\r") for line in f]
    words = [w for w in words if re.fullmatch("[a-z]+", w)]
    validation = words[0::10]
    train = [w for i, w in enumerate(words) if i % 10 != 0]
    return train, validation


def encode(word):
    return [ord(c) - ord("a") + 1 for c in word]


def context_windows(words, context):
    inputs, targets = [], []
    for word in words:
        window = [0] * context
        for symbol in encode(word) + [0]:
            inputs.append(list(window))
            targets.append(symbol)
            window = window[1:] + [symbol]
    return torch.tensor(inputs), torch.tensor(targets)


def word_windows(words, width):
    row_length = min(width, max(len(w) for w in words) + 1)
    inputs, targets = [], []
    for word in words:
        symbols = [0] + encode(word) + [0]
        predictions = len(word) + 1
        done = 0
        while done < predictions:
            end = min(done + row_length, predictions)
            start = max(end - row_length, 0)
            row_in, row_target = [], []
            for j in range(start, start + row_length):
                row_in.append(symbols[j] if j < end else 0)
                row_target.append(symbols[j + 1] if done <= j < end else IGNORE)
            inputs.append(row_in)
            targets.append(row_target)
            done = end
    return torch.tensor(inputs), torch.tensor(targets)


def select_rows(inputs, targets, rows):
    x, y = inputs[rows], targets[rows]
    if y.dim() == 2:
        used = int((y != IGNORE).any(0).nonzero().max()) + 1
        x, y = x[:, :used], y[:, :used]
    return x, y


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, 16)
        self.hidden = nn.Linear(3 * 16, 256)
        self.output = nn.Linear(256, VOCAB)

    def forward(self, x):
        return self.output(torch.tanh(self.hidden(self.embedding(x).flatten(1))))


class Lstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, 32)
        self.lstm = nn.LSTM(32, 128, batch_first=True)
        self.output = nn.Linear(128, VOCAB)

    def forward(self, x):
        return self.output(self.lstm(self.embedding(x))[0])


class Block(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(width)
        self.attention = nn.MultiheadAttention(width, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(width)
        self.expand = nn.Linear(width, 4 * width)
        self.project = nn.Linear(4 * width, width)

    def forward(self, x):
        t = x.shape[1]
        mask = torch.triu(torch.full((t, t), float("-inf")), diagonal=1)
        h = self.norm1(x)
        x = x + self.attention(h, h, h, attn_mask=mask, need_weights=False)[0]
        return x + self.project(F.gelu(self.expand(self.norm2(x))))


class Gpt(nn.Module):
    def __init__(self, context=16, layers=2, heads=4, width=64):
        super().__init__()
        self.symbols = nn.Embedding(VOCAB, width)
        self.positions = nn.Embedding(context, width)
        self.blocks = nn.ModuleList(Block(width, heads) for _ in range(layers))
        self.final_norm = nn.LayerNorm(width)
        self.output = nn.Linear(width, VOCAB)

    def forward(self, x):
        x = self.symbols(x) + self.positions(torch.arange(x.shape[1]))
        for block in self.blocks:
            x = block(x)
        return self.output(self.final_norm(x))


def loss_of(logits, targets, reduction="mean"):
    return F.cross_entropy(logits.reshape(-1, VOCAB), targets.reshape(-1),
                           ignore_index=IGNORE, reduction=reduction)


@torch.no_grad()
def mean_loss(model, inputs, targets, rows_per_pass=1024):
    model.eval()
    total = 0.0
    for first in range(0, inputs.shape[0], rows_per_pass):
        rows = torch.arange(first, min(first + rows_per_pass, inputs.shape[0]))
        x, y = select_rows(inputs, targets, rows)
        total += float(loss_of(model(x), y, "sum"))
    model.train()
    return total / int((targets != IGNORE).sum())


def lr_factor(step, steps):
    warmup = max(1, min(200, steps // 5))
    if step < warmup:
        return step / warmup
    total = max(1, steps - warmup)
    t = min(step - warmup, total)
    return 0.1 + 0.9 * (1 + math.cos(math.pi * t / total)) / 2


def run(name, train_words, validation_words):
    torch.manual_seed(ARGS.seed)
    if name == "mlp":
        model = Mlp()
        train = context_windows(train_words, 3)
        validation = context_windows(validation_words, 3)
    elif name == "lstm":
        model = Lstm()
        whole = max(len(w) for w in train_words + validation_words) + 1
        train = word_windows(train_words, whole)
        validation = word_windows(validation_words, whole)
    else:
        model = Gpt()
        train = word_windows(train_words, 16)
        validation = word_windows(validation_words, 16)
    # minidl's nn::split_decay: every weight matrix decays, not embeddings' or norms' parameters
    own = [(m, p) for m in model.modules() for p in m.parameters(recurse=False)]
    keep = (nn.Embedding, nn.LayerNorm)
    decay = [p for m, p in own if p.dim() >= 2 and not isinstance(m, keep)]
    no_decay = [p for m, p in own if p.dim() < 2 or isinstance(m, keep)]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01},
                                   {"params": no_decay, "weight_decay": 0.0}], lr=3e-3)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: lr_factor(s, ARGS.steps))
    start = time.perf_counter()
    for _ in range(ARGS.steps):
        rows = torch.randint(0, train[0].shape[0], (64,))
        x, y = select_rows(*train, rows)
        loss = loss_of(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
    seconds = time.perf_counter() - start
    return {"model": name, "threads": ARGS.threads, "steps": ARGS.steps,
            "val_loss": round(mean_loss(model, *validation), 4),
            "seconds_per_1000_steps": round(1000 * seconds / ARGS.steps, 2)}


def main():
    torch.set_num_threads(ARGS.threads)
    train_words, validation_words = read_words(ARGS.words)
    for name in ARGS.model:
        print(json.dumps(run(name, train_words, validation_words)), flush=True)


if __name__ == "__main__":
    main()
