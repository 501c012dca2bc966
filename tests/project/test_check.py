"""Includes and errors as the user sees them: `jdgen check` / `jdgen build` on small projects."""

from __future__ import annotations

from jdgen.format.load import ProjectFiles
from jdgen.project.checking import check_files, check_project
from jdgen.project.files import Project

from conftest import DIRECTIVE_177, SKA, run_jdgen, write

POSITION = "positions/osakond/analyytik.yaml"


def check(project, capsys, *paths) -> tuple[int, list[str]]:
    code = run_jdgen("check", "--project", project, *[project / p for p in paths])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err.splitlines()


def it_accepts_the_small_project(small_project, capsys):
    assert run_jdgen("check", "--project", small_project) == 0
    assert "ok: 2 files checked" in capsys.readouterr().out


def it_splices_an_included_list_and_lets_a_merge_be_overridden(small_project):
    write(
        small_project,
        "positions/_shared/base.yaml",
        """
        group: Ametnik
        review: Vaadatakse üle.
    """,
    )
    write(
        small_project,
        "positions/_shared/tulemused.yaml",
        """
        - Esimene jagatud.
        - Teine jagatud.
    """,
    )
    write(
        small_project,
        POSITION,
        """
        <<: !include positions/_shared/base.yaml
        review: Oma lause.
        title: Analüütik
        reports_to: Juht
        purpose: Eesmärk.
        tasks:
          - task: Ülesanne.
            results:
              - Oma esimene.
              - !include positions/_shared/tulemused.yaml
              - Oma viimane.
    """,
    )
    files = ProjectFiles(small_project)
    loaded = files.read(POSITION)
    assert files.problems == []
    assert loaded.data["group"] == "Ametnik"
    assert loaded.data["review"] == "Oma lause."
    assert loaded.data["tasks"][0]["results"] == [
        "Oma esimene.",
        "Esimene jagatud.",
        "Teine jagatud.",
        "Oma viimane.",
    ]
    # values keep the file and line they were written at, in the include itself
    assert str(loaded.location(("group",))) == "positions/_shared/base.yaml:1:8"
    assert str(loaded.location(("tasks", 0, "results", 2))) == "positions/_shared/tulemused.yaml:2:3"
    assert str(loaded.location(("review",))) == f"{POSITION}:2:9"
    assert loaded.files == {
        POSITION,
        "positions/_shared/base.yaml",
        "positions/_shared/tulemused.yaml",
    }


def it_names_file_line_and_key_of_a_wrong_value(small_project, capsys):
    write(
        small_project,
        POSITION,
        """
        title: Analüütik
        reports_to: Juht
        purpose: Eesmärk.
        tasks:
          - task: Ülesanne.
            results: 5
          - task: [a, b]
            results: [x]
    """,
    )
    code, lines = check(small_project, capsys, POSITION)
    assert code == 1
    assert lines[:2] == [
        f"{POSITION}:6:14: tasks[1].results: expected a list, got a number "
        "— write each item on its own line starting with '- '",
        f"{POSITION}:7:11: tasks[2].task: expected text, got a list "
        "— write the text on one line after the key, or as a block with >-",
    ]
    assert lines[-1] == "2 error(s), 0 warning(s)"


def it_suggests_the_key_meant(small_project, capsys):
    text = (small_project / POSITION).read_text("utf-8").replace("reports_to:", "report_to:")
    (small_project / POSITION).write_text(text, encoding="utf-8")
    code, lines = check(small_project, capsys, POSITION)
    assert code == 1
    assert f"{POSITION}:2:1: report_to: unknown key 'report_to' — did you mean 'reports_to'?" in lines
    assert (
        f"{POSITION}:1:1: reports_to: this required key is missing — add `reports_to:` "
        "(see `jdgen schema --reference` for what it holds)" in lines
    )


def it_explains_a_lone_dash(small_project, capsys):
    text = (small_project / POSITION).read_text("utf-8") + "subordinates: -\n"
    (small_project / POSITION).write_text(text, encoding="utf-8")
    code, lines = check(small_project, capsys, POSITION)
    assert code == 1
    assert lines[0] == (
        f"{POSITION}:9:15: YAML syntax: block sequence entries are not allowed in this context "
        '— a lone - starts a list in YAML: write it in quotes, "-"'
    )
    text = (small_project / POSITION).read_text("utf-8").replace("subordinates: -", "subordinates:\n  -")
    (small_project / POSITION).write_text(text, encoding="utf-8")
    code, lines = check(small_project, capsys, POSITION)
    assert lines[0] == (
        f"{POSITION}:10:3: subordinates: expected text, got a list — a lone - "
        'starts a list in YAML; write it in quotes: "-"'
    )


def it_reports_a_yaml_syntax_error_with_its_line(small_project, capsys):
    path = small_project / POSITION
    path.write_text("title: Analüütik\nreports_to: Juht\n  purpose: x: y\n", encoding="utf-8")
    code, lines = check(small_project, capsys, POSITION)
    assert code == 1
    assert lines[0].startswith(f"{POSITION}:3:")
    assert "YAML syntax" in lines[0] and " — check the indentation" in lines[0]


def it_reports_an_include_cycle_with_its_chain(small_project, capsys):
    write(small_project, "positions/_shared/a.yaml", "- !include positions/_shared/b.yaml\n")
    write(small_project, "positions/_shared/b.yaml", "- !include positions/_shared/a.yaml\n")
    text = (small_project / POSITION).read_text("utf-8")
    (small_project / POSITION).write_text(
        text + "knowledge: !include positions/_shared/a.yaml\n", encoding="utf-8"
    )
    code, lines = check(small_project, capsys, POSITION)
    assert code == 1
    assert (
        "positions/_shared/b.yaml:1:3: include cycle: positions/_shared/a.yaml -> "
        "positions/_shared/b.yaml -> positions/_shared/a.yaml — remove one of these "
        "includes"
    ) in lines


def it_keeps_includes_inside_the_project(small_project, capsys):
    outside = small_project.parent / "secret.yaml"
    outside.write_text("- salajane\n", encoding="utf-8")
    text = (small_project / POSITION).read_text("utf-8")
    for target, message in (
        ("../secret.yaml", "points outside the project folder"),
        (str(outside), "is an absolute path"),
        ("positions/_shared/puudub.yaml", "file that does not exist"),
    ):
        (small_project / POSITION).write_text(text + f"knowledge: !include {target}\n", encoding="utf-8")
        code, lines = check(small_project, capsys, POSITION)
        assert code == 1
        assert lines[0].startswith(f"{POSITION}:9:12: ")
        assert message in lines[0]


def it_reports_all_problems_of_a_directive_at_once(small_project, capsys):
    write(
        small_project,
        "directives/uus.yaml",
        """
        number: 12
        date: 2025-03-04
        title: Ametijuhendi kinnitamine
        unit: positions/puudub
        annexes:
          - positions/osakond/analyytik.yaml
          - positions/osakond/puudub.yaml
          - positions/osakond/analyytik.yaml
        in_force: homme
    """,
    )
    code, lines = check(small_project, capsys, "directives/uus.yaml")
    assert code == 1
    assert lines == [
        "directives/uus.yaml:9:11: in_force: expected a date, got 'homme' "
        "— write it as YYYY-MM-DD, e.g. 2024-12-13",
        "1 error(s), 0 warning(s)",
    ]
    write(
        small_project,
        "directives/uus.yaml",
        """
        title: Ametijuhendi kinnitamine
        unit: positions/puudub
        annexes:
          - positions/osakond/analyytik.yaml
          - positions/osakond/puudub.yaml
          - positions/osakond/analyytik.yaml
    """,
    )
    code, lines = check(small_project, capsys, "directives/uus.yaml")
    assert code == 1
    assert lines == [
        "directives/uus.yaml:2:7: unit: no unit folder with _unit.yaml at positions/puudub "
        "— name the folder of the unit, e.g. positions/osakond/talitus",
        "directives/uus.yaml:5:5: annexes[2]: no position file positions/osakond/puudub.yaml "
        "— check the path; `jdgen list` shows the positions",
        "directives/uus.yaml:6:5: annexes[3]: positions/osakond/analyytik.yaml is already "
        "Lisa 1 — list each position once",
        "3 error(s), 0 warning(s)",
    ]


def it_fails_a_build_without_a_traceback_and_leaves_old_output(small_project, capsys):
    out = small_project / "build"
    assert run_jdgen("build", "--project", small_project, "-o", out) == 0
    before = (out / "uus.docx").read_bytes()
    text = (small_project / POSITION).read_text("utf-8").replace("title: Analüütik", "title:")
    (small_project / POSITION).write_text(text, encoding="utf-8")
    assert run_jdgen("build", "--project", small_project, "-o", out) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{POSITION}:1:7: title: expected text, got nothing (an empty value)" in err
    assert (out / "uus.docx").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["uus.docx"]


def it_tells_a_usage_error_from_bad_input(small_project, tmp_path, capsys):
    assert run_jdgen("build", "--project", small_project, "nonexistent.yaml") == 2
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert run_jdgen("build", "--project", small_project, "-o", blocker) == 2
    assert "exists and is not a folder" in capsys.readouterr().err


def it_lists_directives_and_positions(small_project, capsys):
    assert run_jdgen("list", "--project", small_project) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Directives:",
        "  directives/uus.yaml: Ametijuhendi kinnitamine, nr 12 of 04.03.2025, 1 annex",
        "Positions:",
        "  positions/osakond/analyytik.yaml: Analüütik",
    ]


def it_refuses_repealing_a_younger_directive(small_project, capsys):
    path = small_project / "directives/uus.yaml"
    path.write_text(
        path.read_text("utf-8")
        + "repeals:\n  - {date: 2024-01-10, number: 3, title: Vana}\n"
        + "  - {date: 2025-06-01, number: 9, title: Tulevane}\n",
        encoding="utf-8",
    )
    code, lines = check(small_project, capsys, "directives/uus.yaml")
    assert code == 1
    assert lines == [
        "directives/uus.yaml:10:12: repeals[2].date: the repealed directive nr 9 is dated 01.06.2025, "
        "after this directive (04.03.2025) — check both dates",
        "1 error(s), 0 warning(s)",
    ]


def it_warns_about_annex_titles_that_differ_only_in_case_or_spaces(small_project, capsys):
    write(
        small_project,
        "positions/osakond/analyytik-2.yaml",
        (small_project / POSITION).read_text("utf-8").replace("title: Analüütik", "title: ANALÜÜTIK "),
    )
    path = small_project / "directives/uus.yaml"
    path.write_text(
        path.read_text("utf-8").replace(
            "  - positions/osakond/analyytik.yaml\n",
            "  - positions/osakond/analyytik.yaml\n  - positions/osakond/analyytik-2.yaml\n",
        ),
        encoding="utf-8",
    )
    code, lines = check(small_project, capsys, "directives/uus.yaml")
    assert code == 0
    assert lines == [
        "directives/uus.yaml:7:5: warning: annexes[2]: the title 'ANALÜÜTIK' of Lisa 2 differs from "
        "'Analüütik' of Lisa 1 only in capitals or spaces — write the title the same way in both "
        "position files",
        "0 error(s), 1 warning(s)",
    ]


def it_warns_when_a_substitute_is_not_a_post_of_the_unit(small_project, capsys):
    write(
        small_project,
        "positions/osakond/juht.yaml",
        """
        title: Juhtivspetsialist (andmed)
        reports_to: Osakonna juhataja
        substitutes: Analüütik, juhtivspetsialistid, osakonna juhataja
        substituted_by: Analüütikud, Raamatupidaja
        purpose: Juhtimine.
        tasks:
          - task: Juhtimine.
            results: [Juhitud.]
        """,
    )
    code, lines = check(small_project, capsys, "positions/osakond/juht.yaml")
    assert code == 0
    assert lines == [
        "positions/osakond/juht.yaml:4:17: warning: substituted_by: names "
        "'Raamatupidaja', which is not a position of this unit — check the title against the unit's "
        "position files",
        "0 error(s), 1 warning(s)",
    ]


def it_warns_about_a_shared_file_nobody_includes(small_project, capsys):
    write(small_project, "positions/_shared/unustatud.yaml", "- keegi ei kasuta\n")
    code, lines = check(small_project, capsys)
    assert code == 0
    assert lines == [
        "positions/_shared/unustatud.yaml:1:1: warning: this shared file is not included by any position "
        "or directive — include it where it belongs, or delete it",
        "0 error(s), 1 warning(s)",
    ]


def it_finds_the_substitute_title_typed_wrong_in_directive_177(capsys):

    assert run_jdgen("check", "--project", SKA) == 0
    lines = capsys.readouterr().err.splitlines()
    hyphen = "a hyphen stays only before ja, või, ning …"
    assert [line.split(": warning: ")[1] for line in lines[:-1]] == [
        # the published text's own: two words broken where a line of Word's ended
        "tasks[10].task: a word broken in two where a line ended: 'Osalemine eelnõude ette- "
        "valmistamises ja õigusaktidele muudatusettepanekute'… — write it whole "
        f"(ettevalmistamises); {hyphen}",
        "tasks[5].results[1]: a word broken in two where a line ended: …'kujunemiseks raskete "
        "tagajärgedega laste- kaitsejuhtumite analüüsimisel ning nende'… — write it whole "
        f"(lastekaitsejuhtumite); {hyphen}",
        "substitutes: names 'Peaspetsialist (arendus)', which is not a position of "
        "this unit — check the title against the unit's position files",
        "substituted_by: names 'Peaspetsialist (arendus)', which is not a position "
        "of this unit — check the title against the unit's position files",
    ]
    assert lines[-1] == "0 error(s), 4 warning(s)"


def it_reports_empty_task_and_result_text(small_project, capsys):
    write(
        small_project,
        POSITION,
        """
        title: Analüütik
        reports_to: Juht
        purpose: Eesmärk.
        tasks:
          - task: ""
            results: ["  "]
          - task: Teine.
            results: []
        """,
    )
    code, lines = check(small_project, capsys, POSITION)
    assert code == 1
    assert lines == [
        f"{POSITION}:5:11: tasks[1].task: must not be empty — write the text, or remove the key",
        f"{POSITION}:6:15: tasks[1].results[1]: must not be empty — write the text, or remove the key",
        "2 error(s), 0 warning(s)",
    ]


def it_reports_a_key_written_twice(small_project, capsys):
    path = small_project / POSITION
    path.write_text(path.read_text("utf-8") + "title: Teine\n", encoding="utf-8")
    code, lines = check(small_project, capsys, POSITION)
    assert code == 1
    assert lines[0] == (
        f"{POSITION}:9:1: the key 'title' is written twice (first on line 1) — keep one of them"
    )


def it_fails_every_directive_that_uses_a_broken_position(small_project, tmp_path, capsys):
    write(
        small_project,
        "directives/teine.yaml",
        (small_project / "directives/uus.yaml").read_text("utf-8").replace("number: 12", "number: 13"),
    )
    path = small_project / POSITION
    path.write_text(path.read_text("utf-8").replace("reports_to:", "report_to:"), encoding="utf-8")
    assert run_jdgen("build", "--project", small_project, "-o", tmp_path / "out") == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == "2 error(s), 0 warning(s)"  # reported once, though two directives use it
    assert not (tmp_path / "out").exists()


def it_names_the_template_when_the_template_is_wrong(small_project, tmp_path, capsys):
    from docx import Document

    template = small_project / "templates/kaskkiri.docx"
    document = Document(template)
    document.add_paragraph("{{ directive.titel }}")
    document.save(template)
    assert run_jdgen("build", "--project", small_project, "-o", tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.splitlines()[0] == (
        "templates/kaskkiri.docx: template error: directive has no value 'titel' (did you mean 'title'?)"
        " — near: {{ directive.titel }}"
    )
    template.write_bytes(b"not a zip file")
    assert run_jdgen("build", "--project", small_project, "-o", tmp_path / "out") == 1
    assert (
        capsys.readouterr()
        .err.splitlines()[0]
        .startswith("templates/kaskkiri.docx: not a usable .docx template")
    )


def it_reads_every_file_once_and_places_every_problem_where_it_was_written(monkeypatch):
    """A run reads each file once: a position's nodes are released once it is validated, and a
    problem found later (a substitute typed wrong) is placed from the places kept of its keys, at
    the line a reading of the whole file gives. The same for a check of the whole project."""
    monkeypatch.setenv("JDGEN_PROCESSES", "1")  # every file read in this process, and counted here
    project = Project(SKA)
    [sources] = check_files(project, [DIRECTIVE_177], whole_project=False).values()
    assert sources is not None and not project.errors
    assert set(project.files.parsed) >= {DIRECTIVE_177, *(a.path for a in sources.annexes)}
    assert max(project.files.parsed.values()) == 1
    substitutes = [p for p in project.problems if p.key_path in ("substitutes", "substituted_by")]
    assert substitutes, project.problems
    whole = ProjectFiles(SKA)
    for problem in substitutes:
        loaded = whole.read(problem.location.file)
        assert problem.location == loaded.location((problem.key_path,))
    project = Project(SKA)
    check_project(project, [*project.directive_files(), *project.position_files()], whole_project=True)
    assert max(project.files.parsed.values()) == 1 and len(project.files.parsed) > 20


def it_takes_a_position_from_the_last_reading_only_where_none_of_its_files_changed(example_project):
    """The preview reads the project again after every save: a valid position whose file, includes
    and organisation.yaml are as they were is not parsed again; any change of them, or a problem
    in it, and it is."""
    from jdgen.project.files import Project
    from jdgen.project.memo import Memo

    name = "positions/oiguse-ja-jarelevalve-osakond/jarelevalve-talitus/ekspert-projekt.yaml"

    def read(memo: Memo):
        project = Project(example_project, memo=memo)
        return project.position(name), project.files.parsed[name]

    memo = Memo()
    first, parsed = read(memo)
    assert first is not None and parsed == 1
    again, parsed = read(memo)
    assert again is first and parsed == 0  # kept
    include = example_project / "positions/_shared/oigused.yaml"
    include.write_text(include.read_text("utf-8") + "- kasutada raamatukogu\n", "utf-8")
    changed, parsed = read(memo)
    assert changed is not first and parsed == 1 and "kasutada raamatukogu" in changed.rights
    organisation = example_project / "organisation.yaml"
    organisation.write_text(organisation.read_text("utf-8") + "\n", "utf-8")
    assert read(memo)[1] == 1
    position = example_project / name
    position.write_text(position.read_text("utf-8").replace("reports_to:", "report_to:"), "utf-8")
    assert read(memo) == (None, 1) and read(memo) == (None, 1)  # not valid: never kept


def it_says_a_kept_positions_own_warnings_again_without_reading_it_again(example_project):
    """The preview's reviewer's checks of a position alone (a "…" left in it) are made as it is
    read, and kept with the position: said again, at the same line, without parsing its file
    again; gone once the file is fixed."""
    from jdgen.project.files import Project
    from jdgen.project.memo import Memo
    from jdgen.project.reviewing import review_position

    name = "positions/oiguse-ja-jarelevalve-osakond/jarelevalve-talitus/ekspert-projekt.yaml"
    path = example_project / name
    text = path.read_text("utf-8")
    path.write_text(text.replace('subordinates: "-"', "subordinates: …"), "utf-8")
    memo = Memo()

    def still(memo: Memo) -> tuple[list[str], int]:
        project = Project(example_project, memo=memo)
        review_position(project, name)
        said = [str(p) for p in project.problems if "still …" in p.message]
        return said, project.files.parsed[name]

    first, parsed = still(memo)
    assert len(first) == 1 and first[0].startswith(f"{name}:5:") and parsed == 1  # placed as read
    assert still(memo) == (first, 0)
    path.write_text(text, "utf-8")
    assert still(memo) == ([], 1)
