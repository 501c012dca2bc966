"""`jdgen import` proves what it writes: it builds the files with `build`'s code, reads the build back
and compares it with the source word by word; the wording a directive says otherwise becomes data.

Tried on real register pages of directives that the repository does not ship (tests/published/,
SOURCES.md): every word of each page must be in the build, in order, or import says which ones are
not and exits 1, writing nothing.
"""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jdgen.project.files import Project
from ministry import ministry_project
from police import police_project
from test_golden import differences

import readback
from conftest import PROJECTS, REPO, copy_project, run_jdgen, write

PUBLISHED = REPO / "tests/published"
TRANSPORDIAMET = next(p for p in PROJECTS if p.name == "transpordiamet")


def _page_words(path) -> list[str]:
    """The page's words as a reader sees them: without the register's table ("| Viit | 1 |", or in
    the older pages "Viit | 1 |") and page numbers."""
    lines = path.read_text("utf-8").splitlines()
    kept = [
        line
        for line in lines
        if not re.fullmatch(r"\s*\|.*|.*\|\s*", line) and not re.fullmatch(r"\s*\d{1,3}\s*", line)
    ]
    return readback.words("\n".join(kept))


def _import(project, source, into, *extra) -> int:
    return run_jdgen("import", source, "--into", project / into, "--project", project, *extra)


def _without_177(root):
    """A copy of SKA's project without nr 177 and its positions (its unit and includes stay)."""
    project = copy_project(REPO, root)
    unit = "positions/oiguse-ja-jarelevalve-osakond/jarelevalve-talitus"
    for path in (project / unit).glob("[!_]*.yaml"):
        path.unlink()
    (project / "directives/ska-2024-177.yaml").unlink()
    return project, unit


def _only_directive(project):
    return next(p for p in (project / "directives").glob("*.yaml") if p.name != "ska-2024-177.yaml")


@pytest.mark.parametrize(
    "page",
    ["SKA-1-2026-01-07.txt", "SKA-164-2024-11-15.txt", "SKA-183-2025-11-28.txt"],
)
def it_imports_a_published_ska_directive_and_builds_every_word_of_its_page(page, tmp_path, capsys):
    project = copy_project(REPO, tmp_path / "project")
    source = PUBLISHED / page
    assert _import(project, source, "positions/imported") == 0
    out = capsys.readouterr().out.splitlines()
    words = _page_words(source)
    assert out[-1] == f"{len(words)} of the source's {len(words)} words are in the build, in order"
    directive = _only_directive(project)
    assert run_jdgen("build", directive, "-o", tmp_path / "out", "--project", project) == 0
    built = readback.words(readback.text(tmp_path / "out" / f"{directive.stem}.docx"))
    found, matched = differences(words[:-1], built, partial=True)  # the page may end inside a word
    assert (found, matched) == ([], len(words) - 1)


def it_keeps_the_wording_a_directive_says_otherwise_as_data(tmp_path):
    """Nr 1 of 2026: "1-11" in point 1 and "kuni" in the repeal, straight quotes, the issuer named
    twice, "allkirjastamisest", "kinnitatud … tagasiulatuvalt": its repeals stay data."""
    project = copy_project(REPO, tmp_path / "project")
    assert _import(project, PUBLISHED / "SKA-1-2026-01-07.txt", "positions/imported") == 0
    text = _only_directive(project).read_text("utf-8")
    assert "  through: '-'\n" in text
    assert "  on_signing: allkirjastamisest\n" in text
    assert (
        "  applies_from: ja käskkirja punktis {point} kinnitatud ametijuhendeid rakendatakse "
        "tagasiulatuvalt\n" in text
    )
    assert "  - {date: 2024-12-23, number: '192', annexes: [1, 2, 4, 7, 8, 9, 10]}" in text
    assert "approved_by: [{date: 2025-02-06, number: '19'}" in text
    assert '"Sotsiaalkindlustusameti põhimäärus"' in text  # the page's quotes in the legal basis


def it_reads_a_deputy_signer_and_a_further_legal_basis_instead_of_organisation_yaml_s(tmp_path, capsys):
    page = (PUBLISHED / "SKA-183-2025-11-28.txt").read_text("utf-8")
    page = page.replace(
        "punkti 9 alusel",
        "punkti 9, ning peadirektori 09.12.2024 käskkirja nr 3-1/61-1 "
        '"Peadirektori asendaja määramine" alusel',
    )
    page = page.replace(
        "Maret Maripuu peadirektor", "Mari Maasikas osakonnajuhataja peadirektori ülesannetes"
    )
    assert "Mari Maasikas" in page and "3-1/61-1" in page
    source = write(tmp_path, "deputy.txt", page)
    project = copy_project(REPO, tmp_path / "project")
    assert _import(project, source, "positions/imported") == 0
    text = _only_directive(project).read_text("utf-8")
    assert "signer:\n  name: Mari Maasikas\n  title: osakonnajuhataja peadirektori ülesannetes\n" in text
    assert (
        'ning peadirektori 09.12.2024 käskkirja nr 3-1/61-1 "Peadirektori asendaja määramine" alusel' in text
    )


def it_writes_a_partly_shown_annex_as_a_stub_that_builds_and_names_what_it_lacks(tmp_path, capsys):
    project = copy_project(REPO, tmp_path / "project")
    assert _import(project, PUBLISHED / "SKA-164-2024-11-15.txt", "positions/imported") == 0
    err = capsys.readouterr().err
    assert "warning: Lisa 1 is shown only in part: written as a stub; fill in purpose, tasks" in err
    first = (project / "positions/imported/talituse-juhataja.yaml").read_text("utf-8")
    assert "stub: true" in first and "reports_to: Osakonna juhataja" in first
    assert "purpose: …" in first and "  - task: …" in first
    assert "Teenistuja asend" not in first  # the page's last line, a label cut short, is no value


def it_refuses_an_amendment_in_one_line_and_writes_nothing(tmp_path, capsys):
    project = copy_project(REPO, tmp_path / "project")
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    assert _import(project, PUBLISHED / "SKA-57-2023-03-26-muutmine.txt", "positions/imported") == 1
    err = capsys.readouterr().err.splitlines()
    assert "another kind of directive (an amendment?), which jdgen does not build" in err[0]
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def it_keeps_a_row_the_template_has_no_label_for_as_a_row_of_its_own(tmp_path, capsys):
    """Transpordiamet's 2.1-2/25/022 has a row "1.5. Alluvad" that the example's template lacks:
    it is kept as a further row after "1.4. Allub", and no value runs across it. The template
    numbers its own rows by hand ("1.5. Asendaja"), so the numbers after it differ: import says so
    and writes nothing, and with --partial writes the files."""
    project = copy_project(TRANSPORDIAMET, tmp_path / "project")
    source = PUBLISHED / "Transpordiamet-2.1-2_25_022-2025-09-26.txt"
    assert _import(project, source, "positions/teehoiuteenistus") == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith(
        "Lisa 1: the template has no row «1.5. Alluvad»: kept as a further row after reports_to (rows)"
    )
    assert any(line.endswith("Lisa 1: the build lacks «1.6. Asendaja 1.7. Asendab»") for line in err)
    words = len(_page_words(source))
    assert err[-1].startswith(f"{words - 4} of the source's {words} words are in the build")
    assert _import(project, source, "positions/teehoiuteenistus", "--partial") == 1
    written = (project / "positions/teehoiuteenistus/jarelevalve-osakond/juhataja.yaml").read_text("utf-8")
    assert "reports_to: Teehoiuteenistuse direktorile (edaspidi direktor)\n" in written
    assert "substituted_by: järelevalve osakonna teenistuja\n" in written
    assert "substitutes: teenistuse direktorit või järelevalve osakonna teenistujaid\n" in written
    assert (
        "rows:\n  - {label: 1.5. Alluvad, text: järelevalve osakonna teenistujad, after: reports_to}\n"
        in written
    )


def it_prints_a_further_row_in_place_and_reads_it_back(tmp_path, capsys):
    """A row the stock template has no label for ("Töökoha asukoht"), after "Vahetu juht": built in
    place, and imported back as the same row."""
    project = copy_project(REPO, tmp_path / "project")
    position = project / "positions/oiguse-ja-jarelevalve-osakond/jarelevalve-talitus/ekspert-projekt.yaml"
    position.write_text(
        position.read_text("utf-8")
        + "rows:\n  - {label: Töökoha asukoht, text: Tallinn, after: reports_to}\n",
        "utf-8",
    )
    directive = project / "directives/ska-2024-177.yaml"
    assert run_jdgen("build", directive, "-o", tmp_path / "one", "--project", project) == 0
    text = readback.text(tmp_path / "one/ska-2024-177.docx")
    lisa4 = text[text.index("Lisa 4") :]
    assert re.search(r"Vahetu juht\n.*\nTöökoha asukoht\nTallinn\nAlluvad", lisa4)
    again, unit = _without_177(tmp_path / "again")
    assert _import(again, tmp_path / "one/ska-2024-177.docx", unit) == 0
    assert "  - {label: Töökoha asukoht, text: Tallinn, after: reports_to}" in (
        again / unit / "ekspert.yaml"
    ).read_text("utf-8")


def it_says_which_words_it_cannot_place_and_writes_nothing(tmp_path, capsys):
    """A layout the example's template does not have (an unnumbered "kinnitan", "(lisatud)")."""
    project = copy_project(TRANSPORDIAMET, tmp_path / "project")
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    source = PUBLISHED / "Transpordiamet-2.1-2_26_004-2026-02-06.txt"
    assert _import(project, source, "positions/teehoiuteenistus") == 1
    err = capsys.readouterr().err.splitlines()
    assert any(
        re.search(
            r"26_004-2026-02-06.txt:\d+: the directive: the build says «.*» where the source says «kinnitan»",
            line,
        )
        for line in err
    )
    assert err[-1].endswith(
        "nothing was written: fix what is listed above, or keep the result with --partial"
    )
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before
    assert _import(project, source, "positions/teehoiuteenistus", "--partial") == 1
    assert "the files were written as they are (--partial)" in capsys.readouterr().out


def it_round_trips_every_wording_variant_a_directive_can_say(tmp_path, capsys):
    """build -> DOCX -> import -> build gives the same text, with the variants as data."""
    project = copy_project(REPO, tmp_path / "project")
    directive = project / "directives/ska-2024-177.yaml"
    text = re.sub(r"(?m)^in_force:.*\n", "", directive.read_text("utf-8"))
    directive.write_text(
        text
        + "applies_from: 2024-09-01\n"
        + "signer: {name: Mari Maasikas, title: osakonnajuhataja peadirektori ülesannetes}\n"
        + "wording:\n  through: '-'\n  repeal_through: ' kuni '\n  quotes: '\"\"'\n"
        + "  on_signing: allkirjastamisest\n  issuer_each: true\n"
        + "  applies_from: ja käskkirja punktis {point} kinnitatud ametijuhendeid rakendatakse "
        + "tagasiulatuvalt\n",
        "utf-8",
    )
    assert run_jdgen("build", directive, "-o", tmp_path / "one", "--project", project) == 0
    first = readback.text(tmp_path / "one/ska-2024-177.docx")
    assert "vastavalt lisadele 1-8 järgmiselt" in first
    assert 'peadirektori 28.02.2023 käskkirja nr 29 "Ametijuhendi kinnitamine"' in first
    assert (
        "Käskkiri jõustub allkirjastamisest ja käskkirja punktis 1 kinnitatud ametijuhendeid "
        "rakendatakse tagasiulatuvalt 2024. aasta 1. septembrist." in first
    )
    again, unit = _without_177(tmp_path / "again")
    assert _import(again, tmp_path / "one/ska-2024-177.docx", unit) == 0
    imported = next((again / "directives").glob("*.yaml"))
    assert run_jdgen("build", imported, "-o", tmp_path / "two", "--project", again) == 0
    assert readback.words(readback.text(tmp_path / "two" / f"{imported.stem}.docx")) == readback.words(first)
    assert "own_words" not in imported.read_text("utf-8")  # all of it said as data


_BODY = (REPO / "reference/ska-2024-177.txt").read_text("utf-8").split("\nKINNITATUD")[0].splitlines()


@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    edit=st.sampled_from(["drop", "word", "cut"]),
    line=st.integers(min_value=15, max_value=len(_BODY) - 1),
    at=st.integers(min_value=0, max_value=40),
)
def it_never_exits_0_with_a_word_of_the_source_missing(edit, line, at, tmp_path_factory):
    """A page of nr 177's body, changed (a line dropped, a word changed, the page cut): import
    reproduces every word, or names what it could not place and exits 1."""
    root = tmp_path_factory.mktemp("mutated")
    project = copy_project(REPO, root / "project")
    _holds_or_exits_1(project, write(root, "page.txt", _mutated(_BODY, edit, line, at)), "positions/imported")


def _mutated(page: list[str], edit: str, line: int, at: int) -> str:
    """The page with line `line` dropped, a word of it changed, or the page cut inside it."""
    lines = list(page)
    words = lines[line].split()
    if edit == "drop":
        del lines[line]
    elif edit == "word" and words:
        words[at % len(words)] = "Muudetud"
        lines[line] = " ".join(words)
    elif words:
        lines[line] = " ".join(words[: at % len(words)])
        del lines[line + 1 :]
    return "\n".join(lines)


def _holds_or_exits_1(project, source, unit) -> None:
    """Import exits 1, or 0 with every word of the source in the build, in order (from where the
    build's text starts as the source does: a page of annexes only shows the last of them); what
    the build adds is a stub's placeholders only."""
    code = _import(project, source, unit)
    assert code in (0, 1)
    if code == 0:
        directive = _only_directive(project)
        out = source.parent / "out"
        assert run_jdgen("build", directive, "-o", out, "--project", project) == 0
        built = readback.words(readback.text(out / f"{directive.stem}.docx"))
        expected = _page_words(source)
        starts = [i for i in range(len(built)) if built[i : i + 4] == expected[:4]]
        found, matched = differences(expected[:-1], built[starts[-1] :] if starts else built, partial=True)
        assert matched == len(expected) - 1  # every word of the page, in order
        assert all(f.startswith("added: ") and "…" in f for f in found)  # and a stub's placeholders


def it_warns_where_a_point_s_own_words_no_longer_name_its_repealed_acts(tmp_path, capsys):
    project = copy_project(REPO, tmp_path / "project")
    assert _import(project, PUBLISHED / "SKA-1-2026-01-07.txt", "positions/imported") == 0
    directive = _only_directive(project)
    assert run_jdgen("check", "--project", project) == 0
    assert "own_words.repeal does not name" not in capsys.readouterr().err
    text = directive.read_text("utf-8").replace("number: '192'", "number: '193'")
    directive.write_text(text, "utf-8")
    assert run_jdgen("check", "--project", project) == 0
    err = capsys.readouterr().err
    assert (
        "warning: own_words.repeal: own_words.repeal does not name the repealed directive "
        "nr 193 of 23.12.2024" in err
    )


_177 = (REPO / "reference/ska-2024-177.txt").read_text("utf-8").splitlines()
_HEADERS = [i for i, line in enumerate(_177) if line.startswith("KINNITATUD")]


def it_keeps_an_annex_at_its_number_with_stubs_for_those_the_page_does_not_show(tmp_path, capsys):
    """A body that names "lisad 1-4" and a page that shows Lisa 3 only: four annexes, Lisa 3 in
    its place; a page of Lisa 3 alone: a directive (number and date from its header) of three."""
    body = "\n".join(_177[: _HEADERS[0]])
    start, end = body.index("1. Kinnitan"), body.index("2. Tunnistan")
    point = "1. Kinnitan õiguse ja järelevalve osakonna järelevalve talituse ametijuhendid (lisad 1-4).\n"
    lisa3 = "\n".join(_177[_HEADERS[2] : _HEADERS[3]])
    named = write(tmp_path, "named.txt", body[:start] + point + body[end:] + "\n" + lisa3)
    alone = write(tmp_path, "alone.txt", lisa3)
    for source, unit, count in ((named, "positions/named", 4), (alone, "positions/alone", 3)):
        project = copy_project(REPO, tmp_path / unit.replace("/", "-"))
        assert _import(project, source, unit) == 0
        directive = Project(project).directive(_only_directive(project).relative_to(project).as_posix())
        assert directive is not None and (directive.number, str(directive.date)) == ("177", "2024-12-13")
        assert len(directive.annexes) == count
        assert directive.annexes[2].endswith("/juhtivspetsialist.yaml")  # Lisa 3, at its number
        out = capsys.readouterr()
        stubs = ", ".join(str(n) for n in range(1, count + 1) if n != 3)
        assert f"not in the text: the body of Lisa {stubs} (written as stubs)" in out.out
        assert out.out.splitlines()[-1].startswith(f"{len(_page_words(source))} of the source's")
        if source == alone:
            assert "the text shows annexes only" in out.err


def it_takes_a_title_given_only_in_the_heading_from_its_genitive(tmp_path, capsys):
    """Transpordiamet's layout without the row "1.2. Teenistuskoha nimetus": the title comes from
    the heading "ARENDAMISE OSAKONNA JUHATAJA" (the unit's genitive, then the title's); the
    template prints a title row the page lacks, and import says so."""
    page = (TRANSPORDIAMET / "reference/ta-2026-001.txt").read_text("utf-8")
    source = write(tmp_path, "page.txt", re.sub(r"(?m)^1\.2\. Teenistuskoha nimetus .*\n", "", page))
    project = copy_project(TRANSPORDIAMET, tmp_path / "project")
    for path in (project / "positions/teehoiuteenistus").glob("*/juhataja.yaml"):
        path.unlink()
    assert _import(project, source, "positions/teehoiuteenistus") == 1
    err = capsys.readouterr().err
    assert "Lisa 1: the build adds «1.2. Teenistuskoha nimetus juhataja»" in err
    assert _import(project, source, "positions/teehoiuteenistus", "--partial") == 1
    written = (project / "positions/teehoiuteenistus/arendamise-osakond/juhataja.yaml").read_text("utf-8")
    assert "\ntitle: juhataja\n" in written and "title_genitive" not in written


def it_imports_a_pdf_that_jdgen_built_and_builds_the_same_text(tmp_path, built_177, capsys):
    """The PDF's text has the letterhead, page numbers ("2 (26)") and the task table's heading row
    repeated on every page among the body's lines: none of them is read as a value."""
    assert run_jdgen("build", REPO / "directives/ska-2024-177.yaml", "-o", tmp_path / "pdf", "--pdf",
                     "--project", REPO) == 0  # fmt: skip
    project, unit = _without_177(tmp_path / "project")
    capsys.readouterr()
    assert _import(project, tmp_path / "pdf/ska-2024-177.pdf", unit) == 0
    out = capsys.readouterr()
    total = re.match(r"(\d+) of the source's (\d+) words", out.out.splitlines()[-1])
    assert total and total.group(1) == total.group(2)
    assert "left out: '2 (26)' is a page's number" in out.err
    imported = next((project / "directives").glob("*.yaml"))
    assert run_jdgen("build", imported, "-o", tmp_path / "again", "--project", project) == 0
    again = readback.words(readback.text(tmp_path / "again" / f"{imported.stem}.docx"))
    assert again == readback.words(readback.text(built_177))


def it_imports_a_directive_of_an_agency_whose_layout_jdgen_does_not_ship(tmp_path, capsys):
    """Kultuuriministeerium's nr 9-P, into a project with that ministry's own template: every word
    of the page is in the build, in order; its title in the heading differs from its title row, and
    point 2, of a kind jdgen does not know, is kept word for word."""
    project = ministry_project(REPO / "templates/kaskkiri.docx", tmp_path / "project")
    source = PUBLISHED / "Kultuuriministeerium-9-P-2025-09-16.txt"
    assert _import(project, source, "positions/kom") == 0
    out = capsys.readouterr()
    words = _page_words(source)
    assert (
        out.out.splitlines()[-1]
        == f"{len(words)} of the source's {len(words)} words are in the build, in order"
    )
    assert "point 2 is read as a further point (extra_points), word for word" in out.err
    position = (project / "positions/kom/euroopa-liidu-ja-euroopa-noukogu-asjade-nounik.yaml").read_text(
        "utf-8"
    )
    assert "title: Euroopa Liidu ja Euroopa Nõukogu asjade nõunik\n" in position
    assert "title_genitive: euroopa liidu asjade nõuniku\n" in position  # the heading's, printed in capitals
    assert run_jdgen("check", "--project", project) == 0
    assert (
        run_jdgen("build", project / "directives/kom-9-p.yaml", "-o", tmp_path / "out", "--project", project)
        == 0
    )
    built = readback.words(readback.text(tmp_path / "out/kom-9-p.docx"))
    found, matched = differences(words[:-1], built, partial=True)
    assert (found, matched) == ([], len(words) - 1)


def it_imports_a_published_transpordiamet_directive_and_builds_every_word_of_its_page(tmp_path, capsys):
    """2.1-2/24/183: eight annexes listed, Lisa 1 shown in part, the register's older table."""
    project = copy_project(TRANSPORDIAMET, tmp_path / "project")
    source = PUBLISHED / "Transpordiamet-2.1-2_24_183-2024-08-05.txt"
    assert _import(project, source, "positions/teehoiuteenistus") == 0
    words = _page_words(source)
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"{len(words)} of the source's {len(words)} words are in the build, in order"
    )
    directive = project / "directives/teehoiuteenistus-2-1-2-24-183.yaml"
    assert run_jdgen("build", directive, "-o", tmp_path / "out", "--project", project) == 0
    built = readback.words(readback.text(tmp_path / "out" / f"{directive.stem}.docx"))
    found, matched = differences(words[:-1], built, partial=True)
    assert (found, matched) == ([], len(words) - 1)


_SKA_1 = (PUBLISHED / "SKA-1-2026-01-07.txt").read_text("utf-8")
_SKA_183 = (PUBLISHED / "SKA-183-2025-11-28.txt").read_text("utf-8")
_REFERENCE = (REPO / "reference/ska-2024-177.txt").read_text("utf-8")


@pytest.mark.parametrize(
    ("name", "page", "old", "new", "said"),
    [
        (  # a date the template does not write: the words would say a day the data does not
            "in_force",
            _SKA_183,
            "jõustub 2025. aasta 1. detsembril",
            "jõustub 01.12.2025",
            "not every date in it was read as data (in_force, applies_from)",
        ),
        (  # two rows read as one: the words are all there, the values are not
            "rows",
            _REFERENCE,
            "Vahetu juht Talituse juhataja\nAlluvad -",
            "Vahetu juht Talituse juhataja Alluvad -",
            "the value of reports_to «Talituse juhataja Alluvad -» runs into the row «Alluvad»",
        ),
        (  # a note after the signature is not the signer's title
            "signer",
            _SKA_1,
            "Maret Maripuu peadirektor",
            "Maret Maripuu peadirektor Koopia: personalitalitus",
            "the build lacks «Koopia: personalitalitus»",
        ),
        (  # the build's review sentence where the page has none
            "review",
            _REFERENCE,
            "Ametijuhend vaadatakse üle kord aastas vahetu juhiga või töökorralduse muutumisel.\nKINNITATUD",
            "KINNITATUD",
            "Lisa 1: the build adds «Ametijuhend vaadatakse üle",
        ),
    ],
)
def it_exits_1_where_the_data_would_say_other_than_the_words(name, page, old, new, said, tmp_path, capsys):
    """What a review of the proof found: each of these was exit 0 with the data wrong."""
    assert old in page
    source = write(tmp_path, f"{name}.txt", page.replace(old, new, 1))
    project = copy_project(REPO, tmp_path / "project")
    assert _import(project, source, "positions/imported") == 1
    assert said in capsys.readouterr().err
    assert not (project / "positions/imported").exists()


def it_keeps_as_text_a_repeal_it_cannot_read_whole_and_files_an_annex_at_its_lisa_number(tmp_path, capsys):
    """A repealed act dated another way, or named after another issuer, is no act to drop: the point
    is kept word for word (with a warning). An item "1.2. … (lisa 3)" files the annex as Lisa 3."""
    other = _SKA_1.replace(
        "peadirektori 23.12.2024 käskkirja", "peadirektori 23. detsembri 2024. a käskkirja"
    )
    project = copy_project(REPO, tmp_path / "one")
    assert _import(project, write(tmp_path, "other.txt", other), "positions/imported") == 0
    assert "point 2 is read as a further point (extra_points), word for word" in capsys.readouterr().err
    assert "repeals:" not in _only_directive(project).read_text("utf-8")
    moved = _SKA_183.replace("(lisa 2)", "(lisa 3)", 1)
    assert "(lisa 3)" in moved
    project = copy_project(REPO, tmp_path / "two")
    assert _import(project, write(tmp_path, "moved.txt", moved), "positions/imported") == 0
    annexes = Project(project).directive(_only_directive(project).relative_to(project).as_posix()).annexes
    assert len(annexes) == 3 and annexes[1].endswith("/ametikoht-2.yaml")  # Lisa 2: a stub


def it_imports_an_annex_page_whose_title_is_in_the_heading_and_whose_results_are_dashed_items(
    tmp_path, capsys
):
    """PPA's Lisa 8 of 1.9-23.4/1p-1, alone on its page, into a project with that board's layout:
    the header starts with the board's name and cites the directive's title; the title stands only
    in the heading ("AUTOJUHI AMETIJUHEND"); the tasks' table has a heading row of its own words and
    results written "- …;", some on the task's line. Every word of the page is in the build, in
    order, and each lands in its field."""
    project = police_project(REPO / "templates/kaskkiri.docx", tmp_path / "project")
    source = PUBLISHED / "PPA-1.9-23.4_1p-1-2025-01-07-lisa8.txt"
    assert _import(project, source, "positions/ida") == 0
    out = capsys.readouterr()
    words = _page_words(source)
    assert (
        out.out.splitlines()[-1]
        == f"{len(words)} of the source's {len(words)} words are in the build, in order"
    )
    assert "written with the number, date and title of their header" in out.err
    directive = yaml.safe_load(_only_directive(project).read_text("utf-8"))
    assert directive["title"] == (
        "Politsei- ja Piirivalveameti administratsiooni logistikabüroo Ida majandustalituse "
        "ametijuhendite kinnitamine"
    )
    assert (directive["number"], len(directive["annexes"])) == ("1.9-23.4/1p-1", 8)
    position = yaml.safe_load((project / directive["annexes"][7]).read_text("utf-8"))
    assert position["title"] == "autojuht"
    tasks = position["tasks"]
    assert tasks[0] == {
        "task": "Osutab Ida regiooni üksustele ja teenistujatele veoteenust vastavalt teenistuslikule "
        "vajadusele;",
        "results": ["- Tagatud on vajalik veoteenus;"],
    }
    assert tasks[1]["results"] == ["- dokumendid ja kaubasaadetised jõuavad sihtkohta õigeaegselt;"]
    assert tasks[3]["results"] == [
        "- sõiduk on puhas ja tehniliselt korras;",
        "- sõidudokumendid on nõuetekohaselt täidetud;",
    ]
    assert not any("Teenistuskoha ülesanded" in task["task"] for task in tasks)
    stem = _only_directive(project).stem
    assert run_jdgen("build", _only_directive(project), "-o", tmp_path / "out", "--project", project) == 0
    built = readback.words(readback.text(tmp_path / "out" / f"{stem}.docx"))
    lisa_8 = max(i for i in range(len(built)) if built[i : i + 8] == words[:8])  # the page shows it alone
    found, matched = differences(words[:-1], built[lisa_8:], partial=True)
    assert (found, matched) == ([], len(words) - 1)


_GROUP_LEAD = """\
title: Grupijuht
reports_to: rahvusvahelise koostöö büroo juhile
subordinates: kahe- ja mitmepoolse koostöö grupi teenistujad
purpose: Struktuuriüksuses töötavate inimeste juhtimine.
special_conditions: puuduvad
tasks:
  - task: Juhib grupi tööd;
    extra:
      actions: [planeerib grupi tööd;, Jagab ülesandeid.]
    results: ['- grupi töö on planeeritud;', '- Ülesanded on jagatud.']
  - task: korraldab koostööd;
    extra:
      actions: [sõlmib kokkuleppeid]
    results: ['- koostöö toimib.']
"""


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def it_reads_a_task_table_of_three_columns_back_from_the_build_of_such_a_project(kind, tmp_path, capsys):
    """A layout with a third column ("Tegevused ülesannete täitmiseks", an extra value of the task):
    its DOCX comes back column by column into task, extra.actions and results; its PDF, which has
    no columns, comes back with the same words and a warning that says where the column went."""
    built = police_project(REPO / "templates/kaskkiri.docx", tmp_path / "built", actions=True)
    write(built, "positions/grupp/_unit.yaml", "name: arendusosakonna rahvusvahelise koostöö büroo\n")
    write(built, "positions/grupp/grupijuht.yaml", _GROUP_LEAD)
    write(built, "directives/ppa-50p-1.yaml", """\
        number: 1.9-23.2/50p-1
        date: 2025-12-11
        title: Politsei- ja Piirivalveameti rahvusvahelise koostöö büroo ametijuhendite kinnitamine
        unit: positions/grupp
        annexes: [positions/grupp/grupijuht.yaml]
        """)  # fmt: skip
    pdf = ["--pdf"] if kind == "pdf" else []
    assert run_jdgen("build", "-o", tmp_path / "out", "--project", built, *pdf) == 0
    project = police_project(REPO / "templates/kaskkiri.docx", tmp_path / "project", actions=True)
    capsys.readouterr()
    assert _import(project, tmp_path / f"out/ppa-50p-1.{kind}", "positions/grupp") == 0
    out = capsys.readouterr()
    total = re.match(r"(\d+) of the source's (\d+) words", out.out.splitlines()[-1])
    assert total and total.group(1) == total.group(2)
    tasks = yaml.safe_load((project / "positions/grupp/grupijuht.yaml").read_text("utf-8"))["tasks"]
    columns_said = "a text has no columns: the tasks' column «Tegevused ülesannete täitmiseks»" in out.err
    if kind == "docx":
        assert tasks == yaml.safe_load(_GROUP_LEAD)["tasks"] and not columns_said
    else:
        assert columns_said and tasks[1]["results"] == ["- koostöö toimib."]
    again = _only_directive(project)
    assert run_jdgen("build", again, "-o", tmp_path / "again", "--project", project) == 0
    assert readback.words(readback.text(tmp_path / f"again/{again.stem}.docx")) == readback.words(
        readback.text(tmp_path / "out/ppa-50p-1.docx")
    )


def it_keeps_edaspidi_in_the_unit_s_row_and_out_of_point_1(tmp_path, capsys):
    """ "(edaspidi grupp)" in the unit's row defines a short name: the row keeps it word for word,
    the genitive that point 1 prints (derived, where the page has no point 1) leaves it out."""
    page = (PUBLISHED / "PPA-1.9-23.4_1p-1-2025-01-07-lisa8.txt").read_text("utf-8")
    unit = "maismaasõidukite grupp\n"
    assert unit in page
    source = write(tmp_path, "page.txt", page.replace(unit, "maismaasõidukite grupp (edaspidi grupp)\n", 1))
    project = police_project(REPO / "templates/kaskkiri.docx", tmp_path / "project")
    assert _import(project, source, "positions/ida") == 0
    capsys.readouterr()
    name = yaml.safe_load((project / "positions/ida/_unit.yaml").read_text("utf-8"))["name"]
    assert name.endswith("maismaasõidukite grupp (edaspidi grupp)")
    assert run_jdgen("build", _only_directive(project), "-o", tmp_path / "out", "--project", project) == 0
    text = readback.text(tmp_path / "out" / f"{_only_directive(project).stem}.docx")
    assert (
        "Kinnitan administratsiooni logistikabüroo Ida majandustalituse maismaasõidukite grupi ametijuhendid"
        in text
    )
    assert "grupp (edaspidi grupp)" in text and "grupi (edaspidi" not in text


_PPA_PAGE = (PUBLISHED / "PPA-1.9-23.4_1p-1-2025-01-07-lisa8.txt").read_text("utf-8").splitlines()


@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    edit=st.sampled_from(["drop", "word", "cut"]),
    line=st.integers(min_value=20, max_value=len(_PPA_PAGE) - 1),
    at=st.integers(min_value=0, max_value=20),
)
def it_never_exits_0_with_a_word_of_an_annex_page_missing(edit, line, at, tmp_path_factory):
    """PPA's annex page, changed inside the annex (a line dropped, a word changed, the page cut
    mid-annex), into that board's layout: every word of it is in the build, in order, or import
    exits 1."""
    root = tmp_path_factory.mktemp("mutated")
    project = police_project(REPO / "templates/kaskkiri.docx", root / "project")
    _holds_or_exits_1(project, write(root, "page.txt", _mutated(_PPA_PAGE, edit, line, at)), "positions/ida")
