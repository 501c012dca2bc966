"""`jdgen diff OLD NEW`: what changed between two versions of a position or directive, in the
document's own terms, optionally as a Word file with tracked changes."""

from __future__ import annotations

import argparse
from pathlib import Path

from ...authoring.comparison import compare
from ...authoring.redline import redline_docx
from ...errors import ExitCode, JdgenError, UsageError
from ...i18n import _, n_
from ...output import display_path, write_atomic
from ...pdf.signed import refuse_signed
from . import open_project, print_problems


def run(args: argparse.Namespace) -> ExitCode:
    target = _redline_target(args.docx, force=args.force) if args.docx else None
    project = open_project()
    if (args.new is None) == (args.since is None):
        raise UsageError(_("diff: give OLD and NEW, or one FILE with --since REVISION"))
    old_spec, new_spec = (f"{args.since}:{args.old}", args.old) if args.since else (args.old, args.new)
    try:
        comparison = compare(project, old_spec, new_spec)
    except JdgenError as exc:
        print_problems(exc.problems, summary=False)
        raise JdgenError([]) from None
    print_problems(comparison.warnings, summary=False)
    print(comparison.title)
    section = None
    for change in comparison.changes:
        if change.section != section:
            section = change.section
            print(section)
        print(f"  {change.line()}")
    found = comparison.changes
    count = len(found)
    print(n_("{count} change", "{count} changes", count).format(count=count) if found else _("no changes"))
    if comparison.flagged:
        flagged = n_(
            "{count} change of duties or requirements: {note}",
            "{count} changes of duties or requirements: {note}",
            comparison.flagged,
        )
        print("[!] " + flagged.format(count=comparison.flagged, note=comparison.note))
    if target is not None:
        company, language = comparison.organisation.name, comparison.organisation.language
        write_atomic(
            target, redline_docx(comparison.title, found, comparison.note, company=company, language=language)
        )
        print(_("{path}: the changes as tracked changes").format(path=display_path(target)))
    return ExitCode.OK


def _redline_target(path: Path, *, force: bool) -> Path:
    """Where --docx writes: a .docx file, never an existing one without --force, never a signed one."""
    if path.suffix.lower() != ".docx":
        raise UsageError(_("--docx {path}: name a .docx file, e.g. --docx changes.docx").format(path=path))
    target = path if path.is_absolute() else Path.cwd() / path
    if target.exists() and not force:
        raise UsageError(
            _("--docx {path}: the file exists already; add --force to replace it").format(path=path)
        )
    if not force:
        refuse_signed([target])
    return target
