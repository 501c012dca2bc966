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
import contextlib
import io
import os
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import JdgenError
from .output import display_path

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
    reasons: tuple[str, ...] = ()  # the library's words for what it could not confirm


@dataclass(frozen=True)
class SignedFile:
    """A signed (or unsigned) file: its kind, its signatures, and the documents they sign by name."""

    kind: str  # "ASiC-E container", "PDF"
    signatures: tuple[SignatureInfo, ...]
    documents: dict[str, bytes] = field(default_factory=dict)


def read_signed(path: Path) -> SignedFile:
    """The signatures and signed documents of an `.asice` (`.bdoc`, `.sce`) or a `.pdf`."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise JdgenError.at(display_path(path), "no such file", hint="give the path of the signed file")
    if suffix in (".asice", ".sce", ".bdoc"):
        return _read_container(path)
    if suffix == ".pdf":
        return _read_pdf(path)
    raise JdgenError.at(
        display_path(path),
        f"jdgen verifies .asice containers and signed PDFs, not {suffix or 'this file'}",
        hint="give the .asice that DigiDoc4 signed, or the signed .pdf",
    )


# -- ASiC-E (XAdES), with libdigidocpp --------------------------------------------------------


def _read_container(path: Path) -> SignedFile:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n != "mimetype" and not n.startswith("META-INF/")]
            documents = {name: archive.read(name) for name in names}
    except (zipfile.BadZipFile, OSError) as exc:
        raise JdgenError.at(
            display_path(path),
            f"not a readable ASiC-E container ({exc})",
            hint="give the file DigiDoc4 saved",
        ) from None
    digidoc = digidoc_library()
    try:
        with _quiet_stderr():
            container = digidoc.Container.open(str(path))
            signatures = tuple(_xades(signature) for signature in container.signatures())
    except RuntimeError as exc:
        raise JdgenError.at(
            display_path(path),
            f"libdigidocpp cannot open it: {_reasons(exc)[0] if _reasons(exc) else exc}",
            hint="open it in DigiDoc4, which says what is wrong with it",
        ) from None
    return SignedFile("ASiC-E container", signatures, documents)


def _xades(signature) -> SignatureInfo:
    reasons: tuple[str, ...] = ()
    try:
        with _quiet_stderr():
            signature.validate()
    except RuntimeError as exc:
        reasons = _reasons(exc)
    trusted_time = signature.trusted_signing_time()
    stamped = bool(signature.time_stamp_time())
    return SignatureInfo(
        signer=signature.signed_by(),
        time=_utc(trusted_time if stamped else signature.claimed_signing_time()),
        time_source="a time-stamp" if stamped else "the signer's clock",
        profile=XADES_PROFILES.get(signature.profile(), f"XAdES ({signature.profile()})"),
        intact=not any(word in reason for reason in reasons for word in _BROKEN),
        trusted=not reasons,
        reasons=reasons,
    )


def _reasons(exc: RuntimeError) -> tuple[str, ...]:
    """libdigidocpp's message lines, its headline ("Signature validation") left out."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return tuple(lines[1:] if len(lines) > 1 else lines)


def _utc(moment: str) -> str:
    """libdigidocpp's "2026-11-26T01:09:56Z" as "2026-11-26 01:09:56 UTC"."""
    return moment.replace("T", " ").replace("Z", " UTC") if moment else "no time given"


_CACHE: Path | None = None


def digidoc_library():
    """libdigidocpp, set up once per process to work offline: its schemas and log in a folder of
    its own, and a trust list address that is never fetched (DigiDoc4 fetches the real one)."""
    global _CACHE
    import pydigidoc

    if _CACHE is None:
        _CACHE = Path(tempfile.mkdtemp(prefix="jdgen-digidoc-"))
        atexit.register(shutil.rmtree, _CACHE, True)
        for schema in Path(pydigidoc._SCHEMA_DIR).glob("*.xsd"):
            shutil.copy(schema, _CACHE)
        conf = pydigidoc.DigiDocConf(str(_CACHE))
        conf.set_tslurl((_CACHE / "no-trust-list.xml").as_uri())
        conf.set_tsltime_out(1)
        conf.thisown = False  # libdigidocpp keeps it for the life of the process
        pydigidoc.Conf.init(conf)
        with _quiet_stderr():
            pydigidoc.initialize_lib("jdgen", str(_CACHE))
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
        embedded = list(reader.embedded_regular_signatures)
    except (PdfReadError, ValueError) as exc:
        raise JdgenError.at(
            display_path(path), f"not a readable PDF ({exc})", hint="give the signed PDF"
        ) from None
    signatures = tuple(_pades(signature, reader) for signature in embedded)
    documents = {path.name: _signed_original(data, embedded[0]) if embedded else data}
    return SignedFile("PDF", signatures, documents)


def _pades(signature, reader) -> SignatureInfo:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[], allow_fetching=False))
    stamp = status.timestamp_validity
    stamped = stamp is not None
    moment = stamp.timestamp if stamp is not None else status.signer_reported_dt
    reasons = [] if status.trusted else ["the certificate does not chain to a trusted root here"]
    if not status.intact:
        reasons.insert(0, "the signed bytes have changed")
    elif not status.valid:
        reasons.insert(0, "the signature value does not check out")
    if status.coverage is not None and status.coverage.name != "ENTIRE_FILE":
        reasons.append("the file was changed after this signature")
    return SignatureInfo(
        signer=_common_name(status.signing_cert.subject),
        time=moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "no time given",
        time_source="a time-stamp" if stamped else "the signer's clock",
        profile=_pades_profile(signature, reader, stamped),
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        reasons=tuple(reasons),
    )


def _common_name(subject) -> str:
    """The certificate's common name, as DigiDoc4 shows the signer ("TAMM,MARI,38001010000")."""
    return subject.native.get("common_name") or subject.human_friendly


def _pades_profile(signature, reader, stamped: bool) -> str:
    sub_filter = str(signature.sig_object.get("/SubFilter", ""))
    if sub_filter != "/ETSI.CAdES.detached":
        return f"PDF signature ({sub_filter.lstrip('/') or 'no sub-filter'})"
    if list(reader.embedded_timestamp_signatures):
        return "PAdES B-LTA"
    if "/DSS" in reader.root:
        return "PAdES B-LT"
    return "PAdES B-T" if stamped else "PAdES B-B"


def _signed_original(data: bytes, signature) -> bytes:
    """The PDF as it was before it was signed: the revision the first signature was appended to
    (a signature is an incremental update after the original's last `%%EOF`)."""
    start = signature.byte_range[1]  # where the signature's /Contents begin, inside the update
    end = data.rfind(b"%%EOF", 0, start)
    if end < 0:
        return data
    end += len(b"%%EOF")
    while end < len(data) and data[end : end + 1] in (b"\r", b"\n"):
        end += 1
    return data[:end]
