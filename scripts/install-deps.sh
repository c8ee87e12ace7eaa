#!/usr/bin/env bash
# Installs what edgegw needs, from Debian 12 packages only. The README, .ci/run,
# scripts/package.sh and docker/Dockerfile all call this one script, so a dependency
# added here reaches every one of them. Safe to re-run. The list comes in three sets:
#
#   build    the toolchain and the -dev packages to build every target (gateway,
#            simulator, tests, benchmarks) and the Debian package
#   test     the real peers and tools the tests, the demo and the benchmarks run
#   runtime  what a machine that runs the installed package adds beside it (the health
#            check's curl). The package's own Depends name the runtime libraries:
#            dpkg-shlibdeps derives them from the binaries when it is built, so they
#            are not a list anyone keeps in step by hand.
#
#   scripts/install-deps.sh [SET...]           installs what is missing of SETs
#                                              (default: build test runtime)
#   scripts/install-deps.sh --print-libraries  prints the -dev packages of the libraries
#                                              the gateway links, one a line, installing
#                                              nothing (scripts/build-arm64.sh installs
#                                              them for arm64)
set -euo pipefail

# The libraries the gateway and its tests link: the set a cross build needs for its
# target architecture too.
libraries=(
  libpaho-mqttpp-dev libpaho-mqtt-dev librdkafka-dev libeigen3-dev libspdlog-dev
  libfmt-dev libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libcpp-httplib-dev
  libisal-dev libssl-dev libsimdjson-dev libprotobuf-dev catch2
)

build_set=(
  # toolchain
  build-essential cmake ninja-build pkg-config git ca-certificates
  # the Sparkplug B schema's compiler (gateway/sparkplug); it runs on the build machine
  protobuf-compiler
  # libraries the gateway links
  "${libraries[@]}"
  # Chart.js for the dashboard's page, compiled into the binary (gateway/dashboard/);
  # architecture-independent, so a cross build takes it from here too
  libjs-chart.js
  # the benchmarks, and the end-to-end suite's C publisher (bench/e2e/)
  libbenchmark-dev libmosquitto-dev
  # the Debian package (scripts/package.sh): file and dpkg-shlibdeps for CPack
  file dpkg-dev
)

test_set=(
  # real peers for tests and the demo
  mosquitto mosquitto-clients kcat
  # the dashboard's end-to-end test: a real headless browser, driven by Selenium
  chromium chromium-driver python3-selenium
  # the fuzz targets (scripts/fuzz.sh): clang with libFuzzer and its sanitizer runtimes
  clang libclang-rt-14-dev
  # the end-to-end benchmark's Python bridge (bench/e2e/)
  python3-paho-mqtt python3-confluent-kafka
  # certificates for the TLS tests; systemd-analyze for the package's unit check
  openssl systemd
  # tools the scripts use
  python3 python3-jsonschema python3-yaml procps curl
)

runtime_set=(curl ca-certificates)

if [[ "${1:-}" == --print-libraries ]]; then
  printf '%s\n' "${libraries[@]}"
  exit 0
fi

sets=("$@")
if ((${#sets[@]} == 0)); then
  sets=(build test runtime)
fi
packages=()
for set in "${sets[@]}"; do
  case "$set" in
    build) packages+=("${build_set[@]}") ;;
    test) packages+=("${test_set[@]}") ;;
    runtime) packages+=("${runtime_set[@]}") ;;
    *)
      echo "install-deps: unknown set '$set' (build, test, runtime or --print-libraries)" >&2
      exit 2
      ;;
  esac
done

if [[ "${EDGEGW_DEV_TOOLS:-0}" == 1 ]]; then
  packages+=(clang-format clang-tidy)
fi

sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then
  sudo_cmd=(sudo)
fi

missing=()
for p in $(printf '%s\n' "${packages[@]}" | sort -u); do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all packages of ${sets[*]} already installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update
"${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
# The Debian mosquitto package starts a system broker on port 1883; tests and the demo
# run their own private brokers on free loopback ports and never use it.
