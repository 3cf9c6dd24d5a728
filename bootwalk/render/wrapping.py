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
