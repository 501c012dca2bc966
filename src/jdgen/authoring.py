"""The authoring commands of `jdgen`: import, uses, diff, new.

Like `cli`, these hold no document logic: each takes the parsed arguments,
calls the stages (`published`/`imported`, `impact`, `changes`/`redline`, `skeleton`) and prints
what happened. `cli` loads this module only when one of these commands runs.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from . import changes, impact, imported, published, skeleton
from .cli import EXIT_OK, kind_of, open_project, print_problems, project_path
from .errors import JdgenError, Problem, UsageError
from .layout import annex_layout
from .output import display_path, write_atomic
from .project import DIRECTIVES_DIR, UNIT_FILE, Project
from .redline import redline_docx


def uses(args: argparse.Namespace) -> int:
    project = open_project(args)
    rel = project_path(project, args.file)
    found = impact.impact(project, rel)
    print_problems(sorted(set(project.problems), key=Problem.sort_key), summary=False)
    if not found.positions and not found.directives:
        print(f"{rel}: used by no position and no directive")
        return EXIT_OK
    print(f"{rel} is used by {len(found.positions)} position(s):")
    for use in found.positions:
        via = f"  (via {' -> '.join(use.via)})" if use.via else ""
        print(f"  {use.path}: {use.title or '(invalid, run `jdgen check`)'}{via}")
    print(f"and {len(found.directives)} directive(s), to approve again after a change:")
    for use in found.directives:
        where = "the whole directive" if not use.annexes else "Lisa " + ", ".join(map(str, use.annexes))
        print(f"  {use.path}: {use.label}, {where}")
    return EXIT_OK


def new(args: argparse.Namespace) -> int:
    project = open_project(args)
    unit_dir = project_path(project, args.unit)
    unit = (
        project.unit(f"{unit_dir}/{UNIT_FILE}") if (project.root / unit_dir / UNIT_FILE).is_file() else None
    )
    if unit is None:
        print_problems(sorted(set(project.problems), key=Problem.sort_key), summary=False)
        raise UsageError(
            f"--unit {args.unit}: no valid {UNIT_FILE} there (create it first: name and genitive)"
        )
    organisation = project.organisation()
    if organisation is None:
        raise JdgenError(sorted(set(project.problems), key=Problem.sort_key))
    unit_positions = [name for name in project.position_files() if name.startswith(f"{unit_dir}/")]
    if args.kind == "position":
        if not args.title:
            raise UsageError("new position: give --title, e.g. --title 'Peaspetsialist (analüüs)'")
        habits = skeleton.unit_habits([(project.root / name).read_text("utf-8") for name in unit_positions])
        layout = annex_layout(project.root / organisation.template, template_name=organisation.template)
        text = skeleton.position_yaml(args.title, layout, habits, unit.name)
        target = args.output or project.root / unit_dir / f"{skeleton.file_name(args.title)}.yaml"
    else:
        annexes = [project_path(project, p) for p in args.positions] if args.positions else unit_positions
        if not annexes:
            raise UsageError(f"new directive: {unit_dir} has no positions yet; add them or name --positions")
        titles = Counter(d.title for d in map(project.directive, project.directive_files()) if d)
        title = args.title or (titles.most_common(1)[0][0] if titles else None)
        if title is None:
            raise UsageError("new directive: give --title, e.g. --title 'Ametijuhendite kinnitamine'")
        text = skeleton.directive_yaml(title, unit_dir, annexes, unit.name)
        target = args.output or project.root / DIRECTIVES_DIR / f"{Path(unit_dir).name}.yaml"
    target = target if target.is_absolute() else Path.cwd() / target
    if target.exists():
        raise UsageError(f"{display_path(target)} exists already: choose another name with -o")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text.encode())
    shown = display_path(target)
    print(f"{shown}: written; fill in the {skeleton.PLACEHOLDER} and run `jdgen check {shown}`")
    return EXIT_OK


def diff(args: argparse.Namespace) -> int:
    project = open_project(args)
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
        layout = annex_layout(new_project.root / organisation.template, template_name=organisation.template)
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
    if args.docx:
        target = args.docx if args.docx.is_absolute() else Path.cwd() / args.docx
        write_atomic(
            target,
            redline_docx(title, found, note, company=organisation.name, language=organisation.language),
        )
        print(f"{display_path(target)}: the changes as tracked changes")
    return EXIT_OK


def _version(project: Project, spec: str, scratch: Path) -> changes.Version:
    """A side of `jdgen diff`: a file of the project now, or a file at a git revision."""
    revision, path = changes.split_revision(spec, lambda text: Path(text).exists())
    if revision is None:
        rel = project_path(project, Path(path))
        return changes.Version(project.root, rel, rel)
    root = changes.project_at_revision(project.root, revision, scratch)
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


def import_published(args: argparse.Namespace) -> int:
    project = open_project(args)
    if not args.source.is_file():
        raise UsageError(f"{args.source}: no such file")
    organisation = project.organisation()
    if organisation is None:
        raise JdgenError(sorted(set(project.problems), key=Problem.sort_key))
    into_path = args.into if args.into.is_absolute() else Path.cwd() / args.into
    try:
        unit_dir = into_path.resolve().relative_to(project.root).as_posix()
    except ValueError:
        raise UsageError(f"--into {args.into} is not inside the project folder {project.root}") from None
    template = project.root / organisation.template
    layout = annex_layout(template, template_name=organisation.template)
    lines = published.published_lines(args.source)
    try:
        read = published.read_published(lines, published.template_phrases(template), layout, organisation)
        published.refuse_templates(lines)
        if not read.annexes or not any(annex.fields for annex in read.annexes):
            raise published.NotPublished("found no job description in it (no labelled values)")
    except published.NotPublished as exc:
        raise JdgenError.at(
            display_path(args.source),
            f"not a published directive: {exc}; nothing was written",
            hint="give the register's text (.txt) or the signed .docx of a directive or job description",
        ) from None
    includes = [
        imported.Include(name, loaded.data)
        for name in project.include_files()
        if (loaded := project.files.read(name)) is not None
    ]
    writer = imported.Writer(includes)
    files: dict[Path, str] = {}
    names: list[str] = []
    for index, annex in enumerate(read.annexes, 1):
        title = annex.fields.get("title", f"ametikoht {index}")
        stem = skeleton.file_name(title)
        name = f"{unit_dir}/{stem}.yaml"
        counter = 2
        while name in names:
            name, counter = f"{unit_dir}/{stem}-{counter}.yaml", counter + 1
        names.append(name)
        files[project.root / name] = writer.position_yaml(annex, layout, f"Lisa {annex.number or index}")
    unit_file = project.root / unit_dir / UNIT_FILE
    if not unit_file.is_file():
        unit_name = read.annexes[0].fields.get("unit", "…")
        files[unit_file] = (
            f"name: {skeleton.yaml_scalar(unit_name)}\n"
            f"genitive: {skeleton.yaml_scalar(read.unit_genitive or skeleton.PLACEHOLDER)}\n"
        )
    if read.title is not None:
        target = args.directive or Path(DIRECTIVES_DIR) / f"{Path(unit_dir).name}-{read.number or 'uus'}.yaml"
        target = target if target.is_absolute() else project.root / target
        files[target] = imported.directive_yaml(read, unit_dir, names)
    existing = [path for path in files if path.exists()]
    if existing and not args.force:
        raise UsageError(
            f"{display_path(existing[0])} exists already (and {len(existing) - 1} more): use --force"
        )
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text.encode())
        print(f"{display_path(path)}: written")
    for line in writer.near:
        print(f"near match, written out: {line}")
    print(f"{len(read.annexes)} position(s); includes used: {len(writer.used)}")
    return EXIT_OK
