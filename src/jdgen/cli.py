"""The `jdgen` command: parses arguments, runs the stages, prints results and problems.

Exit codes: 0 success, 1 the input files are wrong, 2 the command line is wrong. No traceback
reaches the user unless --debug is given.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from . import __version__, changes, impact, published, skeleton
from .errors import JdgenError, Problem, UsageError
from .layout import annex_layout
from .project import DIRECTIVES_DIR, ORGANISATION_FILE, UNIT_FILE, Project, find_root
from .redline import redline_docx
from .render import render_docx, write_atomic
from .schema import KINDS, schema_text

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except JdgenError as exc:
        _print_problems(exc.problems)
        return EXIT_INVALID
    except UsageError as exc:
        print(f"jdgen: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug in jdgen: say so plainly, details only under --debug
        if args.debug:
            traceback.print_exc()
        else:
            print(
                f"jdgen: internal error: {exc!r} (run again with --debug and report it)",
                file=sys.stderr,
            )
        return 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jdgen",
        description="Job descriptions in YAML -> the directive (käskkiri) that approves them, as DOCX.",
    )
    parser.add_argument("--version", action="version", version=f"jdgen {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--project",
        "-C",
        type=Path,
        metavar="DIR",
        help="project folder (default: the one holding organisation.yaml, "
        "found from the current folder upwards)",
    )
    common.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", parents=[common], help="build directives into DOCX")
    build.add_argument(
        "directives",
        nargs="*",
        type=Path,
        metavar="DIRECTIVE.yaml",
        help="directive files (default: every file in directives/)",
    )
    build.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("build"),
        metavar="DIR",
        help="output folder (default: build)",
    )
    build.add_argument("--pdf", action="store_true", help="also convert to PDF with LibreOffice")
    build.add_argument("--pdfa", action="store_true", help="PDF/A-2b for archives (implies --pdf)")
    build.add_argument(
        "--container",
        action="store_true",
        help="also pack the PDF into an unsigned ASiC-E container (.asice)",
    )
    build.add_argument("--with-docx", action="store_true", help="put the DOCX into the container too")
    build.add_argument(
        "--timeout", type=float, default=300, metavar="SECONDS", help="for LibreOffice (default: 300)"
    )
    build.add_argument(
        "--depfile",
        action="store_true",
        help="also write DIR/NAME.d, the files each directive was built from, for make",
    )
    build.add_argument(
        "--changed-since",
        metavar="GIT_REF",
        help="build only the directives whose sources changed since this git revision "
        "(committed or not), e.g. HEAD or origin/main",
    )
    build.set_defaults(run=_build)

    check = commands.add_parser(
        "check", parents=[common], help="validate directives and positions without writing"
    )
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="directive or position files (default: the whole project)",
    )
    check.set_defaults(run=_check)

    schema = commands.add_parser(
        "schema", help="print the JSON Schema of a kind of file, or write all of them (for editors)"
    )
    schema.add_argument("kind", nargs="?", choices=sorted(KINDS), help="which kind of file")
    schema.add_argument(
        "-o", "--output", type=Path, metavar="DIR", help="write every schema into DIR as KIND.schema.json"
    )
    schema.set_defaults(run=_schema)

    listing = commands.add_parser("list", parents=[common], help="list directives and positions")
    listing.set_defaults(run=_list)

    uses = commands.add_parser(
        "uses",
        parents=[common],
        help="which positions and directives use a file (an include, a position, …): "
        "what to re-approve after changing it",
    )
    uses.add_argument("file", type=Path, metavar="FILE", help="a file of the project, e.g. an include")
    uses.set_defaults(run=_uses)

    new = commands.add_parser("new", parents=[common], help="start a new position or directive file")
    new.add_argument("kind", choices=("position", "directive"), help="what to start")
    new.add_argument(
        "--unit", type=Path, required=True, metavar="DIR", help="the unit's folder under positions/"
    )
    new.add_argument("--title", help="the position's title (Teenistuskoht); for a directive, its title")
    new.add_argument(
        "--positions",
        nargs="+",
        type=Path,
        metavar="POSITION.yaml",
        help="directive: the annexes in order (default: every position of the unit)",
    )
    new.add_argument("-o", "--output", type=Path, metavar="FILE", help="where to write (default: derived)")
    new.set_defaults(run=_new)

    diff = commands.add_parser(
        "diff", parents=[common], help="compare two versions of a position or a directive, section by section"
    )
    diff.add_argument("old", metavar="OLD", help="a file, or REVISION:FILE, e.g. HEAD~1:positions/x.yaml")
    diff.add_argument("new", nargs="?", metavar="NEW", help="a file, or REVISION:FILE")
    diff.add_argument("--since", metavar="REVISION", help="compare OLD as it was at REVISION with OLD now")
    diff.add_argument(
        "--docx", type=Path, metavar="FILE.docx", help="also write the changes as tracked changes for Word"
    )
    diff.set_defaults(run=_diff)

    importing = commands.add_parser(
        "import",
        parents=[common],
        help="read a published directive or job description (register .txt or .docx) into YAML",
    )
    importing.add_argument("source", type=Path, metavar="FILE", help="the published text (.txt) or a .docx")
    importing.add_argument(
        "--into", type=Path, required=True, metavar="DIR", help="the unit's folder under positions/"
    )
    importing.add_argument(
        "--directive", type=Path, metavar="FILE", help="the directive YAML to write (default: derived)"
    )
    importing.add_argument("--force", action="store_true", help="overwrite files that exist")
    importing.set_defaults(run=_import)
    parser.set_defaults(debug=False)
    return parser


def _project(args: argparse.Namespace) -> Project:
    if args.project is not None and not args.project.is_dir():
        raise UsageError(f"--project {args.project}: no such folder")
    return Project(find_root(args.project or Path.cwd()))


def _relative(project: Project, path: Path) -> str:
    """A file named on the command line, as a project-relative path."""
    absolute = path if path.is_absolute() else Path.cwd() / path
    if not absolute.exists():
        raise UsageError(f"{path}: no such file")
    try:
        return absolute.resolve().relative_to(project.root).as_posix()
    except ValueError:
        raise UsageError(f"{path} is not inside the project folder {project.root}") from None


def _build(args: argparse.Namespace) -> int:
    project = _project(args)
    names = [_relative(project, p) for p in args.directives] if args.directives else project.directive_files()
    if not names:
        raise UsageError("no directives to build (directives/ is empty)")
    if args.changed_since:
        changed = impact.changed_since(project.root, args.changed_since)
        names = [name for name in impact.directives_using(project, changed) if name in names]
        if not names:
            print(f"no directive uses a file changed since {args.changed_since}: nothing to build")
            return EXIT_OK
    output = args.output if args.output.is_absolute() else Path.cwd() / args.output
    if output.exists() and not output.is_dir():
        raise UsageError(f"-o {args.output}: exists and is not a folder")

    all_sources = [project.directive_sources(name) for name in names]
    _print_problems(sorted(set(project.problems), key=Problem.sort_key), summary=False)
    if project.errors or any(s is None for s in all_sources):
        raise JdgenError([])  # the problems are printed above
    # Make everything first: a failure leaves every file already in the output folder as it was.
    outputs = _make_outputs(project, all_sources, args)
    output.mkdir(parents=True, exist_ok=True)
    for sources, files, summary in outputs:
        stem = Path(sources.path).stem
        for suffix, data in files.items():
            write_atomic(output / f"{stem}{suffix}", data)
        if args.depfile:
            targets = " ".join(_shown(output / f"{stem}{suffix}") for suffix in files)
            sources_used = sorted({*sources.files, sources.organisation.template})
            write_atomic(output / f"{stem}.d", depfile(targets, sources_used))
        directive = sources.directive
        what = (
            "draft (number and date left for the register)"
            if directive.is_draft
            else (f"nr {directive.number} of {directive.date:%d.%m.%Y}")
        )
        shown = ", ".join(_shown(output / f"{stem}{suffix}") for suffix in files)
        print(f"{shown}: {what}, {len(sources.annexes)} annexes")
        if summary is not None:
            print(f"  {summary.pages} pages")
            print("\n".join(summary.lines()))
    return EXIT_OK


def _make_outputs(project: Project, all_sources: list, args: argparse.Namespace) -> list:
    """DOCX of every directive; with --pdf one LibreOffice run for all; with --container the .asice."""
    documents = {}
    for sources in all_sources:
        template_name = sources.organisation.template
        documents[Path(sources.path).stem] = render_docx(
            project.root / template_name, sources, template_name=template_name
        )
    want_pdf = args.pdf or args.pdfa or args.container
    if want_pdf:  # imported only here: pypdf adds a tenth of a second to every DOCX-only build
        from .package import asice, convert_to_pdf, finish_pdf
    pdfs = convert_to_pdf(documents, pdfa=args.pdfa, timeout=args.timeout) if want_pdf else {}
    outputs = []
    for sources in all_sources:
        stem = Path(sources.path).stem
        files = {".docx": documents[stem]}
        summary = None
        if want_pdf:
            files[".pdf"], summary = finish_pdf(pdfs[stem], sources, seed=documents[stem])
        if args.container:
            inside = {f"{stem}.pdf": files[".pdf"]}
            if args.with_docx:
                inside[f"{stem}.docx"] = files[".docx"]
            files[".asice"] = asice(inside)
        outputs.append((sources, files, summary))
    return outputs


def depfile(target: str, sources: Sequence[str]) -> bytes:
    """Make rules: the target depends on its sources; each source gets an empty rule so that
    deleting an include does not stop make (like `cc -MP`)."""
    escaped = [name.replace(" ", "\\ ") for name in sources]
    lines = [f"{target}: " + " ".join(escaped), *(f"{name}:" for name in escaped)]
    return ("\n".join(lines) + "\n").encode()


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _check(args: argparse.Namespace) -> int:
    project = _project(args)
    whole_project = not args.paths
    names = (
        [_relative(project, p) for p in args.paths]
        if args.paths
        else [*project.directive_files(), *project.position_files()]
    )
    project.organisation()
    for name in names:
        kind = _kind_of(name)
        if kind == "directive":
            project.directive_sources(name)
        elif kind == "position":
            project.review_position(name)
        elif kind == "unit":
            project.unit(name)
        else:
            project.files.read(name)
    if whole_project:
        project.unused_includes()
    problems = sorted(set(project.problems), key=Problem.sort_key)
    _print_problems(problems)
    if not project.errors:
        print(f"ok: {len(names)} files checked")
    return EXIT_INVALID if project.errors else EXIT_OK


def _kind_of(rel: str) -> str:
    """What a project file is, by where it lives."""
    parts = rel.split("/")
    if parts[-1] == UNIT_FILE:
        return "unit"
    if any(part.startswith("_") for part in parts):
        return "include"
    if parts[0] == DIRECTIVES_DIR:
        return "directive"
    if parts[-1] == ORGANISATION_FILE:
        return "organisation"
    return "position"


def _schema(args: argparse.Namespace) -> int:
    if args.output is None:
        if args.kind is None:
            raise UsageError("name a kind (position, directive, organisation, unit) or give -o DIR")
        sys.stdout.write(schema_text(args.kind))
        return EXIT_OK
    if args.output.exists() and not args.output.is_dir():
        raise UsageError(f"-o {args.output}: exists and is not a folder")
    args.output.mkdir(parents=True, exist_ok=True)
    for kind in [args.kind] if args.kind else sorted(KINDS):
        write_atomic(args.output / f"{kind}.schema.json", schema_text(kind).encode())
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    project = _project(args)
    print("Directives:")
    for name in project.directive_files():
        directive = project.directive(name)
        if directive is None:
            print(f"  {name}: (invalid, run `jdgen check`)")
            continue
        number = "draft" if directive.is_draft else (f"nr {directive.number} of {directive.date:%d.%m.%Y}")
        print(f"  {name}: {directive.title}, {number}, {len(directive.annexes)} annexes")
    print("Positions:")
    for name in project.position_files():
        position = project.position(name)
        print(f"  {name}: {position.title if position else '(invalid, run `jdgen check`)'}")
    return EXIT_OK


def _uses(args: argparse.Namespace) -> int:
    project = _project(args)
    rel = _relative(project, args.file)
    found = impact.impact(project, rel)
    _print_problems(sorted(set(project.problems), key=Problem.sort_key), summary=False)
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


def _new(args: argparse.Namespace) -> int:
    project = _project(args)
    unit_dir = _relative(project, args.unit)
    unit = (
        project.unit(f"{unit_dir}/{UNIT_FILE}") if (project.root / unit_dir / UNIT_FILE).is_file() else None
    )
    if unit is None:
        _print_problems(sorted(set(project.problems), key=Problem.sort_key), summary=False)
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
        annexes = [_relative(project, p) for p in args.positions] if args.positions else unit_positions
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
        raise UsageError(f"{_shown(target)} exists already: choose another name with -o")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text.encode())
    shown = _shown(target)
    print(f"{shown}: written; fill in the {skeleton.PLACEHOLDER} and run `jdgen check {shown}`")
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    project = _project(args)
    if (args.new is None) == (args.since is None):
        raise UsageError("diff: give OLD and NEW, or one FILE with --since REVISION")
    old_spec, new_spec = (f"{args.since}:{args.old}", args.old) if args.since else (args.old, args.new)
    with changes.scratch_folder() as scratch:
        sides = [_version(project, spec, Path(scratch)) for spec in (old_spec, new_spec)]
        kinds = {_kind_of(version.rel) for version in sides}
        if kinds - {"directive", "position"} or len(kinds) != 1:
            raise UsageError("diff: compare two positions or two directives")
        (old_project, old), (new_project, new) = [(Project(v.root), v) for v in sides]
        organisation = new_project.organisation()
        loaded = [_side(p, v.rel, kinds) for p, v in ((old_project, old), (new_project, new))]
        problems = sorted({*old_project.problems, *new_project.problems}, key=Problem.sort_key)
        _print_problems(problems, summary=False)
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
        write_atomic(target, redline_docx(title, found, note))
        print(f"{_shown(target)}: the changes as tracked changes")
    return EXIT_OK


def _version(project: Project, spec: str, scratch: Path) -> changes.Version:
    """A side of `jdgen diff`: a file of the project now, or a file at a git revision."""
    revision, path = changes.split_revision(spec, lambda text: Path(text).exists())
    if revision is None:
        rel = _relative(project, Path(path))
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


def _import(args: argparse.Namespace) -> int:
    project = _project(args)
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
    read = published.read_published(
        published.published_lines(args.source), published.template_phrases(template), layout, organisation
    )
    if not read.annexes or not any(annex.fields for annex in read.annexes):
        raise JdgenError.at(
            _shown(args.source),
            "found no job description in it (no annex header and no labelled values)",
            hint="give the text of a directive or a job description in the layout of your template",
        )
    includes = [
        published.Include(name, loaded.data)
        for name in project.include_files()
        if (loaded := project.files.read(name)) is not None
    ]
    writer = published.Writer(includes)
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
        files[target] = published.directive_yaml(read, unit_dir, names)
    existing = [path for path in files if path.exists()]
    if existing and not args.force:
        raise UsageError(f"{_shown(existing[0])} exists already (and {len(existing) - 1} more): use --force")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text.encode())
        print(f"{_shown(path)}: written")
    for line in writer.near:
        print(f"near match, written out: {line}")
    print(f"{len(read.annexes)} position(s); includes used: {len(writer.used)}")
    return EXIT_OK


def _print_problems(problems: Sequence[Problem], *, summary: bool = True) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(not p.warning for p in problems)
    if problems and (summary or errors):
        print(f"{errors} error(s), {len(problems) - errors} warning(s)", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
