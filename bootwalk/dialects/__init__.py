"""The command-line dialects of a boot, behind one interface, and their registry.

A dialect is one client's way of asking for a boot (see
:class:`~bootwalk.dialects.interface.Dialect`): ``nova boot``
(:mod:`~bootwalk.dialects.nova`) and ``openstack server create``
(:mod:`~bootwalk.dialects.openstack`). Each builds the same
:class:`~bootwalk.request.BootRequest`, so a walk can show the command in the
dialect the user did not type. Which flags need a compute API microversion is
kept in one table, :mod:`~bootwalk.dialects.microversions`.

Adding a dialect is one module and one line in :data:`DIALECTS`. Nothing in
this package imports click or rich.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bootwalk.dialects.interface import Dialect, ShowTable
from bootwalk.dialects.microversions import microversion_needs
from bootwalk.dialects.nova import NOVA, nova_command
from bootwalk.dialects.openstack import OPENSTACK, openstack_command

__all__ = [
    "DIALECTS",
    "Dialect",
    "ShowTable",
    "dialect_named",
    "header_lines",
    "microversion_needs",
    "nova_command",
    "openstack_command",
    "release_line",
]

#: Every dialect, by the name a trace records in ``request.dialect``.
DIALECTS: Mapping[str, Dialect[Any]] = {NOVA.name: NOVA, OPENSTACK.name: OPENSTACK}


def dialect_named(name: str | None) -> Dialect[Any]:
    """The dialect a trace's request names; a trace saved before dialects were recorded is nova's."""
    return DIALECTS[name or NOVA.name]


def release_line(release: str, summary: Mapping[str, Any]) -> str:
    """The walk's first line: the nova release the flow shows, and the client that talks to it."""
    client = dialect_named(summary.get("dialect")).command.split()[0]
    return f"Release: {release}, called by today's {client} client"


def header_lines(summary: Mapping[str, Any]) -> list[str]:
    """What a walk prints once, first: the command in the other dialect, and the microversions it needs."""
    dialect = summary.get("dialect", NOVA.name)
    commands = summary.get("commands") or {}
    lines = [f"In the other dialect: {commands[other]}" for other in DIALECTS if other != dialect and other in commands]
    missing = summary.get("no_openstack_flag") or []
    if dialect == NOVA.name and missing:
        lines.append(f"({OPENSTACK.command} has no flag for {', '.join(missing)})")
    needs = summary.get("microversions") or []
    if needs:
        lines.append("Needs a compute API microversion: " + "; ".join(needs))
    return lines
