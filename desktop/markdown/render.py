"""Markdown to the HTML subset QTextDocument understands, safe by construction.

markdown-it-py parses with raw HTML disabled (any ``<script>`` or ``<img>`` in the text shows as
text). Images become links, so nothing remote is ever fetched; code blocks become a shaded table
with a "Copy" link whose ``copy:N`` address names the code in the caller's list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token as MdToken
from markdown_it.utils import EnvType, OptionsDict

COPY_SCHEME = "copy"


@dataclass(frozen=True, slots=True)
class MarkdownColors:
    """The few colours the generated HTML needs (QTextDocument ignores the widget stylesheet)."""

    code_background: str = "#f3f4f6"
    code_header: str = "#e5e7eb"
    code_text: str = "#1f2937"
    muted: str = "#6b7280"
    link: str = "#2563eb"
    table_border: str = "#d1d5db"
    #: The message's own background: text blocks paint it so updates stay inside them.
    background: str = "#ffffff"


def _render_fence(
    md: MarkdownIt, tokens: Sequence[MdToken], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    code = token.content
    codes: list[str] = env.setdefault("codes", [])
    codes.append(code)
    colors: MarkdownColors = env["colors"]
    language = escape(token.info.split()[0]) if token.info.strip() else ""
    copy_label = escape(env.get("copy_label", "Copy"))
    body = escape(code.rstrip("\n"))
    return (
        f'<table width="100%" cellspacing="0" cellpadding="6" '
        f'style="margin-top:4px; margin-bottom:8px; border-collapse:collapse;">'
        f'<tr><td bgcolor="{colors.code_header}">'
        f'<span style="color:{colors.muted}; font-size:small;">{language}</span></td>'
        f'<td bgcolor="{colors.code_header}" align="right">'
        f'<a href="{COPY_SCHEME}:{len(codes) - 1}" style="color:{colors.link}; '
        f'font-size:small; text-decoration:none;">{copy_label}</a></td></tr>'
        f'<tr><td colspan="2" bgcolor="{colors.code_background}">'
        f'<pre style="color:{colors.code_text}; margin:0;">{body}</pre></td></tr></table>\n'
    )


def _render_image(
    md: MarkdownIt, tokens: Sequence[MdToken], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    src = escape(str(token.attrGet("src") or ""), quote=True)
    alt = escape(token.content or src)
    return f'<a href="{src}">[{alt}]</a>'


def _render_code_inline(
    md: MarkdownIt, tokens: Sequence[MdToken], idx: int, options: OptionsDict, env: EnvType
) -> str:
    colors: MarkdownColors = env["colors"]
    return (
        f'<code style="background-color:{colors.code_background}; color:{colors.code_text};">'
        f"{escape(tokens[idx].content)}</code>"
    )


def _build_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("code_block", _render_fence)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("code_inline", _render_code_inline)
    return md


_PARSER = _build_parser()


def render_markdown(
    text: str, codes: list[str], colors: MarkdownColors, copy_label: str = "Copy"
) -> str:
    """Render ``text`` to HTML, appending each code block's text to ``codes``.

    Args:
        text: Markdown source (one block or a whole message).
        codes: the message's code list; ``copy:N`` links index into it.
        colors: the current theme's colours.
        copy_label: the translated label of the copy link.
    """
    env: dict[str, Any] = {"codes": codes, "colors": colors, "copy_label": copy_label}
    html = _PARSER.render(text, env)
    return _style_tables(html, colors)


def _style_tables(html: str, colors: MarkdownColors) -> str:
    if "<table>" not in html:
        return html
    return html.replace(
        "<table>",
        f'<table cellspacing="0" cellpadding="5" border="1" '
        f'style="border-color:{colors.table_border}; border-collapse:collapse; '
        f'margin-bottom:8px;">',
    )
