"""The standard streams: closed, full or broken ones, encodings without Unicode, and lines safe for a terminal.

The command group (:mod:`bootwalk.cli.app`) calls :func:`prepare` before a
command and :func:`finish` after it, and writes every error line through
:func:`say`. What can go wrong with the streams themselves is then one line
and a documented exit code, never an internal error:

- a closed standard output (``>&-``): one line, exit 1, before anything runs;
- a closed standard error (``2>&-``): it becomes /dev/null, and the exit code
  alone tells how the command ended;
- a full disk, or another failure writing standard output: one line, exit 1;
- a broken pipe (``| head -1``): nothing said, exit 141 (128 + SIGPIPE);
- a control character in an error line (a path, an option value): shown as
  ``\\xNN``, never sent to the terminal;
- an encoding that cannot carry a character: ``?`` on standard output, a
  backslash escape (``\\u2192``) on standard error, rather than a crash (the
  renderers draw ASCII stand-ins first, see :mod:`bootwalk.render.glyphs`).

Only the standard library is imported: this runs for ``--help`` too.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from typing import Any

from bootwalk.exit_codes import ExitCode
from bootwalk.text import visible

#: How a write to a standard stream fails, but for a broken pipe: a full disk or quota, a file grown too
#: big, an I/O error, a descriptor closed under us, a non-blocking pipe that is full.
WRITE_ERRNOS = frozenset(
    code
    for code in (
        errno.ENOSPC,
        getattr(errno, "EDQUOT", None),
        errno.EFBIG,
        errno.EIO,
        errno.EBADF,
        errno.EAGAIN,
    )
    if code is not None
)


def printable(line: str) -> str:
    """The line with every control character but the newline written as ``\\xNN``.

    An error line may quote a path or an option value, and ``bootwalk replay
    $'\\e[2J.json'`` must not clear the screen it is reported on.
    """
    return visible(line, keep_newlines=True)


def say(line: str) -> None:
    """Write one line to standard error, its control characters shown; a standard error that fails is let be.

    Written in standard error's own encoding (click would force UTF-8 on one
    that says ASCII), so that what it cannot carry comes out as an escape.
    """
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(printable(line) + "\n")
        stream.flush()
    except (OSError, ValueError):
        _point_at_devnull(stream)


def prepare() -> str | None:
    """Get the standard streams ready for a command; what stops it from running, if anything.

    A closed standard error becomes /dev/null (its descriptor too, so that no
    file opened later takes its number). A closed standard output is the
    answer: nothing could be shown. Characters a stream cannot encode are
    replaced, not raised: ``?`` on standard output, which keeps tables in
    line, and a visible escape on standard error.
    """
    if _closed(sys.stderr):
        _fill_descriptor(2)
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - it is standard error until exit
    if _closed(sys.stdout):
        return "Error: cannot write to standard output: it is closed"
    for stream, errors in ((sys.stdout, "replace"), (sys.stderr, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError):  # one that cannot change its error handler keeps its own
                reconfigure(errors=errors)
    return None


def failed_writing(error: OSError) -> bool:
    """Whether an error that reached the top is a standard stream failing to take output.

    Files bootwalk opens (catalogs, saved walks, exports) report their own
    failures with their names; an OSError without a file name that says the
    disk is full, the descriptor is bad or the pipe is full comes from
    writing standard output (or standard error, but then nobody hears of it).
    """
    return error.filename is None and error.errno in WRITE_ERRNOS


def cannot_write(error: OSError) -> int:
    """Report a standard output that could not be written, and leave it quiet: exit 1."""
    _point_at_devnull(sys.stdout)
    say(f"Error: cannot write to standard output: {error.strerror or error}")
    return ExitCode.ERROR


def broken_pipe() -> int:
    """The reader of standard output went away: say nothing, write nothing more, exit 141."""
    _point_at_devnull(sys.stdout)
    return ExitCode.BROKEN_PIPE


def finish(code: int) -> int:
    """Flush standard output before exiting, where a failure can still be reported; the exit code.

    Left to the interpreter, a full disk would end in a traceback and exit
    120, and a broken pipe in a complaint on standard error.
    """
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        return broken_pipe()
    except OSError as error:
        return cannot_write(error)
    return code


def _closed(stream: Any) -> bool:
    """Whether a standard stream is closed: gone, closed in Python, or its descriptor closed.

    A stream without a descriptor (a test's capture) counts as open.
    """
    if stream is None:
        return True
    try:
        if stream.closed:
            return True
        descriptor = stream.fileno()
    except (AttributeError, ValueError, OSError):
        return False
    try:
        os.fstat(descriptor)
    except OSError as error:
        return error.errno == errno.EBADF
    return False


def _fill_descriptor(descriptor: int) -> None:
    """Open /dev/null on a descriptor that is closed, so that a file opened later cannot take its number."""
    try:
        os.fstat(descriptor)
    except OSError:
        _dup_devnull(descriptor)


def _point_at_devnull(stream: Any) -> None:
    """Send what a broken stream still holds, and all it is given, to /dev/null (the interpreter flushes at exit)."""
    try:
        descriptor = stream.fileno()
    except (AttributeError, ValueError, OSError):
        return
    _dup_devnull(descriptor)


def _dup_devnull(descriptor: int) -> None:
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    if null == descriptor:  # it was closed, and /dev/null took its number
        return
    with contextlib.suppress(OSError):
        os.dup2(null, descriptor)
    os.close(null)
