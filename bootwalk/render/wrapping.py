"""Lines that wrap where a reader expects: between items, never inside a name."""

from __future__ import annotations

from rich.text import Text


def item_lines(label: str, items: list[tuple[str, str, str]], width: int, indent: int = 2) -> Text:
    """``label`` then ``key rest`` items separated by commas, wrapped between items, never inside one.

    Each item is (key, rest, key's style); continuation lines are indented.
    """
    text = Text(label, style="note.label")
    column = len(label)
    for number, (key, rest, style) in enumerate(items, start=1):
        item = f"{key} {rest}" + ("," if number < len(items) else "")
        if number > 1 and column + 1 + len(item) > width:
            text.append("\n" + " " * indent)
            column = indent
        elif number > 1:
            text.append(" ")
            column += 1
        text.append(key, style=style)
        text.append(item[len(key) :], style="note")
        column += len(item)
    return text


def identifier_lines(text: Text, width: int, indent: int = 2) -> Text:
    """An identifier too long for one line, broken only after ``/``, ``_`` or ``.``; continuations indented.

    A URL breaks at its slashes and a snake_case name at its underscores,
    never inside a word; a piece longer than a line is left whole.
    """
    plain = text.plain
    breaks = [index + 1 for index, character in enumerate(plain) if character in "/_." and index + 1 < len(plain)]
    lines: list[tuple[int, int]] = []
    start, room = 0, width
    while len(plain) - start > room:
        fitting = [at for at in breaks if start < at <= start + room]
        later = [at for at in breaks if at > start]
        if not fitting and not later:
            break
        end = fitting[-1] if fitting else later[0]  # a piece longer than a line still ends at a separator
        lines.append((start, end))
        start, room = end, width - indent
    lines.append((start, len(plain)))
    out = Text()
    for number, (begin, end) in enumerate(lines):
        if number:
            out.append("\n" + " " * indent)
        out.append_text(text[begin:end])
    return out


def hanging_lines(text: Text, width: int, indent: int = 2) -> Text:
    """A line of prose broken at spaces to fit the width, each continuation indented; styles kept.

    A word longer than a line is left whole (the terminal folds it).
    """
    plain = text.plain
    spaces = [index for index, character in enumerate(plain) if character == " "]
    out = Text()
    start, room = 0, width
    while len(plain) - start > room:
        fitting = [at for at in spaces if start < at <= start + room]
        later = [at for at in spaces if at > start]
        if not fitting and not later:
            break
        cut = fitting[-1] if fitting else later[0]
        out.append_text(text[start:cut])
        out.append("\n" + " " * indent)
        start, room = cut + 1, width - indent
    out.append_text(text[start:])
    return out
