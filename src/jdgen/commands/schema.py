"""`jdgen schema`: the JSON Schema of a kind of file, printed or written for editors."""

from __future__ import annotations

import argparse
import sys

from ..errors import ExitCode, UsageError
from ..output import write_atomic
from ..schema import KINDS, schema_text


def run(args: argparse.Namespace) -> ExitCode:
    if args.kind is not None and args.kind not in KINDS:
        raise UsageError(f"schema: no kind {args.kind!r}; the kinds are {', '.join(sorted(KINDS))}")
    if args.output is None:
        if args.kind is None:
            raise UsageError("name a kind (position, directive, organisation, unit) or give -o DIR")
        sys.stdout.write(schema_text(args.kind))
        return ExitCode.OK
    if args.output.exists() and not args.output.is_dir():
        raise UsageError(f"-o {args.output}: exists and is not a folder")
    for kind in [args.kind] if args.kind else sorted(KINDS):
        write_atomic(args.output / f"{kind}.schema.json", schema_text(kind).encode())
    return ExitCode.OK
