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

from .layout import AnnexLayout


@dataclass
class PublishedTask:
    task: str
    results: list[str] = field(default_factory=list)
    numbered: bool = True


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


@dataclass
class _Reader:
    """The state of reading one annex's lines."""

    layout: AnnexLayout
    annex: PublishedAnnex
    current: str | None = None  # the value the lines go to
    waiting: list[str] = field(default_factory=list)  # labels written alone, before their values
    values: list[str] = field(default_factory=list)  # the lines after those labels
    in_tasks: bool = False

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
    lines: list[str], layout: AnnexLayout, number: int | None, title_word: str, *, whole_cells: bool = False
) -> PublishedAnnex:
    """The values of one annex from its lines (`title_word` ends its header: "AMETIJUHEND"); with
    `whole_cells` (a DOCX), a labelled value is all on its line, so what follows it is not more of it."""
    annex = PublishedAnnex(number)
    labels = sorted(((label, name) for name, label in layout.labels.items()), key=lambda item: -len(item[0]))
    headings = {s.heading for s in layout.sections}
    task_section = layout.section_of("tasks")
    task_start = layout.task_start()
    last_fields = set(layout.sections[-1].fields) if layout.sections else set()
    order = {name: index for index, name in enumerate(layout.labels)}  # the labels in the template's order
    sole = {
        s.heading: s.fields[0]
        for s in layout.sections
        if len(s.fields) == 1 and s.fields[0] not in layout.labels and s.fields[0] != "tasks"
    }
    reader = _Reader(layout, annex)
    started = False
    owner: str | None = None  # the value the closing text came after
    for index, line in enumerate(lines):
        if not started and line.split()[:1] == [title_word]:
            annex.header = lines[:index]
        heading = next((h for h in headings if line == h or line.startswith(h + " ")), None)
        label = next((lab for lab in labels if line == lab[0] or line.startswith(lab[0] + " ")), None)
        if (heading is not None or label is not None) and annex.trailing and owner is not None:
            annex.fields[owner] += " " + " ".join(annex.trailing)  # more values follow: not the closing text
            annex.trailing, owner = [], None
        if heading is not None:
            reader.close()
            started = True
            reader.in_tasks = task_section is not None and heading == task_section.heading
            reader.current = sole.get(heading)  # a section of one unlabelled value: its lines are it
            if reader.current is not None:
                annex.fields[reader.current] = ""
            if label is None or label[0] != heading:  # a heading that labels a value starts it
                continue
        if not started:
            continue
        if label is not None and not reader.in_tasks:
            value = line[len(label[0]) :].strip()
            if (
                reader.waiting
                and not reader.values
                and value
                and order[label[1]] <= order[reader.waiting[-1]]
            ):
                reader.values.append(line)  # a lone label's value that starts with a label's words
                reader.close()
            elif value:
                reader.close()
                reader.current, annex.fields[label[1]] = label[1], value
            else:  # a label alone on its line: its value follows, maybe after more lone labels
                if reader.values:
                    reader.close()
                reader.waiting.append(label[1])
                annex.fields[label[1]] = ""
            continue
        if reader.waiting:
            reader.values.append(line)
            if len(reader.values) == len(reader.waiting):  # a line each: later lines go as usual
                reader.close()
            continue
        if reader.in_tasks:
            if line != layout.results_label:  # the results' heading on a line of its own
                _task_line(annex, line, task_start, layout.results)
            continue
        current = reader.current
        # a wrapped line continues its value; after the last section's values (complete
        # sentences) comes the closing text, e.g. the review sentence
        if current is not None and (
            current not in last_fields or line[:1].islower() or not annex.fields[current].endswith(".")
        ):
            annex.fields[current] = f"{annex.fields[current]} {line}".strip()
        else:
            owner = owner if annex.trailing else current
            reader.current = None
            annex.trailing.append(line)
    reader.close()
    if not whole_cells:
        _closing_paragraph(annex, owner)
    if layout.results:
        for published_task in annex.tasks:
            if not published_task.results:  # task and results on one line: the first sentence is the task
                sentences = re.split(r"(?<=\.)\s+(?=[A-ZÕÄÖÜŠŽ])", published_task.task)
                published_task.task, published_task.results = sentences[0], sentences[1:] or []
    return annex


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


def _task_line(annex: PublishedAnnex, line: str, task_start: re.Pattern[str], results: bool) -> None:
    """A line of the tasks: a numbered task, an unnumbered first one, a wrapped line, a result."""
    task = task_start.match(line)
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
