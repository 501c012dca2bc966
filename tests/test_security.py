"""The security promises (docs/security.md), each against the attack that broke it once.

The threat: a project, a template or a signed file received from someone else. jdgen reads them;
nothing in them may run code, read or write outside the project, or make jdgen call a forgery a
match. Every test here failed on the code before the promise was kept.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import docx
import pytest

from jdgen.document import sandbox

from conftest import DIRECTIVE_177, SKA, git, run_jdgen

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


@pytest.mark.parametrize(
    "body",
    [
        "{% set u = s ~ t %}{% set u = s ~ t %}{% set u = s ~ t %}",  # joins only
        "{% if s == t %}{% endif %}{% if s == t %}{% endif %}{% if s == t %}{% endif %}",  # long texts
    ],
)
def it_reads_the_clock_in_a_long_loop_whose_body_calls_nothing(small_project, capsys, monkeypatch, body):
    """A loop's turns are counted before it starts, but a long loop reads the clock every turn: a
    body without calls or inner loops (joins, comparisons of a long text) ran for hours unstopped."""
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.5)
    texts = "{% set s = 'x' * 1000000 %}{% set t = 'x' * 1000000 %}"
    tag = f"{texts}{{% for i in range(1000000) %}}{body}{{% endfor %}}"
    add_to_template(small_project, tag)
    started = time.monotonic()
    assert run_jdgen("check", "--project", small_project) == 1
    assert time.monotonic() - started < 30
    assert errors_of(capsys)[0].startswith(
        f"{TEMPLATE}: template error: the template runs longer than 0.5 seconds"
    )


def it_still_lets_a_template_compute_what_a_document_needs(small_project, tmp_path):
    """Arithmetic, formats, joins, loops over data and macros stay as they were."""
    add_to_template(
        small_project,
        "{% macro n(a) %}{{ a.number }}{% endmacro %}"
        "{% for a in annexes %}[{{ n(a) }}/{{ loop.length }}{{ loop|between }}]{% endfor %} "
        "{{ '%03d' % 7 }} {{ '{:>4}'.format('x') }} {{ (2 ** 10) * 3 }} {{ ['a', 'b']|join('-') }} "
        "{{ 'ab' * 3 }} {{ range(3)|list }} {{ directive.title|upper }} "
        "{{ ', '.join(['a', 'b']|map('upper')) }} {{ '%(x)s!' % {'x': 'y'} }}",
    )
    assert run_jdgen("build", "--project", small_project, "-o", tmp_path / "out") == 0
    text = "\n".join(p.text for p in docx.Document(tmp_path / "out/uus.docx").paragraphs)
    assert "[1/1] 007    x 3072 a-b ababab [0, 1, 2] AMETIJUHENDI KINNITAMINE A, B y!" in text


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


# -- nothing is read or written outside the project --------------------------------------------

UNIT_177 = "positions/oiguse-ja-jarelevalve-osakond/jarelevalve-talitus"


def without_positions(project: Path) -> Path:
    """SKA's project without nr 177 and its positions, ready to import them again."""
    for path in (project / UNIT_177).glob("[!_]*.yaml"):
        path.unlink()
    (project / DIRECTIVE_177).unlink()
    return project


@pytest.mark.parametrize("where", ["outside", "organisation.yaml", "a unit's file"])
def it_imports_a_directive_only_into_directives(example_project, tmp_path, capsys, where):
    project = without_positions(example_project)
    target = {
        "outside": tmp_path / "elsewhere.yaml",
        "organisation.yaml": Path("organisation.yaml"),
        "a unit's file": Path(UNIT_177) / "_unit.yaml",
    }[where]
    before = (project / "organisation.yaml").read_bytes()
    code = run_jdgen(
        "import", SKA / "reference/ska-2024-177.txt", "--into", project / UNIT_177, "--project", project,
        "--directive", target, "--force",
    )  # fmt: skip
    assert code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"jdgen: --directive {target}: a directive's file goes into directives/, e.g. directives/NAME.yaml"
    )
    assert not (tmp_path / "elsewhere.yaml").exists()
    assert (project / "organisation.yaml").read_bytes() == before
    assert not list((project / UNIT_177).glob("[!_]*.yaml"))  # nothing written at all


def it_reads_no_directive_linked_from_outside(small_project, tmp_path_factory, capsys, tmp_path):
    outside = tmp_path_factory.mktemp("elsewhere") / "muu.yaml"
    outside.write_text((small_project / "directives/uus.yaml").read_text("utf-8"), "utf-8")
    (small_project / "directives/muu.yaml").symlink_to(outside)
    assert run_jdgen("build", "--project", small_project, "-o", tmp_path / "out") == 1
    assert errors_of(capsys)[0] == (
        "directives/muu.yaml: this is a link to a file outside the project folder: it is not read — "
        "copy the file into the project instead of linking to it"
    )
    assert not (tmp_path / "out").exists()


def it_says_which_directive_file_is_misnamed_before_a_build(small_project, capsys, tmp_path):
    """A line break in a file's name would split the build's line; a 245-byte name passes `check`
    and then fails to be written (its outputs' temporary names pass 255 bytes)."""
    directive = small_project / "directives/uus.yaml"
    directive.rename(small_project / "directives/uus\nnimi.yaml")
    assert run_jdgen("check", "--project", small_project) == 1
    assert errors_of(capsys)[0] == (
        "directives/uus\\nnimi.yaml: the file's name holds a control character (a line break?) — "
        "rename the file"
    )
    (small_project / "directives/uus\nnimi.yaml").rename(small_project / "directives" / ("d" * 240 + ".yaml"))
    assert run_jdgen("check", "--project", small_project) == 1
    assert errors_of(capsys)[0] == (
        f"directives/{'d' * 240}.yaml: the file's name is 245 bytes long; a directive's is at most 200, "
        "as its outputs are named after it — rename the file"
    )


def it_imports_a_position_with_a_very_long_title(example_project, tmp_path, capsys):
    project = without_positions(example_project)
    lines = (SKA / "reference/ska-2024-177.txt").read_text("utf-8").splitlines()
    start = lines.index("AMETIJUHEND")
    end = next(i for i, line in enumerate(lines) if line.startswith("Ametijuhend vaadatakse üle"))
    title = "Peaspetsialist " + "x" * 305
    annex = [
        f"Teenistuskoht {title}" if line.startswith("Teenistuskoht ") else line
        for line in lines[start : end + 1]
    ]
    source = tmp_path / "lisa.txt"
    source.write_text("\n".join(annex) + "\n", "utf-8")
    assert run_jdgen("import", source, "--into", project / UNIT_177, "--project", project) == 0
    [written] = [p for p in (project / UNIT_177).glob("[!_]*.yaml")]
    assert written.name == "peaspetsialist.yaml"  # the file name is cut at a word, well under 255 bytes
    assert f"title: {title}" in written.read_text("utf-8")


# -- a template or a signed file that unpacks to gigabytes ----------------------------------------


def it_refuses_a_template_that_unpacks_to_gigabytes(small_project, capsys, tmp_path):
    import zipfile

    template = small_project / TEMPLATE
    with zipfile.ZipFile(template, "a") as archive:
        member = zipfile.ZipInfo("word/media/image1.png")
        member.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(member, "w", force_zip64=True) as stream:
            for _ in range(300):
                stream.write(bytes(1024 * 1024))
    assert template.stat().st_size < 2 * 1024 * 1024
    assert run_jdgen("build", "--project", small_project, "-o", tmp_path / "out") == 1
    assert errors_of(capsys)[0].startswith(
        f"{TEMPLATE}: the file unpacks to 300 MB, more than a document has (256 MB at most) — "
        "a template is a Word file of some hundred kilobytes"
    )


def it_says_a_pdf_whose_stream_unpacks_to_a_gigabyte_differs(tmp_path, capsys):
    """pypdf stops inflating at its limit; that is a difference jdgen says, not an internal error."""
    import zlib

    packer = zlib.compressobj(9)
    bomb = b"".join(packer.compress(bytes(1 << 20)) for _ in range(1024)) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Type /Metadata /Subtype /XML /Filter /FlateDecode /Length %d >>\nstream\n" % len(bomb)
        + bomb
        + b"\nendstream",
    ]
    data, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    pdf = tmp_path / "ska-2024-177.pdf"
    pdf.write_bytes(bytes(data))
    assert run_jdgen("verify", pdf, "--project", SKA) == 1
    out = capsys.readouterr()
    said = out.out.splitlines()
    assert said and said[-1] == "not signed" and "internal error" not in out.out, out.err


def it_renames_every_file_of_a_build_though_a_ctrl_c_comes_between(tmp_path):
    """Ctrl-C (here raised the moment the first file is in place, as the second is renamed) waits
    until all the staged files are: never a new DOCX beside an old PDF. The signal is raised from
    Python's audit hook of the rename itself, so it comes at the same point on every run."""
    import signal

    from jdgen.output import Outputs

    targets = [tmp_path / f"käskkiri-{n}.docx" for n in range(200)]
    for target in targets:
        target.write_bytes(b"old")
    outputs = Outputs()
    for target in targets:
        outputs.stage(target, b"new")
    seen: list[str] = []

    def ctrl_c_between_renames(event: str, arguments: tuple) -> None:
        if event == "os.rename" and not seen and str(arguments[1]) == str(targets[1]):
            seen.append(targets[0].read_bytes().decode())  # the first is in place, the second not yet
            signal.raise_signal(signal.SIGINT)

    # Ctrl-C as in a terminal, though the tests may run where it is ignored (nohup, `&`)
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    _AUDIT_HOOKS.append(ctrl_c_between_renames)
    try:
        with pytest.raises(KeyboardInterrupt):
            outputs.commit()
    finally:
        _AUDIT_HOOKS.remove(ctrl_c_between_renames)
        signal.signal(signal.SIGINT, before)
    assert seen == ["new"]
    assert {target.read_bytes() for target in targets} == {b"new"}


# Python's audit hooks cannot be taken away once added: one hook, for the whole session, runs
# those the tests put here.
_AUDIT_HOOKS: list = []
sys.addaudithook(
    lambda event, arguments: _AUDIT_HOOKS and [hook(event, arguments) for hook in list(_AUDIT_HOOKS)]
)
