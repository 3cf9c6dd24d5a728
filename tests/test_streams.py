"""bootwalk run as its own process: replays from pipes, a working directory that is gone, and its standard streams and export files closed, full, broken or without Unicode."""

from __future__ import annotations

import configparser
import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import bootwalk
from bootwalk import __version__
from bootwalk.exit_codes import ExitCode
from tests.conftest import DEMO_ARGS

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60
UNAUTHORIZED = "ERROR (Unauthorized): The request you have made requires authentication. (HTTP 401)\n"

needs_dev_fd = pytest.mark.skipif(not os.path.isdir("/dev/fd"), reason="no /dev/stdin or /dev/fd on this system")


def environment() -> dict[str, str]:
    """The tests' environment, with the bootwalk under test first on the path of every child."""
    package_parent = str(Path(bootwalk.__file__).resolve().parent.parent)
    path = os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, "COLUMNS": "80"}


def bootwalk_process(arguments: list[str], standard_input: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m bootwalk ARGUMENTS``, with standard input a pipe carrying ``standard_input`` when given."""
    return subprocess.run(
        [sys.executable, "-m", "bootwalk", *arguments], input=standard_input,
        capture_output=True, text=True, env=environment(), timeout=TIMEOUT, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def traces() -> list[tuple[str, int, str]]:
    """Two saved walks told apart by their server's name and outcome: (name, exit code, JSON text)."""
    saved = []
    for name, extra, code in (("first-vm", [], 0), ("second-vm", ["--scenario", "bad-credentials"], 1)):
        arguments = [*DEMO_ARGS[:-1], *extra, name, "-f", "json"]
        walked = bootwalk_process(arguments)
        assert walked.returncode == code, walked.stderr
        assert json.loads(walked.stdout)["request"]["name"] == name
        saved.append((name, code, walked.stdout))
    return saved


def replay_through_fd(text: str) -> subprocess.CompletedProcess[str]:
    """``bootwalk replay /dev/fd/N -f json`` with N the read end of a pipe, as ``replay <(cat FILE)`` runs."""
    read_end, write_end = os.pipe()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "bootwalk", "replay", f"/dev/fd/{read_end}", "-f", "json"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment(), pass_fds=(read_end,),
        )  # fmt: skip
    except BaseException:
        os.close(write_end)
        raise
    finally:
        os.close(read_end)

    def feed() -> None:  # a thread: a trace may be larger than the pipe's buffer
        try:
            with os.fdopen(write_end, "w", encoding="utf-8") as pipe:
                pipe.write(text)
        except BrokenPipeError:
            pass  # the replay stopped reading: its exit code and output tell the test why

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    try:
        out, error = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    feeder.join(TIMEOUT)
    return subprocess.CompletedProcess(process.args, process.returncode, out, error)


@pytest.mark.parametrize(
    "way", [pytest.param("/dev/stdin", marks=needs_dev_fd), "-", pytest.param("/dev/fd/N", marks=needs_dev_fd)]
)
def test_a_replay_from_a_stream_prints_that_streams_walk(way: str, traces: list[tuple[str, int, str]]) -> None:
    """Each trace, replayed in turn the same way, comes back as itself: never an earlier one's walk."""
    for name, code, text in traces:
        if way == "/dev/fd/N":
            replayed = replay_through_fd(text)
        else:
            replayed = bootwalk_process(["replay", way, "-f", "json"], standard_input=text)
        assert replayed.returncode == code, replayed.stderr
        assert replayed.stdout == text
        assert json.loads(replayed.stdout)["request"]["name"] == name
        assert replayed.stderr == ("" if code == 0 else UNAUTHORIZED)


def console_script_target() -> str:
    """What the ``bootwalk`` console script calls, as setup.cfg declares it (``module:function``)."""
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg", encoding="utf-8")
    name, _, target = parser["options.entry_points"]["console_scripts"].strip().partition("=")
    assert name.strip() == "bootwalk"
    return target.strip()


def run_in_a_deleted_directory(entry: str, arguments: list[str]) -> subprocess.CompletedProcess[str]:
    """Run bootwalk in a child whose working directory was removed before bootwalk was imported."""
    if entry == "python -m bootwalk":
        start = "runpy.run_module('bootwalk', run_name='__main__', alter_sys=True)"
    else:
        module, _, function = console_script_target().partition(":")
        start = f"getattr(importlib.import_module({module!r}), {function!r})()"
    code = (
        "import importlib, os, runpy, sys, tempfile\n"
        "directory = tempfile.mkdtemp()\n"
        "os.chdir(directory)\n"
        "os.rmdir(directory)\n"
        f"sys.argv = ['bootwalk', *{arguments!r}]\n"
        f"{start}\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment(), timeout=TIMEOUT, check=False
    )


@pytest.mark.parametrize("entry", ["python -m bootwalk", "console script"])
def test_version_help_and_the_demo_walk_run_from_a_deleted_working_directory(entry: str) -> None:
    version = run_in_a_deleted_directory(entry, ["--version"])
    assert (version.returncode, version.stdout, version.stderr) == (0, f"bootwalk {__version__}\n", "")

    help_ = run_in_a_deleted_directory(entry, ["--help"])
    assert (help_.returncode, help_.stderr) == (0, "")
    assert help_.stdout.startswith("Usage: bootwalk [OPTIONS] COMMAND [ARGS]...\n")

    walked = run_in_a_deleted_directory(entry, [*DEMO_ARGS, "-f", "json"])
    assert (walked.returncode, walked.stderr) == (0, "")
    document = json.loads(walked.stdout)
    assert (document["request"]["name"], document["outcome"]) == ("demo-vm", "ACTIVE")


posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs, /dev/full and descriptors as POSIX has them")


def bootwalk_popen(arguments: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
    """``python -m bootwalk ARGUMENTS`` started, not waited for."""
    return subprocess.Popen([sys.executable, "-m", "bootwalk", *arguments], env=environment(), **kwargs)


def finished(process: subprocess.Popen[bytes], keys: bytes | None = None) -> tuple[int, bytes, bytes]:
    """Give a process its keys and wait for it, killing it (and failing the test) if it takes longer than TIMEOUT."""
    try:
        out, error = process.communicate(keys, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    return process.returncode, out or b"", error or b""


@posix_only
def test_an_export_to_a_fifo_is_written_to_its_reader(tmp_path: Path) -> None:
    fifo = tmp_path / "walk.trace.json"
    os.mkfifo(fifo)
    # Opened before bootwalk runs, without waiting for a writer: the reader is there when bootwalk looks.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    received = bytearray()

    def read_until_the_writer_is_done() -> None:
        deadline = time.monotonic() + TIMEOUT
        seen_data = False
        while time.monotonic() < deadline:
            try:
                chunk = os.read(reader, 65536)
            except BlockingIOError:  # a writer, but nothing written yet
                chunk = None
            if chunk:
                received.extend(chunk)
                seen_data = True
            elif chunk == b"" and seen_data:  # the writer closed its end
                return
            else:
                time.sleep(0.01)

    thread = threading.Thread(target=read_until_the_writer_is_done, daemon=True)
    thread.start()
    try:
        code, out, error = finished(
            bootwalk_popen(
                [*DEMO_ARGS, "-q", "--export-trace", str(fifo)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
        )
        thread.join(TIMEOUT)
    finally:
        os.close(reader)
    assert (code, error) == (0, b"")
    assert out.endswith(b"Outcome: ACTIVE\n")
    assert json.loads(received.decode("utf-8"))["traceEvents"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert os.listdir(tmp_path) == ["walk.trace.json"]


@posix_only
def test_an_export_to_a_fifo_nobody_reads_is_one_line_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "walk.trace.json"
    os.mkfifo(fifo)
    code, _out, error = finished(
        bootwalk_popen([*DEMO_ARGS, "-q", "--export-trace", str(fifo)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    )
    assert (code, error.decode()) == (1, f"Error: cannot write {fifo}: it is a FIFO with no reader\n")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@posix_only
def test_an_export_to_dev_stdout_follows_the_walk_in_the_file_stdout_is(tmp_path: Path) -> None:
    alone = bootwalk_process([*DEMO_ARGS, "-q"])
    saved = tmp_path / "walk.txt"
    # Run as root, an export that renames over /dev/stdout replaces the machine's link: never let it try.
    guarded = (
        "import os, sys\n"
        "def refuse(*args):\n"
        "    raise SystemExit(f'an export renamed a file over {args[1]}')\n"
        "os.replace = os.rename = refuse\n"
        "from bootwalk.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    with saved.open("wb") as standard_output:
        code, _out, error = finished(
            subprocess.Popen([sys.executable, "-c", guarded, *DEMO_ARGS, "-q", "--export-trace", "/dev/stdout"],
                             stdout=standard_output, stderr=subprocess.PIPE, env=environment())
        )  # fmt: skip
    assert (code, error) == (0, b"")
    text = saved.read_text(encoding="utf-8")
    assert text.startswith(alone.stdout)
    assert json.loads(text[len(alone.stdout) :])["traceEvents"]


@posix_only
@pytest.mark.parametrize(
    "arguments",
    [
        # Each key makes bootwalk print a step: by then the test has closed the pipe, whatever its size.
        pytest.param([*DEMO_ARGS, "--step"], id="table"),
        pytest.param([*DEMO_ARGS, "-f", "json"], id="json",
                     marks=pytest.mark.skipif(not hasattr(fcntl, "F_SETPIPE_SZ"), reason="pipe size is fixed here")),
    ],
)  # fmt: skip
def test_a_broken_pipe_exits_141_and_says_nothing(arguments: list[str]) -> None:
    """``bootwalk ... | head -1``: the reader goes away after one line."""
    read_end, write_end = os.pipe()
    if hasattr(fcntl, "F_SETPIPE_SZ"):
        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)  # smaller than the JSON: the writer must wait for head
    try:
        process = bootwalk_popen(arguments, stdin=subprocess.PIPE, stdout=write_end, stderr=subprocess.PIPE)
    finally:
        os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        first = pipe.readline()
    assert first  # the read end is closed now, as head closes it
    code, _out, error = finished(process, b"\n" * 40)
    assert (code, error) == (ExitCode.BROKEN_PIPE, b"")


full_disk = pytest.mark.skipif(not sys.platform.startswith("linux") or not os.path.exists("/dev/full"),
                               reason="/dev/full is Linux's")  # fmt: skip


@full_disk
@pytest.mark.parametrize(
    "arguments", [DEMO_ARGS, [*DEMO_ARGS, "-f", "json"], ["--help"], ["flavor-list"], ["steps", "-f", "json"]]
)
def test_a_full_disk_is_one_line_and_exit_1(arguments: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        code, _out, error = finished(bootwalk_popen(arguments, stdout=full, stderr=subprocess.PIPE))
    assert (code, error.decode()) == (
        ExitCode.ERROR,
        "Error: cannot write to standard output: No space left on device\n",
    )


def run_with_closed(descriptor: int, arguments: list[str], start: str) -> subprocess.CompletedProcess[bytes]:
    """Run bootwalk with a standard descriptor closed, as ``>&-`` or ``2>&-`` leaves it.

    ``exec``: closed before the interpreter starts (the shell's way); ``main``:
    closed under an interpreter that had it open.
    """
    if start == "exec":
        run = f"os.execv(sys.executable, [sys.executable, '-m', 'bootwalk', *{arguments!r}])"
    else:
        run = f"from bootwalk.cli import main\nmain({arguments!r})"
    code = f"import os, sys\nos.close({descriptor})\n{run}\n"
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, env=environment(), timeout=TIMEOUT, check=False
    )


@posix_only
@pytest.mark.parametrize("start", ["exec", "main"])
@pytest.mark.parametrize("arguments", [DEMO_ARGS, ["--help"], ["flavor-list", "-f", "json"]])
def test_a_closed_standard_output_is_one_line_and_exit_1(arguments: list[str], start: str) -> None:
    completed = run_with_closed(1, arguments, start)
    assert (completed.returncode, completed.stderr.decode()) == (
        ExitCode.ERROR,
        "Error: cannot write to standard output: it is closed\n",
    )


@posix_only
@pytest.mark.parametrize("start", ["exec", "main"])
def test_a_closed_standard_error_leaves_the_walk_and_its_exit_code(start: str) -> None:
    walked = run_with_closed(2, DEMO_ARGS, start)
    assert walked.returncode == ExitCode.OK
    assert walked.stdout.endswith(b"Outcome: ACTIVE\n")
    refused = run_with_closed(2, ["boot", "--image", "cirros", "--flavor", "nope", "demo-vm"], start)
    assert (refused.returncode, refused.stdout) == (ExitCode.USAGE, b"")
    failed = run_with_closed(2, [*DEMO_ARGS, "--scenario", "bad-credentials"], start)
    assert failed.returncode == ExitCode.ERROR
    assert failed.stdout.endswith(b"Outcome: ERROR\n")


NOT_UTF8 = {
    "PYTHONIOENCODING=ascii": {"PYTHONIOENCODING": "ascii"},
    "LC_ALL=C PYTHONUTF8=0": {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": None},
}


@pytest.fixture(scope="module")
def saved_walk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A walk saved with -f json in UTF-8, rescheduled once, for replay under other encodings."""
    walked = bootwalk_process([*DEMO_ARGS, "--scenario", "spawn-failed", "-f", "json"])
    assert walked.returncode == 0, walked.stderr
    path = tmp_path_factory.mktemp("saved") / "walk.json"
    path.write_text(walked.stdout, encoding="utf-8")
    return path


@pytest.mark.parametrize("encoding", list(NOT_UTF8))
@pytest.mark.parametrize(
    ("arguments", "keys", "columns"),
    [
        (DEMO_ARGS, "", "80"),
        (DEMO_ARGS, "", "40"),
        ([*DEMO_ARGS, "--scenario", "spawn-failed", "--timeline", "-v"], "", "80"),
        ([*DEMO_ARGS, "--max-count", "3", "--step"], "\n" * 40, "80"),
        ([*DEMO_ARGS, "-f", "json"], "", "80"),
        ([*DEMO_ARGS, "-f", "markdown"], "", "80"),
        ([*DEMO_ARGS, "-f", "mermaid"], "", "80"),
        (["--help"], "", "80"),
        (["boot", "--help"], "", "80"),
        (["flavor-list"], "", "80"),
        (["steps"], "", "80"),
        (["explain", "4"], "", "80"),
        (["compare"], "", "80"),
        (["compare"], "", "40"),
        (["replay", "SAVED"], "", "80"),
        (["replay", "SAVED", "--timeline"], "", "40"),
    ],
)  # fmt: skip
def test_a_stream_without_unicode_gets_ascii_not_an_internal_error(
    encoding: str, arguments: list[str], keys: str, columns: str, saved_walk: Path
) -> None:
    changes = NOT_UTF8[encoding]
    env = {name: value for name, value in environment().items() if changes.get(name, value) is not None}
    env.update({name: value for name, value in changes.items() if value is not None})
    env["COLUMNS"] = columns
    arguments = [str(saved_walk) if argument == "SAVED" else argument for argument in arguments]
    completed = subprocess.run(
        [sys.executable, "-m", "bootwalk", *arguments], input=keys.encode(), capture_output=True, env=env,
        timeout=TIMEOUT, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert b"internal error" not in completed.stderr
    assert completed.stdout.isascii() and completed.stderr.isascii()
    if "-f" not in arguments and "--help" not in arguments:
        # The tables keep their width: the stand-ins are put in before rich lays them out.
        assert max(len(line) for line in completed.stdout.decode("ascii").splitlines()) <= int(columns)
    if "json" in arguments:  # every character is still there, escaped
        assert json.loads(completed.stdout)["steps"][1]["handoffs"][0]["summary"].startswith(
            "token MIIfpgYJKoZI… in "
        )  # Icehouse: a PKI token
