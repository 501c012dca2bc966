"""`jdgen check`: every problem of the project (or of the files named), nothing written."""

from __future__ import annotations

import argparse

from ...errors import ExitCode
from ...i18n import n_
from ...project.checking import check_project
from . import open_project, print_problems


def run(args: argparse.Namespace) -> ExitCode:
    project = open_project()
    names = [project.named(p) for p in args.paths] or [
        *project.directive_files(),
        *project.position_files(),
    ]
    print_problems(check_project(project, names, whole_project=not args.paths))
    if project.errors:
        return ExitCode.INVALID
    print(n_("ok: {count} file checked", "ok: {count} files checked", len(names)).format(count=len(names)))
    return ExitCode.OK
