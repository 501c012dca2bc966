"""Checks a reviewer would otherwise do by hand, across fields and files.

Pure functions: they take validated models and a way to find where a value was written, and
return `Problem`s (errors where the document would be wrong, warnings where it may be).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel

from ..errors import Location, Problem
from ..i18n import _
from .inflection import genitive
from .located import key_path_text, texts_in
from .model import Directive, Position, Unit

Locate = Callable[[tuple], Location]

# Nominative plural endings, as in "juhtivspetsialist" -> "juhtivspetsialistid".
_PLURAL_ENDINGS = ("id", "d", "ad", "ed", "ud")


def repeal_dates(directive: Directive, locate: Locate) -> list[Problem]:
    """A directive cannot repeal one that is younger than itself."""
    if directive.date is None:
        return []
    problems = []
    for index, repealed in enumerate(directive.repeals):
        named: list[tuple[str | None, dt.date | None, tuple[str | int, ...]]] = []
        if repealed.approved_by is None:
            named.append((repealed.number, repealed.date, ("date",)))
        named += [
            (ref.number, ref.date, ("approved_by", n)) for n, ref in enumerate(repealed.approved_by or [])
        ]
        for number, day, where in named:
            if day is not None and day > directive.date:
                problems.append(
                    Problem(
                        locate(("repeals", index, *where)),
                        _(
                            "the repealed directive nr {number} is dated {day}, after this directive ({date})"
                        ).format(number=number, day=f"{day:%d.%m.%Y}", date=f"{directive.date:%d.%m.%Y}"),
                        key_path_text(("repeals", index, *where)),
                        _("check both dates"),
                    )
                )
    return problems


def own_words_agree(directive: Directive, locate: Locate) -> list[Problem]:
    """A point printed in its own words still names what its data says: every repealed act's date
    and number stands in the repeal point's words (a changed `repeals:` would not change them)."""
    words = directive.own_words.get("repeal")
    if words is None:
        return []
    problems = []
    acts = [(r.date, r.number) for r in directive.repeals if r.approved_by is None]
    acts += [(ref.date, ref.number) for r in directive.repeals for ref in r.approved_by or []]
    for day, number in acts:
        if day is not None and (
            f"{day:%d.%m.%Y}" not in words or not re.search(rf"\b{re.escape(str(number))}\b", words)
        ):
            problems.append(
                Problem(
                    locate(("own_words", "repeal")),
                    _("own_words.repeal does not name the repealed directive nr {number} of {day}").format(
                        number=number, day=f"{day:%d.%m.%Y}"
                    ),
                    "own_words.repeal",
                    _("the point is printed in these words, not from repeals: make them say the same"),
                    warning=True,
                )
            )
    return problems


def entry_into_force(directive: Directive, locate: Locate) -> list[Problem]:
    """A directive comes into force on or after its own date; an earlier day is when its job
    descriptions apply from (`applies_from`), which must be earlier than the entry into force."""
    if directive.date is None:
        return []
    problems = []
    if directive.in_force is not None and directive.in_force < directive.date:
        problems.append(
            Problem(
                locate(("in_force",)),
                _("the entry into force ({day}) is before the directive's date ({date})").format(
                    day=f"{directive.in_force:%d.%m.%Y}", date=f"{directive.date:%d.%m.%Y}"
                ),
                "in_force",
                _(
                    "to apply the job descriptions from that day, write `applies_from: {day}` and leave out "
                    "in_force (the directive then comes into force on signing)"
                ).format(day=directive.in_force.isoformat()),
            )
        )
    start = directive.in_force or directive.date
    if directive.applies_from is not None and directive.applies_from >= start:
        problems.append(
            Problem(
                locate(("applies_from",)),
                _("applies_from ({day}) is not before the entry into force ({start})").format(
                    day=f"{directive.applies_from:%d.%m.%Y}", start=f"{start:%d.%m.%Y}"
                ),
                "applies_from",
                _("applies_from is for a day before the entry into force; for a later day write in_force"),
            )
        )
    return problems


def stub(position: Position, locate: Locate) -> list[Problem]:
    """A position `jdgen import` wrote without its body: it prints placeholders until filled in."""
    if not position.stub:
        return []
    return [
        Problem(
            locate(("stub",)),
            _("annex body not in the imported text: the position prints … where its values belong"),
            "stub",
            _("fill in the position from the signed original and delete `stub: true`"),
            warning=True,
        )
    ]


def task_results(position: Position, locate: Locate) -> list[Problem]:
    """Where the agency's layout pairs every task with its results (`review: task_results`)."""
    return [
        Problem(
            locate(("tasks", index)),
            _("this task has no expected results"),
            f"tasks[{index + 1}]",
            _("add `results:` under the task (organisation.yaml's review.task_results asks for them)"),
            warning=True,
        )
        for index, task in enumerate(position.tasks)
        if not task.results and not position.stub
    ]


def duplicate_numbers(
    directives: dict[str, Directive], locate: Callable[[str, tuple], Location]
) -> list[Problem]:
    """Two directives of one project with the same number in the same year are probably a typo."""
    first: dict[tuple[str, int | None], str] = {}
    problems = []
    for name, directive in directives.items():
        if directive.number is None:
            continue
        key = (directive.number, directive.date.year if directive.date else None)
        if key in first:
            problems.append(
                Problem(
                    locate(name, ("number",)),
                    _("{other} has the number {number} too").format(
                        other=first[key], number=directive.number
                    ),
                    "number",
                    _("each directive has its own number in the register: check both files"),
                    warning=True,
                )
            )
        first.setdefault(key, name)
    return problems


def in_no_directive(positions: list[str], approved: set[str]) -> list[Problem]:
    """A position that no directive lists among its annexes is approved by nothing: a new one whose
    next step was forgotten. (Said only where every directive could be read.)"""
    return [
        Problem(
            Location(name, 1, 1),
            _("this position is in no directive: nothing approves it"),
            "",
            _(
                "add it to the annexes of its unit's directive (`jdgen new position … --directive FILE` "
                "does it for a new one)"
            ),
            warning=True,
        )
        for name in positions
        if name not in approved
    ]


def normalised_title(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip().casefold()


def similar_titles(titles: list[str], locate: Locate) -> list[Problem]:
    """Annex titles that differ only in case or spacing are probably one title typed twice."""
    problems = []
    first: dict[str, tuple[int, str]] = {}
    for index, title in enumerate(titles):
        key = normalised_title(title)
        if key in first and first[key][1] != title:
            number, other = first[key]
            problems.append(
                Problem(
                    locate(("annexes", index)),
                    _(
                        "the title {title!r} of Lisa {index} differs from {other!r} of Lisa {number} "
                        "only in capitals or spaces"
                    ).format(title=title, index=index + 1, other=other, number=number),
                    f"annexes[{index + 1}]",
                    _("write the title the same way in both position files"),
                    warning=True,
                )
            )
        first.setdefault(key, (index + 1, title))
    return problems


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


class Posts:
    """The posts of a unit, to tell whether a name in a text means one of them: the title itself or
    its plural ("Peaspetsialistid (x)" for "Peaspetsialist (x)"), capitals and spacing aside.
    Looked up in constant time, so a unit of a thousand positions is checked in linear time."""

    def __init__(self, titles: Iterable[str]) -> None:
        self._titles: set[str] = set()
        self._rests: dict[str, set[str]] = {}  # first word -> what follows it
        for title in titles:
            self.add(title)

    def add(self, title: str) -> None:
        normal = normalised_title(title)
        self._titles.add(normal)
        first, _, rest = normal.partition(" ")
        self._rests.setdefault(first, set()).add(rest)

    def names_one(self, name: str) -> bool:
        normal = normalised_title(name)
        if normal in self._titles:
            return True
        first, _, rest = normal.partition(" ")
        for ending in _PLURAL_ENDINGS:
            singular = first.removesuffix(ending)
            if singular != first and singular in self._rests and (not rest or rest in self._rests[singular]):
                return True
        return False


def substitutes(position: Position, posts: Posts, locate: Locate) -> list[Problem]:
    """'Teenistuja asendab'/'asendaja' should name posts of the same unit (or the head)."""
    head = Posts([position.reports_to])
    problems = []
    for key in ("substitutes", "substituted_by"):
        text = getattr(position, key)
        if not text or text.strip() == "-":
            continue
        for name in _names(text):
            if not posts.names_one(name) and not head.names_one(name):
                problems.append(
                    Problem(
                        locate((key,)),
                        _("names {name!r}, which is not a position of this unit").format(name=name),
                        key,
                        _("check the title against the unit's position files"),
                        warning=True,
                    )
                )
    return problems


def unprinted(position: Position, printed: set[str], locate: Locate) -> list[Problem]:
    """Values the position gives that the template never prints: they would not be in the document."""
    return [
        Problem(
            locate((name,)),
            _("the template does not print {name}: this value is not in the document").format(name=name),
            name,
            _("delete it, or add it to the template (see docs/templates.md)"),
            warning=True,
        )
        for name in type(position).model_fields
        if name not in printed
        and name not in ("stub", "extra")
        and getattr(position, name) not in (None, [], {})
    ]


def title_genitive(position: Position, locate: Locate) -> list[Problem]:
    """A title whose genitive the template prints and no rule derives."""
    return _genitive_needed(position.title, position.title_genitive, locate, "title", "`title_genitive:`")


def unit_genitive(unit: Unit, locate: Locate) -> list[Problem]:
    """A unit whose genitive the template prints and no rule derives."""
    return _genitive_needed(unit.name, unit.genitive, locate, "name", _("`genitive:` in this file"))


def _genitive_needed(name: str, written: str | None, locate: Locate, key: str, where: str) -> list[Problem]:
    if written is not None or genitive(name) is not None:
        return []
    message = (
        _("cannot derive the genitive of the title {name!r}, which the template prints")
        if key == "title"
        else _("cannot derive the genitive of {name!r}, which the template prints")
    )
    return [
        Problem(
            locate((key,)),
            message.format(name=name),
            key,
            _("write it as {where} (e.g. 'eksperdi' for 'ekspert', 'arendusosakonna')").format(where=where),
        )
    ]


def printed_whole(names: Iterable[str], template: str) -> list[Problem]:
    """List values the template prints whole: the document would show "['…']"."""
    return [
        Problem(
            Location(template, 1, 1),
            _("the template prints {name} whole ({tag}): its paragraphs show as ['…']").format(
                name=name, tag=f"{{{{ ….{_owned(name)} }}}}"
            ),
            "",
            _("loop over them ({loop}) or join them (|join)").format(
                loop=f"{{%p for x in ….{_owned(name)} %}}{{{{ x }}}}{{%p endfor %}}"
            ),
        )
        for name in sorted(names)
    ]


PLACEHOLDER = "…"  # what `jdgen new` and `jdgen import` write where HR fills in


def placeholders(value: Any, locate: Locate, path: tuple = ()) -> list[Problem]:
    """Values still reading "…" (left by `jdgen new` or `jdgen import`): the document would print them."""
    return [
        Problem(
            locate(where),
            _("still {placeholder}: the document prints it as it is").format(placeholder=PLACEHOLDER),
            key_path_text(where),
            _("fill it in, or delete the key where it is optional"),
            warning=True,
        )
        for where, text in (texts_in(value, path) if _holds_placeholder(value) else ())
        if text == PLACEHOLDER
    ]


def _holds_placeholder(value: Any) -> bool:
    """Whether any value in `value` is PLACEHOLDER: a quick look before the paths are made."""
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            if item == PLACEHOLDER:
                return True
        elif isinstance(item, BaseModel):
            todo.extend(item.__dict__.values())
        elif isinstance(item, dict):
            todo.extend(item.values())
        elif isinstance(item, list | tuple):
            todo.extend(item)
    return False


def _owned(name: str) -> str:
    """How the template reaches a value: `position.knowledge`, or an extra value as `extra.NAME`."""
    return name if name.startswith("extra.") else f"position.{name}"
