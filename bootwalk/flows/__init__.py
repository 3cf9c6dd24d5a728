"""The flows bootwalk can walk, by name: one package per flow, one line per flow here.

A flow package (``bootwalk.flows.classic``, ``bootwalk.flows.modern``) holds
its steps, split by service, and exposes ``FLOW``, a
:class:`~bootwalk.engine.state.Flow`. Every list of flow names (``--flow``'s
choices, replay's check, the reference commands) comes from
:data:`REGISTRY`; a flow is imported only when it is walked.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bootwalk.engine.state import Flow

#: Each flow's name and the package that holds it. Adding a flow: one package and one line.
REGISTRY: dict[str, str] = {
    "classic": "bootwalk.flows.classic",
    "modern": "bootwalk.flows.modern",
}

#: The flow a walk takes unless told otherwise: the story most learners start from.
DEFAULT_FLOW = "classic"


def flow_names() -> tuple[str, ...]:
    """The names ``--flow`` takes, in the registry's order."""
    return tuple(REGISTRY)


def get_flow(name: str) -> Flow:
    """The flow registered under this name; ``KeyError`` for a name not in the registry."""
    flow: Flow = import_module(REGISTRY[name]).FLOW
    return flow
