"""Authoring tools: the impact of changing an include (`jdgen uses`, `build --changed-since`), `jdgen new`."""

from __future__ import annotations

import readback
from conftest import DIRECTIVE_177, add_other_unit, git, run_jdgen

SECTION_4 = "positions/_shared/vastutus.yaml"
UNIT_177 = "positions/oiguse-ja-jarelevalve-osakond/jarelevalve-talitus"


def _second_directive(project) -> None:
    """A directive of another unit whose one position uses none of section 4's includes."""
    add_other_unit(project, "positions/_shared/uus-oigused.yaml", "- teha kaugtööd\n")


def _change_a_sentence(path) -> None:
    text = path.read_text("utf-8")
    changed = text.replace("ameti maine hoidmise eest", "ameti maine ja usaldusväärsuse hoidmise eest")
    assert changed != text
    path.write_text(changed, encoding="utf-8")


def it_lists_every_position_and_directive_that_a_change_to_section_4_reaches(example_project, capsys):
    _second_directive(example_project)
    _change_a_sentence(example_project / SECTION_4)
    assert run_jdgen("uses", example_project / SECTION_4, "--project", example_project) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{SECTION_4} is used by 8 positions:"
    positions = [line.split(":")[0].strip() for line in out[1:9]]
    assert sorted(positions) == sorted(
        str(p.relative_to(example_project))
        for p in (example_project / UNIT_177).glob("*.yaml")
        if not p.name.startswith("_")
    )
    assert all("(via positions/_shared/ametnik.yaml)" in line for line in out[1:9])
    assert out[9:] == [
        "and 1 directive, to approve again after a change:",
        f"  {DIRECTIVE_177}: nr 177 of 13.12.2024, Lisa 1, 2, 3, 4, 5, 6, 7, 8",
    ]


def it_rebuilds_only_the_directives_whose_sources_changed_since_a_revision(example_project, tmp_path, capsys):
    _second_directive(example_project)
    git(example_project, "init", "-q")
    git(example_project, "add", ".")
    git(example_project, "commit", "-q", "-m", "approved")
    out = tmp_path / "out"
    assert run_jdgen("build", "--changed-since", "HEAD", "-o", out, "--project", example_project) == 0
    assert "nothing to build" in capsys.readouterr().out and not out.exists()

    _change_a_sentence(example_project / SECTION_4)
    assert run_jdgen("build", "--changed-since", "HEAD", "-o", out, "--project", example_project) == 0
    assert sorted(p.name for p in out.iterdir()) == ["ska-2024-177.docx"]
    assert "ameti maine ja usaldusväärsuse hoidmise eest" in readback.text(out / "ska-2024-177.docx")

    git(example_project, "commit", "-q", "-am", "section 4 changed")
    (out / "ska-2024-177.docx").unlink()
    new_include = example_project / "positions/_shared/uus-oigused.yaml"
    new_include.write_text("- teha kaugtööd\n- saada infot\n", encoding="utf-8")
    assert run_jdgen("build", "--changed-since", "HEAD", "-o", out, "--project", example_project) == 0
    assert sorted(p.name for p in out.iterdir()) == ["uus.docx"]
    # since the first commit both changed
    assert run_jdgen("build", "--changed-since", "HEAD~1", "-o", out, "--project", example_project) == 0
    assert sorted(p.name for p in out.iterdir()) == ["ska-2024-177.docx", "uus.docx"]


def it_says_in_one_line_when_the_revision_is_unknown(example_project, tmp_path, capsys):
    git(example_project, "init", "-q")
    assert (
        run_jdgen(
            "build", "--changed-since", "no-such-ref", "-o", tmp_path / "o", "--project", example_project
        )
        == 1
    )
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(
        "git: no commit 'no-such-ref' in this repository — "
    ) and "Traceback" not in "\n".join(err)


def it_leads_a_new_position_into_its_units_directive(example_project, tmp_path, capsys):
    """A new position is approved by nothing until a directive lists it: `new` says which directive
    and `check` warns; with --directive it is added as the last annex, and the build prints it."""
    new = ["new", "position", "--unit", example_project / UNIT_177, "--project", example_project]
    assert run_jdgen(*new, "--title", "Peaspetsialist (analüüs)") == 0
    said = capsys.readouterr().out.splitlines()
    assert said[-1] == (
        f"next: add it to the annexes of {DIRECTIVE_177} (or write it with --directive {DIRECTIVE_177}): "
        "until then no directive approves it"
    )
    assert run_jdgen("check", "--project", example_project) == 0
    lonely = f"{UNIT_177}/peaspetsialist-analuus.yaml:1:1: warning: this position is in no directive"
    assert any(line.startswith(lonely) for line in capsys.readouterr().err.splitlines())

    before = (example_project / DIRECTIVE_177).read_text("utf-8")
    directive = ["--directive", example_project / DIRECTIVE_177]
    assert run_jdgen(*new, "--title", "Peaspetsialist (andmed)", *directive) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"{DIRECTIVE_177}: it is Lisa 9 now"
    after = (example_project / DIRECTIVE_177).read_text("utf-8")
    last = f"  - {UNIT_177}/peaspetsialist-jarelevalve-lastekaitse.yaml\n"
    assert after == before.replace(
        last, last + f"  - {UNIT_177}/peaspetsialist-andmed.yaml\n"
    )  # comments kept
    assert (
        run_jdgen("build", example_project / DIRECTIVE_177, "-o", tmp_path, "--project", example_project) == 0
    )
    assert "Peaspetsialist (andmed)" in readback.text(tmp_path / "ska-2024-177.docx")


def it_starts_a_position_that_passes_check_and_builds(example_project, tmp_path, capsys):
    assert (
        run_jdgen(
            "new",
            "position",
            "--unit",
            example_project / UNIT_177,
            "--title",
            "Peaspetsialist (analüüs)",
            "--project",
            example_project,
        )
        == 0
    )
    created = example_project / UNIT_177 / "peaspetsialist-analuus.yaml"
    text = created.read_text("utf-8")
    # the unit's usual includes are in: every one of its 8 positions merges ametnik.yaml
    assert "<<: !include positions/_shared/ametnik.yaml" in text
    task_includes = [line for line in text.splitlines() if "_shared/ulesanded/" in line]
    assert len(task_includes) == 6 and task_includes[-1].endswith("vahetu-juhi-muude.yaml")  # usually last
    assert "# Vahetu juht" in text and "# Teadmised ja oskused" in text  # labels from the template
    assert run_jdgen("check", created, "--project", example_project) == 0

    assert (
        run_jdgen("new", "directive", "--unit", example_project / UNIT_177, "--project", example_project) == 0
    )
    directive = example_project / "directives/jarelevalve-talitus.yaml"
    assert f"  - {UNIT_177}/peaspetsialist-analuus.yaml" in directive.read_text("utf-8")
    assert run_jdgen("check", "--project", example_project) == 0
    assert run_jdgen("build", directive, "-o", tmp_path / "out", "--project", example_project) == 0
    text = readback.text(tmp_path / "out/jarelevalve-talitus.docx")
    assert "Peaspetsialist (analüüs)" in text and "… nr …" in text
    # refuses to overwrite
    capsys.readouterr()
    assert (
        run_jdgen("new", "directive", "--unit", example_project / UNIT_177, "--project", example_project) == 2
    )
    assert "exists already" in capsys.readouterr().err


def it_adds_an_annex_as_the_list_writes_its_items(example_project):
    """--directive keeps the file's line ends and quotes a path YAML would read otherwise; a file
    it cannot add to is said, with what to do."""
    import pytest

    from jdgen.cli.commands.new import annexes_with
    from jdgen.errors import UsageError
    from jdgen.project.files import Project

    project = Project(example_project)
    path = example_project / DIRECTIVE_177
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    text, number = annexes_with(project, DIRECTIVE_177, example_project / UNIT_177 / "a #b.yaml")
    assert number == 9 and "\n" not in text.replace("\r\n", "")
    assert f'  - "{UNIT_177}/a #b.yaml"\r\n' in text
    for written in ("- just a list\n", "annexes: [a.yaml, b.yaml]\n", "annexes: [\n"):
        path.write_text(written, "utf-8")
        with pytest.raises(UsageError, match=r"add .* to its annexes by hand"):
            annexes_with(project, DIRECTIVE_177, example_project / UNIT_177 / "uus.yaml")
