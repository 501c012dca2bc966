"""The lines of a published source, as import reads them: a register's text (its metadata tables
left out), a DOCX's paragraphs and table rows, a PDF's text; and what in them is no text of the
directive (a page's number) or is a row's label (a DOCX's first cells).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import docx
import pypdf
from docx.oxml.ns import qn

from ..errors import JdgenError
from ..format.yamlsafe import CONTROL
from ..i18n import _
from ..zipsafe import check_archive

MAX_SOURCE_BYTES = 50 * 1024 * 1024  # a directive of a thousand annexes is a few MB


def published_lines(path: Path) -> list[str]:
    """The lines of a published directive: register text without its metadata tables, a DOCX's
    paragraphs and table rows in order (a row's cells one after the other), or a PDF's text."""
    return [text for _number, text in numbered_lines(path)]


def numbered_lines(path: Path) -> list[tuple[int | None, str]]:
    """`published_lines` with the number of each line in a text file (None for a DOCX's)."""
    if path.stat().st_size > MAX_SOURCE_BYTES:
        raise JdgenError.at(
            str(path),
            _("the file is too large ({size} MB)").format(size=path.stat().st_size // 1024 // 1024),
            hint=_("import directives one by one; the limit is {size} MB").format(
                size=MAX_SOURCE_BYTES // 1024 // 1024
            ),
        )
    if path.suffix.lower() == ".docx":
        check_archive(path, str(path), hint=_("save it again from Word, or import its PDF or text"))
        try:
            body = docx.Document(str(path)).element.body
        except Exception as exc:  # python-docx raises several kinds for a file that is not a .docx
            raise JdgenError.at(
                str(path),
                _("not a readable .docx ({problem})").format(problem=exc),
                hint=_("save it as .docx"),
            ) from None
        lines = []
        for block in body.iterchildren():
            if block.tag == qn("w:p"):
                lines.append(_read_text(block))
            elif block.tag == qn("w:tbl"):
                for row in block.iter(qn("w:tr")):
                    cells = [[_read_text(p) for p in cell.iter(qn("w:p"))] for cell in row.iter(qn("w:tc"))]
                    first = " ".join(t for t in cells[0] if t) if cells else ""
                    values = [t for cell in cells[1:] for t in cell if t]
                    if _task_row(first) or not values:
                        lines += [first, *values]  # a task, then its results one by one
                    else:
                        lines.append(" ".join([first, *values]))  # a label and its value, all of it
        return [(None, line) for line in (" ".join(CONTROL.sub("", line).split()) for line in lines) if line]
    if path.suffix.lower() == ".pdf":
        return [(None, line) for line in _pdf_lines(path)]
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise JdgenError.at(
            str(path),
            _("cannot read the file ({problem})").format(problem=exc),
            hint=_("give a UTF-8 .txt or a .docx"),
        ) from None
    # Control characters (a bell, an escape) are no text of a directive: left out.
    return [
        (number, " ".join(CONTROL.sub("", line).split()))
        for number, line in enumerate(text.splitlines(), 1)
        if line.strip() and not _register_row(line)
    ]


def _register_row(line: str) -> bool:
    """A row of the register's table of metadata ("| Viit | 177 |", or without the first bar:
    "Viit | 177 |"), which is no text of the directive."""
    stripped = line.strip()
    return stripped.startswith("|") or (stripped.endswith("|") and " | " in stripped)


def _pdf_lines(path: Path) -> list[str]:
    """A PDF's text lines, page by page, as pypdf extracts them (what a register stores, too)."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its notes on a broken file: ours is one line
    try:
        reader = pypdf.PdfReader(str(path))
        texts = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises several kinds for a file that is not a readable PDF
        raise JdgenError.at(
            str(path),
            _("not a readable PDF ({problem})").format(problem=exc),
            hint=_("give the signed PDF itself, its .docx, or the register's text"),
        ) from None
    lines = (" ".join(CONTROL.sub("", line).split()) for text in texts for line in text.splitlines())
    return [line for line in lines if line]


def docx_row_labels(path: Path) -> frozenset[str]:
    """The first cells of a DOCX's labelled table rows ("Töökoha asukoht" | "Tallinn"): where the
    template has no such label, the row is still a row of its own, not more of the value before."""
    if path.suffix.lower() != ".docx":
        return frozenset()
    labels = set()
    for row in docx.Document(str(path)).element.body.iter(qn("w:tr")):
        cells = [" ".join(_read_text(cell).split()) for cell in row.iter(qn("w:tc"))]
        if len(cells) > 1 and cells[0] and any(cells[1:]) and not _task_row(cells[0]):
            labels.add(cells[0])
    return frozenset(labels)


def docx_task_rows(path: Path, task_start: re.Pattern[str]) -> list[list[list[str]]]:
    """The rows of a DOCX's tasks' tables, cell by cell, each cell's paragraphs: the rows whose first
    cell starts as the template numbers a task ("3.1 Osutab …"). A text or PDF has no columns."""
    if path.suffix.lower() != ".docx":
        return []
    rows = []
    for row in docx.Document(str(path)).element.body.iter(qn("w:tr")):
        cells = [
            [t for p in cell.iter(qn("w:p")) if (t := " ".join(CONTROL.sub("", _read_text(p)).split()))]
            for cell in row.iter(qn("w:tc"))
        ]
        if len(cells) > 1 and cells[0] and task_start.match(" ".join(cells[0])):
            rows.append(cells)
    return rows


def page_numbers(lines: list[tuple[int | None, str]]) -> list[int]:
    """The indexes of the lines that are a page's number: a number alone on its line ("2", "2 (26)",
    "2/26"), which no directive's sentence or table row is (a PDF's text, and a register's, keep
    them)."""
    return [
        i
        for i, (_number, text) in enumerate(lines)
        if re.fullmatch(r"\d{1,3}(?:\s*[(/]\s*\d{1,3}\)?)?", text)
    ]


_BREAKS = (qn("w:br"), qn("w:cr"), qn("w:tab"))


def _read_text(element: Any) -> str:
    """A paragraph's text as a reader sees it: a line break or a tab inside it parts words."""
    return "".join(
        " " if node.tag in _BREAKS else node.text or "" for node in element.iter(qn("w:t"), *_BREAKS)
    )


def _task_row(first_cell: str) -> bool:
    """A task's cell: a sentence ("2.1. Päringutele … vastamine.", "3.2 teostab … vedu;"); a label
    ("4.1. Haridus") does not end with a full stop."""
    return first_cell.endswith((".", ";"))
