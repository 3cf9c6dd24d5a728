"""The rich renderer: one table per step, printed as the step happens.

Every text from a trace or a catalog goes into a table as ``Text``, never as
a plain string, so that rich never reads brackets in it as markup.

Wide terminals get a four-column table (from → to, channel, call, what is
passed); below 60 columns each handoff is stacked on three lines so the
walk still reads at 40 columns. Colours come only from the theme, and rich
drops them when the output is not a terminal or NO_COLOR is set.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from bootwalk.render.glyphs import draws_unicode
from bootwalk.render.interface import Detail, Level
from bootwalk.render.recap import outcome_line, recap, repeats
from bootwalk.render.theme import ThemeName, build_theme, style_name, terminal_theme
from bootwalk.render.wrapping import hanging_lines, identifier_lines
from bootwalk.trace import (
    PLACEMENT,
    FilterVerdict,
    Handoff,
    HostWeight,
    LogLine,
    Outcome,
    Scheduling,
    StepRecord,
    StepStatus,
    Trace,
    Work,
    weight_text,
)

#: A recap drawn as a slide: 106 columns by 30 rows of a terminal's 1:2 cells is about 16:9.
SLIDE_COLUMNS, SLIDE_ROWS = 106, 30

#: Below this width, handoffs are stacked instead of laid out in columns.
NARROW_WIDTH = 60


def make_console(out: TextIO, width: int | None = None, record: bool = False, theme: str = "dark") -> Console:
    """A console on ``out`` with bootwalk's theme; built per command, never at import.

    rich alone keeps bold and italic under NO_COLOR; bootwalk promises no
    escape codes at all then, so NO_COLOR turns the colour system off. A
    stream that cannot carry Unicode gets ASCII: rich's ASCII boxes, and the
    stand-ins of :mod:`bootwalk.render.glyphs` for the rest.
    """
    from bootwalk.render.console import AsciiStandIns, AsciiWriter, BootwalkConsole

    no_color = bool(os.environ.get("NO_COLOR"))
    ascii_only = not draws_unicode(out)
    console = BootwalkConsole(
        file=AsciiWriter(out) if ascii_only else out,  # type: ignore[arg-type]
        width=width,
        theme=build_theme(ThemeName(theme)),
        highlight=False,
        emoji=False,
        color_system=None if no_color else "auto",
        record=record,
    )
    if ascii_only:
        console.push_render_hook(AsciiStandIns())
    return console


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


def step_heading(record: StepRecord, total: int | None = None, title: Text | None = None) -> Text:
    """Two lines: ``Step 3/12 · nova-api · ok``, then the step's title (or the title given, marked up)."""
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
    heading.append_text(title if title is not None else Text(record.title, style="step.title"))
    return heading


#: What follows a word a beginner's walk marks as explainable (``bootwalk explain WORD``).
TERM_MARK = "°"
#: The line that says so, once, before the first step of a beginner's walk.
TERM_LEGEND = f"Words marked {TERM_MARK} are in the glossary: bootwalk explain WORD"
#: What each "State after" line holds, said once at beginner level.
STATE_LEGEND = "State after: reads vm_state / task_state / power_state (its number)"


#: What the names and the "Passes" column need beside the channel and the call, padding included.
COLUMN_ROOM = 30


def handoff_table(record: StepRecord, width: int) -> Table:
    """The handoffs of one step, as columns or, when narrow, stacked.

    Stacked too when the longest call and channel would leave the names and what is passed less than
    ``COLUMN_ROOM`` (a call is never cut).
    """
    calls = max((_call(h).cell_len for h in record.handoffs), default=0)
    channels = max((len(h.channel.value) for h in record.handoffs), default=0)
    if width < NARROW_WIDTH or calls + channels + COLUMN_ROOM > width:
        table = Table(box=box.SIMPLE, show_header=False, show_edge=False, expand=True, padding=(0, 0), leading=1)
        table.add_column("handoff", overflow="fold")
        for handoff in record.handoffs:
            cell = Text()
            cell.append_text(_party(handoff))
            cell.append("\n")
            cell.append(handoff.channel.value, style="channel")
            call = _call(handoff)
            if len(handoff.channel.value) + 3 + call.cell_len <= width:
                cell.append(" · ")
                cell.append_text(call)
            else:  # the call on its own lines, broken only at / or _
                cell.append("\n")
                cell.append_text(identifier_lines(call, width, indent=2))
            cell.append("\n")
            cell.append(handoff.summary)
            table.add_row(cell)
        return table
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, show_edge=False)
    table.add_column("From → To", ratio=3, overflow="fold")
    table.add_column("Channel", no_wrap=True, style="channel")
    table.add_column("Call", no_wrap=True)  # an identifier: never broken inside
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
    candidates = [v for v in scheduling.filter_results if v.filter == PLACEMENT]
    if candidates:  # today's nova: the filters see only placement's candidates
        passed = sum(v.passed for v in candidates)
        label = Text("\nPlacement returns ", style="note.label")
        label.append(
            f"{passed} of {scheduling.considered} host(s) as candidates; the filters run in order on ", style="note"
        )
        label.append(
            "those, and a host a filter removes is not shown to the next. The hosts left are weighed:\n", style="note"
        )
        return label
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


def log_lines(record: StepRecord, width: int = 80, debug: bool = True) -> Text | None:
    """What the services logged: the lines an operator greps for (DEBUG and minor ones only when ``debug``)."""
    logs = [line for line in record.logs if debug or (line.level != "DEBUG" and not line.minor)]
    if not logs and not record.cleanup:
        return None
    text = Text()
    if record.cleanup:
        text.append("Cleaned up: ", style="note.label")
        text.append("; ".join(record.cleanup), style="cleanup")
        text.append("\n")
    if logs:
        text.append("In the logs (grep for these):\n", style="note.label")
        for line in logs:
            text.append_text(indented(_log_line(line), 2, 4, width))
            text.append("\n")
    return text


def _log_line(line: LogLine) -> Text:
    text = Text()
    text.append(f"{line.service.value} ", style=style_name(line.service))
    text.append(f"{line.level} ", style="log.level")
    text.append(line.text, style="log.text")
    return text


def indented(text: Text, first: int, rest: int, width: int) -> Text:
    """The text wrapped at spaces to ``width``, its first line indented by ``first``, the others by ``rest``."""
    lines = hanging_lines(text, max(width - first, 20), indent=rest - first).split("\n")
    return Text("\n").join(Text(" " * first) + line for line in lines)


#: The page a slide is exported as: the recap filling a 16:9 frame as wide as the window, in type to read from the
#: back of a room (a monospace cell is about 0.6 em wide: 1.5vw × 0.6 × 106 columns ≈ the window's width).
SLIDE_HTML = """<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8">
<title>bootwalk recap</title>
<style>
{stylesheet}
html, body {{
    margin: 0;
    color: {foreground};
    background-color: {background};
}}
.slide {{
    width: 100vw;
    aspect-ratio: 16 / 9;
    max-height: 100vh;
    display: flex;
    align-items: center;
    justify-content: center;
    overflow: hidden;
}}
pre {{
    margin: 0;
    font-family: Menlo, 'DejaVu Sans Mono', consolas, 'Courier New', monospace;
    font-size: 1.5vw;
    line-height: 1.2;
}}
code {{
    font-family: inherit;
}}
</style>
</head>
<body>
<div class="slide"><pre><code>{code}</code></pre></div>
</body>
</html>
"""


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
        level: Level = Level.OPERATOR,
        show_server: bool = False,
        theme: str = "dark",
        slide: bool = False,
    ) -> None:
        self.console = make_console(out, width, record=record, theme=theme)
        #: Whether the output carries Unicode; if not, the console turns text into ASCII before the layout.
        self.unicode = draws_unicode(out)
        self.theme = ThemeName(theme)
        self.slide = slide
        self.trace: Trace | None = None
        self.total_steps = total_steps
        self.detail = detail
        self.timeline = timeline
        self.header = header
        self.level = level
        self.show_server = show_server or detail is Detail.VERBOSE or level is Level.DEVELOPER
        self.shown: dict[str, StepRecord] = {}
        self.legend_shown: tuple[str, ...] = ()
        #: Whether the line saying what "(story)" marks has been printed (once a walk, below developer level).
        self.story_told = False
        #: The host each attempt's scheduler chose, as the walk shows them.
        self.hosts: dict[int, str] = {}
        #: At beginner level: each glossary term's name, and where the walk first names it: the step's attempt
        #: and number, its title (0) or detail (1), and the offset there.
        self.first_use: dict[str, tuple[int, int, int, int]] = {}
        if level is Level.BEGINNER:
            self.header = (*header, TERM_LEGEND, STATE_LEGEND)

    def note_terms(self, records: Iterable[StepRecord]) -> None:
        """Find where each glossary term is first named, in the walk's order (the presenter shows any order)."""
        for record in records:
            self._marked(record, 0, "step.title")
            if record.detail:
                self._marked(record, 1, "detail")

    def _marked(self, record: StepRecord, part: int, style: str) -> Text:
        """The step's title (part 0) or detail (1), each term the walk names first here underlined and marked."""
        from bootwalk.glossary import mentions

        sentence = record.detail if part else record.title
        text = Text(style=style)
        done = 0
        for mention in mentions(sentence):
            here = (record.attempt, record.number, part, mention.start)
            if self.first_use.setdefault(mention.term.name, here) != here:
                continue
            text.append(sentence[done : mention.start])
            text.append(sentence[mention.start : mention.end], style="term")
            text.append(TERM_MARK)
            done = mention.end
        text.append(sentence[done:])
        return text

    def print_header(self) -> None:
        """The lines printed once, before the first step (or the end): then never again."""
        if self.header and self.detail is not Detail.QUIET:
            text = Text()
            for line in self.header:
                label, _sep, rest = line.partition(": ")
                styled = Text(line, style="note")
                if rest:
                    styled.stylize("note.label", 0, len(label) + 2)
                text.append_text(hanging_lines(styled, self.console.width))
                text.append("\n")
            self.console.print(text)
        self.header = ()

    def on_step(self, record: StepRecord) -> None:
        """Print one step at the chosen level; a step an attempt only repeats is one line."""
        self.print_header()
        if self.detail is Detail.QUIET:
            return
        if record.scheduling is not None and record.scheduling.selected_host:
            self.hosts[record.attempt] = record.scheduling.selected_host
        earlier = self.shown.get(record.name)
        self.shown[record.name] = record
        if earlier is not None and self.level is not Level.DEVELOPER and repeats(record, earlier):
            self.console.print(_repeat_line(record, earlier, self.total_steps, self.hosts))
            return
        parts = self.step_parts(record)
        self.console.print(Group(*parts))  # type: ignore[arg-type]
        self.console.print()

    def step_parts(self, record: StepRecord) -> list[object]:
        """What one step shows at this renderer's level: heading, handoffs, scheduler, details, state."""
        width = self.console.width
        developer = self.level is Level.DEVELOPER
        beginner = self.level is Level.BEGINNER
        title = self._marked(record, 0, "step.title") if beginner else Text(record.title, style="step.title")
        title = hanging_lines(title, width)
        parts: list[object] = [step_heading(record, self.total_steps, title)]
        if record.handoffs and self.level is Level.OPERATOR:
            parts.append(compact_handoffs(record, width, laid_out=self.unicode))
        elif record.handoffs and developer:
            parts.append(handoff_table(record, width))
        if record.handoffs and self.detail is Detail.VERBOSE:
            from bootwalk.render.payloads import payload_views

            parts.append(Text("Payloads:", style="note.label"))
            parts.append(payload_views(record))
        if record.scheduling is not None and developer:
            parts.append(_weighers_label(record, record.scheduling))
            parts.append(scheduling_table(record.scheduling, width))
        elif record.scheduling is not None and self.level is Level.OPERATOR:
            from bootwalk.render.grid import compact_scheduling

            explained = record.scheduling.filters == self.legend_shown
            plain = self.unicode and self.console.color_system is None
            parts.append(compact_scheduling(record.scheduling, width, with_legend=not explained, plain=plain))
            self.legend_shown = record.scheduling.filters
        placements = placement_lines(record) if self.level is not Level.BEGINNER else None
        if placements is not None:
            parts.append(placements)
        lines = Text()
        grid_says_it = record.scheduling is not None and self.level is Level.OPERATOR
        if record.detail and (record.status is not StepStatus.OK or not grid_says_it):
            style = "status.failed" if record.status is StepStatus.FAILED else "detail"
            lines.append_text(self._marked(record, 1, style) if beginner else Text(record.detail, style))
            lines.append("\n")
        logs = log_lines(record, width, debug=developer) if self.level is not Level.BEGINNER else None
        if logs is not None:
            lines.append_text(logs)
        story = self.level is not Level.BEGINNER and any(handoff.simplified for handoff in record.handoffs)
        if story and not developer and not self.story_told:  # once a walk, where it first appears
            lines.append("(story) ", style="simplified")
            lines.append("marks the classic story's call, not nova's: see --level developer.\n", style="simplified")
            self.story_told = True
        state = Text("State after: ", style="note.label")
        state.append(record.states_text() if record.state else "no instance yet", style="state")
        lines.append_text(hanging_lines(state, width))
        if developer:
            lines.append("\n")
            if story:
                lines.append("(story) ", style="simplified")
                lines.append("marks the classic story's call, not nova's code.\n", style="simplified")
            lines.append("In real nova: ", style="note.label")
            lines.append(record.note, style="note")
            lines.append("\nRead: ", style="note.label")
            lines.append(record.source, style="note")
        parts.append(lines)
        return parts

    def finish(self, trace: Trace) -> None:
        """Print the server table, as the dialect's show command prints it, and the outcome (``-q``: just those)."""
        from bootwalk.dialects import dialect_named

        self.print_header()
        self.trace = trace
        console = self.console
        quiet = self.detail is Detail.QUIET
        dialect = dialect_named(trace.request.get("dialect"))
        if trace.server is not None and trace.request.get("poll") and not quiet:
            # What the client prints while it waits (nova boot --poll, openstack server create --wait).
            waiting = dialect.wait_lines(trace.outcome is Outcome.ACTIVE)
            if waiting:
                console.print(waiting)
        if trace.server is not None and (self.show_server or quiet):
            shown = dialect.show_table(trace.server, trace.request)
            # Text, not a str that rich would read as markup: a server may be named "[/x]".
            title = Text(f"{dialect.show_command} {trace.server['name']}", style="table.title")
            table = Table(box=box.ASCII, title=title, title_justify="left")
            for heading in shown.headings:
                table.add_column(heading, overflow="fold")
            keys = max([len(shown.headings[0]), *(len(key) for key, _value in shown.rows)])
            room = console.width - keys - 7  # | key | value |
            for key, value in shown.rows:
                table.add_row(Text(key), Text(_hyphen_breaks(value, room)))
            console.print(table)
            host = trace.servers[0].get("host") if trace.servers else None
            if host and "OS-EXT-SRV-ATTR:host" not in trace.server:
                admin = Text(
                    f"As user demo sees it; an admin would also see OS-EXT-SRV-ATTR:host {host}, "
                    f"hypervisor_hostname {host} and instance_name.",
                    style="note",
                )
                console.print(hanging_lines(admin, console.width))
        if len(trace.servers) > 1:
            listed = dialect.list_command
            console.print(
                servers_table(trace, listed) if console.width >= NARROW_WIDTH else servers_lines(trace, listed)
            )
        if quiet:
            pass
        elif len(trace.attempts) > 1 or any(attempt.result != "active" for attempt in trace.attempts):
            wide = console.width >= NARROW_WIDTH and self.level is Level.DEVELOPER
            console.print(attempts_table(trace) if wide else attempts_lines(trace, console.width))
        if trace.surfaces and not quiet:
            line = Text("Where the user sees it: ", style="note.label")
            line.append(trace.surfaces)
            console.print(line)
        if quiet:
            console.print(outcome_line(trace))
        else:
            console.print(recap(trace, console.width))
        if self.timeline:
            from bootwalk.render.timeline import timeline

            console.print()
            console.print(timeline(trace, console.width))

    def export_svg(self, title: str) -> str:
        """What was printed (or, with ``slide``, the recap alone), as SVG drawn on the theme's own background."""
        return self._recorded().export_svg(title=title, clear=False, theme=terminal_theme(self.theme))

    def export_html(self) -> str:
        """What was printed (or the recap alone, a 16:9 slide), as a standalone HTML page on the theme's background."""
        recorded = self._recorded()
        theme = terminal_theme(self.theme)
        if self.slide and self.trace is not None:
            return recorded.export_html(inline_styles=True, clear=False, theme=theme, code_format=SLIDE_HTML)
        return recorded.export_html(inline_styles=True, clear=False, theme=theme)

    def _recorded(self) -> Console:
        """The console that recorded the walk, or, for a slide, one that has drawn the recap alone at 16:9."""
        if not self.slide or self.trace is None:
            return self.console
        import io

        slide = Console(file=io.StringIO(), width=SLIDE_COLUMNS, record=True, theme=build_theme(self.theme))
        drawn = recap(self.trace, SLIDE_COLUMNS)
        rows = len(drawn.wrap(slide, SLIDE_COLUMNS))
        slide.print(drawn)
        slide.print("\n" * max(SLIDE_ROWS - rows - 1, 0), end="")
        return slide


def compact_handoffs(record: StepRecord, width: int, laid_out: bool = True) -> Table | Text:
    """The handoffs one line each: who to whom, the call, and the start of what is passed.

    Below 60 columns, or where a name and a call would leave too little room for what is passed, each
    takes two lines: who to whom, then the call and what is passed. Names and calls are never cut.
    ``laid_out`` lets the one-line form be written as text rather than drawn as a table (the same
    output); an ASCII console, which changes the characters before the layout, gets the table.
    """
    passes = min(16, width // 4)  # fewer characters of what is passed say nothing ("domain ins…")
    rows = _compact_rows(record.handoffs)
    parties = max((party.cell_len for party, _call_text, _summary in rows), default=0)
    calls = max((call.cell_len for _party_text, call, _summary in rows), default=0)
    if width < NARROW_WIDTH or parties + 1 + calls + 1 + passes > width:  # the columns, as the table lays them out
        text = Text()
        for party, call, summary in rows:
            text.append_text(party)
            line = Text("  ")
            line.append_text(call)
            line.append(" " + summary, style="channel")
            line.truncate(width, overflow="ellipsis")
            text.append("\n")
            text.append_text(line)
            text.append("\n")
        text.rstrip()
        return text
    lines = compact_lines(rows, width, passes) if laid_out else None
    return lines if lines is not None else compact_table(rows, passes)


def compact_table(rows: list[tuple[Text, Text, str]], passes: int) -> Table:
    """The handoff rows as a table of three columns, the last cut with an ellipsis to fit."""
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1), expand=True)
    table.add_column("From → To", no_wrap=True)
    table.add_column("Call", no_wrap=True)
    table.add_column("Passes", no_wrap=True, overflow="ellipsis", ratio=1, min_width=passes)
    for party, call, summary in rows:
        table.add_row(party, call, Text(summary, style="channel"))
    return table


def compact_lines(rows: list[tuple[Text, Text, str]], width: int, passes: int) -> Text | None:
    """:func:`compact_table`'s lines, laid out directly: the same characters and styles, a tenth of the work.

    When the names and calls leave the last column at least ``passes``
    cells, the table gives each column its widest cell and the last the
    rest; written here as text. Otherwise (rich then shares the squeeze
    out) None, and the table is drawn. A test holds the two to each other.
    """
    parties = max((party.cell_len for party, _call_text, _summary in rows), default=0)
    calls = max((call.cell_len for _party_text, call, _summary in rows), default=0)
    rest = width - parties - calls - 4  # a space on each inner side of each column
    if rest < passes or not rows:
        return None
    text = Text()
    for number, (party, call, summary) in enumerate(rows):
        if number:
            text.append("\n")
        text.append_text(party)
        text.append(" " * (parties - party.cell_len + 2))
        text.append_text(call)
        text.append(" " * (calls - call.cell_len + 2))
        cell = Text(summary, style="channel")
        cell.truncate(rest, overflow="ellipsis")
        text.append_text(cell)
        text.append(" " * (rest - cell.cell_len))
    return text


def _compact_rows(handoffs: Sequence[Handoff]) -> list[tuple[Text, Text, str]]:
    """Each handoff as (who to whom, call, what is passed); the client's lookups in a row, as one.

    The client's lookups before the request (``Work.LOOKUP``) say little each,
    and so do nova-api's checks with neutron (``Work.VALIDATE``): one row each
    run; the developer level lists them one by one.
    """
    rows: list[tuple[Text, Text, str]] = []
    index = 0
    while index < len(handoffs):
        checks = list(itertools.takewhile(lambda h: h.work is Work.VALIDATE, handoffs[index:]))
        if len(checks) > 1:
            asked = ", ".join(dict.fromkeys(check.call.split()[-1].split("/")[2] for check in checks))
            rows.append((_party(checks[0]), Text(f"{len(checks)} checks"), asked))
            index += len(checks)
            continue
        lookups = list(itertools.takewhile(lambda h: h.work is Work.LOOKUP, handoffs[index:]))
        if len(lookups) > 1:
            named: dict[str, str] = {}
            for lookup in lookups:
                named.setdefault(lookup.summary.split(":")[0].removesuffix(" by name"), lookup.target.value)
            asked = ", ".join(f"{name} ({target})" for name, target in named.items())
            rows.append((_party(lookups[0]), Text(f"{len(lookups)} lookups"), asked))
            index += len(lookups)
            continue
        handoff = handoffs[index]
        rows.append((_party(handoff), _call(handoff), handoff.summary))
        index += 1
    return rows


def _new_host(pairs: list[tuple[Handoff, Handoff]], before: str) -> str | None:
    """The one name that stands where the earlier attempt's host stood in every changed summary, if there is one."""
    import re

    found: set[str] = set()
    for now, then in pairs:
        if before not in then.summary:
            return None
        match = re.fullmatch(re.escape(then.summary).replace(re.escape(before), r"([\w.-]+?)"), now.summary)
        if match is None:
            return None
        found.update(match.groups())
    return found.pop() if len(found) == 1 else None


def _repeat_line(record: StepRecord, earlier: StepRecord, total: int, hosts: Mapping[int, str]) -> Text:
    """A step an attempt repeats: one line, its heading and the new host; and what else it passes now (a port).

    ``hosts`` are the host each attempt's scheduler chose.
    """
    text = Text()
    text.append(f" Step {record.number}/{total} ", style="step.number")
    text.append(" ")
    text.append(record.service.value, style=style_name(record.service))
    text.append(f" · attempt {record.attempt}: the same calls as attempt {earlier.attempt}", style="status.rescheduled")
    fewer = len(earlier.handoffs) - len(record.handoffs)
    if fewer:
        text.append(f" but its last {fewer}", style="status.rescheduled")
    if record.state is not None and record.state != earlier.state:
        text.append(f" · now {record.state.describe()}", style="state")
    elif record.status is not StepStatus.OK:
        text.append(f" · {record.status.value}", style=f"status.{record.status.value}")
    pairs = [
        (now, then)
        for now, then in zip(record.handoffs, earlier.handoffs[: len(record.handoffs)], strict=True)
        if now.summary != then.summary
    ]
    before = hosts.get(earlier.attempt)
    after = hosts.get(record.attempt) or (_new_host(pairs, before) if before else None)
    moved = [
        (now, then) for now, then in pairs if before and after and then.summary.replace(before, after) == now.summary
    ]
    if moved:
        text.append(f", on {after}", style="status.rescheduled")  # the calls, word for word, with the new host
    rest = [pair for pair in pairs if pair not in moved]
    if rest:
        text.append("\n  now: ", style="note.label")
        text.append(rest[0][0].summary, style="detail")
    return text


def _hyphen_breaks(value: str, room: int) -> str:
    """A value whose words fit ``room``: a longer word (a UUID) is broken after a ``-``, where it has one."""
    if room <= 8:
        return value
    return " ".join(identifier_lines(Text(word), room, indent=0, separators="-").plain for word in value.split(" "))


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


def attempts_lines(trace: Trace, width: int = 80) -> Text:
    """The attempts, one wrapped line each: ``#1 compute1 rescheduled: the reason``, continuations indented."""
    text = Text()
    for number, attempt in enumerate(trace.attempts):
        style = {"active": "outcome.active", "rescheduled": "status.rescheduled"}.get(attempt.result, "outcome.error")
        line = Text("Attempts: " if number == 0 else "", style="note.label")
        line.append(f"#{attempt.number} {attempt.host or '-'} ")
        line.append(attempt.result, style=style)
        if attempt.reason:
            line.append(f": {attempt.reason}")
        text.append_text(indented(line, 0 if number == 0 else 2, 4, width))
        text.append("\n")
    text.rstrip()
    return text
