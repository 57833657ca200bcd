#!/usr/bin/env bash
# Builds the fuzz tree (clang-14; every library under AddressSanitizer, UndefinedBehavior-
# Sanitizer and libFuzzer's coverage) into build-fuzz, incrementally, then runs each fuzzer of
# fuzz/ for SECONDS on a throwaway copy of its seed corpus, two at a time. Prints one line per
# target, `NAME: N execs, C crashes`, and exits non-zero when any run found something (its
# reproducer is kept in build-fuzz/findings/NAME/; see fuzz/README.md for what to do next).
#   scripts/fuzz.sh [SECONDS] [TARGET...]   default 60 s, every target
#   scripts/fuzz.sh --build-only            only builds (scripts/test.sh does this before ctest)
# FUZZ_BUILD_JOBS (default 2) and FUZZ_PARALLEL (default 2) say how many cores it takes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

build_only=0
seconds=60
if [ "${1:-}" = "--build-only" ]; then
  build_only=1
  shift
elif [[ "${1:-}" =~ ^[0-9]+$ ]]; then
  seconds="$1"
  shift
fi

# Every fuzz/<name>_fuzzer.cc is a target; the arguments left pick some of them.
all_targets=()
for f in fuzz/*_fuzzer.cc; do
  n="$(basename "$f" _fuzzer.cc)"
  all_targets+=("$n")
done
targets=("${all_targets[@]}")
if (($#)); then
  targets=("$@")
  for t in "${targets[@]}"; do
    if [ ! -f "fuzz/${t}_fuzzer.cc" ]; then
      echo "fuzz: no target '$t'; targets: ${all_targets[*]}" >&2
      exit 2
    fi
  done
fi

if ! command -v clang++-14 >/dev/null 2>&1; then
  echo "fuzz: clang++-14 is missing; run scripts/setup.sh (it installs clang-14 and libfuzzer-14-dev)" >&2
  exit 1
fi
build="$root/build-fuzz"
# The build's output is shown only when it fails, so that a run prints its result lines alone.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -G Ninja -DSCOUT_FUZZ=ON >"$log" 2>&1 ||
    { cat "$log"; exit 1; }
fi
fuzzers=()
for t in "${targets[@]}"; do fuzzers+=("${t}_fuzzer"); done
cmake --build "$build" -j "${FUZZ_BUILD_JOBS:-2}" --target "${fuzzers[@]}" >"$log" 2>&1 ||
  { cat "$log"; echo "fuzz: building the fuzz tree failed" >&2; exit 1; }
rm -f "$log"
((build_only)) && exit 0

# Each run's output goes to a file of its own and is printed in target order at the end.
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
run() {
  local t="$1" status=0
  sh fuzz/run-one.sh "$t" "$build/fuzz/${t}_fuzzer" "fuzz/corpus/$t" "$seconds" \
    "$build/findings/$t" >"$out/$t" 2>&1 || status=$?
  echo "$status" >"$out/$t.status"
}
running=0
for t in "${targets[@]}"; do
  run "$t" &
  running=$((running + 1))
  if [ "$running" -ge "${FUZZ_PARALLEL:-2}" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait

failed=0
for t in "${targets[@]}"; do
  cat "$out/$t"
  [ "$(cat "$out/$t.status")" -eq 0 ] || failed=1
done
exit "$failed"
