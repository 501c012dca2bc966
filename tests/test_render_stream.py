"""The streamed body of `render_stream` is the document docxtpl makes on its own, on every path."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from lxml import etree

from jdgen.project import Project
from jdgen.render import jinja_environment, render_docx
from jdgen.render_stream import _needs_docxtpl
from jdgen.view import template_context

from conftest import DIRECTIVE_177, SKA


def _document_xml(data: bytes) -> bytes:
    """word/document.xml in canonical form (attribute order, namespaces, empty tags normalised)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("word/document.xml")
    tree = etree.fromstring(xml, etree.XMLParser(remove_blank_text=True))
    return etree.tostring(tree, method="c14n")


def _docxtpl_as_is(template: Path, context: dict) -> bytes:
    document = DocxTemplate(template)
    environment = jinja_environment(context["wording"])  # jdgen's filters; otherwise docxtpl as it is
    document.render(context, jinja_env=environment, autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def it_renders_the_same_body_as_docxtpl_does_on_its_own(small_project):
    """The streamed body (render_stream.StreamingTemplate) is docxtpl's document, for plain text and for a
    value with a line break and a tab, which takes docxtpl's own rewriting path."""
    template = SKA / "templates/kaskkiri.docx"
    sources = Project(SKA).directive_sources(DIRECTIVE_177)
    ours = render_docx(template, sources, template_name="kaskkiri.docx")
    assert _document_xml(ours) == _document_xml(_docxtpl_as_is(template, template_context(sources)))

    position = small_project / "positions/osakond/analyytik.yaml"
    position.write_text(
        position.read_text("utf-8").replace(
            "purpose: Analüüside tegemine.", 'purpose: "Esimene rida\\nteine rida\\tveerus."'
        ),
        encoding="utf-8",
    )
    sources = Project(small_project).directive_sources("directives/uus.yaml")
    ours = render_docx(template, sources, template_name="kaskkiri.docx")
    assert _document_xml(ours) == _document_xml(_docxtpl_as_is(template, template_context(sources)))
    body = docx.Document(io.BytesIO(ours)).element.body
    purpose = next(p for p in body.iter(qn("w:p")) if "Esimene rida" in "".join(p.itertext()))
    assert len(purpose.findall(f".//{qn('w:br')}")) == 1 and len(purpose.findall(f".//{qn('w:tab')}")) == 1


@pytest.mark.parametrize(
    ("xml", "needed"),
    [
        ("{%tc for c in columns %}", True),
        ("{% colspan 2 %}", True),
        ("{% cellbg 'FF0000' %}", True),
        ("{% vm %}", True),
        ("Märkus {# pooleli {%tc for c in columns %}", True),  # Jinja cannot read it: docxtpl reports
        ("{%p if directive.is_draft %}", False),
        ("{%tr for t in a.tasks %}{{ t.text }}{%tr endfor %}", False),
    ],
)
def it_takes_docxtpls_own_path_only_for_what_only_docxtpl_renders(xml, needed):
    """On the body's text with its runs joined: Word may split `{%tc` between two runs."""
    assert _needs_docxtpl(xml) is needed
