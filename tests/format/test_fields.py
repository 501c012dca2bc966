"""Every field of the format reaches every tool: `new` writes it, `import` reads it back, `diff` names it.

The field lists come from the models (`model.parts`); this walks them, so a field added to a model
and forgotten by a tool fails here. The few fields a tool cannot handle are listed with the reason.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest

from jdgen.authoring.changes import DirectiveSide, directive_changes, position_changes
from jdgen.authoring.imported import words
from jdgen.authoring.published import PublishedDirective
from jdgen.document.layout import annex_layout
from jdgen.format.model import (
    Directive,
    FurtherPointFields,
    Person,
    Position,
    RepealedDirective,
    Row,
    Shape,
    Task,
    Wording,
    WordingOverride,
    parts,
)
from jdgen.project.files import Project

from conftest import SKA, run_jdgen, write

POSITION_PARTS = parts(Position)
DIRECTIVE_PARTS = parts(Directive)
# What the printed directive does not show, so an import cannot read it back.
NOT_PRINTED = {
    "position.extra": "values for an agency's own template; the stock one prints none",
    "directive.extra": "values for an agency's own template; the stock one prints none",
    "directive.wording": "its words are printed, not which setting chose them (import writes the "
    "settings whose words the template would print otherwise)",
    "position.stub": "marks what import could not read; never printed",
    "position.title_genitive": "printed only by a template that inflects the title; the stock one does not",
}


def value_of(name: str, shape: Shape) -> Any:
    """A value for a field of the given shape, with the field's name in its words."""
    word = name.replace("_", " ")
    if shape is Shape.TEXT:
        return f"Väärtus {word}"
    if shape in (Shape.PARAGRAPHS, Shape.ITEMS):
        return [f"Esimene lõik {word}.", f"Teine lõik {word}."]
    if shape is Shape.CLAUSES:
        return [f"esimene {word}", f"teine {word}"]
    if shape is Shape.FLAG:
        return False
    if shape is Shape.ROWS:
        return [{"label": "Lisarida", "text": f"Väärtus {word}", "after": "reports_to"}]
    if shape is Shape.TASKS:
        return [  # every field of a task: the first is printed without a number
            {
                "task": "Sissejuhatav ülesanne.",
                "results": ["Esimene tulemus.", "Teine tulemus."],
                "numbered": False,
            },
            {"task": "Teine ülesanne.", "results": ["Kolmas tulemus."], "extra": {"kood": "T-2"}},
        ]
    raise AssertionError(shape)


def full_position() -> dict[str, Any]:
    values = {name: value_of(name, part.shape) for name, part in POSITION_PARTS.items() if name != "extra"}
    values["title"] = "Peaspetsialist (kõik väljad)"
    values["extra"] = {"kood": "A-1"}
    return values


def yaml_of(values: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=1000)


@pytest.fixture
def every_field(small_project):
    """The small project with a position and a directive that fill every field."""
    organisation = small_project / "organisation.yaml"
    declared = "extras:\n" + "".join(
        f"  {kind}: {{kood: {{label: Kood}}}}\n" for kind in ("position", "task", "directive")
    )
    organisation.write_text(organisation.read_text("utf-8") + declared, "utf-8")
    write(small_project, "positions/osakond/koik.yaml", yaml_of(full_position()))
    # the organisation's legal basis with one more: import finds the title before it, reads the rest
    basis = Project(small_project).organisation().legal_basis.removesuffix(" alusel")
    basis += " ning peadirektori 09.12.2024 käskkirja nr 3-1/61-1 „Peadirektori asendaja määramine” alusel"
    write(
        small_project,
        "directives/koik.yaml",
        f"""
        number: 7
        date: 2025-05-06
        title: Ametijuhendi kinnitamine
        unit: positions/osakond
        annexes: [positions/osakond/koik.yaml]
        repeals:
          - {{date: 2024-01-02, number: 3, title: Ametijuhendi kinnitamine}}
        in_force: 2025-06-01
        applies_from: 2025-04-01
        legal_basis: "{basis}"
        signer: {{name: Mari Maasikas, title: peadirektori asetäitja}}
        extra_points: [Käskkiri tehakse teatavaks teenistujale.]
        wording: {{last: " ning "}}
        extra: {{kood: B-2}}
        """,
    )
    assert run_jdgen("check", "--project", small_project) == 0
    return small_project


def it_reads_every_directive_field_or_says_why_not():
    read = {field.name for field in dataclasses.fields(PublishedDirective)}
    for name in DIRECTIVE_PARTS:
        assert name in read or name in ("unit", "annexes") or f"directive.{name}" in NOT_PRINTED, name


def it_gives_every_field_of_every_model_a_part():
    for model in (Position, Task, Directive):
        assert set(parts(model)) == set(model.model_fields)


def it_writes_every_field_in_a_new_position_and_directive(every_field, capsys):
    unit = every_field / "positions/osakond"
    assert run_jdgen("new", "position", "--unit", unit, "--title", "Uus", "--project", every_field) == 0
    text = (unit / "uus.yaml").read_text("utf-8")
    for name in POSITION_PARTS:  # the stock template prints every field; `stub` is import's alone
        assert re.search(rf"^(# )?{name}:", text, re.M) or name == "stub", f"new position lacks {name}"
    assert "stub" not in text
    assert run_jdgen("new", "directive", "--unit", unit, "-o", every_field / "uus.yaml",
                     "--project", every_field) == 0  # fmt: skip
    text = (every_field / "uus.yaml").read_text("utf-8")
    for name in DIRECTIVE_PARTS:
        assert re.search(rf"^(# )?{name}:", text, re.M), f"new directive lacks {name}"


def it_reads_every_printed_field_back_in_an_import(every_field, tmp_path, capsys):
    assert (
        run_jdgen("build", every_field / "directives/koik.yaml", "-o", tmp_path, "--project", every_field)
        == 0
    )
    into = every_field / "positions/tagasi"
    write(every_field, "positions/tagasi/_unit.yaml", "name: Arendusosakond\ngenitive: arendusosakonna\n")
    assert run_jdgen("import", tmp_path / "koik.docx", "--into", into, "--directive",
                     every_field / "directives/tagasi.yaml", "--project", every_field) == 0  # fmt: skip
    project = Project(every_field)
    original, imported = (
        project.directive("directives/koik.yaml"),
        project.directive("directives/tagasi.yaml"),
    )
    assert imported is not None, project.problems
    for name, part in DIRECTIVE_PARTS.items():
        if f"directive.{name}" in NOT_PRINTED:
            continue
        before, after = getattr(original, name), getattr(imported, name)
        if part.shape is Shape.PATH:
            before, after = "unit", "unit"  # the unit is where the import was told to write
        if part.shape is Shape.PATHS:
            before, after = len(before), len(after)
        assert words(_plain(before)) == words(_plain(after)), name
    position = project.position(imported.annexes[0])
    assert position is not None, project.problems
    source = project.position("positions/osakond/koik.yaml")
    for name in POSITION_PARTS:
        if f"position.{name}" in NOT_PRINTED:
            continue
        assert words(_plain(getattr(source, name))) == words(_plain(getattr(position, name))), name


def _plain(value: Any) -> Any:
    """A model's value as plain data, for comparing words."""
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, Task | RepealedDirective | Person | Row):
        return value.model_dump(mode="json")
    return value if value is None or isinstance(value, str | int) else str(value)


def it_names_a_change_of_every_field_in_diff(every_field):
    project = Project(every_field)
    layout = annex_layout(SKA / "templates/kaskkiri.docx")
    position = project.position("positions/osakond/koik.yaml")
    for name, part in POSITION_PARTS.items():
        changed = position.model_copy(update={name: _changed(getattr(position, name), part.shape)})
        found = position_changes(position, changed, layout)
        assert found, f"diff says nothing when {name} changes"
        # a task by its number; an extra value by its own label ("extra.uus" where nobody labels it)
        expected = {Shape.TASKS: "2.1", Shape.VALUES: layout.label(f"{name}.uus")}.get(
            part.shape, layout.label(name)
        )
        assert found[0].where == expected, (name, found)
        assert found[0].consent == part.consent, name
    for name, part in parts(Task).items():  # each field of a task
        task = position.tasks[1]
        changed_task = task.model_copy(update={name: not task.numbered if part.shape is Shape.FLAG
                                               else _changed(getattr(task, name), part.shape)})  # fmt: skip
        changed = position.model_copy(update={"tasks": [position.tasks[0], changed_task]})
        found = position_changes(position, changed, layout)
        expected = {Shape.FLAG: "numbering changed", Shape.VALUES: "added"}.get(
            part.shape, f"{name.removesuffix('s')} changed"
        )
        assert [c.what for c in found][:1] == [expected], (name, found)
    directive = project.directive("directives/koik.yaml")
    annexes = {"positions/osakond/koik.yaml": (position, "Arendusosakond")}
    for name, part in DIRECTIVE_PARTS.items():
        if part.shape is Shape.PATHS:
            continue  # annexes: moved, added and removed are tested in test_changes
        changed = directive.model_copy(update={name: _changed(getattr(directive, name), part.shape)})
        found = directive_changes(DirectiveSide(directive, annexes), DirectiveSide(changed, annexes), layout)
        assert [c.where for c in found] == [part.label], (name, found)


def _changed(value: Any, shape: Shape) -> Any:
    """The same value with one thing changed."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return value + " muudetud"
    if isinstance(value, list) and value and isinstance(value[0], Task):
        return [*value[:-1], value[-1].model_copy(update={"task": value[-1].task + " Muudetud."})]
    if isinstance(value, list) and value and isinstance(value[0], FurtherPointFields):
        return [*value[:-1], value[-1].model_copy(update={"after": "in_force"})]
    if isinstance(value, list) and value and isinstance(value[0], RepealedDirective):
        return [value[0].model_copy(update={"number": "99"})]
    if isinstance(value, list) and value and isinstance(value[0], Row):
        return [value[0].model_copy(update={"text": value[0].text + " muudetud"})]
    if isinstance(value, list):
        return [*value[:-1], value[-1] + " Muudetud."]
    if isinstance(value, dict):
        return {**value, "uus": 1}
    if isinstance(value, Person):
        return value.model_copy(update={"name": "Toomas Tamm"})
    if isinstance(value, WordingOverride):
        return value.model_copy(update={"separator": "; "})
    if hasattr(value, "year"):
        return value.replace(day=value.day % 28 + 1)
    raise AssertionError((value, shape))


def it_lets_a_directive_override_every_word_of_the_wording_and_nothing_else():
    assert set(WordingOverride.model_fields) == set(Wording.model_fields)
