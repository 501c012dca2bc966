"""The directive's points as the built DOCX prints them: entry into force and application.

Every date is typed once, as a date; the sentence is derived (`number`) and worded by the template.
"""

from __future__ import annotations

import pytest
from docx import Document

import readback
from conftest import run_jdgen

DIRECTIVE = "directives/uus.yaml"  # small_project: nr 12 of 04.03.2025, one annex, no repeals


def build_text(project, tmp_path, *lines: str) -> list[str]:
    """Build the small project's directive with `lines` in place of its entry into force."""
    path = project / DIRECTIVE
    text = path.read_text("utf-8").replace("in_force: 2025-04-01\n", "")
    path.write_text(text + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    assert run_jdgen("build", "--project", project, "-o", tmp_path / "out") == 0
    return readback.text(tmp_path / "out/uus.docx").splitlines()


@pytest.mark.parametrize(
    ("lines", "sentence"),
    [
        ((), "2. Käskkiri jõustub allkirjastamisel."),
        (("in_force: 2025-04-01",), "2. Käskkiri jõustub 2025. aasta 1. aprillil."),
        (
            ("applies_from: 2025-01-01",),
            "2. Käskkiri jõustub allkirjastamisel ja käskkirja punktis 1 nimetatud ametijuhendeid "
            "rakendatakse 2025. aasta 1. jaanuarist.",
        ),
        (
            ("in_force: 2025-04-01", "applies_from: 2025-03-01"),
            "2. Käskkiri jõustub 2025. aasta 1. aprillil ja käskkirja punktis 1 nimetatud ametijuhendeid "
            "rakendatakse 2025. aasta 1. märtsist.",
        ),
    ],
    ids=["on signing", "on a date", "retroactive", "on a date, applied earlier"],
)
def it_derives_the_entry_into_force_from_dates(small_project, tmp_path, capsys, lines, sentence):
    assert sentence in build_text(small_project, tmp_path, *lines)


def it_refuses_an_entry_into_force_before_the_directive_and_names_the_retroactive_form(small_project, capsys):
    path = small_project / DIRECTIVE
    path.write_text(path.read_text("utf-8").replace("in_force: 2025-04-01", "in_force: 2025-02-01"), "utf-8")
    assert run_jdgen("check", "--project", small_project) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{DIRECTIVE}:7:11: in_force: the entry into force (01.02.2025) is before the directive's date "
        "(04.03.2025) — to apply the job descriptions from that day, write `applies_from: 2025-02-01` "
        "and leave out in_force (the directive then comes into force on signing)",
        "1 error(s), 0 warning(s)",
    ]


def it_refuses_an_application_that_is_not_earlier(small_project, capsys):
    path = small_project / DIRECTIVE
    path.write_text(path.read_text("utf-8") + "applies_from: 2025-05-01\n", "utf-8")
    assert run_jdgen("check", "--project", small_project) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{DIRECTIVE}:8:15: applies_from: applies_from (01.05.2025) is not before the entry into force "
        "(01.04.2025) — applies_from is for a day before the entry into force; for a later day write in_force"
    )


def it_gives_the_template_the_dates_as_filters(small_project, tmp_path, capsys):
    template = small_project / "templates/kaskkiri.docx"
    document = Document(template)
    document.add_paragraph(
        "Kuupäevad: {{ directive.date|short_date }}; {{ directive.in_force_date|adessive }}; "
        "{{ directive.in_force_date|elative }}; {{ annexes[0].position.title|in_sentence }}"
    )
    document.save(template)
    lines = build_text(small_project, tmp_path, "in_force: 2025-04-01")
    assert "Kuupäevad: 04.03.2025; 2025. aasta 1. aprillil; 2025. aasta 1. aprillist; analüütik" in lines
