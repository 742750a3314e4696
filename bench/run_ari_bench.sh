#!/usr/bin/env bash
# ARI load benchmark: PUT (create), PUT (update), GET and DELETE on endpoints stored durably in
# the AstDB, driven by wrk over loopback. Prints requests/s and latency percentiles per phase.
#
# Usage: bash bench/run_ari_bench.sh [build-dir]     (after a build; see docs/benchmarks.md)
# Env:   THREADS (2), CONNECTIONS (16), DURATION (10s), DELETE_DURATION (3s), WARMUP (5s),
#        PROBE=1 (during each PUT and DELETE phase, bench/ari/probe.py measures its own PUTs on a
#        separate connection: a stall it sees too is the server's, not wrk's),
#        BENCH_WIZARD=memory (endpoints, auths and aors in the memory wizard: nothing durable, the
#        ceiling of what the durable AstDB costs)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${1:-$root/build}
bin=$build/src/sorceryd
threads=${THREADS:-2}
conns=${CONNECTIONS:-16}
duration=${DURATION:-10s}
delete_duration=${DELETE_DURATION:-3s}

command -v wrk >/dev/null || { echo "wrk is missing: bash scripts/install-deps.sh" >&2; exit 1; }
[ -x "$bin" ] || { echo "build sorceryd first ($bin missing)" >&2; exit 1; }

. "$here/lib.sh"
trap bench_stop EXIT
bench_start "$bin"
work=$bench_work
port=$bench_port

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
if [ "${BENCH_WIZARD:-astdb}" = memory ]; then
  echo "== sorceryd $("$bin" -V), wrk -t$threads -c$conns, memory wizard (BENCH_WIZARD=memory: nothing durable)"
else
  echo "== sorceryd $("$bin" -V), wrk -t$threads -c$conns, AstDB at $work/db (synchronous=FULL, persistent rollback journal)"
fi
echo "== preloading 1,000 endpoints ep0..ep999"
bench_preload

url="http://127.0.0.1:$port/"
# Warm-up (not reported): the first seconds of load on a fresh process are slower (allocator
# and page-cache warm-up, connection set-up), as in any server benchmark.
echo
echo "== warm-up: wrk -t$threads -c$conns -d${WARMUP:-5s} -s bench/ari/get.lua (not reported)"
wrk -t"$threads" -c"$conns" -d"${WARMUP:-5s}" -s "$here/ari/get.lua" "$url" > /dev/null
for phase in get put_update put_create delete; do
  d=$duration
  [ "$phase" = delete ] && d=$delete_duration
  echo
  echo "== $phase: wrk -t$threads -c$conns -d$d --latency -s bench/ari/$phase.lua"
  probe=
  if [ -n "${PROBE:-}" ] && [ "$phase" != get ]; then
    python3 "$here/ari/probe.py" "$port" "${d%s}" > "$work/probe.txt" &
    probe=$!
  fi
  bench_cli "http reset latency" > /dev/null
  wrk -t"$threads" -c"$conns" -d"$d" --latency -s "$here/ari/$phase.lua" "$url"
  if [ -n "$probe" ]; then wait "$probe"; cat "$work/probe.txt"; fi
  # The same requests timed inside the server (read in full -> response handed to the kernel):
  # what wrk measures beyond this is time in the sockets and in the run queues of the two
  # processes sharing the machine.
  method=$(bench_phase_method "$phase")
  echo "  server-side (http show latency, ms):"
  bench_cli "http show latency" |
    awk -v m="$method" '/^Requests/ || $1 == m || /^Storage commit wait/ { print "    " $0 }'
done
echo
echo "== astdb show stats (redo-log batches, patches, applier rounds since the start):"
bench_cli "astdb show stats"
# The applier folds the last phase's writes into the file within about a second; flush first so
# the count is the file's final one (it equals the Rows line above).
bench_cli "database flush" > /dev/null
echo "== AstDB rows in astdb.sqlite3 after the run: $(sqlite3 -cmd '.timeout 5000' "$work/db/astdb.sqlite3" 'select count(*) from astdb')"
