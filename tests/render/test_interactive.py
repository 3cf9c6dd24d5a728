"""Classroom mode: step by step with simulated keys, EOF and Ctrl-C, pacing, and the quiz."""

from __future__ import annotations

import io
import json
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
        "Next: Step 4/12 · nova-scheduler — nova-conductor takes the request; nova-scheduler filters and weighs the hosts",
    ]
    # d before step 3 showed its payloads, then the step itself once Enter came.
    details = result.stdout.index('"url": "http://controller:8774/v2/45eb6061ed202b95f07475a18ebc7f91/servers"')
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


def _hung(signal_number: int, frame: object) -> None:
    raise TimeoutError("reading the terminal blocked for 10 s")


def test_terminal_keys_read_one_key_and_restore_the_terminal() -> None:
    leader, follower = pty.openpty()
    previous = signal.signal(signal.SIGALRM, _hung)
    signal.alarm(10)  # this test once hung forever; now it fails instead
    try:
        with os.fdopen(follower, "r", closefd=False) as stream:
            before = termios.tcgetattr(follower)
            os.write(leader, b"d\rq")
            keys = TerminalKeys(stream)
            assert [keys.read_key(), keys.read_key(), keys.read_key()] == ["d", "\n", "q"]
            assert termios.tcgetattr(follower) == before
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
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
                if question.text.startswith("While the hypervisor starts the guest"):
                    assert question.answer == str(record.passed[-1].task_state) == "spawning"
                elif "task_state" in question.text:
                    assert record.state is not None and question.answer == str(record.state.task_state)
            previous = record


def _answers(catalog: Catalog, right: bool) -> tuple[str, int]:
    """The keys that answer the demo walk's quiz (right or wrong), and how many questions it asks."""
    import random

    from bootwalk.render.quiz import closing_questions

    trace = walk(resolve_request(demo_request(), catalog), catalog)
    rng = random.Random(42)
    questions = []
    previous = None
    for record in trace.steps:
        questions.extend(questions_for(record, previous, rng))
        previous = record
    questions.extend(closing_questions(trace, rng))
    lines = []
    for question in questions:
        index = question.choices.index(question.answer) + 1
        lines.append(str(index if right else index % len(question.choices) + 1))
    return "\n".join(lines) + "\n", len(questions)


def test_quiz_scores_right_answers(catalog: Catalog) -> None:
    keys, count = _answers(catalog, right=True)
    assert count >= 6  # the steps' questions and the two closing ones
    result = run([*DEMO_ARGS, "--quiz"], keys=keys, catch_exceptions=False)
    assert result.stdout.count("Right: ") == count
    assert result.stdout.rstrip().endswith(f"Quiz score: {count}/{count}")


def test_quiz_scores_wrong_and_missing_answers(catalog: Catalog) -> None:
    keys, count = _answers(catalog, right=False)
    wrong = run([*DEMO_ARGS, "--quiz"], keys=keys)
    assert wrong.stdout.count("Not quite: it is ") == count and f"Quiz score: 0/{count}" in wrong.stdout
    missing = run([*DEMO_ARGS, "--quiz"], keys="")
    assert missing.stdout.count("No answer: it is ") == count
    assert "Not quite: it is compute1. compute1: the highest weight, 1.0 (12288 MB RAM free)." in wrong.stdout


def test_the_quiz_asks_after_the_facts_and_reviews_every_answer(catalog: Catalog) -> None:
    keys, _count = _answers(catalog, right=True)
    text = " ".join(run([*DEMO_ARGS, "--quiz"], keys=keys).stdout.split())
    facts = text.index("The hosts left after the filters, as the weighers see them (RAMWeigher × 1.0):")
    assert facts < text.index("Quiz: Which host wins the scheduling?") < text.index("Step 4/12")
    assert text.index("compute3 passed RetryFilter, AvailabilityZoneFilter, RamFilter; then: disabled") < text.index(
        "Quiz: Which filter removes compute3?"
    )
    assert text.index("Quiz: Which exit code does bootwalk end with?") < text.index("Recap:")
    assert "Quiz review" in text and text.count("| Which") >= 2


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


def test_quiz_results_save_every_answer_for_grading(catalog: Catalog, tmp_path) -> None:  # type: ignore[no-untyped-def]
    keys, count = _answers(catalog, right=True)
    saved = tmp_path / "answers.json"
    result = run([*DEMO_ARGS, "--quiz", "--quiz-results", str(saved)], keys=keys)
    assert result.exit_code == ExitCode.OK
    results = json.loads(saved.read_text(encoding="utf-8"))
    assert len(results) == count and all(entry["right"] and entry["given"] == entry["answer"] for entry in results)
    assert results[-1]["question"] == "Which exit code does bootwalk end with?" and results[-1]["answer"] == "0"
    alone = run([*DEMO_ARGS, "--quiz-results", str(saved)])
    assert (alone.exit_code, alone.stderr) == (
        ExitCode.USAGE,
        "Error: --quiz-results saves the answers of --quiz; add --quiz (see 'bootwalk boot --help')\n",
    )


def test_another_seed_draws_other_questions(catalog: Catalog) -> None:
    import random

    trace = walk(resolve_request(demo_request(), catalog), catalog)

    def drawn(seed: int) -> list[str]:
        rng, previous, texts = random.Random(seed), None, []
        for record in trace.steps:
            texts += [question.text for question in questions_for(record, previous, rng)]
            previous = record
        return texts

    assert len({tuple(drawn(seed)) for seed in range(8)}) > 1


def test_step_mode_d_before_the_scheduler_step_shows_each_filter_s_reasoning() -> None:
    result = run([*DEMO_ARGS, "--step"], keys="\n\n\nd\nq\n", catch_exceptions=False)
    assert result.exit_code == ExitCode.OK
    reasoning = result.stdout.index("Each filter's reasoning for every host")
    assert result.stdout.index("Next: Step 4/12") < reasoning
    assert "✗ ComputeFilter: disabled, reason: maintenance" in result.stdout[reasoning:]
    assert "Each filter's reasoning" not in result.stdout[:reasoning]


@pytest.mark.parametrize("flow", ["classic", "modern"])
def test_the_bank_covers_every_step_and_seeds_differ(catalog: Catalog, flow: str) -> None:
    import random

    trace = walk(resolve_request(demo_request(), catalog), catalog, flow)
    asked: set[int] = set()
    draws = set()
    for seed in range(8):
        rng, previous, texts = random.Random(seed), None, []
        for record in trace.steps:
            questions = questions_for(record, previous, rng)
            asked.update(record.number for _question in questions)
            texts += [question.text for question in questions]
            previous = record
        draws.add(tuple(texts))
    assert asked == {record.number for record in trace.steps}
    assert len(draws) >= 6  # eight seeds, at least six different quizzes


@pytest.mark.parametrize("width", [40, 80])
def test_the_review_never_breaks_an_answer_inside_a_word(catalog: Catalog, width: int) -> None:
    keys, count = _answers(catalog, right=False)
    result = CliRunner().invoke(cli, [*DEMO_ARGS, "--quiz"], prog_name="bootwalk", input=keys,
                                env={"COLUMNS": str(width)})  # fmt: skip
    review = result.stdout[result.stdout.index("Quiz review") :]
    for answer in ("ComputeFilter", "compute1", "nova-api"):  # whole, on one line, after the arrow
        assert any(line.replace("|", " ").split()[-2:] == ["→", answer] for line in review.splitlines()), answer
    for line in review.splitlines():
        assert len(line.rstrip()) <= width, line
    words = {word for line in review.splitlines() for word in line.replace("|", " ").split()}
    assert {"→", "✗"} <= words
    assert review.count("→ ") == count  # each wrong answer is followed by the right one


@pytest.mark.parametrize("flow", ["classic", "modern"])
def test_a_task_state_question_can_have_spawning_as_its_answer(catalog: Catalog, flow: str) -> None:
    import random

    from bootwalk.render.quiz import questions_for

    trace = walk(resolve_request(demo_request(), catalog), catalog, flow)
    spawn = trace.steps[-1]
    answers = {
        question.answer
        for seed in range(40)
        for question in questions_for(spawn, trace.steps[-2], random.Random(seed))
        if "task_state" in question.text
    }
    assert "spawning" in answers
