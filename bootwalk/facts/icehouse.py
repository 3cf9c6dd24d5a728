"""Icehouse: facts read from nova at tag 2014.1 (87f57c0a2c), by moment of the boot.

Each entry names the file and function it was read from at that tag; the
templates are nova's format strings as written there (the ``_()`` removed).
Icehouse logged at AUDIT, a level between INFO and WARNING that later
releases dropped.
"""

from __future__ import annotations

from bootwalk.cloud import ICEHOUSE_ENDPOINTS
from bootwalk.facts import DefaultFact, ErrorFact, Facts, LogFact, Release, RpcFact
from bootwalk.trace import Service

API, SCHEDULER, COMPUTE = Service.NOVA_API, Service.NOVA_SCHEDULER, Service.NOVA_COMPUTE
MANAGER = "nova/compute/manager.py"
FILTER_SCHEDULER = "nova/scheduler/filter_scheduler.py"
SET_VM_STATE = "nova/scheduler/utils.py set_vm_state_and_notify"

RELEASE = Release(
    name="Icehouse (2014.1)",
    tag="2014.1",
    commit="87f57c0a2c",
    client="today's python-novaclient (18.x), which finds no microversions and speaks compute API 2.0",
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
    "scheduler_started": (
        LogFact(
            SCHEDULER,
            "INFO",
            "Attempting to build %(num_instances)d instance(s) uuids: %(instance_uuids)s",
            f"{FILTER_SCHEDULER} FilterScheduler.schedule_run_instance",
            minor=True,
        ),
    ),
    "host_chosen": (
        LogFact(
            SCHEDULER,
            "INFO",
            "Choosing host %(weighed_host)s for instance %(instance_uuid)s",
            f"{FILTER_SCHEDULER} FilterScheduler.schedule_run_instance",
        ),
    ),
    "filters_removed_all": (
        LogFact(
            SCHEDULER,
            "INFO",
            "Filter %s returned 0 hosts",
            "nova/filters.py BaseFilterHandler.get_filtered_objects",
            ("filter",),
        ),
    ),
    "no_candidates": (),
    "build_buried": (
        LogFact(
            SCHEDULER,
            "WARNING",
            "Setting instance to %s state.",
            "nova/scheduler/driver.py handle_schedule_error",
            ("state",),
        ),
    ),
    # NoValidHost from _populate_retry (and any error in _schedule) escapes schedule_run_instance: the
    # scheduler manager's run_instance sets the instances to ERROR (scheduler/utils.py set_vm_state_and_notify).
    "retries_exceeded": (
        LogFact(SCHEDULER, "WARNING", "Failed to %(service)s_%(method)s: %(ex)s", SET_VM_STATE),
        LogFact(SCHEDULER, "WARNING", "Setting instance to %s state.", SET_VM_STATE, ("state",)),
    ),
    "error_from_last_host": (
        LogFact(
            SCHEDULER,
            "ERROR",
            "Error from last host: %(last_host)s (node %(last_node)s): %(exc)s",
            f"{FILTER_SCHEDULER} FilterScheduler._log_compute_error",
        ),
    ),
    "build_started": (LogFact(COMPUTE, "AUDIT", "Starting instance...", f"{MANAGER} ComputeManager._start_building"),),
    "claim_attempted": (
        LogFact(
            COMPUTE,
            "AUDIT",
            "Attempting claim: memory %(memory_mb)d MB, disk %(disk_gb)d GB, VCPUs %(vcpus)d",
            "nova/compute/claims.py Claim._claim_test",
            minor=True,
        ),
    ),
    "claim_succeeded": (LogFact(COMPUTE, "AUDIT", "Claim successful", "nova/compute/claims.py Claim._claim_test"),),
    "spawned": (
        LogFact(COMPUTE, "INFO", "Instance spawned successfully.", "nova/virt/libvirt/driver.py LibvirtDriver.spawn"),
    ),
    "guest_start_failed": (
        LogFact(
            COMPUTE,
            "ERROR",
            "An error occurred while trying to launch a defined domain with xml: %(xml)s",
            "nova/virt/libvirt/driver.py LibvirtDriver._create_domain",
        ),
    ),
    "spawn_failed": (LogFact(COMPUTE, "ERROR", "Instance failed to spawn", f"{MANAGER} ComputeManager._spawn"),),
    "network_failed": (LogFact(COMPUTE, "ERROR", "Instance failed to spawn", f"{MANAGER} ComputeManager._spawn"),),
    "fixed_ip_refused": (
        LogFact(
            COMPUTE,
            "ERROR",
            "Instance failed network setup after %(attempts)d attempt(s)",
            f"{MANAGER} ComputeManager._allocate_network_async",
        ),
    ),
    "vif_timeout": (
        LogFact(
            COMPUTE,
            "WARNING",
            "Timeout waiting for vif plugging callback for instance %(uuid)s",
            "nova/virt/libvirt/driver.py LibvirtDriver._create_domain_and_network",
        ),
        LogFact(COMPUTE, "ERROR", "Instance failed to spawn", f"{MANAGER} ComputeManager._spawn"),
        # _build_instance does not reschedule it: it logs the exception's message, at DEBUG, and re-raises
        LogFact(COMPUTE, "DEBUG", "Virtual Interface creation failed", f"{MANAGER} ComputeManager._build_instance"),
    ),
    "volume_failed": (
        LogFact(COMPUTE, "ERROR", "Instance failed block device setup", f"{MANAGER} ComputeManager._prep_block_device"),
    ),
    "rescheduled": (
        LogFact(
            COMPUTE,
            "DEBUG",
            "Re-scheduling %(method)s: attempt %(num)d",
            f"{MANAGER} ComputeManager._reschedule",
        ),
        LogFact(COMPUTE, "ERROR", "Error: %s", f"{MANAGER} ComputeManager._log_original_error", ("error",)),
    ),
    "no_retry": (
        LogFact(
            COMPUTE, "DEBUG", "Retry info not present, will not reschedule", f"{MANAGER} ComputeManager._reschedule"
        ),
    ),
    "aborted": (
        LogFact(
            COMPUTE,
            "INFO",
            "Build of instance %(instance_uuid)s aborted: %(reason)s",
            f"{MANAGER} ComputeManager._run_instance (LOG.info(e))",
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
        "nova/network/neutronv2/api.py API._get_available_networks (an Invalid: 400)",
        400,
    ),
    "multiple_ports": ErrorFact(
        "MultiplePortsNotApplicable",
        "Failed to launch instances: Unable to launch multiple instances with a single configured port ID. "
        "Please launch your instance one by one with different ports.",
        "nova/compute/api.py API._check_multiple_instances_neutron_ports",
        400,
    ),
    # neutronclient's own text, passed through (raise_not_found(unicode(e))); the neutronclient of 2014's wording
    "security_group_not_found": ErrorFact(
        "SecurityGroupNotFound",
        "Unable to find security_group with name '%(security_group_id)s'",
        "nova/network/security_group/neutron_driver.py SecurityGroupAPI.get",
        400,
    ),
    "key_name_invalid": ErrorFact(
        "KeypairNotFound", "Invalid key_name provided.", "nova/api/openstack/compute/servers.py Controller.create", 400
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
    # Icehouse had one text for both disk checks, and compared min_disk in GB (compute/api.py _check_requested_image).
    "disk_smaller_than_image": ErrorFact(
        "FlavorDiskTooSmall",
        "Flavor's disk is too small for requested image.",
        "nova/exception.py FlavorDiskTooSmall",
        400,
    ),
    "disk_smaller_than_min_disk": ErrorFact(
        "FlavorDiskTooSmall",
        "Flavor's disk is too small for requested image.",
        "nova/exception.py FlavorDiskTooSmall",
        400,
    ),
    # Not caught by the servers controller: FaultWrapper hides a NotFound that is not safe behind webob's text
    "group_not_found": ErrorFact(
        "InstanceGroupNotFound",
        "The resource could not be found.",
        "nova/api/openstack/__init__.py FaultWrapper._error",
        404,
    ),
    "over_quota": ErrorFact(
        "TooManyInstances",
        "Quota exceeded for %(overs)s: Requested %(req)s, but already used %(used)d of %(allowed)d %(resource)s",
        "nova/exception.py TooManyInstances; nova/api/openstack/compute/servers.py Controller.create "
        "(HTTPRequestEntityTooLarge, Retry-After: 0)",
        413,
        retry_after=0,
    ),
    "no_valid_host": ErrorFact("NoValidHost", "No valid host was found. %(reason)s", "nova/exception.py NoValidHost"),
    # Icehouse had no MaxRetriesExceeded: the scheduler raised NoValidHost with this reason (_populate_retry).
    "retries_exceeded": ErrorFact(
        "NoValidHost", "No valid host was found. %(reason)s", "nova/exception.py NoValidHost"
    ),
    "max_attempts_reason": ErrorFact(
        "NoValidHost",
        "Exceeded max scheduling attempts %(max_attempts)d for instance %(instance_uuid)s",
        f"{FILTER_SCHEDULER} FilterScheduler._populate_retry",
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
    # No PortBindingFailed in Icehouse (it came in Juno): libvirt's VIF driver refused the vif_type.
    "port_binding_failed": ErrorFact(
        "NovaException",
        "Unexpected vif_type=%s",
        "nova/virt/libvirt/vif.py LibvirtGenericVIFDriver.get_config",
        args=("vif_type",),
    ),
    "no_fixed_ips": ErrorFact("NoMoreFixedIps", "Zero fixed ips available.", "nova/exception.py NoMoreFixedIps"),
    "vif_creation_failed": ErrorFact(
        "VirtualInterfaceCreateException",
        "Virtual Interface creation failed",
        "nova/exception.py VirtualInterfaceCreateException",
    ),
    "invalid_bdm": ErrorFact("InvalidBDM", "Block Device Mapping is Invalid.", "nova/exception.py InvalidBDM"),
    "filter_not_found": ErrorFact(
        "SchedulerHostFilterNotFound",
        "Scheduler Host Filter %(filter_name)s could not be found.",
        "nova/exception.py SchedulerHostFilterNotFound; "
        "nova/scheduler/host_manager.py HostManager._choose_host_filters",
    ),
}

RPCS: dict[str, RpcFact] = {
    "build_instances": RpcFact(
        "build_instances",
        "conductor",
        "cast",
        "1.5",
        "nova/conductor/rpcapi.py ComputeTaskAPI.build_instances",
        "compute_task",
    ),
    "scheduler_run_instance": RpcFact(
        "run_instance", "scheduler", "cast", "3.0", "nova/scheduler/rpcapi.py SchedulerAPI.run_instance"
    ),
    "compute_run_instance": RpcFact(
        "run_instance", "compute", "cast", "3.0", "nova/compute/rpcapi.py ComputeAPI.run_instance"
    ),
    "instance_update": RpcFact(
        "instance_update", "conductor", "call", "2.0", "nova/conductor/rpcapi.py ConductorAPI.instance_update"
    ),
    "instance_save": RpcFact(
        "object_action", "conductor", "call", "2.0", "nova/conductor/rpcapi.py ConductorAPI.object_action"
    ),
    "external_instance_event": RpcFact(
        "external_instance_event",
        "compute",
        "cast",
        "3.23",
        "nova/compute/rpcapi.py ComputeAPI.external_instance_event",
    ),
}

DEFAULTS: dict[str, DefaultFact] = {
    "max_attempts": DefaultFact("scheduler_max_attempts", 3, "nova/scheduler/driver.py"),
    "host_subset_size": DefaultFact("scheduler_host_subset_size", 1, FILTER_SCHEDULER),
    "cpu_allocation_ratio": DefaultFact("cpu_allocation_ratio", 16.0, "nova/scheduler/filters/core_filter.py"),
    "ram_allocation_ratio": DefaultFact("ram_allocation_ratio", 1.5, "nova/scheduler/filters/ram_filter.py"),
    "disk_allocation_ratio": DefaultFact("disk_allocation_ratio", 1.0, "nova/scheduler/filters/disk_filter.py"),
    "multi_instance_display_name_template": DefaultFact(
        "multi_instance_display_name_template", "%(name)s-%(uuid)s", "nova/compute/api.py"
    ),
    "vif_plugging_timeout": DefaultFact("vif_plugging_timeout", 300, "nova/virt/driver.py"),
    "vif_plugging_is_fatal": DefaultFact("vif_plugging_is_fatal", True, "nova/virt/driver.py"),
    "quota_reports": DefaultFact(
        "which over-quota resources TooManyInstances gives numbers for",
        "first",
        "nova/compute/api.py _check_num_instances_quota",
    ),
}

#: Who gives up when the attempts are used up, as ``Failed to %(service)s_%(method)s`` names it.
DEFAULTS["gives_up"] = DefaultFact(
    "the service and method that log the failure", ("scheduler", "run_instance"), SET_VM_STATE
)

#: What the retry information's traceback (``retry['exc']``) ends with: the error caught, or RescheduledException.
DEFAULTS["retry_exc"] = DefaultFact(
    "the exception retry['exc'] holds", "caught", "nova/compute/manager.py ComputeManager._reschedule"
)

#: How the scheduler prints a host in its log lines.
DEFAULTS["host_state_repr"] = DefaultFact(
    "HostState as the scheduler logs it",
    "(%(host)s, %(node)s) ram:%(free_ram)s disk:%(free_disk)s io_ops:%(num_io_ops)s instances:%(num_instances)s",
    "nova/scheduler/host_manager.py HostState.__repr__",
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
        "keystone 2014.1: keystone/common/wsgi.py Application.__call__",
    ),
)
ERRORS["keystone_unauthorized"] = ErrorFact(
    "Unauthorized",
    "The request you have made requires authentication.",
    "keystone 2014.1: keystone/exception.py Unauthorized",
    401,
)

#: Every filter bootwalk models existed in Icehouse (nova/scheduler/filters at 2014.1).
DEFAULTS["removed_filters"] = DefaultFact("filters removed from nova/scheduler/filters", {}, "nova/scheduler/filters")

#: A vif-plugging timeout: VirtualInterfaceCreateException, never rescheduled.
ERRORS["vif_timeout_reason"] = ERRORS["vif_creation_failed"]
ERRORS["vif_timeout_fault"] = ERRORS["vif_creation_failed"]

#: The REST layer: where each API is served, nova's path, microversions, keystone's tokens, glance's API.
DEFAULTS["endpoints"] = DefaultFact(
    "where each API is served",
    ICEHOUSE_ENDPOINTS,
    "an Icehouse cloud (2014.1): keystone on 5000, nova 8774, glance 9292, neutron 9696, cinder 8776",
)
DEFAULTS["compute_path"] = DefaultFact("the compute API's path", "/v2/{tenant_id}", "etc/nova/api-paste.ini at 2014.1")
DEFAULTS["microversions"] = DefaultFact(
    "whether the compute API takes microversions", False, "nova/api/openstack/wsgi.py (no microversions at 2014.1)"
)
DEFAULTS["token_format"] = DefaultFact(
    "keystone's default token provider", "PKI", "keystone 2014.1: keystone/token/provider.py (PKI_PROVIDER)"
)
DEFAULTS["glance_api"] = DefaultFact("the glance API nova calls", "v1", "nova/image/glance.py GlanceClientWrapper.call")

#: How nova-compute writes a build that ends in ERROR on its host: the saves, in order.
DEFAULTS["error_saves"] = DefaultFact(
    "the writes of a failed build",
    ({"vm_state": "error"}, {"task_state": None}),
    "nova/compute/manager.py ComputeManager._set_instance_error_state, reverts_task_state",
)
RPCS["save_error"] = RPCS["instance_update"]
#: How nova-compute records a fault: compute/utils.py add_instance_fault_from_exc calls the conductor.
RPCS["fault_create"] = RpcFact(
    "instance_fault_create", "conductor", "call", "2.0", "nova/conductor/rpcapi.py ConductorAPI.instance_fault_create"
)
#: Whether a build that ends in ERROR on a host leaves that host in the instance record: Icehouse clears it
#: only when it reschedules (the scheduler's instance_update_db), so nova show still hashes it into hostId.
DEFAULTS["error_keeps_host"] = DefaultFact(
    "a failed build's host", True, "nova/compute/manager.py ComputeManager._set_instance_error_state"
)

#: Whether a vif-plugging timeout frees the instance's ports.
DEFAULTS["vif_timeout_frees_network"] = DefaultFact(
    "a vif-plugging timeout deallocates the network",
    False,
    "nova/compute/manager.py ComputeManager._build_instance (VirtualInterfaceCreateException: re-raised)",
)

#: What nova-api logs when the quota refuses a boot: for one count, or for a range (min_count to max_count).
LOGS["over_quota_one"] = (
    LogFact(
        API,
        "WARNING",
        "%(overs)s quota exceeded for %(pid)s, tried to run %(min_count)d instances. %(msg)s",
        "nova/compute/api.py API._check_num_instances_quota",
    ),
)
LOGS["over_quota_range"] = (
    LogFact(
        API,
        "WARNING",
        "%(overs)s quota exceeded for %(pid)s, tried to run between %(min_count)d and %(max_count)d instances. %(msg)s",
        "nova/compute/api.py API._check_num_instances_quota",
    ),
)
DEFAULTS["quota_messages"] = DefaultFact(
    "the reason the quota log line gives",
    {"none": "Cannot run any more instances of this type.", "some": "Can only run %s more instances of this type."},
    "nova/compute/api.py API._check_num_instances_quota",
)

#: The fault the scheduler writes when a group hint is not a group's UUID (FilterScheduler._setup_instance_group).
ERRORS["group_not_found_fault"] = ErrorFact(
    "InstanceGroupNotFound",
    "Instance group %(group_uuid)s could not be found.",
    "nova/exception.py InstanceGroupNotFound",
    None,
)

#: A volume nova-api cannot get from cinder: the mapping is invalid, for the root volume and the others alike.
ERRORS["boot_volume_invalid"] = ErrorFact(
    "InvalidBDMVolume",
    "Block Device Mapping is Invalid: failed to get volume %(id)s.",
    "nova/compute/api.py API._get_bdm_image_metadata",
    400,
)
ERRORS["volume_not_found"] = ErrorFact(
    "InvalidBDMVolume",
    "Block Device Mapping is Invalid: failed to get volume %(id)s.",
    "nova/compute/api.py API._validate_bdm",
    400,
)

#: nova-api's checks in order (nova/compute/api.py API._create_instance, _validate_and_build_base_options,
#: _provision_instances): the image first, the zone inside the base options, the volumes after the quota
#: (_validate_bdm, as each instance's record is made), the group last (_update_instance_group).
DEFAULTS["api_check_order"] = DefaultFact(
    "the order of nova-api's checks",
    (
        "early",
        "fetch_image",
        "boot_volume",
        "zone",
        "image",
        "security_groups",
        "networks",
        "keypair",
        "quota",
        "volumes",
        "group",
    ),
    "nova/compute/api.py API._create_instance",
)

#: The checks whose refusal comes after nova-api has written the instance records, which stay (building, scheduling).
DEFAULTS["refused_after_records"] = DefaultFact(
    "refusals that leave the instance records",
    ("group",),
    "nova/compute/api.py API._create_instance (_update_instance_group after _provision_instances)",
)

#: The fault a failed volume attach leaves: Icehouse's bare InvalidBDM, or today's aborted build with cinder's text.
ERRORS["volume_failed"] = ERRORS["invalid_bdm"]

#: Which conductor call each of nova-compute's writes to the instance is (``bootwalk.services.saves``).
RPCS.update(
    save_started=RPCS["instance_update"],  # _start_building
    save_host=RPCS["instance_update"],  # resource_tracker.py _set_instance_host_and_node
    save_networking=RPCS["instance_update"],  # _allocate_network
    save_block_device_mapping=RPCS["instance_update"],  # _build_instance
    save_spawning=RPCS["instance_save"],  # _spawn: instance.save(expected_task_state=BLOCK_DEVICE_MAPPING)
    save_spawned=RPCS["instance_save"],  # _spawn: instance.save(expected_task_state=SPAWNING)
    save_rescheduled=RPCS["instance_update"],  # _reschedule
)

#: nova's files this release's flow names, each checked to exist there by tools/check_sources.py.
#: The zone `nova show` gives a server with no host: Icehouse looks up the host "None" and finds the default zone;
#: today's nova gives the zone the request asked for, if any.
DEFAULTS["hostless_availability_zone"] = DefaultFact(
    "the zone of a server with no host",
    "nova",
    "nova/availability_zones.py get_instance_availability_zone, get_host_availability_zone",
)

#: What keystone 2014.1 puts in a project-scoped v3 token (keystone/token/providers/common.py
#: V3TokenDataHelper.get_token_data): "extras", roles with IDs, no audit_ids yet (Juno); the catalog's
#: services have an id and a type, each endpoint an id, interface, region and url (catalog/backends/sql.py
#: get_v3_catalog). The roles and URLs are DevStack's at icehouse-eol (lib/keystone: demo has Member and
#: anotherrole in demo; lib/nova, lib/glance, lib/neutron, lib/cinder register these publicURLs in RegionOne,
#: the identity endpoint at IDENTITY_API_VERSION 2.0).
DEFAULTS["token_body"] = DefaultFact(
    "a project-scoped token's body",
    {
        "extras": True,
        "audit_ids": False,
        "password_expires_at": False,
        "is_domain": False,
        "service_names": False,
        "region_id": False,
        "roles": ("Member", "anotherrole"),
        "catalog": (
            ("identity", "keystone", "http://controller:5000/v2.0"),
            ("compute", "nova", "http://controller:8774/v2/{project_id}"),
            ("image", "glance", "http://controller:9292"),
            ("network", "neutron", "http://controller:9696/"),
            ("volume", "cinder", "http://controller:8776/v1/{project_id}"),
        ),
    },
    "keystone 2014.1 keystone/token/providers/common.py; devstack icehouse-eol lib/keystone",
)

#: Where neutron's nova notifier sends events: nova_url and the service tenant (neutron/notifiers/nova.py
#: at 2014.1: bypass_url = "%s/%s" % (nova_url, nova_admin_tenant_id); DevStack icehouse-eol lib/neutron
#: sets nova_url to nova's /v2 and nova_admin_tenant_id to the service project's).
DEFAULTS["neutron_nova_url"] = DefaultFact(
    "the nova URL neutron notifies", "http://controller:8774/v2/{service_project_id}", "neutron/notifiers/nova.py"
)

#: The header nova-api answers with the request's ID: its own, before oslo's request_id middleware.
DEFAULTS["request_id_headers"] = DefaultFact(
    "the request ID's response headers", ("x-compute-request-id",), "nova/api/openstack/wsgi.py Resource._process_stack"
)

#: Whether a port neutron cannot bind makes the network allocation free its ports at once (today:
#: _update_port's _ensure_no_port_binding_failure, then _delete_ports / _unbind_ports).
DEFAULTS["binding_failure_frees_ports"] = DefaultFact(
    "a binding failure frees the ports",
    False,
    "nova/network/neutronv2/api.py API.allocate_for_instance (the binding is read at spawn)",
)

#: validate_networks' port-quota check: list_ports and show_quota, in this order (today with fields=id).
DEFAULTS["port_quota_order"] = DefaultFact(
    "the port-quota calls' order", ("ports", "quota"), "nova/network/neutronv2/api.py API.validate_networks"
)
DEFAULTS["port_count_fields"] = DefaultFact(
    "the port count's fields", "", "nova/network/neutronv2/api.py API.validate_networks"
)

#: Whether nova-compute records a failed build's fault before its cleanup (and again as the error leaves
#: run_instance), or once, just before the error save and only when the build ends in ERROR.
DEFAULTS["fault_before_cleanup"] = DefaultFact(
    "when a build's fault is recorded",
    True,
    "nova/compute/manager.py ComputeManager._reschedule_or_error, wrap_instance_fault",
)

#: What nova's neutron client puts after a call's path: the format, in the client of Icehouse's time.
DEFAULTS["neutron_path_suffix"] = DefaultFact(
    "the format after a neutron path",
    ".json",
    "python-neutronclient 2.3 (nova 2014.1 requirements.txt): v2_0/client.py Client.do_request",
)

# --- nova delete (issue 15): nova 2014.1's delete, read at the tag ---------------------------------------------------
LOGS["delete_requested"] = (
    LogFact(API, "DEBUG", "Going to try to terminate instance", "nova/compute/api.py API.delete"),
)
#: nova-api reserves the quota the server gives back (negative deltas), before it casts (API._create_reservations).
LOGS["delete_reserved"] = (
    LogFact(API, "DEBUG", "Created reservations %s", "nova/quota.py QuotaEngine.reserve", ("reservations",)),
)
LOGS["local_delete"] = ()
LOGS["terminating"] = (
    LogFact(COMPUTE, "AUDIT", "%(action_str)s instance", f"{MANAGER} ComputeManager._shutdown_instance"),
)
LOGS["guest_destroyed"] = (
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
LOGS["guest_gone"] = ()
LOGS["network_deallocating"] = (
    LogFact(COMPUTE, "DEBUG", "Deallocating network for instance", f"{MANAGER} ComputeManager._deallocate_network"),
    LogFact(
        COMPUTE,
        "DEBUG",
        "deallocate_for_instance() for %s",
        "nova/network/neutronv2/api.py API.deallocate_for_instance",
        ("display_name",),
    ),
)
LOGS["network_deallocated"] = ()
LOGS["volumes_detached"] = ()
#: Quotas.commit is remotable: nova-compute asks nova-conductor, which commits (and logs) the reservations.
LOGS["delete_committed"] = (
    LogFact(
        Service.NOVA_CONDUCTOR,
        "DEBUG",
        "Committed reservations %s",
        "nova/quota.py QuotaEngine.commit",
        ("reservations",),
    ),
)
RPCS["terminate_instance"] = RpcFact(
    "terminate_instance", "compute", "cast", "3.22", "nova/compute/rpcapi.py ComputeAPI.terminate_instance"
)
RPCS["instance_destroy"] = RpcFact(
    "instance_destroy", "conductor", "call", "2.0", "nova/conductor/rpcapi.py ConductorAPI.instance_destroy"
)
#: _delete_instance's writes: instance.save(), info_cache.delete(), Quotas.commit() and bdm.destroy() are objects'
#: remotable methods, each an object_action call to nova-conductor.
RPCS["object_action"] = RPCS["instance_save"]
DEFAULTS["delete_reserves_quota"] = DefaultFact(
    "nova-api reserves the quota a delete gives back",
    True,
    "nova/compute/api.py API._delete, _create_reservations",
)
DEFAULTS["delete_sets_nostate"] = DefaultFact(
    "a delete sets power_state NOSTATE", False, f"{MANAGER} ComputeManager._delete_instance"
)
#: _shutdown_instance reads the ports from neutron (_get_instance_nw_info) before the guest is destroyed.
DEFAULTS["delete_reads_ports"] = DefaultFact(
    "the delete asks neutron for the ports", True, f"{MANAGER} ComputeManager._shutdown_instance, _get_instance_nw_info"
)
#: LibvirtDriver.destroy: _destroy, then cleanup: _undefine_domain, unplug_vifs, ..., _delete_instance_files.
DEFAULTS["libvirt_delete_order"] = DefaultFact(
    "libvirt's order in a delete",
    ("destroy", "undefine", "unplug", "files"),
    "nova/virt/libvirt/driver.py LibvirtDriver.destroy, cleanup",
)
DEFAULTS["instance_files"] = DefaultFact(
    "the instance's directory as it is deleted",
    "/opt/stack/data/nova/instances/{uuid}",
    "nova/virt/libvirt/driver.py LibvirtDriver.delete_instance_files; devstack icehouse-eol lib/nova",
)
#: deallocate_for_instance deletes every port whose device_id is the instance, the user's own included.
DEFAULTS["delete_frees_user_ports"] = DefaultFact(
    "a delete deletes the user's ports", True, "nova/network/neutronv2/api.py API.deallocate_for_instance"
)
#: A server with no host (NoValidHost): nova-api destroys the row and commits the quota; nothing else.
DEFAULTS["hostless_delete_cleans_up"] = DefaultFact(
    "a hostless delete cleans up ports and volumes", False, "nova/compute/api.py API._delete"
)

#: The instance actions and events a boot and a delete leave (nova instance-action-list). Icehouse records the
#: create action in nova-api, a 'schedule' event in the scheduler that ends Success even on NoValidHost (caught
#: inside it), and 'compute_run_instance' on the host, Error only when the build fails without a reschedule; a
#: delete records 'delete' with 'compute_terminate_instance', and a server with no host none at all.
DEFAULTS["instance_actions"] = DefaultFact(
    "the actions and events of a boot and a delete",
    {
        "schedule_event": "schedule",
        "build_event": "compute_run_instance",
        "build_error_is_error": True,
        "no_host_event": None,
        "delete_event": "compute_terminate_instance",
        "hostless_delete_action": False,
        "updated_at": False,
        "deleted_visible": False,
    },
    "nova/compute/api.py API._create_instance, _delete; nova/scheduler/manager.py SchedulerManager.run_instance; "
    "nova/compute/manager.py ComputeManager.run_instance, _run_instance, terminate_instance",
)

#: GET /os-hypervisors/statistics: sums over every compute node, the disabled ones too (no service join), for
#: admins only (etc/nova/policy.json "compute_extension:hypervisors": "rule:admin_api").
DEFAULTS["hypervisor_statistics"] = DefaultFact(
    "the hypervisor statistics",
    {"counts_disabled": True, "removed_at": None, "policy": "compute_extension:hypervisors"},
    "nova/db/sqlalchemy/api.py compute_node_statistics; "
    "nova/api/openstack/compute/contrib/hypervisors.py HypervisorsController.statistics",
)

#: A server with no host: nova-api commits the reservations itself (API._delete), and nova/quota.py logs it there.
LOGS["hostless_committed"] = (
    LogFact(API, "DEBUG", "Committed reservations %s", "nova/quota.py QuotaEngine.commit", ("reservations",)),
)
#: instance_destroy soft-deletes the row and these (not the block device mappings, destroyed on their own).
DEFAULTS["soft_deleted_tables"] = DefaultFact(
    "the rows a soft delete takes",
    ("instances", "security_group_instance_association", "instance_info_caches", "instance_metadata",
     "instance_faults"),
    "nova/db/sqlalchemy/api.py instance_destroy",
)  # fmt: skip

#: The controller checks the name first (stripped): InvalidInput becomes a 400 with its text.
ERRORS["server_name_too_long"] = ErrorFact(
    "InvalidInput",
    "%(name)s has more than %(max_length)s characters.",
    "nova/utils.py check_string_length; nova/api/openstack/compute/servers.py Controller._validate_server_name",
    400,
)

FILES = (
    "nova/api/openstack/__init__.py",
    "nova/api/openstack/compute/contrib/hypervisors.py",
    "nova/api/openstack/compute/servers.py",
    "nova/api/openstack/wsgi.py",
    "nova/availability_zones.py",
    "nova/cmd/compute.py",
    "nova/compute/api.py",
    "nova/compute/claims.py",
    "nova/compute/manager.py",
    "nova/compute/resource_tracker.py",
    "nova/compute/rpcapi.py",
    "nova/conductor/api.py",
    "nova/conductor/manager.py",
    "nova/conductor/rpcapi.py",
    "nova/db/sqlalchemy/api.py",
    "nova/exception.py",
    "nova/filters.py",
    "nova/image/glance.py",
    "nova/network/neutronv2/api.py",
    "nova/network/security_group/neutron_driver.py",
    "nova/quota.py",
    "nova/scheduler/driver.py",
    "nova/scheduler/filter_scheduler.py",
    "nova/scheduler/filters/compute_filter.py",
    "nova/scheduler/filters/core_filter.py",
    "nova/scheduler/filters/disk_filter.py",
    "nova/scheduler/filters/ram_filter.py",
    "nova/scheduler/host_manager.py",
    "nova/scheduler/manager.py",
    "nova/scheduler/rpcapi.py",
    "nova/scheduler/utils.py",
    "nova/utils.py",
    "nova/virt/block_device.py",
    "nova/virt/driver.py",
    "nova/virt/libvirt/driver.py",
    "nova/virt/libvirt/vif.py",
    "nova/volume/cinder.py",
)

FACTS = Facts(RELEASE, logs=LOGS, errors=ERRORS, rpcs=RPCS, defaults=DEFAULTS, files=FILES)
