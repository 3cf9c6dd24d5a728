"""Presenter mode, driven through a pseudo-terminal: next, back, jump, details, notes, help, quit, Ctrl-C."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time

import pytest

from bootwalk.exit_codes import ExitCode

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal needs a POSIX system")

DEMO = ["boot", "--image", "cirros", "--flavor", "m1.tiny", "--nic", "net-name=private", "demo-vm", "--step"]
#: rich's escape codes, stripped before the screen's text is searched.
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


class Terminal:
    """bootwalk on a pseudo-terminal of 80 × 35, read and typed at, with a deadline on every wait."""

    def __init__(self, arguments: list[str]) -> None:
        import pty
        import termios

        self.leader, self.follower = pty.openpty()
        self.settings = termios.tcgetattr(self.follower)
        environment = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "35"}
        environment.pop("NO_COLOR", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bootwalk", *arguments],
            stdin=self.follower, stdout=self.follower, stderr=self.follower, env=environment, close_fds=True,
        )  # fmt: skip
        self.raw = ""
        #: How far the test has read what was shown: each wait looks after the last text it found.
        self.cursor = 0

    def read_until(self, text: str, timeout: float = 20) -> str:
        """Everything shown from the last text found until ``text`` appears; fail the test at the deadline."""
        deadline = time.monotonic() + timeout
        start = self.cursor
        while True:
            shown = ESCAPES.sub("", self.raw)
            found = shown.find(text, start)
            if found >= 0:
                self.cursor = found + len(text)
                return shown[start : self.cursor]
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} never appeared; the screen showed: {shown[-600:]!r}")
            ready, _, _ = select.select([self.leader], [], [], min(left, 0.5))
            if ready:
                try:
                    self.raw += os.read(self.leader, 65536).decode("utf-8", errors="replace")
                except OSError:
                    continue

    def type(self, keys: str) -> None:
        os.write(self.leader, keys.encode())

    def finish(self, timeout: float = 20) -> int:
        code = self.process.wait(timeout=timeout)
        while select.select([self.leader], [], [], 0.2)[0]:
            try:
                chunk = os.read(self.leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            self.raw += chunk.decode("utf-8", errors="replace")
        return code

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        os.close(self.leader)
        os.close(self.follower)


@pytest.fixture
def terminal():  # type: ignore[no-untyped-def]
    opened: list[Terminal] = []

    def open_terminal(arguments: list[str]) -> Terminal:
        opened.append(Terminal(arguments))
        return opened[-1]

    yield open_terminal
    for each in opened:
        each.close()


def test_next_back_jump_details_notes_help_and_quit(terminal) -> None:  # type: ignore[no-untyped-def]
    import termios

    screen = terminal(DEMO)
    opening = screen.read_until("Step 1/12")
    assert "In the other dialect: openstack server create" in opening  # before the first key
    screen.read_until("? help  q quit")

    def press(keys: str) -> str:
        """Type, then return the screen drawn in answer, up to its status line."""
        screen.type(keys)
        return screen.read_until("? help  q quit")

    assert "keystone returns a token" in press("\r")
    assert "The client sends the user's credentials" in press("b")
    assert "keystone returns a token" in press("\x1b[C")  # the → arrow
    screen.type("4")
    screen.read_until("go to step: 4")  # the number is echoed under the status line; Enter jumps
    assert "Filters: 1 Retry" in press("\r")
    assert '"method": "run_instance"' in press("d")
    assert "Filters: 1 Retry" in press(" ")
    notes = " ".join(press("n").split())
    assert "In real nova: In Icehouse the message goes to nova-conductor first" in notes and "Read: " in notes
    assert "Presenter keys" in press("?")
    assert "Filters: 1 Retry" in press("x")
    screen.type("q")
    assert screen.finish() == ExitCode.OK
    shown = ESCAPES.sub("", screen.raw)
    assert "Stopped before step 5/12 (nova-scheduler" in " ".join(shown.split())
    assert "\x1b[?1049h" in screen.raw and "\x1b[?1049l" in screen.raw  # the alternate screen, left again
    assert termios.tcgetattr(screen.follower) == screen.settings


def test_the_last_step_then_the_recap_and_the_outcome(terminal) -> None:  # type: ignore[no-untyped-def]
    screen = terminal(DEMO)
    screen.read_until("Step 1/12")
    screen.type("12\r")
    screen.read_until("Step 12/12")
    screen.type("\r" * 4)  # the last step's pages, then the end
    assert screen.finish() == ExitCode.OK
    after = ESCAPES.sub("", screen.raw[screen.raw.rindex("\x1b[?1049l") :])
    assert "Recap: demo-vm, step by step" in after and after.rstrip().endswith("Outcome: ACTIVE")


def test_ctrl_c_leaves_the_alternate_screen_and_restores_the_terminal(terminal) -> None:  # type: ignore[no-untyped-def]
    import signal
    import termios

    screen = terminal(DEMO)
    screen.read_until("? help  q quit")
    screen.process.send_signal(signal.SIGINT)  # what Ctrl-C sends (the pty is not the child's controlling terminal)
    assert screen.finish() == ExitCode.INTERRUPTED
    assert "\x1b[?1049l" in screen.raw
    assert "Interrupted." in ESCAPES.sub("", screen.raw)
    assert termios.tcgetattr(screen.follower) == screen.settings


def test_the_status_line_shows_every_key_at_80_columns() -> None:
    from bootwalk.render.presenter import KEY_HELP

    status = "Step 12/12 · more below  " + KEY_HELP
    assert len(status) <= 80, status
    assert all(key in KEY_HELP for key in ("Enter next", "b back", "d details", "n notes", "? help", "q quit"))


def test_d_on_the_scheduler_step_shows_each_filter_s_reasoning(catalog) -> None:  # type: ignore[no-untyped-def]
    import io

    from bootwalk.render.interface import Level
    from bootwalk.render.presenter import Presenter, _View
    from bootwalk.render.table import TableRenderer
    from tests.render.test_levels import demo_walk

    trace = demo_walk(catalog)
    renderer = TableRenderer(io.StringIO(), width=80, level=Level.OPERATOR)
    presenter = Presenter(renderer, keys=None, total_steps=12)  # type: ignore[arg-type]
    presenter.steps = trace.steps
    shown = "\n".join(presenter._lines(trace, _View(index=3, details=True)))
    assert '"method": "run_instance"' in shown  # the payloads, as before
    assert "Each filter's reasoning for every host" in shown
    assert "✓ RamFilter: needs 512 MB RAM, 20480 MB" in shown
    assert "✗ ComputeFilter: disabled, reason:" in shown
    other = "\n".join(presenter._lines(trace, _View(index=2, details=True)))
    assert "Each filter's reasoning" not in other
