"""A lab as the other commands use it: its cloud to read, its flow, and a boot walked and kept in it.

Split from the ``lab`` commands (:mod:`bootwalk.cli.labs`) so that the
shared options can reach it without the commands.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bootwalk.cli.errors import OperationalError
from bootwalk.lab.store import Lab, LabError, open_lab
from bootwalk.model import Catalog
from bootwalk.trace import Trace

#: How each client says a server name matches none, or several: novaclient's ``find_resource`` and
#: openstacksdk's ``find`` (which ``openstack server show`` uses).
NOT_FOUND = {"nova": "No server with a name or ID of '{}' exists.", "openstack": "No Server found for {}"}
AMBIGUOUS = {
    "nova": "Multiple server matches found for '{}', use an ID to be more specific.",
    "openstack": "More than one Server exists with the name '{}'.",
}


def find_server(servers: list[dict[str, Any]], name_or_id: str, client: str = "nova") -> dict[str, Any]:
    """The server by ID, then by name, as the client finds it; none or several of that name is an error (exit 1)."""
    for server in servers:
        if server["id"] == name_or_id:
            return server
    named = [server for server in servers if server["name"] == name_or_id]
    if len(named) > 1:
        raise OperationalError(AMBIGUOUS[client].format(name_or_id))
    if not named:
        raise OperationalError(NOT_FOUND[client].format(name_or_id))
    return named[0]


def catalog_of(lab: Lab, kind: str = "current") -> Catalog:
    """The lab's cloud (``current``, or ``seed`` as it was created), validated as a catalog directory is."""
    from bootwalk.catalog import CatalogError, catalog_from_documents

    try:
        return catalog_from_documents(lab.documents(kind), Path(f"lab {lab.name}"))
    except CatalogError as error:
        raise LabError(f"{error} (lab {lab.name} is damaged: delete it, bootwalk lab delete {lab.name})") from None


def documents_to_keep(lab: Lab, catalog: Catalog) -> dict[str, Any]:
    """The cloud a command leaves, as the lab stores it, checked as it will be read back (a lab edited by hand
    may hold figures a boot or delete turns bad): the command is refused rather than leave a damaged lab."""
    from bootwalk.catalog import CatalogError, catalog_documents, catalog_from_documents

    documents = catalog_documents(catalog)
    try:
        catalog_from_documents(documents, Path(f"lab {lab.name}"))
    except CatalogError as error:
        raise LabError(f"{error}; the command would leave lab {lab.name} so, and was not kept") from None
    return documents


def lab_catalog(name: str) -> Catalog:
    """The lab's cloud as its last command left it."""
    try:
        with open_lab(name) as lab:
            return catalog_of(lab)
    except LabError as error:
        raise OperationalError(str(error)) from None


def lab_flow(name: str) -> str:
    """The flow the lab was made for."""
    try:
        with open_lab(name) as lab:
            return lab.flow()
    except LabError as error:
        raise OperationalError(str(error)) from None


#: How long after one command's walk a lab's next one starts, on the lab's clock: a class types one a minute.
BETWEEN_COMMANDS_MS = 60_000


def _clock_after(start: int, trace: Trace) -> int:
    """The lab's clock once this walk is done, and the minute before the next command has passed."""
    from bootwalk.timing import total_ms

    return start + round(total_ms(trace)) + BETWEEN_COMMANDS_MS


def boot_in_lab(name: str, walk: Callable[[Catalog, int, float], tuple[Any, Trace]]) -> tuple[Any, Trace, int]:
    """Walk a boot in the lab and keep what it made, in one transaction.

    Return the resolved request and the trace to show, and which of the
    lab's boots this was (1 for the first).

    ``walk`` gets the lab's cloud, the seed of this boot and where the lab's
    clock stands, and returns the resolved request and the trace. The seed
    is the lab's, moved on by the boots before, so that the same commands
    give the same lab, IDs included; the clock moves on by each walk and a
    minute, so that each server has its own times.
    """
    from bootwalk.lab.record import record_boot

    try:
        with open_lab(name, write=True) as lab:
            catalog = catalog_of(lab)
            lab.servers()  # the whole lab is checked before anything is written into it
            boots = lab.number("boots")
            seed = lab.number("seed") + boots
            start = lab.clock()
            resolved, trace = walk(catalog, seed, start)
            after, servers = record_boot(catalog, resolved, trace, seed, start)
            lab.set_documents(documents_to_keep(lab, after))
            for server in servers:
                lab.add_server(server)
            lab.set_meta("boots", boots + 1)
            lab.set_meta("clock", _clock_after(start, trace))
    except LabError as error:
        raise OperationalError(str(error)) from None
    return resolved, trace, boots + 1


def delete_in_lab(name: str, typed: tuple[str, ...], dialect: str) -> tuple[list[Trace], list[tuple[str, str]]]:
    """Walk the delete of each server named, and give back what it held, all in one transaction.

    Return the walks, in the order asked, and each name that found no
    server (or several) with the client's own error text; the others are
    deleted all the same, as ``nova delete`` goes on to the next name.
    """
    from bootwalk.engine.deletion import walk_delete
    from bootwalk.flows import get_flow
    from bootwalk.lab.record import NotDeletable, delete_action, doomed, record_delete

    traces: list[Trace] = []
    failures: list[tuple[str, str]] = []
    try:
        with open_lab(name, write=True) as lab:
            catalog = catalog_of(lab)
            servers = lab.servers()
            flow = get_flow(lab.flow())
            seed = lab.number("seed") + lab.number("boots")
            facts = flow.facts
            for asked in typed:
                try:
                    record = find_server(servers, asked, client=dialect)
                except OperationalError as error:
                    failures.append((asked, error.message))
                    continue
                try:
                    server = doomed(record, catalog, asked)
                except NotDeletable as error:
                    raise lab.damaged(f"server {record['name']} cannot be deleted: {error}") from None
                start = lab.clock()
                trace = walk_delete(server, catalog, flow, seed=seed, dialect=dialect, start_ms=start)
                lab.set_meta("clock", _clock_after(start, trace))
                cleans_up = server.host is not None or facts.default("hostless_delete_cleans_up")
                catalog = record_delete(
                    catalog, server, frees_user_ports=facts.default("delete_frees_user_ports"), cleans_up=cleans_up
                )
                action = delete_action(trace, server, start)
                actions = [*record.get("actions", []), *([action] if action is not None else [])]
                lab.mark_deleted({**record, "actions": actions})
                servers = [kept for kept in servers if kept["id"] != server.uuid]
                traces.append(trace)
            lab.set_documents(documents_to_keep(lab, catalog))
    except LabError as error:
        raise OperationalError(str(error)) from None
    return traces, failures
