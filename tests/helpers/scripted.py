"""Event scripts for window tests that need no server (the e2e tests use the real one)."""

from __future__ import annotations

import re

from desktop.protocol.events import (
    Connected,
    Connecting,
    Done,
    Progress,
    StreamEvent,
    StreamStarted,
    Thinking,
    Token,
    ToolUse,
    Usage,
)

ANSWER = """## Eine Unterhaltung exportieren

So exportieren Sie eine Unterhaltung:

1. Öffnen Sie die Unterhaltung in der Seitenleiste.
2. Wählen Sie **Datei → Exportieren**.
3. Wählen Sie das Format: *Markdown*, *PDF* oder *JSON*.

| Format | Enthält Metadaten |
| --- | --- |
| Markdown | nein |
| JSON | ja |

```bash
assist-desktop history export --format json 42 > unterhaltung.json
```

Mehr dazu steht im [Handbuch](https://example.com/handbuch).
"""


def split_tokens(text: str) -> list[str]:
    """Word-ish tokens whose concatenation is exactly ``text``."""
    return re.findall(r"\s*\S+|\s+", text)


def answer_events(
    text: str = ANSWER, *, thinking: bool = True, tools: bool = True, finish: str = "stop"
) -> list[StreamEvent]:
    events: list[StreamEvent] = [
        Connecting("http://127.0.0.1/api/v1/chat/stream", 0, False),
        Connected("http://127.0.0.1/api/v1/chat/stream", False, "s-1"),
    ]
    next_id = 1
    events.append(StreamStarted(next_id, "s-1", estimated_tokens=120))
    if thinking:
        next_id += 1
        events.append(Thinking(next_id, message="Analysiere Ihre Anfrage..."))
        next_id += 1
        events.append(Thinking(next_id, content="Die Frage betrifft den Export. "))
    if tools:
        next_id += 1
        events.append(ToolUse(next_id, "c1", "document_search", "started", {"query": "Export"}))
        next_id += 1
        events.append(
            ToolUse(
                next_id,
                "c1",
                "document_search",
                "completed",
                {"query": "Export"},
                {
                    "hits": [
                        {
                            "title": "Unterhaltungen exportieren",
                            "score": 0.91,
                            "snippet": "Über Datei → Exportieren …",
                        }
                    ]
                },
                42.0,
            )
        )
    tokens = split_tokens(text)
    for index, piece in enumerate(tokens):
        next_id += 1
        events.append(Token(next_id, piece, index))
        if index % 10 == 9:
            next_id += 1
            events.append(
                Progress(
                    next_id,
                    index + 1,
                    len(tokens),
                    100 * (index + 1) / len(tokens),
                    40.0,
                    (len(tokens) - index) / 40,
                    1.0,
                )
            )
    if finish:
        next_id += 1
        events.append(Done(next_id, finish, Usage(10, len(tokens)), 1234.0))  # type: ignore[arg-type]
    return events
