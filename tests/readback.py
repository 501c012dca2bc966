"""Read a built DOCX back the way a person reads it: body paragraphs and table cells in order."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph


@dataclass(frozen=True)
class Block:
    """A paragraph of the body, or one cell paragraph of a table (`in_table`)."""

    text: str
    in_table: bool
    page_break_before: bool
    style: str


def blocks(path: Path) -> list[Block]:
    document = docx.Document(str(path))
    found: list[Block] = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            found.append(_block(Paragraph(element, document), in_table=False))
        elif element.tag == qn("w:tbl"):
            for row in Table(element, document).rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell is listed once per grid column
                        continue
                    seen.add(id(cell._tc))
                    found.extend(_block(p, in_table=True) for p in cell.paragraphs)
    return found


def _block(paragraph: Paragraph, *, in_table: bool) -> Block:
    style = paragraph.style
    breaks = paragraph.paragraph_format.page_break_before
    while breaks is None and style is not None:
        breaks = style.paragraph_format.page_break_before
        style = style.base_style
    # as a reader sees it: a non-breaking space is a space, and so is the tab after a point's
    # number (tests/test_pages.py reads where they are)
    text = paragraph.text.replace("\u00a0", " ").replace("\t", " ")
    return Block(text, in_table, bool(breaks), paragraph.style.name)


def text(path: Path) -> str:
    """The document's text, one block per line."""
    return "\n".join(block.text for block in blocks(path))


def words(text_: str) -> list[str]:
    """Whitespace-normalised words: the golden comparison ignores only line breaks and spacing."""
    return text_.split()
