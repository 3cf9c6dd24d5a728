"""Check that every nova source a flow names exists at the release the flow shows.

Usage: python tools/check_sources.py NOVA_GIT_DIR

NOVA_GIT_DIR is a clone (or bare mirror) of openstack/nova with the tag
2014.1 and the commit the modern flow was read at. For each flow, every
path and function in its steps' ``source`` and in its release's facts is
looked up with ``git show REV:PATH``; a path that is missing, or a function
or class that the file does not define, is printed, and the exit status is 1.
Not part of the test suite: CI has no nova clone. The test suite checks the
other half: each flow names only the files this tool has verified
(``FILES`` in the release's facts module).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bootwalk.facts import sources
from bootwalk.flows import flow_names, get_flow


def show(git_dir: str, revision: str, path: str) -> str | None:
    """The file at the revision, or None when the revision has no such file."""
    git = shutil.which("git")
    if git is None:
        sys.exit("check_sources needs git on the PATH")
    command = [git, "-C", git_dir, "show", f"{revision}:{path}"]  # a developer's tool, with fixed arguments
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    return result.stdout if result.returncode == 0 else None


def defines(text: str, name: str) -> bool:
    """Whether the file defines the function, method or class (the last part of a dotted name)."""
    last = name.split(".")[-1]
    return re.search(rf"^\s*(def|class)\s+{re.escape(last)}\b", text, re.M) is not None or f"'{last}'" in text


def main(git_dir: str) -> int:
    problems = 0
    for name in flow_names():
        flow = get_flow(name)
        revision = flow.facts.release.commit
        steps = (*flow.steps, *flow.delete_steps)
        texts = [step.source for step in steps] + [fact.source for _kind, _key, fact in flow.facts.entries()]
        for path, functions in sorted(sources(texts).items()):
            text = show(git_dir, revision, path)
            if text is None:
                print(f"{name} ({flow.release}): {path} does not exist")
                problems += 1
                continue
            for function in sorted(functions):
                if not defines(text, function):
                    print(f"{name} ({flow.release}): {path} has no {function}")
                    problems += 1
            if path not in flow.facts.files:
                print(f"{name} ({flow.release}): {path} exists, but is not in the release's FILES")
                problems += 1
    print("all sources exist" if not problems else f"{problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
