"""What an agency says in organisation.yaml instead of Python: its own values (extras), which
reviewer rules apply, and what the model derives for its layout (genitives, the chain of units)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from jdgen.document.view import template_context
from jdgen.format.inflection import genitive, nominative
from jdgen.project.assembly import assemble
from jdgen.project.files import Project

from conftest import SKA, run_jdgen, write

POSITION = "positions/osakond/analyytik.yaml"


def declare(project, text: str) -> None:
    """Append to the project's organisation.yaml."""
    organisation = project / "organisation.yaml"
    organisation.write_text(organisation.read_text("utf-8") + text, "utf-8")


def problems(project, capsys, *paths) -> tuple[int, list[str]]:
    code = run_jdgen("check", "--project", project, *[project / p for p in paths])
    return code, capsys.readouterr().err.splitlines()


EXTRAS = """\
extras:
  position:
    appointed_by: {label: Ametisse nimetab, required: true}
    since: {type: date}
  task:
    weight: {type: number}
"""


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["extra: {appointed_by: Peadirektor, apointed: x}"],
            f"{POSITION}:9:36: extra.apointed: undeclared extra value 'apointed' — "
            "did you mean 'appointed_by'?",
        ),
        (
            ["extra: {since: 2025-01-01}"],
            f"{POSITION}:9:8: extra.appointed_by: this required extra value is missing (Ametisse nimetab) — "
            "add `appointed_by:` under `extra:`, as organisation.yaml's extras.position declares",
        ),
        (
            ["extra: {appointed_by: Peadirektor, since: 2025-13-01}"],
            f"{POSITION}:9:43: 2025-13-01 is not a real date (the month is 01 to 12) — "
            "write a day that exists, as YYYY-MM-DD, e.g. 2024-12-13",
        ),
    ],
)
def it_checks_each_extra_value_against_its_declaration(small_project, capsys, lines, expected):
    declare(small_project, EXTRAS)
    position = small_project / POSITION
    position.write_text(position.read_text("utf-8") + "\n".join(lines) + "\n", "utf-8")
    code, err = problems(small_project, capsys, POSITION)
    assert code == 1
    assert next(line for line in err if line.startswith(POSITION)) == expected


def it_gives_the_template_typed_extra_values_of_positions_and_tasks(small_project):
    declare(small_project, EXTRAS)
    text = (small_project / POSITION).read_text("utf-8")
    text = text.replace(
        "      - Analüüs on tehtud.\n", "      - Analüüs on tehtud.\n    extra: {weight: 3}\n"
    )
    (small_project / POSITION).write_text(
        text + "extra: {appointed_by: Peadirektor, since: 2025-02-03}\n", "utf-8"
    )
    sources = assemble(Project(small_project), "directives/uus.yaml")
    assert sources is not None
    annex = template_context(sources)["annexes"][0]
    assert annex.position.extra == {"appointed_by": "Peadirektor", "since": dt.date(2025, 2, 3)}
    assert annex.tasks[0].extra == {"weight": 3}


def it_refuses_an_undeclared_extra_value(small_project, capsys):
    text = (small_project / POSITION).read_text("utf-8")
    (small_project / POSITION).write_text(text + "extra: {kood: A-1}\n", "utf-8")
    code, err = problems(small_project, capsys, POSITION)
    assert code == 1
    assert err[0] == (
        f"{POSITION}:9:9: extra.kood: undeclared extra value 'kood' — declare it under extras.position in "
        "organisation.yaml"
    )


def it_warns_where_the_template_and_the_declarations_disagree(small_project, capsys):
    line = len((small_project / "organisation.yaml").read_text("utf-8").splitlines()) + 3
    declare(small_project, "extras:\n  unit:\n    code: {label: Kood}\n")
    text = (small_project / POSITION).read_text("utf-8")
    (small_project / POSITION).write_text(text + "group: Ametnik\n", "utf-8")  # the stock template prints it
    code, err = problems(small_project, capsys)
    assert code == 0
    assert err == [
        f"organisation.yaml:{line}:11: warning: extras.unit.code: the template does not print code "
        "(the unit's extra.code) — add it to the template, or delete the declaration",
        "0 error(s), 1 warning(s)",
    ]


def it_warns_about_a_value_the_template_never_prints(tmp_path, capsys):
    from conftest import PROJECTS, copy_project

    other = next(p for p in PROJECTS if p != SKA)
    project = copy_project(other, tmp_path / "p")
    position = next(p for p in (project / "positions").rglob("*.yaml") if not p.name.startswith("_"))
    lines = position.read_text("utf-8").splitlines()
    position.write_text("\n".join([*lines, "rights: [teha kaugtööd]"]) + "\n", "utf-8")
    code, err = problems(project, capsys)
    assert code == 0
    rel = position.relative_to(project).as_posix()
    assert f"{rel}:{len(lines) + 1}:9: warning: rights: the template does not print rights" in err[0], err


def it_switches_reviewer_rules_in_organisation_yaml(small_project, capsys):
    text = (small_project / POSITION).read_text("utf-8")
    no_results = text.replace("    results:\n      - Analüüs on tehtud.\n", "")
    (small_project / POSITION).write_text(no_results + "substitutes: kõiki osakonna teenistujaid\n", "utf-8")
    code, err = problems(small_project, capsys, POSITION)
    assert code == 0
    assert [line.split(": warning: ")[1].split(":")[0] for line in err[:-1]] == ["tasks[1]", "substitutes"]
    organisation = (small_project / "organisation.yaml").read_text("utf-8")
    organisation = organisation.replace("  substitutes: true", "  substitutes: false")
    (small_project / "organisation.yaml").write_text(
        organisation.replace("task_results: true", "task_results: false")
    )
    code, err = problems(small_project, capsys, POSITION)
    assert (code, err) == (0, [])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("arendamise osakond", "arendamise osakonna"),
        ("Peaspetsialist (järelevalve arendus)", "Peaspetsialisti (järelevalve arendus)"),
        ("juhataja", "juhataja"),
        ("ekspert", "eksperdi"),
        ("liiklusjuhtimiskeskus", "liiklusjuhtimiskeskuse"),
        ("vanemliiklusjuht", "vanemliiklusjuhi"),
        ("jurist-analüütik", "jurist-analüütiku"),
        ("koordinaator", "koordinaatori"),
        ("assistent", "assistendi"),
        ("LIIKLUSJUHT", "LIIKLUSJUHI"),
    ],
)
def it_derives_the_genitive_of_a_title_or_unit_and_back(name, expected):
    assert genitive(name) == expected
    assert nominative(expected) == name


def it_asks_for_a_genitive_no_rule_can_derive_where_the_template_prints_it(small_project, tmp_path, capsys):
    from conftest import PROJECTS, copy_project

    # the stock template prints neither the title's nor the unit's genitive from a rule
    write(small_project, "positions/osakond/_unit.yaml", "name: Arendusosakond, analüüsi talitus\n")
    text = (small_project / POSITION).read_text("utf-8")
    (small_project / POSITION).write_text(text.replace("title: Analüütik", "title: Analüüs-CV"), "utf-8")
    code, err = problems(small_project, capsys)
    assert code == 1 and err == [
        "positions/osakond/_unit.yaml:1:7: name: cannot derive the genitive of 'Arendusosakond, analüüsi "
        "talitus', which the template prints — write it as `genitive:` in this file (e.g. 'eksperdi' for "
        "'ekspert', 'arendusosakonna')",
        "1 error(s), 0 warning(s)",
    ]
    # the other layout prints the title's genitive ("ARENDAMISE OSAKONNA JUHATAJA")
    other = copy_project(next(p for p in PROJECTS if p != SKA), tmp_path / "other")
    position = next(p for p in (other / "positions").rglob("*.yaml") if not p.parent.name.startswith("_")
                    and p.name != "_unit.yaml")  # fmt: skip
    lines = position.read_text("utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[at] = "title: Analüüs-CV"
    position.write_text("\n".join(lines) + "\n", "utf-8")
    code, err = problems(other, capsys)
    rel = position.relative_to(other).as_posix()
    assert code == 1 and err[0] == (
        f"{rel}:{at + 1}:8: title: cannot derive the genitive of the title 'Analüüs-CV', which the template "
        "prints — write it as `title_genitive:` (e.g. 'eksperdi' for 'ekspert', 'arendusosakonna')"
    )
    position.write_text("\n".join([*lines, "title_genitive: Analüüs-CV"]) + "\n", "utf-8")
    assert problems(other, capsys)[0] == 0


def it_gives_the_template_the_chain_of_units_and_raw_dates(small_project):
    write(small_project, "positions/_unit.yaml", "name: Teenistus\n")  # the service around all units
    write(small_project, "positions/osakond/talitus/_unit.yaml", "name: arendustalitus\nextra: {}\n")
    write(
        small_project, "positions/osakond/talitus/jurist.yaml", (small_project / POSITION).read_text("utf-8")
    )
    directive = (small_project / "directives/uus.yaml").read_text("utf-8")
    directive = directive.replace("positions/osakond/analyytik.yaml", "positions/osakond/talitus/jurist.yaml")
    repeal = "repeals: [{date: 2023-02-01, number: '5', title: Ametijuhendi kinnitamine}]\n"
    (small_project / "directives/uus.yaml").write_text(directive + repeal, "utf-8")
    sources = assemble(Project(small_project), "directives/uus.yaml")
    assert sources is not None
    context = template_context(sources)
    annex = context["annexes"][0]
    assert [u.name for u in annex.units] == ["Teenistus", "Arendusosakond", "arendustalitus"]
    assert (annex.unit.name, annex.unit.genitive) == ("arendustalitus", "arendustalituse")
    assert [u.name for u in context["directive"].units] == ["Teenistus", "Arendusosakond"]
    assert context["directive"].repeals[0].date == dt.date(2023, 2, 1)


def it_writes_the_declared_extra_values_into_the_schema(small_project, tmp_path, monkeypatch):
    declare(small_project, EXTRAS)
    monkeypatch.chdir(small_project)
    assert run_jdgen("schema", "-o", tmp_path) == 0
    schema = json.loads((tmp_path / "position.schema.json").read_text("utf-8"))
    extra = schema["properties"]["extra"]["anyOf"][0]
    assert extra["required"] == ["appointed_by"]
    assert extra["properties"]["appointed_by"]["title"] == "Ametisse nimetab"
    assert extra["additionalProperties"] is False
    task_extra = schema["$defs"]["Task"]["properties"]["extra"]["anyOf"][0]
    assert {"type": "integer"} in task_extra["properties"]["weight"]["anyOf"][0]["anyOf"]


def it_prints_nothing_for_a_value_left_out(tmp_path):
    """A template that prints a row whatever the data (the numbered rows of examples/) prints an
    empty value for one left out, never "None"."""
    import readback
    from conftest import PROJECTS, copy_project

    other = next(p for p in PROJECTS if p != SKA)
    project = copy_project(other, tmp_path / "p")
    for path in (project / "positions").rglob("*.yaml"):
        text = path.read_text("utf-8")
        path.write_text("\n".join(x for x in text.splitlines() if not x.startswith("substituted_by:")) + "\n")
    [directive] = (project / "directives").glob("*.yaml")
    assert run_jdgen("build", directive, "-o", tmp_path / "out", "--project", project) == 0
    text = readback.text(tmp_path / "out" / f"{directive.stem}.docx")
    assert "None" not in text


def it_names_a_changed_extra_value_by_its_label(small_project, capsys):
    from conftest import git

    declare(small_project, EXTRAS)
    text = (small_project / POSITION).read_text("utf-8")
    text = text.replace(
        "      - Analüüs on tehtud.\n", "      - Analüüs on tehtud.\n    extra: {weight: 3}\n"
    )
    (small_project / POSITION).write_text(text + "extra: {appointed_by: Peadirektor, since: 2025-02-03}\n")
    git(small_project, "init", "-q")
    git(small_project, "add", "-A")
    git(small_project, "commit", "-qm", "first")
    changed = text.replace("extra: {weight: 3}", "extra: {weight: 4}")
    (small_project / POSITION).write_text(changed + "extra: {appointed_by: Direktor, since: 2025-03-04}\n")
    capsys.readouterr()
    assert run_jdgen("diff", "--since", "HEAD", small_project / POSITION, "--project", small_project) == 0
    lines = [line.strip() for line in capsys.readouterr().out.splitlines()]
    assert "Ametisse nimetab changed: [-Peadirektor-] {+Direktor+}" in lines
    assert "extra.since changed: [-03.02.2025-] {+04.03.2025+}" in lines
    assert any(line.startswith("2.1 task.extra.weight changed: [-3-] {+4+}") for line in lines), lines


@pytest.mark.parametrize(
    ("printed", "shown"),
    [("a.position.knowledge", "….position.knowledge"), ("a.position.extra.notes", "….extra.notes")],
)
def it_says_where_the_template_prints_a_list_whole(small_project, capsys, printed, shown):
    """`{{ a.position.knowledge }}` would print "['…', '…']": check says so, at the template."""
    import docx as word

    declare(small_project, "extras:\n  position:\n    notes: {type: paragraphs}\n")

    template = small_project / "templates/kaskkiri.docx"
    document = word.Document(template)
    cell = next(
        c
        for t in document.tables
        for r in t.rows
        for c in r.cells
        if "{%p for x in a.position.knowledge" in c.text
    )
    for paragraph in cell.paragraphs[1:]:
        paragraph._element.getparent().remove(paragraph._element)
    cell.paragraphs[0].text = f"{{{{ {printed} }}}}"
    document.save(template)
    code, err = problems(small_project, capsys)
    assert code == 1
    name = shown.removeprefix("….position.").removeprefix("….")
    assert next(line for line in err if line.startswith("templates/")) == (
        f"templates/kaskkiri.docx:1:1: the template prints {name} whole ({{{{ {shown} }}}}): "
        "its paragraphs show as ['…'] — loop over them "
        f"({{%p for x in {shown} %}}{{{{ x }}}}{{%p endfor %}}) or join them (|join)"
    )
    # A build says it too (its reviewer's checks run while it renders) and writes nothing.
    directive = next((small_project / "directives").glob("*.yaml"))
    assert run_jdgen("build", directive, "-o", small_project / "out", "--project", small_project) == 1
    assert "the template prints" in capsys.readouterr().err
    assert not list((small_project / "out").glob("*.docx"))


def it_starts_a_position_with_the_extra_values_most_of_the_unit_gives(small_project, capsys):
    declare(small_project, EXTRAS)
    text = (small_project / POSITION).read_text("utf-8")
    for name in ("analyytik", "jurist", "ekspert"):
        write(small_project, f"positions/osakond/{name}.yaml", text + "extra: {appointed_by: Peadirektor}\n")
    unit = small_project / "positions/osakond"
    assert run_jdgen("new", "position", "--unit", unit, "--title", "Nõunik", "--project", small_project) == 0
    written = (unit / "nounik.yaml").read_text("utf-8")
    assert "  appointed_by: Peadirektor  # Ametisse nimetab: as in most of the unit" in written.splitlines()
    assert "  # since: YYYY-MM-DD  # extra.since" in written.splitlines()


def it_warns_about_placeholders_left_in_a_new_position(small_project, capsys):
    """`new position` writes … where HR fills in; check says where one is left."""
    unit = small_project / "positions/osakond"
    assert run_jdgen("new", "position", "--unit", unit, "--title", "Nõunik", "--project", small_project) == 0
    capsys.readouterr()
    code, err = problems(small_project, capsys, "positions/osakond/nounik.yaml")
    assert code == 0
    assert [line.split(": warning: ")[1].split(":")[0] for line in err[:-1]] == [
        "tasks[1].task",  # the unit's one position gave the purpose
        "tasks[1].results[1]",
    ]
    assert err[0].endswith(
        "still …: the document prints it as it is — fill it in, or delete the key where it is optional"
    )


def it_starts_a_position_whose_optional_extras_are_all_comments(small_project, capsys):
    declare(small_project, "extras:\n  position:\n    code: {label: Kood}\n")
    unit = small_project / "positions/osakond"
    assert run_jdgen("new", "position", "--unit", unit, "--title", "Nõunik", "--project", small_project) == 0
    text = (unit / "nounik.yaml").read_text("utf-8")
    assert (
        "# extra:  # the agency's own values (organisation.yaml, extras.position)\n  # code: …  # Kood"
        in text
    )
    assert run_jdgen("check", unit / "nounik.yaml", "--project", small_project) == 0


def it_starts_a_position_with_the_review_sentence_most_of_the_unit_writes(small_project):
    text = (small_project / POSITION).read_text("utf-8")
    for name in ("analyytik", "jurist"):
        write(small_project, f"positions/osakond/{name}.yaml", text + "review: Vaadatakse üle kord aastas.\n")
    unit = small_project / "positions/osakond"
    assert run_jdgen("new", "position", "--unit", unit, "--title", "Nõunik", "--project", small_project) == 0
    written = (unit / "nounik.yaml").read_text("utf-8").splitlines()
    assert (
        "review: Vaadatakse üle kord aastas.  # Ametijuhendi ülevaatamine: as in most of the unit" in written
    )


def it_reads_a_written_title_genitive_back_from_point_one(tmp_path, capsys):
    """A title no rule inflects, written with its genitive: built, its text imported, built again."""
    import readback
    from conftest import PROJECTS, copy_project

    project = copy_project(next(p for p in PROJECTS if p != SKA), tmp_path / "p")
    [directive] = (project / "directives").glob("*.yaml")
    first = project / yaml_load(directive)["annexes"][0]
    first.write_text(
        first.read_text("utf-8").replace(
            "title: juhataja", "title: vahetuse vanem\ntitle_genitive: vahetuse vanema"
        )
    )
    assert run_jdgen("build", directive, "-o", tmp_path / "one", "--project", project) == 0
    published = tmp_path / "published.txt"
    published.write_text(readback.text(tmp_path / "one" / f"{directive.stem}.docx"), "utf-8")
    assert run_jdgen("import", published, "--into", project / "positions/tagasi", "--directive",
                     project / "directives/tagasi.yaml", "--project", project) == 0  # fmt: skip
    imported = next((project / "positions/tagasi").rglob("vahetuse-vanem.yaml")).read_text("utf-8")
    assert "title_genitive: vahetuse vanema" in imported
    capsys.readouterr()
    assert (
        run_jdgen("build", project / "directives/tagasi.yaml", "-o", tmp_path / "two", "--project", project)
        == 0
    )
    again = readback.words(readback.text(tmp_path / "two/tagasi.docx"))
    assert again == readback.words(readback.text(tmp_path / "one" / f"{directive.stem}.docx"))


def yaml_load(path):
    import yaml

    return yaml.safe_load(path.read_text("utf-8"))
