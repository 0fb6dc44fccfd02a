"""nginx in front of the replicas, running the deployment's own ``packaging/deploy/nginx.conf``.

The shipped file is a ``server`` block for ``conf.d``; here it is included by a minimal main
configuration with every path (prefix, pid, logs, temp files) under the test's directory, and
nginx runs in the foreground. Only the lines between its "listen" and "replicas" markers are the
tests' own, so what is tested is what is deployed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from servers.ports import free_port
from servers.processes import stop, wait_until
from servers.replicas import ROOT, Replica, healthy

NGINX_CONFIG = ROOT / "packaging" / "deploy" / "nginx.conf"
_LISTEN_BLOCK = re.compile(r"(    # listen begin\n).*?(    # listen end\n)", re.DOTALL)
_REPLICAS_BLOCK = re.compile(r"(    # replicas begin\n).*?(    # replicas end\n)", re.DOTALL)

# One process (no master/worker split), so nginx started as root never switches to a user
# that cannot write the test's directory.
_MAIN = """\
daemon off;
master_process off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {site};
}}
"""


def nginx_binary() -> str:
    binary = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if binary is None:
        raise RuntimeError("nginx is not installed (scripts/bootstrap installs it)")
    return binary


def main_config(prefix: Path, site: Path) -> str:
    return _MAIN.format(prefix=prefix, site=site)


class NginxBalancer:
    """nginx on a free loopback port with the shipped server block and our replicas."""

    def __init__(self, replicas: Sequence[Replica], workdir: Path) -> None:
        self._binary = nginx_binary()
        self.prefix = workdir / "nginx"
        self.prefix.mkdir(exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        servers = "".join(
            f"    server 127.0.0.1:{r.port} max_fails=1 fail_timeout=5s;\n" for r in replicas
        )
        site = _LISTEN_BLOCK.sub(
            lambda m: m.group(1) + f"    listen 127.0.0.1:{self.port};\n" + m.group(2),
            NGINX_CONFIG.read_text(),
        )
        site = _REPLICAS_BLOCK.sub(lambda m: m.group(1) + servers + m.group(2), site)
        (self.prefix / "site.conf").write_text(site)
        self.config = self.prefix / "nginx.conf"
        self.config.write_text(main_config(self.prefix, self.prefix / "site.conf"))
        self._proc: subprocess.Popen[bytes] | None = None

    def command(self, *extra: str) -> list[str]:
        prefix = f"{self.prefix}/"
        error_log = str(self.prefix / "error.log")
        return [self._binary, "-p", prefix, "-e", error_log, "-c", str(self.config), *extra]

    def start(self) -> NginxBalancer:
        self._proc = subprocess.Popen(
            self.command(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_until(lambda: healthy(self.url), self._proc, "nginx")
        return self

    def error_log(self) -> str:
        path = self.prefix / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self._proc is not None:
            stop(self._proc)
