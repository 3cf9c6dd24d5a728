"""Presenting a walk: the renderer for the format, the classroom around it, the exports, the exit code."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from bootwalk.cli.exports import write_export
from bootwalk.exit_codes import ExitCode


def present(
    produce: Callable[[Callable[[Any], None]], Any],
    output_format: str,
    detail: Any,
    exports: dict[str, Any],
    title: str,
    flow: str = "classic",
    header: tuple[str, ...] = (),
) -> int:
    """Render a walk as it is produced, write the exports, and return the walk's exit code.

    ``produce`` takes the renderer's per-step callback and returns the trace.
    """
    from bootwalk.flows import get_flow
    from bootwalk.render import OutputFormat, make_renderer

    total_steps = len(get_flow(flow).steps)

    table_only = {
        "--timeline": exports["timeline"],
        "--export-svg": exports["export_svg"],
        "--export-html": exports["export_html"],
        "--step": exports["step_mode"],
        "--delay": exports["delay"],
        "--quiz": exports["quiz"],
    }
    if output_format != "table":
        for option, value in table_only.items():
            if value:
                raise click.UsageError(f"{option} works on the table output; leave out -f {output_format}")
    record = bool(exports["export_svg"] or exports["export_html"])
    renderer = make_renderer(
        OutputFormat(output_format),
        sys.stdout,
        detail=detail,
        timeline=exports["timeline"],
        record=record,
        total_steps=total_steps,
        header=header,
    )
    if exports["step_mode"] or exports["quiz"] or exports["delay"]:
        from bootwalk.render.interactive import ClassroomRenderer, StopWalk, keys_for

        classroom = ClassroomRenderer(
            renderer,  # type: ignore[arg-type]
            keys_for(sys.stdin),
            sys.stderr,
            step=exports["step_mode"],
            quiz=exports["quiz"],
            delay=exports["delay"],
            total_steps=total_steps,
        )
        renderer = classroom
        try:
            trace = produce(renderer.on_step)
        except StopWalk as stop:
            classroom.stopped(stop)
            return ExitCode.OK
    else:
        trace = produce(renderer.on_step)
    renderer.finish(trace)
    if exports["export_svg"]:
        write_export(exports["export_svg"], renderer.export_svg(title))  # type: ignore[attr-defined]
    if exports["export_html"]:
        write_export(exports["export_html"], renderer.export_html())  # type: ignore[attr-defined]
    if exports["export_trace"]:
        import json

        from bootwalk.render.trace_events import trace_events

        document = json.dumps(trace_events(trace), indent=1, ensure_ascii=False, allow_nan=False)
        write_export(exports["export_trace"], document + "\n")
    return conclude(trace)


def conclude(trace: Any) -> int:
    """After a walk or a replay: nova's error line on stderr, and the exit code of the outcome."""
    line = trace.error_line()
    if line is not None:
        click.echo(line, err=True)
    return ExitCode.OK if trace.outcome.value == "ACTIVE" else ExitCode.ERROR
