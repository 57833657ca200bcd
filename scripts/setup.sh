#!/usr/bin/env bash
# Installs everything Scout Export needs to build, run and test on Debian 12.
# Idempotent: when every package is present it installs nothing and makes no network call.
set -euo pipefail

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libsnappy-dev zlib1g-dev liblz4-dev libbrotli-dev libzstd-dev
  libssl-dev libsqlite3-dev sqlite3 libpq-dev postgresql
  nlohmann-json3-dev libboost-dev libcli11-dev libfmt-dev libspdlog-dev libjwt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libcurl4-openssl-dev libpugixml-dev
  clang-14 libfuzzer-14-dev
  python3-requests curl wrk
)
# Node.js may come from Debian (nodejs + npm) or a vendor build that bundles npm: ask for
# Debian's only when the commands are missing.
command -v node >/dev/null 2>&1 || APT_PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || APT_PACKAGES+=(npm)

# Debian's Chromium, which the browser tests drive (playwright-core; no browser download).
if [ "${1:-}" = "--tests" ]; then
  APT_PACKAGES+=(chromium)
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The web console's build tools (esbuild, and the libraries it bundles): the binary embeds the
# console, so the product's build needs them, not only the tests. Offline once installed.
web="$root/web"
if [ ! -d "$web/node_modules" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
  echo "setup: installing the web console's build tools from npm"
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
fi

# npm packages for the independent readers used by the tests (only when asked).
if [ "${1:-}" = "--tests" ]; then
  if [ ! -d "$root/tests/interop/node_modules" ] || \
     [ "$root/tests/interop/package-lock.json" -nt "$root/tests/interop/node_modules/.package-lock.json" ]; then
    echo "setup: installing the test readers from npm"
    (cd "$root/tests/interop" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  s3="$root/tests/s3"
  if [ ! -d "$s3/node_modules" ] || [ "$s3/package-lock.json" -nt "$s3/node_modules/.package-lock.json" ]; then
    echo "setup: installing the local S3 store of the tests (s3rver, the AWS SDK's signer and client) from npm"
    (cd "$s3" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  client="$root/clients/typescript"
  if [ ! -d "$client/node_modules" ] || [ "$client/package-lock.json" -nt "$client/node_modules/.package-lock.json" ]; then
    echo "setup: installing the TypeScript client's build tools from npm"
    (cd "$client" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
