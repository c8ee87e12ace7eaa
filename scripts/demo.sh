#!/usr/bin/env bash
# The README demo: installs what is missing, builds, then starts on loopback
#   - a private mosquitto,
#   - the embedded Kafka (`edgegw mock-kafka`, librdkafka's mock cluster),
#   - the gateway with config/gateway.example.yaml,
#   - the device simulator with config/fleet.demo.yaml (30 devices, real time),
# and shows records arriving on the Kafka topics with kcat. Ctrl-C stops everything.
#
#   scripts/demo.sh [SECONDS]     run for SECONDS (default 90), then stop
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-90}"
state="$repo/.demo"

"$repo/scripts/install-deps.sh"
edgegw="$repo/build/gateway/edgegw"
sim="$repo/build/firmware-sim/edgegw-sim"

rm -rf "$state"
mkdir -p "$state/buffer"
echo "demo: building the gateway and the simulator (the first build takes a few minutes)"
EDGEGW_TARGETS="edgegw edgegw-sim" "$repo/scripts/build.sh" build >"$state/build.log" 2>&1 ||
  { tail -30 "$state/build.log"; exit 1; }
pids=()
# Newest first, each waited for: the simulator stops publishing, the gateway then flushes
# its log into a Kafka that is still there, and the brokers go last.
cleanup() {
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
}
trap cleanup EXIT INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what="$2"
  shift 2
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then echo "demo: $what did not come up; see $state/*.log" >&2; exit 1; fi
    sleep 0.2
  done
}

mqtt_port="$(free_port)"
http_port="$(free_port)"
cat >"$state/mosquitto.conf" <<CONF
listener $mqtt_port 127.0.0.1
allow_anonymous true
# Unlimited queue for a subscriber that falls behind (mosquitto's default of 1000
# silently drops messages): see docs/operations.md.
max_queued_messages 0
max_inflight_messages 100
# Bounds any one message (the gateway dead-letters beyond mqtt.max_payload, 64 KiB).
message_size_limit 131072
persistence false
CONF
/usr/sbin/mosquitto -c "$state/mosquitto.conf" >"$state/mosquitto.log" 2>&1 &
pids+=($!)
wait_for 10 mosquitto bash -c "echo > /dev/tcp/127.0.0.1/$mqtt_port"
echo "demo: mosquitto on 127.0.0.1:$mqtt_port"

"$edgegw" mock-kafka --config "$repo/config/gateway.example.yaml" \
  --bootstrap-file "$state/bootstrap" >"$state/kafka.log" 2>&1 &
pids+=($!)
wait_for 10 "the embedded Kafka" test -s "$state/bootstrap"
bootstrap="$(cat "$state/bootstrap")"
echo "demo: embedded Kafka (mock cluster, 3 brokers) at $bootstrap"

export EDGEGW_GATEWAY_ID=demo-gw EDGEGW_MQTT_BROKER="tcp://127.0.0.1:$mqtt_port" \
  EDGEGW_KAFKA_BOOTSTRAP="$bootstrap" EDGEGW_BUFFER_DIR="$state/buffer" \
  EDGEGW_HTTP_LISTEN="127.0.0.1:$http_port"
"$edgegw" run "$repo/config/gateway.example.yaml" >"$state/gateway.log" 2>&1 &
pids+=($!)
wait_for 30 "the gateway" curl -sf "http://127.0.0.1:$http_port/readyz"
echo "demo: gateway ready; metrics at http://127.0.0.1:$http_port/metrics"

"$sim" --fleet "$repo/config/fleet.demo.yaml" --broker "tcp://127.0.0.1:$mqtt_port" \
  --labels "$state/labels.jsonl" >"$state/sim.log" 2>&1 &
pids+=($!)
echo "demo: 30 simulated devices publishing in real time for ${seconds}s (logs in .demo/)"

show() {  # show TOPIC COUNT
  echo
  echo "=== $1: the last $2 record(s) of each partition ==="
  kcat -C -b "$bootstrap" -t "$1" -o "-$2" -e -q -f 'key=%k offset-header=%h\n%s\n' 2>/dev/null |
    cut -c1-400 || true
}
end=$((SECONDS + seconds))
while ((SECONDS < end)); do
  sleep $((seconds < 30 ? seconds : 30))
  show edgegw.telemetry 1
  show edgegw.dead-letter 1
  show edgegw.aggregates 1
  show edgegw.alerts 2
  echo
  echo "=== MQTT: current alert states, retained on edgegw/<gateway>/alerts/<device>/<source> ==="
  timeout 2 mosquitto_sub -h 127.0.0.1 -p "$mqtt_port" -t 'edgegw/+/alerts/#' -v -W 1 2>/dev/null |
    cut -c1-200 | head -5 || true
  echo
  echo "=== the simulator's ground truth: pump failures so far (each repaired 30 s later) ==="
  grep '"type":"failure"' "$state/labels.jsonl" 2>/dev/null | cut -c1-160 || true
  echo
  curl -s "http://127.0.0.1:$http_port/" || true
done
echo
echo "demo: stopping (SIGTERM flushes the log and the producer)"
