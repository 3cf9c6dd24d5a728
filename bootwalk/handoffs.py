"""Builders for handoffs: each fixes one kind's payload shape and its semantic fields.

Steps never write a :class:`~bootwalk.trace.Handoff` by hand. A REST request
carries ``method``, ``url`` and optionally ``headers``, ``body`` and the
``status`` it is answered with; a REST reply carries ``status`` and
optionally ``headers`` and ``body``; an RPC message carries ``exchange``
(casts), ``topic``, optionally ``namespace`` and ``version``, ``method``
and ``args``; a database handoff carries its ``table`` (or ``tables``) and
what it reads or writes; a libvirt call carries the ``domain``.
Renderers, timing and exports read ``kind``, ``size_bytes`` and ``work``,
never the call's text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bootwalk.facts import RpcFact
from bootwalk.trace import Channel, Handoff, Kind, Service, Work

#: HTTP reason phrases for the statuses the walk shows.
REASONS = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    413: "Request Entity Too Large",
    500: "Internal Server Error",
}


def _with(payload: dict[str, Any], **optional: Any) -> dict[str, Any]:
    """The payload with each optional part that is given (not None)."""
    payload.update({key: value for key, value in optional.items() if value is not None})
    return payload


def rest_request(
    source: Service,
    target: Service,
    call: str,
    summary: str,
    *,
    url: str,
    headers: Mapping[str, str] | None = None,
    body: Any = None,
    status: int | None = None,
    work: Work | None = None,
    simplified: bool = False,
) -> Handoff:
    """An HTTP request; ``call`` is ``METHOD /path``. ``status`` is the answer when no reply is shown."""
    method = call.split(" ", 1)[0]
    payload = _with({"method": method, "url": url}, headers=headers, body=body, status=status)
    return Handoff(Kind.REST_REQUEST, source, target, Channel.REST, call, summary, payload, simplified, work=work)


def rest_reply(
    source: Service,
    target: Service,
    status: int,
    summary: str,
    *,
    headers: Mapping[str, str] | None = None,
    body: Any = None,
    work: Work | None = None,
    reason: str | None = None,
) -> Handoff:
    """An HTTP answer, shown as ``201 Created`` (or with ``reason`` instead of the standard phrase)."""
    payload = _with({"status": status}, headers=headers, body=body)
    call = f"{status} {reason or REASONS[status]}"
    return Handoff(Kind.REST_REPLY, source, target, Channel.REST, call, summary, payload, work=work)


def download(
    source: Service, target: Service, call: str, summary: str, *, url: str, size_bytes: int, simplified: bool = False
) -> Handoff:
    """A file coming back over HTTP (an image from glance): its bytes are what takes time."""
    payload = {
        "method": "GET",
        "url": url,
        "status": 200,
        "headers": {"Content-Type": "application/octet-stream", "Content-Length": str(size_bytes)},
    }
    return Handoff(
        Kind.REST_REPLY, source, target, Channel.REST, call, summary, payload, simplified, size_bytes, Work.DOWNLOAD
    )


def _rpc_payload(
    method: str,
    topic: str,
    *,
    exchange: str | None,
    namespace: str | None,
    version: str | None,
    args: Mapping[str, Any] | None,
) -> dict[str, Any]:
    payload = _with({}, exchange=exchange)
    payload["topic"] = topic
    _with(payload, namespace=namespace, version=version)
    payload["method"] = method
    return _with(payload, args=args)


def rpc_cast(
    source: Service,
    method: str,
    summary: str,
    *,
    topic: str,
    args: Mapping[str, Any] | None = None,
    namespace: str | None = None,
    version: str | None = None,
    target: Service = Service.QUEUE,
    work: Work | None = None,
) -> Handoff:
    """An RPC cast: put on the queue (or delivered straight), no answer awaited."""
    payload = _rpc_payload(method, topic, exchange="nova", namespace=namespace, version=version, args=args)
    return Handoff(Kind.RPC_CAST, source, target, Channel.RPC_CAST, method, summary, payload, work=work)


def queue_delivery(
    target: Service,
    method: str,
    summary: str,
    *,
    topic: str,
    args: Mapping[str, Any] | None = None,
    work: Work | None = None,
) -> Handoff:
    """A consumer takes a cast off the queue."""
    payload = _rpc_payload(method, topic, exchange="nova", namespace=None, version=None, args=args)
    return Handoff(Kind.QUEUE_DELIVERY, Service.QUEUE, target, Channel.RPC_CAST, method, summary, payload, work=work)


def rpc_call(
    source: Service,
    target: Service,
    method: str,
    summary: str,
    *,
    topic: str,
    args: Mapping[str, Any] | None = None,
    version: str | None = None,
    work: Work | None = None,
    simplified: bool = False,
    shown_as: str | None = None,
) -> Handoff:
    """An RPC call: the caller waits for the answer. ``shown_as`` is the method as the payload names it."""
    payload = _rpc_payload(shown_as or method, topic, exchange=None, namespace=None, version=version, args=args)
    return Handoff(Kind.RPC_CALL, source, target, Channel.RPC_CALL, method, summary, payload, simplified, work=work)


def rpc(
    fact: RpcFact,
    source: Service,
    summary: str,
    *,
    target: Service,
    server: str | None = None,
    args: Mapping[str, Any] | None = None,
    work: Work | None = None,
) -> Handoff:
    """The RPC a release's facts describe: a cast or a call, on its topic (``compute.<server>``), at its version.

    A cast's ``target`` is the service it is addressed to: the queue delivers it.
    """
    topic = fact.topic if server is None else f"{fact.topic}.{server}"
    if fact.is_cast:
        return rpc_cast(
            source,
            fact.method,
            summary,
            topic=topic,
            args=args,
            namespace=fact.namespace,
            version=fact.version,
            target=target,
            work=work,
        )
    return rpc_call(source, target, fact.method, summary, topic=topic, args=args, version=fact.version, work=work)


def rpc_reply(source: Service, target: Service, summary: str, result: Any, *, simplified: bool = False) -> Handoff:
    """The answer to an RPC call."""
    return Handoff(Kind.RPC_REPLY, source, target, Channel.RPC_CALL, "reply", summary, {"result": result}, simplified)


def rpc_error(source: Service, target: Service, exception: str, message: str) -> Handoff:
    """An RPC call answered with an exception, which the caller raises."""
    payload = {"exception": exception, "message": message}
    return Handoff(Kind.RPC_REPLY, source, target, Channel.RPC_CALL, exception, message, payload)


def _tables(tables: str | tuple[str, ...]) -> dict[str, Any]:
    return {"table": tables} if isinstance(tables, str) else {"tables": list(tables)}


def db_read(
    source: Service,
    target: Service,
    statement: str,
    summary: str,
    *,
    table: str,
    simplified: bool = False,
    **details: Any,
) -> Handoff:
    """A database read; ``details`` say what is read (``where``, ``rows``)."""
    payload = {"table": table, **details}
    return Handoff(Kind.DB_READ, source, target, Channel.DATABASE, statement, summary, payload, simplified)


def db_write(
    source: Service,
    target: Service,
    statement: str,
    summary: str,
    *,
    tables: str | tuple[str, ...] | None = None,
    values: Mapping[str, Any] | None = None,
    **details: Any,
) -> Handoff:
    """A database write: the table (or tables), the values written, and any other rows touched."""
    payload = {**(_tables(tables) if tables is not None else {}), **_with({}, values=values), **details}
    return Handoff(Kind.DB_WRITE, source, target, Channel.DATABASE, statement, summary, payload)


def libvirt_call(call: str, summary: str, *, domain: Any, work: Work | None = None, **details: Any) -> Handoff:
    """nova-compute asks libvirt to do something to a domain."""
    payload = {"domain": domain, **details}
    return Handoff(
        Kind.LIBVIRT_CALL, Service.NOVA_COMPUTE, Service.HYPERVISOR, Channel.LIBVIRT, call, summary, payload, work=work
    )


def libvirt_error(summary: str, *, domain: str, error: str) -> Handoff:
    """libvirt answers nova-compute with an error."""
    payload = {"domain": domain, "error": error}
    return Handoff(
        Kind.LIBVIRT_ERROR,
        Service.HYPERVISOR,
        Service.NOVA_COMPUTE,
        Channel.LIBVIRT,
        "libvirtError",
        summary,
        payload,
        work=Work.GUEST_FAILS,
    )
