"""The result cache in front of the console script: same bytes, right key, never in the way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bootwalk import fast
from tests.conftest import DEMO_ARGS

SHIPPED = Path(fast.PACKAGE_DIRECTORY) / "catalogs"


def run(arguments: list[str], cache: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BOOTWALK_CACHE_DIR": str(cache), "COLUMNS": "80", **environment}
    env.pop("BOOTWALK_NO_CACHE", None)
    return subprocess.run(
        [sys.executable, "-m", "bootwalk", *arguments], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def entries(cache: Path) -> list[Path]:
    return sorted(path for path in cache.glob("*") if not path.name.startswith(".")) if cache.exists() else []


def test_a_repeated_walk_prints_the_same_bytes_from_the_cache(tmp_path: Path) -> None:
    first = run(DEMO_ARGS, tmp_path)
    assert first.returncode == 0 and len(entries(tmp_path)) == 1
    second = run(DEMO_ARGS, tmp_path)
    assert (second.stdout, second.stderr, second.returncode) == (first.stdout, first.stderr, first.returncode)
    uncached = run(DEMO_ARGS, tmp_path, BOOTWALK_NO_CACHE="1")
    assert uncached.stdout == first.stdout


def test_errors_and_exit_codes_are_kept_but_usage_errors_are_not(tmp_path: Path) -> None:
    refused = [*DEMO_ARGS, "--scenario", "over-quota"]
    first, second = run(refused, tmp_path), run(refused, tmp_path)
    assert first.returncode == second.returncode == 1
    assert second.stderr == first.stderr and second.stderr.startswith("ERROR (Forbidden): Quota exceeded")
    before = len(entries(tmp_path))
    usage = run(["boot", "--flavor", "nope", "x"], tmp_path)
    assert usage.returncode == 2 and len(entries(tmp_path)) == before


def test_the_key_follows_the_command_the_terminal_and_the_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BOOTWALK_NO_CACHE", raising=False)
    base = fast.cache_key(DEMO_ARGS)
    assert base is not None and base == fast.cache_key(DEMO_ARGS)
    assert fast.cache_key([*DEMO_ARGS, "-f", "json"]) != base
    monkeypatch.setenv("COLUMNS", "40")
    assert fast.cache_key(DEMO_ARGS) != base
    monkeypatch.delenv("COLUMNS")
    monkeypatch.setenv("NO_COLOR", "1")
    assert fast.cache_key(DEMO_ARGS) != base
    monkeypatch.delenv("NO_COLOR")
    for name in ("flavors.yaml", "images.yaml", "cloud.yaml"):
        (tmp_path / name).write_bytes((SHIPPED / name).read_bytes())
    own = fast.cache_key([*DEMO_ARGS, "--catalog", str(tmp_path)])
    (tmp_path / "cloud.yaml").write_text((tmp_path / "cloud.yaml").read_text() + "\n# changed\n")
    assert fast.cache_key([*DEMO_ARGS, "--catalog", str(tmp_path)]) != own


def test_a_change_to_bootwalks_own_files_changes_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    base = fast.cache_key(DEMO_ARGS)
    real = fast._tree_lines
    monkeypatch.setattr(fast, "_tree_lines", lambda top: [*real(top), "steps.py 1 2"])
    assert fast.cache_key(DEMO_ARGS) != base


@pytest.mark.parametrize(
    "extra",
    [["--step"], ["--quiz"], ["--delay", "0"], ["--delay=0"], ["--export-svg", "x.svg"], ["--user-data", "f"]],
)
def test_interactive_or_file_writing_commands_always_run(extra: list[str]) -> None:
    assert fast.cache_key([*DEMO_ARGS, *extra]) is None


def test_replay_is_keyed_by_its_file_and_never_cached_from_stdin(tmp_path: Path) -> None:
    saved = tmp_path / "walk.json"
    saved.write_text("{}")
    keyed = fast.cache_key(["replay", str(saved)])
    assert keyed is not None
    saved.write_text("{} ")
    assert fast.cache_key(["replay", str(saved)]) != keyed
    assert fast.cache_key(["replay", "-"]) is None
    before = fast.cache_key(["replay", "-f", "json", str(saved)])
    saved.write_text("{}  ")
    assert fast.cache_key(["replay", "-f", "json", str(saved)]) != before


def test_a_damaged_entry_is_ignored_and_replaced(tmp_path: Path) -> None:
    first = run(DEMO_ARGS, tmp_path)
    (entry,) = entries(tmp_path)
    entry.write_bytes(b"0 99999 0\ntruncated")
    again = run(DEMO_ARGS, tmp_path)
    assert again.stdout == first.stdout and again.stderr == "" and again.returncode == 0
    assert fast.read_entry(str(tmp_path), entry.name) is not None


def test_an_unwritable_cache_is_ignored(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = run(DEMO_ARGS, blocker / "cache")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.rstrip().endswith("Outcome: ACTIVE")


def test_the_cache_keeps_at_most_max_entries(tmp_path: Path) -> None:
    for index in range(fast.MAX_ENTRIES + 3):
        fast.write_entry(str(tmp_path), f"{index:064x}", 0, "out", "")
    assert len(entries(tmp_path)) == fast.MAX_ENTRIES
    assert not list(tmp_path.glob(".*.tmp"))


def test_the_front_door_imports_no_drawing_library() -> None:
    code = "import sys, bootwalk.fast; print(sorted(m for m in ('click', 'rich', 'yaml') if m in sys.modules))"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "[]"


def test_a_hit_is_served_without_running_the_command(tmp_path: Path) -> None:
    code = (
        "import os, sys\n"
        "from bootwalk import fast\n"
        f"key = fast.cache_key({DEMO_ARGS!r})\n"
        "fast.write_entry(os.environ['BOOTWALK_CACHE_DIR'], key, 1, 'from the cache\\n', 'warned\\n')\n"
    )
    env = {**os.environ, "BOOTWALK_CACHE_DIR": str(tmp_path), "COLUMNS": "80"}
    env.pop("BOOTWALK_NO_CACHE", None)
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
    served = run(DEMO_ARGS, tmp_path)
    assert (served.stdout, served.stderr, served.returncode) == ("from the cache\n", "warned\n", 1)


@pytest.mark.parametrize(
    "arguments",
    [["--help"], ["flavor-list"], ["steps", "-f", "json"], ["boot", "--image", "nope", "--flavor", "m1.tiny", "x"]],
)
def test_commands_that_print_with_click_echo_are_cached_intact(tmp_path: Path, arguments: list[str]) -> None:
    first, second = run(arguments, tmp_path), run(arguments, tmp_path)
    assert "Traceback" not in first.stderr + second.stderr
    assert (second.stdout, second.stderr, second.returncode) == (first.stdout, first.stderr, first.returncode)
    plain = run(arguments, tmp_path, BOOTWALK_NO_CACHE="1")
    assert (plain.stdout, plain.stderr, plain.returncode) == (first.stdout, first.stderr, first.returncode)


def test_the_key_is_sha256() -> None:
    import hashlib

    assert fast._sha256_hex(b"walk") == hashlib.sha256(b"walk").hexdigest()
