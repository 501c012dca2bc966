"""The second stage: one directive put together from the files `files.Project` read and
validated — its organisation, its unit and the units around it, and each annex's position, in
order — with the checks of the directive as a whole. Its result, `DirectiveSources`, is all that
rendering needs. A run of many directives releases each one's positions once the last directive
of the run that asks for them is done (`Uses`).
"""

from __future__ import annotations

import posixpath
from collections import Counter

from ..errors import Problem
from ..format import review
from ..format.assembled import Annex, DirectiveSources
from ..format.folders import UNIT_FILE
from ..format.model import Directive, Unit
from ..format.review import Locate
from ..i18n import _
from .files import ORGANISATION_FILE, Project


def assemble(project: Project, rel: str, directive: Directive | None = None) -> DirectiveSources | None:
    """The directive `rel` (as read, or as `directive` says: a draft of it, say) with its
    organisation, units and positions; None if anything is wrong, every problem reported."""
    organisation = project.organisation()
    directive = directive if directive is not None else project.directive(rel)
    if directive is None:
        return None
    locate = project.files.locator(rel)
    files = project.files_of(rel) | project.files_of(ORGANISATION_FILE)
    errors_before = len(project.errors)
    units = _directive_units(project, directive, locate, files)
    annexes, complete = _annexes(project, directive, locate, files)
    project.problems.extend(review.repeal_dates(directive, locate))
    project.problems.extend(review.own_words_agree(directive, locate))
    project.problems.extend(review.entry_into_force(directive, locate))
    if organisation is not None and organisation.review.similar_titles:
        project.problems.extend(review.similar_titles([a.position.title for a in annexes], locate))
    if organisation is None or units is None or not complete or len(project.errors) > errors_before:
        return None
    return DirectiveSources(rel, directive, organisation, units[-1], tuple(annexes), frozenset(files), units)


def draft_of(directive: Directive) -> Directive:
    """The directive as the draft it was before the register's number and date were written in:
    what a signed draft is compared with (`verify`)."""
    return directive.model_copy(update={"number": None, "date": None})


def draft_of_one(directive: Directive, position: str) -> Directive:
    """A draft of the directive whose only annex is the position file `position`: one position laid
    out as its directive will print it (the preview's page of a position)."""
    return directive.model_copy(update={"number": None, "date": None, "annexes": [position]})


class Uses:
    """How many directives of a run still ask for each position: one is released (`release`) once
    the last of them is done, so that it is read once and held no longer than needed."""

    def __init__(self, project: Project, names: list[str]) -> None:
        self.project = project
        self._left: Counter[str] = Counter()
        for name in names:
            self._left.update(self._annexes(name))

    def done(self, name: str) -> None:
        """The directive `name` is made (or failed): its positions no other directive asks for go."""
        gone = []
        for path in self._annexes(name):
            self._left[path] -= 1
            if self._left[path] <= 0:
                gone.append(path)
        self.project.release(gone)

    def _annexes(self, name: str) -> list[str]:
        directive = self.project.directive(name)
        return list(dict.fromkeys(posixpath.normpath(a) for a in (directive.annexes if directive else ())))


def _directive_units(
    project: Project, directive: Directive, locate: Locate, files: set[str]
) -> tuple[Unit, ...] | None:
    """The units a directive names, outermost first (`files` gets their files)."""
    unit_folder = project.files.resolve_reference(directive.unit, locate(("unit",)), "unit")
    if unit_folder is None:
        return None
    unit_file = f"{unit_folder}/{UNIT_FILE}"
    if not (project.root / unit_file).is_file():
        project.problems.append(
            Problem(
                locate(("unit",)),
                _("no unit folder with {file} at {folder}").format(file=UNIT_FILE, folder=unit_folder),
                "unit",
                _("name the folder of the unit, e.g. positions/osakond/talitus"),
            )
        )
        return None
    files |= {f for u in project.unit_files(unit_folder) for f in project.files_of(u)}
    project.unit(unit_file)
    return project.unit_chain(unit_folder)


def _annexes(
    project: Project, directive: Directive, locate: Locate, files: set[str]
) -> tuple[list[Annex], bool]:
    """The directive's valid annexes, in order (`files` gets every file they are built from),
    and whether all of them are valid."""
    seen = _annex_files(project, directive, locate)
    project.read_positions(list(seen))
    annexes: list[Annex] = []
    complete = True
    for target in seen:
        position = project.position(target)
        unit_dir, position_unit = project.unit_of(target)
        files |= project.files_of(target) | {
            f for u in project.unit_files(unit_dir) for f in project.files_of(u)
        }
        units = project.unit_chain(unit_dir) if position_unit is not None else None
        if position is None or units is None:
            complete = False
        else:
            annexes.append(Annex(target, position, units[-1], units))
    return annexes, complete


def _annex_files(project: Project, directive: Directive, locate: Locate) -> dict[str, int]:
    """The position file of each annex that names one (-> its annex number), in order."""
    seen: dict[str, int] = {}
    for index, path in enumerate(directive.annexes):
        at = locate(("annexes", index))
        target = project.files.resolve_reference(path, at, "annex")
        if target is None:
            continue
        problem = (
            (
                _("{path} is already Lisa {number}").format(path=target, number=seen[target]),
                _("list each position once"),
            )
            if target in seen
            else None
            if (project.root / target).is_file()
            else (
                _("no position file {path}").format(path=target),
                _("check the path; `jdgen list` shows the positions"),
            )
        )
        if problem is not None:
            project.problems.append(Problem(at, problem[0], f"annexes[{index + 1}]", problem[1]))
            continue
        seen[target] = index + 1
    return seen
