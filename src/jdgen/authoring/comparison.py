"""Two versions of a position or a directive compared, in the document's terms: what `jdgen diff`
and the preview's "what changed" say. A side is a file of the project now, or a file at a git
revision (read with its includes at that revision, in a scratch folder gone once both are read).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..document.layout import AnnexLayout, annex_layout
from ..errors import JdgenError, Problem, UsageError
from ..format.agency import Organisation
from ..format.folders import kind_of
from ..i18n import _
from ..project.files import Project

if TYPE_CHECKING:
    from .changes import Change


@dataclass(frozen=True)
class Comparison:
    """What changed between two versions of a position or a directive, in the document's terms."""

    title: str  # "OLD -> NEW"
    changes: list[Change]
    note: str  # what a change flagged for consent needs, in the agency's words
    organisation: Organisation
    layout: AnnexLayout
    warnings: list[Problem]

    @property
    def flagged(self) -> int:
        return sum(change.consent for change in self.changes)


def compare(project: Project, old_spec: str, new_spec: str) -> Comparison:
    """Compare two versions, each a file of the project or REVISION:FILE (a revision's project is
    read from git into a scratch folder, gone once both sides are read); a `JdgenError` with the
    problems where either side is not valid."""
    import tempfile

    from . import changes  # imported here, not by every build

    with tempfile.TemporaryDirectory(prefix="jdgen-diff-") as folder:
        scratch = Path(folder)
        sides = [_version(project, spec, scratch) for spec in (old_spec, new_spec)]
        kinds = {kind_of(version.rel) for version in sides}
        if kinds - {"directive", "position"} or len(kinds) != 1:
            raise UsageError(_("diff: compare two positions or two directives"))
        (old_project, old), (new_project, new) = [(Project(v.root), v) for v in sides]
        organisation = new_project.organisation()
        loaded = [_side(p, v.rel, kinds) for p, v in ((old_project, old), (new_project, new))]
        problems = sorted({*old_project.problems, *new_project.problems}, key=Problem.sort_key)
        if organisation is None or None in loaded or any(not p.warning for p in problems):
            raise JdgenError(problems)
        template = organisation.template
        layout = annex_layout(new_project.root / template, template_name=template, organisation=organisation)
        if kinds == {"position"}:
            (before, old_unit), (after, new_unit) = loaded
            found = changes.position_changes(before, after, layout, old_unit=old_unit, new_unit=new_unit)
        else:
            found = changes.directive_changes(loaded[0], loaded[1], layout)
    note = organisation.consent_note or _(
        "a filled post needs the official's consent or a reorganisation basis"
    )
    return Comparison(f"{old.name} -> {new.name}", found, note, organisation, layout, problems)


@dataclass(frozen=True)
class Version:
    """One side of a comparison: a project folder to read from, the file in it, and how to name it."""

    root: Path
    rel: str
    name: str


def split_revision(spec: str, exists: Callable[[str], bool]) -> tuple[str | None, str]:
    """`HEAD~1:positions/x.yaml` -> (`HEAD~1`, `positions/x.yaml`); a file that exists is just a file."""
    if exists(spec) or ":" not in spec:
        return None, spec
    revision, _colon, path = spec.partition(":")
    if not revision or not path:
        raise UsageError(
            _("{spec}: write a file, or REVISION:FILE such as HEAD~1:positions/x.yaml").format(spec=spec)
        )
    return revision, path


def _version(project: Project, spec: str, scratch: Path) -> Version:
    """A side of a comparison: a file of the project now, or a file at a git revision."""
    from ..project import gitrepo

    revision, path = split_revision(spec, lambda text: Path(text).exists())
    if revision is None:
        rel = project.named(Path(path))
        return Version(project.root, rel, rel)
    root = gitrepo.project_at_revision(project.root, revision, scratch)
    absolute = Path(path) if Path(path).is_absolute() else Path.cwd() / path
    try:
        rel = absolute.resolve().relative_to(project.root).as_posix()
    except ValueError:
        rel = Path(path).as_posix()  # already written relative to the project folder
    if not (root / rel).is_file():
        raise UsageError(
            _("{spec}: {file} is not in the project at {revision}").format(
                spec=spec, file=rel, revision=revision
            )
        )
    return Version(root, rel, f"{rel} ({revision})")


def _side(project: Project, rel: str, kinds: set[str]):
    """The validated position (with its unit's name) or directive (with its annexes) at `rel`."""
    if kinds == {"position"}:
        position = project.position(rel)
        _, unit = project.unit_of(rel)
        return None if position is None else (position, unit.name if unit else None)
    directive = project.directive(rel)
    if directive is None:
        return None
    from .changes import DirectiveSide

    annexes = {}
    for path in directive.annexes:
        name = Path(path).as_posix()
        if (project.root / name).is_file():
            position = project.position(name)
            _, unit = project.unit_of(name)
            if position is not None:
                annexes[name] = (position, unit.name if unit else None)
    return DirectiveSide(directive, annexes)
