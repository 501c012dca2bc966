"""The repository's own data and template: boilerplate written once, template values all known."""

from __future__ import annotations

import ast
import re

import docx
import pytest
from docxtpl import DocxTemplate

from jdgen.document.render import jinja_environment
from jdgen.document.view import template_context
from jdgen.project.assembly import assemble
from jdgen.project.files import Project

from conftest import DIRECTIVE_177, PROJECTS, REPO, SKA


def yaml_files_containing(text: str) -> list[str]:
    return sorted(
        p.relative_to(SKA).as_posix()
        for p in SKA.glob("**/*.yaml")
        if ".venv" not in p.parts and text in p.read_text(encoding="utf-8")
    )


@pytest.mark.parametrize("shared", ["heaperemeheliku kasutamise eest", "Hoolivus, asjatundlikkus"])
def it_writes_shared_boilerplate_in_exactly_one_file(shared):
    assert len(yaml_files_containing(shared)) == 1, yaml_files_containing(shared)


def organisation_words(project) -> set[str]:
    """The words that name an agency (its name, signer, appeal clause) in its organisation.yaml."""
    organisation = Project(project).organisation()
    assert organisation is not None
    texts = [organisation.name, organisation.signer.name, *(organisation.appeal or [])]
    return {word for text in texts for word in re.findall(r"\w{5,}", text)} - COMMON_WORDS


def layout_words(project) -> set[str]:
    """The plain labels and headings of a project's template ("Ametisse nimetab", "Vahetu juht")."""
    organisation = Project(project).organisation()
    assert organisation is not None
    document = docx.Document(project / organisation.template)
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    texts = [p.text for p in document.paragraphs] + cells
    return {re.sub(r"^[\d.]+\s*", "", t).strip() for t in texts if t.strip() and "{" not in t} - {""}


# Ordinary words of a directive's sentences, which code may well say.
COMMON_WORDS = {"peale", "jooksul", "sätestatud", "korras", "teatavaks", "tegemisest", "esitada", "kaebus"}


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def it_names_no_agency_and_no_layout_in_python(project):
    words = organisation_words(project) | layout_words(project)
    assert len(words) >= 5
    for path in (REPO / "src").rglob("*.py"):
        strings = code_strings(path)
        found = [w for w in words for text in strings if w in text]
        assert not found, (path, found)


def code_strings(path) -> list[str]:
    """The strings of a module that its code works with: not its docstrings, not the format's
    documentation (`description=`, argparse's `help=`), which may name the domain's terms."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    documentation: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            documentation.add(id(body[0].value))
        if isinstance(node, ast.keyword) and node.arg in ("description", "help"):
            documentation |= {id(n) for n in ast.walk(node.value)}
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in documentation
    ]


def it_shares_includes_between_the_positions_of_177():
    project = Project(SKA)
    sources = assemble(project, DIRECTIVE_177)
    assert project.errors == []
    assert len(sources.annexes) == 8
    assert {a.position.personal_qualities[0][:24] for a in sources.annexes} == {"Hoolivus, asjatundlikkus"}
    includes = {f for f in sources.files if "/_shared/" in f}
    assert "positions/_shared/oigused.yaml" in includes
    assert "positions/_shared/vastutus.yaml" in includes


def it_gives_the_template_every_value_it_uses():
    project = Project(SKA)
    sources = assemble(project, DIRECTIVE_177)
    template = DocxTemplate(SKA / sources.organisation.template)
    context = template_context(sources)
    environment = jinja_environment(context["wording"])
    assert template.get_undeclared_template_variables(environment, context=context) == set()
    assert template.get_undeclared_template_variables(environment) == set(context)
