"""Reading a zip from someone else (a template, a DOCX to import, a container to verify) safely.

A DOCX and an ASiC-E container are zips, and a zip of a few megabytes can inflate to gigabytes
(a "zip bomb"). Before any library opens one, `check_archive` reads its directory and refuses it
where it holds too many entries, would inflate past `MAX_INFLATED` in all, or packs an entry
suspiciously tightly. The sizes it checks are the ones written in the zip; Python's `zipfile`
never inflates an entry past its written size (and fails on its checksum where the entry holds
more), so what passes here is what a reader can be made to hold.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .errors import JdgenError
from .i18n import _

MAX_ENTRIES = 10_000
MAX_INFLATED = 256 * 1024 * 1024  # bytes, all entries together
MAX_RATIO = 500  # inflated / compressed, for an entry of more than `_SMALL` bytes
_SMALL = 1024 * 1024


def check_archive(path: Path, name: str, *, hint: str) -> None:
    """Raise a `JdgenError` at `name` if the zip at `path` is too large inflated; a file that is no
    zip is left to the reader that knows what it should be."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    if len(entries) > MAX_ENTRIES:
        raise JdgenError.at(
            name,
            _("the file holds {count:,} parts, more than a document has ({limit:,} at most)").format(
                count=len(entries), limit=MAX_ENTRIES
            ),
            hint=hint,
        )
    inflated = sum(entry.file_size for entry in entries)
    if inflated > MAX_INFLATED:
        raise JdgenError.at(
            name,
            _("the file unpacks to {size:,} MB, more than a document has ({limit:,} MB at most)").format(
                size=inflated // 1024 // 1024, limit=MAX_INFLATED // 1024 // 1024
            ),
            hint=hint,
        )
    for entry in entries:
        if entry.file_size > _SMALL and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise JdgenError.at(
                name,
                _("its part {part} unpacks {ratio:,} times larger than it is packed: a zip bomb?").format(
                    part=entry.filename, ratio=entry.file_size // max(entry.compress_size, 1)
                ),
                hint=hint,
            )
