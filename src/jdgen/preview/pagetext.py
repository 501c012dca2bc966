"""The words of a built directive's pages, where they stand: the preview lays them over each page's
picture, so that the browser's search finds them and the mouse selects them, and marks the lines
that a change since the last recorded version wrote.

`page_lines` reads them from the PDF (PDFium, one document at a time). `change_places` is pure: for
each change, the page to go to and the lines that carry its new words, looked for only on the
pages of the change's own annex (a shared text stands in many annexes, changed in one of them).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..authoring.changes import Change

PDFIUM = threading.Lock()  # PDFium is not thread-safe: one document open at a time in the process
SHORT = 20  # a line shorter than this is marked only after a marked line ("silmas pidades.")
_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?\s+")  # a point's number before its text: "2.4. "


@dataclass(frozen=True)
class Line:
    """A line of text on a page, its box in percent of the page's width and height from the top left."""

    left: float
    top: float
    width: float
    height: float
    text: str

    @property
    def box(self) -> str:
        return f"{self.left:.2f} {self.top:.2f} {self.width:.2f} {self.height:.2f}"


def page_lines(pdf: bytes) -> list[list[Line]]:
    """Each page's lines of text, in the order PDFium reads them (cell by cell in a table)."""
    import pypdfium2  # only the preview reads pages

    with PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        try:
            pages = []
            for page in document:
                width, height = page.get_size()
                text = page.get_textpage()
                lines = []
                for index in range(text.count_rects()):
                    left, bottom, right, top = text.get_rect(index)
                    words = text.get_text_bounded(left, bottom, right, top).strip()
                    if words:
                        lines.append(
                            Line(
                                100 * left / width,
                                100 * (height - top) / height,
                                100 * (right - left) / width,
                                100 * (top - bottom) / height,
                                words,
                            )
                        )
                pages.append(lines)
            return pages
        finally:
            document.close()


@dataclass(frozen=True)
class Places:
    """Where the changes are on the pages: each change's page, and the lines marked (page, index)."""

    pages: tuple[int, ...]
    marked: frozenset[tuple[int, int]]


def change_places(
    pages: Sequence[Sequence[Line]], annex_pages: dict[int, int], changes: Sequence[Change]
) -> Places:
    """Each change's page (where its new words are, else where its annex starts) and the lines
    that carry its new words. `annex_pages`: each annex's number and first page."""
    starts = sorted(annex_pages.values())
    marked: set[tuple[int, int]] = set()
    found: list[int] = []
    for change in changes:
        first, last = _span(change.annex, annex_pages, starts, len(pages))
        wanted = _plain(change.new or "")
        at = 0
        for number in range(first, last + 1):
            previous = False
            for index, line in enumerate(pages[number - 1]):
                text = _plain(_NUMBER.sub("", line.text))
                candidate = bool(wanted) and bool(text) and text in wanted
                if candidate and (len(text) >= SHORT or previous):
                    marked.add((number, index))
                    at = at or number
                previous = candidate and (number, index) in marked
        found.append(at or first)
    return Places(tuple(found), frozenset(marked))


def _span(annex: int, annex_pages: dict[int, int], starts: list[int], total: int) -> tuple[int, int]:
    """The pages of an annex (first, last), or of the directive's own text before the annexes."""
    if total == 0:
        return 1, 0
    if annex == 0:
        return 1, (starts[0] - 1 if starts else total)
    first = annex_pages.get(annex)
    if first is None:
        return 1, total
    following = [page for page in starts if page > first]
    return first, (following[0] - 1 if following else total)


def _plain(text: str) -> str:
    """The words only: any run of spaces, tabs, line breaks or no-break spaces is one space."""
    return " ".join(text.replace("\u00ad", "").split())
