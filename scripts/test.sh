#!/usr/bin/env bash
# Builds sorceryd and runs the whole test suite: unit tests (GoogleTest) and end-to-end tests
# that drive the real daemon over its sockets. Installs what it needs first (Debian packages).
# Usage: bash scripts/test.sh            (from a fresh Debian 12 machine, as root)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then
  bash scripts/install-deps.sh
fi

build=${SORCERYD_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSORCERYD_WERROR=ON >/dev/null
ninja -C "$build"
ctest --test-dir "$build" --output-on-failure -j2 "$@"
