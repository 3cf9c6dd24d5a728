"""Text exports for slides and notes: a Mermaid sequence diagram and a Markdown table.

Both are plain text built from the trace, printed whole when the walk ends;
neither needs rich.
"""

from __future__ import annotations

from typing import TextIO

from bootwalk.render.glyphs import drawable
from bootwalk.trace import Handoff, Kind, Service, StepRecord, Trace


def participant_id(service: Service) -> str:
    """A Mermaid-safe identifier for a service: ``nova-api`` → ``nova_api``."""
    return service.value.replace("-", "_").replace(" ", "_")


def _message(text: str) -> str:
    """Text Mermaid shows as it is: no ``;`` (a statement separator) or ``#`` (an entity)."""
    return text.replace(";", ",").replace("#", "no. ").replace("\n", " ")


def is_reply(handoff: Handoff) -> bool:
    """An answer to an earlier request: an HTTP status line, an RPC reply, a libvirt error."""
    return handoff.kind.is_reply


def arrow(handoff: Handoff) -> str:
    """Mermaid's arrow: dotted for a reply, open-ended (async) for a cast, solid otherwise."""
    if is_reply(handoff):
        return "-->>"
    if handoff.kind is Kind.RPC_CAST:
        return "-)"
    return "->>"


def mermaid(trace: Trace) -> str:
    """The walk as a Mermaid ``sequenceDiagram``: one participant per service, one arrow per handoff."""
    used = (
        {h.source for step in trace.steps for h in step.handoffs}
        | {h.target for step in trace.steps for h in step.handoffs}
        | {step.service for step in trace.steps}
    )
    lines = ["sequenceDiagram"]
    for service in Service:
        if service in used:
            lines.append(f"    participant {participant_id(service)} as {service.value}")
    for step in trace.steps:
        attempt = f" (attempt {step.attempt})" if step.attempt > 1 else ""
        anchor = participant_id(step.handoffs[0].source if step.handoffs else step.service)
        lines.append(f"    Note over {anchor}: Step {step.number}{attempt}: {_message(step.name)}, {step.status.value}")
        for handoff in step.handoffs:
            label = _message(f"{handoff.call}{' (story)' if handoff.simplified else ''}: {handoff.summary}")
            lines.append(
                f"    {participant_id(handoff.source)}{arrow(handoff)}{participant_id(handoff.target)}: {label}"
            )
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(trace: Trace) -> str:
    """The walk as a Markdown table, one row per step that ran, then how it ended."""
    lines = [
        f"# bootwalk: {_cell(str(trace.request.get('name', '')))}",
        "",
        "| # | Step | Service | Status | Handoffs | State after |",
        "|---|---|---|---|---|---|",
    ]
    for step in trace.steps:
        number = f"{step.number}" + (f" (attempt {step.attempt})" if step.attempt > 1 else "")
        handoffs = "<br>".join(_cell(f"{h.source.value} → {h.target.value}: {h.call}") for h in step.handoffs)
        state = step.state.describe() if step.state else "no instance yet"
        lines.append(
            f"| {number} | {_cell(step.title)} | {step.service.value} | {step.status.value} | {handoffs or '-'} "
            f"| {state} |"
        )
    lines.append("")
    lines.append(f"Outcome: **{trace.outcome.value}**" + (f". {_cell(trace.surfaces)}" if trace.surfaces else ""))
    return "\n".join(lines) + "\n"


class MermaidRenderer:
    """Prints the Mermaid diagram when the walk ends."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def on_step(self, record: StepRecord) -> None:
        """The diagram is printed whole at the end."""

    def finish(self, trace: Trace) -> None:
        """Print the diagram."""
        self.out.write(drawable(mermaid(trace), self.out))


class MarkdownRenderer:
    """Prints the Markdown table when the walk ends."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def on_step(self, record: StepRecord) -> None:
        """The table is printed whole at the end."""

    def finish(self, trace: Trace) -> None:
        """Print the table."""
        self.out.write(drawable(markdown(trace), self.out))
