#!/usr/bin/env bash
# Load test of the café checkout server, on loopback only.
#   bench/serve.sh [load options]          start a server with the bench's fake classifier, drive it, stop it
#   SERVE_URL=http://127.0.0.1:5080 [SERVE_PID=1234] bench/serve.sh [load options]
#                                          drive an already running server (e.g. `sharpvision serve` with a real model)
# Load options (SharpVision.Bench serve load): --requests 5000 --concurrency 16 --malformed 0.05 --orders 0.1 --images DIR
# Host options via env: BATCH_COST_MS (simulated forward pass per batch, default 0), BATCH_WINDOW_MS (10), MAX_BATCH (16),
#   MODEL=FILE (a trained model: real decoding and inference instead of the fake), MAX_DECODES (default: CPU cores).
# Reports throughput, p50/p99 latency per request kind, counts by status and the server's RSS before/after.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIG="${SHARPVISION_CONFIG:-Release}"
BENCH_DLL="$ROOT/bench/SharpVision.Bench/bin/$CONFIG/net10.0/SharpVision.Bench.dll"
[ -f "$BENCH_DLL" ] || dotnet build "$ROOT/bench/SharpVision.Bench" -c "$CONFIG" -v quiet -nologo >&2

if [ -n "${SERVE_URL:-}" ]; then
  pid_args=()
  [ -n "${SERVE_PID:-}" ] && pid_args=(--server-pid "$SERVE_PID")
  exec dotnet "$BENCH_DLL" serve load --url "$SERVE_URL" "${pid_args[@]}" "$@"
fi

tmp="$(mktemp -d /tmp/sv-serve-bench.XXXXXX)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

dotnet "$BENCH_DLL" serve host --port 0 --db "$tmp/orders.db" --url-file "$tmp/url" \
  --batch-cost-ms "${BATCH_COST_MS:-0}" --batch-window-ms "${BATCH_WINDOW_MS:-10}" --max-batch "${MAX_BATCH:-16}" \
  ${MODEL:+--model "$MODEL"} ${MAX_DECODES:+--max-decodes "$MAX_DECODES"} \
  >"$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  [ -s "$tmp/url" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.log" >&2; echo "server exited before listening" >&2; exit 1; }
  sleep 0.1
done
[ -s "$tmp/url" ] || { echo "server did not start in 30 s" >&2; exit 1; }
url="$(cat "$tmp/url")"
echo "[serve] ${MODEL:-fake-classifier} server at $url (pid $server_pid, batch cost ${BATCH_COST_MS:-0} ms)" >&2
dotnet "$BENCH_DLL" serve load --url "$url" --server-pid "$server_pid" "$@"
