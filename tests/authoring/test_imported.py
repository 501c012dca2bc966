"""Writing imported text as YAML that refers to the includes (`imported.Writer`), one behaviour each."""

from __future__ import annotations

import yaml

from jdgen.authoring.annextext import PublishedAnnex, PublishedTask
from jdgen.authoring.imported import Include, Writer, directive_yaml
from jdgen.authoring.published import PublishedDirective
from jdgen.document.layout import annex_layout

from conftest import SKA

LAYOUT = annex_layout(SKA / "templates/kaskkiri.docx")
RIGHTS = Include(
    "positions/_shared/oigused.yaml",
    ["teha kaugtööd kokkuleppel vahetu juhiga", "saada tööks vajalikku teavet ameti teistelt üksustelt"],
)
TASK = Include("positions/_shared/t.yaml", {"task": "Muude ülesannete täitmine.", "results": ["Täidetud."]})


def annex(**fields) -> PublishedAnnex:
    return PublishedAnnex(1, {"title": "Jurist", "reports_to": "Juht", "purpose": "Eesmärk.", **fields},
                          [PublishedTask("Muude ülesannete täitmine.", ["Täidetud."]),
                           PublishedTask("Lepingute koostamine.", ["Koostatud."])])  # fmt: skip


def it_writes_text_equal_to_an_include_as_that_include():
    writer = Writer([RIGHTS, TASK])
    rights = "teha kaugtööd kokkuleppel vahetu juhiga; saada tööks vajalikku teavet ameti teistelt üksustelt."
    data = yaml.safe_load(writer.position_yaml(annex(rights=rights), LAYOUT, "Lisa 1")
                          .replace("!include ", "include:"))  # fmt: skip
    assert data["rights"] == "include:positions/_shared/oigused.yaml"
    assert data["tasks"][0] == "include:positions/_shared/t.yaml"
    assert data["tasks"][1] == {"task": "Lepingute koostamine.", "results": ["Koostatud."]}
    assert writer.used == {RIGHTS.path, TASK.path}


def it_splits_clauses_and_reports_a_near_match():
    writer = Writer([RIGHTS])
    rights = (
        "teha kaugtööd kokkuleppel vahetu juhiga; saada tööks vajalikku teavet ameti teistelt osakondadelt."
    )
    text = writer.position_yaml(annex(rights=rights), LAYOUT, "Lisa 1")
    assert yaml.safe_load(text)["rights"] == [
        "teha kaugtööd kokkuleppel vahetu juhiga",
        "saada tööks vajalikku teavet ameti teistelt osakondadelt",
    ]
    assert writer.near == [
        "Lisa 1 Õigused is nearly positions/_shared/oigused.yaml: teha kaugtööd kokkuleppel vahetu juhiga "
        "saada tööks vajalikku teavet ameti teistelt [-üksustelt-] {+osakondadelt+}"
    ]


def it_writes_the_directive_fields_that_were_read():
    read = PublishedDirective("12", None, "Ametijuhendi kinnitamine", None, [], ["Teine punkt."], None, [])
    data = yaml.safe_load(directive_yaml(read, "positions/u", ["positions/u/a.yaml"]))
    assert data == {
        "number": 12,  # as typed; the model reads a bare number as text
        "title": "Ametijuhendi kinnitamine",
        "unit": "positions/u",
        "annexes": ["positions/u/a.yaml"],
        "extra_points": ["Teine punkt."],
    }
