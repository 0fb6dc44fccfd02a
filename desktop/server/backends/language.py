"""Just enough German and English for the demo: word folding, stop words, language guessing.

The knowledge base and the questions come in both languages, and users type umlauts three ways
("Löschung", "Loeschung", "Loschung"). Folding every word the same way on both sides of the
index, and dropping the words that carry no topic, is what lets a plain bm25 ranking find the
right article; the guess decides which language the demo answers in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from typing import Final, Literal, TypeAlias

Language: TypeAlias = Literal["de", "en"]

_WORD: Final = re.compile(r"[^\W_]+", re.UNICODE)
_UMLAUTS: Final = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_UMLAUT_CHARS: Final = frozenset("äöüÄÖÜß")
# Longest first: the first suffix that leaves a stem of three or more letters is removed.
_SUFFIXES: Final = (
    "ierungen",
    "ierung",
    "ieren",
    "ungen",
    "ation",
    "iert",
    "iere",
    "ing",
    "ung",
    "ion",
    "ies",
    "ed",
    "en",
    "er",
    "es",
    "em",
    "e",
    "s",
    "n",
)


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


GERMAN_STOPWORDS: Final = _wordset(
    """
    aber alle allem allen aller alles als also am an ans auch auf aus bei beim bin bis bitte
    da dabei damit dann das dass dem den denn der des dich die dies diese diesem diesen dieser
    dieses doch dort du durch ein eine einem einen einer eines er es etwa euch fuer gibt habe
    haben hat hatte ich ihm ihn ihr ihre ihrem ihren im in ins ist ja jede jeder jedes kann
    kein keine koennen koennte man mein meine meinem meinen meiner mich mir mit muss nach nicht
    noch nur ob oder ohne sein seine sich sie sind so soll sollte um und uns unser unter vom
    von vor war waren was weil welche welcher welches wenn wer werde werden wie wieso wir wird
    wo wozu zu zum zur ueber geht gehe moechte will bekomme machen mache tun erklaere erklaeren
    hallo danke bitte guten tag
    """
)

ENGLISH_STOPWORDS: Final = _wordset(
    """
    a about after all also am an and any are as at be because been before being but by can
    could did do does doing for from get got had has have having he her here him his how i if
    in into is it its just let me more most my no not of on or our out over please should so
    some such than that the their them then there these they this those to too under up us
    very was we were what when where which while who why will with would you your yours
    hello hi thanks thank tell explain show want need way ways
    """
)

STOPWORDS: Final = GERMAN_STOPWORDS | ENGLISH_STOPWORDS

# Words that are frequent in one language and (almost) never in the other.
_GERMAN_MARKERS: Final = (
    GERMAN_STOPWORDS - ENGLISH_STOPWORDS - {"am", "in", "so", "man", "hat"}
) | {
    "bedeutet",
    "funktioniert",
    "warum",
    "wann",
    "darf",
    "brauche",
    "finde",
    "fehler",
    "hilfe",
    "meldung",
    "nicht",
    "kein",
    "mein",
    "sehe",
    "wurde",
    "geloescht",
    "loeschen",
    "suche",
}
_ENGLISH_MARKERS: Final = (
    ENGLISH_STOPWORDS - GERMAN_STOPWORDS - {"am", "in", "so", "an", "was"}
) | {
    "mean",
    "means",
    "work",
    "works",
    "does",
    "error",
    "help",
    "cannot",
    "can't",
    "see",
    "find",
}
_GERMAN_ENDINGS: Final = ("ung", "ungen", "keit", "heit", "lich", "isch", "ieren", "iert")
_ENGLISH_ENDINGS: Final = ("ing", "ness", "ful")


def fold(text: str) -> str:
    """Lower-case ``text`` and spell umlauts and ß out (ä → ae), as German keyboards allow."""
    return text.lower().translate(_UMLAUTS)


def words(text: str) -> list[str]:
    """The folded words of ``text``: letters and digits only, so no query operator survives."""
    return _WORD.findall(fold(text))


def content_words(text: str) -> list[str]:
    """The folded words of ``text`` that can carry a topic, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in words(text):
        if word not in STOPWORDS and (len(word) > 1 or word.isdigit()):
            seen.setdefault(word, None)
    return list(seen)


def topic_words(text: str) -> list[str]:
    """The words of ``text`` as written that :func:`content_words` keeps, without repeats."""
    seen: dict[str, str] = {}
    for word in _WORD.findall(text):
        folded = fold(word)
        if folded not in STOPWORDS and (len(folded) > 1 or folded.isdigit()):
            seen.setdefault(folded, word)
    return list(seen.values())


def detect_language(
    text: str,
    default: Language = "en",
    vocabulary: Mapping[Language, AbstractSet[str]] | None = None,
) -> Language:
    """Guess whether ``text`` is German or English from its function words and umlauts.

    Short questions rarely hold more than two or three function words, so umlauts and ß and
    typical endings ("-ung", "-ing") count as evidence too; a tie falls back to ``default``
    (the conversation's language). ``vocabulary`` adds words known to be of one language only
    (the knowledge base's, for instance: "Passwort", "vergessen").
    """
    german_words = vocabulary.get("de", frozenset()) if vocabulary else frozenset()
    english_words = vocabulary.get("en", frozenset()) if vocabulary else frozenset()
    german = 1 if any(ch in _UMLAUT_CHARS for ch in text) else 0
    english = 0
    for word in words(text):
        if word in _GERMAN_MARKERS or (len(word) > 5 and word.endswith(_GERMAN_ENDINGS)):
            german += 1
        elif word in _ENGLISH_MARKERS or (len(word) > 5 and word.endswith(_ENGLISH_ENDINGS)):
            english += 1
        elif word in german_words:
            german += 1
        elif word in english_words:
            english += 1
    if german > english:
        return "de"
    if english > german:
        return "en"
    return default


def stem(word: str) -> str:
    """Cut one common German or English ending off a folded word ("exportieren" → "export").

    Crude on purpose: the stem is only ever used as a prefix query (``export*``), so cutting
    too little costs nothing and cutting a little too much still finds the word itself.
    """
    if len(word) < 5 or word.isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def exclusive_vocabulary(texts: Mapping[Language, list[str]]) -> dict[Language, frozenset[str]]:
    """The folded words that occur in texts of one language and never in the other's."""
    seen = {lang: {w for text in items for w in words(text)} for lang, items in texts.items()}
    german, english = seen.get("de", set()), seen.get("en", set())
    return {
        "de": frozenset(w for w in german - english if len(w) > 3 and not w.isdigit()),
        "en": frozenset(w for w in english - german if len(w) > 3 and not w.isdigit()),
    }
