#!/usr/bin/env bash
# Installs every Debian package that building, running and testing sorceryd needs.
# Idempotent: safe to run again; only missing packages are installed.
set -euo pipefail

packages=(
  # build
  g++ cmake ninja-build ccache pkg-config
  libboost1.81-dev          # Asio (networking, TLS streams)
  libssl-dev                # TLS for the ARI listener, digest hashes
  libsqlite3-dev            # AstDB storage (Asterisk's astdb.sqlite3 format)
  libcrypt-dev              # crypt(3) password hashes in ari.conf
  libjemalloc-dev           # the daemon's allocator (faster than glibc's under write load)
  libgtest-dev libgmock-dev # unit tests
  libbenchmark-dev          # micro-benchmarks under bench/
  # tests and benchmarks
  curl python3 sqlite3 whois wrk sip-tester procps iproute2 openssl
)
# The ari-client end-to-end test needs Node.js and npm; use the machine's own if it has them.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps.sh: run as root (it calls apt-get)" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps.sh: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "install-deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
