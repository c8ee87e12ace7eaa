#!/usr/bin/env bash
# edgegw-sim's load mode against a private local mosquitto, for 1, 2, 4 ... connections:
# the rate the simulator achieves alone (no subscriber), its CPU per message, and the rate
# of a `mosquitto_sub` draining the same load in the same run (the broker's path with
# its fastest subscriber). Prints min / median / max over the repeats.
#
#   bench/sim_load/sim_load.sh [BUILD_DIR] [MESSAGES] [REPEATS] [CONNECTIONS...]
#   bench/sim_load/sim_load.sh build 100000 3 1 2 4
set -euo pipefail
build="${1:-build}"
messages="${2:-100000}"
repeats="${3:-3}"
shift $(($# < 3 ? $# : 3))
connections=("${@:-1 2 4}")
# shellcheck disable=SC2206
connections=(${connections[*]})
sim="$build/firmware-sim/edgegw-sim"
devices=100

work="$(mktemp -d)"
broker_pid=""
cleanup() {
  if [[ -n "$broker_pid" ]]; then kill -TERM "$broker_pid" 2>/dev/null || true; wait "$broker_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cat >"$work/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
max_queued_messages 0
persistence false
CONF
/usr/sbin/mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
broker_pid=$!
for _ in $(seq 50); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

load() {  # load CONNECTIONS: one simulator run; prints "rate cpu_us_per_msg"
  /usr/bin/time -f '%U %S' -o "$work/time" "$sim" --broker "tcp://127.0.0.1:$port" --load \
    --devices "$devices" --messages "$messages" --qos 1 --connections "$1" \
    --no-bad-payloads --no-anomalies --log-level warn >"$work/out"
  local rate cpu
  rate="$(grep -o 'rate_msg_s=[0-9]*' "$work/out" | cut -d= -f2)"
  cpu="$(awk -v n="$messages" '{ printf "%.1f", ($1 + $2) * 1e6 / n }' "$work/time")"
  echo "$rate $cpu"
}

drain() {  # drain CONNECTIONS: the same load with mosquitto_sub taking it; prints its rate
  mosquitto_sub -h 127.0.0.1 -p "$port" -q 1 -t 'factory/#' -C "$messages" >/dev/null &
  local sub=$!
  sleep 0.5  # subscribed before the first publish
  local start end
  start="$(date +%s.%N)"
  load "$1" >/dev/null
  wait "$sub"
  end="$(date +%s.%N)"
  awk -v n="$messages" -v s="$start" -v e="$end" 'BEGIN { printf "%d", n / (e - s) }'
}

stats() {  # min / median / max of the arguments
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%s / %s / %s", v[1], v[int((NR + 1) / 2)], v[NR] }'
}

echo "machine: $(nproc) CPUs, $(uptime | sed 's/.*load average/load average/')"
echo "load: $devices devices, $messages QoS 1 messages, $repeats repeats"
echo "| connections | edgegw-sim alone, msg/s | CPU per message, µs | mosquitto_sub drain, msg/s |"
echo "|---|---|---|---|"
for c in "${connections[@]}"; do
  rates=() cpus=() drains=()
  for _ in $(seq "$repeats"); do
    read -r rate cpu < <(load "$c")
    rates+=("$rate") cpus+=("$cpu")
    drains+=("$(drain "$c")")
  done
  echo "| $c | $(stats "${rates[@]}") | $(stats "${cpus[@]}") | $(stats "${drains[@]}") |"
done
