"""Walk a flow by name: the engine takes a Flow object, the tests name the flow they mean."""

from __future__ import annotations

from typing import Any

from bootwalk import engine
from bootwalk.engine import ResolvedRequest
from bootwalk.flows import get_flow
from bootwalk.model import Catalog
from bootwalk.trace import Trace


def walk(resolved: ResolvedRequest, catalog: Catalog, flow: str = "classic", **options: Any) -> Trace:
    """``bootwalk.engine.walk`` with the flow named, the classic one unless told."""
    return engine.walk(resolved, catalog, get_flow(flow), **options)
