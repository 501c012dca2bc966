"""Draw the stock template templates/kaskkiri.docx with python-docx.

The .docx in templates/ is the source of the look: restyle it in Word or LibreOffice. This script
only records how the stock one was first drawn, so a maintainer can redraw it from scratch:

    .venv/bin/python scripts/draw_template.py templates/kaskkiri.docx
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from jdgen.document.wordpackage import drop_default_leftovers

FONT = "Times New Roman"


def styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(0)
    # The document language: spell checking in Word, /Lang of the PDF that LibreOffice exports.
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "et-EE")
    normal.element.rPr.append(language)
    normal.paragraph_format.space_before = Pt(0)

    def paragraph_style(
        name,
        *,
        bold=False,
        align=None,
        before=0,
        after=0,
        page_break=False,
        size=None,
        keep_next=False,
        hanging=0.0,
    ):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.bold = bold
        if size:
            style.font.size = Pt(size)
        fmt = style.paragraph_format
        fmt.space_before = Pt(before)
        fmt.space_after = Pt(after)
        fmt.page_break_before = page_break
        fmt.keep_with_next = keep_next
        if hanging:  # a numbered point: the number hangs, the text lines up after it
            fmt.left_indent, fmt.first_line_indent = Cm(hanging), Cm(-0.75)
        if align is not None:
            fmt.alignment = align
        return style

    paragraph_style("Käskkiri pealkiri", bold=True, before=24, after=12)
    paragraph_style("Käskkiri kuupäev", after=24)
    # The directive's title is a heading at outline level 1, and "AMETIJUHEND" and the sections of
    # an annex at level 2 beside its title (below): tagged H1 and H2 in the PDF for a screen reader,
    # listed in Word's navigation pane. jdgen names the PDF's bookmarks itself; LibreOffice's level-1
    # ones on the directive's first page are not taken for annexes.
    outline_level(paragraph_style("Käskkiri teema", bold=True, after=18), 0)
    paragraph_style("Käskkiri tekst", align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6)
    # Points "2. …" with their number hanging, sub-points "1.1. …" further in; space above each point.
    paragraph_style("Käskkiri punkt", align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=6, hanging=0.75)
    paragraph_style("Käskkiri alampunkt", align=WD_ALIGN_PARAGRAPH.JUSTIFY, hanging=1.5)
    points_as_list(document, ["Käskkiri punkt", "Käskkiri alampunkt"])
    paragraph_style("Ametijuhend lõpp", align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=12)  # below the last table
    # The signature block stays together on one page: the signing note, the name, the title.
    paragraph_style("Allkiri", before=36, keep_next=True)
    paragraph_style("Allkirjastaja", keep_next=True)
    paragraph_style("Allkirjastaja ametikoht")
    # Each annex starts a new page with its approval note ("KINNITATUD …"), kept with its number.
    paragraph_style("Lisa päis", align=WD_ALIGN_PARAGRAPH.RIGHT, page_break=True, keep_next=True)
    # The annex number at outline level 1 and the position's title at level 2: Word's navigation
    # pane lists "Lisa 1" with its title under it, and LibreOffice exports a PDF bookmark at the page
    # where each annex starts (jdgen renames those bookmarks "Lisa 1. <title>").
    outline_level(paragraph_style("Lisa number", align=WD_ALIGN_PARAGRAPH.RIGHT, after=24), 0)
    centred = WD_ALIGN_PARAGRAPH.CENTER
    outline_level(paragraph_style("Ametijuhend pealkiri", bold=True, align=centred, after=12, size=14), 1)
    outline_level(paragraph_style("Ametijuhend jaotis", bold=True, before=12, after=6, keep_next=True), 1)
    paragraph_style("Tabeli tekst", after=3)
    paragraph_style("Ametijuhend vahe", before=6, size=6, keep_next=True)  # a thin line between tables
    outline_level(paragraph_style("Ametikoht", after=3), 1)  # the title's value: level 2, under "Lisa N"
    paragraph_style("Tabeli silt", bold=True, after=3)


def points_as_list(document, point_styles: list[str]) -> None:
    """The points and sub-points a list of two levels whose labels are empty: Word and LibreOffice
    treat them as list items (the PDF tags them L, LI and LBody for a screen reader), while each
    point's number stays the text jdgen writes ("1.", "1.1.") that every reader of the document
    (python-docx, the register's full text, `import`, `verify`) sees. The levels indent as the
    styles do, so the page is the same as without the list."""
    numbering = document.part.numbering_part.element
    abstract_id = 1 + max(
        (int(a.get(qn("w:abstractNumId"))) for a in numbering.iterchildren(qn("w:abstractNum"))), default=-1
    )
    num_id = 1 + max((int(n.get(qn("w:numId"))) for n in numbering.iterchildren(qn("w:num"))), default=0)
    abstract = element("w:abstractNum", {"w:abstractNumId": abstract_id})
    abstract.append(element("w:multiLevelType", {"w:val": "multilevel"}))
    for level, name in enumerate(point_styles):
        indent = document.styles[name].paragraph_format
        lvl = element("w:lvl", {"w:ilvl": level})
        for tag, value in (
            ("w:start", 1),
            ("w:numFmt", "none"),
            ("w:lvlText", ""),
            ("w:suff", "nothing"),
            ("w:lvlJc", "left"),
        ):
            lvl.append(element(tag, {"w:val": value}))
        properties = element("w:pPr")
        properties.append(
            element(
                "w:ind", {"w:left": indent.left_indent.twips, "w:hanging": -indent.first_line_indent.twips}
            )
        )
        lvl.append(properties)
        abstract.append(lvl)
        numbered = document.styles[name].element.get_or_add_pPr().get_or_add_numPr()  # in schema order
        numbered.get_or_add_ilvl().val = level
        numbered.get_or_add_numId().val = num_id
    first_num = next(numbering.iterchildren(qn("w:num")), None)
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = element("w:num", {"w:numId": num_id})
    num.append(element("w:abstractNumId", {"w:val": abstract_id}))
    numbering.append(num)


def element(tag: str, attributes: dict[str, object] | None = None):
    made = OxmlElement(tag)
    for name, value in (attributes or {}).items():
        made.set(qn(name), str(value))
    return made


def outline_level(style, level: int) -> None:
    """Paragraphs of `style` at outline `level` (0 is level 1): the navigation pane and PDF bookmarks."""
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level))
    style.element.get_or_add_pPr().append(outline)


def add(document_or_cell, text, style):
    return document_or_cell.add_paragraph(text, style=style)


def table(document, widths):
    grid = document.add_table(rows=0, cols=len(widths))
    grid.style = document.styles["Table Grid"]
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    return grid


def row(grid, widths, *cells):
    """A row whose cells hold the given paragraphs (a str is one paragraph)."""
    new = grid.add_row()
    new._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row stays whole on one page
    for cell, width, content in zip(new.cells, widths, cells, strict=True):
        cell.width = width
        paragraphs = [content] if isinstance(content, str) else list(content)
        cell.paragraphs[0].text = paragraphs[0] if paragraphs else ""
        cell.paragraphs[0].style = "Tabeli silt" if cell is new.cells[0] else "Tabeli tekst"
        for text in paragraphs[1:]:
            cell.add_paragraph(text, style="Tabeli tekst")
    return new


# The point of entry into force: in its own words, or on a day or on signing, with the day the job
# descriptions apply from (the agency's or the directive's wording where it says them otherwise).
IN_FORCE = (
    "{% if directive.own_words.in_force %}{{ points.in_force }}.\t{{ directive.own_words.in_force }}"
    "{% else %}{{ points.in_force }}.\tKäskkiri jõustub {% if directive.in_force_date %}"
    "{{ directive.in_force_date|adessive|nbsp }}{% else %}{{ wording.on_signing or 'allkirjastamisel' }}"
    "{% endif %}{% if directive.applies_from %} {{ (wording.applies_from or "
    "'ja käskkirja punktis {point} nimetatud ametijuhendeid rakendatakse')"
    "|replace('{point}', points.approve|string) }} "
    "{{ directive.applies_from|elative|nbsp }}{% endif %}.{% endif %}"
)


def further_points(document, points) -> None:
    """A numbered paragraph for each further point of the directive that stands here."""
    add(document, f"{{%p for n, text in {points} %}}", "Käskkiri punkt")
    add(document, "{{ n }}.\t{{ text }}", "Käskkiri punkt")
    add(document, "{%p endfor %}", "Käskkiri punkt")


def signature(document) -> None:
    """The signature block: signed digitally, the signer's name and title, kept together."""
    add(document, "(allkirjastatud digitaalselt)", "Allkiri")
    add(document, "{{ directive.signer.name }}", "Allkirjastaja")
    add(document, "{{ directive.signer.title }}", "Allkirjastaja ametikoht")


def repeal_point(document, closing_quote) -> None:
    """The repeal point, when something is repealed: every kind of repeal in one sentence."""
    add(document, "{%p if directive.repeals %}", "Käskkiri punkt")
    add(
        document,
        "{% if directive.own_words.repeal %}{{ points.repeal }}.\t{{ directive.own_words.repeal }}{% else %}"
        "{{ points.repeal }}.\tTunnistan kehtetuks {{ organisation.issuer_genitive }} "
        "{% for r in directive.repeals %}"
        "{% if wording.issuer_each and not loop.first %}{{ organisation.issuer_genitive }} {% endif %}"
        "{% if r.approved_by %}"
        "{% for d in r.approved_by %}{{ d.date_text }} käskkirjaga nr {{ d.number }}{{ loop|between }}"
        "{% endfor %} kinnitatud ametijuhendid"
        "{% else %}{{ r.date_text }} käskkirja nr {{ r.number }}"
        "{% if r.title %} {% if wording.quotes %}{{ wording.quotes[0] }}{% else %}„{% endif %}{{ r.title }}"
        "{% if wording.quotes %}{{ wording.quotes[1] }}"
        f"{{% else %}}{closing_quote}{{% endif %}}{{% endif %}}"
        "{% if r.annexes %} {% if r.annexes|length == 1 %}lisa{% else %}lisad{% endif %} "
        "{{ r.annexes|numbers(wording.repeal_through) }}{% endif %}{% endif %}"
        "{{ loop|between(wording.repeal_last) }}{% endfor %}.{% endif %}",
        "Käskkiri punkt",
    )
    add(document, "{%p endif %}", "Käskkiri punkt")


def loop(var, items):
    """The cell content that prints one paragraph per item of a list."""
    return [f"{{%p for {var} in {items} %}}", f"{{{{ {var} }}}}", "{%p endfor %}"]


def optional_row(grid, widths, label, value, condition):
    row(grid, widths, f"{{%tr if {condition} %}}", "")
    row(grid, widths, label, value)
    row(grid, widths, "{%tr endif %}", "")


def further_rows(grid, widths, name):
    """The rows a position adds after the row of `name` (`rows: [{label, text, after: name}]`)."""
    row(grid, widths, f"{{%tr for r in a.rows_after.{name} %}}", "")
    row(grid, widths, "{{ r.label }}", "{{ r.text }}")
    row(grid, widths, "{%tr endfor %}", "")


def repeat_header(grid_row):
    properties = grid_row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    properties.append(header)


def draw(path: Path) -> None:
    document = Document()
    section = page(document)
    styles(document)
    letterhead = section.first_page_header.add_paragraph()
    letterhead.text = "{{ organisation.name|upper }}"
    letterhead.alignment = WD_ALIGN_PARAGRAPH.CENTER
    letterhead.runs[0].bold = True
    # The agency's address under its name where organisation.yaml gives one (`extra: {address: …}`);
    # a logo is a picture put into this header in Word (docs/templates.md: "The letterhead").
    header = section.first_page_header
    address = "{{ organisation.extra.address }}"
    for text in ("{%p if organisation.extra.address is defined %}", address, "{%p endif %}"):
        header.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER

    # -- the directive (käskkiri) -----------------------------------------------------------
    add(document, "KÄSKKIRI", "Käskkiri pealkiri")
    add(document, "{{ directive.date_text }} nr {{ directive.number_text }}", "Käskkiri kuupäev")
    add(document, "{{ directive.title }}", "Käskkiri teema")
    add(document, "{{ directive.legal_basis|nbsp }}", "Käskkiri tekst")
    add(
        document,
        "{% if directive.own_words.approve %}{{ points.approve }}.\t{{ directive.own_words.approve }}"
        "{% else %}{{ points.approve }}.\tKinnitan {{ directive.unit.genitive }} "
        "{% if annexes|length == 1 %}ametijuhendi{% else %}ametijuhendid{% endif %} "
        "vastavalt {% if annexes|length == 1 %}lisale{% else %}lisadele{% endif %} "
        "{{ annexes|map(attribute='number')|numbers }} järgmiselt:{% endif %}",
        "Käskkiri punkt",
    )
    add(document, "{%p for a in annexes if not directive.own_words.approve %}", "Käskkiri alampunkt")
    add(
        document,
        "{{ points.approve }}.{{ a.number }}.\t{{ a.title_in_list }} "
        "(lisa {{ a.number }}){% if loop.last %}.{% else %};{% endif %}",
        "Käskkiri alampunkt",
    )
    add(document, "{%p endfor %}", "Käskkiri alampunkt")
    further_points(document, "directive.points_after_approve")
    repeal_point(document, closing_quote="”")
    further_points(document, "directive.extra_points")
    add(document, IN_FORCE, "Käskkiri punkt")
    further_points(document, "directive.points_after_in_force")
    for text in loop("p", "organisation.appeal or []"):
        add(document, text, "Käskkiri tekst")
    signature(document)

    # -- the annexes (lisad), each an ametijuhend starting on a new page ------------------
    add(document, "{%p for a in annexes %}", "Normal")
    header = add(
        document,
        "KINNITATUD {{ organisation.genitive }} {{ organisation.issuer_genitive }}",
        "Lisa päis",
    )
    run = header.runs[0]
    run.add_break()
    run.add_text("{{ directive.date_text }} käskkirjaga nr {{ directive.number_text }}")
    add(document, "Lisa {{ a.number }}", "Lisa number")
    add(document, "AMETIJUHEND", "Ametijuhend pealkiri")

    widths = (Cm(4.5), Cm(12))
    add(document, "1. Üldosa", "Ametijuhend jaotis")
    general = table(document, widths)
    p = "a.position"
    row(general, widths, "Struktuuriüksus", "{{ a.unit.name }}")
    further_rows(general, widths, "unit")
    row(general, widths, "Teenistuskoht", f"{{{{ {p}.title }}}}").cells[1].paragraphs[0].style = "Ametikoht"
    further_rows(general, widths, "title")
    row(general, widths, "Vahetu juht", f"{{{{ {p}.reports_to }}}}")
    further_rows(general, widths, "reports_to")
    for label, key in (
        ("Alluvad", "subordinates"),
        ("Teenistuja asendab", "substitutes"),
        ("Teenistuja asendaja", "substituted_by"),
    ):
        optional_row(general, widths, label, f"{{{{ {p}.{key} }}}}", f"{p}.{key}")
        further_rows(general, widths, key)
    row(general, widths, "Teenistuskoha eesmärk", loop("x", f"{p}.purpose"))
    further_rows(general, widths, "purpose")
    optional_row(general, widths, "Ametikoha grupp", f"{{{{ {p}.group }}}}", f"{p}.group")
    further_rows(general, widths, "group")
    optional_row(
        general,
        widths,
        "Eritingimused",
        loop("x", f"{p}.special_conditions"),
        f"{p}.special_conditions",
    )
    further_rows(general, widths, "special_conditions")

    task_widths = (Cm(8), Cm(8.5))
    add(document, "", "Ametijuhend vahe")  # the space above the table: two tables that touch are one
    tasks = table(document, task_widths)
    # The section's heading and the results' label make the heading row, repeated on each page the
    # table takes: no column without a label on any page.
    head = row(tasks, task_widths, "2. Peamised teenistusülesanded", "Oodatavad tulemused")
    head.cells[0].paragraphs[0].style = "Ametijuhend jaotis"
    head.cells[0].paragraphs[0].paragraph_format.space_before = Pt(0)
    head.cells[1].paragraphs[0].style = "Tabeli silt"
    repeat_header(head)
    row(tasks, task_widths, "{%tr for t in a.tasks %}", "")
    task_row = row(
        tasks,
        task_widths,
        "{% if t.n %}2.{{ t.n }}. {% endif %}{{ t.text }}",
        loop("r", "t.results"),
    )
    task_row.cells[0].paragraphs[0].style = "Tabeli tekst"
    row(tasks, task_widths, "{%tr endfor %}", "")

    # A section whose rows are all left out is left out whole (a table needs at least one row).
    requirement_rows = (
        ("Haridus", "education"),
        ("Erialane töökogemus", "experience"),
        ("Keeleoskus", "languages"),
        ("Teadmised ja oskused", "knowledge"),
        ("Isikuomadused", "personal_qualities"),
    )
    any_of = " or ".join(f"{p}.{key}" for _, key in requirement_rows)
    add(document, f"{{%p if {any_of} %}}", "Normal")
    add(document, "3. Teenistuskoha täitjale esitatavad nõuded", "Ametijuhend jaotis")
    requirements = table(document, widths)
    for label, key in requirement_rows:
        optional_row(requirements, widths, label, loop("x", f"{p}.{key}"), f"{p}.{key}")
    add(document, "{%p endif %}", "Normal")

    add(document, f"{{%p if {p}.rights or {p}.responsibilities %}}", "Normal")
    add(document, "4. Õigused ja vastutus", "Ametijuhend jaotis")
    rights = table(document, widths)
    for label, key in (("Õigused", "rights"), ("Vastutus", "responsibilities")):
        optional_row(rights, widths, label, f'{{{{ {p}.{key}|join("; ") }}}}.', f"{p}.{key}")
    add(document, "{%p endif %}", "Normal")
    add(document, "{%p if a.position.review %}", "Normal")
    for text in loop("x", f"{p}.review"):
        add(document, text, "Ametijuhend lõpp")
    add(document, "{%p endif %}", "Normal")
    add(document, "{%p endfor %}", "Normal")
    save(document, path)


def page(document):
    """A4 with the margins of both templates; a draft's marking at the top of every page, and the
    page number with the count from the second page on ("2 (25)"); the section."""
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.different_first_page_header_footer = True
    for header in (section.header, section.first_page_header):
        marking = header.paragraphs[0]
        marking.text = "{% if directive.is_draft %}{{ organisation.draft_marking }}{% endif %}"
        marking.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        marking.runs[0].bold = True
    number = section.footer.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field(number, "PAGE", "2")
    number.add_run(" (")
    field(number, "NUMPAGES", "2")
    number.add_run(")")
    return section


def field(paragraph, name: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in on every page."""
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), f" {name} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def save(document, path: Path) -> None:
    """Neutral metadata (jdgen sets the real ones at each build), no leftovers of python-docx's default."""
    properties = document.core_properties
    properties.author = properties.last_modified_by = "jdgen"
    properties.title = "Ametijuhendite kinnitamine"
    properties.comments = ""
    drop_default_leftovers(document)
    document.save(path)


if __name__ == "__main__":
    draw(Path(sys.argv[1] if len(sys.argv) > 1 else "templates/kaskkiri.docx"))
