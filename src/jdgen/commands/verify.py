"""`jdgen verify`: the signatures on a signed file, and whether it holds what the sources build now."""

from __future__ import annotations

import argparse

from ..errors import ExitCode
from ..output import display_path
from ..verification import verify
from . import open_project, plural


def run(args: argparse.Namespace) -> ExitCode:
    project = open_project()
    directive = project.named(args.directive) if args.directive is not None else None
    found = verify(project, args.file, directive, timeout=args.timeout)
    signed = found.signed
    print(
        f"{display_path(args.file)}: {signed.kind} with "
        f"{plural(len(signed.signatures), 'signature', 'signatures')}, "
        f"compared with {found.directive} ({found.label})"
    )
    for number, signature in enumerate(signed.signatures, 1):
        print(
            f"  signature {number}: {signature.signer}, {signature.time} ({signature.time_source}), "
            f"{signature.profile}"
        )
        print(
            "    intact: the signed bytes are unchanged and the signature value checks out"
            if signature.intact
            else "    NOT intact: " + "; ".join(signature.reasons)
        )
        for note in signature.notes:
            print(f"    {note}")
        if signature.intact and not signature.trusted:
            print(
                "    not confirmed offline: "
                + "; ".join(signature.reasons)
                + " (DigiDoc4 checks the certificate and the time online)"
            )
    for document in found.documents:
        if document.matches:
            print(f"  {document.name}: matches what the sources build now, byte for byte")
            continue
        note = f" ({document.note})" if document.note else ""
        print(f"  {document.name}: differs from what the sources build now{note}")
        for change in document.changes:
            print(f"    {change}")
    print(found.verdict)
    return ExitCode.OK if found.verdict == "matches" else ExitCode.INVALID
