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
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

from ..errors import JdgenError
from ..format.agency import Organisation
from ..format.model import Position, Shape, parts
from ..i18n import _
from .templatetext import has_tags, loop_over, pieces, text_after, text_before, value_paths

POSITION_PARTS = parts(Position)
_HEADING = re.compile(r"^(\d+)\.\s+\S")  # the printed text of a section heading, "3. Nõuded"
_HEADING_NUMBER = re.compile(r"^\d+\.\s+")


@dataclass
class Section:
    """A numbered section of the annex, e.g. 3 "Teenistuskoha täitjale esitatavad nõuded"."""

    number: int
    heading: str
    fields: list[str] = field(default_factory=list)
    rows: bool = False  # whether its values are in a table (a paragraph after the table is not its)


@dataclass
class AnnexLayout:
    """Labels of the annex's values (`title` -> "Teenistuskoht"; `unit`: the unit's name), its sections."""

    labels: dict[str, str]
    sections: list[Section]
    results_label: str | None = None  # the heading over the tasks' results, "Oodatavad tulemused"
    task_number: tuple[str, str] = ("", ".")  # around a task's number: ("2.", ".") prints "2.1."
    results: bool = True  # whether the template prints the tasks' results
    paths: frozenset[tuple[str, ...]] = frozenset()  # every dotted name the template uses
    printed: frozenset[str] = frozenset()  # the position's fields it prints (`printed_fields`)
    printed_whole: frozenset[str] = frozenset()  # list fields printed as they are (`lists_printed_whole`)
    extra_labels: dict[str, str] = field(default_factory=dict)  # organisation.yaml's, "extra.NAME" -> label
    task_headings: tuple[str, ...] = ()  # the tasks' table's heading row, cell by cell (its own words)
    task_columns: tuple[
        str, ...
    ] = ()  # what each cell of a task's row prints: "task", "results", "extra.NAME"

    @property
    def unit_genitive(self) -> bool:
        """Whether the template prints a unit's genitive (of the directive's unit or an annex's)."""
        return any(path[-1] == "genitive" and ("unit" in path or "units" in path) for path in self.paths)

    def section_of(self, name: str) -> Section | None:
        return next((s for s in self.sections if name in s.fields), None)

    def task_name(self, n: int) -> str:
        """How the document numbers task `n`, without the final dot: "2.1", "3.2"."""
        before, after = self.task_number
        return f"{before}{n}{after}".rstrip(".") or str(n)

    def task_start(self) -> re.Pattern[str]:
        """The start of a numbered task's line, with its number as the group ("2.1. " -> 1)."""
        before, after = self.task_number
        return re.compile(rf"^{re.escape(before)}(\d+){re.escape(after)}\s+")

    def label(self, name: str) -> str:
        """The template's label of a field ("extra.NAME" for an agency's own value, "task.extra.NAME"
        for a task's); where the template has none, organisation.yaml's label of an extra value, or
        the field's plain name (`model.Part`)."""
        part = POSITION_PARTS.get(name)
        return self.labels.get(name) or self.extra_labels.get(name) or (_(part.label) if part else name)


def text_of(element) -> str:
    """The text of a WordprocessingML element (a paragraph, a cell, a row): its `w:t` runs joined."""
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _text(element) -> str:
    return text_of(element).strip()


def _value_of(annex: str, paths: list[tuple[str, ...]]) -> str | None:
    """Which value of the annex the dotted names print: `a.position.title` -> "title", `a.unit.name`
    -> "unit", `a.tasks` -> "tasks" (the first of them that is one), with `annex` the loop's variable."""
    for path in paths:
        if path[:1] != (annex,):
            continue
        if path[1:3] == ("position", "extra") and len(path) > 3:
            return f"extra.{path[3]}"  # the agency's own value, as organisation.yaml declares it
        if path[1:2] == ("position",) and len(path) > 2:
            return path[2]
        if path[1:3] == ("unit", "name"):
            return "unit"
        if path[1:2] == ("tasks",):
            return "tasks"
    return None


def _all_texts(document: DocxDocument) -> list[str]:
    """The text of every paragraph of the template: its body, tables, headers and footers."""
    parts = [document.element.body]
    for section in document.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            parts.append(header._element)
        for footer in (section.footer, section.first_page_footer, section.even_page_footer):
            parts.append(footer._element)
    return [text_of(p) for part in parts for p in part.iter(qn("w:p"))]


def lists_printed_whole(texts: list[str], paragraph_extras: frozenset[str] = frozenset()) -> set[str]:
    """The list values that a `{{ … }}` prints whole, with no filter: a position's paragraphs and
    clauses, an extra value declared as paragraphs ("extra.NAME"). The document would show "['…']"
    instead of paragraphs."""
    lists = {name for name, part in POSITION_PARTS.items() if part.shape in (Shape.PARAGRAPHS, Shape.CLAUSES)}
    found = set()
    for text in texts:
        for piece in pieces(text):
            if piece.tag != "variable" or len(piece.paths) != 1 or piece.names != piece.paths[0]:
                continue  # a filter or an expression: the author made it text
            path = piece.paths[0]
            if path[1:2] == ("position",) and len(path) == 3 and path[2] in lists:
                found.add(path[2])
            elif len(path) > 2 and path[-2] == "extra" and path[-1] in paragraph_extras:
                found.add(f"extra.{path[-1]}")
    return found


def printed_fields(paths: set[tuple[str, ...]]) -> set[str]:
    """The fields of a position that a template with these names prints (an annex's derived values
    count for the fields they come from: `title_in_list` prints the title)."""
    printed = {path[2] for path in paths if len(path) > 2 and path[1] == "position"}
    derived = {path[1] for path in paths if len(path) > 1}
    if derived & {"title_in_list", "title_genitive"}:
        printed.add("title")
    if "title_genitive" in derived:
        printed.add("title_genitive")
    if "tasks" in derived:
        printed.add("tasks")
    if "rows_after" in derived:
        printed.add("rows")
    return printed


def not_a_template(template_name: str, exc: Exception) -> JdgenError:
    """The error for a template file that python-docx or docxtpl cannot read."""
    return JdgenError.at(
        template_name,
        _("not a usable .docx template ({problem})").format(problem=exc),
        hint=_("save it from Word or LibreOffice as .docx"),
    )


def annex_layout(
    template: Path, *, template_name: str | None = None, organisation: Organisation | None = None
) -> AnnexLayout:
    """Read the labels and sections of the annex from a docxtpl template (with the labels the
    organisation gives its extra values, where the template has none)."""
    try:
        document = docx.Document(str(template))
    except Exception as exc:  # python-docx raises several kinds for a file that is not a .docx
        raise not_a_template(template_name or str(template), exc) from None
    found = _Reading()
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            found.paragraph(_text(block))
        elif block.tag == qn("w:tbl"):
            for row in block.iter(qn("w:tr")):
                found.row([_text(cell) for cell in row.iter(qn("w:tc"))])
    texts = _all_texts(document)
    paths = frozenset(path for text in texts for path in value_paths(text))
    return AnnexLayout(
        found.labels,
        found.sections,
        found.results_label,
        found.task_number,
        found.results,
        paths,
        frozenset(printed_fields(set(paths))),
        frozenset(lists_printed_whole(texts, _paragraph_extras(organisation))),
        _extra_labels(organisation) if organisation is not None else {},
        tuple(found.task_headings),
        tuple(found.task_columns),
    )


def _paragraph_extras(organisation: Organisation | None) -> frozenset[str]:
    if organisation is None:
        return frozenset()
    kinds = (
        organisation.extras.position,
        organisation.extras.task,
        organisation.extras.unit,
        organisation.extras.directive,
    )
    return frozenset(name for kind in kinds for name, value in kind.items() if value.type == "paragraphs")


def _extra_labels(organisation: Organisation) -> dict[str, str]:
    extras = organisation.extras
    return {
        **{f"extra.{name}": value.label for name, value in extras.position.items() if value.label},
        **{f"task.extra.{name}": value.label for name, value in extras.task.items() if value.label},
    }


@dataclass
class _Reading:
    """The annex's layout as read so far, block by block (the last loop over the annexes counts)."""

    annex: str = "a"  # the loop's variable over the annexes
    task: str = "t"  # the loop's variable over an annex's tasks
    labels: dict[str, str] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    results_label: str | None = None
    task_number: tuple[str, str] = ("", ".")
    results: bool = False
    task_headings: list[str] = field(default_factory=list)
    task_columns: list[str] = field(default_factory=list)

    def paragraph(self, text: str) -> None:
        loop = loop_over(text, "annexes")
        if loop:  # the last loop over the annexes prints them: start afresh
            self.__init__()  # type: ignore[misc]
            self.annex = loop
        elif (heading := _HEADING.match(text)) and not has_tags(text):
            self.sections.append(Section(int(heading.group(1)), text))
        else:
            self._values(text)

    def row(self, cells: list[str]) -> None:
        if self.sections:
            self.sections[-1].rows = True
        if len(cells) < 2:
            if cells:
                self._values(cells[0], in_row=True)
            return
        heading = _HEADING.match(cells[0])
        if heading and not has_tags(cells[0]):  # a table whose first row is its section heading
            self.sections.append(Section(int(heading.group(1)), cells[0]))
            if not has_tags(cells[1]):
                self.results_label = cells[1]
                return
        fresh = self.sections and not self.sections[-1].fields  # the first row under a heading
        if fresh and cells[-1] and not any(has_tags(cell) for cell in cells):
            self.results_label = cells[-1]  # column headings under the section's own heading
            self.task_headings = [cell for cell in cells if cell]
            return
        columns = [self._column(cell) for cell in cells]
        if "task" in columns:
            self.task_columns = columns
        self._values(" ".join(cells), in_row=True)
        name = _value_of(self.annex, value_paths(" ".join(cells[1:]))) or _value_of(
            self.annex, value_paths(cells[0])
        )
        if name is None:
            return
        if not has_tags(cells[0]):
            self.labels.setdefault(name, cells[0])
        elif name == "tasks" and self.sections:  # the tasks' table is labelled by its section heading
            self.labels.setdefault(name, _HEADING_NUMBER.sub("", self.sections[-1].heading))
        self._in_section(name)

    def _column(self, cell: str) -> str:
        """What a cell of the tasks' row prints: "task", "results", "extra.NAME" ("" for none of them)."""
        for path in value_paths(cell):
            if path[:1] != (self.task,) or len(path) < 2:
                continue
            if path[1] in ("task", "text"):
                return "task"
            if path[1] == "results":
                return "results"
            if path[1] == "extra" and len(path) > 2:
                return f"extra.{path[2]}"
        return ""

    def _values(self, text: str, *, in_row: bool = False) -> None:
        """A paragraph or cell with tags: the tasks' loop and numbering, a value of the section (a
        paragraph belongs to a section of paragraphs only, not to one whose values are in a table)."""
        loop = loop_over(text, f"{self.annex}.tasks")
        if loop:
            self.task = loop
        number = (self.task, "n")
        if number in value_paths(text):
            before = (text_before(text, number) or "").split()
            after = (text_after(text, number) or "").split()
            self.task_number = (before[-1] if before else "", after[0] if after else "")
        if any(path[:2] == (self.task, "results") for path in value_paths(text)):
            self.results = True
        printed = [  # what the text prints or loops over, not what an `if` asks about
            path
            for piece in pieces(text)
            if piece.tag == "variable" or piece.names[:1] == ("for",)
            for path in piece.paths
        ]
        name = _value_of(self.annex, printed)
        if name is None or not self.sections or (self.sections[-1].rows and not in_row):
            return
        if name == "tasks":
            self.labels.setdefault(name, _HEADING_NUMBER.sub("", self.sections[-1].heading))
        self._in_section(name)

    def _in_section(self, name: str) -> None:
        if self.sections and name not in self.sections[-1].fields:
            self.sections[-1].fields.append(name)
