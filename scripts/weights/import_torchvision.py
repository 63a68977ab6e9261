#!/usr/bin/env python3
"""Import PyTorch / torchvision weights into SharpVision (safetensors with torchvision parameter names).

Two ways in:
  1. By architecture, with torchvision's own download (needs torch + torchvision; torch.hub caches the .pth):
       /usr/bin/python3 scripts/weights/import_torchvision.py resnet50 --out resnet50_imagenet.safetensors
  2. From a state-dict file you already have (e.g. from `sharpvision weights fetch`; needs only torch):
       /usr/bin/python3 scripts/weights/import_torchvision.py --pth resnet50-0676ba61.pth --out resnet50_imagenet.safetensors

The safetensors file is written by hand (struct + json), so the `safetensors` package is not required. Tensors keep
their names; floating-point tensors are stored as float32 and integer buffers (num_batches_tracked) as int64.
A checkpoint wrapping the state dict ({"state_dict": ...} or {"model": ...}) and DataParallel "module." prefixes are
unwrapped. The result loads with `--pretrained FILE` or `PretrainedWeights.Load(model, FILE)`.
"""
import argparse
import json
import os
import struct
import sys
import tempfile

# torchvision's ImageNet-1k V1 weights for the architectures SharpVision's model zoo builds.
ARCHITECTURES = {
    "mobilenet_v2": "MobileNet_V2_Weights",
    "resnet18": "ResNet18_Weights",
    "resnet34": "ResNet34_Weights",
    "resnet50": "ResNet50_Weights",
    "vgg16": "VGG16_Weights",
    "vgg19": "VGG19_Weights",
    "inception_v3": "Inception_V3_Weights",
}

DTYPE_NAMES = {"float32": "F32", "int64": "I64"}


def save_safetensors(path, tensors, metadata):
    """Writes {name: tensor} as safetensors atomically (temp file in the same folder, then rename)."""
    import torch

    header = {"__metadata__": {k: str(v) for k, v in metadata.items()}}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous()
        if t.is_floating_point():
            t = t.to(torch.float32)
        elif t.dtype in (torch.int32, torch.int64, torch.uint8, torch.int8, torch.int16):
            t = t.to(torch.int64)
        else:
            raise SystemExit(f"error: tensor '{name}' has unsupported dtype {t.dtype}")
        data = t.numpy().tobytes()  # little-endian on every supported machine
        dtype = DTYPE_NAMES[str(t.dtype).replace("torch.", "")]
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)  # align the data section to 8 bytes
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(struct.pack("<Q", len(raw)))
            f.write(raw)
            for b in blobs:
                f.write(b)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def unwrap_state_dict(obj, source):
    """Finds the tensor dict inside whatever torch.load returned."""
    import torch

    if hasattr(obj, "state_dict") and not isinstance(obj, dict):
        obj = obj.state_dict()  # a pickled nn.Module
    if isinstance(obj, dict):
        for key in ("state_dict", "model_state_dict", "model"):
            if key in obj and isinstance(obj[key], dict):
                obj = obj[key]
                break
    if not isinstance(obj, dict):
        raise SystemExit(f"error: {source} holds a {type(obj).__name__}, not a state dict")
    tensors = {}
    for k, v in obj.items():
        if not isinstance(v, torch.Tensor):
            continue
        tensors[k[7:] if k.startswith("module.") else k] = v
    if not tensors:
        raise SystemExit(f"error: {source} contains no tensors")
    return tensors


def load_pth(path):
    import torch

    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except TypeError:  # torch older than 1.13 has no weights_only
        obj = torch.load(path, map_location="cpu")
    except Exception as e:  # noqa: BLE001 - report any unpickling failure with the file name
        if "weights_only" in str(e):
            print(f"warning: {path} needs full unpickling; only do this for files you trust", file=sys.stderr)
            obj = torch.load(path, map_location="cpu")
        else:
            raise SystemExit(f"error: cannot read {path}: {e}")
    return unwrap_state_dict(obj, path)


def load_torchvision(arch):
    import torchvision

    if arch not in ARCHITECTURES:
        raise SystemExit(f"error: unknown architecture '{arch}'; known: {', '.join(sorted(ARCHITECTURES))}")
    enum = getattr(torchvision.models, ARCHITECTURES[arch], None)
    if enum is None:
        raise SystemExit(f"error: this torchvision ({torchvision.__version__}) has no {ARCHITECTURES[arch]}; use --pth with a downloaded file")
    weights = enum.IMAGENET1K_V1
    constructor = getattr(torchvision.models, arch)
    kwargs = {"aux_logits": True, "init_weights": False} if arch == "inception_v3" else {}
    model = constructor(weights=weights, **kwargs)
    return model.state_dict(), weights.url


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("arch", nargs="?", help="torchvision architecture to download: " + ", ".join(sorted(ARCHITECTURES)))
    p.add_argument("--pth", help="convert this .pth/.pt state-dict file instead of downloading")
    p.add_argument("--out", required=True, help="output .safetensors file")
    p.add_argument("--arch", dest="arch_label", help="architecture name recorded in the metadata (with --pth)")
    args = p.parse_args(argv)
    if (args.arch is None) == (args.pth is None):
        p.error("give either an architecture name or --pth FILE")

    if args.pth:
        tensors = load_pth(args.pth)
        source = os.path.basename(args.pth)
        arch = args.arch_label or ""
    else:
        tensors, source = load_torchvision(args.arch)
        arch = args.arch
    metadata = {
        "format": "sharpvision-weights-v1",
        "source": source,
        "architecture": arch,
        "converted_by": "scripts/weights/import_torchvision.py",
        "preprocessing": "RGB, resize 256, centre crop 224 (inception_v3: 342/299), /255, ImageNet mean/std",
    }
    save_safetensors(args.out, tensors, metadata)
    count = sum(t.numel() for t in tensors.values())
    print(f"wrote {args.out}: {len(tensors)} tensors, {count:,} values (from {source})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
