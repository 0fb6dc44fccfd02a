"""Fixtures for the scale-out tests: real Redis (or a Redis Cluster), replicas, HAProxy, nginx,
and the real llama.cpp server (with its Ollama proxy) for the ``real_llm`` takeovers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from servers.nginx_balancer import NginxBalancer
from servers.real_llm import deselect_unless_installed, ollama_proxy, queued_llama
from servers.redis_servers import RedisCluster, RedisServer
from servers.replicas import Balancer, Replica

TOKEN = "scale-out-token-7f3a"
ReplicaFactory = Callable[..., list[Replica]]
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    deselect_unless_installed(config, items, HERE)


@pytest.fixture(scope="module")
def real_llama_url() -> Iterator[str]:
    with queued_llama() as url:
        yield url


@pytest.fixture(scope="module")
def real_ollama_url(real_llama_url: str) -> Iterator[str]:
    with ollama_proxy(real_llama_url) as url:
        yield url


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A Redis of this test's own, with its data kept across a restart (append-only file)."""
    workdir = tmp_path / "redis"
    workdir.mkdir()
    server = RedisServer(workdir, persistent=True).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def redis_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisCluster]:
    cluster = RedisCluster(tmp_path_factory.mktemp("cluster")).start()
    yield cluster
    cluster.stop()


@pytest.fixture
def make_replicas(tmp_path: Path) -> Iterator[ReplicaFactory]:
    """Start ``count`` replicas with the given ``serve`` arguments; all stopped at teardown."""
    started: list[Replica] = []
    logs = tmp_path / "logs"
    logs.mkdir()

    def factory(count: int, *args: str, prefix: str = "r") -> list[Replica]:
        replicas = [
            Replica(f"{prefix}{len(started) + i + 1}", args, TOKEN, logs) for i in range(count)
        ]
        for replica in replicas:
            started.append(replica.start())
        return replicas

    yield factory
    for replica in started:
        replica.stop()


@pytest.fixture
def make_balancer(tmp_path: Path) -> Iterator[Callable[[list[Replica]], Balancer]]:
    started: list[Balancer] = []

    def factory(replicas: list[Replica]) -> Balancer:
        balancer = Balancer(replicas, tmp_path).start()
        started.append(balancer)
        return balancer

    yield factory
    for balancer in started:
        balancer.stop()


@pytest.fixture
def make_nginx(tmp_path: Path) -> Iterator[Callable[[list[Replica]], NginxBalancer]]:
    """nginx running ``packaging/deploy/nginx.conf`` in front of the given replicas."""
    started: list[NginxBalancer] = []

    def factory(replicas: list[Replica]) -> NginxBalancer:
        balancer = NginxBalancer(replicas, tmp_path).start()
        started.append(balancer)
        return balancer

    yield factory
    for balancer in started:
        balancer.stop()
