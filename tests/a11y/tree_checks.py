"""What the tree tests look for: objects a user acts on, and whether a name can be read."""

from __future__ import annotations

import re
from typing import Any

#: Roles a user acts on (Tab stops, buttons, menu entries, fields).
ACTIONABLE_ROLES = frozenset(
    {
        "push button",
        "toggle button",
        "check box",
        "radio button",
        "menu item",
        "check menu item",
        "radio menu item",
        "combo box",
        "text",
        "password text",
        "spin button",
        "slider",
        "page tab",
        "list",
        "table",
        "tree",
    }
)
#: Qt gives every scroll area its scroll bars; screen readers announce them by role and
#: orientation, and no toolkit names them.
UNNAMED_BY_CONVENTION = frozenset({"scroll bar"})
READABLE = re.compile(r"\w")


def _acts(obj: dict[str, Any]) -> bool:
    if obj["role"] in UNNAMED_BY_CONVENTION:
        return False
    real_actions = [a for a in obj["actions"] if a != "SetFocus"]
    return obj["role"] in ACTIONABLE_ROLES or "focusable" in obj["states"] or bool(real_actions)


def unnamed(tree: list[dict[str, Any]]) -> list[str]:
    return [
        f"{o['role']} {o['name']!r} at {o['path']}"
        for o in tree
        if _acts(o) and not READABLE.search(o["name"])
    ]
