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


def catalog_of(lab: Lab, kind: str = "current") -> Catalog:
    """The lab's cloud (``current``, or ``seed`` as it was created), validated as a catalog directory is."""
    from bootwalk.catalog import CatalogError, catalog_from_documents

    try:
        return catalog_from_documents(lab.documents(kind), Path(f"lab {lab.name}"))
    except CatalogError as error:
        raise LabError(f"{error} (lab {lab.name} is damaged: delete it, bootwalk lab delete {lab.name})") from None


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


def boot_in_lab(name: str, walk: Callable[[Catalog, int], tuple[Any, Trace]]) -> tuple[Any, Trace, int]:
    """Walk a boot in the lab and keep what it made, in one transaction.

    Return the resolved request and the trace to show, and which of the
    lab's boots this was (1 for the first).

    ``walk`` gets the lab's cloud and the seed of this boot, and returns the
    resolved request and the trace. The seed is the lab's, moved on by the
    boots before, so that the same commands give the same lab, IDs included.
    """
    from bootwalk.catalog import catalog_documents
    from bootwalk.lab.record import record_boot

    try:
        with open_lab(name, write=True) as lab:
            catalog = catalog_of(lab)
            lab.servers()  # the whole lab is checked before anything is written into it
            boots = lab.number("boots")
            seed = lab.number("seed") + boots
            resolved, trace = walk(catalog, seed)
            after, servers = record_boot(catalog, resolved, trace, seed)
            lab.set_documents(catalog_documents(after))
            for server in servers:
                lab.add_server(server)
            lab.set_meta("boots", boots + 1)
    except LabError as error:
        raise OperationalError(str(error)) from None
    return resolved, trace, boots + 1
