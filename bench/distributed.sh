#!/usr/bin/env bash
# Data-parallel scaling of the real trainer on real data: 1 worker vs 2 workers (1 intra-op thread each, Gloo on
# loopback), for SharpVision (`sharpvision train`, `sharpvision launch --nproc 2 -- train`) and PyTorch DDP
# (bench/distributed_torch.py alone and as 2 workers with torchrun's environment), in the same run, with the same allocator settings:
#   cafe-cnn       the café CNN from scratch at 64 px
#   mobilenet_v2   MobileNetV2 fine-tuned from ImageNet weights (the whole network, a new head) at --mobilenet-input px
# Each run trains --epochs epochs (default 5) of --limit food5 images (global batch 32, Adam 1e-3, images decoded once
# and kept in memory); epochs 1-2 warm up (decoding, allocator, oneDNN caches), epochs 3 to the last are timed together. Prints global images/s and each one's scaling efficiency
# = throughput(2 workers) / (2 × throughput(1 worker)), and SharpVision's efficiency relative to PyTorch DDP's.
# --rounds R (default 5) repeats the interleaved runs and keeps each configuration's best throughput: on a shared 2-core
# VM one round moves by ±10 %, which is the size of the differences this benchmark is for.
# Usage: bench/distributed.sh [--limit N] [--epochs E] [--mobilenet-input PX] [--rounds R] [--models "cafe-cnn mobilenet_v2"]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIG="${SHARPVISION_CONFIG:-Release}"
# SHARPVISION_BENCH_CLI: another build of the CLI (e.g. a copy of an earlier commit's bin folder) for a before/after.
DLL="${SHARPVISION_BENCH_CLI:-$ROOT/src/SharpVision.Cli/bin/$CONFIG/net10.0/SharpVision.Cli.dll}"
PY=/usr/bin/python3   # Debian's python with python3-torch (the python3 on PATH may be a pyenv one without torch)
SHARED="${SHARPVISION_SHARED:-$ROOT/../shared}"
DATA="$SHARED/datasets/food5-64-train"
WEIGHTS="$SHARED/pretrained/mobilenet_v2_imagenet.safetensors"
LIMIT=320; EPOCHS=5; MOBILENET_INPUT=64; MODELS="cafe-cnn mobilenet_v2"; BATCH=32; ROUNDS=5
while [ $# -gt 0 ]; do
  case "$1" in
    --limit) LIMIT="$2"; shift 2 ;;
    --epochs) EPOCHS="$2"; shift 2 ;;
    --mobilenet-input) MOBILENET_INPUT="$2"; shift 2 ;;
    --models) MODELS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$EPOCHS" -ge 3 ] || { echo "--epochs must be at least 3 (two warm-up epochs, then the timed ones)" >&2; exit 2; }
[ -f "$DLL" ] || { echo "build first: ./run build" >&2; exit 1; }
[ -d "$DATA" ] || { echo "no data at $DATA (the team's shared folder)" >&2; exit 1; }
# The same allocator and OpenMP settings for both: what SharpVision applies to itself (glibc malloc keeps big buffers,
# OpenMP workers spin briefly), given to PyTorch through the environment (as bench/engine.sh's "tuned").
SAME_ENV=(MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=1073741824 GOMP_SPINCOUNT=3000 OMP_NUM_THREADS=1)
CLEAN=(env -u MASTER_ADDR -u MASTER_PORT -u WORLD_SIZE -u RANK -u LOCAL_RANK "${SAME_ENV[@]}")
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT

model_args() {  # MODEL -> the model's options for both sides
  case "$1" in
    cafe-cnn) echo "--model cafe-cnn --input 64" ;;
    mobilenet_v2) echo "--model mobilenet_v2 --input $MOBILENET_INPUT --pretrained $WEIGHTS" ;;
  esac
}

sv() {  # WORKERS MODEL -> images/s of epochs 3.. (history.csv: images over seconds, summed over the timed epochs)
  local out="$WORK/sv-$2-$1"
  local cmd=(train --data "$DATA" --limit "$LIMIT" --batch "$BATCH" --epochs "$EPOCHS" --cache --val-split 0 --health off --no-progress
             --seed 0 --threads 1 --out "$out" $(model_args "$2"))
  if [ "$1" = 1 ]; then "${CLEAN[@]}" dotnet "$DLL" "${cmd[@]}" >"$out.log" 2>&1
  else "${CLEAN[@]}" dotnet "$DLL" launch --nproc 2 --threads-per-worker 1 -- "${cmd[@]}" >"$out.log" 2>&1; fi || { cat "$out.log" >&2; exit 1; }
  # Every timed epoch sees the same number of images, so the images/s of them together is the harmonic mean.
  "$PY" -c "import csv,sys; r=[float(x['images_per_second']) for x in list(csv.DictReader(open(sys.argv[1])))[2:]]; print(len(r)/sum(1/x for x in r))" "$out/history.csv"
}

pt() {  # WORKERS MODEL -> images/s of epochs 3..
  local log="$WORK/pt-$2-$1.log"
  local args=(--data "$DATA" --limit "$LIMIT" --batch "$BATCH" --epochs "$EPOCHS" --seed 0 $(model_args "$2"))
  if [ "$1" = 1 ]; then "${CLEAN[@]}" "$PY" "$ROOT/bench/distributed_torch.py" "${args[@]}" >"$log" 2>&1
  else
    # torchrun's contract by hand (Debian's torchrun 1.13 fails on Python 3.11 before starting workers).
    local port pids=() r status=0
    port=$("$PY" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
    for r in 0 1; do
      "${CLEAN[@]}" MASTER_ADDR=127.0.0.1 MASTER_PORT="$port" WORLD_SIZE=2 RANK=$r LOCAL_RANK=$r \
        "$PY" "$ROOT/bench/distributed_torch.py" "${args[@]}" >"$log.$r" 2>&1 & pids+=($!)
    done
    for r in "${pids[@]}"; do wait "$r" || status=1; done
    cat "$log.0" "$log.1" >"$log"; [ $status = 0 ]
  fi || { cat "$log" >&2; exit 1; }
  sed -n 's/^RESULT images_per_second //p' "$log" | tail -1
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# food5-64-train, $LIMIT images, global batch $BATCH, Adam 1e-3, epochs 3-$EPOCHS of $EPOCHS timed, best of $ROUNDS round(s); 1 thread per worker; Gloo on loopback"
printf '%-26s %12s %12s %8s   %12s %12s %8s   %s\n' workload "SV 1w img/s" "SV 2w img/s" "SV eff" "PT 1w img/s" "PT 2w img/s" "PT eff" "SV eff / PT eff"
best() { printf '%s\n' "$@" | sort -g | tail -1; }
for m in $MODELS; do
  # Interleaved, so that a change of load on the machine hits both sides alike.
  S1=(); P1=(); S2=(); P2=()
  for _ in $(seq "$ROUNDS"); do
    S1+=("$(sv 1 "$m")"); P1+=("$(pt 1 "$m")"); S2+=("$(sv 2 "$m")"); P2+=("$(pt 2 "$m")")
  done
  s1=$(best "${S1[@]}"); p1=$(best "${P1[@]}"); s2=$(best "${S2[@]}"); p2=$(best "${P2[@]}")
  if [ "$m" = mobilenet_v2 ]; then label="mobilenet_v2 fine-tune ${MOBILENET_INPUT}px"; else label="$m scratch 64px"; fi
  "$PY" - "$label" "$s1" "$s2" "$p1" "$p2" <<'PY'
import sys
label, s1, s2, p1, p2 = sys.argv[1], *map(float, sys.argv[2:6])
se, pe = s2 / (2 * s1), p2 / (2 * p1)
print(f"{label:26s} {s1:12.1f} {s2:12.1f} {se*100:7.0f}%   {p1:12.1f} {p2:12.1f} {pe*100:7.0f}%   {se/pe:.2f}")
PY
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
