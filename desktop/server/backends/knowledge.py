"""Full-text search over the help articles: SQLite FTS5 with bm25, in memory.

Why FTS5 and not a hand-made ranking: bm25 with column weights is what real search engines use,
SQLite ships it, and the index of twenty articles builds in a few milliseconds. Ranking is two
level: an article's relevance (its title and tags, scored apart from its body because bm25
normalises by the length of the whole row) picks the articles, and a section's own bm25 picks
which of an article's passages to quote. Words are matched as stemmed prefixes, OR-combined.
When words find too little, trigrams help: whole query words inside German compounds
("Richtlinie" in "Aufbewahrungsrichtlinie"), and, when nothing at all matched, words sharing
most of their four-letter pieces with an article's words (typos such as "Loschsperre").

Both sides of each index see text through :func:`~desktop.server.backends.language.fold`, so
"Löschung", "Loeschung" and "LÖSCHUNG" are one word. A query is rebuilt from its letters and
digits only and every term is quoted, so no user text can form an FTS5 operator or syntax error.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from desktop.server.backends.articles import Passage, knowledge_dir, load_passages
from desktop.server.backends.language import (
    Language,
    content_words,
    detect_language,
    exclusive_vocabulary,
    fold,
    stem,
)

MAX_QUERY_TERMS: Final = 24
FUZZY_MIN_SHARE: Final = 0.7
MIN_PREFIX_STEM: Final = 6
#: Longer "words" (pasted hashes, runs of one letter) are not looked for inside other words.
MAX_WORD_CHARS: Final = 40
#: How much a section's own match adds to its article's: the article picks, the section orders.
SECTION_WEIGHT: Final = 0.5
# Title and tags are scored apart from the body: bm25 normalises by the length of the whole
# row, and a long body would otherwise drown the few words that name the article's topic.
_KEYS_SQL: Final = (  # weights: title, tags
    "SELECT rowid, bm25(article_keys, 4.0, 2.0) AS rank FROM article_keys "
    "WHERE article_keys MATCH ? ORDER BY rank LIMIT 50"
)
_BODIES_SQL: Final = (
    "SELECT rowid, bm25(article_bodies) AS rank FROM article_bodies "
    "WHERE article_bodies MATCH ? ORDER BY rank LIMIT 50"
)
_SECTIONS_SQL: Final = (  # weights: heading, body
    "SELECT rowid, bm25(sections, 2.0, 1.0) AS rank FROM sections "
    "WHERE sections MATCH ? ORDER BY rank LIMIT 200"
)
_TRIGRAM_SQL: Final = (
    "SELECT rowid, bm25(article_trigrams) AS rank FROM article_trigrams "
    "WHERE article_trigrams MATCH ? ORDER BY rank LIMIT 50"
)
# A sentence ends at . ! ? or : before a capital letter or an opening quote ("Art. 17" does not).
_SENTENCE: Final = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÄÖÜ„“\"(])|\n+")
_MARKUP: Final = re.compile(r"\*\*|`+|^\s*(?:[-*]|\d+\.)\s+", re.M)
SNIPPET_CHARS: Final = 220


@dataclass(frozen=True, slots=True)
class Hit:
    """One passage that matched, best first in a result list.

    Attributes:
        title: the article's title.
        score: the bm25 relevance (higher is better; only comparable within one query).
        snippet: the passage's sentence that best matches the query, without Markdown markup.
        path: the article's file name.
        heading: the section heading, ``None`` for an article's introduction.
        text: the whole passage (Markdown), for quoting.
        language: the article's language.
        position: the passage's place in its article (0 is the introduction).
    """

    title: str
    score: float
    snippet: str
    path: str
    heading: str | None = None
    text: str = ""
    language: Language = "en"
    position: int = 0


class KnowledgeBase:
    """An in-memory index of passages; safe to share between threads."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self._passages = list(passages)
        self._articles: dict[str, list[int]] = {}
        for i, passage in enumerate(self._passages):
            self._articles.setdefault(passage.path, []).append(i)
        self._paths = list(self._articles)
        self._folded = [fold(f"{p.heading or ''} {p.text}") for p in self._passages]
        by_language: dict[Language, list[str]] = {"de": [], "en": []}
        for passage in self._passages:
            by_language[passage.language].append(f"{passage.title} {passage.text}")
        self._vocabulary = exclusive_vocabulary(by_language)
        self._article_texts: list[str] = []
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._build_index()

    def _build_index(self) -> None:
        self._db.executescript(
            """
            CREATE VIRTUAL TABLE article_keys USING fts5(
                title, tags, tokenize = 'unicode61 remove_diacritics 2');
            CREATE VIRTUAL TABLE article_bodies USING fts5(
                body, tokenize = 'unicode61 remove_diacritics 2');
            CREATE VIRTUAL TABLE sections USING fts5(
                heading, body, tokenize = 'unicode61 remove_diacritics 2');
            CREATE VIRTUAL TABLE article_trigrams USING fts5(text, tokenize = 'trigram');
            """
        )
        for a, path in enumerate(self._paths):
            first = self._passages[self._articles[path][0]]
            body = fold(" ".join(self._passages[i].text for i in self._articles[path]))
            title, tags = fold(first.title), fold(first.tags)
            self._article_texts.append(f"{title} {tags} {body}")
            self._db.execute(
                "INSERT INTO article_keys(rowid, title, tags) VALUES (?, ?, ?)", (a, title, tags)
            )
            self._db.execute("INSERT INTO article_bodies(rowid, body) VALUES (?, ?)", (a, body))
            self._db.execute(
                "INSERT INTO article_trigrams(rowid, text) VALUES (?, ?)",
                (a, self._article_texts[-1]),
            )
        self._db.executemany(
            "INSERT INTO sections(rowid, heading, body) VALUES (?, ?, ?)",
            [(i, fold(p.heading or ""), fold(p.text)) for i, p in enumerate(self._passages)],
        )

    @classmethod
    def load(cls, directory: str | os.PathLike[str] | None = None) -> KnowledgeBase:
        """Index the articles in ``directory`` (default: see :func:`knowledge_dir`)."""
        return cls(load_passages(knowledge_dir(directory)))

    @property
    def passages(self) -> list[Passage]:
        return list(self._passages)

    def language_of(self, text: str, default: Language = "en") -> Language:
        """The language of ``text``, helped by the words only one language's articles use."""
        return detect_language(text, default, self._vocabulary)

    def search(self, query: str, limit: int = 5, *, per_article: int = 2) -> list[Hit]:
        """The passages that best answer ``query``, best first; ``[]`` when nothing matches.

        The article's relevance (title, tags and all its text) decides which articles come
        first; the section's own relevance decides which of an article's passages to quote.
        Never raises on user input: any text (quotes, operators, emoji, only stop words) gives
        a list. ``per_article`` keeps one long article from filling the whole list.
        """
        terms = content_words(query)[:MAX_QUERY_TERMS]
        if not terms or limit <= 0:
            return []
        stems = [stem(t) for t in terms]
        match = " OR ".join(_match_term(t, s) for t, s in zip(terms, stems, strict=True))
        articles = dict(self._run(_KEYS_SQL, match))
        for a, score in self._run(_BODIES_SQL, match):
            articles[a] = articles.get(a, 0.0) + score
        long_words = [t for t in terms if 5 <= len(t) <= MAX_WORD_CHARS]
        if len(articles) < limit and long_words:
            # Parts of compound words: "richtlinie" inside "aufbewahrungsrichtlinie".
            floor = min(articles.values(), default=None)
            for a, score in self._run(_TRIGRAM_SQL, " OR ".join(f'"{t}"' for t in long_words)):
                if a not in articles:
                    articles[a] = score if floor is None else min(score, floor)
        if not articles and long_words:
            articles = self._fuzzy_articles(long_words)
        if not articles:
            return []
        sections = dict(self._run(_SECTIONS_SQL, match))
        ranked: list[tuple[float, int]] = []
        for a, article_score in articles.items():
            for row in self._articles[self._paths[a]]:
                section = sections.get(row)
                if section is None:
                    section = _coverage(stems, self._folded[row])
                ranked.append((article_score + SECTION_WEIGHT * section, row))
        ranked.sort(key=lambda item: (-item[0], item[1]))
        return self._hits(ranked, stems, limit, per_article)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _fuzzy_articles(self, words: list[str]) -> dict[int, float]:
        """Articles sharing most 4-letter pieces with a query word: typos like "Loschsperre"."""
        pieces = {w: {w[i : i + 4] for i in range(len(w) - 3)} for w in words}
        match = " OR ".join(f'"{p}"' for group in pieces.values() for p in sorted(group))
        found: dict[int, float] = {}
        for a, score in self._run(_TRIGRAM_SQL, match):
            text = self._article_texts[a]
            best = max(sum(p in text for p in group) / len(group) for group in pieces.values())
            if best >= FUZZY_MIN_SHARE:
                found[a] = score * best
        return found

    def _run(self, sql: str, match: str) -> list[tuple[int, float]]:
        try:
            with self._lock:
                rows = self._db.execute(sql, (match,)).fetchall()
        except sqlite3.Error:
            return []  # a query FTS5 still refuses finds nothing rather than failing the answer
        return [(int(row), -float(score)) for row, score in rows]

    def _hits(
        self, ranked: list[tuple[float, int]], stems: list[str], limit: int, per_article: int
    ) -> list[Hit]:
        hits: list[Hit] = []
        per_path: dict[str, int] = {}
        for score, row in ranked:
            passage = self._passages[row]
            if per_path.get(passage.path, 0) >= per_article:
                continue
            per_path[passage.path] = per_path.get(passage.path, 0) + 1
            hits.append(
                Hit(
                    title=passage.title,
                    score=round(score, 3),
                    snippet=best_sentence(passage.text, stems),
                    path=passage.path,
                    heading=passage.heading,
                    text=passage.text,
                    language=passage.language,
                    position=self._articles[passage.path].index(row),
                )
            )
            if len(hits) == limit:
                break
        return hits


def _match_term(word: str, stem_: str) -> str:
    """The FTS5 expression for one query word: the word as a prefix, and a long stem as one.

    Short stems would overreach as prefixes ("recip*" finds "recipient" for "recipe").
    """
    if len(stem_) >= MIN_PREFIX_STEM and stem_ != word:
        return f'"{word}"* OR "{stem_}"*'
    return f'"{word}"*' if len(word) >= 3 else f'"{word}"'


def _coverage(stems: Sequence[str], folded_text: str) -> float:
    """A small score for a section bm25 did not match: the share of stems it contains."""
    return sum(s in folded_text for s in stems) / len(stems)


def best_sentence(text: str, stems: Sequence[str], max_chars: int = SNIPPET_CHARS) -> str:
    """The sentence of ``text`` that mentions the most query stems, as plain text."""
    sentences = [s.strip() for s in _SENTENCE.split(_MARKUP.sub("", text)) if s.strip()]
    if not sentences:
        return ""
    best = max(sentences, key=lambda s: sum(stem_ in fold(s) for stem_ in stems))
    if len(best) <= max_chars:
        return best
    return best[: max_chars - 1].rsplit(" ", 1)[0] + "…"
