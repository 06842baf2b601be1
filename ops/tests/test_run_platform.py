"""`run_platform` (what bin/start runs): the address is printed once the platform answers,
and two instances started together keep their own mail sink."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthz(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    except OSError as error:  # nothing listening yet
        return 0, {"error": str(error)}


class Instance:
    """One `run_platform` in its own process, its output read line by line."""

    def __init__(self, env: dict, port: int):
        self.port = port
        self.lines: list[str] = []
        self.running = threading.Event()
        self.process = subprocess.Popen(
            [sys.executable, MANAGE, "run_platform", "--port", str(port), "--web-workers", "1"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)
            if "is running at" in line:
                # What a newcomer does on reading it: open the address.
                self.health_when_announced = _healthz(self.port)
                self.running.set()

    def sink_port(self) -> int:
        # The line follows the announcement: the reader may not have reached it yet.
        deadline = time.monotonic() + 60
        while True:
            found = re.search(r"Mail sink: 127\.0\.0\.1:(\d+)", "".join(self.lines))
            if found or time.monotonic() > deadline:
                assert found, "".join(self.lines)
                return int(found.group(1))
            time.sleep(0.1)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def test_two_instances_started_together_answer_when_announced_each_with_its_own_sink(tmp_path):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'platform.sqlite3'}",
        VAR_DIR=str(tmp_path),
        EMAIL_PORT=str(_free_port()),  # both would like the same sink port
        DJANGO_SETTINGS_MODULE="entrevilles.settings",
    )
    for name in ("MAILBOX_DIR", "MAIL_SINK_IDENT", "TESTING"):
        env.pop(name, None)
    subprocess.run([sys.executable, MANAGE, "migrate", "-v", "0"], env=env, check=True)
    first = Instance(env, _free_port())
    second = Instance(env, _free_port())
    try:
        # A generous bound so that a broken start fails instead of hanging the suite.
        for instance in (first, second):
            assert instance.running.wait(600), "".join(instance.lines)
        for instance in (first, second):
            status, body = instance.health_when_announced
            assert status == 200, body
            assert body.get("mail_sink") == "up"
        assert first.sink_port() != second.sink_port()
    finally:
        first.stop()
        second.stop()
