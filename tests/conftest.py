"""Shared fixtures: the repository's example project, and small projects built in tmp_path."""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from jdgen.cli import main

REPO = Path(__file__).resolve().parent.parent
DIRECTIVE_177 = "directives/ska-2024-177.yaml"


def git(project: Path, *args: str) -> None:
    """Run git in a test project, as a user with a name (commits need one)."""
    subprocess.run(
        ["git", "-c", "user.name=jdgen", "-c", "user.email=jdgen@example.org", *args],
        cwd=project,
        check=True,
        capture_output=True,
    )


def run_jdgen(*args: str | Path) -> int:
    return main([str(a) for a in args])


@pytest.fixture(scope="session")
def built_177(tmp_path_factory) -> Path:
    """Directive nr 177 built from the repository's own data (into a temp folder, never the repo)."""
    out = tmp_path_factory.mktemp("build")
    assert run_jdgen("build", REPO / DIRECTIVE_177, "-o", out, "--project", REPO) == 0
    return out / "ska-2024-177.docx"


@pytest.fixture
def example_project(tmp_path) -> Path:
    """A copy of the repository's example project that a test may change."""
    for name in ("organisation.yaml", "directives", "positions", "templates"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        else:
            shutil.copy(source, tmp_path / name)
    return tmp_path


def write(root: Path, rel: str, content: str) -> Path:
    """Write a file of a test project (dedented), creating its folder."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return path


def analyst(rights_include: str, *extra_lines: str) -> str:
    """The YAML of a short valid position whose rights come from `rights_include`."""
    return "\n".join(
        [
            "title: Analüütik",
            "reports_to: Osakonna juhataja",
            "purpose: Analüüside tegemine.",
            "tasks:",
            "  - task: Andmete analüüsimine.",
            "    results:",
            "      - Analüüs on tehtud.",
            f"rights: !include {rights_include}",
            *extra_lines,
            "",
        ]
    )


def add_other_unit(project: Path, rights: str, rights_text: str | None, *extra_lines: str) -> None:
    """A second unit with one position and a draft directive `directives/uus.yaml` approving it;
    `rights_text` is written to the `rights` include unless it is None (an existing include)."""
    write(project, "positions/uus/_unit.yaml", "name: Uus osakond\ngenitive: uue osakonna\n")
    if rights_text is not None:
        write(project, rights, rights_text)
    write(project, "positions/uus/analyytik.yaml", analyst(rights, *extra_lines))
    write(
        project,
        "directives/uus.yaml",
        "title: Ametijuhendite kinnitamine\nunit: positions/uus\nannexes: [positions/uus/analyytik.yaml]\n",
    )


@pytest.fixture
def small_project(tmp_path) -> Path:
    """A minimal valid project: one unit, one position, one directive."""
    shutil.copy(REPO / "organisation.yaml", tmp_path / "organisation.yaml")
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    write(
        tmp_path,
        "positions/osakond/_unit.yaml",
        """
        name: Arendusosakond
        genitive: arendusosakonna
    """,
    )
    write(
        tmp_path,
        "positions/_shared/oigused.yaml",
        """
        # shared rights
        - teha kaugtööd
        - saada infot
    """,
    )
    write(tmp_path, "positions/osakond/analyytik.yaml", analyst("positions/_shared/oigused.yaml"))
    write(
        tmp_path,
        "directives/uus.yaml",
        """
        number: 12
        date: 2025-03-04
        title: Ametijuhendi kinnitamine
        unit: positions/osakond
        annexes:
          - positions/osakond/analyytik.yaml
        in_force: 2025-04-01
    """,
    )
    return tmp_path
