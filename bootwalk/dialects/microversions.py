"""The one table of compute API microversion facts: which option needs which microversion, per dialect.

Every check a dialect makes while it builds a request and every item of the
header line "Needs a compute API microversion: …" is read from
:data:`MICROVERSIONS`. A row names a *feature* (what the request asks for,
the same in every dialect), the dialect, the flag as that dialect's user types
it, and the versions that allow it. The facts are the clients' own:

* python-novaclient 18, ``novaclient/v2/shell.py``: the ``start_version`` and
  ``end_version`` of ``do_boot``'s arguments, and ``_parse_nics`` for the
  keys of ``--nic``;
* python-openstackclient, ``openstackclient/compute/v2/server.py``
  ``CreateServer.take_action``: each ``supports_microversion`` check, with its
  own message.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from bootwalk.request import ApiVersion, BootRequest, RequestError

#: The first version of the v2 API: a range that starts here reads "N or earlier".
FIRST_VERSION = ApiVersion(2, 0)

# The features, as the request asks for them whatever the dialect.
AUTO_NETWORK = "auto-network"
NO_NETWORK = "no-network"
NIC_TAG = "nic-tag"
FILES = "files"
DESCRIPTION = "description"
TAGS = "tags"
TRUSTED_IMAGE_CERTIFICATES = "trusted-image-certificates"
HOST = "host"
HYPERVISOR_HOSTNAME = "hypervisor-hostname"
HOSTNAME = "hostname"


class VersionRange(NamedTuple):
    """The microversions from ``low`` to ``high`` (None: to the newest), both included."""

    low: ApiVersion
    high: ApiVersion | None = None

    def allows(self, version: ApiVersion) -> bool:
        """True when the version is in the range."""
        return self.low <= version and (self.high is None or version <= self.high)

    def describe(self) -> str:
        """Read as ``2.37 or later``, ``2.56 or earlier`` or ``2.32 to 2.36``."""
        if self.high is None:
            return f"{self.low} or later"
        if self.low == FIRST_VERSION:
            return f"{self.high} or earlier"
        return f"{self.low} to {self.high}"

    def bounds(self) -> str:
        """Read as ``2.52 or later`` or ``2.0 to 2.56``: both ends named."""
        return f"{self.low} or later" if self.high is None else f"{self.low} to {self.high}"


class Microversioned(NamedTuple):
    """One option of one dialect that only some compute API microversions allow.

    ``field`` is the field of the dialect's options record that asks for
    it, when giving the option is enough to need the microversion; rows
    without one are checked where the dialect reads that option (``--nic``).
    ``label`` is the name the header line gives it when two options share
    one item (``--host / --hypervisor-hostname``). ``message`` is the
    client's own refusal when it is not the dialect's usual one; it may name
    ``{low}`` and ``{high}``.
    """

    feature: str
    dialect: str
    option: str
    ranges: tuple[VersionRange, ...]
    field: str = ""
    label: str = ""
    message: str = ""

    def allows(self, version: ApiVersion) -> bool:
        """True when one of the ranges has the version."""
        return any(allowed.allows(version) for allowed in self.ranges)

    def describe(self) -> str:
        """Read as ``2.32 to 2.36, or 2.42 or later``."""
        return ", or ".join(allowed.describe() for allowed in self.ranges)


def _from(major: int, minor: int) -> tuple[VersionRange, ...]:
    return (VersionRange(ApiVersion(major, minor)),)


_UP_TO_2_56 = (VersionRange(FIRST_VERSION, ApiVersion(2, 56)),)
_HOSTS = "--host / --hypervisor-hostname"
_OPENSTACK_AUTO = (
    "--os-compute-api-version {low} or greater is required to support explicit auto-allocation of a network or to "
    "disable network allocation"
)

#: Every option that needs a microversion, dialect by dialect, in the order checks run and the header lists them.
MICROVERSIONS: tuple[Microversioned, ...] = (
    Microversioned(AUTO_NETWORK, "nova", "--nic auto", _from(2, 37)),
    Microversioned(NO_NETWORK, "nova", "--nic none", _from(2, 37)),
    Microversioned(NIC_TAG, "nova", "--nic tag=",
                   (VersionRange(ApiVersion(2, 32), ApiVersion(2, 36)), VersionRange(ApiVersion(2, 42)))),
    Microversioned(FILES, "nova", "--file", _UP_TO_2_56, "files"),
    Microversioned(DESCRIPTION, "nova", "--description", _from(2, 19), "description"),
    Microversioned(TAGS, "nova", "--tags", _from(2, 52), "tags"),
    Microversioned(TRUSTED_IMAGE_CERTIFICATES, "nova", "--trusted-image-certificate-id", _from(2, 63),
                   "trusted_image_certificate_ids"),
    Microversioned(HOST, "nova", "--host", _from(2, 74), "host", label=_HOSTS),
    Microversioned(HYPERVISOR_HOSTNAME, "nova", "--hypervisor-hostname", _from(2, 74), "hypervisor_hostname",
                   label=_HOSTS),
    Microversioned(HOSTNAME, "nova", "--hostname", _from(2, 90), "hostname"),
    Microversioned(AUTO_NETWORK, "openstack", "--auto-network", _from(2, 37), message=_OPENSTACK_AUTO),
    Microversioned(NO_NETWORK, "openstack", "--no-network", _from(2, 37), message=_OPENSTACK_AUTO),
    Microversioned(NIC_TAG, "openstack", "--nic tag=", _from(2, 43),
                   message="--os-compute-api-version {low} or greater is required to support the --nic tag field"),
    Microversioned(FILES, "openstack", "--file", _UP_TO_2_56, "files",
                   message="Personality files are deprecated and are not supported for --os-compute-api-version "
                   "greater than {high}; use user data instead"),
    Microversioned(DESCRIPTION, "openstack", "--description", _from(2, 19), "description"),
    Microversioned(TAGS, "openstack", "--tag", _from(2, 52), "tags"),
    Microversioned(TRUSTED_IMAGE_CERTIFICATES, "openstack", "--trusted-image-cert", _from(2, 63),
                   "trusted_image_certificates"),
    Microversioned(HOST, "openstack", "--host", _from(2, 74), "host", label=_HOSTS),
    Microversioned(HYPERVISOR_HOSTNAME, "openstack", "--hypervisor-hostname", _from(2, 74), "hypervisor_hostname",
                   label=_HOSTS),
    Microversioned(HOSTNAME, "openstack", "--hostname", _from(2, 90), "hostname"),
)  # fmt: skip


def rows(dialect: str) -> tuple[Microversioned, ...]:
    """The table's rows for one dialect, in order."""
    return tuple(row for row in MICROVERSIONS if row.dialect == dialect)


def row(dialect: str, feature: str) -> Microversioned:
    """The row of one feature in one dialect."""
    return next(found for found in MICROVERSIONS if found.dialect == dialect and found.feature == feature)


def allows(dialect: str, feature: str, version: ApiVersion) -> bool:
    """True when this dialect may ask for the feature at this version."""
    return row(dialect, feature).allows(version)


def given_in(dialect: str, options: object) -> set[str]:
    """The features whose option an options record has a value for (anything but None or no values at all)."""
    return {row.feature for row in rows(dialect) if row.field and getattr(options, row.field) not in (None, ())}


def check(dialect: str, given: Collection[str], version: ApiVersion, usual_message: str) -> None:
    """Raise RequestError for the first given feature, in table order, that the version does not allow.

    ``usual_message`` is the dialect's refusal for a row without its own; it
    may name ``{option}``, ``{low}``, ``{high}``, ``{bounds}`` and ``{version}``.
    """
    for refused in rows(dialect):
        if refused.feature not in given or refused.allows(version):
            continue
        first = refused.ranges[0]
        message = refused.message or usual_message
        raise RequestError(
            message.format(
                option=refused.option, low=first.low, high=first.high, bounds=first.bounds(), version=version
            ),
            refused.option,
        )


def features_used(request: BootRequest) -> set[str]:
    """The microversioned features a request asks for (``auto`` counts only when it was asked for)."""
    used = {
        AUTO_NETWORK: request.nics == "auto" and request.nics_explicit,
        NO_NETWORK: request.nics == "none",
        NIC_TAG: not isinstance(request.nics, str) and any(nic.tag for nic in request.nics),
        FILES: bool(request.files),
        DESCRIPTION: request.description is not None,
        TAGS: bool(request.tags),
        TRUSTED_IMAGE_CERTIFICATES: bool(request.trusted_image_certificate_ids),
        HOST: bool(request.host),
        HYPERVISOR_HOSTNAME: bool(request.hypervisor_hostname),
        HOSTNAME: bool(request.hostname),
    }
    return {feature for feature, asked in used.items() if asked}


def microversion_needs(request: BootRequest, dialect: str) -> list[str]:
    """The flags of this request that need a compute API microversion, in the dialect typed."""
    used = features_used(request)
    needs: list[str] = []
    for needed in rows(dialect):
        line = f"{needed.label or needed.option}: {needed.describe()}"
        if needed.feature in used and line not in needs:
            needs.append(line)
    return needs
