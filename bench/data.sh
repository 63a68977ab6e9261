#!/usr/bin/env bash
# ./run bench data [folder] — the C# data pipeline vs torchvision ImageFolder + DataLoader(num_workers=2) on the
# same folder in the same run: decode JPEG, resize to 128×128, random horizontal flip, uint8 batches of 64.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FOLDER="${1:-$ROOT/../shared/datasets/food5-64-train}"
SIZE="${SIZE:-128}"; BATCH="${BATCH:-64}"; EPOCHS="${EPOCHS:-3}"
CONFIG="${SHARPVISION_CONFIG:-Release}"
[ -d "$FOLDER" ] || { echo "dataset folder not found: $FOLDER" >&2; exit 1; }
BENCH="$ROOT/bench/SharpVision.Bench/bin/$CONFIG/net10.0/SharpVision.Bench.dll"
[ -f "$BENCH" ] || dotnet build "$ROOT/bench/SharpVision.Bench/SharpVision.Bench.csproj" -c "$CONFIG" -v quiet -nologo >&2

echo "== data benchmark: $FOLDER, ${SIZE}x${SIZE}, batch $BATCH, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ) =="
out_cs=$(dotnet "$BENCH" data "$FOLDER" --size "$SIZE" --batch "$BATCH" --epochs "$EPOCHS")
echo "$out_cs" | grep -v '^RESULT'
# Debian's python3-torch/python3-torchvision live in the system interpreter, not a pyenv one on PATH.
out_py=$(/usr/bin/python3 "$ROOT/bench/data_torch.py" "$FOLDER" "$SIZE" "$BATCH" "$EPOCHS")
echo "$out_py" | grep -v '^RESULT'

get() { printf '%s\n%s\n' "$out_cs" "$out_py" | awk -v k="$1" '$1=="RESULT" && $2==k {print $3}'; }
cs_cold=$(get csharp_cold); cs_cached=$(get csharp_cached); py_cold=$(get torch_cold); py_cached=$(get torch_cached)
echo
printf '%-28s %12s %12s %8s\n' "images/s (best epoch)" "C#" "PyTorch" "ratio"
awk -v a="$cs_cold" -v b="$py_cold" 'BEGIN{printf "%-28s %12.0f %12.0f %7.2fx\n", "cold (decode every epoch)", a, b, a/b}'
awk -v a="$cs_cached" -v b="$py_cached" 'BEGIN{printf "%-28s %12.0f %12.0f %7.2fx\n", "cached (in-memory images)", a, b, a/b}'
