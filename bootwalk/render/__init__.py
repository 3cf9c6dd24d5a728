"""Renderers turn a trace into output. One interface, chosen by an enum.

Importing this package imports neither rich nor json's heavy users: each
renderer module is imported only when its format is chosen.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, NoReturn, Protocol, TextIO

if TYPE_CHECKING:
    from bootwalk.trace import StepRecord, Trace


class OutputFormat(str, Enum):
    """The output formats ``-f/--format`` accepts."""

    TABLE = "table"
    JSON = "json"
    MERMAID = "mermaid"
    MARKDOWN = "markdown"


class Detail(str, Enum):
    """How much the table renderer shows: ``-q``, the default, or ``-v``."""

    QUIET = "quiet"
    NORMAL = "normal"
    VERBOSE = "verbose"


class Renderer(Protocol):
    """Prints a walk: each step as it happens, then the end."""

    def on_step(self, record: StepRecord) -> None:
        """Print one step as soon as the engine records it."""
        ...

    def finish(self, trace: Trace) -> None:
        """Print what comes after the last step."""
        ...


def assert_never(value: NoReturn) -> NoReturn:
    """Fail type-checking when a match over an enum forgets a member."""
    raise AssertionError(f"unhandled value: {value!r}")


def make_renderer(
    output_format: OutputFormat,
    out: TextIO,
    width: int | None = None,
    detail: Detail = Detail.NORMAL,
    timeline: bool = False,
    record: bool = False,
    total_steps: int = 12,
    header: tuple[str, ...] = (),
) -> Renderer:
    """Build the renderer for a format, writing to ``out``.

    ``detail``, ``timeline``, ``record`` (keep what is printed, for the SVG
    and HTML exports) and ``header`` (lines printed once, first) matter to
    tables only.
    """
    if output_format is OutputFormat.TABLE:
        from bootwalk.render.table import TableRenderer

        return TableRenderer(
            out, width=width, detail=detail, timeline=timeline, record=record, total_steps=total_steps, header=header
        )
    if output_format is OutputFormat.JSON:
        from bootwalk.render.json_renderer import JsonRenderer

        return JsonRenderer(out)
    if output_format is OutputFormat.MERMAID:
        from bootwalk.render.diagram import MermaidRenderer

        return MermaidRenderer(out)
    if output_format is OutputFormat.MARKDOWN:
        from bootwalk.render.diagram import MarkdownRenderer

        return MarkdownRenderer(out)
    assert_never(output_format)
