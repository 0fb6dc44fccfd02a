"""Word folding, stemming and the German/English guess the demo answers in."""

from __future__ import annotations

import pytest

from desktop.server.backends.knowledge import KnowledgeBase
from desktop.server.backends.language import content_words, detect_language, fold, stem, words


def test_umlauts_fold_to_their_two_letter_spelling() -> None:
    assert fold("Löschung ÄRGER Straße") == "loeschung aerger strasse"


def test_words_keep_letters_and_digits_only() -> None:
    assert words('title:"Export" AND NEAR(a*, 3) DOC-409') == [
        "title",
        "export",
        "and",
        "near",
        "a",
        "3",
        "doc",
        "409",
    ]


def test_content_words_drop_stop_words_and_repeats() -> None:
    assert content_words("Wie exportiere ich die Unterhaltung, die Unterhaltung?") == [
        "exportiere",
        "unterhaltung",
    ]
    assert content_words("How do I do it?") == []


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("exportieren", "export"),
        ("exporting", "export"),
        ("passwords", "password"),
        ("aufbewahrungsfristen", "aufbewahrungsfrist"),
        ("ocr", "ocr"),
        ("2024", "2024"),
    ],
)
def test_stems_cut_one_common_ending(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Wie exportiere ich eine Unterhaltung?", "de"),
        ("Was bedeutet DOC-409?", "de"),
        ("Löschung", "de"),
        ("Texterkennung verbessern", "de"),
        ("How do I export a conversation?", "en"),
        ("What does DOC-409 mean?", "en"),
        ("Exporting conversations", "en"),
    ],
)
def test_the_language_is_guessed_from_function_words_and_endings(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_a_question_without_clues_takes_the_default() -> None:
    assert detect_language("OCR", default="de") == "de"
    assert detect_language("OCR", default="en") == "en"


def test_the_knowledge_base_vocabulary_settles_short_questions() -> None:
    kb = KnowledgeBase.load()
    assert detect_language("Passwort vergessen") == "en"  # no function word, no ending
    assert kb.language_of("Passwort vergessen") == "de"
    assert kb.language_of("Rechnung freigeben") == "de"
    assert kb.language_of("redact document") == "en"
