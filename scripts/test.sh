#!/usr/bin/env bash
# Runs the whole test suite from a fresh checkout: installs what is missing (Debian packages,
# the npm readers), builds, and runs every test through ctest. Its last line is
# `N passed, N failed`, after ctest's own summary.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/setup.sh --tests

jobs="$(nproc 2>/dev/null || echo 2)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSCOUT_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
# The fuzzers that ctest's fuzz_<name> tests run (clang-14, sanitizers; see fuzz/README.md).
FUZZ_BUILD_JOBS="$jobs" scripts/fuzz.sh --build-only

# A throwaway PostgreSQL server on loopback for the PostgreSQL tests; stopped on exit.
export SCOUT_TEST_PG_URL="$(scripts/pg-test-server.sh start)"
trap 'scripts/pg-test-server.sh stop' EXIT

# ctest's own summary, then one closing line that says it plainly, whatever ctest printed after.
log="$(mktemp)"
status=0
ctest --test-dir build --output-on-failure -j "$jobs" --timeout 900 "$@" 2>&1 | tee "$log" || status=$?
summary="$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1 || true)"
rm -f "$log"
if [ -z "$summary" ]; then
  echo "0 passed, 1 failed (ctest printed no summary)"
  exit 1
fi
failed="$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$summary")"
total="$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$summary")"
echo "$((total - failed)) passed, $failed failed"
[ "$failed" -eq 0 ] && exit "$status" || exit 1
