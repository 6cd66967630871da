"""PyTorch peer for `npm run bench`: times one configuration and prints JSON on stdout.

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


def main():
    model_name, mode, batch, iters, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = {'cnn': cnn, 'mlp': mlp}[model_name]()
    x = torch.rand(batch, 1, 28, 28)
    y = torch.randint(0, 10, (batch,))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()

    def train_step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()

    def infer():
        with torch.no_grad():
            model(x)

    fn = train_step if mode == 'train' else infer
    if mode == 'infer':
        model.eval()
    for _ in range(3):
        fn()
    times = []
    for _ in range(iters):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(json.dumps({'medianMs': times[len(times) // 2], 'torch': torch.__version__, 'blas': loaded_blas()}))


def loaded_blas():
    """The BLAS library actually mapped into this process (Debian's torch links the generic libblas.so.3,
    which the alternatives system points at OpenBLAS or at the slow reference BLAS)."""
    with open('/proc/self/maps') as maps:
        libs = {line.split()[-1] for line in maps if 'blas' in line.lower()}
    return 'OpenBLAS' if any('openblas' in lib for lib in libs) else (sorted(libs)[0] if libs else 'none')


if __name__ == '__main__':
    main()
