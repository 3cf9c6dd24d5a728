"""The recap: one screen that retells the walk, services as lanes and a numbered arrow per step.

It ends on what the class came for: the outcome, and the server's status,
host and address. At 80 columns it stays within 30 lines for every walk
bootwalk makes (a test holds this); the full ``nova show`` table is behind
``--show`` and ``-v``.
"""

from __future__ import annotations

from rich.text import Text

from bootwalk.render.theme import style_name
from bootwalk.render.wrapping import item_lines
from bootwalk.trace import Handoff, Kind, Service, StepRecord, Trace, Work

#: Short lane names, so that a dozen services fit 80 columns; the legend spells them out.
LANE_NAMES: dict[Service, str] = {
    Service.CLIENT: "cli",
    Service.KEYSTONE: "key",
    Service.NOVA_API: "api",
    Service.QUEUE: "mq",
    Service.NOVA_CONDUCTOR: "cond",
    Service.NOVA_SCHEDULER: "sch",
    Service.DATABASE: "db",
    Service.API_DATABASE: "apidb",
    Service.CELL_DATABASE: "cell1",
    Service.CELL0_DATABASE: "cell0",
    Service.PLACEMENT: "plc",
    Service.NOVA_COMPUTE: "cmp",
    Service.GLANCE: "gla",
    Service.NEUTRON: "neu",
    Service.CINDER: "cin",
    Service.HYPERVISOR: "hyp",
}


def main_handoff(record: StepRecord) -> Handoff | None:
    """The handoff that stands for the step: the first that reaches the step's service, else the first.

    The client's lookups and nova-api's checks come before what a step is
    about (the POST), and a queue's delivery is only the message arriving:
    neither stands for the step, unless nothing else in it reaches a
    service (a later attempt's step 4 is its message arriving). Of the
    handoffs that reach the service, one that sets its work going (a port
    created, the image downloaded) comes before a read that prepares it.
    """
    telling = [h for h in record.handoffs if h.work not in (Work.LOOKUP, Work.VALIDATE)]
    reaching = [h for h in telling if h.target is record.service and h.kind is not Kind.QUEUE_DELIVERY]
    working = [h for h in reaching if h.work is not None]  # what sets the step's work going: the POST, not a GET
    chosen = working or reaching or telling
    return chosen[0] if chosen else None


def _lanes(trace: Trace) -> list[Service]:
    used = {record.service for record in trace.steps}
    for record in trace.steps:
        handoff = main_handoff(record)
        if handoff is not None:
            used |= {handoff.source, handoff.target}
    return [service for service in Service if service in used]


def _arrow_row(record: StepRecord, lanes: list[Service], spacing: int) -> Text:
    """One step: its number, then an arrow from lane to lane (or a dot on its lane when nothing moved)."""
    row = Text(f"{record.number:>2} ", style="bold")
    width = spacing * len(lanes)
    cells = [" "] * width
    styles: list[str | None] = [None] * width
    handoff = main_handoff(record)
    if handoff is None or handoff.source not in lanes or handoff.target not in lanes:
        position = lanes.index(record.service) * spacing if record.service in lanes else 0
        cells[position], styles[position] = "·", style_name(record.service)
    else:
        start, end = lanes.index(handoff.source) * spacing, lanes.index(handoff.target) * spacing
        low, high = sorted((start, end))
        for position in range(low, high + 1):
            cells[position] = "─"
            styles[position] = style_name(handoff.source)
        cells[start], styles[start] = "●", style_name(handoff.source)
        cells[end] = "▶" if end > start else "◀"
        styles[end] = style_name(handoff.target)
        if start == end:
            cells[start] = "⟲"
    for character, style in zip(cells, styles, strict=True):
        row.append(character, style=style or "")
    return row


def repeats(record: StepRecord, earlier: StepRecord) -> bool:
    """Whether a step of a later attempt passes the same calls, in order, as it did in an earlier one.

    The earlier attempt may have gone on past them: the calls that reported
    its failure (neutron's binding_failed) are not repeated when all goes well.
    """
    now = [h.call for h in record.handoffs]
    return record.attempt > earlier.attempt and [h.call for h in earlier.handoffs][: len(now)] == now


def _groups(records: tuple[StepRecord, ...]) -> list[list[StepRecord]]:
    """The steps in order; a run of steps that a later attempt only repeats is gathered in one group."""
    seen: dict[str, StepRecord] = {}
    groups: list[list[StepRecord]] = []
    in_run = False
    for record in records:
        earlier = seen.get(record.name)
        seen[record.name] = record
        repeated = earlier is not None and repeats(record, earlier) and record.status.value in ("ok", "skipped")
        if repeated and in_run:
            groups[-1].append(record)
        else:
            groups.append([record])
        in_run = repeated
    return groups


def _label(record: StepRecord, room: int) -> str:
    """The step's main call, cut with … to fit the room, then what is not ok ("(failed)") and the attempt, whole."""
    handoff = main_handoff(record)
    status = "" if record.status.value == "ok" else f" ({record.status.value})"
    status += f" (attempt {record.attempt})" if record.attempt > 1 else ""
    call = handoff.call if handoff is not None else record.name
    if len(call) + len(status) > room:
        call = call[: max(room - len(status) - 1, 1)] + "…"
    return f"{call}{status}"


def recap(trace: Trace, width: int) -> Text:
    """The walk retold in one screen: lanes, one arrow per step, then the outcome and the server."""
    lanes = _lanes(trace)
    # Four columns a lane reads well; fewer lanes leave the room to the calls' names, not to wider lanes.
    spacing = max(3, min(4, (width - 3 - 22) // max(len(lanes), 1)))
    text = Text("Recap: ", style="note.label")
    text.append(f"{trace.request.get('name', '')}, step by step\n", style="note")
    header = Text("   ")
    for service in lanes:
        header.append(LANE_NAMES[service][: spacing - 1].ljust(spacing), style=style_name(service))
    text.append_text(header)
    text.append("\n")
    room = width - 3 - spacing * len(lanes) - 3  # two to spare: ASCII writes … as ...
    for group in _groups(trace.steps):
        if len(group) > 1:  # steps a later attempt only repeats: one row
            first, last = group[0], group[-1]
            text.append(f"{first.number}–{last.number}", style="bold")
            text.append(f" the same calls as attempt {first.attempt - 1}\n", style="status.rescheduled")
            continue
        record = group[0]
        row = _arrow_row(record, lanes, spacing)
        if room >= 8:
            row.append(" " + _label(record, room), style="channel")
        text.append_text(row)
        text.append("\n")
    items = [(LANE_NAMES[service][: spacing - 1], service.value, style_name(service)) for service in lanes]
    text.append_text(item_lines("Lanes: ", items, width))
    text.append("\n")
    text.append_text(outcome_line(trace))
    return text


def outcome_line(trace: Trace) -> Text:
    """Each server (at most three) with its status, host and address, then ``Outcome: ACTIVE`` last."""
    text = Text()
    servers = list(trace.servers)
    for server in servers[:3]:
        networks = "; ".join(f"{name} {', '.join(addresses)}" for name, addresses in server["networks"].items())
        text.append(f"{server['name']} ", style="bold")
        fine = server["status"] in ("ACTIVE", "DELETED")
        text.append(server["status"], style="outcome.active" if fine else "outcome.error")
        text.append(f" on {server['host']}" if server["host"] else "")
        text.append(f" · {networks}" if networks else "")
        fault = server.get("fault")
        if fault:
            text.append(f" · fault {fault['code']}: {fault['message']}", style="outcome.error")
        text.append("\n")
    if len(servers) > 3:
        text.append(f"… and {len(servers) - 3} more (see the list above)\n")
    fine = trace.outcome.succeeded
    text.append(f"Outcome: {trace.outcome.value}", style="outcome.active" if fine else "outcome.error")
    return text
