"""What changed between two versions of a position or a directive, in the document's own terms.

`position_changes` and `directive_changes` are pure: they compare validated models and name every
change the way the annex reads ("2.3 result added: …", "Teadmised ja oskused changed: …"), with
labels and section numbers from the template (`layout`). Changes to the duties or requirements
(the sections holding the tasks and the qualification fields: 2 and 3 in the stock template) are
marked `consent`: for a filled post they generally need the official's consent or a
reorganisation basis.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..document.layout import AnnexLayout
from ..document.number import short_date, task_numbers
from ..format.model import (
    Directive,
    FurtherPointFields,
    Part,
    Person,
    Position,
    RepealedDirective,
    Shape,
    Task,
    WordingOverride,
    parts,
)
from ..i18n import N_, _, p_
from .textdiff import alike, word_diff, word_parts

POSITION_PARTS = parts(Position)
DIRECTIVE_PARTS = parts(Directive)
_ITEM_CHANGES = {  # what happened to an item of a list (added, removed, changed), by the kind of item
    "line": (N_("line added"), N_("line removed"), N_("changed")),
    "result": (N_("result added"), N_("result removed"), N_("result changed")),
    "item": (N_("item added"), N_("item removed"), N_("item changed")),
}
_PAIRING = 0.5  # how alike two texts must be to count as one changed text, not a removal and an addition


@dataclass(frozen=True)
class Change:
    """One change: where in the document, what happened, the text (a word diff when changed)."""

    where: str
    what: str
    text: str
    consent: bool = False
    old: str | None = None
    new: str | None = None
    section: str = ""  # the heading it falls under, e.g. "2. Peamised teenistusülesanded"
    annex: int = 0  # the annex it is in or is about (its Lisa number now), 0: the directive's own text
    position: str = ""  # the title of the position of that annex, where the change is inside it

    def line(self) -> str:
        return f"{self.where} {self.what}: {self.text}" + ("  [!]" if self.consent else "")

    def parts(self) -> list[tuple[str, str]]:
        """Its text in runs, for a page: the words removed ("-") and added ("+") where it changed."""
        if self.old is not None and self.new is not None:
            return word_parts(self.old, self.new)
        return [("", self.text)]

    @property
    def place(self) -> str:
        """Where HR finds it: "Lisa 4 – Ekspert: 2.4" inside an annex, else where it is."""
        return f"Lisa {self.annex} – {self.position}: {self.where}" if self.position else self.where


def alike_text(old: str, new: str) -> float:
    return alike(old.split(), new.split())


def _pairs(old: Sequence[str], new: Sequence[str]) -> list[tuple[int | None, int | None]]:
    """Items of two lists matched up: (i, j) kept or changed, (i, None) removed, (None, j) added.

    Equal items anchor the match; between anchors, an old item is paired with the most alike new
    one when they are alike enough, so one inserted item does not make every later one "changed".
    """
    result: list[tuple[int | None, int | None]] = []
    matcher = difflib.SequenceMatcher(
        None, [" ".join(t.split()) for t in old], [" ".join(t.split()) for t in new]
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result.extend(zip(range(i1, i2), range(j1, j2), strict=True))
            continue
        free = list(range(j1, j2))
        block: list[tuple[int | None, int | None]] = []
        for i in range(i1, i2):
            best = max(free, key=lambda j: alike_text(old[i], new[j]), default=None)
            if best is not None and alike_text(old[i], new[best]) >= _PAIRING:
                free.remove(best)
                block.append((i, best))
            else:
                block.append((i, None))
        block.extend((None, j) for j in free)
        # in the order of the new document, removals where they stood
        block.sort(key=lambda pair: (pair[1] if pair[1] is not None else j1 - 0.5, pair[0] or 0))
        result.extend(block)
    return result


def _list_changes(
    where: str, old: Sequence[str], new: Sequence[str], consent: bool, item: str
) -> list[Change]:
    added, removed, changed = (_(what) for what in _ITEM_CHANGES[item])
    changes = []
    for i, j in _pairs(old, new):
        if i is None:
            assert j is not None
            changes.append(Change(where, added, new[j], consent, None, new[j]))
        elif j is None:
            changes.append(Change(where, removed, old[i], consent, old[i], None))
        elif old[i].split() != new[j].split():
            changes.append(Change(where, changed, word_diff(old[i], new[j]), consent, old[i], new[j]))
    return changes


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [str(value)]


def position_changes(
    old: Position,
    new: Position,
    layout: AnnexLayout,
    *,
    old_unit: str | None = None,
    new_unit: str | None = None,
) -> list[Change]:
    """Every change from `old` to `new`, in the order of the annex (the unit's name first where the
    template prints it)."""
    order = [f for s in layout.sections for f in s.fields]
    order += [f for f in POSITION_PARTS if f not in order]
    changes: list[Change] = []
    for name in order:
        section = layout.section_of(name)
        heading = section.heading if section else ""
        changes += [
            replace(c, section=heading) for c in _field_changes(name, old, new, layout, old_unit, new_unit)
        ]
    return changes


def _field_changes(
    name: str, old: Position, new: Position, layout: AnnexLayout, old_unit: str | None, new_unit: str | None
) -> list[Change]:
    label = layout.label(name)
    consent = _needs_consent(name, layout)
    if name == "unit":  # not a field of the position: the unit's name, printed in the annex
        return _single(label, old_unit, new_unit, consent) if None not in (old_unit, new_unit) else []
    if name.startswith("extra."):  # an agency's own value, printed where the template says
        key = name.removeprefix("extra.")
        return _value_changes(label, old.extra.get(key), new.extra.get(key), consent)
    shape = POSITION_PARTS[name].shape
    before, after = getattr(old, name), getattr(new, name)
    if shape is Shape.TASKS:
        return _task_changes(old.tasks, new.tasks, layout.task_name, consent, layout.label)
    if shape is Shape.TEXT:
        return _single(label, before, after, consent)
    if shape is Shape.ROWS:
        return _list_changes(label, [f"{r.label}: {r.text}" for r in before],
                             [f"{r.label}: {r.text}" for r in after], consent, "line")  # fmt: skip
    if shape is Shape.VALUES:  # the extra values the template does not print in a section
        shown = {f for s in layout.sections for f in s.fields if f.startswith("extra.")}
        keys = [k for k in dict.fromkeys([*before, *after]) if f"extra.{k}" not in shown]
        return [
            change
            for key in keys
            for change in _value_changes(
                layout.label(f"extra.{key}"), before.get(key), after.get(key), consent
            )
        ]
    return _list_changes(label, _as_list(before), _as_list(after), consent, "line")


def _value_changes(label: str, before: Any, after: Any, consent: bool) -> list[Change]:
    """The change of one extra value: a text, a list of paragraphs, a date, a number, a flag."""
    if isinstance(before, list) or isinstance(after, list):
        return _list_changes(label, _as_list(before), _as_list(after), consent, "line")
    return _single(label, _text(before), _text(after), consent)


def _text(value: Any) -> str | None:
    """An extra value as the document shows it: a date as 13.12.2024."""
    if value is None:
        return None
    return short_date(value) if isinstance(value, dt.date) else str(value)


def _single(label: str, before: str | None, after: str | None, consent: bool) -> list[Change]:
    if before == after:
        return []
    if before is None:
        return [Change(label, _("added"), after or "", consent, None, after)]
    if after is None:
        return [Change(label, _("removed"), before, consent, before, None)]
    return [Change(label, _("changed"), word_diff(before, after), consent, before, after)]


def _needs_consent(name: str, layout: AnnexLayout) -> bool:
    """Duties and requirements, and whatever the template prints in the same sections as them."""
    consent_sections = {
        s.number for f, part in POSITION_PARTS.items() if part.consent and (s := layout.section_of(f))
    }
    section = layout.section_of(name)
    part = POSITION_PARTS.get(name)
    return (part is not None and part.consent) or (section is not None and section.number in consent_sections)


def _task_changes(
    old: list[Task],
    new: list[Task],
    numbered: Callable[[int], str],
    consent: bool,
    labels: Callable[[str], str],
) -> list[Change]:
    """The changes of the tasks, each named by its number as the document prints it (`numbered`)."""
    old_numbers = task_numbers(t.numbered for t in old)
    new_numbers = task_numbers(t.numbered for t in new)

    def name(number: int | None) -> str:  # as the annex prints it: "2.3"
        return _("unnumbered task") if number is None else numbered(number)

    def task(number: int | None) -> str:  # a task as a whole: "task 2.3"
        return _("unnumbered task") if number is None else _("task {number}").format(number=numbered(number))

    # tasks are matched on their text and results together, so an edited task stays one task
    changes = []
    for i, j in _pairs([_whole(t) for t in old], [_whole(t) for t in new]):
        if i is None:
            assert j is not None
            text = new[j].task + "".join(f" / {r}" for r in new[j].results)
            changes.append(Change(task(new_numbers[j]), _("added"), text, consent, None, text))
        elif j is None:
            text = old[i].task + "".join(f" / {r}" for r in old[i].results)
            changes.append(Change(task(old_numbers[i]), _("removed"), text, consent, text, None))
        else:
            where = name(new_numbers[j])
            if old[i].task.split() != new[j].task.split():
                changes.append(
                    Change(
                        where,
                        _("changed") if new_numbers[j] is None else _("task changed"),
                        word_diff(old[i].task, new[j].task),
                        consent,
                        old[i].task,
                        new[j].task,
                    )
                )
            if old[i].numbered != new[j].numbered:
                now = _("numbered") if new[j].numbered else _("unnumbered")
                changes.append(Change(where, _("numbering changed"), now))
            changes += _list_changes(where, old[i].results, new[j].results, consent, "result")
            for key in dict.fromkeys([*old[i].extra, *new[j].extra]):
                label = f"{where} {labels(f'task.extra.{key}')}"
                changes += _value_changes(label, old[i].extra.get(key), new[j].extra.get(key), consent)
    return changes


def _whole(task: Task) -> str:
    return " ".join([task.task, *task.results])


@dataclass(frozen=True)
class DirectiveSide:
    """A directive with what its annexes are, for comparing: path -> (position, unit name)."""

    directive: Directive
    annexes: dict[str, tuple[Position, str | None]]


def directive_changes(old: DirectiveSide, new: DirectiveSide, layout: AnnexLayout) -> list[Change]:
    """The directive's own changes, field by field, then its annexes': removed, added, moved, changed."""
    changes: list[Change] = []
    for name, part in DIRECTIVE_PARTS.items():
        if part.shape is not Shape.PATHS:
            before, after = getattr(old.directive, name), getattr(new.directive, name)
            found = _directive_field(part, before, after)
            changes += [replace(c, section=_("directive")) for c in found]
    return changes + _annex_changes(old, new, layout)


def _directive_field(part: Part, before: Any, after: Any) -> list[Change]:
    """The changes of one field of a directive, named with its label."""
    if part.shape in (Shape.ITEMS, Shape.REPEALS):
        return _list_changes(_(part.label), _directive_text(before), _directive_text(after), False, "item")
    if before == after:
        return []
    old_text, new_text = (" ".join(_directive_text(value)) or None for value in (before, after))
    text = f"{old_text or '—'} -> {new_text or '—'}"
    return [Change(_(part.label), _("changed"), text, False, old_text, new_text)]


def _directive_text(value: Any) -> list[str]:
    """A directive's value as the lines a person compares: dates as printed, repeals as cited."""
    if value is None:
        return []
    if isinstance(value, list):
        return [line for item in value for line in _directive_text(item)]
    if isinstance(value, dt.date):
        return [short_date(value)]
    if isinstance(value, RepealedDirective):
        return [_repeal_text(value)]
    if isinstance(value, Person):
        return [f"{value.name}, {value.title}"]
    if isinstance(value, WordingOverride):
        return [f"{key}: {word!r}" for key, word in value.model_dump(exclude_none=True).items()]
    if isinstance(value, FurtherPointFields):
        after = "" if value.after == "repeal" else f" (after: {value.after})"  # as written in YAML
        return [value.text + after]
    return [str(value)]


def _repeal_text(repealed: RepealedDirective) -> str:
    """A repeal as one line to compare: "12.03.2024 nr 45 lisad 1, 2, 3 „Title”", or the directives
    whose job descriptions it repeals."""
    if repealed.approved_by is not None:
        cited = ", ".join(f"{short_date(ref.date)} nr {ref.number}" for ref in repealed.approved_by)
        return _("job descriptions approved by {directives}").format(directives=cited)
    parts = [short_date(repealed.date) if repealed.date else "", f"nr {repealed.number}"]
    if repealed.annexes:
        parts.append(_("annexes {numbers}").format(numbers=", ".join(map(str, repealed.annexes))))
    if repealed.title:
        parts.append(f"„{repealed.title}”")
    return " ".join(parts)


def _annex_changes(old: DirectiveSide, new: DirectiveSide, layout: AnnexLayout) -> list[Change]:
    changes: list[Change] = []
    old_paths, new_paths = list(old.annexes), list(new.annexes)
    for index, path in enumerate(old_paths, 1):
        if path not in new_paths:
            changes.append(
                Change(
                    f"Lisa {index}",
                    _("removed"),
                    _annex_title(old, path),
                    False,
                    path,
                    None,
                    p_("changes", "annexes"),
                )
            )
    for index, path in enumerate(new_paths, 1):
        if path not in old_paths:
            changes.append(
                Change(
                    f"Lisa {index}",
                    _("added"),
                    _annex_title(new, path),
                    False,
                    None,
                    path,
                    p_("changes", "annexes"),
                    index,
                )
            )
        elif old_paths.index(path) + 1 != index:
            was = old_paths.index(path) + 1
            text = _("{title} (was Lisa {number})").format(title=_annex_title(new, path), number=was)
            section = p_("changes", "annexes")
            changes.append(Change(f"Lisa {index}", _("moved"), text, section=section, annex=index))
    for index, path in enumerate(new_paths, 1):
        if path in old.annexes and path in new.annexes:
            (before, old_unit), (after, new_unit) = old.annexes[path], new.annexes[path]
            for change in position_changes(before, after, layout, old_unit=old_unit, new_unit=new_unit):
                section = f"Lisa {index} – {after.title}: {change.section}"
                changes.append(replace(change, section=section, annex=index, position=after.title))
    return changes


def _annex_title(side: DirectiveSide, path: str) -> str:
    found = side.annexes.get(path)
    return f"{found[0].title} ({path})" if found else path
