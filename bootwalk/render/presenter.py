"""Presenter mode: ``--step`` on a terminal shows one step per screen, and the presenter moves freely.

The walk is pure and quick, so it is walked whole first; then each step is
drawn alone on the terminal's alternate screen (restored on exit, on
Ctrl-C and on any error), paged when taller than the screen. Keys: Enter,
space or → for next (or the next page), b or ← for back, a number and Enter
to jump, d for the step's payloads, n for the "In real nova" note, ? for
help, q to quit. The opening lines come before the first key.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console, Group
from rich.text import Text

from bootwalk.render.interactive import KeySource, StopWalk
from bootwalk.render.table import TableRenderer
from bootwalk.trace import StepRecord, Trace

#: The keys on the status line, which fit 80 columns after "Step 12/12 · more below" (``?`` lists them all).
KEY_HELP = "Enter next  b back  d details  n notes  ? help  q quit"

HELP_PAGE = """Presenter keys

  Enter, space or →   next page, then the next step
  b or ←              the page before, then the step before
  a number, Enter     jump to that step (Esc or any other key cancels)
  d                   this step's payloads: REST bodies, RPC messages
  n                   show or hide the "In real nova" note and its source
  ?                   this help
  q                   quit: the walk stops, and says where
  Ctrl-C              stop at once (exit 130)

Any key goes back to the step."""


@dataclass
class _View:
    """Where the presenter is: the step, the page within it, and what it shows."""

    index: int = 0
    offset: int = 0
    notes: bool = False
    details: bool = False
    help: bool = False


class Presenter:
    """Walks a finished trace step by step on the alternate screen, driven by keys."""

    def __init__(self, renderer: TableRenderer, keys: KeySource, total_steps: int) -> None:
        self.renderer = renderer
        self.console: Console = renderer.console
        self.keys = keys
        self.total_steps = total_steps
        #: The steps the presenter has shown so far: what the exports hold after ``q``.
        self.shown: list[StepRecord] = []

    def _lines(self, trace: Trace, view: _View) -> list[str]:
        """The current screen's content, as lines with the terminal's styles, before paging."""
        record = trace.steps[view.index]
        with self.console.capture() as capture:
            if view.help:
                self.console.print(Text(HELP_PAGE))
            elif view.details:
                from bootwalk.render.payloads import payload_views

                self.console.print(
                    payload_views(record) if record.handoffs else Text("No handoff in this step.", style="note")
                )
                if record.scheduling is not None:  # and the scheduler's full reasoning, which the grid sums up
                    from bootwalk.render.table import scheduling_table

                    self.console.print(Text("\nEach filter's reasoning for every host", style="note.label"))
                    self.console.print(scheduling_table(record.scheduling, self.console.width))
            else:
                # Each screen stands alone: the grid's legend and what "(story)" marks are always drawn.
                self.renderer.legend_shown = ()
                self.renderer.story_told = False
                parts = self.renderer.step_parts(record)
                if view.notes:
                    note = Text("\nIn real nova: ", style="note.label")
                    note.append(record.note, style="note")
                    note.append("\nRead: ", style="note.label")
                    note.append(record.source, style="note")
                    parts.append(note)
                self.console.print(Group(*parts))  # type: ignore[arg-type]
        return capture.get().rstrip("\n").split("\n")

    def _draw(self, lines: list[str], view: _View, room: int) -> None:
        self.console.clear()
        page = lines[view.offset : view.offset + room]
        self.console.file.write("\n".join(page) + "\n" * (room - len(page) + 1))
        more = " · more below" if view.offset + room < len(lines) else ""
        status = Text(f"Step {view.index + 1}/{len(self.steps)}{more}  ", style="step.number")
        status.append(KEY_HELP, style="channel")
        status.truncate(self.console.width, overflow="ellipsis")
        self.console.print(status, end="")
        self.console.file.flush()

    def run(self, trace: Trace) -> None:
        """Present every step; raise StopWalk when the presenter quits with ``q``."""
        self.steps = trace.steps
        if not trace.steps:
            return
        self.renderer.note_terms(trace.steps)  # a term is marked where the walk first names it, in any order shown
        view = _View()
        digits = ""
        with self.console.screen(hide_cursor=True):
            while True:
                lines = self._lines(trace, view)
                room = max(self.console.height - 1, 5)
                self._record(trace.steps[view.index])
                self._draw(lines, view, room)
                if digits:
                    self.console.print(Text(f"  go to step: {digits}", style="bold"), end="")
                    self.console.file.flush()
                key = self.keys.read_key()
                if key is None:  # the input is over: show the rest, as --step does without a terminal
                    return
                if digits:
                    if key.isdigit():
                        digits += key
                    elif key == "\n" and 1 <= int(digits) <= len(trace.steps):
                        view = _View(index=int(digits) - 1, notes=view.notes)
                        digits = ""
                    else:
                        digits = ""
                    continue
                if view.help or view.details:
                    view.help = view.details = False
                    view.offset = 0
                    continue
                if key in ("\n", " ", "→", "↓"):
                    if view.offset + room < len(lines):
                        view.offset += room
                    elif view.index + 1 < len(trace.steps):
                        view = _View(index=view.index + 1, notes=view.notes)
                    else:
                        return
                elif key in ("b", "B", "←", "↑"):
                    if view.offset > 0:
                        view.offset = max(0, view.offset - room)
                    elif view.index > 0:
                        view = _View(index=view.index - 1, notes=view.notes)
                elif key.isdigit():
                    digits = key
                elif key in ("d", "D"):
                    view.details, view.offset = True, 0
                elif key in ("n", "N"):
                    view.notes, view.offset = not view.notes, 0
                elif key == "?":
                    view.help, view.offset = True, 0
                elif key in ("q", "Q"):
                    following = view.index + 1
                    if following < len(trace.steps):
                        raise StopWalk(trace.steps[following], trace.steps[view.index])
                    return

    def _record(self, record: StepRecord) -> None:
        if record not in self.shown:
            self.shown.append(record)
