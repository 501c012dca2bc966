"""Whether a file already carries a digital signature, so that a build never overwrites a signed original.

DigiDoc4 signs an `.asice` in place, and a PDF or DOCX can be signed where it lies, so the signed
original of a directive may well sit in the output folder. The checks read only what identifies a
signature: the signature files of an ASiC container, the `/ByteRange` that every PDF signature
dictionary carries (it stays outside object streams, since it names the bytes that are signed),
and Word's `_xmlsignatures` parts.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..errors import JdgenError
from ..i18n import _
from ..output import display_path

CONTAINER_SIGNATURE = re.compile(r"META-INF/.*signatures.*\.xml", re.IGNORECASE)
_PDF_SIGNATURE = re.compile(rb"/ByteRange\s*\[")


def signature_in(path: Path) -> str | None:
    """What kind of signed file `path` is ('a signed ASiC-E container', …), or None if it is not signed."""
    if not path.is_file():
        return None
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        with path.open("rb") as stream:
            return _("a signed PDF") if _PDF_SIGNATURE.search(stream.read()) else None
    if suffix in (".asice", ".sce", ".bdoc", ".asics", ".scs", ".docx"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError):
            return None
        if suffix == ".docx":
            return _("a signed DOCX") if any(n.startswith("_xmlsignatures/") for n in names) else None
        return (
            _("a signed ASiC-E container") if any(CONTAINER_SIGNATURE.fullmatch(n) for n in names) else None
        )
    return None


def refuse_signed(paths: list[Path]) -> None:
    """Raise if a file about to be written over holds a signature (`--force` skips this check)."""
    for path in paths:
        kind = signature_in(path)
        if kind is not None:
            raise JdgenError.at(
                display_path(path),
                _("this is {kind}: a build does not overwrite a signed original").format(kind=kind),
                hint=_(
                    "move it out of the output folder (into signed/, say), "
                    "or build with --force to replace it"
                ),
            )
