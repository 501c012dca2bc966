"""The repository's own data and template: boilerplate written once, template values all known."""

from __future__ import annotations

import pytest
from docxtpl import DocxTemplate

from jdgen.project import Project
from jdgen.render import jinja_environment
from jdgen.view import template_context

from conftest import DIRECTIVE_177, REPO, SKA


def yaml_files_containing(text: str) -> list[str]:
    return sorted(
        p.relative_to(SKA).as_posix()
        for p in SKA.glob("**/*.yaml")
        if ".venv" not in p.parts and text in p.read_text(encoding="utf-8")
    )


@pytest.mark.parametrize("shared", ["heaperemeheliku kasutamise eest", "Hoolivus, asjatundlikkus"])
def it_writes_shared_boilerplate_in_exactly_one_file(shared):
    assert len(yaml_files_containing(shared)) == 1, yaml_files_containing(shared)


def it_writes_no_agency_name_in_python():
    organisation_words = ("Sotsiaalkindlustusamet", "peadirektor", "Maripuu", "halduskohtu")
    for path in (REPO / "src").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not [w for w in organisation_words if w in source], path


def it_shares_includes_between_the_positions_of_177():
    project = Project(SKA)
    sources = project.directive_sources(DIRECTIVE_177)
    assert project.problems == []
    assert len(sources.annexes) == 8
    assert {a.position.personal_qualities[0][:24] for a in sources.annexes} == {"Hoolivus, asjatundlikkus"}
    includes = {f for f in sources.files if "/_shared/" in f}
    assert "positions/_shared/oigused.yaml" in includes
    assert "positions/_shared/vastutus.yaml" in includes


def it_gives_the_template_every_value_it_uses():
    project = Project(SKA)
    sources = project.directive_sources(DIRECTIVE_177)
    template = DocxTemplate(SKA / sources.organisation.template)
    context = template_context(sources)
    environment = jinja_environment(context["wording"])
    assert template.get_undeclared_template_variables(environment, context=context) == set()
    assert template.get_undeclared_template_variables(environment) == set(context)
