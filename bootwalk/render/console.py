"""The rich Console bootwalk prints with: a broken pipe is the command line's to report.

:func:`bootwalk.render.table.make_console` builds a :class:`BootwalkConsole`.
"""

from __future__ import annotations

import errno
import os

from rich.console import Console


class BootwalkConsole(Console):
    """rich's Console, but a broken pipe goes up to the command line, which exits 141 (rich would exit 1)."""

    def on_broken_pipe(self) -> None:
        """The reader went away: print nothing more, and let the command line end quietly."""
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))
