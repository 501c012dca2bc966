"""The documentation (README.md and docs/): every command it shows runs, the site builds in mkdocs's
strict mode, and the format reference is made from the models.

A page's ```sh blocks are run in order, in a copy of the project that is a git repository with one
commit, as a user would type them in the project folder: `.venv/bin/jdgen` is this Python's jdgen,
and `make` is told that the environment is this one (as HR's walk in tests/signing does). Every
command must end with exit 0. A block that cannot run here says so and why on the line before its
fence (`<!-- not run: the suite itself -->`); a block of output is ```text, and is not run. The
pages' commands run in `make test-long` (and CI); the site's build and the reference in `make test`.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jdgen.format.model import Directive, Organisation, Position, Task, Unit

from conftest import REPO, copy_project, git

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
FENCE = re.compile(r"^(?P<indent> *)```(?P<kind>\w*)\s*$")
NOT_RUN = re.compile(r"^\s*<!-- not run: (?P<why>\S.*?) -->\s*$")
PROJECT_EXTRAS = (
    "examples",
    "Makefile",
    "pyproject.toml",
    "requirements.lock",
    "scripts",
    "mkdocs.yml",
    "docs",
)


def shell_blocks(page: Path) -> list[tuple[int, list[tuple[int, str]], str | None]]:
    """Each ```sh block of `page`: the line of its fence, its commands with their lines (a line
    ending in `\\` joined with the next), and why it is not run (`<!-- not run: … -->` on the line
    before), if it is not."""
    lines = page.read_text("utf-8").splitlines()
    blocks, at = [], 0
    while at < len(lines):
        fence = FENCE.match(lines[at])
        if fence is None:
            at += 1
            continue
        start, body = at, []
        at += 1
        while at < len(lines) and not FENCE.match(lines[at]):
            body.append((at + 1, lines[at]))
            at += 1
        at += 1
        if fence["kind"] != "sh":
            continue
        before = NOT_RUN.match(lines[start - 1]) if start > 0 else None
        commands, pending, first = [], "", 0
        for number, line in body:
            first = first if pending else number
            line = pending + line.strip()
            if line.endswith("\\"):
                pending = line[:-1].rstrip() + " "
                continue
            pending = ""
            if line and not line.startswith("#"):
                commands.append((first, line))
        blocks.append((start + 1, commands, before["why"] if before else None))
    return blocks


def as_run_here(command: str) -> list[str]:
    """The command as this test runs it: jdgen from this Python, make with this environment."""
    argv = shlex.split(command, comments=True)
    if argv[0] == ".venv/bin/jdgen":
        return [sys.executable, "-m", "jdgen", *argv[1:]]
    if argv[0] == "make":
        return [
            "make",
            "--no-print-directory",
            f"VENV={sys.prefix}",
            "STAMP=.installed",
            "COMPILED=.compiled",
            *argv[1:],
        ]
    return argv


def a_project_to_try(tmp_path: Path) -> Path:
    project = copy_project(REPO, tmp_path / "jdgen")
    for name in PROJECT_EXTRAS:
        if (REPO / name).is_dir():
            shutil.copytree(
                REPO / name, project / name, ignore=shutil.ignore_patterns("build", "__pycache__")
            )
        else:
            shutil.copy(REPO / name, project / name)
    (project / ".installed").touch()
    (project / ".compiled").touch()
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "the project as the docs find it")
    return project


def it_reads_the_blocks_of_a_page_as_the_reader_sees_them(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "Text\n\n```sh\nmake   # builds\n.venv/bin/jdgen new position \\\n    --title 'A b'\n```\n\n"
        "<!-- not run: it serves until Ctrl-C -->\n```sh\n.venv/bin/jdgen serve\n```\n\n```text\n$ x\n```\n",
        "utf-8",
    )
    assert shell_blocks(page) == [
        (3, [(4, "make   # builds"), (5, ".venv/bin/jdgen new position --title 'A b'")], None),
        (10, [(11, ".venv/bin/jdgen serve")], "it serves until Ctrl-C"),
    ]
    assert as_run_here(".venv/bin/jdgen new position --title 'A b'  # a comment")[1:] == [
        "-m",
        "jdgen",
        "new",
        "position",
        "--title",
        "A b",
    ]


@pytest.mark.slow
@pytest.mark.long
@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def it_runs_every_command_the_page_shows(page, tmp_path):
    blocks = shell_blocks(page)
    to_run = [command for _fence, commands, why in blocks if why is None for command in commands]
    project = a_project_to_try(tmp_path) if to_run else tmp_path
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "", "LANGUAGE": ""}
    for line, command in to_run:
        assert "<" not in command and "…" not in command, f"{page.name}:{line}: a placeholder in {command!r}"
        done = subprocess.run(
            as_run_here(command),
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, f"{page.name}:{line}: {command}\n{done.stdout}{done.stderr}"


def it_shows_commands_on_every_page_that_tells_the_reader_to_run_one():
    """Commands stand in ```sh blocks, where the test above runs them, not in other blocks."""
    for page in PAGES:
        text = page.read_text("utf-8")
        for fence in re.finditer(r"^ *```(\w*)\n(.*?)^ *```", text, flags=re.M | re.S):
            if fence[1] in ("", "text", "console", "bash", "shell"):
                assert not re.search(r"^\s*(\.venv/bin/jdgen|make)\b", fence[2], flags=re.M), (
                    f"{page.name}: a command outside a ```sh block: {fence[2][:60]!r}"
                )


def it_describes_every_make_target():
    makefile = (REPO / "Makefile").read_text("utf-8")
    targets = re.findall(r"^([a-z-]+):.*## ", makefile, flags=re.M)
    described = (REPO / "docs/commands.md").read_text("utf-8")
    assert len(targets) > 10
    assert [t for t in targets if f"`make {t}`" not in described and f"`make {t} " not in described] == []


@pytest.mark.slow
def it_builds_the_site_in_strict_mode(tmp_path):
    """mkdocs fails on a page missing from the nav, a broken link or anchor; the hook makes the
    format reference in both languages."""
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", REPO / "mkdocs.yml", "-d", site],
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    for page in ["index", "hr", "commands", "format", "reference", "reference-et", "templates", "design"]:
        assert (site / f"{page}.html").is_file(), page
    english = (site / "reference.html").read_text("utf-8")
    estonian = (site / "reference-et.html").read_text("utf-8")
    assert "Teenistuskoht" in english and "Vormingu kirjeldus" in estonian


REFERENCES = {"en": REPO / "docs/reference.md", "et": REPO / "docs/reference-et.md"}


def the_reference(language: str) -> str:
    env = {**os.environ, "LANGUAGE": language, "LC_ALL": "", "LANG": "C.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-m", "jdgen", "-C", REPO, "schema", "--reference"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.mark.parametrize("language", list(REFERENCES))
def it_makes_the_format_reference_from_the_models_and_the_project(language):
    text = the_reference(language)
    for model in (Organisation, Unit, Position, Directive, Task):
        for name in model.model_fields:
            assert re.search(rf"^\| `{name}` \|", text, flags=re.M), (model.__name__, name)
    rows = {row.split(" | ")[0].strip("| `"): row for row in text.splitlines() if row.startswith("| `")}
    assert "| Vahetu juht |" in rows["reports_to"]  # the template's label
    assert "<code>reports_to:&nbsp;" in rows["reports_to"]  # an example as the project writes it
    assert "!include&nbsp;positions/_shared/oigused.yaml" in rows["rights"]
    said = rows["in_force"].split(" | ")[4]
    assert ("Date of entry into force" in said) == (language == "en"), said
    # what the docs keep is what jdgen makes now: `make docs` writes it anew
    assert REFERENCES[language].read_text("utf-8") == text, f"{REFERENCES[language]}: run make docs"
