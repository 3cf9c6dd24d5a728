"""The compact scheduler grid: hosts as rows, filters as numbered columns of ✓ and ✗, and the weights.

A class sees at a glance which filter removed which host. Only what
decides is spelled out below the grid: each failure with its reason, and
the winner's numbers (the capacity it was checked against, and how the
weighers made its weight). The full reasoning of every filter for every
host stays at the developer level, behind ``d`` and in ``explain``.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from bootwalk.render.wrapping import hanging_lines, item_lines
from bootwalk.trace import PLACEMENT, Scheduling, weight_text

#: Where a filter never ran for a host: an earlier filter had removed it.
NOT_RUN = "·"

#: The filters whose reason holds the numbers that decide (capacity, in the order nova checks it).
CAPACITY_FILTERS = (PLACEMENT, "RamFilter", "CoreFilter", "DiskFilter")


def _hosts(scheduling: Scheduling) -> list[str]:
    return list(dict.fromkeys(verdict.host for verdict in scheduling.filter_results))


def _short(name: str) -> str:
    """A filter's name without its ``Filter`` suffix, for the legend."""
    return name[: -len("Filter")] if name.endswith("Filter") else name


def legend(scheduling: Scheduling, width: int) -> Text:
    """``Filters: 1 Retry, 2 AvailabilityZone, …``: what each numbered column is, never split inside an item."""
    items = [(str(number), _short(name), "bold") for number, name in enumerate(scheduling.filters, start=1)]
    return item_lines("Filters: ", items, width)


def _weight_cell(scheduling: Scheduling, host: str) -> Text:
    if scheduling.removed_by(host) is not None:
        return Text("removed", style="host.rejected")
    weight = next((w for w in scheduling.weights if w.host == host), None)
    if weight is None:
        return Text("")
    if host == scheduling.selected_host:
        return Text(f"{weight_text(weight.weight)} ← wins", style="host.winner")
    return Text(weight_text(weight.weight) + (" alternate" if host in scheduling.alternates else ""))


def grid(scheduling: Scheduling, width: int) -> Table:
    """Hosts by filters: ✓ passed, ✗ removed it, · not run; then each host's weight."""
    verdicts = {(v.host, v.filter): v.passed for v in scheduling.filter_results}
    narrow = width < 60  # two columns a filter, not three, so that "0.0 alternate" still fits one line at 40
    table = Table(box=None, pad_edge=False, show_edge=False, padding=(0, 0 if narrow else 1), header_style="bold")
    table.add_column("Host", no_wrap=True, min_width=len(max(_hosts(scheduling), key=len, default="Host")) + narrow)
    for number, _name in enumerate(scheduling.filters, start=1):
        if narrow:
            table.add_column(str(number), justify="left", no_wrap=True, width=2)
        else:
            table.add_column(str(number), justify="center", no_wrap=True)
    table.add_column("Weight", no_wrap=width >= 60, overflow="fold")
    for host in _hosts(scheduling):
        cells = []
        for name in scheduling.filters:
            passed = verdicts.get((host, name))
            if passed is None:
                cells.append(Text(NOT_RUN, style="channel"))
            else:
                cells.append(Text("✓", style="verdict.pass") if passed else Text("✗", style="verdict.fail"))
        style = "host.winner" if host == scheduling.selected_host else ""
        table.add_row(Text(host, style=style), *cells, _weight_cell(scheduling, host))
    return table


def grid_lines(scheduling: Scheduling, width: int) -> Text | None:
    """:func:`grid`'s lines as a console without styles prints them, written directly; None where rich must lay out.

    When the columns fit at their natural widths (60 columns or more), the
    table gives each its widest cell, two spaces between them, the filters'
    marks centred and the rest to the left. A test holds the two equal on
    generated host sets. Colours are left to the table: rich styles each
    padded cell on its own, which text cannot repeat.
    """
    hosts = _hosts(scheduling)
    if width < 60 or not hosts:
        return None
    verdicts = {(v.host, v.filter): v.passed for v in scheduling.filter_results}
    numbers = [str(number) for number in range(1, len(scheduling.filters) + 1)]
    weights = [_weight_cell(scheduling, host) for host in hosts]
    host_width = max(len("Host"), len(max(hosts, key=len)), *(Text(host).cell_len for host in hosts))
    weight_width = max(len("Weight"), *(weight.cell_len for weight in weights))
    if host_width + sum(len(number) for number in numbers) + weight_width + 2 * (len(numbers) + 1) > width:
        return None
    text = Text()
    text.append("Host".ljust(host_width), style="bold")
    for number in numbers:
        text.append("  ")
        text.append(number, style="bold")
    text.append("  ")
    text.append("Weight".ljust(weight_width), style="bold")
    for host, weight in zip(hosts, weights, strict=True):
        text.append("\n")
        text.append(host, style="host.winner" if host == scheduling.selected_host else "")
        text.append(" " * (host_width - Text(host).cell_len))
        for number, name in zip(numbers, scheduling.filters, strict=True):
            passed = verdicts.get((host, name))
            mark = NOT_RUN if passed is None else "✓" if passed else "✗"
            excess = len(number) - 1
            text.append("  " + " " * (excess // 2))
            text.append(mark, style="channel" if passed is None else "verdict.pass" if passed else "verdict.fail")
            text.append(" " * (excess - excess // 2))
        text.append("  ")
        text.append_text(weight)
        text.append(" " * (weight_width - weight.cell_len))
    if max(map(len, text.plain.split("\n"))) > width:  # e and an accent: rich would trim the line's end spaces
        return None
    return text


def deciding_lines(scheduling: Scheduling, width: int) -> Text:
    """Each failure with its reason, then the winner's capacity check and how its weight was made.

    Each is one line, or more with their continuations indented.
    """
    text = Text()
    for host in _hosts(scheduling):
        verdict = scheduling.removed_by(host)
        if verdict is not None:
            text.append(f"✗ {host}", style="verdict.fail")
            text.append(f" {_short(verdict.filter)}: {verdict.reason}\n")
    winner = scheduling.selected_host
    if winner is not None:
        capacity = next(
            (
                v
                for name in CAPACITY_FILTERS
                for v in scheduling.filter_results
                if v.host == winner and v.filter == name
            ),
            None,
        )
        if capacity is not None and capacity.filter != PLACEMENT:  # placement's yes holds no numbers
            text.append(f"✓ {winner}", style="verdict.pass")
            text.append(f" {_short(capacity.filter)}: {capacity.reason}\n")
        weight = next((w for w in scheduling.weights if w.host == winner), None)
        if weight is not None and len(scheduling.weights) > 1:
            parts = " + ".join(
                f"{part.weigher.removesuffix('Weigher')} {weight_text(part.multiplier)}×{weight_text(part.normalised)}"
                for part in weight.parts
            )
            text.append(f"{winner} weighs {weight_text(weight.weight)}", style="host.winner")
            text.append(f" = {parts} ({_units(scheduling, winner)})\n")
        elif weight is not None:
            text.append(f"{winner}: the one host left, nothing to weigh\n", style="host.winner")
    text.rstrip()
    lines = [hanging_lines(line, width) for line in text.split("\n")]
    return Text("\n").join(lines)


def _units(scheduling: Scheduling, host: str) -> str:
    weight = next(w for w in scheduling.weights if w.host == host)
    free = [
        (f"{part.raw:g} " if part.raw != int(part.raw) else f"{int(part.raw)} ") + part.unit.removesuffix(" free")
        for part in weight.parts
    ]
    return "free: " + ", ".join(free)


def compact_scheduling(scheduling: Scheduling, width: int, with_legend: bool = True, plain: bool = False) -> Group:
    """The grid, its legend (unless the same filters were just explained), and the deciding lines.

    ``plain``: the console prints no styles and draws Unicode, so the grid may be written as text.
    """
    lines = grid_lines(scheduling, width) if plain else None
    parts: list[Table | Text] = [lines if lines is not None else grid(scheduling, width)]
    if with_legend:
        parts.append(legend(scheduling, width))
    parts.append(deciding_lines(scheduling, width))
    return Group(*parts)
