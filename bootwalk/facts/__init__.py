"""Facts read from nova's code, kept as data once per release.

A flow shows one release of nova; everything it states as nova's (a log
line with its level, a fault or error text with its HTTP status, an RPC
method with its topic, version and cast or call, a default) comes from
that release's :class:`Facts`, each entry with the path and function it
was read from. Steps ask the walk's flow for an entry by key and never
retype the text, so a flow cannot show another release's words.

Templates are nova's own format strings, copied from the code
(``%(name)s`` and ``%d`` included), so an entry can be checked with
``git grep`` at the release's tag. A template with positional
placeholders names the values that fill them in ``args``.

Facts are kept per *moment* of a boot: ``Facts.logs("build_started")``
is every line the release logs at that moment, in order, which may be
none at all (the release logged nothing there).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from bootwalk.trace import ApiError, Fault, LogLine, Service

#: The exception novaclient raises for an HTTP status (``novaclient/exceptions.py``).
CLIENT_EXCEPTIONS = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
    413: "OverLimit",
}


class Release(NamedTuple):
    """A release of nova: what a reader is told (``name``), and where its code is (``tag``, ``commit``)."""

    name: str
    tag: str
    commit: str
    client: str

    @property
    def label(self) -> str:
        """``Icehouse (2014.1)``: the release as the walk's header names it."""
        return self.name


def _format(template: str, args: tuple[str, ...], values: Mapping[str, Any]) -> str:
    if args:
        return template % tuple(values[name] for name in args)
    if "%(" in template:
        return template % values
    return template


class LogFact(NamedTuple):
    """A line nova logs: who logs it, at which level, nova's format string, and where it is written."""

    service: Service
    level: str
    template: str
    source: str
    args: tuple[str, ...] = ()
    #: Shown at developer level only: the walk's default shows the line an operator greps for first.
    minor: bool = False

    def line(self, values: Mapping[str, Any]) -> LogLine:
        """The line with the walk's values filled in."""
        return LogLine(self.service, self.level, _format(self.template, self.args, values), self.minor)


class ErrorFact(NamedTuple):
    """An error nova raises: its exception, its text, and the HTTP status it answers with.

    ``http_status`` is None for a fault recorded on the server after nova-api
    had answered 202.
    """

    exception: str
    template: str
    source: str
    http_status: int | None = None
    args: tuple[str, ...] = ()
    retry_after: int | None = None

    def text(self, values: Mapping[str, Any]) -> str:
        """The message with the walk's values filled in."""
        return _format(self.template, self.args, values)

    def api_error(self, values: Mapping[str, Any]) -> ApiError:
        """The error as the client sees it: novaclient's class for an HTTP answer, nova's for a fault."""
        kind = CLIENT_EXCEPTIONS[self.http_status] if self.http_status is not None else self.exception
        return ApiError(kind, self.text(values), self.http_status)

    def fault_error(self, values: Mapping[str, Any]) -> ApiError:
        """The error as a fault after the 202: nova's exception and its text, no HTTP status."""
        return ApiError(self.exception, self.text(values), None)

    def fault(self, values: Mapping[str, Any]) -> Fault:
        """The instance fault nova records (code 500)."""
        return Fault(message=self.text(values), code=500)


class RpcFact(NamedTuple):
    """An RPC method: its topic, cast or call, the API version it is sent at, and where it is sent."""

    method: str
    topic: str
    mode: str
    version: str | None
    source: str
    namespace: str | None = None

    @property
    def is_cast(self) -> bool:
        return self.mode == "cast"


class DefaultFact(NamedTuple):
    """A configuration option's default value, where it is declared."""

    option: str
    value: Any
    source: str


Fact = LogFact | ErrorFact | RpcFact | DefaultFact


class Facts:
    """Every fact of one release, by key. A key missing from a release is a bug in the flow, said plainly."""

    def __init__(
        self,
        release: Release,
        *,
        logs: Mapping[str, tuple[LogFact, ...]],
        errors: Mapping[str, ErrorFact],
        rpcs: Mapping[str, RpcFact],
        defaults: Mapping[str, DefaultFact],
        files: Iterable[str] = (),
    ) -> None:
        self.release = release
        #: nova's files the flow may name, each checked to exist at the release (``tools/check_sources.py``).
        self.files = frozenset(files)
        self._logs = dict(logs)
        self._errors = dict(errors)
        self._rpcs = dict(rpcs)
        self._defaults = dict(defaults)

    def _get(self, table: Mapping[str, Any], kind: str, key: str) -> Any:
        try:
            return table[key]
        except KeyError:
            raise KeyError(f"{self.release.name} has no {kind} fact {key!r}") from None

    def logs(self, moment: str, **values: Any) -> tuple[LogLine, ...]:
        """The lines this release logs at this moment of the boot, in order (maybe none)."""
        facts: tuple[LogFact, ...] = self._get(self._logs, "log", moment)
        return tuple(fact.line(values) for fact in facts)

    def error(self, key: str) -> ErrorFact:
        return self._get(self._errors, "error", key)  # type: ignore[no-any-return]

    def rpc(self, key: str) -> RpcFact:
        return self._get(self._rpcs, "RPC", key)  # type: ignore[no-any-return]

    def default(self, key: str) -> Any:
        """The default's value."""
        return self._get(self._defaults, "default", key).value

    def has_error(self, key: str) -> bool:
        return key in self._errors

    def entries(self) -> Iterator[tuple[str, str, Fact]]:
        """Every fact as (kind, key, fact), for the reference and the tests."""
        for moment, facts in self._logs.items():
            for fact in facts:
                yield "log", moment, fact
        for kind, table in (("error", self._errors), ("rpc", self._rpcs), ("default", self._defaults)):
            for key, entry in table.items():
                yield kind, key, entry


#: A nova file, and the functions or classes named after it: ``nova/compute/manager.py _spawn, _build_instance``.
_SOURCE = re.compile(r"\b(nova/[\w/]+\.py)((?:\s+[A-Za-z_][\w.]*(?:,\s*[A-Za-z_][\w.]*)*)?)")


def sources(texts: Iterable[str]) -> dict[str, set[str]]:
    """Every nova file the texts name, with the functions named after each (keystone's and others' are left out)."""
    found: dict[str, set[str]] = {}
    for text in texts:
        for part in text.split(";"):
            if part.strip().startswith("keystone"):
                continue
            for match in _SOURCE.finditer(part):
                names = {name.strip() for name in match.group(2).split(",") if name.strip()}
                found.setdefault(match.group(1), set()).update(names)
    return found
