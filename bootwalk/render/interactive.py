"""Classroom mode around the table renderer: step by step, paced, and as a quiz.

:class:`ClassroomRenderer` wraps a :class:`~bootwalk.render.table.TableRenderer`.
Before each step it may wait (``--delay``, with a spinner naming the service
at work), ask a question (``--quiz``), and show what is about to happen and
wait for a key (``--step``); then the step is printed as usual.

Keys come from a :class:`KeySource`: single key presses on a terminal, or
lines when standard input is not one (piped, closed, CI), so that nothing
ever waits forever: at the end of the input the walk simply goes on.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Callable
from typing import Protocol, TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from bootwalk.render.glyphs import drawable, draws_unicode
from bootwalk.render.payloads import payload_views
from bootwalk.render.quiz import Answered, Question, closing_questions, questions_for
from bootwalk.render.table import TableRenderer
from bootwalk.render.theme import style_name
from bootwalk.text import visible
from bootwalk.trace import Handoff, StepRecord, Trace


def stopped_line(stop: StopWalk, total_steps: int) -> Text:
    """Where the walk stopped after ``q``: the step it stopped before, the steps shown, the instance's state."""
    text = Text("Stopped ", style="note.label")
    text.append(f"before step {stop.record.number}/{total_steps} ({stop.record.service.value}: ")
    text.append(f"{stop.record.title}). ")
    if stop.last is None:
        text.append("No step was shown.")
    else:
        text.append(f"Steps shown: 1 to {stop.last.number}" if stop.last.attempt == 1 else "Last step shown: ")
        if stop.last.attempt > 1:
            text.append(f"{stop.last.number} (attempt {stop.last.attempt})")
        text.append(". The instance was ")
        text.append(stop.last.state.describe() if stop.last.state else "not created yet", style="state")
        text.append(".")
    return text


class StopWalk(Exception):
    """``q`` in step mode: stop the walk cleanly after the steps shown so far."""

    def __init__(self, record: StepRecord, last: StepRecord | None) -> None:
        super().__init__(record.name)
        self.record = record
        self.last = last


class KeySource(Protocol):
    """Where key presses come from."""

    def read_key(self) -> str | None:
        """One key: a single character, ``"\\n"`` for Enter, or None when the input is over."""
        ...


class LineKeys:
    """Keys from lines, for a standard input that is not a terminal: one line is one key.

    An empty line is Enter; otherwise the line's first character counts. At
    the end of the input every read answers None, and nobody waits.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.ended = False

    def read_key(self) -> str | None:
        if self.ended:
            return None
        try:
            line = self.stream.readline()
        except (OSError, ValueError):  # a closed or unreadable standard input: nothing more to read
            line = ""
        if not line:
            self.ended = True
            return None
        text = line.strip()
        return text[0] if text else "\n"


#: The escape sequences the arrow keys send, and the key names bootwalk gives them.
ARROWS = {"\x1b[C": "→", "\x1b[D": "←", "\x1b[A": "↑", "\x1b[B": "↓", "\x1bOC": "→", "\x1bOD": "←"}


class TerminalKeys:
    """Single key presses from a terminal, without waiting for Enter.

    The terminal is put in cbreak mode only while a key is read, and always
    restored; Ctrl-C still raises KeyboardInterrupt (the terminal keeps ISIG).
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        #: Keys read from the terminal but not yet handed out (typed ahead, or a whole escape sequence).
        self.pending = ""

    def read_key(self) -> str | None:
        """One key: a character, ``"\\n"`` for Enter, an arrow as ``"→"`` or ``"←"``; None at the end."""
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            import msvcrt

            key = msvcrt.getwch()
        else:
            if not self.pending:
                self.pending = self._read_available()
            key = self._next_key()
        if key == "\x03":
            raise KeyboardInterrupt
        if key in ("", "\x04"):
            return None
        return "\n" if key in ("\r", "\n") else key

    def _read_available(self) -> str:
        """Wait for a key press, then take all the terminal has: typed-ahead keys are kept, never flushed."""
        import termios
        import tty

        descriptor = self.stream.fileno()
        saved = termios.tcgetattr(descriptor)
        try:
            tty.setcbreak(descriptor, termios.TCSANOW)  # the default, TCSAFLUSH, throws typed-ahead keys away
            data = os.read(descriptor, 64)
        finally:
            termios.tcsetattr(descriptor, termios.TCSADRAIN, saved)
        return data.decode("utf-8", errors="replace")

    def _next_key(self) -> str:
        """The next key of what was read: an arrow's escape sequence is one key."""
        for sequence, name in ARROWS.items():
            if self.pending.startswith(sequence):
                self.pending = self.pending[len(sequence) :]
                return name
        key, self.pending = self.pending[:1], self.pending[1:]
        return key


def keys_for(stream: TextIO | None) -> KeySource:
    """Single keys on a terminal, lines otherwise (none at all when there is no standard input)."""
    if stream is None:
        import io

        return LineKeys(io.StringIO())
    try:
        interactive = stream.isatty()
    except (AttributeError, ValueError):
        interactive = False
    return TerminalKeys(stream) if interactive else LineKeys(stream)


class ClassroomRenderer:
    """Paces, quizzes and steps through a walk around the table renderer."""

    def __init__(
        self,
        inner: TableRenderer,
        keys: KeySource,
        prompts: TextIO,
        step: bool = False,
        quiz: bool = False,
        delay: float = 0.0,
        total_steps: int = 12,
        seed: int = 42,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.inner = inner
        self.console: Console = inner.console
        self.keys = keys
        self.prompts = prompts
        self.step = step
        self.quiz = quiz
        self.delay = delay
        self.total_steps = total_steps
        self.rng = random.Random(seed)  # noqa: S311 - it only shuffles the quiz's choices
        self.sleep = sleep
        #: Every step printed so far, in order: what the exports hold after ``q``.
        self.shown: list[StepRecord] = []
        self.score = 0
        self.asked = 0
        self.answers: list[Answered] = []

    @property
    def last(self) -> StepRecord | None:
        """The step printed last, if any."""
        return self.shown[-1] if self.shown else None

    def _prompt(self, text: str) -> None:
        """Key help goes to stderr, and only for a person at a terminal."""
        if isinstance(self.keys, TerminalKeys):
            self.prompts.write(text)
            self.prompts.flush()

    def _preview(self, record: StepRecord) -> None:
        line = Text("Next: ", style="note.label")
        attempt = f" (attempt {record.attempt})" if record.attempt > 1 else ""
        line.append(f"Step {record.number}/{self.total_steps}{attempt} · ")
        line.append(record.service.value, style=style_name(record.service))
        line.append(f" — {record.title}")
        self.console.print(line)

    def _wait_for_step(self, record: StepRecord) -> None:
        """Enter or space: go on; d: this step's payloads; q: stop. The end of the input goes on."""
        self._preview(record)
        while True:
            self._prompt("[Enter/space] next  [d] details  [q] quit ")
            key = self.keys.read_key()
            self._prompt("\n")
            if key is None or key in ("\n", " "):
                return
            if key.lower() == "q":
                raise StopWalk(record, self.last)
            if key.lower() == "d":
                self.console.print(payload_views(record) if record.handoffs else Text("No handoff in this step."))
                if record.scheduling is not None:  # and the scheduler's full reasoning, which the grid sums up
                    from bootwalk.render.table import scheduling_table

                    self.console.print(Text("Each filter's reasoning for every host", style="note.label"))
                    self.console.print(scheduling_table(record.scheduling, self.console.width))
            else:
                shown = visible(key)  # a key such as Esc or an arrow sends control characters
                self.console.print(Text(f"'{shown}' does nothing here: Enter or space, d, or q.", style="note"))

    def _pace(self, record: StepRecord) -> None:
        """Wait ``delay`` seconds with a spinner; the image download gets a progress bar by its size."""
        download = next((h for h in record.handoffs if h.size_bytes is not None), None)
        if download is not None and self.console.is_terminal:
            self._download(download)
            return
        unicode = draws_unicode(self.console.file)
        working = drawable(f"{record.service.value} at work…", self.console.file)
        # The status line is drawn by rich's Live, past the console's ASCII stand-ins: its spinner too.
        with self.console.status(
            Text(working, style=style_name(record.service)), spinner="dots" if unicode else "line"
        ):
            self.sleep(self.delay)

    def _download(self, handoff: Handoff) -> None:
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

        size = handoff.size_bytes or 1
        ticks = 20
        with Progress(
            TextColumn(drawable(f"{handoff.source.value} → {handoff.target.value}", self.console.file)),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            console=self.console,
            transient=True,
        ) as progress:
            task = progress.add_task("image", total=size)
            for _tick in range(ticks):
                self.sleep(self.delay / ticks)
                progress.advance(task, size / ticks)

    def _ask(self, record: StepRecord) -> None:
        for question in questions_for(record, self.last, self.rng):
            self._put(question)

    def _put(self, question: Question) -> None:
        """The facts it needs, the question and its choices, the answer read, and the reveal."""
        if question.facts:
            self.console.print(Text(question.facts, style="note"))
        text = Text("Quiz: ", style="note.label")
        text.append(question.text + "\n")
        for index, choice in enumerate(question.choices, start=1):
            text.append(f"  {index}. {choice}\n")
        self.console.print(text, end="")
        self._prompt(f"[1-{len(question.choices)}] your answer ")
        key = self.keys.read_key()
        self._prompt("\n")
        chosen = None
        if key is not None and key.isdigit() and 1 <= int(key) <= len(question.choices):
            chosen = question.choices[int(key) - 1]
        self.asked += 1
        verdict = Text()
        if chosen == question.answer:
            self.score += 1
            verdict.append("Right: ", style="outcome.active")
        else:
            verdict.append("Not quite: " if chosen else "No answer: ", style="outcome.error")
            verdict.append(f"it is {question.answer}. ")
        verdict.append(question.reason, style="note")
        self.console.print(verdict)
        self.answers.append(Answered(question, chosen))

    def on_step(self, record: StepRecord) -> None:
        """Pace, ask, wait, then print the step."""
        if self.delay > 0:
            self._pace(record)
        if self.quiz:
            self._ask(record)
        if self.step:
            self._wait_for_step(record)
        self.inner.on_step(record)
        self.shown.append(record)

    def finish(self, trace: Trace) -> None:
        """The closing questions, the usual end, then the review and the quiz's score."""
        if self.quiz:
            for question in closing_questions(trace, self.rng):
                self._put(question)
        self.inner.finish(trace)
        if self.quiz:
            self.console.print(review(self.answers, self.console.width))
            self.console.print(Text(f"Quiz score: {self.score}/{self.asked}", style="note.label"))

    def results(self) -> list[dict[str, object]]:
        """Every question asked, its choices, the answer given and the right one: ``--quiz-results``."""
        return [
            {
                "question": answered.question.text,
                "choices": list(answered.question.choices),
                "given": answered.given,
                "answer": answered.question.answer,
                "right": answered.right,
            }
            for answered in self.answers
        ]

    def stopped(self, stop: StopWalk) -> None:
        """Say where the walk stopped after ``q``."""
        self.console.print(stopped_line(stop, self.total_steps))
        if self.quiz:
            self.console.print(Text(f"Quiz score: {self.score}/{self.asked}", style="note.label"))

    def export_svg(self, title: str) -> str:
        """What was printed, as SVG."""
        return self.inner.export_svg(title)

    def export_html(self) -> str:
        """What was printed, as HTML."""
        return self.inner.export_html()


def review(answers: list[Answered], width: int) -> Table | Text:
    """Each question with the answer given and, under a wrong one, the right one.

    The answers' column is at least as wide as the longest word of an answer
    (up to half the width), so that a filter's name is never broken.
    """
    if width < 60:  # stacked: each question, then the answers under it
        from bootwalk.render.wrapping import hanging_lines

        text = Text("Quiz review\n", style="note.label")
        for number, answered in enumerate(answers, start=1):
            text.append_text(hanging_lines(Text(f"{number}. {answered.question.text}"), width, indent=3))
            mark, style = ("✓", "outcome.active") if answered.right else ("✗", "outcome.error")
            text.append(f"\n   {mark} {answered.given or '(none)'}", style=style)
            if not answered.right:
                text.append(f"\n   → {answered.question.answer}")
            text.append("\n")
        text.rstrip()
        return text
    given = [a for answered in answers for a in (answered.given, answered.question.answer) if a]
    longest = max((len(word) + 2 for answer in given for word in answer.split()), default=8)
    table = Table(box=box.ASCII, title="Quiz review", title_justify="left", expand=width >= 60)
    table.add_column("#", no_wrap=True)
    table.add_column("Question", ratio=1)
    table.add_column("Yours, and the right one", ratio=1, min_width=min(longest, width // 2), overflow="fold")
    for number, answered in enumerate(answers, start=1):
        cell = Text()
        if answered.right:
            cell.append(f"✓ {answered.given}", style="outcome.active")
        else:
            cell.append(f"✗ {answered.given or '(none)'}", style="outcome.error")
            cell.append(f"\n→ {answered.question.answer}")
        table.add_row(Text(str(number)), Text(answered.question.text), cell)
    return table
