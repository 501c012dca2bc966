"""The `jdgen` command line's arguments: the global options, each command's own, their help in
the user's language, and argparse's own words marked for the catalog.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import __version__
from ..i18n import N_, _

# argparse's own words, marked here for the catalog (`make catalogs`): argparse looks them up in
# the program's gettext domain, which is jdgen's (`i18n.speak_for_argparse`).
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("the following arguments are required: %s"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
)


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{text!r} is not a number of seconds").format(text=text)) from None
    if not 0 < value <= _DAY:
        said = _("{text} must be a number of seconds from 0 to {limit} (a day)")
        raise argparse.ArgumentTypeError(said.format(text=text, limit=_DAY))
    return value


_DAY = 24 * 60 * 60


def parser() -> argparse.ArgumentParser:
    """jdgen's argument parser: the global options, and each command's own."""
    parser = argparse.ArgumentParser(
        prog="jdgen",
        description=_("Job descriptions in YAML -> the directive (käskkiri) that approves them, as DOCX."),
    )
    parser.add_argument(  # Python 3.11's argparse does not look this help up in the catalog
        "--version",
        action="version",
        version=f"jdgen {__version__}",
        help=_("show program's version number and exit"),
    )
    _global_options(parser, default=None)
    # The same options after the command; SUPPRESS keeps a value given before the command.
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, default=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", required=True, metavar=_("COMMAND"))
    _build_arguments(commands.add_parser("build", parents=[common], help=_("build directives into DOCX")))
    _checking_arguments(commands, common)
    _authoring_arguments(commands, common)
    return parser


def _build_arguments(build: argparse.ArgumentParser) -> None:
    build.add_argument(
        "directives",
        nargs="*",
        type=Path,
        metavar=_("DIRECTIVE.yaml"),
        help=_("directive files (default: every file in directives/)"),
    )
    build.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar=_("DIR"),
        help=_("output folder (default: build/ in the project folder)"),
    )
    build.add_argument("--pdf", action="store_true", help=_("also convert to PDF with LibreOffice"))
    build.add_argument("--pdfa", action="store_true", help=_("PDF/A-2b for archives (implies --pdf)"))
    build.add_argument(
        "--container",
        action="store_true",
        help=_("also pack the PDF into an unsigned ASiC-E container (.asice)"),
    )
    build.add_argument(
        "--for-signature",
        action="store_true",
        help=_(
            "what the director signs: each directive with its number and date as PDF/A in an unsigned "
            "ASiC-E container, into signed/ (or -o DIR); one signed there already is left as it is, "
            "a draft is not made (implies --container)"
        ),
    )
    build.add_argument(
        "--with-docx",
        action="store_true",
        help=_("put the DOCX into the container too (implies --container)"),
    )
    _timeout_argument(build)
    build.add_argument(
        "--force", action="store_true", help=_("overwrite outputs even where a signed original is in the way")
    )
    build.add_argument(
        "--depfile",
        action="store_true",
        help=_("also write DIR/NAME.d, the files each directive was built from, for make"),
    )
    build.add_argument(
        "--outdated",
        action="store_true",
        help=_(
            "build only the directives whose files are missing, older than a file they were built "
            "from (as the last build's DIR/NAME.d lists them) or made by another jdgen; implies --depfile"
        ),
    )
    build.add_argument(
        "--changed-since",
        metavar=_("GIT_REF"),
        help=_(
            "build only the directives whose sources changed since this git revision "
            "(committed or not), e.g. HEAD or origin/main"
        ),
    )


def _checking_arguments(commands, common: argparse.ArgumentParser) -> None:
    """check, schema, list."""
    check = commands.add_parser(
        "check", parents=[common], help=_("validate directives and positions without writing")
    )
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar=_("PATH"),
        help=_("directive or position files (default: the whole project)"),
    )

    schema = commands.add_parser(
        "schema",
        parents=[common],
        help=_("print the JSON Schema of a kind of file, or write all of them (for editors)"),
    )
    schema.add_argument(
        "kind", nargs="?", help=_("which kind of file: position, directive, unit or organisation")
    )
    schema.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar=_("DIR"),
        help=_("write every schema into DIR as KIND.schema.json"),
    )
    schema.add_argument(
        "--reference",
        action="store_true",
        help=_(
            "the format reference in Markdown instead: every key, its type, its label, an example "
            "(-o names the file)"
        ),
    )

    commands.add_parser("list", parents=[common], help=_("list directives and positions"))


def _authoring_arguments(commands, common: argparse.ArgumentParser) -> None:
    """uses, new, diff, import, verify."""
    uses = commands.add_parser(
        "uses",
        parents=[common],
        help=_(
            "which positions and directives use a file (an include, a position, …): "
            "what to re-approve after changing it"
        ),
    )
    uses.add_argument("file", type=Path, metavar=_("FILE"), help=_("a file of the project, e.g. an include"))

    new = commands.add_parser("new", parents=[common], help=_("start a new position or directive file"))
    new.add_argument("kind", choices=("position", "directive"), help=_("what to start"))
    new.add_argument(
        "--unit", type=Path, required=True, metavar=_("DIR"), help=_("the unit's folder under positions/")
    )
    new.add_argument("--title", help=_("the position's title (Teenistuskoht); for a directive, its title"))
    new.add_argument(
        "--positions",
        nargs="+",
        type=Path,
        metavar=_("POSITION.yaml"),
        help=_("directive: the annexes in order (default: every position of the unit)"),
    )
    new.add_argument(
        "--directive",
        type=Path,
        metavar=_("DIRECTIVE.yaml"),
        help=_("position: add it to this directive's annexes, as the last one"),
    )
    new.add_argument(
        "-o", "--output", type=Path, metavar=_("FILE"), help=_("where to write (default: derived)")
    )

    diff = commands.add_parser(
        "diff",
        parents=[common],
        help=_("compare two versions of a position or a directive, section by section"),
    )
    diff.add_argument(
        "old", metavar=_("OLD"), help=_("a file, or REVISION:FILE, e.g. HEAD~1:positions/x.yaml")
    )
    diff.add_argument("new", nargs="?", metavar=_("NEW"), help=_("a file, or REVISION:FILE"))
    diff.add_argument(
        "--since", metavar=_("REVISION"), help=_("compare OLD as it was at REVISION with OLD now")
    )
    diff.add_argument(
        "--docx",
        type=Path,
        metavar=_("FILE.docx"),
        help=_("also write the changes as tracked changes for Word"),
    )
    diff.add_argument("--force", action="store_true", help=_("replace FILE.docx if it exists"))

    importing = commands.add_parser(
        "import",
        parents=[common],
        help=_("read a published directive or job description (register .txt, .docx or .pdf) into YAML"),
    )
    importing.add_argument(
        "source", type=Path, metavar=_("FILE"), help=_("the published text (.txt), a .docx or a .pdf")
    )
    importing.add_argument(
        "--into", type=Path, required=True, metavar=_("DIR"), help=_("the unit's folder under positions/")
    )
    importing.add_argument(
        "--directive", type=Path, metavar=_("FILE"), help=_("the directive YAML to write (default: derived)")
    )
    importing.add_argument("--force", action="store_true", help=_("overwrite files that exist"))
    importing.add_argument(
        "--partial",
        action="store_true",
        help=_("write the files even where their build does not say every word of the source (exit 1)"),
    )

    verify = commands.add_parser(
        "verify",
        parents=[common],
        help=_(
            "list the signatures of a signed .asice or PDF and say whether it holds what the sources "
            "build now (exit 0: it matches, 1: it differs)"
        ),
    )
    verify.add_argument("file", type=Path, metavar=_("FILE"), help=_("the signed .asice (DigiDoc4) or .pdf"))
    verify.add_argument(
        "directive",
        nargs="?",
        type=Path,
        metavar=_("DIRECTIVE.yaml"),
        help=_("the directive it was built from (default: the one it is named after)"),
    )
    _timeout_argument(verify)

    serve = commands.add_parser(
        "serve",
        parents=[common],
        help=_(
            "preview the directives in the browser as they will be signed, with their problems and "
            "what changed, updated whenever a file is saved (http://127.0.0.1:PORT/, its first line)"
        ),
    )
    serve.add_argument("--port", type=_port, default=8177, metavar="N", help=_("port (default 8177; 0: any)"))
    serve.add_argument(
        "--editor",
        metavar=_("EDITOR"),
        help=_(
            "where a problem's link opens its file: vscode (default), vscodium, idea, sublime, none, "
            "or a link with {path}, {line} and {column}; also the variable JDGEN_EDITOR"
        ),
    )


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(_("{text!r} is not a port number (0 to 65535)").format(text=text))
    return int(text)


def _timeout_argument(parser: argparse.ArgumentParser) -> None:
    """`--timeout` for the commands that run LibreOffice (build, verify)."""
    parser.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=300,
        metavar=_("SECONDS"),
        help=_("for LibreOffice (default: 300)"),
    )


def _global_options(parser: argparse.ArgumentParser, *, default: object) -> None:
    parser.add_argument(
        "--project",
        "-C",
        type=Path,
        metavar=_("DIR"),
        default=default,
        help=_(
            "run as if jdgen were started in DIR (like git -C): the project is the folder holding "
            "organisation.yaml there or above"
        ),
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=False if default is None else default,
        help=_("show tracebacks"),
    )
