"""LibreOffice for the PDF: started early, converts DOCX files, and never outlives jdgen.

A headless LibreOffice starts with a throw-away profile while jdgen reads and renders the
directives, and listens until closed; `convert_to_pdf` then calls `soffice --convert-to` with the
same profile, which hands the conversion to the running instance (or converts on its own if that
instance is not ready yet).

Every office process runs in a process group of its own, so Ctrl-C in a terminal reaches jdgen
alone and jdgen ends them in order. Should jdgen itself be killed (SIGKILL, a crash), a small
guard process ends them instead: it holds the read end of a pipe that only jdgen writes to, and
when the pipe closes, however jdgen ended, it ends every process group jdgen told it about (and,
on Linux, any process still using the profile) and deletes the profile folder: `guard`, with the
ending of process groups that both share.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..errors import JdgenError
from ..i18n import N_, _
from .guard import GRACE, KILL, end_group, end_groups, group_alive, signal_group

SOFFICE_NAMES = ("soffice", "libreoffice")
INSTALL_HINT = N_(
    "install LibreOffice Writer: `make system-deps` "
    "(or: sudo apt-get install libreoffice-writer-nogui fonts-liberation)"
)
# A tagged PDF (its structure for screen readers and the archive), in the JSON filter options
# LibreOffice 7.4+ reads; PDF/A-2b is tagged too.
PDF_FILTER = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
PDFA_FILTER = (
    'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"},'
    '"UseTaggedPDF":{"type":"boolean","value":"true"}}'
)
_TICK = 0.5  # seconds between two calls of a running conversion's `tick`
# A process group of its own: a new session on POSIX, a new process group on Windows.
_OWN_GROUP: dict[str, Any] = (
    {"start_new_session": True}
    if os.name == "posix"
    else {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
)


def find_soffice(environ: Mapping[str, str] = os.environ) -> str:
    """LibreOffice's soffice: the program JDGEN_SOFFICE names, else the one on PATH, else the one in
    its standard place on Windows or macOS."""
    chosen = environ.get("JDGEN_SOFFICE")
    if chosen:
        if Path(chosen).is_file() and os.access(chosen, os.X_OK):
            return chosen
        raise JdgenError.at(
            "JDGEN_SOFFICE",
            _("{path} is not a program").format(path=chosen),
            hint=_("name soffice itself, or unset JDGEN_SOFFICE"),
        )
    for name in SOFFICE_NAMES:
        found = shutil.which(name, path=environ.get("PATH"))
        if found:
            return found
    for place in standard_places(environ):
        if place.is_file() and os.access(place, os.X_OK):
            return str(place)
    raise JdgenError.at(
        "soffice", _("LibreOffice is needed for PDF but is not installed"), hint=_(INSTALL_HINT)
    )


def standard_places(environ: Mapping[str, str]) -> list[Path]:
    """Where LibreOffice's installers put soffice: on Windows under Program Files (or the user's
    programs), on macOS in Applications."""
    windows = [
        Path(root) / "LibreOffice" / "program" / "soffice.exe"
        for key in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")
        if (root := environ.get(key))
    ]
    if environ.get("LOCALAPPDATA"):
        windows.append(Path(environ["LOCALAPPDATA"]) / "Programs" / "LibreOffice" / "program" / "soffice.exe")
    mac = [Path(root) / "LibreOffice.app" / "Contents" / "MacOS" / "soffice" for root in ("/Applications",)]
    return [*windows, *mac]


class Office:
    """A headless LibreOffice with a throw-away profile, and the guard that cleans up after it."""

    def __init__(self) -> None:
        self.soffice = find_soffice()
        self.work = Path(tempfile.mkdtemp(prefix="jdgen-soffice-"))
        self.profile = (self.work / "profile").as_uri()
        self._temporary = self.work / "tmp"
        self._temporary.mkdir()
        self._groups: list[subprocess.Popen] = []
        self._guard = subprocess.Popen(
            [sys.executable, "-m", "jdgen.pdf.guard", str(self.work)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **_OWN_GROUP,  # not ended with jdgen's terminal: it has to outlive jdgen
        )
        self._renewals = itertools.count()
        # Starting a process, renewing the listener and closing take turns: nothing starts once
        # closed (a conversion that asks after a Ctrl-C is told so at once, and waits for nothing).
        self._lock = threading.RLock()
        self._closed = False
        self._ready = threading.Event()  # cleared while a renewed listener starts (`renew`)
        self._ready.set()
        self._listener = self._listen()

    def _listen(self) -> subprocess.Popen:
        return self.start(
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"--accept=pipe,name=jdgen-{os.getpid()}-{next(self._renewals)};urp;",
            output=subprocess.DEVNULL,  # nobody reads it while it runs
        )

    def renew(self) -> None:
        """A running LibreOffice that has not converted yet, for the next conversion: one that has
        takes a conversion handed to it in about 3 s, a fresh one in half a second (measured on
        nr 177). The preview renews it after each document it makes, while the user reads.

        It waits for nothing: the old one is asked to end (SIGTERM to its group) and the new one
        starts in a thread of its own once the old one has ended (two at once would hold two
        LibreOffices' memory); `close` ends whatever is left, and after it nothing starts."""
        with self._lock:
            if self._closed or not self._ready.is_set():  # closed (Ctrl-C), or renewing already
                return
            old = self._listener
            self._ready.clear()  # a conversion waits for the new one: the old one takes none
            signal_group(old.pid, signal.SIGTERM)
        threading.Thread(target=self._listen_after, args=(old,), daemon=True).start()

    def _listen_after(self, old: subprocess.Popen) -> None:
        try:
            deadline = time.monotonic() + GRACE
            while time.monotonic() < deadline and (old.poll() is None or group_alive(old.pid)):
                time.sleep(0.05)
            if old.poll() is None or group_alive(old.pid):  # what did not end on SIGTERM
                signal_group(old.pid, KILL)
            with self._lock:
                if self._closed:
                    return
                self._listener = self._listen()
                self._groups = [p for p in self._groups if p.poll() is None or group_alive(p.pid)]
        finally:
            self._ready.set()

    def start(self, *arguments: str, output: int = subprocess.PIPE) -> subprocess.Popen:
        """Start soffice with this profile in a process group of its own, known to the guard;
        none once the office is closed (`OfficeClosed`)."""
        with self._lock:
            self.check_open()
            process = subprocess.Popen(
                [self.soffice, f"-env:UserInstallation={self.profile}", *arguments],
                env={**os.environ, "TMPDIR": str(self._temporary)},  # its own temporary files go with it
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=output,
                **_OWN_GROUP,
            )
            self._groups.append(process)
            with contextlib.suppress(OSError):  # a guard that is gone cannot help; close() still can
                assert self._guard.stdin is not None
                self._guard.stdin.write(f"{process.pid}\n".encode())
                self._guard.stdin.flush()
        return process

    def check_open(self) -> None:
        """`OfficeClosed` once the office is closed."""
        if self._closed:
            raise OfficeClosed.at("soffice", _("LibreOffice was closed: jdgen is ending"))

    def run(
        self, *arguments: str, timeout: float, tick: Callable[[], None] | None = None
    ) -> subprocess.CompletedProcess:
        """Run soffice to its end, within `timeout` seconds; its whole process group ends with it.
        `tick` is called about every half second while it runs (a progress line)."""
        self._ready.wait(GRACE + 1)  # not handed to a listener that is ending (`renew`)
        process = self.start(*arguments)
        deadline = time.monotonic() + timeout
        try:
            while True:
                left = deadline - time.monotonic()
                wait = max(0.0, min(left, _TICK)) if tick else timeout
                try:
                    stdout, stderr = process.communicate(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    if tick is None or left <= _TICK:
                        raise
                    tick()
        finally:
            end_group(process)
        return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)

    def close(self) -> None:
        """End every office process together (SIGTERM, SIGKILL for what is left after the grace
        period: the wait is one, however many there are) and delete the profile. A conversion
        still running in another thread ends with its process, and nothing starts after."""
        with self._lock:
            self._closed = True
            processes = list(self._groups)
        self._ready.set()  # a conversion waiting for a renewed listener is told it is closed
        end_groups(processes)
        if self._guard.stdin is not None:
            with contextlib.suppress(OSError):
                self._guard.stdin.close()  # the guard deletes the profile and ends
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._guard.wait(timeout=GRACE + 5)
        shutil.rmtree(self.work, ignore_errors=True)

    def __enter__(self) -> Office:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class OfficeClosed(JdgenError):
    """A conversion asked for after the office was closed (jdgen is ending: Ctrl-C)."""


def convert_to_pdf(
    documents: dict[str, bytes],
    *,
    pdfa: bool = False,
    timeout: float = 180,
    office: Office | None = None,
    tick: Callable[[], None] | None = None,
) -> dict[str, bytes]:
    """Convert DOCX files (name -> bytes) to PDF in one LibreOffice run with a throw-away profile
    (the profile of `office` when one was started); `tick` is called while it runs."""
    with contextlib.ExitStack() as stack:
        if office is None:
            office = stack.enter_context(Office())
        try:
            return _convert(office, documents, pdfa=pdfa, timeout=timeout, tick=tick)
        except OSError:
            office.check_open()  # closed meanwhile (Ctrl-C), its folder with it: said so
            raise


def _convert(
    office: Office,
    documents: dict[str, bytes],
    *,
    pdfa: bool,
    timeout: float,
    tick: Callable[[], None] | None,
) -> dict[str, bytes]:
    office.check_open()  # its folder is gone too
    with tempfile.TemporaryDirectory(dir=office.work, ignore_cleanup_errors=True) as work:
        folder = Path(work)
        (folder / "in").mkdir()
        sources = []
        for name, data in documents.items():
            path = folder / "in" / f"{name}.docx"
            path.write_bytes(data)
            sources.append(str(path))
        paths = dict(zip(documents, sources, strict=True))
        missing = list(documents)
        try:
            # Handed to the running instance while it was still starting, a conversion can come
            # back done with no file (seen on a loaded machine): once more, the instance ready by then.
            for _attempt in range(2):
                result = office.run(
                    "--headless",
                    "--norestore",
                    "--nolockcheck",
                    "--convert-to",
                    PDFA_FILTER if pdfa else PDF_FILTER,
                    "--outdir",
                    str(folder / "out"),
                    *(paths[name] for name in missing),
                    timeout=timeout,
                    tick=tick,
                )
                missing = [name for name in documents if not (folder / "out" / f"{name}.pdf").is_file()]
                if not missing:
                    break
        except subprocess.TimeoutExpired:
            raise JdgenError.at(
                "soffice",
                _("LibreOffice did not finish the PDF conversion in {seconds} s").format(
                    seconds=f"{timeout:g}"
                ),
                hint=_("close other LibreOffice windows, or try again; the DOCX files are not affected"),
            ) from None
        converted = {}
        for name in documents:
            pdf = folder / "out" / f"{name}.pdf"
            if not pdf.is_file():
                detail = (result.stderr or result.stdout).decode(errors="replace").strip().splitlines()
                raise JdgenError.at(
                    "soffice",
                    _("LibreOffice made no PDF of {name} (exit code {code})").format(
                        name=f"{name}.docx", code=result.returncode
                    ),
                    hint=detail[-1] if detail else _("run the conversion again with --debug"),
                )
            converted[name] = pdf.read_bytes()
        return converted
