#!/usr/bin/python3
"""The MQTT → Kafka bridge a user could write in an afternoon, as a baseline for
run_bench.py: Debian's paho-mqtt and confluent-kafka, each message produced as it is,
keyed by its device (the topic's second level), batching on (linger.ms=5, lz4, as the
gateway's producer), acks=all. It stores nothing: a crash loses what librdkafka holds.

    python_bridge.py --broker HOST:PORT --kafka BOOTSTRAP --topic T [--qos Q] [--id ID]

Prints "ready" once subscribed; SIGTERM flushes and stops it."""
import argparse
import signal
import sys

import paho.mqtt.client as mqtt
from confluent_kafka import Producer


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--broker", required=True, help="MQTT broker HOST:PORT")
    parser.add_argument("--kafka", required=True, help="Kafka bootstrap servers")
    parser.add_argument("--topic", required=True, help="Kafka topic")
    parser.add_argument("--subscribe", default="bench/#")
    parser.add_argument("--qos", type=int, default=1, choices=(0, 1))
    parser.add_argument("--id", default="python-bridge", help="MQTT client id")
    args = parser.parse_args()
    host, _, port = args.broker.rpartition(":")

    producer = Producer({"bootstrap.servers": args.kafka, "acks": "all",
                         "linger.ms": 5, "compression.type": "lz4"})

    def on_message(_client, _userdata, message):
        device = message.topic.split("/")[1]
        while True:
            try:
                producer.produce(args.topic, message.payload, device)
                break
            except BufferError:  # librdkafka's queue is full: wait for deliveries
                producer.poll(0.05)
        producer.poll(0)

    def on_connect(client, _userdata, _flags, rc):
        if rc != 0:
            sys.exit(f"python_bridge: the broker refused the connection ({rc})")
        client.subscribe(args.subscribe, args.qos)

    def on_subscribe(*_):
        print("ready", flush=True)

    client = mqtt.Client(client_id=args.id, clean_session=False)
    client.on_connect = on_connect
    client.on_subscribe = on_subscribe
    client.on_message = on_message
    client.max_inflight_messages_set(1000)
    signal.signal(signal.SIGTERM, lambda *_: client.disconnect())
    client.connect(host, int(port))
    client.loop_forever()
    producer.flush(30)


if __name__ == "__main__":
    main()
