"""Regenerate docs/demo.svg, the README's picture of the demo walk, with bootwalk itself.

    python tools/demo_svg.py          # rewrite docs/demo.svg
    python tools/demo_svg.py --check  # exit 1 when it is out of date

The SVG is what ``bootwalk boot ... --export-svg`` records at 100 columns. Its
first line is a comment holding the SHA-256 of the plain text the walk
printed; the check compares that with a fresh walk, so it does not depend on
how a given rich version draws SVG.
"""

from __future__ import annotations

import hashlib
import re
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "docs" / "demo.svg"
DEMO = ["boot", "--image", "cirros", "--flavor", "m1.tiny", "--nic", "net-name=private", "demo-vm"]
WIDTH = "100"
MARK = re.compile(r"^<!-- bootwalk demo text sha256: ([0-9a-f]{64}) -->\n")


def _walk(svg_path: Path | None) -> str:
    from bootwalk.cli import cli

    arguments = [*DEMO, "--export-svg", str(svg_path)] if svg_path else DEMO
    result = CliRunner().invoke(cli, arguments, prog_name="bootwalk", env={"COLUMNS": WIDTH, "NO_COLOR": None})
    if result.exit_code != 0:
        raise SystemExit(f"the demo walk failed: {result.output}")
    return result.stdout


def text_digest(text: str) -> str:
    """The SHA-256 of the walk's plain text, trailing spaces ignored."""
    normalised = "\n".join(line.rstrip() for line in text.splitlines())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def generate() -> str:
    """The SVG file's content: the digest comment, then rich's SVG."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "demo.svg"
        text = _walk(path)
        svg = path.read_text(encoding="utf-8")
    return f"<!-- bootwalk demo text sha256: {text_digest(text)} -->\n{svg}"


def is_current() -> bool:
    """True when docs/demo.svg was made from what the demo walk prints now."""
    if not SVG.exists():
        return False
    match = MARK.match(SVG.read_text(encoding="utf-8"))
    return bool(match) and match.group(1) == text_digest(_walk(None))


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        if is_current():
            return 0
        print("docs/demo.svg is out of date: run python tools/demo_svg.py", file=sys.stderr)
        return 1
    SVG.parent.mkdir(exist_ok=True)
    SVG.write_text(generate(), encoding="utf-8")
    print(f"wrote {SVG.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
