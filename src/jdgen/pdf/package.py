"""Ready for signature: the PDF's bookmarks and metadata, and the ASiC-E container.

LibreOffice (`office`) does the layout; pypdf then names the bookmarks (one for the directive, one per annex
at the page where it starts), sets the metadata, and replaces everything that would differ from
run to run (dates, file identifier) with values derived from the sources.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

from ..errors import JdgenError
from ..format.assembled import DirectiveSources
from ..i18n import _
from ..output import zip_entry

ASICE_MIMETYPE = "application/vnd.etsi.asic-e+zip"
MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_XMP = "http://ns.adobe.com/xap/1.0/"
_DC = "http://purl.org/dc/elements/1.1/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_PDF = "http://ns.adobe.com/pdf/1.3/"
_DRAFT_DATE = dt.date(2000, 1, 1)  # stands for "no date yet" wherever a file format needs one


@dataclass(frozen=True)
class AnnexPage:
    number: int
    title: str
    page: int  # 1-based, as a person counts pages


@dataclass(frozen=True)
class PdfSummary:
    """What a person checks before handing the PDF over: pages and where each annex starts."""

    pages: int
    annexes: tuple[AnnexPage, ...]

    def lines(self) -> list[str]:
        line = _("Lisa {number}: page {page}, {title}")
        return ["  " + line.format(number=a.number, page=a.page, title=a.title) for a in self.annexes]


def finish_pdf(data: bytes, sources: DirectiveSources, *, seed: bytes) -> tuple[bytes, PdfSummary]:
    """Bookmarks, metadata and reproducible identifiers for a PDF LibreOffice made of a directive.

    `seed` (the DOCX bytes) determines the file identifier, so the same sources give the same PDF.
    """
    reader = PdfReader(io.BytesIO(data))
    starts = _annex_start_pages(reader, len(sources.annexes))
    if len(starts) != len(sources.annexes):
        raise JdgenError.at(
            sources.organisation.template,
            _("the PDF shows {found} annex headers, the directive has {count} annexes").format(
                found=len(starts), count=len(sources.annexes)
            ),
            hint=_("give each annex one paragraph at outline level 1 in the template (its number, 'Lisa 1')"),
        )
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header  # the version LibreOffice wrote (pypdf would say 1.3)
    if "/Outlines" in writer.root_object:
        del writer.root_object["/Outlines"]
    organisation, directive = sources.organisation, sources.directive
    name = sources.named(organisation.pdf_bookmark_directive)  # "Käskkiri nr 177 – …": its title too
    writer.add_outline_item(title=name, page_number=0)
    annexes = []
    for number, (annex, page) in enumerate(zip(sources.annexes, starts, strict=True), 1):
        title = annex.position.title
        bookmark = sources.named(organisation.pdf_bookmark_annex, number=number, title=title)
        writer.add_outline_item(title=bookmark, page_number=page)
        annexes.append(AnnexPage(number, title, page + 1))
    writer.page_mode = "/UseOutlines"

    moment = (directive.date or _DRAFT_DATE).strftime("%Y%m%d")
    keywords = sources.keywords  # as written, one term ("nr 177"; LibreOffice's were "nr, 177")
    writer.add_metadata(
        {
            "/Title": name,
            "/Author": organisation.name,
            "/Subject": sources.unit.name,
            **({"/Keywords": keywords} if keywords else {}),
            "/CreationDate": f"D:{moment}000000Z",
        }
    )
    if writer.metadata is not None and "/ModDate" in writer.metadata:
        writer.add_metadata({"/ModDate": f"D:{moment}000000Z"})
    writer.root_object[NameObject("/Lang")] = TextStringObject(organisation.language)
    _fix_icc_dates(writer, directive.date or _DRAFT_DATE)
    if writer.xmp_metadata is not None:
        writer.xmp_metadata = _xmp(
            writer.xmp_metadata.stream.get_data(),
            moment=f"{moment[:4]}-{moment[4:6]}-{moment[6:]}T00:00:00Z",
            title=name,
            keywords=keywords,
            language=organisation.language,
        )
    identifier = ByteStringObject(hashlib.sha256(seed).digest()[:16])
    writer._ID = ArrayObject([identifier, identifier])  # pypdf has no public setter for the trailer /ID
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), PdfSummary(len(reader.pages), tuple(annexes))


def _fix_icc_dates(writer: PdfWriter, day: dt.date) -> None:
    """PDF/A embeds an ICC colour profile whose header LibreOffice stamps with 'now': use `day`."""
    for intent in writer.root_object.get("/OutputIntents", []):
        stream = intent.get_object().get("/DestOutputProfile")
        if stream is None:
            continue
        stream = stream.get_object()
        profile = bytearray(stream.get_data())
        if len(profile) < 128 or profile[36:40] != b"acsp":
            continue
        profile[24:36] = struct.pack(">6H", day.year, day.month, day.day, 0, 0, 0)
        if any(profile[84:100]):  # a profile ID is the MD5 of the profile with three fields zeroed
            unsigned = bytearray(profile)
            unsigned[44:48] = unsigned[64:68] = bytes(4)
            unsigned[84:100] = bytes(16)
            profile[84:100] = hashlib.md5(unsigned, usedforsecurity=False).digest()
        stream.set_data(bytes(profile))


def _annex_start_pages(reader: PdfReader, annexes: int) -> list[int]:
    """0-based pages of LibreOffice's level-1 bookmarks, the template's paragraphs at outline level
    1: each annex's header, after those of the directive's own first page (its title, a heading)."""
    pages = []
    for item in reader.outline:
        if isinstance(item, list):
            continue
        page = reader.get_destination_page_number(item)
        if page is not None:
            pages.append(page)
    while len(pages) > annexes and pages[0] == 0:
        pages.pop(0)
    return pages


def _xmp(xmp: bytes, *, moment: str, title: str, keywords: str, language: str) -> bytes:
    """The XMP packet as the document info says (PDF/A wants the two to agree): LibreOffice's
    'now' replaced by the directive's date, the title and keywords as written there, and the
    document's language (dc:language, which LibreOffice leaves out)."""
    root = etree.fromstring(
        xmp, etree.XMLParser(remove_blank_text=False, resolve_entities=False, no_network=True)
    )
    for tag in ("CreateDate", "ModifyDate", "MetadataDate"):
        for element in root.iter(f"{{{_XMP}}}{tag}"):
            element.text = moment
    for element in root.iter(f"{{{_DC}}}title"):
        for item in element.iter(f"{{{_RDF}}}li"):
            item.text = title
    for element in root.iter(f"{{{_PDF}}}Keywords"):
        element.text = keywords
    described = next(root.iter(f"{{{_DC}}}title"), None)
    if described is not None and next(root.iter(f"{{{_DC}}}language"), None) is None:
        description = described.getparent()
        bag = etree.SubElement(etree.SubElement(description, f"{{{_DC}}}language"), f"{{{_RDF}}}Bag")
        etree.SubElement(bag, f"{{{_RDF}}}li").text = language
    return etree.tostring(root.getroottree(), encoding="utf-8")


def container_name(sources: DirectiveSources) -> str:
    """The name of the files in the container, from organisation.yaml's pattern: a file name the
    signer reads ("Käskkiri nr 177 – Ametijuhendite kinnitamine"), without characters no file
    system takes ("2.1-2/26/001" -> "2.1-2-26-001")."""
    name = sources.named(sources.organisation.container_file_name)
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "-", name).strip(" .") or Path(sources.path).stem


def asice(files: dict[str, bytes]) -> bytes:
    """An unsigned ASiC-E container (the format DigiDoc4 opens) holding the given files."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as container:
        container.writestr(zip_entry("mimetype", compressed=False), ASICE_MIMETYPE)
        entries = "".join(
            f'  <manifest:file-entry manifest:full-path="{_attribute(name)}" '
            f'manifest:media-type="{MEDIA_TYPES[Path(name).suffix]}"/>\n'
            for name in files
        )
        manifest = (
            '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
            'manifest:version="1.2">\n'
            f'  <manifest:file-entry manifest:full-path="/" manifest:media-type="{ASICE_MIMETYPE}"/>\n'
            f"{entries}</manifest:manifest>\n"
        )
        for name, data in [("META-INF/manifest.xml", manifest.encode()), *files.items()]:
            container.writestr(zip_entry(name), data)
    return out.getvalue()


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
