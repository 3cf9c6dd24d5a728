"""The catalog's typed objects: what the pretend cloud holds.

Field names follow the OpenStack APIs (nova flavors, glance images, neutron
networks, nova hypervisors, cinder volumes) so that what a student reads
here is what the real APIs return.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


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
class Host:
    """A compute host, with what nova's compute node record carries."""

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

    @property
    def usable_ram_mb(self) -> float:
        """RAM the scheduler may still hand out (Icehouse RamFilter's sum)."""
        return self.memory_mb * self.ram_allocation_ratio - self.memory_mb_used

    @property
    def free_ram_mb(self) -> int:
        """Physical RAM not yet used: what RAMWeigher weighs."""
        return self.memory_mb - self.memory_mb_used


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
    """The project's nova quotas (nova's defaults: 10, 20, 51200)."""

    instances: int = 10
    cores: int = 20
    ram: int = 51200


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
