"""Who uses a file: the positions and directives a change to an include reaches, and what changed in git.

Before shared text is edited, HR and the lawyer need the list of documents that change with it: every
position that includes the file (directly or through another include) and every directive that has
one of those positions as an annex, i.e. the directives to approve again. The same relation answers
`jdgen build --changed-since REF`: the directives whose sources changed since a git revision.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .files import ORGANISATION_FILE, UNIT_FILE, Project


@dataclass(frozen=True)
class PositionUse:
    path: str
    title: str | None
    via: tuple[str, ...]  # the includes between the position and the file, outermost first


@dataclass(frozen=True)
class DirectiveUse:
    path: str
    label: str  # "nr 177 of 13.12.2024" or "draft"
    annexes: tuple[int, ...]  # the Lisa numbers that use the file; empty when the whole directive does


@dataclass(frozen=True)
class Impact:
    file: str
    positions: tuple[PositionUse, ...]
    directives: tuple[DirectiveUse, ...]


def impact(project: Project, rel: str) -> Impact:
    """The positions and directives that use `rel` (an include, a position, a unit, the template …)."""
    positions = []
    for name in project.position_files():
        chain = include_chain(project, name, rel)
        if chain is not None:
            position = project.position(name)
            positions.append(PositionUse(name, position.title if position else None, chain))
    directives = []
    for name in project.directive_files():
        used = directive_use(project, name, rel)
        if used is not None:
            directives.append(used)
    return Impact(rel, tuple(positions), tuple(directives))


def include_chain(project: Project, start: str, target: str) -> tuple[str, ...] | None:
    """The includes leading from `start` to `target` (empty if `start` includes it itself), or None."""
    if start == target:
        return None
    project.files.sources(start)  # its includes known (read, unless they are already)
    paths: dict[str, tuple[str, ...]] = {start: ()}
    todo = [start]
    while todo:
        current = todo.pop(0)
        for included in sorted(project.files.includes_of(current)):
            if included == target:
                return paths[current]
            if included not in paths:
                project.files.sources(included)
                paths[included] = (*paths[current], included)
                todo.append(included)
    return None


def directive_use(project: Project, rel: str, target: str) -> DirectiveUse | None:
    """How directive `rel` uses `target`: through some annexes, or as a whole (its own file, the
    organisation, the template, the unit); None if it does not."""
    directive = project.directive(rel)
    if directive is None:
        return None
    label = directive.label
    organisation = project.organisation()
    template = organisation.template if organisation else None
    whole = {rel, ORGANISATION_FILE, template, f"{directive.unit.rstrip('/')}/{UNIT_FILE}"}
    if target in whole or target in _closure(project, rel):
        return DirectiveUse(rel, label, ())
    annexes = []
    for number, path in enumerate(directive.annexes, 1):
        annex = Path(path).as_posix()
        if target == annex or target in _closure(project, annex) or target in _unit_files(project, annex):
            annexes.append(number)
    return DirectiveUse(rel, label, tuple(annexes)) if annexes else None


def _closure(project: Project, rel: str) -> set[str]:
    return project.files_of(rel)


def _unit_files(project: Project, position: str) -> set[str]:
    unit_dir, _ = project.unit_of(position)
    return {f"{unit_dir}/{UNIT_FILE}"} if unit_dir else set()


def directives_using(project: Project, changed: set[str]) -> list[str]:
    """The directives that use any of the `changed` files."""
    return [
        name
        for name in project.directive_files()
        if name in changed or any(directive_use(project, name, file) for file in changed)
    ]
