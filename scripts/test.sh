#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this):
#   1. installs what is missing (scripts/install-deps.sh),
#   2. builds and runs every test (labels unit, integration, slow) in build/,
#   3. builds again with clang, AddressSanitizer and UBSan in build-asan/ and runs the
#      tests there,
#   4. runs each fuzz target for 10 s (scripts/fuzz.sh; the seeds and regression inputs
#      also run in step 2, label unit). The targets come from build-asan/, which is
#      configured for them too; with --no-asan, fuzz.sh builds them in build-fuzz/.
#
#   scripts/test.sh            everything
#   scripts/test.sh --fast     unit tests only, normal build (seconds once built)
#   scripts/test.sh --no-asan  skip the sanitizer build
#   scripts/test.sh --no-fuzz  skip the fuzzing
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fast=0
asan=1
fuzz=1
for arg in "$@"; do
  case "$arg" in
    --fast) fast=1 ;;
    --no-asan) asan=0 ;;
    --no-fuzz) fuzz=0 ;;
    *) echo "usage: scripts/test.sh [--fast] [--no-asan] [--no-fuzz]" >&2; exit 2 ;;
  esac
done

"$repo/scripts/install-deps.sh"

run_ctest() {  # run_ctest BUILD_DIR LABEL_REGEX PARALLEL
  ctest --test-dir "$1" --output-on-failure --no-tests=error -L "$2" -j "$3"
}
phase() {  # where CI's time goes, in its log
  printf '== scripts/test.sh: %s (at %d min %02d s)\n' "$1" $((SECONDS / 60)) $((SECONDS % 60))
}

# CI builds everything from scratch on two cores: line tables (-g1) are all a failing
# test's backtrace needs, and compile in about 70 % of full debug information's time.
phase "build (g++)"
"$repo/scripts/build.sh" build -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
if ((fast)); then
  run_ctest "$repo/build" '^unit$' "$(nproc)"
  exit 0
fi
# Unit and integration tests two at a time: every integration test bounds its waits
# generously enough for a neighbour on the other core (the label takes about half its
# serial time so). The slow tests one at a time: they bound memory, CPU and recovery
# times, which a neighbour would distort.
phase "tests"
run_ctest "$repo/build" '^unit$' "$(nproc)"
run_ctest "$repo/build" '^integration$' 2
run_ctest "$repo/build" '^slow$' 1

if ((asan)); then
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  export LSAN_OPTIONS="suppressions=$repo/tests/lsan.supp:print_suppressions=0"
  # clang: it compiles the sanitized build in about half of g++'s time, and it keeps the
  # code building with the fuzzers' compiler.
  phase "build with ASan and UBSan (clang)"
  if grep -qs '^CMAKE_CXX_COMPILER:.*g++' "$repo/build-asan/CMakeCache.txt"; then
    rm -rf "$repo/build-asan"  # configured with g++ before: CMake cannot switch in place
  fi
  # The fuzz targets too (EDGEGW_FUZZ): a third tree of their own took CI 4 min 15 s to
  # build; here they and the coverage instrumentation add about 2 min 40 s.
  CC=clang CXX=clang++ "$repo/scripts/build.sh" build-asan -DEDGEGW_SANITIZE=ON \
    -DEDGEGW_FUZZ=ON -DEDGEGW_BUILD_BENCH=OFF
  phase "tests under ASan and UBSan"
  run_ctest "$repo/build-asan" '^unit$' "$(nproc)"
  # Under the sanitizers every process is several times slower (and bigger): the slow
  # soak tests, which also bound memory and CPU, already ran above. The integration
  # tests two at a time, as above: about 205 s against 6 min serially.
  run_ctest "$repo/build-asan" '^integration$' 2
fi
if ((fuzz)); then
  # A short run: new crashes near the seeds fail CI; long runs are local (fuzz/README.md).
  phase "fuzzing"
  ((asan)) && export EDGEGW_FUZZ_BUILD="$repo/build-asan"
  "$repo/scripts/fuzz.sh" 10
fi
phase "all tests passed"
