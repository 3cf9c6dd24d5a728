"""The rich renderer: golden output at fixed widths, and colour only on terminals."""

from __future__ import annotations

import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.text import Text

from bootwalk.model import Catalog
from bootwalk.render import Level, OutputFormat, make_renderer
from bootwalk.render.server_rows import server_rows
from bootwalk.render.table import TableRenderer
from tests.conftest import render_table
from tests.walking import walk

ANSI = re.compile(r"\x1b\[")


def test_demo_walk_at_80_columns(demo, catalog: Catalog, golden) -> None:  # type: ignore[no-untyped-def]
    golden("demo-80.txt", render_table(walk(demo, catalog), 80))


def test_demo_walk_at_40_columns(demo, catalog: Catalog, golden) -> None:  # type: ignore[no-untyped-def]
    text = render_table(walk(demo, catalog), 40)
    assert max(len(line) for line in text.splitlines()) <= 40
    golden("demo-40.txt", text)


def test_demo_walk_at_250_columns_keeps_rows_on_one_line(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    text = render_table(walk(demo, catalog), 250, level=Level.DEVELOPER)
    assert max(len(line) for line in text.splitlines()) <= 250
    row = next(line for line in text.splitlines() if "POST /v2/{tenant_id}/servers" in line)
    assert "client → nova-api" in row and "REST" in row and "name demo-vm, flavorRef 1" in row


def test_every_step_table_has_its_number_title_state_and_note(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    trace = walk(demo, catalog)
    text = render_table(trace, 120, level=Level.DEVELOPER)
    for step in trace.steps:
        assert f"Step {step.number}/12" in text
        assert step.title in text
    assert text.count("State after: ") == 12
    assert text.count("In real nova: ") == 12
    # spawn passes through task_state spawning (saved by _spawn) on its way to active
    assert "State after: building / spawning / NOSTATE (0) → active / None / RUNNING (1)" in text


def test_no_ansi_codes_when_not_a_terminal(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    renderer = make_renderer(OutputFormat.TABLE, out)
    trace = walk(demo, catalog, on_step=renderer.on_step)
    renderer.finish(trace)
    assert not ANSI.search(out.getvalue())


def test_colour_on_a_terminal_and_none_with_no_color(demo, catalog: Catalog, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    trace = walk(demo, catalog)
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = io.StringIO()
    TableRenderer(coloured, width=80).on_step(trace.steps[0])
    assert ANSI.search(coloured.getvalue())
    monkeypatch.setenv("NO_COLOR", "1")
    plain = io.StringIO()
    TableRenderer(plain, width=80).on_step(trace.steps[0])
    assert not ANSI.search(plain.getvalue())
    assert "Step 1/12" in plain.getvalue()


def test_server_rows_follow_novaclient(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    trace = walk(demo, catalog, "modern")
    server = trace.server
    assert server is not None
    rows = dict(server_rows(server, trace.request))
    assert list(dict(server_rows(server))) == sorted(rows)
    assert "addresses" not in rows
    assert rows["private network"] == server["addresses"]["private"][0]["addr"]
    assert rows["image"] == "cirros (9f4cbb8e-3c5b-4b8a-9d57-1b6f0c2d8a11)"
    assert rows["flavor:original_name"] == "m1.tiny"
    assert rows["OS-EXT-STS:task_state"] == "-"
    assert rows["metadata"] == "{}"
    assert rows["status"] == "ACTIVE"
    assert rows["progress"] == "0"  # only ACTIVE and BUILD servers have one (the view's _progress_statuses)
    # nova gives the image's ID alone; novaclient looks its name up (the walk already has it)
    assert dict(server_rows(server))["image"] == f"{server['image']['id']} ({server['image']['id']})"


def test_nova_show_at_2_0_against_icehouse(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    trace = walk(demo, catalog)
    assert trace.server is not None
    rows = dict(server_rows(trace.server, trace.request))
    assert rows["flavor"] == "m1.tiny (1)"  # nova gives the ID; novaclient looks the name up
    for later in ("description", "locked", "tags", "flavor:original_name", "OS-EXT-SRV-ATTR:hostname"):
        assert later not in rows, later
    # OS-EXT-SRV-ATTR:* are admin-only (2014.1 etc/nova/policy.json); user demo is a member
    assert not any(key.startswith("OS-EXT-SRV-ATTR") for key in rows)
    text = render_table(trace, 80, show_server=True)
    assert "As user demo sees it; an admin would also see OS-EXT-SRV-ATTR:host compute1," in text


def test_nova_show_today_as_a_member(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    server = walk(demo, catalog, "modern").server
    assert server is not None
    rows = dict(server_rows(server))
    assert "OS-EXT-SRV-ATTR:host" not in rows and "OS-EXT-SRV-ATTR:instance_name" not in rows
    assert rows["OS-EXT-SRV-ATTR:hostname"] == "demo-vm"  # 2.90
    assert (rows["trusted_image_certificates"], rows["server_groups"], rows["locked_reason"]) == ("-", "[]", "-")
    assert rows["pinned_availability_zone"] == "-"  # 2.96


def test_a_server_booted_from_a_volume_has_no_image_in_nova_show(catalog: Catalog) -> None:
    from bootwalk.engine import resolve_request
    from tests.conftest import demo_request

    request = demo_request(image=None, boot_volume="8a1c3e5f-7b9d-4f1a-b3c5-e7f9a1b3c5d7")
    server = walk(resolve_request(request, catalog), catalog).server
    assert server is not None and server["image"] == ""
    assert dict(server_rows(server))["image"] == "Attempt to boot from volume - no image supplied"


def test_brackets_in_a_trace_are_text_not_markup(catalog) -> None:  # type: ignore[no-untyped-def]
    from bootwalk.engine import resolve_request
    from bootwalk.scenarios import SCENARIOS
    from tests.conftest import demo_request
    from tests.walking import walk

    trace = walk(resolve_request(demo_request(), catalog), catalog, scenario=SCENARIOS["spawn-failed"])
    text = render_table(trace, 100)
    assert "hosts [compute1]" in text


def test_a_server_named_like_markup_is_its_name_in_the_show_tables_title(catalog) -> None:  # type: ignore[no-untyped-def]
    from bootwalk.engine import resolve_request
    from tests.conftest import demo_request

    for name in ("[/x]", "[bold]demo"):
        text = render_table(walk(resolve_request(demo_request(name=name), catalog), catalog), 80, show_server=True)
        assert f"nova show {name}\n" in text


def test_a_placement_of_many_hosts_shows_each_removed_host_once_in_the_order_the_filters_saw_them() -> None:
    from bootwalk.render.table import placement_lines, scheduling_table
    from bootwalk.trace import FilterVerdict, HostWeight, Scheduling, Service, StepRecord, StepStatus

    verdicts = [
        FilterVerdict("early", "ComputeFilter", True, "up"),
        FilterVerdict("late", "ComputeFilter", False, "down"),
        FilterVerdict("early", "RamFilter", False, "full"),
        FilterVerdict("early", "DiskFilter", False, "never run"),
        FilterVerdict("kept", "ComputeFilter", True, "up"),
    ]
    placement = Scheduling(("ComputeFilter", "RamFilter"), tuple(verdicts), (HostWeight("kept", 1.0),), "kept")
    record = StepRecord(
        4, "schedule", "", Service.NOVA_SCHEDULER, StepStatus.OK, "", "", None, (), placements=(placement, placement)
    )
    lines = placement_lines(record)
    assert lines is not None
    assert "removed: early (RamFilter: full); late (ComputeFilter: down)\n" in lines.plain
    table = _printed(scheduling_table(placement, 100))
    assert table.index("early") < table.index("late") < table.index("kept")
    assert table.count("removed (✗)") == 2 and "1.0 ← selected" in table


def _printed(renderable) -> str:  # type: ignore[no-untyped-def]
    from rich.console import Console

    out = io.StringIO()
    Console(file=out, width=100, color_system=None).print(renderable)
    return out.getvalue()


def test_attempts_and_servers_are_tables_when_wide_and_stacked_when_narrow(catalog) -> None:  # type: ignore[no-untyped-def]
    from bootwalk.engine import resolve_request
    from bootwalk.scenarios import SCENARIOS
    from tests.conftest import demo_request
    from tests.walking import walk

    trace = walk(resolve_request(demo_request(max_count=2), catalog), catalog, scenario=SCENARIOS["spawn-failed"])
    wide, narrow = render_table(trace, 100, level=Level.DEVELOPER), render_table(trace, 40)
    assert "| # | Host     | Result      |" in wide
    first = trace.servers[0]["id"]
    assert f"| demo-vm-{first} | ACTIVE | compute4 |" in wide  # Icehouse's '%(name)s-%(uuid)s'
    # The reason wraps under itself, never back to column 0.
    assert (
        "Attempts: #1 compute1 rescheduled:\n    internal error: qemu unexpectedly\n    closed the monitor\n" in narrow
    )
    assert "  #2 compute4 active\n" in narrow
    assert "nova list\ndemo-vm-73f01e95-762e-4ec8-bfe0-7faf300f\n3df8 ACTIVE on compute4\n  private=" in narrow
    assert max(len(line) for line in narrow.splitlines()) <= 40


def _server_create_walk(catalog: Catalog, scenario: str | None = None):  # type: ignore[no-untyped-def]
    """The README's demo, asked the way openstack server create asks."""
    from bootwalk.dialects.openstack import OPENSTACK, ServerCreateOptions
    from bootwalk.engine import resolve_request
    from bootwalk.scenarios import SCENARIOS

    options = ServerCreateOptions(server_name="demo-vm", flavor="m1.tiny", image="cirros", networks=("private",))
    request = resolve_request(OPENSTACK.build(options, catalog), catalog)
    return walk(request, catalog, dialect="openstack", scenario=SCENARIOS[scenario] if scenario else None)


def test_server_create_walk_ends_as_openstack_server_show(catalog: Catalog, golden) -> None:  # type: ignore[no-untyped-def]
    trace = _server_create_walk(catalog)
    text = render_table(trace, 80, show_server=True)
    golden("server-create-80.txt", text)
    ending = text[text.index("openstack server show demo-vm\n") :]
    assert "| Field " in ending and "| OS-EXT-STS:vm_state" in ending and "| Property " not in ending
    assert "nova show" not in text and "nova boot" not in ending
    assert trace.error_line() is None


def test_server_create_no_valid_host_ends_as_openstack_server_show(catalog: Catalog, golden) -> None:  # type: ignore[no-untyped-def]
    trace = _server_create_walk(catalog, "compute-down")
    text = render_table(trace, 80, show_server=True)
    golden("server-create-novalidhost-80.txt", text)
    assert "\nopenstack server show demo-vm\n" in text and "\nnova show demo-vm\n" not in text
    assert text.endswith("Outcome: ERROR\n")
    assert trace.error_line() == (
        "demo-vm went to ERROR: No valid host was found.  "
        "(openstack server create had answered 202; the fault shows in openstack server show)"
    )


def test_where_the_user_sees_a_failed_server_create_is_in_openstacks_words(catalog: Catalog) -> None:
    surfaces = _server_create_walk(catalog, "compute-down").surfaces
    assert "openstack server show demo-vm" in surfaces and "nova" not in surfaces.replace("nova-", "")


def test_the_image_name_comes_from_the_lookup_or_from_a_trace_saved_before() -> None:
    from bootwalk.dialects.shared import image_name

    image = {"id": "i-1", "links": []}
    assert image_name(image, {"image": {"name": "cirros", "id": "i-1"}}) == "cirros"
    assert image_name(image, {"image": {"name": "other", "id": "i-2"}}) == "i-1"  # not the image looked up
    assert image_name({"id": "i-1", "name": "cirros"}, None) == "cirros"  # saved when the server held the name


_WORDS = st.sampled_from(["nova-api", "glance", "GET /v2/images/{id}", "a", "ünïcode", "宽字符", "x" * 30, "…"])


@settings(max_examples=300, deadline=None)
@given(
    width=st.integers(40, 140),
    rows=st.lists(
        st.tuples(_WORDS, _WORDS, _WORDS, st.booleans(), st.lists(_WORDS, max_size=12)), min_size=1, max_size=6
    ),
)
def test_the_handoff_lines_written_directly_are_the_tables(width: int, rows: list) -> None:  # type: ignore[type-arg]
    from rich.console import Console

    from bootwalk.render.table import compact_lines, compact_table

    made = []
    for source, target, call, story, words in rows:
        party = Text()
        party.append(source, style="bold")
        party.append(" → ")
        party.append(target, style="red")
        called = Text(call)
        if story:
            called.append(" (story)", style="dim")
        made.append((party, called, " ".join(words)))
    passes = min(16, width // 4)
    lines = compact_lines(made, width, passes)
    if lines is None:
        return
    for color in (False, True):
        drawn = []
        for renderable in (lines, compact_table(made, passes)):
            out = io.StringIO()
            Console(file=out, width=width, force_terminal=color, color_system="truecolor" if color else None).print(
                renderable
            )
            drawn.append(out.getvalue())
        assert drawn[0] == drawn[1]
