"""The competent way, for comparison: stock docxtpl rendering the project's own template once.

A docxtpl user who knows the tool renders the one template, whose `{%p for a in annexes %}` loop
prints every annex, with one `render()` call and saves it. Same data as jdgen, read as a
docxtpl user would (`plain`: libyaml with an include constructor, jdgen's models), and the same
context and filters (`jdgen.document.view`), so only the reading, rendering and writing differ:
docxtpl's whole-string path against jdgen's streamed one.

    python benchmarks/docxtpl_once.py PROJECT DIRECTIVE.yaml OUT.docx
"""

from __future__ import annotations

import sys
from pathlib import Path

from docxtpl import DocxTemplate
from plain import directive_sources

from jdgen.document.render import jinja_environment
from jdgen.document.view import template_context


def build(project_root: Path, directive: str, out: Path) -> None:
    sources = directive_sources(project_root, directive)
    document = DocxTemplate(project_root / sources.organisation.template)
    environment = jinja_environment(sources.directive.wording_from(sources.organisation))
    document.render(template_context(sources), jinja_env=environment, autoescape=True)
    document.save(out)


if __name__ == "__main__":
    build(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
