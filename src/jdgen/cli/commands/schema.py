"""`jdgen schema`: the JSON Schema of a kind of file, printed or written for editors; with
`--reference`, the format reference of the project in Markdown (`authoring.reference`)."""

from __future__ import annotations

import argparse
import sys

from ...authoring.reference import KIND_FILES, format_reference, written_examples
from ...document.layout import AnnexLayout, annex_layout
from ...errors import ExitCode, JdgenError, UsageError
from ...format.folders import ORGANISATION_FILE, POSITIONS_DIR, UNIT_FILE
from ...format.model import Organisation
from ...format.schema import KINDS, json_schema, schema_text
from ...i18n import _
from ...output import Outputs
from ...project.files import Project
from ...project.reviewing import include_files
from . import open_project, output_folder


def run(args: argparse.Namespace) -> ExitCode:
    if args.kind is not None and args.kind not in KINDS:
        raise UsageError(
            _("schema: no kind {kind!r}; the kinds are {kinds}").format(
                kind=args.kind, kinds=", ".join(sorted(KINDS))
            )
        )
    project: Project | None = None
    try:  # inside a project, its organisation's declared extra values are in the schema
        project = open_project()
        organisation = project.organisation()
    except JdgenError:
        organisation = None
    if args.reference:
        text = _reference(project, organisation)
        if args.output is None:
            sys.stdout.write(text)
            return ExitCode.OK
        with Outputs() as staged:  # -o names the file
            staged.stage(output_folder(args.output.parent) / args.output.name, text.encode())
            staged.commit()
        return ExitCode.OK
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


def _reference(project: Project | None, organisation: Organisation | None) -> str:
    """The format reference: with a project, its template's labels and its files' examples."""
    schemas = {kind: json_schema(kind, organisation, includes=False) for kind in KIND_FILES}
    layout: AnnexLayout | None = None
    examples: dict[str, dict] = {}
    if project is not None and organisation is not None:
        template = project.root / organisation.template
        if template.is_file():
            layout = annex_layout(template, template_name=organisation.template, organisation=organisation)
        root = project.root
        shared = include_files(root)  # a position's own files first, then the shared ones it merges
        files = {
            "organisation": [ORGANISATION_FILE],
            "unit": sorted(p.relative_to(root).as_posix() for p in (root / POSITIONS_DIR).rglob(UNIT_FILE)),
            "position": project.position_files() + shared,
            "directive": project.directive_files(),
        }
        real_root = root.resolve()
        examples = {
            kind: written_examples(
                (root / rel).read_text("utf-8", errors="replace")
                for rel in names
                if (root / rel).resolve().is_relative_to(real_root)  # no link out of the project
            )
            for kind, names in files.items()
        }
    return format_reference(schemas, layout, examples)
