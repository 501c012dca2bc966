"""No input reaches exit 3 (docs/security.md): every command, driven with generated names, paths,
patterns, titles and numbers, ends in 0 (done), 1 (the input is wrong, said in lines) or 2 (the
command line is wrong, said in one line). Exit 3 is a bug of jdgen's, never the user's doing.

Hypothesis draws the values (a fixed derivation, so CI sees the same examples each run); each
example writes them where a user would (a file name, an `!include`, organisation.yaml, `-o`, `-C`,
`--title`) and runs the command in this process. The findings that once gave exit 3 are examples
of their own (`@example`), so they stay covered whatever Hypothesis draws.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jdgen.cli.main import main
from jdgen.project.assembly import assemble

from conftest import SKA, analyst, write

EXAMPLES = int(os.environ.get("JDGEN_FUZZ_EXAMPLES", "250")) // 5
LONG = "a" * 300  # a name past the file system's 255 bytes
NAME = st.one_of(
    st.text(min_size=1, max_size=40),
    st.text(alphabet="aä-_ .\n\t/\\:*?", min_size=1, max_size=300),
    st.integers(1, 400).map(lambda n: "b" * n),
)
PATTERN = st.one_of(
    st.text(alphabet="{}!:0nrxumbetild ", max_size=20),
    st.sampled_from(
        ["{number", "nr }", "{number!z}", "{title:d}", "{0}", "{foo}", "{number.__class__}", "{}"]
    ),
)
NUMBER = st.one_of(
    st.integers(-(10**40), 10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["1.5e300", "-1", "0", "0x1F", "'007'", ".inf", "true", "2.1-2/26/001"]),
)


def small_project(root: Path) -> Path:
    shutil.copy(SKA / "organisation.yaml", root / "organisation.yaml")
    shutil.copytree(SKA / "templates", root / "templates")
    write(root, "positions/osakond/_unit.yaml", "name: Arendusosakond\ngenitive: arendusosakonna\n")
    write(root, "positions/_shared/oigused.yaml", "- teha kaugtööd\n")
    write(root, "positions/osakond/analyytik.yaml", analyst("positions/_shared/oigused.yaml"))
    write(
        root,
        "directives/uus.yaml",
        "number: 12\ndate: 2025-03-04\ntitle: Ametijuhendi kinnitamine\nunit: positions/osakond\n"
        "annexes:\n  - positions/osakond/analyytik.yaml\nin_force: 2025-04-01\n",
    )
    return root


def run(root: Path, *args: str) -> tuple[int, str]:
    """jdgen in `root`, its exit code and what it said on stderr."""
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err), contextlib.chdir(root):
        try:
            code = main([*args])
        except SystemExit as exit:  # argparse's own refusal of the command line
            code = exit.code if isinstance(exit.code, int) else 3
    return code, err.getvalue()


def assert_not_a_bug(code: int, said: str) -> None:
    assert code in (0, 1, 2), said
    assert "internal error" not in said and "Traceback" not in said, said


FAST = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@FAST
@given(name=NAME)
@example(name=LONG)
def it_answers_any_include_name(name):
    with tempfile.TemporaryDirectory() as folder:
        root = small_project(Path(folder))
        write(root, "positions/osakond/analyytik.yaml", analyst(f"positions/_shared/{name}.yaml"))
        assert_not_a_bug(*run(root, "check"))


@FAST
@given(name=NAME)
@example(name=LONG)
@example(name="evil\nname")
@example(name="d" * 245)
def it_answers_any_directive_file_name(name):
    with tempfile.TemporaryDirectory() as folder:
        root = small_project(Path(folder))
        target = root / "directives" / f"{name}.yaml"
        try:
            (root / "directives/uus.yaml").rename(target)
        except (OSError, ValueError):
            return  # a name the file system takes no file by
        checked = run(root, "check")
        built = run(root, "build", "-o", "out")
        assert_not_a_bug(*checked)
        assert_not_a_bug(*built)
        if target.parent == root / "directives" and not target.name.startswith(("_", ".")):
            # still a directive: check passes => build passes
            assert checked[0] != 0 or built[0] == 0, built[1]


@FAST
@given(path=NAME, option=st.sampled_from(["-o", "-C", "file"]))
@example(path=LONG, option="-o")
@example(path=LONG, option="-C")
@example(path=f"/tmp/{LONG}/x", option="-o")
@example(path=f"{LONG}/x.yaml", option="file")
def it_answers_any_path_on_the_command_line(path, option):
    with tempfile.TemporaryDirectory() as folder:
        root = small_project(Path(folder))
        if option == "-C":
            said = run(root, "-C", path, "check")
        elif option == "-o":
            said = run(root, "build", "-o", path)
        else:
            said = run(root, "check", path)
        assert_not_a_bug(*said)


@FAST
@given(
    pattern=PATTERN,
    key=st.sampled_from(["pdf_bookmark_directive", "pdf_bookmark_annex", "container_file_name", "keywords"]),
)
def it_checks_every_name_pattern_as_the_build_uses_it(pattern, key):
    """A pattern `check` passes is one the DOCX, the PDF and the container can use (`named`)."""
    from jdgen.project.files import Project

    with tempfile.TemporaryDirectory() as folder:
        root = small_project(Path(folder))
        organisation = root / "organisation.yaml"
        organisation.write_text(
            organisation.read_text("utf-8") + f"{key}: {pattern!r}\n".replace("\\\\", "\\"), "utf-8"
        )
        code, said = run(root, "check")
        assert_not_a_bug(code, said)
        if code == 0:
            sources = assemble(Project(root), "directives/uus.yaml")
            assert sources is not None
            sources.named(getattr(sources.organisation, key))


@FAST
@given(number=NUMBER)
def it_answers_any_register_number(number):
    with tempfile.TemporaryDirectory() as folder:
        root = small_project(Path(folder))
        directive = root / "directives/uus.yaml"
        directive.write_text(directive.read_text("utf-8").replace("number: 12", f"number: {number}"), "utf-8")
        code, said = run(root, "build", "-o", "out")
        assert_not_a_bug(code, said)
        if code == 0:
            printed = (root / "out/uus.docx").exists()
            assert printed and not number.lstrip().startswith("-")


@FAST
@given(title=st.one_of(st.text(min_size=1, max_size=60), st.integers(1, 400).map(lambda n: "Ametikoht " * n)))
@example(title="y" * 300)
@example(title="Analüütik\x07 \x1b[31mpunane")
def it_answers_any_title_of_a_new_position(title):
    """`new position` writes a file that `check` reads, whatever the title (or refuses it)."""
    with tempfile.TemporaryDirectory() as folder:
        root = small_project(Path(folder))
        code, said = run(root, "new", "position", "--unit", "positions/osakond", "--title", title)
        assert_not_a_bug(code, said)
        if code == 0:
            written = [
                p
                for p in (root / "positions/osakond").glob("*.yaml")
                if p.name not in ("analyytik.yaml", "_unit.yaml")
            ]
            assert len(written) == 1 and len(written[0].name) <= 90
            checked, problems = run(root, "check", str(written[0].relative_to(root)))
            assert checked in (0, 1) and "control character" not in problems, problems
