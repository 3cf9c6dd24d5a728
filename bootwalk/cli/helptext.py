"""Help laid out as click lays it out, but wrapped at spaces only, without :mod:`textwrap`.

click wraps help with a ``textwrap.TextWrapper``, whose import compiles
its patterns (most of a millisecond on every ``--help``), and which breaks
a line after a hyphen: ``nova-`` at the end of one line, ``scheduler`` at
the start of the next. bootwalk's help is full of such names. Here a line
breaks only between words, and a word is never cut: one longer than the
line stands alone on its own. Everything else (usage, indents, paragraphs,
``\\b`` blocks kept as written, the definition lists) is click's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import click


def wrap(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "", cut: bool = True) -> list[str]:
    """The words of ``text`` on lines of at most ``width`` characters, indents included.

    Lines break between words; the spaces between words on a line stay as
    written (click puts two before ``[default: …]``). Only a word longer
    than a whole line is cut: after its last ``-``, ``:``, ``/`` or ``=``
    that fits, else where the line ends. With ``cut`` False such a word
    stands whole on its own line instead (a UUID to copy), however long.
    """
    lines: list[str] = []
    line: list[str] = []
    indent = initial_indent
    room = width - len(indent)
    chunks = re.findall(r"\s+|\S+", text)
    chunks.reverse()
    while chunks:
        chunk = chunks.pop()
        if chunk.isspace() and not line:
            continue  # a line never starts with spaces
        if len(chunk) <= room:
            line.append(chunk)
            room -= len(chunk)
            continue
        if not chunk.isspace() and not line and not cut:  # longer than a whole line, kept whole
            line.append(chunk)
        elif not chunk.isspace() and not line and len(chunk) > room:  # longer than a whole line: cut it
            at = max((chunk.rfind(mark, 0, room) + 1 for mark in "-:/="), default=0) or room
            line.append(chunk[:at])
            chunks.append(chunk[at:])
        elif not chunk.isspace():
            chunks.append(chunk)
        while line and line[-1].isspace():
            line.pop()
        lines.append(indent + "".join(line))
        line, indent = [], subsequent_indent
        room = width - len(indent)
    while line and line[-1].isspace():
        line.pop()
    if line:
        lines.append(indent + "".join(line))
    return lines


def wrap_text(
    text: str, width: int, initial_indent: str = "", subsequent_indent: str = "", preserve_paragraphs: bool = False
) -> str:
    """click's ``wrap_text``: one paragraph, or (``preserve_paragraphs``) each paragraph wrapped at its own indent.

    A paragraph whose first line is ``\\b`` keeps its lines as written.
    """
    if not preserve_paragraphs:
        return "\n".join(wrap(text.expandtabs(), width, initial_indent, subsequent_indent))
    paragraphs: list[tuple[int, bool, list[str]]] = []
    lines: list[str] = []
    indent = 0
    for line in [*text.expandtabs().splitlines(), ""]:
        if line:
            if not lines:
                indent = len(line) - len(line.lstrip())
            lines.append(line.lstrip() if len(lines) == 0 else line)
            continue
        if lines:
            raw = lines[0].strip() == "\b"
            paragraphs.append((indent, raw, lines[1:] if raw else lines))
            lines = []
    written = []
    for extra, raw, body in paragraphs:
        first, rest = initial_indent + " " * extra, subsequent_indent + " " * extra
        if raw:
            written.append("\n".join((first if number == 0 else rest) + line for number, line in enumerate(body)))
        else:
            written.append("\n".join(wrap(" ".join(body), width, first, rest)))
    return "\n\n".join(written)


class HelpFormatter(click.HelpFormatter):
    """click's formatter, whose usage, text and definition lists wrap with :func:`wrap_text`."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = "Usage: " if prefix is None else prefix
        usage_prefix = f"{prefix:>{self.current_indent}}{prog} "
        text_width = self.width - self.current_indent
        if not args:
            self.write(usage_prefix.rstrip(" ") + "\n")
            return
        if text_width >= len(usage_prefix) + 20:  # the arguments fit to the right of the prefix
            self.write(wrap_text(args, text_width, usage_prefix, " " * len(usage_prefix)))
        else:
            self.write(usage_prefix + "\n")
            indent = " " * (max(self.current_indent, len(prefix)) + 4)
            self.write(wrap_text(args, text_width, indent, indent))
        self.write("\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write(wrap_text(text, self.width, indent, indent, preserve_paragraphs=True) + "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        table: Sequence[tuple[str, str]] = list(rows)
        first_col = min(max((len(first) for first, _second in table), default=0), col_max) + col_spacing
        for first, second in table:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - len(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap_text(second, max(self.width - first_col - 2, 10), preserve_paragraphs=True).splitlines()
            self.write(f"{lines[0]}\n" if lines else "\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")
