"""The renderers' interface: the output formats, the levels of detail, and the Renderer protocol.

Kept apart from :mod:`bootwalk.render` (which builds a renderer for a
format) so that renderer modules can import it without an import cycle.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, NoReturn, Protocol

if TYPE_CHECKING:
    from bootwalk.trace import StepRecord, Trace


class OutputFormat(str, Enum):
    """The output formats ``-f/--format`` accepts."""

    TABLE = "table"
    JSON = "json"
    MERMAID = "mermaid"
    MARKDOWN = "markdown"


class Detail(str, Enum):
    """How much the table renderer shows: ``-q``, the default, or ``-v``."""

    QUIET = "quiet"
    NORMAL = "normal"
    VERBOSE = "verbose"


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
