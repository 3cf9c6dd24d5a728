"""Shared fixtures: a clean terminal environment, the catalog, the demo request, golden files."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bootwalk.catalog import load_catalog, shipped_catalog_directory
from bootwalk.dialects.nics import parse_nics
from bootwalk.engine import ResolvedRequest, resolve_request
from bootwalk.model import Catalog
from bootwalk.request import BootRequest

GOLDEN = Path(__file__).parent / "golden"
DEMO_ARGS = ["boot", "--image", "cirros", "--flavor", "m1.tiny", "--nic", "net-name=private", "demo-vm"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/*.txt from the current output")


@pytest.fixture(autouse=True)
def clean_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """No inherited colour or width settings: every test starts from the same terminal."""
    for name in (
        "FORCE_COLOR",
        "NO_COLOR",
        "COLUMNS",
        "LINES",
        "BOOTWALK_CATALOG",
        "NOVACLIENT_DEFAULT_KEY_NAME",
        "TERM",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(shipped_catalog_directory())


def demo_request(**changes: object) -> BootRequest:
    """The README's demo boot, with any field changed."""
    fields: dict[str, object] = {
        "name": "demo-vm",
        "flavor": "m1.tiny",
        "image": "cirros",
        "nics": parse_nics(("net-name=private",)),
    }
    fields.update(changes)
    return BootRequest(**fields)  # type: ignore[arg-type]


@pytest.fixture
def demo(catalog: Catalog) -> ResolvedRequest:
    return resolve_request(demo_request(), catalog)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def golden(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Compare text with tests/golden/NAME, or rewrite it under --update-golden."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"{path} is missing: run pytest --update-golden and review it"
        assert text == path.read_text(encoding="utf-8")

    return check


def strip_lines(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def render_table(trace, width: int, **options) -> str:  # type: ignore[no-untyped-def]
    """Render a trace with the table renderer into a string, as a terminal of that width would show it.

    ``options`` go to the renderer: ``level``, ``show_server``, ``detail``.
    """
    from bootwalk.render.table import TableRenderer

    out = io.StringIO()
    renderer = TableRenderer(out, width=width, **options)
    for step in trace.steps:
        renderer.on_step(step)
    renderer.finish(trace)
    return strip_lines(out.getvalue())


def post_of(handoffs: Any) -> Any:
    """The request's ``POST /servers`` among step 3's handoffs (after the client's lookups), as a record or JSON."""
    return next(h for h in handoffs if (h["call"] if isinstance(h, dict) else h.call).startswith("POST"))


@pytest.fixture
def labs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty labs directory for the test, and no lab chosen from the environment."""
    folder = tmp_path / "labs"
    monkeypatch.setenv("BOOTWALK_LABS", str(folder))
    monkeypatch.delenv("BOOTWALK_LAB", raising=False)
    monkeypatch.delenv("BOOTWALK_CATALOG", raising=False)
    return folder


def ended_well_after_sigint(returncode: int, error: bytes) -> bool:
    """Whether a command sent SIGINT at some moment ended as bootwalk promises: done (0), or "Interrupted." and 130.

    Two endings come before any bootwalk code runs, which no program can catch: the signal's default action
    (-SIGINT, before the interpreter installs its handler), and the interpreter's own KeyboardInterrupt while
    it is still starting (importing runpy or site: a traceback with no frame of bootwalk's, exit 1).
    """
    import re
    import signal

    if returncode == 0 or returncode == -signal.SIGINT:
        return True
    if returncode == 130:
        return error == b"Interrupted.\n"
    ours = re.search(rb'File "[^"]*[/\\]bootwalk[/\\](?:[a-z_]+[/\\])*[a-z_]+\.py"', error)  # a bootwalk module's frame
    return returncode == 1 and error.rstrip().endswith(b"KeyboardInterrupt") and ours is None
