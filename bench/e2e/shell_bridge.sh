#!/usr/bin/env bash
# The shell MQTT → Kafka bridge, as a baseline for run_bench.py: mosquitto_sub prints
# "topic payload" per message and kcat produces each line keyed by its topic (one topic
# per device, so keyed by device), batching on (linger.ms=5, lz4, as the gateway's
# producer), acks=all. It stores nothing: a crash loses what kcat holds.
#   shell_bridge.sh MQTT_HOST MQTT_PORT QOS CLIENT_ID KAFKA_BOOTSTRAP KAFKA_TOPIC [COUNT]
# With COUNT it stops after that many messages, once kcat has flushed them. The benchmark
# needs that: kcat -P reads its input in fread() calls of 128 bytes, each of which waits
# for all 128, so the last few lines stay in kcat until more input or the input's end.
set -euo pipefail
if (($# != 6 && $# != 7)); then
  echo "usage: $0 MQTT_HOST MQTT_PORT QOS CLIENT_ID KAFKA_BOOTSTRAP KAFKA_TOPIC [COUNT]" >&2
  exit 2
fi
host="$1" port="$2" qos="$3" id="$4" bootstrap="$5" topic="$6"
count=()
if (($# == 7)); then count=(-C "$7"); fi
mosquitto_sub -h "$host" -p "$port" -q "$qos" -c -i "$id" -t 'bench/#' -v "${count[@]}" |
  kcat -P -b "$bootstrap" -t "$topic" -K ' ' -X acks=all -X linger.ms=5 \
    -X compression.type=lz4
