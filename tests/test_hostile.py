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

from conftest import REPO, run_jdgen, write

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
    if how == "alias inside itself":
        return (text + "extra: &self [1, *self]\n").encode()
    if how == "nested just under libyaml's limit":
        return (text + "extra: " + "[" * 990 + "]" * 990 + "\n").encode()
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
        ("alias inside itself", f"{EKSPERT}:71:8: the file expands to too many values"),
        ("nested just under libyaml's limit", f"{EKSPERT}:1:1: the YAML is nested too deeply"),
        (
            "python tag",
            f"{EKSPERT}:71:8: YAML syntax: could not determine a constructor for the tag "
            "'tag:yaml.org,2002:python/object/apply:os.system' — only !include is allowed as a tag",
        ),
        ("BEL character", f"{EKSPERT}:3:11: invalid control character U+0007 in the text"),
        ("empty file", f"{EKSPERT}:1:1: the file is empty — fill it in or delete it"),
        ("Latin-1 bytes", f"{EKSPERT}:9:58: the file is not UTF-8 text (byte 0xe4)"),
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
        f"{EKSPERT}:1:1: the file is too large (51200 KiB) — "
        "a YAML file of jdgen is at most 2048 KiB; split it"
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


DIRECTIVE = "directives/uus.yaml"


def place(text: str, needle: str) -> str:
    """`line:column` of the first `needle` in `text`, as jdgen counts them (from 1)."""
    index = text.index(needle)
    return f"{text.count(chr(10), 0, index) + 1}:{index - text.rfind(chr(10), 0, index)}"


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize(
    ("day", "why"),
    [
        ("2024-02-30", "that month has no such day"),
        ("2025-04-31", "that month has no such day"),
        ("2024-13-45", "the month is 01 to 12"),
        ("0000-01-01", "the year starts from 1"),
    ],
)
@pytest.mark.parametrize("field", ["date", "in_force", "repeals[1].date"])
def it_refuses_an_impossible_date_in_any_date_field(
    small_project, tmp_path, capsys, command, day, why, field
):
    path = small_project / DIRECTIVE
    text = path.read_text("utf-8")
    if field == "date":
        text = text.replace("date: 2025-03-04", f"date: {day}")
    elif field == "in_force":
        text = text.replace("in_force: 2025-04-01", f"in_force: {day}")
    else:
        text += f"repeals:\n  - {{date: {day}, number: 3, title: Ametijuhendi kinnitamine}}\n"
    path.write_text(text, encoding="utf-8")
    arguments = ["-o", tmp_path / "out"] if command == "build" else []
    assert run_jdgen(command, "--project", small_project, *arguments) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{DIRECTIVE}:{place(text, day)}: {day} is not a real date ({why}) — "
        "write a day that exists, as YYYY-MM-DD, e.g. 2024-12-13",
        "1 error(s), 0 warning(s)",
    ]
    assert not (tmp_path / "out").exists()


def it_refuses_a_number_of_five_thousand_digits(small_project, capsys):
    path = small_project / DIRECTIVE
    path.write_text(path.read_text("utf-8").replace("number: 12", "number: " + "7" * 5000), "utf-8")
    assert run_jdgen("check", "--project", small_project) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{DIRECTIVE}:1:9: the number 777777777777… is far too long (5000 characters) — "
        "shorten it, or write it in quotes if it is meant as text",
        "1 error(s), 0 warning(s)",
    ]


@pytest.mark.parametrize("character", ["\ufffe", "\uffff"])
def it_refuses_a_noncharacter_with_its_line_and_column(small_project, capsys, character):
    path = small_project / "positions/osakond/analyytik.yaml"
    text = path.read_text("utf-8").replace("purpose: Analüüside", f"purpose: Analüü{character}side")
    path.write_text(text, encoding="utf-8")
    assert run_jdgen("check", "--project", small_project) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"positions/osakond/analyytik.yaml:{place(text, character)}: invalid control character "
        f"U+{ord(character):04X} in the text — delete it (it was probably pasted in by accident)",
        "1 error(s), 0 warning(s)",
    ]


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize(("escape", "code"), [("\\x01", "0001"), ("\\v", "000B"), ("\\f", "000C")])
def it_refuses_an_escaped_control_character_in_check_and_build(
    small_project, tmp_path, capsys, command, escape, code
):
    path = small_project / "positions/osakond/analyytik.yaml"
    text = path.read_text("utf-8").replace("title: Analüütik", f'title: "Analüü{escape}tik"')
    path.write_text(text, encoding="utf-8")
    arguments = ["-o", tmp_path / "out"] if command == "build" else []
    assert run_jdgen(command, "--project", small_project, *arguments) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"positions/osakond/analyytik.yaml:1:8: the text holds the invisible control character U+{code} "
        "— delete the escape (such as \\x01 or \\v) from the quoted text",
        "1 error(s), 0 warning(s)",
    ]


@pytest.mark.parametrize(
    ("source", "why"),
    [
        (
            "templates/kaskkiri.docx",
            "it holds template tags ({{ directive.date_text }}), so it is a template",
        ),
        (
            "README.md",
            "found neither an annex header (KINNITATUD …) nor a job description's title (AMETIJUHEND)",
        ),
    ],
)
def it_refuses_to_import_what_is_no_published_directive(example_project, capsys, monkeypatch, source, why):
    if source == "README.md":
        (example_project / source).write_bytes((REPO / source).read_bytes())
    monkeypatch.chdir(example_project)
    before = sorted(p for p in example_project.rglob("*"))
    assert run_jdgen("import", source, "--into", "positions/uus") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{source}: not a published directive: {why}; nothing was written — give the register's text "
        "(.txt), or the signed .pdf or .docx of a directive or job description",
        "1 error(s), 0 warning(s)",
    ]
    assert sorted(p for p in example_project.rglob("*")) == before
