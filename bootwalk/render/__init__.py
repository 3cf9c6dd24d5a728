"""Renderers turn a trace into output. One interface, chosen by an enum.

Importing this package imports neither rich nor json's heavy users: each
renderer module is imported only when its format is chosen.
"""

from __future__ import annotations

from typing import TextIO

from bootwalk.render.interface import Detail, Level, OutputFormat, Renderer, assert_never

__all__ = ["Detail", "Level", "OutputFormat", "Renderer", "assert_never", "make_renderer"]


def make_renderer(
    output_format: OutputFormat,
    out: TextIO,
    width: int | None = None,
    detail: Detail = Detail.NORMAL,
    timeline: bool = False,
    record: bool = False,
    total_steps: int = 12,
    header: tuple[str, ...] = (),
    level: Level = Level.OPERATOR,
    show_server: bool = False,
    theme: str = "dark",
    slide: bool = False,
) -> Renderer:
    """Build the renderer for a format, writing to ``out``.

    ``detail``, ``timeline``, ``record`` (keep what is printed, for the SVG
    and HTML exports), ``header`` (lines printed once, first), ``level`` and
    ``show_server`` (the show command's full table) matter to tables only.
    """
    if output_format is OutputFormat.TABLE:
        from bootwalk.render.table import TableRenderer

        return TableRenderer(
            out,
            width=width,
            detail=detail,
            timeline=timeline,
            record=record,
            total_steps=total_steps,
            header=header,
            level=level,
            show_server=show_server,
            theme=theme,
            slide=slide,
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
