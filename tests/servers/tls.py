"""HTTPS test servers: a throwaway certificate authority (trustme) signs their certificates.

``TestCertificates(tmp_path)`` writes the CA's certificate to ``ca_file`` (what a profile's
CA file names) and starts the reference server over TLS with a certificate for the given host
names or addresses, valid when asked (``not_before``/``not_after``), signed by that CA.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import trustme
from servers.server_thread import ServerThread

CA_NAME = "Assist Test CA"


class TestCertificates:
    __test__ = False  # not a test class, whatever pytest thinks of the name

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ca = trustme.CA(organization_name=CA_NAME)
        self.ca_file = str(folder / "intranet-ca.pem")
        self.ca.cert_pem.write_to_path(self.ca_file)
        self.servers: list[ServerThread] = []

    def serve(
        self,
        *identities: str,
        not_before: dt.datetime | None = None,
        not_after: dt.datetime | None = None,
    ) -> ServerThread:
        """The reference server (demo backend, as fast as it goes) over HTTPS; ``stop_all``
        ends it."""
        leaf = self.ca.issue_cert(
            *(identities or ("127.0.0.1",)), not_before=not_before, not_after=not_after
        )
        n = len(self.servers)
        chain, key = self.folder / f"chain-{n}.pem", self.folder / f"key-{n}.pem"
        chain.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
        leaf.private_key_pem.write_to_path(str(key))
        server = ServerThread(tls=(str(chain), str(key)), token_rate=0.0).start()
        self.servers.append(server)
        return server

    def stop_all(self) -> None:
        for server in self.servers:
            server.stop()
        self.servers.clear()
