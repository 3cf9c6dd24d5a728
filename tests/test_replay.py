"""Replay: a walk saved with -f json renders exactly as it did live, and bad files get one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bootwalk.cli import cli
from bootwalk.engine import resolve_request
from bootwalk.exit_codes import ExitCode
from bootwalk.model import Catalog
from bootwalk.render import OutputFormat
from bootwalk.render.json_renderer import trace_to_dict
from bootwalk.replay import TraceFormatError, trace_from_dict
from bootwalk.scenarios import SCENARIOS
from tests.conftest import DEMO_ARGS, demo_request
from tests.walking import walk

VOLUME = "8a1c3e5f-7b9d-4f1a-b3c5-e7f9a1b3c5d7"


def run(arguments: list[str], **kwargs: object):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, arguments, prog_name="bootwalk", env={"COLUMNS": "80"}, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("scenario", [None, *SCENARIOS])
def test_documents_round_trip_for_every_scenario(catalog: Catalog, scenario: str | None) -> None:
    changes: dict[str, object] = {"max_count": 2}
    if scenario == "volume-attach-failed":
        changes.update(image=None, boot_volume=VOLUME)
    trace = walk(
        resolve_request(demo_request(**changes), catalog), catalog, scenario=SCENARIOS[scenario] if scenario else None
    )
    document = json.loads(json.dumps(trace_to_dict(trace)))
    assert trace_to_dict(trace_from_dict(document)) == document


@pytest.mark.parametrize("output_format", [member.value for member in OutputFormat])
@pytest.mark.parametrize(
    "extra",
    [
        [],
        ["--scenario", "spawn-failed"],
        ["--scenario", "compute-down"],
        ["--flow", "modern", "--scenario", "spawn-failed"],
    ],
)
def test_replay_renders_what_the_live_walk_rendered(tmp_path: Path, output_format: str, extra: list[str]) -> None:
    saved = run([*DEMO_ARGS, *extra, "-f", "json"])
    path = tmp_path / "walk.json"
    path.write_text(saved.stdout, encoding="utf-8")
    live = run([*DEMO_ARGS, *extra, "-f", output_format])
    replayed = run(["replay", str(path), "-f", output_format])
    assert (replayed.stdout, replayed.stderr, replayed.exit_code) == (live.stdout, live.stderr, live.exit_code)


def test_replay_reads_standard_input() -> None:
    saved = run([*DEMO_ARGS, "-f", "json"]).stdout
    replayed = run(["replay", "-", "-f", "json"], input=saved)
    assert replayed.stdout == saved


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not a bootwalk trace (not JSON: Expecting value, line 1); save one with: bootwalk boot ... -f json > FILE"),
        ('{"hello": 1}', "not a bootwalk trace (save one with: bootwalk boot ... -f json > FILE)"),
        ("[1, 2]", "not a bootwalk trace (save one with: bootwalk boot ... -f json > FILE)"),
        ('{"schema_version": 2, "steps": []}',
         "schema_version 2 is not the one this bootwalk reads (1); save the walk again with this version"),
        ('{"schema_version": 1, "flow": "classic", "steps": [{"number": 1}]}',
         "not a bootwalk trace: missing 'scenario'"),
        ('{"schema_version": 1, "flow": "grizzly", "steps": []}',
         "not a bootwalk trace: flow 'grizzly' is not one of classic, modern"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_a_trace_gets_one_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "walk.json"
    path.write_text(content, encoding="utf-8")
    result = run(["replay", str(path)])
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr == f"Error: {path}: {message}\n"


def test_missing_and_binary_files(tmp_path: Path) -> None:
    result = run(["replay", str(tmp_path / "nope.json")])
    assert (result.exit_code, result.stderr) == (ExitCode.ERROR, f"Error: {tmp_path / 'nope.json'}: no such file\n")
    binary = tmp_path / "walk.bin"
    binary.write_bytes(b"\xff\xfe\x00")
    result = run(["replay", str(binary)])
    assert result.stderr == f"Error: {binary}: not a bootwalk trace (not UTF-8 text)\n"


def test_a_damaged_step_is_reported_not_raised() -> None:
    document = json.loads(run([*DEMO_ARGS, "-f", "json"]).stdout)
    document["steps"][2]["status"] = "exploded"
    with pytest.raises(TraceFormatError, match="not a bootwalk trace: 'exploded' is not a valid StepStatus"):
        trace_from_dict(document)


def test_a_server_create_walk_replays_in_openstacks_words(tmp_path: Path) -> None:
    arguments = ["server", "create", "--image", "cirros", "--flavor", "m1.tiny", "--network", "private",
                 "--scenario", "compute-down", "demo-vm"]  # fmt: skip
    path = tmp_path / "walk.json"
    path.write_text(run([*arguments, "-f", "json"]).stdout, encoding="utf-8")
    live, replayed = run([*arguments, "--show"]), run(["replay", str(path), "--show"])
    assert (replayed.stdout, replayed.stderr, replayed.exit_code) == (live.stdout, live.stderr, live.exit_code)
    assert "\nopenstack server show demo-vm" in replayed.stdout and "openstack server show)" in replayed.stderr


def test_a_trace_in_an_unknown_dialect_is_reported_not_raised() -> None:
    document = json.loads(run([*DEMO_ARGS, "-f", "json"]).stdout)
    document["request"]["dialect"] = "euca"
    with pytest.raises(TraceFormatError, match=r"^not a bootwalk trace: dialect 'euca' is not one of nova, openstack$"):
        trace_from_dict(document)
