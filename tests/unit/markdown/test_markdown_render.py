"""Markdown to safe HTML: no raw HTML, no remote images, copyable code."""

from __future__ import annotations

from desktop.markdown.render import MarkdownColors, render_markdown


def test_raw_html_is_shown_as_text() -> None:
    html = render_markdown("<script>alert(1)</script> <b>x</b>", [], MarkdownColors())
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_images_become_links_and_are_never_embedded() -> None:
    html = render_markdown("![logo](https://example.com/a.png)", [], MarkdownColors())
    assert "<img" not in html
    assert 'href="https://example.com/a.png"' in html


def test_code_blocks_get_a_copy_link_to_their_text() -> None:
    codes: list[str] = []
    html = render_markdown("```sh\necho <hi>\n```\n", codes, MarkdownColors(), "Kopieren")
    assert codes == ["echo <hi>\n"]
    assert 'href="copy:0"' in html
    assert "Kopieren" in html
    assert "echo &lt;hi&gt;" in html


def test_tables_and_lists_render() -> None:
    html = render_markdown("| a | b |\n| - | - |\n| 1 | 2 |\n\n- x\n- y\n", [], MarkdownColors())
    assert "<table" in html
    assert "<td>1</td>" in html
    assert "<ul>" in html
