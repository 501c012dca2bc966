"""The `jdgen` command: parses arguments, runs the stages, prints results and problems.

Exit codes: 0 success, 1 the input files are wrong, 2 the command line is wrong. No traceback
reaches the user unless --debug is given.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from . import __version__, impact
from .errors import JdgenError, Problem, UsageError
from .project import DIRECTIVES_DIR, ORGANISATION_FILE, UNIT_FILE, Project, find_root
from .render import render_docx, write_atomic
from .schema import KINDS, schema_text

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except JdgenError as exc:
        print_problems(exc.problems)
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
    uses.set_defaults(run=_authoring("uses"))

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
    new.set_defaults(run=_authoring("new"))

    diff = commands.add_parser(
        "diff", parents=[common], help="compare two versions of a position or a directive, section by section"
    )
    diff.add_argument("old", metavar="OLD", help="a file, or REVISION:FILE, e.g. HEAD~1:positions/x.yaml")
    diff.add_argument("new", nargs="?", metavar="NEW", help="a file, or REVISION:FILE")
    diff.add_argument("--since", metavar="REVISION", help="compare OLD as it was at REVISION with OLD now")
    diff.add_argument(
        "--docx", type=Path, metavar="FILE.docx", help="also write the changes as tracked changes for Word"
    )
    diff.set_defaults(run=_authoring("diff"))

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
    importing.set_defaults(run=_authoring("import_published"))
    parser.set_defaults(debug=False)
    return parser


def _authoring(name: str):
    """The runner of an authoring command (import, uses, diff, new), loaded only when it is used."""

    def run(args: argparse.Namespace) -> int:
        from . import authoring

        return getattr(authoring, name)(args)

    return run


def open_project(args: argparse.Namespace) -> Project:
    if args.project is not None and not args.project.is_dir():
        raise UsageError(f"--project {args.project}: no such folder")
    return Project(find_root(args.project or Path.cwd()))


def project_path(project: Project, path: Path) -> str:
    """A file named on the command line, as a project-relative path."""
    absolute = path if path.is_absolute() else Path.cwd() / path
    if not absolute.exists():
        raise UsageError(f"{path}: no such file")
    try:
        return absolute.resolve().relative_to(project.root).as_posix()
    except ValueError:
        raise UsageError(f"{path} is not inside the project folder {project.root}") from None


def _build(args: argparse.Namespace) -> int:
    project = open_project(args)
    names = (
        [project_path(project, p) for p in args.directives] if args.directives else project.directive_files()
    )
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

    want_pdf = args.pdf or args.pdfa or args.container
    # LibreOffice starts now, while the directives are read and rendered (see package.Office).
    with _office() if want_pdf else contextlib.nullcontext() as office:
        all_sources = [project.directive_sources(name) for name in names]
        print_problems(sorted(set(project.problems), key=Problem.sort_key), summary=False)
        if project.errors or any(s is None for s in all_sources):
            raise JdgenError([])  # the problems are printed above
        # Make everything first: a failure leaves every file already in the output folder as it was.
        outputs = _make_outputs(project, all_sources, args, office)
    output.mkdir(parents=True, exist_ok=True)
    for sources, files, summary in outputs:
        stem = Path(sources.path).stem
        for suffix, data in files.items():
            write_atomic(output / f"{stem}{suffix}", data)
        if args.depfile:
            targets = " ".join(display_path(output / f"{stem}{suffix}") for suffix in files)
            sources_used = sorted({*sources.files, sources.organisation.template})
            write_atomic(output / f"{stem}.d", depfile(targets, sources_used))
        directive = sources.directive
        what = (
            "draft (number and date left for the register)"
            if directive.is_draft
            else (f"nr {directive.number} of {directive.date:%d.%m.%Y}")
        )
        shown = ", ".join(display_path(output / f"{stem}{suffix}") for suffix in files)
        print(f"{shown}: {what}, {len(sources.annexes)} annexes")
        if summary is not None:
            print(f"  {summary.pages} pages")
            print("\n".join(summary.lines()))
    return EXIT_OK


def _office():
    from .package import Office  # imported only here: pypdf adds a tenth of a second to DOCX builds

    return Office()


def _make_outputs(project: Project, all_sources: list, args: argparse.Namespace, office) -> list:
    """DOCX of every directive; with --pdf one LibreOffice run for all; with --container the .asice."""
    documents = {}
    for sources in all_sources:
        template_name = sources.organisation.template
        documents[Path(sources.path).stem] = render_docx(
            project.root / template_name, sources, template_name=template_name
        )
    want_pdf = office is not None
    if want_pdf:
        from .package import asice, convert_to_pdf, finish_pdf
    pdfs = convert_to_pdf(documents, pdfa=args.pdfa, timeout=args.timeout, office=office) if want_pdf else {}
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


def display_path(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _check(args: argparse.Namespace) -> int:
    project = open_project(args)
    whole_project = not args.paths
    names = (
        [project_path(project, p) for p in args.paths]
        if args.paths
        else [*project.directive_files(), *project.position_files()]
    )
    project.organisation()
    for name in names:
        kind = kind_of(name)
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
    print_problems(problems)
    if not project.errors:
        print(f"ok: {len(names)} files checked")
    return EXIT_INVALID if project.errors else EXIT_OK


def kind_of(rel: str) -> str:
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
    project = open_project(args)
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


def print_problems(problems: Sequence[Problem], *, summary: bool = True) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(not p.warning for p in problems)
    if problems and (summary or errors):
        print(f"{errors} error(s), {len(problems) - errors} warning(s)", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
