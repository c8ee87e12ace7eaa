#!/usr/bin/env bash
# The README demo: installs what is missing, builds, then starts on loopback
#   - a private mosquitto,
#   - the embedded Kafka (`edgegw mock-kafka`, librdkafka's mock cluster),
#   - the gateway with config/gateway.example.yaml,
#   - the device simulator with config/fleet.demo.yaml (30 devices, real time),
#   - the alerts dashboard (`edgegw dashboard`, docs/dashboard.md) on 127.0.0.1:8088,
# and every 30 s prints a short summary: records per Kafka topic, open alerts by severity,
# the newest alerts one line each. Ctrl-C stops everything.
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
  pids=()
}
# Ctrl-C or SIGTERM: stop everything, then end here (a trap alone would resume the loop).
trap cleanup EXIT
trap 'echo; echo "demo: stopping"; cleanup; exit 130' INT TERM

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
# The dashboard's usual port when it is free, so that the URL stays the same run to run.
if python3 -c 'import socket; socket.socket().bind(("127.0.0.1", 8088))' 2>/dev/null; then
  dashboard_port=8088
else
  dashboard_port="$(free_port)"
fi
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

# The example config, with the pumps also forwarding their window aggregates: the
# dashboard charts aggregates, and the pumps are the devices that fail in this demo.
sed 's/^    analytics_profile: pump$/&\n    forward: both/' "$repo/config/gateway.example.yaml" \
  >"$state/gateway.yaml"
export EDGEGW_GATEWAY_ID=demo-gw EDGEGW_MQTT_BROKER="tcp://127.0.0.1:$mqtt_port" \
  EDGEGW_KAFKA_BOOTSTRAP="$bootstrap" EDGEGW_BUFFER_DIR="$state/buffer" \
  EDGEGW_HTTP_LISTEN="127.0.0.1:$http_port"
"$edgegw" run "$state/gateway.yaml" >"$state/gateway.log" 2>&1 &
pids+=($!)
wait_for 30 "the gateway" curl -sf "http://127.0.0.1:$http_port/readyz"
echo "demo: gateway ready; metrics at http://127.0.0.1:$http_port/metrics"

"$edgegw" dashboard --config "$repo/config/dashboard.example.yaml" --brokers "$bootstrap" \
  --listen "127.0.0.1:$dashboard_port" >"$state/dashboard.log" 2>&1 &
pids+=($!)
dashboard_url="http://127.0.0.1:$dashboard_port/"
wait_for 15 "the dashboard" curl -sf "${dashboard_url}healthz"

"$sim" --fleet "$repo/config/fleet.demo.yaml" --broker "tcp://127.0.0.1:$mqtt_port" \
  --labels "$state/labels.jsonl" >"$state/sim.log" 2>&1 &
pids+=($!)
echo "demo: 30 simulated devices publishing in real time for ${seconds}s (logs in .demo/)"

echo
echo "demo: the alerts dashboard is at $dashboard_url (open it in a browser; alerts within a minute)"
echo "demo: a summary every 30 s; raw records: kcat -C -b $bootstrap -t edgegw.alerts"
started=$SECONDS
end=$((SECONDS + seconds))
while ((SECONDS < end)); do
  sleep $((seconds < 30 ? seconds : 30))
  python3 "$repo/scripts/demo_summary.py" "http://127.0.0.1:$http_port/metrics" "$dashboard_url" \
    $((SECONDS - started)) || true
done
echo
echo "demo: stopping (SIGTERM flushes the log and the producer)"
