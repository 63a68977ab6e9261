#!/usr/bin/env bash
# ./run bench engine [--threads N] [--steps 20] [--warmup 3] [--batch 32] [--models "cafe resnet18 mobilenet_v2"] [--rounds 1] [--no-study]
#
# Full training steps (forward + cross-entropy + backward + Adam, data already in memory) in SharpVision's engine and
# in PyTorch (Debian python3-torch: the same libtorch 1.13) on this machine, in the same run, with the same thread
# count, for the café CNN at 128×128×3, ResNet-18 at 64×64 and MobileNetV2 at 160×160 (the transfer workload: the
# zoo model against torchvision's). Runs are interleaved (ours, PyTorch, ...) so that a busy machine slows both alike; speeds come from the median step time, and with --rounds R every configuration
# runs R times (all configurations once per round) and the summary keeps each configuration's best round.
# Configurations (label engine:threads:setting):
#   sv:N:tuned           SharpVision as it ships: glibc malloc tuned, idle OpenMP workers spin briefly, then sleep (GOMP_SPINCOUNT=3000)
#   pt:N:default         PyTorch as it ships (only the thread count set, with torch.set_num_threads)
#   pt:N:tuned           PyTorch given the same settings: MALLOC_MMAP_THRESHOLD_/MALLOC_MMAP_MAX_/MALLOC_TRIM_THRESHOLD_ + GOMP_SPINCOUNT
#   sv:N:malloc-default  SharpVision with SHARPVISION_MALLOC=default    (study; --no-study skips the two study runs)
#   sv:N:omp-spin        SharpVision with SHARPVISION_OMP_WAIT=default  (study: libgomp's long spin)
#   sv:N:omp-passive     SharpVision with SHARPVISION_OMP_WAIT=passive  (study: workers sleep at once)
#   sv:1:tuned, pt:1:default   one thread (libtorch's own default on this 2-core machine)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
THREADS="$(nproc)"; STEPS=20; WARMUP=3; BATCH=32; MODELS="cafe resnet18 mobilenet_v2"; STUDY=1; ROUNDS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) THREADS="$2"; shift 2 ;;
    --steps) STEPS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --batch) BATCH="$2"; shift 2 ;;
    --models) MODELS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --no-study) STUDY=0; shift ;;
    *) echo "engine.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
PY=/usr/bin/python3   # Debian's python with python3-torch (the python3 on PATH may be a pyenv one without torch)
BENCH_DLL="$ROOT/bench/SharpVision.Bench/bin/${SHARPVISION_CONFIG:-Release}/net10.0/SharpVision.Bench.dll"
[ -f "$BENCH_DLL" ] || dotnet build "$ROOT/bench/SharpVision.Bench" -c "${SHARPVISION_CONFIG:-Release}" -v quiet -nologo >&2
# The same tuning as Torch.TuneAllocator: no mmap at all (threshold 32 MiB, mmap max 0), no trimming below 1 GiB of free heap.
TUNED_ENV=(MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=1073741824 GOMP_SPINCOUNT=3000)
COMMON=(--batch "$BATCH" --warmup "$WARMUP" --steps "$STEPS")
PT=("$PY" "$ROOT/bench/engine_torch.py")
RESULTS="$(mktemp)"; trap 'rm -f "$RESULTS"' EXIT

echo "# engine benchmark $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(. /etc/os-release; echo "$PRETTY_NAME")"
echo "# libtorch $(dpkg-query -W -f='${Version}' libtorch-dev 2>/dev/null), BLAS $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# batch $BATCH, $WARMUP warm-up + $STEPS timed steps, threads $THREADS and 1"

run() { # label, then the command
  local label="$1"; shift
  local line
  line="$("$@" 2>/dev/null | grep '^RESULT' || true)"
  if [ -z "$line" ]; then echo "FAILED: $label: $*" >&2; return 1; fi
  echo "$line config=$label load=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$RESULTS"
}
ours() { local setting="$1"; shift; env "$setting" dotnet "$BENCH_DLL" engine "$@"; }

for round in $(seq "$ROUNDS"); do
for model in $MODELS; do
  run "sv:$THREADS:tuned"   ours SHARPVISION_MALLOC=tuned --model "$model" --threads "$THREADS" "${COMMON[@]}"
  run "pt:$THREADS:default" env "${PT[@]}" --model "$model" --threads "$THREADS" "${COMMON[@]}"
  run "pt:$THREADS:tuned"   env "${TUNED_ENV[@]}" "${PT[@]}" --model "$model" --threads "$THREADS" "${COMMON[@]}"
  if [ "$STUDY" = 1 ]; then
    run "sv:$THREADS:malloc-default" ours SHARPVISION_MALLOC=default --model "$model" --threads "$THREADS" "${COMMON[@]}"
    run "sv:$THREADS:omp-spin"       ours SHARPVISION_OMP_WAIT=default --model "$model" --threads "$THREADS" "${COMMON[@]}"
    run "sv:$THREADS:omp-passive"    ours SHARPVISION_OMP_WAIT=passive --model "$model" --threads "$THREADS" "${COMMON[@]}"
  fi
  if [ "$THREADS" != 1 ]; then
    run "sv:1:tuned"   ours SHARPVISION_MALLOC=tuned --model "$model" --threads 1 "${COMMON[@]}"
    run "pt:1:default" env "${PT[@]}" --model "$model" --threads 1 "${COMMON[@]}"
  fi
done
done

echo
echo "# images/s from the median step, best of $ROUNDS round(s) (higher is better); ratio = SharpVision / PyTorch at the same thread count"
"$PY" - "$RESULTS" <<'PYEOF'
import sys
rows = {}
for line in open(sys.argv[1]):
    r = dict(p.split("=", 1) for p in line.split() if "=" in p)
    key = (r["model"], r["config"])
    if key not in rows or float(r["images_per_s"]) > float(rows[key]["images_per_s"]):
        rows[key] = r
def ips(model, config):
    return float(rows[(model, config)]["images_per_s"]) if (model, config) in rows else None
print(f"{'model':12} {'config':22} {'images/s':>9} {'ms/step':>9} {'vs PT default':>14} {'vs PT tuned':>12}")
for (model, config), r in rows.items():
    eng, t, _ = config.split(":")
    base, tuned = ips(model, f"pt:{t}:default"), ips(model, f"pt:{t}:tuned")
    v = float(r["images_per_s"])
    a = f"{v / base:14.2f}" if eng == "sv" and base else " " * 14
    b = f"{v / tuned:12.2f}" if eng == "sv" and tuned else " " * 12
    print(f"{model:12} {config:22} {v:9.2f} {float(r['ms_per_step']):9.1f} {a} {b}")
PYEOF
