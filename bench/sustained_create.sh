#!/usr/bin/env bash
# Creates without a pause: the create load of run_ari_bench.sh, run as back-to-back slices on one
# daemon (each slice with its own id prefix, so every request creates), printing per slice the
# rate, wrk's and the server's p99, the daemon's CPU per create, the rows held, its resident memory
# and the size of astdb.sqlite3. Shows how creates hold up as the store grows past the 10 s phase
# of run_ari_bench.sh.
#
# Usage: bash bench/sustained_create.sh [slices (6)] [seconds a slice (10)] [build-dir]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
slices=${1:-6}
seconds=${2:-10}
build=${3:-$root/build}
bin=$build/src/sorceryd
command -v wrk >/dev/null || { echo "wrk is missing: bash scripts/install-deps.sh" >&2; exit 1; }
[ -x "$bin" ] || { echo "build sorceryd first ($bin missing)" >&2; exit 1; }

. "$here/lib.sh"
trap bench_stop EXIT
bench_start "$bin"
bench_preload
tick=$(getconf CLK_TCK)
echo "== $(nproc) cores; wrk -t2 -c16 -s bench/ari/put_create.lua, $slices slices of ${seconds}s back to back"
wrk -t2 -c16 -d3s -s "$here/ari/get.lua" "$bench_url" > /dev/null  # warm-up
printf "%-6s %10s %10s %12s %11s %10s %9s %9s\n" slice creates/s "wrk p99" "server p99" "cpu/create" rows "rss MB" "db MB"
for s in $(seq "$slices"); do
  bench_cli "http reset latency" > /dev/null
  c0=$(bench_cpu_ticks)
  out=$(wrk -t2 -c16 -d"${seconds}s" --latency -s "$here/ari/put_create.lua" "$bench_url" -- "s$s")
  c1=$(bench_cpu_ticks)
  n=$(echo "$out" | awk '/requests in/ { print $1 }')
  rate=$(echo "$out" | awk '/Requests\/sec/ { printf "%.0f", $2 }')
  p99=$(echo "$out" | awk '/^ +99%/ { print $2 }')
  errors=$(echo "$out" | awk -F'status=' '/non-2xx/ { split($2, a, " "); print a[1] }')
  srv=$(bench_cli "http show latency" | awk '$1 == "PUT" { print $6 " ms" }')
  rows=$(bench_cli "astdb show stats" | awk '/^Rows:/ { print $2 }')
  rss=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$bench_pid/status")
  db=$(du -m "$bench_work/db/astdb.sqlite3" | cut -f1)
  printf "%-6s %10s %10s %12s %8.1f us %10s %9s %9s%s\n" "$s" "$rate" "$p99" "$srv" \
    "$(echo "$c1 $c0 $tick $n" | awk '{ print ($1 - $2) / $3 * 1e6 / $4 }')" "$rows" "$rss" "$db" \
    "$([ "${errors:-0}" != 0 ] && echo "  ($errors non-2xx)")"
done
echo "== astdb show stats:"
bench_cli "astdb show stats"
