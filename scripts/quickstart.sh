#!/usr/bin/env bash
# Installs the dependencies, builds sorceryd and runs it in the foreground on the default
# configuration shipped in configs/default: ARI on 127.0.0.1:8088 (user asterisk, password
# secret), PJSIP auth, aor and endpoint stored in the AstDB (run/db/astdb.sqlite3).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then
  bash scripts/install-deps.sh
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build sorceryd
mkdir -p run/db run/run run/log
echo "sorceryd: starting on configs/default (Ctrl-C stops it)"
exec ./build/src/sorceryd -f -C configs/default/asterisk.conf
