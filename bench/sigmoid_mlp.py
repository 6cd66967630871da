"""Exports the mnemonic-code paper's MNIST model (MLP 784-1000-10, sigmoid hidden layer; docs/methods.md §2.4)
as an untrained ONNX graph for bench/methods.ts, which re-initialises and trains it with Lethe. Run with
Debian's python3-torch (the pyenv python3 on PATH has no torch):
    /usr/bin/python3 bench/sigmoid_mlp.py OUT.onnx
"""
import sys

import torch
import torch.nn as nn


class SigmoidMlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(784, 1000)
        self.head = nn.Linear(1000, 10)

    def forward(self, x):
        return self.head(torch.sigmoid(self.hidden(torch.flatten(x, 1))))


def main(out):
    torch.manual_seed(0)
    net = SigmoidMlp().eval()
    torch.onnx.export(net, torch.zeros(1, 1, 28, 28), out, opset_version=13, input_names=['input'], output_names=['logits'],
                      dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}}, do_constant_folding=False)


if __name__ == '__main__':
    main(sys.argv[1])
