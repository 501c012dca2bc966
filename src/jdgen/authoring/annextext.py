"""One annex of a published directive read back, value by value, in the template's own terms.

In an annex's lines, a line that starts with one of the template's labels ("Teenistuskoht",
"1.2. Teenistuskoha nimetus") starts that value; a section heading that is also a label ("2.
Teenistuskoha eesmärk …") starts its value on the same line; a line that starts as the template
numbers a task ("2.1.", "3.1.") starts a task; other lines continue what came before, and after a
task a line starting with a capital is one of its results where the template prints results. Where
a PDF's two columns came out as several labels first and then their values, the values are handed
to the waiting labels in order. The header lines above the title are kept for what they print (the
outer unit, in the layouts that print it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..document.layout import AnnexLayout

ROW = "row:"  # the key of a row the template has no label for: "row:1.5. Alluvad"
_ROW_NUMBER = re.compile(r"^\d+(?:\.\d+)+\.?\s+")  # "1.5. " of a numbered row's label


@dataclass
class PublishedTask:
    task: str
    results: list[str] = field(default_factory=list)
    numbered: bool = True
    extra: dict[str, list[str]] = field(default_factory=dict)  # a column of the agency's own, by its name


@dataclass
class PublishedAnnex:
    """What an annex says, field by field, as text (not yet split into list items)."""

    number: int | None
    fields: dict[str, str] = field(default_factory=dict)  # a declared extra as "extra.NAME"
    tasks: list[PublishedTask] = field(default_factory=list)
    trailing: list[str] = field(default_factory=list)  # after the last labelled value: the review
    stub: bool = False  # point 1 lists it, but the text has no body for it
    header: list[str] = field(default_factory=list)  # the lines above the title ("AMETIJUHEND")
    outer_unit: str | None = None  # the unit around the annex's own, where the header prints it
    rows: list[dict[str, str]] = field(default_factory=list)  # rows the template has no label for
    span: tuple[int, int] | None = None  # its lines in the source (None: the source does not show it)
    cut: bool = False  # the source ends inside it
    heading_title: bool = False  # its title stands only in the header's genitive, which no rule undoes
    missing: list[str] = field(default_factory=list)  # what a partly shown annex lacks: fields to fill in
    dashed: bool = False  # its tasks' results are items written "- …;"


class _Reader:
    """Reads one annex's lines, one at a time, into `annex` in the words of `layout`."""

    def __init__(
        self, layout: AnnexLayout, annex: PublishedAnnex, row_labels: frozenset[str] = frozenset()
    ) -> None:
        self.layout, self.annex = layout, annex
        known = {label for label, _name in self.labels_of(layout)} | {s.heading for s in layout.sections}
        known |= {layout.results_label} if layout.results_label else set()
        # a DOCX's row labels the template does not have: rows of their own (longest first)
        self.row_labels = sorted(
            (lab for lab in row_labels - known if not any(lab.startswith(k + " ") for k in known)),
            key=lambda lab: -len(lab),
        )
        self.labels = self.labels_of(layout)
        self.order = {name: index for index, name in enumerate(layout.labels)}  # the template's order
        self.headings = {s.heading for s in layout.sections}
        self.sole = {  # a section of one unlabelled value: its lines are that value
            s.heading: s.fields[0]
            for s in layout.sections
            if len(s.fields) == 1 and s.fields[0] not in layout.labels and s.fields[0] != "tasks"
        }
        # a numbered label without its number ("Asendaja" of "1.5. Asendaja"): a layout whose rows
        # the source numbers otherwise (one row more before it) still names the value
        self.bare = sorted(
            ((label[m.end() :], name) for label, name in self.labels if (m := _ROW_NUMBER.match(label))),
            key=lambda lab: -len(lab[0]),
        )
        self.row_numbers = {str(s.number) for s in layout.sections if s.rows} if self.bare else set()
        tasks = layout.section_of("tasks")
        self.task_heading = tasks.heading if tasks else None
        self.task_start = layout.task_start()
        self.last_fields = set(layout.sections[-1].fields) if layout.sections else set()
        self.current: str | None = None  # the value the lines go to
        self.waiting: list[str] = []  # labels written alone, before their values
        self.values: list[str] = []  # the lines after those labels
        self.in_tasks = False
        self.started = False  # past the header: at the first section
        self.owner: str | None = None  # the value the closing text came after

    @staticmethod
    def labels_of(layout: AnnexLayout) -> list[tuple[str, str]]:
        """The template's labels with their values' names, the longest first."""
        return sorted(((label, name) for name, label in layout.labels.items()), key=lambda lab: -len(lab[0]))

    def label_of(self, line: str) -> tuple[str, str] | None:
        """The label the line starts with, as the line writes it, and its value's name; a numbered
        row the template has no label for ("1.5. Alluvad", alone on its line) as `ROW` + its label."""
        exact = next((lab for lab in self.labels if line == lab[0] or line.startswith(lab[0] + " ")), None)
        if exact is None and self.started and not self.in_tasks:
            row = next((lab for lab in self.row_labels if line == lab or line.startswith(lab + " ")), None)
            if row is not None:
                return row, ROW + row
        number = _ROW_NUMBER.match(line)
        if exact is not None or number is None or self.in_tasks:
            return exact
        rest = line[number.end() :]
        for bare, name in self.bare:
            if rest == bare or rest.startswith(bare + " "):
                return line[: number.end()] + bare, name
        if line.split(".")[0] in self.row_numbers and re.fullmatch(r"[A-ZÕÄÖÜŠŽ][\w\s()/-]{0,40}", rest):
            return line, ROW + line  # a label alone: its value follows
        return None

    def line(self, line: str) -> None:
        heading = next((h for h in self.headings if line == h or line.startswith(h + " ")), None)
        label = self.label_of(line)
        if (heading is not None or label is not None) and self.annex.trailing and self.owner is not None:
            self.annex.fields[self.owner] += " " + " ".join(self.annex.trailing)  # more values follow
            self.annex.trailing, self.owner = [], None
        if heading is not None:
            self.heading(heading)
            if label is None or label[0] != heading:  # a heading that labels a value starts it
                return
        if not self.started:
            return
        if label is not None and not self.in_tasks:
            self.labelled(line, *label)
        elif self.waiting:
            self.values.append(line)
            if len(self.values) == len(self.waiting):  # a line each: later lines go as usual
                self.close()
        elif self.in_tasks:
            if not self._column_heading(line):
                _task_line(self.annex, line, self.task_start, self.layout.results)
        else:
            self.unlabelled(line)

    def _column_heading(self, line: str) -> bool:
        """Whether the line is (part of) the tasks' table's heading row, its own words: before the
        first task any run of them, after it (a heading repeated on a new page) a cell or more."""
        said = " ".join(self.layout.task_headings)
        if not said or (self.annex.tasks and line not in self.layout.task_headings and len(line.split()) < 3):
            return line == self.layout.results_label
        return f" {line} " in f" {said} "

    def heading(self, heading: str) -> None:
        self.close()
        self.started = True
        self.in_tasks = heading == self.task_heading
        self.current = self.sole.get(heading)
        if self.current is not None:
            self.annex.fields[self.current] = ""

    def labelled(self, line: str, label: str, name: str) -> None:
        """A line that starts with a label: its value, or a label alone whose value follows."""
        value = line[len(label) :].strip()
        if (
            self.waiting
            and not self.values
            and value
            and self.order.get(name, -1) <= self.order.get(self.waiting[-1], -1)
        ):
            self.values.append(line)  # a lone label's value that starts with a label's words
            self.close()
        elif value:
            self.close()
            self.current, self.annex.fields[name] = name, value
        else:  # a label alone on its line: its value follows, maybe after more lone labels
            if self.values:
                self.close()
            self.waiting.append(name)
            self.annex.fields[name] = ""

    def unlabelled(self, line: str) -> None:
        """A wrapped line continues its value; after the last section's values (complete sentences)
        comes the closing text, e.g. the review sentence."""
        current, fields = self.current, self.annex.fields
        if current is not None and (
            current not in self.last_fields or line[:1].islower() or not fields[current].endswith(".")
        ):
            fields[current] = f"{fields[current]} {line}".strip()
        else:
            self.owner = self.owner if self.annex.trailing else current
            self.current = None
            self.annex.trailing.append(line)

    def close(self) -> None:
        """Hand the lines after lone labels to them, a line each, in order. With fewer lines than
        labels, the first labels are the empty ones (a row printed without a value reads as its
        label alone, right before the next label); the last label takes the lines continuing it."""
        given = self.waiting[len(self.waiting) - len(self.values) :] if self.values else []
        for name, line in zip(given, self.values, strict=True):
            self.annex.fields[name] = line
        self.current = given[-1] if given else None
        self.waiting, self.values = [], []


def read_annex(
    lines: list[str],
    layout: AnnexLayout,
    number: int | None,
    title_word: str,
    *,
    whole_cells: bool = False,
    row_labels: frozenset[str] = frozenset(),
    title_last: bool = False,
) -> PublishedAnnex:
    """The values of one annex from its lines (`title_word` ends its header: "AMETIJUHEND", with the
    title's genitive before it on its line where `title_last`); with
    `whole_cells` (a DOCX), a labelled value is all on its line, so what follows it is not more of it."""
    annex = PublishedAnnex(number)
    if not whole_cells:
        lines = _wrapped_labels(lines, layout)
    cut_label = _cut_label(lines[-1], layout) if lines else None
    if cut_label is not None:  # the page ends inside a label: no value runs on into it
        lines = lines[:-1]
    title = next((i for i, line in enumerate(lines) if line.split()[:1] == [title_word]), None)
    if title is None and title_last:  # "AUTOJUHI AMETIJUHEND": the genitive ends the header
        title = next(
            (i for i, line in enumerate(lines) if line.split()[1:] and line.split()[-1] == title_word), None
        )
        annex.header = [*lines[:title], " ".join(lines[title].split()[:-1])] if title is not None else []
    else:
        annex.header = lines[:title] if title is not None else []
    reader = _Reader(layout, annex, row_labels)
    for line in lines:
        reader.line(line)
    reader.close()
    if cut_label is not None:
        annex.fields.setdefault(cut_label, "")
        annex.cut = True
    _further_rows(annex)
    if not whole_cells:
        _closing_paragraph(annex, reader.owner)
    if layout.results:
        for published_task in annex.tasks:
            if not published_task.results:  # task and results on one line: the first sentence is the task
                sentences = re.split(r"(?<=\.)\s+(?=[A-ZÕÄÖÜŠŽ])", published_task.task)
                published_task.task, published_task.results = sentences[0], sentences[1:] or []
    return annex


def _further_rows(annex: PublishedAnnex) -> None:
    """The rows the template has no label for, as rows after the value read before each."""
    after = "unit"
    for key in list(annex.fields):
        if key.startswith(ROW):
            text = annex.fields.pop(key) or "…"
            annex.rows.append({"label": key.removeprefix(ROW), "text": text, "after": after})
        elif not key.startswith("extra."):
            after = key


def _wrapped_labels(lines: list[str], layout: AnnexLayout) -> list[str]:
    """The lines with a label that a narrow column wrapped ("Struktuuriüksuse" / "nimetus" / value)
    on one line again, so that the label starts its value."""
    labels = [label for label in layout.labels.values() if " " in label]
    joined: list[str] = []
    for line in lines:
        merged = f"{joined[-1]} {line} " if joined else ""
        if joined and any(  # the label's start, then its rest (and maybe the value), or more of it
            label.startswith(joined[-1] + " ")
            and (merged.startswith(label + " ") or label.startswith(merged))
            for label in labels
        ):
            joined[-1] += " " + line
        else:
            joined.append(line)
    return joined


def _cut_label(line: str, layout: AnnexLayout) -> str | None:
    """The value whose label a line is the start of, cut short ("Teenistuja asend")."""
    return next(
        (
            name
            for name, label in layout.labels.items()
            if label != line and label.startswith(line) and len(line) > 2
        ),
        None,
    )


def _closing_paragraph(annex: PublishedAnnex, owner: str | None) -> None:
    """Of the sentences after the last value, only the last paragraph is the closing text (the
    review sentence); the paragraphs before it are more paragraphs of that last value."""
    starts = [
        i
        for i, line in enumerate(annex.trailing)
        if i == 0 or (line[:1].isupper() and annex.trailing[i - 1].rstrip().endswith((".", "!", "?")))
    ]
    if owner is None or len(starts) < 2:
        return
    annex.fields[owner] = " ".join([annex.fields[owner], *annex.trailing[: starts[-1]]])
    annex.trailing = annex.trailing[starts[-1] :]


_DASHED = re.compile(r"^[-–•]\s")  # a result written as an item: "- Tagatud on vajalik veoteenus;"
_DASHED_AFTER = re.compile(r"(?<=[;.:])\s+(?=[-–•]\s)")  # "… vedu; - dokumendid …": two columns on a line
_DASH_ANY = re.compile(r"\s+(?=[-–•]\s)")


def _task_line(annex: PublishedAnnex, line: str, task_start: re.Pattern[str], results: bool) -> None:
    """A line of the tasks: a numbered task, an unnumbered first one, a wrapped line, a result (a
    line starting with a capital, or, where results are written as items, one starting with "- ")."""
    task = task_start.match(line)
    if results and (annex.dashed or _DASHED_AFTER.search(line) or _DASHED.match(line)):
        if _DASHED.match(line) or _DASHED_AFTER.search(line):
            annex.dashed = True  # the results are items: a line without a dash continues one
        # once the results are items, a dash after any word starts one ("… kokkuleppeid - koostöö toimib.")
        head, *items = (_DASH_ANY if annex.dashed else _DASHED_AFTER).split(line)
        if task:
            annex.tasks.append(PublishedTask(head[task.end() :]))
        elif _DASHED.match(head) and annex.tasks:
            items = [head, *items]
        elif annex.tasks:
            _continue(annex.tasks[-1], head)
        else:
            annex.tasks.append(PublishedTask(head, numbered=False))
        for item in items:
            annex.tasks[-1].results.append(item)
        return
    if task:
        annex.tasks.append(PublishedTask(line[task.end() :]))
    elif not annex.tasks:  # a task printed without a number
        annex.tasks.append(PublishedTask(line, numbered=False))
    elif (
        not results
        or line[:1].islower()
        or (not annex.tasks[-1].results and _continues(annex.tasks[-1].task))
    ):
        _continue(annex.tasks[-1], line)
    else:
        annex.tasks[-1].results.append(line)


def _continues(text: str) -> bool:
    return not text.rstrip().endswith((".", "!", "?", ":"))


def _continue(task: PublishedTask, line: str) -> None:
    if task.results:
        task.results[-1] += " " + line
    else:
        task.task += " " + line


def take_columns(annexes: list[PublishedAnnex], rows: list[list[list[str]]], layout: AnnexLayout) -> None:
    """Each task's columns from its row of a DOCX's table, where the lines ran them together: the
    task, its results and the agency's own columns ("Tegevused ülesannete täitmiseks") each in the
    field the template's cell prints, paragraph by paragraph."""
    if not rows or not layout.task_columns:
        return
    start, at = layout.task_start(), 0
    for task in (task for annex in annexes for task in annex.tasks):
        said = " ".join([task.task, *task.results, *(t for texts in task.extra.values() for t in texts)])
        for index in range(at, len(rows)):
            first = " ".join(rows[index][0])
            number = start.match(first)
            if number is None or not said.startswith(first[number.end() :][:60]):
                continue  # another row (a task the line reader did not see): the next
            for column, texts in zip(layout.task_columns, rows[index], strict=False):
                if column == "task":
                    task.task = " ".join(texts)[number.end() :]
                elif column == "results":
                    task.results = texts
                elif column.startswith("extra."):
                    task.extra[column.removeprefix("extra.")] = texts
            at = index + 1
            break
