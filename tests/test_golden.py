"""The backbone: directive nr 177 built from the YAML reads word for word like the published one.

The reference is the register's text of the signed PDF (tests/golden/). Only whitespace is
normalised. The few places where the built document must differ from that text are listed, each
with its reason, in tests/golden/ska-kaskkiri-177.known-differences.txt: any other difference, or
a listed one that no longer occurs, fails the test with a word diff.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import readback

GOLDEN = Path(__file__).parent / "golden"
REFERENCE = GOLDEN / "ska-kaskkiri-177.txt"
KNOWN = GOLDEN / "ska-kaskkiri-177.known-differences.txt"


def reference_words() -> list[str]:
    """The document part of the reference: from "KÄSKKIRI" to the last review sentence.

    The register's metadata tables above and below are not part of the document.
    """
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    start = lines.index("KÄSKKIRI")
    end = max(i for i, line in enumerate(lines) if line.startswith("Ametijuhend vaadatakse üle"))
    return readback.words("\n".join(lines[start : end + 1]))


def differences(expected: list[str], actual: list[str]) -> tuple[list[str], int]:
    """The non-equal stretches as readable lines, and how many reference words were matched."""
    matcher = difflib.SequenceMatcher(None, expected, actual, autojunk=False)
    found, matched = [], 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            matched += i2 - i1
        elif op == "delete":
            found.append(f"missing: {' '.join(expected[i1:i2])}")
        elif op == "insert":
            found.append(f"added: {' '.join(actual[j1:j2])}")
        else:
            found.append(f"changed: {' '.join(expected[i1:i2])} => {' '.join(actual[j1:j2])}")
    return found, matched


def known_differences() -> list[str]:
    lines = KNOWN.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def word_diff(expected: list[str], actual: list[str], limit: int = 60) -> str:
    diff = difflib.unified_diff(expected, actual, "reference", "built", n=4, lineterm="")
    return "\n".join(list(diff)[:limit])


def it_reproduces_directive_177_word_for_word(built_177):
    expected = reference_words()
    actual = readback.words(readback.text(built_177))
    found, matched = differences(expected, actual)
    share = matched / len(expected)
    report = (
        f"{matched} of {len(expected)} reference words in place ({share:.2%}); "
        f"differences:\n"
        + "\n".join(found)
        + "\n\nfirst lines of the word diff:\n"
        + word_diff(expected, actual)
    )
    assert share >= 0.995, report
    assert found == known_differences(), report


def it_starts_with_the_directive_and_ends_with_the_last_review_sentence(built_177):
    actual = readback.words(readback.text(built_177))
    expected = reference_words()
    assert actual[:5] == expected[:5] == ["KÄSKKIRI", "13.12.2024", "nr", "177", "Ametijuhendite"]
    assert actual[-8:] == expected[-8:]
