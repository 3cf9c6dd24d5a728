"""Every bootwalk command that bootwalk prints for the reader runs as printed, and ends as its hint says.

The hints are data next to what prints them (``Scenario.try_it``,
``Trouble.try_it``, the glossary's ``shown_by`` and ``READ_ONE``); the
pages, the glossary and the help texts are read back too, so that what a
student copies is what was run here.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bootwalk.cli import cli
from bootwalk.exit_codes import ExitCode
from bootwalk.flows import DEFAULT_FLOW, flow_names, get_flow
from bootwalk.glossary import READ_ONE, TERMS
from bootwalk.hints import DEMO_NAME, Hint, command_lines, demo_boot
from bootwalk.scenarios import SCENARIOS, try_it
from bootwalk.troubleshooting import TROUBLES


def _other(flow: str) -> str | None:
    return None if flow == DEFAULT_FLOW else flow


def explain_hints(flow: str, number: int) -> list[Hint]:
    """The Try it commands the explain page of this step prints, in order."""
    step = get_flow(flow).steps[number - 1]
    found = (try_it(trouble, _other(flow)) for trouble in TROUBLES[step.name])
    return [hint for hint in found if hint is not None]


def every_hint() -> dict[str, Hint]:
    """Every hint bootwalk can print, by command: explain pages in every flow, and every scenario's."""
    hints: dict[str, Hint] = {}
    for flow in flow_names():
        hints[demo_boot().in_flow(_other(flow)).command] = demo_boot().in_flow(_other(flow))
        for number in range(1, len(get_flow(flow).steps) + 1):
            hints.update((hint.command, hint) for hint in explain_hints(flow, number))
    for scenario in SCENARIOS.values():
        assert scenario.try_it is not None
        hints[scenario.try_it.command] = scenario.try_it
    for hint in (*READ_ONE, *(hint for term in TERMS for hint in term.shown_by)):
        hints[hint.command] = hint
    return hints


def printed_commands(text: str, label: str, keep_label: bool = False) -> list[str]:
    """The commands after ``label`` in rendered text, continuation lines joined, panel borders dropped.

    A label with leading spaces must start the line as it is printed (help texts indent their examples).
    """
    lines = [line.strip().strip("│").strip() for line in text.splitlines()]
    raw = text.splitlines()
    commands: list[str] = []
    for index, line in enumerate(lines):
        if not (raw[index].startswith(label) if label.startswith(" ") else line.startswith(label)):
            continue
        parts = [line if keep_label else line.removeprefix(label.strip()).strip()]
        while parts[-1].endswith("\\"):
            parts[-1] = parts[-1].removesuffix("\\").strip()
            index += 1
            parts.append(lines[index])
        commands.append(" ".join(parts))
    return commands


def run(arguments: list[str], **kwargs: object):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, arguments, prog_name="bootwalk", env={"COLUMNS": "80"}, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("hint", list(every_hint().values()), ids=list(every_hint()))
def test_every_hint_runs_and_ends_as_it_says(hint: Hint) -> None:
    words = shlex.split(hint.command)
    assert words[0] == "bootwalk" and "..." not in words
    result = run(words[1:])
    assert result.exit_code == hint.exit_code, (hint.command, result.stderr)
    if hint.exit_code == ExitCode.OK:
        assert result.stderr == ""


@pytest.mark.parametrize("flow", flow_names())
def test_explain_pages_print_their_hints_whole(flow: str) -> None:
    for number in range(1, len(get_flow(flow).steps) + 1):
        page = run(["explain", str(number), "--flow", flow], catch_exceptions=False).stdout
        assert max(len(line) for line in page.splitlines()) <= 80
        printed = printed_commands(page, "Try it:")
        assert printed == [hint.command for hint in explain_hints(flow, number)], (flow, number)
        assert f"(in the demo walk: {demo_boot().in_flow(_other(flow)).command})" in " ".join(
            line.strip().strip("│").strip() for line in page.splitlines()
        )


def test_term_pages_print_their_commands_whole() -> None:
    for term in TERMS:
        page = run(["glossary", term.name], catch_exceptions=False).stdout
        printed = printed_commands(page, "See it:") + printed_commands(page, "or:")
        assert printed == [hint.command for hint in term.shown_by], term.name


def test_every_scenario_has_a_hint_that_names_it() -> None:
    for scenario in SCENARIOS.values():
        assert scenario.try_it is not None, scenario.name
        words = shlex.split(scenario.try_it.command)
        assert words[-1] == DEMO_NAME and words[words.index("--scenario") + 1] == scenario.name
        assert ("--boot-volume" in words) is scenario.needs_volume


def _help_examples() -> list[tuple[str, list[str]]]:
    """The example command lines of every command's --help: each a list of shell lines."""
    assert isinstance(cli, click.Group)
    context = click.Context(cli)
    found: list[tuple[str, list[str]]] = []
    for name in cli.list_commands(context):
        command = cli.get_command(context, name)
        assert command is not None
        paths = [[name]]
        if isinstance(command, click.Group):
            paths = [[name, sub] for sub in command.commands]
        for path in paths:
            shown = run([*path, "--help"]).stdout
            commands = printed_commands(shown, "      bootwalk ", keep_label=True)
            if commands:
                found.append((" ".join(path), commands))
    return found


@pytest.mark.parametrize(("command", "lines"), _help_examples(), ids=[name for name, _ in _help_examples()])
def test_help_examples_run_as_printed(
    command: str, lines: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for line in lines:
        words = shlex.split(line)
        assert words[0] == "bootwalk" and "..." not in words
        target = None
        if ">" in words:
            words, target = words[: words.index(">")], words[words.index(">") + 1]
        result = run(words[1:], catch_exceptions=False)
        assert (result.exit_code, result.stderr) == (0, ""), (command, line)
        if target is not None:
            Path(target).write_text(result.stdout, encoding="utf-8")


@pytest.mark.parametrize("width", [40, 60, 76, 80])
def test_command_lines_fit_and_read_back_as_the_command(width: int) -> None:
    for hint in every_hint().values():
        lines = command_lines(hint.command, width, taken=10)
        for number, line in enumerate(lines):
            one_piece = len(shlex.split(line.removesuffix("\\"))) == 1 or "--" not in line.strip()[2:]
            assert len(line) + (10 if number == 0 else 0) <= width or one_piece, (width, line)
        assert all(line.endswith(" \\") for line in lines[:-1]) and not lines[-1].endswith("\\")
        joined = " ".join(line.removesuffix(" \\").strip() for line in lines)
        assert shlex.split(joined) == shlex.split(hint.command)
