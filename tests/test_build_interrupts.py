"""A killed or interrupted `quizgen build`: outputs all old or all new, no stray files, no workers left; exit codes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SOURCES, VALID

from quizgen.write import MANIFEST, STAGING_PREFIX, recover


def wait_for(condition, timeout: float = 60.0, what: str = "a condition"):
    """Poll `condition` until it returns something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.002)
    raise AssertionError(f"timed out waiting for {what}")


def children(pid: int) -> list[int]:
    """Live processes whose parent is `pid`."""
    found = []
    for entry in os.listdir("/proc"):
        status = process_status(int(entry)) if entry.isdigit() else None
        if status and status[1] == pid and status[0] != "Z":
            found.append(int(entry))
    return found


def process_status(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, or None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[0], int(fields[1])


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie has died; only its exit status waits to be collected)."""
    status = process_status(pid)
    return status is not None and status[0] != "Z"


def live_processes_mentioning(text: str) -> list[int]:
    """Processes (not zombies) whose command line contains `text`: a build's workers carry its -o path."""
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        status = process_status(int(entry))
        if text in cmdline and status and status[0] != "Z":
            found.append(int(entry))
    return found


def content_with_quiz(tmp_path: Path, seed: int, versions: int = 1) -> Path:
    """The valid content plus a quiz of `versions` versions: 2 PDFs each, enough to keep two workers busy."""
    content = tmp_path / "content"
    if not content.exists():
        shutil.copytree(VALID, content)
        (content / "quizzes").mkdir()
    quiz = f"quiz: pop\ntitle: Pop quiz\nseed: {seed}\nversions: {versions}\n"
    (content / "quizzes" / "pop.yaml").write_text(quiz, encoding="utf-8")
    return content


def build_command(content: Path, out: Path, jobs: int = 2) -> list[str]:
    return [sys.executable, "-m", "quizgen", "build", "--content", str(content), "--sources", str(SOURCES)] + [
        "-o",
        str(out),
        "-j",
        str(jobs),
    ]


def build(content: Path, out: Path) -> None:
    subprocess.run(build_command(content, out), check=True, capture_output=True, cwd=ROOT)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def outputs(folder: Path) -> dict[str, bytes]:
    """The outputs under `folder`, without our bookkeeping (manifest, staging)."""
    return {name: data for name, data in snapshot(folder).items() if not name.startswith(".quizgen-")}


def staging_folder(out: Path, then: str | None = None) -> Path | None:
    """The build's staging folder once it exists (and holds `then`, if given)."""
    for path in out.glob(f"{STAGING_PREFIX}*"):
        if then is None or (path / then).exists():
            return path
    return None


@pytest.fixture
def old_and_new(tmp_path, monkeypatch):
    """A previous build of seed 1 in out/, and what a clean build of seed 2 writes."""
    # Unreleased content: the deck's notes take the build time, pinned so two builds compare equal.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    content = content_with_quiz(tmp_path, seed=2)
    build(content, tmp_path / "new")
    new = outputs(tmp_path / "new")
    content_with_quiz(tmp_path, seed=1)
    build(content, tmp_path / "out")
    old = outputs(tmp_path / "out")
    content_with_quiz(tmp_path, seed=2)
    assert old.keys() == new.keys() and any(old[name] != new[name] for name in old)
    return content, tmp_path / "out", old, new


# The build as `python -m quizgen build`, but the process kills itself (SIGKILL) just before its
# second output is renamed into place: the journal is written and one output is already new.
# Killing it from outside at that moment is a race (the renames take milliseconds), so the
# moment is chosen from inside, deterministically; everything else is the real build.
KILL_MID_PUBLICATION = """
import os, signal, sys
real_replace = os.replace
moved = 0
def replace(source, target, *args, **kwargs):
    global moved
    if ".quizgen-staging-" in str(source) and ".quizgen-staging-" not in str(target):
        moved += 1
        if moved == 2:
            os.kill(os.getpid(), signal.SIGKILL)
    return real_replace(source, target, *args, **kwargs)
os.replace = replace
from quizgen.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_build_killed_while_staging_leaves_all_old(old_and_new, capsys):
    content, out, old, new = old_and_new
    process = subprocess.Popen(build_command(content, out), cwd=ROOT, stderr=subprocess.DEVNULL)
    wait_for(lambda: staging_folder(out, None), what="the staging folder")
    process.kill()
    process.wait()
    assert_recovered(content, out, old, new, "staging", capsys)


def test_a_build_killed_while_publishing_is_finished_by_the_next_run(old_and_new, capsys):
    content, out, old, new = old_and_new
    done = subprocess.run(
        [sys.executable, "-c", KILL_MID_PUBLICATION, *build_command(content, out)[3:]], cwd=ROOT, capture_output=True
    )
    assert done.returncode == -signal.SIGKILL
    assert staging_folder(out, "journal.json"), "killed after the journal was written"
    assert_recovered(content, out, old, new, "publishing", capsys, expect="all new")


def assert_recovered(content, out, old, new, moment, capsys, expect=None) -> None:
    left = sorted(path.name for path in out.iterdir() if path.name.startswith(".quizgen-"))
    recover(out)  # what the next run does first
    state = "all old" if outputs(out) == old else "all new" if outputs(out) == new else "mixed"
    with capsys.disabled():
        print(f"\nSIGKILL while {moment}: left {left}; after recovery the outputs were {state}")
    assert state != "mixed", "some outputs replaced, others not"
    if expect:
        assert state == expect
    build(content, out)
    assert outputs(out) == new
    assert sorted(name for name in snapshot(out) if name.startswith(".")) == [MANIFEST]  # no stray file


def test_workers_die_with_a_killed_build(tmp_path):
    content = content_with_quiz(tmp_path, seed=1, versions=3)
    out = tmp_path / "out"
    process = subprocess.Popen(build_command(content, out), cwd=ROOT, stderr=subprocess.DEVNULL)
    workers = wait_for(lambda: len(children(process.pid)) == 2 and children(process.pid), what="two workers")
    process.kill()
    process.wait()
    wait_for(lambda: not any(alive(pid) for pid in workers), timeout=5, what="the workers to die")
    wait_for(lambda: not live_processes_mentioning(str(out)), timeout=5, what="no process naming the output")
    assert not out.exists() or outputs(out) == {}


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_parallel_render_stops_at_once_with_status_130(tmp_path, signum, capsys):
    content = content_with_quiz(tmp_path, seed=1, versions=3)
    out = tmp_path / "out"
    process = subprocess.Popen(build_command(content, out), cwd=ROOT, stderr=subprocess.PIPE, text=True)
    workers = wait_for(lambda: len(children(process.pid)) == 2 and children(process.pid), what="two workers")
    sent = time.monotonic()
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=30)
    latency = time.monotonic() - sent
    with capsys.disabled():
        print(f"\n{signal.Signals(signum).name} during a parallel render: exit {process.returncode} in {latency:.3f} s")
    assert process.returncode == 130
    assert latency < 5
    assert stderr.endswith("interrupted\n") and "Traceback" not in stderr
    wait_for(lambda: not any(alive(pid) for pid in workers), timeout=2, what="the workers to be gone")
    assert not out.exists() or snapshot(out) == {}


def quizgen(*args: str, code: str | None = None) -> subprocess.CompletedProcess:
    """`python -m quizgen ARGS`, or a script (`code`) that ends by calling quizgen's main."""
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "quizgen", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT)


def test_exit_0_when_done():
    result = quizgen("validate", "--content", str(VALID), "--sources", str(SOURCES))
    assert (result.returncode, result.stderr) == (0, "")


def test_exit_1_for_wrong_input_with_a_message_and_no_traceback():
    result = quizgen("deck", "--content", str(VALID), "-o", "/dev/full")
    assert result.returncode == 1
    assert result.stderr == (
        "error: cannot write /dev/full: it is a character device, not a regular file; "
        "quizgen replaces only regular files\n"
    )


def test_exit_2_for_bad_usage():
    result = quizgen("build", "--no-such-option")
    assert result.returncode == 2
    assert result.stderr.endswith("Error: No such option '--no-such-option'.\n")


def test_exit_3_for_a_bug_with_its_traceback():
    code = (
        "import sys, click\n"
        "from quizgen.cli import cli, main\n"
        "@cli.command()\n"
        "def broken():\n"
        "    raise ZeroDivisionError('a bug')\n"
        "sys.exit(main(['broken']))\n"
    )
    result = quizgen(code=code)
    assert result.returncode == 3
    assert result.stderr.startswith("Traceback (most recent call last):\n")
    assert result.stderr.endswith("ZeroDivisionError: a bug\ninternal error (a bug in quizgen): please report it\n")
