"""The typographic characters bootwalk draws with, and their ASCII stand-ins.

The renderers draw arrows, middle dots, ellipses, check and cross marks,
times and minus signs and bars. A stream whose encoding is not a UTF
(``LC_ALL=C``, ``PYTHONIOENCODING=ascii``) cannot carry them, and gets ASCII
instead: ``->`` for ``→``, ``...`` for ``…``, and any other character as its
letter without accents, or ``?``. Tables get the stand-ins before rich lays
them out (see :func:`bootwalk.render.table.make_console`), so their columns
still line up. No rich here: the plain-text renderers use this too.
"""

from __future__ import annotations

import codecs
from functools import cache

#: What each character the renderers draw becomes where only ASCII can be written.
STAND_INS: dict[str, str] = {
    "→": "->",
    "←": "<-",
    "·": "-",
    "…": "...",
    "—": "--",
    "•": "*",
    "✓": "+",
    "✗": "x",
    "×": "x",
    "−": "-",
    "█": "#",
    "●": "o",
    "▶": ">",
    "◀": "<",
    "─": "-",
    "⟲": "@",
    "–": "-",
    "°": "*",
}


def draws_unicode(stream: object) -> bool:
    """Whether any character can be written to the stream: its encoding is a UTF (a stream without one is text)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


@cache
def stand_in(character: str) -> str:
    """One character as ASCII: itself, its stand-in, its letter without accents (``é`` is ``e``), or ``?``."""
    if character.isascii():
        return character
    if character in STAND_INS:
        return STAND_INS[character]
    import unicodedata

    letters = "".join(part for part in unicodedata.normalize("NFD", character) if not unicodedata.combining(part))
    return letters if letters and letters.isascii() else "?"


def to_ascii(text: str) -> str:
    """The text with every character that is not ASCII replaced by its stand-in."""
    if text.isascii():
        return text
    return "".join(stand_in(character) for character in text)


def one_for_one(text: str) -> str:
    """The text in ASCII with each character replaced by one: for what rich adds after layout (its ``…``)."""
    if text.isascii():
        return text
    return "".join(character if character.isascii() else stand_in(character)[:1] for character in text)


def drawable(text: str, stream: object) -> str:
    """The text as the stream can carry it: as it is, or in ASCII."""
    return text if draws_unicode(stream) else to_ascii(text)
