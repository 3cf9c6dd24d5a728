"""The catalog commands' data: tables of columns and rows, and records for JSON.

Split from formatting as cliff splits it: a command returns data, a
formatter prints it. The JSON records use the catalog's own field names and
whole IDs; the tables are laid out for 80 columns, with IDs cut to their
first eight characters unless asked for whole (``--long``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any, NamedTuple

from bootwalk.glossary import Term, TermKind
from bootwalk.model import Catalog, Host
from bootwalk.text import number_text

Columns = tuple[str, ...]
Rows = list[tuple[str, ...]]

#: How many characters of an ID a table shows unless asked for whole; the cut is marked with "…".
SHORT_ID = 8


class Listing(NamedTuple):
    """One table: its title, columns and rows, a line under it, and how many rows make a section."""

    title: str
    columns: Columns
    rows: Rows
    #: A note printed under the table; empty for none.
    caption: str = ""
    #: Draw a line after every this many rows (the rows of one host); 0 for none.
    section: int = 0


def short_id(identifier: str, long_ids: bool = False) -> str:
    """The ID as a table shows it: its first eight characters and "…", or whole when asked or short already."""
    if long_ids or len(identifier) <= SHORT_ID + 1:
        return identifier
    return identifier[:SHORT_ID] + "…"


def records(kind: str, catalog: Catalog) -> list[dict[str, Any]]:
    """The catalog entries of one kind, as JSON-ready dicts with the catalog's field names."""
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
    if kind == "security_groups":
        return [{"name": name} for name in catalog.security_groups]
    if kind in ("flavors", "images", "server_groups", "volumes", "ports", "keypairs"):
        return [asdict(entry) for entry in getattr(catalog, kind)]
    raise ValueError(f"unknown catalog kind {kind!r}")


def _host_record(host: Host) -> dict[str, Any]:
    """A host as the catalog has it: a ratio it leaves to the flow's default is null."""
    record = asdict(host)
    given = record.pop("given_ratios")
    for kind in ("cpu", "ram", "disk"):
        if kind not in given:
            record[f"{kind}_allocation_ratio"] = None
    return record


#: The note under a table whose IDs are cut.
CUT_IDS = "IDs are cut to 8 characters; --long shows them whole."


def listing(kind: str, catalog: Catalog, long_ids: bool = False) -> Listing:
    """The table of one catalog kind (every kind but hosts: see :func:`host_listings`).

    A table whose IDs are cut says so under it, and how to see them whole.
    """
    table = _TABLES[kind](catalog, long_ids)
    if not long_ids and table.columns[0] == "ID" and any(row[0].endswith("…") for row in table.rows):
        table = table._replace(caption=" ".join(filter(None, (table.caption, CUT_IDS))))
    return table


def _flavors(catalog: Catalog, long_ids: bool) -> Listing:
    return Listing(
        "Flavors",
        ("ID", "Name", "Memory_MiB", "Disk", "Ephemeral", "Swap", "VCPUs"),
        [
            (short_id(f.id, long_ids), f.name, str(f.ram), str(f.disk), str(f.ephemeral), str(f.swap) if f.swap else "",
             str(f.vcpus))
            for f in catalog.flavors
        ],
    )  # fmt: skip


def _images(catalog: Catalog, long_ids: bool) -> Listing:
    # At 80 columns the disk format does not fit beside a cut ID; --long shows it.
    fields: list[tuple[str, Callable[[Any], str]]] = [
        ("ID", lambda i: short_id(i.id, long_ids)),
        ("Name", lambda i: i.name),
        ("Status", lambda i: i.status),
        *([("Format", lambda i: i.disk_format)] if long_ids else []),
        ("Size", lambda i: str(i.size)),
        ("min_disk", lambda i: str(i.min_disk)),
        ("min_ram", lambda i: str(i.min_ram)),
    ]
    return Listing(
        "Images",
        tuple(name for name, _ in fields),
        [tuple(value(image) for _, value in fields) for image in catalog.images],
    )


def _networks(catalog: Catalog, long_ids: bool) -> Listing:
    return Listing(
        "Networks",
        ("ID", "Name", "Subnets"),
        [
            (
                short_id(n.id, long_ids),
                n.name + (" (external)" if n.external else ""),
                ", ".join(f"{short_id(s.id, long_ids)} {s.cidr}" for s in n.subnets),
            )
            for n in catalog.networks
        ],
    )


def _server_groups(catalog: Catalog, long_ids: bool) -> Listing:
    names = {instance.uuid: instance.name for host in catalog.hosts for instance in host.instances}
    return Listing(
        "Server groups",
        ("ID", "Name", "Policy", "Members"),
        [
            (
                short_id(g.id, long_ids),
                g.name,
                g.policy,
                ", ".join(names.get(member, short_id(member, long_ids)) for member in g.members),
            )
            for g in catalog.server_groups
        ],
    )


def _volumes(catalog: Catalog, long_ids: bool) -> Listing:
    return Listing(
        "Volumes",
        ("ID", "Name", "Status", "Size", "Bootable"),
        [
            (short_id(v.id, long_ids), v.name, v.status, str(v.size), "true" if v.bootable else "false")
            for v in catalog.volumes
        ],
        caption="Size in GB.",
    )


def _ports(catalog: Catalog, long_ids: bool) -> Listing:
    networks = {network.id: network.name for network in catalog.networks}
    return Listing(
        "Ports",
        ("ID", "Name", "Network", "MAC Address", "Fixed IP", "Status"),
        [
            (short_id(p.id, long_ids), p.name, networks.get(p.network_id, short_id(p.network_id, long_ids)),
             p.mac_address, p.fixed_ip, p.status)
            for p in catalog.ports
        ],
    )  # fmt: skip


def _keypairs(catalog: Catalog, long_ids: bool) -> Listing:
    return Listing(
        "Keypairs",
        ("Name", "Fingerprint"),
        [(k.name, k.fingerprint) for k in catalog.keypairs],
    )


def _security_groups(catalog: Catalog, long_ids: bool) -> Listing:
    return Listing(
        "Security groups",
        ("Name",),
        [(name,) for name in catalog.security_groups],
    )


_TABLES: dict[str, Callable[[Catalog, bool], Listing]] = {
    "flavors": _flavors,
    "images": _images,
    "networks": _networks,
    "server_groups": _server_groups,
    "volumes": _volumes,
    "ports": _ports,
    "keypairs": _keypairs,
    "security_groups": _security_groups,
}


def host_listings(catalog: Catalog, defaults: str) -> tuple[Listing, Listing]:
    """The compute hosts, then their capacity: what a filter or placement finds usable on each.

    The hosts carry their flow's default ratios where the catalog gives none
    (``given_ratios``); such a ratio is marked ``*`` and ``defaults`` names
    where it comes from.
    """
    hosts = Listing(
        "Compute hosts",
        ("Host", "Zone", "Status", "State", "Instances"),
        [
            (
                h.name,
                h.availability_zone,
                h.status + (f" ({h.disabled_reason})" if h.disabled_reason else ""),
                h.state,
                ", ".join(instance.name for instance in h.instances),
            )
            for h in catalog.hosts
        ],
    )
    rows: Rows = []
    defaulted = False
    for h in catalog.hosts:
        resources = (
            ("vCPUs", "cpu", h.vcpus_used, h.vcpus, h.cpu_allocation_ratio, h.usable_vcpus),
            ("RAM MB", "ram", h.memory_mb_used, h.memory_mb, h.ram_allocation_ratio, h.usable_ram_mb),
            ("disk GB", "disk", h.disk_gb_used, h.disk_gb, h.disk_allocation_ratio, h.usable_disk_gb),
        )
        for index, (label, kind, used, total, ratio, usable) in enumerate(resources):
            mark = "" if kind in h.given_ratios else "*"
            defaulted = defaulted or bool(mark)
            rows.append(
                (h.name if index == 0 else "", label, str(used), str(total), number_text(ratio) + mark,
                 number_text(usable))
            )  # fmt: skip
    capacity = Listing(
        "Capacity: usable = total × ratio − used",
        ("Host", "Resource", "Used", "Total", "Ratio", "Usable"),
        rows,
        caption=f"* not in the catalog: {defaults}" if defaulted else "",
        section=3,
    )
    return hosts, capacity


#: The glossary's tables, one per kind of term, in this order.
GLOSSARY_TITLES = {
    TermKind.CONCEPT: "Concepts",
    TermKind.SERVICE: "Services",
    TermKind.FILTER: "Scheduler filters",
    TermKind.WEIGHER: "Weighers",
}


def glossary_listings(terms: Iterable[Term], caption: str = "") -> tuple[Listing, ...]:
    """The glossary as one table per kind of term, each term with its one-line summary; ``caption`` goes last."""
    chosen = tuple(terms)
    tables = [
        Listing(title, ("Term", "What it is"), [(term.name, term.summary) for term in chosen if term.kind is kind])
        for kind, title in GLOSSARY_TITLES.items()
    ]
    tables[-1] = tables[-1]._replace(caption=caption)
    return tuple(tables)


#: The keys of ``GET /os-hypervisors/statistics``, as nova sums them (``compute_node_statistics``), but the one a
#: lab cannot know: ``disk_available_least`` is measured by the hypervisor on the host's disk.
STATISTICS = (
    "count", "vcpus", "memory_mb", "local_gb", "vcpus_used", "memory_mb_used", "local_gb_used", "free_ram_mb",
    "free_disk_gb", "current_workload", "running_vms",
)  # fmt: skip


def hypervisor_statistics(catalog: Catalog, counts_disabled: bool) -> dict[str, int]:
    """The sums over the compute nodes (every one, or only those whose service is enabled, by release).

    ``current_workload`` counts instances with a task under way, which a
    lab's servers, done with their boot or delete, never have.
    """
    hosts = [host for host in catalog.hosts if counts_disabled or host.status != "disabled"]
    sums = {
        "count": len(hosts),
        "vcpus": sum(host.vcpus for host in hosts),
        "memory_mb": sum(host.memory_mb for host in hosts),
        "local_gb": sum(host.disk_gb for host in hosts),
        "vcpus_used": sum(host.vcpus_used for host in hosts),
        "memory_mb_used": sum(host.memory_mb_used for host in hosts),
        "local_gb_used": sum(host.disk_gb_used for host in hosts),
        "free_ram_mb": sum(host.memory_mb - host.memory_mb_used for host in hosts),
        "free_disk_gb": sum(host.disk_gb - host.disk_gb_used for host in hosts),
        "current_workload": 0,
        "running_vms": sum(len(host.instances) for host in hosts),
    }
    return {key: sums[key] for key in STATISTICS}
