"""Real ``assist-desktop serve`` replicas as subprocesses, and HAProxy in front of them.

The balancer runs the deployment's own ``packaging/deploy/haproxy.cfg``: only its bind address
(an environment variable) and its server lines (between the "replicas" markers) are the tests'.
A replica can be drained (SIGTERM), killed (SIGKILL) and started again on the same port.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
from servers.ports import free_port
from servers.processes import stop, wait_until

ROOT = Path(__file__).resolve().parents[2]
HAPROXY_CONFIG = ROOT / "packaging" / "deploy" / "haproxy.cfg"
_REPLICAS_BLOCK = re.compile(r"(    # replicas begin\n).*?(    # replicas end\n)", re.DOTALL)


def healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


class Replica:
    """One server process on a fixed free port (kept across restarts)."""

    def __init__(self, name: str, args: Sequence[str], token: str, log_dir: Path) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._args = list(args)
        self._env = {**os.environ, "ASSIST_SERVER_TOKEN": token, "PYTHONPATH": str(ROOT)}
        self._log_dir = log_dir
        self._starts = 0
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Replica:
        self._starts += 1
        log = open(self._log_dir / f"{self.name}-{self._starts}.log", "wb")  # noqa: SIM115
        command = [sys.executable, "-m", "desktop", "serve", "--port", str(self.port)]
        self.proc = subprocess.Popen(
            [*command, *self._args], cwd=ROOT, env=self._env, stdout=log, stderr=log
        )
        log.close()
        wait_until(lambda: healthy(self.url), self.proc, f"replica {self.name}")
        return self

    def drain(self) -> None:
        """SIGTERM: the replica drains and exits by itself."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)

    def wait(self, timeout: float) -> int:
        assert self.proc is not None
        return self.proc.wait(timeout)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait()

    def metrics(self) -> str:
        return httpx.get(f"{self.url}/metrics", timeout=5).text

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGINT)  # a second signal would stop at once
            stop(self.proc, grace=2)

    def log_text(self) -> str:
        return "".join(p.read_text(errors="replace") for p in self._log_dir.glob(f"{self.name}-*"))


def wait_draining(replica: Replica) -> None:
    """Until ``/healthz`` of a replica sent SIGTERM answers 503 (at once, within 5 s)."""
    deadline = time.monotonic() + 5
    while healthy(replica.url) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not healthy(replica.url)


def rolling_restart(replica: Replica) -> None:
    """One step of a rolling restart: drain (``/healthz`` turns 503 at once), exit, start again."""
    replica.drain()
    wait_draining(replica)
    replica.wait(30)
    replica.start()


class Balancer:
    """HAProxy on a free loopback port, with ``packaging/deploy/haproxy.cfg`` and our servers."""

    def __init__(self, replicas: Sequence[Replica], workdir: Path) -> None:
        binary = shutil.which("haproxy")
        if binary is None:
            raise RuntimeError("haproxy is not installed (scripts/bootstrap installs it)")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        servers = "".join(f"    server {r.name} 127.0.0.1:{r.port} check\n" for r in replicas)
        config = _REPLICAS_BLOCK.sub(
            lambda m: m.group(1) + servers + m.group(2), HAPROXY_CONFIG.read_text()
        )
        self.config = workdir / "haproxy.cfg"
        self.config.write_text(config)
        self._command = [binary, "-db", "-f", str(self.config)]
        self._env = {**os.environ, "ASSIST_BIND": f"127.0.0.1:{self.port}"}
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Balancer:
        self._proc = subprocess.Popen(
            self._command, env=self._env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_until(lambda: healthy(self.url), self._proc, "haproxy")
        return self

    def stop(self) -> None:
        if self._proc is not None:
            stop(self._proc)
