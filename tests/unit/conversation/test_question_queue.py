"""The queue of questions waiting for the server, without Qt."""

from __future__ import annotations

import itertools

import pytest

from desktop.conversation.queue import QuestionQueue, QueuedQuestion


def make_queue() -> QuestionQueue:
    ticks = itertools.count(100)
    return QuestionQueue(clock=lambda: float(next(ticks)))


def test_questions_come_out_oldest_first() -> None:
    queue = make_queue()
    queue.add("c-2", "zweite")
    queue.add("c-1", "erste?")
    first = queue.take()
    assert first is not None
    assert first.text == "zweite"


def test_a_conversation_with_a_running_answer_is_skipped() -> None:
    queue = make_queue()
    queue.add("c-1", "a")
    queue.add("c-2", "b")
    taken = queue.take(skip={"c-1"})
    assert taken is not None
    assert taken.conversation_id == "c-2"


def test_the_order_holds_when_the_clock_does_not_move() -> None:
    queue = QuestionQueue(clock=lambda: 5.0)
    texts = [queue.add("c", f"q{i}").text for i in range(3)]
    assert [q.text for q in queue] == texts


def test_an_edit_keeps_the_place_and_tells_the_views() -> None:
    queue = make_queue()
    seen: list[QueuedQuestion] = []
    queue.edited.connect(seen.append)
    first = queue.add("c", "alt")
    queue.add("c", "zwei")
    queue.edit(first.id, "neu")
    assert [q.text for q in queue] == ["neu", "zwei"]
    assert [q.text for q in seen] == ["neu"]


def test_a_blank_edit_is_refused_and_loses_nothing() -> None:
    queue = make_queue()
    question = queue.add("c", "Frage")
    with pytest.raises(ValueError, match="cancel"):
        queue.edit(question.id, "  \n")
    assert queue.get(question.id).text == "Frage"


def test_a_blank_question_is_not_queued() -> None:
    with pytest.raises(ValueError, match="needs text"):
        make_queue().add("c", " ")


def test_cancel_removes_and_a_second_cancel_is_harmless() -> None:
    queue = make_queue()
    removed: list[str] = []
    queue.removed.connect(lambda q: removed.append(q.id))
    question = queue.add("c", "Frage")
    assert queue.cancel(question.id) == question
    assert queue.cancel(question.id) is None
    assert removed == [question.id]


def test_a_question_put_back_keeps_its_old_place() -> None:
    queue = make_queue()
    first = queue.add("c-1", "eins")
    queue.add("c-2", "zwei")
    taken = queue.take()
    assert taken == first
    queue.put_back(first)
    assert [q.text for q in queue] == ["eins", "zwei"]


def test_of_conversation_lists_only_that_conversation_in_order() -> None:
    queue = make_queue()
    queue.add("c-1", "a")
    queue.add("c-2", "b")
    queue.add("c-1", "c")
    assert [q.text for q in queue.of_conversation("c-1")] == ["a", "c"]
