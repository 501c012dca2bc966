"""The backbone: each shipped directive built from its YAML reads word for word like the published one.

The references are the registers' texts of the signed PDFs (`reference/<stem>.txt` of each shipped
project: SKA's nr 177, and each agency's under examples/). Only whitespace is normalised, and the
register's metadata tables ("| Viit | … |") are not part of the document. The few places where a
built document must differ from its text are listed, each with its reason, in
`reference/<stem>.known-differences.txt`: any other difference, or a listed one that no longer
occurs, fails the test with a word diff. Where the register had only part of the text (`partial:`
in that file), the built document must begin with that part.
"""

from __future__ import annotations

import difflib

import pytest

import readback
from conftest import DIRECTIVE_177, PROJECTS, SHIPPED, SKA, Shipped, run_jdgen


def reference_words(shipped: Shipped) -> list[str]:
    """The document part of the reference: its lines without the register's metadata tables; of a
    partial text, without its last word (the register's excerpt may end inside a word)."""
    lines = shipped.reference.read_text(encoding="utf-8").splitlines()
    words = readback.words("\n".join(line for line in lines if not line.lstrip().startswith("|")))
    return words[:-1] if shipped.partial else words


def differences(expected: list[str], actual: list[str], *, partial: bool = False) -> tuple[list[str], int]:
    """The non-equal stretches as readable lines, and how many reference words were matched; with
    `partial`, what the document has after the reference's end is not a difference."""
    matcher = difflib.SequenceMatcher(None, expected, actual, autojunk=False)
    opcodes = matcher.get_opcodes()
    if partial and opcodes and opcodes[-1][0] == "insert":
        opcodes = opcodes[:-1]
    found, matched = [], 0
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            matched += i2 - i1
        elif op == "delete":
            found.append(f"missing: {' '.join(expected[i1:i2])}")
        elif op == "insert":
            found.append(f"added: {' '.join(actual[j1:j2])}")
        else:
            found.append(f"changed: {' '.join(expected[i1:i2])} => {' '.join(actual[j1:j2])}")
    return found, matched


def word_diff(expected: list[str], actual: list[str], limit: int = 60) -> str:
    diff = difflib.unified_diff(expected, actual, "reference", "built", n=4, lineterm="")
    return "\n".join(list(diff)[:limit])


def compare(shipped: Shipped, docx) -> tuple[list[str], int, str]:
    """The differences of a built document from the shipped reference, the words matched, a report."""
    expected = reference_words(shipped)
    actual = readback.words(readback.text(docx))
    found, matched = differences(expected, actual, partial=shipped.partial)
    report = (
        f"{matched} of {len(expected)} reference words in place ({matched / len(expected):.2%}); "
        "differences:\n"
        + "\n".join(found)
        + "\n\nfirst lines of the word diff:\n"
        + word_diff(expected, actual)
    )
    return found, matched, report


@pytest.fixture(scope="module", params=SHIPPED, ids=lambda shipped: shipped.name)
def built(request, tmp_path_factory):
    shipped = request.param
    out = tmp_path_factory.mktemp("golden")
    assert run_jdgen("build", shipped.root / shipped.directive, "-o", out, "--project", shipped.root) == 0
    return shipped, out / f"{shipped.reference.stem}.docx"


def it_ships_a_published_text_for_every_example():
    """Every shipped project is compared: SKA's nr 177 wherever it is, and each agency's."""
    assert len(PROJECTS) >= 2
    assert {s.root for s in SHIPPED} >= {p for p in PROJECTS if (p / "reference").is_dir()} | {SKA}
    assert Shipped(SKA, DIRECTIVE_177) in SHIPPED


def it_reproduces_each_published_directive_word_for_word(built):
    shipped, docx = built
    found, matched, report = compare(shipped, docx)
    # a whole published text: all but a few words in place; a partial one is short, so a page
    # number or a column the PDF put elsewhere weighs more
    assert matched / len(reference_words(shipped)) >= (0.95 if shipped.partial else 0.995), report
    assert found == shipped.known_differences, report


def it_starts_with_the_directive_and_ends_where_the_published_text_ends(built):
    shipped, docx = built
    actual = readback.words(readback.text(docx))
    expected = reference_words(shipped)
    assert actual[:4] == expected[:4]
    if not shipped.partial:
        assert actual[-8:] == expected[-8:]
