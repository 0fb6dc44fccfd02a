"""What ships with the app and under which licence, read from the installed package metadata.

The About dialog and ``packaging/THIRD_PARTY_LICENSES.md`` both come from here, so neither can
drift from what is really bundled: in a frozen build the metadata present is exactly the
metadata the build copied (``copy_metadata(..., recursive=True)``), and in a virtualenv it is
what pip installed. No Qt is imported, so the packaging scripts can use it too.
"""

from __future__ import annotations

import platform
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import Distribution, PackageMetadata, PackageNotFoundError, distribution
from typing import Final

APP_DISTRIBUTION: Final = "assist-desktop"
PYTHON_LICENCE: Final = "PSF-2.0"
UNKNOWN_LICENCE: Final = "unknown"

_NAME: Final = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_EXTRA: Final = re.compile(r"\bextra\s*==")
_MAX_LICENCE_FIELD: Final = 80  # longer ``License`` fields hold the whole text, not a name
#: Trove classifier endings that name a licence less exactly than an SPDX identifier would.
_CLASSIFIER_NAMES: Final = {
    "MIT License": "MIT",
    "BSD License": "BSD",
    "Apache Software License": "Apache-2.0",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "Python Software Foundation License": "PSF-2.0",
    "ISC License (ISCL)": "ISC",
}


@dataclass(frozen=True, slots=True)
class Component:
    """One bundled component as the About dialog lists it.

    Attributes:
        name: the distribution's name as it spells it (``PySide6_Essentials``).
        version: its installed version.
        licence: an SPDX expression where the metadata has one, else the best name it gives.
        homepage: where to read more, or ``""``.
        licence_files: paths of licence texts inside its ``.dist-info``, for the full texts.
    """

    name: str
    version: str
    licence: str
    homepage: str = ""
    licence_files: tuple[str, ...] = ()


def app_version() -> str:
    """The app's version from its one source, ``pyproject.toml``, via the installed metadata."""
    try:
        return distribution(APP_DISTRIBUTION).version
    except PackageNotFoundError:  # a source tree that was never installed
        return "0.0.0+unknown"


def bundled_components(root: str = APP_DISTRIBUTION) -> list[Component]:
    """Every installed runtime dependency of ``root``, transitively, sorted by name.

    Optional extras (``dev``, ``packaging``) are left out, and so is anything not installed,
    which in a frozen build means not bundled. ``root`` itself is not listed.
    """
    seen: dict[str, Component] = {}
    for dist in _dependencies(root):
        key = _canonical(dist.name)
        if key not in seen:
            seen[key] = _component(dist)
    return sorted(seen.values(), key=lambda c: c.name.lower())


def python_component() -> Component:
    """The Python runtime, which a frozen build ships but which has no package metadata."""
    return Component(
        f"Python ({platform.python_implementation()})",
        platform.python_version(),
        PYTHON_LICENCE,
        "https://www.python.org",
    )


def licence_of(dist: Distribution) -> str:
    """The clearest licence name the metadata gives: SPDX expression, short field, classifier."""
    meta = dist.metadata
    expression = _field(meta, "License-Expression")
    if expression:
        return expression
    field = _field(meta, "License")
    if field and "\n" not in field and len(field) <= _MAX_LICENCE_FIELD and field != "UNKNOWN":
        return field
    names = [
        _CLASSIFIER_NAMES.get(c.rsplit(" :: ", 1)[-1], c.rsplit(" :: ", 1)[-1])
        for c in map(str, meta.get_all("Classifier") or [])
        if c.startswith("License :: ") and c.count(" :: ") >= 2
    ]
    return " OR ".join(dict.fromkeys(names)) or UNKNOWN_LICENCE


def _component(dist: Distribution) -> Component:
    files = tuple(
        str(path)
        for path in dist.files or ()
        if ".dist-info" in str(path) and re.search(r"licen[cs]e|copying|notice", str(path), re.I)
    )
    return Component(
        dist.name,
        dist.version,
        licence_of(dist),
        _homepage(dist),
        files,
    )


def _dependencies(root: str) -> Iterator[Distribution]:
    pending = [root]
    visited: set[str] = set()
    while pending:
        name = pending.pop()
        key = _canonical(name)
        if key in visited:
            continue
        visited.add(key)
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            continue  # not installed here: not bundled either
        if key != _canonical(root):
            yield dist
        pending.extend(_runtime_requirements(dist))


def _runtime_requirements(dist: Distribution) -> Iterator[str]:
    for requirement in dist.requires or ():
        name, _, marker = requirement.partition(";")
        if _EXTRA.search(marker) or not _marker_holds(marker):
            continue
        match = _NAME.match(name)
        if match:
            yield match.group(1)


def _marker_holds(marker: str) -> bool:
    """Whether an environment marker holds here; without ``packaging``, assume it does."""
    if not marker.strip():
        return True
    try:
        from packaging.markers import Marker
    except ImportError:  # a frozen build need not carry ``packaging``
        return True
    return Marker(marker).evaluate()


def _homepage(dist: Distribution) -> str:
    meta = dist.metadata
    page = _field(meta, "Home-page")
    if page:
        return page
    urls = [str(u).split(",", 1) for u in meta.get_all("Project-URL") or [] if "," in u]
    for label, url in urls:
        if label.strip().lower() in {"homepage", "home", "source", "repository"}:
            return url.strip()
    return urls[0][1].strip() if urls else ""


def _field(meta: PackageMetadata, key: str) -> str:
    # ``meta[key]`` warns (and will raise) when the key is missing; ``get_all`` does neither.
    values = meta.get_all(key) or []
    return str(values[0]).strip() if values else ""


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
