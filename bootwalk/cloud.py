"""The pretend cloud's endpoints, clock and identities: what every step addresses and stamps.

DevStack's URL layout, a simulated clock that starts at :data:`START_TIME`
and runs as :mod:`bootwalk.timing` times the handoffs (so the timestamps
agree with ``--timeline``), and the demo user and project. Pure data and tiny functions: nothing here
knows about steps or flows.
"""

from __future__ import annotations

from bootwalk.ids import IdSource

#: Where the pretend cloud's endpoints live (DevStack's URL layout).
CONTROLLER = "http://controller"
ENDPOINTS = {
    "identity": f"{CONTROLLER}/identity/v3",
    "compute": f"{CONTROLLER}/compute/v2.1",
    "image": f"{CONTROLLER}/image",
    "network": f"{CONTROLLER}/networking",
    "volumev3": f"{CONTROLLER}/volume/v3",
    "placement": f"{CONTROLLER}/placement",
}
#: Where an Icehouse cloud served each API: on its own port, with the project in nova's and cinder's paths.
ICEHOUSE_ENDPOINTS = {
    "identity": f"{CONTROLLER}:5000/v3",
    "compute": f"{CONTROLLER}:8774/v2/{{project_id}}",
    "image": f"{CONTROLLER}:9292",
    "network": f"{CONTROLLER}:9696",
    "volume": f"{CONTROLLER}:8776/v1/{{project_id}}",
}
#: The simulated clock starts here; every timestamp is this plus an offset.
START_TIME = "2026-01-01T12:00:00Z"
USER_NAME = "demo"
PROJECT_NAME = "demo"
#: Where the pretend client runs, as keystone's log sees it.
CLIENT_ADDRESS = "192.168.1.10"


#: The days of each month (a lab's clock may run for days): February has 29 every fourth year, true until 2100.
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def time_at(milliseconds: float) -> str:
    """The simulated clock, ``milliseconds`` after :data:`START_TIME`, to the second as nova shows it."""
    days, rest = divmod(int(milliseconds // 1000) + 12 * 3600, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, second = divmod(rest, 60)
    year, month, day = 2026, 1, 1 + days
    while day > _MONTH_DAYS[month - 1] + (month == 2 and year % 4 == 0):
        day -= _MONTH_DAYS[month - 1] + (month == 2 and year % 4 == 0)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{year:04d}-{month:02d}-{day:02d}T{hours:02d}:{minutes:02d}:{second:02d}Z"


def usage_time(stamp: str) -> str:
    """A :func:`time_at` stamp as the server-usage fields show it: a naive datetime, serialized to the microsecond."""
    return stamp.removesuffix("Z") + ".000000"


def short_token(token: str | None) -> str:
    """A token cut to its first 12 characters, as the tables show it."""
    return f"{token[:12]}…" if token else "-"


def project_id(ids: IdSource) -> str:
    """The demo project's ID."""
    return ids.cloud.hex("project")


def user_id(ids: IdSource) -> str:
    """The demo user's ID."""
    return ids.cloud.hex("user")


def auth_headers(token: str | None) -> dict[str, str]:
    """The token a call carries. nova's own calls to glance and neutron go through their client libraries."""
    return {"X-Auth-Token": token or ""}


def client_headers(token: str | None) -> dict[str, str]:
    """The headers novaclient's calls carry: the token and its User-Agent."""
    return {**auth_headers(token), "User-Agent": "python-novaclient"}


def instance_name(row: int = 1) -> str:
    """The libvirt domain name: nova's ``instance_name_template``, ``instance-%08x`` of the instance's row id.

    A walk's cloud has made ``Catalog.instances_made`` instances before it (none, but in a lab), so its
    first instance is row ``instances_made + 1``.
    """
    return f"instance-{row:08x}"
