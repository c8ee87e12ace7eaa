#!/usr/bin/env python3
"""Scores edgegw's predictive-maintenance (RUL) alerts on firmware-sim's degradation runs.

  scripts/eval_sim_maintenance.py --edgegw BIN --sim BIN [--fleet config/fleet.maintenance.yaml]
        [--work DIR] [--train-seed 101] [--train-hours 72] [--test-seed 202] [--test-hours 72]
        [--kinds ridge,mlp] [--rul-cap 4] [--train-arg=--windows=5,15,30,60,90 ...]
        [--model FILE] [--horizon 1.0[,1.5...]] [--clear-margin 0.5] [--cadence 6]
        [--min-history 30] [--save-model models/pump-rul.json] [--json OUT]
        [--trend "indicator: vibration, spacing: 5min, points: 36"]

1. Training run: `edgegw-sim --dry-run` of the fleet (pumps, wear on, anomalies and bad
   payloads on) with --train-seed. Each pump message becomes a row of the generic training
   CSV `device,time,<sensors>,rul` that `edgegw train` reads, where the unit is one *life*
   of one pump (`pump-001#3`: a repair starts a new run-to-failure unit) and rul (hours)
   comes from the labels. The messages go through the gateway's own mappings and
   validation (`edgegw test-mapping --messages`, config/gateway.example.yaml): what it
   dead-letters, the models neither train on nor see.
2. `edgegw train --kind K --unit hours --rul-cap C` per kind (or --model: no training).
   --trend evaluates the trend estimator too (no training): its failure level is the
   median, over the training run's failures, of the indicator's mean in the 15 min before
   each (what an operator takes from the machine's history or its maker's alarm level).
3. Test run with --test-seed (a different fleet history), converted to the samples JSONL
   of `edgegw analyze` with plain device ids (at run time nobody knows the lives).
4. `edgegw analyze --config cfg.yaml --profile pump --alerts --predictions`, cfg.yaml
   holding one `analytics.maintenance` entry for the model; once per model and horizon.
5. Scores against the test labels:
   * lead time of each failure = failure time - raise time of the maintenance alert open at
     the failure (else of the latest one raised earlier in the same life); no alert raised
     in that life = missed (lead 0). Failures less than 2 x horizon after the run start
     are not scored (nobody could have warned a full horizon ahead).
   * false alert = raised while the true RUL exceeded 2 x horizon, or during a repair;
     reported per device-day of event time.
   * RUL RMSE and bias of the predictions where true RUL <= the model's rul_cap (and in
     the last 2 h of a life), and how often the true RUL is inside [rul_lower, rul_upper].

Python 3 standard library only. Prints a table; --json writes the figures. Every
subprocess is bounded by a timeout.
"""
import argparse
import bisect
import collections
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


# The pump's sensors, in the training CSV's column order.
SENSORS = ["flow", "pressure", "current", "bearing_temp", "vibration", "power"]
# The gateway config whose mappings (and valid ranges) turn messages into samples.
EXAMPLE_CONFIG = os.path.join(REPO, "config", "gateway.example.yaml")
FAULT = 2  # the reading `state` of a pump in its fault state, as the example maps it
HOUR_MS = 3.6e6


def run(cmd, timeout, log=None):
    """Runs a command with a time bound; its output goes to `log` (and its tail on failure)."""
    started = time.monotonic()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        sys.exit(f"timed out after {timeout} s: {' '.join(cmd)}")
    if log:
        with open(log, "w") as f:
            f.write(p.stdout)
    if p.returncode != 0:
        sys.stderr.write(p.stdout[-3000:])
        sys.exit(f"exit code {p.returncode}: {' '.join(cmd)}")
    return p.stdout, time.monotonic() - started


# ---------------------------------------------------------------------------- labels


class Lives:
    """Every pump's lives from the labels: [start, failure) running, [failure, repaired)
    in repair. The failure time of a life is exact even when it lies beyond the run:
    a `rul` label's ts_ms + rul_ms is it (docs/firmware-sim.md)."""

    def __init__(self, labels_path):
        self.run_start = None
        self.devices = {}      # device -> last_ts_ms
        failures = collections.defaultdict(dict)   # device -> life -> (fail, repaired)
        ends = collections.defaultdict(dict)       # device -> life -> fail time from rul
        self.anomalies = collections.defaultdict(list)  # device -> [(start, end)]
        with open(labels_path) as f:
            for line in f:
                d = json.loads(line)
                t = d["type"]
                if t == "run":
                    self.run_start = d["start_ms"]
                elif t == "failure":
                    failures[d["device"]][d["life"]] = (d["ts_ms"], d["repaired_ms"])
                elif t == "rul" and d["rul_ms"] > 0:
                    ends[d["device"]][d["life"]] = d["ts_ms"] + d["rul_ms"]
                elif t == "device":
                    self.devices[d["device"]] = d["last_ts_ms"]
                elif t == "anomaly":
                    self.anomalies[d["device"]].append((d["start_ms"], d["end_ms"]))
        self.run_end = max(self.devices.values())
        # device -> sorted list of (start, fail, repaired or None, life, ended in the run)
        self.lives = {}
        for device in self.devices:
            lives, start = [], self.run_start
            numbers = sorted(set(failures[device]) | set(ends[device]))
            for n in numbers:
                if n in failures[device]:
                    fail, repaired = failures[device][n]
                    lives.append((start, fail, repaired, n, True))
                    start = repaired
                else:  # the run ended during this life
                    lives.append((start, ends[device][n], None, n, False))
            self.lives[device] = lives
        self.starts = {d: [life[0] for life in lv] for d, lv in self.lives.items()}

    def at(self, device, t):
        """(life, true RUL in hours or None, in_repair) at event time t."""
        lives = self.lives.get(device, [])
        i = bisect.bisect_right(self.starts.get(device, []), t) - 1
        if i < 0:
            return None, None, False
        start, fail, repaired, n, _ = lives[i]
        if t < fail:
            return n, (fail - t) / HOUR_MS, False
        if repaired is not None and t < repaired:
            return n, 0.0, True
        return None, None, False  # after the last known life (run ended in a repair gap)

    def anomaly_near(self, device, t, before_ms):
        """Whether an injected anomaly (or dropout) was open in [t - before_ms, t]."""
        return any(s <= t and e >= t - before_ms for s, e in self.anomalies.get(device, []))

    def failures(self):
        """(device, life, life start, failure time) of every failure in the run."""
        for device, lives in sorted(self.lives.items()):
            for start, fail, _, n, ended in lives:
                if ended:
                    yield device, n, start, fail


# ------------------------------------------------------------------------- messages


def map_messages(args, tsv, start_ms, work, name):
    """The dry run's messages through the gateway's own mappings and validation
    (`edgegw test-mapping --messages`, arriving from the run's start); returns the path
    of the samples it wrote."""
    mapped = os.path.join(work, f"{name}-mapped.jsonl")
    cmd = [args.edgegw, "test-mapping", EXAMPLE_CONFIG, "--messages", tsv,
           "--arrival-ms", str(start_ms)]
    with open(mapped, "w") as out:
        try:
            subprocess.run(cmd, stdout=out, check=True, timeout=600)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
            sys.exit(f"{' '.join(cmd)}: {e}")
    return mapped


def pump_messages(mapped_path):
    """(device, ts_ms, state, readings) of every pump sample the gateway maps, with the
    readings it keeps (what it dead-letters, the models neither train on nor see)."""
    with open(mapped_path) as f:
        for line in f:
            sample = json.loads(line)
            if sample["mapping"] != "pumps":
                continue
            readings = {k: v for k, v in sample["readings"].items()
                        if k in SENSORS and v is not None}
            if readings:
                state = sample["readings"].get("state")
                yield sample["device"], sample["timestamp"], state, readings


def write_training_csv(mapped_path, lives, out_path):
    """Training rows: one per running message, unit = device#life, rul in hours. Repair
    (fault-state) rows belong to no life: a stopped pump is not a pump at RUL 0."""
    rows = lives_seen = 0
    seen = set()
    with open(out_path, "w") as out:
        out.write("device,time," + ",".join(SENSORS) + ",rul\n")
        for device, ts, state, readings in pump_messages(mapped_path):
            life, rul, in_repair = lives.at(device, ts)
            if state == FAULT or in_repair or rul is None:
                continue
            cells = ["" if readings.get(s) is None else repr(readings[s]) for s in SENSORS]
            out.write(f"{device}#{life},{ts},{','.join(cells)},{rul:.6f}\n")
            rows += 1
            if (device, life) not in seen:
                seen.add((device, life))
                lives_seen += 1
    return rows, lives_seen


def write_test_samples(mapped_path, out_path):
    """Samples JSONL for `edgegw analyze`, in arrival (time) order, plain device ids, every
    message the gateway maps (fault-state ones too: the pump mapping has no state field)."""
    rows, last = 0, None
    with open(out_path, "w") as out:
        for device, ts, _, readings in pump_messages(mapped_path):
            if last is not None and ts < last:
                sys.exit(f"{mapped_path}: messages are not in time order at ts {ts}")
            last = ts
            out.write(json.dumps({"timestamp": ts, "device": device, "readings": readings}) + "\n")
            rows += 1
    return rows


# ---------------------------------------------------------------------------- steps


def simulate(args, seed, hours, work, name):
    tsv = os.path.join(work, f"{name}.tsv")
    labels = os.path.join(work, f"{name}_labels.jsonl")
    cmd = [args.sim, "--fleet", args.fleet, "--seed", str(seed), "--dry-run", tsv,
           "--labels", labels, "--duration", str(int(hours * 3600))]
    out, _ = run(cmd, timeout=300)
    print(f"{name}: {out.strip().splitlines()[-1]}")
    return tsv, labels


def train(args, kind, train_csv, work):
    """Trains one model; returns (model file, seconds). Its log keeps train's figures."""
    path = os.path.join(work, f"pump-rul-{kind}.json")
    cmd = [args.edgegw, "train", "--data", train_csv, "--kind", kind, "--unit", "hours",
           "--rul-cap", str(args.rul_cap), "--name", "pump-rul", "--seed", str(args.seed),
           "--out", path] + args.train_arg
    _, seconds = run(cmd, timeout=args.train_timeout, log=os.path.join(work, f"train-{kind}.log"))
    return path, seconds


def failure_level(mapped_path, lives, indicator, window_ms=15 * 60 * 1000):
    """Median over the run's lives of the indicator's mean in the window before failure."""
    sums = collections.defaultdict(lambda: [0.0, 0])
    for device, ts, state, readings in pump_messages(mapped_path):
        life, rul, in_repair = lives.at(device, ts)
        v = readings.get(indicator)
        if v is None or rul is None or in_repair or state == FAULT or rul * HOUR_MS > window_ms:
            continue
        sums[(device, life)][0] += v
        sums[(device, life)][1] += 1
    return statistics.median(total / n for total, n in sums.values() if n)


def model_summary(path):
    if isinstance(path, dict):  # a trend: its settings are its summary
        return {"kind": "trend", "unit": "hours", "validation_rmse": None, **path}
    with open(path) as f:
        m = json.load(f)
    metrics = m.get("metrics", {})
    return {"kind": m.get("kind"), "rul_cap": m.get("rul_cap"), "unit": m.get("unit"),
            "sensors": m.get("features", {}).get("sensors"),
            "validation_rmse": metrics.get("validation_rmse"),
            "validation_rmse_degrading": metrics.get("validation_rmse_degrading"),
            "training_seconds": metrics.get("training_seconds"),
            "parameters": metrics.get("parameters"), "bytes": os.path.getsize(path),
            "band_sigma": m.get("band", {}).get("sigma")}


def analyze(args, model_path, samples, work, tag, horizon):
    """Runs `edgegw analyze` with the model as the pump class's maintenance model."""
    directory = os.path.join(work, f"analyze-{tag}")
    os.makedirs(directory, exist_ok=True)
    if isinstance(model_path, dict):  # a trend, no model file
        estimator = f"trend: {{ {model_path['trend']}, threshold: {model_path['threshold']:.4g} }}"
    else:
        shutil.copy(model_path, os.path.join(directory, "pump-rul.json"))
        estimator = "model_file: pump-rul.json"
    cfg = os.path.join(directory, "cfg.yaml")
    with open(cfg, "w") as f:  # model_file is relative to the config file's directory
        f.write("analytics:\n  maintenance:\n"
                f"    - {{ device_class: pump, {estimator}, horizon: {horizon},"
                f" clear_margin: {args.clear_margin}, cadence_samples: {args.cadence},"
                f" min_history: {args.min_history} }}\n")
    alerts = os.path.join(directory, "alerts.jsonl")
    predictions = os.path.join(directory, "predictions.jsonl")
    cmd = [args.edgegw, "analyze", "--input", samples, "--config", cfg, "--profile", "pump",
           "--alerts", alerts, "--predictions", predictions]
    _, seconds = run(cmd, timeout=args.analyze_timeout,
                     log=os.path.join(directory, "analyze.log"))
    return alerts, predictions, seconds


# ---------------------------------------------------------------------------- scoring


def read_maintenance_alerts(path):
    """device -> [(raised_ms, cleared_ms or None)], in raise order."""
    episodes = collections.defaultdict(list)
    with open(path) as f:
        for line in f:
            a = json.loads(line)
            if not str(a.get("source", "")).startswith("maintenance:"):
                continue
            if a["state"] == "raised":
                episodes[a["device"]].append([a.get("raised", a["ts"]), None])
            elif a["state"] == "cleared" and episodes[a["device"]]:
                episodes[a["device"]][-1][1] = a["ts"]
    return episodes


def score_lead_times(lives, episodes, horizon):
    """Lead time (hours) of every scorable failure; 0 for a missed one."""
    leads, missed, carried, cleared_early, unscored = [], 0, 0, 0, 0
    for device, _, start, fail in lives.failures():
        if fail - lives.run_start < 2 * horizon * HOUR_MS:
            unscored += 1
            continue
        eps = [e for e in episodes.get(device, []) if e[0] <= fail]
        open_at_fail = [e for e in eps if e[1] is None or e[1] > fail]
        in_life = [e for e in eps if e[0] >= start]
        if open_at_fail and open_at_fail[-1][0] >= start:
            leads.append((fail - open_at_fail[-1][0]) / HOUR_MS)
        elif in_life and not open_at_fail:
            cleared_early += 1  # warned, then the warning went away before the failure
            leads.append((fail - in_life[-1][0]) / HOUR_MS)
        else:
            carried += 1 if open_at_fail else 0  # open since an earlier life: no new warning
            missed += 1
            leads.append(0.0)
    return {"failures": len(leads), "unscored_failures": unscored, "missed": missed,
            "missed_open_since_earlier_life": carried, "cleared_before_failure": cleared_early,
            "lead_h_median": statistics.median(leads) if leads else None,
            "lead_h_min": min(leads) if leads else None,
            "lead_h_max": max(leads) if leads else None,
            "lead_h_all": sorted(round(x, 3) for x in leads)}


def score_false_alerts(lives, episodes, horizon):
    """False alerts, split by what they were: raised in a repair; `early` = raised at true
    RUL > 2 x horizon but held open until the failure it preceded, within the run (a
    premature warning of a real failure); `other` = cleared before the failure, or still
    open when the run ended first. `near_anomaly` counts the false ones with an injected
    anomaly open in the 15 min (the longest feature window) before the raise; the same
    fraction over the alerts that were not false is its base rate (anomalies are frequent)."""
    raised = false = in_repair_count = early = unknown = near_anomaly = near_true = 0
    for device, eps in episodes.items():
        for start, cleared in eps:
            raised += 1
            _, rul, in_repair = lives.at(device, start)
            near = lives.anomaly_near(device, start, 15 * 60 * 1000)
            if rul is None:
                unknown += 1
                continue
            if not in_repair and rul <= 2 * horizon:
                near_true += near
                continue
            false += 1
            near_anomaly += near
            in_repair_count += in_repair
            failure = start + rul * HOUR_MS
            held = cleared >= failure if cleared is not None else failure <= lives.run_end
            early += not in_repair and held
    days = (lives.run_end - lives.run_start) / (24 * HOUR_MS)
    device_days = len(lives.devices) * days
    return {"raised": raised, "false": false, "false_in_repair": in_repair_count,
            "false_early_held_to_failure": early,
            "false_other": false - in_repair_count - early,
            "false_near_anomaly": near_anomaly,
            "near_anomaly_fraction_of_true_alerts":
                near_true / (raised - false - unknown) if raised - false - unknown else None,
            "unknown_truth": unknown,
            "device_days": device_days,
            "false_per_device_day": false / device_days if device_days else None}


def score_predictions(lives, path, rul_cap):
    """RMSE, bias (predicted - true) and band coverage where the true RUL is known, not in
    repair, and <= rul_cap (above the cap the model is trained to say `cap`); RMSE and bias
    again over the last 2 hours of each life, where alerts are decided. `truth_sd_h` is
    the RMSE of the best constant guess: a model that saw no wear would score about it."""
    err, inside, err_end, truth = [], 0, [], []
    with open(path) as f:
        for line in f:
            p = json.loads(line)
            _, rul, in_repair = lives.at(p["device"], p["ts"])
            if rul is None or in_repair or rul > rul_cap:
                continue
            err.append(p["rul"] - rul)
            truth.append(rul)
            upper = math.inf if p["rul_upper"] is None else p["rul_upper"]  # null: unbounded
            inside += p["rul_lower"] <= rul <= upper
            if rul <= 2.0:
                err_end.append(p["rul"] - rul)

    def rmse(e):
        return math.sqrt(sum(x * x for x in e) / len(e)) if e else None

    return {"points": len(err), "rmse_h": rmse(err),
            "bias_h": statistics.fmean(err) if err else None,
            "band_coverage": inside / len(err) if err else None,
            "truth_sd_h": statistics.pstdev(truth) if truth else None,
            "points_last_2h": len(err_end), "rmse_h_last_2h": rmse(err_end),
            "bias_h_last_2h": statistics.fmean(err_end) if err_end else None}


def fmt(v, spec=".2f"):
    return "-" if v is None else format(v, spec)


# (header, width, figure of one result) of the printed table, in hours unless named.
COLUMNS = [
    ("val_rmse", 8, lambda r: fmt(r["model"]["validation_rmse"])),
    ("failures", 8, lambda r: str(r["lead"]["failures"])),
    ("missed", 6, lambda r: str(r["lead"]["missed"])),
    ("lead_med", 8, lambda r: fmt(r["lead"]["lead_h_median"])),
    ("lead_min", 8, lambda r: fmt(r["lead"]["lead_h_min"])),
    ("lead_max", 8, lambda r: fmt(r["lead"]["lead_h_max"])),
    ("raised", 6, lambda r: str(r["false_alerts"]["raised"])),
    ("false", 5, lambda r: str(r["false_alerts"]["false"])),
    ("false/dev-day", 13, lambda r: fmt(r["false_alerts"]["false_per_device_day"], ".3f")),
    ("early/other/rep", 15, lambda r: "{false_early_held_to_failure}/{false_other}/"
                                      "{false_in_repair}".format(**r["false_alerts"])),
    ("rmse<=cap", 9, lambda r: fmt(r["predictions"]["rmse_h"])),
    ("const_rmse", 10, lambda r: fmt(r["predictions"]["truth_sd_h"])),
    ("rmse<=2h", 8, lambda r: fmt(r["predictions"]["rmse_h_last_2h"])),
    ("bias<=2h", 8, lambda r: fmt(r["predictions"]["bias_h_last_2h"])),
    ("coverage", 8, lambda r: fmt(r["predictions"]["band_coverage"])),
]


def print_table(results):
    print("\nlead = failure - raise of the alert open at it; false = raised at true RUL > "
          "2 x horizon (early: held open to the failure) or in a repair (rep)")
    print(f"{'model@horizon':14s} " + " ".join(f"{h:>{w}s}" for h, w, _ in COLUMNS))
    for tag, r in results.items():
        print(f"{tag:14s} " + " ".join(f"{get(r):>{w}s}" for _, w, get in COLUMNS))


# ---------------------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--edgegw", required=True)
    ap.add_argument("--sim", required=True)
    ap.add_argument("--fleet", default=os.path.join(REPO, "config", "fleet.maintenance.yaml"))
    ap.add_argument("--work", help="keep the intermediate files here (default: a temp dir)")
    ap.add_argument("--train-seed", type=int, default=101)
    ap.add_argument("--train-hours", type=float, default=72)
    ap.add_argument("--test-seed", type=int, default=202)
    ap.add_argument("--test-hours", type=float, default=72)
    ap.add_argument("--kinds", default="ridge,mlp", help="comma separated: ridge, mlp")
    ap.add_argument("--rul-cap", type=float, default=4.0, help="hours")
    ap.add_argument("--seed", type=int, default=42, help="training seed")
    ap.add_argument("--train-arg", action="append", default=[],
                    help="extra `edgegw train` argument, e.g. --train-arg=--windows=5,15,30")
    ap.add_argument("--model", help="evaluate this model file instead of training")
    ap.add_argument("--horizon", default="1.0",
                    help="hours; a comma separated list scores each (analyze is cheap)")
    ap.add_argument("--clear-margin", type=float, default=0.5, help="hours")
    ap.add_argument("--cadence", type=int, default=6, help="predict every N samples")
    ap.add_argument("--min-history", type=int, default=30)
    ap.add_argument("--train-timeout", type=float, default=900)
    ap.add_argument("--analyze-timeout", type=float, default=600)
    ap.add_argument("--save-model", help="copy the (first) trained model here")
    ap.add_argument("--json")
    ap.add_argument("--trend", help="also evaluate a trend estimator: the `trend:` keys of "
                    "the config but `threshold`, e.g. 'indicator: vibration, spacing: 5min'")
    args = ap.parse_args()
    horizons = [float(h) for h in args.horizon.split(",")]
    if args.train_seed == args.test_seed:
        sys.exit("--train-seed and --test-seed must differ: the test run must be unseen")
    started = time.monotonic()
    work = args.work or tempfile.mkdtemp(prefix="eval_sim_maintenance.")
    os.makedirs(work, exist_ok=True)

    models = {}
    if args.model:
        models["model"] = args.model
    if args.trend or not args.model:
        tsv, labels = simulate(args, args.train_seed, args.train_hours, work, "train")
        train_lives = Lives(labels)
        mapped = map_messages(args, tsv, train_lives.run_start, work, "train")
        os.remove(tsv)  # 150 MB for 72 h; the mapped samples hold what training needs
    if args.trend:
        indicator = args.trend.split("indicator:")[1].split(",")[0].strip()
        level = failure_level(mapped, train_lives, indicator)
        print(f"trend: failure level of {indicator} from the training run: {level:.4g}")
        models["trend"] = {"trend": args.trend, "threshold": level, "rul_cap": args.rul_cap}
    if not args.model:
        train_csv = os.path.join(work, "train.csv")
        rows, units = write_training_csv(mapped, train_lives, train_csv)
        print(f"train.csv: rows={rows} units(lives)={units}")
        for kind in [k for k in args.kinds.split(",") if k]:
            models[kind], seconds = train(args, kind, train_csv, work)
            print(f"trained {kind} in {seconds:.0f} s: {models[kind]}")
        if args.save_model:
            shutil.copy(models[args.kinds.split(",")[0]], args.save_model)
    if args.trend or not args.model:
        os.remove(mapped)

    tsv, labels = simulate(args, args.test_seed, args.test_hours, work, "test")
    samples = os.path.join(work, "test.jsonl")
    lives = Lives(labels)
    mapped = map_messages(args, tsv, lives.run_start, work, "test")
    os.remove(tsv)
    n = write_test_samples(mapped, samples)
    os.remove(mapped)
    print(f"test.jsonl: samples={n} devices={len(lives.devices)} "
          f"failures={sum(1 for _ in lives.failures())}")

    results = {}
    for kind, path in models.items():
        summary = model_summary(path)
        for horizon in horizons:
            tag = f"{kind}@{horizon:g}h"
            alerts, predictions, seconds = analyze(args, path, samples, work, tag, horizon)
            episodes = read_maintenance_alerts(alerts)
            results[tag] = {
                "model": summary, "horizon": horizon, "analyze_seconds": seconds,
                "lead": score_lead_times(lives, episodes, horizon),
                "false_alerts": score_false_alerts(lives, episodes, horizon),
                "predictions": score_predictions(lives, predictions, summary["rul_cap"]),
            }
    print_table(results)
    for tag, r in results.items():
        print(f"{tag}: lead times (h) {r['lead']['lead_h_all']}")
    total = time.monotonic() - started
    print(f"work={work} seconds={total:.0f}")
    if args.json:
        settings = {k: getattr(args, k) for k in ("fleet", "train_seed", "train_hours", "test_seed",
                                                  "test_hours", "rul_cap", "seed", "train_arg",
                                                  "horizon", "clear_margin", "cadence",
                                                  "min_history")}
        fleet = os.path.abspath(args.fleet)  # no absolute path of this machine in the output
        settings["fleet"] = os.path.relpath(fleet, REPO) if fleet.startswith(REPO + os.sep) \
            else os.path.basename(fleet)
        with open(args.json, "w") as f:
            json.dump({"settings": settings, "results": results, "seconds": total}, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
