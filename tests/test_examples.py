"""Every shipped project through every tool: SKA's nr 177 and each agency's example under examples/.

Each project has its own organisation.yaml and template, and the tools must follow them: `check`
finds nothing to warn about, `import` of the published text into an empty unit builds the same
words again, `diff` names a changed task by the number the document prints, `new position` writes
the fields and labels of the agency's template, `make` builds every directive, and the PDF shows the
directive on page one. Nothing here names an agency: the expectations are read from the project's
own template and published text.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
import yaml
from pypdf import PdfReader

from jdgen.project.assembly import assemble
from jdgen.project.files import Project
from test_golden import differences, reference_words

import readback
from conftest import REPO, SHIPPED, Shipped, copy_project, git, run_jdgen


@pytest.fixture(params=SHIPPED, ids=lambda shipped: shipped.name)
def shipped(request, tmp_path) -> tuple[Shipped, Shipped]:
    """The shipped project, and a copy of it in tmp_path that the test may change."""
    original: Shipped = request.param
    copy = copy_project(original.root, tmp_path / "project")
    return original, Shipped(copy, original.directive)


def template_texts(project) -> list[str]:
    """The template's paragraphs and table cells, as text."""
    organisation = yaml.safe_load((project / "organisation.yaml").read_text("utf-8"))
    document = docx.Document(project / organisation.get("template", "templates/kaskkiri.docx"))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return texts


def it_checks_each_project_without_a_false_warning(shipped, capsys):
    """A warning may only be about what the published text itself says (nr 177 names a post
    'Peaspetsialist (arendus)' that the unit does not have): never about the layout."""
    original, project = shipped
    assert run_jdgen("check", "--project", project.root) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if ": warning: " in line]
    published = " ".join(original.reference.read_text("utf-8").split())
    for warning in warnings:
        quoted = re.findall(r"'([^']+)'", warning)
        assert quoted and all(q in published for q in quoted), warning


def it_imports_the_published_text_into_an_empty_unit_and_builds_the_same_words(shipped, tmp_path, capsys):
    original, project = shipped
    sources = assemble(Project(project.root), project.directive)
    assert sources is not None
    for annex in sources.annexes:  # the directive and its positions go; units and includes stay
        (project.root / annex.path).unlink()
    (project.root / project.directive).unlink()
    into = project.root / "positions/imported"
    target = project.root / "directives/imported.yaml"
    assert (
        run_jdgen(
            "import", original.reference, "--into", into, "--directive", target, "--project", project.root
        )
        == 0
    )
    capsys.readouterr()
    assert run_jdgen("check", "--project", project.root) == 0, capsys.readouterr().out
    assert run_jdgen("build", target, "-o", tmp_path / "out", "--project", project.root) == 0
    expected = reference_words(original)
    built = readback.words(readback.text(tmp_path / "out/imported.docx"))
    found, matched = differences(expected, built, partial=original.partial)
    assert matched >= len(expected) - sum(
        len(line.split(": ", 1)[1].split())
        for line in original.known_differences
        if line.startswith("missing:")
    ), found
    assert set(found) <= set(original.known_differences), found


def it_names_a_changed_task_by_the_number_the_document_prints(shipped, tmp_path, capsys):
    _, project = shipped
    root = project.root
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "as published")
    sources = assemble(Project(root), project.directive)
    assert sources is not None
    annex = sources.annexes[0]
    task = annex.position.tasks[1].task
    # the number the built document prints before that task ("2.2.", "3.2.")
    assert run_jdgen("build", root / project.directive, "-o", tmp_path / "out", "--project", root) == 0
    lines = readback.text(tmp_path / f"out/{root.joinpath(project.directive).stem}.docx").splitlines()
    printed = next(line for line in lines if task[:40] in line)
    number = re.match(r"^(\d+(?:\.\d+)*)\.?\s", printed)
    assert number is not None, printed
    changed = annex.position.model_dump(mode="json", exclude_defaults=True)
    changed["tasks"][1]["task"] = task.replace(task.split()[0], task.split()[0] + " ja muutmine", 1)
    (root / annex.path).write_text(yaml.safe_dump(changed, allow_unicode=True, sort_keys=False), "utf-8")
    capsys.readouterr()
    assert run_jdgen("diff", "--since", "HEAD", root / annex.path, "--project", root) == 0
    out = capsys.readouterr().out
    assert f"{number.group(1)} task changed" in out, out


def it_starts_a_position_with_the_fields_and_labels_of_the_agencys_template(shipped, capsys):
    _, project = shipped
    root = project.root
    sources = assemble(Project(root), project.directive)
    assert sources is not None
    unit = (root / sources.annexes[0].path).parent
    assert run_jdgen("new", "position", "--unit", unit, "--title", "Liikluse ekspert", "--project", root) == 0
    created = unit / "liikluse-ekspert.yaml"
    text = created.read_text("utf-8")
    printed = " ".join(template_texts(root))
    keys = [line.split(":")[0].strip() for line in text.splitlines() if re.match(r"^[a-z_]+:", line)]
    for key in keys:  # every field written is one the template prints
        assert f"position.{key}" in printed or key in ("title", "tasks"), key
    declared = yaml.safe_load((root / "organisation.yaml").read_text("utf-8")).get("extras", {})
    for name, value in declared.get("position", {}).items():  # and the agency's own, with its label
        if value.get("required"):
            assert name in text and (value.get("label") is None or value["label"] in text), name
    labels = [t.strip() for t in template_texts(root) if t.strip() and "{" not in t and len(t) < 40]
    assert sum(label.split(". ", 1)[-1] in text for label in labels) >= 3  # the template's own labels
    assert run_jdgen("check", created, "--project", root) == 0, capsys.readouterr().out


def it_makes_every_directive_of_the_project(shipped):
    _, project = shipped
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        shutil.copy(REPO / name, project.root / name)
    (project.root / ".installed").touch()
    (project.root / ".compiled").touch()
    result = subprocess.run(
        ["make", "--no-print-directory", f"VENV={sys.prefix}", "STAMP=.installed", "COMPILED=.compiled"],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    directives = sorted(p.stem for p in (project.root / "directives").glob("*.yaml"))
    assert sorted(p.stem for p in (project.root / "build").glob("*.docx")) == directives


def it_shows_the_directive_on_page_one_of_its_pdf(shipped, tmp_path):
    original, project = shipped
    out = tmp_path / "pdf"
    assert (
        run_jdgen("build", project.root / project.directive, "-o", out, "--project", project.root, "--pdf")
        == 0
    )
    reader = PdfReader(out / f"{original.reference.stem}.pdf")
    first = " ".join(reader.pages[0].extract_text().split())
    assert " ".join(reference_words(original)[:6]) in first
    sources = assemble(Project(project.root), project.directive)
    assert sources is not None
    assert len(reader.outline) == 1 + len(sources.annexes)


def it_reads_the_directives_points_back_as_they_were_written(shipped, tmp_path):
    """Repeals of every kind, the entry into force and further points, built in the project's
    layout and imported back: the same data."""
    _, project = shipped
    root = project.root
    path = root / project.directive
    data = yaml.safe_load(path.read_text("utf-8"))
    data |= {
        "repeals": [
            {"date": "2023-02-28", "number": "28", "title": "Ametijuhendi kinnitamine"},
            {"date": "2024-03-12", "number": "45", "annexes": [1, 2, 3, 5]},
            {
                "approved_by": [
                    {"date": "2023-05-03", "number": "61"},
                    {"date": "2023-10-17", "number": "140"},
                ]
            },
        ],
        "in_force": "2027-01-01",
        "extra_points": [
            "Käskkiri tehakse teatavaks teenistujatele.",
            {"text": "Ametijuhendid avaldatakse siseveebis.", "after": "approve"},
        ],
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    assert run_jdgen("build", path, "-o", tmp_path / "out", "--project", root) == 0
    target = root / "directives/tagasi.yaml"
    docx_file = tmp_path / "out" / f"{path.stem}.docx"
    assert run_jdgen("import", docx_file, "--into", root / "positions/tagasi", "--directive", target,
                     "--project", root) == 0  # fmt: skip
    original, imported = (
        Project(root).directive(project.directive),
        Project(root).directive("directives/tagasi.yaml"),
    )
    assert original is not None and imported is not None
    for name in ("number", "date", "title", "repeals", "in_force"):
        assert getattr(imported, name) == getattr(original, name), name

    def placed(directive):  # the order of further points counts only among those in one place
        return sorted(directive.extra_points, key=lambda point: point.after)

    assert placed(imported) == placed(original)


def it_imports_into_the_directives_unit_and_finds_the_annexes_own_units_there(shipped, capsys):
    """Imported into the folder of the unit the directive approves, each position goes to the folder
    of its own unit (the same one, or a department's inside a service), and no unit is written twice."""
    original, project = shipped
    root = project.root
    sources = assemble(Project(root), project.directive)
    assert sources is not None
    for annex in sources.annexes:
        (root / annex.path).unlink()
    units_before = sorted(root.rglob("_unit.yaml"))
    unit = sources.directive.unit
    target = root / "directives/imported.yaml"
    assert run_jdgen("import", original.reference, "--into", root / unit, "--directive", target,
                     "--project", root) == 0  # fmt: skip
    assert sorted(root.rglob("_unit.yaml")) == units_before
    imported = Project(root).directive("directives/imported.yaml")
    assert imported is not None and imported.unit == unit
    assert [Path(path).parent for path in imported.annexes] == [Path(a.path).parent for a in sources.annexes]


@pytest.mark.parametrize("form", ["docx", "text", "text without substituted_by"])
def it_imports_what_it_built_back_to_the_same_words_and_the_same_includes(shipped, tmp_path, capsys, form):
    """The document jdgen built (the DOCX, or its text a paragraph or cell a line), imported into the
    directive's unit: the same document again, and every shared file used again (a merge, a shared
    list of tasks, a shared paragraph). Without a value, a row the template prints anyway is empty."""
    _, project = shipped
    root = project.root
    if form.endswith("without substituted_by"):
        for path in (root / "positions").rglob("*.yaml"):
            text = path.read_text("utf-8")
            path.write_text("".join(x for x in text.splitlines(True) if not x.startswith("substituted_by:")))
    assert run_jdgen("build", root / project.directive, "-o", tmp_path / "first", "--project", root) == 0
    built = tmp_path / "first" / f"{Path(project.directive).stem}.docx"
    source = built
    if form.startswith("text"):
        source = tmp_path / "published.txt"
        source.write_text(readback.text(built), "utf-8")
    sources = assemble(Project(root), project.directive)
    assert sources is not None
    for annex in sources.annexes:
        (root / annex.path).unlink()
    (root / project.directive).unlink()
    target = root / "directives/again.yaml"
    assert run_jdgen("import", source, "--into", root / sources.directive.unit, "--directive", target,
                     "--project", root) == 0  # fmt: skip
    capsys.readouterr()
    assert run_jdgen("check", "--project", root) == 0
    assert "not included by any position" not in capsys.readouterr().err
    assert run_jdgen("build", target, "-o", tmp_path / "again", "--project", root) == 0
    again = readback.words(readback.text(tmp_path / "again/again.docx"))
    assert again == readback.words(readback.text(built))
