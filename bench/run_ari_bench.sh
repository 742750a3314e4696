#!/usr/bin/env bash
# ARI load benchmark: PUT (create), PUT (update), GET and DELETE on endpoints stored durably in
# the AstDB, driven by wrk over loopback. Prints requests/s and latency percentiles per phase.
#
# Usage: bash bench/run_ari_bench.sh [build-dir]     (after a build; see docs/benchmarks.md)
# Env:   THREADS (2), CONNECTIONS (16), DURATION (10s), DELETE_DURATION (3s), WARMUP (5s)
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

work=$(mktemp -d /tmp/sorceryd-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/etc"
cat > "$work/etc/asterisk.conf" <<CONF
[directories]
astetcdir => $work/etc
astdbdir => $work/db
astrundir => $work/run
CONF
cat > "$work/etc/http.conf" <<CONF
[general]
enabled=yes
bindaddr=127.0.0.1
bindport=$port
CONF
cp "$root/configs/default/ari.conf" "$root/configs/default/sorcery.conf" "$work/etc/"
: > "$work/etc/pjsip.conf"

"$bin" -f -q -C "$work/etc/asterisk.conf" > "$work/sorceryd.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.1
done

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "== sorceryd $("$bin" -V), wrk -t$threads -c$conns, AstDB at $work/db (synchronous=FULL, WAL)"
echo "== preloading 1,000 endpoints ep0..ep999"
python3 - "$port" <<'PY'
import http.client, sys
port = int(sys.argv[1])
conn = http.client.HTTPConnection("127.0.0.1", port)
fields = '{"fields":[{"attribute":"context","value":"default"},{"attribute":"allow","value":"!all,ulaw,alaw"},{"attribute":"auth","value":"alice"},{"attribute":"aors","value":"alice"}]}'
for i in range(1000):
    conn.request("PUT", "/ari/asterisk/config/dynamic/res_pjsip/endpoint/ep%d" % i, fields,
                 {"Authorization": "Basic YXN0ZXJpc2s6c2VjcmV0", "Content-Type": "application/json"})
    r = conn.getresponse(); r.read()
    assert r.status == 200, r.status
PY

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
  wrk -t"$threads" -c"$conns" -d"$d" --latency -s "$here/ari/$phase.lua" "$url"
done
echo
echo "== astdb show stats (redo-log batches, patches, applier rounds since the start):"
"$bin" -C "$work/etc/asterisk.conf" -rx "astdb show stats"
echo "== AstDB rows after the run: $(sqlite3 "$work/db/astdb.sqlite3" 'select count(*) from astdb')"
