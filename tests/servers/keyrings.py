"""Keyring backends for tests: the token store runs its real code against them.

``MemoryKeyring`` lives in the test process. ``FileKeyring`` keeps its entries in the JSON file
named by ``$ASSIST_TEST_KEYRING``, so a command started as a subprocess (selected with
``PYTHON_KEYRING_BACKEND=servers.keyrings.FileKeyring``) and the test share one keyring. Both
stand in for the operating system's keyring, which a headless test machine does not run.

Neither may be picked by keyring's own discovery (it considers every imported backend class):
``MemoryKeyring`` is never viable on its own, ``FileKeyring`` only while its file is named.
A test that wants no keyring at all gets one from the ``no_keyring`` fixture.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.compat import properties

FILE_ENV = "ASSIST_TEST_KEYRING"


class MemoryKeyring(KeyringBackend):
    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("set explicitly by the memory_keyring fixture")

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


class FileKeyring(KeyringBackend):
    @properties.classproperty
    def priority(cls) -> float:
        if FILE_ENV not in os.environ:
            raise RuntimeError(f"${FILE_ENV} names no keyring file")
        return 1

    @property
    def path(self) -> Path:
        return Path(os.environ[FILE_ENV])

    def entries(self) -> dict[str, str]:
        try:
            loaded: dict[str, str] = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return loaded

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self.entries()
        entries[f"{service}/{username}"] = password
        self.path.write_text(json.dumps(entries), encoding="utf-8")

    def delete_password(self, service: str, username: str) -> None:
        entries = self.entries()
        entries.pop(f"{service}/{username}", None)
        self.path.write_text(json.dumps(entries), encoding="utf-8")
