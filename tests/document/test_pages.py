"""Pages fit for signature and the archive, as the template draws them and the build keeps them:
page numbers from the second page, table rows that stay whole, a draft marked on every page and
never packed for signature."""

from __future__ import annotations

import re
import struct
import zipfile
import zlib

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from conftest import run_jdgen

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def it_numbers_the_pages_from_the_second_with_word_fields(built_177):
    document = Document(built_177)
    section = document.sections[0]
    assert section.different_first_page_header_footer
    fields = [f.get(qn("w:instr")).strip() for f in section.footer._element.iter(f"{W}fldSimple")]
    assert fields == ["PAGE", "NUMPAGES"]
    assert not list(section.first_page_footer._element.iter(f"{W}fldSimple"))


def it_keeps_every_table_row_on_one_page(built_177):
    rows = list(Document(built_177).element.body.iter(f"{W}tr"))
    assert len(rows) > 100
    assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)


def headers_text(docx_path) -> str:
    with zipfile.ZipFile(docx_path) as package:
        names = [n for n in package.namelist() if n.startswith("word/header")]
        return " ".join(package.read(n).decode("utf-8") for n in names)


def it_marks_a_draft_on_every_page_and_not_a_signed_directive(small_project, tmp_path, built_177):
    directive = small_project / "directives/uus.yaml"
    text = directive.read_text("utf-8")
    directive.write_text(
        "\n".join(x for x in text.splitlines() if not x.startswith(("number:", "date:"))) + "\n"
    )
    assert run_jdgen("build", "--project", small_project, "-o", tmp_path) == 0
    assert headers_text(tmp_path / "uus.docx").count(">KAVAND<") == 2  # the first page's and the others'
    assert "KAVAND" not in headers_text(built_177)


def it_refuses_to_pack_a_draft_for_signature_unless_forced(small_project, tmp_path, capsys):
    directive = small_project / "directives/uus.yaml"
    text = directive.read_text("utf-8")
    directive.write_text(
        "\n".join(x for x in text.splitlines() if not x.startswith(("number:", "date:"))) + "\n"
    )
    out = tmp_path / "out"
    assert run_jdgen("build", "--project", small_project, "-o", out, "--container") == 1
    assert capsys.readouterr().err.splitlines() == [
        "directives/uus.yaml:1:1: a draft (no number and date) is not packed for signature — give it its "
        "number and date from the register, or build the container anyway with --force",
        "1 error(s), 0 warning(s)",
    ]
    assert not out.exists()
    assert run_jdgen("build", "--project", small_project, "-o", out, "--container", "--force") == 0
    assert (out / "uus.asice").is_file()


def it_keeps_numbers_with_what_they_number_on_one_line(built_177):
    """Non-breaking spaces after "nr" and "§" and inside dates: "nr 177" never breaks at a line end."""
    texts = [p.text for p in Document(built_177).paragraphs]
    assert "13.12.2024 nr\u00a0177" in texts
    basis = next(t for t in texts if t.startswith("Avaliku teenistuse seaduse"))
    assert "§\u00a052 lõigete\u00a01" in basis and "nr\u00a02" in basis and "§\u00a010" in basis
    assert any("2025.\u00a0aasta 1.\u00a0jaanuaril" in t for t in texts)


def it_hangs_the_points_numbers_and_spaces_the_closing_sentence(built_177):
    """A point's number hangs, and a tab (not a space) after it starts the first line at the
    hanging indent, where the point's other lines start."""
    document = Document(built_177)
    points = [
        p for p in document.paragraphs if re.match(r"\d\.\s", p.text) and p.style.name.startswith("Käskkiri")
    ]
    assert [p.text[:3] for p in points] == ["1.\t", "2.\t", "3.\t"]
    for paragraph in points:
        layout = paragraph.style.paragraph_format
        assert layout.first_line_indent < 0 < layout.left_indent and layout.space_before > 0
    sub_points = [p for p in document.paragraphs if re.match(r"1\.\d\.\s", p.text)]
    assert len(sub_points) == 8 and all(re.match(r"1\.\d\.\t", p.text) for p in sub_points)
    assert sub_points[0].style.paragraph_format.left_indent > points[0].style.paragraph_format.left_indent
    for paragraph in [*points, *sub_points]:  # list items whose label is empty: the number is the text's
        level = list_level(document, paragraph)
        assert level is not None and level.find(f"{W}numFmt").get(f"{W}val") == "none"
        assert level.find(f"{W}lvlText").get(f"{W}val") == ""
        assert level.get(f"{W}ilvl") == ("0" if paragraph in points else "1")
    closing = [p for p in document.paragraphs if p.text.startswith("Ametijuhend vaadatakse üle")]
    assert len(closing) == 8 and all(p.style.paragraph_format.space_before > 0 for p in closing)


def list_level(document, paragraph):
    """The numbering level (w:lvl) a paragraph's style puts it at, or None for no list."""
    numbered = paragraph.style.element.find(f"{W}pPr/{W}numPr")
    if numbered is None:
        return None
    level, number = (numbered.find(f"{W}{tag}").get(f"{W}val") for tag in ("ilvl", "numId"))
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.findall(f"{W}num") if n.get(f"{W}numId") == number)
    abstract_id = num.find(f"{W}abstractNumId").get(f"{W}val")
    abstract = next(
        a for a in numbering.findall(f"{W}abstractNum") if a.get(f"{W}abstractNumId") == abstract_id
    )
    return next(lvl for lvl in abstract.findall(f"{W}lvl") if lvl.get(f"{W}ilvl") == level)


def it_keeps_the_signature_block_together(built_177):
    paragraphs = Document(built_177).paragraphs
    at = next(i for i, p in enumerate(paragraphs) if p.text == "(allkirjastatud digitaalselt)")
    block = paragraphs[at : at + 3]
    assert [p.text for p in block] == ["(allkirjastatud digitaalselt)", "Maret Maripuu", "peadirektor"]
    assert [p.style.paragraph_format.keep_with_next for p in block[:2]] == [True, True]


def outline_level(paragraph) -> int | None:
    """The paragraph's outline level (0 is level 1), set on it or on its style: what Word's
    navigation pane lists."""
    for properties in (paragraph._p.pPr, paragraph.style.element.pPr):
        level = properties.find(f"{W}outlineLvl") if properties is not None else None
        if level is not None:
            return int(level.get(qn("w:val")))
    return None


def outline(document) -> list[tuple[int, str]]:
    body = document.element.body
    paragraphs = [Paragraph(p, document) for p in body.iter(f"{W}p")]
    return [(level, p.text) for p in paragraphs if (level := outline_level(p)) is not None]


SECTIONS = [
    "1. Üldosa",
    "2. Peamised teenistusülesanded",
    "3. Teenistuskoha täitjale esitatavad nõuded",
    "4. Õigused ja vastutus",
]


def it_heads_the_directive_and_each_annex_with_headings_a_reader_can_navigate(built_177):
    """Word's navigation pane (and the PDF's tags): the directive's title, then each annex's number
    with "AMETIJUHEND", its sections and its position's title under it."""
    entries = outline(Document(built_177))
    assert entries[0] == (0, "Ametijuhendite kinnitamine")
    assert entries[1:8] == [
        (0, "Lisa 1"),
        (1, "AMETIJUHEND"),
        (1, SECTIONS[0]),
        (1, "Peaspetsialist (järelevalve arendus)"),
        *((1, section) for section in SECTIONS[1:]),
    ]
    assert [text for level, text in entries[1:] if level == 0] == [f"Lisa {n}" for n in range(1, 9)]
    assert len(entries) == 1 + 8 * 7


def it_heads_every_section_of_an_annex_and_labels_both_columns_of_its_tasks(built_177):
    """Sections 1, 3 and 4 have their bold heading above their table; section 2's heading stands in
    its table's heading row beside "Oodatavad tulemused", and the row repeats on every page the
    table takes: no unlabelled column on any page."""
    document = Document(built_177)
    headings = [p.text for p in document.paragraphs if p.style.name == "Ametijuhend jaotis"]
    assert headings[:3] == [SECTIONS[0], *SECTIONS[2:]]
    assert document.styles["Ametijuhend jaotis"].paragraph_format.keep_with_next
    task_heads = [t.rows[0] for t in document.tables if t.rows[0].cells[-1].text == "Oodatavad tulemused"]
    assert len(task_heads) == 8
    assert all([c.text for c in r.cells] == [SECTIONS[1], "Oodatavad tulemused"] for r in task_heads)
    assert all(r.cells[0].paragraphs[0].style.name == "Ametijuhend jaotis" for r in task_heads)
    assert all(r.cells[-1].paragraphs[0].style.font.bold for r in task_heads)  # a heading, like the labels
    assert all(r._tr.find(f"{W}trPr/{W}tblHeader") is not None for r in task_heads)  # on every page


def png(width: int, height: int) -> bytes:
    """A small blue PNG, written by hand (a stand-in for an agency's logo)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x20\x40\xa0" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def it_prints_the_agencys_address_under_its_name_where_organisation_yaml_gives_one(small_project, tmp_path):
    def letterhead() -> list[str]:
        assert run_jdgen("build", "--project", small_project, "-o", tmp_path) == 0
        return [p.text for p in Document(tmp_path / "uus.docx").sections[0].first_page_header.paragraphs]

    before = letterhead()
    assert before[-1] == "SOTSIAALKINDLUSTUSAMET" and len(before) == 2  # the draft marking's place, the name
    organisation = small_project / "organisation.yaml"
    address = "Endla 8, 15092 Tallinn · info@sotsiaalkindlustusamet.ee"
    organisation.write_text(organisation.read_text("utf-8") + f'extra:\n  address: "{address}"\n', "utf-8")
    assert letterhead() == [*before, address]


@pytest.mark.slow
def it_keeps_the_logo_hr_puts_into_the_letterhead(small_project, tmp_path):
    """The first page's header is the letterhead slot: a picture HR puts there in Word stays, in the
    DOCX and on page 1 of the PDF, and only there."""
    template = small_project / "templates/kaskkiri.docx"
    document = Document(template)
    logo = tmp_path / "logo.png"
    logo.write_bytes(png(40, 20))
    document.sections[0].first_page_header.paragraphs[0].add_run().add_picture(str(logo), width=Cm(4))
    document.save(template)
    out = tmp_path / "out"
    assert run_jdgen("build", "--project", small_project, "-o", out, "--pdf") == 0

    built = Document(out / "uus.docx")
    header = built.sections[0].first_page_header
    blips = list(header._element.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"))
    assert len(blips) == 1
    image = header.part.related_parts[blips[0].get(qn("r:embed"))]
    assert image.blob == logo.read_bytes()
    pages = PdfReader(out / "uus.pdf").pages
    assert [drawn_images(page) for page in pages] == [1] + [0] * (len(pages) - 1)


def drawn_images(page) -> int:
    """How many images the page's content draws (`/Name Do` of an image XObject)."""
    xobjects = page["/Resources"].get("/XObject", {})
    images = {name for name, x in xobjects.items() if x.get_object()["/Subtype"] == "/Image"}
    drawn = re.findall(rb"(/[^\s/]+)\s+Do\b", page.get_contents().get_data())
    return sum(name.decode() in images for name in drawn)
