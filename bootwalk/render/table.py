"""The rich renderer: one table per step, printed as the step happens.

Wide terminals get a four-column table (from → to, channel, call, what is
passed); below 60 columns each handoff is stacked on three lines so the
walk still reads at 40 columns. Colours come only from the theme, and rich
drops them when the output is not a terminal or NO_COLOR is set.
"""

from __future__ import annotations

import os
from typing import TextIO

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from bootwalk.render.server_rows import server_rows
from bootwalk.render.theme import build_theme, style_name
from bootwalk.trace import Handoff, Outcome, StepRecord, StepStatus, Trace

#: Below this width, handoffs are stacked instead of laid out in columns.
NARROW_WIDTH = 60


def make_console(out: TextIO, width: int | None = None) -> Console:
    """A console on ``out`` with bootwalk's theme; built per command, never at import.

    rich alone keeps bold and italic under NO_COLOR; bootwalk promises no
    escape codes at all then, so NO_COLOR turns the colour system off.
    """
    no_color = bool(os.environ.get("NO_COLOR"))
    return Console(
        file=out,
        width=width,
        theme=build_theme(),
        highlight=False,
        emoji=False,
        color_system=None if no_color else "auto",
    )


def _party(handoff: Handoff) -> Text:
    text = Text()
    text.append(handoff.source.value, style=style_name(handoff.source))
    text.append(" → ")
    text.append(handoff.target.value, style=style_name(handoff.target))
    return text


def _call(handoff: Handoff) -> Text:
    text = Text(handoff.call)
    if handoff.simplified:
        text.append(" (story)", style="simplified")
    return text


def step_heading(record: StepRecord, total: int | None = None) -> Text:
    """Two lines: ``Step 3/12 · nova-api · ok``, then the step's title."""
    heading = Text()
    label = f" Step {record.number}" + (f"/{total}" if total else "") + " "
    heading.append(label, style="step.number")
    heading.append(" ")
    heading.append(record.service.value, style=style_name(record.service))
    heading.append(" · ")
    heading.append(record.status.value, style=f"status.{record.status.value}")
    heading.append("\n")
    heading.append(record.title, style="step.title")
    return heading


def handoff_table(record: StepRecord, width: int) -> Table:
    """The handoffs of one step, as columns or, when narrow, stacked."""
    if width < NARROW_WIDTH:
        table = Table(box=box.SIMPLE, show_header=False, show_edge=False, expand=True, padding=(0, 0), leading=1)
        table.add_column("handoff", overflow="fold")
        for handoff in record.handoffs:
            cell = Text()
            cell.append_text(_party(handoff))
            cell.append("\n")
            cell.append(handoff.channel.value, style="channel")
            cell.append(" · ")
            cell.append_text(_call(handoff))
            cell.append("\n")
            cell.append(handoff.summary)
            table.add_row(cell)
        return table
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, show_edge=False)
    table.add_column("From → To", ratio=3, overflow="fold")
    table.add_column("Channel", no_wrap=True, style="channel")
    table.add_column("Call", ratio=3, overflow="fold")
    table.add_column("Passes", ratio=4, overflow="fold")
    for handoff in record.handoffs:
        table.add_row(_party(handoff), handoff.channel.value, _call(handoff), handoff.summary)
    return table


def _host_verdicts(record: StepRecord) -> list[tuple[str, str, str, str]]:
    """Per host: (host, style, verdict, why), in the order the hosts were listed."""
    scheduling = record.scheduling
    assert scheduling is not None
    weights = {weight.host: weight.weight for weight in scheduling.weights}
    rows = []
    for host in dict.fromkeys(verdict.host for verdict in scheduling.filter_results):
        verdicts = [v for v in scheduling.filter_results if v.host == host]
        failed = next((v for v in verdicts if not v.passed), None)
        if failed is not None:
            rows.append((host, "host.rejected", f"removed by {failed.filter}", failed.reason))
            continue
        winner = host == scheduling.selected_host
        ram = next((v.reason for v in verdicts if v.filter == "RamFilter"), "")
        verdict = f"{'selected' if winner else 'passed'}, weight {weights.get(host, 0.0):g}"
        why = f"passed all {len(scheduling.filters)} filters" + (f"; {ram}" if ram else "")
        rows.append((host, "host.winner" if winner else "", verdict, why))
    return rows


def scheduling_table(record: StepRecord, width: int) -> Table | None:
    """Step 4's hosts: the filter that removed each, or its weight; stacked when narrow."""
    if record.scheduling is None:
        return None
    if width < NARROW_WIDTH:
        table = Table(box=box.SIMPLE, show_header=False, show_edge=False, expand=True, padding=(0, 0), leading=1)
        table.add_column("host", overflow="fold")
        for host, style, verdict, why in _host_verdicts(record):
            cell = Text(host, style=style or "bold")
            cell.append(": ")
            cell.append(verdict, style=style)
            cell.append("\n" + why)
            table.add_row(cell)
        return table
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, show_edge=False)
    table.add_column("Host", no_wrap=True)
    table.add_column("Verdict", no_wrap=True)
    table.add_column("Why", ratio=1, overflow="fold")
    for host, style, verdict, why in _host_verdicts(record):
        table.add_row(Text(host, style=style), Text(verdict, style=style), why)
    return table


class TableRenderer:
    """Prints each step as a rich table, then the server as ``nova show`` does."""

    def __init__(self, out: TextIO, width: int | None = None, total_steps: int = 12) -> None:
        self.console = make_console(out, width)
        self.total_steps = total_steps

    def on_step(self, record: StepRecord) -> None:
        """Print one step: heading, handoffs, state after, and the notes."""
        console = self.console
        parts: list[object] = [step_heading(record, self.total_steps)]
        if record.handoffs:
            parts.append(handoff_table(record, console.width))
        schedule = scheduling_table(record, console.width)
        if schedule is not None and record.scheduling is not None:
            label = Text("\nThe filters, in order: ", style="note.label")
            label.append(", ".join(record.scheduling.filters), style="note")
            label.append("; then RAMWeigher on the hosts left:\n", style="note")
            parts.append(label)
            parts.append(schedule)
        lines = Text()
        if record.detail:
            style = "status.failed" if record.status is StepStatus.FAILED else "detail"
            lines.append(record.detail + "\n", style=style)
        lines.append("State after: ", style="note.label")
        lines.append(record.state.describe() if record.state else "no instance yet", style="state")
        lines.append("\n")
        if any(handoff.simplified for handoff in record.handoffs):
            lines.append("(story) ", style="simplified")
            lines.append("marks the classic story's call, not nova's code.\n", style="simplified")
        lines.append("In real nova: ", style="note.label")
        lines.append(record.note, style="note")
        parts.append(lines)
        console.print(Group(*parts))  # type: ignore[arg-type]
        console.print()

    def finish(self, trace: Trace) -> None:
        """Print the server table, as ``nova show`` prints it, and the outcome."""
        console = self.console
        if trace.server is not None and trace.request.get("poll"):
            # python-novaclient's --poll: progress, then Finished or an error.
            if trace.outcome is Outcome.ACTIVE:
                console.print("Server building... 100% complete\nFinished")
            else:
                console.print("Server building... 0% complete\nError building server")
        if trace.server is not None:
            table = Table(box=box.ASCII, title=f"nova show {trace.server['name']}", title_justify="left")
            table.add_column("Property", overflow="fold")
            table.add_column("Value", overflow="fold")
            for key, value in server_rows(trace.server):
                table.add_row(key, value)
            console.print(table)
        if trace.outcome is Outcome.ACTIVE:
            console.print(Text("Outcome: ACTIVE", style="outcome.active"))
        else:
            console.print(Text("Outcome: ERROR", style="outcome.error"))
