"""The catalog's typed objects: what the pretend cloud holds.

Field names follow the OpenStack APIs (nova flavors, glance images, neutron
networks, nova hypervisors, cinder volumes) so that what a student reads
here is what the real APIs return.
"""

from __future__ import annotations

from collections.abc import Mapping

from bootwalk.records import dataclass, field


@dataclass(frozen=True)
class Flavor:
    """A nova flavor. ``ram`` in MB, ``disk`` and ``ephemeral`` in GB, ``swap`` in MB."""

    name: str
    id: str
    vcpus: int
    ram: int
    disk: int
    ephemeral: int = 0
    swap: int = 0
    extra_specs: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Image:
    """A glance image. ``size`` in bytes, ``min_disk`` in GB, ``min_ram`` in MB."""

    name: str
    id: str
    status: str
    disk_format: str
    container_format: str
    size: int
    min_disk: int
    min_ram: int
    visibility: str = "public"
    properties: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Subnet:
    """A neutron subnet: where a port's fixed IP comes from."""

    name: str
    id: str
    cidr: str
    ip_version: int
    gateway_ip: str


@dataclass(frozen=True)
class Network:
    """A neutron network and its subnets."""

    name: str
    id: str
    subnets: tuple[Subnet, ...]
    external: bool = False


@dataclass(frozen=True)
class HostInstance:
    """A server already running on a compute host (for server groups and host hints)."""

    uuid: str
    name: str


@dataclass(frozen=True, slots=True)
class Host:
    """A compute host, with what nova's compute node record carries.

    ``traits`` and ``aggregates`` are what placement and host aggregates know
    of the host; ``instances`` are the servers already running on it. An
    allocation ratio the catalog leaves out (not in ``given_ratios``) is the
    walked flow's default, filled in when the walk starts; the values here
    are then Icehouse's, as a placeholder.
    """

    name: str
    availability_zone: str
    vcpus: int
    memory_mb: int
    disk_gb: int
    vcpus_used: int = 0
    memory_mb_used: int = 0
    disk_gb_used: int = 0
    cpu_allocation_ratio: float = 16.0
    ram_allocation_ratio: float = 1.5
    disk_allocation_ratio: float = 1.0
    status: str = "enabled"
    disabled_reason: str | None = None
    state: str = "up"
    hypervisor_type: str = "QEMU"
    traits: tuple[str, ...] = ()
    aggregates: tuple[str, ...] = ()
    instances: tuple[HostInstance, ...] = ()
    #: Which allocation ratios ("cpu", "ram", "disk") the catalog set; the flow's defaults fill the others.
    given_ratios: frozenset[str] = frozenset(("cpu", "ram", "disk"))

    @property
    def usable_ram_mb(self) -> float:
        """RAM the scheduler may still hand out (Icehouse RamFilter's sum)."""
        return self.memory_mb * self.ram_allocation_ratio - self.memory_mb_used

    @property
    def free_ram_mb(self) -> int:
        """Physical RAM not yet used: what RAMWeigher weighs."""
        return self.memory_mb - self.memory_mb_used

    @property
    def usable_vcpus(self) -> float:
        """vCPUs the scheduler may still hand out: total × cpu_allocation_ratio − used (CoreFilter, CPUWeigher)."""
        return self.vcpus * self.cpu_allocation_ratio - self.vcpus_used

    @property
    def usable_disk_gb(self) -> float:
        """Disk the scheduler may still hand out: total × disk_allocation_ratio − used (DiskFilter)."""
        return self.disk_gb * self.disk_allocation_ratio - self.disk_gb_used

    @property
    def free_disk_mb(self) -> int:
        """Physical disk not yet used, in MB: what DiskWeigher weighs."""
        return (self.disk_gb - self.disk_gb_used) * 1024

    def instance_uuids(self) -> frozenset[str]:
        """The UUIDs of the servers on this host."""
        return frozenset(instance.uuid for instance in self.instances)


@dataclass(frozen=True)
class ServerGroup:
    """A nova server group: its policy and the servers in it (by UUID)."""

    id: str
    name: str
    policy: str
    members: tuple[str, ...] = ()


#: Icehouse-to-Kilo's default ``scheduler_default_filters``, the classic list.
CLASSIC_FILTERS = (
    "RetryFilter",
    "AvailabilityZoneFilter",
    "RamFilter",
    "ComputeFilter",
    "ComputeCapabilitiesFilter",
    "ImagePropertiesFilter",
    "ServerGroupAntiAffinityFilter",
    "ServerGroupAffinityFilter",
)

#: Icehouse weighed with RAMWeigher alone, multiplier 1.0 (spread the instances out).
CLASSIC_WEIGHERS: tuple[tuple[str, float], ...] = (("RAMWeigher", 1.0),)


@dataclass(frozen=True)
class SchedulerConfig:
    """The scheduler's configuration as it runs: filters, weighers and ``max_attempts``.

    The defaults are Icehouse's; a walk gets its configuration from its
    flow's defaults and the cloud's :class:`SchedulerSettings`.
    """

    enabled_filters: tuple[str, ...] = CLASSIC_FILTERS
    weighers: tuple[tuple[str, float], ...] = CLASSIC_WEIGHERS
    max_attempts: int = 3


@dataclass(frozen=True)
class SchedulerSettings:
    """What the cloud's configuration (cloud.yaml, or the command line) says of the scheduler.

    ``None`` means the cloud does not say: the flow's default is used. A
    value that is set is always honoured, whatever it is.
    """

    enabled_filters: tuple[str, ...] | None = None
    weighers: tuple[tuple[str, float], ...] | None = None
    max_attempts: int = 3


@dataclass(frozen=True)
class Volume:
    """A cinder volume. ``size`` in GB."""

    id: str
    name: str
    size: int
    status: str
    bootable: bool = False


@dataclass(frozen=True)
class Port:
    """A neutron port made before the boot, for ``--nic port-id=``."""

    id: str
    name: str
    network_id: str
    mac_address: str
    fixed_ip: str
    status: str = "DOWN"


@dataclass(frozen=True)
class Keypair:
    """A nova keypair, known by name."""

    name: str
    fingerprint: str = ""


@dataclass(frozen=True)
class Quotas:
    """The project's nova quotas (nova's defaults: 10, 20, 51200) and what it already uses."""

    instances: int = 10
    cores: int = 20
    ram: int = 51200
    instances_used: int = 0
    cores_used: int = 0
    ram_used: int = 0

    def limit(self, resource: str) -> int:
        """The limit for ``instances``, ``cores`` or ``ram``."""
        return int(getattr(self, resource))

    def used(self, resource: str) -> int:
        """What the project already uses of ``instances``, ``cores`` or ``ram``."""
        return int(getattr(self, f"{resource}_used"))


@dataclass(frozen=True)
class Catalog:
    """Everything the pretend cloud holds, loaded and validated once."""

    flavors: tuple[Flavor, ...]
    images: tuple[Image, ...]
    networks: tuple[Network, ...]
    hosts: tuple[Host, ...]
    volumes: tuple[Volume, ...] = ()
    ports: tuple[Port, ...] = ()
    keypairs: tuple[Keypair, ...] = ()
    security_groups: tuple[str, ...] = ("default",)
    quotas: Quotas = Quotas()
    server_groups: tuple[ServerGroup, ...] = ()
    scheduler: SchedulerSettings = SchedulerSettings()
    #: Instances the cloud has made before (nova's instances.id so far): a lab's next boot is the row after.
    instances_made: int = 0
