"""The renderers' interface: the output formats, the levels of detail, and the Renderer protocol.

Kept apart from :mod:`bootwalk.render` (which builds a renderer for a
format) so that renderer modules can import it without an import cycle.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, NamedTuple, NoReturn, Protocol

if TYPE_CHECKING:
    from bootwalk.trace import StepRecord, Trace


class OutputFormat(str, Enum):
    """The output formats ``-f/--format`` accepts."""

    TABLE = "table"
    JSON = "json"
    MERMAID = "mermaid"
    MARKDOWN = "markdown"


class Level(str, Enum):
    """How much of each step the table shows: ``--level``.

    ``beginner``: each step in plain words and the state; ``operator`` (the
    default): the handoffs one line each, the scheduler grid and the log
    lines; ``developer``: every handoff in full, each filter's reasoning, and
    the "In real nova" notes with the source to read.
    """

    BEGINNER = "beginner"
    OPERATOR = "operator"
    DEVELOPER = "developer"


class Detail(str, Enum):
    """How much the table renderer shows: ``-q``, the default, or ``-v``."""

    QUIET = "quiet"
    NORMAL = "normal"
    VERBOSE = "verbose"


class Presentation(NamedTuple):
    """How a table walk is shown: ``-q``/``-v``, ``--level``, ``--show``, ``--theme`` and ``--slide``."""

    detail: Detail = Detail.NORMAL
    level: Level = Level.OPERATOR
    show_server: bool = False
    theme: str = "dark"
    slide: bool = False


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
