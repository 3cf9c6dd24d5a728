"""What the walk commands share: the compute API version a client speaks, and walking a request.

The commands themselves live each in its own module, loaded only when it
runs: ``boot`` (:mod:`bootwalk.cli.boot`), ``server create``
(:mod:`bootwalk.cli.server`) and ``replay`` (:mod:`bootwalk.cli.replaying`).
They declare the options of ``nova boot`` or ``openstack server create``,
hand them as a typed record to the dialect (:mod:`bootwalk.dialects`), which
builds one :class:`~bootwalk.request.BootRequest` or refuses with a
``RequestError`` that becomes a usage error here, then call the engine and
present the walk (:mod:`bootwalk.cli.present`). The dialects and the engine
(and rich and yaml) are imported inside the commands, so that even
``bootwalk boot --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from bootwalk.cli.errors import usage_error
from bootwalk.cli.options import chosen_detail, chosen_lab, load, parse_filters, split_walk_options
from bootwalk.cli.present import present
from bootwalk.request import ApiVersion, BootRequest, RequestError

if TYPE_CHECKING:
    from bootwalk.dialects import Dialect
    from bootwalk.model import Catalog
    from bootwalk.trace import Trace

__all__ = ["negotiated_version", "split_walk_options", "walk_request"]


def negotiated_version(flow: str, version: ApiVersion, client: str = "novaclient") -> tuple[ApiVersion, bool]:
    """The compute API version the client speaks to the flow's cloud, and whether that cloud has microversions.

    novaclient's ``discover_version``: a cloud with no version range (Icehouse)
    gets 2.0 unless a version was asked for, which it refuses with "Server
    doesn't support microversions".
    """
    from bootwalk.flows import get_flow

    chosen = get_flow(flow)
    if chosen.facts.default("microversions"):
        return version, True
    explicit = click.get_current_context().get_parameter_source("os_compute_api_version")
    if explicit is not click.core.ParameterSource.DEFAULT and version != ApiVersion(2, 0):
        refusal = "Server doesn't support microversions: " if client == "novaclient" else ""
        raise click.BadParameter(
            f"{refusal}{chosen.release} has none, so {client} speaks 2.0 to it; leave it out, or walk --flow modern",
            param_hint="'--os-compute-api-version'",
        )
    return ApiVersion(2, 0), False


#: The list that shows what an option that names something in the catalog can name.
LISTS = {"--flavor": "flavor-list", "--image": "image-list", "--image-with": "image-list", "--nic": "net-list"}


def walk_request(build: Callable[[Catalog], BootRequest], dialect: Dialect[Any], walk_options: dict[str, Any]) -> int:
    """Build the request (``build`` gets the catalog), walk it and render it: boot and server create share this.

    A RequestError from ``build`` is the dialect's refusal: a usage error.
    """
    from dataclasses import replace

    from bootwalk.engine import LookupFailure, resolve_request, walk
    from bootwalk.engine.resolve import ResolvedRequest
    from bootwalk.scenarios import SCENARIOS

    flow, output_format = walk_options["flow"], walk_options["output_format"]
    detail = chosen_detail(
        walk_options["verbose"],
        walk_options["quiet"],
        walk_options["level"],
        walk_options["show_server"],
        walk_options["theme"],
    )
    filters = parse_filters(walk_options["enabled_filters"])
    scenario = walk_options["scenario"]
    chosen = SCENARIOS[scenario] if scenario else None

    def prepared(catalog: Catalog) -> tuple[ResolvedRequest, Catalog]:
        """The request built and looked up in this cloud, and the cloud with the scheduler options applied."""
        try:
            request = build(catalog)
        except RequestError as error:
            raise usage_error(error) from None
        if chosen is not None and chosen.needs_volume and not _requests_volume(request):
            raise click.UsageError(f"--scenario {chosen.name} needs a volume to attach: add {dialect.volume_flags}")
        scheduler = catalog.scheduler
        if filters is not None:
            scheduler = replace(scheduler, enabled_filters=filters)
        if walk_options["max_attempts"] is not None:
            scheduler = replace(scheduler, max_attempts=walk_options["max_attempts"])
        catalog = replace(catalog, scheduler=scheduler)
        from bootwalk.engine.resolve import refused_filters
        from bootwalk.flows import get_flow

        refusal = refused_filters(get_flow(flow), get_flow(flow).scheduler.resolve(scheduler).enabled_filters)
        if refusal is not None:
            if filters is not None:
                raise click.BadParameter(refusal, param_hint="'--enabled-filters'")
            raise click.UsageError(
                f"cloud.yaml's scheduler.enabled_filters: {refusal} Leave it out, or walk --flow classic"
            )
        try:
            return resolve_request(request, catalog), catalog
        except LookupFailure as failure:
            refused = click.BadParameter(failure.message, param_hint=f"'{failure.option}'")
            listing = LISTS.get(failure.option)
            if listing is not None:  # what the catalog holds says more than the options do
                refused.hint = f" (see 'bootwalk {listing}')"  # type: ignore[attr-defined]
            raise refused from None

    from bootwalk.flows import get_flow

    lab = chosen_lab()
    seed = walk_options["seed"]
    run: Callable[[Any], Trace]
    if lab is None:
        resolved, catalog = prepared(load(walk_options["catalog_dir"]))
        run = lambda on_step: walk(resolved, catalog, get_flow(flow), seed=seed, on_step=on_step,  # noqa: E731
                                   scenario=chosen, dialect=dialect.name)  # fmt: skip
    else:  # walked and kept in the lab first, in one transaction; then shown
        from bootwalk.cli.lab_access import boot_in_lab

        def in_lab(catalog: Catalog, lab_seed: int, start_ms: float) -> tuple[ResolvedRequest, Trace]:
            resolved, walked = prepared(catalog)
            return resolved, walk(resolved, walked, get_flow(flow), seed=lab_seed, scenario=chosen,
                                  dialect=dialect.name, start_ms=start_ms)  # fmt: skip

        resolved, trace, number = boot_in_lab(lab, in_lab)
        seed = trace.seed
        run = lambda on_step: _shown(trace, on_step)  # noqa: E731
    table_options = (
        "timeline", "export_svg", "export_html", "slide", "export_trace", "step_mode", "delay", "quiz", "quiz_results",
    )  # fmt: skip
    exports = {name: walk_options[name] for name in table_options} | {"seed": seed}
    if lab is not None:
        exports["lab_lines"] = (f"Lab: {lab}, boot {number}, kept there (see bootwalk list --lab {lab})",)
    from bootwalk.engine.views import request_summary

    title = f"bootwalk {dialect.walk_command} {resolved.request.name}"
    return present(run, output_format, detail, exports, title, flow, request_summary(resolved, dialect.name))


def _shown(trace: Trace, on_step: Any) -> Trace:
    """A walk already made (and kept in a lab), handed to the renderer step by step as a walk would."""
    if on_step is not None:
        for record in trace.steps:
            on_step(record)
    return trace


def _requests_volume(request: BootRequest) -> bool:
    devices = (*request.block_devices, *request.block_device_mapping)
    return bool(
        request.boot_volume or request.snapshot or any(device.destination_type == "volume" for device in devices)
    )
