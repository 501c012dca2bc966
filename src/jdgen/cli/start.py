"""The `jdgen` process's first step: a kill (SIGTERM) ends it like Ctrl-C from its very start.

The command line (`cli`) takes a moment to import; a SIGTERM in that moment, or while the process
exits, would otherwise end it with -15 and no clean-up. Here the handler is set before anything
else is imported, and any interruption outside `cli.main` ends the process with 130 at once.
"""

from __future__ import annotations

import os
import signal
from typing import NoReturn

INTERRUPTED = 130  # errors.ExitCode.INTERRUPTED, without importing it yet


def _interrupted(number: int, frame: object) -> None:
    raise KeyboardInterrupt


def run() -> NoReturn:
    """The `jdgen` command (the console script and `python -m jdgen`)."""
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        from .main import run as command

        command()
    except KeyboardInterrupt:
        os._exit(INTERRUPTED)
    raise AssertionError("cli.run returns only by exiting")
