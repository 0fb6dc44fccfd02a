"""The window's settings: a typed, Qt-free value, loaded from and saved to JSON.

The file lives in the user's config folder. It never holds a token: tokens go to the system
keyring (see ``token_store``). Window geometry and splitter state are Qt byte arrays, kept here
as opaque base64 strings so this module stays free of Qt.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Final, Literal, TypeAlias, cast, get_args

import platformdirs

from desktop.protocol.backend_protocols import PROTOCOLS, BackendProtocol

log = logging.getLogger(__name__)

Theme: TypeAlias = Literal["system", "light", "dark", "high_contrast"]
Language: TypeAlias = Literal["system", "en", "de"]
THEMES: Final = get_args(Theme)
LANGUAGES: Final = get_args(Language)
APP_NAME: Final = "assist-desktop"
DEMO_PROFILE_NAME: Final = "Demo"
MIN_FONT_SIZE, MAX_FONT_SIZE = 8, 24


@dataclass(frozen=True, slots=True)
class ServerProfile:
    """Where answers come from. ``url`` None means the embedded demo server; ``ca_file`` is a
    PEM file of certificate authorities trusted for this server besides the system's."""

    name: str
    url: str | None = None
    protocol: BackendProtocol = "assist"
    model: str | None = None
    ca_file: str | None = None

    @property
    def embedded(self) -> bool:
        return self.url is None


DEMO_PROFILE: Final = ServerProfile(DEMO_PROFILE_NAME)


@dataclass(frozen=True, slots=True)
class Settings:
    profiles: tuple[ServerProfile, ...] = (DEMO_PROFILE,)
    active_profile: str = DEMO_PROFILE_NAME
    theme: Theme = "system"
    #: Points; 0 keeps the system's size.
    font_size: int = 0
    language: Language = "system"
    window_geometry: str = ""
    window_state: str = ""
    splitter_state: str = ""
    #: A desktop notification when a conversation not in view finishes or fails.
    notifications: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def active(self) -> ServerProfile:
        """The selected profile, or the demo when the name is unknown."""
        for profile in self.profiles:
            if profile.name == self.active_profile:
                return profile
        return self.profiles[0] if self.profiles else DEMO_PROFILE

    def with_profile(self, profile: ServerProfile, *, activate: bool = True) -> Settings:
        """Add or replace the profile of that name."""
        others = tuple(p for p in self.profiles if p.name != profile.name)
        active = profile.name if activate else self.active_profile
        return replace(self, profiles=(*others, profile), active_profile=active)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> Settings:
        """Read what a (possibly older or hand-edited) file holds; bad values fall back."""
        if not isinstance(data, dict):
            return cls()
        defaults = cls()
        profiles = tuple(
            p for p in (_profile(item) for item in data.get("profiles", ())) if p is not None
        )
        if not any(p.embedded for p in profiles):
            profiles = (DEMO_PROFILE, *profiles)
        font_size = data.get("font_size", 0)
        if not isinstance(font_size, int) or not (
            font_size == 0 or MIN_FONT_SIZE <= font_size <= MAX_FONT_SIZE
        ):
            font_size = 0
        return cls(
            profiles=profiles,
            active_profile=_str(data.get("active_profile"), defaults.active_profile),
            theme=data["theme"] if data.get("theme") in THEMES else defaults.theme,
            font_size=font_size,
            language=data["language"] if data.get("language") in LANGUAGES else "system",
            window_geometry=_str(data.get("window_geometry"), ""),
            window_state=_str(data.get("window_state"), ""),
            splitter_state=_str(data.get("splitter_state"), ""),
            notifications=data.get("notifications") is not False,
            extra=data["extra"] if isinstance(data.get("extra"), dict) else {},
        )

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """The saved settings, or the defaults when there are none or they cannot be read."""
        path = path or default_path()
        try:
            return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError):
            log.warning("settings at %s could not be read; using defaults", path, exc_info=True)
            return cls()

    def save(self, path: Path | None = None) -> None:
        """Write atomically, so a crash mid-write never leaves half a file."""
        path = path or default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(self.to_json(), handle, indent=2, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def default_path() -> Path:
    return platformdirs.user_config_path(APP_NAME) / "settings.json"


def _str(value: Any, default: str) -> str:
    return value if isinstance(value, str) else default


def _profile(item: Any) -> ServerProfile | None:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        return None
    url = item.get("url")
    model = item.get("model")
    protocol = item.get("protocol")
    ca_file = item.get("ca_file")
    return ServerProfile(
        name=item["name"],
        url=url if isinstance(url, str) and url else None,
        protocol=cast(BackendProtocol, protocol) if protocol in PROTOCOLS else "assist",
        model=model if isinstance(model, str) and model else None,
        ca_file=ca_file if isinstance(ca_file, str) and ca_file else None,
    )
