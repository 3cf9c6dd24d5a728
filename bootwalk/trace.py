"""What a walk produces: an ordered trace of frozen handoff records.

A :class:`Trace` is plain data. Renderers turn it into tables or JSON;
nothing here knows about click or rich.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from enum import Enum
from typing import Any, overload

from bootwalk.records import dataclass, field

#: Bumped whenever the JSON document's shape changes in a way readers notice.
SCHEMA_VERSION = 1


class Service(str, Enum):
    """Who takes part in a boot. The value is the name shown to the reader."""

    CLIENT = "client"
    KEYSTONE = "keystone"
    NOVA_API = "nova-api"
    QUEUE = "message queue"
    NOVA_CONDUCTOR = "nova-conductor"
    NOVA_SCHEDULER = "nova-scheduler"
    DATABASE = "nova database"
    API_DATABASE = "API database"
    CELL_DATABASE = "cell1 database"
    CELL0_DATABASE = "cell0 database"
    PLACEMENT = "placement"
    NOVA_COMPUTE = "nova-compute"
    GLANCE = "glance"
    NEUTRON = "neutron"
    CINDER = "cinder"
    HYPERVISOR = "hypervisor"


class Channel(str, Enum):
    """How a handoff travels."""

    REST = "REST"
    RPC_CAST = "RPC cast"
    RPC_CALL = "RPC call"
    DATABASE = "database"
    QUEUE = "queue"
    LIBVIRT = "libvirt API"


class StepStatus(str, Enum):
    """How a step ended. ``rescheduled``: it failed, and the build goes back to the scheduler."""

    OK = "ok"
    SKIPPED = "skipped"
    FAILED = "failed"
    RESCHEDULED = "rescheduled"


class Outcome(str, Enum):
    """How the whole walk ended: the server's final API status."""

    ACTIVE = "ACTIVE"
    ERROR = "ERROR"
    #: A delete walk's end: the row is soft-deleted, and ``nova list`` no longer shows the server.
    DELETED = "DELETED"

    @property
    def succeeded(self) -> bool:
        """Whether the command did what it was asked: the server ACTIVE, or deleted."""
        return self is not Outcome.ERROR


#: nova's power_state integers and their names (nova/compute/power_state.py).
POWER_STATE_NAMES = {0: "NOSTATE", 1: "RUNNING", 3: "PAUSED", 4: "SHUTDOWN", 6: "CRASHED", 7: "SUSPENDED"}


@dataclass(frozen=True)
class InstanceState:
    """The instance's three state fields, with nova's own values."""

    vm_state: str
    task_state: str | None
    power_state: int

    def describe(self) -> str:
        """Read as ``building / scheduling / NOSTATE (0)``."""
        task = self.task_state if self.task_state is not None else "None"
        power = POWER_STATE_NAMES.get(self.power_state, "?")
        return f"{self.vm_state} / {task} / {power} ({self.power_state})"


class Kind(str, Enum):
    """What sort of message a handoff is; each kind has one payload shape (see :mod:`bootwalk.handoffs`)."""

    REST_REQUEST = "rest-request"
    REST_REPLY = "rest-reply"
    RPC_CAST = "rpc-cast"
    RPC_CALL = "rpc-call"
    RPC_REPLY = "rpc-reply"
    #: A consumer takes a cast off the message queue.
    QUEUE_DELIVERY = "queue-delivery"
    DB_READ = "db-read"
    DB_WRITE = "db-write"
    LIBVIRT_CALL = "libvirt-call"
    LIBVIRT_ERROR = "libvirt-error"

    @property
    def is_reply(self) -> bool:
        """An answer to an earlier request: an HTTP status, an RPC reply, a libvirt error."""
        return self in (Kind.REST_REPLY, Kind.RPC_REPLY, Kind.LIBVIRT_ERROR)


class Work(str, Enum):
    """What a handoff sets going, where that takes notably more or less time than its kind's usual.

    Timing reads this (and the bytes moved), never the call's text.
    """

    AUTHENTICATE = "authenticate"
    REFUSE_CREDENTIALS = "refuse-credentials"
    CREATE_SERVER = "create-server"
    DELETE_SERVER = "delete-server"
    SCHEDULE = "schedule"
    DOWNLOAD = "download"
    CREATE_PORT = "create-port"
    BIND_PORT = "bind-port"
    DELETE_PORT = "delete-port"
    CREATE_VOLUME = "create-volume"
    CREATE_ATTACHMENT = "create-attachment"
    EXPORT_VOLUME = "export-volume"
    COMPLETE_ATTACHMENT = "complete-attachment"
    DELETE_ATTACHMENT = "delete-attachment"
    BACKEND_FAILURE = "backend-failure"
    DEFINE_GUEST = "define-guest"
    START_GUEST = "start-guest"
    PLUG_VIF = "plug-vif"
    RESUME_GUEST = "resume-guest"
    GUEST_FAILS = "guest-fails"
    UNDEFINE_GUEST = "undefine-guest"
    DESTROY_GUEST = "destroy-guest"
    #: the instance row is soft-deleted: the moment a delete is done
    SOFT_DELETE = "soft-delete"
    VIF_TIMEOUT = "vif-timeout"
    #: the client looks a name up before it sends the request (a flavor, an image, a network)
    LOOKUP = "lookup"
    #: nova-api checks the request with another service before it accepts it (neutron's networks, ports, quota)
    VALIDATE = "validate"


@dataclass(frozen=True)
class Handoff:
    """One thing one service passes to another.

    ``kind`` says what sort of message it is (and so the shape of
    ``payload``); ``summary`` is the short "what is passed" a table shows;
    ``payload`` is the full REST body, headers or RPC message.
    ``size_bytes`` is what it moves where that matters (an image download);
    ``work`` names what it sets going, where that is slow or quick.
    ``simplified`` marks a handoff that belongs to the classic story but
    not to nova's code; the step's note says what nova really does. Make
    handoffs with the builders of :mod:`bootwalk.handoffs`.
    """

    kind: Kind
    source: Service
    target: Service
    channel: Channel
    call: str
    summary: str
    payload: Mapping[str, Any] = field(default_factory=dict)
    simplified: bool = False
    size_bytes: int | None = None
    work: Work | None = None


#: The name placement's verdicts carry in a modern walk's filter results (placement is not a filter).
PLACEMENT = "placement"


@dataclass(frozen=True, slots=True)
class FilterVerdict:
    """What one scheduler filter said about one host."""

    host: str
    filter: str
    passed: bool
    reason: str


class _Columns(Sequence[Any]):
    """A sequence whose items are built when read, equal to (and hashed as) the tuple of its items."""

    __slots__ = ()

    def _item(self, index: int) -> Any:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Any, ...]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return tuple(self._item(i) for i in range(*index.indices(len(self))))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._item(index)

    def __iter__(self) -> Iterator[Any]:
        return (self._item(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} items)"


class VerdictColumns(_Columns):
    """Every filter verdict of one scheduling, kept as columns and read as :class:`FilterVerdict` records.

    A scheduler asks each filter about thousands of hosts; a record and a
    reason per answer would cost a hundred bytes and a string each, and the
    garbage collector would walk them all. So each filter keeps the hosts it
    was asked about as indices into the scheduling's ``hosts`` (an
    ``array``) and its answers as bytes, and a reason is built only when a
    verdict is read, by the filter's own ``reason`` callable.
    """

    __slots__ = ("_columns", "_hosts", "_starts")

    def __init__(self, hosts: Sequence[Any]) -> None:
        self._hosts = hosts  # anything with a ``name``: the host states the filters were asked about
        self._columns: list[tuple[str, Callable[[Any], str], array[int], bytes]] = []
        self._starts: list[int] = [0]

    def add(self, name: str, reason: Callable[[Any], str], asked: array[int], answers: bytes) -> None:
        """One filter's column: the hosts asked (indices into ``hosts``) and each answer (1 passed, 0 not)."""
        self._columns.append((name, reason, asked, answers))
        self._starts.append(self._starts[-1] + len(asked))

    def __len__(self) -> int:
        return self._starts[-1]

    def _item(self, index: int) -> FilterVerdict:
        column = next(number for number, start in enumerate(self._starts[1:]) if index < start)
        name, reason, asked, answers = self._columns[column]
        offset = index - self._starts[column]
        host = self._hosts[asked[offset]]
        return FilterVerdict(host.name, name, bool(answers[offset]), reason(host))

    def __iter__(self) -> Iterator[FilterVerdict]:
        for name, reason, asked, answers in self._columns:
            for position, passed in zip(asked, answers, strict=True):
                host = self._hosts[position]
                yield FilterVerdict(host.name, name, bool(passed), reason(host))

    def rejected(self, name: str) -> list[str]:
        """The hosts filter ``name`` rejected, without building a verdict."""
        return [
            self._hosts[position].name
            for column, _reason, asked, answers in self._columns
            if column == name
            for position, passed in zip(asked, answers, strict=True)
            if not passed
        ]

    def counts(self) -> dict[str, tuple[int, int]]:
        """Per filter that ran: (hosts asked, hosts passed), without building a verdict."""
        return {name: (len(asked), sum(answers)) for name, _reason, asked, answers in self._columns}


@dataclass(frozen=True, slots=True)
class WeightPart:
    """One weigher's share of a host's weight: multiplier × normalised raw value."""

    weigher: str
    raw: float
    normalised: float
    multiplier: float
    unit: str

    def describe(self) -> str:
        """Read as ``RAMWeigher 1.0 × 0.75 (12288 MB RAM free)``."""
        raw = f"{self.raw:g}" if self.raw != int(self.raw) else str(int(self.raw))
        return f"{self.weigher} {weight_text(self.multiplier)} × {weight_text(self.normalised)} ({raw} {self.unit})"


def weight_text(value: float) -> str:
    """A weight as nova logs a float: ``1.0``, ``0.5``, ``0.3333``."""
    return str(float(f"{value:.4g}"))


@dataclass(frozen=True, slots=True)
class HostWeight:
    """A host that passed every filter, its total weight, and each weigher's share."""

    host: str
    weight: float
    parts: tuple[WeightPart, ...] = ()


#: How many of the best weights are read without ranking every host.
_FEW = 4


class WeightColumns(_Columns):
    """The weighed hosts of one scheduling, best first, kept as columns and read as :class:`HostWeight` records.

    ``names`` are the hosts in the order they were listed and ``totals``
    their weights; the ranking, best first with ties in the order listed, is
    worked out when the weights are first read in order (the best few alone
    need no full sort: :meth:`best`). Each weigher keeps its
    raw and normalised values per host (``add``), the latter rounded to four
    places when read, as nova logs them.
    """

    __slots__ = ("_names", "_parts", "_ranked", "_totals")

    def __init__(self, names: Sequence[str], totals: array[float]) -> None:
        self._names = names
        self._totals = totals
        self._ranked: array[int] | None = None
        self._parts: list[tuple[str, float, str, array[float], array[float]]] = []

    def add(self, weigher: str, multiplier: float, unit: str, raw: array[float], normalised: array[float]) -> None:
        """One weigher's raw and normalised value for each host, in the order the hosts were listed."""
        self._parts.append((weigher, multiplier, unit, raw, normalised))

    def __len__(self) -> int:
        return len(self._names)

    def _ranking(self) -> array[int]:
        if self._ranked is None:  # a sort in reverse keeps equal weights in the order listed
            self._ranked = array("i", sorted(range(len(self._names)), key=self._totals.__getitem__, reverse=True))
        return self._ranked

    def _item(self, index: int) -> HostWeight:
        if self._ranked is None and index < _FEW:  # the winner and the next few: no full sort
            totals = self._totals.__getitem__
            host = heapq.nlargest(index + 1, range(len(self._names)), key=totals)[index]
        else:
            host = self._ranking()[index]
        parts = tuple(
            WeightPart(weigher, raw[host], round(normalised[host], 4), multiplier, unit)
            for weigher, multiplier, unit, raw, normalised in self._parts
        )
        return HostWeight(self._names[host], self._totals[host], parts)

    def best_position(self) -> int:
        """Where the best host stands among the hosts as they were listed (the first of equal weights)."""
        if self._ranked is None:
            return heapq.nlargest(1, range(len(self._names)), key=self._totals.__getitem__)[0]
        return self._ranked[0]

    def best(self, count: int) -> list[str]:
        """The names of the ``count`` best hosts, best first, without building a record."""
        if self._ranked is None:  # nlargest is sorted(reverse=True)[:count], equal weights in the order listed
            best = heapq.nlargest(count, range(len(self._names)), key=self._totals.__getitem__)
            return [self._names[index] for index in best]
        return [self._names[index] for index in self._ranked[:count]]


@dataclass(frozen=True)
class Scheduling:
    """What the scheduler did for one instance in step 4.

    ``considered`` is how many hosts the filters started with; ``alternates``
    are the next-best hosts after the selected one (at most max_attempts − 1).
    """

    filters: tuple[str, ...]
    filter_results: Sequence[FilterVerdict]
    weights: Sequence[HostWeight]
    selected_host: str | None
    instance_uuid: str = ""
    instance_name: str = ""
    considered: int = 0
    alternates: tuple[str, ...] = ()

    def filter_counts(self) -> list[tuple[str, int, int]]:
        """Per filter that ran: (name, hosts at start, hosts at end), as nova logs them."""
        if isinstance(self.filter_results, VerdictColumns):
            ran = self.filter_results.counts()
        else:
            ran = {}
            for verdict in self.filter_results:
                asked, passed = ran.get(verdict.filter, (0, 0))
                ran[verdict.filter] = (asked + 1, passed + verdict.passed)
        counts = []
        for name in self.filters:
            if name not in ran:
                break
            counts.append((name, *ran[name]))
        return counts

    def why_the_winner(self) -> str:
        """Why the selected host wins, in its numbers: ``the highest weight, 1.0 (12288 MB RAM free)``."""
        winner = next((w for w in self.weights if w.host == self.selected_host), None)
        if winner is None:
            return "no host is left"
        if len(self.weights) == 1:
            return "the only host the filters left"
        raw = ", ".join(f"{part.raw:g} {part.unit}" for part in winner.parts)
        return f"the highest weight, {weight_text(winner.weight)} ({raw})"

    def rejected_by(self, name: str) -> list[str]:
        """The hosts filter ``name`` rejected, in the order it was asked about them."""
        if isinstance(self.filter_results, VerdictColumns):
            return self.filter_results.rejected(name)
        return [v.host for v in self.filter_results if v.filter == name and not v.passed]

    def removed_by(self, host: str) -> FilterVerdict | None:
        """The verdict of the filter that removed this host, if one did."""
        return next((v for v in self.filter_results if v.host == host and not v.passed), None)


@dataclass(frozen=True)
class LogLine:
    """A line a service writes to its log: what an operator would grep for."""

    service: Service
    level: str
    text: str
    #: A line the walk shows at developer level only (what else the service logs at that moment).
    minor: bool = False


@dataclass(frozen=True)
class Attempt:
    """One attempt to build the followed instance on one host.

    ``result`` is ``active``, ``rescheduled`` or ``error``; ``host`` is None
    when the scheduler found no host for the attempt.
    """

    number: int
    host: str | None
    result: str
    reason: str | None = None


@dataclass(frozen=True)
class Fault:
    """The fault nova records on a server that went to ERROR."""

    message: str
    code: int


@dataclass(frozen=True)
class ApiError:
    """An error a service answered with, as novaclient prints it."""

    kind: str
    message: str
    http_status: int | None

    def as_client_line(self) -> str:
        """The line ``nova`` prints: ``ERROR (BadRequest): ... (HTTP 400)``."""
        status = f" (HTTP {self.http_status})" if self.http_status is not None else ""
        return f"ERROR ({self.kind}): {self.message}{status}"


@dataclass(frozen=True)
class StepRecord:
    """One step of the walk, as it happened."""

    number: int
    name: str
    title: str
    service: Service
    status: StepStatus
    note: str
    source: str
    state: InstanceState | None
    handoffs: tuple[Handoff, ...]
    detail: str = ""
    scheduling: Scheduling | None = None
    placements: tuple[Scheduling, ...] = ()
    attempt: int = 1
    logs: tuple[LogLine, ...] = ()
    cleanup: tuple[str, ...] = ()
    #: The states the instance passed through during the step, before ``state`` (``spawning`` in spawn).
    passed: tuple[InstanceState, ...] = ()

    def states_text(self) -> str:
        """The state after the step, after those it passed through: ``building / spawning … → active …``."""
        states = (*self.passed, self.state) if self.state is not None else self.passed
        return " → ".join(state.describe() for state in states)


@dataclass(frozen=True)
class Scenario:
    """A fault injected into the walk, and the lesson it teaches."""

    name: str
    lesson: str
    needs_volume: bool = False


@dataclass(frozen=True)
class Trace:
    """A whole walk: the request, the steps in order, and how it ended."""

    flow: str
    seed: int
    request: Mapping[str, Any]
    steps: tuple[StepRecord, ...]
    outcome: Outcome
    server: Mapping[str, Any] | None
    error: ApiError | None = None
    schema_version: int = SCHEMA_VERSION
    servers: tuple[Mapping[str, Any], ...] = ()
    attempts: tuple[Attempt, ...] = ()
    scenario: Scenario | None = None
    surfaces: str = ""
    release: str = ""

    def error_line(self) -> str | None:
        """The one line to print on stderr when the walk did not end ACTIVE.

        An HTTP refusal is printed as novaclient prints it. A fault that came
        later (no valid host, an aborted build) is not something the boot
        command (``nova boot``, ``openstack server create``) prints: it
        answered 202. When it waits (``--poll``, ``--wait``) the client ends
        on its own error line; otherwise bootwalk says where the fault is to
        be seen, in the words of the dialect the request was typed in.
        """
        if self.error is None:
            return None
        if self.error.http_status is not None:
            return self.error.as_client_line()
        from bootwalk.dialects import dialect_named

        dialect = dialect_named(self.request.get("dialect"))
        failed = [server["name"] for server in self.servers if server["status"] == "ERROR"]
        name = failed[0] if failed else self.request.get("name", "")
        if self.request.get("poll"):
            return dialect.wait_failure_line(name)
        names = ", ".join(failed) if failed else name
        return (
            f"{names} went to ERROR: {self.error.message} "
            f"({dialect.command} had answered 202; the fault shows in {dialect.show_command})"
        )
