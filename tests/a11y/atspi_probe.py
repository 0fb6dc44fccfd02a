"""A screen reader's view of the window: reads the AT-SPI tree and records its events.

Runs under the system Python (``/usr/bin/python3``), where Debian's ``python3-pyatspi`` lives;
the project's virtualenv has its own interpreter and cannot load those GObject bindings. The test
process talks to it over stdin/stdout, one JSON object per line: ``{"cmd": ..., ...}`` in,
``{"ok": ...}`` or ``{"error": ...}`` out. A GLib main loop runs all the time so that AT-SPI
events reach the listeners between commands.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from typing import Any

import pyatspi
from gi.repository import Atspi, GLib

#: Roles whose objects a user can act on even when AT-SPI reports no Action interface.
ACTIONABLE_ROLES = {
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "menu item",
    "check menu item",
    "radio menu item",
    "combo box",
    "text",
    "entry",
    "password text",
    "spin button",
    "slider",
    "page tab",
    "list item",
    "table cell",
    "link",
}

events: list[dict[str, Any]] = []
listening: set[str] = set()


def _app(name: str) -> Any:
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        if app is not None and app.name == name:
            return app
    raise LookupError(f"no application named {name!r} on the AT-SPI bus")


def _states(obj: Any) -> list[str]:
    return sorted(pyatspi.stateToString(s) for s in obj.getState().getStates())


def _interfaces(obj: Any) -> list[str]:
    try:
        return sorted(obj.get_interfaces())
    except Exception:
        return []


def _describe(obj: Any, path: list[int]) -> dict[str, Any]:
    info: dict[str, Any] = {
        "path": path,
        "role": obj.getRoleName(),
        "name": obj.name or "",
        "description": obj.description or "",
        "states": _states(obj),
        "interfaces": _interfaces(obj),
        "actions": [],
    }
    if "Component" in info["interfaces"] and "showing" in info["states"]:
        box = obj.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        info["extents"] = [box.x, box.y, box.width, box.height]
    if "Action" in info["interfaces"]:
        action = obj.queryAction()
        info["actions"] = [action.getName(i) for i in range(action.nActions)]
    return info


def _children(obj: Any, count: int) -> Iterator[tuple[int, Any]]:
    """The children an object still has (one may go away while it is read)."""
    for index in range(count):
        try:
            child = obj.getChildAtIndex(index)
        except Exception:
            continue
        if child is not None:
            yield index, child


def _walk(obj: Any, path: list[int], out: list[dict[str, Any]], depth: int = 0) -> None:
    if depth > 40:
        return
    try:
        out.append(_describe(obj, path))
        count = obj.childCount
    except Exception as exc:  # an object that went away while walking, or a broken one
        out.append(
            {
                "path": path,
                "role": "?",
                "name": "",
                "description": "",
                "states": [],
                "interfaces": [],
                "actions": [],
                "error": repr(exc),
            }
        )
        return
    for index, child in _children(obj, count):
        _walk(child, [*path, index], out, depth + 1)


def _find(
    obj: Any, path: list[int], match: dict[str, str], out: list[dict[str, Any]], depth: int = 0
) -> None:
    """Like ``_walk``, but reads only role and name on the way: a third of the calls to the app,
    which answers them on its GUI thread (polling at start-up must not hold its start-up back)."""
    if depth > 40:
        return
    try:
        found = {"role": obj.getRoleName(), "name": obj.name or ""}
        if all(found[key] == value for key, value in match.items()):
            out.append(_describe(obj, path))
        count = obj.childCount
    except Exception:  # an object that went away while walking
        return
    for index, child in _children(obj, count):
        _find(child, [*path, index], match, out, depth + 1)


def _at(app: Any, path: list[int]) -> Any:
    obj = app
    for index in path:
        obj = obj.getChildAtIndex(index)
    return obj


def _on_event(event: Any) -> None:
    source = event.source
    try:
        name, role = source.name, source.getRoleName()
    except Exception:
        name, role = "", ""
    data = event.any_data
    events.append(
        {
            "type": event.type,
            "detail1": event.detail1,
            "detail2": event.detail2,
            "data": data if isinstance(data, str | int | float | bool) else None,
            "source_name": name,
            "source_role": role,
            "t": time.monotonic(),
        }
    )


def handle(request: dict[str, Any]) -> Any:
    cmd = request["cmd"]
    if cmd == "screen":
        box = pyatspi.Registry.getDesktop(0).queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        return [box.x, box.y, box.width, box.height]
    if cmd == "apps":
        return [a.name for a in pyatspi.Registry.getDesktop(0) if a is not None]
    if cmd == "windows":  # the app's top-level objects: cheap enough to poll at start-up
        app = _app(request["app"])
        children = (app.getChildAtIndex(i) for i in range(app.childCount))
        return [[c.getRoleName(), c.name or ""] for c in children if c is not None]
    if cmd == "find":  # objects with the given role and/or name
        matches: list[dict[str, Any]] = []
        _find(_app(request["app"]), [], request["match"], matches)
        return matches
    if cmd == "tree":
        out: list[dict[str, Any]] = []
        _walk(_app(request["app"]), [], out)
        return out
    if cmd == "text":
        obj = _at(_app(request["app"]), request["path"])
        text = obj.queryText()
        return text.getText(0, -1)
    if cmd == "paragraphs":
        # What a screen reader's "next paragraph" reads: the text by paragraph boundaries.
        obj = _at(_app(request["app"]), request["path"])
        count = Atspi.Text.get_character_count(obj)
        out_paragraphs = []
        offset = 0
        while offset < count:
            chunk = Atspi.Text.get_string_at_offset(obj, offset, Atspi.TextGranularity.PARAGRAPH)
            if chunk.end_offset <= offset:  # a separator between paragraphs
                offset += 1
                continue
            out_paragraphs.append(chunk.content)
            offset = chunk.end_offset
        return out_paragraphs
    if cmd == "action":
        obj = _at(_app(request["app"]), request["path"])
        action = obj.queryAction()
        names = [action.getName(i) for i in range(action.nActions)]
        return action.doAction(names.index(request["action"]))
    if cmd == "listen":
        for kind in request["events"]:
            if kind not in listening:
                pyatspi.Registry.registerEventListener(_on_event, kind)
                listening.add(kind)
        return sorted(listening)
    if cmd == "events":
        taken = list(events)
        if request.get("clear", True):
            events.clear()
        return taken
    if cmd == "focused":
        found: list[dict[str, Any]] = []
        _walk(_app(request["app"]), [], found)
        return [o for o in found if "focused" in o["states"]]
    raise ValueError(f"unknown command {cmd!r}")


def _on_stdin(channel: GLib.IOChannel, condition: GLib.IOCondition, loop: GLib.MainLoop) -> bool:
    if condition & (GLib.IOCondition.HUP | GLib.IOCondition.ERR):
        loop.quit()
        return False
    line = sys.stdin.readline()
    if not line:
        loop.quit()
        return False
    try:
        reply = {"ok": handle(json.loads(line))}
    except Exception as exc:
        reply = {"error": f"{type(exc).__name__}: {exc}"}
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
    return True


def main() -> None:
    loop = GLib.MainLoop()
    channel = GLib.IOChannel.unix_new(sys.stdin.fileno())
    GLib.io_add_watch(
        channel,
        GLib.PRIORITY_DEFAULT,
        GLib.IOCondition.IN | GLib.IOCondition.HUP | GLib.IOCondition.ERR,
        _on_stdin,
        loop,
    )
    sys.stdout.write(json.dumps({"ok": "ready"}) + "\n")
    sys.stdout.flush()
    loop.run()


if __name__ == "__main__":
    main()
