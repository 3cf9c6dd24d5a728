"""nova delete, walked: each release's delete step by step, and a lab's delete that gives back what a server held."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from bootwalk.cli import cli
from bootwalk.engine.deletion import Doomed, DoomedPort, DoomedVolume, walk_delete
from bootwalk.exit_codes import ExitCode
from bootwalk.flows import get_flow
from bootwalk.model import Catalog
from bootwalk.trace import Channel, Outcome, Service, StepStatus, Trace
from tests.conftest import ended_well_after_sigint
from tests.test_lab import boot
from tests.test_lab import servers as listed

BOOT = ["boot", "--image", "cirros", "--flavor", "m1.tiny", "--nic", "net-name=private"]
UUID = "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b"
PORT = "3c2b1a00-0000-4000-8000-000000000001"


def run(*arguments: str, **env: str) -> Result:
    return CliRunner().invoke(cli, list(arguments), prog_name="bootwalk", env=env or None)


def server(catalog: Catalog, **changes: Any) -> Doomed:
    """The demo server, ACTIVE on compute1 with one port nova made, as a lab would hand it to a delete."""
    fields: dict[str, Any] = {
        "uuid": UUID,
        "name": "demo-vm",
        "typed": "demo-vm",
        "status": "ACTIVE",
        "vm_state": "active",
        "task_state": None,
        "power_state": 1,
        "host": "compute1",
        "instance_name": "instance-00000001",
        "flavor": next(flavor for flavor in catalog.flavors if flavor.name == "m1.tiny"),
        "ports": (DoomedPort(PORT, "net-1", "private", "10.0.2.31"),),
        "cell": "cell1",
    }
    fields.update(changes)
    return Doomed(**fields)


def deleted(catalog: Catalog, flow: str, **changes: Any) -> Trace:
    return walk_delete(server(catalog, **changes), catalog, get_flow(flow))


def calls(trace: Trace, step: int) -> list[str]:
    return [handoff.call for handoff in trace.steps[step - 1].handoffs]


def states(trace: Trace) -> list[str]:
    return [record.states_text() for record in trace.steps]


# --- the walk, per release ----------------------------------------------------------------------------------------


def test_icehouse_deletes_in_seven_steps_in_novas_order(catalog: Catalog) -> None:
    trace = deleted(catalog, "classic")
    assert [(record.name, record.service, record.status) for record in trace.steps] == [
        ("authenticate", Service.KEYSTONE, StepStatus.OK),
        ("nova-api", Service.NOVA_API, StepStatus.OK),
        ("terminate", Service.NOVA_COMPUTE, StepStatus.OK),
        ("destroy", Service.HYPERVISOR, StepStatus.OK),
        ("network", Service.NEUTRON, StepStatus.OK),
        ("volumes", Service.CINDER, StepStatus.SKIPPED),
        ("deleted", Service.NOVA_CONDUCTOR, StepStatus.OK),
    ]
    assert trace.outcome is Outcome.DELETED and trace.outcome.succeeded
    assert trace.release == "Icehouse (2014.1)" and trace.request["action"] == "delete"
    # deleting from nova-api's save to the end; Icehouse leaves power_state as it was
    assert states(trace)[1:] == ["active / deleting / RUNNING (1)"] * 5 + ["deleted / None / RUNNING (1)"]


def test_icehouse_reserves_the_quota_back_and_casts_at_3_22_with_the_reservations(catalog: Catalog) -> None:
    trace = deleted(catalog, "classic")
    assert calls(trace, 2) == [
        "GET /v2/{tenant_id}/servers?name=demo-vm",
        "200 OK",
        "DELETE /v2/{tenant_id}/servers/{id}",
        "UPDATE instances",
        "INSERT INTO reservations",
        "INSERT INTO instance_actions",
        "terminate_instance",
        "204 No Content",
    ]
    cast = trace.steps[1].handoffs[6]
    assert cast.channel is Channel.RPC_CAST
    assert cast.payload["topic"] == "compute.compute1" and cast.payload["version"] == "3.22"
    assert len(cast.payload["args"]["reservations"]) == 3  # quota_reserve makes one per resource
    assert [line.text for line in trace.steps[1].logs][1] == (
        f"Created reservations {cast.payload['args']['reservations']}"
    )
    assert trace.steps[6].logs[0].text == f"Committed reservations {cast.payload['args']['reservations']}"
    assert trace.steps[6].logs[0].service is Service.NOVA_CONDUCTOR  # Quotas.commit runs in the conductor
    reserved = trace.steps[1].handoffs[4].payload["values"]
    assert reserved == {"instances": -1, "cores": -1, "ram": -512}
    assert "X-OpenStack-Nova-API-Version" not in trace.steps[1].handoffs[2].payload["headers"]


def test_today_reserves_nothing_casts_at_6_0_and_marks_the_mapping(catalog: Catalog) -> None:
    trace = deleted(catalog, "modern")
    assert calls(trace, 2) == [
        "GET /v2.1/servers?name=demo-vm",
        "200 OK",
        "DELETE /v2.1/servers/{id}",
        "UPDATE instances",
        "INSERT INTO instance_actions",
        "terminate_instance",
        "UPDATE instance_mappings",
        "204 No Content",
    ]
    api = trace.steps[1].handoffs
    assert api[3].target is Service.CELL_DATABASE and api[6].target is Service.API_DATABASE
    assert api[5].payload["version"] == "6.0" and "reservations" not in api[5].payload["args"]
    assert api[2].payload["headers"]["X-OpenStack-Nova-API-Version"] == "2.96"


def test_a_server_typed_by_id_is_read_not_searched(catalog: Catalog) -> None:
    assert calls(deleted(catalog, "modern", typed=UUID), 2)[:1] == ["GET /v2.1/servers/{id}"]


def test_today_has_nine_steps_and_placement_lets_go_before_the_row_goes(catalog: Catalog) -> None:
    trace = deleted(catalog, "modern")
    assert [record.name for record in trace.steps] == [
        "authenticate", "nova-api", "terminate", "destroy", "network", "volumes", "deleted", "placement", "destroy-row",
    ]  # fmt: skip
    assert states(trace)[6:] == ["deleted / None / NOSTATE (0)"] * 3
    assert calls(trace, 8) == ["object_action", "DELETE /allocations/{uuid}", "204 No Content"]
    assert [line.text for line in trace.steps[7].logs] == [f"Deleted allocations for instance {UUID}"]
    assert trace.steps[8].handoffs[0].payload["args"]["objmethod"] == "destroy"


def test_icehouse_asks_neutron_for_the_ports_and_today_reads_the_cache(catalog: Catalog) -> None:
    icehouse, today = deleted(catalog, "classic"), deleted(catalog, "modern")
    assert calls(icehouse, 3) == ["terminate_instance", "object_action", "GET /v2.0/ports", "200 OK"]
    assert icehouse.steps[2].handoffs[2].payload["url"].startswith("http://controller:9696/v2.0/ports.json?")
    assert calls(today, 3) == ["terminate_instance"]
    assert [(line.level, line.text) for line in icehouse.steps[2].logs] == [("AUDIT", "Terminating instance")]
    assert [(line.level, line.text) for line in today.steps[2].logs] == [("INFO", "Terminating instance")]


def test_libvirt_undefines_first_in_icehouse_and_last_today(catalog: Catalog) -> None:
    icehouse, today = deleted(catalog, "classic"), deleted(catalog, "modern")
    assert icehouse.steps[3].detail.startswith(
        "In this order: the guest is stopped, the domain undefined, its ports unplugged from the bridge, "
        "then its disk and files deleted."
    )
    assert today.steps[3].detail.startswith(
        "In this order: the guest is stopped, its ports unplugged from the bridge, its disk and files deleted, "
        "then the domain undefined."
    )
    assert icehouse.steps[3].handoffs[1].payload["flags"] == "VIR_DOMAIN_UNDEFINE_MANAGED_SAVE"
    assert today.steps[3].handoffs[1].payload["flags"] == "VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_NVRAM"
    assert [line.text for line in icehouse.steps[3].logs] == [
        "Instance destroyed successfully.",
        f"Deleting instance files /opt/stack/data/nova/instances/{UUID}",
        f"Deletion of /opt/stack/data/nova/instances/{UUID} complete",
    ]
    assert [line.text for line in today.steps[3].logs] == [
        "Start destroying the instance on the hypervisor.",
        "Instance destroyed successfully.",
        f"Deleting instance files /opt/stack/data/nova/instances/{UUID}_del",
        f"Deletion of /opt/stack/data/nova/instances/{UUID}_del complete",
        "Took 0.70 seconds to destroy the instance on the hypervisor.",
    ]


def test_the_ports_are_deleted_with_json_paths_in_icehouse(catalog: Catalog) -> None:
    icehouse, today = deleted(catalog, "classic"), deleted(catalog, "modern")
    assert calls(icehouse, 5) == ["GET /v2.0/ports", "200 OK", "DELETE /v2.0/ports/{id}", "204 No Content"]
    assert icehouse.steps[4].handoffs[2].payload["url"] == f"http://controller:9696/v2.0/ports/{PORT}.json"
    assert today.steps[4].handoffs[2].payload["url"] == f"http://controller/networking/v2.0/ports/{PORT}"
    assert icehouse.steps[4].detail == "Freed for the next boot: 10.0.2.31 on private."
    assert [line.text for line in today.steps[4].logs if line.level == "INFO"] == [
        "Took 0.20 seconds to deallocate network for instance."
    ]


def test_a_port_the_user_made_is_deleted_in_icehouse_and_kept_unbound_today(catalog: Catalog) -> None:
    mine = (DoomedPort(PORT, "net-1", "private", "10.0.2.50", created_by_nova=False),)
    icehouse, today = deleted(catalog, "classic", ports=mine), deleted(catalog, "modern", ports=mine)
    assert calls(icehouse, 5)[2] == "DELETE /v2.0/ports/{id}"
    assert "the one you made with --nic port-id too" in icehouse.steps[4].detail
    assert calls(today, 5)[2:] == [
        "GET /v2.0/ports/{id}", "GET /v2.0/networks/{id}", "PUT /v2.0/ports/{id}", "200 OK",
    ]  # fmt: skip
    unbind = today.steps[4].handoffs[4]
    assert unbind.payload["body"] == {
        "port": {"binding:host_id": None, "device_id": "", "device_owner": "", "binding:profile": {}}
    }
    assert unbind.payload["headers"] == {"X-Auth-Token": "(an admin token)"}  # binding needs an admin
    assert today.steps[4].detail == ("The port you made is kept, unbound: today's nova deletes only the ports it made.")


def test_volumes_are_detached_with_each_releases_cinder_calls(catalog: Catalog) -> None:
    volume = DoomedVolume("0a1b2c3d-0000-4000-8000-000000000009", "att-1", delete_on_termination=True)
    icehouse = deleted(catalog, "classic", volumes=(volume,))
    today = deleted(catalog, "modern", volumes=(volume,))
    assert calls(icehouse, 6) == [
        "POST /v1/{tenant_id}/volumes/{id}/action",
        "POST /v1/{tenant_id}/volumes/{id}/action",
        "DELETE /v1/{tenant_id}/volumes/{id}",
    ]
    assert [list(h.payload["body"]) for h in icehouse.steps[5].handoffs[:2]] == [["os-terminate_connection"],
                                                                                ["os-detach"]]  # fmt: skip
    assert calls(today, 6) == ["DELETE /v3/{project_id}/attachments/{id}", "DELETE /v3/{project_id}/volumes/{id}"]
    assert today.steps[5].handoffs[0].payload["url"].endswith("/attachments/att-1")
    assert [line.text for line in today.steps[5].logs] == ["Took 0.42 seconds to detach 1 volumes for instance."]
    assert icehouse.steps[5].logs == ()


def test_a_server_no_host_took_is_destroyed_by_nova_api_in_icehouse_and_cleaned_up_today(catalog: Catalog) -> None:
    failed = {"status": "ERROR", "vm_state": "error", "power_state": 0, "host": None, "ports": (), "cell": "cell0"}
    icehouse, today = deleted(catalog, "classic", **failed), deleted(catalog, "modern", **failed)
    assert calls(icehouse, 2)[3:] == [
        "UPDATE instances",
        "INSERT INTO reservations",
        "UPDATE instances SET deleted = id",
        "UPDATE quota_usages",
        "204 No Content",
    ]  # fmt: skip  (no action, no cast)
    assert icehouse.steps[1].states_text() == "error / deleting / NOSTATE (0)"  # the soft-deleted row as it was left
    committed = [line for line in icehouse.steps[1].logs if line.text.startswith("Committed")]
    assert [line.service for line in committed] == [Service.NOVA_API]  # nova-api commits the quota itself
    assert [record.status for record in icehouse.steps[2:]] == [StepStatus.SKIPPED] * 5
    assert calls(today, 2)[3:] == [
        "UPDATE instances", "GET /v2.0/ports", "200 OK", "DELETE /allocations/{uuid}", "404 Not Found",
        "UPDATE instances", "UPDATE instance_mappings", "UPDATE instances SET deleted = id",
        "INSERT INTO instance_actions", "204 No Content",
    ]  # fmt: skip
    assert today.steps[1].handoffs[3].target is Service.CELL0_DATABASE
    assert [(line.level, line.text) for line in today.steps[1].logs if line.level == "WARNING"] == [
        ("WARNING", "instance's host None is down, deleting from database")
    ]
    assert today.steps[1].states_text() == "deleted / None / NOSTATE (0)"
    assert [record.status for record in today.steps[2:]] == [StepStatus.SKIPPED] * 7


def test_every_delete_step_has_a_note_and_a_source(catalog: Catalog) -> None:
    for name in ("classic", "modern"):
        for step in get_flow(name).delete_steps:
            assert step.note and step.source and len(step.title) <= 78, step.name


# --- the lab ------------------------------------------------------------------------------------------------------


def exported(lab: str, folder: Path) -> dict[str, str]:
    assert run("lab", "export", lab, str(folder)).exit_code == ExitCode.OK
    return {path.name: path.read_text() for path in sorted(folder.iterdir())}


def test_a_delete_gives_back_the_host_the_address_and_the_quota(labs: Path, tmp_path: Path) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    before = exported("class1", tmp_path / "before")
    boot("class1", "vm1")
    result = run("delete", "vm1", "--lab", "class1", "-q")
    assert (result.exit_code, result.stdout, result.stderr) == (ExitCode.OK, "vm1 DELETED\nOutcome: DELETED\n", "")
    assert listed("class1") == []
    after = exported("class1", tmp_path / "after")
    # the host's usage and instances, the ports and the quota as they were; only the row count goes on
    assert after == {**before, "cloud.yaml": before["cloud.yaml"] + "instances_made: 1\n"}


def test_a_delete_frees_the_address_for_the_next_boot_and_the_row_number_goes_on(labs: Path) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    first = boot("class1", "vm1")["servers"][0]
    assert run("delete", "vm1", "--lab", "class1", "-q").exit_code == ExitCode.OK
    boot("class1", "vm2")
    [again] = listed("class1")
    assert again["instance_name"] == "instance-00000002"  # nova never reuses an instance row
    assert first["networks"]["private"] == ["10.0.2.31"]
    ports = json.loads(run("port-list", "--lab", "class1", "-f", "json").stdout)
    assert [port["fixed_ip"] for port in ports].count("10.0.2.31") <= 1


def test_deleting_a_member_frees_its_place_in_the_anti_affinity_group(labs: Path) -> None:
    group = "5c1e2f3a-4b6d-4e8f-9a0b-1c2d3e4f5a6b"
    assert run("lab", "create", "aa", "--exercise", "anti-affinity").exit_code == ExitCode.OK
    boot("aa", "web1", "--hint", f"group={group}")
    groups = json.loads(run("server-group-list", "--lab", "aa", "-f", "json").stdout)
    assert [g["members"] for g in groups if g["id"] == group] != [[]]
    assert run("delete", "web1", "--lab", "aa", "-q").exit_code == ExitCode.OK
    groups = json.loads(run("server-group-list", "--lab", "aa", "-f", "json").stdout)
    assert [g["members"] for g in groups if g["id"] == group] == [[]]


def test_nova_delete_goes_on_past_a_name_it_cannot_find_then_exits_1(labs: Path) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    boot("class1", "vm1")
    boot("class1", "vm2")
    result = run("delete", "vm1", "nope", "vm2", "--lab", "class1", "-q")
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr == (
        "No server with a name or ID of 'nope' exists.\n"
        "ERROR (CommandError): Unable to delete the specified server(s).\n"
    )
    assert result.stdout == "vm1 DELETED\nOutcome: DELETED\nvm2 DELETED\nOutcome: DELETED\n"
    assert listed("class1") == []


def test_openstack_server_delete_says_its_own_lines(labs: Path) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    boot("class1", "vm1")
    result = run("server", "delete", "vm1", "nope", "--lab", "class1", "-q")
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr == (
        "Failed to delete server with name or ID 'nope': No Server found for nope\n1 of 2 servers failed to delete.\n"
    )


def test_an_ambiguous_name_deletes_nothing_and_gets_novas_line(labs: Path) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    boot("class1", "twin")
    boot("class1", "twin")
    result = run("delete", "twin", "--lab", "class1")
    assert (result.exit_code, result.stdout) == (ExitCode.ERROR, "")
    assert result.stderr == (
        "Multiple server matches found for 'twin', use an ID to be more specific.\n"
        "ERROR (CommandError): Unable to delete the specified server(s).\n"
    )
    assert len(listed("class1")) == 2
    by_id = run("delete", listed("class1")[0]["id"], "--lab", "class1", "-f", "json")
    assert by_id.exit_code == ExitCode.OK
    assert json.loads(by_id.stdout)["steps"][1]["handoffs"][0]["call"] == "GET /v2/{tenant_id}/servers/{id}"
    assert len(listed("class1")) == 1


def test_delete_needs_a_lab(labs: Path) -> None:
    result = run("delete", "vm1")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.splitlines()[-1] == (
        "Error: delete deletes a lab's servers, and a walk without a lab keeps none: give --lab NAME or set "
        "BOOTWALK_LAB (see 'bootwalk lab create')"
    )


def test_json_is_one_walk_for_one_server_and_a_list_for_several(labs: Path) -> None:
    assert run("lab", "create", "class1", "--flow", "modern").exit_code == ExitCode.OK
    for name in ("a", "b", "c"):
        boot("class1", name)
    one = json.loads(run("delete", "a", "--lab", "class1", "-f", "json").stdout)
    assert (one["outcome"], one["request"]["name"], len(one["steps"])) == ("DELETED", "a", 9)
    several = json.loads(run("delete", "b", "c", "--lab", "class1", "-f", "json").stdout)
    assert [walk["request"]["name"] for walk in several] == ["b", "c"]


def test_a_saved_delete_replays_and_a_boot_cannot_claim_deleted(labs: Path, tmp_path: Path) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    boot("class1", "vm1")
    saved = tmp_path / "delete.json"
    saved.write_text(run("delete", "vm1", "--lab", "class1", "-f", "json").stdout)
    replayed = run("replay", str(saved), "-q")
    assert (replayed.exit_code, replayed.stdout) == (ExitCode.OK, "vm1 DELETED\nOutcome: DELETED\n")
    walked = json.loads(run(*BOOT, "vm2", "-f", "json").stdout)
    walked["outcome"] = "DELETED"
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(walked))
    refused = run("replay", str(forged))
    assert refused.exit_code == ExitCode.ERROR
    assert refused.stderr == (
        f"Error: {forged}: not a bootwalk trace: the trace says DELETED but walks a boot (its request's action is "
        "not delete) at outcome\n"
    )


def test_an_interrupted_delete_leaves_the_lab_as_it_was(labs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bootwalk.lab import record

    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    boot("class1", "vm1")
    before = listed("class1")

    def interrupted(*_arguments: object, **_keywords: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(record, "record_delete", interrupted)
    result = run("delete", "vm1", "--lab", "class1")
    assert (result.exit_code, result.stderr) == (ExitCode.INTERRUPTED, "Interrupted.\n")
    assert listed("class1") == before


def test_the_same_boots_and_deletes_make_the_same_lab(labs: Path, tmp_path: Path) -> None:
    made = []
    for lab in ("first", "second"):
        assert run("lab", "create", lab, "--seed", "11", "--flow", "modern").exit_code == ExitCode.OK
        for number in range(1, 6):
            boot(lab, f"vm{number}")
        deletes = [run("delete", name, "--lab", lab, "-f", "json").stdout for name in ("vm2", "vm4")]
        boot(lab, "vm6")
        made.append((exported(lab, tmp_path / lab), listed(lab), deletes))
    assert made[0] == made[1]
    assert [server["name"] for server in made[0][1]] == ["vm1", "vm3", "vm5", "vm6"]


@pytest.mark.parametrize(
    ("flow", "command"),
    [("classic", ("delete",)), ("modern", ("delete",)), ("classic", ("server", "delete")),
     ("modern", ("server", "delete"))],
)  # fmt: skip
def test_the_delete_walk_at_80_columns(labs: Path, golden, flow: str, command: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    assert run("lab", "create", "class1", "--flow", flow).exit_code == ExitCode.OK
    boot("class1", "demo-vm")
    result = run(*command, "demo-vm", "--lab", "class1", COLUMNS="80")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    golden(f"delete-{flow}-{'-'.join(command)}-80.txt", result.stdout)


# --- what a hostile review found ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flow", "line"),
    [
        ("classic", "ERROR (BadRequest): Server name has more than 255 characters. (HTTP 400)\n"),
        ("modern", "ERROR (BadRequest): Invalid input for field/attribute server/name. Value: {name}. '{name}' is too "
                   "long (HTTP 400)\n"),
    ],
)  # fmt: skip
def test_a_name_longer_than_255_is_refused_as_each_release_refuses_it(labs: Path, flow: str, line: str) -> None:
    name = "x" * 256
    assert run("lab", "create", "long", "--flow", flow).exit_code == ExitCode.OK
    refused = run(*BOOT, name, "--lab", "long", "-q")
    assert (refused.exit_code, refused.stderr) == (ExitCode.ERROR, line.format(name=name))
    assert listed("long") == []  # nova refused it with a 400: nothing is kept
    assert run(*BOOT, "x" * 255, "--lab", "long", "-q").exit_code == ExitCode.OK
    assert run(*BOOT, " padded ", "--lab", "long", "-q").exit_code == ExitCode.OK


def _edit_record(lab_file: Path, name: str, change: Any) -> None:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(lab_file)) as connection, connection:
        body = json.loads(connection.execute("SELECT body FROM servers WHERE name = ?", (name,)).fetchone()[0])
        change(body)
        connection.execute("UPDATE servers SET body = ? WHERE name = ?", (json.dumps(body), name))


def test_a_record_whose_id_is_not_its_rows_is_damage_and_nothing_is_deleted(labs: Path, tmp_path: Path) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    boot("class1", "vm1")
    _edit_record(labs / "class1.lab", "vm1", lambda body: body.update(id="11111111-1111-4111-8111-111111111111"))
    before = (labs / "class1.lab").read_bytes()
    refused = run("delete", "vm1", "--lab", "class1")
    assert (refused.exit_code, refused.stderr) == (
        ExitCode.ERROR,
        "Error: lab 'class1' is damaged: server vm1's record does not match its row; delete it "
        "(bootwalk lab delete class1)\n",
    )
    assert (labs / "class1.lab").read_bytes() == before


def test_a_delete_that_would_leave_a_damaged_cloud_is_not_kept(labs: Path) -> None:
    import sqlite3
    from contextlib import closing

    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    boot("class1", "vm1")
    with closing(sqlite3.connect(labs / "class1.lab")) as connection, connection:
        query = "SELECT body FROM documents WHERE kind = 'current' AND file = 'flavors.yaml'"
        flavors = json.loads(connection.execute(query).fetchone()[0])
        next(f for f in flavors["flavors"] if f["name"] == "m1.tiny")["ram"] = 10**9  # edited by hand
        connection.execute(
            "UPDATE documents SET body = ? WHERE kind = 'current' AND file = 'flavors.yaml'", (json.dumps(flavors),)
        )
    before = (labs / "class1.lab").read_bytes()
    refused = run("delete", "vm1", "--lab", "class1")
    assert refused.exit_code == ExitCode.ERROR
    assert refused.stderr.startswith("Error: ") and refused.stderr.endswith(
        "; the command would leave lab class1 so, and was not kept\n"
    )
    assert "memory_mb_used" in refused.stderr
    assert refused.stderr == (
        "Error: lab class1/cloud.yaml: hosts[0] (compute1), field 'memory_mb_used': must be 0 or more, got "
        "-999995392; the command would leave lab class1 so, and was not kept\n"
    )  # compute1 used 4096 + 512 and gives back the 10**9 MB a hand edit made m1.tiny
    assert (labs / "class1.lab").read_bytes() == before


def test_waiting_for_a_busy_lab_answers_ctrl_c_at_once(labs: Path) -> None:
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time
    from contextlib import closing

    assert run("lab", "create", "busy").exit_code == ExitCode.OK
    environment = {**os.environ, "BOOTWALK_LABS": str(labs)}
    with closing(sqlite3.connect(labs / "busy.lab", isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")  # held for as long as the test runs: the lab stays busy
        process = subprocess.Popen([sys.executable, "-m", "bootwalk", "delete", "vm1", "--lab", "busy"],
                                   env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
        time.sleep(1.0)
        process.send_signal(signal.SIGINT)
        # within the lab's 10 s wait: a command that answered only then would say "busy" and exit 1
        _out, error = process.communicate(timeout=8)
        holder.execute("ROLLBACK")
    assert (process.returncode, error) == (ExitCode.INTERRUPTED, b"Interrupted.\n")


def test_replay_refuses_a_delete_with_an_error_or_a_boots_parts(labs: Path, tmp_path: Path) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    boot("class1", "vm1")
    saved = json.loads(run("delete", "vm1", "--lab", "class1", "-f", "json").stdout)
    forged = tmp_path / "forged.json"
    for key, value, line in (
        ("error", {"type": "x", "message": "boom", "http_status": 500}, "a delete's walk has no error at error"),
        ("attempts", [{"attempt": 1, "host": "compute1", "result": "active", "reason": None}],
         "a delete's walk has no build attempts at attempts"),
        ("servers", [], "a delete's walk lists the one server it deleted, not 0 at servers"),
    ):  # fmt: skip
        forged.write_text(json.dumps({**saved, key: value}))
        refused = run("replay", str(forged))
        assert (refused.exit_code, refused.stderr) == (
            ExitCode.ERROR,
            f"Error: {forged}: not a bootwalk trace: {line}\n",
        )
    forged.write_text(json.dumps([saved, saved]))
    refused = run("replay", str(forged))
    assert refused.stderr == (
        f"Error: {forged}: holds 2 walks (delete -f json with several servers); replay takes one: save each delete "
        "on its own\n"
    )


def test_json_takes_its_shape_from_the_names_asked_not_from_those_found(labs: Path) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    boot("class1", "a")
    assert json.loads(run("delete", "a", "nope", "--lab", "class1", "-f", "json").stdout)[0]["request"]["name"] == "a"
    assert json.loads(run("delete", "x", "y", "--lab", "class1", "-f", "json").stdout) == []
    assert run("delete", "x", "--lab", "class1", "-f", "json").stdout == ""


def test_a_modern_build_that_failed_on_its_host_stays_in_cell1(labs: Path) -> None:
    assert run("lab", "create", "m", "--flow", "modern").exit_code == ExitCode.OK
    boot("m", "e1", "--scenario", "spawn-failed", "--max-attempts", "1")
    [failed] = listed("m")
    assert (failed["status"], failed["host"], failed["cell"]) == ("ERROR", None, "cell1")
    walked = json.loads(run("delete", "e1", "--lab", "m", "-f", "json").stdout)
    assert "in cell1 (_local_delete)" in walked["steps"][1]["detail"]
    assert walked["steps"][1]["handoffs"][3]["target"] == "cell1 database"


def test_bidirectional_controls_are_refused_and_never_shown_raw(labs: Path) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    refused = run(*BOOT, "evil\u202eexe.txt", "--lab", "class1")
    assert refused.exit_code == ExitCode.USAGE and "\u202e" not in refused.stderr
    assert "holds a control character (U+202E)" in refused.stderr
    missing = run("delete", "a\u2028b", "--lab", "class1")
    assert "\u2028" not in missing.stderr


def test_a_named_pipe_with_no_writer_does_not_hold_replay(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    fifo = tmp_path / "walk.fifo"
    os.mkfifo(fifo)
    completed = subprocess.run([sys.executable, "-m", "bootwalk", "replay", str(fifo)], capture_output=True,
                               text=True, timeout=30, check=False)  # fmt: skip
    assert completed.returncode == ExitCode.ERROR
    assert completed.stderr.startswith(f"Error: {fifo}: not a bootwalk trace")


def _lab_books_balance(labs: Path, lab: str) -> list[dict[str, Any]]:
    """Check a lab's books after concurrent work: each host's usage is its own plus its live servers', every
    address is held once, and the quota in use counts the live servers; return the live servers."""
    import yaml

    live = listed(lab)
    shipped = {host["name"]: host for host in json.loads(run("host-list", "-f", "json").stdout)}
    now = {host["name"]: host for host in json.loads(run("host-list", "--lab", lab, "-f", "json").stdout)}
    for name, host in now.items():
        placed = [server for server in live if server["host"] == name]
        assert host["memory_mb_used"] == shipped[name]["memory_mb_used"] + 512 * len(placed), name
        assert sorted(i["uuid"] for i in host["instances"]) == sorted(
            [i["uuid"] for i in shipped[name]["instances"]] + [server["id"] for server in placed]
        )
    addresses = [address for server in live for address in server["networks"].get("private", [])]
    assert len(addresses) == len(set(addresses))
    ports = json.loads(run("port-list", "--lab", lab, "-f", "json").stdout)
    assert sorted(port["fixed_ip"] for port in ports) == sorted([*addresses, "10.0.0.50"])  # and the pre-made one
    out = labs / f"{lab}-books-{len(list(labs.glob(f'{lab}-books-*')))}"  # a new directory each time
    assert run("lab", "export", lab, str(out)).exit_code == ExitCode.OK
    in_use = yaml.safe_load((out / "cloud.yaml").read_text())["quotas"]["in_use"]
    assert in_use == {"instances": len(live), "cores": len(live), "ram": 512 * len(live)}
    return live


def test_deletes_and_boots_at_once_keep_the_books(labs: Path) -> None:
    import os
    import subprocess
    import sys

    assert run("lab", "create", "busy").exit_code == ExitCode.OK
    for number in range(4):
        boot("busy", f"old{number}")
    environment = {**os.environ, "BOOTWALK_LABS": str(labs), "BOOTWALK_LAB": "busy"}
    commands = [["delete", f"old{number}", "-q"] for number in range(4)]
    commands += [[*BOOT, f"new{number}", "-q"] for number in range(4)]
    processes = [
        subprocess.Popen([sys.executable, "-m", "bootwalk", *command], env=environment,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for command in commands
    ]  # fmt: skip
    for process in processes:
        _out, error = process.communicate(timeout=100)
        assert process.returncode == 0, error
    live = _lab_books_balance(labs, "busy")
    assert sorted(server["name"] for server in live) == ["new0", "new1", "new2", "new3"]


def test_ctrl_c_at_any_moment_of_a_delete_leaves_it_done_or_not(labs: Path) -> None:
    import os
    import random
    import signal
    import subprocess
    import sys
    import time

    assert run("lab", "create", "ctrlc", "--seed", "5").exit_code == ExitCode.OK
    for number in range(10):
        boot("ctrlc", f"vm{number}")
    environment = {**os.environ, "BOOTWALK_LABS": str(labs), "BOOTWALK_LAB": "ctrlc"}
    delays = random.Random(21).sample([n / 1000 for n in range(20, 400)], 10)
    for number, delay in enumerate(delays):
        process = subprocess.Popen([sys.executable, "-m", "bootwalk", "delete", f"vm{number}", "-f", "json"],
                                   env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _out, error = process.communicate(timeout=60)
        assert ended_well_after_sigint(process.returncode, error), error  # never a traceback of bootwalk's
        live = _lab_books_balance(labs, "ctrlc")  # whole: the delete was kept entire, or not at all
        if process.returncode == 0:
            assert f"vm{number}" not in {server["name"] for server in live}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda body: body.update(flavor={"id": "999", "name": "gone"}), "its flavor gone is not in the lab's cloud"),
        (lambda body: body.pop("seed"), "it has no seed"),
        (lambda body: body["view"].update({"os-extended-volumes:volumes_attached": "vol"}),
         "its volumes_attached are not volume ids"),
    ],
)  # fmt: skip
def test_a_record_the_lab_cannot_delete_from_is_damage(labs: Path, change: Any, reason: str) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    boot("class1", "vm1")
    _edit_record(labs / "class1.lab", "vm1", change)
    before = (labs / "class1.lab").read_bytes()
    refused = run("delete", "vm1", "--lab", "class1")
    assert (refused.exit_code, refused.stderr) == (
        ExitCode.ERROR,
        f"Error: lab 'class1' is damaged: server vm1 cannot be deleted: {reason}; delete it "
        "(bootwalk lab delete class1)\n",
    )
    assert (labs / "class1.lab").read_bytes() == before


def test_a_record_the_delete_would_make_too_large_is_not_kept(labs: Path) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    boot("class1", "vm1")

    def to_the_brim(
        body: dict[str, Any],
    ) -> None:  # just under the 1 MiB a record may hold: the delete's action tips it
        body["request"]["notes"] = ""
        body["request"]["notes"] = "x" * (1024 * 1024 - len(json.dumps(body)) - 50)

    _edit_record(labs / "class1.lab", "vm1", to_the_brim)
    before = (labs / "class1.lab").read_bytes()
    refused = run("delete", "vm1", "--lab", "class1")
    assert (refused.exit_code, refused.stderr) == (
        ExitCode.ERROR,
        "Error: lab 'class1' cannot keep server 'vm1': its record is larger than 1 MiB; the lab was left as it was\n",
    )
    assert (labs / "class1.lab").read_bytes() == before


def test_replay_refuses_a_delete_that_fails_stops_short_or_claims_another_end(labs: Path, tmp_path: Path) -> None:
    assert run("lab", "create", "class1").exit_code == ExitCode.OK
    boot("class1", "vm1")
    saved = json.loads(run("delete", "vm1", "--lab", "class1", "-f", "json").stdout)
    failed = json.loads(json.dumps(saved))
    failed["steps"][2]["status"] = "failed"
    short = {**saved, "steps": saved["steps"][:5]}
    gone = {**saved, "servers": [{**saved["servers"][0], "status": "ACTIVE"}]}
    forged = tmp_path / "forged.json"
    for document, line in (
        (failed, "a delete's step ends ok or skipped, not 'failed' at steps[2].status"),
        ({**saved, "outcome": "ACTIVE"}, "a delete's walk ends DELETED, not 'ACTIVE' at outcome"),
        (short, "the trace stops after step 5 of 7 but says DELETED"),
        (gone, "the trace says DELETED but the server is ACTIVE at servers[0]"),
        ({**saved, "scenario": {"name": "spawn-failed", "lesson": "x"}}, "a delete's walk has no scenario at scenario"),
    ):
        forged.write_text(json.dumps(document))
        refused = run("replay", str(forged))
        assert (refused.exit_code, refused.stderr) == (
            ExitCode.ERROR,
            f"Error: {forged}: not a bootwalk trace: {line}\n",
        ), line
