"""Writing an export (SVG, HTML, Trace Event JSON) whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

from bootwalk.cli.errors import OperationalError


def write_export(path: str, text: str) -> None:
    """Write a file whole or not at all: a temporary file beside it, then a rename."""
    import contextlib
    import tempfile

    target = Path(path)
    if target.is_dir():
        raise OperationalError(f"cannot write {path}: it is a directory")
    temporary: str | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False
        ) as handle:
            temporary = handle.name
            handle.write(text)
        # A temporary file is private (0600); the export gets the mode a new file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except OSError as error:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise OperationalError(f"cannot write {path}: {error.strerror or error}") from None
