"""python-novaclient's ``--nic``: the grammar, the checks in its order, and its messages.

``_parse_nics`` of ``novaclient/v2/shell.py``, with the microversion rules
read from the one table (:mod:`bootwalk.dialects.microversions`). The nova
dialect uses it; the engine only sees the :class:`~bootwalk.request.NicRequest`
values it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from bootwalk.dialects.microversions import AUTO_NETWORK, NIC_TAG, allows
from bootwalk.request import CLIENT_MAX_VERSION, ApiVersion, NicRequest, Nics, RequestError

#: The keys a ``--nic`` may have.
NIC_KEYS = ("net-id", "net-name", "port-id", "v4-fixed-ip", "v6-fixed-ip", "tag")


def supports_auto_allocate(version: ApiVersion) -> bool:
    """``--nic auto`` and ``--nic none`` need microversion 2.37 (nova's row in the microversion table)."""
    return allows("nova", AUTO_NETWORK, version)


def supports_nic_tags(version: ApiVersion) -> bool:
    """``tag=`` is allowed at 2.32 to 2.36 and from 2.42 on (nova's row in the microversion table)."""
    return allows("nova", NIC_TAG, version)


def nic_error_message(version: ApiVersion) -> str:
    """python-novaclient's ``err_msg`` for a malformed ``--nic``, with ``%s`` left in."""
    auto = supports_auto_allocate(version)
    tags = supports_nic_tags(version)
    form = (
        ("auto,none," if auto else "")
        + "net-id=net-uuid,net-name=network-name,v4-fixed-ip=ip-addr,"
        + "v6-fixed-ip=ip-addr,port-id=port-uuid"
        + (",tag=tag" if tags else "")
    )
    message = (
        "Invalid nic argument '%s'. Nic arguments must be of the form "
        f"--nic <{form}>, with only one of net-id, net-name or port-id specified."
    )
    if auto:
        message += " Specifying a --nic of auto or none cannot be used with any other --nic value."
    return message


AUTO_OR_NONE_ALONE = "'auto' or 'none' cannot be used with any other nic arguments"


def parse_nics(
    texts: tuple[str, ...],
    version: ApiVersion = CLIENT_MAX_VERSION,
    find_network: Callable[[str], object] | None = None,
) -> Nics:
    """Parse every ``--nic`` value in order, exactly as python-novaclient's ``_parse_nics``.

    The values are read one after another because novaclient's checks depend
    on what came before: once ``auto`` or ``none`` has been read, anything
    further fails. ``net-name`` counts as ``net-id`` when looking for repeated
    keys, because novaclient resolves it to a net-id while parsing. With no
    ``--nic`` at all the client sends ``auto`` from 2.37 on, and no networks
    before. ``find_network``, when given, looks a ``net-name`` up as soon as
    it is read (``_find_network_id``), so an unknown network is reported
    before anything wrong later in the same value; it raises RequestError.
    A ``net-name`` then counts as a net-id that is given, whatever its text
    (even empty): novaclient replaces it with the network's ID, which is
    never empty, before it checks that one of net-id or port-id is set.
    Without ``find_network`` the name is looked up later, when the request
    is resolved, and is taken here as a network that will be found.
    """
    err_msg = nic_error_message(version)
    keys = set(NIC_KEYS) if supports_nic_tags(version) else set(NIC_KEYS) - {"tag"}
    auto_or_none = False
    nics: list[NicRequest | Literal["auto", "none"]] = []
    for text in texts:
        values: dict[str, str] = {}
        net_name: str | None = None
        for item in text.split(","):
            if auto_or_none:
                raise RequestError(AUTO_OR_NONE_ALONE)
            if item in ("auto", "none"):
                if not supports_auto_allocate(version):
                    raise RequestError(err_msg % text)
                if values:
                    raise RequestError(AUTO_OR_NONE_ALONE)
                nics.append("auto" if item == "auto" else "none")
                auto_or_none = True
                continue
            key, separator, value = item.partition("=")
            if not separator or key not in keys:
                raise RequestError(err_msg % text)
            if key == "net-name":
                key, net_name = "net-id", value
                if find_network is not None:
                    find_network(value)
            if key in values:
                raise RequestError(err_msg % text)
            values[key] = value
        if auto_or_none:
            continue
        v4 = values.get("v4-fixed-ip")
        if v4 is not None and not is_valid_ipv4(v4):
            raise RequestError("Invalid ipv4 address.")
        v6 = values.get("v6-fixed-ip")
        if v6 is not None and not is_valid_ipv6(v6):
            raise RequestError("Invalid ipv6 address.")
        if (net_name is not None or bool(values.get("net-id"))) == bool(values.get("port-id")):
            raise RequestError(err_msg % text)
        nics.append(
            NicRequest(
                net_id=None if net_name is not None else values.get("net-id"),
                net_name=net_name,
                port_id=values.get("port-id"),
                v4_fixed_ip=v4,
                v6_fixed_ip=v6,
                tag=values.get("tag"),
            )
        )
    if not nics:
        return "auto" if supports_auto_allocate(version) else ()
    if auto_or_none:
        if len(nics) > 1:
            raise RequestError(err_msg % texts[-1])
        only = nics[0]
        assert isinstance(only, str)
        return only
    return tuple(nic for nic in nics if isinstance(nic, NicRequest))


#: oslo.utils' ``is_valid_ipv6`` refuses a zone ("scope") ID longer than this.
IPV6_SCOPE_MAX_LENGTH = 15


def is_valid_ipv4(text: str) -> bool:
    """oslo.utils' ``netutils.is_valid_ipv4`` (strict, its default since oslo.utils 8.0), as novaclient calls it.

    netaddr's ``INET_PTON`` rules: four dot-separated decimal numbers of 0 to
    255 with no leading zeros, nothing else; so ``1.2.3``, ``01.2.3.4`` and
    ``0x1.2.3.4`` are refused. :mod:`ipaddress` has the same rules for IPv4.
    """
    import ipaddress

    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


def is_valid_ipv6(text: str) -> bool:
    """oslo.utils' ``netutils.is_valid_ipv6``, as novaclient calls it.

    oslo splits a zone ID off at the last ``%`` and refuses one that is empty
    or longer than 15 characters, then asks ``inet_pton`` about the rest (which
    refuses a ``%`` left in it); the zone ID itself may hold anything else. :mod:`ipaddress` parses an address
    as ``inet_pton`` does, but is only given the address: it would take a
    zone ID of any length, and refuse one with a ``/`` in it.
    """
    import ipaddress

    address, percent, scope = text.rpartition("%")
    if not percent:
        address = text
    elif "%" in address or not 1 <= len(scope) <= IPV6_SCOPE_MAX_LENGTH:
        return False
    try:
        ipaddress.IPv6Address(address)
    except ValueError:
        return False
    return True
