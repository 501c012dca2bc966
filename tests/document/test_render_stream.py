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

from jdgen.document.render import jinja_environment, render_docx
from jdgen.document.render_stream import StreamingTemplate, _needs_docxtpl, sound
from jdgen.document.view import template_context
from jdgen.project.assembly import assemble
from jdgen.project.files import Project

from conftest import DIRECTIVE_177, REPO, SKA

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


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
    sources = assemble(Project(SKA), DIRECTIVE_177)
    ours = render_docx(template, sources, template_name="kaskkiri.docx")
    assert _document_xml(ours) == _document_xml(_docxtpl_as_is(template, template_context(sources)))

    position = small_project / "positions/osakond/analyytik.yaml"
    position.write_text(
        position.read_text("utf-8").replace(
            "purpose: Analüüside tegemine.", 'purpose: "Esimene rida\\nteine rida\\tveerus."'
        ),
        encoding="utf-8",
    )
    sources = assemble(Project(small_project), "directives/uus.yaml")
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


P = "<w:p><w:r><w:t>{}</w:t></w:r></w:p>"


@pytest.mark.parametrize(
    ("body", "is_sound"),
    [
        (P.format("{% if a %}x{% else %}y{% endif %}"), True),  # inside one run
        (P.format("{% if a %}x</w:t></w:r><w:r><w:t>y{% endif %}"), True),  # across runs of one paragraph
        ("{% for a in annexes %}" + P.format("{{ a.title }}") + "{% endfor %}", True),  # as {%p %} leaves it
        (P.format("{% set n = 1 %}{{ n }}"), True),
        (
            P.format("{% if a %}x")
            + "<w:tbl><w:tr><w:tc>"
            + P.format("{% endif %}")
            + "</w:tc></w:tr></w:tbl>",
            False,
        ),
        (
            P.format("{% for x in xs %}x</w:t></w:r></w:p>{% endfor %}"),
            False,
        ),  # closes the paragraph each time
        (P.format("{{ a.title|safe }}"), False),  # a value printed unescaped
        (P.format("{% raw %}{% endraw %}"), False),  # what the check does not know is parsed
        (P.format("{% if a %}x"), False),  # a block never closed
    ],
)
def it_knows_when_no_values_can_break_the_body(body, is_sound):
    """A sound template's body is not parsed again while it is rendered (`render_stream.sound`);
    any other is, and a broken document is refused before anything is written."""
    assert sound(f'<w:body xmlns:w="{W_NS}">{body}</w:body>') is is_sound


def it_finds_the_shipped_templates_sound():
    for template in sorted(REPO.glob("**/templates/kaskkiri.docx")):
        document = StreamingTemplate(template)
        document.init_docx()
        assert sound(document.patch_xml(document.get_xml())), template
