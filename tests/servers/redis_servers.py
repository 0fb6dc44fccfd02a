"""Real redis-server processes on free loopback ports: one server, or a 3-master Redis Cluster.

A :class:`RedisServer` can be restarted on the same port with its data (append-only file), the
way an operator's Redis comes back after a restart; :class:`RedisCluster` runs three masters
joined with ``redis-cli --cluster create``.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path

from servers.ports import free_port
from servers.processes import answers_ping, stop, wait_until


def _binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} is not installed (scripts/bootstrap installs it)")
    return path


class RedisServer:
    """One redis-server on ``127.0.0.1``; ``persistent`` keeps its data across restarts."""

    def __init__(
        self, workdir: Path, *, port: int | None = None, persistent: bool = False, cluster=False
    ) -> None:
        self.workdir = workdir
        self.port = port or free_port()
        self.persistent = persistent
        self.cluster = cluster
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> RedisServer:
        command = [
            _binary("redis-server"),
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "yes" if self.persistent else "no",
            "--appendfsync", "always",
            "--dir", str(self.workdir),
            "--protected-mode", "yes",
        ]  # fmt: skip
        if self.cluster:
            command += ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"]
        self._proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        wait_until(lambda: answers_ping(self.port), self._proc, "redis-server")
        return self

    def stop(self) -> None:
        if self._proc is not None:
            stop(self._proc)
            self._proc = None


def _cluster_port() -> int:
    """A free port whose cluster bus port (port + 10000) is free too."""
    while True:
        port = free_port()
        if port + 10000 > 65535:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port + 10000))
            except OSError:
                continue
        return port


class RedisCluster:
    """Three cluster-enabled masters, joined into one cluster covering every slot."""

    def __init__(self, workdir: Path) -> None:
        self.nodes = []
        for index in range(3):
            node_dir = workdir / f"node{index}"
            node_dir.mkdir()
            self.nodes.append(RedisServer(node_dir, port=_cluster_port(), cluster=True))
        self.url = self.nodes[0].url

    def start(self) -> RedisCluster:
        for node in self.nodes:
            node.start()
        addresses = [f"127.0.0.1:{node.port}" for node in self.nodes]
        subprocess.run(
            [_binary("redis-cli"), "--cluster", "create", *addresses, "--cluster-yes"],
            check=True,
            capture_output=True,
            timeout=30,
        )
        probe = subprocess.Popen(["sleep", "30"])
        try:
            wait_until(self._ready, probe, "the redis cluster")
        finally:
            probe.kill()
            probe.wait()
        return self

    def _ready(self) -> bool:
        for node in self.nodes:
            info = subprocess.run(
                [_binary("redis-cli"), "-p", str(node.port), "cluster", "info"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            if "cluster_state:ok" not in info:
                return False
        return True

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()
