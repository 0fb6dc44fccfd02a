"""Conversations out of the cache: Markdown to read, JSON to process, HTML to send around.

* **Markdown**: the transcript, with thinking, tool calls, warnings and errors as quotes.
* **JSON**: everything, including the full event record of each answer with its timing.
* **HTML**: one self-contained file: inline CSS, no scripts, no external resources (a cached
  answer's Markdown image would otherwise load a remote URL), and every text escaped.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from desktop.store.records import Alternative, ConversationRecord, MessageRecord

EXPORT_FORMAT: Final = "assist-desktop-export"
EXPORT_VERSION: Final = 1
ROLE_NAMES: Final = {"user": "You", "assistant": "Assistant", "system": "System"}


def iso(timestamp: float | None) -> str | None:
    """Unix seconds as ISO 8601 in UTC (what an export states, whatever the reader's zone)."""
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds")


@dataclass(slots=True)
class ToolCall:
    call_id: str
    tool: str
    status: str = "started"
    input: dict[str, Any] = field(default_factory=dict)
    output: dict[str, Any] | None = None
    duration_ms: float | None = None


@dataclass(slots=True)
class Activity:
    """What happened around an answer's text, condensed from its events."""

    thinking_lines: list[str] = field(default_factory=list)
    reasoning: str = ""
    tools: dict[str, ToolCall] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


def activity(message: MessageRecord) -> Activity:
    """Thinking, tool calls (latest status per call), warnings and errors of one answer."""
    out = Activity()
    for record in message.events:
        data = record.data
        if record.type == "thinking":
            if data.get("message"):
                out.thinking_lines.append(str(data["message"]))
            out.reasoning += str(data.get("content") or "")
        elif record.type == "tool_use":
            call = out.tools.setdefault(
                str(data.get("call_id")), ToolCall(str(data.get("call_id")), str(data.get("tool")))
            )
            call.status = str(data.get("status", call.status))
            call.input = data.get("input") or call.input
            call.output = data.get("output", call.output)
            call.duration_ms = data.get("duration_ms", call.duration_ms)
        elif record.type == "warning":
            out.notices.append(f"Warning: {data.get('message', '')}")
        elif record.type == "reset":
            out.notices.append("The server started the answer over; the text is its new attempt.")
        elif record.type == "error":
            out.notices.append(f"Error ({data.get('error_type', '?')}): {data.get('message', '')}")
        elif record.type == "reconnecting":
            out.notices.append(f"Connection lost ({data.get('reason', '')}); resumed.")
    return out


# --- JSON -----------------------------------------------------------------------------------


def to_json(conversations: Iterable[ConversationRecord]) -> str:
    """The full record, events included, as one JSON document."""
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "conversations": [_conversation_json(c) for c in conversations],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def conversation_json(conversation: ConversationRecord) -> dict[str, Any]:
    """One conversation as a JSON-ready dict (also ``history show --json``)."""
    return _conversation_json(conversation)


def _conversation_json(conversation: ConversationRecord) -> dict[str, Any]:
    s = conversation.summary
    return {
        "id": s.id,
        "title": s.title,
        "created": iso(s.created),
        "updated": iso(s.updated),
        "pinned": s.pinned,
        "messages": [
            _message_json(m, conversation.alternatives.get(m.id)) for m in conversation.messages
        ],
    }


def _message_json(message: MessageRecord, alternative: Alternative | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": message.id,
        "role": message.role,
        "text": message.text,
        "created": iso(message.created),
        "state": message.state,
    }
    if alternative is not None:
        out["alternative"] = {
            "index": alternative.index,
            "count": alternative.count,
            "chosen": message.chosen,
        }
    if message.stream is not None:
        st = message.stream
        out["stream"] = {
            "server_url": st.server_url,
            "protocol": st.protocol,
            "stream_id": st.stream_id,
            "last_event_id": st.last_event_id,
            "state": st.state,
            "error": st.error,
            "started": iso(st.started),
            "finished": iso(st.finished),
            "ttft_ms": st.ttft_ms,
            "tokens": st.tokens,
        }
        out["events"] = [
            {
                "seq": e.seq,
                "id": e.event_id,
                "type": e.type,
                "offset_ms": e.offset_ms,
                "data": e.data,
            }
            for e in message.events
        ]
    return out


# --- Markdown -------------------------------------------------------------------------------


def to_markdown(conversations: Iterable[ConversationRecord]) -> str:
    return "\n---\n\n".join(_conversation_md(c) for c in conversations)


def _conversation_md(conversation: ConversationRecord) -> str:
    s = conversation.summary
    lines = [f"# {s.title}", "", f"*{iso(s.created)} · {len(conversation.messages)} messages*", ""]
    alternatives = conversation.alternatives
    for message in conversation.messages:
        heading = f"## {ROLE_NAMES.get(message.role, message.role)}"
        alternative = alternatives.get(message.id)
        if alternative is not None:
            heading += f" ({_alternative_text(alternative, message.chosen)})"
        lines += [heading, ""]
        act = activity(message)
        quoted = [f"**Thinking:** {line}" for line in act.thinking_lines]
        if act.reasoning:
            quoted.append("**Reasoning:** " + act.reasoning.strip())
        quoted += [_tool_md(call) for call in act.tools.values()]
        quoted += act.notices
        lines += [_quote(q) + "\n" for q in quoted]
        lines += [message.text, ""]
        if message.state not in ("done",):
            error = message.stream.error if message.stream else None
            lines += [f"*({message.state}{': ' + error if error else ''})*", ""]
    return "\n".join(lines)


def _alternative_text(alternative: Alternative, chosen: bool) -> str:
    text = f"alternative {alternative.index} of {alternative.count}"
    return text + ", shown" if chosen else text


def _tool_md(call: ToolCall) -> str:
    head = f"**Tool {call.tool}** ({call.status}"
    head += f", {call.duration_ms:.0f} ms)" if call.duration_ms is not None else ")"
    body = f"input: `{json.dumps(call.input, ensure_ascii=False)}`"
    if call.output is not None:
        body += f"\noutput: `{json.dumps(call.output, ensure_ascii=False)}`"
    return f"{head}\n{body}"


def _quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.splitlines())


# --- HTML -----------------------------------------------------------------------------------

_CSS: Final = """
body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;
color:#1d232b;background:#fff}
h1{font-size:1.4rem;margin-top:2.5rem}.meta{color:#687385;font-size:.85rem}
article{border-radius:8px;padding:.6rem .9rem;margin:.8rem 0}
article.user{background:#eef3fb}article.assistant{background:#f6f7f9}
.role{font-weight:600;font-size:.85rem;color:#42526a}
.text{white-space:pre-wrap;word-wrap:break-word}
details{margin:.3rem 0;font-size:.9rem;color:#42526a}
pre{white-space:pre-wrap;background:#fff;border:1px solid #dde2ea;padding:.4rem;border-radius:4px}
.state{color:#a4262c;font-size:.85rem}.notice{color:#8a5a00;font-size:.85rem}
"""


def to_html(conversations: Iterable[ConversationRecord], *, title: str = "Conversations") -> str:
    body = "\n".join(_conversation_html(c) for c in conversations)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">\n"
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n{body}\n"
        "</body>\n</html>\n"
    )


def _conversation_html(conversation: ConversationRecord) -> str:
    s = conversation.summary
    parts = [
        f'<section id="c-{_e(s.id)}">',
        f"<h1>{_e(s.title)}</h1>",
        f'<p class="meta">{_e(iso(s.created) or "")} · {len(conversation.messages)} messages</p>',
    ]
    parts += [_message_html(m, conversation.alternatives.get(m.id)) for m in conversation.messages]
    parts.append("</section>")
    return "\n".join(parts)


def _message_html(message: MessageRecord, alternative: Alternative | None) -> str:
    role = message.role if message.role in ROLE_NAMES else "other"
    act = activity(message)
    name = ROLE_NAMES.get(message.role, message.role)
    if alternative is not None:
        name += f" ({_alternative_text(alternative, message.chosen)})"
    kind = f"{role} alternative" if alternative is not None else role
    parts = [
        f'<article class="{kind}" id="m-{message.id}">',
        f'<div class="role">{_e(name)}</div>',
    ]
    if act.thinking_lines or act.reasoning:
        inner = "".join(f"<div>{_e(line)}</div>" for line in act.thinking_lines)
        if act.reasoning:
            inner += f"<pre>{_e(act.reasoning)}</pre>"
        parts.append(f"<details><summary>Thinking</summary>{inner}</details>")
    for call in act.tools.values():
        inner = f"<pre>{_e(json.dumps(call.input, ensure_ascii=False, indent=1))}</pre>"
        if call.output is not None:
            inner += f"<pre>{_e(json.dumps(call.output, ensure_ascii=False, indent=1))}</pre>"
        parts.append(
            f"<details><summary>Tool {_e(call.tool)} ({_e(call.status)})</summary>{inner}</details>"
        )
    parts += [f'<div class="notice">{_e(n)}</div>' for n in act.notices]
    parts.append(f'<div class="text">{_e(message.text)}</div>')
    if message.state != "done":
        error = message.stream.error if message.stream else None
        parts.append(
            f'<div class="state">{_e(message.state)}{_e(": " + error if error else "")}</div>'
        )
    parts.append("</article>")
    return "\n".join(parts)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


FORMATS: Final = {"md": to_markdown, "json": to_json, "html": to_html}
