"""The README says what the tool does: generated blocks, Quick start, exit codes."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from bootwalk.exit_codes import ExitCode

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
sys.path.insert(0, str(ROOT / "tools"))

import readme_sync  # noqa: E402


def test_generated_blocks_are_up_to_date() -> None:
    assert readme_sync.synced(README) == README, "README.md is stale: run python tools/readme_sync.py"


def test_quick_start_is_two_lines_install_and_demo_then_install_and_test() -> None:
    block = README.split("<!-- quickstart -->", 1)[1].split("<!-- /quickstart -->", 1)[0]
    lines = [line for line in block.splitlines() if line.startswith("python3 ")]
    assert len(lines) == 2
    demo, tests = lines
    assert "pip install ." in demo and demo.endswith(
        "bootwalk boot --image cirros --flavor m1.tiny --nic net-name=private demo-vm"
    )
    assert "pip install '.[test]'" in tests and tests.endswith("python -m pytest")


def test_exit_code_table_matches_the_enum() -> None:
    table = README.split("### Exit codes", 1)[1].split("##", 1)[0]
    codes = {int(code) for code in re.findall(r"^\| (\d+) \|", table, flags=re.MULTILINE)}
    assert codes == {int(code) for code in ExitCode}
