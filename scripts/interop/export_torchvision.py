#!/usr/bin/env python3
"""Interop fixtures for SharpVision's model zoo.

For each torchvision model below this writes, into --out:
  <model>.safetensors      seeded random-init state dict (parameters + buffers, torchvision names)
  <model>.io.safetensors   one fixed input ("input") and PyTorch's eval-mode output ("output")
and, for resnet18, the same state dict as PyTorch checkpoints (torch.save) for the pickle-free .pth reader:
  resnet18.pth (zip), resnet18.legacy.pth (pre-1.6 stream), resnet18.half.pth (float16), resnet18.ddp.pth (a training
  checkpoint with "module."-prefixed names under "state_dict"), views.pth (non-contiguous views sharing a storage),
  and evil.pth (a pickle that would run os.system when loaded with pickle; it must be refused).
BatchNorm running statistics and affine parameters are randomised so that eval-mode BN maths is really exercised.
The safetensors format is written by hand (the `safetensors` package is not required).

Usage: /usr/bin/python3 scripts/interop/export_torchvision.py --out build/interop-fixtures [--models resnet18,...]
"""
import argparse
import json
import os
import struct
import sys

import torch
import torchvision

# name -> (constructor, number of classes, input size). Small inputs and 10 classes keep files and runs small;
# vgg16's classifier (25088x4096) still makes its file about 0.5 GB.
MODELS = {
    "resnet18": (lambda: torchvision.models.resnet18(num_classes=10), 32),
    "mobilenet_v2": (lambda: torchvision.models.mobilenet_v2(num_classes=10), 32),
    "vgg16": (lambda: torchvision.models.vgg16(num_classes=10), 32),
    "inception_v3": (lambda: torchvision.models.inception_v3(num_classes=10, aux_logits=True, init_weights=True), 75),
}
SEED = 1234

DTYPES = {torch.float32: "F32", torch.int64: "I64", torch.float64: "F64", torch.int32: "I32"}


def save_safetensors(path, tensors, metadata=None):
    header = {}
    offset = 0
    blobs = []
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        data = t.numpy().tobytes()  # numpy's native order is little-endian on every supported machine
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def randomise_batchnorm(model, gen):
    for m in model.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            with torch.no_grad():
                n = m.num_features
                m.running_mean.copy_(torch.randn(n, generator=gen) * 0.1)
                m.running_var.copy_(torch.rand(n, generator=gen) * 0.5 + 0.75)
                m.weight.copy_(torch.rand(n, generator=gen) * 0.5 + 0.75)
                m.bias.copy_(torch.randn(n, generator=gen) * 0.1)
                m.num_batches_tracked.fill_(7)


def export(name, out):
    ctor, size = MODELS[name]
    torch.manual_seed(SEED)
    model = ctor()
    gen = torch.Generator().manual_seed(SEED + 1)
    randomise_batchnorm(model, gen)
    model.eval()
    x = torch.randn(1, 3, size, size, generator=gen)
    with torch.no_grad():
        y = model(x)
    meta = {"model": name, "torch": torch.__version__, "torchvision": torchvision.__version__, "seed": SEED}
    save_safetensors(os.path.join(out, name + ".safetensors"), model.state_dict(), meta)
    save_safetensors(os.path.join(out, name + ".io.safetensors"), {"input": x, "output": y}, meta)
    if name == "resnet18":
        export_pth(model, out)
    print(f"{name}: {sum(p.numel() for p in model.parameters())} params, input {list(x.shape)}, output {list(y.shape)}")


class Evil:
    """Unpickling this with the standard pickle module would run a shell command."""

    def __reduce__(self):
        return (os.system, ("touch evil-pickle-ran",))


def export_pth(model, out):
    sd = model.state_dict()
    torch.save(sd, os.path.join(out, "resnet18.pth"))
    torch.save(sd, os.path.join(out, "resnet18.legacy.pth"), _use_new_zipfile_serialization=False)
    torch.save({k: (v.half() if v.is_floating_point() else v) for k, v in sd.items()}, os.path.join(out, "resnet18.half.pth"))
    torch.save({"epoch": 3, "best_acc": 0.5, "state_dict": {"module." + k: v for k, v in sd.items()}}, os.path.join(out, "resnet18.ddp.pth"))
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    views = {"base": base, "transposed": base.t(), "column": base[:, 2], "slice": base[1:3, 1:5]}
    torch.save(views, os.path.join(out, "views.pth"))
    torch.save(views, os.path.join(out, "views.legacy.pth"), _use_new_zipfile_serialization=False)
    torch.save({"weight": torch.zeros(2), "payload": Evil()}, os.path.join(out, "evil.pth"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="folder for the fixtures")
    ap.add_argument("--models", default=",".join(MODELS), help="comma-separated subset of " + ",".join(MODELS))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    for name in [m.strip() for m in args.models.split(",") if m.strip()]:
        if name not in MODELS:
            sys.exit(f"unknown model {name!r}; valid: {', '.join(MODELS)}")
        export(name, args.out)


if __name__ == "__main__":
    main()
