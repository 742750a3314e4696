# Shared by the benchmark scripts (source it): a sorceryd on a fresh temporary directory with the
# shipped ari.conf and sorcery.conf (endpoint, auth and aor in the AstDB; with BENCH_WIZARD=memory
# in the memory wizard instead, not durable), 1,000 endpoints ep0..ep999 pre-created.
#
#   bench_start <sorceryd binary>   sets bench_work, bench_port, bench_pid, bench_url, bench_bin
#   bench_launch                    starts bench_bin again on bench_work (after a stop)
#   bench_cli "<command>"           runs one console command against it (sorceryd -rx)
#   bench_preload                   PUTs ep0..ep999
#   bench_stop                      stops the daemon and removes the directory
#   bench_phase_method <phase>      the HTTP method of a phase (get.lua -> GET, put_*.lua -> PUT)

bench_start() {
  local bin=$1
  bench_bin=$bin
  bench_work=$(mktemp -d /tmp/sorceryd-bench.XXXXXX)
  bench_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  bench_url="http://127.0.0.1:$bench_port/"
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  mkdir -p "$bench_work/etc"
  cat > "$bench_work/etc/asterisk.conf" <<CONF
[directories]
astetcdir => $bench_work/etc
astdbdir => $bench_work/db
astrundir => $bench_work/run
CONF
  cat > "$bench_work/etc/http.conf" <<CONF
[general]
enabled=yes
bindaddr=127.0.0.1
bindport=$bench_port
CONF
  cp "$root/configs/default/ari.conf" "$root/configs/default/sorcery.conf" "$bench_work/etc/"
  if [ "${BENCH_WIZARD:-astdb}" = memory ]; then
    # The same load with nothing stored on disk: the ceiling of what durability costs.
    printf '[res_pjsip]\nendpoint=memory\nauth=memory\naor=memory\n' > "$bench_work/etc/sorcery.conf"
  fi
  : > "$bench_work/etc/pjsip.conf"
  bench_launch
}

# Starts bench_bin on bench_work (again, after a stop: the same files) and waits until ARI answers.
bench_launch() {
  "$bench_bin" -f -q -C "$bench_work/etc/asterisk.conf" >> "$bench_work/sorceryd.log" 2>&1 &
  bench_pid=$!
  for _ in $(seq 1000); do
    curl -s -o /dev/null "$bench_url" && return 0
    sleep 0.01
  done
  echo "sorceryd did not start; its log:" >&2
  cat "$bench_work/sorceryd.log" >&2
  return 1
}

bench_preload() {
  python3 - "$bench_port" <<'PY'
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
}

bench_stop() {
  [ -n "${bench_pid:-}" ] && { kill "$bench_pid" 2>/dev/null; wait "$bench_pid" 2>/dev/null; }
  [ -n "${bench_work:-}" ] && rm -rf "$bench_work"
  bench_pid=
  bench_work=
}

# The daemon's CPU time so far, in clock ticks (user + system, all threads).
bench_cpu_ticks() { awk '{print $14 + $15}' "/proc/$bench_pid/stat"; }
# Kilobytes written to the machine's disks so far (all of them: the benchmark is alone on them).
bench_disk_kb() {
  local d total=0 sectors
  for d in /sys/block/*; do
    case ${d##*/} in loop* | ram* | zram*) continue ;; esac
    sectors=$(awk '{print $7}' "$d/stat")
    total=$((total + sectors))
  done
  echo $((total / 2))
}

bench_phase_method() {
  case $1 in
    get) echo GET ;;
    put_*) echo PUT ;;
    delete) echo DELETE ;;
    *) echo Other ;;
  esac
}

bench_cli() { "$bench_bin" -C "$bench_work/etc/asterisk.conf" -rx "$1"; }
