#!/usr/bin/env bash
# ./run bench inference [--runs 200] [--batch-runs 10] [--rounds 1] [--threads "1 2"] [--models "resnet18:224 mobilenet_v2:224 cafe-cnn:128"]
#
# Inference of the same architectures (seeded random weights, eval mode, no autograd) in SharpVision on libtorch,
# SharpVision on ONNX Runtime (the model exported by `sharpvision export`'s exporter) and PyTorch eager (Debian's
# python3-torch, eval() + no_grad()), on this machine in the same run, interleaved per configuration: batch-1
# latency (median and p99 over --runs passes after 10 warm-up passes) and batch-16 throughput (median of --batch-runs
# passes). Ratios are against PyTorch at the same thread count (latency: lower is better; throughput: higher).
# The roofline: `SharpVision.Bench peak` measures one core's float32 multiply-accumulate peak, and each batch-1 median
# is also given as the model's mult-adds (ModelSummary: convolutions and dense layers) per second and as a share of
# that peak times the threads, so that a ratio can be read against what the CPU allows.
# --rounds R runs the three engines R times in turn per configuration and reports each figure's median over the rounds:
# a cloud VM's speed drifts by ±10 % over minutes, and alternating the engines lets the drift fall on all three alike.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS=200; BATCH_RUNS=10; ROUNDS=1; THREADS="1 2"; MODELS="resnet18:224 mobilenet_v2:224 cafe-cnn:128"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --batch-runs) BATCH_RUNS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --models) MODELS="$2"; shift 2 ;;
    *) echo "inference.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
PY=/usr/bin/python3
BENCH_DLL="$ROOT/bench/SharpVision.Bench/bin/${SHARPVISION_CONFIG:-Release}/net10.0/SharpVision.Bench.dll"
[ -f "$BENCH_DLL" ] || dotnet build "$ROOT/bench/SharpVision.Bench" -c "${SHARPVISION_CONFIG:-Release}" -v quiet -nologo >&2
RESULTS="$(mktemp)"; trap 'rm -f "$RESULTS"' EXIT
# The CPU's generation decides the ratios (ONNX Runtime's MLAS and oneDNN use different kernels per instruction set), so
# the header names family/model and the widest vector instructions, not just "AMD EPYC".
cpu_field() { grep -m1 "^$1[[:space:]]*:" /proc/cpuinfo | cut -d: -f2 | xargs; }
isa=$(grep -m1 '^flags' /proc/cpuinfo | grep -o -w 'avx512f\|avx2\|avx_vnni\|avx512_bf16\|amx_tile' | sort -u | xargs | tr ' ' ,)
echo "# inference benchmark $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(cpu_field 'model name'), family $(cpu_field 'cpu family') model $(cpu_field model), $isa), $(. /etc/os-release; echo "$PRETTY_NAME")"
PEAK="$(dotnet "$BENCH_DLL" peak 2>/dev/null | sed -n 's/^RESULT peak_gmacs=\([0-9.]*\) vector_bits=\([0-9]*\).*/\1 \2/p' || true)"
PEAK_GMACS="${PEAK%% *}"
if [ -n "$PEAK" ]; then echo "# float32 FMA peak $PEAK_GMACS GMAC/s per core (${PEAK##* }-bit vectors, SharpVision.Bench peak)"
else echo "# float32 FMA peak: not measured (no x86 FMA on this CPU)"; fi
echo "# libtorch $(dpkg-query -W -f='${Version}' libtorch-dev 2>/dev/null), ONNX Runtime 1.32.0, $RUNS batch-1 runs, $BATCH_RUNS batch-16 runs, $ROUNDS round(s), load average $(cut -d' ' -f1-3 /proc/loadavg)"
run() {
  local line
  line="$("$@" 2>/dev/null | grep '^RESULT' || true)"
  if [ -z "$line" ]; then echo "FAILED: $*" >&2; return 1; fi
  echo "$line" | tee -a "$RESULTS"
}
for spec in $MODELS; do
  model="${spec%%:*}"; size="${spec##*:}"
  for t in $THREADS; do
    common=(--model "$model" --size "$size" --threads "$t" --runs "$RUNS" --batch-runs "$BATCH_RUNS")
    for _ in $(seq "$ROUNDS"); do
      run dotnet "$BENCH_DLL" inference --engine torch "${common[@]}"
      run dotnet "$BENCH_DLL" inference --engine ort "${common[@]}"
      run "$PY" "$ROOT/bench/inference_torch.py" "${common[@]}"
    done
  done
done
echo
echo "| model | threads | engine | batch-1 median ms | p99 ms | batch-16 img/s | median vs PyTorch | img/s vs PyTorch | batch-1 GMAC/s | % of FMA peak |"
echo "|---|---|---|---|---|---|---|---|---|---|"
awk -v peak="${PEAK_GMACS:-0}" '{ delete v; for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
       key = v["model"] " " v["threads"]; e = v["engine"]; if ("macs" in v) macs[key] = v["macs"]
       r = ++rounds[key, e]; m1[key, e, r] = v["b1_median_ms"]; m99[key, e, r] = v["b1_p99_ms"]; m16[key, e, r] = v["b16_img_s"]
       if (!(key in seen)) { seen[key] = 1; order[++n] = key } }
     # The median over the rounds of each figure (rounds are few: a sort by insertion is plenty).
     function median(values, count,    i, j, x, sorted) {
       for (i = 1; i <= count; i++) { x = values[i] + 0; for (j = i - 1; j >= 1 && sorted[j] > x; j--) sorted[j + 1] = sorted[j]; sorted[j + 1] = x }
       return count % 2 ? sorted[(count + 1) / 2] : (sorted[count / 2] + sorted[count / 2 + 1]) / 2 }
     function pick(table, key, e,    i, list) { for (i = 1; i <= rounds[key, e]; i++) list[i] = table[key, e, i]; return median(list, rounds[key, e]) }
     END { split("sv-torch sv-ort pytorch", es, " ")
       for (k = 1; k <= n; k++) for (j = 1; j <= 3; j++) { key = order[k]; e = es[j]; if (!((key, e) in rounds)) continue
         med[key, e] = sprintf("%.2f", pick(m1, key, e)); p99[key, e] = sprintf("%.2f", pick(m99, key, e)); tput[key, e] = sprintf("%.1f", pick(m16, key, e)) }
       for (k = 1; k <= n; k++) for (j = 1; j <= 3; j++) { key = order[k]; e = es[j]; split(key, mt, " ")
         if (!((key, e) in med)) continue
         rate = (key in macs) ? macs[key] / (med[key, e] * 1e6) : 0
         printf "| %s | %s | %s | %s | %s | %s | %.2f | %.2f | %.1f | %s |\n", mt[1], mt[2], e, med[key, e], p99[key, e], tput[key, e],
           med[key, e] / med[key, "pytorch"], tput[key, e] / tput[key, "pytorch"], rate,
           (peak > 0 && rate > 0) ? sprintf("%.0f", 100 * rate / (peak * mt[2])) : "n/a" }
       if (peak > 0) { print ""; print "Roofline (batch 1): the fastest any engine could be at this FMA peak, and what 0.7x PyTorch asks of it:"
         for (k = 1; k <= n; k++) { key = order[k]; split(key, mt, " "); if (!(key in macs) || !((key, "pytorch") in med)) continue
           floor_ms = macs[key] / (peak * mt[2] * 1e6); goal = 0.7 * med[key, "pytorch"]
           printf "- %s, %s thread(s): %.3f G mult-adds, >= %.2f ms at peak; 0.7x PyTorch = %.2f ms = %.0f%% of peak\n", mt[1], mt[2], macs[key] / 1e9, floor_ms, goal, 100 * floor_ms / goal } } }' "$RESULTS"
