"""Print a catalog listing as a rich table, the way nova's list commands do."""

from __future__ import annotations

from typing import TextIO

from rich import box
from rich.table import Table
from rich.text import Text

from bootwalk.listing import Columns, Rows
from bootwalk.render.table import make_console


def print_listing(out: TextIO, title: str, columns: Columns, rows: Rows, width: int | None = None) -> None:
    """Print (columns, rows) as an ASCII-boxed table."""
    table = Table(box=box.ASCII, title=title, title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    make_console(out, width).print(table)
