"""One line on stderr that says what a long step is doing: HR sees jdgen working, not hanging.

Only where stderr is a terminal: in a log, a pipe, or `make`'s output under CI nothing is written.
The line is redrawn in place (carriage return, erased to its end) and erased when the step is over,
so the problems and the summary printed after it stand alone. Steps: reading many positions,
rendering each of many directives, starting LibreOffice and converting to PDF (with the seconds
waited, redrawn while LibreOffice works).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

_ERASE = "\r\x1b[K"  # to the line's start, erase to its end (every terminal HR uses knows it)


def _live() -> bool:
    stream = sys.stderr
    return stream is not None and stream.isatty() and os.environ.get("TERM") != "dumb"


def show(text: str) -> None:
    """Say what is being done now, in place of what was said before."""
    if _live():
        sys.stderr.write(f"{_ERASE}jdgen: {text}")
        sys.stderr.flush()


def clear() -> None:
    """Erase the line, before anything else is printed."""
    if _live():
        sys.stderr.write(_ERASE)
        sys.stderr.flush()


@contextmanager
def step(text: str) -> Iterator[Ticker]:
    """Show `text` while the step runs; `tick()` redraws it with the seconds waited so far."""
    ticker = Ticker(text)
    show(f"{text} …")
    try:
        yield ticker
    finally:
        clear()


class Ticker:
    """Redraws a step's line with the seconds since it started (at most once a second)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.started = time.monotonic()
        self._shown = 0

    def tick(self) -> None:
        seconds = int(time.monotonic() - self.started)
        if seconds > self._shown:
            self._shown = seconds
            show(f"{self.text} … {seconds} s")
