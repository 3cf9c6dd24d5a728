"""Print catalog listings as rich tables, the way nova's list commands do."""

from __future__ import annotations

from typing import TextIO

from rich import box
from rich.table import Table
from rich.text import Text

from bootwalk.listing import Listing
from bootwalk.render.table import make_console


def listing_table(listing: Listing) -> Table:
    """One listing as an ASCII-boxed table, with a line between its sections."""
    table = Table(box=box.ASCII, title=listing.title, title_justify="left", min_width=len(listing.title))
    for column in listing.columns:
        table.add_column(column, overflow="fold")
    for index, row in enumerate(listing.rows, start=1):
        last_of_section = bool(listing.section) and index % listing.section == 0 and index < len(listing.rows)
        table.add_row(*(Text(cell) for cell in row), end_section=last_of_section)
    return table


def print_listing(out: TextIO, *listings: Listing, width: int | None = None, whole: bool = False) -> None:
    """Print each listing as a table, one after the other, each caption under its table at full width.

    A table wider than the terminal folds its cells to fit, unless ``whole``
    is asked for (``--long``): then it keeps every cell on one line, so
    that a whole ID can be copied, and the terminal wraps the lines.
    """
    console = make_console(out, width)
    for listing in listings:
        table = listing_table(listing)
        if whole:
            natural = console.measure(table, options=console.options.update_width(10_000)).maximum
            console.width = max(console.width, natural)
        console.print(table)
        if listing.caption:
            console.print(Text(listing.caption, style="note"))
