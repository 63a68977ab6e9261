#!/usr/bin/env bash
# Data-parallel scaling on this machine: 1 process vs 2 processes (Gloo on loopback), each with 1 intra-op thread,
# training a café-CNN-shaped convnet (~2.19 M parameters) at 64 px with a global batch of 32 on synthetic data.
# Reports images/s (global, after a warm-up step) and the scaling efficiency = throughput(2) / (2 × throughput(1)).
# Usage: bench/distributed.sh [steps]   (./run bench distributed builds first)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIG="${SHARPVISION_CONFIG:-Release}"
DLL="$ROOT/src/SharpVision.Cli/bin/$CONFIG/net10.0/SharpVision.Cli.dll"
STEPS="${1:-12}"
[ -f "$DLL" ] || { echo "build first: ./run build" >&2; exit 1; }
ARGS=(dist-selftest --model convnet --image-size 64 --global-batch 32 --samples 256 --steps "$STEPS" --timeout 120)

throughput() { sed -n 's/.*throughput \([0-9.]*\) images\/s, gradient all-reduce \([0-9.]*\) ms.*/\1 \2/p' | tail -1; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%Y-%m-%d)"
one=$(env -u MASTER_ADDR -u MASTER_PORT -u WORLD_SIZE -u RANK SHARPVISION_THREADS=1 dotnet "$DLL" "${ARGS[@]}" | throughput)
two=$(dotnet "$DLL" launch --nproc 2 --threads-per-worker 1 -- "${ARGS[@]}" 2>/dev/null | throughput)
python3 - $one $two <<'PY'
import sys
one, _, two, sync = map(float, sys.argv[1:5])
print(f"1 process  x 1 thread : {one:8.1f} images/s")
print(f"2 processes x 1 thread: {two:8.1f} images/s (gradient all-reduce {sync:.1f} ms/step)")
print(f"speed-up {two/one:.2f}x, scaling efficiency {two/(2*one)*100:.0f}%")
PY
