"""`jdgen list`: the project's directives and positions, one line each."""

from __future__ import annotations

import argparse

from ..errors import ExitCode
from . import open_project


def run(args: argparse.Namespace) -> ExitCode:
    project = open_project()
    print("Directives:")
    for name in project.directive_files():
        directive = project.directive(name)
        if directive is None:
            print(f"  {name}: (invalid, run `jdgen check`)")
            continue
        print(f"  {name}: {directive.title}, {directive.label}, {len(directive.annexes)} annexes")
    print("Positions:")
    for name in project.position_files():
        position = project.position(name)
        print(f"  {name}: {position.title if position else '(invalid, run `jdgen check`)'}")
    return ExitCode.OK
