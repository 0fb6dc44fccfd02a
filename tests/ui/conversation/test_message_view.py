"""One answer view: the live tail always shows what a full Markdown render would show."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from desktop.markdown.blocks import BlockSplitter
from desktop.markdown.render import MarkdownColors, render_markdown
from desktop.protocol.answer_status import AnswerStatus
from desktop.ui.conversation.message_view import AssistantMessageView
from desktop.ui.conversation.tool_panel import format_duration
from desktop.ui.widgets.text_block import TextBlock
from tests.helpers.scripted import ANSWER

TEXT = ANSWER + "\nEin **fetter** Satz mit `Code`, [Link](https://example.com) und 1986. Ende\n"


def words(text: str) -> list[str]:
    """Visible words: Qt renders some block ends as a space, which nobody sees."""
    return text.split()


def reference_tail(text: str) -> str:
    splitter = BlockSplitter()
    splitter.feed(text)
    block = TextBlock()
    block.setHtml(render_markdown(splitter.tail, [], MarkdownColors()))
    shown = block.toPlainText()
    block.deleteLater()
    return shown


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.integers(min_value=1, max_value=12), min_size=5, max_size=200))
def test_the_live_tail_matches_a_full_render_at_every_flush(qtbot: QtBot, cuts: list[int]) -> None:
    view = AssistantMessageView(MarkdownColors())
    qtbot.addWidget(view)
    sent, rest = "", TEXT
    for cut in cuts:
        if not rest:
            break
        piece, rest = rest[:cut], rest[cut:]
        view.push_token(piece)
        view.flush()
        sent += piece
        splitter = BlockSplitter()
        splitter.feed(sent)
        if not splitter.in_code_fence:  # an open fence streams as plain monospace text
            assert words(view.markdown.live_tail_text) == words(reference_tail(sent))
    view.push_token(rest)
    view.finish(AnswerStatus.DONE)
    assert view.text == TEXT
    qtbot.waitUntil(lambda: view.finalized)


@pytest.mark.parametrize(
    ("milliseconds", "shown"),
    [(0.63, "0.6 ms"), (9.94, "9.9 ms"), (240.4, "240 ms"), (999.0, "999 ms"), (1250.0, "1.25 s")],
)
def test_tool_durations_read_naturally(milliseconds: float, shown: str) -> None:
    assert format_duration(milliseconds) == shown


def test_a_word_streamed_into_a_table_cell_stays_in_the_cell(qtbot: QtBot) -> None:
    view = AssistantMessageView(MarkdownColors())
    qtbot.addWidget(view)
    sent = ""
    for piece in ("| Format | Enthält Metadaten |\n| --- | --- |\n| M", "a"):
        view.push_token(piece)
        view.flush()
        sent += piece
    assert words(view.markdown.live_tail_text) == words(reference_tail(sent))
    assert "Ma" in words(view.markdown.live_tail_text)
