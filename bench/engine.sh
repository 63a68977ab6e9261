#!/usr/bin/env bash
# ./run bench engine [--threads N] [--steps 20] [--warmup 3] [--batch 32] [--models "cafe resnet18"] [--no-malloc-study]
#
# Full training steps (forward + cross-entropy + backward + Adam, data in memory) in SharpVision's engine and in
# PyTorch (Debian python3-torch, same libtorch 1.13) on this machine, in the same run, with the same thread count,
# for the café CNN at 128×128×3 and ResNet-18 at 64×64. Runs are interleaved (ours, PyTorch, ours, ...) so that a
# busy machine slows both alike. Besides the main comparison at N threads (default: all cores) it measures
#   - 1 thread (libtorch's own default on this machine),
#   - glibc malloc tuning: SharpVision with SHARPVISION_MALLOC=default, PyTorch with the same tuning through
#     MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_.
# Prints every RESULT line and a summary table with images/s (from the median step time) and the ratio ours / PyTorch.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
THREADS="$(nproc)"; STEPS=20; WARMUP=3; BATCH=32; MODELS="cafe resnet18"; MALLOC_STUDY=1
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) THREADS="$2"; shift 2 ;;
    --steps) STEPS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --batch) BATCH="$2"; shift 2 ;;
    --models) MODELS="$2"; shift 2 ;;
    --no-malloc-study) MALLOC_STUDY=0; shift ;;
    *) echo "engine.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
PY=/usr/bin/python3   # Debian's python with python3-torch (the python3 on PATH may be a pyenv one without torch)
BENCH_DLL="$ROOT/bench/SharpVision.Bench/bin/${SHARPVISION_CONFIG:-Release}/net10.0/SharpVision.Bench.dll"
[ -f "$BENCH_DLL" ] || dotnet build "$ROOT/bench/SharpVision.Bench" -c "${SHARPVISION_CONFIG:-Release}" -v quiet -nologo >&2
# Same tuning as Torch.TuneAllocator: no mmap below 32 MiB, no trimming below 1 GiB of free heap.
TUNED_ENV=(MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824)
COMMON=(--batch "$BATCH" --warmup "$WARMUP" --steps "$STEPS")
RESULTS="$(mktemp)"; trap 'rm -f "$RESULTS"' EXIT

echo "# engine benchmark $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(. /etc/os-release; echo "$PRETTY_NAME"), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# libtorch $(dpkg-query -W -f='${Version}' libtorch-dev 2>/dev/null), BLAS $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3), load average: $(cut -d' ' -f1-3 /proc/loadavg)"

run() { # label, then the command
  local label="$1"; shift
  local line
  line="$("$@" 2>/dev/null | grep '^RESULT' || true)"
  if [ -z "$line" ]; then echo "FAILED: $label: $*" >&2; return 1; fi
  echo "$line config=$label load=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$RESULTS"
}
ours() { local setting="$1"; shift; env "$setting" dotnet "$BENCH_DLL" engine "$@"; }

for model in $MODELS; do
  run "sv:$THREADS:tuned"   ours SHARPVISION_MALLOC=tuned --model "$model" --threads "$THREADS" "${COMMON[@]}"
  run "pt:$THREADS:default" env "$PY" "$ROOT/bench/engine_torch.py" --model "$model" --threads "$THREADS" "${COMMON[@]}"
  run "pt:$THREADS:tuned"   env "${TUNED_ENV[@]}" "$PY" "$ROOT/bench/engine_torch.py" --model "$model" --threads "$THREADS" "${COMMON[@]}"
  if [ "$MALLOC_STUDY" = 1 ]; then
    run "sv:$THREADS:default" ours SHARPVISION_MALLOC=default --model "$model" --threads "$THREADS" "${COMMON[@]}"
  fi
  if [ "$THREADS" != 1 ]; then
    run "sv:1:tuned"   ours SHARPVISION_MALLOC=tuned --model "$model" --threads 1 "${COMMON[@]}"
    run "pt:1:default" env "$PY" "$ROOT/bench/engine_torch.py" --model "$model" --threads 1 "${COMMON[@]}"
  fi
done

echo
echo "# images/s (higher is better); ratio = SharpVision / PyTorch (default malloc), same threads"
"$PY" - "$RESULTS" "$THREADS" <<'PYEOF'
import sys
rows = {}
for line in open(sys.argv[1]):
    kv = dict(p.split("=", 1) for p in line.split() if "=" in p)
    rows[(kv["model"], kv["config"])] = float(kv["images_per_s"])
T = sys.argv[2]
print(f"{'model':10} {'threads':>7} {'SV tuned':>9} {'SV dflt':>9} {'PT dflt':>9} {'PT tuned':>9} {'ratio':>7} {'ratio vs PT tuned':>18}")
for model in dict.fromkeys(m for m, _ in rows):
    for t in dict.fromkeys([T, "1"]):
        g = lambda c: rows.get((model, c.replace("T", t, 1)))
        sv, svd, pt, ptt = g("sv:T:tuned"), g("sv:T:default"), g("pt:T:default"), g("pt:T:tuned")
        if sv is None or pt is None:
            continue
        f = lambda v: f"{v:9.2f}" if v is not None else f"{'-':>9}"
        rt = f"{sv / ptt:18.2f}" if ptt else f"{'-':>18}"
        print(f"{model:10} {t:>7} {f(sv)} {f(svd)} {f(pt)} {f(ptt)} {sv / pt:7.2f} {rt}")
PYEOF
