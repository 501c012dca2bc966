"""The signatures on a signed file, read with the libraries that know them, offline.

An ASiC-E container (what DigiDoc4 signs: XAdES signatures over the files inside) is read with
libdigidocpp's Python binding, a PDF (PAdES: a CMS signature over the file's bytes) with pyHanko.
Both are imported only here, only by `jdgen verify`. Neither goes online: the certificate's trust
list, OCSP and time-stamp services are DigiDoc4's to ask. What can be checked offline is whether a
signature is intact (it covers the signed bytes as they are and its value checks out with the
signer's key); whether its certificate is trusted is said with the library's own reasons.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import hashlib
import io
import os
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from ..errors import JdgenError
from ..i18n import _
from ..output import display_path
from ..pdf.signed import CONTAINER_SIGNATURE
from ..zipsafe import check_archive

# What libdigidocpp calls a signature's profile -> its name in ETSI's terms.
XADES_PROFILES = {
    "BES": "XAdES B-B (BES)",
    "EPES": "XAdES B-B (EPES)",
    "time-stamp": "XAdES LT (time-stamp)",
    "time-mark": "XAdES LT-TM (time-mark)",
    "time-stamp-archive": "XAdES LTA (archive time-stamp)",
}
# libdigidocpp's words for a signature whose value or digests do not check out (not for trust).
_BROKEN = ("Failed to validate signature", "Failed to validate Reference", "do not match")


@dataclass(frozen=True)
class SignatureInfo:
    """One signature: who, when, in which profile, and what an offline check found."""

    signer: str
    time: str  # as "2026-11-26 01:09:56 UTC"
    time_source: str  # "the signer's clock" or "a time-stamp"
    profile: str
    intact: bool  # the signed bytes are unchanged and the signature value checks out
    trusted: bool  # the certificate chains to a trusted root (never, offline, for an ID card)
    reasons: tuple[str, ...] = ()  # what is broken, or what could not be confirmed offline
    notes: tuple[str, ...] = ()  # what else is worth knowing (a later signature)


@dataclass(frozen=True)
class SignedFile:
    """A signed (or unsigned) file: its kind, its signatures, and the documents they sign by name."""

    kind: str  # "ASiC-E container", "PDF"
    signatures: tuple[SignatureInfo, ...]
    documents: dict[str, bytes] = field(default_factory=dict)
    unsigned: frozenset[str] = frozenset()  # documents of a container that a signature does not sign
    # A signed PDF's signed bytes, which start with the document as it was built (a PAdES
    # signature is an incremental update appended to it).
    prefix: dict[str, bytes] = field(default_factory=dict)


def read_signed(path: Path) -> SignedFile:
    """The signatures and signed documents of an `.asice` (`.bdoc`, `.sce`) or a `.pdf`."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise JdgenError.at(display_path(path), _("no such file"), hint=_("give the path of the signed file"))
    if suffix in (".asice", ".sce", ".bdoc"):
        return _read_container(path)
    if suffix == ".pdf":
        return _read_pdf(path)
    raise JdgenError.at(
        display_path(path),
        _("jdgen verifies .asice containers and signed PDFs, not {kind}").format(
            kind=suffix or _("this file")
        ),
        hint=_("give the .asice that DigiDoc4 signed, or the signed .pdf"),
    )


# -- ASiC-E (XAdES), with libdigidocpp --------------------------------------------------------


def _read_container(path: Path) -> SignedFile:
    check_archive(path, display_path(path), hint=_("give the .asice file DigiDoc4 saved"))
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n != "mimetype" and not n.startswith("META-INF/")]
            documents = {name: archive.read(name) for name in names}
            references = _references(archive)
    except (zipfile.BadZipFile, OSError, etree.XMLSyntaxError) as exc:
        raise JdgenError.at(
            display_path(path),
            _("not a readable ASiC-E container ({problem})").format(problem=exc),
            hint=_("give the .asice file DigiDoc4 saved"),
        ) from None
    digidoc = digidoc_library()
    try:
        with _quiet_stderr():
            container = digidoc.Container.open(str(path))
            signatures = tuple(
                _xades(signature, references.get(signature.id(), []), documents)
                for signature in container.signatures()
            )
    except RuntimeError as exc:
        said = _reasons(exc)
        raise JdgenError.at(
            display_path(path),
            _("not a container DigiDoc4 can open (libdigidocpp: {problem})").format(
                problem=said[0] if said else exc
            ),
            hint=_("open it in DigiDoc4, which says what is wrong with it"),
        ) from None
    signed_by_all = set(documents)
    for listed in references.values():
        signed_by_all &= {name for name, _method, _value in listed}
    unsigned = frozenset(documents) - signed_by_all if references else frozenset()
    return SignedFile(_("ASiC-E container"), signatures, documents, unsigned)


def _xades(signature, references: list[tuple[str, str, str]], documents: dict[str, bytes]) -> SignatureInfo:
    said: tuple[str, ...] = ()
    try:
        with _quiet_stderr():
            signature.validate()
    except RuntimeError as exc:
        said = _reasons(exc)
    changed = [
        name for name, method, value in references if not _digest_ok(documents.get(name), method, value)
    ]
    reasons = tuple(
        _("{file} is not the file that was signed (its digest differs)").format(file=name) for name in changed
    )
    if said:
        reasons += (f"libdigidocpp: {'; '.join(said)}",)
    stamped = bool(signature.time_stamp_time())
    return SignatureInfo(
        signer=signature.signed_by(),
        time=_utc(signature.trusted_signing_time() if stamped else signature.claimed_signing_time()),
        time_source=_("a time-stamp") if stamped else _("the signer's clock"),
        profile=XADES_PROFILES.get(signature.profile(), f"XAdES ({signature.profile()})"),
        intact=bool(references)
        and not changed
        and not any(word in line for line in said for word in _BROKEN),
        trusted=not reasons,
        reasons=reasons,
    )


_DS = "{http://www.w3.org/2000/09/xmldsig#}"
_DIGESTS = {
    "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
    "http://www.w3.org/2001/04/xmldsig-more#sha224": "sha224",
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
}


def _references(archive: zipfile.ZipFile) -> dict[str, list[tuple[str, str, str]]]:
    """Each XAdES signature's references to the files it signs, by the signature's id: (file name,
    digest method, digest value). Checked here too, not only by libdigidocpp: a changed file is
    found by its digest, whatever words the library uses."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for name in archive.namelist():
        if not CONTAINER_SIGNATURE.fullmatch(name):
            continue
        root = etree.fromstring(archive.read(name), parser)
        for signature in root.iter(f"{_DS}Signature"):
            found[signature.get("Id", "")] = [
                (
                    unquote(reference.get("URI", "")),
                    _method(reference) or "",
                    (reference.findtext(f"{_DS}DigestValue") or "").strip(),
                )
                for reference in signature.iter(f"{_DS}Reference")
                if reference.get("URI", "#").split("#")[0]
                and reference.find(f"{_DS}DigestMethod") is not None
            ]
    return found


def _method(reference) -> str | None:
    method = reference.find(f"{_DS}DigestMethod")
    return method.get("Algorithm") if method is not None else None


def _digest_ok(data: bytes | None, method: str, value: str) -> bool:
    algorithm = _DIGESTS.get(method)
    if data is None or algorithm is None:
        return False
    return base64.b64encode(hashlib.new(algorithm, data).digest()).decode() == value


def _reasons(exc: RuntimeError) -> tuple[str, ...]:
    """libdigidocpp's message lines, its headline ("Signature validation") left out."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return tuple(lines[1:] if len(lines) > 1 else lines)


def _utc(moment: str) -> str:
    """libdigidocpp's "2026-11-26T01:09:56Z" as "2026-11-26 01:09:56 UTC"."""
    return moment.replace("T", " ").replace("Z", " UTC") if moment else _("no time given")


_READY = False


def digidoc_library():
    """libdigidocpp, set up once per process to work offline: its schemas and log in a folder of
    its own, and a trust list address that is never fetched (DigiDoc4 fetches the real one)."""
    global _READY
    import pydigidoc

    if not _READY:
        cache = Path(tempfile.mkdtemp(prefix="jdgen-digidoc-"))
        atexit.register(shutil.rmtree, cache, True)
        schemas = Path(getattr(pydigidoc, "_SCHEMA_DIR", Path(pydigidoc.__file__).parent / "schema"))
        for schema in schemas.glob("*.xsd"):
            shutil.copy(schema, cache)
        # Only what DigiDocConf keeps in memory is set: libdigidocpp's own setters (the trust
        # list's time-out, say) write into the user's settings (~/.digidocpp), which DigiDoc4 reads.
        conf = pydigidoc.DigiDocConf(str(cache))
        conf.set_tslurl((cache / "no-trust-list.xml").as_uri())  # a file that is not there: offline
        conf.thisown = False  # libdigidocpp keeps it for the life of the process
        pydigidoc.Conf.init(conf)
        with _quiet_stderr():
            pydigidoc.initialize_lib("jdgen", str(cache))
        os.environ["TMPDIR"] = str(cache)  # what it unpacks to disk (read at each open): gone with it
        _READY = True
    return pydigidoc


@contextlib.contextmanager
def _quiet_stderr():
    """libxml2 inside libdigidocpp prints its warnings straight to file descriptor 2: hide them."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


# -- PDF (PAdES), with pyHanko -----------------------------------------------------------------


def _read_pdf(path: Path) -> SignedFile:
    import logging

    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)  # its reasons are reported, not logged
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
    data = path.read_bytes()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = sorted(reader.embedded_regular_signatures, key=lambda s: s.byte_range[1])
    except (PdfReadError, ValueError, KeyError) as exc:
        raise JdgenError.at(
            display_path(path),
            _("not a readable PDF ({problem})").format(problem=exc),
            hint=_("give the signed PDF"),
        ) from None
    signatures = tuple(_pades(signature, reader) for signature in embedded)
    if not embedded:
        return SignedFile("PDF", signatures, {path.name: data})
    # What the first signature signed: the bytes before its value, the built PDF and the start of
    # the update that carries the signature. The built PDF is a prefix of them.
    return SignedFile(
        "PDF", signatures, {path.name: data}, prefix={path.name: data[: embedded[0].byte_range[1]]}
    )


def _pades(signature, reader) -> SignatureInfo:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[], allow_fetching=False))
    stamp = status.timestamp_validity
    moment = stamp.timestamp if stamp is not None else status.signer_reported_dt
    broken = []
    if not status.intact:
        broken.append(_("the signed bytes have changed"))
    elif not status.valid:
        broken.append(_("the signature value does not check out"))
    later = status.coverage is not None and status.coverage.name != "ENTIRE_FILE"
    allowed = (
        status.docmdp_ok is not False
        and status.modification_level is not None
        and (status.modification_level.name in ("NONE", "LTA_UPDATES", "FORM_FILLING"))
    )
    if later and not allowed:
        broken.append(_("the file was changed after this signature, not by a later signature or time-stamp"))
    notes = [_("a later signature or time-stamp was added")] if later and allowed else []
    untrusted = [] if status.trusted else [_("the certificate does not chain to a trusted root here")]
    return SignatureInfo(
        signer=_common_name(status.signing_cert.subject),
        time=moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else _("no time given"),
        time_source=_("a time-stamp") if stamp is not None else _("the signer's clock"),
        profile=_pades_profile(signature, reader, stamp is not None),
        intact=not broken,
        trusted=bool(status.trusted),
        reasons=tuple(broken + untrusted),
        notes=tuple(notes),
    )


def _common_name(subject) -> str:
    """The certificate's common name, as DigiDoc4 shows the signer ("TAMM,MARI,38001010000")."""
    return subject.native.get("common_name") or subject.human_friendly


def _pades_profile(signature, reader, stamped: bool) -> str:
    sub_filter = str(signature.sig_object.get("/SubFilter", ""))
    if sub_filter != "/ETSI.CAdES.detached":
        return _("PDF signature ({kind})").format(kind=sub_filter.lstrip("/") or _("no sub-filter"))
    if list(reader.embedded_timestamp_signatures):
        return "PAdES B-LTA"
    if "/DSS" in reader.root:
        return "PAdES B-LT"
    return "PAdES B-T" if stamped else "PAdES B-B"
