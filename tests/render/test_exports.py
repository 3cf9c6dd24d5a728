"""The timeline, the Trace Event export, and the SVG and HTML recordings."""

from __future__ import annotations

import itertools
import json
import os
import socket
import stat
import sys
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from bootwalk.cli import cli
from bootwalk.engine import resolve_request
from bootwalk.exit_codes import ExitCode
from bootwalk.model import Catalog
from bootwalk.render.trace_events import STEPS_TRACK, service_track, trace_events
from bootwalk.scenarios import SCENARIOS
from bootwalk.timing import handoff_ms, spans, step_windows, total_ms
from tests.conftest import DEMO_ARGS, demo_request
from tests.walking import walk

ROOT = Path(__file__).resolve().parent.parent.parent

needs_symlinks = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")


def run(arguments: list[str], **kwargs: object):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, arguments, prog_name="bootwalk", env={"COLUMNS": "80"}, **kwargs)  # type: ignore[arg-type]


def test_durations_are_plausible_for_each_kind_of_work(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    trace = walk(demo, catalog)
    by_call = {span.handoff.call: span.duration_ms for span in spans(trace)}
    assert 1 <= by_call["POST /v3/auth/tokens"] < 1000  # a token: milliseconds
    assert by_call["run_instance"] < 100
    download = next(span for span in spans(trace) if span.handoff.size_bytes is not None)
    size = int(download.handoff.payload["headers"]["Content-Length"])
    assert (download.handoff.source.value, download.handoff.target.value) == ("glance", "nova-compute")
    assert download.duration_ms == pytest.approx(30 + size / (100 * 1024 * 1024 / 1000), abs=0.01)
    spawn = sum(d for s, _start, d in step_windows(trace) if s.name == "hypervisor")
    assert spawn >= 1000  # a spawn: seconds
    assert total_ms(trace) == pytest.approx(sum(d for _s, _start, d in step_windows(trace)))


def test_a_bigger_image_takes_longer_to_download(catalog: Catalog) -> None:
    small = walk(resolve_request(demo_request(), catalog), catalog).steps[8]
    big_image = next(i for i in catalog.images if i.status == "active" and i.size > 500 * 2**20)
    big = walk(resolve_request(demo_request(image=big_image.name, flavor="m1.large"), catalog), catalog).steps[8]
    assert big.name == "glance" and big.status.value == "ok"
    assert handoff_ms(big.handoffs[2], big) > handoff_ms(small.handoffs[2], small)


def test_spans_follow_each_other_on_the_clock(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    all_spans = spans(walk(demo, catalog))
    assert all_spans[0].start_ms == 0
    for before, after in itertools.pairwise(all_spans):
        assert after.start_ms == pytest.approx(before.end_ms)


def test_trace_events_are_valid_for_a_trace_viewer(catalog: Catalog) -> None:
    trace = walk(resolve_request(demo_request(), catalog), catalog, scenario=SCENARIOS["spawn-failed"])
    document = json.loads(json.dumps(trace_events(trace)))
    assert document["displayTimeUnit"] == "ms"
    events = document["traceEvents"]
    for event in events:
        assert {"name", "ph", "pid", "tid"} <= set(event)
        assert event["ph"] in ("X", "M")
        if event["ph"] == "X":
            assert isinstance(event["ts"], (int, float)) and event["ts"] >= 0
            assert isinstance(event["dur"], (int, float)) and event["dur"] >= 0
    named = {e["tid"] for e in events if e["ph"] == "M" and e["name"] == "thread_name"}
    assert {e["tid"] for e in events if e["ph"] == "X"} <= named
    handoffs = [e for e in events if e["ph"] == "X" and e["tid"] != STEPS_TRACK]
    assert [(e["name"], e["tid"]) for e in handoffs] == [
        (h.call, service_track(h.source)) for s in trace.steps for h in s.handoffs
    ]
    steps = [e["name"] for e in events if e["ph"] == "X" and e["tid"] == STEPS_TRACK]
    assert steps[0] == "Step 1: authenticate" and steps[12] == "Step 4 (attempt 2): schedule"
    token = trace.steps[1].handoffs[0].payload["headers"]["X-Subject-Token"]
    assert token not in json.dumps(document)


def test_timeline_at_80_and_40_columns() -> None:
    wide = run([*DEMO_ARGS, "--timeline"])
    assert wide.exit_code == 0
    tail = wide.stdout[wide.stdout.index("Timeline (simulated") :]
    assert "12     hypervisor" in tail
    assert tail.rstrip().endswith("Total: 4.21 s")
    narrow = CliRunner().invoke(cli, [*DEMO_ARGS, "--timeline"], prog_name="bootwalk", env={"COLUMNS": "40"})
    lines = narrow.stdout[narrow.stdout.index("Timeline") :].splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 40
    assert "12 hypervisor 3.26 s at +952 ms" in lines


class _Balance(HTMLParser):
    VOID: ClassVar[set[str]] = {"meta", "link", "br", "img", "input", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()


def test_svg_and_html_exports_are_well_formed(tmp_path: Path) -> None:
    svg, html, events = tmp_path / "walk.svg", tmp_path / "walk.html", tmp_path / "walk.trace.json"
    svg.write_text("an older file", encoding="utf-8")
    result = run([*DEMO_ARGS, "--export-svg", str(svg), "--export-html", str(html), "--export-trace", str(events)])
    assert result.exit_code == 0
    root = ElementTree.fromstring(svg.read_text(encoding="utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "nova-scheduler" in "".join(root.itertext())
    parser = _Balance()
    parser.feed(html.read_text(encoding="utf-8"))
    parser.close()
    assert parser.open == []
    assert "nova-scheduler" in html.read_text(encoding="utf-8")
    assert json.loads(events.read_text(encoding="utf-8"))["traceEvents"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["walk.html", "walk.svg", "walk.trace.json"]


def test_export_problems_are_one_line(tmp_path: Path) -> None:
    result = run([*DEMO_ARGS, "--export-trace", str(tmp_path)])
    assert (result.exit_code, result.stderr) == (ExitCode.ERROR, f"Error: cannot write {tmp_path}: it is a directory\n")
    missing = tmp_path / "no" / "such.json"
    result = run([*DEMO_ARGS, "--export-trace", str(missing)])
    assert (result.exit_code, result.stderr) == (
        ExitCode.ERROR,
        f"Error: cannot write {missing}: No such file or directory\n",
    )
    result = run([*DEMO_ARGS, "-f", "json", "--export-svg", str(tmp_path / "x.svg")])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith("Error: --export-svg works on the table output; leave out -f json")
    assert list(tmp_path.iterdir()) == []


def test_readme_svg_is_up_to_date() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import demo_svg
    finally:
        sys.path.remove(str(ROOT / "tools"))
    assert demo_svg.is_current(), "docs/demo.svg is out of date: run python tools/demo_svg.py"
    assert "![The demo walk, as bootwalk draws it](docs/demo.svg)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_modern_scheduler_call_is_timed_by_its_host_checks(catalog: Catalog) -> None:
    trace = walk(resolve_request(demo_request(), catalog), catalog, flow="modern")
    record = trace.steps[3]
    call = next(h for h in record.handoffs if h.call == "select_destinations")
    checks = sum(len(p.filter_results) for p in record.placements)
    assert handoff_ms(call, record) == pytest.approx(25 + checks * 0.02)


@pytest.mark.parametrize("flow", ["classic", "modern"])
def test_the_servers_timestamps_follow_the_timeline(catalog: Catalog, flow: str) -> None:
    from bootwalk.cloud import time_at

    trace = walk(resolve_request(demo_request(), catalog), catalog, flow)
    last_save = [span for span in spans(trace) if span.step_name == "hypervisor"][-1]
    assert last_save.handoff.payload["args"]["updates"]["launched_at"] == time_at(last_save.start_ms)
    assert trace.server is not None
    # a naive datetime in the view, serialized to the microsecond; "updated" is isotime, with its Z
    assert trace.server["OS-SRV-USG:launched_at"] == time_at(last_save.start_ms).removesuffix("Z") + ".000000"
    assert trace.server["updated"] == time_at(last_save.start_ms)
    assert int(total_ms(trace) // 1000) == int(last_save.end_ms // 1000)  # the walk ends with that save


def _leftovers(*folders: Path) -> list[str]:
    """Temporary files an export left behind (``.NAME.XXXX.tmp``)."""
    return [p.name for folder in folders for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_an_export_keeps_the_permissions_of_the_file_it_replaces(tmp_path: Path) -> None:
    private = tmp_path / "walk.trace.json"
    private.write_text("an older file", encoding="utf-8")
    private.chmod(0o600)
    result = run([*DEMO_ARGS, "-q", "--export-trace", str(private)])
    assert (result.exit_code, result.stderr) == (ExitCode.OK, "")
    assert json.loads(private.read_text(encoding="utf-8"))["traceEvents"]
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert _leftovers(tmp_path) == []


def test_a_new_export_gets_the_permissions_a_new_file_gets(tmp_path: Path) -> None:
    created = tmp_path / "walk.svg"
    umask = os.umask(0o027)
    try:
        result = run([*DEMO_ARGS, "-q", "--export-svg", str(created)])
    finally:
        os.umask(umask)
    assert (result.exit_code, result.stderr) == (ExitCode.OK, "")
    assert stat.S_IMODE(created.stat().st_mode) == 0o640


@needs_symlinks
def test_an_export_through_a_symlink_writes_its_target_and_the_link_stays(tmp_path: Path) -> None:
    slides, shared = tmp_path / "slides", tmp_path / "shared"
    slides.mkdir()
    shared.mkdir()
    target = shared / "walk.trace.json"
    target.write_text("an older file", encoding="utf-8")
    target.chmod(0o640)
    link = slides / "walk.trace.json"
    link.symlink_to(os.path.join("..", "shared", "walk.trace.json"))
    result = run([*DEMO_ARGS, "-q", "--export-trace", str(link)])
    assert (result.exit_code, result.stderr) == (ExitCode.OK, "")
    assert link.is_symlink() and os.readlink(link) == os.path.join("..", "shared", "walk.trace.json")
    assert json.loads(target.read_text(encoding="utf-8"))["traceEvents"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert _leftovers(slides, shared) == []


@needs_symlinks
def test_a_dangling_symlink_gets_its_target_written(tmp_path: Path) -> None:
    link = tmp_path / "walk.trace.json"
    link.symlink_to("saved.json")
    result = run([*DEMO_ARGS, "-q", "--export-trace", str(link)])
    assert (result.exit_code, result.stderr) == (ExitCode.OK, "")
    assert link.is_symlink() and os.readlink(link) == "saved.json"
    assert json.loads((tmp_path / "saved.json").read_text(encoding="utf-8"))["traceEvents"]


@needs_symlinks
def test_a_symlink_to_a_directory_or_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    to_folder = tmp_path / "to-folder"
    to_folder.symlink_to("folder")
    result = run([*DEMO_ARGS, "-q", "--export-html", str(to_folder)])
    assert (result.exit_code, result.stderr) == (
        ExitCode.ERROR,
        f"Error: cannot write {to_folder}: it is a directory\n",
    )
    nowhere = tmp_path / "to-nowhere"
    nowhere.symlink_to(os.path.join("no", "such", "folder.json"))
    result = run([*DEMO_ARGS, "-q", "--export-trace", str(nowhere)])
    assert (result.exit_code, result.stderr) == (
        ExitCode.ERROR,
        f"Error: cannot write {nowhere}: No such file or directory\n",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "to-folder", "to-nowhere"]
    assert list((tmp_path / "folder").iterdir()) == []


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets here")
def test_a_socket_is_one_line_and_stays_a_socket(tmp_path: Path) -> None:
    path = tmp_path / "walk.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listening:
        listening.bind(str(path))
        result = run([*DEMO_ARGS, "-q", "--export-trace", str(path)])
    assert (result.exit_code, result.stderr) == (
        ExitCode.ERROR,
        f"Error: cannot write {path}: it is a socket, which cannot be opened as a file\n",
    )
    assert stat.S_ISSOCK(path.lstat().st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/null") or sys.platform == "win32", reason="no /dev/null here")
def test_dev_null_is_written_to_never_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError(f"an export renamed a file over a device: {args}")

    # Run as root, an export that renames over /dev/null replaces the machine's /dev/null: never let it try.
    monkeypatch.setattr(os, "replace", refuse)
    monkeypatch.setattr(os, "rename", refuse)
    before = os.stat("/dev/null")
    result = run([*DEMO_ARGS, "-q", "--export-trace", "/dev/null", "--export-svg", "/dev/null"])
    assert (result.exit_code, result.stderr) == (ExitCode.OK, "")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert [name for name in os.listdir("/dev") if name.startswith(".null.")] == []


def _step_events(path: Path) -> list[str]:
    events = json.loads(path.read_text(encoding="utf-8"))["traceEvents"]
    return [event["name"] for event in events if event.get("cat") == "step"]


def test_q_in_step_mode_still_writes_the_exports_of_what_was_shown(tmp_path: Path) -> None:
    svg, html, events = tmp_path / "walk.svg", tmp_path / "walk.html", tmp_path / "walk.trace.json"
    result = run(
        [*DEMO_ARGS, "--step", "--export-svg", str(svg), "--export-html", str(html), "--export-trace", str(events)],
        input="\n\nq\n",
    )
    assert (result.exit_code, result.stderr) == (ExitCode.OK, "")
    assert _step_events(events) == ["Step 1: authenticate", "Step 2: token"]
    calls = [e["name"] for e in json.loads(events.read_text(encoding="utf-8"))["traceEvents"] if e.get("cat") == "REST"]
    assert calls == ["POST /v3/auth/tokens", "201 Created"]
    svg_text = " ".join("".join(ElementTree.fromstring(svg.read_text(encoding="utf-8")).itertext()).split())
    assert "Step 2/12" in svg_text and "Step 3/12 " not in svg_text.replace("Next: Step 3/12", "")
    assert "Stopped before step 3/12 (nova-api" in svg_text
    assert "Stopped before step 3/12 (nova-api" in " ".join(html.read_text(encoding="utf-8").split())


def test_q_before_the_first_step_writes_an_export_with_no_step(tmp_path: Path) -> None:
    events = tmp_path / "walk.trace.json"
    result = run([*DEMO_ARGS, "--step", "--export-trace", str(events)], input="q\n")
    assert (result.exit_code, result.stderr) == (ExitCode.OK, "")
    document = json.loads(events.read_text(encoding="utf-8"))
    assert document["traceEvents"] and [e for e in document["traceEvents"] if e["ph"] == "X"] == []


def test_an_export_q_cannot_write_is_one_line(tmp_path: Path) -> None:
    result = run([*DEMO_ARGS, "--step", "--export-trace", str(tmp_path)], input="\nq\n")
    assert (result.exit_code, result.stderr) == (ExitCode.ERROR, f"Error: cannot write {tmp_path}: it is a directory\n")
    assert "Stopped before step 2/12" in result.stdout
