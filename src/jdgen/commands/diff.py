"""`jdgen diff OLD NEW`: what changed between two versions of a position or directive, in the
document's own terms, optionally as a Word file with tracked changes."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import changes, gitrepo
from ..errors import ExitCode, JdgenError, Problem, UsageError
from ..layout import annex_layout
from ..output import display_path, write_atomic
from ..project import Project, kind_of
from ..redline import redline_docx
from ..signed import refuse_signed
from . import open_project, print_problems, project_path


def run(args: argparse.Namespace) -> ExitCode:
    target = _redline_target(args.docx, force=args.force) if args.docx else None
    project = open_project()
    if (args.new is None) == (args.since is None):
        raise UsageError("diff: give OLD and NEW, or one FILE with --since REVISION")
    old_spec, new_spec = (f"{args.since}:{args.old}", args.old) if args.since else (args.old, args.new)
    with changes.scratch_folder() as scratch:
        sides = [_version(project, spec, Path(scratch)) for spec in (old_spec, new_spec)]
        kinds = {kind_of(version.rel) for version in sides}
        if kinds - {"directive", "position"} or len(kinds) != 1:
            raise UsageError("diff: compare two positions or two directives")
        (old_project, old), (new_project, new) = [(Project(v.root), v) for v in sides]
        organisation = new_project.organisation()
        loaded = [_side(p, v.rel, kinds) for p, v in ((old_project, old), (new_project, new))]
        problems = sorted({*old_project.problems, *new_project.problems}, key=Problem.sort_key)
        print_problems(problems, summary=False)
        if organisation is None or None in loaded or any(not p.warning for p in problems):
            raise JdgenError([])
        layout = annex_layout(
            new_project.root / organisation.template,
            template_name=organisation.template,
            organisation=organisation,
        )
        if kinds == {"position"}:
            (before, old_unit), (after, new_unit) = loaded
            found = changes.position_changes(before, after, layout, old_unit=old_unit, new_unit=new_unit)
        else:
            found = changes.directive_changes(loaded[0], loaded[1], layout)
    note = organisation.consent_note or "a filled post needs the official's consent or a reorganisation basis"
    title = f"{old.name} -> {new.name}"
    print(title)
    section = None
    for change in found:
        if change.section != section:
            section = change.section
            print(section)
        print(f"  {change.line()}")
    flagged = sum(change.consent for change in found)
    print(f"{len(found)} change(s)" if found else "no changes")
    if flagged:
        print(f"[!] {flagged} change(s) of duties or requirements: {note}")
    if target is not None:
        write_atomic(
            target,
            redline_docx(title, found, note, company=organisation.name, language=organisation.language),
        )
        print(f"{display_path(target)}: the changes as tracked changes")
    return ExitCode.OK


def _redline_target(path: Path, *, force: bool) -> Path:
    """Where --docx writes: a .docx file, never an existing one without --force, never a signed one."""
    if path.suffix.lower() != ".docx":
        raise UsageError(f"--docx {path}: name a .docx file, e.g. --docx changes.docx")
    target = path if path.is_absolute() else Path.cwd() / path
    if target.exists() and not force:
        raise UsageError(f"--docx {path}: the file exists already; add --force to replace it")
    if not force:
        refuse_signed([target])
    return target


def _version(project: Project, spec: str, scratch: Path) -> changes.Version:
    """A side of `jdgen diff`: a file of the project now, or a file at a git revision."""
    revision, path = changes.split_revision(spec, lambda text: Path(text).exists())
    if revision is None:
        rel = project_path(project, Path(path))
        return changes.Version(project.root, rel, rel)
    root = gitrepo.project_at_revision(project.root, revision, scratch)
    absolute = Path(path) if Path(path).is_absolute() else Path.cwd() / path
    try:
        rel = absolute.resolve().relative_to(project.root).as_posix()
    except ValueError:
        rel = Path(path).as_posix()  # already written relative to the project folder
    if not (root / rel).is_file():
        raise UsageError(f"{spec}: {rel} is not in the project at {revision}")
    return changes.Version(root, rel, f"{rel} ({revision})")


def _side(project: Project, rel: str, kinds: set[str]):
    """The validated position (with its unit's name) or directive (with its annexes) at `rel`."""
    if kinds == {"position"}:
        position = project.position(rel)
        _, unit = project.unit_of(rel)
        return None if position is None else (position, unit.name if unit else None)
    directive = project.directive(rel)
    if directive is None:
        return None
    annexes = {}
    for path in directive.annexes:
        name = Path(path).as_posix()
        if (project.root / name).is_file():
            position = project.position(name)
            _, unit = project.unit_of(name)
            if position is not None:
                annexes[name] = (position, unit.name if unit else None)
    return changes.DirectiveSide(directive, annexes)
