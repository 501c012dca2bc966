"""Shared fixtures: the shipped projects (SKA's nr 177 and each agency's under examples/), and small
projects built in tmp_path.

The tests take their projects from here, never from the repository root as such: SKA's project is
wherever `directives/ska-2024-177.yaml` is (the root as shipped, or examples/<folder>/ in a fork that
keeps its own data at the root), and `SHIPPED` lists every project with a published text to match.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

# The suite reads jdgen's messages in English whatever the machine's locale (jdgen picks its
# language when imported: set before it is); `test_language` runs jdgen in Estonian on purpose.
os.environ["LANGUAGE"] = "en"

from jdgen.cli.main import main

REPO = Path(__file__).resolve().parent.parent
DIRECTIVE_177 = "directives/ska-2024-177.yaml"
PROJECTS = [REPO, *sorted(p.parent for p in (REPO / "examples").glob("*/organisation.yaml"))]
SKA = next((p for p in PROJECTS if (p / DIRECTIVE_177).is_file()), REPO)
PROJECT_PARTS = ("organisation.yaml", "directives", "positions", "templates", "reference")


@dataclass(frozen=True)
class Shipped:
    """A shipped project's directive and its published text (`reference/<stem>.txt`), with the
    known differences (`reference/<stem>.known-differences.txt`: artefacts of the published text,
    one per line; a line `partial: …` says the text had to end before the document does)."""

    root: Path
    directive: str

    @property
    def name(self) -> str:
        return f"{self.root.name if self.root != REPO else 'root'}:{Path(self.directive).stem}"

    @property
    def reference(self) -> Path:
        return self.root / "reference" / f"{Path(self.directive).stem}.txt"

    def _known_lines(self) -> list[str]:
        path = self.reference.with_suffix(".known-differences.txt")
        lines = path.read_text("utf-8").splitlines() if path.is_file() else []
        return [line for line in lines if line.strip() and not line.startswith("#")]

    @property
    def known_differences(self) -> list[str]:
        return [line for line in self._known_lines() if not line.startswith("partial:")]

    @property
    def partial(self) -> bool:
        return any(line.startswith("partial:") for line in self._known_lines())


SHIPPED = [
    Shipped(root, f"directives/{text.stem}.yaml")
    for root in PROJECTS
    for text in sorted((root / "reference").glob("*.txt"))
    if not text.name.endswith(".known-differences.txt")
    and (root / "directives" / f"{text.stem}.yaml").is_file()
]


def copy_project(source: Path, target: Path) -> Path:
    """A copy of a project's own files (not its build/) that a test may change."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_PARTS:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
        elif (source / name).is_file():
            shutil.copy(source / name, target / name)
    return target


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
    assert run_jdgen("build", SKA / DIRECTIVE_177, "-o", out, "--project", SKA) == 0
    return out / "ska-2024-177.docx"


@pytest.fixture
def example_project(tmp_path) -> Path:
    """A copy of SKA's project (nr 177) that a test may change."""
    return copy_project(SKA, tmp_path)


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
    shutil.copy(SKA / "organisation.yaml", tmp_path / "organisation.yaml")
    shutil.copytree(SKA / "templates", tmp_path / "templates")
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
