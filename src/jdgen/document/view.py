"""What the template sees: the directive as values, and derived text as filters.

`template_context` is pure: it gives the template every value (derived numbers and dates
included, raw dates too), and the template decides the words and the look. `filters` are the
derived texts the template words its sentences with; the ones that join lists use the agency's
wording (`organisation.yaml`, `wording`, which a directive may override).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, get_args

from jinja2.runtime import LoopContext

from ..format.assembled import DirectiveSources
from ..format.inflection import genitive
from ..format.model import (
    Directive,
    Person,
    PointKind,
    Position,
    RepealedDirective,
    Row,
    Unit,
    Wording,
)
from ..i18n import _
from .number import (
    long_date_adessive,
    long_date_elative,
    number_list,
    point_numbers,
    short_date,
    task_numbers,
    title_in_sentence,
    word_list,
)

# The names the template sees (`template_context`).
CONTEXT_NAMES = ("organisation", "directive", "points", "annexes", "wording")


@dataclass(frozen=True)
class NumberedTask:
    """A task with its derived ordinal (None when printed without a number)."""

    n: int | None
    text: str
    results: list[str]
    extra: dict[str, Any]


@dataclass(frozen=True)
class UnitView:
    """What the template sees of a unit: its name, its genitive (as written, or derived), its extras."""

    name: str
    genitive: str
    extra: dict[str, Any]


def _unit(unit: Unit) -> UnitView:
    return UnitView(unit.name, unit.name_genitive, unit.extra)


@dataclass(frozen=True)
class AnnexView:
    """What the template sees of one annex (lisa)."""

    number: int
    title_in_list: str
    title_genitive: str  # "eksperdi", as written or derived
    position: Position
    unit: UnitView
    units: list[UnitView]  # outermost first (service -> department -> unit), ending with `unit`
    tasks: list[NumberedTask]
    path: str
    rows_after: dict[str, list[Row]]  # the further rows after each value's row (`Position.rows`)


@dataclass(frozen=True)
class DirectiveRefView:
    """A directive named by date and number."""

    date: dt.date
    date_text: str
    number: str


@dataclass(frozen=True)
class RepealView:
    """What the template sees of what is repealed: a whole directive (`annexes` empty), some of its
    annexes, or (`approved_by` not empty) the job descriptions approved by earlier directives."""

    date: dt.date | None
    date_text: str
    number: str
    title: str | None
    annexes: list[int]
    approved_by: list[DirectiveRefView]


@dataclass(frozen=True)
class DirectiveView:
    """What the template sees of the directive itself."""

    number_text: str
    date_text: str
    is_draft: bool
    title: str
    legal_basis: str
    signer: Person
    unit: UnitView
    units: list[UnitView]  # outermost first, ending with `unit`
    repeals: list[RepealView]
    extra_points: list[tuple[int, str]]  # after the repeal point: number, text
    points_after_approve: list[tuple[int, str]]
    points_after_in_force: list[tuple[int, str]]
    in_force: str | None  # "2025. aasta 1. jaanuaril", as the stock template prints it
    in_force_date: dt.date | None  # the day itself, for the template's filters
    applies_from: dt.date | None  # the earlier day the job descriptions apply from
    date: dt.date | None  # the directive's own day (None for a draft)
    extra: dict[str, Any]
    own_words: dict[str, str | None]  # a point's sentence as the directive words it ("repeal": "Tunnistan …")


def template_context(sources: DirectiveSources) -> dict[str, Any]:
    """All values the template may use (`CONTEXT_NAMES`)."""
    directive, organisation = sources.directive, sources.organisation
    placed = {where: [p.text for p in directive.extra_points if _after(p.after, directive) == where]
              for where in ("approve", "repeal", "in_force")}  # fmt: skip
    points = point_numbers(
        repeals=bool(directive.repeals),
        extra_points=len(placed["repeal"]),
        after_approve=len(placed["approve"]),
        after_in_force=len(placed["in_force"]),
    )
    view = DirectiveView(
        number_text=directive.number or organisation.draft_number,
        date_text=short_date(directive.date) if directive.date else organisation.draft_date,
        is_draft=directive.is_draft,
        title=directive.title,
        legal_basis=directive.legal_basis or organisation.legal_basis,
        signer=directive.signer or organisation.signer,
        unit=_unit(sources.unit),
        units=[_unit(u) for u in sources.units or (sources.unit,)],
        repeals=[_repeal(r) for r in directive.repeals],
        extra_points=list(zip(points.extra, placed["repeal"], strict=True)),
        points_after_approve=list(zip(points.after_approve, placed["approve"], strict=True)),
        points_after_in_force=list(zip(points.after_in_force, placed["in_force"], strict=True)),
        in_force=long_date_adessive(directive.in_force) if directive.in_force else None,
        in_force_date=directive.in_force,
        applies_from=directive.applies_from,
        date=directive.date,
        extra=directive.extra,
        own_words={kind: directive.own_words.get(kind) for kind in get_args(PointKind)},
    )
    context = {
        "organisation": organisation,
        "directive": view,
        "points": points,
        "annexes": _annexes(sources),
        "wording": directive.wording_from(organisation),
    }
    return context


def _after(point: str, directive: Directive) -> str:
    """Where a further point stands: after a repeal point only if there is one."""
    return "approve" if point == "repeal" and not directive.repeals else point


def _annexes(sources: DirectiveSources) -> list[AnnexView]:
    return [
        AnnexView(
            number=index,
            title_in_list=title_in_sentence(annex.position.title),
            title_genitive=annex.position.genitive,
            position=annex.position,
            unit=_unit(annex.unit),
            units=[_unit(u) for u in annex.units or (annex.unit,)],
            tasks=[
                NumberedTask(n, task.task, task.results, task.extra)
                for n, task in zip(
                    task_numbers(t.numbered for t in annex.position.tasks), annex.position.tasks, strict=True
                )
            ],
            path=annex.path,
            rows_after=_rows_after(annex.position),
        )
        for index, annex in enumerate(sources.annexes, 1)
    ]


def _rows_after(position: Position) -> dict[str, list]:
    """The position's own rows by the row they follow: "unit" or a field's name, each in order."""
    rows: dict[str, list] = {name: [] for name in ("unit", *Position.model_fields)}
    for row in position.rows:
        if row.after in rows:
            rows[row.after].append(row)
    return rows


def _repeal(repealed: RepealedDirective) -> RepealView:
    refs = [DirectiveRefView(r.date, short_date(r.date), r.number) for r in repealed.approved_by or []]
    return RepealView(
        date=repealed.date,
        date_text=short_date(repealed.date) if repealed.date else "",
        number=repealed.number or "",
        title=repealed.title,
        annexes=list(repealed.annexes or []),
        approved_by=refs,
    )


def non_breaking(text: Any) -> str:
    """Non-breaking spaces where a line must not break: after "§", "nr", "lg", "p", "lõike",
    "punkti" before a number, and after a number with its full stop ("2025. aasta", "1. jaanuaril")."""
    text = re.sub(r"(§|\b(?:nr|lg|p|lõike|lõigete|punkti|punktide))\s+(?=\d)", "\\1\u00a0", str(text))
    return re.sub(r"(\b\d{1,4}\.)\s+(?=\w)", "\\1\u00a0", text)


def _genitive(text: Any) -> str:
    found = genitive(str(text))
    if found is None:
        raise ValueError(
            _(
                "no rule derives the genitive of {text!r}: print a genitive written in the data "
                "(a.title_genitive, a unit's genitive) instead"
            ).format(text=str(text))
        )
    return found


def filters(wording: Wording) -> dict[str, Any]:
    """Derived text for the template's own sentences: `{{ directive.applies_from|elative }}`,
    `{{ r.annexes|numbers }}` ("1 kuni 3, 5 ja 8 kuni 9"; `numbers(wording.repeal_through)` with
    another range word), `{{ loop|between }}` (", ", " ja " or
    nothing after the last item of a loop)."""

    def numbers(values: Iterable[int], through: str | None = None) -> str:
        return number_list(
            values,
            through=wording.through if through is None else through,
            last=wording.last,
            separator=wording.separator,
            shortest=wording.shortest_range,
        )

    def words(values: Iterable[Any]) -> str:
        return word_list([str(v) for v in values], last=wording.last, separator=wording.separator)

    def between(loop: LoopContext, last: str | None = None) -> str:
        if loop.last:
            return ""
        return (wording.last if last is None else last) if loop.revindex == 2 else wording.separator

    return {
        "short_date": short_date,  # 13.12.2024
        "adessive": long_date_adessive,  # 2025. aasta 1. jaanuaril
        "elative": long_date_elative,  # 2025. aasta 1. septembrist
        "in_sentence": title_in_sentence,  # "Peaspetsialist (x)" -> "peaspetsialist (x)"
        "capital": lambda text: str(text)[:1].upper() + str(text)[1:],  # "arendamise …" -> "Arendamise …"
        "genitive": _genitive,  # "ekspert" -> "eksperdi"
        "nbsp": non_breaking,  # "§ 52", "nr 2", "2025. aasta 1. jaanuaril" kept on one line
        "numbers": numbers,
        "words": words,
        "between": between,
    }
