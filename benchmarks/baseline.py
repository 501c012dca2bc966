"""The naive way, for comparison: each annex rendered on its own with docxtpl, joined with docxcompose.

This is what a user would otherwise script: the directive's body from one template, every annex from
another (both cut out of the project's template, so the look is the same), each annex a document of
its own, appended one by one with docxcompose. Same data as jdgen, read as a docxtpl
user would (`plain`: libyaml with an include constructor, jdgen's models), so only the building
of the document differs.

    python benchmarks/baseline.py PROJECT DIRECTIVE.yaml OUT.docx
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docxcompose.composer import Composer
from docxtpl import DocxTemplate
from plain import directive_sources

from jdgen.document.render import jinja_environment
from jdgen.document.view import template_context

ANNEX_LOOP = "{%p for a in annexes %}"


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def split_template(template: Path, folder: Path) -> tuple[Path, Path]:
    """The directive's body (up to the annexes' loop) and the annexes' loop, as two templates."""
    paths = []
    for keep_annexes in (False, True):
        document = docx.Document(template)
        body = document.element.body
        blocks = [element for element in body.iterchildren() if element.tag != qn("w:sectPr")]
        # The last paragraph that opens a loop over the annexes starts the annexes themselves
        # (the first one lists them in point 1 of the directive).
        start = max(i for i, element in enumerate(blocks) if _text(element).strip() == ANNEX_LOOP)
        for element in blocks[:start] if keep_annexes else blocks[start:]:
            body.remove(element)
        path = folder / ("annex.docx" if keep_annexes else "directive.docx")
        document.save(path)
        paths.append(path)
    return paths[0], paths[1]


def build(project_root: Path, directive: str, out: Path) -> None:
    sources = directive_sources(project_root, directive)
    context = template_context(sources)
    directive_template, annex_template = split_template(
        project_root / sources.organisation.template, out.parent
    )
    environment = jinja_environment(context["wording"])  # jdgen's filters; otherwise docxtpl as it is
    master = DocxTemplate(directive_template)
    master.render(context, jinja_env=environment, autoescape=True)
    composer = Composer(master.docx)
    for annex in context["annexes"]:
        part = DocxTemplate(annex_template)
        part.render({**context, "annexes": [annex]}, jinja_env=environment, autoescape=True)
        composer.append(part.docx)
    composer.save(out)


if __name__ == "__main__":
    build(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
