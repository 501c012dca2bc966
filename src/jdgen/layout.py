"""What the template calls each part of a job description: labels and section headings, from the template.

The stock template prints `Teenistuskoht | {{ a.position.title }}` as a table row: the label of
`title` is whatever the template's first cell says. Reading the labels from the template (instead
of keeping a second list in code) lets `jdgen import` find the values in a published directive and
`jdgen diff` speak in the document's own terms, for any agency's template and language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.oxml.ns import qn

from .errors import JdgenError
from .model import Position, parts
from .templatetext import has_tags, loop_over, value_paths

POSITION_PARTS = parts(Position)
_HEADING = re.compile(r"^(\d+)\.\s+\S")  # the printed text of a section heading, "3. Nõuded"
_HEADING_NUMBER = re.compile(r"^\d+\.\s+")


@dataclass
class Section:
    """A numbered section of the annex, e.g. 3 "Teenistuskoha täitjale esitatavad nõuded"."""

    number: int
    heading: str
    fields: list[str] = field(default_factory=list)


@dataclass
class AnnexLayout:
    """Labels of the annex's values (`title` -> "Teenistuskoht"; `unit`: the unit's name), its sections."""

    labels: dict[str, str]
    sections: list[Section]
    results_label: str | None = None  # the heading over the tasks' results, "Oodatavad tulemused"

    def section_of(self, name: str) -> Section | None:
        return next((s for s in self.sections if name in s.fields), None)

    def label(self, name: str) -> str:
        """The template's label of a field; where the template has none, the stock one (`model.Part`)."""
        part = POSITION_PARTS.get(name)
        return self.labels.get(name, part.label if part else name)


def text_of(element) -> str:
    """The text of a WordprocessingML element (a paragraph, a cell, a row): its `w:t` runs joined."""
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _text(element) -> str:
    return text_of(element).strip()


def _value_of(annex: str, text: str) -> str | None:
    """Which value of the annex a cell prints: `a.position.title` -> "title", `a.unit.name` ->
    "unit", `a.tasks` -> "tasks" (the first the text's tags use), with `annex` the loop's variable."""
    for path in value_paths(text):
        if path[:1] != (annex,):
            continue
        if path[1:2] == ("position",) and len(path) > 2:
            return path[2]
        if path[1:3] == ("unit", "name"):
            return "unit"
        if path[1:2] == ("tasks",):
            return "tasks"
    return None


def annex_layout(template: Path, *, template_name: str | None = None) -> AnnexLayout:
    """Read the labels and sections of the annex from a docxtpl template."""
    try:
        body = docx.Document(str(template)).element.body
    except Exception as exc:  # python-docx raises several kinds for a file that is not a .docx
        raise JdgenError.at(
            template_name or str(template),
            f"not a usable .docx template ({exc})",
            hint="save it from Word or LibreOffice as .docx",
        ) from None
    labels: dict[str, str] = {}
    sections: list[Section] = []
    results_label = None
    annex = "a"
    for block in body.iterchildren():
        if block.tag == qn("w:p"):
            text = _text(block)
            loop = loop_over(text, "annexes")
            if loop:  # the last loop over the annexes prints them: start afresh
                labels, sections, results_label = {}, [], None
                annex = loop
            elif (heading := _HEADING.match(text)) and not has_tags(text):
                sections.append(Section(int(heading.group(1)), text))
            continue
        if block.tag != qn("w:tbl"):
            continue
        for row in block.iter(qn("w:tr")):
            cells = [_text(cell) for cell in row.iter(qn("w:tc"))]
            if len(cells) < 2:
                continue
            heading = _HEADING.match(cells[0])
            if heading and not has_tags(cells[0]):  # a table whose first row is its section heading
                sections.append(Section(int(heading.group(1)), cells[0]))
                if not has_tags(cells[1]):
                    results_label = cells[1]
                continue
            name = _value_of(annex, " ".join(cells[1:])) or _value_of(annex, cells[0])
            if name is None:
                continue
            if not has_tags(cells[0]):
                labels.setdefault(name, cells[0])
            elif name == "tasks" and sections:  # the tasks' table is labelled by its section heading
                labels.setdefault(name, _HEADING_NUMBER.sub("", sections[-1].heading))
            if sections and name not in sections[-1].fields:
                sections[-1].fields.append(name)
    return AnnexLayout(labels, sections, results_label)
