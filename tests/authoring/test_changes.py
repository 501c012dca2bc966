"""`jdgen diff`: two versions of a position or directive compared in the document's own terms."""

from __future__ import annotations

import zipfile

from lxml import etree

from jdgen.authoring.changes import position_changes
from jdgen.authoring.textdiff import word_diff
from jdgen.document.layout import annex_layout
from jdgen.format.model import Position

from conftest import DIRECTIVE_177, SKA, git, run_jdgen, write

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
POSITION = "positions/osakond/analyytik.yaml"
UNIT_177 = "positions/oiguse-ja-jarelevalve-osakond/jarelevalve-talitus"


def _two_versions(project) -> tuple:
    """The small project's position with knowledge lines, and a copy with one result and one
    knowledge line changed."""
    path = project / POSITION
    text = path.read_text("utf-8").replace(
        "      - Analüüs on tehtud.\n",
        "      - Analüüs on tehtud.\n      - Kokkuvõte on esitatud juhile.\n",
    )
    text += "knowledge:\n  - Andmeanalüüsi meetodite tundmine.\n  - Eesti keele oskus kõrgtasemel.\n"
    path.write_text(text, encoding="utf-8")
    changed = text.replace("Kokkuvõte on esitatud juhile.", "Kokkuvõte on esitatud juhile ja osakonnale.")
    changed = changed.replace("Andmeanalüüsi meetodite tundmine.", "Statistika meetodite tundmine.")
    return path, write(project, "positions/osakond/analyytik-uus.yaml", changed)


def it_names_exactly_the_two_changes_and_flags_the_duty(small_project, capsys):
    old, new = _two_versions(small_project)
    assert run_jdgen("diff", old, new, "--project", small_project) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == [
        "2. Peamised teenistusülesanded",
        "  2.1 result changed: Kokkuvõte on esitatud [-juhile.-] {+juhile ja osakonnale.+}  [!]",
        "3. Teenistuskoha täitjale esitatavad nõuded",
        "  Teadmised ja oskused changed: [-Andmeanalüüsi-] {+Statistika+} meetodite tundmine.  [!]",
        "2 changes",
        "[!] 2 changes of duties or requirements: "
        "täidetud ametikohal vajab teenistuja nõusolekut või ümberkorralduse alust (ATS § 52)",
    ]


def it_says_so_when_nothing_changed(small_project, capsys):
    path = small_project / POSITION
    assert run_jdgen("diff", path, path, "--project", small_project) == 0
    assert capsys.readouterr().out.splitlines()[1:] == ["no changes"]


def it_writes_the_changes_as_word_tracked_changes(small_project, tmp_path):
    old, new = _two_versions(small_project)
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    assert run_jdgen("diff", old, new, "--docx", first, "--project", small_project) == 0
    assert run_jdgen("diff", old, new, "--docx", second, "--project", small_project) == 0
    assert first.read_bytes() == second.read_bytes()  # reproducible
    body = etree.fromstring(zipfile.ZipFile(first).read("word/document.xml"))
    deleted = ["".join(d.itertext()) for d in body.iter(f"{W}del")]
    inserted = ["".join(i.itertext()) for i in body.iter(f"{W}ins")]
    assert deleted == ["juhile. ", "Andmeanalüüsi "]
    assert inserted == ["juhile ja osakonnale. ", "Statistika "]
    assert all(i.get(f"{W}author") == "jdgen" for i in body.iter(f"{W}ins", f"{W}del"))
    text = "".join(body.itertext())
    assert "2. Peamised teenistusülesanded" in text and "(ATS § 52)" in text


def it_compares_a_position_with_itself_at_a_git_revision_includes_and_all(example_project, capsys):
    git(example_project, "init", "-q")
    git(example_project, "add", ".")
    git(example_project, "commit", "-q", "-m", "approved")
    include = example_project / "positions/_shared/teadmised/juhiload.yaml"
    include.write_text(include.read_text("utf-8").replace("B-kategooria", "B- või C-kategooria"), "utf-8")
    position = f"{UNIT_177}/ekspert-projekt.yaml"
    for args in (
        (example_project / position, "--since", "HEAD"),
        (f"HEAD:{position}", example_project / position),
    ):
        assert run_jdgen("diff", *args, "--project", example_project) == 0
        out = capsys.readouterr().out.splitlines()
        assert out[0] == f"{position} (HEAD) -> {position}"
        assert out[1:4] == [
            "3. Teenistuskoha täitjale esitatavad nõuded",
            "  Teadmised ja oskused changed: [-B-kategooria-] {+B- või C-kategooria+} juhiload, "
            "valmisolekuga kasutada sõitudeks ametiautot.  [!]",
            "1 change",
        ]


def it_reports_annexes_added_and_moved_in_a_directive(example_project, capsys):
    old = example_project / DIRECTIVE_177
    lines = old.read_text("utf-8").splitlines()
    first = lines.index(next(line for line in lines if line.startswith("  - positions/")))
    lines[first], lines[first + 1] = lines[first + 1], lines[first]  # Lisa 1 and 2 swap places
    lines.insert(first + 8, f"  - {UNIT_177}/uus.yaml")
    new = write(example_project, "directives/uus.yaml", "\n".join(lines) + "\n")
    write(
        example_project,
        f"{UNIT_177}/uus.yaml",
        "<<: !include positions/_shared/ametnik.yaml\ntitle: Analüütik\nreports_to: Talituse juhataja\n"
        "purpose: Analüüsid.\ntasks:\n  - task: Analüüsimine.\n    results: [Analüüs on tehtud.]\n",
    )
    assert run_jdgen("diff", old, new, "--project", example_project) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == [
        "annexes",
        f"  Lisa 1 moved: Peaspetsialist (tegevusload) ({UNIT_177}/peaspetsialist-tegevusload.yaml)"
        " (was Lisa 2)",
        "  Lisa 2 moved: Peaspetsialist (järelevalve arendus) "
        f"({UNIT_177}/peaspetsialist-jarelevalve-arendus.yaml) (was Lisa 1)",
        f"  Lisa 9 added: Analüütik ({UNIT_177}/uus.yaml)",
        "3 changes",
    ]


def it_says_in_one_line_what_is_wrong_with_a_revision_or_a_file(example_project, capsys):
    position = example_project / UNIT_177 / "ekspert-projekt.yaml"
    assert run_jdgen("diff", position, "--since", "HEAD", "--project", example_project) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and err[0].startswith("git: cannot read the project from git: ")
    git(example_project, "init", "-q")
    git(example_project, "add", ".")
    git(example_project, "commit", "-q", "-m", "approved")
    assert run_jdgen("diff", position, "--since", "no-such-revision", "--project", example_project) == 1
    assert capsys.readouterr().err.startswith("git: no commit 'no-such-revision' in this repository — ")
    new = write(example_project, f"{UNIT_177}/uus.yaml", "title: x\n")
    assert run_jdgen("diff", new, "--since", "HEAD", "--project", example_project) == 2
    assert "is not in the project at HEAD" in capsys.readouterr().err
    assert run_jdgen("diff", position, "--project", example_project) == 2
    assert "Traceback" not in capsys.readouterr().err


def it_names_one_changed_result_by_its_task_number_and_flags_it():
    layout = annex_layout(SKA / "templates/kaskkiri.docx")
    results = ["Kaks.", "Aruanne on esitatud."]
    tasks = [{"task": "Esimene.", "results": ["Üks."]}, {"task": "Teine.", "results": results}]
    old = Position(title="Jurist", reports_to="Juht", purpose="Eesmärk.", tasks=tasks)
    second = old.tasks[1].model_copy(update={"results": ["Kaks.", "Aruanne on esitatud õigel ajal."]})
    new = old.model_copy(update={"tasks": [old.tasks[0], second]})
    [change] = position_changes(old, new, layout)
    assert (change.where, change.what) == ("2.2", "result changed")
    assert change.text == "Aruanne on [-esitatud.-] {+esitatud õigel ajal.+}"
    assert change.consent


def it_keeps_later_tasks_unchanged_when_one_is_inserted():
    layout = annex_layout(SKA / "templates/kaskkiri.docx")
    tasks = [{"task": f"Ülesanne number {n}.", "results": ["Tehtud."]} for n in range(3)]
    old = Position(title="Jurist", reports_to="Juht", purpose="Eesmärk.", tasks=tasks)
    inserted = [old.tasks[0], {"task": "Täiesti uus töö.", "results": ["Uus."]}, *old.tasks[1:]]
    new = Position(title="Jurist", reports_to="Juht", purpose="Eesmärk.", tasks=inserted)
    assert [(c.where, c.what) for c in position_changes(old, new, layout)] == [("task 2.2", "added")]


def it_names_an_unnumbered_task_once():
    layout = annex_layout(SKA / "templates/kaskkiri.docx")
    tasks = [{"task": "Nummerdatud töö.", "results": ["Tehtud."]}]
    old = Position(title="Jurist", reports_to="Juht", purpose="Eesmärk.", tasks=tasks)
    extra = {"task": "Muud ülesanded.", "results": ["Tehtud."], "numbered": False}
    new = Position(title="Jurist", reports_to="Juht", purpose="Eesmärk.", tasks=[*tasks, extra])
    edited = Position(
        title="Jurist", reports_to="Juht", purpose="Eesmärk.", tasks=[*tasks, {**extra, "task": "Muud tööd."}]
    )
    assert [(c.where, c.what) for c in position_changes(old, new, layout)] == [("unnumbered task", "added")]
    assert [(c.where, c.what) for c in position_changes(new, edited, layout)] == [
        ("unnumbered task", "changed")
    ]


def it_shows_a_word_diff():
    assert (
        word_diff("teha kaugtööd kokkuleppel", "teha kaugtööd alati")
        == "teha kaugtööd [-kokkuleppel-] {+alati+}"
    )
