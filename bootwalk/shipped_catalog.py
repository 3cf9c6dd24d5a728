"""The catalogs bootwalk ships, loaded and validated once: made by tools/shipped_catalog.py. Do not edit.

Made from flavors.yaml, images.yaml, cloud.yaml at the top of the source tree. A walk with
the shipped catalogs imports these typed objects, so it needs neither
PyYAML nor the validation again; a catalog of the user's own is still read
from YAML. A test holds this module equal to what loading the YAML gives.
"""

from bootwalk.model import (
    Catalog,
    Flavor,
    Host,
    HostInstance,
    Image,
    Keypair,
    Network,
    Port,
    Quotas,
    SchedulerSettings,
    ServerGroup,
    Subnet,
    Volume,
)

CATALOG = Catalog(
    flavors=(
        Flavor(name='m1.tiny', id='1', vcpus=1, ram=512, disk=1, ephemeral=0, swap=0, extra_specs={'hw_rng:allowed': 'True'}),
        Flavor(name='m1.small', id='2', vcpus=1, ram=2048, disk=20, ephemeral=0, swap=0, extra_specs={'hw_rng:allowed': 'True'}),
        Flavor(name='m1.medium', id='3', vcpus=2, ram=4096, disk=40, ephemeral=0, swap=0, extra_specs={'hw_rng:allowed': 'True'}),
        Flavor(name='m1.large', id='4', vcpus=4, ram=8192, disk=80, ephemeral=0, swap=0, extra_specs={'hw_rng:allowed': 'True'}),
        Flavor(name='m1.xlarge', id='5', vcpus=8, ram=16384, disk=160, ephemeral=0, swap=0, extra_specs={'hw_rng:allowed': 'True'}),
        Flavor(name='m1.nano', id='42', vcpus=1, ram=192, disk=1, ephemeral=0, swap=0, extra_specs={}),
        Flavor(name='m1.micro', id='84', vcpus=1, ram=256, disk=1, ephemeral=0, swap=0, extra_specs={}),
        Flavor(name='cirros256', id='c1', vcpus=1, ram=256, disk=1, ephemeral=0, swap=0, extra_specs={}),
        Flavor(name='ds512M', id='d1', vcpus=1, ram=512, disk=5, ephemeral=0, swap=0, extra_specs={}),
        Flavor(name='ds1G', id='d2', vcpus=1, ram=1024, disk=10, ephemeral=0, swap=0, extra_specs={}),
        Flavor(name='ds2G', id='d3', vcpus=2, ram=2048, disk=10, ephemeral=0, swap=0, extra_specs={}),
        Flavor(name='ds4G', id='d4', vcpus=4, ram=4096, disk=20, ephemeral=0, swap=0, extra_specs={}),
    ),
    images=(
        Image(name='cirros', id='9f4cbb8e-3c5b-4b8a-9d57-1b6f0c2d8a11', status='active', disk_format='qcow2', container_format='bare', size=21692416, min_disk=0, min_ram=0, visibility='public', properties={'hw_rng_model': 'virtio'}),
        Image(name='ubuntu-24.04', id='5d1e8f0a-7b2c-4e3d-8a9f-0c1b2d3e4f50', status='active', disk_format='qcow2', container_format='bare', size=615514112, min_disk=10, min_ram=1024, visibility='public', properties={'os_distro': 'ubuntu', 'os_version': '24.04'}),
        Image(name='centos-stream-9', id='2a7c9e4b-6d8f-4a1b-b3c5-d7e9f1a3b5c7', status='active', disk_format='qcow2', container_format='bare', size=1395864371, min_disk=0, min_ram=0, visibility='public', properties={'os_distro': 'centos'}),
        Image(name='fedora-upload', id='7e3b1c9d-2f4a-4c6e-8b0d-1a3c5e7f9b2d', status='queued', disk_format='qcow2', container_format='bare', size=0, min_disk=0, min_ram=0, visibility='private', properties={}),
    ),
    networks=(
        Network(name='private', id='6b9c0f4e-0b1d-4e2a-9f3c-8d7e6a5b4c31', subnets=(Subnet(name='private-subnet', id='0c2e4a6b-8d1f-4b3c-a5e7-9f1b3d5c7e90', cidr='10.0.0.0/22', ip_version=4, gateway_ip='10.0.0.1'),), external=False),
        Network(name='public', id='1f3a5c7e-9b2d-4f6a-8c0e-2b4d6f8a0c15', subnets=(Subnet(name='public-subnet', id='3e5a7c9f-1b3d-4e5f-8a0c-2d4f6b8d0f27', cidr='172.24.4.0/24', ip_version=4, gateway_ip='172.24.4.1'),), external=True),
    ),
    hosts=(
        Host(name='compute1', availability_zone='nova', vcpus=8, memory_mb=16384, disk_gb=200, vcpus_used=2, memory_mb_used=4096, disk_gb_used=40, cpu_allocation_ratio=16.0, ram_allocation_ratio=1.5, disk_allocation_ratio=1.0, status='enabled', disabled_reason=None, state='up', hypervisor_type='QEMU', traits=('HW_CPU_X86_AVX2', 'STORAGE_DISK_SSD'), aggregates=('ssd',), instances=(HostInstance(uuid='5d7f9b1c-3e5a-4c7e-9a1b-3d5f7a9c1e30', name='web-1'),), given_ratios=frozenset({'cpu', 'disk', 'ram'})),
        Host(name='compute2', availability_zone='nova', vcpus=8, memory_mb=16384, disk_gb=200, vcpus_used=6, memory_mb_used=12288, disk_gb_used=120, cpu_allocation_ratio=16.0, ram_allocation_ratio=1.5, disk_allocation_ratio=1.0, status='enabled', disabled_reason=None, state='up', hypervisor_type='QEMU', traits=('HW_CPU_X86_AVX2',), aggregates=(), instances=(HostInstance(uuid='7f9b1d3e-5a7c-4e9a-8c3d-5f7b9d1f3a52', name='web-2'), HostInstance(uuid='9b1d3f5a-7c9e-4a1c-8e5f-7b9d1f3a5c74', name='db-1')), given_ratios=frozenset({'cpu', 'disk', 'ram'})),
        Host(name='compute3', availability_zone='nova', vcpus=16, memory_mb=32768, disk_gb=400, vcpus_used=0, memory_mb_used=0, disk_gb_used=0, cpu_allocation_ratio=16.0, ram_allocation_ratio=1.5, disk_allocation_ratio=1.0, status='disabled', disabled_reason='maintenance', state='up', hypervisor_type='QEMU', traits=(), aggregates=(), instances=(), given_ratios=frozenset({'cpu', 'disk', 'ram'})),
        Host(name='compute4', availability_zone='az2', vcpus=4, memory_mb=8192, disk_gb=100, vcpus_used=0, memory_mb_used=0, disk_gb_used=0, cpu_allocation_ratio=16.0, ram_allocation_ratio=1.5, disk_allocation_ratio=1.0, status='enabled', disabled_reason=None, state='up', hypervisor_type='QEMU', traits=(), aggregates=(), instances=(), given_ratios=frozenset({'cpu', 'disk', 'ram'})),
    ),
    volumes=(
        Volume(id='8a1c3e5f-7b9d-4f1a-b3c5-e7f9a1b3c5d7', name='boot-vol', size=1, status='available', bootable=True),
        Volume(id='4b6d8f0a-2c4e-4a6c-9e0a-3c5e7a9c1e3f', name='data-vol', size=5, status='available', bootable=False),
    ),
    ports=(
        Port(id='d4e6f8a0-b2c4-4d6e-8f0a-1b3d5f7b9d1f', name='pre-made-port', network_id='6b9c0f4e-0b1d-4e2a-9f3c-8d7e6a5b4c31', mac_address='fa:16:3e:12:34:56', fixed_ip='10.0.0.50', status='DOWN'),
    ),
    keypairs=(
        Keypair(name='mykey', fingerprint='1e:2c:9b:56:79:4b:45:77:f9:ca:7a:98:2c:b0:d5:3c'),
    ),
    security_groups=('default', 'web'),
    quotas=Quotas(instances=10, cores=20, ram=51200, instances_used=0, cores_used=0, ram_used=0),
    server_groups=(
        ServerGroup(id='2c4e6a8b-0d2f-4a6c-8e0b-2d4f6a8c0e1a', name='web-ha', policy='anti-affinity', members=('5d7f9b1c-3e5a-4c7e-9a1b-3d5f7a9c1e30', '7f9b1d3e-5a7c-4e9a-8c3d-5f7b9d1f3a52')),
        ServerGroup(id='4e6a8c0d-2f4b-4c8e-a0d2-4f6a8c0e2b3c', name='db-near', policy='affinity', members=('9b1d3f5a-7c9e-4a1c-8e5f-7b9d1f3a5c74',)),
    ),
    scheduler=SchedulerSettings(enabled_filters=None, weighers=None, max_attempts=3),
    instances_made=0,
)
