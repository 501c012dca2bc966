"""`jdgen schema`: the JSON Schema of a kind of file, printed or written for editors."""

from __future__ import annotations

import argparse
import sys

from ...errors import ExitCode, JdgenError, UsageError
from ...format.schema import KINDS, schema_text
from ...i18n import _
from ...output import Outputs
from . import open_project, output_folder


def run(args: argparse.Namespace) -> ExitCode:
    if args.kind is not None and args.kind not in KINDS:
        raise UsageError(
            _("schema: no kind {kind!r}; the kinds are {kinds}").format(
                kind=args.kind, kinds=", ".join(sorted(KINDS))
            )
        )
    try:  # inside a project, its organisation's declared extra values are in the schema
        organisation = open_project().organisation()
    except JdgenError:
        organisation = None
    if args.output is None:
        if args.kind is None:
            raise UsageError(_("name a kind (position, directive, organisation, unit) or give -o DIR"))
        sys.stdout.write(schema_text(args.kind, organisation))
        return ExitCode.OK
    output = output_folder(args.output)
    with Outputs() as staged:  # all of them or none
        for kind in [args.kind] if args.kind else sorted(KINDS):
            staged.stage(output / f"{kind}.schema.json", schema_text(kind, organisation).encode())
        staged.commit()
    return ExitCode.OK
