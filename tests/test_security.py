"""The security promises (README: "Security"), each against the attack that broke it once.

The threat: a project, a template or a signed file received from someone else. jdgen reads them;
nothing in them may run code, read or write outside the project, or make jdgen call a forgery a
match. Every test here failed on the code before the promise was kept.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import docx
import pytest

from jdgen import sandbox

from conftest import git, run_jdgen

TEMPLATE = "templates/kaskkiri.docx"


def add_to_template(project: Path, text: str, *, footer: bool = False) -> None:
    template = project / TEMPLATE
    document = docx.Document(template)
    if footer:
        document.sections[0].footer.add_paragraph(text)
    else:
        document.add_paragraph(text)
    document.save(template)


def errors_of(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if ": warning:" not in line]


# -- a template runs in a sandbox, with limits ------------------------------------------------

RUNS_CODE = [
    "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
    "{{ joiner.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ directive.__class__ }}",
    "{% set x = [] %}{{ x.append(1) }}",
]


@pytest.mark.parametrize("tag", RUNS_CODE)
@pytest.mark.parametrize("footer", [False, True], ids=["body", "footer"])
def it_refuses_a_template_that_reaches_for_python(small_project, capsys, tag, footer):
    add_to_template(small_project, f"Tekst {tag}", footer=footer)
    name = tag.split(".")[1].split("(")[0] if "." in tag else tag
    assert run_jdgen("check", "--project", small_project) == 1
    said = errors_of(capsys)
    assert said[0].startswith(f"{TEMPLATE}: template error: the template may not use '"), said
    assert said[0].endswith(f" — near: Tekst {tag}") and said[1].startswith("1 error(s)")
    assert name and not (small_project / "PWNED").exists() and not Path("PWNED").exists()


def it_reads_no_file_through_a_template(small_project, capsys, tmp_path):
    add_to_template(small_project, "{{ lipsum.__globals__['os'].environ }}")
    assert run_jdgen("build", "--project", small_project, "-o", tmp_path / "out") == 1
    assert errors_of(capsys)[0] == (
        f"{TEMPLATE}: template error: the template has no value 'lipsum' — near: "
        "{{ lipsum.__globals__['os'].environ }}"
    )
    assert not (tmp_path / "out").exists()


TOO_LARGE = "makes a value of more than 2,000,000 characters or items"


@pytest.mark.parametrize(
    ("tag", "said"),
    [
        (
            "{{ 'x' * 3000000000 }}",
            "makes a value of more than 2,000,000 characters or items (3,000,000,000)",
        ),
        ("{{ 9 ** 999999999 }}", "makes a value of more than 2,000,000 characters or items"),
        ("{{ [[1] * 100000] * 100000 }}", "makes a value of more than 2,000,000 characters or items"),
        ("{{ '%0999999999d' % 1 }}", "formats with a width of 999999999, more than 100,000"),
        ("{{ '{:>999999999}'.format(1) }}", "formats with a width of >999999999, more than 100,000"),
        ("{{ ('x' * 999999).replace('', 'yy') }}", "makes a value of more than 2,000,000"),
        ("{{ 'a'|center(999999999) }}", "uses the number 999999999, larger than 2,000,000"),
        ("{{ range(10)|join('x' * 1999999) }}", "makes a value of more than 2,000,000"),
        (
            "{{ range(-1000000, 1500000)|list }}",
            "makes a value of more than 2,000,000 characters or items (2,500,000)",
        ),
        (
            "{% macro f(s, n) %}{% if n %}{{ f(s ~ s, n - 1) }}{% endif %}{% endmacro %}{{ f('x', 40) }}",
            "makes a value of more than 2,000,000 characters or items (2,097,152)",
        ),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "takes more than 5,000,000 steps (turns of loops and calls)",
        ),
    ],
)
def it_stops_a_template_that_computes_too_much(small_project, capsys, tag, said):
    add_to_template(small_project, tag)
    assert run_jdgen("check", "--project", small_project) == 1
    line = errors_of(capsys)[0]
    assert line.startswith(f"{TEMPLATE}: template error: the template {said}"), line
    assert line.endswith(f" — near: {tag}")


def it_stops_a_template_that_runs_too_long(small_project, capsys, monkeypatch):
    """The clock is the last guard (the steps above come first): here made short, as the template's
    many calls would otherwise take the real limit's two minutes."""
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.5)
    tag = "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}"
    add_to_template(small_project, tag)
    started = time.monotonic()
    assert run_jdgen("check", "--project", small_project) == 1
    assert time.monotonic() - started < 10
    assert errors_of(capsys)[0] == (
        f"{TEMPLATE}: template error: the template runs longer than 0.5 seconds — near: {tag}"
    )


def it_still_lets_a_template_compute_what_a_document_needs(small_project, tmp_path):
    """Arithmetic, formats, joins, loops over data and macros stay as they were."""
    add_to_template(
        small_project,
        "{% macro n(a) %}{{ a.number }}{% endmacro %}"
        "{% for a in annexes %}[{{ n(a) }}/{{ loop.length }}{{ loop|between }}]{% endfor %} "
        "{{ '%03d' % 7 }} {{ '{:>4}'.format('x') }} {{ (2 ** 10) * 3 }} {{ ['a', 'b']|join('-') }} "
        "{{ 'ab' * 3 }} {{ range(3)|list }} {{ directive.title|upper }}",
    )
    assert run_jdgen("build", "--project", small_project, "-o", tmp_path / "out") == 0
    text = "\n".join(p.text for p in docx.Document(tmp_path / "out/uus.docx").paragraphs)
    assert "[1/1] 007    x 3072 a-b ababab [0, 1, 2] AMETIJUHENDI KINNITAMINE" in text


# -- the template is a file of the project -------------------------------------------------


@pytest.mark.parametrize("where", ["absolute", "parent", "symlink"])
def it_reads_no_template_from_outside_the_project(small_project, tmp_path_factory, capsys, where):
    outside = tmp_path_factory.mktemp("elsewhere") / "kaskkiri.docx"
    (small_project / TEMPLATE).rename(outside)
    organisation = small_project / "organisation.yaml"
    text = organisation.read_text("utf-8")
    if where == "absolute":
        written = str(outside)
    elif where == "parent":
        written = os.path.relpath(outside, small_project)
    else:
        (small_project / TEMPLATE).symlink_to(outside)
        written = TEMPLATE
    organisation.write_text(text.replace(f"template: {TEMPLATE}", f"template: {written}"), "utf-8")
    line = next(n for n, t in enumerate(organisation.read_text("utf-8").splitlines(), 1) if "template:" in t)
    for command in ("check", "build"):
        assert run_jdgen(command, "--project", small_project, "-o" if command == "build" else "--debug",
                         *([small_project / "out"] if command == "build" else [])) == 1  # fmt: skip
        said = errors_of(capsys)
        kind = "is an absolute path" if where == "absolute" else "points outside the project folder"
        assert said[0].startswith(f"organisation.yaml:{line}:11: template {written!r} {kind} — "), said
    assert not (small_project / "out").exists()


# -- a git revision is a revision, never an option ---------------------------------------------


@pytest.mark.parametrize(
    ("revision", "code", "said"),
    [
        ("--output=EMPTIED", 2, "jdgen: '--output=EMPTIED' is not a git revision: give one such as HEAD~1, "
         "a commit or origin/main"),
        ("-p", 2, "jdgen: '-p' is not a git revision: give one such as HEAD~1, a commit or origin/main"),
        ("no-such-branch", 1, "git: no commit 'no-such-branch' in this repository — name a revision that "
         "exists, e.g. HEAD~1 or origin/main (git log lists them)"),
    ],
)  # fmt: skip
def it_takes_a_revision_only_as_a_revision(small_project, capsys, monkeypatch, revision, code, said):
    git(small_project, "init", "-q")
    git(small_project, "add", ".")
    git(small_project, "commit", "-qm", "alustus")
    victim = small_project / "EMPTIED"
    victim.write_text("kept\n", "utf-8")
    monkeypatch.chdir(small_project)
    assert run_jdgen("build", f"--changed-since={revision}", "-o", "out") == code
    assert errors_of(capsys)[0] == said
    assert victim.read_text("utf-8") == "kept\n"
    assert run_jdgen("build", "--changed-since=HEAD", "-o", "out") == 0
