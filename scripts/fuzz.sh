#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang in build-fuzz/ and runs each for a
# while, from its seed corpus. What a run finds stays in a scratch directory: nothing is
# merged into the repo by itself (a crash input goes to fuzz/regressions/<target>/ by
# hand, with the fix).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# SECONDS_PER_TARGET defaults to 60 (0: no time limit); TARGETs default to all of
# fuzz/CMakeLists.txt's. EDGEGW_FUZZ_RUNS=N stops each target after N executions instead
# (the long run of fuzz/README.md). Prints the executions per target; fails on the first
# crash, leak or timeout.
# EDGEGW_BUILD_JOBS bounds the build's parallelism; EDGEGW_FUZZ_WORK keeps the run's
# corpora and crash inputs somewhere else than a fresh temporary directory;
# EDGEGW_FUZZ_BUILD=DIR takes the targets from a tree already configured with
# EDGEGW_FUZZ=ON (scripts/test.sh's sanitized tree) instead of build-fuzz/.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
shift || true
all_targets=(mapper topic_template timestamp config record_frame segment_log model_file
             checkpoint sparkplug)
targets=("$@")
((${#targets[@]})) || targets=("${all_targets[@]}")

build="${EDGEGW_FUZZ_BUILD:-}"
if [[ -z "$build" ]]; then
  build="$repo/build-fuzz"
  # Only the targets and what they link: the daemon, tests and benchmarks are not needed.
  # OSS-Fuzz's optimisation and line tables (the top-level CMakeLists.txt sets them): the
  # sanitizers' reports need no more, and CI would build this from scratch on two cores.
  CC=clang CXX=clang++ cmake -S "$repo" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DEDGEGW_FUZZ=ON -DEDGEGW_BUILD_TESTS=OFF -DEDGEGW_BUILD_BENCH=OFF >/dev/null
elif ! grep -qs '^EDGEGW_FUZZ:BOOL=ON' "$build/CMakeCache.txt"; then
  echo "fuzz.sh: $build is not configured with -DEDGEGW_FUZZ=ON" >&2
  exit 2
fi
build_targets=()
for t in "${targets[@]}"; do build_targets+=(--target "fuzz_$t"); done
cmake --build "$build" --parallel "${EDGEGW_BUILD_JOBS:-$(nproc)}" "${build_targets[@]}"

work="${EDGEGW_FUZZ_WORK:-$(mktemp -d)}"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$repo/tests/lsan.supp:print_suppressions=0"
printf '%-16s %12s %10s\n' target executions exec/s
for t in "${targets[@]}"; do
  mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
  log="$work/$t/fuzz.log"
  # New inputs go to the scratch corpus (the first directory); the repo's seeds and
  # regression inputs are only read.
  if ! "$build/fuzz/fuzz_$t" -max_total_time="$seconds" ${EDGEGW_FUZZ_RUNS:+-runs="$EDGEGW_FUZZ_RUNS"} \
       -rss_limit_mb=2048 -timeout=10 \
       -print_final_stats=1 -artifact_prefix="$work/$t/artifacts/" \
       "$work/$t/corpus" "$repo/fuzz/corpus/$t" "$repo/fuzz/regressions/$t" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "fuzz.sh: $t failed; the input is in $work/$t/artifacts/" >&2
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  time_s=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  printf '%-16s %12s %10s\n' "$t" "${runs:-?}" "${time_s:-?}"
done
limit="${seconds}s"
[[ -z "${EDGEGW_FUZZ_RUNS:-}" ]] || limit="$EDGEGW_FUZZ_RUNS runs"
echo "fuzz.sh: no crash in ${#targets[@]} targets, $limit each (work dir: $work)"
