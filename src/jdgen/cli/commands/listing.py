"""`jdgen list`: the project's directives and positions, one line each."""

from __future__ import annotations

import argparse

from ...errors import ExitCode
from ...i18n import _, n_
from . import open_project


def run(args: argparse.Namespace) -> ExitCode:
    project = open_project()
    print(_("Directives:"))
    for name in project.directive_files():
        directive = project.directive(name)
        if directive is None:
            print(f"  {name}: " + _("(invalid, run `jdgen check`)"))
            continue
        count = len(directive.annexes)
        annexes = n_("{count} annex", "{count} annexes", count).format(count=count)
        print(f"  {name}: {directive.title}, {directive.label}, {annexes}")
    print(_("Positions:"))
    for name in project.position_files():
        position = project.position(name)
        print(f"  {name}: {position.title if position else _('(invalid, run `jdgen check`)')}")
    return ExitCode.OK
