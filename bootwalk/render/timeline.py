"""The walk as a waterfall: each step's simulated time as a bar, as a trace viewer draws it."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from bootwalk.render.theme import style_name
from bootwalk.timing import step_windows, total_ms
from bootwalk.trace import Trace

#: Below this width, each step's bar goes on a line of its own.
NARROW_WIDTH = 60


def duration_text(milliseconds: float) -> str:
    """``45 ms`` under a second, ``1.83 s`` above."""
    if milliseconds < 1000:
        return f"{milliseconds:.0f} ms"
    return f"{milliseconds / 1000:.2f} s"


def _bar(start: float, duration: float, total: float, width: int, style: str) -> Text:
    """Spaces up to the start, then at least one block for the duration."""
    scale = width / total if total else 0.0
    offset = min(width - 1, int(start * scale))
    length = max(1, min(width - offset, round(duration * scale))) if duration else 0
    bar = Text(" " * offset)
    bar.append("█" * length if length else "·", style=style)
    return bar


def timeline(trace: Trace, width: int) -> RenderableType:
    """One row per step that ran: number, service, a bar placed on the walk's clock, the duration."""
    windows = step_windows(trace)
    total = total_ms(trace)
    heading = Text("Timeline ", style="note.label")
    heading.append("(simulated: plausible durations, not measurements)", style="note")
    if width < NARROW_WIDTH:
        lines = Text()
        for record, start, duration in windows:
            attempt = f" (attempt {record.attempt})" if record.attempt > 1 else ""
            lines.append(f"{record.number}{attempt} ")
            lines.append(record.service.value, style=style_name(record.service))
            lines.append(f" {duration_text(duration)} at +{duration_text(start)}\n")
            lines.append_text(_bar(start, duration, total, width, style_name(record.service)))
            lines.append("\n")
        lines.append(f"Total: {duration_text(total)}", style="note.label")
        return Group(heading, lines)
    bar_width = max(10, width - 36)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("Step", no_wrap=True)
    table.add_column("Service", no_wrap=True)
    table.add_column(
        "0" + " " * max(0, bar_width - 1 - len(duration_text(total))) + duration_text(total),
        no_wrap=True,
        width=bar_width,
    )
    table.add_column("Time", justify="right", no_wrap=True)
    for record, start, duration in windows:
        number = str(record.number) + (f"/{record.attempt}" if record.attempt > 1 else "")
        style = style_name(record.service)
        table.add_row(
            Text(number),
            Text(record.service.value, style=style),
            _bar(start, duration, total, bar_width, style),
            Text(duration_text(duration)),
        )
    total_line = Text(f"Total: {duration_text(total)}", style="note.label")
    if any(record.attempt > 1 for record, _start, _duration in windows):
        total_line.append("  (4/2 is step 4 of attempt 2)", style="note")
    return Group(heading, table, total_line)
