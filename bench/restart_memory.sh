#!/usr/bin/env bash
# Memory and start time after a restart: for each sorceryd binary given, a fresh daemon
# (bench/lib.sh) takes 10 s of PUT creates (bench/ari/put_create.lua, wrk -t2 -c16), stops
# (SIGTERM: the AstDB is flushed), starts again on the same files, and prints the endpoints
# held, how long the start took until ARI answered, and the resident size then (before anything
# reads the objects).
#
# Usage: bash bench/restart_memory.sh [sorceryd ...]     (default: build/src/sorceryd)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
trap bench_stop EXIT
[ $# -gt 0 ] || set -- "$root/build/src/sorceryd"
for bin in "$@"; do
  bench_start "$bin"
  wrk -t2 -c16 -d10s -s "$here/ari/put_create.lua" "$bench_url" > /dev/null
  kill "$bench_pid"
  wait "$bench_pid" || true
  t0=$(date +%s%N)
  "$bin" -f -q -C "$bench_work/etc/asterisk.conf" >> "$bench_work/sorceryd.log" 2>&1 &
  bench_pid=$!
  until curl -s -o /dev/null "$bench_url"; do sleep 0.02; done
  t1=$(date +%s%N)
  rss=$(awk '/VmRSS/{print $2}' "/proc/$bench_pid/status")
  n=$(bench_cli "database show ps_endpoints" | tail -1 | awk '{print $1}')
  awk -v b="$bin" -v n="$n" -v ms=$(((t1 - t0) / 1000000)) -v rss="$rss" \
    'BEGIN { printf "%s: %d endpoints, started in %d ms, resident size %d MB (%.2f KB an endpoint)\n", b, n, ms, rss / 1024, rss / n }'
  bench_stop
done
