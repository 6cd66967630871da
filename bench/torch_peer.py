"""PyTorch peer for `npm run bench`: a long-running process that times blocks of iterations on request,
so the bench can alternate short Lethe and PyTorch blocks (this VM's speed drifts within seconds).

Usage: python3 torch_peer.py THREADS, then lines "MODEL MODE BATCH ITERS WARMUP_MS" on stdin.
The architectures are the fixture models' (shared/fixtures/README.md). Run with the same thread count as
Lethe. Debian's torch must use OpenBLAS (libopenblas0-*); the BLAS in use is reported so the results show it.
"""
import json
import sys
import time

import torch
import torch.nn as nn


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))


class Config:
    """One model in one mode, built once and timed in blocks (the bench interleaves blocks with Lethe's)."""

    def __init__(self, model_name, mode, batch):
        torch.manual_seed(0)
        self.model = {'cnn': cnn, 'mlp': mlp}[model_name]()
        self.x = torch.rand(batch, 1, 28, 28)
        self.y = torch.randint(0, 10, (batch,))
        self.opt = torch.optim.SGD(self.model.parameters(), lr=0.01, momentum=0.9)
        self.loss_fn = nn.CrossEntropyLoss()
        if mode == 'infer':
            self.model.eval()
        self.fn = self.train_step if mode == 'train' else self.infer
        for _ in range(3):
            self.fn()

    def train_step(self):
        self.opt.zero_grad()
        self.loss_fn(self.model(self.x), self.y).backward()
        self.opt.step()

    def infer(self):
        with torch.no_grad():
            self.model(self.x)

    def block(self, iters, warmup_ms):
        start = time.perf_counter()
        while (time.perf_counter() - start) * 1000 < warmup_ms:
            self.fn()
        times = []
        for _ in range(iters):
            t0 = time.perf_counter()
            self.fn()
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        return times[len(times) // 2]


def main():
    """Serves timing requests, one per line on stdin: "MODEL MODE BATCH ITERS WARMUP_MS"; answers one JSON line
    each with the median of ITERS timed iterations that follow WARMUP_MS of untimed ones."""
    torch.set_num_threads(int(sys.argv[1]))
    print(json.dumps({'torch': torch.__version__, 'blas': loaded_blas()}), flush=True)
    configs = {}
    for line in sys.stdin:
        model_name, mode, batch, iters, warmup_ms = line.split()
        key = (model_name, mode, int(batch))
        if key not in configs:
            configs[key] = Config(*key)
        print(json.dumps({'medianMs': configs[key].block(int(iters), float(warmup_ms))}), flush=True)


def loaded_blas():
    """The BLAS library actually mapped into this process (Debian's torch links the generic libblas.so.3,
    which the alternatives system points at OpenBLAS or at the slow reference BLAS)."""
    with open('/proc/self/maps') as maps:
        libs = {line.split()[-1] for line in maps if 'blas' in line.lower()}
    return 'OpenBLAS' if any('openblas' in lib for lib in libs) else (sorted(libs)[0] if libs else 'none')


if __name__ == '__main__':
    main()
