"""The tags in a docxtpl template's text, read with Jinja's own lexer rather than with patterns.

A paragraph or a cell of the template is a piece of Jinja text, e.g. `{{ a.position.title }}` or
`{%p for a in annexes %}` (docxtpl's `{%p`, `{%tr`, `{%tc` and `{%r` open block tags of its own).
The authoring tools read the template's structure from these pieces: which variable a loop over
the annexes binds, which value a cell prints, the literal words around a tag.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import jinja2

_LEXER = jinja2.Environment()
_DOCXTPL_PREFIXES = ("p", "tr", "tc", "r")

Path = tuple[str, ...]


@dataclass(frozen=True)
class Piece:
    """Literal text (`tag` None), or one tag: 'variable' ({{ }}) or 'block' ({% %})."""

    text: str
    tag: str | None = None
    prefix: str = ""  # docxtpl's: "p" in `{%p if … %}`, "tc" in `{%tc for … %}`
    names: tuple[str, ...] = ()  # the tag's names in order, e.g. ("for", "a", "in", "annexes")
    paths: tuple[Path, ...] = ()  # its dotted names, e.g. (("a", "position", "title"),)


def pieces(text: str) -> list[Piece]:
    """The text cut into literal text and tags; an unfinished tag at the end stays literal text."""
    if "{" not in text:  # no tag can start: Jinja's lexer would give the text as it is
        return [Piece(text)] if text else []
    return list(_lexed(text))


@functools.lru_cache(maxsize=4096)
def _lexed(text: str) -> tuple[Piece, ...]:
    """`pieces` of a text with a brace, lexed once per text (the tools ask about a paragraph's
    tags several times: its values, its loops, its words)."""
    found: list[Piece] = []
    tag: str | None = None
    names: list[str] = []
    paths: list[list[str]] = []
    after_dot = False
    try:
        for _, kind, value in _LEXER.lex(text):
            if kind == "data":
                found.append(Piece(value))
            elif kind in ("variable_begin", "block_begin"):
                tag, names, paths, after_dot = kind.removesuffix("_begin"), [], [], False
            elif kind in ("variable_end", "block_end"):
                prefix = ""
                if tag == "block" and names[:1] and names[0] in _DOCXTPL_PREFIXES:
                    prefix, names, paths = names[0], names[1:], paths[1:]
                found.append(Piece("", tag, prefix, tuple(names), tuple(tuple(p) for p in paths)))
                tag = None
            elif kind == "name":
                names.append(value)
                if after_dot and paths:
                    paths[-1].append(value)
                else:
                    paths.append([value])
                after_dot = False
            elif kind == "operator":
                after_dot = value == "."
    except jinja2.TemplateSyntaxError:  # an unfinished tag: the rest is text as written
        consumed = sum(len(piece.text) for piece in found)
        found.append(Piece(text[consumed:]))
    return tuple(found)


def lexed_whole(text: str) -> bool:
    """Whether Jinja reads the text to its end (no unfinished tag or comment)."""
    try:
        for _ in _LEXER.lex(text):
            pass
    except jinja2.TemplateSyntaxError:
        return False
    return True


def has_tags(text: str) -> bool:
    return any(piece.tag for piece in pieces(text))


def literal(text: str) -> str:
    """The words the text prints whatever the values: the tags replaced by spaces."""
    return " ".join(piece.text if piece.tag is None else " " for piece in pieces(text))


def loop_over(text: str, iterable: str) -> str | None:
    """The variable of a `for` loop over `iterable` in the text (`a` in `{%p for a in annexes %}`)."""
    for piece in pieces(text):
        if piece.tag == "block" and piece.names[:1] == ("for",) and piece.names[2:4] == ("in", iterable):
            return piece.names[1]
    return None


def value_paths(text: str) -> list[Path]:
    """The dotted names the text's tags use, in order."""
    return [path for piece in pieces(text) for path in piece.paths]


def text_after(text: str, path: Path) -> str | None:
    """The literal text right after the value tag `{{ path }}`, up to the next tag."""
    return next(texts_after(text, path), None)


def texts_after(text: str, path: Path) -> Iterator[str]:
    """The literal text right after each value tag `{{ path }}`, each up to the next tag (a
    point's number printed in two branches: `{% if … %}{{ n }}. {{ own }}{% else %}{{ n }}. Kinnitan …`)."""
    found = pieces(text)
    for index, piece in enumerate(found[:-1]):
        if piece.tag == "variable" and piece.paths == (path,) and found[index + 1].tag is None:
            yield found[index + 1].text


def text_before(text: str, path: Path) -> str | None:
    """The literal text right before the value tag `{{ path }}`, back to the previous tag."""
    found = pieces(text)
    for before, piece in itertools.pairwise(found):
        if piece.tag == "variable" and piece.paths == (path,) and before.tag is None:
            return before.text
    return None


def word_before(text: str, prints: Callable[[Path], bool]) -> str | None:
    """The last word of the literal text right before a value tag whose name `prints` accepts."""
    found = pieces(text)
    for before, piece in itertools.pairwise(found):
        if piece.tag == "variable" and len(piece.paths) == 1 and prints(piece.paths[0]) and not before.tag:
            word = re.search(r"(\w+)\s*$", before.text)
            if word:
                return word.group(1)
    return None
