#!/usr/bin/python3
"""PyTorch side of `./run bench engine`: the same training steps as SharpVision.Bench engine, in PyTorch.

Times forward + cross-entropy + backward + torch.optim.Adam(foreach=False) steps, batch already in memory.
Prints one "RESULT ..." line per model, in the same format as the C# side.
"""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


class CafeCnn(nn.Module):
    """Conv(32,7)→Pool→Conv(64,5)→Pool→Conv(128,3)→Pool→Conv(256,3)→Pool→Dense256→Dense256→Dense64→Dense5."""

    def __init__(self, classes=5):
        super().__init__()
        chans = [(3, 32, 7), (32, 64, 5), (64, 128, 3), (128, 256, 3)]
        self.convs = nn.ModuleList(nn.Conv2d(i, o, k) for i, o, k in chans)
        dims = [(256 * 5 * 5, 256), (256, 256), (256, 64), (64, classes)]
        self.dense = nn.ModuleList(nn.Linear(i, o) for i, o in dims)

    def forward(self, x):
        for conv in self.convs:
            x = F.max_pool2d(F.relu(conv(x), inplace=True), 2)
        x = torch.flatten(x, 1)
        for i, d in enumerate(self.dense):
            x = d(x)
            if i < len(self.dense) - 1:
                x = F.relu(x, inplace=True)
        return x


def measure(name, batch, warmup, steps, seed):
    torch.manual_seed(seed)
    if name == "cafe":
        net, size = CafeCnn(), 128
    elif name == "mobilenet_v2":
        net, size = torchvision.models.mobilenet_v2(num_classes=5), 160
    else:
        net, size = torchvision.models.resnet18(num_classes=5), 64
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, foreach=False)
    x = torch.randn(batch, 3, size, size)
    y = torch.randint(0, 5, (batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(warmup):
        step()
    # Per-step times; the median resists the odd step slowed by other processes on a shared machine.
    times = []
    start = time.perf_counter()
    last = 0.0
    for _ in range(steps):
        t0 = time.perf_counter()
        last = step()
        times.append(time.perf_counter() - t0)
    mean = (time.perf_counter() - start) / steps
    times.sort()
    median = times[steps // 2] if steps % 2 else (times[steps // 2 - 1] + times[steps // 2]) / 2
    params = sum(p.numel() for p in net.parameters())
    print(f"RESULT engine=pytorch model={name} params={params} threads={torch.get_num_threads()} batch={batch} "
          f"steps={steps} ms_per_step={median * 1000:.1f} mean_ms_per_step={mean * 1000:.1f} "
          f"images_per_s={batch / median:.2f} mean_images_per_s={batch / mean:.2f} loss={last:.4f}", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", default="all", choices=["all", "cafe", "resnet18", "mobilenet_v2"])
    p.add_argument("--threads", type=int, default=0, help="intra-op threads (0: PyTorch's default)")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    for m in (["cafe", "resnet18", "mobilenet_v2"] if a.model == "all" else [a.model]):
        measure(m, a.batch, a.warmup, a.steps, a.seed)


if __name__ == "__main__":
    main()
