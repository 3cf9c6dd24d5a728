"""Text from the command line never reaches the terminal with control characters in it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bootwalk.cli import cli
from bootwalk.exit_codes import ExitCode
from bootwalk.text import CONTROL, describe_control, first_control, visible

#: What a terminal must never be sent raw: ESC (CSI and OSC start with it), BEL, the C1 CSI and OSC.
DANGEROUS = ("\x1b", "\x07", "\x9b", "\x9d")

BOOT = ["boot", "--image", "cirros", "--flavor", "m1.tiny", "--nic", "net-name=private"]
CREATE = ["server", "create", "--image", "cirros", "--flavor", "m1.tiny", "--network", "private"]

#: Where a hostile value can go on each command line, and the parameter the error names.
PLACES = [
    (lambda v: [*BOOT, v], "'<name>'"),
    (lambda v: [*BOOT, "--meta", f"role={v}", "demo"], "'--meta'"),
    (lambda v: [*BOOT, "--hint", f"same_host={v}", "demo"], "'--hint'"),
    (lambda v: [*BOOT, "--description", v, "demo"], "'--description'"),
    (lambda v: ["boot", "--image", v, "--flavor", "m1.tiny", "demo"], "'--image'"),
    (lambda v: ["boot", "--image", "cirros", "--flavor", v, "demo"], "'--flavor'"),
    (lambda v: ["boot", "--image", "cirros", "--flavor", "m1.tiny", "--nic", f"net-name={v}", "demo"], "'--nic'"),
    (lambda v: [*BOOT, "--security-groups", v, "demo"], "'--security-groups'"),
    (lambda v: [*BOOT, "--availability-zone", v, "demo"], "'--availability-zone'"),
    (lambda v: [*CREATE, v], "'<server-name>'"),
    (lambda v: [*CREATE, "--property", f"k={v}", "demo"], "'--property'"),
    (lambda v: ["explain", v], "'N|NAME|TERM'"),
    (lambda v: ["replay", f"{v}.json"], "'FILE'"),
    (lambda v: [*BOOT, "--export-trace", f"/tmp/{v}.json", "demo"], "'--export-trace'"),
]

#: Text with at least one control character (C0, DEL or C1) somewhere in it.
hostile = st.tuples(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8),
    st.sampled_from([*DANGEROUS, "\x00", "\x08", "\r", "\n", "\t", "\x7f", "\x85", "\x90", "\x9f"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8),
).map("".join)


def run(arguments: list[str], **env: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, arguments, prog_name="bootwalk", env={"COLUMNS": "80", **env})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("place", "param"), PLACES, ids=[p for _, p in PLACES])
@pytest.mark.parametrize("output_format", ["table", "json", "mermaid", "markdown"])
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=hostile)
def test_a_control_character_anywhere_on_the_command_line_is_a_usage_error(
    place, param: str, output_format: str, value: str
) -> None:  # type: ignore[no-untyped-def]
    arguments = place(value)
    if arguments[0] in ("boot", "server"):
        arguments = [*arguments, "-f", output_format]
    code, stdout, stderr = run(arguments)
    assert code == ExitCode.USAGE
    assert stdout == ""
    assert stderr.count("\n") == 1
    assert CONTROL.search(stderr) is None, repr(stderr)
    found = first_control(value)
    assert found is not None
    if not value.startswith("-"):  # a word starting with '-' is an option to click: "No such option"
        assert stderr.startswith(f"Error: Invalid value for {param}: holds {describe_control(found)}; ")


def test_the_message_shows_the_character_not_the_character_itself() -> None:
    code, _stdout, stderr = run([*BOOT, "demo\x1b]0;PWNED\x07"])
    assert code == ExitCode.USAGE
    assert stderr == (
        "Error: Invalid value for '<name>': holds a control character (U+001B); bootwalk takes printable text "
        "only (see 'bootwalk boot --help')\n"
    )


def test_a_byte_that_is_not_utf8_is_refused_and_shown_as_the_byte() -> None:
    # What Python makes of $'x\x9by' on a UTF-8 system: a lone surrogate that would be written back raw.
    code, _stdout, stderr = run([*CREATE, "x\udc9by"])
    assert code == ExitCode.USAGE
    assert "holds a byte that is not UTF-8 text (\\x9b); bootwalk takes printable text only" in stderr
    assert "\udc9b" not in stderr


@pytest.mark.parametrize(
    ("text", "shown"),
    [("a\x1b[2Jb", "a\\x1b[2Jb"), ("\x07", "\\x07"), ("\x85", "\\x85"), ("tab\there", "tab\\x09here"),
     ("line\nbreak", "line\\x0abreak"), ("\udc9b", "\\x9b"), ("plain → text", "plain → text")],
)  # fmt: skip
def test_visible_escapes_every_control_character(text: str, shown: str) -> None:
    assert visible(text) == shown
    assert CONTROL.search(visible(text)) is None


@pytest.mark.parametrize("command", [[*BOOT, "demo-vm"], ["flavor-list"], ["steps"], ["explain", "4"]])
def test_no_color_and_a_pipe_get_no_escape_byte_at_all(command: list[str]) -> None:
    environment = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "80"}
    result = subprocess.run(
        [sys.executable, "-m", "bootwalk", *command],
        capture_output=True, text=True, env=environment, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x1b" not in result.stderr


def test_a_key_that_sends_control_characters_is_echoed_visibly() -> None:
    result = CliRunner().invoke(
        cli, [*BOOT, "demo-vm", "--step"], input="\x1b[A\nq\n", prog_name="bootwalk", env={"COLUMNS": "80"}
    )
    assert result.exit_code == ExitCode.OK
    assert "'\\x1b' does nothing here" in result.stdout
    assert "\x1b" not in result.stdout


def test_a_control_character_from_the_environment_is_refused_too() -> None:
    code, stdout, stderr = run(["flavor-list"], BOOTWALK_CATALOG="/tmp/\x1b[2J")
    assert (code, stdout) == (ExitCode.USAGE, "")
    assert stderr == (
        "Error: Invalid value for '--catalog': holds a control character (U+001B); bootwalk takes printable text "
        "only (see 'bootwalk flavor-list --help')\n"
    )


@pytest.mark.parametrize("seed", ["-1", str(2**63)])
def test_a_seed_replay_could_not_read_back_is_refused(seed: str) -> None:
    code, stdout, stderr = run([*BOOT, "demo-vm", "--seed", seed])
    assert (code, stdout) == (ExitCode.USAGE, "")
    assert stderr.startswith(
        f"Error: Invalid value for '--seed': {seed} is not in the range 0<=x<=9223372036854775807."
    )
