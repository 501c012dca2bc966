"""Fuzzing the project's real YAML files: whatever an editor can do to them, jdgen answers in lines.

Hypothesis mutates one of the example project's files (deletes, duplicates and swaps lines, flips
bytes, truncates, inserts unicode, changes indentation), then runs `check` and `build` as the user
would. What must hold: both exit 0 or 1; every problem line names a file of the project; a `check`
that passes means a `build` that passes; a `build` that passes wrote a DOCX that python-docx opens.
Each example has a deadline of a few seconds, so a hang or a blow-up is a failure too.

A fixed derivation (`derandomize`) and about a minute in `make test`; `make fuzz` runs many more
examples (JDGEN_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jdgen.cli.main import main

from conftest import SKA

pytestmark = pytest.mark.long  # `make test-long` (and CI), not the loop of `make test`

PROJECT_PARTS = ("organisation.yaml", "directives", "positions", "templates")
FILES = sorted(
    path.relative_to(SKA).as_posix()
    for part in PROJECT_PARTS
    for path in [SKA / part, *(SKA / part).rglob("*.yaml")]
    if path.suffix == ".yaml" and path.is_file()
)
EXAMPLES = int(os.environ.get("JDGEN_FUZZ_EXAMPLES", "250"))
# A problem line: a project file, maybe its line and column, then the message.
PROBLEM = re.compile(r"^(?P<file>[^\s:][^:]*?)(?::\d+(?::\d+)?)?: \S")
SUMMARY = re.compile(r"^\d+ error\(s\), \d+ warning\(s\)$")

LINE = st.integers(0, 10_000)
BYTE = st.integers(0, 1_000_000)
MUTATION = st.one_of(
    st.tuples(st.just("delete line"), LINE),
    st.tuples(st.just("duplicate line"), LINE),
    st.tuples(st.just("swap lines"), LINE, LINE),
    st.tuples(st.just("flip byte"), BYTE, st.integers(0, 7)),
    st.tuples(st.just("truncate"), BYTE),
    st.tuples(st.just("insert text"), BYTE, st.text(min_size=1, max_size=4)),
    st.tuples(st.just("indent"), LINE, st.integers(-4, 4)),
)


def mutate(data: bytes, mutation: tuple) -> bytes:
    how, *args = mutation
    lines = data.split(b"\n")
    if how == "delete line":
        del lines[args[0] % len(lines)]
    elif how == "duplicate line":
        index = args[0] % len(lines)
        lines.insert(index, lines[index])
    elif how == "swap lines":
        a, b = args[0] % len(lines), args[1] % len(lines)
        lines[a], lines[b] = lines[b], lines[a]
    elif how == "indent":
        index = args[0] % len(lines)
        lines[index] = b" " * args[1] + lines[index] if args[1] >= 0 else lines[index][-args[1] :]
    elif not data:
        return data
    elif how == "flip byte":
        index = args[0] % len(data)
        return data[:index] + bytes([data[index] ^ (1 << args[1])]) + data[index + 1 :]
    elif how == "truncate":
        return data[: args[0] % len(data)]
    elif how == "insert text":
        index = args[0] % (len(data) + 1)
        return data[:index] + args[1].encode("utf-8", "surrogatepass") + data[index:]
    return b"\n".join(lines)


def run(*arguments: str | Path) -> tuple[int, list[str]]:
    """jdgen in this process, as the command line runs it; its exit code and stderr lines."""
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main([str(a) for a in arguments])
    return code, err.getvalue().splitlines()


def assert_lines_name_files(project: Path, lines: list[str]) -> None:
    for line in lines:
        if SUMMARY.match(line):
            continue
        found = PROBLEM.match(line)
        assert found is not None, f"a problem line without a file: {line!r}"
        assert (project / found["file"]).exists() or (project / found["file"]).is_symlink(), line


@settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=5),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(file=st.sampled_from(FILES), mutations=st.lists(MUTATION, min_size=1, max_size=4))
def it_answers_every_damaged_file_in_lines(file, mutations):
    with tempfile.TemporaryDirectory(prefix="jdgen-fuzz-") as folder:
        project = Path(folder) / "project"
        for part in PROJECT_PARTS:
            source = SKA / part
            if source.is_dir():
                shutil.copytree(source, project / part)
            else:
                project.mkdir(exist_ok=True)
                shutil.copy(source, project / part)
        path = project / file
        data = path.read_bytes()
        for mutation in mutations:
            data = mutate(data, mutation)
        path.write_bytes(data)

        checked, check_lines = run("check", "--project", project)
        assert checked in (0, 1), check_lines
        assert_lines_name_files(project, check_lines)

        out = Path(folder) / "out"
        built, build_lines = run("build", "--project", project, "-o", out)
        assert built in (0, 1), build_lines
        assert_lines_name_files(project, build_lines)
        if checked == 0:
            assert built == 0, build_lines
        if built == 0:
            for document in out.glob("*.docx"):
                assert zipfile.ZipFile(document).testzip() is None
                assert docx.Document(str(document)).paragraphs
        else:
            assert not out.exists()
