#!/usr/bin/env bash
# Cross-builds edgegw for arm64 (64-bit ARM edge boards) on an amd64 Debian 12 host, runs
# the unit tests under qemu-user, and builds the arm64 Debian package:
#   scripts/build-arm64.sh [BUILD_DIR]        (default build-arm64/)
# It installs what it needs with apt-get: Debian's cross toolchain
# (crossbuild-essential-arm64), qemu-user-static, and the arm64 -dev packages of the
# libraries scripts/install-deps.sh lists (--print-libraries: one list for both). A -dev
# package that cannot be installed for two architectures at once (libisal-dev,
# libyaml-cpp-dev) is unpacked into BUILD_DIR/arm64-dev instead, with its runtime
# libraries, which the tests find there under qemu (LD_LIBRARY_PATH).
#
#   EDGEGW_ARM64_STEPS="deps build test package"  the steps to run (default: all)
#   EDGEGW_BUILD_JOBS=1                          parallel compile jobs (default: nproc)
# The compile runs under `nice -n 10`. Figures it gave: docs/arm64.md.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${1:-build-arm64}"
case "$build_dir" in /*) ;; *) build_dir="$repo/$build_dir" ;; esac
steps=" ${EDGEGW_ARM64_STEPS:-deps build test package} "
extra_root="$build_dir/arm64-dev"
arch=arm64

sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then
  sudo_cmd=(sudo)
fi
apt_get() {
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get "$@"
}

field() {  # field PACKAGE NAME: a control field of the candidate version
  apt-cache show --no-all-versions "$1" 2>/dev/null | sed -n "s/^$2: //p" | head -n 1
}

# The runtime packages a -dev package depends on, without versions or alternatives.
runtime_depends() {
  field "$1:$arch" Depends | tr ',' '\n' | sed 's/[(|].*//; s/ //g' | grep -v -e '^$' -e '-dev$'
}

install_deps() {
  "$repo/scripts/install-deps.sh"
  if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
    "${sudo_cmd[@]}" dpkg --add-architecture "$arch"
  fi
  apt_get update
  local native=(crossbuild-essential-arm64 qemu-user-static)
  local multiarch=() unpacked=()
  local p
  for p in $("$repo/scripts/install-deps.sh" --print-libraries); do
    if [[ "$(field "$p" Architecture)" == all || "$(field "$p" Multi-Arch)" == foreign ]]; then
      continue  # the host's package serves every architecture (headers, CMake files)
    elif [[ "$(field "$p" Multi-Arch)" == same ]]; then
      multiarch+=("$p:$arch")
    else
      unpacked+=("$p")
    fi
  done
  # Their runtime libraries are unpacked with them: installing one that is not
  # Multi-Arch: same for arm64 would remove the host's (and the host's -dev package).
  local runtime=()
  for p in "${unpacked[@]}"; do
    for dep in $(runtime_depends "$p"); do
      runtime+=("$dep:$arch")
    done
  done
  echo "build-arm64: installing ${native[*]} ${multiarch[*]}"
  apt_get install -y --no-install-recommends "${native[@]}" "${multiarch[@]}"

  echo "build-arm64: unpacking ${unpacked[*]} ${runtime[*]} into $extra_root"
  rm -rf "$extra_root"
  mkdir -p "$extra_root/debs"
  (cd "$extra_root/debs" && apt-get download "${unpacked[@]/%/:$arch}" "${runtime[@]}")
  for deb in "$extra_root"/debs/*.deb; do
    dpkg-deb -x "$deb" "$extra_root"
    # Each also on its own with its control files, for dpkg-shlibdeps -S (package()).
    local own="$extra_root/packages/$(dpkg-deb -f "$deb" Package)"
    mkdir -p "$own"
    dpkg-deb -x "$deb" "$own"
    dpkg-deb -e "$deb" "$own/DEBIAN"
  done
}

# The package's Depends: what dpkg-shlibdeps derives from the binaries, the unpacked
# libraries' own shlibs files standing in for the arm64 packages that are not installed
# (CPack would run dpkg-shlibdeps without them, and fail).
arm64_depends() {
  local work="$build_dir/shlibdeps"
  rm -rf "$work" && mkdir -p "$work/debian"
  printf 'Source: edgegw\n\nPackage: edgegw\nArchitecture: any\n' >"$work/debian/control"
  local search=()
  for own in "$extra_root"/packages/*; do
    search+=("-S$own")
  done
  (cd "$work" && DEB_HOST_ARCH=$arch dpkg-shlibdeps -O "${search[@]}" \
    "$build_dir/gateway/edgegw" "$build_dir/firmware-sim/edgegw-sim") |
    sed -n 's/^shlibs:Depends=//p'
}

configure_and_build() {
  cmake -S "$repo" -B "$build_dir" -G Ninja \
    -DCMAKE_TOOLCHAIN_FILE="$repo/cmake/toolchain-arm64.cmake" \
    -DEDGEGW_ARM64_EXTRA_ROOT="$extra_root" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEDGEGW_BUILD_BENCH=OFF \
    -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON  # cpack installs the two binaries, not all
  # The daemon and the simulator first, then every unit-test binary (the integration
  # tests need mosquitto and Kafka peers of the target architecture: not run here).
  local jobs="${EDGEGW_BUILD_JOBS:-$(nproc)}"
  nice -n 10 cmake --build "$build_dir" --parallel "$jobs" --target edgegw edgegw-sim
  local unit_tests=(unit_analytics unit_store unit_sim unit_maintenance unit_analytics_gateway
                    unit_gateway)
  for target in "${unit_tests[@]}"; do  # one by one: each can run as soon as it is built
    nice -n 10 cmake --build "$build_dir" --parallel "$jobs" --target "$target"
  done
}

# Every unit-test binary's tests under qemu. Left out: the unit-labelled tests that a
# Python script drives (the schema and monitoring checks) or that need binaries not built
# here (the fuzz corpus replays): without binfmt_misc the host cannot exec arm64 binaries
# from a script.
run_unit_tests() {
  local started=$SECONDS
  ctest --test-dir "$build_dir" -L unit --output-on-failure \
    -E '^(record_schemas|monitoring_metrics_exist|fuzz_replay_.*)$'
  echo "build-arm64: unit tests under qemu took $((SECONDS - started)) s"
}

package() {
  local depends
  depends="$(arm64_depends)"
  echo "build-arm64: Depends: adduser, $depends"
  (cd "$build_dir" && cpack -G DEB -D CPACK_DEBIAN_PACKAGE_SHLIBDEPS=OFF \
    -D "CPACK_DEBIAN_PACKAGE_DEPENDS=adduser, $depends")
  local stripped="$build_dir/edgegw.stripped"
  aarch64-linux-gnu-strip -o "$stripped" "$build_dir/gateway/edgegw"
  file "$build_dir/gateway/edgegw"
  echo "build-arm64: edgegw is $(stat -c %s "$stripped") bytes stripped," \
    "$(stat -c %s "$build_dir/gateway/edgegw") with debug info"
  ls -l "$build_dir"/*.deb "$build_dir"/*.ddeb 2>/dev/null || true
}

[[ "$steps" == *" deps "* ]] && install_deps
[[ "$steps" == *" build "* ]] && configure_and_build
[[ "$steps" == *" test "* ]] && run_unit_tests
[[ "$steps" == *" package "* ]] && package
echo "build-arm64: done ($steps)"
