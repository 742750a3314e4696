#!/usr/bin/env bash
# Compares two sorceryd binaries under the ARI load of run_ari_bench.sh, alternating them run by
# run on a fresh daemon each time (this kind of machine drifts by more than the differences we
# look for), and prints the median per build and phase of: requests/s, p99 (as wrk sees it, and as
# the server's `http show latency` does), the daemon's CPU time per request (all threads) and the
# disk kilobytes written per request. Both builds must have `http show latency`.
#
# Usage: bash bench/compare_builds.sh <rounds> <sorceryd A> <sorceryd B> ["phases"] [duration]
#        phases from: get put_update put_create (default "put_update put_create"), duration 6s
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds=${1:?rounds}
bins=("${2:?binary A}" "${3:?binary B}")
phases=${4:-put_update put_create}
duration=${5:-6s}
. "$here/lib.sh"
trap bench_stop EXIT
results=$(mktemp)
tick=$(getconf CLK_TCK)
for r in $(seq "$rounds"); do
  for tag in A B; do
    bin=${bins[0]}
    [ "$tag" = B ] && bin=${bins[1]}
    bench_start "$bin"
    bench_preload
    wrk -t2 -c16 -d3s -s "$here/ari/get.lua" "$bench_url" > /dev/null  # warm-up
    for phase in $phases; do
      bench_cli "http reset latency" > /dev/null
      c0=$(bench_cpu_ticks); k0=$(bench_disk_kb)
      out=$(wrk -t2 -c16 -d"$duration" --latency -s "$here/ari/$phase.lua" "$bench_url")
      c1=$(bench_cpu_ticks); k1=$(bench_disk_kb)
      # The server's own p99 for the phase's method (http show latency: name count mean p50 p90 p99 ...).
      srv=$(bench_cli "http show latency" |
              awk -v m="$(bench_phase_method "$phase")" '$1 == m { print $6 }')
      echo "$out" | awk -v tag="$tag" -v phase="$phase" -v cpu=$((c1 - c0)) -v kb=$((k1 - k0)) -v tick="$tick" -v srv="${srv:-0}" '
        /requests in/ { n = $1 }
        /Requests\/sec/ { rate = $2 }
        /^ +99%/ { p99 = $2; if (p99 ~ /us$/) p99 = p99 / 1000; else if (p99 ~ /ms$/) p99 = p99 + 0; else p99 = p99 * 1000 }
        END { printf "%s %s %.0f %.2f %.1f %.2f %.2f\n", tag, phase, rate, p99, cpu / tick * 1e6 / n, kb / n, srv }' >> "$results"
      tail -1 "$results" | awk '{printf "round '"$r"' %s %-11s %8s/s p99 %5s ms (server %5s ms) cpu %6s us/req disk %5s KB/req\n", $1, $2, $3, $4, $7, $5, $6}'
    done
    bench_stop
  done
done
echo "== medians over $rounds rounds (A = ${bins[0]}, B = ${bins[1]})"
python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    tag, phase, *vals = line.split()
    rows.setdefault((phase, tag), []).append([float(v) for v in vals])
for (phase, tag), v in sorted(rows.items()):
    med = [statistics.median(c) for c in zip(*v)]
    print(f"{phase:11s} {tag}  {med[0]:8.0f}/s  p99 {med[1]:5.2f} ms (server {med[4]:5.2f} ms)  cpu {med[2]:6.1f} us/req  disk {med[3]:5.2f} KB/req")
PY
rm -f "$results"
