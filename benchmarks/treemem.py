"""A command's wall time and peak memory, its children included: the memory of the process tree
sampled every 20 ms, each process's proportional share (PSS: a page shared by a parent and its
forked child counts half in each), summed. A forked build's children share most of their pages
with their parent; RSS would count those pages once per process.

    python benchmarks/treemem.py COMMAND ...  -> "seconds=… peak_mb=…"
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE = 0.02


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:  # the process ended meanwhile (ESRCH, ENOENT): it has no children to count
        return found
    for task in tasks:
        with contextlib.suppress(OSError):  # a thread that ended meanwhile
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        current = todo.pop()
        seen.append(current)
        todo += _children(current)
    return seen


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(
    command: list[str], *, cwd: Path | None = None, env: dict | None = None
) -> tuple[float, float, int]:
    """Seconds, peak MB of the tree, and the exit code of `command`."""
    start = time.perf_counter()
    # What it says goes to a file, not a pipe: a pipe nobody reads while the tree is sampled fills
    # at 64 KB, and the command then waits for ever (an agency's 2,000 positions warn that much).
    with tempfile.TemporaryFile() as said:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=said)
        peak = 0
        while process.poll() is None:
            peak = max(peak, sum(_pss_kb(pid) for pid in _tree(process.pid)))
            time.sleep(SAMPLE)
        if process.returncode != 0:  # what it said last, for the bench's message
            said.seek(0)
            print(*said.read().decode(errors="replace").splitlines()[-20:], sep="\n", file=sys.stderr)
    seconds = time.perf_counter() - start
    return seconds, peak / 1024, process.returncode


if __name__ == "__main__":
    seconds, peak, code = measure(sys.argv[1:], env=dict(os.environ))
    print(f"seconds={seconds:.2f} peak_mb={peak:.0f} exit={code}")
