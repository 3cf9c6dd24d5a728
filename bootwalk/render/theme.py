"""Named styles: one per service, used everywhere, and a few for the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bootwalk.trace import Service, StepStatus

if TYPE_CHECKING:
    from rich.theme import Theme

SERVICE_STYLES: dict[Service, str] = {
    Service.CLIENT: "white",
    Service.KEYSTONE: "bright_yellow",
    Service.NOVA_API: "bright_cyan",
    Service.QUEUE: "magenta",
    Service.NOVA_CONDUCTOR: "cyan",
    Service.NOVA_SCHEDULER: "bright_blue",
    Service.DATABASE: "bright_black",
    Service.API_DATABASE: "bright_black",
    Service.CELL_DATABASE: "bright_black",
    Service.CELL0_DATABASE: "red",
    Service.PLACEMENT: "blue",
    Service.NOVA_COMPUTE: "bright_green",
    Service.GLANCE: "green",
    Service.NEUTRON: "bright_magenta",
    Service.CINDER: "yellow",
    Service.HYPERVISOR: "bright_red",
}

STATUS_STYLES: dict[StepStatus, str] = {
    StepStatus.OK: "bold green",
    StepStatus.SKIPPED: "yellow",
    StepStatus.FAILED: "bold red",
    StepStatus.RESCHEDULED: "bold yellow",
}


def style_name(service: Service) -> str:
    """The theme's name for a service's style, e.g. ``service.nova-api``."""
    return "service." + service.value.replace(" ", "-")


def build_theme() -> Theme:
    """The rich Theme with every named style bootwalk uses."""
    from rich.theme import Theme

    styles = {style_name(service): style for service, style in SERVICE_STYLES.items()}
    styles.update({f"status.{status.value}": style for status, style in STATUS_STYLES.items()})
    styles.update(
        {
            "step.title": "bold",
            "step.number": "bold reverse",
            "state": "bold",
            "note.label": "bold italic",
            "note": "italic",
            "detail": "",
            "simplified": "dim italic",
            "channel": "dim",
            "host.winner": "bold green",
            "host.rejected": "red",
            "verdict.pass": "green",
            "verdict.fail": "bold red",
            "log.level": "bold",
            "log.text": "",
            "cleanup": "yellow",
            "outcome.active": "bold green",
            "outcome.error": "bold red",
        }
    )
    return Theme(styles)
