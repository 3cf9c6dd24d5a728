"""The catalog commands' data: (columns, rows) for tables, records for JSON.

Split from formatting as cliff splits it: a command returns data, a
formatter prints it. The JSON records use the catalog's own field names.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from bootwalk.model import Catalog, Host

Columns = tuple[str, ...]
Rows = list[tuple[str, ...]]


def records(kind: str, catalog: Catalog) -> list[dict[str, Any]]:
    """The catalog entries of one kind, as JSON-ready dicts with the catalog's field names."""
    if kind == "flavors":
        return [asdict(flavor) for flavor in catalog.flavors]
    if kind == "images":
        return [asdict(image) for image in catalog.images]
    if kind == "networks":
        return [
            {
                "name": n.name,
                "id": n.id,
                "router:external": n.external,
                "subnets": [asdict(subnet) for subnet in n.subnets],
            }
            for n in catalog.networks
        ]
    if kind == "hosts":
        return [_host_record(host) for host in catalog.hosts]
    if kind == "server_groups":
        return [asdict(group) for group in catalog.server_groups]
    raise ValueError(f"unknown catalog kind {kind!r}")


def _host_record(host: Host) -> dict[str, Any]:
    """A host as the catalog has it: a ratio it leaves to the flow's default is null."""
    record = asdict(host)
    given = record.pop("given_ratios")
    for kind in ("cpu", "ram", "disk"):
        if kind not in given:
            record[f"{kind}_allocation_ratio"] = None
    return record


def listing(kind: str, catalog: Catalog) -> tuple[str, Columns, Rows]:
    """A title, the columns and the rows of one catalog table."""
    if kind == "flavors":
        return (
            "Flavors",
            ("ID", "Name", "Memory_MiB", "Disk", "Ephemeral", "Swap", "VCPUs"),
            [
                (f.id, f.name, str(f.ram), str(f.disk), str(f.ephemeral), str(f.swap) if f.swap else "", str(f.vcpus))
                for f in catalog.flavors
            ],
        )
    if kind == "images":
        return (
            "Images",
            ("ID", "Name", "Status", "Format", "Size", "min_disk", "min_ram"),
            [
                (i.id, i.name, i.status, i.disk_format, str(i.size), str(i.min_disk), str(i.min_ram))
                for i in catalog.images
            ],
        )
    if kind == "networks":
        return (
            "Networks",
            ("ID", "Name", "Subnets"),
            [
                (n.id, n.name + (" (external)" if n.external else ""), ", ".join(f"{s.id} {s.cidr}" for s in n.subnets))
                for n in catalog.networks
            ],
        )
    if kind == "hosts":
        return (
            "Compute hosts",
            (
                "Host",
                "Zone",
                "Status",
                "State",
                "vCPUs used/total",
                "RAM MB used/total",
                "Disk GB used/total",
                "Instances",
            ),
            [
                (
                    h.name,
                    h.availability_zone,
                    h.status + (f" ({h.disabled_reason})" if h.disabled_reason else ""),
                    h.state,
                    f"{h.vcpus_used}/{h.vcpus}",
                    f"{h.memory_mb_used}/{h.memory_mb}",
                    f"{h.disk_gb_used}/{h.disk_gb}",
                    ", ".join(instance.name for instance in h.instances),
                )
                for h in catalog.hosts
            ],
        )
    if kind == "server_groups":
        names = {instance.uuid: instance.name for host in catalog.hosts for instance in host.instances}
        return (
            "Server groups",
            ("ID", "Name", "Policy", "Members"),
            [
                (g.id, g.name, g.policy, ", ".join(names.get(member, member) for member in g.members))
                for g in catalog.server_groups
            ],
        )
    raise ValueError(f"unknown catalog kind {kind!r}")
