"""The directive's points as the built DOCX prints them: entry into force and application.

Every date is typed once, as a date; the sentence is derived (`number`) and worded by the template.
"""

from __future__ import annotations

import pytest
from docx import Document

from jdgen.project.files import Project

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


REPEAL = "2. Tunnistan kehtetuks peadirektori "


def build_with(project, tmp_path, yaml_text: str) -> list[str]:
    path = project / DIRECTIVE
    path.write_text(path.read_text("utf-8") + yaml_text, encoding="utf-8")
    assert run_jdgen("build", "--project", project, "-o", tmp_path / "out") == 0
    return readback.text(tmp_path / "out/uus.docx").splitlines()


@pytest.mark.parametrize(
    ("repeals", "sentence"),
    [
        (
            "  - {date: 2023-02-28, number: 28, title: Ametijuhendi kinnitamine}\n",
            "28.02.2023 käskkirja nr 28 „Ametijuhendi kinnitamine”.",
        ),
        (
            "  - {date: 2024-03-12, number: 45, annexes: [9, 1, 2, 3, 5, 8]}\n",
            "12.03.2024 käskkirja nr 45 lisad 1 kuni 3, 5 ja 8 kuni 9.",
        ),
        ("  - {date: 2024-03-12, number: 45, annexes: [4]}\n", "12.03.2024 käskkirja nr 45 lisa 4."),
        (
            "  - {date: 2024-03-12, number: 45, title: Ametijuhendid, annexes: [1, 2]}\n",
            "12.03.2024 käskkirja nr 45 „Ametijuhendid” lisad 1 kuni 2.",
        ),
        (
            "  - approved_by: [{date: 2023-05-03, number: 61}]\n",
            "03.05.2023 käskkirjaga nr 61 kinnitatud ametijuhendid.",
        ),
        (
            "  - approved_by: [{date: 2023-05-03, number: 61}, {date: 2023-10-17, number: 140}]\n",
            "03.05.2023 käskkirjaga nr 61 ja 17.10.2023 käskkirjaga nr 140 kinnitatud ametijuhendid.",
        ),
        (
            "  - {date: 2023-02-28, number: 28, title: A}\n"
            "  - {date: 2023-02-28, number: 29, title: B}\n"
            "  - {date: 2024-03-12, number: 45, annexes: [1, 2]}\n",
            "28.02.2023 käskkirja nr 28 „A”, 28.02.2023 käskkirja nr 29 „B”, "
            "12.03.2024 käskkirja nr 45 lisad 1 kuni 2.",
        ),
    ],
    ids=[
        "whole",
        "annexes with runs and gaps",
        "one annex",
        "title and annexes",
        "approved by one",
        "approved by two",
        "many",
    ],
)
def it_words_every_kind_of_repeal_from_data(small_project, tmp_path, capsys, repeals, sentence):
    lines = build_with(small_project, tmp_path, "repeals:\n" + repeals)
    assert REPEAL + sentence in lines
    assert "3. Käskkiri jõustub 2025. aasta 1. aprillil." in lines


def it_uses_the_directives_own_words_for_lists(small_project, tmp_path, capsys):
    lines = build_with(
        small_project,
        tmp_path,
        "wording: {repeal_last: ' ning ', through: '-'}\nrepeals:\n"
        "  - {date: 2023-02-28, number: 28, title: A}\n"
        "  - {date: 2024-03-12, number: 45, annexes: [1, 2, 3]}\n",
    )
    assert REPEAL + "28.02.2023 käskkirja nr 28 „A” ning 12.03.2024 käskkirja nr 45 lisad 1-3." in lines


def it_numbers_the_points_without_a_repeal_point(small_project, tmp_path, capsys):
    lines = build_with(small_project, tmp_path, "extra_points: [Käskkiri tehakse teatavaks teenistujale.]\n")
    assert "2. Käskkiri tehakse teatavaks teenistujale." in lines
    assert "3. Käskkiri jõustub 2025. aasta 1. aprillil." in lines
    assert not any("Tunnistan kehtetuks" in line for line in lines)


@pytest.mark.parametrize(
    ("repeal", "message"),
    [
        ("{number: 45}", "name the repealed directive by date and number (or list approved_by)"),
        (
            "{date: 2024-03-12, number: 45, annexes: [3, 1, 1]}",
            "annexes lists 1 more than once: list each annex once",
        ),
        (
            "{date: 2024-03-12, number: 45, approved_by: [{date: 2023-05-03, number: 61}]}",
            "approved_by stands alone: name the directives under it, each with date and number",
        ),
    ],
)
def it_says_what_a_repeal_needs(small_project, capsys, repeal, message):
    path = small_project / DIRECTIVE
    path.write_text(path.read_text("utf-8") + f"repeals:\n  - {repeal}\n", encoding="utf-8")
    assert run_jdgen("check", "--project", small_project) == 1
    assert capsys.readouterr().err.splitlines()[0] == f"{DIRECTIVE}:9:5: repeals[1]: {message}"


@pytest.mark.parametrize(
    ("annexes", "message"),
    [
        ("[1.5]", "expected a whole number, got 1.5"),
        ("[0]", "expected a number of at least 1, got 0"),
        ("[kolm]", "expected a whole number, got 'kolm'"),
    ],
)
def it_says_what_an_annex_number_must_be(small_project, capsys, annexes, message):
    path = small_project / DIRECTIVE
    repeal = f"repeals:\n  - {{date: 2024-03-12, number: 45, annexes: {annexes}}}\n"
    path.write_text(path.read_text("utf-8") + repeal, encoding="utf-8")
    assert run_jdgen("check", "--project", small_project) == 1
    first = capsys.readouterr().err.splitlines()[0]
    assert first.startswith(f"{DIRECTIVE}:9:") and first.endswith(f": repeals[1].annexes[1]: {message}")


def it_refuses_repealing_job_descriptions_approved_after_the_directive(small_project, capsys):
    path = small_project / DIRECTIVE
    path.write_text(
        path.read_text("utf-8") + "repeals:\n  - approved_by: [{date: 2025-06-01, number: 61}]\n", "utf-8"
    )
    assert run_jdgen("check", "--project", small_project) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{DIRECTIVE}:9:19: repeals[1].approved_by[1]: the repealed directive nr 61 is dated 01.06.2025, "
        "after this directive (04.03.2025) — check both dates"
    )


def it_imports_every_kind_of_repeal_back_as_data(small_project, tmp_path, capsys):
    repeals = (
        "repeals:\n"
        "  - {date: 2023-02-28, number: 28, title: 'Ametijuhendi kinnitamine, muutmine'}\n"
        "  - {date: 2024-03-12, number: 45, annexes: [1, 2, 3, 5, 8, 9]}\n"
        "  - {date: 2024-03-13, number: 46, annexes: [4], title: Ametijuhendid}\n"
        "  - approved_by: [{date: 2023-05-03, number: 61}, {date: 2023-10-17, number: 140}]\n"
    )
    build_with(small_project, tmp_path, repeals)
    assert run_jdgen("import", tmp_path / "out/uus.docx", "--into", small_project / "positions/tagasi",
                     "--directive", small_project / "directives/tagasi.yaml",
                     "--project", small_project) == 0  # fmt: skip
    assert "warning" not in capsys.readouterr().err
    project = Project(small_project)
    before, after = project.directive(DIRECTIVE), project.directive("directives/tagasi.yaml")
    assert after is not None, project.problems
    assert after.repeals == before.repeals


def it_keeps_a_repeal_point_it_cannot_read_word_for_word(small_project, tmp_path, capsys):
    build_with(small_project, tmp_path, "extra_points: [Tunnistan kehtetuks eelmise korra.]\n")
    assert run_jdgen("import", tmp_path / "out/uus.docx", "--into", small_project / "positions/tagasi",
                     "--directive", small_project / "directives/tagasi.yaml",
                     "--project", small_project) == 0  # fmt: skip
    assert capsys.readouterr().err.splitlines()[-1] == (
        "out/uus.docx: warning: point 2 is read as a further point (extra_points), word for word: "
        "check that it is not a kind jdgen knows"
    )
    imported = Project(small_project).directive("directives/tagasi.yaml")
    assert imported is not None
    assert [(p.text, p.after) for p in imported.extra_points] == [
        ("Tunnistan kehtetuks eelmise korra.", "approve")
    ]
    # from a register's text, the warning names the line
    text = small_project / "leht.txt"
    text.write_text(readback.text(tmp_path / "out/uus.docx"), encoding="utf-8")
    line = text.read_text("utf-8").splitlines().index("2. Tunnistan kehtetuks eelmise korra.") + 1
    assert run_jdgen("import", text, "--into", small_project / "positions/teine", "--directive",
                     small_project / "directives/teine.yaml", "--project", small_project) == 0  # fmt: skip
    assert capsys.readouterr().err.splitlines()[-1].startswith(f"leht.txt:{line}: warning: point 2 ")


def it_prints_further_points_where_they_are_said_to_stand(small_project, tmp_path, capsys):
    lines = build_with(
        small_project,
        tmp_path,
        "repeals:\n  - {date: 2023-02-28, number: 28, title: A}\n"
        "extra_points:\n"
        "  - Teine.\n"
        "  - {text: Esimene., after: approve}\n"
        "  - {text: Viimane., after: in_force}\n",
    )
    body = lines[: next(i for i, line in enumerate(lines) if line.startswith("KINNITATUD"))]
    numbered = [line for line in body if line[:2] in ("1.", "2.", "3.", "4.", "5.", "6.")]
    assert [line.split(" ", 1)[0] for line in numbered] == ["1.", "1.1.", "2.", "3.", "4.", "5.", "6."]
    assert numbered[2:] == [
        "2. Esimene.",
        "3. Tunnistan kehtetuks peadirektori 28.02.2023 käskkirja nr 28 „A”.",
        "4. Teine.",
        "5. Käskkiri jõustub 2025. aasta 1. aprillil.",
        "6. Viimane.",
    ]


def it_round_trips_every_kind_of_point_through_a_registers_text(small_project, tmp_path, capsys):
    """Build, take the text as a register does, import it into an empty unit, build again."""
    first = build_with(
        small_project,
        tmp_path,
        "applies_from: 2025-02-01\n"
        "repeals:\n"
        "  - {date: 2023-02-28, number: 28, title: Ametijuhendi kinnitamine}\n"
        "  - {date: 2024-03-12, number: 45, annexes: [1, 2, 3, 5, 8, 9]}\n"
        "  - approved_by: [{date: 2023-05-03, number: 61}, {date: 2023-10-17, number: 140}]\n"
        "extra_points:\n"
        "  - {text: Käskkiri tehakse teatavaks teenistujatele., after: approve}\n"
        "  - Kontrollin käskkirja täitmist.\n"
        "  - {text: Käskkiri avaldatakse siseveebis., after: in_force}\n",
    )
    text = small_project / "register.txt"
    text.write_text("\n".join(first), encoding="utf-8")
    assert run_jdgen("import", text, "--into", small_project / "positions/tagasi", "--directive",
                     small_project / "directives/tagasi.yaml", "--project", small_project) == 0  # fmt: skip
    capsys.readouterr()
    assert run_jdgen("build", small_project / "directives/tagasi.yaml", "-o", tmp_path / "again",
                     "--project", small_project) == 0  # fmt: skip
    again = readback.text(tmp_path / "again/tagasi.docx").splitlines()

    def body(lines: list[str]) -> list[str]:  # the directive's page: its points
        return readback.words(
            "\n".join(lines[: lines.index(next(x for x in lines if x.startswith("KINNITATUD")))])
        )

    assert body(again) == body(first)
    assert "warning" not in capsys.readouterr().err
