"""``--nic`` against python-novaclient's ``_parse_nics``: same result, or the same error, for every input.

Each expected outcome below was derived by reading novaclient's code (master,
``novaclient/v2/shell.py``: ``_parse_nics``, ``_supports_nic_tags`` and
``_find_network_id``; ``novaclient/v2/networks.py``: ``NeutronManager.find_network``;
oslo.utils master ``netutils.is_valid_ipv4``/``is_valid_ipv6`` over netaddr 1.3).
Results are written as novaclient returns them: a list of dicts whose
``net-name`` has become the network's ID, ``[]``, ``'auto'`` or ``'none'``.

novaclient checks, in this order, for each ``--nic`` and then each comma item:
an item after ``auto``/``none`` (even in a later ``--nic``) fails with
"'auto' or 'none' cannot be used with any other nic arguments"; ``auto`` or
``none`` before 2.37 is ``err_msg``, after a key=value in the same ``--nic`` it
is the "cannot be used" message; an item with no ``=`` (``split('=', 1)``) or
an unknown key (case and spaces count; ``tag`` only at 2.32-2.36 and 2.42+) is
``err_msg``; a ``net-name`` is looked up right then (``_find_network_id``) and
becomes ``net-id``; a key seen twice in one ``--nic`` is ``err_msg``. After the
items of one ``--nic``: "Invalid ipv4 address.", then "Invalid ipv6 address.",
then ``err_msg`` unless exactly one of net-id (non-empty) or port-id (non-empty)
is set. After every ``--nic``: ``auto``/``none`` together with another ``--nic``
is ``err_msg`` of the last ``--nic`` text.
"""

from __future__ import annotations

import platform
import socket
from dataclasses import dataclass
from typing import Union

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bootwalk.dialects.nics import is_valid_ipv4, is_valid_ipv6, parse_nics
from bootwalk.request import ApiVersion, Nics, RequestError

# --- novaclient's messages, copied from its source ----------------------------------------------

#: API version <= 2.31
ERR_MSG_21 = (
    "Invalid nic argument '%s'. Nic arguments must be of "
    "the form --nic <net-id=net-uuid,"
    "net-name=network-name,v4-fixed-ip=ip-addr,"
    "v6-fixed-ip=ip-addr,port-id=port-uuid>, "
    "with only one of net-id, net-name or port-id "
    "specified."
)
#: 2.36 >= API version >= 2.32
ERR_MSG_232 = (
    "Invalid nic argument '%s'. Nic arguments must be of "
    "the form --nic <net-id=net-uuid,"
    "net-name=network-name,v4-fixed-ip=ip-addr,"
    "v6-fixed-ip=ip-addr,port-id=port-uuid,tag=tag>, "
    "with only one of net-id, net-name or port-id "
    "specified."
)
#: 2.41 >= API version >= 2.37
ERR_MSG_237 = (
    "Invalid nic argument '%s'. Nic arguments must be of "
    "the form --nic <auto,none,net-id=net-uuid,"
    "net-name=network-name,v4-fixed-ip=ip-addr,"
    "v6-fixed-ip=ip-addr,port-id=port-uuid>, "
    "with only one of net-id, net-name or port-id "
    "specified. Specifying a --nic of auto or none cannot "
    "be used with any other --nic value."
)
#: API version >= 2.42
ERR_MSG_242 = (
    "Invalid nic argument '%s'. Nic arguments must be of "
    "the form --nic <auto,none,net-id=net-uuid,"
    "net-name=network-name,v4-fixed-ip=ip-addr,"
    "v6-fixed-ip=ip-addr,port-id=port-uuid,tag=tag>, "
    "with only one of net-id, net-name or port-id "
    "specified. Specifying a --nic of auto or none cannot "
    "be used with any other --nic value."
)
ALONE = "'auto' or 'none' cannot be used with any other nic arguments"
BAD_V4 = "Invalid ipv4 address."
BAD_V6 = "Invalid ipv6 address."


def supports_auto_alloc(version: ApiVersion) -> bool:
    """``cs.api_version >= APIVersion('2.37')``."""
    return version >= ApiVersion(2, 37)


def supports_nic_tags(version: ApiVersion) -> bool:
    """``_supports_nic_tags``: 2.32 to 2.36, or 2.42 and later."""
    return ApiVersion(2, 32) <= version <= ApiVersion(2, 36) or version >= ApiVersion(2, 42)


def err_msg(version: ApiVersion) -> str:
    """The ``err_msg`` novaclient picks for the version."""
    if supports_auto_alloc(version) and supports_nic_tags(version):
        return ERR_MSG_242
    if supports_auto_alloc(version):
        return ERR_MSG_237
    if supports_nic_tags(version):
        return ERR_MSG_232
    return ERR_MSG_21


# --- a neutron to look names up in (NeutronManager.find_network, then _find_network_id) -------


class NetworkLookupError(RequestError):
    """``CommandError(str(e))`` of ``_find_network_id``."""


def not_found(name: str) -> str:
    """``str(exceptions.NotFound(404, "No Network matching %s." % name))``."""
    return f"No Network matching {name}. (HTTP 404)"


def not_unique(name: str) -> str:
    """``str(exceptions.NoUniqueMatch(...))`` for two networks with the name."""
    return f"Multiple network matches found for '{name}', use an ID to be more specific."


@dataclass(frozen=True)
class Neutron:
    """Networks by name; a name listed twice is two networks."""

    networks: tuple[tuple[str, str], ...]

    def ids(self, name: str) -> list[str]:
        return [net_id for net_name, net_id in self.networks if net_name == name]

    def find_network(self, name: str) -> str:
        matches = self.ids(name)
        if not matches:
            raise NetworkLookupError(not_found(name))
        if len(matches) > 1:
            raise NetworkLookupError(not_unique(name))
        return matches[0]


NEUTRON = Neutron((("private", "id-private"), ("public", "id-public"), ("twin", "id-twin-1"), ("twin", "id-twin-2")))
#: neutron drops an empty filter (``?name=``), so with a single network an empty net-name finds it.
ONE_NETWORK = Neutron((("", "id-only"), ("private", "id-private")))

# --- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bad:
    """novaclient's ``err_msg % nic_str`` at the version of the case."""

    nic_str: str


@dataclass(frozen=True)
class Fails:
    """A CommandError with exactly this message."""

    message: str


Result = Union[str, list[dict[str, str]]]
Expected = Union[Result, Bad, Fails]

V = {
    text: ApiVersion(2, int(text.split(".")[1]))
    for text in ("2.0", "2.1", "2.31", "2.32", "2.36", "2.37", "2.41", "2.42", "2.96")
}
ALL = tuple(V)
TAGS = tuple(text for text, version in V.items() if supports_nic_tags(version))
NO_TAGS = tuple(text for text, version in V.items() if not supports_nic_tags(version))
AUTO = tuple(text for text, version in V.items() if supports_auto_alloc(version))
NO_AUTO = tuple(text for text, version in V.items() if not supports_auto_alloc(version))
A = "a"

#: (texts, the versions the row is for, novaclient's outcome at them, the neutron)
ROWS: list[tuple[tuple[str, ...], tuple[str, ...], Expected, Neutron]] = [
    # what novaclient sends without --nic
    ((), NO_AUTO, [], NEUTRON),
    ((), AUTO, "auto", NEUTRON),
    # well-formed nics, at every version
    (("net-id=a",), ALL, [{"net-id": "a"}], NEUTRON),
    (("port-id=p",), ALL, [{"port-id": "p"}], NEUTRON),
    (("net-name=private",), ALL, [{"net-id": "id-private"}], NEUTRON),
    (("net-id=a,v4-fixed-ip=10.0.0.5",), ALL, [{"net-id": A, "v4-fixed-ip": "10.0.0.5"}], NEUTRON),
    (("net-id=a,v6-fixed-ip=fd00::5",), ALL, [{"net-id": A, "v6-fixed-ip": "fd00::5"}], NEUTRON),
    (("v4-fixed-ip=10.0.0.5,net-name=public",), ALL, [{"net-id": "id-public", "v4-fixed-ip": "10.0.0.5"}], NEUTRON),
    # _parse_nics does not mind fixed IPs with a port
    (
        ("port-id=p,v4-fixed-ip=10.0.0.5,v6-fixed-ip=fd00::5",),
        ALL,
        [{"port-id": "p", "v4-fixed-ip": "10.0.0.5", "v6-fixed-ip": "fd00::5"}],
        NEUTRON,
    ),
    # split('=', 1): everything after the first '=' is the value, spaces and all
    (("net-id=a=b",), ALL, [{"net-id": "a=b"}], NEUTRON),
    (("net-id==",), ALL, [{"net-id": "="}], NEUTRON),
    (("net-id= a ",), ALL, [{"net-id": " a "}], NEUTRON),
    (("port-id=p,net-id=",), ALL, [{"port-id": "p", "net-id": ""}], NEUTRON),
    (("net-id=a,port-id=",), ALL, [{"net-id": A, "port-id": ""}], NEUTRON),
    (("net-id=a", "port-id=p"), ALL, [{"net-id": A}, {"port-id": "p"}], NEUTRON),
    (("net-id=a", "net-id=a"), ALL, [{"net-id": A}, {"net-id": A}], NEUTRON),
    (
        ("net-name=private,v4-fixed-ip=10.0.0.5", "net-name=public", "port-id=p"),
        ALL,
        [{"net-id": "id-private", "v4-fixed-ip": "10.0.0.5"}, {"net-id": "id-public"}, {"port-id": "p"}],
        NEUTRON,
    ),
    # addresses oslo.utils takes
    (("net-id=a,v4-fixed-ip=0.0.0.0",), ALL, [{"net-id": A, "v4-fixed-ip": "0.0.0.0"}], NEUTRON),
    (("net-id=a,v4-fixed-ip=255.255.255.255",), ALL, [{"net-id": A, "v4-fixed-ip": "255.255.255.255"}], NEUTRON),
    (("net-id=a,v6-fixed-ip=::",), ALL, [{"net-id": A, "v6-fixed-ip": "::"}], NEUTRON),
    (("net-id=a,v6-fixed-ip=::ffff:10.0.0.1",), ALL, [{"net-id": A, "v6-fixed-ip": "::ffff:10.0.0.1"}], NEUTRON),
    (("net-id=a,v6-fixed-ip=1:2:3:4:5:6:7::",), ALL, [{"net-id": A, "v6-fixed-ip": "1:2:3:4:5:6:7::"}], NEUTRON),
    (("net-id=a,v6-fixed-ip=FE80::0001",), ALL, [{"net-id": A, "v6-fixed-ip": "FE80::0001"}], NEUTRON),
    (("port-id=p,v6-fixed-ip=fe80::1%eth0",), ALL, [{"port-id": "p", "v6-fixed-ip": "fe80::1%eth0"}], NEUTRON),
    (
        ("net-id=a,v6-fixed-ip=fe80::1%" + "e" * 15,),
        ALL,
        [{"net-id": A, "v6-fixed-ip": "fe80::1%" + "e" * 15}],
        NEUTRON,
    ),
    (("net-id=a,v6-fixed-ip=fe80::1%a b=c",), ALL, [{"net-id": A, "v6-fixed-ip": "fe80::1%a b=c"}], NEUTRON),
    # oslo only measures the zone ID; ipaddress refuses a '/' anywhere in the text
    (("net-id=a,v6-fixed-ip=fe80::1%eth0/1",), ALL, [{"net-id": A, "v6-fixed-ip": "fe80::1%eth0/1"}], NEUTRON),
    # malformed items: no '=', unknown keys (case, spaces), empty items between commas
    (("",), ALL, Bad(""), NEUTRON),
    ((",",), ALL, Bad(","), NEUTRON),
    (("net-id",), ALL, Bad("net-id"), NEUTRON),
    (("net-id=a,",), ALL, Bad("net-id=a,"), NEUTRON),
    ((",net-id=a",), ALL, Bad(",net-id=a"), NEUTRON),
    (("net-id=a,,port-id=p",), ALL, Bad("net-id=a,,port-id=p"), NEUTRON),
    (("NET-ID=a",), ALL, Bad("NET-ID=a"), NEUTRON),
    ((" net-id=a",), ALL, Bad(" net-id=a"), NEUTRON),
    (("net-id =a",), ALL, Bad("net-id =a"), NEUTRON),
    (("net_id=a",), ALL, Bad("net_id=a"), NEUTRON),
    (("=a",), ALL, Bad("=a"), NEUTRON),
    (("colour=red",), ALL, Bad("colour=red"), NEUTRON),
    (("AUTO",), ALL, Bad("AUTO"), NEUTRON),
    (("None",), ALL, Bad("None"), NEUTRON),
    (("auto ",), ALL, Bad("auto "), NEUTRON),
    (("auto=1",), ALL, Bad("auto=1"), NEUTRON),
    (("net-id=100%",), ALL, [{"net-id": "100%"}], NEUTRON),
    (("100%s",), ALL, Bad("100%s"), NEUTRON),
    # repeated keys; net-name is net-id by then
    (("net-id=a,net-id=b",), ALL, Bad("net-id=a,net-id=b"), NEUTRON),
    (("net-id=a,net-id=a",), ALL, Bad("net-id=a,net-id=a"), NEUTRON),
    (("net-id=a,net-name=private",), ALL, Bad("net-id=a,net-name=private"), NEUTRON),
    (("net-name=private,net-id=a",), ALL, Bad("net-name=private,net-id=a"), NEUTRON),
    (("net-name=private,net-name=public",), ALL, Bad("net-name=private,net-name=public"), NEUTRON),
    (("port-id=p,port-id=q",), ALL, Bad("port-id=p,port-id=q"), NEUTRON),
    (
        ("net-id=a,v4-fixed-ip=10.0.0.1,v4-fixed-ip=10.0.0.2",),
        ALL,
        Bad("net-id=a,v4-fixed-ip=10.0.0.1,v4-fixed-ip=10.0.0.2"),
        NEUTRON,
    ),
    # exactly one of net-id or port-id, non-empty
    (("net-id=a,port-id=p",), ALL, Bad("net-id=a,port-id=p"), NEUTRON),
    (("net-name=private,port-id=p",), ALL, Bad("net-name=private,port-id=p"), NEUTRON),
    (("v4-fixed-ip=10.0.0.1",), ALL, Bad("v4-fixed-ip=10.0.0.1"), NEUTRON),
    (("net-id=",), ALL, Bad("net-id="), NEUTRON),
    (("port-id=",), ALL, Bad("port-id="), NEUTRON),
    (("net-id=,port-id=",), ALL, Bad("net-id=,port-id="), NEUTRON),
    # addresses oslo.utils refuses
    (("net-id=a,v4-fixed-ip=300.1.1.1",), ALL, Fails(BAD_V4), NEUTRON),
    (("net-id=a,v4-fixed-ip=1.2.3",), ALL, Fails(BAD_V4), NEUTRON),
    (("net-id=a,v4-fixed-ip=01.2.3.4",), ALL, Fails(BAD_V4), NEUTRON),
    (("net-id=a,v4-fixed-ip=0x1.2.3.4",), ALL, Fails(BAD_V4), NEUTRON),
    (("net-id=a,v4-fixed-ip=16909060",), ALL, Fails(BAD_V4), NEUTRON),
    (("net-id=a,v4-fixed-ip=",), ALL, Fails(BAD_V4), NEUTRON),
    (("net-id=a,v4-fixed-ip= 10.0.0.1",), ALL, Fails(BAD_V4), NEUTRON),
    (("net-id=a,v4-fixed-ip=10.0.0.1/24",), ALL, Fails(BAD_V4), NEUTRON),
    (("net-id=a,v4-fixed-ip=fd00::1",), ALL, Fails(BAD_V4), NEUTRON),
    (("net-id=a,v6-fixed-ip=10.0.0.1",), ALL, Fails(BAD_V6), NEUTRON),
    (("net-id=a,v6-fixed-ip=",), ALL, Fails(BAD_V6), NEUTRON),
    (("net-id=a,v6-fixed-ip=1::2::3",), ALL, Fails(BAD_V6), NEUTRON),
    (("net-id=a,v6-fixed-ip=00000::",), ALL, Fails(BAD_V6), NEUTRON),
    (("net-id=a,v6-fixed-ip=::01.2.3.4",), ALL, Fails(BAD_V6), NEUTRON),
    (("net-id=a,v6-fixed-ip=1:2:3:4:5:6:7:8::",), ALL, Fails(BAD_V6), NEUTRON),
    (("net-id=a,v6-fixed-ip=fe80::1%",), ALL, Fails(BAD_V6), NEUTRON),
    (("net-id=a,v6-fixed-ip=fe80::1%a%b",), ALL, Fails(BAD_V6), NEUTRON),
    # oslo.utils refuses a zone ID of more than 15 characters (ipaddress takes it)
    (("net-id=a,v6-fixed-ip=fe80::1%" + "e" * 16,), ALL, Fails(BAD_V6), NEUTRON),
    (("net-id=a,v6-fixed-ip=fe80::1%eth0.1234567890ab",), ALL, Fails(BAD_V6), NEUTRON),
    # which check comes first
    (("v6-fixed-ip=bad,v4-fixed-ip=bad",), ALL, Fails(BAD_V4), NEUTRON),
    (("v6-fixed-ip=bad",), ALL, Fails(BAD_V6), NEUTRON),
    (("net-id=a,port-id=p,v6-fixed-ip=bad",), ALL, Fails(BAD_V6), NEUTRON),
    (("net-id=a,v4-fixed-ip=bad,foo",), ALL, Bad("net-id=a,v4-fixed-ip=bad,foo"), NEUTRON),
    (("net-id=a,v4-fixed-ip=bad,net-id=b",), ALL, Bad("net-id=a,v4-fixed-ip=bad,net-id=b"), NEUTRON),
    (("net-id=a,v4-fixed-ip=bad", "foo"), ALL, Fails(BAD_V4), NEUTRON),
    (("foo", "net-id=a,v4-fixed-ip=bad"), ALL, Bad("foo"), NEUTRON),
    (("net-id=a", "net-id=b,port-id=c"), ALL, Bad("net-id=b,port-id=c"), NEUTRON),
    # a net-name is looked up as it is read: before what follows, after what came before
    (("net-name=nope",), ALL, Fails(not_found("nope")), NEUTRON),
    (("net-name=twin",), ALL, Fails(not_unique("twin")), NEUTRON),
    (("net-name= private",), ALL, Fails(not_found(" private")), NEUTRON),
    (("net-name=nope,foo",), ALL, Fails(not_found("nope")), NEUTRON),
    (("foo,net-name=nope",), ALL, Bad("foo,net-name=nope"), NEUTRON),
    (("net-name=nope,net-id=a",), ALL, Fails(not_found("nope")), NEUTRON),
    (("net-id=a,net-name=nope",), ALL, Fails(not_found("nope")), NEUTRON),
    (("net-name=private,net-name=nope",), ALL, Fails(not_found("nope")), NEUTRON),
    (("net-name=nope,port-id=p",), ALL, Fails(not_found("nope")), NEUTRON),
    (("net-name=nope,v4-fixed-ip=bad",), ALL, Fails(not_found("nope")), NEUTRON),
    (("v4-fixed-ip=bad,net-name=nope",), ALL, Fails(not_found("nope")), NEUTRON),
    (("NET-NAME=nope",), ALL, Bad("NET-NAME=nope"), NEUTRON),
    (("net-id=a,port-id=p", "net-name=nope"), ALL, Bad("net-id=a,port-id=p"), NEUTRON),
    (("net-name=nope", "foo"), ALL, Fails(not_found("nope")), NEUTRON),
    (("net-name=nope,auto",), ALL, Fails(not_found("nope")), NEUTRON),
    (("net-name=",), ALL, Fails(not_found("")), NEUTRON),
    # an empty net-name that neutron answers: novaclient then holds a network ID, never empty
    (("net-name=",), ALL, [{"net-id": "id-only"}], ONE_NETWORK),
    (("net-name=,port-id=p",), ALL, Bad("net-name=,port-id=p"), ONE_NETWORK),
    (("port-id=p,net-name=",), ALL, Bad("port-id=p,net-name="), ONE_NETWORK),
    (("net-name=,v4-fixed-ip=10.0.0.5",), ALL, [{"net-id": "id-only", "v4-fixed-ip": "10.0.0.5"}], ONE_NETWORK),
    # tag: 2.32 to 2.36, and 2.42 on
    (("net-id=a,tag=t",), TAGS, [{"net-id": A, "tag": "t"}], NEUTRON),
    (("net-id=a,tag=t",), NO_TAGS, Bad("net-id=a,tag=t"), NEUTRON),
    (("port-id=p,tag=",), TAGS, [{"port-id": "p", "tag": ""}], NEUTRON),
    (("port-id=p,tag=",), NO_TAGS, Bad("port-id=p,tag="), NEUTRON),
    (("tag=t",), ALL, Bad("tag=t"), NEUTRON),
    (("net-id=a,tag=t,tag=u",), ALL, Bad("net-id=a,tag=t,tag=u"), NEUTRON),
    (("net-id=a,TAG=t",), ALL, Bad("net-id=a,TAG=t"), NEUTRON),
    (("net-name=nope,tag=t",), ALL, Fails(not_found("nope")), NEUTRON),
    (("tag=t,net-name=nope",), TAGS, Fails(not_found("nope")), NEUTRON),
    (("tag=t,net-name=nope",), NO_TAGS, Bad("tag=t,net-name=nope"), NEUTRON),
    (("net-id=a,tag=t,v4-fixed-ip=bad",), TAGS, Fails(BAD_V4), NEUTRON),
    (("net-id=a,tag=t,v4-fixed-ip=bad",), NO_TAGS, Bad("net-id=a,tag=t,v4-fixed-ip=bad"), NEUTRON),
    # auto and none: 2.37 on, alone
    (("auto",), AUTO, "auto", NEUTRON),
    (("auto",), NO_AUTO, Bad("auto"), NEUTRON),
    (("none",), AUTO, "none", NEUTRON),
    (("none",), NO_AUTO, Bad("none"), NEUTRON),
    (("auto,none",), AUTO, Fails(ALONE), NEUTRON),
    (("auto,none",), NO_AUTO, Bad("auto,none"), NEUTRON),
    (("auto,",), AUTO, Fails(ALONE), NEUTRON),
    (("auto,",), NO_AUTO, Bad("auto,"), NEUTRON),
    (("auto,net-id=a",), AUTO, Fails(ALONE), NEUTRON),
    (("auto,net-id=a",), NO_AUTO, Bad("auto,net-id=a"), NEUTRON),
    (("net-id=a,auto",), AUTO, Fails(ALONE), NEUTRON),
    (("net-id=a,auto",), NO_AUTO, Bad("net-id=a,auto"), NEUTRON),
    (("net-id=a,none",), AUTO, Fails(ALONE), NEUTRON),
    (("auto,tag=t",), AUTO, Fails(ALONE), NEUTRON),
    (("auto,net-name=nope",), AUTO, Fails(ALONE), NEUTRON),
    (("auto,net-name=nope",), NO_AUTO, Bad("auto,net-name=nope"), NEUTRON),
    (("foo,auto",), ALL, Bad("foo,auto"), NEUTRON),
    (("auto", "net-id=a"), AUTO, Fails(ALONE), NEUTRON),
    (("auto", "net-id=a"), NO_AUTO, Bad("auto"), NEUTRON),
    (("auto", "none"), AUTO, Fails(ALONE), NEUTRON),
    (("auto", "auto"), AUTO, Fails(ALONE), NEUTRON),
    (("none", "none"), NO_AUTO, Bad("none"), NEUTRON),
    (("auto", ""), AUTO, Fails(ALONE), NEUTRON),
    (("auto", "net-name=nope"), AUTO, Fails(ALONE), NEUTRON),
    # auto after another --nic: only noticed once every --nic is read, with the last text
    (("net-id=a", "auto"), ALL, Bad("auto"), NEUTRON),
    (("net-id=a", "none"), ALL, Bad("none"), NEUTRON),
    (("net-name=private", "auto"), ALL, Bad("auto"), NEUTRON),
    (("net-id=a", "port-id=p", "none"), ALL, Bad("none"), NEUTRON),
    (("net-id=a", "auto", "port-id=p"), AUTO, Fails(ALONE), NEUTRON),
    (("net-id=a", "auto", "port-id=p"), NO_AUTO, Bad("auto"), NEUTRON),
    (("net-id=a,port-id=p", "auto"), ALL, Bad("net-id=a,port-id=p"), NEUTRON),
    (("net-name=nope", "auto"), ALL, Fails(not_found("nope")), NEUTRON),
    (("net-id=a,v6-fixed-ip=bad", "auto"), ALL, Fails(BAD_V6), NEUTRON),
]

CASES = [
    pytest.param(texts, V[version], expected, neutron, id=f"{version}-{texts!r}")
    for texts, versions, expected, neutron in ROWS
    for version in versions
]


def as_novaclient(nics: Nics, neutron: Neutron) -> Result:
    """bootwalk's nics written as novaclient's ``_parse_nics`` returns them."""
    if isinstance(nics, str):
        return nics
    result = []
    for nic in nics:
        info: dict[str, str] = {}
        if nic.net_name is not None:
            info["net-id"] = neutron.find_network(nic.net_name)
        elif nic.net_id is not None:
            info["net-id"] = nic.net_id
        for key, value in (
            ("port-id", nic.port_id),
            ("v4-fixed-ip", nic.v4_fixed_ip),
            ("v6-fixed-ip", nic.v6_fixed_ip),
            ("tag", nic.tag),
        ):
            if value is not None:
                info[key] = value
        result.append(info)
    return result


def outcome(texts: tuple[str, ...], version: ApiVersion, neutron: Neutron) -> Result | Fails:
    """What bootwalk answers, as a novaclient result or the message it fails with."""
    try:
        return as_novaclient(parse_nics(texts, version, neutron.find_network), neutron)
    except RequestError as error:
        return Fails(str(error))


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 100


@pytest.mark.parametrize(("texts", "version", "expected", "neutron"), CASES)
def test_nic_parsing_matches_novaclient(
    texts: tuple[str, ...], version: ApiVersion, expected: Expected, neutron: Neutron
) -> None:
    if isinstance(expected, Bad):
        expected = Fails(err_msg(version) % expected.nic_str)
    assert outcome(texts, version, neutron) == expected


@pytest.mark.parametrize("version", list(V.values()), ids=list(V))
def test_the_error_message_is_novaclients(version: ApiVersion) -> None:
    assert outcome(("foo",), version, NEUTRON) == Fails(err_msg(version) % "foo")


def test_without_a_lookup_a_net_name_is_taken_as_found() -> None:
    """With no ``find_network`` the name waits to be resolved; it still counts as the net-id novaclient would hold."""
    with pytest.raises(RequestError) as caught:
        parse_nics(("net-name=,port-id=p",), ApiVersion(2, 96))
    assert str(caught.value) == ERR_MSG_242 % "net-name=,port-id=p"
    assert as_novaclient(parse_nics(("net-name=",), ApiVersion(2, 96)), ONE_NETWORK) == [{"net-id": "id-only"}]


# --- novaclient's code, transcribed, as the oracle of a property -------------------------------

ON_GLIBC = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"
needs_glibc = pytest.mark.skipif(not ON_GLIBC, reason="the oracle calls glibc's inet_pton, as novaclient does on Linux")


def oslo_is_valid_ipv4(address: str) -> bool:
    """``netutils.is_valid_ipv4(address)``: ``netaddr.valid_ipv4(address, flags=INET_PTON)``."""
    if not address:
        return False
    if ":" in address:  # netaddr.strategy.ipv4.str_to_int
        return False
    if any(len(part) > 1 and part.startswith("0") for part in address.split(".")):
        return False
    try:
        socket.inet_pton(socket.AF_INET, address)
    except OSError:
        return False
    return True


def oslo_is_valid_ipv6(address: str) -> bool:
    """``netutils.is_valid_ipv6(address)``."""
    if not address:
        return False
    parts = address.rsplit("%", 1)
    address = parts[0]
    scope = parts[1] if len(parts) > 1 else None
    if scope is not None and (len(scope) < 1 or len(scope) > 15):
        return False
    try:
        socket.inet_pton(socket.AF_INET6, address)
    except OSError:
        return False
    return True


def novaclient_parse_nics(nic_strs: tuple[str, ...], version: ApiVersion, neutron: Neutron) -> Result:
    """``_parse_nics`` line by line, ``CommandError`` as :class:`RequestError`."""
    auto_ok = supports_auto_alloc(version)
    nic_keys = {"net-id", "v4-fixed-ip", "v6-fixed-ip", "port-id", "net-name"}
    if supports_nic_tags(version):
        nic_keys.add("tag")
    message = err_msg(version)
    auto_or_none = False
    nics: list[object] = []
    nic_str = ""
    for nic_str in nic_strs:
        nic_info: dict[str, str] = {}
        nic_info_set = False
        for kv_str in nic_str.split(","):
            if auto_or_none:
                raise RequestError(ALONE)
            if kv_str in ("auto", "none"):
                if not auto_ok:
                    raise RequestError(message % nic_str)
                if nic_info_set:
                    raise RequestError(ALONE)
                nics.append(kv_str)
                auto_or_none = True
                continue
            try:
                k, v = kv_str.split("=", 1)
            except ValueError:
                raise RequestError(message % nic_str) from None
            if k in nic_keys:
                if k == "net-name":
                    k = "net-id"
                    v = neutron.find_network(v)
                if k in nic_info:
                    raise RequestError(message % nic_str)
                nic_info[k] = v
                nic_info_set = True
            else:
                raise RequestError(message % nic_str)
        if auto_or_none:
            continue
        if "v4-fixed-ip" in nic_info and not oslo_is_valid_ipv4(nic_info["v4-fixed-ip"]):
            raise RequestError(BAD_V4)
        if "v6-fixed-ip" in nic_info and not oslo_is_valid_ipv6(nic_info["v6-fixed-ip"]):
            raise RequestError(BAD_V6)
        if bool(nic_info.get("net-id")) == bool(nic_info.get("port-id")):
            raise RequestError(message % nic_str)
        nics.append(nic_info)
    if nics:
        if auto_or_none:
            if len(nics) > 1:
                raise RequestError(message % nic_str)
            only = nics[0]
            assert isinstance(only, str)
            return only
        return [nic for nic in nics if isinstance(nic, dict)]
    return "auto" if auto_ok else []


def novaclient_outcome(texts: tuple[str, ...], version: ApiVersion, neutron: Neutron) -> Result | Fails:
    try:
        return novaclient_parse_nics(texts, version, neutron)
    except RequestError as error:
        return Fails(str(error))


@needs_glibc
@pytest.mark.parametrize(("texts", "version", "expected", "neutron"), CASES)
def test_the_table_agrees_with_the_transcription(
    texts: tuple[str, ...], version: ApiVersion, expected: Expected, neutron: Neutron
) -> None:
    if isinstance(expected, Bad):
        expected = Fails(err_msg(version) % expected.nic_str)
    assert novaclient_outcome(texts, version, neutron) == expected


# Text that argv can hold and inet_pton can be asked about: no NUL, no lone surrogates.
IP_ALPHABET = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
ip_like = st.one_of(
    st.text(alphabet="0123456789abcdefABCDEFx:.% ", max_size=45),
    st.text(alphabet=IP_ALPHABET, max_size=20),
    st.ip_addresses().map(str),
    st.builds(
        lambda address, zone: f"{address}%{zone}",
        st.ip_addresses(v=6).map(str),
        st.text(alphabet=IP_ALPHABET, max_size=18),
    ),
    st.lists(st.integers(0, 300).map(str) | st.sampled_from(["", "00", "01", "0x1", "1e1"]), max_size=5).map(".".join),
)


@needs_glibc
@settings(max_examples=1000)
@given(ip_like)
def test_addresses_are_checked_as_oslo_checks_them(text: str) -> None:
    assert is_valid_ipv4(text) == oslo_is_valid_ipv4(text)
    assert is_valid_ipv6(text) == oslo_is_valid_ipv6(text)


KEYS = ["net-id", "net-name", "port-id", "v4-fixed-ip", "v6-fixed-ip", "tag", "NET-ID", " net-id", "foo", ""]
VALUES = ["a", "", "=", "private", "public", "twin", "nope", "10.0.0.1", "1.2.3", "fd00::1", "fe80::1%" + "e" * 16]
items = st.one_of(
    st.sampled_from(["auto", "none", "", "AUTO", "foo"]),
    st.builds(lambda key, value: f"{key}={value}", st.sampled_from(KEYS), st.sampled_from(VALUES) | ip_like),
)
nic_texts = st.lists(items, min_size=1, max_size=4).map(",".join) | st.text(alphabet=IP_ALPHABET, max_size=30)


@needs_glibc
@settings(max_examples=500)
@given(
    st.lists(nic_texts, max_size=3).map(tuple),
    st.integers(min_value=0, max_value=96).map(lambda minor: ApiVersion(2, minor)),
    st.sampled_from([NEUTRON, ONE_NETWORK]),
)
def test_any_nics_parse_as_novaclient_parses_them(
    texts: tuple[str, ...], version: ApiVersion, neutron: Neutron
) -> None:
    assert outcome(texts, version, neutron) == novaclient_outcome(texts, version, neutron)
