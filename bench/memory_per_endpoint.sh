#!/usr/bin/env bash
# Memory per endpoint: for each sorceryd binary given, a fresh daemon (bench/lib.sh), 6 s of
# PUT creates (bench/ari/put_create.lua, wrk -t2 -c16), then the growth of its resident size
# divided by the number of endpoints it holds. Then the daemon stops (SIGTERM: the AstDB is
# flushed) and starts again on the same files: how long until ARI answered, and its resident size
# then, before anything reads the objects.
#
# Usage: bash bench/memory_per_endpoint.sh [sorceryd ...]     (default: build/src/sorceryd)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
trap bench_stop EXIT
[ $# -gt 0 ] || set -- "$root/build/src/sorceryd"
rss() { awk '/VmRSS/{print $2}' "/proc/$bench_pid/status"; }
for bin in "$@"; do
  bench_start "$bin"
  rss0=$(rss)
  wrk -t2 -c16 -d6s -s "$here/ari/put_create.lua" "$bench_url" > /dev/null
  sleep 2
  rss1=$(rss)
  n=$(bench_cli "database show ps_endpoints" | tail -1 | awk '{print $1}')
  awk -v b="$bin" -v r0="$rss0" -v r1="$rss1" -v n="$n" \
    'BEGIN { printf "%s: %d endpoints, resident size %d -> %d KB, %.2f KB an endpoint\n", b, n, r0, r1, (r1 - r0) / n }'
  kill "$bench_pid"
  wait "$bench_pid" || true
  t0=$(date +%s%N)
  bench_launch
  t1=$(date +%s%N)
  awk -v ms=$(((t1 - t0) / 1000000)) -v r="$(rss)" -v n="$n" \
    'BEGIN { printf "  after a restart: started in %d ms, resident size %d KB, %.2f KB an endpoint\n", ms, r, r / n }'
  bench_stop
done
