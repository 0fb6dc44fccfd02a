"""The conversation model without Qt: turns, the request's history, regenerate, answer events."""

from __future__ import annotations

import pytest

from desktop.conversation.cached import conversation_of
from desktop.conversation.model import HISTORY_LIMIT, Answer, AnswerEnded, Conversation
from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import Reset, Thinking, Token, ToolUse
from desktop.protocol.request import HistoryItem
from desktop.store.records import ConversationRecord, ConversationSummary, MessageRecord


def answered(conversation: Conversation, question: str, text: str) -> Answer:
    _, answer = conversation.ask(question)
    answer.apply(Token(1, text, 0))
    answer.end(AnswerStatus.DONE)
    return answer


def test_a_request_carries_the_conversation_so_far_from_the_model() -> None:
    conversation = Conversation("c-1")
    answered(conversation, "Wie exportiere ich?", "Über das Menü.")
    request, answer = conversation.ask("Und als PDF?")
    assert (request.message, request.conversation_id) == ("Und als PDF?", "c-1")
    assert request.history == (
        HistoryItem("user", "Wie exportiere ich?"),
        HistoryItem("assistant", "Über das Menü."),
    )
    assert conversation.last_answer is answer
    assert answer.status is AnswerStatus.STREAMING


def test_an_empty_answer_is_left_out_of_the_history_and_the_history_is_bounded() -> None:
    conversation = Conversation()
    conversation.ask("unanswered")
    for n in range(HISTORY_LIMIT):
        answered(conversation, f"q{n}", f"a{n}")
    request, _ = conversation.ask("last")
    assert len(request.history) == HISTORY_LIMIT
    assert HistoryItem("user", "unanswered") not in request.history
    assert request.history[-1] == HistoryItem("assistant", f"a{HISTORY_LIMIT - 1}")


def test_regenerate_asks_the_last_question_again_and_keeps_the_earlier_answer() -> None:
    conversation = Conversation()
    answered(conversation, "eins", "A")
    first = answered(conversation, "zwei", "B")
    again = conversation.regenerate()
    assert again is not None
    request, answer = again
    assert request.message == "zwei"
    assert request.history == (HistoryItem("user", "eins"), HistoryItem("assistant", "A"))
    assert conversation.last_answer is answer is not first
    assert conversation.turns[-1].answers == [first, answer]  # an alternative, not lost
    answer.apply(Token(9, "C", 0))
    follow_up, _ = conversation.ask("drei")
    assert follow_up.history[-2:] == (HistoryItem("user", "zwei"), HistoryItem("assistant", "C"))


def test_regenerate_without_a_question_does_nothing() -> None:
    assert Conversation().regenerate() is None


def test_an_answer_announces_text_reasoning_tools_and_its_end_in_order() -> None:
    answer = Answer()
    seen: list[object] = []
    answer.events.text_appended.connect(seen.append)
    answer.events.thinking_added.connect(seen.append)
    answer.events.tool_changed.connect(seen.append)
    answer.events.ended.connect(seen.append)
    thinking = Thinking(1, "searching", content="Suche…")
    tool = ToolUse(2, "t-1", "document_search", "running")
    answer(thinking, 0.0)
    answer(tool, 0.0)
    answer(Token(3, "Hal", 0), 0.0)
    answer(Token(4, "lo", 1), 0.0)
    answer.end(AnswerStatus.INTERRUPTED, "cut")
    assert seen == [thinking, tool, "Hal", "lo", AnswerEnded(AnswerStatus.INTERRUPTED, "cut")]
    assert (answer.text, answer.tools, answer.thinking) == ("Hallo", {"t-1": tool}, [thinking])


def test_a_disconnected_view_hears_nothing_more() -> None:
    answer = Answer()
    seen: list[str] = []
    answer.events.text_appended.connect(seen.append)
    answer.apply(Token(1, "a", 0))
    answer.events.text_appended.disconnect(seen.append)
    answer.events.text_appended.disconnect(seen.append)  # twice is harmless
    answer.apply(Token(2, "b", 1))
    assert (seen, answer.text) == (["a"], "ab")


def test_a_cached_conversation_becomes_turns_with_their_recorded_status() -> None:
    summary = ConversationSummary(
        id="c-9", title="t", created=0.0, updated=0.0, pinned=False, deleted_at=None,
        message_count=4,
    )  # fmt: skip
    record = ConversationRecord(
        summary,
        (
            MessageRecord(1, "user", "eins", 0.0, "done"),
            MessageRecord(2, "assistant", "A", 0.0, "done"),
            MessageRecord(3, "user", "zwei", 0.0, "done"),
            MessageRecord(4, "assistant", "B…", 0.0, "streaming"),
        ),
    )
    conversation, answers = conversation_of(record)
    assert conversation.id == "c-9"
    assert [t.question for t in conversation.turns] == ["eins", "zwei"]
    assert answers[4] is conversation.last_answer
    assert (answers[2].status, answers[4].status) == (
        AnswerStatus.DONE,
        AnswerStatus.INTERRUPTED,
    )
    request, _ = conversation.ask("drei")
    assert [h.content for h in request.history] == ["eins", "A", "zwei", "B…"]


def test_a_reset_leaves_only_the_attempt_after_it_and_tells_the_views() -> None:
    answer = Answer()
    restarts: list[None] = []
    answer.events.restarted.connect(restarts.append)
    answer.apply(Token(1, "erster Versuch", 0))
    answer.apply(Reset(2, "upstream_retry"))
    answer.apply(Token(3, "zweiter", 1))
    assert (answer.text, restarts) == ("zweiter", [None])


def test_alternatives_switch_and_the_next_request_carries_the_shown_one() -> None:
    conversation = Conversation()
    first = answered(conversation, "q", "eins")
    for text in ("zwei", "drei"):
        again = conversation.regenerate()
        assert again is not None
        again[1].apply(Token(1, text, 0))
        again[1].end(AnswerStatus.DONE)
    (turn,) = conversation.turns
    assert (len(turn.answers), turn.shown_index, turn.answer.text if turn.answer else "") == (
        3,
        2,
        "drei",
    )
    seen: list[Answer] = []
    turn.chosen.connect(seen.append)
    assert turn.choose(0) is first
    assert (seen, turn.shown_index) == ([first], 0)
    request, _ = conversation.ask("weiter")
    assert [h.content for h in request.history] == ["q", "eins"]
    with pytest.raises(IndexError):
        turn.choose(3)


def test_a_regenerate_after_switching_back_shows_the_new_answer() -> None:
    conversation = Conversation()
    answered(conversation, "q", "eins")
    again = conversation.regenerate()
    assert again is not None
    conversation.turns[0].choose(0)
    newest = conversation.regenerate()
    assert newest is not None
    assert conversation.last_answer is newest[1]
    assert conversation.turns[0].shown_index == 2


def test_editing_the_last_question_replaces_its_turn_in_what_the_server_sees() -> None:
    conversation = Conversation("c")
    answered(conversation, "eins", "A")
    answered(conversation, "zwie", "B")
    request, answer = conversation.edit_last("zwei")
    assert request.message == "zwei"
    assert [h.content for h in request.history] == ["eins", "A"]
    assert [t.question for t in conversation.turns] == ["eins", "zwei"]
    assert conversation.last_answer is answer


def test_a_question_that_never_reached_a_server_is_taken_back() -> None:
    conversation = Conversation()
    conversation.ask("eins")
    conversation.ask("zwei")
    withdrawn = conversation.withdraw_last()
    assert withdrawn is not None
    assert [t.question for t in conversation.turns] == ["eins"]


def test_an_answered_question_is_not_taken_back() -> None:
    conversation = Conversation()
    _request, answer = conversation.ask("eins")
    answer.apply(Token(2, "Ja", 0))
    assert conversation.withdraw_last() is None
