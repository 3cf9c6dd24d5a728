"""What every dialect is: one client's way of asking for a boot.

A dialect turns its own options (a typed record, never click's keyword
arguments) into a :class:`~bootwalk.request.BootRequest`, or raises
:class:`~bootwalk.request.RequestError` naming the option at fault, and it
writes a request back as its own command line. Nothing here imports click or
rich.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from bootwalk.model import Catalog
    from bootwalk.request import BootRequest


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
