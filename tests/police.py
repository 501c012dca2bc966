"""A layout jdgen does not ship: Politsei- ja Piirivalveamet's, as its published job descriptions show it
(annexes of 1.9-23.4/1p-1 and 1.9-23.2/50p-1), made from the stock template the way its HR would edit
that in Word: the title only in the heading, in the genitive ("AUTOJUHI AMETIJUHEND"), other labels,
no substitutes' rows, the purpose as a section of its own, and a task table with a heading row of its
own words and, where `actions` is asked for, a third column ("Tegevused ülesannete täitmiseks", an
extra value of the task) between the task and its results.
"""

import copy
from pathlib import Path

import docx
from docx.oxml.ns import qn

from jdgen.document.layout import text_of
from ministry import HYPHEN_WORDING, sections_above_tasks, set_text


def police_template(stock: Path, target: Path, *, actions: bool) -> None:
    document = docx.Document(str(stock))
    body = document.element.body
    paragraphs = {text_of(p): p for p in body.iterchildren(qn("w:p"))}

    def paragraph(start):
        return next(p for t, p in paragraphs.items() if t.startswith(start))

    header = paragraph("KINNITATUD")
    date = copy.deepcopy(header)  # a line like the header's (the number's line is the PDF's outline)
    set_text(date, "{{ directive.date_text }} nr {{ directive.number_text }}")
    set_text(
        header,
        "{{ organisation.genitive }} {{ organisation.issuer_genitive }} käskkirja „{{ directive.title }}“",
    )
    set_text(paragraph("Lisa {{ a.number }}"), "lisa {{ a.number }}")
    set_text(paragraph("AMETIJUHEND"), "{{ a.title_genitive|upper }} AMETIJUHEND")
    paragraph("Lisa {{ a.number }}").addnext(date)
    set_text(paragraph("1. Üldosa"), "1. ÜLDOSA")
    tables = list(body.iterchildren(qn("w:tbl")))
    general, tasks = tables[0], tables[1]
    rows = list(general.iterchildren(qn("w:tr")))
    labels = {text_of(next(r.iter(qn("w:tc")))): r for r in rows}
    set_text(next(labels["Struktuuriüksus"].iter(qn("w:tc"))), "Struktuuriüksuse nimetus")
    set_text(next(labels["Vahetu juht"].iter(qn("w:tc"))), "Kellele allub")
    set_text(next(labels["Eritingimused"].iter(qn("w:tc"))), "Teenistustingimuste erisused")
    title = rows.index(labels["Teenistuskoht"])
    first_gone = rows.index(labels["Teenistuja asendab"]) - 1  # its {%tr if %} row
    last_gone = rows.index(labels["Ametikoha grupp"]) + 4  # its endif and its further rows
    for row in rows[title : title + 4] + rows[first_gone : last_gone + 1]:
        general.remove(row)
    sections_above_tasks(
        body,
        paragraph("3. Teenistuskoha täitjale"),
        [
            "2. TEENISTUSKOHA EESMÄRK",
            "{%p for x in a.position.purpose %}",
            "{{ x }}",
            "{%p endfor %}",
            "3. TEENISTUSKOHA ÜLESANDED JA TULEMUSED",
        ],
        ("Teenistuskoha ülesanded", "Tulemuslikkuse mõõtmise kriteeriumid/ Soovitud töötulemus"),
    )
    head, loop, task, end = list(tasks.iterchildren(qn("w:tr")))
    number = next(t for t in task.iter(qn("w:t")) if "2.{{ t.n }}. " in (t.text or ""))
    number.text = number.text.replace("2.{{ t.n }}. ", "3.{{ t.n }} ")
    if actions:
        for row, text in ((head, "Tegevused ülesannete täitmiseks"), (loop, ""), (task, None), (end, "")):
            results = list(row.iterchildren(qn("w:tc")))[1]
            column = copy.deepcopy(results)
            if text is None:  # the results' loop, paragraph by paragraph, over the actions instead
                for t in column.iter(qn("w:t")):
                    t.text = (t.text or "").replace("t.results", "t.extra.actions or []")
            else:
                set_text(column, text)
            results.addprevious(column)
        grid = tasks.find(qn("w:tblGrid"))
        if grid is not None:
            columns = list(grid.iterchildren(qn("w:gridCol")))
            grid.insert(1, copy.deepcopy(columns[1]))
    set_text(paragraph("3. Teenistuskoha täitjale"), "4. TEENISTUSKOHA TÄITJALE ESITATAVAD NÕUDED")
    set_text(paragraph("4. Õigused ja vastutus"), "5. ÕIGUSED JA VASTUTUS")
    document.save(str(target))


ORGANISATION = (
    """\
name: Politsei- ja Piirivalveamet
genitive: Politsei- ja Piirivalveameti
issuer_genitive: peadirektori asetäitja varade alal
signer:
  name: Veiko Kommusaar
  title: peadirektori asetäitja varade alal
legal_basis: >-
  Avaliku teenistuse seaduse § 52 lõike 2 alusel:
template: templates/kaskkiri.docx
review:
  substitutes: false
"""
    + HYPHEN_WORDING
)


ACTIONS = """\
extras:
  task:
    actions:
      type: paragraphs
      label: Tegevused ülesannete täitmiseks
"""


def police_project(stock: Path, root: Path, *, actions: bool = False) -> Path:
    """A project of the board: its organisation.yaml and its template, nothing else yet."""
    (root / "templates").mkdir(parents=True)
    (root / "organisation.yaml").write_text(ORGANISATION + (ACTIONS if actions else ""), "utf-8")
    police_template(stock, root / "templates/kaskkiri.docx", actions=actions)
    return root
