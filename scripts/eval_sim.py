#!/usr/bin/env python3
"""Scores edgegw's anomaly detectors on firmware-sim's labelled output.

  scripts/eval_sim.py --edgegw BIN --dry-run out.tsv --labels labels.jsonl
                      [--config FILE] [--mappings FILE]
                      [--profile NAME | --per-class-profiles]
                      [--operating-state] [--work DIR] [--grace-s 60]

Generate the input with  edgegw-sim --dry-run out.tsv --dry-run-time --labels labels.jsonl
...  (default topic templates; without --dry-run-time the messages of bare-payload
devices are timed from their sequence numbers). The script maps the lines into samples
with the gateway's own mappings and validation (`edgegw test-mapping --messages`, the
example config's mappings by default: what the daemon dead-letters, analyze never
sees), runs `edgegw analyze` over all devices, and matches the alerts it raises against
the labels:

  * an alert of detector D on device X detects label L when it is raised while L's
    window [start, end + grace] is open on X (alerts are per device and detector, so a
    label is matched by device, not sensor). Detection delay = raised - start.
  * failure windows (state `fault`) and dropouts count as labelled windows too.
  * precision of D = raised alerts that fall in any labelled window / raised alerts;
    recall of (kind, D) = labels of that kind detected by D / labels of that kind;
    F1 combines the two (precision is per detector: a false alarm has no kind).
  * `(any)` scores the configuration as a whole: an alert of any of its detectors or
    rules. With --per-class-profiles each device class runs with the profile of its name
    (pump, motor, compressor, field), as the example gateway config maps them.

Python 3 standard library only. Prints a table; --json writes the figures.
"""
import argparse
import bisect
import collections
import json
import os
import statistics
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE_CONFIG = os.path.join(REPO, "config", "gateway.example.yaml")


class TickClock:
    """Event time of a bare-format tick from its seq, interpolated between the labels'
    rul anchors (bare payloads carry no timestamp)."""

    def __init__(self, anchors):
        self.anchors = {d: sorted(a) for d, a in anchors.items()}

    def time(self, device, seq):
        a = self.anchors.get(device)
        if not a:
            return None
        i = bisect.bisect_left(a, (seq, -1))
        if i < len(a) and a[i][0] == seq:
            return a[i][1]
        lo = a[max(i - 1, 0)]
        hi = a[min(i, len(a) - 1)]
        if hi[0] == lo[0]:
            step = 1000 if len(a) < 2 else (a[-1][1] - a[0][1]) / max(a[-1][0] - a[0][0], 1)
            return int(lo[1] + (seq - lo[0]) * step)
        return int(lo[1] + (seq - lo[0]) * (hi[1] - lo[1]) / (hi[0] - lo[0]))


def is_timed(dry_run):
    """Whether the dry run was written with --dry-run-time (time<TAB>topic<TAB>payload)."""
    with open(dry_run, encoding="utf-8", errors="replace") as f:
        first = f.readline().split("\t")
    return len(first) >= 3 and first[0].isdigit()


def map_messages(args, work, start_ms, timed):
    """The dry run's messages through the gateway's own mapping and validation
    (`edgegw test-mapping --messages`): returns the path of its samples."""
    mapped = os.path.join(work, "mapped.jsonl")
    cmd = [args.edgegw, "test-mapping", args.mappings, "--messages", args.dry_run]
    if timed:
        cmd += ["--timed"]
    elif start_ms is not None:
        cmd += ["--arrival-ms", str(start_ms)]
    with open(mapped, "w") as out:
        subprocess.run(cmd, check=True, timeout=3600, stdout=out)
    return mapped


def samples_from_mapped(path, clock, out, with_state):
    """Writes analyze's input from the mapped samples. A bare-format device sends its
    sequence number alone, then one reading per topic: those join one tick, stamped on
    arrival as the daemon stamps them. A dry run written with --dry-run-time has the
    arrival times (clock None); else the tick's time comes from its sequence number and
    the labels' anchors, which spread a dropout's gap over the ticks around it."""
    ticks = {}  # device -> [ts, readings] of its open bare tick
    written = 0

    def write(ts, device, readings):
        nonlocal written
        if not with_state:
            readings.pop("state", None)
        if ts is not None and readings:
            out.write(json.dumps({"timestamp": ts, "device": device, "readings": readings}) + "\n")
            written += 1

    with open(path) as f:
        for line in f:
            s = json.loads(line)
            device, readings = s["device"], s["readings"]
            if not readings and "sequence" in s:  # a bare tick starts
                if device in ticks:
                    ts, tick_readings = ticks.pop(device)
                    write(ts, device, tick_readings)
                ts = s["timestamp"]
                if clock is not None:
                    ts = clock.time(device, s["sequence"]) or ts
                ticks[device] = [ts, {}]
            elif device in ticks and "sequence" not in s:
                ticks[device][1].update(readings)
            else:
                write(s["timestamp"], device, dict(readings))
    for device, (ts, readings) in ticks.items():
        write(ts, device, readings)
    return written


def analyze(args, work, profile, rows):
    """Runs `edgegw analyze` over the sample rows; returns the alerts it raised."""
    name = profile or "default"
    samples = os.path.join(work, f"samples-{name}.jsonl")
    with open(samples, "w") as out:
        out.writelines(rows)
    alerts_path = os.path.join(work, f"alerts-{name}.jsonl")
    cmd = [args.edgegw, "analyze", "--input", samples, "--alerts", alerts_path]
    if args.config:
        cmd += ["--config", args.config]
    if profile:
        cmd += ["--profile", profile]
    subprocess.run(cmd, check=True, timeout=3600)
    with open(alerts_path) as f:
        return [json.loads(line) for line in f]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--edgegw", required=True)
    ap.add_argument("--dry-run", required=True)
    ap.add_argument("--labels", required=True)
    ap.add_argument("--config", help="gateway config for analyze (default: built-in defaults)")
    ap.add_argument("--mappings", help="gateway config whose mappings turn the messages into "
                    "samples (default: --config, else config/gateway.example.yaml)")
    ap.add_argument("--profile")
    ap.add_argument("--per-class-profiles", action="store_true",
                    help="analyze each device class with the profile of its name")
    ap.add_argument("--operating-state", action="store_true",
                    help="keep the reading `state` (the machine's operating state, as the "
                         "example config maps it: idle 0, running 1, fault 2)")
    ap.add_argument("--work")
    ap.add_argument("--grace-s", type=float, default=60.0)
    ap.add_argument("--json")
    args = ap.parse_args()
    args.mappings = args.mappings or args.config or EXAMPLE_CONFIG

    labels, anchors, start_ms = [], collections.defaultdict(list), None
    with open(args.labels) as f:
        for line in f:
            d = json.loads(line)
            if d["type"] == "run":
                start_ms = d["start_ms"]
            elif d["type"] == "anomaly":
                labels.append((d["device"], d["kind"], d["start_ms"], d["end_ms"]))
            elif d["type"] == "failure":
                labels.append((d["device"], "failure", d["ts_ms"], d["repaired_ms"]))
            elif d["type"] == "rul":
                anchors[d["device"]].append((d["seq"], d["ts_ms"]))

    work = args.work or tempfile.mkdtemp(prefix="eval_sim.")
    os.makedirs(work, exist_ok=True)
    # Event time is analyze's clock: the samples go in time order, as they would arrive.
    rows = []

    class Collect:
        @staticmethod
        def write(line):
            rows.append(line)

    timed = is_timed(args.dry_run)
    n = samples_from_mapped(map_messages(args, work, start_ms, timed),
                            None if timed else TickClock(anchors), Collect, args.operating_state)
    rows.sort(key=lambda line: json.loads(line)["timestamp"])
    groups = {None: rows}
    if args.per_class_profiles:
        groups = collections.defaultdict(list)
        for line in rows:
            groups[json.loads(line)["device"].split("-")[0]].append(line)
    raised = collections.defaultdict(list)  # detector -> [(device, ts)]
    for profile, group in groups.items():
        for a in analyze(args, work, profile or args.profile, group):
            if a["state"] == "raised":
                raised[a["source"]].append((a["device"], a["raised"]))
                raised["(any)"].append((a["device"], a["raised"]))
    grace = int(args.grace_s * 1000)
    windows = collections.defaultdict(list)
    for device, kind, start, end in labels:
        windows[device].append((start, end + grace))

    def in_any_window(device, t):
        return any(s <= t <= e for s, e in windows[device])

    kinds = sorted({k for _, k, _, _ in labels})
    result = {"samples": n, "labels": collections.Counter(k for _, k, _, _ in labels), "detectors": {}}
    print(f"samples={n} labels={sum(result['labels'].values())} grace_s={args.grace_s}")
    print(f"{'detector':14s} {'kind':20s} {'labels':>6s} {'recall':>7s} {'precision':>9s} {'F1':>6s} {'median_delay_s':>14s}")
    for det in sorted(raised):
        alerts = raised[det]
        tp_alerts = sum(1 for d, t in alerts if in_any_window(d, t))
        precision = tp_alerts / len(alerts) if alerts else 0.0
        per_kind = {}
        for kind in kinds:
            ls = [(d, s, e) for d, k, s, e in labels if k == kind]
            delays = []
            for d, s, e in ls:
                hits = [t - s for dd, t in alerts if dd == d and s <= t <= e + grace]
                if hits:
                    delays.append(min(hits) / 1000.0)
            recall = len(delays) / len(ls) if ls else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
            delay = statistics.median(delays) if delays else None
            per_kind[kind] = {"labels": len(ls), "recall": recall, "f1": f1, "median_delay_s": delay}
            print(f"{det:14s} {kind:20s} {len(ls):6d} {recall:7.2f} {precision:9.2f} {f1:6.2f} "
                  f"{'-' if delay is None else f'{delay:.1f}':>14s}")
        result["detectors"][det] = {"raised": len(alerts), "precision": precision, "kinds": per_kind}
        print(f"{det:14s} {'(raised ' + str(len(alerts)) + ')':20s}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
