"""Writing an export (SVG, HTML, Trace Event JSON) only where it should go.

- A regular file, or a path where nothing is yet, is replaced whole or not at
  all: a temporary file beside it, then a rename. An existing file keeps its
  permissions; a new one gets those a new file gets (0666 less the umask).
- A symbolic link is followed, and its target written that way (the
  temporary file beside the target), so that the link stays a link.
- A device or a FIFO is written to as it is, never replaced: ``/dev/null``
  stays a device. A FIFO nobody reads is one line, not a wait for ever. A
  socket is opened the same way, and the line says it cannot be.
- ``/dev/stdout``, ``/dev/stderr`` and ``/dev/fd/N`` are the descriptors
  bootwalk already holds, written after what it printed there.
- A directory, or a folder that is not there, is one line.

Every failure is an :class:`OperationalError`: one line, exit 1.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys

from bootwalk.cli.errors import OperationalError

#: The names of descriptors bootwalk holds open: standard output and error, and /dev/fd/N (bash's names too).
DESCRIPTOR_PATH = re.compile(r"/dev/(?:(?P<name>stdout|stderr)|fd/(?P<number>\d+))|/proc/self/fd/(?P<proc>\d+)")


def write_export(path: str, text: str) -> None:
    """Write an export to ``path``: replaced atomically if it is a file, written as it is if it is a device."""
    data = text.encode("utf-8")
    descriptor = _descriptor(path)
    if descriptor is not None:
        _write_to_descriptor(path, descriptor, data)
        return
    target = os.path.realpath(path)  # a symbolic link's target, however many links lead there
    try:
        status: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        status = None  # a new file (or the target of a dangling link), if its folder is there
    except OSError as error:
        raise _cannot_write(path, error) from None
    if status is None or stat.S_ISREG(status.st_mode):
        _replace(path, target, data, status)
    elif stat.S_ISDIR(status.st_mode):
        raise OperationalError(f"cannot write {path}: it is a directory")
    else:
        _write_in_place(path, target, data, status)


def _descriptor(path: str) -> int | None:
    """The descriptor ``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N`` or ``/proc/self/fd/N`` names, else None."""
    found = DESCRIPTOR_PATH.fullmatch(path)
    if found is None:
        return None
    if found["name"] is not None:
        return 1 if found["name"] == "stdout" else 2
    return int(found["number"] or found["proc"])


def _write_to_descriptor(path: str, descriptor: int, data: bytes) -> None:
    """Write after what bootwalk printed on a descriptor it holds: the same open file, at the same offset.

    Opening ``/dev/stdout`` anew would start again at the beginning of a file
    standard output is redirected to, and replacing it would cut off what
    was printed there.
    """
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    try:
        _write_all(descriptor, data)
    except OSError as error:
        raise _cannot_write(path, error) from None


def _replace(path: str, target: str, data: bytes, status: os.stat_result | None) -> None:
    """Write a temporary file beside the target, give it the target's permissions, and rename it over the target."""
    import contextlib
    import tempfile

    folder, name = os.path.split(target)
    temporary: str | None = None
    try:
        descriptor, temporary = tempfile.mkstemp(dir=folder or ".", prefix=f".{name}.", suffix=".tmp")
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        # A temporary file is private (0600): give it the permissions of the file it replaces, or of a new file.
        os.chmod(temporary, stat.S_IMODE(status.st_mode) if status is not None else 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as error:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise _cannot_write(path, error) from None


def _umask() -> int:
    """The process's umask (there is no reading it without setting it)."""
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _write_in_place(path: str, target: str, data: bytes, status: os.stat_result) -> None:
    """Open a device or a FIFO for writing (never create, truncate or replace it) and write to it.

    A FIFO is opened without waiting: when nobody reads it, that is one line,
    not a walk that hangs. Once open, writes wait for the reader as usual. A
    socket cannot be opened at all (ENXIO), and its line says so.
    """
    nonblocking = getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(target, os.O_WRONLY | nonblocking | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        if error.errno == errno.ENXIO and stat.S_ISFIFO(status.st_mode):
            raise OperationalError(f"cannot write {path}: it is a FIFO with no reader") from None
        if error.errno == errno.ENXIO and stat.S_ISSOCK(status.st_mode):
            raise OperationalError(f"cannot write {path}: it is a socket, which cannot be opened as a file") from None
        raise _cannot_write(path, error) from None
    try:
        if nonblocking:
            os.set_blocking(descriptor, True)
        _write_all(descriptor, data)
    except OSError as error:
        raise _cannot_write(path, error) from None
    finally:
        os.close(descriptor)


def _write_all(descriptor: int, data: bytes) -> None:
    """Write every byte: a pipe or a device may take fewer at a time."""
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def _cannot_write(path: str, error: OSError) -> OperationalError:
    return OperationalError(f"cannot write {path}: {error.strerror or error}")
