#!/usr/bin/env bash
# Installs everything edgegw needs to build, test, benchmark and run its demo, from
# Debian 12 packages only. The README, .ci/run and docker/Dockerfile all call this one
# script, so a dependency added here reaches every one of them. Safe to re-run.
#
#   scripts/install-deps.sh                    installs what is missing
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
  libisal-dev libssl-dev libsystemd-dev catch2
)

if [[ "${1:-}" == --print-libraries ]]; then
  printf '%s\n' "${libraries[@]}"
  exit 0
fi

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git ca-certificates
  # libraries the gateway links
  "${libraries[@]}"
  # Chart.js for the dashboard's page, compiled into the binary (gateway/dashboard/);
  # architecture-independent, so a cross build takes it from here too
  libjs-chart.js
  # benchmarks, and the end-to-end suite (bench/e2e/): its C publisher and the Python
  # bridge it compares
  libbenchmark-dev libmosquitto-dev python3-paho-mqtt python3-confluent-kafka
  # the fuzz targets (scripts/fuzz.sh): clang with libFuzzer and its sanitizer runtimes
  clang libclang-rt-14-dev
  # real peers for tests and the demo
  mosquitto mosquitto-clients kcat
  # the dashboard's end-to-end test: a real headless browser, driven by Selenium
  chromium chromium-driver python3-selenium
  # certificates for the TLS tests
  openssl
  # the Debian package (scripts/package.sh) and its check: file and dpkg-shlibdeps for
  # CPack, systemd-analyze for the unit
  file dpkg-dev systemd
  # tools the scripts use
  python3 python3-jsonschema python3-yaml procps curl
)

if [[ "${EDGEGW_DEV_TOOLS:-0}" == 1 ]]; then
  packages+=(clang-format clang-tidy)
fi

sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then
  sudo_cmd=(sudo)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update
"${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
# The Debian mosquitto package starts a system broker on port 1883; tests and the demo
# run their own private brokers on free loopback ports and never use it.
