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


def compact_scheduling(scheduling: Scheduling, width: int, with_legend: bool = True) -> Group:
    """The grid, its legend (unless the same filters were just explained), and the deciding lines."""
    parts: list[Table | Text] = [grid(scheduling, width)]
    if with_legend:
        parts.append(legend(scheduling, width))
    parts.append(deciding_lines(scheduling, width))
    return Group(*parts)
