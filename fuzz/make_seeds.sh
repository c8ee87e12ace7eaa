#!/usr/bin/env bash
# Regenerates the binary seed corpora (record_frame, segment_log, checkpoint) after a
# change of their formats, with the gateway's own encoders (make_seeds.cpp).
#   fuzz/make_seeds.sh [BUILD_DIR]     (default build/, configured by scripts/build.sh)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$repo/build}"
cmake --build "$build" --parallel "${EDGEGW_BUILD_JOBS:-$(nproc)}" --target fuzz_make_seeds
"$build/fuzz/fuzz_make_seeds" "$repo/fuzz/corpus"
