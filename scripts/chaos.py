#!/usr/bin/env python3
"""The chaos run: the whole delivery path under faults, checked end to end.

Starts on loopback, on free ports, in a temporary directory:
  - mosquitto with persistence and an unlimited queue,
  - the embedded Kafka (`edgegw mock-kafka --control`, 3 brokers),
  - a TCP proxy in front of each Kafka broker and one in front of mosquitto, each able
    to hang: stop forwarding in both directions, keep every socket open, close nothing,
  - the gateway, through the proxies, with the settings docs/delivery-guarantees.md calls
    lossless (QoS 1, persistent session, durable log, block when full),
  - the simulator (edgegw-sim) publishing QoS 1 JSON with per-device sequence numbers at a
    fixed rate, straight to mosquitto,
  - a consumer (kcat) on every Kafka topic, read throughout.
Then, at seeded random moments, one fault at a time: mosquitto restarted (persistence
on), every Kafka broker down then up, the gateway SIGKILLed and restarted, the network
to Kafka hung and the network to the broker hung, each hang longer than every timeout
that applies to it. Each of the five happens at least once. The gateway is never
restarted but by the SIGKILL fault. The next fault waits until the previous one's
backlog has been delivered.

At the end: per device, missing (must be 0), duplicates (the same sequence number again:
resent with the same edgegw-offset header, or redelivered by the broker under a new
one), order violations (must be 0); per fault, its duration, and the times from its end
to the first record read after it and to every record published before its end read
(the backlog delivered). Exits 1 when anything is missing or out of order, a backlog was
not delivered within a minute, a fault did not run or did not cut its path, or a
process failed; 2 on a start-up error; 130 when interrupted. Stops everything it
started, also on Ctrl-C.

  scripts/chaos.py --duration 100s --seed 1 [--results out.json] [--build-dir build]
"""

import argparse
import asyncio
import bisect
import collections
import ctypes
import json
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GATEWAY_ID = "chaos-gw"
TOPICS = ["edgegw.telemetry", "edgegw.aggregates", "edgegw.alerts", "edgegw.predictions",
          "edgegw.dead-letter"]
TELEMETRY = "edgegw.telemetry"

# The gateway's timeouts in this run, short so that every hang outlasts them within a
# run of minutes: MQTT keep-alive and connect timeout, librdkafka's socket and request
# timeouts (message.timeout.ms stays 0: messages wait in the producer through any
# outage).
MQTT_KEEP_ALIVE_S = 2
MQTT_CONNECT_TIMEOUT_S = 3
KAFKA_SOCKET_TIMEOUT_MS = 5000
KAFKA_REQUEST_TIMEOUT_MS = 5000

# Fault durations (seconds, uniform). A hang lasts at least twice the longest timeout.
FAULT_DURATIONS = {
    "mosquitto_restart": (1.0, 5.0),  # time mosquitto is stopped
    "kafka_down": (4.0, 12.0),
    "gateway_kill": (0.5, 3.0),  # time between the SIGKILL and the restart
    "kafka_hang": (10.0, 16.0),
    "mqtt_hang": (10.0, 16.0),
}
# Faults long enough that nothing the gateway received after their start may arrive in
# their second half: the check that a hang or an outage really cut the path (the backlog
# of the previous fault has been delivered before the next starts).
CUTTING_FAULTS = ("kafka_down", "kafka_hang", "mqtt_hang")
WARM_UP_S = 5.0
TAIL_S = 8.0
GAP_S = (1.5, 4.0)  # quiet time after recovery before the next fault
RECOVERY_ALLOWANCE_S = 3.0  # a fault starts only if it ends this long before the tail
RECOVERY_TIMEOUT_S = 60.0  # no delivery this long after a fault's end: not recovered
DRAIN_TIMEOUT_S = 120.0  # after the simulator stops, for the last records to arrive


class Failure(Exception):
    """A run that could not start or continue (exit code 2)."""


def log(message):
    print(f"chaos: {message}", flush=True)


def parse_duration(text):
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    for suffix in ("ms", "s", "m", "h"):
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * units[suffix]
    return float(text)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def die_with_parent():
    """preexec_fn: the child gets SIGKILL when this script dies, even by SIGKILL."""
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1
    libc.prctl(pr_set_pdeathsig, signal.SIGKILL)


# --------------------------------------------------------------------------- processes


class Processes:
    """Every child process of the run, stopped newest first by stop_all()."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.running = []

    def start(self, name, argv, stdin=None):
        out = open(os.path.join(self.workdir, f"{name}.log"), "ab")
        # Own session: Ctrl-C reaches only this script, which stops children in order.
        proc = subprocess.Popen(argv, stdin=stdin, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True, preexec_fn=die_with_parent)
        out.close()
        self.running.append(proc)
        return proc

    def stop(self, proc, grace=10.0, sig=signal.SIGTERM):
        if proc.poll() is None:
            proc.send_signal(sig)
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc in self.running:
            self.running.remove(proc)
        return proc.returncode

    def stop_all(self):
        for proc in reversed(list(self.running)):
            self.stop(proc, grace=5.0)


def wait_until(what, predicate, timeout):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise Failure(f"{what} did not happen within {timeout:.0f} s")
        time.sleep(0.1)


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


# --------------------------------------------------------------------------- proxies


def read_uvarint(data, pos):
    value, shift = 0, 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def skip_tagged_fields(data, pos):
    count, pos = read_uvarint(data, pos)
    for _ in range(count):
        _, pos = read_uvarint(data, pos)
        size, pos = read_uvarint(data, pos)
        pos += size
    return pos


def rewrite_metadata_ports(frame, version, ports):
    """A Kafka Metadata response with each broker port p replaced by ports[p].

    Brokers advertise their own addresses: without this the client would reach them
    directly after its first request and bypass the proxy. Ports are fixed-size fields,
    so the frame keeps its length. Layout: kafka.apache.org/protocol#The_Messages_Metadata
    """
    data = bytearray(frame)
    flexible = version >= 9
    pos = 8  # size, correlation id
    if flexible:
        pos = skip_tagged_fields(data, pos)  # response header v1
    if version >= 3:
        pos += 4  # throttle_time_ms
    if flexible:
        count, pos = read_uvarint(data, pos)
        count -= 1
    else:
        (count,) = struct.unpack_from(">i", data, pos)
        pos += 4
    for _ in range(count):
        pos += 4  # node_id
        if flexible:
            length, pos = read_uvarint(data, pos)
            length -= 1
        else:
            (length,) = struct.unpack_from(">h", data, pos)
            pos += 2
        pos += length  # host
        (port,) = struct.unpack_from(">i", data, pos)
        struct.pack_into(">i", data, pos, ports.get(port, port))
        pos += 4
        if version >= 1:  # rack, nullable
            if flexible:
                length, pos = read_uvarint(data, pos)
                pos += max(length - 1, 0)
            else:
                (length,) = struct.unpack_from(">h", data, pos)
                pos += 2 + max(length, 0)
        if flexible:
            pos = skip_tagged_fields(data, pos)
    return bytes(data)


class KafkaFraming:
    """Splits a Kafka connection's byte streams into frames, remembers each request's
    API, and rewrites the broker ports of Metadata responses."""

    METADATA = 3

    def __init__(self, ports, stats):
        self.ports = ports
        self.stats = stats
        self.requests = {}  # correlation id -> (api key, api version)

    @staticmethod
    def frames(buffer):
        while len(buffer) >= 4:
            (size,) = struct.unpack_from(">i", buffer, 0)
            if len(buffer) < 4 + size:
                break
            frame = bytes(buffer[: 4 + size])
            del buffer[: 4 + size]
            yield frame

    def request(self, frame):
        api_key, api_version, correlation = struct.unpack_from(">hhi", frame, 4)
        self.requests[correlation] = (api_key, api_version)
        return frame

    def response(self, frame):
        (correlation,) = struct.unpack_from(">i", frame, 4)
        api_key, api_version = self.requests.pop(correlation, (None, None))
        if api_key != self.METADATA:
            return frame
        try:
            frame = rewrite_metadata_ports(frame, api_version, self.ports)
            self.stats["metadata_rewritten"] += 1
        except (IndexError, struct.error):
            self.stats["metadata_unparsed"] += 1
        return frame


class HangingProxy:
    """A loopback TCP proxy that can hang: while hung it reads nothing, forwards
    nothing, opens no upstream connection and closes nothing, like a network that drops
    every packet. Resumed, it forwards what it held. Runs on the shared event loop."""

    def __init__(self, name, target_port, framing_factory=None):
        self.name = name
        self.target_port = target_port
        self.framing_factory = framing_factory
        self.flowing = asyncio.Event()
        self.flowing.set()
        self.port = None
        self.server = None
        self.connections = 0

    async def start(self):
        self.server = await asyncio.start_server(self.serve, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def serve(self, client_reader, client_writer):
        self.connections += 1
        try:
            await self.flowing.wait()
            try:
                upstream_reader, upstream_writer = await asyncio.open_connection(
                    "127.0.0.1", self.target_port)
            except OSError:
                return  # refused: the client sees its connection closed, as it would
            framing = self.framing_factory() if self.framing_factory else None
            up = self.pump(client_reader, upstream_writer, framing and framing.request)
            down = self.pump(upstream_reader, client_writer, framing and framing.response)
            tasks = [asyncio.ensure_future(up), asyncio.ensure_future(down)]
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in tasks:
                task.cancel()
            upstream_writer.close()
        finally:
            client_writer.close()

    async def pump(self, reader, writer, transform):
        buffer = bytearray()
        while True:
            await self.flowing.wait()
            data = await reader.read(65536)
            if not data:
                return
            await self.flowing.wait()  # read before the hang began: held until it ends
            if transform is None:
                writer.write(data)
            else:
                buffer += data
                for frame in KafkaFraming.frames(buffer):
                    writer.write(transform(frame))
            await writer.drain()


class ProxyLoop:
    """The asyncio loop of every proxy, on a thread of its own."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(10)

    def start_proxy(self, proxy):
        self.call(proxy.start())
        return proxy

    def set_hung(self, proxies, hung):
        async def apply():
            for proxy in proxies:
                if hung:
                    proxy.flowing.clear()
                else:
                    proxy.flowing.set()
        self.call(apply())

    def stop(self):
        async def cancel_connections():
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()
            await asyncio.sleep(0.1)
        try:
            self.call(cancel_connections())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)


# --------------------------------------------------------------------------- checker


class Checker:
    """Reads every topic with one kcat each, from the beginning and throughout, and
    folds the telemetry into per-device counts. A kcat that exits is started again from
    the beginning; records are told apart by (topic, partition, offset)."""

    FORMAT = "%p\t%o\t%h\t%s\n"

    def __init__(self, processes, kcat, bootstrap):
        self.processes = processes
        self.kcat = kcat
        self.bootstrap = bootstrap
        self.lock = threading.Lock()
        self.seen = set()  # (topic, partition, offset)
        self.per_topic = collections.Counter()
        self.arrivals = []  # monotonic time of every telemetry record read
        # When the gateway received each of those from MQTT (its `received`, wall clock ms;
        # 0 when unreadable), in the same order.
        self.received_ms = []
        self.devices = collections.defaultdict(lambda: {
            "first": {}, "highest": 0, "resent": 0, "redelivered": 0, "order_violations": 0,
            # The device's records 1..prefix have all been read; prefix_ts: the device
            # timestamp of record `prefix` (the simulator stamps wall-clock time).
            "prefix": 0, "prefix_ts": 0, "ts": {}})
        self.bad_records = 0
        self.consumers = {}

    def start(self):
        for topic in TOPICS:
            self.start_consumer(topic)

    def start_consumer(self, topic):
        argv = [self.kcat, "-C", "-b", self.bootstrap, "-t", topic, "-o", "beginning", "-u",
                "-q", "-f", self.FORMAT, "-X", "topic.metadata.refresh.interval.ms=1000"]
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                start_new_session=True, preexec_fn=die_with_parent)
        self.processes.running.append(proc)
        self.consumers[topic] = proc
        threading.Thread(target=self.read, args=(topic, proc), daemon=True).start()

    def restart_exited(self):
        for topic, proc in list(self.consumers.items()):
            if proc.poll() is not None:
                self.processes.running.remove(proc)
                self.start_consumer(topic)

    def read(self, topic, proc):
        for line in proc.stdout:
            now = time.monotonic()
            parts = line.rstrip(b"\n").split(b"\t", 3)
            if len(parts) != 4:
                continue
            with self.lock:
                self.add(topic, parts, now)

    def add(self, topic, parts, now):
        partition, offset, headers, value = parts
        key = (topic, int(partition), int(offset))
        if key in self.seen:
            return
        self.seen.add(key)
        self.per_topic[topic] += 1
        if topic != TELEMETRY:
            return
        self.arrivals.append(now)
        try:
            doc = json.loads(value)
            device, seq, ts = doc["device"], int(doc["seq"]), int(doc["ts"])
        except (ValueError, KeyError, TypeError):
            self.received_ms.append(0)
            self.bad_records += 1
            return
        self.received_ms.append(int(doc.get("received", 0)))
        log_offset = dict(h.split(b"=", 1) for h in headers.split(b",") if b"=" in h).get(
            b"edgegw-offset")
        state = self.devices[device]
        first = state["first"]
        if seq not in first:
            if seq < state["highest"]:
                state["order_violations"] += 1
            state["highest"] = max(state["highest"], seq)
            first[seq] = {log_offset}
            state["ts"][seq] = ts
            while state["prefix"] + 1 in first:
                state["prefix"] += 1
                state["prefix_ts"] = state["ts"].pop(state["prefix"])
        elif log_offset in first[seq]:
            state["resent"] += 1
        else:
            first[seq].add(log_offset)
            state["redelivered"] += 1

    def caught_up(self, wall_ms):
        """Whether every device's records up to one stamped at or after `wall_ms` have
        all been read: nothing published before then is still on its way."""
        with self.lock:
            return bool(self.devices) and all(
                d["prefix_ts"] >= wall_ms for d in self.devices.values())

    def first_arrival_after(self, t):
        with self.lock:
            i = bisect.bisect_left(self.arrivals, t)
            return self.arrivals[i] if i < len(self.arrivals) else None

    def arrivals_between(self, t0, t1, received_after_ms=0):
        """Records read between monotonic times t0 and t1 that the gateway received from
        MQTT after `received_after_ms` (wall clock)."""
        with self.lock:
            first, last = bisect.bisect_left(self.arrivals, t0), bisect.bisect_left(self.arrivals, t1)
            return sum(1 for r in self.received_ms[first:last] if r >= received_after_ms)

    def distinct(self, expected):
        with self.lock:
            return sum(sum(1 for s in self.devices[d]["first"] if 1 <= s <= n)
                       for d, n in expected.items())

    def report(self, expected):
        with self.lock:
            devices = {}
            for device in sorted(set(expected) | set(self.devices)):
                state = self.devices[device]
                published = expected.get(device, 0)
                delivered = sum(1 for s in state["first"] if 1 <= s <= published)
                devices[device] = {
                    "published": published,
                    "delivered": delivered,
                    "missing": published - delivered,
                    "unexpected": len(state["first"]) - delivered,
                    "duplicates": state["resent"] + state["redelivered"],
                    "resent": state["resent"],
                    "redelivered": state["redelivered"],
                    "order_violations": state["order_violations"],
                }
            return devices, dict(self.per_topic)


# --------------------------------------------------------------------------- the stack

GATEWAY_CONFIG = """\
# The chaos run's gateway: the settings docs/delivery-guarantees.md calls lossless.
gateway:
  id: {gateway_id}
mqtt:
  broker: tcp://127.0.0.1:{mqtt_port}
  client_id: {gateway_id}
  qos: 1
  persistent_session: true
  keep_alive: {keep_alive}s
  connect_timeout: {connect_timeout}s
  reconnect_min: 200ms
  reconnect_max: 2s
mappings:
  - name: pumps
    topic: "chaos/{{site}}/pump/{{device}}/telemetry"
    format: json
    tags: [site]
    sequence: seq
    timestamp: {{ field: ts, format: milliseconds }}
    sensors:
      - {{ name: flow, field: metrics.flow.value, unit: m3/h }}
      - {{ name: pressure, field: metrics.pressure, unit: bar }}
kafka:
  bootstrap_servers: "{bootstrap}"
  properties:
    socket.timeout.ms: "{socket_timeout}"
    request.timeout.ms: "{request_timeout}"
buffer:
  directory: {buffer}
  fsync: interval
  fsync_interval: 200ms
  when_full: block
http:
  listen: 127.0.0.1:{http_port}
"""

FLEET = """\
# The chaos run's devices: JSON pumps at a fixed rate, QoS 1, nothing but telemetry.
seed: {seed}
sites: [a, b]
interval_ms: {interval_ms}
qos: 1
classes:
  pump:
    count: {devices}
    format: json
    topic: "chaos/{{site}}/pump/{{device}}/telemetry"
anomalies:
  enabled: false
bad_payloads:
  enabled: false
"""

MOSQUITTO_CONFIG = """\
listener {port} 127.0.0.1
allow_anonymous true
persistence true
persistence_location {dir}/
# Unlimited queue for the gateway's persistent session: mosquitto's default of 1000
# drops messages silently (docs/delivery-guarantees.md).
max_queued_messages 0
"""


class Stack:
    def __init__(self, args, workdir):
        self.args = args
        self.workdir = workdir
        self.processes = Processes(workdir)
        self.proxies = ProxyLoop()
        self.proxy_stats = collections.Counter()
        self.gateway = None
        self.gateway_runs = 0
        self.kafka = None
        self.kafka_replies = 0
        self.mosquitto = None
        self.sim = None
        self.checker = None

    def path(self, name):
        return os.path.join(self.workdir, name)

    def binary(self, relative):
        path = os.path.join(self.args.build_dir, relative)
        if not os.access(path, os.X_OK):
            raise Failure(f"{path} not found: build it first (scripts/build.sh)")
        return path

    def start(self):
        self.mqtt_port = free_port()
        self.http_port = free_port()
        with open(self.path("mosquitto.conf"), "w") as f:
            f.write(MOSQUITTO_CONFIG.format(port=self.mqtt_port, dir=self.path("mosquitto")))
        # mosquitto started as root drops to its own user: it must reach and write its
        # persistence directory, or a restart silently forgets the gateway's session.
        os.chmod(self.workdir, os.stat(self.workdir).st_mode | 0o001)
        os.makedirs(self.path("mosquitto"))
        os.chmod(self.path("mosquitto"), 0o777)
        self.start_mosquitto()
        self.start_kafka()
        self.mqtt_proxy = self.proxies.start_proxy(HangingProxy("mqtt", self.mqtt_port))
        ports = {}
        self.kafka_proxies = []
        for broker in self.brokers:
            proxy = self.proxies.start_proxy(HangingProxy(
                "kafka", broker, lambda: KafkaFraming(ports, self.proxy_stats)))
            ports[broker] = proxy.port
            self.kafka_proxies.append(proxy)
        with open(self.path("gateway.yaml"), "w") as f:
            f.write(GATEWAY_CONFIG.format(
                gateway_id=GATEWAY_ID, mqtt_port=self.mqtt_proxy.port,
                keep_alive=MQTT_KEEP_ALIVE_S, connect_timeout=MQTT_CONNECT_TIMEOUT_S,
                bootstrap=",".join(f"127.0.0.1:{p.port}" for p in self.kafka_proxies),
                socket_timeout=KAFKA_SOCKET_TIMEOUT_MS, request_timeout=KAFKA_REQUEST_TIMEOUT_MS,
                buffer=self.path("buffer"), http_port=self.http_port))
        self.checker = Checker(self.processes, self.args.kcat, self.kafka_bootstrap)
        self.checker.start()
        self.start_gateway(wait_ready=True)

    # mosquitto
    def start_mosquitto(self):
        self.mosquitto = self.processes.start(
            "mosquitto", [self.args.mosquitto, "-c", self.path("mosquitto.conf")])
        wait_until("mosquitto listening", lambda: port_open(self.mqtt_port), 10)

    def stop_mosquitto(self):
        rc = self.processes.stop(self.mosquitto)  # SIGTERM: it saves its persistence file
        if rc != 0:
            raise Failure(f"mosquitto exited with {rc} when stopped")
        with open(self.path("mosquitto.log"), errors="replace") as f:
            if "Error saving" in f.read():
                raise Failure("mosquitto could not save its persistence file: a restart "
                              "would lose the gateway's session (see mosquitto.log)")

    # Kafka
    def start_kafka(self):
        bootstrap_file = self.path("bootstrap")
        self.kafka = self.processes.start(
            "kafka", [self.binary("gateway/edgegw"), "mock-kafka", "--control",
                      "--bootstrap-file", bootstrap_file], stdin=subprocess.PIPE)
        wait_until("the mock Kafka", lambda: os.path.exists(bootstrap_file)
                   and open(bootstrap_file).read().endswith("\n"), 10)
        self.kafka_bootstrap = open(bootstrap_file).read().strip()
        self.brokers = [int(a.rsplit(":", 1)[1]) for a in self.kafka_bootstrap.split(",")]

    def kafka_command(self, command):
        """Sends one --control command and waits for its "ok" answer in the log."""
        self.kafka.stdin.write(f"{command}\n".encode())
        self.kafka.stdin.flush()
        self.kafka_replies += 1

        def answered():
            with open(self.path("kafka.log"), "rb") as f:
                text = f.read().decode(errors="replace")
            if "error:" in text:
                raise Failure(f"mock Kafka refused '{command}': see {self.path('kafka.log')}")
            return sum(line.startswith("ok ") for line in text.splitlines()) >= self.kafka_replies
        wait_until(f"mock Kafka answering '{command}'", answered, 5)

    # the gateway
    def start_gateway(self, wait_ready=False):
        self.gateway_runs += 1
        self.gateway = self.processes.start(
            f"gateway-{self.gateway_runs}",
            [self.binary("gateway/edgegw"), "run", self.path("gateway.yaml")])
        if wait_ready:
            wait_until("the gateway ready", self.gateway_ready, 30)

    def gateway_ready(self):
        if self.gateway.poll() is not None:
            raise Failure(f"the gateway exited with {self.gateway.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}/readyz",
                                        timeout=1) as response:
                return response.status == 200
        except OSError:
            return False

    def kill_gateway(self):
        self.processes.stop(self.gateway, sig=signal.SIGKILL)

    # the devices
    def start_simulator(self, duration_s):
        with open(self.path("fleet.yaml"), "w") as f:
            f.write(FLEET.format(seed=self.args.seed, devices=self.args.devices,
                                 interval_ms=self.args.interval_ms))
        self.sim = self.processes.start("sim", [
            self.binary("firmware-sim/edgegw-sim"), "--fleet", self.path("fleet.yaml"),
            "--broker", f"tcp://127.0.0.1:{self.mqtt_port}", "--client-id", "chaos-sim",
            "--duration", f"{duration_s:.0f}", "--labels", self.path("labels.jsonl"),
            "--max-buffered", "10000000", "--connect-timeout", "120"])

    def published(self):
        expected = {}
        with open(self.path("labels.jsonl")) as f:
            for line in f:
                label = json.loads(line)
                if label.get("type") == "device":
                    expected[label["device"]] = label["messages"]
        return expected

    def stop(self):
        try:
            if self.gateway is not None and self.gateway.poll() is None:
                self.processes.stop(self.gateway, grace=15.0)
        finally:
            self.processes.stop_all()
            self.proxies.stop()


# --------------------------------------------------------------------------- faults


class Faults:
    """Starts and ends each kind of fault on the stack."""

    def __init__(self, stack):
        self.stack = stack

    def begin(self, kind):
        s = self.stack
        if kind == "mosquitto_restart":
            s.stop_mosquitto()
        elif kind == "kafka_down":
            s.kafka_command("down")
        elif kind == "gateway_kill":
            s.kill_gateway()
        elif kind == "kafka_hang":
            s.proxies.set_hung(s.kafka_proxies, True)
        elif kind == "mqtt_hang":
            s.proxies.set_hung([s.mqtt_proxy], True)

    def end(self, kind):
        s = self.stack
        if kind == "mosquitto_restart":
            s.start_mosquitto()
        elif kind == "kafka_down":
            s.kafka_command("up")
        elif kind == "gateway_kill":
            s.start_gateway()
        elif kind == "kafka_hang":
            s.proxies.set_hung(s.kafka_proxies, False)
        elif kind == "mqtt_hang":
            s.proxies.set_hung([s.mqtt_proxy], False)


def first_faults(rng):
    kinds = list(FAULT_DURATIONS)
    rng.shuffle(kinds)
    return kinds


class Run:
    def __init__(self, args, stack):
        self.args = args
        self.stack = stack
        self.rng = random.Random(args.seed)
        self.faults = []
        self.problems = []
        # Wall-clock seconds minus monotonic ones: compares device timestamps with
        # fault times.
        self.wall_offset = time.time() - time.monotonic()

    def check_processes(self, allow_gateway_down=False):
        s = self.stack
        if not allow_gateway_down and s.gateway.poll() is not None:
            self.problems.append(f"the gateway exited by itself with {s.gateway.returncode} "
                                 f"(log: {s.path(f'gateway-{s.gateway_runs}.log')})")
            s.processes.running.remove(s.gateway)
            s.start_gateway()
        if s.kafka.poll() is not None:
            raise Failure(f"the mock Kafka exited with {s.kafka.returncode}")
        s.checker.restart_exited()

    def sleep(self, seconds, allow_gateway_down=False):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.check_processes(allow_gateway_down)
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))

    def wait_recovered(self, fault):
        """Waits until the fault's backlog has been read: every record the devices
        published before the fault's end. Records two figures: the time from the end to
        the first record read after it, and to the backlog read in full."""
        checker = self.stack.checker
        ended_wall_ms = (fault["ended"] + self.wall_offset) * 1000
        deadline = fault["ended"] + RECOVERY_TIMEOUT_S
        fault["first_delivery_s"] = fault["caught_up_s"] = None
        while time.monotonic() < deadline:
            if fault["first_delivery_s"] is None:
                first = checker.first_arrival_after(fault["ended"])
                if first is not None:
                    fault["first_delivery_s"] = round(first - fault["ended"], 3)
            if checker.caught_up(ended_wall_ms):
                fault["caught_up_s"] = round(time.monotonic() - fault["ended"], 2)
                return True
            self.sleep(0.05)
        self.problems.append(f"the backlog of {fault['kind']} at {fault['at_s']} s was not "
                             f"delivered within {RECOVERY_TIMEOUT_S:.0f} s of its end")
        return False

    def inject(self, kind, planned, t0):
        gateway_pid = self.stack.gateway.pid
        fault = {"kind": kind, "at_s": round(time.monotonic() - t0, 1)}
        log(f"{fault['at_s']:7.1f} s  {kind} for {planned:.1f} s")
        started = time.monotonic()
        started_wall_ms = int(time.time() * 1000)
        Faults(self.stack).begin(kind)
        self.sleep(planned, allow_gateway_down=(kind == "gateway_kill"))
        Faults(self.stack).end(kind)
        fault["ended"] = time.monotonic()
        fault["duration_s"] = round(fault["ended"] - started, 2)
        # Records the gateway received after the fault began and that were read before its
        # end: a hang or an outage that worked lets none of them through. (Counting by
        # when the gateway received a record, not by when the checker read it, keeps a
        # late reader on a loaded machine from passing for a path the fault left open:
        # the reader may lag, it never reads early.)
        fault["delivered_during"] = self.stack.checker.arrivals_between(
            started + planned / 2, fault["ended"], received_after_ms=started_wall_ms + 1000)
        self.wait_recovered(fault)
        if kind != "gateway_kill":
            fault["gateway_restarted"] = self.stack.gateway.pid != gateway_pid
        self.faults.append(fault)
        log(f"{'':9}  first delivery {fault['first_delivery_s']} s, backlog delivered "
            f"{fault['caught_up_s']} s after the end")

    def run(self, duration_s):
        t0 = time.monotonic()
        self.stack.start_simulator(duration_s)
        end_faults = duration_s - TAIL_S
        self.sleep(WARM_UP_S)
        pending = first_faults(self.rng)
        while True:
            kind = pending.pop(0) if pending else self.rng.choice(list(FAULT_DURATIONS))
            planned = self.rng.uniform(*FAULT_DURATIONS[kind])
            if time.monotonic() - t0 + planned + RECOVERY_ALLOWANCE_S > end_faults:
                break
            self.inject(kind, planned, t0)
            self.sleep(self.rng.uniform(*GAP_S))
        ran = {f["kind"] for f in self.faults}
        for kind in FAULT_DURATIONS:
            if kind not in ran:
                self.problems.append(f"{kind} did not run: --duration too short")
        log(f"{time.monotonic() - t0:7.1f} s  faults over; the devices publish until "
            f"{duration_s:.0f} s")
        self.wait_simulator(t0 + duration_s + 60)

    def wait_simulator(self, deadline):
        sim = self.stack.sim
        while sim.poll() is None:
            if time.monotonic() > deadline:
                raise Failure("the simulator did not stop at the end of its duration")
            self.sleep(0.5)
        self.stack.processes.running.remove(sim)
        if sim.returncode != 0:
            self.problems.append(f"the simulator exited with {sim.returncode} (undelivered "
                                 f"messages: see {self.stack.path('sim.log')})")

    def drain(self, expected):
        total = sum(expected.values())
        deadline = time.monotonic() + DRAIN_TIMEOUT_S
        while self.stack.checker.distinct(expected) < total and time.monotonic() < deadline:
            self.sleep(0.5)
        time.sleep(2.0)  # late duplicates
        return total


def summarise(devices):
    keys = ["published", "delivered", "missing", "duplicates", "resent", "redelivered",
            "order_violations", "unexpected"]
    return {k: sum(d[k] for d in devices.values()) for k in keys}


def fault_figures(faults):
    by_kind = collections.defaultdict(list)
    for f in faults:
        by_kind[f["kind"]].append(f)
    def min_median_max(values):
        values = sorted(v for v in values if v is not None)
        return [values[0], values[len(values) // 2], values[-1]] if values else None
    figures = {}
    for kind, items in by_kind.items():
        figures[kind] = {
            "count": len(items),
            "duration_s": min_median_max(f["duration_s"] for f in items),
            "first_delivery_s": min_median_max(f["first_delivery_s"] for f in items),
            "caught_up_s": min_median_max(f["caught_up_s"] for f in items),
            "not_recovered": sum(f["caught_up_s"] is None for f in items),
        }
    return figures


def interrupt(signum, frame):
    raise KeyboardInterrupt()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", default="100s",
                        help="how long the devices publish, e.g. 100s, 20m (default 100s)")
    parser.add_argument("--seed", type=int, default=1, help="seeds the faults (default 1)")
    parser.add_argument("--results", help="write the figures here (JSON)")
    parser.add_argument("--build-dir", default=os.path.join(REPO, "build"))
    parser.add_argument("--devices", type=int, default=10, help="simulated devices")
    parser.add_argument("--interval-ms", type=int, default=100,
                        help="publish interval per device (default 100: 10 messages/s each)")
    parser.add_argument("--workdir", help="keep logs and data here (default: a temporary "
                                          "directory, removed after a successful run)")
    parser.add_argument("--mosquitto", default=shutil.which("mosquitto") or "/usr/sbin/mosquitto")
    parser.add_argument("--kcat", default=shutil.which("kcat") or "kcat")
    args = parser.parse_args()
    duration_s = parse_duration(args.duration)
    if not shutil.which(args.kcat) or not os.access(args.mosquitto, os.X_OK):
        print("chaos: needs mosquitto and kcat (scripts/install-deps.sh)", file=sys.stderr)
        return 2

    workdir = args.workdir or tempfile.mkdtemp(prefix="edgegw-chaos-")
    os.makedirs(workdir, exist_ok=True)
    # SIGTERM and SIGINT unwind through the cleanup below (SIGINT explicitly: a shell
    # starts a background job with it ignored).
    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, interrupt)
    stack = Stack(args, workdir)
    run = Run(args, stack)
    code = 2
    try:
        log(f"seed {args.seed}, {duration_s:.0f} s, {args.devices} devices every "
            f"{args.interval_ms} ms, logs in {workdir}")
        stack.start()
        run.run(duration_s)
        expected = stack.published()
        log(f"devices published {sum(expected.values())} messages; reading them back")
        run.drain(expected)
        devices, per_topic = stack.checker.report(expected)
        totals = summarise(devices)
        result = {
            "seed": args.seed, "duration_s": duration_s, "devices": args.devices,
            "interval_ms": args.interval_ms, "totals": totals, "records_per_topic": per_topic,
            "faults": [{k: v for k, v in f.items() if k != "ended"} for f in run.faults],
            "fault_figures": fault_figures(run.faults), "devices_detail": devices,
            "proxy": dict(stack.proxy_stats), "gateway_runs": stack.gateway_runs,
            "timeouts": {"mqtt_keep_alive_s": MQTT_KEEP_ALIVE_S,
                         "mqtt_connect_timeout_s": MQTT_CONNECT_TIMEOUT_S,
                         "kafka_socket_timeout_ms": KAFKA_SOCKET_TIMEOUT_MS,
                         "kafka_request_timeout_ms": KAFKA_REQUEST_TIMEOUT_MS},
        }
        if stack.proxy_stats["metadata_rewritten"] == 0:
            run.problems.append("no Kafka Metadata response went through the proxy: the "
                                "Kafka hang did not test anything")
        if totals["missing"] > 0:
            run.problems.append(f"{totals['missing']} messages missing")
        if totals["order_violations"] > 0:
            run.problems.append(f"{totals['order_violations']} order violations")
        for f in run.faults:
            if f.get("gateway_restarted"):
                run.problems.append(f"the gateway restarted during {f['kind']}")
            if f["kind"] in CUTTING_FAULTS and f["delivered_during"] > 0:
                run.problems.append(f"{f['delivered_during']} records received after the "
                                    f"start of {f['kind']} at {f['at_s']} s arrived in its "
                                    f"second half: it did not cut the path it should")
        result["problems"] = run.problems
        log("totals " + " ".join(f"{k}={v}" for k, v in totals.items()))
        log("records per topic " + json.dumps(per_topic))
        for kind, fig in result["fault_figures"].items():
            log(f"{kind}: x{fig['count']}, min/median/max: duration {fig['duration_s']} s, "
                f"first delivery {fig['first_delivery_s']} s, backlog delivered "
                f"{fig['caught_up_s']} s")
        if args.results:
            with open(args.results, "w") as f:
                json.dump(result, f, indent=2)
        for problem in run.problems:
            log(f"FAILED: {problem}")
        code = 1 if run.problems else 0
    except Failure as e:
        log(f"ERROR: {e} (logs in {workdir})")
    except KeyboardInterrupt:
        log("interrupted")
        code = 130
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stack.stop()
    if code == 0 and not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    elif code != 0:
        log(f"logs kept in {workdir}")
    return code


if __name__ == "__main__":
    sys.exit(main())
