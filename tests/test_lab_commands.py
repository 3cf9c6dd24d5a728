"""A lab's read commands in both dialects: servers, actions and events, hypervisor statistics, at 80 columns."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from bootwalk.cli import cli
from bootwalk.exit_codes import ExitCode

BOOT = ["boot", "--image", "cirros", "--flavor", "m1.tiny", "--nic", "net-name=private"]


def run(*arguments: str) -> Result:
    return CliRunner().invoke(cli, list(arguments), prog_name="bootwalk", env={"COLUMNS": "80"})


def ok(*arguments: str) -> str:
    result = run(*arguments)
    assert result.exit_code == ExitCode.OK, result.stderr
    return result.stdout


def made(flow: str) -> dict[str, str]:
    """A lab of the flow with three servers: vm1 ACTIVE, big (m1.xlarge) and vm2, then vm1 deleted; their IDs."""
    ok("lab", "create", flow, "--flow", flow)
    ids = {}
    for name, flavor in (("vm1", "m1.tiny"), ("big", "m1.xlarge"), ("vm2", "m1.small")):
        walked = json.loads(run(*BOOT[:3], "--flavor", flavor, *BOOT[5:], name, "--lab", flow, "-f", "json").stdout)
        ids[name] = walked["servers"][0]["id"]
    ok("delete", "vm1", "--lab", flow, "-q")
    return ids


def actions(*arguments: str) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = json.loads(ok(*arguments, "-f", "json"))
    return listed


@pytest.mark.parametrize("flow", ["classic", "modern"])
def test_each_read_command_at_80_columns_in_both_dialects(labs: Path, golden, flow: str) -> None:  # type: ignore[no-untyped-def]
    ids = made(flow)
    shown = {
        "list": ok("list", "--lab", flow),
        "server-list": ok("server", "list", "--lab", flow),
        "show": ok("show", "vm2", "--lab", flow),
        "server-show": ok("server", "show", "vm2", "--lab", flow),
        "instance-action-list": ok("instance-action-list", "vm2", "--lab", flow),
        "server-event-list": ok("server", "event", "list", "vm2", "--lab", flow),
        "hypervisor-stats": ok("hypervisor-stats", "--lab", flow, "--os-compute-api-version", "2.87")
        if flow == "modern"
        else ok("hypervisor-stats", "--lab", flow),
        "hypervisor-stats-show": ok("hypervisor", "stats", "show", "--lab", flow),
    }
    text = "".join(f"$ {command}\n{output}\n" for command, output in shown.items())
    assert max(len(line) for line in text.splitlines()) <= 80
    assert ids["vm1"] not in text  # the deleted server is gone from every list
    golden(f"lab-read-{flow}-80.txt", text)


def test_icehouse_records_the_scheduler_and_the_host_and_nothing_failed_on_no_valid_host(labs: Path) -> None:
    made("classic")
    assert actions("instance-action-list", "vm2", "--lab", "classic") == [
        {
            "action": "create",
            "request_id": actions("instance-action-list", "vm2", "--lab", "classic")[0]["request_id"],
            "message": None,
            "start_time": "2026-01-01T12:02:08.000000",  # the third command: the lab's clock has moved on
            "events": [
                {"event": "schedule", "result": "Success"},
                {"event": "compute_run_instance", "result": "Success"},
            ],
        }
    ]
    listed = {server["name"]: server for server in json.loads(ok("list", "--lab", "classic", "-f", "json"))}
    assert listed["big"]["status"] == "ACTIVE"  # Icehouse's 1.5 RAM ratio finds m1.xlarge a host


def test_today_buries_no_valid_host_in_cell0_with_the_conductors_error(labs: Path) -> None:
    made("modern")
    [create] = actions("instance-action-list", "big", "--lab", "modern")
    assert (create["action"], create["message"]) == ("create", "Error")
    assert create["events"] == [
        {"event": "conductor_schedule_and_build_instances", "result": "Error", "details": "No valid host was found. "}
    ]
    assert "updated_at" in create
    [built] = actions("instance-action-list", "vm2", "--lab", "modern")
    assert built["events"] == [{"event": "compute__do_build_and_run_instance", "result": "Success"}]
    assert built["message"] is None


def test_a_deleted_servers_actions_are_found_by_id_today_but_not_in_icehouse(labs: Path) -> None:
    modern, classic = made("modern"), made("classic")
    listed = actions("instance-action-list", modern["vm1"], "--lab", "modern")
    assert [(action["action"], [event["event"] for event in action["events"]]) for action in listed] == [
        ("create", ["compute__do_build_and_run_instance"]),
        ("delete", ["compute_terminate_instance"]),
    ]
    table = ok("instance-action-list", modern["vm1"], "--lab", "modern")
    assert "vm1 is deleted; nova keeps its actions." in " ".join(table.split())
    events = actions("server", "event", "list", modern["vm1"], "--lab", "modern")
    assert [action["action"] for action in events] == ["delete", "create"]  # newest first, as nova answers
    refused = run("instance-action-list", classic["vm1"], "--lab", "classic")
    assert (refused.exit_code, refused.stderr) == (
        ExitCode.ERROR,
        f"Error: No server with a name or ID of '{classic['vm1']}' exists.\n",
    )
    by_name = run("instance-action-list", "vm1", "--lab", "modern")  # only an ID finds a deleted server
    assert (by_name.exit_code, by_name.stderr) == (
        ExitCode.ERROR,
        "ERROR (NotFound): Instance vm1 could not be found. (HTTP 404)\n",
    )
    assert run("server", "event", "list", "vm1", "--lab", "modern").stderr == "Error: No Server found for vm1\n"
    assert run("server", "event", "list", "vm1", "--lab", "classic").stderr == "Error: No Server found for vm1\n"


def test_a_server_with_no_host_gets_a_delete_action_only_today(labs: Path) -> None:
    made("modern")
    big = json.loads(ok("list", "--lab", "modern", "-f", "json"))
    [gone] = [server["id"] for server in big if server["name"] == "big"]
    ok("delete", "big", "--lab", "modern", "-q")
    assert [(a["action"], a["events"]) for a in actions("instance-action-list", gone, "--lab", "modern")] == [
        ("create", [{"event": "conductor_schedule_and_build_instances", "result": "Error",
                     "details": "No valid host was found. "}]),
        ("delete", []),
    ]  # fmt: skip


def test_hypervisor_statistics_count_disabled_hosts_only_in_icehouse(labs: Path) -> None:
    made("classic")
    made("modern")
    icehouse = json.loads(ok("hypervisor-stats", "--lab", "classic", "-f", "json"))
    today = json.loads(ok("hypervisor-stats", "--lab", "modern", "--os-compute-api-version", "2.87", "-f", "json"))
    assert (icehouse["count"], today["count"]) == (4, 3)  # compute3 is disabled (maintenance)
    assert list(icehouse) == [
        "count", "vcpus", "memory_mb", "local_gb", "vcpus_used", "memory_mb_used", "local_gb_used", "free_ram_mb",
        "free_disk_gb", "current_workload", "running_vms",
    ]  # fmt: skip
    hosts = json.loads(ok("host-list", "--lab", "classic", "-f", "json"))
    assert icehouse["memory_mb_used"] == sum(host["memory_mb_used"] for host in hosts)
    assert icehouse["running_vms"] == sum(len(host["instances"]) for host in hosts)
    assert icehouse["free_ram_mb"] == icehouse["memory_mb"] - icehouse["memory_mb_used"]


def test_todays_novaclient_refuses_hypervisor_stats_from_2_88(labs: Path) -> None:
    made("modern")
    refused = run("hypervisor-stats", "--lab", "modern")
    assert (refused.exit_code, refused.stdout) == (ExitCode.ERROR, "")
    assert refused.stderr == (
        "ERROR (CommandError): The hypervisor-stats command is not supported in API version 2.88 or later. "
        "(nova dropped the statistics there: --os-compute-api-version 2.87 still has them)\n"
    )
    shown = run("hypervisor", "stats", "show", "--lab", "modern")  # openstackclient asks at 2.1, with a warning
    assert (shown.exit_code, shown.stderr) == (ExitCode.OK, "This command is deprecated.\n")


def test_a_lab_file_with_hostile_actions_is_damaged(labs: Path) -> None:
    import sqlite3
    from contextlib import closing

    made("classic")
    with closing(sqlite3.connect(labs / "classic.lab")) as connection, connection:
        body = json.loads(connection.execute("SELECT body FROM servers WHERE name = 'vm2'").fetchone()[0])
        body["actions"] = [{"action": "create", "request_id": "req-\x1b[2J", "start_time": "now"}]
        connection.execute("UPDATE servers SET body = ? WHERE name = 'vm2'", (json.dumps(body),))
    refused = run("instance-action-list", "vm2", "--lab", "classic")
    assert (refused.exit_code, refused.stderr) == (
        ExitCode.ERROR,
        "Error: lab 'classic' is damaged: a server record holds a control character or nests too deep; delete it "
        "(bootwalk lab delete classic)\n",
    )


def test_each_command_in_a_lab_starts_a_minute_after_the_last_ended(labs: Path) -> None:
    made("modern")
    shown = {server["name"]: server for server in json.loads(ok("list", "--lab", "modern", "-f", "json"))}
    created = [json.loads(ok("show", name, "--lab", "modern", "-f", "json"))["created"] for name in ("big", "vm2")]
    assert created == ["2026-01-01T12:01:04Z", "2026-01-01T12:02:04Z"]
    [create] = actions("instance-action-list", "vm2", "--lab", "modern")
    assert (create["start_time"], create["updated_at"]) == ("2026-01-01T12:02:04.000000", "2026-01-01T12:02:09.000000")
    # one cloud: one project, and one resource provider per host, whatever each boot's seed
    views = [json.loads(ok("show", name, "--lab", "modern", "-f", "json")) for name in ("big", "vm2")]
    assert views[0]["tenant_id"] == views[1]["tenant_id"]
    assert shown["vm2"]["allocations"] is not None and shown["big"]["allocations"] is None


def test_the_clock_turns_the_day() -> None:
    from bootwalk.cloud import time_at

    assert [time_at(ms) for ms in (0, 43_199_999, 43_200_000, 31 * 86_400_000, 365 * 86_400_000)] == [
        "2026-01-01T12:00:00Z", "2026-01-01T23:59:59Z", "2026-01-02T00:00:00Z", "2026-02-01T12:00:00Z",
        "2027-01-01T12:00:00Z",
    ]  # fmt: skip
    assert time_at((365 + 365 + 31 + 28) * 86_400_000) == "2028-02-29T12:00:00Z"  # 2028 is a leap year


def test_icehouses_unknown_group_leaves_a_server_in_build_with_no_action(labs: Path) -> None:
    """2014.1 wrote the rows and committed the quota before _update_instance_group raised: they stay in BUILD."""
    ok("lab", "create", "g")
    refused = run(*BOOT, "--hint", "group=0e0e0e0e-1111-4222-8333-444444444444", "ghost", "--lab", "g", "-q")
    assert (refused.exit_code, refused.stderr) == (
        ExitCode.ERROR,
        "ERROR (NotFound): The resource could not be found. (HTTP 404)\n",
    )
    [ghost] = json.loads(ok("list", "--lab", "g", "-f", "json"))
    assert (ghost["status"], ghost["task_state"], ghost["host"]) == ("BUILD", "scheduling", None)
    assert actions("instance-action-list", "ghost", "--lab", "g") == []  # _record_action_start came after
    import yaml

    ok("lab", "export", "g", str(labs / "out"))
    quota = yaml.safe_load((labs / "out" / "cloud.yaml").read_text())["quotas"]["in_use"]["instances"]
    assert quota == 1  # the instance counts against the quota until it is deleted
    ok("delete", "ghost", "--lab", "g", "-q")
    assert json.loads(ok("list", "--lab", "g", "-f", "json")) == []


def test_hypervisor_stats_refuses_a_flow_or_a_version_the_lab_cannot_take(labs: Path) -> None:
    ok("lab", "create", "c")
    other = run("hypervisor-stats", "--lab", "c", "--flow", "modern")
    assert (other.exit_code, other.stderr) == (
        ExitCode.USAGE,
        "Error: Invalid value for '--flow': lab c walks the classic flow; leave --flow out "
        "(see 'bootwalk hypervisor-stats --help')\n",
    )
    version = run("hypervisor-stats", "--lab", "c", "--os-compute-api-version", "2.5")
    assert (version.exit_code, version.stderr) == (
        ExitCode.USAGE,
        "Error: Invalid value for '--os-compute-api-version': Server doesn't support microversions: Icehouse "
        "(2014.1) has none, so novaclient speaks 2.0 to it; leave it out, or walk --flow modern "
        "(see 'bootwalk hypervisor-stats --help')\n",
    )


def test_actions_of_an_ambiguous_name_get_each_clients_line(labs: Path) -> None:
    ok("lab", "create", "c")
    for _ in range(2):
        run(*BOOT, "twin", "--lab", "c", "-q")
    nova = run("instance-action-list", "twin", "--lab", "c")
    assert (nova.exit_code, nova.stderr) == (
        ExitCode.ERROR,
        "Error: Multiple server matches found for 'twin', use an ID to be more specific.\n",
    )
    openstack = run("server", "event", "list", "twin", "--lab", "c")
    assert (openstack.exit_code, openstack.stderr) == (
        ExitCode.ERROR,
        "Error: More than one Server exists with the name 'twin'.\n",
    )


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"actions": [{"action": "create"}]}, "has actions that are not instance actions"),
        ({"deleted": "yes"}, "has a deleted that is not true or false"),
        ({"allocations": {"rp": {"VCPU": 1}}}, "has allocations that are not resources by provider"),
    ],
)
def test_a_record_with_bad_actions_deleted_or_allocations_is_damage(
    labs: Path, change: dict[str, Any], problem: str
) -> None:
    import sqlite3
    from contextlib import closing

    ok("lab", "create", "c")
    run(*BOOT, "vm1", "--lab", "c", "-q")
    with closing(sqlite3.connect(labs / "c.lab")) as connection, connection:
        body = json.loads(connection.execute("SELECT body FROM servers").fetchone()[0])
        connection.execute("UPDATE servers SET body = ?", (json.dumps({**body, **change}),))
    refused = run("list", "--lab", "c")
    assert (refused.exit_code, refused.stderr) == (
        ExitCode.ERROR,
        f"Error: lab 'c' is damaged: a server record {problem}; delete it (bootwalk lab delete c)\n",
    )
