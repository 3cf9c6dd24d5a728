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


def identifier_lines(text: Text, width: int, indent: int = 2, separators: str = "/_.") -> Text:
    """An identifier too long for one line, broken only after ``/``, ``_`` or ``.``; continuations indented.

    A URL breaks at its slashes and a snake_case name at its underscores,
    never inside a word; a piece longer than a line is left whole. Other
    ``separators`` serve other identifiers: ``-`` for a UUID.
    """
    plain = text.plain
    breaks = [index + 1 for index, character in enumerate(plain) if character in separators and index + 1 < len(plain)]
    return _broken(text, breaks, 0, width, indent)


def hanging_lines(text: Text, width: int, indent: int = 2) -> Text:
    """A line of prose broken at spaces to fit the width, each continuation indented; styles kept.

    A word longer than a line is left whole (the terminal folds it).
    """
    spaces = [index for index, character in enumerate(text.plain) if character == " "]
    return _broken(text, spaces, 1, width, indent)


def _broken(text: Text, breaks: list[int], dropped: int, width: int, indent: int) -> Text:
    """The text broken at the last break that fits each line (or the first, where none fits); styles kept.

    ``dropped`` characters go at each break (a space), and continuations are indented.
    """
    out = Text()
    start, room = 0, width
    while len(text.plain) - start > room:
        fitting = [at for at in breaks if start < at <= start + room]
        later = [at for at in breaks if at > start]
        if not fitting and not later:
            break
        end = fitting[-1] if fitting else later[0]  # a piece longer than a line still ends at a break
        out.append_text(text[start:end])
        out.append("\n" + " " * indent)
        start, room = end + dropped, width - indent
    out.append_text(text[start:])
    return out
