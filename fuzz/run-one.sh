#!/usr/bin/env sh
# Runs one fuzzer for a while on a throwaway copy of its seed corpus (the checkout is never
# written) and prints one line, `NAME: N execs, C crashes`. A finding (crash, leak, timeout,
# out of memory, undefined behaviour) is kept in ARTIFACT_DIR, and its path and the
# sanitizer's first lines are printed before that line; the exit status is then 1.
#   run-one.sh NAME FUZZER_BINARY CORPUS_DIR SECONDS ARTIFACT_DIR
set -u
if [ $# -ne 5 ]; then
  echo "usage: $0 NAME FUZZER_BINARY CORPUS_DIR SECONDS ARTIFACT_DIR" >&2
  exit 2
fi
name=$1 fuzzer=$2 corpus=$3 seconds=$4 artifacts=$5
if [ ! -x "$fuzzer" ]; then
  echo "$name: no fuzzer at $fuzzer; build the fuzz tree first: scripts/fuzz.sh --build-only"
  exit 1
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/scout-fuzz-$name.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$artifacts"
if [ -d "$corpus" ]; then cp -R "$corpus/." "$work/corpus/"; fi

# halt_on_error: the first report ends the run, so a report always means a non-zero status.
status=0
ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:${ASAN_OPTIONS:-}" \
UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}" \
  "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -detect_leaks=1 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$work/corpus" >"$work/log" 2>&1 || status=$?

execs="$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$work/log" | tail -n 1)"
execs="${execs:-0}"
if [ "$status" -eq 0 ] && ! grep -qE 'runtime error:|ERROR: (Address|Leak|Undefined)Sanitizer|ERROR: libFuzzer' "$work/log"; then
  echo "$name: $execs execs, 0 crashes"
  exit 0
fi

reproducer="$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$work/log" | tail -n 1)"
echo "$name: finding (exit status $status); reproducer: ${reproducer:-none written}"
echo "  replay: $fuzzer ${reproducer:-<input>}"
# The report's first lines: from the first error line on, leaving out the frames of the
# sanitizers, libFuzzer, libc and libstdc++, each line cut short (C++ frames run long).
awk '/runtime error:|==ERROR:|ERROR: libFuzzer|deadly signal|terminate called|what\(\):|Sanitizer/ { show = 1 }
     /#[0-9]+ 0x/ && /fuzzer::|__sanitizer|csu\/|in _start|libc\.so|libstdc\+\+|\/usr\/include\/|sysdeps|nptl|stdlib\// { next }
     show && shown < 16 { print "  | " substr($0, 1, 200); shown++ }' "$work/log"
echo "$name: $execs execs, 1 crashes"
exit 1
