"""The demo's help articles on disk: where they live and how they split into passages.

An article is a Markdown file whose first line is ``# Title``; ``## `` headings divide it into
sections, and a last ``Tags:`` line lists keywords (in both languages, so an English question
finds a German article). A passage is one section: small enough to quote in an answer, large
enough to make sense on its own.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from desktop.resources import candidates as resource_candidates
from desktop.server.backends.language import Language, detect_language

#: Overrides where the articles are looked for (a directory of ``*.md`` files).
KNOWLEDGE_DIR_ENV: Final = "ASSIST_KNOWLEDGE_DIR"

_TAGS_LINE: Final = re.compile(
    r"^(?:tags|schlagw(?:ö|oe)rter|stichw(?:ö|oe)rter)\s*:\s*(.*)$", re.I
)


@dataclass(frozen=True, slots=True)
class Passage:
    """One section of one article, as the index stores it and an answer quotes it."""

    title: str
    heading: str | None
    text: str
    path: str
    language: Language
    tags: str = ""


def knowledge_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The directory holding the articles.

    Looked for, in order: ``explicit``, ``$ASSIST_KNOWLEDGE_DIR``, ``$ASSIST_RESOURCES/knowledge``,
    then ``knowledge/`` in every place :mod:`desktop.resources` knows (a frozen bundle, the
    checkout, an installed wheel's data files). The first directory holding ``*.md`` files wins.

    Raises:
        FileNotFoundError: no candidate is a directory holding ``*.md`` files.
    """
    if explicit is not None:
        path = Path(explicit)
        if not path.is_dir():
            raise FileNotFoundError(f"knowledge directory {path} does not exist")
        return path
    tried = list(_candidates())
    for path in tried:
        if path.is_dir() and any(path.glob("*.md")):
            return path
    raise FileNotFoundError(
        "no knowledge articles found; looked in " + ", ".join(str(p) for p in tried)
    )


def _candidates() -> Iterator[Path]:
    env = os.environ.get(KNOWLEDGE_DIR_ENV)
    if env:
        yield Path(env)
    for resources in resource_candidates():
        yield resources / "knowledge"


def load_passages(directory: Path) -> list[Passage]:
    """Every passage of every ``*.md`` file in ``directory``, in file-name order."""
    passages: list[Passage] = []
    for path in sorted(directory.glob("*.md")):
        passages.extend(split_article(path.read_text(encoding="utf-8"), path.name))
    return passages


def split_article(markdown: str, path: str) -> list[Passage]:
    """Split one article into its passages (the text before the first ``##`` is one too)."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    title = path
    if lines and lines[0].startswith("# "):
        title = lines.pop(0)[2:].strip()
    tags = ""
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    in_fence = False
    for line in lines:
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        if not in_fence and line.startswith("## "):
            sections.append((line[3:].strip(), []))
            continue
        match = None if in_fence else _TAGS_LINE.match(line.strip())
        if match:
            tags = match.group(1).strip()
            continue
        sections[-1][1].append(line)
    language = _language_of(path, markdown)
    out = []
    for heading, body in sections:
        text = "\n".join(body).strip()
        if text:
            out.append(Passage(title, heading, text, path, language, tags))
    return out


def _language_of(path: str, text: str) -> Language:
    prefix = Path(path).name[:3].lower()
    if prefix == "de-":
        return "de"
    if prefix == "en-":
        return "en"
    return detect_language(text)
