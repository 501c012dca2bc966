"""Incremental `make`: nothing changed, nothing rebuilt; a changed include rebuilds exactly its directives."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from conftest import REPO, add_other_unit, write

STAMP = ".installed"  # stands in for .venv/.installed: the environment is the one running the tests
COMPILED = ".compiled"  # and for .venv/.compiled (the project has no jdgen code to compile)


def _make(project) -> set[str]:
    """Run the project's Makefile with the environment running the tests; the directives it rebuilt."""
    said = _run_make(project)
    _settle(project)
    return set(_built(said))


def _run_make(project, *targets: str) -> str:
    """What make says, run with the environment running the tests (it must succeed)."""
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            f"VENV={sys.prefix}",
            f"STAMP={STAMP}",
            f"COMPILED={COMPILED}",
            *targets,
        ],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _built(said: str) -> list[str]:
    """The directives a make run built (one jdgen process says a line for each), in order."""
    return re.findall(r"^build/(\S+)\.docx: .*\((?:updated|unchanged)\)$", said, re.MULTILINE)


def _settle(project) -> None:
    """The venv's dependencies before its stamp, sources before outputs, outputs well before now,
    so that the next edit is clearly the newest file (time stamps may count whole seconds)."""
    now = time.time()
    for path in project.rglob("*"):
        if path.is_file():
            if path.name in ("pyproject.toml", "requirements.lock"):
                age = 200
            else:
                age = 50 if path.is_relative_to(project / "build") else 100
            os.utime(path, (now - age, now - age))


def _edit(path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, encoding="utf-8")


def it_rebuilds_exactly_the_directives_whose_sources_changed(example_project):
    project = example_project
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        shutil.copy(REPO / name, project / name)
    (project / STAMP).touch()
    (project / COMPILED).touch()
    write(project, "positions/_shared/uus-vastutus.yaml", "- vastutab andmete eest\n")
    add_other_unit(
        project,
        "positions/_shared/oigused.yaml",  # shared with nr 177
        None,
        "responsibilities: !include positions/_shared/uus-vastutus.yaml",  # its own
    )
    _settle(project)
    assert _make(project) == {"ska-2024-177", "uus"}
    assert {p.name for p in (project / "build").glob("*.docx")} == {"ska-2024-177.docx", "uus.docx"}
    assert _make(project) == set()  # nothing changed: nothing rebuilt

    _edit(project / "positions/_shared/teadmised/lahetused.yaml", "# used by nr 177 only\n")
    assert _make(project) == {"ska-2024-177"}
    _edit(project / "positions/_shared/uus-vastutus.yaml", "- vastutab ka aruannete eest\n")
    assert _make(project) == {"uus"}
    _edit(project / "positions/_shared/oigused.yaml", "- kasutada ameti raamatukogu\n")
    assert _make(project) == {"ska-2024-177", "uus"}
    assert _make(project) == set()


def it_rebuilds_in_one_process_and_leaves_a_file_whose_bytes_are_the_same(example_project):
    """After a shared include is edited, one jdgen process builds every directive that uses it;
    an edit that changes no word (a comment) rewrites no document, only the depfile that says when
    the directive was last brought up to date."""
    project = example_project
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        shutil.copy(REPO / name, project / name)
    (project / STAMP).touch()
    (project / COMPILED).touch()
    add_other_unit(project, "positions/_shared/oigused.yaml", None)
    _settle(project)
    assert _make(project) == {"ska-2024-177", "uus"}
    documents = {p: p.stat().st_mtime for p in (project / "build").glob("*.docx")}
    _edit(project / "positions/_shared/oigused.yaml", "# a comment changes no word\n")
    said = _run_make(project, "directives")
    assert said.count("jdgen build") == 1  # one process for both directives
    assert sorted(_built(said)) == ["ska-2024-177", "uus"]
    assert "(updated)" not in said
    assert {p: p.stat().st_mtime for p in documents} == documents  # not rewritten
    assert (project / "build/uus.d").stat().st_mtime > max(documents.values())


def it_builds_an_example_project_again_only_where_its_sources_changed(tmp_path):
    """`make` runs examples/project.mk in each folder under examples/: nothing changed, no build."""
    project = tmp_path / "repo"
    shutil.copytree(REPO / "examples", project / "examples", ignore=shutil.ignore_patterns("build"))
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        shutil.copy(REPO / name, project / name)
    (project / STAMP).touch()
    (project / COMPILED).touch()
    example = next(p.parent for p in (project / "examples").glob("*/organisation.yaml"))
    runs = []
    for _ in range(3):
        runs.append(_built(_run_make(project, "examples")))
        _settle(project)
        if len(runs) == 2:
            _edit(next((example / "positions").rglob("_unit.yaml")), "# edited\n")
    built = sorted(p.stem for p in (example / "directives").glob("*.yaml"))
    assert runs[0] == built  # first: every directive of the example
    assert runs[1] == []  # nothing changed: nothing built
    assert runs[2] != []  # a unit edited: its directive again
    assert (example / "build" / f"{built[0]}.d").is_file()


@pytest.mark.parametrize("lang", ["C.UTF-8", "et_EE.UTF-8"])
def it_lists_every_target_with_one_line_in_the_users_language(lang):
    """`make help` names each target of the Makefile (its .PHONY line) with a line that says what it
    does, in Estonian where the locale is Estonian (no line the same in both languages)."""
    listed = {}
    for each in ("C.UTF-8", lang):
        result = subprocess.run(
            ["make", "--no-print-directory", "help"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "LANG": each, "LC_ALL": "", "LC_MESSAGES": ""},
        )
        assert result.returncode == 0, result.stderr
        listed[each] = dict(re.findall(r"^  make (\S+) +(.+)$", result.stdout, re.MULTILINE))
        assert len(result.stdout.splitlines()) == len(listed[each])
    phony = re.search(r"^\.PHONY: (.+)$", (REPO / "Makefile").read_text("utf-8"), re.MULTILINE)
    assert phony is not None
    assert set(listed[lang]) == set(phony.group(1).split())
    assert all(len(line.split()) >= 2 for line in listed[lang].values())
    english = listed["C.UTF-8"]
    if lang != "C.UTF-8":
        assert not set(english.values()) & set(listed[lang].values())
        assert listed[lang]["test"].startswith("käivita testid")
