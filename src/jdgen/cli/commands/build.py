"""`jdgen build`: directives into DOCX (PDF, ASiC-E), written together, with a line per directive."""

from __future__ import annotations

import argparse
from pathlib import Path

from ...errors import ExitCode, UsageError
from ...i18n import _, n_
from ...output import display_path
from ...pdf.signed import signature_in
from ...project.files import Project
from ...project.freshness import outdated, stamp_all
from ...project.pipeline import BuildOptions, build_directives
from . import open_project, output_folder, print_problems


def run(args: argparse.Namespace) -> ExitCode:
    project = open_project()
    names = [project.named(p) for p in args.directives] or project.directive_files()
    if not names:
        raise UsageError(_("no directives to build (directives/ is empty)"))
    if args.changed_since:
        from ...project import gitrepo, impact  # only for --changed-since

        changed = gitrepo.changed_since(project.root, args.changed_since)
        names = [name for name in impact.directives_using(project, changed) if name in names]
        if not names:
            print(
                _("no directive uses a file changed since {revision}: nothing to build").format(
                    revision=args.changed_since
                )
            )
            return ExitCode.OK
    options = BuildOptions(
        pdf=args.pdf,
        pdfa=args.pdfa,
        container=args.container or args.for_signature,
        with_docx=args.with_docx,
        depfile=args.depfile or args.outdated,
        force=args.force,
        timeout=args.timeout,
    )
    default = SIGNATURE_FOLDER if args.for_signature else "build"
    output = output_folder(args.output) if args.output is not None else project.root / default
    if args.for_signature:
        names = _for_signature(project, names, output, options, named=bool(args.directives))
        if not names:
            return ExitCode.OK
    every = names
    if args.outdated:
        names = [name for name in names if outdated(project.root, name, output, options.suffixes)]
        if not names:
            print(_("every directive is up to date in {folder}").format(folder=display_path(output)))
    whole = not args.directives and not args.outdated  # what make asks for: the directives alone
    build = build_directives(project, names, output, options, whole_project=whole) if names else None
    if args.outdated and not args.directives:  # make's stamp: every directive is up to date now
        stamp_all(every, output)
    if build is None:
        return ExitCode.OK
    print_problems(build.warnings, summary=False)
    for built in build.directives:
        directive = built.directive
        what = directive.label + (_(" (number and date left for the register)") if directive.is_draft else "")
        shown = ", ".join(display_path(path) for path in built.files)
        count = built.annexes
        annexes = n_("{count} annex", "{count} annexes", count).format(count=count)
        state = _("updated") if built.updated else _("unchanged")
        print(f"{shown}: {what}, {annexes} ({state})")
        if built.summary is not None:
            pages = built.summary.pages
            print("  " + n_("{count} page", "{count} pages", pages).format(count=pages))
            print("\n".join(built.summary.lines()))
    return ExitCode.OK


SIGNATURE_FOLDER = "signed"  # outside build/, which `make clean` deletes: signed originals stay


def _for_signature(
    project: Project, names: list[str], output: Path, options: BuildOptions, *, named: bool
) -> list[str]:
    """The directives to make for signature: not one signed in `output` already (said, and left as
    it is), not a draft (said; one named on the command line is the pipeline's error, as for any
    container)."""
    wanted = []
    for name in names:
        stem = Path(name).stem
        signed = [path for suffix in options.suffixes if signature_in(path := output / f"{stem}{suffix}")]
        directive = project.directive(name)
        if signed:
            print(_("{file}: signed already, left as it is").format(file=display_path(signed[0])))
        elif directive is not None and directive.is_draft and not options.force and not named:
            print(_("{file}: a draft (no number and date yet), not made for signature").format(file=name))
        else:
            wanted.append(name)
    return wanted
