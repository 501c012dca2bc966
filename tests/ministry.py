"""A layout jdgen does not ship: Kultuuriministeerium's, as its published directive nr 9-P shows it,
made from the stock template the way its HR would edit that in Word (other words, other rows, the
purpose as a section of its own, no list of annexes in point 1, no signer's title).
"""

import copy
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from jdgen.document.layout import text_of


def set_text(element, text):
    """The element's text (a paragraph, a cell) as `text`, in its first run (an empty cell gets one)."""
    ts = list(element.iter(qn("w:t")))
    if not ts:
        run = OxmlElement("w:r")
        ts = [OxmlElement("w:t")]
        run.append(ts[0])
        next(element.iter(qn("w:p"))).append(run)
    ts[0].text = text
    for t in ts[1:]:
        t.text = ""


def sections_above_tasks(body, model, texts: list[str], head_cells: tuple[str, str]) -> None:
    """Paragraphs styled like `model` (a section's heading) in place of the stock template's space
    above the tasks' table, its heading row's cells relabelled: a layout whose section heading
    stands above the tasks' table, not in its heading row."""
    tasks = next(t for t in body.iterchildren(qn("w:tbl")) if "a.tasks" in text_of(t))
    space = tasks.getprevious()
    for text in texts:
        line = copy.deepcopy(model)
        set_text(line, text)
        space.addprevious(line)
    body.remove(space)
    head = next(tasks.iterchildren(qn("w:tr")))
    cells = list(head.iterchildren(qn("w:tc")))
    first, label = (next(cell.iter(qn("w:p"))) for cell in cells)
    first.replace(first.find(qn("w:pPr")), copy.deepcopy(label.find(qn("w:pPr"))))  # a label, no heading
    for cell, text in zip(cells, head_cells, strict=True):
        set_text(cell, text)


def ministry_template(stock: Path, target: Path) -> None:
    document = docx.Document(str(stock))
    body = document.element.body
    paragraphs = {text_of(p): p for p in body.iterchildren(qn("w:p"))}

    def paragraph(start):
        return next(p for t, p in paragraphs.items() if t.startswith(start))

    set_text(paragraph("KÄSKKIRI"), "KANTSLERI KÄSKKIRI")
    set_text(
        paragraph("{{ directive.date_text }} nr"),
        "Tallinn {{ directive.date_text }} nr {{ directive.number_text }}",
    )
    set_text(
        paragraph("{% if directive.own_words.approve %}"),
        "{% if directive.own_words.approve %}{{ points.approve }}. {{ directive.own_words.approve }}"
        "{% else %}"
        "{{ points.approve }}. Kinnitan {{ directive.unit.genitive }} teenistujate ametijuhendid "
        "(juurde lisatud).{% endif %}",
    )
    items = paragraph("{%p for a in annexes if not")
    for element in (items, items.getnext(), items.getnext().getnext()):
        body.remove(element)
    set_text(
        paragraph("{% if directive.own_words.in_force %}"),
        "{% if directive.in_force_date %}{{ points.in_force }}. Käskkiri jõustub "
        "{{ directive.in_force_date|adessive }}.{% endif %}",
    )
    body.remove(paragraph("{{ directive.signer.title }}"))
    header = paragraph("KINNITATUD")
    set_text(header, "Kinnitatud")
    number = paragraph("Lisa {{ a.number }}")
    set_text(
        number,
        "{{ organisation.issuer_genitive }} {{ directive.date_text }} käskkirjaga nr "
        "{{ directive.number_text }}",
    )
    for text in ("{{ a.title_genitive|upper }}", "{{ a.unit.genitive|upper }}"):
        line = copy.deepcopy(number)
        set_text(line, text)
        number.addnext(line)
    set_text(paragraph("1. Üldosa"), "1. ÜLDOSA")
    table = next(body.iterchildren(qn("w:tbl")))
    rows = list(table.iterchildren(qn("w:tr")))
    labels = {text_of(next(r.iter(qn("w:tc")))): r for r in rows}
    set_text(next(labels["Teenistuskoht"].iter(qn("w:tc"))), "Ametikoht")
    # "Ametnikku asendab" (who substitutes the official) before "Ametnik asendab"
    substitutes = rows.index(labels["Teenistuja asendab"]) - 1  # its {%tr if %} row
    substituted_by = rows.index(labels["Teenistuja asendaja"]) - 1
    set_text(next(labels["Teenistuja asendab"].iter(qn("w:tc"))), "Ametnik asendab")
    set_text(next(labels["Teenistuja asendaja"].iter(qn("w:tc"))), "Ametnikku asendab")
    moved = rows[substituted_by : substituted_by + 6]  # its if, row, endif and its further rows
    anchor = rows[substitutes]
    for row in moved:
        anchor.addprevious(row)
    purpose = rows.index(labels["Teenistuskoha eesmärk"])
    for row in rows[purpose:]:  # purpose, group, special conditions: not rows of this layout
        table.remove(row)
    sections_above_tasks(
        body,
        paragraph("3. Teenistuskoha täitjale"),
        [
            "2. AMETIKOHA EESMÄRK",
            "{%p for x in a.position.purpose %}",
            "{{ x }}",
            "{%p endfor %}",
            "3. Peamised teenistusülesanded",
        ],
        ("", "Oodatavad tulemused"),
    )
    set_text(paragraph("3. Teenistuskoha täitjale"), "4. Teenistuskoha täitjale esitatavad nõuded")
    set_text(paragraph("4. Õigused ja vastutus"), "5. Õigused ja vastutus")
    task = next(t for t in body.iter(qn("w:t")) if "2.{{ t.n }}" in (t.text or ""))
    task.text = task.text.replace("2.{{ t.n }}", "3.{{ t.n }}")
    document.save(str(target))


# "lisad 2-7", "… ja …": the ranges and lists of both layouts' published directives
HYPHEN_WORDING = """\
wording:
  through: "-"
  last: " ja "
  separator: ", "
  shortest_range: 2
  repeal_last: ", "
"""

ORGANISATION = (
    """\
name: Kultuuriministeerium
genitive: Kultuuriministeeriumi
issuer_genitive: kantsleri
signer:
  name: Kristiina Alliksaar
  title: kantsler
legal_basis: >-
  Avaliku teenistuse seaduse § 52 lõike 2 ja Vabariigi Valitsuse 09.06.2022 määruse nr 62
  „Kultuuriministeeriumi põhimäärus“ § 8 lõike 1 alusel:
template: templates/kaskkiri.docx
"""
    + HYPHEN_WORDING
)


def ministry_project(stock: Path, root: Path) -> Path:
    """A project of the ministry: its organisation.yaml and its template, nothing else yet."""
    (root / "templates").mkdir(parents=True)
    (root / "organisation.yaml").write_text(ORGANISATION, "utf-8")
    ministry_template(stock, root / "templates/kaskkiri.docx")
    return root
