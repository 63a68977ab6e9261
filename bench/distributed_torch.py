#!/usr/bin/python3
"""PyTorch side of `./run bench distributed`: the training SharpVision's `train` does, under DistributedDataParallel.

Run alone (1 worker) or under torchrun (Gloo). Same data as `sharpvision train --limit N --cache`: the first N/classes
images of each class of a class-per-folder dataset, resized (bilinear) and kept in memory; interleaved shards per rank
(DistributedSampler's), global batch split over the ranks; Adam (lr 1e-3, foreach=False), cross-entropy. Epochs 1-2
warm up; epochs 3 to --epochs are timed together (a barrier before and after), as the images/s of those epochs in
`sharpvision train`'s history. Prints "RESULT images_per_second X" on rank 0 (global throughput).
"""
import argparse
import json
import os
import struct
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from PIL import Image


class CafeCnn(nn.Module):
    """sharpvision's cafe-cnn: Conv(32,7)→Pool→Conv(64,5)→Pool→Conv(128,3)→Pool→Conv(256,3)→Pool→Dense256→256→64→classes."""

    def __init__(self, size, classes):
        super().__init__()
        chans = [(3, 32, 7), (32, 64, 5), (64, 128, 3), (128, 256, 3)]
        self.convs = nn.ModuleList(nn.Conv2d(i, o, k) for i, o, k in chans)
        for _, _, k in chans:
            size = (size - k + 1) // 2
        dims = [(256 * size * size, 256), (256, 256), (256, 64), (64, classes)]
        self.dense = nn.ModuleList(nn.Linear(i, o) for i, o in dims)

    def forward(self, x):
        for conv in self.convs:
            x = F.max_pool2d(F.relu(conv(x)), 2)
        x = torch.flatten(x, 1)
        for i, d in enumerate(self.dense):
            x = d(x)
            if i < len(self.dense) - 1:
                x = F.relu(x)
        return x


def load_safetensors(path):
    """A minimal safetensors reader (float32 tensors), so that no extra package is needed."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        blob = f.read()
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        assert meta["dtype"] == "F32", f"{name}: {meta['dtype']}"
        a, b = meta["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(blob[a:b], dtype=np.float32).copy()).reshape(meta["shape"])
    return out


def load_images(root, limit, size):
    classes = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
    per_class = limit // len(classes)
    xs, ys = [], []
    for label, c in enumerate(classes):
        files = sorted(os.listdir(os.path.join(root, c)))[:per_class]
        for f in files:
            img = Image.open(os.path.join(root, c, f)).convert("RGB").resize((size, size), Image.BILINEAR)
            xs.append(torch.from_numpy(np.asarray(img).copy()).permute(2, 0, 1))
            ys.append(label)
    return torch.stack(xs), torch.tensor(ys), len(classes)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", choices=["cafe-cnn", "mobilenet_v2"], required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--input", type=int, default=64)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--limit", type=int, default=320)
    p.add_argument("--pretrained")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--epochs", type=int, default=3)
    a = p.parse_args()

    torch.set_num_threads(1)
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    if world > 1:
        dist.init_process_group("gloo")
    torch.manual_seed(a.seed)

    images, labels, classes = load_images(a.data, a.limit, a.input)
    if a.model == "cafe-cnn":
        net = CafeCnn(a.input, classes)
        mean, std = torch.zeros(3), torch.ones(3)
    else:
        net = torchvision.models.mobilenet_v2(num_classes=1000)
        if a.pretrained:
            state = load_safetensors(a.pretrained)
            net.load_state_dict({k: v for k, v in state.items() if k in net.state_dict()}, strict=False)
        net.classifier[1] = nn.Linear(1280, classes)  # a new head for the classes, the whole network trains
        mean, std = torch.tensor([0.485, 0.456, 0.406]), torch.tensor([0.229, 0.224, 0.225])
    model = nn.parallel.DistributedDataParallel(net) if world > 1 else net
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, foreach=False)
    local = a.batch // world
    mean, std = mean.view(1, 3, 1, 1), std.view(1, 3, 1, 1)

    def epoch(e):
        g = torch.Generator().manual_seed(a.seed + e)
        order = torch.randperm(len(labels), generator=g)
        n = len(order) - len(order) % world
        shard = order[rank:n:world]
        steps = len(shard) // local
        for s in range(steps):
            idx = shard[s * local:(s + 1) * local]
            x = (images[idx].float() / 255 - mean) / std
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(model(x), labels[idx]).backward()
            opt.step()
        return steps * local * world

    epoch(0)
    epoch(1)
    if world > 1:
        dist.barrier()
    start = time.perf_counter()
    seen = sum(epoch(e) for e in range(2, max(3, a.epochs)))
    if world > 1:
        dist.barrier()
    seconds = time.perf_counter() - start
    if rank == 0:
        print(f"RESULT images_per_second {seen / seconds:.2f}", flush=True)
    if world > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
