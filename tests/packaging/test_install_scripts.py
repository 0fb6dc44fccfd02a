"""install.sh and uninstall.sh put a built folder into a home and take it out again.

A small stand-in for the frozen program (a shell script answering ``--version``) keeps these
tests fast; packaging/smoke_test.sh runs the same round trip with the real build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
NAME = "assist-desktop"


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A folder shaped like dist/assist-desktop after build.sh."""
    folder = tmp_path / "dist" / NAME
    (folder / "_internal").mkdir(parents=True)
    program = folder / NAME
    program.write_text(f'#!/bin/sh\necho "{NAME} 9.9.9"\n', encoding="utf-8")
    program.chmod(0o755)
    (folder / "share" / "applications").mkdir(parents=True)
    shutil.copy(LINUX / f"{NAME}.desktop", folder / "share" / "applications")
    for size in ("48x48", "scalable"):
        icons = folder / "share" / "icons" / "hicolor" / size / "apps"
        icons.mkdir(parents=True)
        (icons / f"{NAME}.{'svg' if size == 'scalable' else 'png'}").write_bytes(b"icon")
    for script in ("install.sh", "uninstall.sh"):
        shutil.copy(LINUX / script, folder)
    return folder


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


def _run(script: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "HOME": str(home),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
    }
    return subprocess.run(
        ["bash", str(script), *args], env=env, capture_output=True, text=True, check=True
    )


def test_install_puts_program_command_menu_entry_and_icons_into_the_home(
    built: Path, home: Path
) -> None:
    result = _run(built / "install.sh", home)
    opt = home / ".local" / "opt" / NAME
    assert (opt / NAME).is_file()
    command = home / ".local" / "bin" / NAME
    assert command.is_symlink()
    assert command.resolve() == (opt / NAME).resolve()
    entry = (home / ".local/share/applications" / f"{NAME}.desktop").read_text(encoding="utf-8")
    assert f"Exec={opt}/{NAME}\n" in entry
    assert f"TryExec={opt}/{NAME}\n" in entry
    assert (home / ".local/share/icons/hicolor/48x48/apps" / f"{NAME}.png").is_file()
    assert (home / ".local/share/icons/hicolor/scalable/apps" / f"{NAME}.svg").is_file()
    assert f"Installed {NAME} 9.9.9" in result.stdout


def test_install_from_a_tarball_of_the_folder(built: Path, home: Path, tmp_path: Path) -> None:
    archive = tmp_path / f"{NAME}-9.9.9-linux-x86_64.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(built, arcname=NAME)
    _run(LINUX / "install.sh", home, str(archive))
    assert (home / ".local" / "opt" / NAME / NAME).is_file()


def test_reinstalling_replaces_the_whole_folder(built: Path, home: Path) -> None:
    _run(built / "install.sh", home)
    stale = home / ".local" / "opt" / NAME / "_internal" / "from-the-old-version.so"
    stale.write_bytes(b"old")
    _run(built / "install.sh", home)
    assert not stale.exists()
    assert not list((home / ".local" / "opt").glob(f"*{NAME}.new*"))


def test_uninstall_removes_everything_install_added_but_keeps_user_data(
    built: Path, home: Path
) -> None:
    _run(built / "install.sh", home)
    settings = home / ".config" / NAME / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text("{}", encoding="utf-8")
    _run(home / ".local" / "opt" / NAME / "uninstall.sh", home)
    leftovers = [p for p in home.rglob(f"{NAME}*") if settings.parent not in (p, *p.parents)]
    assert leftovers == []
    assert settings.is_file()


def test_uninstall_purge_also_removes_settings_and_cache(built: Path, home: Path) -> None:
    _run(built / "install.sh", home)
    for folder in (home / ".config" / NAME, home / ".local" / "share" / NAME):
        folder.mkdir(parents=True)
        (folder / "data").write_text("x", encoding="utf-8")
    _run(home / ".local" / "opt" / NAME / "uninstall.sh", home, "--purge")
    assert list(home.rglob(f"{NAME}*")) == []


def test_uninstall_leaves_a_command_that_points_elsewhere(built: Path, home: Path) -> None:
    _run(built / "install.sh", home)
    command = home / ".local" / "bin" / NAME
    command.unlink()
    other = home / "elsewhere"
    other.write_text("#!/bin/sh\n", encoding="utf-8")
    command.symlink_to(other)
    _run(home / ".local" / "opt" / NAME / "uninstall.sh", home)
    assert command.is_symlink()


def test_install_refuses_a_folder_without_the_program(home: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = subprocess.run(
        ["bash", str(LINUX / "install.sh"), str(empty)],
        env={"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "missing or not executable" in result.stderr
    assert not (home / ".local" / "opt" / NAME).exists()
