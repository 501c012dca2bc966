"""The command line as a user meets it: `check` passing means `build` passes, no false warnings, and
the small things (options, pipes, plurals) done right."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from conftest import run_jdgen, write

SUBSTITUTE_WARNING = (
    "positions/osakond/juht.yaml:4:17: warning: substituted_by: names 'Raamatupidaja', "
    "which is not a position of this unit — check the title against the unit's position files"
)


def lines_of(capsys) -> tuple[list[str], list[str]]:
    captured = capsys.readouterr()
    return captured.out.splitlines(), captured.err.splitlines()


# -- check passing means build passes ---------------------------------------------------------


def it_renders_the_template_in_check_and_names_a_misspelt_value(small_project, capsys):
    template = small_project / "templates/kaskkiri.docx"
    document = Document(template)
    document.add_paragraph("Kinnitan {{ directive.titel }}")
    document.save(template)
    assert run_jdgen("check", "--project", small_project) == 1
    assert lines_of(capsys)[1] == [
        "templates/kaskkiri.docx: template error: directive has no value 'titel' (did you mean 'title'?) "
        "— near: Kinnitan {{ directive.titel }}",
        "1 error(s), 0 warning(s)",
    ]


@pytest.mark.parametrize("what", ["missing", "not a docx"])
@pytest.mark.parametrize("paths", [[], ["positions/osakond/analyytik.yaml"]], ids=["project", "position"])
def it_reports_an_unusable_template_in_check(small_project, capsys, monkeypatch, what, paths):
    template = small_project / "templates/kaskkiri.docx"
    if what == "missing":
        template.unlink()
    else:
        template.write_text("not a Word file", encoding="utf-8")
    monkeypatch.chdir(small_project)
    assert run_jdgen("check", *paths) == 1
    _, err = lines_of(capsys)
    if what == "missing":
        assert err[0] == (
            "templates/kaskkiri.docx: the template file does not exist — "
            "set `template:` in organisation.yaml to a .docx in templates/"
        )
    else:
        assert err[0].startswith("templates/kaskkiri.docx: not a usable .docx template (")
        assert err[0].endswith(") — save it from Word or LibreOffice as .docx")
    assert err[1] == "1 error(s), 0 warning(s)"


def substitute_of_no_post(project) -> None:
    write(
        project,
        "positions/osakond/juht.yaml",
        """
        title: Juhtivspetsialist (andmed)
        reports_to: Osakonna juhataja
        substitutes: Analüütik
        substituted_by: Raamatupidaja
        purpose: Juhtimine.
        tasks:
          - task: Juhtimine.
            results: [Juhitud.]
        """,
    )
    directive = project / "directives/uus.yaml"
    annex = "  - positions/osakond/analyytik.yaml\n"
    directive.write_text(
        directive.read_text("utf-8").replace(annex, annex + "  - positions/osakond/juht.yaml\n"), "utf-8"
    )


def it_prints_the_warnings_of_check_in_build(small_project, tmp_path, capsys):
    substitute_of_no_post(small_project)
    assert run_jdgen("check", "--project", small_project) == 0
    check_warnings = [line for line in lines_of(capsys)[1] if "warning:" in line]
    assert check_warnings == [SUBSTITUTE_WARNING]
    assert run_jdgen("build", "--project", small_project, "-o", tmp_path / "out") == 0
    assert lines_of(capsys)[1] == [SUBSTITUTE_WARNING]


def it_places_a_missing_unit_file_at_the_position(small_project, capsys):
    (small_project / "positions/osakond/_unit.yaml").unlink()
    assert run_jdgen("check", "--project", small_project) == 1
    assert (
        "positions/osakond/analyytik.yaml:1:1: no _unit.yaml in the folder of this position or above it "
        "— add positions/osakond/_unit.yaml with the unit's name and genitive"
    ) in lines_of(capsys)[1]


# -- no false warnings ------------------------------------------------------------------------


def it_does_not_call_the_includes_of_a_broken_file_unused(small_project, capsys):
    position = small_project / "positions/osakond/analyytik.yaml"
    position.write_text(position.read_text("utf-8").replace("reports_to:", "reports_to: [\n"), "utf-8")
    assert run_jdgen("check", "--project", small_project) == 1
    _, err = lines_of(capsys)
    assert not any("not included" in line for line in err), err
    assert err[-1] == "1 error(s), 0 warning(s)"


def it_gives_no_substitute_warnings_caused_by_another_files_error(example_project, capsys):
    ekspert = (
        example_project / "positions/oiguse-ja-jarelevalve-osakond/jarelevalve-talitus/ekspert-projekt.yaml"
    )
    ekspert.write_text(ekspert.read_text("utf-8").replace("title: Ekspert", 'title: "Eks\\x01pert"'), "utf-8")
    assert run_jdgen("check", "--project", example_project) == 1
    _, err = lines_of(capsys)
    assert not any("'Ekspert'" in line for line in err), err
    assert err[-1] == "1 error(s), 2 warning(s)"  # the published text's two words broken at a line end


# -- the small things -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "why"),
    [("0", "0 must be a number of seconds from 0 to 86400 (a day)"),
     ("-5", "-5 must be a number of seconds from 0 to 86400 (a day)"),
     ("soon", "'soon' is not a number of seconds"),
     ("nan", "nan must be a number of seconds from 0 to 86400 (a day)"),
     ("1e9", "1e9 must be a number of seconds from 0 to 86400 (a day)")],
)  # fmt: skip
def it_wants_a_positive_timeout(small_project, capsys, value, why):
    with pytest.raises(SystemExit) as exited:
        run_jdgen("build", "--project", small_project, "--pdf", f"--timeout={value}")
    assert exited.value.code == 2
    assert lines_of(capsys)[1][-1] == f"jdgen build: error: argument --timeout: {why}"


def it_exits_quietly_when_the_reader_of_its_output_has_gone(small_project):
    read, write_end = os.pipe()
    os.close(read)  # like `jdgen list | head -1` once head has its line
    result = subprocess.run(
        [sys.executable, "-m", "jdgen", "list", "--project", str(small_project)],
        stdout=write_end,
        stderr=subprocess.PIPE,
        timeout=60,
    )
    os.close(write_end)
    assert (result.returncode, result.stderr) == (0, b"")


@pytest.mark.parametrize("command", [["check"], ["list"], ["build", "-o", "out"]])
def it_takes_the_global_options_before_the_command(small_project, tmp_path, capsys, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    assert run_jdgen("-C", small_project, *command) == 0
    assert run_jdgen("--project", small_project, "--debug", *command) == 0


def it_warns_about_two_directives_with_one_number(small_project, capsys):
    write(small_project, "directives/teine.yaml", (small_project / "directives/uus.yaml").read_text("utf-8"))
    assert run_jdgen("check", "--project", small_project) == 0
    assert lines_of(capsys)[1] == [
        "directives/uus.yaml:1:9: warning: number: directives/teine.yaml has the number 12 too — "
        "each directive has its own number in the register: check both files",
        "0 error(s), 1 warning(s)",
    ]


def it_reports_a_dangling_yaml_link(small_project, capsys):
    (small_project / "positions/osakond/kadunud.yaml").symlink_to(small_project / "nowhere.yaml")
    assert run_jdgen("check", "--project", small_project) == 0
    assert lines_of(capsys)[1] == [
        "positions/osakond/kadunud.yaml: warning: this is a link to a file that does not exist — "
        "delete the link, or point it at the file again",
        "0 error(s), 1 warning(s)",
    ]


def it_counts_one_file_in_the_singular(small_project, capsys):
    assert run_jdgen("check", "--project", small_project, small_project / "directives/uus.yaml") == 0
    assert lines_of(capsys)[0] == ["ok: 1 file checked"]


# -- found by a review of the above ----------------------------------------------------------


def it_runs_in_the_folder_of_dash_c_like_git(small_project, tmp_path, capsys, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert run_jdgen("-C", small_project, "check", "positions/osakond/analyytik.yaml") == 0
    assert run_jdgen("-C", small_project, "build") == 0
    assert (small_project / "build/uus.docx").is_file() and not (elsewhere / "build").exists()
    assert Path.cwd() == elsewhere  # and back where it started


def it_builds_into_the_projects_build_folder_from_a_subfolder(small_project, capsys, monkeypatch):
    monkeypatch.chdir(small_project / "positions/osakond")
    assert run_jdgen("build") == 0
    assert (small_project / "build/uus.docx").is_file()
    assert not (small_project / "positions/osakond/build").exists()


@pytest.mark.parametrize(
    ("tag", "error"),
    [("{{ 1/0 }}", "ZeroDivisionError: division by zero"),
     ('{% include "x.html" %}', "TypeError: no loader for this environment specified")],
)  # fmt: skip
def it_reports_a_failing_template_expression_in_check_and_build(small_project, tmp_path, capsys, tag, error):
    template = small_project / "templates/kaskkiri.docx"
    document = Document(template)
    document.add_paragraph(f"Tekst {tag}")
    document.save(template)
    line = f"templates/kaskkiri.docx: template error: {error} — near: Tekst {tag}"
    assert run_jdgen("check", "--project", small_project) == 1
    assert lines_of(capsys)[1] == [line, "1 error(s), 0 warning(s)"]
    assert run_jdgen("check", "--project", small_project, "positions/osakond/analyytik.yaml") == 1
    assert lines_of(capsys)[1] == [line, "1 error(s), 0 warning(s)"]  # its directive is rendered
    substitute_of_no_post(small_project)
    assert run_jdgen("build", "--project", small_project, "-o", tmp_path / "out") == 1
    assert lines_of(capsys)[1] == [SUBSTITUTE_WARNING, line, "1 error(s), 1 warning(s)"]


def it_takes_the_global_options_after_schema_too(small_project, capsys):
    assert run_jdgen("schema", "unit", "--debug", "-C", small_project) == 0
    assert '  "$id": "jdgen-unit.schema.json",' in lines_of(capsys)[0]


@pytest.mark.parametrize("where", ["read-only", "under a file"])
def it_says_where_schema_cannot_write_in_one_line(small_project, tmp_path, capsys, where):
    if where == "read-only":
        folder = tmp_path / "ro"
        folder.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)], check=True)
        try:
            assert run_jdgen("schema", "-o", folder / "schema") == 1
        finally:
            subprocess.run(["umount", str(folder)], check=True)
        assert lines_of(capsys)[1] == [
            f"{folder}/schema/directive.schema.json: cannot write it: the folder is read-only "
            "— make it writable, or choose another folder",
            "1 error(s), 0 warning(s)",
        ]
    else:
        (tmp_path / "notes.txt").write_text("x")
        assert run_jdgen("schema", "-o", tmp_path / "notes.txt" / "schema") == 2
        assert lines_of(capsys)[1] == [
            f"jdgen: -o {tmp_path}/notes.txt/schema: {tmp_path}/notes.txt is a file; "
            "choose another output folder"
        ]


def it_explains_a_time_of_day_in_a_date(small_project, capsys):
    directive = small_project / "directives/uus.yaml"
    directive.write_text(
        directive.read_text("utf-8").replace("date: 2025-03-04", "date: 2025-03-04 10:00:00")
    )
    assert run_jdgen("check", "--project", small_project) == 1
    assert lines_of(capsys)[1][0] == (
        "directives/uus.yaml:2:7: date: expected a day, got a day with a time of day (2025-03-04 10:00:00) "
        "— write only the day: 2025-03-04"
    )


def it_names_a_tab_in_the_indentation(small_project, capsys):
    position = small_project / "positions/osakond/analyytik.yaml"
    position.write_text(position.read_text("utf-8").replace("\nreports_to:", "\n\treports_to:"), "utf-8")
    assert run_jdgen("check", "--project", small_project) == 1
    assert lines_of(capsys)[1][0].endswith("— indent with spaces, not tabs")


@pytest.mark.parametrize(("source", "what"), [("positions", "is a folder"), ("/dev/null", "is not a file")])
def it_says_what_an_import_source_is_instead_of_a_file(small_project, capsys, source, what):
    assert run_jdgen("-C", small_project, "import", source, "--into", "positions/osakond") == 2
    assert lines_of(capsys)[1] == [
        f"jdgen: {source}: {what}; give the published text (.txt), a .docx or a .pdf"
    ]


def it_checks_the_language_tag(small_project, capsys):
    organisation = small_project / "organisation.yaml"
    line = len(organisation.read_text("utf-8").splitlines()) + 1
    organisation.write_text(organisation.read_text("utf-8") + 'language: "et EE"\n', "utf-8")
    assert run_jdgen("check", "--project", small_project) == 1
    assert lines_of(capsys)[1][0].startswith(
        f"organisation.yaml:{line}:11: language: 'et EE' is not written as expected — "
    )


def it_escapes_spaces_in_the_make_rule(small_project, tmp_path, capsys):
    assert run_jdgen("build", "--project", small_project, "-o", tmp_path / "with space", "--depfile") == 0
    rule = (tmp_path / "with space/uus.d").read_text("utf-8").splitlines()[0]
    assert rule.startswith("with\\ space/uus.docx: directives/uus.yaml ")  # -C: relative to the project


def it_writes_the_tracked_changes_only_where_asked_and_allowed(small_project, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(small_project)
    old = "positions/osakond/analyytik.yaml"
    new = write(small_project, "positions/osakond/uus.yaml", (small_project / old).read_text("utf-8"))
    source = (small_project / old).read_bytes()
    assert run_jdgen("diff", old, new, "--docx", old) == 2
    assert lines_of(capsys)[1] == [f"jdgen: --docx {old}: name a .docx file, e.g. --docx changes.docx"]
    assert (small_project / old).read_bytes() == source
    assert run_jdgen("diff", old, new, "--docx", "muudatused.docx") == 0
    assert run_jdgen("diff", old, new, "--docx", "muudatused.docx") == 2
    assert lines_of(capsys)[1] == [
        "jdgen: --docx muudatused.docx: the file exists already; add --force to replace it"
    ]
    assert run_jdgen("diff", old, new, "--docx", "muudatused.docx", "--force") == 0
