"""Identifiers derived from a seed, so that the same seed gives the same walk.

Each value depends only on the seed and a label, never on the order of
calls, so adding a step does not shift every later ID.
"""

from __future__ import annotations

import base64

from bootwalk.records import dataclass

# The SHA-2 functions without hashlib, which loads OpenSSL (milliseconds and megabytes of start-up):
# CPython's own _sha2 (3.12 on) or _sha256 (to 3.11); hashlib only where neither is built.
try:
    from _sha2 import sha224, sha256  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - depends on the Python
    try:
        from _sha256 import sha224, sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
    except ImportError:
        from hashlib import sha224, sha256  # type: ignore[assignment,unused-ignore]


def sha256_digest(data: bytes) -> bytes:
    """SHA-256 of ``data``."""
    return bytes(sha256(data).digest())


def sha224_hex(data: bytes) -> str:
    """SHA-224 of ``data``, in hex (nova's hostId)."""
    return str(sha224(data).hexdigest())


#: The seed used when none is given: two plain runs print the same walk.
DEFAULT_SEED = 42
#: When the walk's token was issued: 2026-01-01T12:00:00Z, the walk's clock start.
TOKEN_ISSUED_AT = 1767268800


@dataclass(frozen=True)
class IdSource:
    """Makes UUIDs, tokens, MACs and addresses from a seed."""

    seed: int = DEFAULT_SEED

    @property
    def cloud(self) -> IdSource:
        """The IDs of the cloud's own objects, which stay whatever the walk's seed: projects, users, roles,
        services, security groups and resource providers (a lab's boots share one cloud)."""
        return self if self.seed == DEFAULT_SEED else IdSource(DEFAULT_SEED)

    def _digest(self, label: str) -> bytes:
        return sha256_digest(f"bootwalk:{self.seed}:{label}".encode())

    def uuid(self, label: str) -> str:
        """A random-looking (version 4) UUID for ``label``."""
        return format_uuid4(self._digest(label)[:16])

    def hex(self, label: str) -> str:
        """32 hex digits, as keystone writes user and project IDs."""
        return self._digest(label)[:16].hex()

    def request_id(self, label: str) -> str:
        """An OpenStack request ID, ``req-<uuid>``."""
        return f"req-{self.uuid('request:' + label)}"

    def token(self, provider: str = "fernet") -> str:
        """A keystone token of the provider's shape: ``fernet``, or ``PKI`` (Icehouse's default).

        A fernet token is base64url of a version byte (0x80) and a big-endian
        64-bit timestamp, then the rest; that is why real tokens begin with
        ``gAAAAAB``. A PKI token is the base64 of a CMS SignedData
        structure, which begins ``MII``; real ones run to several kilobytes.
        The rest here is derived from the seed.
        """
        if provider == "PKI":
            signed = b"\x30\x82\x1f\xa6\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02\xa0\x82\x1f\x97"
            rest = b"".join(self._digest(f"pki-token:{index}") for index in range(8))
            return base64.b64encode(signed + rest).decode().replace("/", "-")  # keystoneclient cms_to_token
        timestamp = TOKEN_ISSUED_AT.to_bytes(8, "big")
        body = b"\x80" + timestamp + b"".join(self._digest(f"token:{index}") for index in range(4))
        return base64.urlsafe_b64encode(body).decode().rstrip("=")[:183]

    def mac(self, label: str) -> str:
        """A MAC in neutron's default base_mac range, fa:16:3e:xx:xx:xx."""
        tail = self._digest("mac:" + label)[:3]
        return "fa:16:3e:" + ":".join(f"{byte:02x}" for byte in tail)

    def address(self, label: str, cidr: str, gateway: str, taken: frozenset[str] = frozenset()) -> str:
        """An address inside ``cidr`` that is neither the network, the gateway, the broadcast nor taken.

        An IPv4 network written plainly is worked out here (every walk asks for one, and :mod:`ipaddress`
        costs a millisecond to import); any other goes to :mod:`ipaddress`. A test holds the two equal.
        """
        start = int.from_bytes(self._digest("ip:" + label)[:8], "big")
        network = plain_ipv4_network(cidr)
        if network is None:
            return _address_in(cidr, start, gateway, taken)
        first, size = network
        span = size - 2
        for offset in range(span):
            value = first + 1 + (start % max(span, 1) + offset) % span
            text = f"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}"
            if text != gateway and text not in taken:
                return text
        raise ValueError(f"no free address left in {cidr}")


def plain_ipv4_network(cidr: str) -> tuple[int, int] | None:
    """(first address, size) of ``a.b.c.d/n`` written as ipaddress writes it, with no host bits; else None."""
    address, _slash, prefix = cidr.partition("/")
    octets = address.split(".")
    if len(octets) != 4 or not prefix.isdigit() or not all(octet.isdigit() for octet in octets):
        return None
    if str(int(prefix)) != prefix or int(prefix) > 32 or any(str(int(o)) != o or int(o) > 255 for o in octets):
        return None  # leading zeros, a prefix out of range: ipaddress says what is wrong
    value = int.from_bytes(bytes(int(octet) for octet in octets), "big")
    size = 1 << (32 - int(prefix))
    return None if value % size else (value, size)


def _address_in(cidr: str, start: int, gateway: str, taken: frozenset[str]) -> str:
    """:meth:`Ids.address` for any network, by :mod:`ipaddress`."""
    import ipaddress

    network = ipaddress.ip_network(cidr)
    span = network.num_addresses - 2
    start %= max(span, 1)
    for offset in range(span):
        text = str(network.network_address + 1 + (start + offset) % span)
        if text != gateway and text not in taken:
            return text
    raise ValueError(f"no free address left in {cidr}")


def format_uuid4(sixteen: bytes) -> str:
    """The text of a version-4 UUID made from 16 bytes, as ``str(uuid.UUID(bytes=..., version=4))`` gives it.

    Written out so that the walk need not import :mod:`uuid` (which imports
    platform and more) for this one formatting job; a test holds it to uuid's.
    """
    value = int.from_bytes(sixteen, "big")
    value &= ~(0xC000 << 48)
    value |= 0x8000 << 48  # the RFC 4122 variant
    value &= ~(0xF000 << 64)
    value |= 4 << 76  # version 4
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
