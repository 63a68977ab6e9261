"""PyTorch eager peer of bench/inference.sh: batch-1 latency (median, p99) and batch-16 throughput, eval() + no_grad()."""
import argparse, random, time
import torch, torch.nn as nn, torchvision

p = argparse.ArgumentParser()
p.add_argument("--model", default="resnet18"); p.add_argument("--size", type=int, default=224)
p.add_argument("--threads", type=int, default=1); p.add_argument("--runs", type=int, default=200)
p.add_argument("--batch-runs", type=int, default=10); p.add_argument("--classes", type=int, default=1000)
a = p.parse_args()
torch.set_num_threads(a.threads); torch.manual_seed(0)

def cafe(classes, size):
    layers, c, s = [], 3, size
    for f, k in [(32, 7), (64, 5), (128, 3), (256, 3)]:
        layers += [nn.Conv2d(c, f, k), nn.ReLU(), nn.MaxPool2d(2)]; c = f; s = (s - k + 1) // 2
    layers += [nn.Flatten(), nn.Linear(c * s * s, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 64), nn.ReLU(), nn.Linear(64, classes)]
    return nn.Sequential(*layers)

if a.model == "cafe-cnn": net = cafe(a.classes, a.size)
else: net = getattr(torchvision.models, a.model)(num_classes=a.classes)
net.eval()
one, sixteen = torch.rand(1, 3, a.size, a.size) * 2 - 1, torch.rand(16, 3, a.size, a.size) * 2 - 1
with torch.no_grad():
    for _ in range(10): net(one)
    times = []
    for _ in range(a.runs):
        t = time.perf_counter(); net(one); times.append((time.perf_counter() - t) * 1000)
    net(sixteen); bt = []
    for _ in range(a.batch_runs):
        t = time.perf_counter(); net(sixteen); bt.append(time.perf_counter() - t)
times.sort(); bt.sort()
p99 = times[min(a.runs - 1, -(-a.runs * 99 // 100) - 1)]
print(f"RESULT engine=pytorch model={a.model} size={a.size} threads={a.threads} b1_median_ms={times[a.runs // 2]:.2f} b1_p99_ms={p99:.2f} b16_img_s={16 / bt[a.batch_runs // 2]:.1f}")
