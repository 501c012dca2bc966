"""Input that must be refused safely: damaged real files, tags, alias bombs, escapes, huge files.

The damaged-file tests run the real `jdgen` command in a child process with its address space
capped, so a memory blow-up fails the test instead of the machine; the timeout only guards
against a hang (speed is measured by `make bench`, not here).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys

import pytest

from conftest import run_jdgen, write

EKSPERT = "positions/oiguse-ja-jarelevalve-osakond/jarelevalve-talitus/ekspert-projekt.yaml"
MEMORY_CAP = 1024 * 1024 * 1024  # bytes of address space for the child

ALIAS_BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9) if previous else '1, 2, 3, 4, 5, 6, 7, 8, 9'}]\n"
    for previous, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def jdgen_process(project, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "jdgen", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_cap_memory,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


def damage(text: str, how: str) -> bytes:
    if how == "bad indentation":
        return text.replace("\nreports_to:", "\n  reports_to:").encode()
    if how == "unknown key":
        return text.replace("\nreports_to:", "\nreport_to:").encode()
    if how == "alias bomb":
        return (text + ALIAS_BOMB).encode()
    if how == "python tag":
        return (text + 'extra: !!python/object/apply:os.system ["echo PWNED"]\n').encode()
    if how == "BEL character":
        return text.replace("title: Ekspert", "title: Eks\apert").encode()
    if how == "empty file":
        return b""
    if how == "Latin-1 bytes":
        return text.encode("latin-1", errors="replace")
    raise AssertionError(how)


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("bad indentation", f"{EKSPERT}:4:13: YAML syntax: mapping values are not allowed in this context"),
        ("unknown key", f"{EKSPERT}:4:1: report_to: unknown key 'report_to' — did you mean 'reports_to'?"),
        ("alias bomb", f"{EKSPERT}:76:4: the file expands to too many values"),
        (
            "python tag",
            f"{EKSPERT}:71:8: YAML syntax: could not determine a constructor for the tag "
            "'tag:yaml.org,2002:python/object/apply:os.system' — only !include is allowed as a tag",
        ),
        ("BEL character", f"{EKSPERT}:3:11: invalid control character U+0007 in the text"),
        ("empty file", f"{EKSPERT}:1:1: the file is empty — fill it in or delete it"),
        ("Latin-1 bytes", f"{EKSPERT}:9: the file is not UTF-8 text (byte 0xe4)"),
    ],
)
def it_refuses_a_damaged_real_position_file(example_project, how, expected):
    path = example_project / EKSPERT
    path.write_bytes(damage(path.read_text(encoding="utf-8"), how))
    result = jdgen_process(example_project, "check", EKSPERT)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert any(line.startswith(expected) for line in result.stderr.splitlines()), result.stderr
    assert "PWNED" not in result.stdout + result.stderr


def it_refuses_a_50_megabyte_file_by_its_size(example_project):
    path = example_project / EKSPERT
    with path.open("wb") as handle:
        handle.write(b"title: " + b"a" * (50 * 1024 * 1024) + b"\n")
    result = jdgen_process(example_project, "check", EKSPERT)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"{EKSPERT}: the file is too large (51200 KiB) — a YAML file of jdgen is at most 2048 KiB; split it"
    )


def it_refuses_an_include_through_a_symlink_out_of_the_project(small_project, tmp_path_factory, capsys):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.yaml").write_text("- salajane\n", encoding="utf-8")
    (small_project / "positions/_shared/link").symlink_to(outside, target_is_directory=True)
    position = small_project / "positions/osakond/analyytik.yaml"
    position.write_text(
        position.read_text("utf-8") + "knowledge: !include positions/_shared/link/secret.yaml\n",
        encoding="utf-8",
    )
    assert run_jdgen("check", "--project", small_project, position) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == (
        "positions/osakond/analyytik.yaml:9:12: !include 'positions/_shared/link/secret.yaml' points "
        "outside the project folder — keep shared files inside the project, e.g. under positions/_shared/"
    )


def it_refuses_yaml_nested_too_deeply(small_project, capsys):
    write(small_project, "positions/osakond/sugav.yaml", "title: " + "[" * 3000 + "]" * 3000 + "\n")
    assert run_jdgen("check", "--project", small_project, small_project / "positions/osakond/sugav.yaml") == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "positions/osakond/sugav.yaml:1:1007: YAML syntax: exceeded maximum nesting depth — a job "
        "description needs a few levels of indentation, not hundreds"
    )


def it_refuses_an_include_that_is_not_yaml(small_project, capsys):
    write(small_project, "positions/_shared/notes.txt", "hello\n")
    position = small_project / "positions/osakond/analyytik.yaml"
    position.write_text(
        position.read_text("utf-8") + "knowledge: !include positions/_shared/notes.txt\n", encoding="utf-8"
    )
    assert run_jdgen("check", "--project", small_project, position) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "positions/osakond/analyytik.yaml:9:12: positions/_shared/notes.txt is not a .yaml file "
        "— name YAML files *.yaml"
    )
