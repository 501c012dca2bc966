"""Text pasted from Word is said where it would print wrong, with what to type instead; what an
Estonian text writes on purpose ("ette- ja järelkontroll", „…“) is not."""

from __future__ import annotations

import pytest

from jdgen.errors import Location
from jdgen.pasted import pasted


def _said(text: str) -> list[str]:
    return [
        f"{p.message} — {p.hint}" for p in pasted({"purpose": text}, lambda path: Location("p.yaml", 3, 1))
    ]


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
def it_says_what_word_pasted_and_what_to_type(text, said):
    assert _said(text) == [said]


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
def it_lets_what_estonian_writes_on_purpose_pass(text):
    assert _said(text) == []


def it_says_the_place_of_the_value_and_its_key():
    [problem] = pasted({"tasks": [{"task": "x"}, {"task": "• y"}]}, lambda path: Location("p.yaml", 9, 5))
    assert (str(problem.location), problem.key_path, problem.warning) == ("p.yaml:9:5", "tasks[2].task", True)
