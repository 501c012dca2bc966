"""Read a published directive (register text or DOCX) back into its parts, for `jdgen import`.

A register gives the signed directive as text whose lines are wrapped wherever the PDF wrapped them.
The text is cut into the directive's body and its annexes at the annex header ("KINNITATUD …"); in
an annex, a line that starts with one of the template's labels ("Teenistuskoht", "Haridus", …)
starts that value, a line "2.N." a task, and the other lines continue what came before (a line that
starts with a capital after a task is a result). Every phrase used to find things comes from the
project's template (`layout` and the template's own words) or from organisation.yaml, so another
agency's layout is read with its own words.

What the annexes say is turned into YAML by `imported`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

from .citations import read_repeals
from .errors import JdgenError
from .layout import AnnexLayout, text_of
from .number import long_date_adessive, long_date_elative
from .templatetext import literal, loop_over, pieces, text_after, word_before

# -- the words of the template -----------------------------------------------------------------


@dataclass(frozen=True)
class Phrases:
    """The fixed words of the template that mark the parts of a published directive."""

    annex_header: str  # "KINNITATUD"
    annex_title: str  # "AMETIJUHEND"
    approve: str  # "Kinnitan"
    repeal: str | None  # "Tunnistan kehtetuks"
    in_force: str | None  # "Käskkiri jõustub"
    annex_word: str = "Lisa"  # before the annex's number in its header
    number_word: str = "nr"  # between the directive's date and number


def template_phrases(template: Path) -> Phrases:
    """The literal words after `{{ points.X }}.` and the first words of the annex, from the template."""
    paragraphs = [text_of(p) for p in docx.Document(str(template)).element.body.iter(qn("w:p"))]

    def after_point(name: str) -> str | None:
        for text in paragraphs:
            after = (text_after(text, ("points", name)) or "").lstrip()
            if after.startswith("."):  # "{{ points.repeal }}. Tunnistan kehtetuks {% … %}"
                return " ".join(after[1:].split()) or None
        return None

    loops = [i for i, text in enumerate(paragraphs) if loop_over(text, "annexes")]
    if not loops:
        raise JdgenError.at(
            str(template),
            "the template has no loop over the annexes ({%p for a in annexes %})",
            hint="import reads the annexes' layout from that loop; keep it in the template",
        )
    loop = loops[-1]
    literal_words = [words for text in paragraphs[loop + 1 :] if (words := literal(text).split())]

    def before(prints: Callable[[tuple[str, ...]], bool], default: str, start: int = 0) -> str:
        return next((w for text in paragraphs[start:] if (w := word_before(text, prints))), default)

    return Phrases(
        annex_header=literal_words[0][0],
        annex_title=literal_words[1][0],
        approve=after_point("approve") or "",
        repeal=after_point("repeal"),
        in_force=after_point("in_force"),
        annex_word=before(lambda path: len(path) == 2 and path[1] == "number", "Lisa", loop + 1),
        number_word=before(lambda path: path == ("directive", "number_text"), "nr"),
    )


# -- reading the text --------------------------------------------------------------------------


MAX_SOURCE_BYTES = 50 * 1024 * 1024  # a directive of a thousand annexes is a few MB


def published_lines(path: Path) -> list[str]:
    """The lines of a published directive: register text without its metadata tables, or a DOCX's
    paragraphs and table rows in order (a row's cells one after the other)."""
    if path.stat().st_size > MAX_SOURCE_BYTES:
        raise JdgenError.at(
            str(path),
            f"the file is too large ({path.stat().st_size // 1024 // 1024} MB)",
            hint=f"import directives one by one; the limit is {MAX_SOURCE_BYTES // 1024 // 1024} MB",
        )
    if path.suffix.lower() == ".docx":
        try:
            body = docx.Document(str(path)).element.body
        except Exception as exc:  # python-docx raises several kinds for a file that is not a .docx
            raise JdgenError.at(str(path), f"not a readable .docx ({exc})", hint="save it as .docx") from None
        lines = []
        for block in body.iterchildren():
            if block.tag == qn("w:p"):
                lines.append(text_of(block))
            elif block.tag == qn("w:tbl"):
                for row in block.iter(qn("w:tr")):
                    cells = [[text_of(p) for p in cell.iter(qn("w:p"))] for cell in row.iter(qn("w:tc"))]
                    first = " ".join(t for t in cells[0] if t) if cells else ""
                    values = [t for cell in cells[1:] for t in cell if t]
                    if _task_row(first) or not values:
                        lines += [first, *values]  # a task, then its results one by one
                    else:
                        lines += [f"{first} {values[0]}", *values[1:]]  # a label and its value
        return [line for line in (" ".join(line.split()) for line in lines) if line]
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise JdgenError.at(
            str(path), f"cannot read the file ({exc})", hint="give a UTF-8 .txt or a .docx"
        ) from None
    return [
        " ".join(line.split())
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("|")
    ]


class NotPublished(Exception):
    """The file is not the text of a published directive or job description (the reason)."""


def refuse_templates(lines: list[str]) -> None:
    """A template (or any file with Jinja tags) is not a published text: importing it would turn
    its tags into job descriptions."""
    for line in lines:
        tag = next((piece for piece in pieces(line) if piece.tag), None)
        if tag is not None:
            inside = " ".join(".".join(path) for path in tag.paths)
            shown = f"{{{{ {inside} }}}}" if tag.tag == "variable" else f"{{% {inside} %}}"
            raise NotPublished(f"it holds template tags ({shown}), so it is a template")


def _task_row(first_cell: str) -> bool:
    """A task's cell: numbered "2.1. …", or a sentence (a label does not end with a full stop)."""
    return bool(re.match(r"^\d+\.\d+\.\s", first_cell)) or first_cell.endswith(".")


@dataclass
class PublishedTask:
    task: str
    results: list[str] = field(default_factory=list)
    numbered: bool = True


@dataclass
class PublishedAnnex:
    """What an annex says, field by field, as text (not yet split into list items)."""

    number: int | None
    fields: dict[str, str] = field(default_factory=dict)
    tasks: list[PublishedTask] = field(default_factory=list)
    trailing: list[str] = field(default_factory=list)  # after the last labelled value: the review
    stub: bool = False  # point 1 lists it, but the text has no body for it


@dataclass
class PublishedDirective:
    number: str | None
    date: dt.date | None
    title: str | None
    unit_genitive: str | None
    repeals: list[dict[str, Any]]
    extra_points: list[Any]  # a text, or {text, after} where it does not follow the repeal point
    in_force: dt.date | None
    annexes: list[PublishedAnnex]
    applies_from: dt.date | None = None
    kept_as_text: list[int] = field(default_factory=list)  # points of no known kind: kept as written
    listed: list[tuple[int, str]] = field(default_factory=list)  # point 1's annexes: number, title


def read_published(
    lines: list[str], phrases: Phrases, layout: AnnexLayout, organisation: Any
) -> PublishedDirective:
    """The directive's body and annexes from the lines of its published text."""
    starts = [i for i, line in enumerate(lines) if line.split()[:1] == [phrases.annex_header]]
    approving = phrases.approve and any(f" {phrases.approve} " in f" {line} " for line in lines)
    if not starts and not approving:  # a single job description
        first = next((i for i, line in enumerate(lines) if line.split()[:1] == [phrases.annex_title]), None)
        if first is None:
            raise NotPublished(
                f"found neither an annex header ({phrases.annex_header} …) nor a job description's "
                f"title ({phrases.annex_title})"
            )
        return PublishedDirective(None, None, None, None, [], [], None, [_annex(lines[first:], layout, None)])
    body = lines[: starts[0]] if starts else lines  # without annexes: the directive's page alone
    ends = [*starts[1:], len(lines)] if starts else []
    annexes = [_annex(lines[a:b], layout, phrases) for a, b in zip(starts, ends, strict=True)]
    read = _directive(body, phrases, organisation, annexes)
    for index, annex in enumerate(annexes, 1):
        annex.number = annex.number or index  # a header without its number: the annexes' order
    titles = {number: title[:1].upper() + title[1:] for number, title in read.listed}
    for annex in annexes:  # a header with no body under it: a stub to fill in
        if not annex.fields and not annex.tasks and annex.number in titles:
            annex.fields, annex.stub = {"title": titles[annex.number]}, True
    found = {annex.number for annex in annexes}
    for number, title in titles.items():  # listed in point 1, no body in the text: a stub to fill in
        if number not in found:
            read.annexes.append(PublishedAnnex(number, {"title": title}, stub=True))
    read.annexes.sort(key=lambda annex: annex.number or 0)
    return read


def _directive(
    body: list[str], phrases: Phrases, organisation: Any, annexes: list[PublishedAnnex]
) -> PublishedDirective:
    text = " ".join(body)
    number = date = title = None
    heading = re.search(rf"(\d{{2}}\.\d{{2}}\.\d{{4}}) {re.escape(phrases.number_word)} (\S+)", text)
    rest = text
    if heading:
        date = dt.datetime.strptime(heading.group(1), "%d.%m.%Y").date()
        number = heading.group(2)
        rest = text[heading.end() :].strip()
    # found with any quote style (one character for one, so the places are the same), kept as written
    basis = _plain_quotes(" ".join(organisation.legal_basis.split()))
    if basis in _plain_quotes(rest):
        at = _plain_quotes(rest).index(basis)
        title, rest = rest[:at].strip(), rest[at + len(basis) :]
    appeal = _plain_quotes(" ".join(" ".join(organisation.appeal).split()))
    if appeal in _plain_quotes(rest):  # what follows the points: the right of appeal, the signature
        rest = rest[: _plain_quotes(rest).index(appeal)]
    read = PublishedDirective(number, date, title, None, [], [], None, annexes)
    _read_points(read, _points(rest), phrases, organisation)
    return read


def _read_points(read: PublishedDirective, points: list[str], phrases: Phrases, organisation: Any) -> None:
    """Each point by its opening words: the approval (with its list of annexes), the repeal (its
    acts as data), the entry into force (its dates); any other point is kept as written where it
    stood."""
    last_known = "approve"
    for number, text in enumerate(points, 1):
        if phrases.approve and text.startswith(phrases.approve + " "):
            found = re.match(
                re.escape(phrases.approve) + r" (.+?) " + re.escape(phrases.annex_title.lower()), text
            )
            read.unit_genitive = found.group(1) if found else None
            listed = rf"\d+\.\d+\.\s+(.+?)\s+\({re.escape(phrases.annex_word)}\s+(\d+)\)[;.]"
            read.listed = [(int(m.group(2)), m.group(1)) for m in re.finditer(listed, text, re.IGNORECASE)]
            last_known = "approve"
        elif (
            phrases.repeal
            and text.startswith(phrases.repeal)
            and (
                cited := read_repeals(text[len(phrases.repeal) :], phrases.number_word, organisation.wording)
            )
        ):
            read.repeals += cited
            last_known = "repeal"
        elif phrases.in_force and text.startswith(phrases.in_force):
            read.in_force = _long_date(text, long_date_adessive)
            read.applies_from = _long_date(text, long_date_elative)
            last_known = "in_force"
        else:  # a point of no known kind: kept as it is, as a further point where it stood
            after = last_known if last_known != "repeal" else None
            read.extra_points.append({"text": text, "after": after} if after else text)
            read.kept_as_text.append(number)


def _plain_quotes(text: str) -> str:
    """Any quote style as one, to compare texts: „…”, “…” and "…" read the same."""
    return re.sub(r"[„“”]", '"', text)


def _points(text: str) -> list[str]:
    """The numbered points "1. …", "2. …" of the body, numbered one after the other (so "1.1." and
    "2025. aasta 1. jaanuaril" stay inside their point)."""
    starts: list[re.Match[str]] = []
    position = 0
    while True:
        found = re.compile(rf"(?:^|\s){len(starts) + 1}\.\s(?=[A-ZÕÄÖÜŠŽ])").search(text, position)
        if found is None:
            break
        starts.append(found)
        position = found.end()
    ends = [m.start() for m in starts[1:]] + [len(text)] * bool(starts)
    return [text[m.end() : end].strip() for m, end in zip(starts, ends, strict=True)]


def _long_date(text: str, form: Callable[[dt.date], str]) -> dt.date | None:
    """The first date in `text` written in `form`: "2025. aasta 1. jaanuaril" with
    `long_date_adessive`, "… 1. septembrist" with `long_date_elative`."""
    months = {form(dt.date(2000, m, 1)).split()[-1]: m for m in range(1, 13)}
    for found in re.finditer(r"(\d{4})\. aasta (\d{1,2})\. (\w+)", text):
        if found.group(3) in months:
            return dt.date(int(found.group(1)), months[found.group(3)], int(found.group(2)))
    return None


def _annex(lines: list[str], layout: AnnexLayout, phrases: Phrases | None) -> PublishedAnnex:
    number = None
    if phrases is not None:
        found = re.search(rf"\b{re.escape(phrases.annex_word)} (\d+)\b", " ".join(lines[:3]))
        number = int(found.group(1)) if found else None
    labels = sorted(((label, name) for name, label in layout.labels.items()), key=lambda item: -len(item[0]))
    headings = {s.heading for s in layout.sections}
    task_section = layout.section_of("tasks")
    task_start = layout.task_start()
    annex = PublishedAnnex(number)
    last_fields = set(layout.sections[-1].fields) if layout.sections else set()
    current: str | None = None
    in_tasks = False
    started = False
    for line in lines:
        heading = next((h for h in headings if line == h or line.startswith(h + " ")), None)
        if heading is not None:
            started = True
            in_tasks = task_section is not None and heading == task_section.heading
            current = None
            continue
        if not started:
            continue
        label = next((lab for lab in labels if line == lab[0] or line.startswith(lab[0] + " ")), None)
        waiting = current is not None and not annex.fields[current]  # a label alone on its line
        if label is not None and not in_tasks and not waiting:
            current = label[1]
            annex.fields[current] = line[len(label[0]) :].strip()
            continue
        if in_tasks:
            if line != layout.results_label:  # the results' heading on a line of its own
                _task_line(annex, line, task_start)
            continue
        # a wrapped line continues its value; after the last section's values (complete
        # sentences) comes the closing text, e.g. the review sentence
        if current is not None and (
            waiting
            or current not in last_fields
            or line[:1].islower()
            or not annex.fields[current].endswith(".")
        ):
            annex.fields[current] = f"{annex.fields[current]} {line}".strip()
        else:
            current = None
            annex.trailing.append(line)
    for published_task in annex.tasks:
        if not published_task.results:  # task and results on one line: the first sentence is the task
            sentences = re.split(r"(?<=\.)\s+(?=[A-ZÕÄÖÜŠŽ])", published_task.task)
            published_task.task, published_task.results = sentences[0], sentences[1:] or []
    return annex


def _task_line(annex: PublishedAnnex, line: str, task_start: re.Pattern[str]) -> None:
    """A line of the tasks' table: a numbered task, an unnumbered first one, a wrapped line, a result."""
    task = task_start.match(line)
    if task:
        annex.tasks.append(PublishedTask(line[task.end() :]))
    elif not annex.tasks:  # a task printed without a number
        annex.tasks.append(PublishedTask(line, numbered=False))
    elif line[:1].islower() or (not annex.tasks[-1].results and _continues(annex.tasks[-1].task)):
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
