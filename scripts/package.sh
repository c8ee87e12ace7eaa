#!/usr/bin/env bash
# Builds the Debian package of edgegw (and its -dbgsym package of debug info):
#   scripts/package.sh [BUILD_DIR]
# BUILD_DIR defaults to build-release/: an optimised build with debug info
# (RelWithDebInfo) without tests or benchmarks; the .deb files land in it.
# Install with: apt-get install ./build-release/edgegw_*.deb
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${1:-build-release}"
case "$build_dir" in /*) ;; *) build_dir="$repo/$build_dir" ;; esac

"$repo/scripts/install-deps.sh" build
CMAKE_BUILD_TYPE=RelWithDebInfo EDGEGW_TARGETS="edgegw edgegw-sim" \
  "$repo/scripts/build.sh" "$build_dir" -DEDGEGW_BUILD_TESTS=OFF -DEDGEGW_BUILD_BENCH=OFF
(cd "$build_dir" && cpack -G DEB)
ls -l "$build_dir"/*.deb "$build_dir"/*.ddeb 2>/dev/null || true
