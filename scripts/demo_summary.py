#!/usr/bin/env python3
"""The demo's periodic summary, a few lines instead of pages of JSON: the records the
gateway forwarded per stream (its /metrics), the open alerts by severity and the newest
alert transitions (the dashboard's /api/state).

  demo_summary.py GATEWAY_METRICS_URL DASHBOARD_URL [SECONDS_INTO_DEMO]
"""

import json
import re
import sys
import time
import urllib.request

NEWEST = 6  # alert lines shown


def fetch(url):
    with urllib.request.urlopen(url, timeout=3) as response:
        return response.read().decode()


def forwarded_per_stream(metrics_text):
    counts = {}
    for m in re.finditer(r'^edgegw_kafka_delivered_total\{[^}]*stream="([a-z_]+)"[^}]*\} (\S+)$',
                         metrics_text, re.M):
        counts[m.group(1)] = int(float(m.group(2)))
    return counts


def clock(ms):
    return time.strftime("%H:%M:%S", time.localtime(ms / 1000))


def raised_by(alert):
    origin, source = alert["origin"], alert["source"]
    return f"{origin} {source[len(origin) + 1:]}" if source.startswith(origin + ":") else f"{origin} {source}"


def main():
    metrics_url, dashboard_url = sys.argv[1], sys.argv[2].rstrip("/")
    elapsed = f" · {sys.argv[3]} s into the demo" if len(sys.argv) > 3 else ""
    print(f"\n=== {time.strftime('%H:%M:%S')}{elapsed} · dashboard: {dashboard_url}/ ===")
    try:
        counts = forwarded_per_stream(fetch(metrics_url))
        print("records in Kafka:  " + " · ".join(
            f"{stream.replace('_', '-')} {counts.get(stream, 0)}"
            for stream in ("telemetry", "aggregates", "alerts", "predictions", "dead_letter")))
    except OSError as e:
        print(f"records in Kafka:  (gateway metrics unavailable: {e})")
    try:
        state = json.loads(fetch(f"{dashboard_url}/api/state"))
    except OSError as e:
        print(f"dashboard unavailable: {e}")
        return
    kafka = state["status"]["kafka"]
    if not kafka["reachable"]:
        print(f"dashboard: Kafka unreachable since {clock(kafka['unreachable_since'])}")
    open_alerts = state["open_alerts"]
    by_severity = {s: sum(1 for a in open_alerts if a["severity"] == s)
                   for s in ("critical", "warning", "info")}
    print(f"open alerts:       {by_severity['critical']} critical · {by_severity['warning']} warning"
          f" · {by_severity['info']} info   ({len(state['history'])} cleared episodes so far)")
    # Newest transitions first: open ones by their last change, cleared ones by the clear.
    recent = sorted(open_alerts + state["history"],
                    key=lambda a: a["cleared"] or a["ts"], reverse=True)[:NEWEST]
    for a in recent:
        what = "cleared" if a["cleared"] else a["state"]
        print(f"  {clock(a['cleared'] or a['ts'])} {a['severity']:<8} {what:<7} "
              f"{a['device']:<16} {raised_by(a):<28} {a['message'][:70]}")


if __name__ == "__main__":
    main()
