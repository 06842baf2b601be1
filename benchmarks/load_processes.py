"""The processes of the load benchmark (benchmarks/load.py): its own PostgreSQL cluster, the
platform (gunicorn and the worker) and wrk, with the CPU each one uses."""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import directory  # the directory benchmark's generator (benchmarks/ is on the path: load.py)

BASE_DIR = directory.BASE_DIR


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_root(command: list[str]) -> list[str]:
    return command if os.geteuid() == 0 else ["sudo", *command]


def ensure_wrk() -> str:
    """wrk from Debian, installed the way bin/bootstrap installs chromium."""
    found = shutil.which("wrk")
    if found:
        return found
    print("-> installing Debian's wrk (the load generator)")
    install = as_root(["apt-get", "install", "-y", "-qq", "wrk"])
    if subprocess.run(install, capture_output=True, check=False).returncode:  # noqa: S603
        subprocess.run(as_root(["apt-get", "update", "-qq"]), check=True)  # noqa: S603
        subprocess.run(install, check=True, capture_output=True)  # noqa: S603
    return shutil.which("wrk") or sys.exit("wrk could not be installed.")


class PostgresCluster:
    """A PostgreSQL cluster of the benchmark's own, as the CI starts one."""

    def __init__(self, folder: Path):
        binaries = sorted(
            Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name)
        )
        if not binaries:
            sys.exit("PostgreSQL is not installed (Debian's postgresql package).")
        self.bin = binaries[-1]
        self.folder = folder
        self.port = free_port()
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")

    def pg(self, tool: str, *arguments: str) -> None:
        subprocess.run(  # noqa: S603 - PostgreSQL's own tools
            [*self.run_as, str(self.bin / tool), *arguments], check=True, stdout=subprocess.DEVNULL
        )

    def start(self) -> str:
        data = self.folder / "data"
        if not data.exists():
            self.pg(
                "initdb", "-D", str(data), "-U", "entrevilles", "--auth=trust", "-E", "UTF8",
                "--locale=C.UTF-8",
            )  # fmt: skip
        self.pg(
            "pg_ctl", "-D", str(data), "-l", str(self.folder / "log"), "-w", "-o",
            f"-h 127.0.0.1 -p {self.port} -k {self.folder} -F -c shared_buffers=512MB",
            "start",
        )  # fmt: skip
        return f"postgres://entrevilles@127.0.0.1:{self.port}/postgres"

    def pids(self) -> list[int]:
        """The server and its backends: their CPU time is the database's share of a page."""
        try:
            master = int((self.folder / "data" / "postmaster.pid").read_text().split()[0])
            children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        except (OSError, ValueError, IndexError):
            return []
        return [master, *(int(pid) for pid in children)]

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.pg("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "stop")


LUA_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'LOAD {"requests": %d, "seconds": %.3f, "p50": %.3f, "p95": %.3f, "p99": %.3f, '
    .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def lua_mixed(paths: list[tuple[str, str | None, int]]) -> str:
    """wrk picks one path per request, each as often as its weight."""
    entries = []
    for path, cookie, weight in paths:
        header = f'{{["Cookie"] = "{cookie}"}}' if cookie else "nil"
        entries += [f'{{"{path}", {header}}}'] * weight
    return (
        "local paths = {\n  " + ",\n  ".join(entries) + "\n}\n"
        "local seeded = false\n"
        "request = function()\n"
        "  if not seeded then math.randomseed(os.time() + math.floor(os.clock() * 1e6)); "
        "seeded = true end\n"
        "  local chosen = paths[math.random(#paths)]\n"
        '  return wrk.format("GET", chosen[1], chosen[2])\n'
        "end\n" + LUA_REPORT
    )


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User and system CPU time of each process so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return used


def run_wrk(wrk, url, script: Path, duration, connections, cookie=None, server=None) -> dict:
    command = [
        wrk,
        f"--threads={min(2, connections)}",
        f"--connections={connections}",
        f"--duration={duration}s",
        "--timeout=10s",
        f"--script={script}",
        "--header=Accept-Language: en",
    ]
    if cookie:
        command.append(f"--header=Cookie: {cookie}")
    pids = server.worker_pids() if server else []
    before = cpu_seconds(pids)
    result = subprocess.run(  # noqa: S603 - Debian's wrk, our arguments
        [*command, url], capture_output=True, text=True, check=False
    )
    after = cpu_seconds(pids)
    cpu = sum(after[pid] - before[pid] for pid in before if pid in after)
    for line in result.stdout.splitlines():
        if line.startswith("LOAD "):
            figures = json.loads(line[5:])
            figures["rate"] = figures["requests"] / figures["seconds"]
            # Requests per second of the web workers' own CPU: unlike the wall clock, it
            # does not depend on what else runs on the machine.
            figures["cpu_rate"] = figures["requests"] / cpu if cpu > 0 else 0.0
            figures["errors"] = sum(
                figures[key] for key in ("connect", "read", "write", "status", "timeout")
            )
            return figures
    sys.exit(f"wrk gave no figures:\n{result.stdout}\n{result.stderr}")


def check(base: str, path: str, cookie: str | None) -> int:
    headers = {"Cookie": cookie} if cookie else {}
    request = urllib.request.Request(base + path, headers=headers)  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return 0  # not listening yet


class Platform:
    """gunicorn (2 sync workers) and the background worker, production settings."""

    def __init__(self, env: dict, port: int, log: Path, database=None):
        self.port = port
        self.database = database  # a PostgresCluster, whose CPU time counts too
        self.log = log.open("w")
        python = sys.executable
        self.children = [
            subprocess.Popen(  # noqa: S603 - our own commands
                command, env=env, cwd=BASE_DIR, stdout=self.log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            for command in (
                [python, "manage.py", "run_worker"],
                [
                    python, "-m", "gunicorn", "entrevilles.wsgi:application",
                    "--bind", f"127.0.0.1:{port}", "--workers", "2",
                    "--chdir", str(BASE_DIR), "--no-control-socket",
                ],
            )
        ]  # fmt: skip

    def wait(self) -> None:
        deadline = time.monotonic() + 180
        while check(f"http://127.0.0.1:{self.port}", "/healthz", None) != 200:
            if time.monotonic() > deadline or any(c.poll() is not None for c in self.children):
                self.stop()
                sys.exit(f"The platform did not answer on /healthz; see {self.log.name}")
            time.sleep(1)

    def worker_pids(self) -> list[int]:
        """gunicorn's workers (the children of its master process), and PostgreSQL's
        processes when it is the database (SQLite runs inside the workers)."""
        master = self.children[1].pid
        try:
            children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        except OSError:
            return []
        return [int(pid) for pid in children] + (self.database.pids() if self.database else [])

    def stop(self) -> None:
        for child in self.children:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        for child in self.children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)


def wait_for_background_tasks(limit: int = 600) -> None:
    """Let the worker finish what the data set's generation queued (indexing, fan-out),
    so that it does not take the web workers' cores during the measures."""
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + limit
    while (ready := DBTaskResult.objects.ready().count()) and time.monotonic() < deadline:
        print(f"  waiting for the worker: {ready} background tasks ready", flush=True)
        time.sleep(10)
    if ready:
        print(f"  {ready} background tasks still ready; measuring anyway.")
