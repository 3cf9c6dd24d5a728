"""What every dialect is: one client's way of asking for a boot, and of showing how it went.

A dialect turns its own options (a typed record, never click's keyword
arguments) into a :class:`~bootwalk.request.BootRequest`, or raises
:class:`~bootwalk.request.RequestError` naming the option at fault. It writes
a request back as its own command line, and it knows the words its client
ends a boot with: the show command's table and the line a failed boot leaves.
Nothing here imports click or rich.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

if TYPE_CHECKING:
    from bootwalk.model import Catalog
    from bootwalk.request import BootRequest


class ShowTable(NamedTuple):
    """The show command's table: its two column headings and its rows, in the client's order."""

    headings: tuple[str, str]
    rows: list[tuple[str, str]]


#: A dialect's own options record.
OptionsT_contra = TypeVar("OptionsT_contra", contravariant=True)


class Dialect(Protocol[OptionsT_contra]):
    """One command-line dialect of a boot, such as ``nova boot`` or ``openstack server create``."""

    @property
    def name(self) -> str:
        """The registry's name for it, and the trace's ``request.dialect``: ``nova``, ``openstack``."""
        ...

    @property
    def command(self) -> str:
        """The client's command that boots: ``nova boot``."""
        ...

    @property
    def show_command(self) -> str:
        """The client's command that shows a server: ``nova show``."""
        ...

    @property
    def list_command(self) -> str:
        """The client's command that lists servers: ``nova list``."""
        ...

    @property
    def walk_command(self) -> str:
        """bootwalk's own subcommand that takes this dialect: ``boot``, ``server create``."""
        ...

    @property
    def volume_flags(self) -> str:
        """How to ask for a volume in this dialect, for a scenario that needs one to attach."""
        ...

    def build(self, options: OptionsT_contra, catalog: Catalog) -> BootRequest:
        """The request these options ask for, with the client's checks; RequestError names the option at fault."""
        ...

    def format_command(self, request: BootRequest) -> str:
        """The request as this dialect's command line, which builds the same request again."""
        ...

    def show_table(self, server: Mapping[str, Any], request: Mapping[str, Any]) -> ShowTable:
        """The server at the end of the walk as the show command prints it; ``request`` is the trace's summary."""
        ...

    def wait_lines(self, active: bool) -> str:
        """What the client prints while it waits for the build (``--poll``, ``--wait``); may be empty."""
        ...

    def wait_failure_line(self, name: str) -> str:
        """The error the waiting client ends on when the server went to ERROR."""
        ...
