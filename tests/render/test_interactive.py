"""Classroom mode: step by step with simulated keys, EOF and Ctrl-C, pacing, and the quiz."""

from __future__ import annotations

import io
import os
import pty
import select
import signal
import termios

import pytest
from click.testing import CliRunner
from rich.console import Console

from bootwalk.cli import cli
from bootwalk.engine import resolve_request
from bootwalk.exit_codes import ExitCode
from bootwalk.model import Catalog
from bootwalk.render import interactive
from bootwalk.render.interactive import ClassroomRenderer, LineKeys, TerminalKeys, questions_for
from bootwalk.render.table import TableRenderer
from bootwalk.render.theme import build_theme
from bootwalk.scenarios import SCENARIOS
from tests.conftest import DEMO_ARGS, demo_request
from tests.walking import walk


def run(arguments: list[str], keys: str = "", **kwargs: object):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(
        cli,
        arguments,
        prog_name="bootwalk",
        input=keys,
        env={"COLUMNS": "140"},
        **kwargs,  # type: ignore[arg-type]
    )


def headings(text: str) -> list[str]:
    return [line.split("·")[0].strip() for line in text.splitlines() if line.startswith(" Step ")]


def test_step_mode_next_details_and_quit() -> None:
    result = run([*DEMO_ARGS, "--step"], keys="\n \nd\n\nq\n", catch_exceptions=False)
    assert result.exit_code == ExitCode.OK
    assert headings(result.stdout) == ["Step 1/12  keystone", "Step 2/12  keystone", "Step 3/12  nova-api"]
    previews = [line for line in result.stdout.splitlines() if line.startswith("Next: ")]
    assert previews[:4] == [
        "Next: Step 1/12 · keystone — The client sends the user's credentials to keystone",
        "Next: Step 2/12 · keystone — keystone returns a token that every later call carries",
        "Next: Step 3/12 · nova-api — nova-api checks the request, writes the instance row and queues the request",
        "Next: Step 4/12 · nova-scheduler — nova-scheduler picks the message up, filters and weighs the compute hosts",
    ]
    # d before step 3 showed its payloads, then the step itself once Enter came.
    details = result.stdout.index('"url": "http://controller/compute/v2.1/servers"')
    assert result.stdout.index("Next: Step 3/12") < details < result.stdout.index("\n Step 3/12")
    flat = " ".join(result.stdout.split())
    assert "Stopped before step 4/12 (nova-scheduler: " in flat
    assert "Steps shown: 1 to 3. The instance was building / scheduling / NOSTATE (0)." in flat
    assert result.stderr == ""
    assert "Outcome:" not in result.stdout


def test_step_mode_goes_on_at_the_end_of_the_input() -> None:
    result = run([*DEMO_ARGS, "--step"], keys="", catch_exceptions=False)
    assert result.exit_code == ExitCode.OK
    assert len(headings(result.stdout)) == 12
    assert result.stdout.rstrip().endswith("Outcome: ACTIVE")


def test_an_unknown_key_says_which_keys_work() -> None:
    result = run([*DEMO_ARGS, "--step"], keys="x\n", catch_exceptions=False)
    assert "'x' does nothing here: Enter or space, d, or q." in result.stdout
    assert len(headings(result.stdout)) == 12


def test_ctrl_c_in_step_mode_is_one_line_and_130(monkeypatch: pytest.MonkeyPatch) -> None:
    class Interrupting:
        def read_key(self) -> str | None:
            raise KeyboardInterrupt

    monkeypatch.setattr(interactive, "keys_for", lambda stream: Interrupting())
    result = run([*DEMO_ARGS, "--step"])
    assert (result.exit_code, result.stderr) == (ExitCode.INTERRUPTED, "Interrupted.\n")


def test_classroom_options_need_the_table_output() -> None:
    result = run([*DEMO_ARGS, "--step", "-f", "json"])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith("Error: --step works on the table output; leave out -f json")


def test_line_keys() -> None:
    keys = LineKeys(io.StringIO("\n  d  \nquit\n"))
    assert [keys.read_key() for _ in range(5)] == ["\n", "d", "q", None, None]


def test_terminal_keys_read_one_key_and_restore_the_terminal() -> None:
    leader, follower = pty.openpty()
    try:
        with os.fdopen(follower, "r", closefd=False) as stream:
            before = termios.tcgetattr(follower)
            os.write(leader, b"d\rq")
            keys = TerminalKeys(stream)
            assert [keys.read_key(), keys.read_key(), keys.read_key()] == ["d", "\n", "q"]
            assert termios.tcgetattr(follower) == before
    finally:
        os.close(leader)
        os.close(follower)


def test_terminal_keys_keep_the_keys_typed_before_the_read() -> None:
    """Keys already waiting on the terminal are read, not flushed away (tty.setcbreak flushes by default)."""
    leader, follower = pty.openpty()
    previous = signal.signal(signal.SIGALRM, _took_too_long)
    try:
        with os.fdopen(follower, "r", closefd=False) as stream:
            os.write(leader, b"d\rq")
            assert select.select([follower], [], [], 5)[0] == [follower]  # the keys have reached the terminal
            keys = TerminalKeys(stream)
            signal.alarm(5)
            assert [keys.read_key(), keys.read_key(), keys.read_key()] == ["d", "\n", "q"]
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        os.close(leader)
        os.close(follower)


def _took_too_long(signal_number: int, frame: object) -> None:
    raise TimeoutError("the keys typed ahead were thrown away: reading blocked")


def test_questions_are_answerable_from_the_trace(catalog: Catalog) -> None:
    import random

    for name in [None, *SCENARIOS]:
        changes: dict[str, object] = {}
        if name == "volume-attach-failed":
            changes = {"image": None, "boot_volume": "8a1c3e5f-7b9d-4f1a-b3c5-e7f9a1b3c5d7"}
        trace = walk(resolve_request(demo_request(**changes), catalog), catalog, scenario=SCENARIOS.get(name or ""))
        previous = None
        for record in trace.steps:
            for question in questions_for(record, previous, random.Random(1)):
                assert question.answer in question.choices
                assert len(set(question.choices)) == len(question.choices) >= 2
                if question.text.startswith("Which host wins"):
                    assert record.scheduling is not None and question.answer == record.scheduling.selected_host
                if question.text.startswith("Which filter removes"):
                    host = question.text.removeprefix("Which filter removes ").removesuffix("?")
                    assert record.scheduling is not None
                    removed = record.scheduling.removed_by(host)
                    assert removed is not None and removed.filter == question.answer
                if "task_state" in question.text:
                    assert record.state is not None and question.answer == str(record.state.task_state)
            previous = record


def _answers(catalog: Catalog, right: bool) -> str:
    import random

    trace = walk(resolve_request(demo_request(), catalog), catalog)
    rng = random.Random(42)
    lines = []
    previous = None
    for record in trace.steps:
        for question in questions_for(record, previous, rng):
            index = question.choices.index(question.answer) + 1
            lines.append(str(index if right else index % len(question.choices) + 1))
        previous = record
    return "\n".join(lines) + "\n"


def test_quiz_scores_right_answers(catalog: Catalog) -> None:
    result = run([*DEMO_ARGS, "--quiz"], keys=_answers(catalog, right=True), catch_exceptions=False)
    assert result.stdout.count("Right: ") == 5
    assert result.stdout.rstrip().endswith("Quiz score: 5/5")


def test_quiz_scores_wrong_and_missing_answers(catalog: Catalog) -> None:
    wrong = run([*DEMO_ARGS, "--quiz"], keys=_answers(catalog, right=False))
    assert wrong.stdout.count("Not quite: it is ") == 5 and "Quiz score: 0/5" in wrong.stdout
    missing = run([*DEMO_ARGS, "--quiz"], keys="")
    assert missing.stdout.count("No answer: it is ") == 5
    assert "Not quite: it is compute1. compute1 wins" in wrong.stdout or "it is compute1." in wrong.stdout


def test_delay_waits_with_a_spinner_and_a_progress_bar_for_the_image(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    waited: list[float] = []
    inner = TableRenderer(io.StringIO(), width=80)
    out = io.StringIO()
    inner.console = Console(file=out, width=80, force_terminal=True, theme=build_theme())
    classroom = ClassroomRenderer(inner, LineKeys(io.StringIO()), io.StringIO(), delay=0.5, sleep=waited.append)
    classroom.finish(walk(demo, catalog, on_step=classroom.on_step))
    assert sum(waited) == pytest.approx(12 * 0.5)
    assert waited.count(0.5) == 11  # one spinner wait per step but glance's
    assert len([w for w in waited if w == pytest.approx(0.025)]) == 20  # glance: the bar in 20 ticks
    assert "glance → nova-compute" in out.getvalue()


def test_replay_steps_too(tmp_path) -> None:  # type: ignore[no-untyped-def]
    saved = tmp_path / "walk.json"
    saved.write_text(run([*DEMO_ARGS, "-f", "json"]).stdout, encoding="utf-8")
    result = run(["replay", str(saved), "--step"], keys="\n\n\n\nq\n", catch_exceptions=False)
    assert result.exit_code == ExitCode.OK
    assert len(headings(result.stdout)) == 4
    assert "Stopped before step 5/12" in " ".join(result.stdout.split())


def test_no_standard_input_at_all_goes_on() -> None:
    keys = interactive.keys_for(None)
    assert keys.read_key() is None

    class Closed(io.StringIO):
        def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
            raise ValueError("I/O operation on closed file.")

    assert LineKeys(Closed()).read_key() is None


def test_step_mode_with_stdin_closed_never_hangs() -> None:
    import subprocess
    import sys

    completed = subprocess.run(
        [sys.executable, "-m", "bootwalk", *DEMO_ARGS, "--step", "-q"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert completed.returncode == 0
    assert completed.stdout.rstrip().endswith("Outcome: ACTIVE")
