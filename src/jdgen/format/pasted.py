"""Text pasted from Word, caught where it would print wrong: invisible characters (soft hyphens,
zero-width spaces), a word broken in two where Word's line ended ("ette- valmistamises"), a list
mark pasted with its item ("• …"), English quotes (“…”) and a quote left open.

Pure functions over the nodes of one YAML file as written (before its includes are put in): each
text of a file is checked once, where it was written, however many positions include it, and a
file that did not change need not be checked again. Each finding is a warning at the value's line,
quoting the text around it and saying what to type instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import Problem
from ..i18n import N_, _
from .located import KeyPath, key_path_text, node_location

_TEXT = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"

# Invisible in an editor and in Word, yet in the document: what each is, by code point.
INVISIBLE = {
    "\u00ad": N_("a soft hyphen"),
    "\u200b": N_("a zero-width space"),
    "\u200c": N_("a zero-width non-joiner"),
    "\u200d": N_("a zero-width joiner"),
    "\u2060": N_("a word joiner"),
    "\ufeff": N_("a byte order mark"),
}
_INVISIBLE = re.compile("[" + "".join(INVISIBLE) + "]")
# A hyphen after a letter, then a space and a word in lower case: a line break of Word's pasted
# with the text; not before a conjunction ("ette- ja järelvalmistamine", "riigi- või omavalitsuse").
_BROKEN = re.compile(
    r"(?<=\w)- (?!(?:ja|või|ning|ega|kui|kuni|ehk|vaid|and|or)\b)([a-zõäöüšž]\w*)", re.IGNORECASE
)
_WORD_BEFORE = re.compile(r"\w+$")
_LIST_MARK = re.compile(r"^\s*([•·▪●◦‣–—*])\s+\S")
_ENGLISH_OPENING = re.compile(r"(?:^|(?<=[\s(]))“(?=\w)")  # “ before a word: Estonian opens with „
# Where a finding can be in a file's text (a line may end after a hyphen; a backslash escapes any
# character): most files have none, and their nodes are not walked at all. Each pattern starts
# with its character, which the regex engine finds fast; a list mark counts only where a value
# starts: after "key:", "- " or a quote, or first on its line.
_IN_FILE_CHARACTER = re.compile("[" + "".join(INVISIBLE) + "“„\\\\]")
_IN_FILE_BROKEN = re.compile(
    r"-(?<=\w-)\s+(?!(?:ja|või|ning|ega|kui|kuni|ehk|vaid|and|or)\b)[a-zõäöüšž]", re.IGNORECASE
)
_IN_FILE_MARK = re.compile(r"[•·▪●◦‣–—*](?=\s)")


def pasted(text: str, document: Node) -> list[Problem]:
    """Every finding in the texts of one file (`text`, parsed into `document`, its includes not
    yet put in: an `!include` is no text), in order. Keys are no text of the document; an alias is
    checked where its anchor is."""
    if not _may_hold_findings(text):
        return []
    return [problem for where, node in _texts(document) for problem in _findings(node.value, where, node)]


def _may_hold_findings(text: str) -> bool:
    if _IN_FILE_CHARACTER.search(text) or _IN_FILE_BROKEN.search(text):
        return True
    for mark in _IN_FILE_MARK.finditer(text):
        before = text[text.rfind("\n", 0, mark.start()) + 1 : mark.start()].rstrip()
        if not before or before.endswith((":", "-", '"', "'")):
            return True
    return False


def _texts(document: Node) -> Iterator[tuple[KeyPath, ScalarNode]]:
    """Each text node with its key path, in the order written; without recursion: a file nested
    hundreds deep is refused by the reader, not here."""
    seen: set[int] = set()
    todo: list[tuple[Node, KeyPath]] = [(document, ())]
    while todo:
        node, path = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            if node.tag == _TEXT:
                yield path, node
        elif isinstance(node, SequenceNode):
            todo.extend((item, (*path, index)) for index, item in reversed(list(enumerate(node.value))))
        elif isinstance(node, MappingNode):
            for key, value in reversed(node.value):
                merged = isinstance(key, ScalarNode) and key.tag == _MERGE  # `<<:` gives its keys here
                todo.append(
                    (value, path if merged or not isinstance(key, ScalarNode) else (*path, key.value))
                )


def _findings(text: str, where: KeyPath, at: Node) -> Iterator[Problem]:
    # Each pattern only where its telling character is (most texts have none): a check of a
    # thousand positions' texts takes milliseconds, not seconds.
    invisible = _INVISIBLE.search(text)
    if invisible:
        yield _problem(
            at,
            where,
            _("{what} (U+{code:04X}, pasted from Word?) in the text: {context}").format(
                what=_(INVISIBLE[invisible.group()]),
                code=ord(invisible.group()),
                context=_context(text, invisible),
            ),
            _("delete it: retype the word around it"),
        )
    broken = _BROKEN.search(text) if "- " in text else None
    if broken:
        before = _WORD_BEFORE.search(text, 0, broken.start())
        yield _problem(
            at,
            where,
            _("a word broken in two where a line ended: {context}").format(context=_context(text, broken)),
            _("write it whole ({word}); a hyphen stays only before ja, või, ning …").format(
                word=(before.group() if before else "") + broken.group(1)
            ),
        )
    mark = _LIST_MARK.match(text)
    if mark:
        yield _problem(
            at,
            where,
            _("the text starts with a list mark ({mark}) pasted with it").format(mark=mark.group(1)),
            _("delete the mark: each item of a list is a line `- …` of its own, marked by the template"),
        )
    english = _ENGLISH_OPENING.search(text) if "“" in text else None
    if english:
        yield _problem(
            at,
            where,
            _("English quotes in the text: {context}").format(context=_context(text, english)),
            _("write Estonian quotes: „…“ (or the agency's own)"),
        )
    elif "„" in text and text.count("„") > text.count("“") + text.count("”"):
        yield _problem(
            at,
            where,
            _("a quote opened („) and not closed: {context}").format(
                context=_context(text, re.search("„", text))  # type: ignore[arg-type]
            ),
            _("close it with “ where the quoted words end"),
        )


def _problem(at: Node, where: KeyPath, message: str, hint: str) -> Problem:
    return Problem(node_location(at), message, key_path_text(where), hint, warning=True)


def _context(text: str, found: re.Match) -> str:
    """The finding with up to three words either side, the invisible characters shown."""
    start = re.search(r"(?:\S+\s+){0,3}\S*$", text[: found.start()])
    end = re.match(r"\S*(?:\s+\S+){0,3}", text[found.end() :])
    left = start.start() if start else found.start()
    right = found.end() + (end.end() if end else 0)
    shown = _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", " ".join(text[left:right].split()))
    return ("…" if left else "") + f"'{shown}'" + ("…" if right < len(text) else "")
