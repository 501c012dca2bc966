"""The changes between two versions as a Word document with tracked changes, for the lawyer.

Each change is a paragraph under its section's heading; removed words are Word deletions and added
words Word insertions (author "jdgen"), so Word and LibreOffice show them as a redline that can be
reviewed change by change. Changes to duties or requirements carry the consent note, highlighted.
The file is reproducible: fixed revision dates and properties, fixed zip time stamps.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import docx
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..document.wordpackage import DocumentProperties, drop_default_leftovers, finish_word_package
from ..i18n import _
from ..output import reproducible_zip
from .changes import Change
from .textdiff import word_opcodes

AUTHOR = "jdgen"
_DATE = "2000-01-01T00:00:00Z"  # a revision's time: fixed, so the same versions give the same file


def redline_docx(
    title: str, changes: Sequence[Change], consent_note: str, *, company: str = "", language: str = "et-EE"
) -> bytes:
    document = docx.Document()
    drop_default_leftovers(document)
    document.add_heading(title, level=1)
    revision = _Revisions()
    section = None
    for change in changes:
        if change.section != section:
            section = change.section
            if section:
                document.add_heading(section, level=2)
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{change.where} {change.what}: ").bold = True
        if change.old is not None and change.new is not None:
            revision.words(paragraph, change.old, change.new)
        elif change.new is not None:
            revision.insert(paragraph, change.new)
        elif change.old is not None:
            revision.delete(paragraph, change.old)
        else:
            paragraph.add_run(change.text)
        if change.consent:
            note = paragraph.add_run(f"  [{consent_note}]")
            note.font.highlight_color = WD_COLOR_INDEX.YELLOW
    if not changes:
        document.add_paragraph(_("No changes."))
    finish_word_package(
        document,
        DocumentProperties(title=title, subject="", author=AUTHOR, company=company, language=language),
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_zip(buffer.getvalue())


class _Revisions:
    """Writes w:ins and w:del runs with ids counted from 1."""

    def __init__(self) -> None:
        self._next = 0

    def _mark(self, paragraph, tag: str, text: str) -> None:
        self._next += 1
        mark = OxmlElement(tag)
        mark.set(qn("w:id"), str(self._next))
        mark.set(qn("w:author"), AUTHOR)
        mark.set(qn("w:date"), _DATE)
        run = OxmlElement("w:r")
        content = OxmlElement("w:delText" if tag == "w:del" else "w:t")
        content.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        content.text = text
        run.append(content)
        mark.append(run)
        paragraph._p.append(mark)

    def insert(self, paragraph, text: str) -> None:
        self._mark(paragraph, "w:ins", text)

    def delete(self, paragraph, text: str) -> None:
        self._mark(paragraph, "w:del", text)

    def words(self, paragraph, old: str, new: str) -> None:
        """Unchanged words as plain text, the rest as deletions and insertions."""
        a, b = old.split(), new.split()
        for op, i1, i2, j1, j2 in word_opcodes(a, b):
            if op == "equal":
                paragraph.add_run(" ".join(a[i1:i2]) + " ")
                continue
            if i2 > i1:
                self.delete(paragraph, " ".join(a[i1:i2]) + " ")
            if j2 > j1:
                self.insert(paragraph, " ".join(b[j1:j2]) + " ")
