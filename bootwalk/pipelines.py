"""The two flows bootwalk can walk, and where a reschedule goes back to in each."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bootwalk.engine import Step

#: The flows ``--flow`` takes; classic is the default, the story most learners start from.
FLOWS = ("classic", "modern")


def pipeline(flow: str) -> tuple[tuple[Step, ...], str]:
    """A flow's steps, in order, and the name of the step a reschedule goes back to."""
    if flow == "classic":
        from bootwalk.steps import CLASSIC_PIPELINE

        return CLASSIC_PIPELINE, "schedule"
    if flow == "modern":
        from bootwalk.modern import MODERN_PIPELINE

        return MODERN_PIPELINE, "conductor-build"
    raise ValueError(f"unknown flow {flow!r}; flows: {', '.join(FLOWS)}")
