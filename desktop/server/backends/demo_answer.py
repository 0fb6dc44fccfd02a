"""What the demo says: the search query, the reasoning, and an answer built from passages.

All of it is a pure function of the request and the knowledge base, so the same message and
history always give the same answer, and the answer (with its length) is known before the first
token is sent. Phrases come in German and English; the question's language picks one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from time import perf_counter
from typing import Final

from desktop.protocol.request import ChatRequest
from desktop.server.backends.knowledge import Hit, KnowledgeBase
from desktop.server.backends.language import Language, content_words, topic_words

SEARCH_LIMIT: Final = 5
MAX_CITED: Final = 3
#: A passage is cited only when its score is at least this share of the best one.
MIN_RELATIVE_SCORE: Final = 0.35
MAX_QUOTED_WORDS: Final = 90
#: A follow-up with fewer topic words than this also searches with the previous question.
FOLLOW_UP_WORDS: Final = 3
_PIECE: Final = re.compile(r"\s*\S+")

_TEXT: Final[dict[Language, dict[str, str]]] = {
    "de": {
        "analysing": "Analysiere Ihre Anfrage...",
        "searching": "Durchsuche die Wissensdatenbank...",
        "writing": "Formuliere die Antwort...",
        "understood": "Die Frage ist auf Deutsch gestellt. Suchbegriffe: {terms}.",
        "follow_up": " Sie knüpft an die vorige Frage an, deren Begriffe ich mitsuche.",
        "found": "{n} Treffer. Der beste ist „{title}“ (Score {score}). ",
        "plan": "Ich stütze die Antwort auf {refs}.",
        "nothing": "Kein Abschnitt passt zu den Suchbegriffen.",
        "intro": "Dazu habe ich in der Wissensdatenbank Folgendes gefunden.",
        "according": "Laut „{title}“{section} [{n}]:",
        "section": ", Abschnitt „{heading}“",
        "other_language": " (der Artikel ist auf Englisch)",
        "closing": "Falls das Ihre Frage nicht ganz beantwortet, nennen Sie gern Details wie "
        "den Dokumenttyp oder einen Fehlercode.",
        "sources": "Quellen",
        "no_match": "Dazu habe ich in der Wissensdatenbank leider nichts gefunden. Bitte "
        "formulieren Sie Ihre Frage anders, etwa mit Fachbegriffen wie „Aufbewahrungsfrist“, "
        "„Volltextsuche“ oder einem Fehlercode wie „DOC-409“.",
        "topics": "Zu diesen Themen gibt es Artikel:",
        "no_terms": "Die Nachricht enthält keine Suchbegriffe.",
    },
    "en": {
        "analysing": "Analysing your question…",
        "searching": "Searching the knowledge base…",
        "writing": "Writing the answer…",
        "understood": "The question is in English. Search terms: {terms}.",
        "follow_up": " It follows up on the previous question, so I search with its terms too.",
        "found": "{n} hits. The best is “{title}” (score {score}). ",
        "plan": "I base the answer on {refs}.",
        "nothing": "No passage matches the search terms.",
        "intro": "Here is what the knowledge base says about this.",
        "according": "According to “{title}”{section} [{n}]:",
        "section": ", section “{heading}”",
        "other_language": " (the article is in German)",
        "closing": "If this does not fully answer your question, add details such as the "
        "document type or an error code.",
        "sources": "Sources",
        "no_match": "I could not find anything about this in the knowledge base. Please try "
        "rephrasing your question, for example with terms such as “retention policy”, "
        "“full-text search” or an error code such as “DOC-409”.",
        "topics": "The knowledge base has articles on these topics:",
        "no_terms": "The message holds no search terms.",
    },
}


@dataclass(frozen=True, slots=True)
class DemoAnswer:
    """Everything the demo generation will send, decided before it sends anything."""

    language: Language
    query: str
    hits: tuple[Hit, ...]
    cited: tuple[Hit, ...]
    reasoning: tuple[str, ...]
    conclusion: str
    text: str
    pieces: tuple[str, ...]
    search_ms: float

    def phrase(self, key: str) -> str:
        return _TEXT[self.language][key]


def compose(knowledge: KnowledgeBase, request: ChatRequest) -> DemoAnswer:
    """Search for ``request`` and write the answer the demo will stream."""
    language = question_language(request, knowledge)
    text = _TEXT[language]
    query, follow_up = search_query(request)
    started = perf_counter()
    hits = tuple(knowledge.search(query, SEARCH_LIMIT))
    search_ms = round((perf_counter() - started) * 1000, 3)
    cited = _cited(hits)
    terms = topic_words(query)[:8]
    reasoning = [text["understood"].format(terms=", ".join(terms)) if terms else text["no_terms"]]
    if follow_up:
        reasoning.append(text["follow_up"])
    if cited:
        refs = ", ".join(f"[{n}] {_source_name(hit)}" for n, hit in enumerate(cited, 1))
        best = cited[0]
        conclusion = text["found"].format(n=len(hits), title=best.title, score=best.score)
        conclusion += text["plan"].format(refs=refs)
        answer = _answer(language, cited)
    else:
        conclusion = text["nothing"]
        answer = _no_match(language, knowledge)
    return DemoAnswer(
        language=language,
        query=query,
        hits=hits,
        cited=cited,
        reasoning=tuple(reasoning),
        conclusion=conclusion,
        text=answer,
        pieces=tuple(split_pieces(answer)),
        search_ms=search_ms,
    )


def question_language(request: ChatRequest, knowledge: KnowledgeBase) -> Language:
    """The message's language; for a message without clues, the last user turn's, else English."""
    fallback: Language = "en"
    for item in reversed(request.history):
        if item.role == "user":
            fallback = knowledge.language_of(item.content)
            break
    return knowledge.language_of(request.message, default=fallback)


def search_query(request: ChatRequest) -> tuple[str, bool]:
    """The text to search for, and whether it took in the previous question.

    A short follow-up ("und als PDF?") names too little to search for on its own.
    """
    if len(content_words(request.message)) >= FOLLOW_UP_WORDS:
        return request.message, False
    for item in reversed(request.history):
        if item.role == "user":
            return f"{request.message} {item.content}", True
    return request.message, False


def split_pieces(text: str) -> list[str]:
    """Tokens as the demo streams them: each word with the whitespace before it."""
    return _PIECE.findall(text)


def _cited(hits: Sequence[Hit]) -> tuple[Hit, ...]:
    """The best hits worth quoting, each article's passages in the article's own order.

    Score picks the passages; reading order keeps "what it is" before "how to do it".
    """
    if not hits:
        return ()
    floor = hits[0].score * MIN_RELATIVE_SCORE
    chosen = [hit for hit in hits[:MAX_CITED] if hit.score >= floor]
    article_rank = {hit.path: rank for rank, hit in reversed(list(enumerate(chosen)))}
    return tuple(sorted(chosen, key=lambda hit: (article_rank[hit.path], hit.position)))


def _answer(language: Language, cited: Sequence[Hit]) -> str:
    text = _TEXT[language]
    parts = [text["intro"]]
    for n, hit in enumerate(cited, 1):
        section = text["section"].format(heading=hit.heading) if hit.heading else ""
        lead = text["according"].format(title=hit.title, section=section, n=n)
        if hit.language != language:
            lead = lead[:-1] + text["other_language"] + ":"
        parts.append(f"{lead}\n\n{_quote(hit.text)}")
    parts.append(text["closing"])
    sources = [f"**{text['sources']}**", ""]
    for n, hit in enumerate(cited, 1):
        sources.append(f"- [{n}] {_source_name(hit)} ({hit.path})")
    parts.append("\n".join(sources))
    return "\n\n".join(parts)


def _source_name(hit: Hit) -> str:
    return f"{hit.title} – {hit.heading}" if hit.heading else hit.title


def _quote(passage: str) -> str:
    """The passage's first blocks, up to about :data:`MAX_QUOTED_WORDS` words."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", passage) if b.strip()]
    kept: list[str] = []
    words = 0
    for block in blocks:
        if kept and words + len(block.split()) > MAX_QUOTED_WORDS:
            break
        kept.append(block)
        words += len(block.split())
    return "\n\n".join(kept)


def _no_match(language: Language, knowledge: KnowledgeBase) -> str:
    text = _TEXT[language]
    titles = sorted({p.title for p in knowledge.passages if p.language == language})
    topics = "\n".join(f"- {title}" for title in titles[:8])
    return f"{text['no_match']}\n\n{text['topics']}\n\n{topics}"
