"""Presenting a walk: the renderer for the format, the classroom around it, the exports, the exit code."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import click

from bootwalk.cli import streams
from bootwalk.cli.exports import write_export
from bootwalk.exit_codes import ExitCode
from bootwalk.records import dataclass
from bootwalk.render.interface import Presentation

if TYPE_CHECKING:
    from bootwalk.render.trace_events import Recorded
    from bootwalk.trace import StepRecord


@dataclass(frozen=True)
class StepsShown:
    """The part of a walk that was shown before ``q`` stopped it: what its exports hold."""

    #: The request, as the JSON trace records it.
    request: Mapping[str, Any]
    #: The steps printed, in order.
    steps: tuple[StepRecord, ...]


def present(
    produce: Callable[[Callable[[Any], None]], Any],
    output_format: str,
    detail: Presentation,
    exports: dict[str, Any],
    title: str,
    flow: str,
    request: Mapping[str, Any],
) -> int:
    """Render a walk as it is produced, write the exports, and return the walk's exit code.

    ``produce`` takes the renderer's per-step callback and returns the trace;
    ``request`` is the request as the trace records it, for the lines
    printed first and for the exports of a walk stopped with ``q``.
    """
    from bootwalk.dialects import header_lines, release_line
    from bootwalk.flows import get_flow
    from bootwalk.render import OutputFormat, make_renderer

    walked = get_flow(flow)
    total_steps = len(walked.delete_steps if request.get("action") == "delete" else walked.steps)

    table_only = {
        "--timeline": exports["timeline"],
        "--export-svg": exports["export_svg"],
        "--export-html": exports["export_html"],
        "--slide": exports["slide"],
        "--step": exports["step_mode"],
        "--delay": exports["delay"],
        "--quiz": exports["quiz"],
    }
    if exports["quiz_results"] and not exports["quiz"]:
        raise click.UsageError("--quiz-results saves the answers of --quiz; add --quiz")
    if output_format != "table":
        for option, value in table_only.items():
            if value:
                raise click.UsageError(f"{option} works on the table output; leave out -f {output_format}")
    record = bool(exports["export_svg"] or exports["export_html"])
    renderer = make_renderer(
        OutputFormat(output_format),
        sys.stdout,
        detail=detail.detail,
        level=detail.level,
        show_server=detail.show_server,
        theme=detail.theme,
        slide=exports["slide"],
        timeline=exports["timeline"],
        record=record,
        total_steps=total_steps,
        header=(release_line(walked.release, request), *exports.get("lab_lines", ()), *header_lines(request)),
    )
    if exports["step_mode"] and not exports["quiz"] and not exports["delay"]:
        from bootwalk.render.interactive import TerminalKeys, keys_for

        keys = keys_for(sys.stdin)
        if isinstance(keys, TerminalKeys) and renderer.console.is_terminal:  # type: ignore[attr-defined]
            return present_on_screen(produce, renderer, keys, exports, title, request, total_steps)
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
            seed=exports.get("seed", 42),
        )
        renderer = classroom
        try:
            trace = produce(renderer.on_step)
        except StopWalk as stop:
            classroom.stopped(stop)
            # What was shown is what the exports hold: the recording so far, the steps so far.
            write_exports(classroom, exports, title, StepsShown(request, tuple(classroom.shown)))
            write_quiz_results(classroom, exports)
            return ExitCode.OK
        renderer.finish(trace)
        write_exports(renderer, exports, title, trace)
        write_quiz_results(classroom, exports)
        return conclude(trace)
    else:
        trace = produce(renderer.on_step)
    renderer.finish(trace)
    write_exports(renderer, exports, title, trace)
    return conclude(trace)


def write_quiz_results(classroom: Any, exports: dict[str, Any]) -> None:
    """``--quiz-results FILE``: every question asked, the answer given and the right one, as JSON."""
    if exports.get("quiz_results"):
        import json

        document = json.dumps(classroom.results(), indent=2, ensure_ascii=False, allow_nan=False)
        write_export(exports["quiz_results"], document + "\n")


def present_on_screen(
    produce: Callable[[Callable[[Any], None]], Any],
    renderer: Any,
    keys: Any,
    exports: dict[str, Any],
    title: str,
    request: Mapping[str, Any],
    total_steps: int,
) -> int:
    """``--step`` on a terminal: the opening lines, then one step per screen, then the recap and the outcome."""
    from bootwalk.render.interactive import StopWalk, stopped_line
    from bootwalk.render.presenter import Presenter

    renderer.print_header()  # the request and the other dialect come before the first key
    trace = produce(lambda record: None)
    presenter = Presenter(renderer, keys, total_steps)
    try:
        presenter.run(trace)
    except StopWalk as stop:
        renderer.console.print(stopped_line(stop, total_steps))
        write_exports(renderer, exports, title, StepsShown(request, tuple(presenter.shown)))
        return ExitCode.OK
    renderer.finish(trace)
    write_exports(renderer, exports, title, trace)
    return conclude(trace)


def write_exports(renderer: Any, exports: dict[str, Any], title: str, walked: Recorded) -> None:
    """Write the SVG and HTML of what the renderer recorded, and the Trace Event JSON of the steps walked."""
    if exports["export_svg"]:
        write_export(exports["export_svg"], renderer.export_svg(title))
    if exports["export_html"]:
        write_export(exports["export_html"], renderer.export_html())
    if exports["export_trace"]:
        import json

        from bootwalk.render.trace_events import trace_events

        document = json.dumps(trace_events(walked), indent=1, ensure_ascii=False, allow_nan=False)
        write_export(exports["export_trace"], document + "\n")


def conclude(trace: Any) -> int:
    """After a walk or a replay: nova's error line on stderr, and the exit code of the outcome."""
    line = trace.error_line()
    if line is not None:
        streams.say(line)  # a replayed trace's line is the file's text: shown, not obeyed
    return ExitCode.OK if trace.outcome.succeeded else ExitCode.ERROR
