#!/usr/bin/env bash
# Runs the whole test suite from a fresh checkout: installs what is missing (Debian packages,
# the npm readers), builds, and runs every test through ctest. Its last lines are ctest's summary.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/setup.sh --tests

jobs="$(nproc 2>/dev/null || echo 2)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSCOUT_WERROR=ON >/dev/null
cmake --build build -j "$jobs"

# A throwaway PostgreSQL server on loopback for the PostgreSQL tests; stopped on exit.
export SCOUT_TEST_PG_URL="$(scripts/pg-test-server.sh start)"
trap 'scripts/pg-test-server.sh stop' EXIT

ctest --test-dir build --output-on-failure -j "$jobs" --timeout 900 "$@"
