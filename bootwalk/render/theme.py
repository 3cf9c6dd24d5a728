"""Named styles in themes that read on their background: one colour per service, used everywhere.

Three themes: ``dark`` (a dark terminal, the default), ``light`` (a light
terminal, and the HTML export's white page) and ``projector`` (a white
background washed out by a projector: darker colours, all bold). Every
colour is given exactly (hex), so its contrast against the theme's
background can be computed: each is at least 4.5:1 (WCAG AA), and the
projector's at least 7:1; a test holds this. Nothing is ``dim``: a dim
style's contrast depends on the terminal, so muted text has its own grey.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from bootwalk.records import dataclass
from bootwalk.trace import Service, StepStatus

if TYPE_CHECKING:
    from rich.terminal_theme import TerminalTheme
    from rich.theme import Theme


class ThemeName(str, Enum):
    """The themes ``--theme`` takes."""

    DARK = "dark"
    LIGHT = "light"
    PROJECTOR = "projector"


@dataclass(frozen=True)
class Palette:
    """A theme's colours: its background and foreground, one per service, and the few others."""

    background: str
    foreground: str
    services: dict[Service, str]
    success: str
    warning: str
    failure: str
    muted: str
    bold_everything: bool = False


def _services(*colours: str) -> dict[Service, str]:
    """The services' colours in ``Service``'s order, the four databases sharing the third-last three."""
    return dict(zip(Service, colours, strict=True))


PALETTES: dict[ThemeName, Palette] = {
    ThemeName.DARK: Palette(
        background="#000000",
        foreground="#e4e4e4",
        # client, keystone, nova-api, queue, conductor, scheduler, database, API database,
        # cell1 database, cell0 database, placement, nova-compute, glance, neutron, cinder, hypervisor
        services=_services(
            "#e4e4e4", "#ffd75f", "#5fd7ff", "#d787ff", "#00d7af", "#87afff", "#bcbcbc", "#bcbcbc",
            "#bcbcbc", "#ff8787", "#8787ff", "#87ff87", "#5faf5f", "#ff87ff", "#d7af5f", "#ff5f5f",
        ),
        success="#5fd75f",
        warning="#d7af00",
        failure="#ff5f5f",
        muted="#949494",
    ),
    ThemeName.LIGHT: Palette(
        background="#ffffff",
        foreground="#262626",
        services=_services(
            "#262626", "#875f00", "#005f87", "#870087", "#005f5f", "#0000af", "#585858", "#585858",
            "#585858", "#af0000", "#5f00af", "#005f00", "#00875f", "#af005f", "#af5f00", "#d70000",
        ),
        success="#006f00",
        warning="#875f00",
        failure="#af0000",
        muted="#5f5f5f",
    ),
    ThemeName.PROJECTOR: Palette(
        background="#ffffff",
        foreground="#000000",
        services=_services(
            "#000000", "#5f3f00", "#00365f", "#5f005f", "#003f3f", "#00008f", "#3a3a3a", "#3a3a3a",
            "#3a3a3a", "#870000", "#3f0087", "#004000", "#004f3a", "#7a0040", "#6a3500", "#9a0000",
        ),
        success="#004f00",
        warning="#5f3f00",
        failure="#870000",
        muted="#4a4a4a",
        bold_everything=True,
    ),
}  # fmt: skip

#: The theme a walk uses unless told otherwise: terminals are most often dark.
DEFAULT_THEME = ThemeName.DARK


def style_name(service: Service) -> str:
    """The theme's name for a service's style, e.g. ``service.nova-api``."""
    return "service." + service.value.replace(" ", "-")


def styles(name: ThemeName = DEFAULT_THEME) -> dict[str, str]:
    """Every named style bootwalk uses, in a theme's colours."""
    palette = PALETTES[name]
    bold = "bold " if palette.bold_everything else ""
    status = {
        StepStatus.OK: f"bold {palette.success}",
        StepStatus.SKIPPED: f"{bold}{palette.warning}",
        StepStatus.FAILED: f"bold {palette.failure}",
        StepStatus.RESCHEDULED: f"bold {palette.warning}",
    }
    named = {style_name(service): f"{bold}{colour}" for service, colour in palette.services.items()}
    named.update({f"status.{state.value}": style for state, style in status.items()})
    named.update(
        {
            "step.title": "bold",
            "step.number": "bold reverse",
            "state": "bold",
            "note.label": "bold italic",
            "note": "italic",
            "term": "underline",
            "detail": "",
            "simplified": f"italic {palette.muted}",
            "channel": palette.muted,
            "host.winner": f"bold {palette.success}",
            "host.rejected": f"{bold}{palette.failure}",
            "verdict.pass": f"{bold}{palette.success}",
            "verdict.fail": f"bold {palette.failure}",
            "log.level": "bold",
            "log.text": "",
            "cleanup": f"{bold}{palette.warning}",
            "outcome.active": f"bold {palette.success}",
            "outcome.error": f"bold {palette.failure}",
        }
    )
    return named


def build_theme(name: ThemeName = DEFAULT_THEME) -> Theme:
    """The rich Theme with every named style bootwalk uses."""
    from rich.theme import Theme

    return Theme(styles(name))


def terminal_theme(name: ThemeName = DEFAULT_THEME) -> TerminalTheme:
    """The page an SVG or HTML export is drawn on: the theme's own background and foreground."""
    from rich.terminal_theme import DEFAULT_TERMINAL_THEME, TerminalTheme

    palette = PALETTES[name]

    def rgb(colour: str) -> tuple[int, int, int]:
        return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)

    ansi = [tuple(DEFAULT_TERMINAL_THEME.ansi_colors[index]) for index in range(16)]
    return TerminalTheme(rgb(palette.background), rgb(palette.foreground), ansi[:8], ansi[8:])  # type: ignore[arg-type]


def contrast(colour: str, background: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours, from 1 to 21."""

    def luminance(value: str) -> float:
        channels = [int(value[index : index + 2], 16) / 255 for index in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)
