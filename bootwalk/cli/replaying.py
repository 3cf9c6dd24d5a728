"""``bootwalk replay``: a walk saved with ``-f json``, through any output format."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from bootwalk.cli.app import BootwalkCommand
from bootwalk.cli.errors import OperationalError
from bootwalk.cli.options import chosen_detail, classroom_options, detail_options, export_options, walk_format_option
from bootwalk.cli.present import present

__all__ = ["replay"]


@click.command(cls=BootwalkCommand)
@click.argument("trace_file", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True))
@walk_format_option
@detail_options
@export_options
@classroom_options
def replay(
    trace_file: str,
    output_format: str,
    level: str,
    show_server: bool,
    theme: str,
    verbose: bool,
    quiet: bool,
    **exports: Any,
) -> int:
    """Replay a walk saved with boot -f json (or delete -f json), through any output format.

    Prepare a walk once and replay it in class, for example:

    \b
        bootwalk boot --image cirros --flavor m1.tiny \\
            --nic net-name=private -f json demo-vm > walk.json
        bootwalk replay walk.json

    The exit code is the saved walk's: 0 if it ended ACTIVE or DELETED, else 1.
    """
    from bootwalk.replay import TraceFormatError, read_trace, read_trace_stream

    detail = chosen_detail(verbose, quiet, level, show_server, theme)
    try:
        if trace_file == "-":
            # Bytes, so that replay reads no more than its limit and decodes them itself.
            standard_input = getattr(sys.stdin, "buffer", None)
            if standard_input is None:
                raise OperationalError("<stdin>: cannot be read")
            trace = read_trace_stream(standard_input, "<stdin>")
        else:
            from pathlib import Path

            trace = read_trace(Path(trace_file))
    except TraceFormatError as error:
        raise OperationalError(str(error)) from None

    def produce(on_step: Callable[[Any], None]) -> Any:
        for record in trace.steps:
            on_step(record)
        return trace

    title = f"bootwalk replay {trace.request.get('name', '')}"
    exports["seed"] = trace.seed  # the quiz draws its questions as the saved walk's did
    return present(produce, output_format, detail, exports, title, trace.flow, trace.request)
