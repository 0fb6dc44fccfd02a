"""Whether the process that recorded a stream still runs: how a crash is told from a live answer.

A stream row says ``streaming`` both while a window records it and after that window was
killed; only the owner's process id tells them apart. The check never sends a signal (on
Windows ``os.kill`` would terminate the process) and treats an unreaped zombie as gone.
A recycled process id can make a crashed stream look alive until that process ends; the
``recording_here`` guard in ``CacheRepository.mark_orphans_interrupted`` covers the case where
the recycled id is our own.
"""

from __future__ import annotations

import os
import sys


def process_alive(pid: int | None) -> bool:
    """Whether ``pid`` names a running process (never signals it, also on Windows)."""
    if pid is None or pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds only
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, but another user's
    return _not_a_zombie(pid)


def _not_a_zombie(pid: int) -> bool:
    # A killed child its parent has not reaped yet is still "there" for kill(0).
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def _windows_process_alive(pid: int) -> bool:  # pragma: no cover
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)
