"""Labels and sections are read from the template, so another agency's wording is picked up."""

from __future__ import annotations

import docx
from docx.oxml.ns import qn

from jdgen.document.layout import annex_layout

from conftest import SKA


def it_reads_the_labels_and_sections_of_the_stock_template():
    layout = annex_layout(SKA / "templates/kaskkiri.docx")
    assert layout.label("title") == "Teenistuskoht"
    assert layout.label("knowledge") == "Teadmised ja oskused"
    assert layout.label("tasks") == "Peamised teenistusülesanded"
    assert layout.results_label == "Oodatavad tulemused"
    assert [(s.number, s.heading) for s in layout.sections] == [
        (1, "1. Üldosa"),
        (2, "2. Peamised teenistusülesanded"),
        (3, "3. Teenistuskoha täitjale esitatavad nõuded"),
        (4, "4. Õigused ja vastutus"),
    ]
    assert layout.section_of("tasks").number == 2
    assert layout.section_of("knowledge").fields == [
        "education",
        "experience",
        "languages",
        "knowledge",
        "personal_qualities",
    ]


def it_follows_a_template_with_other_labels(tmp_path):
    document = docx.Document(SKA / "templates/kaskkiri.docx")
    for text in document.element.body.iter(qn("w:t")):
        if text.text == "Vahetu juht":
            text.text = "Otsene juht"
        elif text.text == "3. Teenistuskoha täitjale esitatavad nõuded":
            text.text = "3. Nõuded"
    document.save(tmp_path / "teine.docx")
    layout = annex_layout(tmp_path / "teine.docx")
    assert layout.label("reports_to") == "Otsene juht"
    assert layout.section_of("education").heading == "3. Nõuded"
