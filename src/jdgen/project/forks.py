"""Work on many files at once, in forked copies of this process: reading a thousand positions, or
rendering a hundred directives, on every core of the machine instead of one; and the memory a
long build freed, given back.

`in_forks` splits the work into one chunk per core; forked children do all chunks but the last,
which this process does meanwhile. Each child sends its result back pickled through a pipe and
exits. A child that fails or dies sends nothing, and its chunk is done here instead: the result
never depends on whether forking worked. Where fork is not the way processes start (Windows,
macOS) or where a thread runs (forking it could deadlock the child), all chunks are done here.
Measured by `make bench` (docs/design.md: "Speed").
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    """The cores this process may run on, or as many processes as JDGEN_PROCESSES says (1: no fork)."""
    wanted = os.environ.get("JDGEN_PROCESSES", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def chunks(items: Sequence[T], count: int) -> list[list[T]]:  # a range too
    """`items` in `count` contiguous chunks of nearly equal size (none empty)."""
    count = max(1, min(count, len(items)))
    size, rest = divmod(len(items), count)
    out, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < rest else 0)
        out.append(list(items[start:end]))
        start = end
    return out


@contextlib.contextmanager
def flat_memory() -> Iterator[Callable[[], None]]:
    """A long loop whose turns each leave only garbage behind (a build's directives: each written,
    then let go) kept at the memory of one turn: the function it gives frees that garbage and gives
    the memory back to the system. Python frees a rendered document's cyclic objects only in a
    full collection, and glibc keeps freed memory for the process: a build of a hundred
    directives grew by megabytes each. What exists when the loop starts (the project read) is set
    aside from the collections, which then see only the last few turns' objects and take
    milliseconds."""
    gc.collect()
    gc.freeze()
    turns = itertools.count(1)

    def let_go() -> None:
        if next(turns) % _TURNS_KEPT == 0:  # a few turns' garbage at a time: a collection costs ms
            collect_and_trim()

    try:
        yield let_go
    finally:
        gc.unfreeze()


_TURNS_KEPT = 4  # turns of a loop whose garbage is freed together


def collect_and_trim() -> None:
    """Free the garbage of a finished piece of work and give the memory back to the system (a
    long-running process's threads each keep glibc's freed memory otherwise: the preview grew by
    tens of megabytes with each document it made)."""
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim  # noqa: B018  # glibc's: musl has none
        return libc
    except (OSError, AttributeError):
        return None


_LIBC = _libc()


def can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


def in_forks(parts: list[list[T]], work: Callable[[list[T]], R]) -> list[R]:
    """`work(part)` for every part, in order: all but the last in forked children where possible."""
    if len(parts) < 2 or not can_fork():
        return [work(part) for part in parts]
    children = [_fork(work, part) for part in parts[:-1]]
    own = work(parts[-1])
    results = [*(_collect(child) for child in children), (own,)]
    return [work(part) if result is None else result[0] for part, result in zip(parts, results, strict=True)]


def alongside(side: Callable[[], T], main: Callable[[], R]) -> tuple[T, R]:
    """`side()` in a forked child while `main()` runs here, and both results; one after the other
    where forking is not possible (or the child fails). `side` sees the process as it was when
    forked: what it changes there it must return. An error of `main` is raised once the child
    has ended (its result is dropped)."""
    if not can_fork():
        return side(), main()
    child = _fork(lambda _part: side(), [])
    result: tuple[T] | None = None
    try:
        made = main()
    finally:
        result = _collect(child)
    return (side() if result is None else result[0]), made


def _fork(work: Callable[[list[T]], R], part: list[T]) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: work, send, exit without running anything of the parent's
        status = 1
        try:
            os.close(read_end)
            data = pickle.dumps(work(part), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _collect(child: tuple[int, int]) -> tuple[R] | None:
    """The child's result (in a 1-tuple), or None if it failed."""
    pid, read_end = child
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return None
    try:
        return (pickle.loads(data),)
    except Exception:  # a result that does not arrive whole: done here instead
        return None
