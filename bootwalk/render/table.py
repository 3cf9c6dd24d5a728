"""The rich renderer: one table per step, printed as the step happens.

Every text from a trace or a catalog goes into a table as ``Text``, never as
a plain string, so that rich never reads brackets in it as markup.

Wide terminals get a four-column table (from → to, channel, call, what is
passed); below 60 columns each handoff is stacked on three lines so the
walk still reads at 40 columns. Colours come only from the theme, and rich
drops them when the output is not a terminal or NO_COLOR is set.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, TextIO

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from bootwalk.render.interface import Detail
from bootwalk.render.theme import build_theme, style_name
from bootwalk.trace import (
    FilterVerdict,
    Handoff,
    HostWeight,
    Outcome,
    Scheduling,
    StepRecord,
    StepStatus,
    Trace,
    weight_text,
)

#: Below this width, handoffs are stacked instead of laid out in columns.
NARROW_WIDTH = 60


def make_console(out: TextIO, width: int | None = None, record: bool = False) -> Console:
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
        record=record,
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
    if record.attempt > 1:
        heading.append(f" · attempt {record.attempt}", style="status.rescheduled")
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
        table.add_row(_party(handoff), Text(handoff.channel.value), _call(handoff), Text(handoff.summary))
    return table


class _Hosts:
    """One placement's verdicts, removals, weights and alternates by host, gathered in one pass.

    The tables look each host up here, so that drawing many hosts takes time
    in proportion to the verdicts, not to hosts × verdicts.
    """

    __slots__ = ("alternates", "removed", "verdicts", "weights")

    def __init__(self, scheduling: Scheduling) -> None:
        #: Every host's verdicts, in order; the hosts in the order the filters first saw them.
        self.verdicts: dict[str, list[FilterVerdict]] = {}
        #: The verdict of the filter that removed a host (Scheduling.removed_by).
        self.removed: dict[str, FilterVerdict] = {}
        for verdict in scheduling.filter_results:
            self.verdicts.setdefault(verdict.host, []).append(verdict)
            if not verdict.passed:
                self.removed.setdefault(verdict.host, verdict)
        self.weights: dict[str, HostWeight] = {}
        for weight in scheduling.weights:
            self.weights.setdefault(weight.host, weight)
        self.alternates = frozenset(scheduling.alternates)


def _filter_lines(verdicts: list[FilterVerdict]) -> Text:
    """Every verdict the filters gave one host, in order, one per line."""
    text = Text()
    for index, verdict in enumerate(verdicts):
        if index:
            text.append("\n")
        mark, style = ("✓", "verdict.pass") if verdict.passed else ("✗", "verdict.fail")
        text.append(f"{mark} {verdict.filter}", style=style)
        text.append(f": {verdict.reason}")
    return text


def _weight_text(scheduling: Scheduling, hosts: _Hosts, host: str) -> Text:
    """The host's weight and how each weigher made it, or the filter that removed it."""
    if host in hosts.removed:
        return Text("removed (✗)", style="host.rejected")
    weight = hosts.weights.get(host)
    if weight is None:
        return Text("")
    winner = host == scheduling.selected_host
    text = Text(weight_text(weight.weight), style="host.winner" if winner else "")
    if winner:
        text.append(" ← selected", style="host.winner")
    elif host in hosts.alternates:
        text.append(" alternate")
    for part in weight.parts:
        text.append(f"\n{part.weigher}: {weight_text(part.multiplier)} × {weight_text(part.normalised)}")
        raw = f"{part.raw:g}" if part.raw != int(part.raw) else str(int(part.raw))
        text.append(f"\n({raw} {part.unit})", style="note")
    if len(scheduling.weights) == 1:
        text.append("\n(one host left: nothing to weigh)", style="note")
    return text


def scheduling_table(scheduling: Scheduling, width: int) -> Table:
    """One row per host: each filter's verdict with its numbers, then the weight; stacked when narrow."""
    hosts = _Hosts(scheduling)
    if width < NARROW_WIDTH:
        table = Table(box=box.SIMPLE, show_header=False, show_edge=False, expand=True, padding=(0, 0), leading=1)
        table.add_column("host", overflow="fold")
        for host, verdicts in hosts.verdicts.items():
            cell = Text(host, style="bold")
            cell.append(": ")
            cell.append_text(_weight_text(scheduling, hosts, host))
            cell.append("\n")
            cell.append_text(_filter_lines(verdicts))
            table.add_row(cell)
        return table
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, show_edge=False, show_lines=False, leading=1)
    table.add_column("Host", no_wrap=True)
    table.add_column("Filters, in order", ratio=5, overflow="fold")
    table.add_column("Weight", ratio=2, overflow="fold")
    for host, verdicts in hosts.verdicts.items():
        winner = host == scheduling.selected_host
        table.add_row(
            Text(host, style="host.winner" if winner else ""),
            _filter_lines(verdicts),
            _weight_text(scheduling, hosts, host),
        )
    return table


def _weighers_label(record: StepRecord, scheduling: Scheduling) -> Text:
    label = Text("\nThe scheduler starts with ", style="note.label")
    label.append(f"{scheduling.considered} host(s); filters run in order, and a host a filter ", style="note")
    label.append("removes is not shown to the next. The hosts left are weighed:\n", style="note")
    return label


def placement_lines(record: StepRecord) -> Text | None:
    """For a request of several instances: where each later instance went, and what removed the rest."""
    if len(record.placements) < 2:
        return None
    text = Text("Every instance, placed in turn:\n", style="note.label")
    for number, placement in enumerate(record.placements, start=1):
        text.append(f"  {placement.instance_name} → ")
        if placement.selected_host is None:
            text.append("no host left", style="host.rejected")
        else:
            text.append(placement.selected_host, style="host.winner")
            text.append(f" (weight {weight_text(placement.weights[0].weight)})")
        hosts = _Hosts(placement)
        removed = [
            f"{host} ({verdict.filter}: {verdict.reason})"
            for host in hosts.verdicts
            if (verdict := hosts.removed.get(host)) is not None
        ]
        if removed and number > 1:
            text.append("; removed: " + "; ".join(removed))
        text.append("\n")
    return text


def log_lines(record: StepRecord) -> Text | None:
    """What the services logged: the lines an operator greps for."""
    if not record.logs and not record.cleanup:
        return None
    text = Text()
    if record.cleanup:
        text.append("Cleaned up: ", style="note.label")
        text.append("; ".join(record.cleanup), style="cleanup")
        text.append("\n")
    if record.logs:
        text.append("In the logs (grep for these):\n", style="note.label")
        for line in record.logs:
            text.append(f"  {line.service.value} ", style=style_name(line.service))
            text.append(f"{line.level} ", style="log.level")
            text.append(line.text + "\n", style="log.text")
    return text


class TableRenderer:
    """Prints each step as a rich table, then the server as the dialect's show command does (``nova show``)."""

    def __init__(
        self,
        out: TextIO,
        width: int | None = None,
        total_steps: int = 12,
        detail: Detail = Detail.NORMAL,
        timeline: bool = False,
        record: bool = False,
        header: tuple[str, ...] = (),
    ) -> None:
        self.console = make_console(out, width, record=record)
        self.total_steps = total_steps
        self.detail = detail
        self.timeline = timeline
        self.header = header

    def _print_header(self) -> None:
        """The lines printed once, before the first step (or the end): then never again."""
        if self.header and self.detail is not Detail.QUIET:
            text = Text()
            for line in self.header:
                label, _sep, rest = line.partition(": ")
                if rest:
                    text.append(label + ": ", style="note.label")
                    text.append(rest + "\n", style="note")
                else:
                    text.append(line + "\n", style="note")
            self.console.print(text)
        self.header = ()

    def on_step(self, record: StepRecord) -> None:
        """Print one step: heading, handoffs (and with -v their payloads), state after, and the notes."""
        self._print_header()
        if self.detail is Detail.QUIET:
            return
        console = self.console
        parts: list[object] = [step_heading(record, self.total_steps)]
        if record.handoffs:
            parts.append(handoff_table(record, console.width))
        if record.handoffs and self.detail is Detail.VERBOSE:
            from bootwalk.render.payloads import payload_views

            parts.append(Text("Payloads:", style="note.label"))
            parts.append(payload_views(record))
        if record.scheduling is not None:
            parts.append(_weighers_label(record, record.scheduling))
            parts.append(scheduling_table(record.scheduling, console.width))
        placements = placement_lines(record)
        if placements is not None:
            parts.append(placements)
        lines = Text()
        if record.detail:
            style = "status.failed" if record.status is StepStatus.FAILED else "detail"
            lines.append(record.detail + "\n", style=style)
        logs = log_lines(record)
        if logs is not None:
            lines.append_text(logs)
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
        """Print the server table, as the dialect's show command prints it, and the outcome (``-q``: just those)."""
        from bootwalk.dialects import dialect_named

        self._print_header()
        console = self.console
        quiet = self.detail is Detail.QUIET
        dialect = dialect_named(trace.request.get("dialect"))
        if trace.server is not None and trace.request.get("poll") and not quiet:
            # What the client prints while it waits (nova boot --poll, openstack server create --wait).
            waiting = dialect.wait_lines(trace.outcome is Outcome.ACTIVE)
            if waiting:
                console.print(waiting)
        if trace.server is not None:
            shown = dialect.show_table(trace.server, trace.request)
            # Text, not a str that rich would read as markup: a server may be named "[/x]".
            title = Text(f"{dialect.show_command} {trace.server['name']}", style="table.title")
            table = Table(box=box.ASCII, title=title, title_justify="left")
            for heading in shown.headings:
                table.add_column(heading, overflow="fold")
            for key, value in shown.rows:
                table.add_row(Text(key), Text(value))
            console.print(table)
        if len(trace.servers) > 1:
            listed = dialect.list_command
            console.print(
                servers_table(trace, listed) if console.width >= NARROW_WIDTH else servers_lines(trace, listed)
            )
        if quiet:
            pass
        elif len(trace.attempts) > 1 or any(attempt.result != "active" for attempt in trace.attempts):
            console.print(attempts_table(trace) if console.width >= NARROW_WIDTH else attempts_lines(trace))
        if trace.surfaces and not quiet:
            line = Text("Where the user sees it: ", style="note.label")
            line.append(trace.surfaces)
            console.print(line)
        if trace.outcome is Outcome.ACTIVE:
            console.print(Text("Outcome: ACTIVE", style="outcome.active"))
        else:
            console.print(Text("Outcome: ERROR", style="outcome.error"))
        if self.timeline:
            from bootwalk.render.timeline import timeline

            console.print()
            console.print(timeline(trace, console.width))

    def export_svg(self, title: str) -> str:
        """What was printed, as SVG (the console must record)."""
        return self.console.export_svg(title=title, clear=False)

    def export_html(self) -> str:
        """What was printed, as a standalone HTML page with inline styles (the console must record)."""
        return self.console.export_html(inline_styles=True, clear=False)


def _networks_text(server: Mapping[str, Any]) -> str:
    return "; ".join(f"{name}={', '.join(addresses)}" for name, addresses in server["networks"].items())


def servers_lines(trace: Trace, list_command: str) -> Text:
    """Every server, stacked for narrow terminals: name, status and host, then the addresses."""
    text = Text(f"{list_command}\n", style="note.label")
    for server in trace.servers:
        style = "outcome.active" if server["status"] == "ACTIVE" else "outcome.error"
        text.append(f"{server['name']} ")
        text.append(server["status"], style=style)
        text.append(f" on {server['host'] or '-'}\n")
        if server["networks"]:
            text.append(f"  {_networks_text(server)}\n")
    text.rstrip()
    return text


def servers_table(trace: Trace, list_command: str) -> Table:
    """Every server of the request, as the dialect's list command shows them (``nova list``), with the host."""
    table = Table(box=box.ASCII, title=list_command, title_justify="left")
    table.add_column("Name", overflow="fold")
    table.add_column("Status", no_wrap=True)
    table.add_column("Host", overflow="fold")
    table.add_column("Networks", overflow="fold")
    for server in trace.servers:
        networks = _networks_text(server)
        style = "outcome.active" if server["status"] == "ACTIVE" else "outcome.error"
        table.add_row(
            Text(server["name"]), Text(server["status"], style=style), Text(server["host"] or "-"), Text(networks)
        )
    return table


def attempts_table(trace: Trace) -> Table:
    """Each host the followed instance was sent to, and how it ended there."""
    table = Table(box=box.ASCII, title="Attempts", title_justify="left")
    table.add_column("#", no_wrap=True)
    table.add_column("Host", overflow="fold")
    table.add_column("Result", no_wrap=True)
    table.add_column("Why", overflow="fold")
    for attempt in trace.attempts:
        style = {"active": "outcome.active", "rescheduled": "status.rescheduled"}.get(attempt.result, "outcome.error")
        table.add_row(
            Text(str(attempt.number)),
            Text(attempt.host or "-"),
            Text(attempt.result, style=style),
            Text(attempt.reason or ""),
        )
    return table


def attempts_lines(trace: Trace) -> Text:
    """The attempts, stacked for narrow terminals: ``#1 compute1: rescheduled`` and the reason below."""
    text = Text("Attempts\n", style="note.label")
    for attempt in trace.attempts:
        style = {"active": "outcome.active", "rescheduled": "status.rescheduled"}.get(attempt.result, "outcome.error")
        text.append(f"#{attempt.number} {attempt.host or '-'}: ")
        text.append(attempt.result, style=style)
        text.append("\n")
        if attempt.reason:
            text.append(f"  {attempt.reason}\n")
    text.rstrip()
    return text
