#!/usr/bin/env bash
# Configures and builds edgegw with CMake and Ninja.
#   scripts/build.sh [BUILD_DIR] [extra cmake args...]
# BUILD_DIR defaults to build/. Example: scripts/build.sh build-asan -DEDGEGW_SANITIZE=ON
# EDGEGW_TARGETS="edgegw edgegw-sim" builds only those targets.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${1:-build}"
shift || true
case "$build_dir" in /*) ;; *) build_dir="$repo/$build_dir" ;; esac

cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-RelWithDebInfo}" "$@"
targets=()
for t in ${EDGEGW_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$build_dir" --parallel "${EDGEGW_BUILD_JOBS:-$(nproc)}" "${targets[@]}"
