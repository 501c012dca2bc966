"""The preview's reading of the project, in a process of its own (`Checker`).

`jdgen serve` runs threads (the web server's, the file watcher's, LibreOffice's), and a process
with threads cannot fork: read in one of them, an agency's two thousand positions would be read on
one core. The checker is a fresh interpreter (`python -m jdgen.preview.checker`, not a fork) with no thread
but its own: it reads on every core, as `jdgen check` does, and keeps the positions that did not
change from one save to the next (`preview.survey`'s memo). It hands back a `preview.Survey`,
plain data, through a pipe; the documents stay in the server. Ctrl-C is the server's to handle:
the checker ignores it and is ended by `close`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from . import state as preview

_ENDING_SECONDS = 1.0  # for the checker to end on SIGTERM, before it is killed


class CheckFailed(Exception):
    """The reading failed in the checker (a bug of jdgen's), or the checker itself ended."""


class Checker:
    """One process that reads the project when asked (`survey`), one reading at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._requests: Connection | None = None
        self._answers: Connection | None = None
        self._closed = False

    def __enter__(self) -> Checker:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the process (it imports jdgen while the server starts)."""
        with self._lock:
            self._start()

    def survey(self, root: Path) -> preview.Survey:
        """The project read now, in the checker (started again if it had ended)."""
        return self._ask(root, None)

    def first_look(self, root: Path, files: list[str]) -> preview.Survey:
        """The problems of the files just saved (`preview.first_look`), in the checker."""
        return self._ask(root, files)

    def _ask(self, root: Path, files: list[str] | None) -> preview.Survey:
        with self._lock:
            if self._closed:
                raise CheckFailed("closed")
            if self._process is None or self._process.poll() is not None:
                self._start()
            assert self._requests is not None and self._answers is not None
            try:
                self._requests.send((str(root), files))
                kind, value = self._answers.recv()
            except (EOFError, OSError) as exc:  # it ended (killed, out of memory): a new one next time
                self._stop()
                raise CheckFailed(repr(exc)) from None
        if kind == "error":
            raise CheckFailed(value)
        return value

    def close(self) -> None:
        """End the checker; a reading under way is not waited for."""
        self._closed = True
        self._stop()

    def _start(self) -> None:
        self._stop()
        asked, ask = os.pipe()  # the server asks, the checker reads (each: read end, write end)
        answers, answer = os.pipe()  # the checker answers, the server reads
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "jdgen.preview.checker", str(asked), str(answer)],
                pass_fds=(asked, answer),
                stdin=subprocess.DEVNULL,
            )
        finally:
            os.close(asked)
            os.close(answer)
        self._requests = Connection(ask, readable=False)
        self._answers = Connection(answers, writable=False)

    def _stop(self) -> None:
        process, requests, answers = self._process, self._requests, self._answers
        self._process = self._requests = self._answers = None
        for connection in (requests, answers):
            if connection is not None:
                connection.close()
        if process is not None and process.poll() is None:  # it holds nothing to save: ended at once
            process.terminate()
            try:
                process.wait(_ENDING_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _read_when_asked(asked: Connection, answer: Connection) -> None:
    """The checker's life: read the project (or the files saved) each time it is asked, until the
    server goes."""
    while True:
        try:
            root, files = asked.recv()
        except (EOFError, OSError):
            return
        try:
            survey = preview.survey(Path(root)) if files is None else preview.first_look(Path(root), files)
            said: tuple[str, object] = ("survey", survey)
        except Exception as exc:  # a bug of jdgen's: said by the server, which goes on
            said = ("error", repr(exc))
        try:
            answer.send(said)
        except (EOFError, OSError):
            return


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C ends the server, which ends this
    _read_when_asked(
        Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False)
    )
