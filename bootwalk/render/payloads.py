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


def payload_json(payload: Mapping[str, Any]) -> str:
    """The redacted payload as indented JSON."""
    return json.dumps(redact(payload), indent=2, ensure_ascii=False, allow_nan=False)


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
