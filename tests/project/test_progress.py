"""The progress line: on a terminal, jdgen says what a long step is doing (LibreOffice's conversion,
with the seconds waited); in a pipe or a log it says nothing, and on a terminal it erases itself."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys

from conftest import DIRECTIVE_177, SKA


def _jdgen_on(stderr_terminal: bool, out) -> tuple[int, str]:
    """`jdgen build --pdf` of nr 177 with its stderr on a pseudo-terminal or a pipe; what it wrote there."""
    command = [sys.executable, "-m", "jdgen", "build", "--pdf", SKA / DIRECTIVE_177, "-o", out]
    env = {**os.environ, "TERM": "xterm"}
    if not stderr_terminal:
        done = subprocess.run(
            command, cwd=SKA, capture_output=True, text=True, env=env, timeout=300, check=False
        )
        return done.returncode, done.stderr
    main, side = pty.openpty()
    process = subprocess.Popen(command, cwd=SKA, stdout=subprocess.DEVNULL, stderr=side, env=env)
    os.close(side)
    written = b""
    while True:
        ready, _, _ = select.select([main], [], [], 300)
        if not ready:
            break
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the child closed its side
            break
        if not chunk:
            break
        written += chunk
    os.close(main)
    return process.wait(timeout=60), written.decode("utf-8", errors="replace")


def it_says_what_libreoffice_is_doing_on_a_terminal_and_erases_it(tmp_path):
    code, written = _jdgen_on(True, tmp_path)
    assert code == 0, written
    assert "\rjdgen: LibreOffice: 1 document to PDF …" in written.replace("\x1b[K", "")
    assert " … 1 s" in written  # redrawn with the seconds waited
    # Erased before the warnings that follow: what stands on their line is the warning alone.
    first = next(line for line in written.splitlines() if "warning:" in line)
    assert first.rsplit("\r", 1)[-1].replace("\x1b[K", "").startswith("positions/"), first


def it_says_nothing_of_progress_in_a_pipe(tmp_path):
    code, written = _jdgen_on(False, tmp_path)
    assert code == 0, written
    assert "\r" not in written and "\x1b[" not in written
    assert "LibreOffice: 1 document" not in written
