"""The severity order of exit codes: a run with several answers exits with the worst one."""

from __future__ import annotations

from desktop.exit_codes import SEVERITY, Exit, worst


def test_every_exit_code_has_one_place_in_the_severity_order() -> None:
    assert sorted(SEVERITY) == sorted(Exit)


def test_the_worst_of_several_answers_wins() -> None:
    assert worst([Exit.OK, Exit.INTERRUPTED, Exit.OK]) == Exit.INTERRUPTED


def test_a_refusal_is_worse_than_a_failure_or_an_interruption() -> None:
    assert worst([Exit.FAILED, Exit.REJECTED, Exit.INTERRUPTED]) == Exit.REJECTED


def test_a_failure_is_worse_than_a_connection_given_up() -> None:
    assert worst([Exit.GAVE_UP, Exit.FAILED]) == Exit.FAILED


def test_no_answers_is_ok() -> None:
    assert worst([]) == Exit.OK
