"""Exercises: data that sets a lab up, prints a task, and is checked from the lab's servers, both ways."""

from __future__ import annotations

from pathlib import Path

import pytest

from bootwalk.exit_codes import ExitCode
from bootwalk.lab.exercises import ExerciseError, exercises_from
from tests.test_lab import BOOT, run

GROUP = "5c1e2f3a-4b6d-4e8f-9a0b-1c2d3e4f5a6b"


def check(lab: str) -> tuple[int, str]:
    result = run("lab", "check", lab)
    return result.exit_code, result.stdout


def test_the_shipped_exercises_are_listed() -> None:
    result = run("lab", "exercises", "-f", "json")
    assert result.exit_code == ExitCode.OK
    import json

    assert [exercise["name"] for exercise in json.loads(result.stdout)] == [
        "fill-the-cloud", "disabled-host", "anti-affinity",
    ]  # fmt: skip


def test_fill_the_cloud_is_not_done_until_a_large_server_finds_no_host(labs: Path) -> None:
    created = run("lab", "create", "fill", "--exercise", "fill-the-cloud")
    assert created.exit_code == ExitCode.OK
    assert "\nExercise fill-the-cloud: Boot until the cloud is full\n" in created.stdout
    assert created.stdout.endswith("When you think it is done: bootwalk lab check fill\n")
    assert check("fill") == (ExitCode.ERROR, (
        "Exercise fill-the-cloud: Boot until the cloud is full\n"
        "  an m1.large server that no host could take: not yet (0 of 1)\n"
        "  three m1.large servers ACTIVE first: not yet (0 of 3)\n"
        "Not done yet.\n"
    ))  # fmt: skip
    large = [*BOOT[:3], *BOOT[5:], "--flavor", "m1.large", "--lab", "fill", "-q"]
    outcomes = [run(*large, f"big{number}").exit_code for number in range(1, 7)]
    assert outcomes == [0, 0, 0, 0, 1, 1]  # the quota of the exercise lets the cloud fill before it runs out
    code, text = check("fill")
    assert code == ExitCode.OK and text.endswith("Done: talk it over with the class.\n")


def test_the_disabled_host_exercise(labs: Path) -> None:
    assert run("lab", "create", "dis", "--exercise", "disabled-host").exit_code == ExitCode.OK
    import json

    hosts = {host["name"]: host for host in json.loads(run("host-list", "--lab", "dis", "-f", "json").stdout)}
    assert (hosts["compute3"]["status"], hosts["compute3"]["disabled_reason"]) == (
        "disabled", "disk replaced, burn-in test running",
    )  # fmt: skip
    assert hosts["compute1"]["memory_mb_used"] == 12288
    run(*BOOT[:3], *BOOT[5:], "--flavor", "m1.tiny", "small", "--lab", "dis", "-q")
    assert check("dis")[0] == ExitCode.ERROR  # an m1.tiny that went ACTIVE is not the task
    failed = run(*BOOT[:3], *BOOT[5:], "--flavor", "m1.xlarge", "big", "--lab", "dis", "-q")
    assert failed.exit_code == ExitCode.ERROR
    assert check("dis") == (ExitCode.OK, (
        "Exercise disabled-host: The one host with room is disabled\n"
        "  the m1.xlarge server in ERROR: No valid host was found: done\n"
        "Done: talk it over with the class.\n"
    ))  # fmt: skip


def test_anti_affinity_counts_hosts_not_servers(labs: Path) -> None:
    assert run("lab", "create", "aa", "--exercise", "anti-affinity").exit_code == ExitCode.OK
    in_group = [*BOOT, "--hint", f"group={GROUP}", "--lab", "aa", "-q"]
    for name in ("web1", "web2"):
        assert run(*in_group, name).exit_code == ExitCode.OK
    assert (
        check("aa")[1].splitlines()[1] == "  three servers of the group ACTIVE, each on its own host: not yet (2 of 3)"
    )
    assert run(*in_group, "web3").exit_code == ExitCode.OK
    assert run(*in_group, "web4").exit_code == ExitCode.ERROR
    assert check("aa")[0] == ExitCode.OK


def test_check_needs_a_lab_made_for_an_exercise_and_create_a_known_one(labs: Path) -> None:
    assert run("lab", "create", "plain").exit_code == ExitCode.OK
    result = run("lab", "check", "plain")
    assert (result.exit_code, result.stderr) == (ExitCode.ERROR, (
        "Error: lab plain was not created for an exercise: bootwalk lab create NAME --exercise EXERCISE "
        "(see bootwalk lab exercises)\n"
    ))  # fmt: skip
    unknown = run("lab", "create", "x", "--exercise", "nope")
    assert (unknown.exit_code, unknown.stderr) == (ExitCode.USAGE, (
        "Error: Invalid value for '--exercise': no exercise 'nope'; the exercises are fill-the-cloud, disabled-host, "
        "anti-affinity (see bootwalk lab exercises) (see 'bootwalk lab create --help')\n"
    ))  # fmt: skip
    assert not (labs / "x.lab").exists()


GOOD = {"name": "e", "title": "T", "task": "Do it.", "goals": [{"description": "one", "status": "ACTIVE"}]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": 3}, "where: exercises[0]: name must be text"),
        ({"goals": []}, "where: exercise e: goals must be a list of at least one goal"),
        ({"goals": [{"description": "x", "status": "BUILD"}]}, "where: exercise e, goals[0]: status must be ACTIVE or ERROR"),
        ({"goals": [{"description": "x", "count": 0}]}, "where: exercise e, goals[0]: count must be a whole number from 1 to 1000"),
        ({"goals": [{"description": "x", "colour": 1}]},
         "where: exercise e, goals[0]: a goal has an unknown field 'colour'; known: count, description, distinct_hosts, "
         "fault, flavor, group, status"),
        ({"task": "a\x1b[2Jb"}, "where: exercise e: task holds a control character (\\x1b); text must be printable"),
        ({"setup": {"hosts": ["compute1"]}}, "where: exercise e: setup.hosts must map host names to fields"),
    ],
)  # fmt: skip
def test_a_bad_exercise_is_one_line_naming_it(change: dict[str, object], message: str) -> None:
    with pytest.raises(ExerciseError) as raised:
        exercises_from({"exercises": [{**GOOD, **change}]}, "where")
    assert str(raised.value) == message


def test_a_setup_must_make_a_cloud_a_catalog_could_hold() -> None:
    from dataclasses import replace

    from bootwalk.catalog import CatalogError, catalog_documents, catalog_from_documents
    from bootwalk.shipped_catalog import CATALOG

    (exercise,) = exercises_from({"exercises": [{**GOOD, "setup": {"hosts": {"compute1": {"vcpus": -1}}}}]}, "where")
    with pytest.raises(CatalogError, match=r"hosts\[0\] \(compute1\), field 'vcpus'"):
        catalog_from_documents(exercise.set_up(catalog_documents(CATALOG)), Path("exercise e"))
    (missing,) = exercises_from({"exercises": [{**GOOD, "setup": {"hosts": {"ghost": {}}}}]}, "where")
    with pytest.raises(ExerciseError, match="the catalog has no host 'ghost'"):
        missing.set_up(catalog_documents(replace(CATALOG)))


def test_tasks_and_checks_fit_40_columns_and_keep_the_group_id_whole(labs: Path) -> None:
    listed = run("lab", "exercises", COLUMNS="40")
    assert GROUP in listed.stdout  # whole, to copy
    commands = [line for line in listed.stdout.splitlines() if line.startswith("    bootwalk boot ")]
    assert len(commands) == 3  # each task's command on a line of its own, whole, to copy
    assert [line for line in listed.stdout.splitlines() if len(line) > 40 and line not in commands] == []
    assert run("lab", "create", "dis", "--exercise", "disabled-host").exit_code == ExitCode.OK
    checked = run("lab", "check", "dis", COLUMNS="40")
    assert max(len(line) for line in checked.stdout.splitlines()) <= 40
    assert checked.stdout.splitlines()[2:4] == [
        "  the m1.xlarge server in ERROR: No",
        "    valid host was found: not yet (0 of",
    ]


def test_a_lab_made_for_an_exercise_this_bootwalk_lacks(labs: Path) -> None:
    import sqlite3
    from contextlib import closing

    assert run("lab", "create", "old", "--exercise", "anti-affinity").exit_code == ExitCode.OK
    with closing(sqlite3.connect(labs / "old.lab")) as connection, connection:
        connection.execute("UPDATE meta SET value = 'gone-away' WHERE key = 'exercise'")
    result = run("lab", "check", "old")
    assert (result.exit_code, result.stderr) == (
        ExitCode.ERROR, "Error: lab old is for the exercise 'gone-away', which this bootwalk does not have\n",
    )  # fmt: skip
