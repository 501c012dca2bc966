"""The fixed words of a project's template that mark the parts of a published directive: the
annex header ("KINNITATUD"), the title word ("AMETIJUHEND"), the opening words of each point
("Kinnitan", "Tunnistan kehtetuks", "Käskkiri jõustub"), the line before the signer, and which
header line prints what. Read once from the template, so that another agency's layout is read
with its own words.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.oxml.ns import qn

from .approval import ApprovalPattern, approval_pattern
from .errors import JdgenError
from .i18n import _
from .layout import text_of
from .templatetext import has_tags, literal, loop_over, texts_after, value_paths, word_before

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


def _outer_unit(text: str) -> str | None:
    """Whether a header line prints the unit around the annex's own ("a.units[0].name"): "name" or
    "genitive" for what it prints of it, None if it does not."""
    return next(
        (p[-1] for p in value_paths(text) if p[1:2] == ("units",) and p[-1] in ("name", "genitive")), None
    )


def _prints(text: str, *value: str) -> bool:
    """Whether a header line prints the annex's value ("title_genitive", or "unit", "genitive")."""
    return any(path[1:] == value for path in value_paths(text))


def template_phrases(template: Path) -> Phrases:
    """The literal words after `{{ points.X }}.` and the first words of the annex, from the template."""
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
    titles = [text.split() for text in paragraphs[loop + 1 :] if text.split() and not has_tags(text)]
    title = next((words for words in titles if words != literal_words[0]), literal_words[1])

    def before(prints: Callable[[tuple[str, ...]], bool], default: str, start: int = 0) -> str:
        return next((w for text in paragraphs[start:] if (w := word_before(text, prints))), default)

    header = list(itertools.takewhile(lambda t: literal(t).split()[:1] != title[:1], paragraphs[loop + 1 :]))
    signer = next(
        (i for i, t in enumerate(paragraphs) if ("directive", "signer", "name") in value_paths(t)), 0
    )
    return Phrases(
        annex_header=literal_words[0][0],
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
        title_line=next((i for i, t in enumerate(header) if _prints(t, "title_genitive")), None),
        title_after_unit=any(_prints(t, "title_genitive") and _prints(t, "unit", "genitive") for t in header),
        approval=approval_pattern(paragraphs, loops[0]),
    )
