"""The console script's front door: a repeated command is answered from a result cache.

A walk is a pure function of its command line, its catalogs, bootwalk's own
files, the libraries that draw it and the terminal it is drawn for. In a
class the same walk runs again and again, so the second run of a command
prints what the first printed, byte for byte, without importing click, rich,
PyYAML or the engine (like black's cache of formatted files).

The key covers all of that (see :func:`cache_key`); anything interactive or
that reads other files (``--step``, ``--quiz``, ``--delay``, the exports,
``--user-data``, ``--file``, a replay from standard input) always runs for
real. Only exit codes 0 and 1 are stored. Entries are written whole (a
temporary file, then a rename) in bootwalk's own cache directory, at most
:data:`MAX_ENTRIES` of them. ``BOOTWALK_NO_CACHE=1`` turns the cache off;
``BOOTWALK_CACHE_DIR`` moves it. A cache that cannot be read or written is
ignored.

This module imports only the standard library's lightest modules.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

#: How many results the cache keeps; the oldest go first.
MAX_ENTRIES = 64

#: Options whose command is never answered from the cache: they wait, ask, write files or read other files.
NEVER_CACHED = frozenset({
    "--step", "--quiz", "--delay", "--export-svg", "--export-html", "--export-trace", "--user-data", "--file",
})  # fmt: skip

#: Environment variables that change what a command prints.
ENVIRONMENT = (
    "COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TERM", "COLORTERM", "TTY_COMPATIBLE", "TTY_INTERACTIVE",
    "BOOTWALK_CATALOG", "BOOTWALK_DEBUG", "NOVACLIENT_DEFAULT_KEY_NAME", "PYTHONIOENCODING", "LANG", "LC_ALL",
    "LC_CTYPE", "CLICOLOR", "CLICOLOR_FORCE", "JUPYTER_COLUMNS", "JUPYTER_LINES", "PYCHARM_HOSTED",
)  # fmt: skip

#: The libraries whose files are part of the key: a new version may draw differently.
LIBRARIES = ("click", "rich", "yaml", "markdown_it", "pygments")

PACKAGE_DIRECTORY = os.path.dirname(os.path.abspath(__file__))


def cache_directory() -> str | None:
    """Where results are kept, or None when the cache is off."""
    if os.environ.get("BOOTWALK_NO_CACHE"):
        return None
    chosen = os.environ.get("BOOTWALK_CACHE_DIR")
    if chosen:
        return chosen
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "bootwalk")


def _stat_line(path: str) -> str:
    try:
        status = os.stat(path)
    except OSError:
        return f"{path} missing"
    return f"{path} {status.st_size} {status.st_mtime_ns}"


def _tree_lines(top: str) -> list[str]:
    """Size and modification time of every file under a directory (bootwalk's own package)."""
    lines = []
    for directory, subdirectories, files in os.walk(top):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        for name in sorted(files):
            if not name.endswith((".pyc", ".pyo")):
                lines.append(_stat_line(os.path.join(directory, name)))
    return lines


def _library_lines() -> list[str]:
    """Where each drawing library's package lives, and its __init__'s size and time."""
    lines = []
    for name in LIBRARIES:
        for entry in sys.path:
            candidate = os.path.join(entry or ".", name, "__init__.py")
            if os.path.exists(candidate):
                lines.append(_stat_line(candidate))
                break
        else:
            lines.append(f"{name} absent")
    return lines


def _terminal(stream: TextIO | None) -> str:
    try:
        if stream is None or not stream.isatty():
            return "pipe"
        size = os.get_terminal_size(stream.fileno())
        return f"tty {size.columns}x{size.lines}"
    except (AttributeError, ValueError, OSError):
        return "pipe"


def _catalog_lines(arguments: Sequence[str]) -> list[str] | None:
    """The catalog files a command would read; None when they cannot be known here."""
    directory = os.environ.get("BOOTWALK_CATALOG") or os.path.join(PACKAGE_DIRECTORY, "catalogs")
    for index, word in enumerate(arguments):
        if word == "--catalog":
            if index + 1 >= len(arguments):
                return None
            directory = arguments[index + 1]
        elif word.startswith("--catalog="):
            directory = word.split("=", 1)[1]
    return [_stat_line(os.path.join(directory, name)) for name in ("flavors.yaml", "images.yaml", "cloud.yaml")]


def cache_key(arguments: Sequence[str]) -> str | None:
    """The key of a command's result, or None when the command must run for real."""
    if not arguments or any(word in NEVER_CACHED or word.split("=", 1)[0] in NEVER_CACHED for word in arguments):
        return None
    if arguments[0] == "replay" and "-" in arguments[1:]:
        return None  # a replay from standard input
    # Any word that names a file (a replay's trace, wherever it stands) is keyed by its size and time.
    values = [word.split("=", 1)[1] if word.startswith("--") and "=" in word else word for word in arguments]
    extra = [_stat_line(word) for word in values if os.path.isfile(word)]
    catalogs = _catalog_lines(arguments)
    if catalogs is None:
        return None
    parts = [
        "bootwalk result cache 1",
        sys.version,
        sys.executable,
        "\0".join(arguments),
        *(f"{name}={os.environ.get(name)}" for name in ENVIRONMENT),
        f"stdout {_terminal(sys.stdout)}",
        f"stderr {_terminal(sys.stderr)}",
        f"stdin {'tty' if _isatty(sys.stdin) else 'other'}",
        f"cwd {os.getcwd()}",
        *catalogs,
        *extra,
        *_tree_lines(PACKAGE_DIRECTORY),
        *_library_lines(),
    ]
    return _sha256_hex("\n".join(parts).encode("utf-8", "surrogateescape"))


def _sha256_hex(data: bytes) -> str:
    """SHA-256 from the interpreter's built-in module where there is one: hashlib loads OpenSSL (2 ms)."""
    import importlib

    for name in ("_sha2", "_sha256"):  # Python 3.12 and later; 3.10 and 3.11
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return str(module.sha256(data).hexdigest())
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _isatty(stream: TextIO | None) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):
        return False


def read_entry(directory: str, key: str) -> tuple[int, str, str] | None:
    """A stored result: (exit code, stdout, stderr); None when absent or damaged."""
    try:
        with open(os.path.join(directory, key), "rb") as handle:
            data = handle.read()
        header, _newline, body = data.partition(b"\n")
        code_text, out_length, error_length = header.decode("ascii").split()
        out_size, error_size = int(out_length), int(error_length)
        if len(body) != out_size + error_size or code_text not in ("0", "1"):
            return None
        return int(code_text), body[:out_size].decode("utf-8"), body[out_size:].decode("utf-8")
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def write_entry(directory: str, key: str, code: int, out: str, error: str) -> None:
    """Store a result whole (a temporary file, then a rename), and keep the cache small. Failures are ignored."""
    try:
        os.makedirs(directory, exist_ok=True)
        out_bytes, error_bytes = out.encode("utf-8"), error.encode("utf-8")
        temporary = os.path.join(directory, f".{key}.{os.getpid()}.tmp")
        with open(temporary, "wb") as handle:
            handle.write(f"{code} {len(out_bytes)} {len(error_bytes)}\n".encode("ascii") + out_bytes + error_bytes)
        os.replace(temporary, os.path.join(directory, key))
        entries = sorted(
            (entry for entry in os.scandir(directory) if entry.is_file() and not entry.name.startswith(".")),
            key=lambda entry: entry.stat().st_mtime_ns,
        )
        for entry in entries[:-MAX_ENTRIES]:
            os.unlink(entry.path)
    except (OSError, UnicodeEncodeError):
        pass


class Tee:
    """A text stream that writes through to the real one and keeps a copy."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        written = self.stream.write(text)  # first: a text stream refuses bytes (click probes with b"")
        self.parts.append(text)
        return written

    def __getattr__(self, name: str) -> object:
        if name == "buffer":  # writes to the binary buffer would bypass the copy: click falls back to write()
            raise AttributeError(name)
        return getattr(self.stream, name)

    def text(self) -> str:
        """Everything written."""
        return "".join(self.parts)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """The ``bootwalk`` command: from the cache when it can, else the real command line."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    directory = cache_directory()
    key = cache_key(arguments) if directory is not None else None
    if directory is not None and key is not None:
        stored = read_entry(directory, key)
        if stored is not None:
            code, out, error = stored
            try:
                sys.stdout.write(out)
                sys.stdout.flush()
            except BrokenPipeError:
                # The reader went away (| head): stop quietly, as the real command does.
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                sys.exit(1)
            sys.stderr.write(error)
            sys.exit(code)
    from bootwalk.cli import main as run

    if directory is None or key is None:
        run(arguments)
    out_tee, error_tee = Tee(sys.stdout), Tee(sys.stderr)
    sys.stdout, sys.stderr = out_tee, error_tee  # type: ignore[assignment]
    try:
        run(arguments)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        sys.stdout, sys.stderr = out_tee.stream, error_tee.stream
        if code in (0, 1):
            write_entry(directory, key, code, out_tee.text(), error_tee.text())
        raise
    finally:
        sys.stdout, sys.stderr = out_tee.stream, error_tee.stream
    raise AssertionError("the command line always exits")  # pragma: no cover
