"""The `jdgen` command: parses arguments, runs the stages, prints results and problems.

Exit codes: 0 success, 1 the input files are wrong, 2 the command line is wrong. No traceback
reaches the user unless --debug is given.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from . import __version__, impact, review
from .errors import JdgenError, Problem, UsageError
from .output import Outputs, display_path, write_atomic
from .project import DIRECTIVES_DIR, ORGANISATION_FILE, UNIT_FILE, DirectiveSources, Project, find_root
from .render import open_template, render_docx
from .schema import KINDS, schema_text
from .signed import refuse_signed

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _interrupted)  # a kill cleans up like Ctrl-C
    try:
        code = args.run(args)
        sys.stdout.flush()  # here, so that a closed pipe is seen while it can still be handled
        return code
    except JdgenError as exc:
        print_problems(exc.problems)
        return EXIT_INVALID
    except UsageError as exc:
        print(f"jdgen: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `jdgen list | head -1`: the reader has what it wanted
        _silence_stdout()
        return EXIT_OK
    except Exception as exc:  # a bug in jdgen: say so plainly, details only under --debug
        if args.debug:
            traceback.print_exc()
        else:
            print(
                f"jdgen: internal error: {exc!r} (run again with --debug and report it)",
                file=sys.stderr,
            )
        return EXIT_BUG
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupted(number: int, frame: object) -> None:
    raise KeyboardInterrupt


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit raises no second BrokenPipeError."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text} must be a positive number of seconds")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jdgen",
        description="Job descriptions in YAML -> the directive (käskkiri) that approves them, as DOCX.",
    )
    parser.add_argument("--version", action="version", version=f"jdgen {__version__}")
    _global_options(parser, default=None)
    # The same options after the command; SUPPRESS keeps a value given before the command.
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, default=argparse.SUPPRESS)
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
    build.add_argument(
        "--with-docx", action="store_true", help="put the DOCX into the container too (implies --container)"
    )
    build.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=300,
        metavar="SECONDS",
        help="for LibreOffice (default: 300)",
    )
    build.add_argument(
        "--force", action="store_true", help="overwrite outputs even where a signed original is in the way"
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
    return parser


def _global_options(parser: argparse.ArgumentParser, *, default: object) -> None:
    parser.add_argument(
        "--project",
        "-C",
        type=Path,
        metavar="DIR",
        default=default,
        help="project folder (default: the one holding organisation.yaml, "
        "found from the current folder upwards)",
    )
    parser.add_argument(
        "--debug", action="store_true", default=False if default is None else default, help="show tracebacks"
    )


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
    output = output_folder(args.output)
    container = args.container or args.with_docx
    suffixes = [".docx", *([".pdf"] if args.pdf or args.pdfa or container else []), *([".asice"] * container)]
    if not args.force:
        refuse_signed([output / f"{Path(name).stem}{suffix}" for name in names for suffix in suffixes])

    # LibreOffice starts now, while the directives are read and rendered (see office.Office).
    with _office() if ".pdf" in suffixes else contextlib.nullcontext() as office:
        all_sources = inspect(project, names, whole_project=not args.directives)
        print_problems(sorted(set(project.problems), key=Problem.sort_key), summary=False)
        if project.errors or any(s is None for s in all_sources.values()):
            raise JdgenError([])  # the problems are printed above
        # Make everything first, then write it all: a failure leaves the output folder as it was.
        outputs = _make_outputs(project, list(all_sources.values()), args, office)
    written = _write_outputs(output, outputs, depfiles=args.depfile)
    for sources, _, summary in outputs:
        directive = sources.directive
        what = (
            "draft (number and date left for the register)"
            if directive.is_draft
            else (f"nr {directive.number} of {directive.date:%d.%m.%Y}")
        )
        shown = ", ".join(display_path(path) for path in written[sources.path])
        state = "updated" if any(written[sources.path].values()) else "unchanged"
        print(f"{shown}: {what}, {plural(len(sources.annexes), 'annex', 'annexes')} ({state})")
        if summary is not None:
            print(f"  {plural(summary.pages, 'page', 'pages')}")
            print("\n".join(summary.lines()))
    return EXIT_OK


def output_folder(path: Path) -> Path:
    """The absolute output folder of `-o`; a path that cannot be a folder is a command-line error."""
    output = path if path.is_absolute() else Path.cwd() / path
    for folder in (output, *output.parents):
        if folder.exists() and not folder.is_dir():
            what = "exists and is not a folder" if folder == output else f"{display_path(folder)} is a file"
            raise UsageError(f"-o {path}: {what}; choose another output folder")
        if folder.exists():
            break
    return output


def _write_outputs(output: Path, outputs: list, *, depfiles: bool) -> dict[str, dict[Path, bool]]:
    """Stage every file of every directive, then move them all into place; for each directive, which
    files it wrote and whether each one's content changed."""
    written: dict[str, dict[Path, bool]] = {}
    with Outputs() as staged:
        for sources, files, _ in outputs:
            stem = Path(sources.path).stem
            paths = {output / f"{stem}{suffix}": data for suffix, data in files.items()}
            if depfiles:
                targets = " ".join(display_path(path) for path in paths)
                sources_used = sorted({*sources.files, sources.organisation.template})
                paths[output / f"{stem}.d"] = depfile(targets, sources_used)
            for path, data in paths.items():
                staged.stage(path, data)
            written[sources.path] = {
                path: not path.is_file() or path.read_bytes() != data
                for path, data in paths.items()
                if path.suffix != ".d"
            }
        staged.commit()
    return written


def _office():
    from .office import Office  # imported only when a PDF is made

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
        from .office import convert_to_pdf
        from .package import asice, finish_pdf
    pdfs = convert_to_pdf(documents, pdfa=args.pdfa, timeout=args.timeout, office=office) if want_pdf else {}
    outputs = []
    for sources in all_sources:
        stem = Path(sources.path).stem
        files = {".docx": documents[stem]}
        summary = None
        if want_pdf:
            files[".pdf"], summary = finish_pdf(pdfs[stem], sources, seed=documents[stem])
        if args.container or args.with_docx:
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


def _check(args: argparse.Namespace) -> int:
    project = open_project(args)
    whole_project = not args.paths
    names = (
        [project_path(project, p) for p in args.paths]
        if args.paths
        else [*project.directive_files(), *project.position_files()]
    )
    for sources in inspect(project, names, whole_project=whole_project).values():
        if sources is not None:
            _render_in_memory(project, sources)
    organisation = project.organisation()
    if organisation is not None and not any(kind_of(name) == "directive" for name in names):
        try:  # no directive to render with: the template is at least opened
            open_template(project.root / organisation.template, template_name=organisation.template)
        except JdgenError as exc:
            project.problems.extend(exc.problems)
    problems = sorted(set(project.problems), key=Problem.sort_key)
    print_problems(problems)
    if not project.errors:
        print(f"ok: {plural(len(names), 'file', 'files')} checked")
    return EXIT_INVALID if project.errors else EXIT_OK


def inspect(project: Project, names: list[str], *, whole_project: bool) -> dict[str, DirectiveSources | None]:
    """Validate the named files (the whole project's checks with `whole_project`), collecting every
    problem in `project.problems`; the assembled directives among them, None where invalid.

    `check` and `build` both call this, so a build prints the same warnings as a check."""
    project.organisation()
    directives: dict[str, DirectiveSources | None] = {}
    for name in names:
        kind = kind_of(name)
        if kind == "directive":
            directives[name] = sources = project.directive_sources(name)
            for annex in sources.annexes if sources else ():
                project.review_position(annex.path)
        elif kind == "position":
            project.review_position(name)
        elif kind == "unit":
            project.unit(name)
        else:
            project.files.read(name)
    if whole_project:
        for name in project.position_files():
            project.review_position(name)
        project.unused_includes()
        valid = {name: d for name in project.directive_files() if (d := project.directive(name)) is not None}
        project.problems.extend(
            review.duplicate_numbers(valid, lambda name, path: project.files.read(name).location(path))
        )
    return directives


def _render_in_memory(project: Project, sources: DirectiveSources) -> None:
    """Render the directive without writing it: the template's own errors are check errors too."""
    template_name = sources.organisation.template
    try:
        render_docx(project.root / template_name, sources, template_name=template_name)
    except JdgenError as exc:
        project.problems.extend(exc.problems)


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


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
