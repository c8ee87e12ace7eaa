#!/usr/bin/env python3
"""End-to-end check of the alerts dashboard in a real headless Chromium.

Brings up on loopback: a private mosquitto, the embedded Kafka (`edgegw mock-kafka
--control`), a gateway with a threshold rule, the dashboard, and the simulator's fleet.
Then, driving Chromium with Selenium, it checks that
  1. an alert raised by crafted telemetry (a pump's bearing over the rule's threshold)
     appears in the page's open alerts, live, with its device link and evidence;
  2. the device view shows the device's sensor charts;
  3. a restarted dashboard shows the open alert again (rebuilt from Kafka's retention);
  4. the alert leaves the open list, and enters the recent episodes, when it clears;
  5. "Kafka unreachable since ..." shows while the brokers are down, and goes when they
     are back.
With --screenshots DIR it also saves PNGs of the page to DIR.

  check_dashboard.py --edgegw build/gateway/edgegw --sim build/firmware-sim/edgegw-sim \
      --source-dir . [--screenshots docs/images] [--timeout 240]

Every process it starts is stopped on the way out; the whole run is bounded by --timeout.
EDGEGW_KEEP_TEST_DIRS=1 keeps its directory (configs, logs) for a post-mortem.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By

DEVICE = "pump-e2e"
SITE = "e2e"
GATEWAY = "e2e-gw"

GATEWAY_CONFIG = """
gateway:
  id: {gateway}
mqtt:
  broker: tcp://127.0.0.1:{mqtt_port}
  client_id: {gateway}
  subscriptions: ["factory/#"]
mappings:
  - name: pumps
    topic: "factory/{{site}}/pump/{{device}}/telemetry"
    format: json
    tags: [site]
    sequence: seq
    timestamp: {{ field: ts, format: milliseconds }}
    analytics_profile: pump
    forward: both              # the dashboard charts the aggregates
    sensors:
      - {{ name: flow, field: metrics.flow.value, unit: m3/h, min: 0, max: 150 }}
      - {{ name: pressure, field: metrics.pressure, unit: bar, min: 0, max: 16 }}
      - {{ name: bearing_temp, field: metrics.bearing_temp.value, unit: degC, min: -40, max: 150 }}
kafka:
  bootstrap_servers: {bootstrap}
buffer:
  directory: {buffer}
  fsync: never
analytics:
  enabled: true
  window: 2s
  allowed_lateness: 1s
  profiles:
    pump:
      rules:
        - {{ name: bearing_overheat, when: "bearing_temp > 90", for: 2s, clear: 85, severity: critical }}
http:
  listen: 127.0.0.1:{http_port}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(what, predicate, timeout, interval=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception:  # the page or a peer not there yet: try again
            pass
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def wait_for_port(port, timeout):
    def is_open():
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    wait_until(f"127.0.0.1:{port} to listen", is_open, timeout)


class Stack:
    """The processes of the test, stopped newest first."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.processes = []

    def start(self, name, args, stdin=None, env=None):
        log = open(self.workdir / f"{name}.log", "wb")
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=stdin,
                                env=env, start_new_session=True)
        self.processes.append((name, proc))
        return proc

    def stop(self):
        for name, proc in reversed(self.processes):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        self.processes.clear()

    def stop_one(self, proc):
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)
        self.processes = [(n, p) for n, p in self.processes if p is not proc]

    def check_alive(self):
        for name, proc in self.processes:
            if proc.poll() is not None and name != "telemetry":
                raise AssertionError(f"{name} exited with {proc.returncode}; see {name}.log")


class Telemetry:
    """Publishes one pump's telemetry every 200 ms through mosquitto_pub -l; the bearing
    temperature is whatever `bearing_temp` holds at the time."""

    def __init__(self, stack, mqtt_port):
        self.bearing_temp = 70.0
        self.seq = 0
        self.proc = stack.start(
            "telemetry",
            ["mosquitto_pub", "-h", "127.0.0.1", "-p", str(mqtt_port), "-q", "1", "-l",
             "-t", f"factory/{SITE}/pump/{DEVICE}/telemetry"],
            stdin=subprocess.PIPE)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stopping.is_set():
            self.seq += 1
            payload = {"seq": self.seq, "ts": int(time.time() * 1000),
                       "metrics": {"flow": {"value": 48.0 + (self.seq % 5) * 0.3},
                                   "pressure": 6.1,
                                   "bearing_temp": {"value": self.bearing_temp}}}
            try:
                self.proc.stdin.write((json.dumps(payload) + "\n").encode())
                self.proc.stdin.flush()
            except (BrokenPipeError, ValueError):
                return
            time.sleep(0.2)

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=5)
        try:
            self.proc.stdin.close()
        except (BrokenPipeError, ValueError):
            pass


def open_browser(workdir):
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--hide-scrollbars",
                f"--user-data-dir={workdir / 'chromium-profile'}",
                "--no-first-run", "--disable-extensions", "--disable-background-networking"):
        options.add_argument(arg)
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver",
                      log_path=str(workdir / "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    return driver


def open_rows(driver):
    return [row for row in driver.find_elements(By.CSS_SELECTOR, "#open-alerts tr.alert-row")
            if f"{GATEWAY}/{DEVICE}/" in row.get_attribute("data-alert-key")]


def history_rows(driver):
    return [row for row in driver.find_elements(By.CSS_SELECTOR, "#history tr.history-row")
            if f"{GATEWAY}/{DEVICE}/" in row.get_attribute("data-alert-key")]


def screenshot(driver, directory, name):
    if directory is None:
        return
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    driver.save_screenshot(str(path))
    print(f"check_dashboard: screenshot {path} ({path.stat().st_size // 1024} KiB)")


def run(args, workdir):
    stack = Stack(workdir)
    driver = None
    telemetry = None
    try:
        mqtt_port, http_port, dash_port = free_port(), free_port(), free_port()
        (workdir / "mosquitto.conf").write_text(
            f"listener {mqtt_port} 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n"
            "persistence false\n")
        stack.start("mosquitto", ["/usr/sbin/mosquitto", "-c", str(workdir / "mosquitto.conf")])
        wait_for_port(mqtt_port, 10)

        bootstrap_file = workdir / "bootstrap"
        kafka = stack.start("kafka", [args.edgegw, "mock-kafka", "--partitions", "3",
                                      "--bootstrap-file", str(bootstrap_file), "--control"],
                            stdin=subprocess.PIPE)
        wait_until("the embedded Kafka", lambda: bootstrap_file.read_text().strip(), 15)
        bootstrap = bootstrap_file.read_text().strip()

        config = workdir / "gateway.yaml"
        config.write_text(GATEWAY_CONFIG.format(gateway=GATEWAY, mqtt_port=mqtt_port,
                                                bootstrap=bootstrap, buffer=workdir / "buffer",
                                                http_port=http_port))
        stack.start("gateway", [args.edgegw, "run", str(config)])
        wait_until("the gateway to be ready", lambda: urllib.request.urlopen(
            f"http://127.0.0.1:{http_port}/readyz", timeout=2).status == 200, 30)

        # The embedded Kafka lets a departed member's partitions go only when its session
        # times out (45 s by default), so the restart below uses a short session.
        (workdir / "dashboard.yaml").write_text(
            "kafka:\n  properties:\n    session.timeout.ms: 6000\n"
            "    heartbeat.interval.ms: 1000\n")
        dashboard_args = [args.edgegw, "dashboard", "--config", str(workdir / "dashboard.yaml"),
                          "--brokers", bootstrap, "--listen", f"127.0.0.1:{dash_port}",
                          "--group", f"e2e-{os.getpid()}"]
        dashboard = stack.start("dashboard", dashboard_args)
        wait_for_port(dash_port, 15)

        stack.start("sim", [args.sim, "--fleet", str(args.source_dir / "config/fleet.example.yaml"),
                            "--broker", f"tcp://127.0.0.1:{mqtt_port}"])
        telemetry = Telemetry(stack, mqtt_port)

        driver = open_browser(workdir)
        driver.get(f"http://127.0.0.1:{dash_port}/")
        wait_until("the page to load its state",
                   lambda: "connected" in driver.find_element(By.ID, "kafka-status").text, 30)

        # 1. Over the threshold for longer than the rule's 2 s: raised, and shown live.
        telemetry.bearing_temp = 97.5
        wait_until("the alert on the page", lambda: len(open_rows(driver)) == 1, 60)
        text = open_rows(driver)[0].text
        for expected in ("critical", DEVICE, "rule bearing_overheat", "bearing_temp 97.5"):
            assert expected in text, f"the open alert row lacks '{expected}': {text!r}"
        print(f"check_dashboard: alert shown: {text!r}")
        wait_until("the device's first aggregates", lambda: json.loads(urllib.request.urlopen(
            f"http://127.0.0.1:{dash_port}/api/state?device={DEVICE}", timeout=2).read())
            ["devices"][0]["charts"], 30)
        time.sleep(5)  # a few more aggregate windows for the charts
        screenshot(driver, args.screenshots, "dashboard.png")

        # 2. The alert links to its device: charts of its sensors.
        def click_device_link():  # the page re-renders rows as events arrive: find it afresh
            open_rows(driver)[0].find_element(By.CSS_SELECTOR, "a.device-link").click()
            return True
        wait_until("a click on the alert's device link", click_device_link, 10)
        wait_until("the device view's charts", lambda: driver.find_element(
            By.ID, "device-view").is_displayed() and len(driver.find_elements(
                By.CSS_SELECTOR, "#charts canvas")) >= 3, 30)
        assert DEVICE in driver.find_element(By.ID, "device-title").text
        assert "critical" in driver.find_element(By.ID, "device-facts").text
        screenshot(driver, args.screenshots, "dashboard-device.png")
        # 3. A restarted dashboard (same group, offsets committed) shows the open alert
        #    again: it rebuilds its state from what Kafka retains.
        stack.stop_one(dashboard)
        dashboard = stack.start("dashboard-restarted", dashboard_args)
        wait_for_port(dash_port, 15)
        driver.get(f"http://127.0.0.1:{dash_port}/?after-restart#/")  # a new page, not a hash
        wait_until("the open alert after a restart", lambda: len(open_rows(driver)) == 1, 45)

        # 4. Back under the clear level: cleared, gone from the open list, in the history.
        telemetry.bearing_temp = 70.0
        wait_until("the alert to leave the open list", lambda: len(open_rows(driver)) == 0, 60)
        wait_until("the episode in the history", lambda: len(history_rows(driver)) == 1, 15)
        print(f"check_dashboard: cleared; history row: {history_rows(driver)[0].text!r}")

        # 5. Kafka goes away and comes back: the page says so, and the dashboard carries on.
        kafka.stdin.write(b"down\n")
        kafka.stdin.flush()
        wait_until("'Kafka unreachable since' on the page", lambda: "Kafka unreachable since"
                   in driver.find_element(By.ID, "kafka-status").text, 60)
        screenshot(driver, args.screenshots, "dashboard-kafka-down.png")
        kafka.stdin.write(b"up\n")
        kafka.stdin.flush()
        wait_until("'Kafka connected' again", lambda: "Kafka connected"
                   in driver.find_element(By.ID, "kafka-status").text, 60)
        stack.check_alive()
        print("check_dashboard: PASS")
    finally:
        if telemetry is not None:
            telemetry.stop()
        if driver is not None:
            driver.quit()
        stack.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edgegw", required=True)
    parser.add_argument("--sim", required=True)
    parser.add_argument("--source-dir", required=True, type=Path)
    parser.add_argument("--screenshots", type=Path, help="save PNGs of the page here")
    parser.add_argument("--timeout", type=float, default=240, help="bound of the whole run (s)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="edgegw-dashboard-"))
    # The whole run is bounded: past the timeout, SIGALRM raises in the main thread and
    # the finally blocks stop everything.
    def on_alarm(signum, frame):
        raise TimeoutError(f"the check took longer than {args.timeout:.0f} s")
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(args.timeout))
    ok = False
    try:
        run(args, workdir)
        ok = True
    except (AssertionError, TimeoutError, WebDriverException) as e:
        print(f"check_dashboard: FAIL: {e} (logs in {workdir})", file=sys.stderr)
    finally:
        signal.alarm(0)
        if ok and os.environ.get("EDGEGW_KEEP_TEST_DIRS") != "1":
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
