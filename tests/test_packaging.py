"""The repository holds no symlinks, and a wheel built from it still ships the catalogs."""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOG_FILES = ("flavors.yaml", "images.yaml", "cloud.yaml", "exercises.yaml")
TIMEOUT = 300

#: What a build of the working tree leaves out: version control, environments, caches and earlier builds.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", "ci-*.log"
)


def test_the_repository_tracks_no_symlink() -> None:
    """A checkout without symlink support must get every file whole (git's mode 120000 is a symlink)."""
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    listed = subprocess.run(
        [git, "ls-files", "--stage", "-z"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert listed.returncode == 0, listed.stderr
    entries = [entry for entry in listed.stdout.split("\0") if entry]
    assert entries
    assert [entry.split("\t", 1)[1] for entry in entries if entry.startswith("120000 ")] == []


def build_wheel(source: Path, output: Path) -> Path:
    """``pip wheel`` of a source tree, offline: no dependencies, no build isolation, no index."""
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
         "--disable-pip-version-check", "--wheel-dir", str(output), str(source)],
        capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = output.glob("bootwalk-*.whl")
    return wheel


def unpacked_sdist(source: Path, work: Path) -> Path:
    """Build an sdist of a source tree with setuptools' PEP 517 hook, and unpack it."""
    code = "import sys; from setuptools import build_meta; print(build_meta.build_sdist(sys.argv[1]))"
    built = subprocess.run(
        [sys.executable, "-c", code, str(work / "sdist")],
        cwd=source, capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    name = built.stdout.strip().splitlines()[-1]
    with tarfile.open(work / "sdist" / name) as archive:
        options = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        archive.extractall(work / "unpacked", **options)  # type: ignore[arg-type]
    return work / "unpacked" / name.removesuffix(".tar.gz")


@pytest.mark.parametrize("route", ["from the working tree", "from its sdist"])
def test_a_wheel_built_from_the_repository_ships_the_top_level_catalogs(route: str, tmp_path: Path) -> None:
    """The wheel's bootwalk/catalogs/ holds regular files, byte for byte the top-level catalogs."""
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)  # a copy: the build writes build/ and *.egg-info
    if route == "from its sdist":
        source = unpacked_sdist(source, tmp_path)
    wheel = build_wheel(source, tmp_path / "wheels")
    with zipfile.ZipFile(wheel) as archive:
        for name in CATALOG_FILES:
            member = archive.getinfo(f"bootwalk/catalogs/{name}")
            assert not stat.S_ISLNK(member.external_attr >> 16)
            assert archive.read(member) == (ROOT / name).read_bytes()
