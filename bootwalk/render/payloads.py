"""A step's full payloads, as syntax-highlighted JSON, with tokens cut to a prefix.

Used by ``-v``, by ``d`` in step mode and by the trace export; rich is
imported only to draw. A token is never shown whole, even
a pretend one: what is on a projector is easily photographed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bootwalk.trace import StepRecord

if TYPE_CHECKING:
    from rich.console import RenderableType

#: Headers that carry a token; their values are shown as a prefix only.
TOKEN_HEADERS = frozenset({"x-auth-token", "x-subject-token"})
#: How much of a token is shown.
TOKEN_PREFIX = 12


def redact(value: Any) -> Any:
    """A copy of a payload with every token header cut to its first characters and an ellipsis."""
    if isinstance(value, Mapping):
        redacted = {}
        for key, item in value.items():
            if str(key).lower() in TOKEN_HEADERS and isinstance(item, str) and len(item) > TOKEN_PREFIX:
                redacted[key] = item[:TOKEN_PREFIX] + "…"
            else:
                redacted[key] = redact(item)
        return redacted
    if isinstance(value, (list, tuple)):
        return [redact(item) for item in value]
    return value


#: How wide a payload's JSON may run before a list or an object is spread over lines.
PAYLOAD_WIDTH = 72


def compact_json(value: Any, width: int = PAYLOAD_WIDTH, depth: int = 0, column: int = 0, tail: int = 0) -> str:
    """JSON indented by two, where each list or object that fits the width stays on one line.

    ``column`` is where the value starts on its line, ``tail`` what follows it
    there (a comma). A password's three keys
    are one line, not ten; the result reads back as the same value.
    """
    flat = json.dumps(value, ensure_ascii=False, allow_nan=False)
    if not isinstance(value, (Mapping, list, tuple)) or not value or column + len(flat) + tail <= width:
        return flat
    inner = "  " * (depth + 1)
    if isinstance(value, Mapping):
        lines = []
        for number, (key, item) in enumerate(value.items(), start=1):
            name = json.dumps(str(key), ensure_ascii=False, allow_nan=False) + ": "
            comma = int(number < len(value))
            lines.append(inner + name + compact_json(item, width, depth + 1, len(inner) + len(name), comma))
        opening, closing = "{", "}"
    else:
        last = len(value) - 1
        lines = [
            inner + compact_json(item, width, depth + 1, len(inner), int(i < last)) for i, item in enumerate(value)
        ]
        opening, closing = "[", "]"
    return opening + "\n" + ",\n".join(lines) + "\n" + "  " * depth + closing


def payload_json(payload: Mapping[str, Any]) -> str:
    """The redacted payload as compact JSON: indented, with short lists and objects on one line."""
    return compact_json(redact(payload))


def payload_views(record: StepRecord) -> RenderableType:
    """Every handoff of a step: who to whom and the call, then its payload as highlighted JSON."""
    from rich.console import Group
    from rich.syntax import Syntax
    from rich.text import Text

    from bootwalk.render.theme import style_name

    parts: list[RenderableType] = []
    for handoff in record.handoffs:
        title = Text()
        title.append(handoff.source.value, style=style_name(handoff.source))
        title.append(" → ")
        title.append(handoff.target.value, style=style_name(handoff.target))
        title.append(f"  {handoff.channel.value} · {handoff.call}", style="channel")
        parts.append(title)
        parts.append(
            Syntax(payload_json(handoff.payload), "json", theme="ansi_dark", word_wrap=True, background_color="default")
        )
    return Group(*parts)
