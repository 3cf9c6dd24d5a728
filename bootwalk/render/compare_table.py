"""``bootwalk compare`` as a table, or stacked below 60 columns."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from bootwalk.compare import Change

NARROW_WIDTH = 60


def compare_view(changes: Sequence[Change], width: int) -> RenderableType:
    """Classic | Today | What changed | Since, one row per change."""
    if width < NARROW_WIDTH:
        text = Text("Classic story → today's nova\n", style="note.label")
        for change in changes:
            text.append("\n" + change.classic + "\n", style="bold")
            text.append("→ " + change.modern + "\n")
            text.append(change.change + "\n", style="note")
            text.append(f"Since: {change.since}\n", style="channel")
        text.rstrip()
        return text
    table = Table(
        box=box.SIMPLE_HEAD,
        expand=True,
        pad_edge=False,
        show_edge=False,
        leading=1,
        title="Classic story → today's nova",
        title_justify="left",
    )
    table.add_column("Classic (--flow classic)", ratio=3, overflow="fold")
    table.add_column("Today (--flow modern)", ratio=3, overflow="fold")
    table.add_column("What changed", ratio=4, overflow="fold")
    table.add_column("Since", ratio=2, overflow="fold")
    for change in changes:
        table.add_row(
            Text(change.classic),
            Text(change.modern),
            Text(change.change, style="note"),
            Text(change.since, style="channel"),
        )
    return table
