"""``bootwalk list`` and ``bootwalk show``: a lab's servers, as ``nova list`` and ``nova show`` print them.

They read a lab (``--lab NAME`` or BOOTWALK_LAB); without one there are no
servers to list, since a walk without a lab keeps nothing.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from bootwalk.cli.app import BootwalkCommand
from bootwalk.cli.errors import OperationalError
from bootwalk.cli.lab_access import NOT_FOUND, find_server
from bootwalk.cli.options import chosen_lab, format_option, lab_option, long_option
from bootwalk.exit_codes import ExitCode
from bootwalk.lab.store import LabError, open_lab

#: novaclient's names for the power states nova keeps as numbers (``_translate_extended_states``).
POWER_STATES = ("NOSTATE", "Running", "", "Paused", "Shutdown", "", "Crashed", "Suspended")


def needs_lab(command: str, verb: str = "shows") -> str:
    """The lab the command works in; a usage error when it was given none."""
    lab = chosen_lab()
    if lab is None:
        refused = click.UsageError(
            f"{command} {verb} a lab's servers, and a walk without a lab keeps none: give --lab NAME or set "
            "BOOTWALK_LAB"
        )
        refused.hint = " (see 'bootwalk lab create')"  # type: ignore[attr-defined]
        raise refused
    return lab


def lab_servers(command: str) -> list[dict[str, Any]]:
    """The servers of the lab the command works in; a usage error when it was given none."""
    lab = needs_lab(command)
    try:
        with open_lab(lab) as opened:
            return opened.servers()
    except LabError as error:
        raise OperationalError(str(error)) from None


def networks_text(networks: dict[str, list[str]]) -> str:
    """novaclient's ``format_servers_list_networks``: ``private=10.0.2.31; public=...``."""
    return "; ".join(f"{name}={', '.join(addresses)}" for name, addresses in networks.items() if addresses)


def list_record(server: dict[str, Any]) -> dict[str, Any]:
    """One server as ``list -f json`` gives it."""
    return {
        "id": server["id"],
        "name": server["name"],
        "status": server["status"],
        "task_state": server.get("task_state"),
        "power_state": server.get("power_state"),
        "networks": server.get("networks") or {},
        "host": server.get("host"),
        "flavor": server["flavor"],
        "image": server.get("image"),
        "instance_name": server["instance_name"],
        "cell": server.get("cell"),
        "fault": server.get("fault"),
        "allocations": server.get("allocations"),
    }


@click.command("list", cls=BootwalkCommand)
@format_option
@long_option
@lab_option
def list_servers(output_format: str, long_ids: bool) -> int:
    """List the lab's servers, like nova list: ID, name, status, task and power state, networks."""
    servers = sorted(lab_servers("list"), key=lambda server: server["name"])  # nova list sorts by Name
    if output_format == "json":
        click.echo(json.dumps([list_record(server) for server in servers], indent=2, allow_nan=False))
        return ExitCode.OK
    from bootwalk.listing import Listing, short_id
    from bootwalk.render.listing_table import print_listing

    rows: list[tuple[str, ...]] = []
    for server in servers:
        power = server.get("power_state")
        rows.append((
            short_id(server["id"], long_ids),
            server["name"],
            server["status"],
            server.get("task_state") or "-",
            POWER_STATES[power] if isinstance(power, int) and 0 <= power < len(POWER_STATES) else "N/A",
            networks_text(server.get("networks") or {}),
        ))  # fmt: skip
    columns = ("ID", "Name", "Status", "Task State", "Power State", "Networks")
    print_listing(sys.stdout, Listing("Servers", columns, rows), whole=long_ids)
    return ExitCode.OK


#: The command that shows a server in each dialect, as bootwalk spells it, and the headings of its table.
SHOW = {"nova": ("show", ("Property", "Value")), "openstack": ("server show", ("Field", "Value"))}


def show_server(name_or_id: str, output_format: str, dialect_name: str) -> int:
    """``show`` and ``server show``: one server of the lab, as the dialect's show command prints it."""
    from bootwalk.dialects import dialect_named

    dialect = dialect_named(dialect_name)
    command, headings = SHOW[dialect_name]
    found = find_server(lab_servers(command), name_or_id, client=dialect_name)
    view = found.get("view")
    if output_format == "json":
        click.echo(json.dumps(view if view is not None else list_record(found), indent=2, allow_nan=False))
        return ExitCode.OK
    from bootwalk.listing import Listing
    from bootwalk.render.listing_table import print_listing

    rows: list[tuple[str, ...]]
    if view is not None:
        rows, caption = list(dialect.show_table(view, found.get("request") or {}).rows), ""
    else:  # one of several a boot made: the lab keeps its summary
        rows = [(key, json.dumps(value, allow_nan=False) if isinstance(value, (dict, list)) else str(value))
                for key, value in list_record(found).items() if value is not None]  # fmt: skip
        caption = "The lab keeps the whole record for the server a walk follows; this one's summary."
    print_listing(sys.stdout, Listing(f"{dialect.show_command} {found['name']}", headings, rows, caption))
    return ExitCode.OK


@click.command("show", cls=BootwalkCommand)
@click.argument("server", metavar="NAME|ID")
@format_option
@lab_option
def show(server: str, output_format: str) -> int:
    """Show one of the lab's servers, like nova show."""
    return show_server(server, output_format, "nova")


def server_actions(typed: str, dialect: str, command: str) -> tuple[dict[str, Any], dict[str, Any]] | str:
    """The server the client finds, and the shape of its release's actions; else the client's error line.

    A deleted server is found by its ID where the release lists a deleted
    server's actions (today's nova, from 2.21: novaclient then sends the ID
    it was given as it is; nova answers 404 for anything else).
    """
    from bootwalk.flows import get_flow

    lab = needs_lab(command)
    try:
        with open_lab(lab) as opened:
            everything, shape = opened.all_servers(), get_flow(opened.flow()).facts.default("instance_actions")
    except LabError as error:
        raise OperationalError(str(error)) from None
    live = [server for server in everything if not server.get("deleted")]
    try:
        return find_server(live, typed, client=dialect), shape
    except OperationalError as refused:
        if not shape["deleted_visible"] or "Multiple" in refused.message or "More than one" in refused.message:
            raise
    gone = [server for server in everything if server["id"] == typed]
    if gone:
        return gone[0], shape
    if dialect == "openstack":  # openstacksdk's line, as server show gives it
        raise OperationalError(NOT_FOUND["openstack"].format(typed))
    return f"ERROR (NotFound): Instance {typed} could not be found. (HTTP 404)"


def action_record(action: dict[str, Any], shape: dict[str, Any]) -> dict[str, Any]:
    """One action as ``-f json`` gives it: nova's fields (``updated_at`` where the release has it) and its events."""
    record = {key: action.get(key) for key in ("action", "request_id", "message", "start_time")}
    if shape["updated_at"]:
        record["updated_at"] = action.get("updated_at")
    record["events"] = action.get("events", [])
    return record


def action_cells(action: dict[str, Any], key: str, long_ids: bool) -> str:
    """One cell of an action's row: a request ID cut as IDs are, a time to the second on the listing's day.

    Whole (``--long``) as nova gives them: ``req-…`` and ``2026-01-01T12:00:00.000000``.
    """
    from bootwalk.listing import short_id

    value = action.get(key)
    if value is None:
        return "-"
    text = str(value)
    if long_ids:
        return text
    if key == "request_id":
        return short_id(text.removeprefix("req-"), False).join(("req-", "")) if text.startswith("req-") else text
    if key in ("start_time", "updated_at"):
        return text.partition("T")[2].partition(".")[0] or text
    return text


def day_caption(actions: list[dict[str, Any]], long_ids: bool) -> str:
    """The day the times are on, when the table shows them to the second (nova gives the whole timestamp)."""
    days = sorted({str(action.get("start_time", "")).partition("T")[0] for action in actions})
    if long_ids or not days:
        return ""
    return f"Times are on {', '.join(days)}, UTC; --long shows them whole, as nova gives them."


def list_actions(typed: str, dialect: str, output_format: str, long_ids: bool) -> int:
    """``instance-action-list`` and ``server event list``: a server's actions, in each client's order and columns.

    novaclient sorts by Start_Time (oldest first) and shows Message (and
    Updated_At from 2.58); python-openstackclient keeps nova's order (newest
    first) with the request and server IDs.
    """
    from bootwalk.cli import streams
    from bootwalk.listing import short_id

    command = "instance-action-list" if dialect == "nova" else "server event list"
    found = server_actions(typed, dialect, command)
    if isinstance(found, str):
        streams.say(found)
        return ExitCode.ERROR
    record, shape = found
    kept = record.get("actions", [])
    actions = sorted(kept, key=lambda action: action["start_time"]) if dialect == "nova" else list(reversed(kept))
    if output_format == "json":
        click.echo(json.dumps([action_record(action, shape) for action in actions], indent=2, allow_nan=False))
        return ExitCode.OK
    from bootwalk.listing import Listing
    from bootwalk.render.listing_table import print_listing

    rows: list[tuple[str, ...]]
    if dialect == "nova":
        keys = ("action", "request_id", "message", "start_time", *(("updated_at",) if shape["updated_at"] else ()))
        columns = ("Action", "Request_ID", "Message", "Start_Time", "Updated_At")[: len(keys)]
        rows = [tuple(action_cells(action, key, long_ids) for key in keys) for action in actions]
    else:
        columns = ("Request ID", "Server ID", "Action", "Start Time")
        server_id = short_id(record["id"], long_ids)
        rows = [(action_cells(action, "request_id", long_ids), server_id, str(action["action"]),
                 action_cells(action, "start_time", long_ids)) for action in actions]  # fmt: skip
    notes = [day_caption(actions, long_ids)]
    if record.get("deleted"):
        notes.append(f"{record['name']} is deleted; nova keeps its actions.")
    caption = " ".join(note for note in notes if note)
    print_listing(sys.stdout, Listing(f"Actions of {record['name']}", columns, rows, caption), whole=long_ids)
    return ExitCode.OK


@click.command("instance-action-list", cls=BootwalkCommand)
@click.argument("server", metavar="NAME|ID")
@format_option
@long_option
@lab_option
def instance_action_list(server: str, output_format: str, long_ids: bool) -> int:
    """List a lab server's actions, like nova instance-action-list (a deleted one's by ID, today's nova)."""
    return list_actions(server, "nova", output_format, long_ids)
