"""`jdgen uses FILE`: the positions and directives a file reaches: what to approve again after a change."""

from __future__ import annotations

import argparse

from ...errors import ExitCode, Problem
from ...i18n import _, n_
from ...project import impact
from . import open_project, print_problems


def run(args: argparse.Namespace) -> ExitCode:
    project = open_project()
    rel = project.named(args.file)
    found = impact.impact(project, rel)
    print_problems(sorted(set(project.problems), key=Problem.sort_key), summary=False)
    if not found.positions and not found.directives:
        print(_("{path}: used by no position and no directive").format(path=rel))
        return ExitCode.OK
    count = len(found.positions)
    print(
        n_("{path} is used by {count} position:", "{path} is used by {count} positions:", count).format(
            path=rel, count=count
        )
    )
    for use in found.positions:
        via = "  " + _("(via {files})").format(files=" -> ".join(use.via)) if use.via else ""
        print(f"  {use.path}: {use.title or _('(invalid, run `jdgen check`)')}{via}")
    count = len(found.directives)
    print(
        n_(
            "and {count} directive, to approve again after a change:",
            "and {count} directives, to approve again after a change:",
            count,
        ).format(count=count)
    )
    for directive in found.directives:
        annexes = directive.annexes
        where = _("the whole directive") if not annexes else "Lisa " + ", ".join(map(str, annexes))
        print(f"  {directive.path}: {directive.label}, {where}")
    return ExitCode.OK
