"""How a unit usually writes its positions (`unit_habits`), one behaviour each."""

from __future__ import annotations

from jdgen.authoring.skeleton import unit_habits

BASE = "<<: !include positions/_shared/ametnik.yaml\ntitle: {title}\nreports_to: Juhataja\n"


def it_takes_the_includes_that_half_of_the_unit_uses():
    texts = [
        BASE.format(title="A")
        + "tasks:\n  - task: x\n    results: [y]\n  - !include positions/_shared/t.yaml\n",
        BASE.format(title="B") + "tasks:\n  - !include positions/_shared/t.yaml\n",
        "title: C\nreports_to: Juht\nknowledge: !include positions/_shared/k.yaml\n",
    ]
    habits = unit_habits(texts)
    assert habits.positions == 3
    assert habits.merges == ["positions/_shared/ametnik.yaml"]
    assert habits.items == {"tasks": ["positions/_shared/t.yaml"]}
    assert habits.values == {}  # one of three includes knowledge: not a habit
    assert habits.common == {"reports_to": "Juhataja"}
    assert {"title", "reports_to", "tasks"} <= habits.keys


def it_passes_over_a_file_that_is_not_yaml():
    habits = unit_habits([BASE.format(title="A"), "title: [unclosed\n"])
    assert habits.positions == 1 and habits.merges == ["positions/_shared/ametnik.yaml"]
