"""`jdgen import`: a published directive back into YAML that refers to the shared includes."""

from __future__ import annotations

import shutil

from jdgen.project.files import Project
from test_golden import differences, reference_words

import readback
from conftest import DIRECTIVE_177, SKA, Shipped, run_jdgen, write

SKA_177 = Shipped(SKA, DIRECTIVE_177)
PUBLISHED = SKA_177.reference  # the register text of nr 177, as published
UNIT = "positions/oiguse-ja-jarelevalve-osakond/jarelevalve-talitus"
IMPORTED = "directives/jarelevalve-talitus-177.yaml"


def _without_positions(project):
    """The example project without nr 177 and its 8 positions: the unit and the includes stay."""
    for path in (project / UNIT).glob("[!_]*.yaml"):
        path.unlink()
    (project / DIRECTIVE_177).unlink()
    return project


def _import(project, source, *extra) -> int:
    return run_jdgen("import", source, "--into", project / UNIT, "--project", project, *extra)


def it_imports_the_published_text_and_builds_it_again_word_for_word(example_project, tmp_path, capsys):
    project = _without_positions(example_project)
    assert _import(project, PUBLISHED) == 0
    out = capsys.readouterr().out
    assert "8 positions" in out
    assert run_jdgen("check", "--project", project) == 0
    assert run_jdgen("build", project / IMPORTED, "-o", tmp_path, "--project", project) == 0
    expected = reference_words(SKA_177)
    found, matched = differences(
        expected, readback.words(readback.text(tmp_path / "jarelevalve-talitus-177.docx"))
    )
    assert matched == len(expected)  # every word of the published text, in order
    assert set(found) <= set(
        SKA_177.known_differences
    )  # and nothing but what the template prints differently

    # the shared text is referred to, not copied: section 4 stands once in the YAML tree
    for clause in ("teha kaugtööd kokkuleppel vahetu juhiga", "ameti maine hoidmise eest"):
        holders = [p for p in project.rglob("*.yaml") if clause in p.read_text("utf-8")]
        assert [p.relative_to(project).as_posix() for p in holders] in (
            ["positions/_shared/oigused.yaml"],
            ["positions/_shared/vastutus.yaml"],
        )
    first = (project / UNIT / "peaspetsialist-jarelevalve-arendus.yaml").read_text("utf-8")
    assert "<<: !include positions/_shared/ametnik.yaml" in first
    assert "  - !include positions/_shared/teadmised/juhiload.yaml" in first


def it_reports_a_near_match_with_a_word_diff_and_writes_the_text_out(example_project, capsys):
    project = _without_positions(example_project)
    assert _import(project, PUBLISHED) == 0
    near = [line for line in capsys.readouterr().out.splitlines() if line.startswith("near match")]
    include = f"{UNIT}/_shared/ulesanded/muude-padevusvaldkonda-kuuluvate.yaml"
    assert any(
        f"Lisa 4 task 7 is nearly {include}: Muude [-pädevusvaldkonda-] {{+vastutusvaldkonda+}}" in line
        for line in near
    )
    assert "Muude vastutusvaldkonda kuuluvate tegevuste korraldamine." in (
        project / UNIT / "ekspert.yaml"
    ).read_text("utf-8")


def it_imports_a_docx_that_jdgen_built(example_project, built_177, tmp_path):
    project = _without_positions(example_project)
    assert _import(project, built_177) == 0
    assert run_jdgen("build", project / IMPORTED, "-o", tmp_path, "--project", project) == 0
    again = readback.words(readback.text(tmp_path / "jarelevalve-talitus-177.docx"))
    assert again == readback.words(readback.text(built_177))


def it_writes_over_nothing_unless_told(example_project, capsys):
    project = _without_positions(example_project)
    assert _import(project, PUBLISHED) == 0
    position = project / UNIT / "ekspert.yaml"
    position.write_text(position.read_text("utf-8") + "# edited by HR\n", encoding="utf-8")
    capsys.readouterr()
    assert _import(project, PUBLISHED) == 2
    assert "exists already" in capsys.readouterr().err
    assert position.read_text("utf-8").endswith("# edited by HR\n")
    assert _import(project, PUBLISHED, "--force") == 0
    assert not position.read_text("utf-8").endswith("# edited by HR\n")


def it_says_in_one_line_when_the_file_holds_no_job_description(example_project, capsys):
    source = write(example_project, "notes.txt", "Koosoleku protokoll\nArutati eelarvet.\n")
    assert _import(example_project, source) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith(
        "notes.txt: not a published directive: found neither an annex header (KINNITATUD …) nor a job "
        "description's title (AMETIJUHEND); nothing was written — give the register's text (.txt), or the "
        "signed .pdf or .docx of a directive or job description"
    )


def it_imports_a_single_job_description_without_a_directive(example_project, capsys):
    project = _without_positions(example_project)
    lines = PUBLISHED.read_text("utf-8").splitlines()
    start = lines.index("AMETIJUHEND")
    end = next(i for i, line in enumerate(lines) if line.startswith("Ametijuhend vaadatakse üle"))
    source = write(project, "lisa-1.txt", "\n".join(lines[start : end + 1]) + "\n")
    assert _import(project, source) == 0
    out = capsys.readouterr().out
    assert "1 position" in out and "directives/" not in out
    written = project / UNIT / "peaspetsialist-jarelevalve-arendus.yaml"
    assert written.is_file()
    assert run_jdgen("check", written, "--project", project) == 0


def it_imports_a_directive_page_without_annexes_with_a_stub_per_listed_position(
    example_project, tmp_path, capsys
):
    """The register's text of nr 177 cut before its first annex: the directive, and 8 stubs."""
    lines = PUBLISHED.read_text("utf-8").splitlines()
    cut = next(index for index, line in enumerate(lines) if line.startswith("KINNITATUD"))
    page = write(tmp_path, "leht.txt", "\n".join(lines[:cut]))
    project = _without_positions(example_project)
    assert _import(project, page) == 0
    out = capsys.readouterr().out.splitlines()
    words = sum(len(line.split()) for line in lines[:cut] if not line.startswith("|"))
    assert out[-1] == f"{words} of the source's {words} words are in the build, in order"
    assert out[-3] == (
        "read: 0 annex(es) with their text; 8 repealed act(s); 0 further point(s); "
        "not in the text: the body of Lisa 1, 2, 3, 4, 5, 6, 7, 8 (written as stubs)"
    )
    assert run_jdgen("check", "--project", project) == 0
    err = capsys.readouterr().err.splitlines()
    assert len([line for line in err if "annex body not in the imported text" in line]) == 8
    assert run_jdgen("build", project / IMPORTED, "-o", tmp_path / "out", "--project", project) == 0
    built = readback.words(readback.text(tmp_path / "out/jarelevalve-talitus-177.docx"))
    reference = reference_words(SKA_177)
    body = reference[: reference.index("KINNITATUD")]
    found, matched = differences(body, built[: built.index("KINNITATUD")])
    # the golden test's one difference ("05.03.2023 nr 46" without "käskkirja") is the source's own
    # words of point 2 now, its acts still data
    assert (matched, found) == (len(body), [])
    assert "own_words:\n  repeal: Tunnistan kehtetuks" in (project / IMPORTED).read_text("utf-8")


def it_reads_any_quote_style_and_names_a_slashed_number_safely(example_project, tmp_path, capsys):
    lines = PUBLISHED.read_text("utf-8").splitlines()
    cut = next(index for index, line in enumerate(lines) if line.startswith("KINNITATUD"))
    text = "\n".join(lines[:cut]).replace("13.12.2024 nr 177", "13.12.2024 nr 2.1-2/24/183")
    page = write(tmp_path, "leht.txt", text.replace("„", '"').replace("”", '"'))
    project = _without_positions(example_project)
    assert run_jdgen("import", page, "--into", project / UNIT, "--project", project) == 0
    written = project / "directives/jarelevalve-talitus-2-1-2-24-183.yaml"
    imported = Project(project).directive("directives/jarelevalve-talitus-2-1-2-24-183.yaml")
    assert written.is_file() and imported is not None
    assert imported.number == "2.1-2/24/183"
    assert [r.title for r in imported.repeals] == ["Ametijuhendi kinnitamine"] * 8


def it_writes_stubs_for_annex_headers_with_no_body_under_them(example_project, tmp_path, capsys):
    lines = PUBLISHED.read_text("utf-8").splitlines()
    headers = [i for i, line in enumerate(lines) if line.startswith("KINNITATUD")]
    kept = lines[: headers[1]] + [
        line for i in headers[1:] for line in lines[i : i + 2]
    ]  # Lisa 2-8: headers only
    page = write(tmp_path, "leht.txt", "\n".join(kept))
    project = _without_positions(example_project)
    assert _import(project, page) == 0
    assert (
        capsys.readouterr()
        .out.splitlines()[-3]
        .endswith("not in the text: the body of Lisa 2, 3, 4, 5, 6, 7, 8 (written as stubs)")
    )
    stubs = [p for p in (project / UNIT).glob("*.yaml") if "stub: true" in p.read_text("utf-8")]
    assert len(stubs) == 7


def it_reads_a_value_written_under_its_label(example_project, tmp_path):
    """A label alone on its line and its value on the next, also when the value starts with the
    label's word ("Eritingimused" / "Eritingimused määratakse …")."""
    text = PUBLISHED.read_text("utf-8")
    for label in ("Teenistuskoht", "Eritingimused", "2. Peamised teenistusülesanded"):
        text = text.replace(f"\n{label} ", f"\n{label}\n")
    wrapped = write(tmp_path, "wrapped.txt", text)
    one, two = _without_positions(example_project), tmp_path / "other"
    shutil.copytree(one, two)
    assert _import(one, PUBLISHED) == 0
    assert _import(two, wrapped) == 0
    for path in sorted((one / UNIT).glob("[!_]*.yaml")):
        assert (two / UNIT / path.name).read_text("utf-8") == path.read_text("utf-8"), path.name
