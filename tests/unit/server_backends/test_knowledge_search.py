"""Search quality and robustness of the demo's knowledge base (real FTS5 index, real articles)."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.resources import RESOURCES_ENV as RESOURCES_DIR_ENV
from desktop.server.backends.articles import (
    KNOWLEDGE_DIR_ENV,
    knowledge_dir,
    load_passages,
    split_article,
)
from desktop.server.backends.knowledge import KnowledgeBase


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("Wie exportiere ich eine Unterhaltung?", "de-export-unterhaltung.md"),
        ("How do I export a conversation?", "de-export-unterhaltung.md"),
        ("Wie lange muss ich Rechnungen aufbewahren?", "de-aufbewahrungsfristen.md"),
        ("Ich habe mein Passwort vergessen", "de-passwort-zuruecksetzen.md"),
        ("Die Suche findet mein gescanntes Dokument nicht", "de-ocr-texterkennung.md"),
        ("Texterkennung verbessern", "de-ocr-texterkennung.md"),
        ("Wie scanne ich Eingangspost?", "de-posteingang-scannen.md"),
        ("DSGVO Löschanfrage umsetzen", "de-dsgvo-loeschung.md"),
        ("Wie vergleiche ich zwei Versionen?", "de-versionierung-check-out.md"),
        ("Wer vertritt mich im Urlaub bei der Rechnungsfreigabe?", "de-workflow-freigabe.md"),
        ("Wie installiere ich den Client per Softwareverteilung?", "de-client-installation.md"),
        ("Platzhalter in der Volltextsuche", "de-volltextsuche-syntax.md"),
        ("Who can see HR documents? How do roles work?", "en-permissions.md"),
        ("SSO redirect loop when signing in", "en-login-sso.md"),
        ("I changed my phone and MFA codes are rejected", "en-login-sso.md"),
        ("What does error DOC-409 mean?", "en-error-codes.md"),
        ("Was bedeutet der Fehler IMP-415?", "en-error-codes.md"),
        ("How do I archive emails from Outlook?", "en-email-archiving.md"),
        ("how do I redact a document before sharing", "en-annotations-redaction.md"),
        ("approval workflow for invoices", "de-workflow-freigabe.md"),
        ("How can I send a contract to our lawyer?", "en-sharing-external.md"),
        ("who changed this document", "en-audit-trail.md"),
        ("make a saved search and share it with my team", "en-searching-archives.md"),
        (
            "which metadata fields are mandatory for a document type",
            "en-metadata-document-types.md",
        ),
        ("searches are slow over VPN", "en-performance-tips.md"),
    ],
)
def test_the_right_article_ranks_first(kb: KnowledgeBase, question: str, article: str) -> None:
    hits = kb.search(question, 5)
    assert hits, question
    assert hits[0].path == article, [(h.path, h.score) for h in hits]


@pytest.mark.parametrize("spelling", ["Löschsperre", "Loeschsperre", "LÖSCHSPERRE", "löschsperre"])
def test_umlauts_match_however_they_are_typed(kb: KnowledgeBase, spelling: str) -> None:
    hits = kb.search(spelling, 3)
    assert hits[0].path == "de-aufbewahrungsfristen.md"
    assert hits[0].heading == "Löschsperre (Legal Hold)"


def test_a_part_of_a_compound_word_finds_the_compound(kb: KnowledgeBase) -> None:
    # "Aufbewahrungsrichtlinie" is the only form of the word in the retention article.
    paths = [hit.path for hit in kb.search("Richtlinie", 5)]
    assert "de-aufbewahrungsfristen.md" in paths


def test_a_typo_still_finds_the_article(kb: KnowledgeBase) -> None:
    assert kb.search("Loschsperre", 3)[0].path == "de-aufbewahrungsfristen.md"
    assert kb.search("Texterkenung", 3)[0].path == "de-ocr-texterkennung.md"


@pytest.mark.parametrize(
    "question", ["What's the weather tomorrow?", "pizza recipe", "Wie spät ist es?", "der die das"]
)
def test_unrelated_questions_find_nothing(kb: KnowledgeBase, question: str) -> None:
    assert kb.search(question, 5) == []


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        '"""',
        "AND OR NOT",
        "NEAR(a b, 3)",
        "title:export",
        "export*",
        "*",
        "^export",
        "-export",
        "(export",
        "export)",
        "{title body}: export",
        "a' OR 1=1 --",
        "\0\0export\0",
        "🙂🙂 export 🙂",
        "ǅ ß ﬁ Ⅻ",
        "x" * 5000,
        "export " * 6000,
    ],
)
def test_any_user_text_is_a_valid_query(kb: KnowledgeBase, query: str) -> None:
    hits = kb.search(query, 5)
    assert isinstance(hits, list)
    assert len(hits) <= 5


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_search_never_raises_on_arbitrary_text(query: str) -> None:
    hits = _shared().search(query, 4)
    assert len(hits) <= 4
    assert all(a.score >= b.score for a, b in itertools.pairwise(hits))


_KB: list[KnowledgeBase] = []


def _shared() -> KnowledgeBase:
    if not _KB:
        _KB.append(KnowledgeBase.load())
    return _KB[0]


def test_hits_are_ranked_capped_per_article_and_carry_a_snippet(kb: KnowledgeBase) -> None:
    hits = kb.search("Passwort zurücksetzen Konto gesperrt", 5, per_article=2)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    paths = [h.path for h in hits]
    assert all(paths.count(p) <= 2 for p in paths)
    top = hits[0]
    assert top.title == "Passwort zurücksetzen"
    assert top.snippet
    assert "**" not in top.snippet
    assert top.snippet.replace("…", "") in " ".join(top.text.replace("**", "").split()) or (
        top.snippet.endswith("…")
    )
    assert top.language == "de"


def test_limit_zero_or_below_finds_nothing(kb: KnowledgeBase) -> None:
    assert kb.search("Passwort", 0) == []


def test_the_articles_are_a_useful_bilingual_set() -> None:
    directory = knowledge_dir()
    files = sorted(directory.glob("*.md"))
    assert 18 <= len(files) <= 24
    german = [f for f in files if f.name.startswith("de-")]
    english = [f for f in files if f.name.startswith("en-")]
    assert len(german) + len(english) == len(files)
    assert abs(len(german) - len(english)) <= 2
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# "), path.name
        assert 150 <= len(text.split()) <= 400, (path.name, len(text.split()))
        assert "Archivum" in text, path.name


def test_articles_split_into_sections_without_their_tags_line() -> None:
    markdown = (
        "# Title\n\nIntro text.\n\n## First\n\nOne.\n\n```\n## not a heading\n```\n\n"
        "## Second\n\nTwo.\n\nTags: alpha, beta\n"
    )
    passages = split_article(markdown, "en-sample.md")
    assert [(p.heading, p.text) for p in passages] == [
        (None, "Intro text."),
        ("First", "One.\n\n```\n## not a heading\n```"),
        ("Second", "Two."),
    ]
    assert {p.title for p in passages} == {"Title"}
    assert {p.tags for p in passages} == {"alpha, beta"}
    assert {p.language for p in passages} == {"en"}


def test_an_explicit_directory_and_the_environment_override_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "de-kaffee.md").write_text(
        "# Kaffeemaschine entkalken\n\nDie Kaffeemaschine wird monatlich entkalkt.\n",
        encoding="utf-8",
    )
    own = KnowledgeBase.load(tmp_path)
    assert [h.path for h in own.search("Kaffeemaschine entkalken", 3)] == ["de-kaffee.md"]
    monkeypatch.setenv(KNOWLEDGE_DIR_ENV, str(tmp_path))
    assert knowledge_dir() == tmp_path
    assert len(load_passages(knowledge_dir())) == 1


def test_the_resources_override_and_a_bundle_are_looked_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KNOWLEDGE_DIR_ENV, raising=False)
    for root in ("moved", "bundle"):
        folder = tmp_path / root / "resources" / "knowledge"
        folder.mkdir(parents=True)
        (folder / "en-a.md").write_text("# A\n\nText.\n", encoding="utf-8")
    monkeypatch.setenv(RESOURCES_DIR_ENV, str(tmp_path / "moved" / "resources"))
    assert knowledge_dir() == tmp_path / "moved" / "resources" / "knowledge"
    monkeypatch.delenv(RESOURCES_DIR_ENV)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "bundle"), raising=False)
    assert knowledge_dir() == tmp_path / "bundle" / "resources" / "knowledge"


def test_the_checkout_is_found_without_any_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KNOWLEDGE_DIR_ENV, raising=False)
    monkeypatch.delenv(RESOURCES_DIR_ENV, raising=False)
    repo = Path(__file__).resolve().parents[3]
    assert knowledge_dir() == repo / "resources" / "knowledge"


def test_a_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        knowledge_dir(tmp_path / "nowhere")


def test_the_index_can_be_searched_from_several_threads(kb: KnowledgeBase) -> None:
    from concurrent.futures import ThreadPoolExecutor

    questions = ["Passwort vergessen", "SSO redirect loop", "OCR", "retention"] * 25
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda q: kb.search(q, 3), questions))
    assert results[:4] == results[4:8]
