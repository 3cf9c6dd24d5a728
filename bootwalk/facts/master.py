"""Today's nova: facts read from nova master at 00a030403f (2026-08-21), by moment of the boot.

Each entry names the file and function it was read from; the templates are
nova's format strings as written there. Where nova logs several lines at one
moment they are listed in the order nova writes them.
"""

from __future__ import annotations

from bootwalk.cloud import ENDPOINTS
from bootwalk.facts import DefaultFact, ErrorFact, Facts, LogFact, Release, RpcFact
from bootwalk.trace import Service

API, CONDUCTOR, SCHEDULER, COMPUTE = (
    Service.NOVA_API,
    Service.NOVA_CONDUCTOR,
    Service.NOVA_SCHEDULER,
    Service.NOVA_COMPUTE,
)
MANAGER = "nova/compute/manager.py"

RELEASE = Release(
    name="nova master (00a03040)",
    tag="master",
    commit="00a030403f672b975364c855b7d25b40ef83e757",
    client="today's python-novaclient (18.x), compute API 2.96",
)

LOGS: dict[str, tuple[LogFact, ...]] = {
    "api_refused": (
        LogFact(
            API,
            "INFO",
            "HTTP exception thrown: %s",
            "nova/api/openstack/wsgi.py ResourceExceptionHandler",
            ("message",),
        ),
    ),
    "scheduler_started": (),
    "host_chosen": (
        LogFact(SCHEDULER, "DEBUG", "Selected host: %(host)s", "nova/scheduler/manager.py _consume_selected_host"),
    ),
    "filters_removed_all": (
        LogFact(
            SCHEDULER,
            "INFO",
            "Filter %s returned 0 hosts",
            "nova/filters.py BaseFilterHandler.get_filtered_objects",
            ("filter",),
        ),
        LogFact(
            SCHEDULER,
            "INFO",
            "Filtering removed all hosts for the request with instance ID '%(inst_uuid)s'. "
            "Filter results: %(str_results)s",
            "nova/filters.py BaseFilterHandler.get_filtered_objects",
        ),
    ),
    "no_candidates": (
        LogFact(
            SCHEDULER,
            "INFO",
            "Got no allocation candidates from the Placement API. This could be due to insufficient resources "
            "or a temporary occurrence as compute nodes start up.",
            "nova/scheduler/manager.py SchedulerManager.select_destinations",
        ),
    ),
    "build_buried": (
        LogFact(
            CONDUCTOR, "ERROR", "Failed to schedule instances", "nova/conductor/manager.py schedule_and_build_instances"
        ),
        LogFact(
            CONDUCTOR,
            "WARNING",
            "Failed to %(service)s_%(method)s: %(ex)s",
            "nova/scheduler/utils.py set_vm_state_and_notify",
        ),
        LogFact(
            CONDUCTOR,
            "WARNING",
            "Setting instance to %s state.",
            "nova/scheduler/utils.py set_vm_state_and_notify",
            ("state",),
        ),
    ),
    "retries_exceeded": (
        LogFact(
            CONDUCTOR,
            "WARNING",
            "Failed to %(service)s_%(method)s: %(ex)s",
            "nova/scheduler/utils.py set_vm_state_and_notify",
        ),
        LogFact(
            CONDUCTOR,
            "WARNING",
            "Setting instance to %s state.",
            "nova/scheduler/utils.py set_vm_state_and_notify",
            ("state",),
        ),
    ),
    "error_from_last_host": (
        LogFact(
            CONDUCTOR,
            "ERROR",
            "Error from last host: %(last_host)s (node %(last_node)s): %(exc)s",
            "nova/scheduler/utils.py _log_compute_error",
        ),
    ),
    "build_started": (LogFact(COMPUTE, "DEBUG", "Starting instance...", f"{MANAGER} _do_build_and_run_instance"),),
    "claim_attempted": (),
    "claim_succeeded": (
        LogFact(COMPUTE, "INFO", "Claim successful on node %s", "nova/compute/claims.py Claim._claim_test", ("node",)),
    ),
    "spawned": (
        LogFact(COMPUTE, "INFO", "Instance spawned successfully.", "nova/virt/libvirt/driver.py LibvirtDriver.spawn"),
        LogFact(
            COMPUTE,
            "INFO",
            "Took %0.2f seconds to spawn the instance on the hypervisor.",
            f"{MANAGER} _build_and_run_instance",
            ("spawn_seconds",),
        ),
        LogFact(
            COMPUTE,
            "INFO",
            "Took %0.2f seconds to build instance.",
            f"{MANAGER} _do_build_and_run_instance",
            ("build_seconds",),
        ),
    ),
    "guest_start_failed": (
        LogFact(
            COMPUTE,
            "ERROR",
            "Error launching a defined domain with XML: %(xml)s",
            "nova/virt/libvirt/guest.py Guest.launch",
        ),
        LogFact(
            COMPUTE,
            "ERROR",
            "Failed to start libvirt guest",
            "nova/virt/libvirt/driver.py LibvirtDriver._create_guest_with_network",
        ),
    ),
    "spawn_failed": (
        LogFact(COMPUTE, "ERROR", "Instance failed to spawn", f"{MANAGER} _build_resources"),
        LogFact(COMPUTE, "ERROR", "Failed to build and run instance", f"{MANAGER} _build_and_run_instance"),
    ),
    "network_setup_failed": (
        LogFact(
            COMPUTE,
            "ERROR",
            "Instance failed network setup after %(attempts)d attempt(s)",
            f"{MANAGER} _allocate_network_async",
        ),
    ),
    "network_failed": (
        LogFact(COMPUTE, "ERROR", "Instance failed to spawn", f"{MANAGER} _build_resources"),
        LogFact(COMPUTE, "ERROR", "Failed to build and run instance", f"{MANAGER} _build_and_run_instance"),
    ),
    "fixed_ip_refused": (
        LogFact(
            COMPUTE,
            "ERROR",
            "Instance failed network setup after %(attempts)d attempt(s)",
            f"{MANAGER} _allocate_network_async",
        ),
    ),
    "vif_timeout": (
        LogFact(
            COMPUTE,
            "WARNING",
            "Timeout waiting for %(events)s for instance with vm_state %(vm_state)s and task_state %(task_state)s. "
            "Event states are: %(event_states)s",
            f"{MANAGER} ComputeVirtAPI.wait_for_instance_event",
        ),
        LogFact(COMPUTE, "ERROR", "Instance failed to spawn", f"{MANAGER} _build_resources"),
        LogFact(COMPUTE, "ERROR", "Failed to allocate network(s)", f"{MANAGER} _build_and_run_instance"),
    ),
    "volume_failed": (
        LogFact(COMPUTE, "ERROR", "Instance failed block device setup", f"{MANAGER} _prep_block_device"),
    ),
    "rescheduled": (
        LogFact(
            COMPUTE,
            "DEBUG",
            "Build of instance %(instance_uuid)s was re-scheduled: %(reason)s",
            "nova/exception.py RescheduledException (logged by nova/compute/manager.py _do_build_and_run_instance)",
        ),
    ),
    "no_retry": (
        LogFact(
            COMPUTE, "DEBUG", "Retry info not present, will not reschedule", f"{MANAGER} _do_build_and_run_instance"
        ),
    ),
    "aborted": (
        LogFact(
            COMPUTE,
            "ERROR",
            "Build of instance %(instance_uuid)s aborted: %(reason)s",
            f"{MANAGER} _do_build_and_run_instance (LOG.error(e.format_message()))",
        ),
    ),
}

ERRORS: dict[str, ErrorFact] = {
    "az_unavailable": ErrorFact(
        "InvalidRequest",
        "The requested availability zone is not available",
        "nova/compute/api.py API._validate_and_build_base_options",
        400,
    ),
    "port_not_found": ErrorFact(
        "PortNotFound", "Port id %(port_id)s could not be found.", "nova/exception.py PortNotFound", 400
    ),
    "network_not_found": ErrorFact(
        "NetworkNotFound", "Network %(network_id)s could not be found.", "nova/exception.py NetworkNotFound", 400
    ),
    "network_ambiguous": ErrorFact(
        "NetworkAmbiguous",
        "Multiple possible networks found, use a Network ID to be more specific.",
        "nova/network/neutron.py API._get_available_networks",
        409,
    ),
    "multiple_ports": ErrorFact(
        "MultiplePortsNotApplicable",
        "Failed to launch instances: Unable to launch multiple instances with a single configured port ID. "
        "Please launch your instance one by one with different ports.",
        "nova/compute/api.py API._check_multiple_instances_with_neutron_ports",
        400,
    ),
    "multiple_fixed_ips": ErrorFact(
        "InvalidFixedIpAndMaxCountRequest",
        "Failed to launch instances: max_count cannot be greater than 1 if an fixed_ip is specified.",
        "nova/compute/api.py API._check_multiple_instances_with_specified_ip",
        400,
    ),
    # neutronclient's own text, passed through: SecurityGroupNotFound(str(e))
    "security_group_not_found": ErrorFact(
        "SecurityGroupNotFound",
        "Unable to find security_group with name or id '%(security_group_id)s'",
        "nova/network/security_group_api.py validate_name",
        400,
    ),
    "key_name_invalid": ErrorFact(
        "KeypairNotFound",
        "Invalid key_name provided.",
        "nova/api/openstack/compute/servers.py ServersController.create",
        400,
    ),
    "image_not_active": ErrorFact(
        "ImageNotActive", "Image %(image_id)s is not active.", "nova/exception.py ImageNotActive", 400
    ),
    "memory_too_small": ErrorFact(
        "FlavorMemoryTooSmall",
        "Flavor's memory is too small for requested image.",
        "nova/exception.py FlavorMemoryTooSmall",
        400,
    ),
    "disk_smaller_than_image": ErrorFact(
        "FlavorDiskSmallerThanImage",
        "Flavor's disk is too small for requested image. Flavor disk is %(flavor_size)i bytes, "
        "image is %(image_size)i bytes.",
        "nova/exception.py FlavorDiskSmallerThanImage",
        400,
    ),
    "disk_smaller_than_min_disk": ErrorFact(
        "FlavorDiskSmallerThanMinDisk",
        "Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is "
        "%(flavor_size)i bytes, minimum size is %(image_min_disk)i bytes.",
        "nova/exception.py FlavorDiskSmallerThanMinDisk",
        400,
    ),
    "zero_disk_flavor": ErrorFact(
        "BootFromVolumeRequiredForZeroDiskFlavor",
        "Only volume-backed servers are allowed for flavors with zero disk.",
        "nova/exception.py BootFromVolumeRequiredForZeroDiskFlavor",
        403,
    ),
    "group_not_found": ErrorFact(
        "InstanceGroupNotFound",
        "Instance group %(group_uuid)s could not be found.",
        "nova/exception.py InstanceGroupNotFound",
        400,
    ),
    "over_quota": ErrorFact(
        "TooManyInstances",
        "Quota exceeded for %(overs)s: Requested %(req)s, but already used %(used)s of %(allowed)s %(overs)s",
        "nova/exception.py TooManyInstances; nova/api/openstack/compute/servers.py create (HTTPForbidden)",
        403,
    ),
    "no_valid_host": ErrorFact("NoValidHost", "No valid host was found. %(reason)s", "nova/exception.py NoValidHost"),
    "retries_exceeded": ErrorFact(
        "MaxRetriesExceeded", "Exceeded maximum number of retries. %(reason)s", "nova/exception.py MaxRetriesExceeded"
    ),
    "max_attempts_reason": ErrorFact(
        "MaxRetriesExceeded",
        "Exceeded max scheduling attempts %(max_attempts)d for instance %(instance_uuid)s. "
        "Last exception: %(exc_reason)s",
        "nova/scheduler/utils.py populate_retry",
    ),
    "hosts_exhausted_reason": ErrorFact(
        "MaxRetriesExceeded",
        "Exhausted all hosts available for retrying build failures for instance %(instance_uuid)s.",
        "nova/conductor/manager.py ComputeTaskManager.build_instances",
    ),
    "rescheduled": ErrorFact(
        "RescheduledException",
        "Build of instance %(instance_uuid)s was re-scheduled: %(reason)s",
        "nova/exception.py RescheduledException",
    ),
    "aborted": ErrorFact(
        "BuildAbortException",
        "Build of instance %(instance_uuid)s aborted: %(reason)s",
        "nova/exception.py BuildAbortException",
    ),
    "port_binding_failed": ErrorFact(
        "PortBindingFailed",
        "Binding failed for port %(port_id)s, please check neutron logs for more information.",
        "nova/exception.py PortBindingFailed",
    ),
    "network_aborted_reason": ErrorFact(
        "BuildAbortException",
        "Failed to allocate the network(s), not rescheduling.",
        f"{MANAGER} _build_and_run_instance",
    ),
    "no_fixed_ips_reason": ErrorFact(
        "BuildAbortException",
        "Failed to allocate the network(s) with error %s, not rescheduling.",
        f"{MANAGER} _build_and_run_instance",
        args=("error",),
    ),
    "no_fixed_ips": ErrorFact(
        "NoMoreFixedIps", "No fixed IP addresses available for network: %(net)s", "nova/exception.py NoMoreFixedIps"
    ),
    "fixed_ip_invalid": ErrorFact(
        "InvalidInput",
        "Invalid input received: Fixed IP %(ip)s is not a valid ip address for network %(network_id)s.",
        "nova/exception.py InvalidInput; nova/network/neutron.py API._create_port_minimal",
    ),
    "vif_creation_failed": ErrorFact(
        "VirtualInterfaceCreateException",
        "Virtual Interface creation failed",
        "nova/exception.py VirtualInterfaceCreateException",
    ),
    "invalid_bdm": ErrorFact("InvalidBDM", "Block Device Mapping is Invalid.", "nova/exception.py InvalidBDM"),
    "filter_not_found": ErrorFact(
        "SchedulerHostFilterNotFound",
        "Scheduler Host Filter %(filter_name)s could not be found.",
        "nova/exception.py SchedulerHostFilterNotFound; nova/scheduler/host_manager.py HostManager._load_filters",
    ),
}

RPCS: dict[str, RpcFact] = {
    "schedule_and_build_instances": RpcFact(
        "schedule_and_build_instances",
        "conductor",
        "cast",
        "1.17",
        "nova/conductor/rpcapi.py ComputeTaskAPI",
        "compute_task",
    ),
    "select_destinations": RpcFact(
        "select_destinations", "scheduler", "call", "4.5", "nova/scheduler/rpcapi.py SchedulerAPI"
    ),
    "build_and_run_instance": RpcFact(
        "build_and_run_instance", "compute", "cast", "6.0", "nova/compute/rpcapi.py ComputeAPI"
    ),
    "build_instances": RpcFact(
        "build_instances", "conductor", "cast", "1.19", "nova/conductor/rpcapi.py ComputeTaskAPI", "compute_task"
    ),
    "instance_save": RpcFact(
        "object_action", "conductor", "call", "3.0", "nova/conductor/rpcapi.py ConductorAPI.object_action"
    ),
    # to the compute's second RPC server (topic compute-alt, version 6.5 on), which keeps listening while
    # the service shuts down gracefully, so neutron's events are not blocked: prepare_for_alt_rpcserver
    "external_instance_event": RpcFact(
        "external_instance_event",
        "compute-alt",
        "cast",
        "6.0",
        "nova/compute/rpcapi.py ComputeAPI.external_instance_event, prepare_for_alt_rpcserver",
    ),
}

DEFAULTS: dict[str, DefaultFact] = {
    "max_attempts": DefaultFact("[scheduler] max_attempts", 3, "nova/conf/scheduler.py"),
    "host_subset_size": DefaultFact("[filter_scheduler] host_subset_size", 1, "nova/conf/scheduler.py"),
    "cpu_allocation_ratio": DefaultFact("initial_cpu_allocation_ratio", 4.0, "nova/conf/compute.py"),
    "ram_allocation_ratio": DefaultFact("initial_ram_allocation_ratio", 1.0, "nova/conf/compute.py"),
    "disk_allocation_ratio": DefaultFact("initial_disk_allocation_ratio", 1.0, "nova/conf/compute.py"),
    # No option any more: the display name of instance N of a multi-create is f'{display_name}-{index + 1}'.
    "multi_instance_display_name_template": DefaultFact(
        "display name of each instance of a multi-create",
        "%(name)s-%(count)d",
        "nova/compute/api.py _populate_instance_names",
    ),
    "vif_plugging_timeout": DefaultFact("vif_plugging_timeout", 300, "nova/conf/compute.py"),
    "vif_plugging_is_fatal": DefaultFact("vif_plugging_is_fatal", True, "nova/conf/compute.py"),
    "max_concurrent_builds": DefaultFact("max_concurrent_builds", 10, "nova/conf/compute.py"),
    "quota_reports": DefaultFact(
        "which over-quota resources TooManyInstances gives numbers for",
        "every",
        "nova/compute/utils.py check_num_instances_quota",
    ),
}

#: Who gives up when the attempts are used up, as ``Failed to %(service)s_%(method)s`` names it.
DEFAULTS["gives_up"] = DefaultFact(
    "the service and method that log the failure",
    ("compute_task", "build_instances"),
    "nova/conductor/manager.py ComputeTaskManager.build_instances",
)
#: nova-api's request schema: ``group`` and ``different_host`` take UUIDs (``oneOf``), as does each ``same_host``.
ERRORS["hint_schema"] = ErrorFact(
    "ValidationError",
    "Invalid input for field/attribute %(path)s. Value: %(value)s. %(message)s",
    "nova/api/validation/validators.py _SchemaValidator.validate; nova/api/openstack/compute/schemas/servers.py",
    400,
)

#: What the retry information's traceback (``retry['exc']``) ends with: the error caught, or RescheduledException.
DEFAULTS["retry_exc"] = DefaultFact(
    "the exception retry['exc'] holds", "rescheduled", "nova/compute/manager.py _do_build_and_run_instance"
)

#: How the scheduler prints a host in its log lines.
DEFAULTS["host_state_repr"] = DefaultFact(
    "HostState as the scheduler logs it",
    "(%(host)s, %(node)s) ram: %(free_ram)sMB disk: %(free_disk)sMB io_ops: %(num_io_ops)s "
    "instances: %(num_instances)s, allocation_candidates: %(num_a_c)s",
    "nova/scheduler/host_manager.py HostState.__repr__",
)
#: The scheduler found hosts for only some of a request's instances (it then gives their claims back).
LOGS["not_enough_hosts"] = (
    LogFact(
        SCHEDULER,
        "DEBUG",
        "There are %(hosts)d hosts available but %(required_count)d instances requested to build.",
        "nova/scheduler/manager.py SchedulerManager._ensure_sufficient_hosts",
    ),
)

LOGS["host_not_heard"] = (
    LogFact(
        SCHEDULER,
        "WARNING",
        "%(host_state)s has not been heard from in a while",
        "nova/scheduler/filters/compute_filter.py ComputeFilter.host_passes",
    ),
)

#: keystone's, read at the same release as nova's: a refused password.
LOGS["keystone_refused"] = (
    LogFact(
        Service.KEYSTONE,
        "WARNING",
        "Authorization failed. %(exception)s from %(remote_addr)s",
        "keystone 30ef2ffa: keystone/server/flask/application.py _handle_keystone_exception",
    ),
)
ERRORS["keystone_unauthorized"] = ErrorFact(
    "Unauthorized",
    "The request you have made requires authentication.",
    "keystone 30ef2ffa: keystone/exception.py Unauthorized",
    401,
)

#: The reason NoValidHost gives when the filters, not placement, left too few hosts.
ERRORS["not_enough_hosts_reason"] = ErrorFact(
    "NoValidHost", "There are not enough hosts available.", "nova/scheduler/manager.py _ensure_sufficient_hosts"
)

#: The filters today's nova no longer has (each release note's version), and what does their work now.
DEFAULTS["removed_filters"] = DefaultFact(
    "filters removed from nova/scheduler/filters",
    {
        "RamFilter": "removed in Train (20.0.0): placement's allocation candidates check MEMORY_MB",
        "CoreFilter": "removed in Train (20.0.0): placement's allocation candidates check VCPU",
        "DiskFilter": "removed in Train (20.0.0): placement's allocation candidates check DISK_GB",
        "RetryFilter": "removed in Victoria (22.0.0): a reschedule takes the next alternate host instead",
        "AvailabilityZoneFilter": "removed in 2023.2 (28.0.0): the request filter map_az_to_placement_aggregate "
        "asks placement for the zone's hosts",
    },
    "releasenotes/notes/remove-core-ram-disk-filters-9510cbe5b4e295b6.yaml, "
    "remove-retry-and-aggregate-filters-f872a85d0b815982.yaml, az-filter-removal-587f7337040b6216.yaml",
)

#: A vif-plugging timeout: VirtualInterfaceCreateException, never rescheduled.
ERRORS["vif_timeout_reason"] = ERRORS["network_aborted_reason"]
ERRORS["vif_timeout_fault"] = ERRORS["aborted"]

#: The REST layer: where each API is served, nova's path, microversions, keystone's tokens, glance's API.
DEFAULTS["endpoints"] = DefaultFact(
    "where each API is served",
    ENDPOINTS,
    "today's DevStack: /identity, /compute/v2.1, /image, /networking, /volume/v3, /placement",
)
DEFAULTS["compute_path"] = DefaultFact("the compute API's path", "/v2.1", "etc/nova/api-paste.ini")
DEFAULTS["microversions"] = DefaultFact(
    "whether the compute API takes microversions", True, "nova/api/openstack/api_version_request.py"
)
DEFAULTS["token_format"] = DefaultFact(
    "keystone's default token provider", "fernet", "keystone 30ef2ffa: keystone/conf/token.py (provider)"
)
DEFAULTS["glance_api"] = DefaultFact("the glance API nova calls", "v2", "nova/image/glance.py")

#: How nova-compute writes a build that ends in ERROR on its host: the saves, in order.
DEFAULTS["error_saves"] = DefaultFact(
    "the writes of a failed build",
    (
        {
            "vm_state": "error",
            "task_state": None,
            "host": None,
            "node": None,
            "compute_id": None,
            "launched_on": None,
            "availability_zone": None,
        },
    ),
    "nova/compute/manager.py _nil_out_instance_obj_host_and_node, _set_instance_obj_error_state",
)
#: Whether a build that ends in ERROR on a host leaves that host in the instance record.
DEFAULTS["error_keeps_host"] = DefaultFact(
    "a failed build's host", False, "nova/compute/manager.py _nil_out_instance_obj_host_and_node"
)
RPCS["save_error"] = RPCS["instance_save"]
#: How nova-compute records a fault: compute/utils.py add_instance_fault_from_exc, InstanceFault.create()
#: (remotable: an object_action on nova-conductor).
RPCS["fault_create"] = RPCS["instance_save"]

#: Whether a vif-plugging timeout frees the instance's ports.
DEFAULTS["vif_timeout_frees_network"] = DefaultFact(
    "a vif-plugging timeout deallocates the network",
    True,
    "nova/compute/manager.py _do_build_and_run_instance (BuildAbortException: _cleanup_allocated_networks)",
)

#: What nova-api logs when the quota refuses a boot: for one count, or for a range (min_count to max_count).
LOGS["over_quota_one"] = (
    LogFact(
        API,
        "DEBUG",
        "%(overs)s quota exceeded for %(pid)s, tried to run %(min_count)d instances. %(msg)s",
        "nova/compute/utils.py check_num_instances_quota",
    ),
)
LOGS["over_quota_range"] = (
    LogFact(
        API,
        "DEBUG",
        "%(overs)s quota exceeded for %(pid)s, tried to run between %(min_count)d and %(max_count)d instances. %(msg)s",
        "nova/compute/utils.py check_num_instances_quota",
    ),
)
DEFAULTS["quota_messages"] = DefaultFact(
    "the reason the quota log line gives",
    {"none": "Cannot run any more instances of this type.", "some": "Can only run %s more instances of this type."},
    "nova/compute/utils.py check_num_instances_quota",
)

#: With no image, the root volume nova-api cannot get is an invalid mapping (nova/block_device.py);
#: the other volumes are read after the quota (_get_volumes_for_bdms), and a missing one is not found.
ERRORS["boot_volume_invalid"] = ErrorFact(
    "InvalidBDMVolume",
    "Block Device Mapping is Invalid: failed to get volume %(id)s.",
    "nova/block_device.py get_bdm_image_metadata",
    400,
)
ERRORS["volume_not_found"] = ErrorFact(
    "VolumeNotFound",
    "Volume %(volume_id)s could not be found.",
    "nova/compute/api.py API._get_volumes_for_bdms",
    400,
)

#: nova-api's checks in order: API.create (several instances, the zone), then _create_instance
#: (the image, _validate_and_build_base_options, _checks_for_create_and_rebuild, the group) and
#: _provision_instances (the quota, then the volumes).
DEFAULTS["api_check_order"] = DefaultFact(
    "the order of nova-api's checks",
    (
        "early",
        "zone",
        "fetch_image",
        "boot_volume",
        "security_groups",
        "networks",
        "keypair",
        "image",
        "group",
        "quota",
        "volumes",
    ),
    "nova/compute/api.py API.create, API._create_instance",
)

#: The checks whose refusal comes after nova-api has written the instance records: none today.
DEFAULTS["refused_after_records"] = DefaultFact(
    "refusals that leave the instance records", (), "nova/compute/api.py API._create_instance"
)

#: The fault a failed volume attach leaves: Icehouse's bare InvalidBDM, or today's aborted build with cinder's text.
ERRORS["volume_failed"] = ERRORS["aborted"]

#: Which conductor call each of nova-compute's writes to the instance is (``bootwalk.services.saves``):
#: every one an Instance.save() (``_do_build_and_run_instance``, ``_set_instance_host_and_node``,
#: ``_allocate_network``, ``_build_resources``, ``_build_and_run_instance``).
RPCS.update(
    {
        moment: RPCS["instance_save"]
        for moment in (
            "save_started",
            "save_host",
            "save_networking",
            "save_block_device_mapping",
            "save_spawning",
            "save_spawned",
            "save_rescheduled",
        )
    }
)

#: nova's files this release's flow names, each checked to exist there by tools/check_sources.py.
#: The zone `nova show` gives a server with no host: Icehouse looks up the host "None" and finds the default zone;
#: today's nova gives the zone the request asked for, if any.
DEFAULTS["hostless_availability_zone"] = DefaultFact(
    "the zone of a server with no host", "", "nova/availability_zones.py get_instance_availability_zone"
)

#: What keystone puts in a project-scoped v3 token today (keystone/common/render_token.py
#: render_token_response_from_model): audit_ids, the user's password_expires_at, is_domain, roles with IDs
#: (member implies reader, and keystone adds implied roles: [token] infer_roles); catalog services with id,
#: name and type, endpoints with id, interface, region_id, region and url. The roles and URLs are today's
#: DevStack's (lib/keystone: demo has member and anotherrole in demo; each lib/ registers its endpoint).
DEFAULTS["token_body"] = DefaultFact(
    "a project-scoped token's body",
    {
        "extras": False,
        "audit_ids": True,
        "password_expires_at": True,
        "is_domain": True,
        "service_names": True,
        "region_id": True,
        "roles": ("member", "anotherrole", "reader"),
        "catalog": (
            ("identity", "keystone", "http://controller/identity"),
            ("compute", "nova", "http://controller/compute/v2.1"),
            ("image", "glance", "http://controller/image"),
            ("network", "neutron", "http://controller/networking"),
            ("block-storage", "cinder", "http://controller/volume/v3"),
            ("placement", "placement", "http://controller/placement"),
        ),
    },
    "keystone keystone/common/render_token.py; devstack lib/keystone, lib/nova, lib/cinder",
)

#: Where neutron's nova notifier sends events today: the compute endpoint of the catalog, through a
#: keystoneauth session of its [nova] section (neutron/notifiers/nova.py).
DEFAULTS["neutron_nova_url"] = DefaultFact(
    "the nova URL neutron notifies", "http://controller/compute/v2.1", "neutron/notifiers/nova.py"
)

#: The headers nova-api answers with the request's ID: oslo's, and nova's own kept for compatibility.
DEFAULTS["request_id_headers"] = DefaultFact(
    "the request ID's response headers",
    ("x-openstack-request-id", "x-compute-request-id"),
    "nova/api/compute_req_id.py ComputeReqIdMiddleware",
)

#: Whether a port neutron cannot bind makes the network allocation free its ports at once (today:
#: _update_port's _ensure_no_port_binding_failure, then _delete_ports / _unbind_ports).
DEFAULTS["binding_failure_frees_ports"] = DefaultFact(
    "a binding failure frees the ports", True, "nova/network/neutron.py API._update_ports_for_instance"
)

#: validate_networks' port-quota check: list_ports and show_quota, in this order (today with fields=id).
DEFAULTS["port_quota_order"] = DefaultFact(
    "the port-quota calls' order", ("quota", "ports"), "nova/network/neutron.py API.validate_networks"
)
DEFAULTS["port_count_fields"] = DefaultFact(
    "the port count's fields", "&fields=id", "nova/network/neutron.py API.validate_networks"
)

#: Whether nova-compute records a failed build's fault before its cleanup (and again as the error leaves
#: run_instance), or once, just before the error save and only when the build ends in ERROR.
DEFAULTS["fault_before_cleanup"] = DefaultFact(
    "when a build's fault is recorded", False, "nova/compute/manager.py ComputeManager._do_build_and_run_instance"
)

#: What nova's neutron client puts after a call's path: the format, in the client of Icehouse's time.
DEFAULTS["neutron_path_suffix"] = DefaultFact(
    "the format after a neutron path", "", "python-neutronclient: v2_0/client.py Client.do_request"
)

# --- nova delete (issue 15): today's delete, read at 00a030403f ------------------------------------------------------
LOGS["delete_requested"] = (
    LogFact(API, "DEBUG", "Going to try to terminate instance", "nova/compute/api.py API.delete"),
)
#: Today's nova counts usage from the rows (nova/quota.py count_as_dict): a delete reserves and commits nothing.
LOGS["delete_reserved"] = ()
#: A server with no host (NoValidHost, in cell0): nova-api deletes it itself, host None included in the line.
LOGS["local_delete"] = (
    LogFact(
        API,
        "WARNING",
        "instance's host %s is down, deleting from database",
        "nova/compute/api.py API._local_delete",
        ("host",),
    ),
)
LOGS["terminating"] = (
    LogFact(COMPUTE, "INFO", "Terminating instance", f"{MANAGER} ComputeManager._shutdown_instance"),
)
LOGS["guest_destroyed"] = (
    LogFact(
        COMPUTE,
        "DEBUG",
        "Start destroying the instance on the hypervisor.",
        f"{MANAGER} ComputeManager._shutdown_instance",
        minor=True,
    ),
    LogFact(COMPUTE, "INFO", "Instance destroyed successfully.", "nova/virt/libvirt/driver.py LibvirtDriver._destroy"),
)
LOGS["guest_files_deleted"] = (
    LogFact(
        COMPUTE,
        "INFO",
        "Deleting instance files %s",
        "nova/virt/libvirt/driver.py LibvirtDriver.delete_instance_files",
        ("path",),
    ),
    LogFact(
        COMPUTE,
        "INFO",
        "Deletion of %s complete",
        "nova/virt/libvirt/driver.py LibvirtDriver.delete_instance_files",
        ("path",),
    ),
)
LOGS["guest_gone"] = (
    LogFact(
        COMPUTE,
        "INFO",
        "Took %0.2f seconds to destroy the instance on the hypervisor.",
        f"{MANAGER} ComputeManager._shutdown_instance",
        ("seconds",),
    ),
)
LOGS["network_deallocating"] = (
    LogFact(COMPUTE, "DEBUG", "Deallocating network for instance", f"{MANAGER} ComputeManager._deallocate_network"),
    LogFact(COMPUTE, "DEBUG", "deallocate_for_instance()", "nova/network/neutron.py API.deallocate_for_instance"),
)
LOGS["network_deallocated"] = (
    LogFact(
        COMPUTE,
        "INFO",
        "Took %0.2f seconds to deallocate network for instance.",
        f"{MANAGER} ComputeManager._deallocate_network",
        ("seconds",),
    ),
)
LOGS["volumes_detached"] = (
    LogFact(
        COMPUTE,
        "INFO",
        "Took %(time).2f seconds to detach %(num)s volumes for instance.",
        f"{MANAGER} ComputeManager._shutdown_instance",
    ),
)
LOGS["delete_committed"] = ()
LOGS["allocations_deleted"] = (
    LogFact(
        COMPUTE,
        "INFO",
        "Deleted allocations for %(consumer_type)s %(uuid)s",
        "nova/scheduler/client/report.py SchedulerReportClient.delete_allocation_for_instance",
    ),
)
RPCS["terminate_instance"] = RpcFact(
    "terminate_instance", "compute", "cast", "6.0", "nova/compute/rpcapi.py ComputeAPI.terminate_instance"
)
#: Instance.destroy() and every other object's write from nova-compute: an object_action call to nova-conductor.
RPCS["instance_destroy"] = RPCS["instance_save"]
RPCS["object_action"] = RPCS["instance_save"]
DEFAULTS["delete_reserves_quota"] = DefaultFact(
    "nova-api reserves the quota a delete gives back", False, "nova/compute/api.py API._delete"
)
DEFAULTS["delete_sets_nostate"] = DefaultFact(
    "a delete sets power_state NOSTATE", True, f"{MANAGER} ComputeManager._delete_instance"
)
#: _shutdown_instance takes the ports from the instance's info cache (instance.get_network_info()).
DEFAULTS["delete_reads_ports"] = DefaultFact(
    "the delete asks neutron for the ports", False, f"{MANAGER} ComputeManager._shutdown_instance"
)
#: LibvirtDriver.destroy: _destroy (Guest.poweroff), then _cleanup: _unplug_vifs, ..., delete_instance_files, and
#: _undefine_domain last.
DEFAULTS["libvirt_delete_order"] = DefaultFact(
    "libvirt's order in a delete",
    ("destroy", "unplug", "files", "undefine"),
    "nova/virt/libvirt/driver.py LibvirtDriver.destroy, _cleanup",
)
#: delete_instance_files renames the directory to <uuid>_del first, and deletes that.
DEFAULTS["instance_files"] = DefaultFact(
    "the instance's directory as it is deleted",
    "/opt/stack/data/nova/instances/{uuid}_del",
    "nova/virt/libvirt/driver.py LibvirtDriver.delete_instance_files; devstack lib/nova",
)
#: deallocate_for_instance unbinds the ports the user made (preserve_on_delete) and deletes only nova's.
DEFAULTS["delete_frees_user_ports"] = DefaultFact(
    "a delete deletes the user's ports", False, "nova/network/neutron.py API.deallocate_for_instance, _unbind_ports"
)
#: A server with no host: nova-api's _local_delete frees the network, the volumes and the allocations itself.
DEFAULTS["hostless_delete_cleans_up"] = DefaultFact(
    "a hostless delete cleans up ports and volumes", True, "nova/compute/api.py API._delete, _local_delete"
)

#: The instance actions and events (nova instance-action-list at 2.96, with Updated_At from 2.58): the conductor
#: records create before it casts the build; the host's 'compute__do_build_and_run_instance' ends Success even when
#: the build fails (it returns FAILED rather than raising); a server buried in cell0 gets create with
#: 'conductor_schedule_and_build_instances', Error. A delete records 'delete' with 'compute_terminate_instance'; a
#: local delete records 'delete' with no event. Since 2.21 a deleted server's actions are listed by its UUID.
DEFAULTS["instance_actions"] = DefaultFact(
    "the actions and events of a boot and a delete",
    {
        "schedule_event": None,
        "build_event": "compute__do_build_and_run_instance",
        "build_error_is_error": False,
        "no_host_event": "conductor_schedule_and_build_instances",
        "delete_event": "compute_terminate_instance",
        "hostless_delete_action": True,
        "updated_at": True,
        "deleted_visible": True,
    },
    "nova/conductor/manager.py ComputeTaskManager.schedule_and_build_instances, _create_instance_action_for_cell0; "
    "nova/compute/manager.py ComputeManager._do_build_and_run_instance, terminate_instance; "
    "nova/compute/api.py API._delete",
)

#: GET /os-hypervisors/statistics: sums per cell over the compute nodes whose nova-compute service is enabled,
#: for admins only; the API is gone from 2.88 on (404), and novaclient at 2.88 or later refuses the command.
DEFAULTS["hypervisor_statistics"] = DefaultFact(
    "the hypervisor statistics",
    {"counts_disabled": False, "removed_at": "2.88", "policy": "os_compute_api:os-hypervisors:statistics"},
    "nova/db/main/api.py compute_node_statistics; nova/api/openstack/compute/hypervisors.py "
    "HypervisorsController.statistics; nova/policies/hypervisors.py",
)

LOGS["hostless_committed"] = ()
#: instance_destroy soft-deletes the row and these; it hard-deletes the tags and console auth tokens.
DEFAULTS["soft_deleted_tables"] = DefaultFact(
    "the rows a soft delete takes",
    ("instances", "security_group_instance_association", "instance_info_caches", "instance_metadata",
     "instance_faults", "instance_extra", "instance_system_metadata", "block_device_mapping", "migrations",
     "virtual_interfaces", "instance_id_mappings"),
    "nova/db/main/api.py instance_destroy",
)  # fmt: skip

FILES = (
    "nova/api/compute_req_id.py",
    "nova/api/openstack/api_version_request.py",
    "nova/api/openstack/compute/hypervisors.py",
    "nova/api/openstack/compute/schemas/servers.py",
    "nova/api/openstack/compute/servers.py",
    "nova/api/openstack/wsgi.py",
    "nova/api/validation/validators.py",
    "nova/availability_zones.py",
    "nova/block_device.py",
    "nova/compute/api.py",
    "nova/compute/claims.py",
    "nova/compute/manager.py",
    "nova/compute/rpcapi.py",
    "nova/compute/utils.py",
    "nova/conductor/manager.py",
    "nova/conductor/rpcapi.py",
    "nova/conf/compute.py",
    "nova/conf/scheduler.py",
    "nova/db/main/api.py",
    "nova/exception.py",
    "nova/filters.py",
    "nova/image/glance.py",
    "nova/network/neutron.py",
    "nova/network/security_group_api.py",
    "nova/objects/instance.py",
    "nova/policies/hypervisors.py",
    "nova/scheduler/client/report.py",
    "nova/scheduler/filters/compute_filter.py",
    "nova/scheduler/host_manager.py",
    "nova/scheduler/manager.py",
    "nova/scheduler/rpcapi.py",
    "nova/scheduler/utils.py",
    "nova/virt/block_device.py",
    "nova/virt/libvirt/driver.py",
    "nova/virt/libvirt/guest.py",
    "nova/volume/cinder.py",
)

FACTS = Facts(RELEASE, logs=LOGS, errors=ERRORS, rpcs=RPCS, defaults=DEFAULTS, files=FILES)
