"""`jdgen check`: every problem of the project (or of the files named), nothing written."""

from __future__ import annotations

import argparse

from ..errors import ExitCode
from ..pipeline import check_project
from . import open_project, plural, print_problems, project_path


def run(args: argparse.Namespace) -> ExitCode:
    project = open_project()
    names = [project_path(project, p) for p in args.paths] or [
        *project.directive_files(),
        *project.position_files(),
    ]
    print_problems(check_project(project, names, whole_project=not args.paths))
    if project.errors:
        return ExitCode.INVALID
    print(f"ok: {plural(len(names), 'file', 'files')} checked")
    return ExitCode.OK
