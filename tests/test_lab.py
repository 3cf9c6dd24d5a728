"""Labs: a cloud that keeps its boots, in SQLite, one transaction a command, and never harmed by a bad file."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from bootwalk.cli import cli
from bootwalk.exit_codes import ExitCode
from tests.conftest import ended_well_after_sigint

BOOT = ["boot", "--image", "cirros", "--flavor", "m1.tiny", "--nic", "net-name=private"]


def run(*arguments: str, **env: str) -> Result:
    return CliRunner().invoke(cli, list(arguments), prog_name="bootwalk", env=env or None)


def boot(lab: str, name: str, *more: str) -> dict[str, Any]:
    result = run(*BOOT, *more, name, "--lab", lab, "-f", "json")
    assert result.exit_code in (ExitCode.OK, ExitCode.ERROR), result.stderr
    walked: dict[str, Any] = json.loads(result.stdout)
    return walked


def servers(lab: str) -> list[dict[str, Any]]:
    result = run("list", "--lab", lab, "-f", "json")
    assert result.exit_code == ExitCode.OK, result.stderr
    listed: list[dict[str, Any]] = json.loads(result.stdout)
    return listed


def hosts(lab: str) -> dict[str, dict[str, Any]]:
    result = run("host-list", "--lab", lab, "-f", "json")
    assert result.exit_code == ExitCode.OK, result.stderr
    return {host["name"]: host for host in json.loads(result.stdout)}


def test_create_prints_how_to_work_in_it_and_list_shows_it(labs: Path) -> None:
    created = run("lab", "create", "class1")
    assert created.exit_code == ExitCode.OK, created.stderr
    first, *rest = created.stdout.split("Work in it")
    assert " ".join(first.split()) == (
        f"Created lab class1 from the shipped catalogs, walking the classic flow: {labs / 'class1.lab'}"
    )  # wrapped to the terminal: the path may go on its own line
    assert rest == [" with --lab on each command, or for this shell:\n  export BOOTWALK_LAB=class1\n"]
    listed = json.loads(run("lab", "list", "-f", "json").stdout)
    assert [(lab["name"], lab["flow"], lab["boots"], lab["servers"]) for lab in listed] == [("class1", "classic", 0, 0)]
    again = run("lab", "create", "class1")
    assert (again.exit_code, again.stderr) == (
        ExitCode.ERROR,
        "Error: a lab named 'class1' already exists: use it, reset it or delete it (bootwalk lab delete class1)\n",
    )


def test_three_boots_take_the_next_address_row_and_room_each(labs: Path) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    walks = [boot("class1", f"vm{number}") for number in (1, 2, 3)]
    assert [walk["outcome"] for walk in walks] == ["ACTIVE"] * 3
    listed = servers("class1")
    assert [server["name"] for server in listed] == ["vm1", "vm2", "vm3"]
    assert [server["instance_name"] for server in listed] == ["instance-00000001", "instance-00000002",
                                                              "instance-00000003"]  # fmt: skip
    addresses = [address for server in listed for address in server["networks"]["private"]]
    assert len(set(addresses)) == 3 and addresses[0] == "10.0.2.31"
    assert len({server["id"] for server in listed}) == 3
    # each host's usage is what the shipped catalog gave it plus its new servers' flavors (m1.tiny: 512 MB, 1 vCPU)
    before = hosts_of_shipped()
    after = hosts("class1")
    for name, host in after.items():
        placed = [server for server in listed if server["host"] == name]
        assert host["memory_mb_used"] == before[name]["memory_mb_used"] + 512 * len(placed)
        assert host["vcpus_used"] == before[name]["vcpus_used"] + len(placed)
        assert host["instances"] == [
            *before[name]["instances"],
            *({"uuid": s["id"], "name": s["name"]} for s in placed),
        ]


def hosts_of_shipped() -> dict[str, dict[str, Any]]:
    result = run("host-list", "-f", "json")
    return {host["name"]: host for host in json.loads(result.stdout)}


def test_a_walk_without_a_lab_keeps_nothing_and_list_says_so(labs: Path) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    plain = run(*BOOT, "vm", "-f", "json")
    assert plain.exit_code == ExitCode.OK
    assert servers("class1") == []
    refused = run("list")
    assert (refused.exit_code, refused.stderr) == (
        ExitCode.USAGE,
        "Error: list shows a lab's servers, and a walk without a lab keeps none: give --lab NAME or set "
        "BOOTWALK_LAB (see 'bootwalk lab create')\n",
    )


def test_the_environment_chooses_the_lab(labs: Path) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    walked = run(*BOOT, "vm1", "-f", "json", BOOTWALK_LAB="class1")
    assert walked.exit_code == ExitCode.OK, walked.stderr
    assert [server["name"] for server in servers("class1")] == ["vm1"]


def test_show_finds_by_id_then_name_and_refuses_an_ambiguous_name(labs: Path) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    first, _second = boot("class1", "twin"), boot("class1", "twin")
    by_id = run("show", first["server"]["id"], "--lab", "class1", "-f", "json")
    assert json.loads(by_id.stdout)["id"] == first["server"]["id"]
    ambiguous = run("show", "twin", "--lab", "class1")
    assert (ambiguous.exit_code, ambiguous.stderr) == (
        ExitCode.ERROR,
        "Error: Multiple server matches found for 'twin', use an ID to be more specific.\n",
    )
    missing = run("show", "nope", "--lab", "class1")
    assert missing.stderr == "Error: No server with a name or ID of 'nope' exists.\n"
    table = run("show", first["server"]["id"], "--lab", "class1")
    assert "| status" in table.stdout and "ACTIVE" in table.stdout


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        (["--seed", "7"], "Error: Invalid value for '--seed': lab class1 draws each boot's IDs from its own seed "
                          "(bootwalk lab create --seed); leave it out (see 'bootwalk boot --help')"),
        (["--flow", "modern"], "Error: Invalid value for '--flow': lab class1 walks the classic flow; leave --flow "
                               "out, or create a lab with --flow modern (see 'bootwalk boot --help')"),
        (["--catalog", "/tmp"], "Error: --catalog and --lab both name a cloud; lab class1 carries its own: give one "
                                "(see 'bootwalk boot --help')"),
    ],
)  # fmt: skip
def test_a_lab_decides_its_flow_seed_and_cloud(labs: Path, arguments: list[str], line: str) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    result = run(*BOOT, "vm", "--lab", "class1", *arguments)
    assert (result.exit_code, result.stderr) == (ExitCode.USAGE, line + "\n")
    assert servers("class1") == []


def test_no_such_lab_is_one_line(labs: Path) -> None:
    result = run(*BOOT, "vm", "--lab", "ghost")
    assert (result.exit_code, result.stderr) == (
        ExitCode.ERROR,
        "Error: no lab named 'ghost'; create it with: bootwalk lab create ghost (see bootwalk lab list)\n",
    )
    assert not (labs / "ghost.lab").exists()
    named = run("lab", "create", "../x")
    assert named.exit_code == ExitCode.USAGE
    assert named.stderr == (
        "Error: Invalid value for 'NAME': '../x' is not a lab name: use up to 64 ASCII letters, digits, '.', '_' "
        "or '-', starting with a letter or digit (see 'bootwalk lab create --help')\n"
    )
    spaced = run("list", "--lab", "my lab")
    assert spaced.exit_code == ExitCode.USAGE and spaced.stderr.startswith("Error: Invalid value for '--lab': 'my lab'")


def test_reset_and_delete(labs: Path) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    boot("class1", "vm1")
    assert run("lab", "reset", "class1").stdout == "Lab class1 is back as it was created.\n"
    assert servers("class1") == []
    assert hosts("class1") == hosts_of_shipped()
    assert boot("class1", "vm1")["server"]["addresses"]["private"][0]["addr"] == "10.0.2.31"  # the first again
    assert run("lab", "delete", "class1").exit_code == ExitCode.OK
    assert not (labs / "class1.lab").exists()


def test_export_writes_catalog_files_that_catalog_reads_back(labs: Path, tmp_path: Path) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    boot("class1", "vm1")
    out = tmp_path / "exported"
    assert run("lab", "export", "class1", str(out)).exit_code == ExitCode.OK
    assert sorted(path.name for path in out.iterdir()) == ["cloud.yaml", "flavors.yaml", "images.yaml"]
    assert hosts("class1") == {h["name"]: h for h in json.loads(run("host-list", "--catalog", str(out), "-f",
                                                                     "json").stdout)}  # fmt: skip
    again = run("lab", "export", "class1", str(out))
    assert again.exit_code == ExitCode.ERROR and "exists" in again.stderr  # nothing overwritten


def _damaged(labs: Path, content: bytes) -> Path:
    labs.mkdir(parents=True, exist_ok=True)
    path = labs / "broken.lab"
    path.write_bytes(content)
    return path


def test_a_file_that_is_not_a_database_is_refused_and_left_as_it_is(labs: Path) -> None:
    path = _damaged(labs, b"this is not sqlite\n" * 10)
    result = run(*BOOT, "vm", "--lab", "broken")
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr == (
        f"Error: {path} is damaged or not a lab (file is not a database); it was left as it is: delete it "
        "(bootwalk lab delete broken)\n"
    )
    assert path.read_bytes() == b"this is not sqlite\n" * 10


def test_a_database_that_is_not_a_lab_or_is_newer_is_refused_unchanged(labs: Path) -> None:
    labs.mkdir(parents=True)
    path = labs / "other.lab"
    with closing(sqlite3.connect(path)) as connection, connection:  # closed, not only committed
        connection.execute("CREATE TABLE notes (text TEXT)")
    before = path.read_bytes()
    result = run(*BOOT, "vm", "--lab", "other")
    assert (result.exit_code, result.stderr) == (
        ExitCode.ERROR,
        f"Error: {path} is not a bootwalk lab; it was left as it is\n",
    )
    assert path.read_bytes() == before
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    newer = labs / "class1.lab"
    with closing(sqlite3.connect(newer)) as connection, connection:
        connection.execute("PRAGMA user_version = 2")
    before = newer.read_bytes()
    result = run("list", "--lab", "class1")
    assert result.stderr == (
        "Error: lab 'class1' was written by a newer bootwalk (lab schema 2; this one reads 1); it was left as it "
        "is: upgrade bootwalk to use it\n"
    )
    assert newer.read_bytes() == before


def test_a_lab_held_by_another_command_is_busy_not_hung(labs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bootwalk.lab import store

    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    monkeypatch.setattr(store, "BUSY_SECONDS", 0.2)
    holder = sqlite3.connect(labs / "class1.lab", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = run(*BOOT, "vm", "--lab", "class1")
    finally:
        holder.rollback()
        holder.close()
    assert (result.exit_code, result.stderr) == (
        ExitCode.ERROR,
        "Error: lab 'class1' is busy: another bootwalk command has held it for 0.2 s; try again when that one ends\n",
    )
    assert servers("class1") == []


def test_an_interrupted_boot_leaves_the_lab_as_it_was(labs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bootwalk.lab import record

    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    boot("class1", "vm1")
    before = (servers("class1"), hosts("class1"))

    def interrupted(*_arguments: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(record, "record_boot", interrupted)
    result = run(*BOOT, "vm2", "--lab", "class1")
    assert (result.exit_code, result.stderr) == (ExitCode.INTERRUPTED, "Interrupted.\n")
    assert (servers("class1"), hosts("class1")) == before


def _script(lab: str) -> None:
    """Twenty commands a class might type, from create to the last boot."""
    assert run("lab", "create", lab, "--seed", "7").exit_code == ExitCode.OK
    for number in range(1, 17):
        boot(lab, f"vm{number % 5}")
    run("lab", "list")
    run("list", "--lab", lab)
    run("host-list", "--lab", lab)


def test_the_same_commands_make_the_same_lab(labs: Path, tmp_path: Path) -> None:
    exported = []
    for lab in ("first", "second"):
        _script(lab)
        out = tmp_path / lab
        assert run("lab", "export", lab, str(out)).exit_code == ExitCode.OK
        exported.append(([path.read_text() for path in sorted(out.iterdir())], servers(lab)))
    assert exported[0] == exported[1]
    assert len(exported[0][1]) == 10  # the project's quota: ten instances; the six boots after it were refused


def test_the_cloud_fills_up_until_no_valid_host_then_the_quota_refuses(labs: Path) -> None:
    """m1.large (8 GB, 4 vCPUs) until no host has the RAM; the ERROR server still counts against the quota."""
    assert run("lab", "create", "full").exit_code == ExitCode.OK
    results = [run(*BOOT[:3], *BOOT[5:], "--flavor", "m1.large", f"big{number}", "--lab", "full", "-q")
               for number in range(1, 8)]  # fmt: skip
    assert [result.exit_code for result in results] == [0, 0, 0, 0, 1, 1, 1]
    assert results[4].stderr == (
        "big5 went to ERROR: No valid host was found.  (nova boot had answered 202; the fault shows in nova show)\n"
    )
    assert results[5].stderr == (
        "ERROR (OverLimit): Quota exceeded for cores: Requested 4, but already used 20 of 20 cores (HTTP 413)\n"
    )
    listed = servers("full")
    assert [(server["name"], server["status"]) for server in listed] == [
        ("big1", "ACTIVE"), ("big2", "ACTIVE"), ("big3", "ACTIVE"), ("big4", "ACTIVE"), ("big5", "ERROR"),
    ]  # fmt: skip
    assert listed[4]["fault"]["message"] == "No valid host was found. " and listed[4]["host"] is None


def test_eight_boots_at_once_never_double_book(labs: Path) -> None:
    assert run("lab", "create", "busy").exit_code == ExitCode.OK
    environment = {**os.environ, "BOOTWALK_LABS": str(labs), "BOOTWALK_LAB": "busy"}
    code = "from bootwalk.cli import main; main()"
    processes = [
        subprocess.Popen([sys.executable, "-c", code, *BOOT, f"vm{number}", "-f", "json"], env=environment,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for number in range(8)
    ]  # fmt: skip
    for process in processes:
        _out, error = process.communicate(timeout=100)
        assert process.returncode == 0, error
    listed = servers("busy")
    assert len(listed) == 8
    addresses = [address for server in listed for address in server["networks"]["private"]]
    assert len(set(addresses)) == 8
    assert len({server["instance_name"] for server in listed}) == 8
    before, after = hosts_of_shipped(), hosts("busy")
    for name, host in after.items():
        placed = sum(server["host"] == name for server in listed)
        assert host["memory_mb_used"] == before[name]["memory_mb_used"] + 512 * placed


def test_a_walk_in_a_lab_says_so_under_the_release(labs: Path) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    first = run(*BOOT, "vm1", "--lab", "class1")
    second = run(*BOOT, "vm2", "--lab", "class1")
    assert first.stdout.splitlines()[1] == "Lab: class1, boot 1, kept there (see bootwalk list --lab class1)"
    assert second.stdout.splitlines()[1] == "Lab: class1, boot 2, kept there (see bootwalk list --lab class1)"
    assert "Lab:" not in run(*BOOT, "vm3").stdout


def test_lab_help_lists_its_own_commands_and_list_takes_no_catalog() -> None:
    helped = run("lab", "--help")
    listed = [line.split(maxsplit=1) for line in helped.stdout.split("Commands:\n")[1].splitlines()]
    assert ["list", "List the labs, with their flow and servers."] in listed
    assert "--catalog" not in run("list", "--help").stdout and "--lab NAME" in run("list", "--help").stdout


def test_ctrl_c_at_any_moment_leaves_the_lab_before_or_after(labs: Path) -> None:
    """A boot killed with SIGINT at a dozen moments: each time the lab holds the boot whole, or not at all."""
    import random
    import signal
    import time

    assert run("lab", "create", "ctrlc", "--seed", "3").exit_code == ExitCode.OK
    environment = {**os.environ, "BOOTWALK_LABS": str(labs), "BOOTWALK_LAB": "ctrlc"}
    delays = random.Random(15).sample([n / 1000 for n in range(20, 400)], 12)
    kept = 0
    for number, delay in enumerate(delays):
        process = subprocess.Popen([sys.executable, "-m", "bootwalk", *BOOT, f"vm{number}", "-f", "json"],
                                   env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _out, error = process.communicate(timeout=60)
        assert ended_well_after_sigint(process.returncode, error), error  # never a traceback of bootwalk's
        listed = sorted(servers("ctrlc"), key=lambda server: server["instance_name"])  # in the order made
        kept += process.returncode == 0 or len(listed) > kept
        assert len(listed) == kept  # a boot is in the lab whole, or not at all
        addresses = [address for server in listed for address in server["networks"]["private"]]
        assert len(set(addresses)) == len(addresses)
        before, after = hosts_of_shipped(), hosts("ctrlc")
        for name, host in after.items():
            placed = [server for server in listed if server["host"] == name]
            assert host["memory_mb_used"] == before[name]["memory_mb_used"] + 512 * len(placed)
            assert [i["uuid"] for i in host["instances"]] == [i["uuid"] for i in before[name]["instances"]] + [
                server["id"] for server in placed
            ]
    assert run("lab", "export", "ctrlc", str(labs / "out")).exit_code == ExitCode.OK  # the lab as left is whole


def test_openstack_server_list_and_show_read_the_lab_in_their_own_words(labs: Path) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    made = run("server", "create", "--image", "cirros", "--flavor", "m1.tiny", "--network", "private", "osc1",
               "--lab", "class1", "-q")  # fmt: skip
    assert made.exit_code == ExitCode.OK, made.stderr
    boot("class1", "nova1", "--flavor", "m1.small")
    listed = run("server", "list", "--lab", "class1", "--long")
    rows = [line for line in listed.stdout.splitlines() if line.startswith("| ") and "Name" not in line]
    assert [row.split("|")[2].strip() for row in rows] == ["nova1", "osc1"]  # the newest first, as nova answers
    assert "| private=10.0.2.31 | cirros | m1.tiny  |" in rows[1]
    shown = json.loads(run("server", "show", "osc1", "--lab", "class1", "-f", "json").stdout)
    assert (shown["name"], shown["status"]) == ("osc1", "ACTIVE")
    assert "| Field " in run("server", "show", "osc1", "--lab", "class1").stdout
    missing = run("server", "show", "nope", "--lab", "class1")
    assert (missing.exit_code, missing.stderr) == (ExitCode.ERROR, "Error: No Server found for nope\n")
    boot("class1", "osc1")
    twice = run("server", "show", "osc1", "--lab", "class1")
    assert twice.stderr == "Error: More than one Server exists with the name 'osc1'.\n"
    assert run("server", "list").stderr.startswith("Error: server list shows a lab's servers")


def test_today_s_nova_keeps_a_server_no_host_took_in_cell0(labs: Path) -> None:
    assert run("lab", "create", "modern", "--flow", "modern").exit_code == ExitCode.OK
    boot("modern", "ok")
    boot("modern", "huge", "--flavor", "m1.xlarge", "--availability-zone", "az2")
    assert [(s["name"], s["status"], s["cell"]) for s in servers("modern")] == [
        ("huge", "ERROR", "cell0"), ("ok", "ACTIVE", "cell1"),
    ]  # fmt: skip
    assert run("lab", "create", "old").exit_code == ExitCode.OK
    boot("old", "ok")
    assert servers("old")[0]["cell"] is None  # Icehouse had no cells v2


def test_show_of_a_server_a_multi_create_made_beside_the_followed_one(labs: Path) -> None:
    assert run("lab", "create", "multi").exit_code == ExitCode.OK
    boot("multi", "many", "--min-count", "2", "--max-count", "2")
    second = next(server for server in servers("multi") if server["instance_name"] == "instance-00000002")
    for command, heading in ((["show"], "| Property "), (["server", "show"], "| Field ")):
        shown = run(*command, second["id"], "--lab", "multi")
        assert shown.exit_code == ExitCode.OK, shown.stderr
        assert heading in shown.stdout and second["id"][:30] in shown.stdout
        assert "The lab keeps the whole record for the server a walk follows" in " ".join(shown.stdout.split())


def _hostile(labs: Path, name: str, statement: str, *values: object) -> Path:
    """A real lab with one change made behind bootwalk's back, as a lab passed around might arrive."""
    assert run("lab", "create", name).exit_code == ExitCode.OK
    boot(name, "vm1")
    path = labs / f"{name}.lab"
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute(statement, values)
    return path


@pytest.mark.parametrize(
    ("statement", "values", "problem"),
    [
        ("UPDATE servers SET body = ?", ("[]",), "a server record is not a mapping"),
        ("UPDATE servers SET body = json_set(body, '$.name', ?)", ("\x1b[2Jpwned",),
         "a server record holds a control character or nests too deep"),
        ("UPDATE servers SET body = json_set(body, '$.networks', json(?))", ('{"private": 5}',),
         "a server record has networks that are not names with lists of addresses"),
        ("UPDATE servers SET body = ?", ("[" * 100_000,), "a record is not JSON"),
        ("UPDATE servers SET body = replace(body, '\"power_state\": 1', ?)", ('"power_state": NaN',),
         "a record is not JSON"),
        ("UPDATE servers SET body = ?", ("x" * (1024 * 1024 + 1),),
         "a record is not JSON text of at most 1048576 characters"),
        ("UPDATE meta SET value = ? WHERE key = 'flow'", ("bogus",), "its flow is not one of classic, modern"),
        ("UPDATE meta SET value = ? WHERE key = 'boots'", ("abc",), "its 'boots' is not a whole number"),
        ("UPDATE meta SET value = ? WHERE key = 'flow'", ("\x1b[31mred",), "its 'flow' is not short printable text"),
    ],
)  # fmt: skip
def test_a_hand_edited_lab_is_damaged_in_one_line_and_left_as_it_is(
    labs: Path, statement: str, values: tuple[object, ...], problem: str
) -> None:
    assert run("lab", "create", "good").exit_code == ExitCode.OK
    path = _hostile(labs, "bad", statement, *values)
    before = path.read_bytes()
    line = f"Error: lab 'bad' is damaged: {problem}; delete it (bootwalk lab delete bad)\n"
    for command in (["list", "--lab", "bad"], ["show", "vm1", "--lab", "bad"], [*BOOT, "vm2", "--lab", "bad"]):
        result = run(*command)
        if "meta" in statement and command[0] != "boot":
            continue  # list and show read no meta
        assert (result.exit_code, result.stderr) == (ExitCode.ERROR, line), command
        assert "\x1b" not in result.stdout
    assert path.read_bytes() == before
    listed = {lab["name"]: lab for lab in json.loads(run("lab", "list", "-f", "json").stdout)}
    assert listed["good"]["problem"] is None and listed["bad"]["problem"] == line.removeprefix("Error: ").rstrip()


def test_reset_refuses_a_damaged_seed_and_keeps_the_lab(labs: Path) -> None:
    path = _hostile(labs, "seedless", "UPDATE documents SET body = '[]' WHERE kind = 'seed' AND file = 'cloud.yaml'")
    before = path.read_bytes()
    result = run("lab", "reset", "seedless")
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr == (
        "Error: lab seedless/cloud.yaml: must be a mapping of sections, got a list (lab seedless is damaged: delete "
        "it, bootwalk lab delete seedless)\n"
    )
    assert path.read_bytes() == before


def test_a_read_only_lab_says_so_and_is_not_changed(labs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bootwalk.lab import store

    assert run("lab", "create", "frozen").exit_code == ExitCode.OK
    path = labs / "frozen.lab"
    path.chmod(0o444)
    reading_only = store._connect
    # root writes a 0444 file anyway: open it as SQLite does a file it may not write, read-only
    monkeypatch.setattr(store, "_connect", lambda where, mode: reading_only(where, "ro"))
    try:
        result = run(*BOOT, "vm", "--lab", "frozen")
        assert (result.exit_code, result.stderr) == (ExitCode.ERROR, (
            f"Error: lab 'frozen' ({path}) cannot be written: the file or its directory is read-only\n"
        ))  # fmt: skip
        assert servers("frozen") == []
    finally:
        path.chmod(0o644)


def test_export_needs_a_directory_and_names_the_seed_to_go_on_with(labs: Path, tmp_path: Path) -> None:
    assert run("lab", "create", "class1", "--seed", "100").exit_code == ExitCode.OK
    boot("class1", "vm1")
    boot("class1", "vm2")
    empty = run("lab", "export", "class1", "")
    assert (empty.exit_code, empty.stderr) == (ExitCode.USAGE, (
        "Error: Invalid value for 'DIR': is empty; give the directory to write the catalog files into "
        "(see 'bootwalk lab export --help')\n"
    ))  # fmt: skip
    out = tmp_path / "next"
    written = run("lab", "export", "class1", str(out))
    assert "--seed 102 ..." in " ".join(written.stdout.split())
    again = run(*BOOT, "vm3", "--catalog", str(out), "--seed", "102", "-f", "json")
    assert json.loads(again.stdout)["server"]["id"] not in {server["id"] for server in servers("class1")}


def test_a_link_to_nothing_or_a_directory_under_a_lab_s_name_is_not_a_lab(labs: Path) -> None:
    labs.mkdir(parents=True)
    (labs / "gone.lab").symlink_to(labs / "nowhere")
    (labs / "folder.lab").mkdir()
    for name in ("gone", "folder"):
        path = labs / f"{name}.lab"
        line = f"Error: {path} is not a lab file; it was left as it is: move it away to use the name\n"
        assert run("list", "--lab", name).stderr == line
        assert run("lab", "create", name).stderr == line
    assert (
        run("lab", "delete", "folder").stderr
        == f"Error: {labs / 'folder.lab'} is a directory, not a lab; it was left as it is\n"
    )
    assert (labs / "folder.lab").is_dir()
    assert run("lab", "delete", "gone").exit_code == ExitCode.OK and not (labs / "gone.lab").is_symlink()


def test_a_lab_whose_cloud_is_damaged_is_refused_by_boot_and_host_list(labs: Path) -> None:
    path = _hostile(labs, "broken", "UPDATE documents SET body = '{}' WHERE kind = 'current' AND file = 'cloud.yaml'")
    before = path.read_bytes()
    line = (
        "Error: lab broken/cloud.yaml: the top-level key 'networks:' is missing (lab broken is damaged: delete it, "
        "bootwalk lab delete broken)\n"
    )
    for command in ([*BOOT, "vm2", "--lab", "broken"], ["host-list", "--lab", "broken"]):
        assert (run(*command).exit_code, run(*command).stderr) == (ExitCode.ERROR, line)
    assert path.read_bytes() == before


def test_the_labs_directory_must_be_a_directory(labs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    labs.parent.mkdir(parents=True, exist_ok=True)
    (labs.parent / "afile").write_text("mine\n")
    monkeypatch.setenv("BOOTWALK_LABS", str(labs.parent / "afile"))
    result = run("lab", "create", "x")
    assert (result.exit_code, result.stderr) == (
        ExitCode.ERROR,
        f"Error: cannot make the labs directory {labs.parent / 'afile'}: File exists\n",
    )
    assert (labs.parent / "afile").read_text() == "mine\n"


def test_a_lab_of_an_older_schema_is_brought_up_by_the_first_command_that_opens_it(
    labs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The migration path: this bootwalk's schema is 1, so a schema 2 stands in to show a 1 brought up to it."""
    from bootwalk.lab import store

    assert run("lab", "create", "old").exit_code == ExitCode.OK
    monkeypatch.setattr(store, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(store, "MIGRATIONS", {1: ("CREATE TABLE notes (text TEXT NOT NULL)",)})
    assert servers("old") == []  # a reader opens it first: it is brought up, in a transaction of its own
    with closing(sqlite3.connect(labs / "old.lab")) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 2
    assert run(*BOOT, "vm1", "--lab", "old", "-q").exit_code == ExitCode.OK
    with closing(sqlite3.connect(labs / "old.lab")) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 2
        assert connection.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
    assert [server["name"] for server in servers("old")] == ["vm1"]


def test_only_the_interpreters_own_start_may_end_a_sigint_with_a_traceback() -> None:
    starting = b'Could not import runpy module\nTraceback (most recent call last):\n  File "<frozen runpy>", line 1\nKeyboardInterrupt\n'
    ours = b'Traceback (most recent call last):\n  File "/x/site-packages/bootwalk/cli/app.py", line 9\nKeyboardInterrupt\n'
    assert ended_well_after_sigint(1, starting)
    assert not ended_well_after_sigint(1, ours)
    assert ended_well_after_sigint(130, b"Interrupted.\n") and not ended_well_after_sigint(130, b"Interrupted.\nmore")
