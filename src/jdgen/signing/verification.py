"""Whether a signed file holds what the current sources build: `jdgen verify`.

jdgen's outputs are reproducible (the same sources give the same bytes), so the check is real: the
directive is built again in memory, as the signed file was made (the PDF as PDF/A where the signed
one is), and each signed document is compared with it byte for byte. Where they differ, the words
that differ are shown, so HR sees what changed since signing.
"""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from pypdf.errors import PyPdfError

from ..authoring.textdiff import word_opcodes
from ..document.layout import text_of
from ..errors import JdgenError
from ..i18n import N_, _
from ..output import display_path
from ..pdf.package import container_name
from ..project.assembly import assemble, draft_of
from ..project.files import Project
from ..project.pipeline import BuildOptions, make_directives
from .signatures import SignedFile, read_signed

_CONTEXT = 6  # words shown around a change
_MAX_CHANGES = 5


@dataclass(frozen=True)
class DocumentCheck:
    """One signed document against what the sources build now."""

    name: str
    matches: bool
    changes: tuple[str, ...] = ()  # the differing words in context, "… [-old-] {+new+} …"
    note: str = ""  # what else is known about a difference


@dataclass(frozen=True)
class Verification:
    path: Path
    signed: SignedFile
    directive: str  # the project path of the directive it was compared with
    label: str  # "nr 177 of 13.12.2024"
    documents: tuple[DocumentCheck, ...]
    draft: bool = False  # what was signed is the directive's draft (no number and date)

    @property
    def verdict(self) -> str:
        """ "matches" (signed, intact, the same bytes), "a draft was signed" (the same bytes as the
        directive built without number and date), "differs", "broken" or "not signed"."""
        if not self.signed.signatures:
            return N_("not signed")
        if not all(s.intact for s in self.signed.signatures):
            return N_("broken")
        if self.draft:
            return N_("a draft was signed")
        return N_("matches") if all(d.matches for d in self.documents) else N_("differs")


def verify(
    project: Project, path: Path, directive: str | None = None, *, timeout: float = 300
) -> Verification:
    """Read the signatures of `path`, build its directive again and compare every signed document."""
    signed = read_signed(path)
    if not signed.documents:
        raise JdgenError.at(
            display_path(path),
            _("the container holds no document"),
            hint=_("give the .asice DigiDoc4 signed"),
        )
    name = directive or _which_directive(project, path, signed)
    pdfs = [data for doc, data in signed.documents.items() if doc.lower().endswith(".pdf")]
    options = BuildOptions(pdf=bool(pdfs), pdfa=any(_is_pdfa(data) for data in pdfs), timeout=timeout)
    made, _warnings = make_directives(project, [name], options)
    sources, built, _problems = made[0]
    checks = _checks(signed, built)
    if sources.directive.is_draft:  # the sources are a draft: what matches them is one
        matched = all(check.matches for check in checks)
        return Verification(path, signed, name, sources.directive.label, checks, draft=matched)
    if not all(check.matches for check in checks):  # signed before the register's number and date?
        drafts = {name: draft_of(sources.directive)}
        try:
            (_sources, as_draft, _summary), *_rest = make_directives(project, [name], options, drafts=drafts)[
                0
            ]
        except JdgenError:  # it builds with its number and date only: not a draft of it, then
            as_draft = {}
        against_draft = _checks(signed, as_draft)
        if as_draft and all(check.matches for check in against_draft):
            return Verification(path, signed, name, sources.directive.label, against_draft, draft=True)
    return Verification(path, signed, name, sources.directive.label, checks)


def _checks(signed: SignedFile, built: dict[str, bytes]) -> tuple[DocumentCheck, ...]:
    return tuple(
        DocumentCheck(doc, False, note=_("a signature of the container does not sign this file"))
        if doc in signed.unsigned
        else _compare(doc, data, built, prefix=signed.prefix.get(doc))
        for doc, data in signed.documents.items()
    )


def _which_directive(project: Project, path: Path, signed: SignedFile) -> str:
    """The directive a signed file was built from: the one whose output it or a document inside
    it is named after (build/NAME.asice, NAME.pdf), or whose container name its documents carry
    ("Käskkiri nr 177 – …"), or the only one."""
    names = project.directive_files()
    by_stem = {Path(name).stem: name for name in names}
    inner = [Path(document).stem for document in signed.documents]
    for stem in (path.stem, *inner):
        if stem in by_stem:
            return by_stem[stem]
    for name in names:
        sources = assemble(project, name)
        if sources is not None and container_name(sources) in inner:
            return name
    if len(names) == 1:
        return names[0]
    raise JdgenError.at(
        display_path(path),
        _("which directive is it? Its name is none of the directives'"),
        hint=_("name it after the file: jdgen verify FILE directives/NAME.yaml (jdgen list shows them)"),
    )


def _is_pdfa(data: bytes) -> bool:
    reader = _pdf(data)
    try:
        metadata = reader.xmp_metadata if reader is not None else None
        return metadata is not None and b"pdfaid" in metadata.stream.get_data()
    except _PDF_ERRORS:  # pypdf's limits (a stream that inflates to gigabytes) included
        return False


@functools.lru_cache(maxsize=8)
def _pdf(data: bytes):
    """pypdf's reader of `data`, or None for bytes that are no readable PDF (said as a difference);
    read once, though a signed PDF is asked about up to four times (PDF/A?, readable?, words, identifier)."""
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # a broken file is said once, as a difference
    try:
        reader = PdfReader(io.BytesIO(data))
        len(reader.pages)  # reads the cross-reference table and the page tree: a broken file fails here
        return reader
    except _PDF_ERRORS:
        return None


# What pypdf raises for a file it cannot read, or will not read further (its limits on inflating).
_PDF_ERRORS = (PyPdfError, ValueError, KeyError, OSError, TypeError, AttributeError, RecursionError)


def _compare(
    name: str, signed: bytes, built: dict[str, bytes], *, prefix: bytes | None = None
) -> DocumentCheck:
    """A signed document against the built file of its kind; a signed PDF's signed bytes start with it."""
    suffix = Path(name).suffix.lower()
    if suffix not in built:
        return DocumentCheck(name, False, note=_("not a file jdgen makes"))
    ours = built[suffix]
    if prefix is not None and prefix.startswith(ours):
        from .pdfupdates import changes_beyond_signatures

        beyond = changes_beyond_signatures(signed, len(ours))
        if not beyond:
            return DocumentCheck(name, True)
        return DocumentCheck(
            name,
            False,
            note=_("it holds the built PDF and more than signatures: {changes}").format(
                changes="; ".join(beyond)
            ),
        )
    if signed == ours:
        return DocumentCheck(name, True)
    if suffix == ".pdf" and _pdf(signed) is None:
        return DocumentCheck(name, False, note=_("not a readable PDF"))
    changes = _changes(_words(suffix, signed), _words(suffix, ours))
    note = ""
    if not changes and suffix == ".pdf":
        same_docx = _pdf_identifier(signed) == hashlib.sha256(built[".docx"]).digest()[:16]
        note = (
            _(
                "the same words laid out differently: made from the same DOCX, by another LibreOffice "
                "version or with other fonts, or rewritten by the signing program"
            )
            if same_docx
            else _(
                "the same words laid out differently: by another LibreOffice version or with other fonts, "
                "or rewritten by the signing program"
            )
        )
    elif not changes:
        note = _("the same words in a different file")
    return DocumentCheck(name, False, changes, note)


def _words(suffix: str, data: bytes) -> list[str]:
    if suffix == ".pdf":
        reader = _pdf(data)
        try:
            return " ".join(page.extract_text() for page in reader.pages).split() if reader else []
        except _PDF_ERRORS:  # said as a difference without words
            return []
    if suffix == ".docx":
        import docx
        from docx.oxml.ns import qn

        try:
            body = docx.Document(io.BytesIO(data)).element.body
        except Exception:  # python-docx raises several kinds for a file that is not a .docx
            return []
        return " ".join(text_of(p) for p in body.iter(qn("w:p"))).split()
    return []


def _changes(old: list[str], new: list[str]) -> tuple[str, ...]:
    """The first few places where the words differ, each with a few words around it."""
    found = []
    for op, i1, i2, j1, j2 in word_opcodes(old, new):
        if op == "equal":
            continue
        before = " ".join(old[max(0, i1 - _CONTEXT) : i1])
        after = " ".join(old[i2 : i2 + _CONTEXT])
        removed = f"[-{' '.join(old[i1:i2])}-] " if i2 > i1 else ""
        added = f"{{+{' '.join(new[j1:j2])}+}} " if j2 > j1 else ""
        found.append(f"… {before} {removed}{added}{after} …".replace("  ", " "))
        if len(found) == _MAX_CHANGES:
            break
    return tuple(found)


def _pdf_identifier(data: bytes) -> bytes | None:
    reader = _pdf(data)
    identifier = reader.trailer.get("/ID") if reader is not None else None
    if not identifier:
        return None
    first = identifier[0].get_object()
    return first.original_bytes if hasattr(first, "original_bytes") else bytes(first)
