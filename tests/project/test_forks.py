"""Many positions are read on every core (`forks`): the same document and the same problems as when
they are read one by one, and a child that fails changes nothing but the time."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from jdgen.project import forks
from jdgen.project.files import Project

from conftest import REPO, run_jdgen

sys.path.insert(0, str(REPO / "benchmarks"))
from agency import SHARED_INCLUDE, make_agency
from synthetic import make_project

ANNEXES = 150  # enough for two children of 64 positions or more


def _square_or_fail(part: list[int]) -> list[int]:
    if os.getpid() != PARENT and 13 in part:
        raise RuntimeError("this child fails")  # its part is done again by the parent
    return [n * n for n in part]


PARENT = os.getpid()


def it_does_every_part_in_order_even_where_a_child_fails():
    parts = forks.chunks(list(range(40)), 4)
    assert [len(p) for p in parts] == [10, 10, 10, 10]
    assert forks.in_forks(parts, _square_or_fail) == [[n * n for n in p] for p in parts]


def it_does_work_alongside_in_a_child_and_raises_the_error_of_its_own_once_the_child_ended():
    """A build reviews its directives in a child while it renders them: both results come back,
    the side's from another process; an error of the main work comes once the child has ended,
    and a child that fails is done here."""
    side, main = forks.alongside(os.getpid, lambda: "made")
    assert side != PARENT and main == "made"
    assert forks.alongside(lambda: _square_or_fail([13]), os.getpid) == ([169], PARENT)

    def fail() -> None:
        raise ValueError("the template is wrong")

    with pytest.raises(ValueError, match="the template is wrong"):
        forks.alongside(lambda: 1, fail)


def it_splits_work_into_nearly_equal_parts_none_empty():
    assert forks.chunks([1, 2, 3], 5) == [[1], [2], [3]]
    assert forks.chunks(list(range(7)), 3) == [[0, 1, 2], [3, 4], [5, 6]]


def _build(project, out, capsys) -> tuple[int, bytes, str]:
    code = run_jdgen("build", "--project", project, project / f"directives/bench-{ANNEXES}.yaml", "-o", out)
    return code, (out / f"bench-{ANNEXES}.docx").read_bytes() if code == 0 else b"", capsys.readouterr().err


def it_builds_the_same_document_with_the_same_problems_on_every_core_as_on_one(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("JDGEN_PROCESSES", "2")  # two, whatever the machine has
    assert forks.can_fork()
    project = tmp_path / "project"
    make_project(project, [ANNEXES])
    first = project / "positions/osakond/talitus-150/ametikoht-0003.yaml"  # a child's part
    last = project / "positions/osakond/talitus-150/ametikoht-0149.yaml"  # this process's part
    for path in (first, last):
        path.write_text(path.read_text("utf-8").replace("reports_to:", "report_to:"), "utf-8")

    forked = _build(project, tmp_path / "forked", capsys)
    blocker = threading.Event()
    thread = threading.Thread(target=blocker.wait)  # with a thread running, nothing is forked
    thread.start()
    try:
        assert not forks.can_fork()
        alone = _build(project, tmp_path / "alone", capsys)
    finally:
        blocker.set()
        thread.join()
    assert forked == alone
    assert forked[0] == 1
    assert f"{first.relative_to(project)}:3:1: report_to: unknown key" in forked[2]
    assert f"{last.relative_to(project)}:3:1: report_to: unknown key" in forked[2]

    for path in (first, last):
        path.write_text(path.read_text("utf-8").replace("report_to:", "reports_to:"), "utf-8")
    forked = _build(project, tmp_path / "forked", capsys)
    thread = threading.Thread(target=blocker.wait)
    blocker.clear()
    thread.start()
    try:
        alone = _build(project, tmp_path / "alone", capsys)
    finally:
        blocker.set()
        thread.join()
    assert forked[0] == alone[0] == 0
    assert forked[1] == alone[1]


def it_reports_each_problem_once(tmp_path, monkeypatch):
    monkeypatch.setenv("JDGEN_PROCESSES", "2")
    project = tmp_path / "project"
    make_project(project, [ANNEXES])
    names = [f"positions/osakond/talitus-150/ametikoht-{n:04d}.yaml" for n in (3, 149)]
    for name in names:
        path = project / name
        path.write_text(path.read_text("utf-8").replace("reports_to:", "report_to:"), "utf-8")
    reader = Project(project)
    reader.read_positions(reader.position_files())
    unknown = [p for p in reader.problems if "report_to" in p.message]
    assert sorted(p.location.file for p in unknown) == names


def _agency_says(project, *command) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "jdgen", *command],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "JDGEN_PROCESSES": os.environ.get("JDGEN_PROCESSES", "2")},
    )
    return done.returncode, done.stdout, done.stderr


def it_checks_and_builds_an_agency_part_by_part_as_it_would_in_one_process(tmp_path, monkeypatch):
    """Ten directives, checked and built in two forked parts (each reading only its directives and
    letting each go): the same problems as one process finds, the same bytes, and an error in one
    part writes nothing of any."""
    project = tmp_path / "agency"
    directives = make_agency(project, 10, 3)
    unit = project / "positions/oiguse-ja-jarelevalve-osakond/talitus-007"
    (unit / "ametikoht-001.yaml").write_text(  # a warning in the second part: a substitute no post
        (unit / "ametikoht-001.yaml").read_text("utf-8").replace("substitutes: ", "substitutes: Keegi "),
        "utf-8",
    )
    (project / "positions/_shared/kasutamata.yaml").write_text("- üks\n", "utf-8")  # included nowhere
    said = {}
    for processes in ("1", "2"):
        monkeypatch.setenv("JDGEN_PROCESSES", processes)
        said[processes] = _agency_says(project, "check")
        build = _agency_says(project, "build", *(str(d) for d in directives), "-o", str(tmp_path / processes))
        assert build[0] == 0, build[2]
    assert said["1"] == said["2"] and said["1"][0] == 0
    assert "kasutamata.yaml" in said["1"][2] and "talitus-007/ametikoht-001.yaml" in said["1"][2]
    for directive in directives:
        name = f"{directive.stem}.docx"
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()

    first = directives[1]  # an error in the first part
    first.write_text(first.read_text("utf-8") + "bogus: 1\n", "utf-8")
    code, _out, err = _agency_says(project, "build", *(str(d) for d in directives), "-o", str(tmp_path / "3"))
    assert code == 1 and f"{first.name}:" in err and "bogus" in err
    assert not (tmp_path / "3").exists() or not list((tmp_path / "3").iterdir())
    assert _agency_says(project, "check")[0] == 1
    assert (project / SHARED_INCLUDE).is_file()
