#!/usr/bin/env python3
"""The Prometheus rules and the Grafana dashboard of config/monitoring/ against the
gateway's own metrics: both files parse, every rule says its severity and what to do,
and every edgegw_* metric they name is one that /metrics exports (a renamed metric
would otherwise leave an alert that never fires).

    check_monitoring.py EDGEGW_BINARY MONITORING_DIR
"""
import json
import re
import subprocess
import sys

import yaml

HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


def exported_metrics(binary):
    table = subprocess.run([binary, "metrics-reference"], capture_output=True, text=True,
                           check=True).stdout
    return set(re.findall(r"^\| `(edgegw_\w+)`", table, re.M))


def named_metrics(text):
    names = set()
    for name in re.findall(r"\bedgegw_\w+", text):
        for suffix in HISTOGRAM_SUFFIXES:
            if name.endswith(suffix):
                name = name[: -len(suffix)]
        names.add(name)
    return names


def check_rules(path):
    problems = []
    rules = yaml.safe_load(open(path))
    count = 0
    for group in rules["groups"]:
        for rule in group["rules"]:
            count += 1
            name = rule.get("alert", "?")
            if not rule.get("expr"):
                problems.append(f"{path}: {name}: no expr")
            if rule.get("labels", {}).get("severity") not in ("warning", "critical"):
                problems.append(f"{path}: {name}: severity must be warning or critical")
            annotations = rule.get("annotations", {})
            if not annotations.get("summary") or not annotations.get("description"):
                problems.append(f"{path}: {name}: needs a summary and a description")
    if count == 0:
        problems.append(f"{path}: no rules")
    return problems


def check_dashboard(path):
    problems = []
    dashboard = json.load(open(path))
    ids = [panel["id"] for panel in dashboard["panels"]]
    if len(ids) != len(set(ids)):
        problems.append(f"{path}: panel ids repeat")
    for panel in dashboard["panels"]:
        if not panel.get("targets") or not all(t.get("expr") for t in panel["targets"]):
            problems.append(f"{path}: panel '{panel['title']}' has a target without a query")
    return problems


def main():
    binary, directory = sys.argv[1], sys.argv[2]
    rules_path = f"{directory}/edgegw.rules.yaml"
    dashboard_path = f"{directory}/edgegw.grafana.json"
    problems = check_rules(rules_path) + check_dashboard(dashboard_path)
    exported = exported_metrics(binary)
    if not exported:
        problems.append("metrics-reference listed no metrics")
    for path in (rules_path, dashboard_path):
        for name in sorted(named_metrics(open(path).read()) - exported):
            problems.append(f"{path}: {name} is not a metric edgegw exports")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"check_monitoring: ok ({len(exported)} metrics exported)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
