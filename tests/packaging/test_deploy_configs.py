"""The balancer configurations in packaging/deploy/ are valid and say what the docs promise."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from servers.nginx_balancer import main_config, nginx_binary

DEPLOY = Path(__file__).resolve().parents[2] / "packaging" / "deploy"


def test_the_haproxy_config_is_valid_for_haproxy_itself() -> None:
    binary = shutil.which("haproxy")
    if binary is None:
        pytest.fail("haproxy is not installed (scripts/bootstrap installs it)")
    env = {**os.environ, "ASSIST_BIND": "127.0.0.1:18080"}
    checked = subprocess.run(
        [binary, "-c", "-f", str(DEPLOY / "haproxy.cfg")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Configuration file is valid" in checked.stdout


def test_both_configs_check_health_keep_streams_unbuffered_and_retry_a_draining_503() -> None:
    haproxy = (DEPLOY / "haproxy.cfg").read_text()
    assert "option httpchk GET /healthz" in haproxy
    assert "timeout server 1h" in haproxy
    assert "retry-on conn-failure empty-response 503" in haproxy
    nginx = (DEPLOY / "nginx.conf").read_text()
    assert "proxy_buffering off;" in nginx
    assert "gzip off;" in nginx
    assert "proxy_read_timeout 1h;" in nginx
    assert "proxy_next_upstream error timeout http_503 non_idempotent;" in nginx


def test_the_nginx_config_is_valid_for_nginx_itself(tmp_path: Path) -> None:
    # The shipped server block, as nginx would include it from conf.d, with paths of our own.
    (tmp_path / "logs").mkdir()
    config = tmp_path / "nginx.conf"
    config.write_text(main_config(tmp_path, DEPLOY / "nginx.conf"))
    checked = subprocess.run(
        [nginx_binary(), "-t", "-p", f"{tmp_path}/", "-e", str(tmp_path / "error.log"),
         "-c", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "syntax is ok" in checked.stderr
    assert "test is successful" in checked.stderr
