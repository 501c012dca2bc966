"""PDF through LibreOffice and the ASiC-E container, read back with pypdf and zipfile.

These call the real LibreOffice (installed by `make system-deps`, which `make test` runs first).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from conftest import DIRECTIVE_177, SKA, run_jdgen

pytestmark = pytest.mark.slow

MANIFEST_NS = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"


@pytest.fixture(scope="session")
def package_177(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf")
    assert (
        run_jdgen("build", SKA / DIRECTIVE_177, "-o", out, "--project", SKA, "--container", "--with-docx")
        == 0
    )
    return out


@pytest.fixture(scope="session")
def pdfa_177(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdfa")
    assert run_jdgen("build", SKA / DIRECTIVE_177, "-o", out, "--project", SKA, "--pdfa") == 0
    return out / "ska-2024-177.pdf"


def page_text(reader: PdfReader, index: int) -> str:
    return reader.pages[index].extract_text()


def it_shows_the_directive_on_page_one(package_177):
    reader = PdfReader(package_177 / "ska-2024-177.pdf")
    first = page_text(reader, 0)
    assert "KÄSKKIRI" in first
    assert "13.12.2024 nr 177" in first
    assert "KINNITATUD" not in first


def it_bookmarks_the_directive_and_each_annex_at_its_first_page(package_177):
    reader = PdfReader(package_177 / "ska-2024-177.pdf")
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert len(outline) == 9
    assert outline[0] == ("Käskkiri nr 177 – Ametijuhendite kinnitamine", 0)
    assert outline[1][0] == "Lisa 1 – Peaspetsialist (järelevalve arendus)"
    assert outline[8][0] == "Lisa 8 – Peaspetsialist (järelevalve)"
    pages = [page for _, page in outline]
    assert pages == sorted(set(pages)), "every annex starts on a page of its own, in order"
    for number, (_, page) in enumerate(outline[1:], 1):
        text = page_text(reader, page)
        assert text.lstrip().startswith("KINNITATUD"), f"Lisa {number} bookmark is not at its header"
        assert re.search(rf"käskkirjaga nr 177\s+Lisa {number}\b", text)
        assert "KINNITATUD" not in page_text(reader, page - 1) or (page - 1 == 0 and False)
    assert reader.root_object["/PageMode"] == "/UseOutlines"


def _page_numbers(reader: PdfReader) -> dict[int, int]:
    """Each page's object number -> its index, for a structure element's /Pg."""
    return {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}


def structure_elements(reader: PdfReader):
    """Each tagged structure element of the PDF (/H1, /P, /Table, …) with the index of its page,
    in reading order."""
    pages = _page_numbers(reader)

    def walk(node, page):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                yield from walk(child, page)
        elif hasattr(node, "get") and "/S" in node:
            page = pages.get(node.raw_get("/Pg").idnum, page) if "/Pg" in node else page
            yield node, page
            yield from walk(node.get("/K", []), page)

    yield from walk(reader.root_object["/StructTreeRoot"].get_object().get("/K", []), None)


def structure_kinds(reader: PdfReader) -> list[str]:
    """The kinds of the PDF's tagged structure elements (/H1, /P, /Table, …), in reading order."""
    return [str(node["/S"]) for node, _page in structure_elements(reader)]


def it_tags_the_directives_title_and_each_annexs_headings_as_headings(package_177):
    """A screen reader's outline: the directive's title and each "Lisa N" are H1; "AMETIJUHEND",
    the position's title and the four sections of each annex are H2."""
    kinds = structure_kinds(PdfReader(package_177 / "ska-2024-177.pdf"))
    assert kinds.count("/H1") == 1 + 8
    assert kinds.count("/H2") == 8 * 6
    assert "/H3" not in kinds
    assert kinds.index("/H1") < kinds.index("/H2")


def structure_texts(reader: PdfReader, kind: str) -> list[str]:
    """The text of each tagged element of `kind` (/LI, …), from the marked content it holds."""
    marked: dict[tuple[int, int], str] = {}
    for number, page in enumerate(reader.pages):
        page.extract_text(**_marked_content_reader(number, marked))
    pages = _page_numbers(reader)

    def words(node, page) -> str:
        """The marked text under `node`: an MCID, a marked-content reference, an element, a list."""
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, int):
            return marked.get((page, node), "")
        if isinstance(node, list):
            return "".join(words(child, page) for child in node)
        if hasattr(node, "get"):
            page = pages.get(node.raw_get("/Pg").idnum, page) if "/Pg" in node else page
            return words(int(node["/MCID"]), page) if "/MCID" in node else words(node.get("/K", []), page)
        return ""

    return [
        " ".join(words(node, page).split()) for node, page in structure_elements(reader) if node["/S"] == kind
    ]


def _marked_content_reader(page: int, marked: dict[tuple[int, int], str]) -> dict:
    """pypdf's visitors that gather the text of each marked content (page, MCID) into `marked`."""
    ids: list[int | None] = []  # the open marked contents: an MCID, or None for a span inside one

    def visit(operator, operands, _cm, _tm) -> None:
        if operator in (b"BDC", b"BMC"):
            properties = operands[1] if len(operands) > 1 else None
            has_id = hasattr(properties, "get") and "/MCID" in properties
            ids.append(int(properties["/MCID"]) if has_id else None)
        elif operator == b"EMC" and ids:
            ids.pop()

    def text(chunk, _cm, _tm, _font, _size) -> None:
        inner = next((mcid for mcid in reversed(ids) if mcid is not None), None)
        if inner is not None:
            marked[(page, inner)] = marked.get((page, inner), "") + chunk

    return {"visitor_operand_before": visit, "visitor_text": text}


def it_tags_the_points_and_sub_points_as_list_items_with_their_numbers(package_177):
    """The directive's points are a list and its sub-points a list in the first point, for a screen
    reader: each item holds its number and its words as printed."""
    reader = PdfReader(package_177 / "ska-2024-177.pdf")
    kinds = structure_kinds(reader)
    assert kinds.count("/L") == 2 and kinds.count("/LI") == 3 + 8 == kinds.count("/LBody")
    items = structure_texts(reader, "/LI")
    assert [item.split()[0] for item in items] == ["1.", *(f"1.{n}." for n in range(1, 9)), "2.", "3."]
    assert (
        items[0].startswith("1. Kinnitan")
        and "1.1. peaspetsialist (järelevalve arendus) (lisa 1);" in items[0]
    )
    assert items[-1].startswith(
        "3. Käskkiri jõustub 2025."
    )  # its no-break spaces are marked text of their own


def hyphenated_breaks(pdf: Path, docx: Path) -> list[str]:
    """The words a PDF breaks with a hyphen at a line's end that its DOCX writes whole: the hyphens
    its layout added."""
    import docx as python_docx

    document = python_docx.Document(docx)
    text = " ".join(p.text for p in document.paragraphs)
    text += " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    whole = set(re.findall(r"\w+", text))
    pages = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    return [
        f"{a}-{b}"
        for a, b in re.findall(r"(\w+)-\s*\n(\w+)", pages)
        if a + b in whole and f"{a}-{b}" not in text and f"{a}- {b}" not in text  # not typed so
    ]


def it_hyphenates_in_word_and_in_the_pdf_where_the_template_asks_for_it(example_project, package_177):
    """The stock template does not hyphenate (docs/templates.md: "Hyphenation"); a template whose
    author ticked Word's automatic hyphenation carries the setting into each DOCX, and LibreOffice
    hyphenates the PDF with the Estonian patterns `make system-deps` installs."""
    stock = zipfile.ZipFile(package_177 / "ska-2024-177.docx").read("word/settings.xml")
    assert b"autoHyphenation" not in stock
    assert hyphenated_breaks(package_177 / "ska-2024-177.pdf", package_177 / "ska-2024-177.docx") == []
    template = example_project / "templates/kaskkiri.docx"
    with zipfile.ZipFile(template) as old:
        parts = {info: old.read(info) for info in old.infolist()}
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in parts.items():
            if info.filename == "word/settings.xml":
                data = data.replace(b"<w:defaultTabStop", b"<w:autoHyphenation/><w:defaultTabStop")
            new.writestr(info, data)
    out = example_project / "build"
    assert (
        run_jdgen("build", example_project / DIRECTIVE_177, "-o", out, "--project", example_project, "--pdf")
        == 0
    )
    built = zipfile.ZipFile(out / "ska-2024-177.docx").read("word/settings.xml")
    assert b"<w:autoHyphenation/>" in built
    broken = hyphenated_breaks(out / "ska-2024-177.pdf", out / "ska-2024-177.docx")
    assert len(broken) > 50, broken  # Estonian's long compounds: some 290 in nr 177


def it_sets_title_author_subject_and_language(package_177):
    reader = PdfReader(package_177 / "ska-2024-177.pdf")
    assert reader.metadata.title == "Käskkiri nr 177 – Ametijuhendite kinnitamine"  # the window's title
    assert reader.metadata["/Keywords"] == "nr 177"
    assert reader.metadata.author == "Sotsiaalkindlustusamet"
    assert reader.metadata.subject == "Õiguse ja järelevalve osakond, järelevalve talitus"
    assert reader.metadata["/CreationDate"] == "D:20241213000000Z"
    assert reader.root_object["/Lang"] == "et-EE"


def it_builds_the_same_pdf_twice(tmp_path):
    for out in ("one", "two"):
        assert run_jdgen("build", SKA / DIRECTIVE_177, "-o", tmp_path / out, "--project", SKA, "--pdf") == 0
    first = hashlib.sha256((tmp_path / "one/ska-2024-177.pdf").read_bytes()).hexdigest()
    again = hashlib.sha256((tmp_path / "two/ska-2024-177.pdf").read_bytes()).hexdigest()
    assert first == again
    assert PdfReader(tmp_path / "one/ska-2024-177.pdf").pdf_header >= "%PDF-1.4"  # as LibreOffice wrote it
    assert "/StructTreeRoot" in PdfReader(tmp_path / "one/ska-2024-177.pdf").root_object  # tagged


def it_packs_the_same_pdf_a_that_pdfa_builds(package_177, pdfa_177):
    assert (package_177 / "ska-2024-177.pdf").read_bytes() == pdfa_177.read_bytes()


INSIDE = "Käskkiri nr 177 – Ametijuhendite kinnitamine"  # organisation.yaml's container_file_name


def it_packs_an_asice_container_digidoc_can_open(package_177):
    path = package_177 / "ska-2024-177.asice"
    with zipfile.ZipFile(path) as container:
        entries = container.infolist()
        assert [e.filename for e in entries] == [
            "mimetype",
            "META-INF/manifest.xml",
            f"{INSIDE}.pdf",
            f"{INSIDE}.docx",
        ]
        assert entries[0].compress_type == zipfile.ZIP_STORED
        assert entries[0].extra == b""
        assert container.read("mimetype") == b"application/vnd.etsi.asic-e+zip"
        manifest = etree.fromstring(container.read("META-INF/manifest.xml"))
        listed = {
            e.get(f"{{{MANIFEST_NS}}}full-path"): e.get(f"{{{MANIFEST_NS}}}media-type")
            for e in manifest.iter(f"{{{MANIFEST_NS}}}file-entry")
        }
        assert listed == {
            "/": "application/vnd.etsi.asic-e+zip",
            f"{INSIDE}.pdf": "application/pdf",
            f"{INSIDE}.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
        assert container.read(f"{INSIDE}.pdf") == (package_177 / "ska-2024-177.pdf").read_bytes()
    # the mimetype is readable at a fixed offset, as the ASiC standard asks
    assert path.read_bytes()[30:38] == b"mimetype"
    assert path.read_bytes()[38:69] == b"application/vnd.etsi.asic-e+zip"


def it_puts_an_archival_pdf_into_the_container_for_signature(package_177):
    """What is signed is what is archived: a signed PDF cannot be converted afterwards."""
    with zipfile.ZipFile(package_177 / "ska-2024-177.asice") as container:
        assert_pdfa(PdfReader(io.BytesIO(container.read(f"{INSIDE}.pdf"))))


def it_marks_a_pdfa_2b_file_as_such(pdfa_177):
    assert_pdfa(PdfReader(pdfa_177))


def assert_pdfa(reader: PdfReader) -> None:
    """PDF/A-2b as far as its marks show: the XMP identification, the output intent, embedded fonts,
    a structure tree (tagged), a header of at least 1.4 (the version LibreOffice wrote)."""
    xmp = etree.fromstring(reader.root_object["/Metadata"].get_object().get_data())
    ns = {
        "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
        "xmp": "http://ns.adobe.com/xap/1.0/",
        "dc": "http://purl.org/dc/elements/1.1/",
        "pdf": "http://ns.adobe.com/pdf/1.3/",
    }
    assert xmp.xpath("string(//pdfaid:part)", namespaces=ns) == "2"
    # the XMP says what the document info says (PDF/A asks it), and the language
    assert xmp.xpath("string(//dc:title//*[local-name()='li'])", namespaces=ns) == reader.metadata.title
    assert xmp.xpath("string(//pdf:Keywords)", namespaces=ns) == reader.metadata.get("/Keywords", "")
    assert xmp.xpath("string(//dc:language//*[local-name()='li'])", namespaces=ns) == "et-EE"
    assert xmp.xpath("string(//pdfaid:conformance)", namespaces=ns) == "B"
    assert xmp.xpath("string(//xmp:CreateDate)", namespaces=ns) == "2024-12-13T00:00:00Z"
    assert reader.metadata["/CreationDate"] == "D:20241213000000Z"
    assert "/OutputIntents" in reader.root_object
    assert "/StructTreeRoot" in reader.root_object
    assert reader.pdf_header >= "%PDF-1.4"
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object().get("/FontDescriptor")
            if descriptor is None:
                descendants = font.get_object()["/DescendantFonts"]
                descriptor = descendants[0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), "font not embedded"
    assert len(reader.outline) == 9


def it_numbers_the_pages_from_the_second_on(package_177):
    reader = PdfReader(package_177 / "ska-2024-177.pdf")
    total = len(reader.pages)
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert not texts[0].endswith(f"({total})")
    assert [text.endswith(f"{n} ({total})") for n, text in enumerate(texts[1:], 2)] == [True] * (total - 1)


def it_builds_the_same_pdfa_twice(pdfa_177, tmp_path):
    assert run_jdgen("build", SKA / DIRECTIVE_177, "-o", tmp_path, "--project", SKA, "--pdfa") == 0
    assert (tmp_path / "ska-2024-177.pdf").read_bytes() == pdfa_177.read_bytes()


def it_says_how_to_install_libreoffice_when_it_is_missing(small_project, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "jdgen", "build", "--pdf", "-o", str(tmp_path / "out")],
        cwd=small_project,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": str(bin_dir)},
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "soffice: LibreOffice is needed for PDF but is not installed — install LibreOffice Writer: "
        "`make system-deps` (or: sudo apt-get install libreoffice-writer-nogui fonts-liberation)"
    )
    assert not (tmp_path / "out").exists()


def office_processes(folder: Path) -> list[str]:
    """Command lines of the processes that name `folder` (LibreOffice with its profile there, the guard)."""
    marker = str(folder).encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if marker in command:
                found.append(command.replace(b"\0", b" ").decode(errors="replace"))
    return found


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def it_leaves_no_office_and_no_profile_behind_when_killed_mid_conversion(tmp_path, number):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    out = tmp_path / "out"
    build = subprocess.Popen(
        [sys.executable, "-m", "jdgen", "build", SKA / DIRECTIVE_177, "--project", SKA, "-o", out, "--pdf"],
        env={**os.environ, "TMPDIR": str(temporary)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not any("--convert-to" in command for command in office_processes(temporary)):
        assert build.poll() is None, build.communicate()
        assert time.monotonic() < deadline, "the conversion did not start"
        time.sleep(0.02)
    time.sleep(0.3)  # well inside the conversion of 25 pages
    build.send_signal(number)
    _, err = build.communicate(timeout=60)
    if number == signal.SIGTERM:
        assert build.returncode == 130
        assert b"Traceback" not in err and b"internal error" not in err
    deadline = time.monotonic() + 60
    while office_processes(temporary) or list(temporary.iterdir()):  # no profile, no lu*.tmp
        assert time.monotonic() < deadline, (office_processes(temporary), list(temporary.iterdir()))
        time.sleep(0.1)
    assert not out.exists()


def it_leaves_a_pdf_that_qpdf_finds_sound(package_177, pdfa_177):
    """pypdf rewrites LibreOffice's PDF (bookmarks, metadata, identifiers): qpdf, through pikepdf,
    checks the result's structure (cross-reference table, streams, objects) and finds nothing."""
    import pikepdf

    for path in (package_177 / "ska-2024-177.pdf", pdfa_177):
        with pikepdf.open(path) as pdf:
            assert pdf.check_pdf_syntax() == []
            assert pdf.pdf_version >= "1.6"  # what LibreOffice wrote, kept
            assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
