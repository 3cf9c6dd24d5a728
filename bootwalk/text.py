"""Text that may reach a terminal: find and show the control characters in it, and write numbers.

A control character from a catalog, a saved trace or the command line could
move the cursor, clear the screen or retitle the terminal (ESC, CSI, OSC,
BEL). bootwalk refuses such text where it comes in; :func:`visible` shows
it harmlessly wherever it has to be quoted back, as ``\\x1b``.
:func:`number_text` writes a number as the scheduler's reasons do, so that
a listing and a verdict show the same figures.
"""

from __future__ import annotations

import re
from typing import Any

#: The character classes, by name; each is compiled the first time it is used (compiling the three
#: takes a millisecond that ``--help`` need not pay):
#: ``CONTROL``: C0 controls (but tab and newline), DEL, the C1 controls, lone surrogates (bytes of
#: a command line or a file name that are not UTF-8, which Python keeps as U+DC80-U+DCFF and would
#: write back raw), and the bidirectional controls and line separators (:data:`_BIDI`): what must never
#: reach a terminal as it is. ``CONTROL_OR_LINE_BREAK``: the same,
#: with tab and newline too, for one-line values such as names and options. ``CONTROL_BUT_NEWLINE``:
#: everything but the newline, for lines bootwalk itself may break (an error message).
_CLASSES = {
    "CONTROL": "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff" + "{bidi}]",
    "CONTROL_OR_LINE_BREAK": "[\x00-\x1f\x7f-\x9f\ud800-\udfff" + "{bidi}]",
    "CONTROL_BUT_NEWLINE": "[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff" + "{bidi}]",
}
#: The characters that reorder or break a line as a terminal shows it, though they are not C0 or C1 controls:
#: the bidirectional marks, embeddings, overrides and isolates, and the Unicode line and paragraph separators.
_BIDI = "\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_CLASSES = {name: value.replace("{bidi}", _BIDI) for name, value in _CLASSES.items()}
_compiled: dict[str, re.Pattern[str]] = {}


def pattern(name: str) -> re.Pattern[str]:
    """The compiled character class ``name`` (a key of the classes above)."""
    found = _compiled.get(name)
    if found is None:
        found = _compiled[name] = re.compile(_CLASSES[name])
    return found


def __getattr__(name: str) -> Any:
    """``text.CONTROL`` and the others, compiled when first asked for."""
    if name in _CLASSES:
        return pattern(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def first_control(text: str, *, allow_line_breaks: bool = False) -> str | None:
    """The first control character in the text, or None; tab and newline count unless allowed."""
    found = pattern("CONTROL" if allow_line_breaks else "CONTROL_OR_LINE_BREAK").search(text)
    return found.group() if found else None


def _escape(character: str) -> str:
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8: show the byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """The text with every control character written as ``\\xNN``: tab and newline too, unless newlines are kept."""
    chosen = pattern("CONTROL_BUT_NEWLINE" if keep_newlines else "CONTROL_OR_LINE_BREAK")
    return chosen.sub(lambda found: _escape(found.group()), text)


def describe_control(character: str) -> str:
    """What a refused character is, for a message: ``a control character (U+001B)``."""
    code = ord(character)
    if 0xD800 <= code <= 0xDFFF:
        return f"a byte that is not UTF-8 text ({_escape(character)})"
    return f"a control character (U+{code:04X})"


def number_text(value: float) -> str:
    """A number as the scheduler's reasons write it: ``20480`` rather than ``20480.0``; ``1.5`` stays ``1.5``."""
    return f"{value:g}" if value != int(value) else str(int(value))
