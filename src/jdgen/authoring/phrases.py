"""The fixed words of a project's template that mark the parts of a published directive: the
annex header ("KINNITATUD"), the title word ("AMETIJUHEND"), the opening words of each point
("Kinnitan", "Tunnistan kehtetuks", "Käskkiri jõustub"), the line before the signer, and which
header line prints what. Read once from the template, so that another agency's layout is read
with its own words.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

from ..document.layout import text_of
from ..document.templatetext import (
    has_tags,
    literal,
    loop_over,
    pieces,
    text_after,
    text_before,
    texts_after,
    value_paths,
    word_before,
)
from ..errors import JdgenError
from ..i18n import _
from .approval import ApprovalPattern, approval_pattern

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
    signed: str | None = None  # the line before the signer's name: "(allkirjastatud digitaalselt)"
    outer_unit_line: int | None = None  # which line of the annex header prints the outer unit
    outer_unit_genitive: bool = False  # whether that line prints the outer unit's genitive
    title_line: int | None = None  # which line of the annex header prints the title's genitive
    title_after_unit: bool = False  # whether that line prints the unit's genitive before it
    approval: ApprovalPattern = field(
        default_factory=ApprovalPattern
    )  # how point 1 words the unit, the annexes
    header_words: tuple[str, ...] = ()  # a header that starts with the agency's name, in its words
    title_last: bool = (
        False  # the title's genitive before the title word, on its line: "AUTOJUHI AMETIJUHEND"
    )
    title_marks: tuple[str, str] | None = None  # around the directive's title in the header: "„", "“"

    def cited_directive(self, header: list[str]) -> tuple[dt.date, str] | None:
        """The directive's date and number as an annex's header prints them ("13.12.2024
        käskkirjaga nr 177")."""
        found = re.search(
            rf"(\d{{2}}\.\d{{2}}\.\d{{4}})\s+(?:\w+\s+)?{re.escape(self.number_word)}\s+(\S+?)(?=\s|$)",
            " ".join(header),
        )
        if found is None:
            return None
        number = re.sub(rf"\s*{re.escape(self.annex_word)}$", "", found.group(2))
        return dt.datetime.strptime(found.group(1), "%d.%m.%Y").date(), number

    def cited_title(self, header: list[str]) -> str | None:
        """The directive's title as an annex's header cites it ("käskkirja „… kinnitamine“ lisa 8")."""
        if self.title_marks is None:
            return None
        opening, closing = (re.escape(mark) for mark in self.title_marks)
        found = re.search(rf"{opening}(.+?){closing}", " ".join(header))
        return found.group(1).strip() if found else None

    def is_title(self, line: str) -> bool:
        """Whether the line is a job description's title ("AMETIJUHEND", or "AUTOJUHI AMETIJUHEND"
        where the template prints the genitive before it)."""
        said = line.split()
        return said[:1] == [self.annex_title] or (
            self.title_last and len(said) > 1 and said[-1] == self.annex_title
        )

    def starts_annex(self, line: str) -> bool:
        """Whether the line starts an annex: its header's first word ("KINNITATUD"), or, where the
        header starts with the agency's name ("Politsei- ja Piirivalveameti … käskkirja"), at least
        two of the header's first words (the line may end before the header does)."""
        said = line.split()
        if not self.header_words:
            return said[:1] == [self.annex_header]
        shared = min(len(said), len(self.header_words))
        return shared >= 2 and said[:shared] == list(self.header_words[:shared])


def _outer_unit(text: str) -> str | None:
    """Whether a header line prints the unit around the annex's own ("a.units[0].name"): "name" or
    "genitive" for what it prints of it, None if it does not."""
    return next(
        (p[-1] for p in value_paths(text) if p[1:2] == ("units",) and p[-1] in ("name", "genitive")), None
    )


def _prints(text: str, *value: str) -> bool:
    """Whether a header line prints the annex's value ("title_genitive", or "unit", "genitive")."""
    return any(path[1:] == value for path in value_paths(text))


def _prints_only_title(text: str) -> bool:
    """Whether a paragraph prints the title's genitive and nothing else of the annex's."""
    printed = [path for path in value_paths(text) if len(path) > 1]  # not a filter's name ("upper")
    return bool(printed) and all(path[1:] == ("title_genitive",) for path in printed)


def _title_marks(header: list[str]) -> tuple[str, str] | None:
    """The marks around the directive's title where an annex's header prints it ("käskkirja
    „{{ directive.title }}“" -> "„", "“"): what a title read from an annex-only page lies between."""
    for text in header:
        before, after = text_before(text, ("directive", "title")), text_after(text, ("directive", "title"))
        if before is None or after is None:
            continue
        opening, closing = before.rstrip()[-1:], after.lstrip()[:1]
        if opening.strip() and closing.strip() and not opening.isalnum() and not closing.isalnum():
            return opening, closing
    return None


def _header_words(text: str, organisation: Any) -> tuple[str, ...]:
    """The words a header line prints before its first value that is not the agency's own
    ("{{ organisation.genitive }} {{ organisation.issuer_genitive }} käskkirja „{{ directive.title
    }}“" -> "Politsei- ja … käskkirja"); none where it does not start with the agency's value."""
    found: list[str] = []
    for piece in pieces(text):
        if piece.tag is None:
            found.append(piece.text)
        elif piece.tag == "variable" and len(piece.paths) == 1 and piece.paths[0][:1] == ("organisation",):
            value = organisation
            for name in piece.paths[0][1:]:
                value = getattr(value, name, None)
            if not isinstance(value, str):
                break
            found.append(value)
        else:
            said = "".join(found)
            if said and not said[-1].isspace():  # "käskkirja „" + the title: its last word is cut
                found = [said.rsplit(None, 1)[0] if len(said.split()) > 1 else ""]
            break
        if len(found) == 1 and piece.tag is None and piece.text.strip():
            return ()  # it starts with its own words ("KINNITATUD"): the first word says it
    return tuple("".join(found).split())


def template_phrases(template: Path, organisation: Any = None) -> Phrases:
    """The literal words after `{{ points.X }}.` and the first words of the annex, from the template
    (with the organisation's, where an annex's header starts with its name)."""
    paragraphs = [text_of(p) for p in docx.Document(str(template)).element.body.iter(qn("w:p"))]

    def after_point(name: str) -> str | None:
        for text in paragraphs:
            for after in texts_after(text, ("points", name)):
                after = after.lstrip()  # "{{ points.repeal }}. Tunnistan kehtetuks {% … %}"
                if after.startswith(".") and after[1:].split():
                    return " ".join(after[1:].split())
        return None

    loops = [i for i, text in enumerate(paragraphs) if loop_over(text, "annexes")]
    if not loops:
        raise JdgenError.at(
            str(template),
            _("the template has no loop over the annexes ({%p for a in annexes %})"),
            hint=_("import reads the annexes' layout from that loop; keep it in the template"),
        )
    loop = loops[-1]
    literal_words = [words for text in paragraphs[loop + 1 :] if (words := literal(text).split())]
    # The job description's title ("AMETIJUHEND") is the first paragraph of plain words after the
    # header's first (a header line may print a value: "Lisa {{ a.number }}").
    titles = [  # plain words, or the title's genitive and the title word ("AUTOJUHI AMETIJUHEND")
        (literal(text).split(), has_tags(text))
        for text in paragraphs[loop + 1 :]
        if literal(text).split() and (not has_tags(text) or _prints_only_title(text))
    ]
    title, title_last = next(
        ((words, tags) for words, tags in titles if words != literal_words[0]), (literal_words[1], False)
    )

    def before(prints: Callable[[tuple[str, ...]], bool], default: str, start: int = 0) -> str:
        return next((w for text in paragraphs[start:] if (w := word_before(text, prints))), default)

    header = list(itertools.takewhile(lambda t: literal(t).split()[:1] != title[:1], paragraphs[loop + 1 :]))
    signer = next(
        (i for i, t in enumerate(paragraphs) if ("directive", "signer", "name") in value_paths(t)), 0
    )
    first = next(text for text in paragraphs[loop + 1 :] if literal(text).split())
    header_words = _header_words(first, organisation) if organisation is not None else ()
    return Phrases(
        header_words=header_words,
        annex_header=header_words[0] if header_words else literal_words[0][0],
        annex_title=title[0],
        approve=after_point("approve") or "",
        repeal=after_point("repeal"),
        in_force=after_point("in_force"),
        annex_word=before(lambda path: len(path) == 2 and path[1] == "number", "Lisa", loop + 1),
        number_word=before(lambda path: path == ("directive", "number_text"), "nr"),
        signed=" ".join(paragraphs[signer - 1].split())
        if signer and not has_tags(paragraphs[signer - 1])
        else None,
        outer_unit_line=next((i for i, t in enumerate(header) if _outer_unit(t)), None),
        outer_unit_genitive=any(_outer_unit(t) == "genitive" for t in header),
        title_line=-1
        if title_last
        else next((i for i, t in enumerate(header) if _prints(t, "title_genitive")), None),
        title_last=title_last,
        title_marks=_title_marks(header),
        title_after_unit=any(_prints(t, "title_genitive") and _prints(t, "unit", "genitive") for t in header),
        approval=approval_pattern(paragraphs, loops[0]),
    )
