#!/usr/bin/python3
"""The end-to-end benchmark suite: MQTT → Kafka on one machine over loopback.

Runs, alternating them within every round, each with a fresh mosquitto and a fresh
Kafka (the embedded mock cluster unless --kafka names a real broker):
  limits     mosquitto_sub -C N (the broker's drain rate), paho_counter (a Paho C++
             subscriber whose callback only counts)
  baselines  shell_bridge.sh (mosquitto_sub | kcat -P), python_bridge.py
  edgegw     analytics off and on, durable log on
at QoS 1 and 0, all fed by fast_publisher (libmosquitto, N messages of ~80 bytes from D
devices). Then each bridge once per round at a fixed rate for the latency publish → Kafka.

Figures per system: msg/s from the first publish to the moment the topic's offsets
(Kafka's high watermarks, summed over partitions) reach N, checked to be exactly N; CPU
µs per message of the bridge's processes (utime + stime from /proc of the whole process
tree over the timed part); peak RSS (VmHWM, summed over the tree); bytes written to disk
per message (/proc/PID/io write_bytes); the publisher's own rate. Latency: a consumer
reads the records as they arrive; latency = the consumer's receive time minus the
publisher's send time of the same (device, seq), so it includes the consumer's fetch.

    bench/e2e/run_bench.py [--build build] [--messages 200000] [--runs 3]
    bench/e2e/run_bench.py --quick          # a small check that everything still runs
"""
import argparse
import contextlib
import json
import os
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from confluent_kafka import Consumer, TopicPartition, OFFSET_BEGINNING
from confluent_kafka.admin import AdminClient, NewTopic

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
PARTITIONS = 6
GATEWAY_ID = "bench-gw"

# (name, qos): every round runs these, in a rotated order.
THROUGHPUT_SYSTEMS = [(name, qos) for qos in (1, 0)
                      for name in ("drain", "paho", "shell", "python", "edgegw-off",
                                   "edgegw-on")
                      if not (qos == 0 and name == "paho")]
LATENCY_SYSTEMS = ["shell", "python", "edgegw-off", "edgegw-on"]
# The first second of the latency runs is not measured: it holds the bridges' Kafka
# producers connecting and fetching the topic's metadata, a start-up cost.
LATENCY_WARM_UP_S = 1.0


class BenchError(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(what, predicate, timeout, proc=None):
    deadline = time.monotonic() + timeout
    while not predicate():
        if proc is not None and proc.poll() is not None:
            raise BenchError(f"{what}: the process exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise BenchError(f"{what}: not within {timeout} s")
        time.sleep(0.02)


# ---- process statistics from /proc -------------------------------------------------


def process_tree(root):
    """root and all its descendants, from the parent pids in /proc/*/stat."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{entry}/stat").read_text()
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


@dataclass
class Usage:
    cpu_s: float = 0.0
    peak_rss_kib: int = 0
    write_bytes: int = 0


def tree_usage(pids):
    usage = Usage()
    for pid in pids:
        with contextlib.suppress(OSError, ValueError):
            stat = Path(f"/proc/{pid}/stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            usage.cpu_s += (int(fields[11]) + int(fields[12])) / CLK_TCK
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    usage.peak_rss_kib += int(line.split()[1])
            for line in Path(f"/proc/{pid}/io").read_text().splitlines():
                if line.startswith("write_bytes:"):
                    usage.write_bytes += int(line.split()[1])
    return usage


# ---- the peers: mosquitto and Kafka -------------------------------------------------


class Processes:
    """Every process a run started, each in its own session, stopped in reverse order."""

    def __init__(self, log_dir):
        self.log_dir = log_dir
        self.started = []

    def start(self, name, argv, stdout=None, stdin=None):
        log = open(self.log_dir / f"{name}.log", "wb")
        proc = subprocess.Popen(argv, stdout=stdout if stdout is not None else log,
                                stderr=log, stdin=stdin if stdin is not None else
                                subprocess.DEVNULL, start_new_session=True)
        self.started.append((proc, log))
        return proc

    def stop_all(self):
        for proc, log in reversed(self.started):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
            log.close()
        self.started.clear()


class Broker:
    def __init__(self, procs, run_dir):
        self.port = free_port()
        self.log = run_dir / "mosquitto.log"
        conf = run_dir / "mosquitto.conf"
        # Unlimited queues (the default of 1000 drops messages for a subscriber that
        # falls behind); subscriptions logged so that a run starts once its bridge is in.
        conf.write_text(f"listener {self.port} 127.0.0.1\nallow_anonymous true\n"
                        "max_queued_messages 0\nmax_inflight_messages 1000\n"
                        "persistence false\nlog_dest stderr\nlog_type subscribe\n"
                        "log_type error\nlog_type warning\n")
        self.proc = procs.start("mosquitto", ["/usr/sbin/mosquitto", "-c", str(conf)])
        wait_until("mosquitto", self.listening, 10, self.proc)

    def listening(self):
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def wait_subscribed(self, client_id, proc, timeout=30):
        pattern = re.compile(rf": {re.escape(client_id)} [012] ")
        wait_until(f"{client_id} subscribing",
                   lambda: pattern.search(self.log.read_text(errors="replace")), timeout,
                   proc)


class Kafka:
    """A fresh set of topics: on a fresh mock cluster, or on the real broker given."""

    def __init__(self, procs, run_dir, edgegw, real_bootstrap):
        prefix = f"bench-{uuid.uuid4().hex[:8]}"
        self.topics = {s: f"{prefix}.{s}" for s in
                       ("telemetry", "aggregates", "alerts", "predictions", "dead_letter")}
        if real_bootstrap:
            self.bootstrap = real_bootstrap
            admin = AdminClient({"bootstrap.servers": real_bootstrap})
            futures = admin.create_topics([NewTopic(t, PARTITIONS, 1)
                                           for t in self.topics.values()])
            for f in futures.values():
                f.result(30)
        else:
            bootstrap_file = run_dir / "bootstrap"
            argv = [str(edgegw), "mock-kafka", "--partitions", str(PARTITIONS),
                    "--bootstrap-file", str(bootstrap_file)]
            for t in self.topics.values():
                argv += ["--topic", t]
            proc = procs.start("mock-kafka", argv)
            wait_until("the mock Kafka cluster", lambda: bootstrap_file.exists() and
                       bootstrap_file.read_text().strip(), 15, proc)
            self.bootstrap = bootstrap_file.read_text().strip()
        self.consumer = Consumer({"bootstrap.servers": self.bootstrap,
                                  "group.id": f"bench-{uuid.uuid4().hex}",
                                  "enable.auto.commit": False})

    def telemetry_count(self):
        """Records on the telemetry topic: the sum of the partitions' high watermarks."""
        topic = self.topics["telemetry"]
        return sum(self.consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=5,
                                                       cached=False)[1]
                   for p in range(PARTITIONS))

    def close(self):
        self.consumer.close()


# ---- the systems under test ---------------------------------------------------------


def gateway_config(run_dir, broker, kafka, qos, analytics):
    topics = "\n".join(f"    {s}: {t}" for s, t in kafka.topics.items())
    http_port = free_port()
    (run_dir / "buffer").mkdir()
    config = run_dir / "gateway.yaml"
    config.write_text(f"""gateway:
  id: {GATEWAY_ID}
mqtt:
  broker: tcp://127.0.0.1:{broker.port}
  client_id: {GATEWAY_ID}
  qos: {qos}
  persistent_session: true
  subscriptions: ["bench/#"]
mappings:
  - name: bench
    topic: "bench/{{device}}/telemetry"
    format: json
    sequence: seq
    timestamp: {{ field: ts, format: milliseconds }}
    sensors:
      - {{ name: temp, field: metrics.temp, unit: degC }}
      - {{ name: pressure, field: metrics.pressure, unit: bar }}
      - {{ name: rpm, field: metrics.rpm, unit: rpm }}
kafka:
  bootstrap_servers: "{kafka.bootstrap}"
  topics:
{topics}
buffer:
  directory: {run_dir / "buffer"}
http:
  listen: 127.0.0.1:{http_port}
analytics:
  enabled: {"true" if analytics else "false"}
""")
    return config


def start_bridge(name, qos, procs, run_dir, broker, kafka, bins, messages):
    """Starts a system; returns (process, its MQTT client id)."""
    mqtt = f"127.0.0.1:{broker.port}"
    telemetry = kafka.topics["telemetry"]
    if name == "drain":
        argv = ["mosquitto_sub", "-h", "127.0.0.1", "-p", str(broker.port), "-q", str(qos),
                "-i", "drain", "-t", "bench/#", "-C", str(messages)]
        return procs.start(name, argv, stdout=subprocess.DEVNULL), "drain"
    if name == "paho":
        argv = [str(bins["paho_counter"]), "--broker", f"tcp://{mqtt}", "--messages",
                str(messages), "--qos", str(qos), "--id", "paho-counter"]
        return procs.start(name, argv), "paho-counter"
    if name == "shell":
        argv = [str(HERE / "shell_bridge.sh"), "127.0.0.1", str(broker.port), str(qos),
                "shell-bridge", kafka.bootstrap, telemetry, str(messages)]
        return procs.start(name, argv), "shell-bridge"
    if name == "python":
        argv = [sys.executable, str(HERE / "python_bridge.py"), "--broker", mqtt, "--kafka",
                kafka.bootstrap, "--topic", telemetry, "--qos", str(qos)]
        return procs.start(name, argv, stdout=subprocess.DEVNULL), "python-bridge"
    if name in ("edgegw-off", "edgegw-on", "base-edgegw-off", "base-edgegw-on"):
        config = gateway_config(run_dir, broker, kafka, qos, name.endswith("-on"))
        binary = bins["baseline"] if name.startswith("base-") else bins["edgegw"]
        wrapper = shlex.split(bins.get("edgegw_wrapper") or "")
        return procs.start(name, wrapper + [str(binary), "run", str(config)]), GATEWAY_ID
    raise BenchError(f"unknown system {name}")


def publisher_argv(bins, broker, messages, devices, qos, rate=0, times=None):
    argv = [str(bins["fast_publisher"]), "--port", str(broker.port), "--messages",
            str(messages), "--devices", str(devices), "--qos", str(qos)]
    if rate:
        argv += ["--rate", str(rate)]
    if times:
        argv += ["--times", str(times)]
    return argv


@dataclass
class Result:
    rate: float
    publisher_rate: float
    cpu_us: float
    peak_rss_mib: float
    disk_bytes: float


def run_throughput(name, qos, args, bins, work):
    run_dir = Path(tempfile.mkdtemp(prefix=f"{name}-q{qos}-", dir=work))
    procs = Processes(run_dir)
    kafka = None
    try:
        broker = Broker(procs, run_dir)
        kafka = Kafka(procs, run_dir, bins["edgegw"], args.kafka)
        proc, client_id = start_bridge(name, qos, procs, run_dir, broker, kafka, bins,
                                       args.messages)
        broker.wait_subscribed(client_id, proc)
        if "edgegw" in name:  # its subscription precedes its readiness a little
            time.sleep(0.5)
        exits = exits_when_done(name)
        pids = process_tree(proc.pid)
        before = Usage() if exits else tree_usage(pids)
        publisher = procs.start("publisher", publisher_argv(
            bins, broker, args.messages, args.devices, qos), stdout=subprocess.PIPE)
        after, end, peak_rss_kib = before, None, 0
        deadline = time.monotonic() + args.timeout
        while end is None:
            live = tree_usage(pids)  # the last sample before the end
            peak_rss_kib = max(peak_rss_kib, live.peak_rss_kib)
            if exits:
                exited = reap_with_usage(proc)
                if exited:
                    # CPU from wait4; peak RSS from /proc, as ru_maxrss counts the fork's
                    # pages from before exec.
                    after, end = Usage(exited.cpu_s, peak_rss_kib, 0), time.time()
            else:
                after = live
                if kafka.telemetry_count() >= args.messages:
                    end = time.time()
            if end is None:
                if time.monotonic() > deadline:
                    got = ("" if name in ("drain", "paho") else
                           f" (Kafka holds {kafka.telemetry_count()})")
                    raise BenchError(f"{name} QoS {qos}: not all {args.messages} messages "
                                     f"within {args.timeout} s{got}; see {run_dir}")
                time.sleep(0.02)
        out, _ = publisher.communicate(timeout=60)
        report = json.loads(out.decode().strip().splitlines()[-1])
        if name not in ("drain", "paho"):
            count = kafka.telemetry_count()
            if count != args.messages:
                raise BenchError(f"{name} QoS {qos}: Kafka holds {count} records, not "
                                 f"{args.messages}")
        seconds = end - report["first_publish_us"] / 1e6
        return Result(args.messages / seconds, report["rate"],
                      (after.cpu_s - before.cpu_s) * 1e6 / args.messages,
                      peak_rss_kib / 1024,
                      (after.write_bytes - before.write_bytes) / args.messages)
    finally:
        if kafka:
            kafka.close()
        procs.stop_all()


def exits_when_done(name):
    """The limits and the shell bridge (given the count) exit after the N-th message, the
    bridge once kcat has flushed it to Kafka: the end is their exit."""
    return name in ("drain", "paho", "shell")


def reap_with_usage(proc):
    """Reaps an exited system with wait4, which gives its CPU time and that of the
    children it waited for (the shell bridge's mosquitto_sub and kcat)."""
    pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
    if pid == 0:
        return None
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise BenchError(f"{proc.args[0]} exited with {proc.returncode}")
    return Usage(ru.ru_utime + ru.ru_stime, ru.ru_maxrss, 0)


# ---- latency --------------------------------------------------------------------------


class AckTimes(threading.Thread):
    """Polls every partition's high watermark as fast as it can: the first sample at which
    a partition's watermark passes an offset is when Kafka acknowledged that record (to
    within one polling round, a few ms). Which record sits at which offset is read
    afterwards."""

    def __init__(self, kafka):
        super().__init__(daemon=True)
        self.kafka = kafka
        self.stop = threading.Event()
        self.samples = {p: [] for p in range(PARTITIONS)}  # (watermark, time in µs)
        self.error = None

    def total(self):
        return sum(s[-1][0] for s in self.samples.values() if s)

    def run(self):
        topic = self.kafka.topics["telemetry"]
        last = {p: 0 for p in range(PARTITIONS)}
        try:
            while not self.stop.is_set():
                for p in range(PARTITIONS):
                    high = self.kafka.consumer.get_watermark_offsets(
                        TopicPartition(topic, p), timeout=5, cached=False)[1]
                    if high > last[p]:
                        self.samples[p].append((high, time.time() * 1e6))
                        last[p] = high
        except Exception as e:  # reported by the caller
            self.error = e

    def ack_time(self, partition, offset):
        for high, t in self.samples[partition]:
            if high > offset:
                return t
        return None


KEY_DEVICE = re.compile(rb"dev-(\d+)")
VALUE_SEQ = re.compile(rb'"seq":(\d+)')


def read_back(kafka, expected, timeout=60):
    """(partition, offset) → (device, seq) of every record on the telemetry topic."""
    consumer = Consumer({"bootstrap.servers": kafka.bootstrap,
                         "group.id": f"bench-{uuid.uuid4().hex}", "enable.auto.commit": False})
    consumer.assign([TopicPartition(kafka.topics["telemetry"], p, OFFSET_BEGINNING)
                     for p in range(PARTITIONS)])
    records = {}
    deadline = time.monotonic() + timeout
    while len(records) < expected and time.monotonic() < deadline:
        for m in consumer.consume(10000, 0.2):
            if m.error():
                continue
            dev = KEY_DEVICE.search(m.key() or b"")
            seq = VALUE_SEQ.search(m.value() or b"")
            if dev and seq:
                records[(m.partition(), m.offset())] = (int(dev[1]), int(seq[1]))
    consumer.close()
    return records


def run_latency(name, args, bins, work):
    messages = int(args.latency_rate * (LATENCY_WARM_UP_S + args.latency_seconds))
    run_dir = Path(tempfile.mkdtemp(prefix=f"latency-{name}-", dir=work))
    procs = Processes(run_dir)
    kafka = acks = None
    try:
        broker = Broker(procs, run_dir)
        kafka = Kafka(procs, run_dir, bins["edgegw"], args.kafka)
        proc, client_id = start_bridge(name, 1, procs, run_dir, broker, kafka, bins,
                                       messages)
        broker.wait_subscribed(client_id, proc)
        time.sleep(0.5)
        acks = AckTimes(kafka)
        acks.start()
        times = run_dir / "publish-times"
        publisher = procs.start("publisher", publisher_argv(
            bins, broker, messages, args.devices, 1, args.latency_rate, times),
            stdout=subprocess.PIPE)
        publisher.communicate(timeout=args.timeout)
        wait_until(f"latency {name}: all {messages} records in Kafka",
                   lambda: acks.total() >= messages or acks.error, 60)
        acks.stop.set()
        acks.join()
        if acks.error:
            raise BenchError(f"latency {name}: polling the watermarks failed: {acks.error}")
        sent = {}
        for line in times.read_text().splitlines():
            dev, seq, us = line.split()
            sent[(int(dev), int(seq))] = int(us)
        records = read_back(kafka, messages)
        if len(records) != messages or any(k not in sent for k in records.values()):
            raise BenchError(f"latency {name}: {len(records)} of {messages} records read")
        measured_from = min(sent.values()) + LATENCY_WARM_UP_S * 1e6
        return sorted(acks.ack_time(p, o) - sent[k] for (p, o), k in records.items()
                      if sent[k] >= measured_from)
    finally:
        if acks and acks.is_alive():
            acks.stop.set()
            acks.join()
        if kafka:
            kafka.close()
        procs.stop_all()


# ---- the table ------------------------------------------------------------------------


def three(values, fmt="{:.0f}"):
    values = sorted(values)
    return " / ".join(fmt.format(v) for v in (values[0], statistics.median(values),
                                              values[-1]))


def ratios(results, a, b):
    return [x.rate / y.rate for x, y in zip(results[a], results[b])]


def print_tables(results, latencies, args):
    print(f"\nN = {args.messages} messages from {args.devices} devices, {args.runs} runs "
          f"(min / median / max); Kafka: {args.kafka or 'mock cluster'}\n")
    print("| system | QoS | msg/s into Kafka | publisher msg/s | CPU µs/msg | "
          "peak RSS MiB | disk B/msg |")
    print("|---|---|---|---|---|---|---|")
    for (name, qos), rs in results.items():
        print(f"| {name} | {qos} | {three([r.rate for r in rs])} | "
              f"{three([r.publisher_rate for r in rs])} | "
              f"{three([r.cpu_us for r in rs], '{:.1f}')} | "
              f"{three([r.peak_rss_mib for r in rs], '{:.1f}')} | "
              f"{three([r.disk_bytes for r in rs], '{:.0f}')} |")
    print("\nRatios of rates within the same round (min / median / max):\n")
    for qos in (1, 0):
        for system in ("edgegw-off", "edgegw-on"):
            for base in ("drain", "python", "shell", f"base-{system}"):
                if (system, qos) in results and (base, qos) in results:
                    line = (f"- QoS {qos} {system} / {base}: "
                            f"{three(ratios(results, (system, qos), (base, qos)), '{:.2f}')}")
                    if base.startswith("base-"):
                        cpu = [x.cpu_us / y.cpu_us for x, y in
                               zip(results[(system, qos)], results[(base, qos)])]
                        line += f"; CPU per message {three(cpu, '{:.2f}')}"
                    print(line)
    if latencies:
        print(f"\nLatency publish → Kafka acknowledgement (high watermark), QoS 1 at "
              f"{args.latency_rate} msg/s for {args.latency_seconds} s after {LATENCY_WARM_UP_S} s "
              "of warm-up, all runs pooled:\n")
        print("| system | p50 ms | p99 ms | p99.9 ms | max ms |")
        print("|---|---|---|---|---|")
        for name, values in latencies.items():
            values = sorted(values)

            def pct(p):
                return values[min(len(values) - 1, int(p * len(values)))] / 1000

            print(f"| {name} | {pct(0.5):.1f} | {pct(0.99):.1f} | {pct(0.999):.1f} | "
                  f"{values[-1] / 1000:.1f} |")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", default=str(REPO / "build"), help="the CMake build directory")
    p.add_argument("--messages", type=int, default=200000)
    p.add_argument("--devices", type=int, default=100)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--kafka", metavar="HOST:PORT", help="a real Kafka broker instead of "
                   "the embedded mock cluster (topics are created per run)")
    p.add_argument("--systems", help="comma-separated subset, e.g. drain,edgegw-on")
    p.add_argument("--qos", help="comma-separated subset of 1,0")
    p.add_argument("--latency-rate", type=int, default=5000)
    p.add_argument("--latency-seconds", type=float, default=10)
    p.add_argument("--no-latency", action="store_true")
    p.add_argument("--timeout", type=float, default=300, help="seconds per run")
    p.add_argument("--json", help="also write every run's figures to this file")
    p.add_argument("--keep", metavar="DIR", help="keep every run's logs and files in DIR")
    p.add_argument("--baseline-edgegw", metavar="BINARY", help="also run this edgegw "
                   "binary (as base-edgegw-off/on), alternating with the built one, and "
                   "print the ratios: a change's before and after in the same run")
    p.add_argument("--edgegw-wrapper", metavar="CMD", help="run edgegw under this command "
                   "to profile it, e.g. 'perf record -g -o FILE --' (its CPU figures then "
                   "include the wrapper's)")
    p.add_argument("--quick", action="store_true",
                   help="a check that the suite runs: 20000 messages, 1 run, 2 s latency")
    args = p.parse_args()
    if args.quick:
        args.messages, args.runs, args.latency_seconds = 20000, 1, 2
    if args.messages < 1 or args.runs < 1 or args.devices < 1:
        p.error("--messages, --runs and --devices must be at least 1")
    return args


def binaries(build):
    bins = {"edgegw": build / "gateway" / "edgegw",
            "fast_publisher": build / "bench" / "e2e" / "fast_publisher",
            "paho_counter": build / "bench" / "e2e" / "paho_counter"}
    missing = [str(b) for b in bins.values() if not b.exists()]
    if missing:
        raise BenchError("not built: " + ", ".join(missing) +
                         " (build the targets edgegw fast_publisher paho_counter)")
    return bins


def selected(args):
    names = set(args.systems.split(",")) if args.systems else None
    if args.baseline_edgegw and names is not None:
        names |= {f"base-{n}" for n in names if n.startswith("edgegw-")}
    qoss = {int(q) for q in args.qos.split(",")} if args.qos else None
    candidates = THROUGHPUT_SYSTEMS
    if args.baseline_edgegw:  # each edgegw system right after its baseline
        candidates = [c for n, q in THROUGHPUT_SYSTEMS
                      for c in ([(f"base-{n}", q)] if n.startswith("edgegw-") else []) + [(n, q)]]
    systems = [(n, q) for n, q in candidates
               if (names is None or n in names) and (qoss is None or q in qoss)]
    latency_candidates = LATENCY_SYSTEMS + (["base-edgegw-off", "base-edgegw-on"]
                                            if args.baseline_edgegw else [])
    latency = [] if args.no_latency else [n for n in latency_candidates
                                          if names is None or n in names]
    return systems, latency


def main():
    args = parse_args()
    try:
        bins = binaries(Path(args.build).resolve())
        bins["edgegw_wrapper"] = args.edgegw_wrapper
        if args.baseline_edgegw:
            bins["baseline"] = Path(args.baseline_edgegw).resolve()
            if not bins["baseline"].exists():
                raise BenchError(f"no baseline binary {args.baseline_edgegw}")
        systems, latency_systems = selected(args)
        results = {s: [] for s in systems}
        latencies = {n: [] for n in latency_systems}
        with contextlib.ExitStack() as stack:
            if args.keep:
                Path(args.keep).mkdir(parents=True, exist_ok=True)
                work = args.keep
            else:
                work = stack.enter_context(tempfile.TemporaryDirectory(prefix="edgegw-bench-"))
            for run in range(args.runs):
                # Rotated each round, so that a noisy stretch does not always hit one system.
                shift = run % max(1, len(systems))
                for name, qos in systems[shift:] + systems[:shift]:
                    r = run_throughput(name, qos, args, bins, Path(work))
                    results[(name, qos)].append(r)
                    print(f"run {run + 1}/{args.runs} {name} QoS {qos}: {r.rate:.0f} msg/s "
                          f"(publisher {r.publisher_rate:.0f}), {r.cpu_us:.1f} µs/msg, "
                          f"{r.peak_rss_mib:.1f} MiB, {r.disk_bytes:.0f} B/msg", flush=True)
                for name in latency_systems:
                    values = run_latency(name, args, bins, Path(work))
                    latencies[name].extend(values)
                    print(f"run {run + 1}/{args.runs} latency {name}: p50 "
                          f"{values[len(values) // 2] / 1000:.1f} ms", flush=True)
        print_tables(results, latencies, args)
        if args.json:
            Path(args.json).write_text(json.dumps(
                {f"{n} q{q}": [r.__dict__ for r in rs] for (n, q), rs in results.items()},
                indent=1))
    except BenchError as e:
        sys.exit(f"run_bench: {e}")


if __name__ == "__main__":
    main()
