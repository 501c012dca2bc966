"""`jdgen uses FILE`: the positions and directives a file reaches: what to approve again after a change."""

from __future__ import annotations

import argparse

from .. import impact
from ..errors import ExitCode, Problem
from . import open_project, print_problems


def run(args: argparse.Namespace) -> ExitCode:
    project = open_project()
    rel = project.named(args.file)
    found = impact.impact(project, rel)
    print_problems(sorted(set(project.problems), key=Problem.sort_key), summary=False)
    if not found.positions and not found.directives:
        print(f"{rel}: used by no position and no directive")
        return ExitCode.OK
    print(f"{rel} is used by {len(found.positions)} position(s):")
    for use in found.positions:
        via = f"  (via {' -> '.join(use.via)})" if use.via else ""
        print(f"  {use.path}: {use.title or '(invalid, run `jdgen check`)'}{via}")
    print(f"and {len(found.directives)} directive(s), to approve again after a change:")
    for directive in found.directives:
        annexes = directive.annexes
        where = "the whole directive" if not annexes else "Lisa " + ", ".join(map(str, annexes))
        print(f"  {directive.path}: {directive.label}, {where}")
    return ExitCode.OK
