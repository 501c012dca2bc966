"""Office processes in process groups of their own, ended in order (SIGTERM, then SIGKILL after a
grace period), and the guard that ends them when jdgen cannot.

The guard is a small process of its own, `python -m jdgen.pdf.guard FOLDER`: it holds the read end
of a pipe that only jdgen writes to (a line with each office's process group), and when the pipe
closes, however jdgen ended (SIGKILL, a crash), it ends every group jdgen told it about and, on
Linux, any process still using the profile in FOLDER, then deletes FOLDER.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

GRACE = 10.0  # seconds an office process gets to end after SIGTERM
KILL = getattr(signal, "SIGKILL", signal.SIGTERM)  # Windows has no SIGKILL: taskkill /F stands for it


def end_group(process: subprocess.Popen) -> None:
    """SIGTERM to the process's group, SIGKILL after a grace period; then reap the process."""
    end_groups([process])


def end_groups(processes: list[subprocess.Popen]) -> None:
    """`_end_group` of every process at once: all asked to end, one grace period for all."""
    alive = [p for p in processes if p.poll() is None or group_alive(p.pid)]
    for process in alive:
        signal_group(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE
    while alive and time.monotonic() < deadline:
        alive = [p for p in alive if p.poll() is None or group_alive(p.pid)]
        if alive:
            time.sleep(0.05)
    for process in alive:
        signal_group(process.pid, KILL)
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.communicate(timeout=GRACE if process in alive else 1)


def signal_group(group: int, number: int) -> None:
    """Signal a process group (POSIX); where there are none (Windows), end the process tree."""
    if not hasattr(os, "killpg"):
        force = ["/F"] if number == KILL else []
        subprocess.run(["taskkill", "/PID", str(group), "/T", *force], capture_output=True, check=False)
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, number)


def group_alive(group: int) -> bool:
    if not hasattr(os, "killpg"):  # Windows: whether the process is there
        found = subprocess.run(
            ["tasklist", "/FI", f"PID eq {group}", "/NH"], capture_output=True, text=True, check=False
        )
        return str(group) in found.stdout
    try:
        os.killpg(group, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def guard(work: Path) -> None:
    """Wait until jdgen closes the pipe (or dies), then end its office processes and delete `work`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C is jdgen's to handle; the guard finishes after
    groups = [int(line) for line in sys.stdin.buffer if line.strip().isdigit()]
    for number in (signal.SIGTERM, KILL):
        for group in groups:
            signal_group(group, number)
        _end_strays(work, number)
        deadline = time.monotonic() + GRACE
        while time.monotonic() < deadline and (any(map(group_alive, groups)) or _strays(work)):
            time.sleep(0.05)
    shutil.rmtree(work, ignore_errors=True)


def _strays(work: Path) -> list[int]:
    """Processes whose command line names `work` (Linux): office processes that left their group."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    marker = str(work).encode()
    found = []
    for entry in proc.iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            with contextlib.suppress(OSError):
                if marker in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
    return found


def _end_strays(work: Path, number: int) -> None:
    for pid in _strays(work):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, number)


if __name__ == "__main__":
    guard(Path(sys.argv[1]))
