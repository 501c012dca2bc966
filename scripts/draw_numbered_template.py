"""Draw a second kind of template with python-docx: numbered rows, tasks as numbered paragraphs.

Another layout than the stock one (scripts/draw_template.py): the annex names the agency, the
service and the post in capitals above "AMETIJUHEND"; the general part's rows are numbered 1.1–1.6
(one of them, "Ametisse nimetab", an extra value the organisation declares); the tasks are numbered
paragraphs 3.1, 3.2, … with no results; there is no entry into force unless a date is given, and no
right of appeal. examples/transpordiamet/templates/kaskkiri.docx was drawn with

    .venv/bin/python scripts/draw_numbered_template.py examples/transpordiamet/templates/kaskkiri.docx

and, like every template, is the source of its look from then on: restyle it in Word or LibreOffice.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm
from draw_template import (
    IN_FORCE,
    add,
    further_points,
    further_rows,
    loop,
    optional_row,
    page,
    repeal_point,
    row,
    save,
    signature,
    styles,
    table,
)


def body(document) -> None:
    add(document, "KÄSKKIRI", "Käskkiri pealkiri")
    add(document, "{{ directive.date_text }} nr {{ directive.number_text }}", "Käskkiri kuupäev")
    add(document, "{{ directive.title }}", "Käskkiri teema")
    add(document, "{{ directive.legal_basis|nbsp }}", "Käskkiri tekst")
    add(
        document,
        "{% if directive.own_words.approve %}{{ points.approve }}. {{ directive.own_words.approve }}"
        "{% else %}{{ points.approve }}. Kinnitan {{ organisation.genitive }} {{ directive.unit.genitive }} "
        "{% if annexes|length == 1 %}järgmise teenistuskoha ametijuhendi"
        "{% else %}järgmiste teenistuskohtade ametijuhendid{% endif %}:{% endif %}",
        "Käskkiri punkt",
    )
    add(document, "{%p for a in annexes if not directive.own_words.approve %}", "Käskkiri alampunkt")
    add(
        document,
        "{{ points.approve }}.{{ a.number }}. {{ a.unit.genitive|capital }} {{ a.title_genitive }} "
        "ametijuhend (lisa {{ a.number }}){% if loop.last %}.{% else %};{% endif %}",
        "Käskkiri alampunkt",
    )
    add(document, "{%p endfor %}", "Käskkiri alampunkt")
    further_points(document, "directive.points_after_approve")
    repeal_point(document, closing_quote="“")
    further_points(document, "directive.extra_points")
    add(document, "{%p if directive.in_force_date %}", "Käskkiri punkt")
    add(document, IN_FORCE, "Käskkiri punkt")
    add(document, "{%p endif %}", "Käskkiri punkt")
    further_points(document, "directive.points_after_in_force")
    signature(document)


def annex(document) -> None:
    add(document, "{%p for a in annexes %}", "Normal")
    add(document, "Lisa {{ a.number }}", "Lisa number").paragraph_format.page_break_before = True
    for line in (
        "{{ organisation.name|upper }}",
        "{{ a.units[0].name|upper }}",
        "{{ a.unit.genitive|upper }} {{ a.title_genitive|upper }}",
    ):
        add(document, line, "Ametijuhend jaotis").alignment = WD_ALIGN_PARAGRAPH.CENTER
    add(document, "AMETIJUHEND", "Ametijuhend pealkiri")
    widths = (Cm(5.5), Cm(11))
    p = "a.position"
    add(document, "1. Üldosa", "Ametijuhend jaotis")
    general = table(document, widths)
    for label, value, key in (
        ("1.1. Struktuuriüksuse nimetus", "{{ a.unit.name }}", "unit"),
        ("1.2. Teenistuskoha nimetus", f"{{{{ {p}.title }}}}", "title"),
        ("1.3. Ametisse nimetab", f"{{{{ {p}.extra.appointed_by }}}}", None),
        ("1.4. Allub", f"{{{{ {p}.reports_to }}}}", "reports_to"),
        ("1.5. Asendaja", f"{{{{ {p}.substituted_by }}}}", "substituted_by"),
        ("1.6. Asendab", f"{{{{ {p}.substitutes }}}}", "substitutes"),
        ("2. Teenistuskoha eesmärk", loop("x", f"{p}.purpose"), "purpose"),
    ):
        added = row(general, widths, label, value)
        if value == f"{{{{ {p}.title }}}}":
            added.cells[1].paragraphs[0].style = "Ametikoht"
        if key is not None:
            further_rows(general, widths, key)
    add(document, "3. Teenistusülesanded", "Ametijuhend jaotis")
    add(document, "{%p for t in a.tasks %}", "Käskkiri tekst")
    add(document, "3.{{ t.n }}. {{ t.text }}", "Käskkiri tekst")
    add(document, "{%p endfor %}", "Käskkiri tekst")
    add(document, "4. Teenistuskohale esitatavad nõuded", "Ametijuhend jaotis")
    requirements = table(document, widths)
    for label, key in (
        ("4.1. Haridus", "education"),
        ("4.2. Töökogemus", "experience"),
        ("4.3. Keeleoskus", "languages"),
        ("4.4. Teadmised ja oskused", "knowledge"),
    ):
        optional_row(requirements, widths, label, loop("x", f"{p}.{key}"), f"{p}.{key}")
    add(document, "{%p if a.position.review %}", "Normal")
    for text in loop("x", f"{p}.review"):
        add(document, text, "Ametijuhend lõpp")
    add(document, "{%p endif %}", "Normal")
    add(document, "{%p endfor %}", "Normal")


def draw(path: Path) -> None:
    document = Document()
    page(document)
    styles(document)
    body(document)
    annex(document)
    save(document, path)


if __name__ == "__main__":
    draw(Path(sys.argv[1]))
