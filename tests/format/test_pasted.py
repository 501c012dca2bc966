"""Text pasted from Word is said where it would print wrong, with what to type instead; what an
Estonian text writes on purpose ("ette- ja järelkontroll", „…“) is not. Each file's texts are
looked at once, where they are written: an include's in the include, not in each position."""

from __future__ import annotations

import json

import pytest

from jdgen.format.load import ProjectFiles
from jdgen.format.pasted import pasted


def _read(tmp_path, files: dict[str, str], name: str) -> list:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    reader = ProjectFiles(tmp_path, inspect=pasted)
    assert reader.read(name) is not None
    return reader.problems


def _said(tmp_path, text: str) -> list[str]:
    problems = _read(
        tmp_path, {"p.yaml": f"title: X\npurpose: {json.dumps(text, ensure_ascii=False)}\n"}, "p.yaml"
    )
    return [f"{p.message} — {p.hint}" for p in problems]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Järelevalve\u00adtoimingute tegemine.", "a soft hyphen (U+00AD, pasted from Word?) in the text: "
         "'Järelevalve<U+00AD>toimingute tegemine.' — delete it: retype the word around it"),
        ("Osalemine eelnõude ette- valmistamises ja muus.", "a word broken in two where a line ended: "
         "'Osalemine eelnõude ette- valmistamises ja muus.' — write it whole (ettevalmistamises); "
         "a hyphen stays only before ja, või, ning …"),
        ("• Aruannete koostamine.", "the text starts with a list mark (•) pasted with it — delete the mark: "
         "each item of a list is a line `- …` of its own, marked by the template"),
        ("Määruse “Sotsiaalhoolekande seadus” täitmine.", "English quotes in the text: "
         "'Määruse “Sotsiaalhoolekande seadus” täitmine.' — "
         "write Estonian quotes: „…“ (or the agency's own)"),
        ("Määruse „Sotsiaalhoolekande seadus täitmine.", "a quote opened („) and not closed: "
         "'Määruse „Sotsiaalhoolekande seadus täitmine.' — close it with “ where the quoted words end"),
    ],
)  # fmt: skip
def it_says_what_word_pasted_and_what_to_type(tmp_path, text, said):
    assert _said(tmp_path, text) == [said]


@pytest.mark.parametrize(
    "text",
    [
        "Ette- ja järelkontrolli tegemine.",
        "Riigi- või kohaliku omavalitsuse asutus.",
        "Määruse „Sotsiaalhoolekande seadus“ täitmine.",
        'Projekt "Laste ja perede toetamine".',  # as nr 177 writes it
        "Alluvad: -",
        "2021–2027 meetme täitmine – aruandlus.",
        "Kolmapäeviti\u00a0kell 10.",  # a non-breaking space is the writer's own
    ],
)
def it_lets_what_estonian_writes_on_purpose_pass(tmp_path, text):
    assert _said(tmp_path, text) == []


def it_says_the_place_of_the_value_and_its_key(tmp_path):
    [problem] = _read(tmp_path, {"p.yaml": 'title: X\ntasks:\n  - task: x\n  - task: "• y"\n'}, "p.yaml")
    assert (str(problem.location), problem.key_path, problem.warning) == (
        "p.yaml:4:11",
        "tasks[2].task",
        True,
    )


def it_says_an_included_text_once_in_the_include_and_not_a_key_or_an_include(tmp_path):
    files = {
        "_shared/rights.yaml": "- Õigus ette- valmistada.\n- „Avatud\n",
        "a.yaml": 'rights: !include _shared/rights.yaml\nother:\n  <<: {x: "• y"}\n“key”: z\n',
        "b.yaml": "rights: !include _shared/rights.yaml\n",
        "both.yaml": "- !include a.yaml\n- !include b.yaml\n",
    }
    said = [
        (str(p.location), p.key_path, p.message.split(":")[0]) for p in _read(tmp_path, files, "both.yaml")
    ]
    assert said == [
        ("a.yaml:3:11", "other.x", "the text starts with a list mark (•) pasted with it"),
        ("_shared/rights.yaml:1:3", "[1]", "a word broken in two where a line ended"),
        ("_shared/rights.yaml:2:3", "[2]", "a quote opened („) and not closed"),
    ]
