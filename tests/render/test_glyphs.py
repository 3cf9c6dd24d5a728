"""ASCII stand-ins for a stream that cannot carry Unicode, put in before rich lays tables out."""

from __future__ import annotations

import io

import pytest
from rich.text import Text

from bootwalk.engine import resolve_request
from bootwalk.model import Catalog
from bootwalk.render.console import AsciiStandIns
from bootwalk.render.glyphs import STAND_INS, draws_unicode, to_ascii
from bootwalk.render.table import TableRenderer
from bootwalk.scenarios import SCENARIOS
from tests.conftest import demo_request, strip_lines
from tests.walking import walk


def ascii_stream() -> io.TextIOWrapper:
    """What standard output is under LC_ALL=C: text that must encode as ASCII."""
    return io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict", newline="\n")


def test_every_stand_in_is_ascii_and_other_characters_lose_their_accents_or_become_a_question_mark() -> None:
    assert all(stand_in.isascii() for stand_in in STAND_INS.values())
    assert to_ascii("client → nova-api · ok … ✓ ✗ 2 × 3 − 1 █ ← — •") == (
        "client -> nova-api - ok ... + x 2 x 3 - 1 # <- -- *"
    )
    assert to_ascii("café Müller 東京 plain") == "cafe Muller ?? plain"


@pytest.mark.parametrize(
    ("encoding", "unicode"),
    [("utf-8", True), ("UTF8", True), ("utf-16", True), ("ascii", False), ("ANSI_X3.4-1968", False),
     ("latin-1", False), ("cp1252", False)],
)  # fmt: skip
def test_only_a_utf_draws_unicode(encoding: str, unicode: bool) -> None:
    assert draws_unicode(io.TextIOWrapper(io.BytesIO(), encoding=encoding)) is unicode
    assert draws_unicode(io.StringIO())  # text in memory has no encoding to fail


def test_styles_move_with_the_characters_they_cover() -> None:
    text = Text("a → b")
    text.stylize("bold", 4, 5)
    AsciiStandIns().process_renderables([text])
    assert text.plain == "a -> b"
    assert [(span.start, span.end, span.style) for span in text.spans] == [(5, 6, "bold")]


def test_a_rescheduled_walk_and_its_timeline_in_ascii_keep_their_width(catalog: Catalog, golden) -> None:  # type: ignore[no-untyped-def]
    """Marks, weights, arrows, ellipses and bars all have stand-ins; golden, so that a new glyph gets one too."""
    trace = walk(resolve_request(demo_request(), catalog), catalog, scenario=SCENARIOS["spawn-failed"])
    out = ascii_stream()
    renderer = TableRenderer(out, width=80, timeline=True)
    for step in trace.steps:
        renderer.on_step(step)
    renderer.finish(trace)
    out.flush()
    text = strip_lines(out.buffer.getvalue().decode("ascii"))  # type: ignore[attr-defined]
    assert max(len(line) for line in text.splitlines()) <= 80
    golden("spawn-failed-ascii-80.txt", text)
