"""`jdgen verify`: the signatures on a signed file, and whether it holds what the sources build now."""

from __future__ import annotations

import argparse

from ...errors import ExitCode
from ...i18n import _, n_
from ...output import display_path
from ...signing.verification import verify
from . import open_project


def run(args: argparse.Namespace) -> ExitCode:
    project = open_project()
    directive = project.named(args.directive) if args.directive is not None else None
    found = verify(project, args.file, directive, timeout=args.timeout)
    signed = found.signed
    count = len(signed.signatures)
    said = n_(
        "{file}: {kind} with {count} signature, compared with {directive} ({label})",
        "{file}: {kind} with {count} signatures, compared with {directive} ({label})",
        count,
    )
    print(
        said.format(
            file=display_path(args.file),
            kind=signed.kind,
            count=count,
            directive=found.directive,
            label=found.label,
        )
    )
    for number, signature in enumerate(signed.signatures, 1):
        said = _("signature {number}: {signer}, {time} ({source}), {profile}")
        print(
            "  "
            + said.format(
                number=number,
                signer=signature.signer,
                time=signature.time,
                source=signature.time_source,
                profile=signature.profile,
            )
        )
        print(
            "    " + _("intact: the signed bytes are unchanged and the signature value checks out")
            if signature.intact
            else "    " + _("NOT intact: {reasons}").format(reasons="; ".join(signature.reasons))
        )
        for note in signature.notes:
            print(f"    {note}")
        if signature.intact and not signature.trusted:
            said = _("not confirmed offline: {reasons} (DigiDoc4 checks the certificate and the time online)")
            print("    " + said.format(reasons="; ".join(signature.reasons)))
    for document in found.documents:
        if document.matches:
            print(
                "  "
                + _("{file}: matches what the sources build now, byte for byte").format(file=document.name)
            )
            continue
        said = _("{file}: differs from what the sources build now").format(file=document.name)
        print(f"  {said}" + (f" ({document.note})" if document.note else ""))
        for change in document.changes:
            print(f"    {change}")
    if found.draft and all(signature.intact for signature in signed.signatures):
        said = _(
            "what was signed is a draft, without the register's number and date: write them into "
            "{directive}, make it for signature (make for-signature) and have that signed"
        )
        print("  " + said.format(directive=found.directive))
    print(_(found.verdict))
    return ExitCode.OK if found.verdict == "matches" else ExitCode.INVALID
