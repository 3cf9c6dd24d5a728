"""The rich Console bootwalk prints with: a broken pipe is the command line's, and ASCII where Unicode cannot go.

:func:`bootwalk.render.table.make_console` builds a :class:`BootwalkConsole`,
and gives it :class:`AsciiStandIns` when its stream cannot carry Unicode.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import TYPE_CHECKING, Any, TextIO

from rich.cells import cell_len
from rich.console import Console, Group, RenderHook
from rich.segment import Segment
from rich.text import Span, Text

from bootwalk.render.glyphs import one_for_one, stand_in, to_ascii

if TYPE_CHECKING:
    from rich.console import ConsoleRenderable, RenderableType


class BootwalkConsole(Console):
    """rich's Console, but a broken pipe goes up to the command line, which exits 141 (rich would exit 1);
    and where nothing is styled, text that fits is written as it is."""

    def print(self, *objects: Any, **options: Any) -> None:
        """rich's print; but with no colours, no recording and no hooks, text whose lines all fit is not laid out.

        rich would split, wrap and crop each line and write it unstyled: the
        same characters. A walk to a pipe prints a few hundred such lines,
        and laying them out is most of what it costs. Anything else (a
        table, a line that needs wrapping, a tab, an option) goes to rich.
        """
        plain = None
        if not options and len(objects) <= 1 and self.color_system is None and not self.record:
            plain = "\n" if not objects else plain_text(objects[0], self.width)
        if plain is None or self._render_hooks:
            super().print(*objects, **options)
            return
        with self:  # written as rich writes: in order, quietly when quiet, a broken pipe to on_broken_pipe
            self._buffer.append(Segment(plain))

    def on_broken_pipe(self) -> None:
        """The reader went away: print nothing more, and let the command line end quietly."""
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


class AsciiWriter:
    """A stream that can carry ASCII alone, as rich writes to it: what rich adds after layout (``…``)
    becomes one ASCII character, so that columns stay aligned."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        """Write the text, each character that is not ASCII as one that is."""
        return self.stream.write(one_for_one(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


class AsciiStandIns(RenderHook):
    """Puts ASCII stand-ins into what is printed before rich lays it out, so that columns still line up.

    Text is changed in place, in groups, tables (title, headers and cells),
    panels, paddings and highlighted JSON; anything else is left to the
    stream, which writes ``?`` for what it cannot encode.
    """

    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        """Each renderable, in ASCII."""
        for renderable in renderables:
            _in_ascii(renderable)
        return renderables


def plain_text(renderable: object, width: int, *, top: bool = True) -> str | None:
    """What rich's ``print`` writes for a Text (or a group of them) without styles, or None if rich must lay it out.

    Each line must fit the width as it is and hold printable characters only
    (no tab to expand). A Text printed by itself ends as ``print`` ends it,
    with a newline, unjustified (rich joins it to the print's own ``end``);
    within a group, one that is justified (padded) or ends other than with
    a newline (which would run on into the next) goes to rich.
    """
    if isinstance(renderable, Group):
        parts = [plain_text(part, width, top=False) for part in renderable.renderables]
        return None if None in parts else "".join(parts)  # type: ignore[arg-type]
    if not isinstance(renderable, Text) or (not top and (renderable.justify, renderable.end) != (None, "\n")):
        return None
    plain = renderable.plain
    for line in plain.split("\n"):
        # rich trims the spaces at the end of a line by its characters, not its cells (é as e and an accent)
        if len(line) > width or not line.isprintable() or (not line.isascii() and cell_len(line) > width):
            return None
    return plain + "\n"


def _in_ascii(renderable: RenderableType | None) -> RenderableType | None:
    """The renderable with its text in ASCII: changed in place, but a plain string, which is returned anew."""
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table

    if renderable is None:
        return None
    if isinstance(renderable, str):
        return to_ascii(renderable)
    if isinstance(renderable, Text):
        _text_in_ascii(renderable)
    elif isinstance(renderable, Group):
        renderable.renderables[:] = [_in_ascii(part) or "" for part in renderable.renderables]
    elif isinstance(renderable, Table):
        renderable.title = _in_ascii(renderable.title)  # type: ignore[assignment]
        renderable.caption = _in_ascii(renderable.caption)  # type: ignore[assignment]
        for column in renderable.columns:
            column.header = _in_ascii(column.header) or ""
            column.footer = _in_ascii(column.footer) or ""
            for cell in column.cells:
                _in_ascii(cell)
    elif isinstance(renderable, (Panel, Padding)):
        renderable.renderable = _in_ascii(renderable.renderable) or ""
        if isinstance(renderable, Panel):
            renderable.title = _in_ascii(renderable.title)  # type: ignore[assignment]
            renderable.subtitle = _in_ascii(renderable.subtitle)  # type: ignore[assignment]
    elif _is_syntax(renderable):
        renderable.code = to_ascii(renderable.code)  # type: ignore[union-attr]
    return renderable


def _is_syntax(renderable: object) -> bool:
    """Whether it is highlighted code (-v's payloads), without importing rich.syntax, and pygments, to find out."""
    syntax = sys.modules.get("rich.syntax")
    return syntax is not None and isinstance(renderable, syntax.Syntax)


def _text_in_ascii(text: Text) -> None:
    """Replace a Text's characters by their stand-ins, moving its styles' spans along."""
    plain = text.plain
    if plain.isascii():
        return
    offsets = [0]
    pieces = []
    for character in plain:
        piece = stand_in(character)
        pieces.append(piece)
        offsets.append(offsets[-1] + len(piece))
    last = len(plain)
    spans = [Span(offsets[min(span.start, last)], offsets[min(span.end, last)], span.style) for span in text.spans]
    text.plain = "".join(pieces)
    text.spans = spans
