"""Building directives: structure read back with python-docx, determinism, derived numbering."""

from __future__ import annotations

import hashlib
import itertools
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docx
import yaml

from jdgen.document.view import CONTEXT_NAMES, template_context
from jdgen.format.load import ProjectFiles
from jdgen.project.assembly import assemble
from jdgen.project.files import Project
from jdgen.project.pipeline import BuildOptions, build_directives

import readback
from conftest import DIRECTIVE_177, SKA, run_jdgen, write


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def annex_starts(blocks: list[readback.Block]) -> list[int]:
    return [i for i, b in enumerate(blocks) if b.text.startswith("KINNITATUD")]


def it_puts_every_annex_on_a_new_page_in_the_directives_order(built_177):
    blocks = readback.blocks(built_177)
    starts = annex_starts(blocks)
    assert len(starts) == 8
    for number, index in enumerate(starts, 1):
        header = blocks[index]
        assert header.page_break_before, f"Lisa {number} does not start a new page"
        assert not header.in_table
        assert (
            f"{header.text} {blocks[index + 1].text}".split()
            == (
                f"KINNITATUD Sotsiaalkindlustusameti peadirektori 13.12.2024 käskkirjaga nr 177 Lisa {number}"
            ).split()
        )
        assert blocks[index + 2].text == "AMETIJUHEND"
    # the directive itself is on the first page: nothing before the first annex breaks a page
    assert not any(b.page_break_before for b in blocks[: starts[0]])
    titles = [
        blocks[i + 7].text for i in starts
    ]  # after Lisa N, AMETIJUHEND, 1. Üldosa, the unit row, "Teenistuskoht"
    files = ProjectFiles(SKA)
    annexes = files.read(DIRECTIVE_177).data["annexes"]
    expected = [files.read(path).data["title"] for path in annexes]
    assert titles == expected


def it_lists_the_annexes_in_point_one(built_177):
    text = readback.text(built_177)
    assert (
        "1. Kinnitan õiguse ja järelevalve osakonna järelevalve talituse ametijuhendid "
        "vastavalt lisadele 1 kuni 8 järgmiselt:" in text
    )
    items = re.findall(r"^1\.(\d)\. (.+) \(lisa (\d)\)([;.])$", text, re.MULTILINE)
    assert [(int(a), int(b)) for a, _, b, _ in items] == [(n, n) for n in range(1, 9)]
    assert [end for *_, end in items] == [";"] * 7 + ["."]
    assert items[0][1] == "peaspetsialist (järelevalve arendus)"


def it_numbers_tasks_per_annex_and_skips_the_unnumbered_one(built_177):
    blocks = readback.blocks(built_177)
    starts = [*annex_starts(blocks), len(blocks)]
    for number, (begin, end) in enumerate(itertools.pairwise(starts), 1):
        numbers = [
            int(m.group(1))
            for b in blocks[begin:end]
            if b.in_table
            for m in [re.match(r"2\.(\d+)\. ", b.text)]
            if m
        ]
        assert numbers == list(range(1, len(numbers) + 1)), f"Lisa {number}: {numbers}"
    lisa6 = blocks[starts[5] : starts[6]]
    first_task = next(i for i, b in enumerate(lisa6) if b.text == "Oodatavad tulemused") + 1
    assert lisa6[first_task].text.startswith("Sotsiaaltöö ja täisealiste")


def it_builds_byte_identical_files_from_the_same_sources(tmp_path, built_177):
    again = tmp_path / "again"
    assert run_jdgen("build", SKA / DIRECTIVE_177, "-o", again, "--project", SKA) == 0
    assert sha256(again / built_177.name) == sha256(built_177)


def it_sets_metadata_from_the_sources_not_from_the_clock(built_177):
    properties = docx.Document(str(built_177)).core_properties
    assert properties.title == "Ametijuhendite kinnitamine"
    assert properties.author == "Sotsiaalkindlustusamet"
    assert properties.created.date().isoformat() == "2024-12-13"
    assert properties.modified == properties.created


def it_follows_a_ninth_position(example_project, tmp_path):
    unit = "positions/oiguse-ja-jarelevalve-osakond/jarelevalve-talitus"
    write(
        example_project,
        f"{unit}/nouandja.yaml",
        """
        title: Nõunik (järelevalve)
        reports_to: Talituse juhataja
        purpose: Järelevalve nõustamine.
        tasks:
          - task: Nõustamine.
            results: [Nõu on antud.]
          - task: Muu ülesanne.
            results: [Tehtud.]
    """,
    )
    directive = yaml.safe_load((example_project / DIRECTIVE_177).read_text(encoding="utf-8"))
    directive["annexes"].append(f"{unit}/nouandja.yaml")
    directive["number"] = 200
    (example_project / "directives/uheksa.yaml").write_text(
        yaml.safe_dump(directive, allow_unicode=True), encoding="utf-8"
    )
    out = tmp_path / "out"
    assert (
        run_jdgen(
            "build",
            example_project / "directives/uheksa.yaml",
            "-o",
            out,
            "--project",
            example_project,
        )
        == 0
    )
    blocks = readback.blocks(out / "uheksa.docx")
    text = "\n".join(b.text for b in blocks)
    assert "vastavalt lisadele 1 kuni 9 järgmiselt:" in text
    assert "1.8. peaspetsialist (järelevalve) (lisa 8);" in text
    assert "1.9. nõunik (järelevalve) (lisa 9)." in text
    starts = annex_starts(blocks)
    assert len(starts) == 9
    assert blocks[starts[8] + 1].text == "Lisa 9"
    assert "käskkirjaga nr 200" in blocks[starts[8]].text
    assert blocks[starts[8] + 7].text == "Nõunik (järelevalve)"
    assert "2.1. Nõustamine." in text and "2.2. Muu ülesanne." in text


def it_builds_a_draft_with_visible_placeholders(small_project, tmp_path):
    directive = small_project / "directives/uus.yaml"
    directive.write_text(
        re.sub(r"^(number|date):.*\n", "", directive.read_text("utf-8"), flags=re.MULTILINE),
        encoding="utf-8",
    )
    assert run_jdgen("build", directive, "-o", tmp_path, "--project", small_project) == 0
    blocks = readback.blocks(tmp_path / "uus.docx")
    assert blocks[1].text == "… nr …"
    header = next(b.text for b in blocks if b.text.startswith("KINNITATUD"))
    assert header.splitlines()[1:] == ["… käskkirjaga nr …"]


def it_leaves_out_the_repeal_point_when_nothing_is_repealed(small_project, tmp_path):
    assert (
        run_jdgen(
            "build",
            small_project / "directives/uus.yaml",
            "-o",
            tmp_path,
            "--project",
            small_project,
        )
        == 0
    )
    text = readback.text(tmp_path / "uus.docx")
    assert "Tunnistan kehtetuks" not in text
    assert "2. Käskkiri jõustub 2025. aasta 1. aprillil." in text
    assert "1. Kinnitan arendusosakonna ametijuhendi vastavalt lisale 1 järgmiselt:" in text
    assert "1.1. analüütik (lisa 1)." in text
    assert "teha kaugtööd; saada infot." in text
    # rows of fields the position leaves out are left out, not printed empty
    assert "Alluvad" not in text and "Haridus" not in text and "Vastutus" not in text


def it_prints_template_syntax_in_data_literally(small_project, tmp_path):
    position = small_project / "positions/osakond/analyytik.yaml"
    position.write_text(
        position.read_text("utf-8").replace(
            "purpose: Analüüside tegemine.",
            "purpose: 'Arvutab {{ 7*7 }} ja {% if true %}x{% endif %} & <b>'",
        ),
        encoding="utf-8",
    )
    assert (
        run_jdgen(
            "build",
            small_project / "directives/uus.yaml",
            "-o",
            tmp_path,
            "--project",
            small_project,
        )
        == 0
    )
    text = readback.text(tmp_path / "uus.docx")
    assert "Arvutab {{ 7*7 }} ja {% if true %}x{% endif %} & <b>" in text


def it_writes_a_depfile_for_make(small_project, tmp_path):
    assert (
        run_jdgen(
            "build",
            small_project / "directives/uus.yaml",
            "-o",
            tmp_path,
            "--project",
            small_project,
            "--depfile",
        )
        == 0
    )
    rule = (tmp_path / "uus.d").read_text().splitlines()[0]
    target, sources = rule.split(": ", 1)
    assert target.endswith("uus.docx")
    assert sorted(sources.split()) == sorted(
        [
            "directives/uus.yaml",
            "organisation.yaml",
            "positions/_shared/oigused.yaml",
            "positions/osakond/_unit.yaml",
            "positions/osakond/analyytik.yaml",
            "templates/kaskkiri.docx",
        ]
    )


def it_reports_a_template_that_makes_broken_xml(small_project, tmp_path, capsys):
    template = small_project / "templates/kaskkiri.docx"
    document = docx.Document(template)
    document.add_paragraph("{% if directive.is_draft %}Eelnõu")  # {%p %} was meant: a paragraph
    document.add_table(rows=1, cols=1).cell(0, 0).text = "{% endif %}"  # is cut from a table cell
    document.save(template)
    output = tmp_path / "out"
    assert run_jdgen("build", "--project", small_project, "-o", output) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.splitlines()[0].startswith(
        "templates/kaskkiri.docx: the template gives a broken document (mismatched tag)"
    )
    assert not output.exists()


def it_builds_through_the_library_entry_point_as_the_command_line_does(built_177, tmp_path):
    build = build_directives(Project(SKA), [DIRECTIVE_177], tmp_path, BuildOptions())
    [built] = build.directives
    assert list(built.files) == [tmp_path / "ska-2024-177.docx"]
    assert (tmp_path / "ska-2024-177.docx").read_bytes() == built_177.read_bytes()
    assert [problem.warning for problem in build.warnings] == [True] * 4  # the four in the data


def it_gives_the_template_the_names_it_says_it_gives():
    sources = assemble(Project(SKA), DIRECTIVE_177)
    assert tuple(template_context(sources)) == CONTEXT_NAMES


def it_renders_each_directive_as_if_the_template_were_opened_anew(example_project):
    """The template is opened once per process and put back as it was before each directive: nr
    177, another directive, nr 177 again give the bytes a freshly opened template gives."""
    from jdgen.document import render

    from conftest import add_other_unit

    add_other_unit(example_project, "positions/_shared/oigused.yaml", None)
    project = Project(example_project)
    first, other = (assemble(project, name) for name in (DIRECTIVE_177, "directives/uus.yaml"))
    assert first is not None and other is not None
    template = example_project / "templates/kaskkiri.docx"

    def rendered(sources, *, fresh: bool) -> bytes:
        if fresh:
            render._OPENED.clear()
        return render.render_docx(template, sources, template_name="templates/kaskkiri.docx")

    in_turn = [rendered(s, fresh=False) for s in (first, other, first)]
    assert in_turn == [rendered(first, fresh=True), rendered(other, fresh=True), rendered(first, fresh=True)]
    assert in_turn[0] != in_turn[1]
    # the preview renders in two threads at once (its check and its build): the same bytes
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda s: rendered(s, fresh=False), [first, other] * 4))
    assert together == [in_turn[0], in_turn[1]] * 4
