"""PyTorch reference for ./run bench data: torchvision ImageFolder + DataLoader(num_workers=2) with PIL.

Same work as the C# pipeline: decode JPEG, resize to SIZE×SIZE (bilinear, antialiased as PIL does), random
horizontal flip, uint8 CHW tensors batched. Prints "RESULT key value" lines.
"""
import sys
import time

import torch
import torchvision
from torchvision import transforms


def epoch(loader):
    start = time.perf_counter()
    n = 0
    for images, labels in loader:
        n += images.shape[0]
    return n / (time.perf_counter() - start)


def main():
    folder = sys.argv[1]
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 128
    batch = int(sys.argv[3]) if len(sys.argv) > 3 else 64
    epochs = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    workers = 2
    torch.manual_seed(1)
    tf = transforms.Compose([
        transforms.Resize((size, size), interpolation=transforms.InterpolationMode.BILINEAR),
        transforms.RandomHorizontalFlip(),
        transforms.PILToTensor(),
    ])
    dataset = torchvision.datasets.ImageFolder(folder, transform=tf)
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}, {len(dataset)} images, num_workers={workers}")
    loader = torch.utils.data.DataLoader(dataset, batch_size=batch, shuffle=True, num_workers=workers)
    cold = [epoch(loader) for _ in range(epochs)]
    print("PyTorch cold (PIL decode+resize+flip every epoch): " + ", ".join(f"{r:.0f}" for r in cold) + " images/s")
    print(f"RESULT torch_cold {max(cold):.1f}")

    # Cached: the usual in-memory approach, decoded+resized uint8 tensors kept, flip per batch in the main process.
    resize = transforms.Compose([transforms.Resize((size, size)), transforms.PILToTensor()])
    plain = torchvision.datasets.ImageFolder(folder, transform=resize)
    start = time.perf_counter()
    fill_loader = torch.utils.data.DataLoader(plain, batch_size=batch, shuffle=False, num_workers=workers)
    xs, ys = zip(*fill_loader)
    images, labels = torch.cat(xs), torch.cat(ys)
    fill = len(images) / (time.perf_counter() - start)
    cached = []
    for _ in range(epochs):
        start = time.perf_counter()
        perm = torch.randperm(len(images))
        for i in range(0, len(images), batch):
            idx = perm[i:i + batch]
            x = images[idx]
            # The same flip as the C# side: only the chosen images are flipped and copied back.
            chosen = (torch.rand(len(idx)) < 0.5).nonzero().flatten()
            x = x.index_copy(0, chosen, x.index_select(0, chosen).flip(3))
            _ = labels[idx]
        cached.append(len(images) / (time.perf_counter() - start))
    print(f"PyTorch cached (cache filled at {fill:.0f} images/s): " + ", ".join(f"{r:.0f}" for r in cached) + " images/s")
    print(f"RESULT torch_cached {max(cached):.1f}")


if __name__ == "__main__":
    main()
