"""Writing outputs: every file of a build appears whole and all of them together, or none of them.

Each file is first written next to its target under a name no other process uses, and renamed
into place only when every file of the build was written: a failure half-way (a full disk, a
read-only folder, Ctrl-C) leaves the old files as they were, and two builds into one folder never
move each other's half-written files. A problem with the output folder is the user's to fix, so it
is reported as a `JdgenError` naming the path and what to do.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import io
import os
import secrets
import signal
import threading
import zipfile
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO

from .errors import JdgenError
from .i18n import _

# Every zip entry gets this time stamp, so the same sources give the same bytes (zip's epoch).
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
EMPTY_BODY_SAVED = b"<w:body/>"  # how python-docx writes an empty body inside word/document.xml


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the current folder where it is inside it."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


class Outputs:
    """Files staged beside their targets, moved into place together by `commit`.

    Used as a context manager, whatever was staged and not committed is removed on leaving.
    """

    def __init__(self) -> None:
        self._staged: list[tuple[Path, Path]] = []

    def stage(self, path: Path, data: bytes) -> None:
        """Write `data` to a temporary file in `path`'s folder (created if missing)."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
            # O_EXCL: the name is this process's own; mode 0o666 lets the umask decide, as for any file.
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except OSError as exc:
            raise output_error(path, exc) from None
        self._staged.append((temporary, path))
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
        except OSError as exc:
            raise output_error(path, exc) from None

    def commit(self) -> None:
        """Rename every staged file into place (a rename within a folder does not tear a file); a
        Ctrl-C or kill meanwhile waits until all are, so a directive's files stay one build's."""
        try:
            with signals_held() as came:
                while self._staged:
                    temporary, path = self._staged[0]
                    temporary.replace(path)
                    self._staged.pop(0)
        except OSError as exc:
            raise output_error(path, exc) from None
        finally:
            for number in came[:1]:  # now, to the handler it was meant for
                signal.raise_signal(number)

    def hand_over(self) -> list[tuple[Path, Path]]:
        """The staged files (temporary, target), no longer this object's to commit or discard: a
        forked process hands them to its parent, which `adopt`s them."""
        staged, self._staged = self._staged, []
        return staged

    def adopt(self, staged: list[tuple[Path, Path]]) -> None:
        self._staged.extend(staged)

    def discard(self) -> None:
        for temporary, _target in self._staged:
            temporary.unlink(missing_ok=True)
        self._staged.clear()

    def __enter__(self) -> Outputs:
        return self

    def __exit__(self, *_: object) -> None:
        self.discard()


_STOPS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def signals_held() -> Iterator[list[int]]:
    """Ctrl-C and kills (SIGINT, SIGTERM, SIGHUP) wait while the block runs; the list it gives
    fills with those that came. Only the main thread sets handlers: elsewhere nothing is held."""
    came: list[int] = []
    held = {}
    if threading.current_thread() is threading.main_thread():
        held = {stop: signal.signal(stop, lambda number, _frame: came.append(number)) for stop in _STOPS}
    try:
        yield came
    finally:
        for stop, handler in held.items():
            signal.signal(stop, handler)


def write_atomic(path: Path, data: bytes) -> None:
    """Write one file so that a reader never sees half of it."""
    with Outputs() as outputs:
        outputs.stage(path, data)
        outputs.commit()


def make_rule(targets: list[str], sources: list[str], *, note: str = "") -> bytes:
    """A make rule: the targets depend on their sources; each source gets an empty rule so that
    deleting an include does not stop make (like `cc -MP`). Spaces in names are escaped; `note`
    is a comment after the rule."""
    escaped = [name.replace(" ", "\\ ") for name in sources]
    head = " ".join(name.replace(" ", "\\ ") for name in targets)
    lines = [f"{head}: " + " ".join(escaped), *(f"{name}:" for name in escaped)]
    return ("\n".join([*lines, *([f"# {note}"] if note else [])]) + "\n").encode()


@functools.cache
def code_mark() -> str:
    """What jdgen's own code is, as a build's depfile notes it: a digest of the package's files
    (modules, messages, pages). A directive built by other code is out of date (`build --outdated`),
    whatever the files' times say."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return f"built by jdgen {digest.hexdigest()[:16]}"


def output_error(path: Path, exc: OSError) -> JdgenError:
    """What went wrong writing `path`, and what the user can do about it, in one line."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        message, hint = _("the disk is full"), _("free some space (or choose another folder) and try again")
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        message, hint = _("the folder is read-only"), _("make it writable, or choose another folder")
    elif exc.errno in (errno.ENOTDIR, errno.EEXIST, errno.EISDIR):
        message, hint = _("a file stands where a folder is needed"), _("choose another folder")
    else:
        message, hint = exc.strerror or str(exc), _("check the folder, or choose another one")
    return JdgenError.at(
        display_path(path), _("cannot write it: {problem}").format(problem=message), hint=hint
    )


def zip_entry(name: str, *, compressed: bool = True) -> zipfile.ZipInfo:
    """A zip entry with nothing of the machine in it: fixed time stamp, system and attributes."""
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
    info.create_system = 0
    info.external_attr = 0
    return info


def reproducible_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed time stamps and attributes, keeping the entry order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return reproducible_package((entry.filename, source.read(entry.filename)) for entry in source.infolist())


def reproducible_package(
    entries: Iterable[tuple[str, bytes]], *, document_body: Iterable[bytes] | None = None
) -> bytes:
    """A zip of the entries (name, bytes) in their order, with fixed time stamps and attributes.

    `document_body`, when given, is written into word/document.xml in place of its empty body,
    chunk by chunk as it comes: a thread compresses one chunk while the next is made (zlib lets
    go of the interpreter while it works), and the whole body is never held at once.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in entries:
            info = zip_entry(name)
            if document_body is None or name != "word/document.xml":
                target.writestr(info, content)
                continue
            head, empty, tail = content.partition(EMPTY_BODY_SAVED)
            if not empty:
                raise AssertionError("word/document.xml lost its body")
            with target.open(info, "w") as stream:
                stream.write(head)
                _write_alongside(stream, document_body)
                stream.write(tail)
    return out.getvalue()


def _write_alongside(stream: IO[bytes], chunks: Iterable[bytes]) -> None:
    """Write each chunk in a second thread while the next one is made in this one."""
    with ThreadPoolExecutor(max_workers=1) as writer:
        writing: Future[int] | None = None
        try:
            for chunk in chunks:
                if writing is not None:
                    writing.result()
                writing = writer.submit(stream.write, chunk)
        finally:
            if writing is not None:
                writing.result()
