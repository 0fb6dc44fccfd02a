"""Where the cache lives and who may read it.

The database sits in the per-user data directory that ``platformdirs`` picks (so
``XDG_DATA_HOME`` moves it on Linux). Answers can hold anything a user pasted, so the directory
is private to the user (0700) and so are the database and its ``-wal`` / ``-shm`` companions
(0600): another account on a shared machine must not read the cache.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Final

from platformdirs import user_data_dir

APP_NAME: Final = "assist-desktop"
DB_FILENAME: Final = "cache.sqlite3"
DIR_MODE: Final = 0o700
FILE_MODE: Final = 0o600
#: The files SQLite keeps beside the database in WAL mode.
COMPANION_SUFFIXES: Final = ("-wal", "-shm", "-journal")


def default_db_path() -> Path:
    """The cache file in the user's data directory (evaluated at call time, not import time)."""
    return Path(user_data_dir(APP_NAME, appauthor=False)) / DB_FILENAME


def companion_paths(db_path: Path) -> list[Path]:
    """The ``-wal``, ``-shm`` and ``-journal`` files that belong to ``db_path``."""
    return [db_path.with_name(db_path.name + suffix) for suffix in COMPANION_SUFFIXES]


def prepare_private_file(db_path: Path, *, own_directory: bool) -> None:
    """Create the directory (0700) and an empty database file (0600) if they are missing.

    ``own_directory`` says the directory is ours alone (the default location), so an existing
    one is tightened to 0700 too; a directory the user named (``--db /tmp/x.sqlite``) is only
    created, never re-moded.

    Creating the file ourselves before SQLite does means it never exists with the umask's
    looser mode, not even for a moment; SQLite then gives ``-wal`` and ``-shm`` the mode of
    the database file.

    Raises:
        OSError: the directory or the file cannot be created (read-only or full file system).
    """
    directory = db_path.parent
    if not directory.exists():
        directory.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        os.chmod(directory, DIR_MODE)
    elif own_directory and stat.S_IMODE(directory.stat().st_mode) != DIR_MODE:
        os.chmod(directory, DIR_MODE)
    if not db_path.exists():
        fd = os.open(db_path, os.O_CREAT | os.O_WRONLY, FILE_MODE)
        os.close(fd)
    restrict_modes(db_path)


def restrict_modes(db_path: Path) -> None:
    """Tighten the database and its companions to 0600 (a file copied in keeps its old mode)."""
    for path in (db_path, *companion_paths(db_path)):
        try:
            if stat.S_IMODE(path.stat().st_mode) != FILE_MODE:
                os.chmod(path, FILE_MODE)
        except FileNotFoundError:
            continue
