"""Comparing texts word by word: the word diff that `diff` and `import` show, and how alike two texts are.

Pure functions; spacing and line breaks never count as a difference.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence


def word_opcodes(old: Sequence[str], new: Sequence[str]) -> Sequence[tuple[str, int, int, int, int]]:
    """difflib's opcodes between two lists of words (no junk heuristics: every word counts)."""
    return difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()


def word_parts(old: str, new: str) -> list[tuple[str, str]]:
    """The words of `new` against `old`, in runs: ("", kept), ("-", removed), ("+", added)."""
    a, b = old.split(), new.split()
    parts = []
    for op, i1, i2, j1, j2 in word_opcodes(a, b):
        if op == "equal":
            parts.append(("", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            parts.append(("+", " ".join(b[j1:j2])))
    return parts


def word_diff(old: str, new: str) -> str:
    """`[-removed words-]{+added words+}` between the unchanged words."""
    marks = {"": ("", ""), "-": ("[-", "-]"), "+": ("{+", "+}")}
    return " ".join(marks[kind][0] + words + marks[kind][1] for kind, words in word_parts(old, new))


def alike(old: Sequence[str], new: Sequence[str]) -> float:
    """How alike two lists of words are, from 0 (nothing shared) to 1 (the same words)."""
    return difflib.SequenceMatcher(None, old, new, autojunk=False).ratio()
