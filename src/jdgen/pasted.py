"""Text pasted from Word, caught where it would print wrong: invisible characters (soft hyphens,
zero-width spaces), a word broken in two where Word's line ended ("ette- valmistamises"), a list
mark pasted with its item ("• …"), English quotes (“…”) and a quote left open.

Pure functions over a validated model's texts, like `review`'s: each finding is a warning at the
value's file and line, quoting the text around it and saying what to type instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from .errors import Location, Problem
from .i18n import N_, _
from .located import key_path_text, texts_in

Locate = Callable[[tuple], Location]

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


def pasted(value: Any, locate: Locate, path: tuple = ()) -> list[Problem]:
    """Every finding in the texts of `value` (a model, its lists and mappings), in order."""
    return [problem for where, text in texts_in(value, path) for problem in _findings(text, where, locate)]


def _findings(text: str, where: tuple, locate: Locate) -> Iterator[Problem]:
    # Each pattern only where its telling character is (most texts have none): a check of a
    # thousand positions' texts takes milliseconds, not seconds.
    invisible = _INVISIBLE.search(text)
    if invisible:
        yield _problem(
            locate,
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
            locate,
            where,
            _("a word broken in two where a line ended: {context}").format(context=_context(text, broken)),
            _("write it whole ({word}); a hyphen stays only before ja, või, ning …").format(
                word=(before.group() if before else "") + broken.group(1)
            ),
        )
    mark = _LIST_MARK.match(text)
    if mark:
        yield _problem(
            locate,
            where,
            _("the text starts with a list mark ({mark}) pasted with it").format(mark=mark.group(1)),
            _("delete the mark: each item of a list is a line `- …` of its own, marked by the template"),
        )
    english = _ENGLISH_OPENING.search(text) if "“" in text else None
    if english:
        yield _problem(
            locate,
            where,
            _("English quotes in the text: {context}").format(context=_context(text, english)),
            _("write Estonian quotes: „…“ (or the agency's own)"),
        )
    elif "„" in text and text.count("„") > text.count("“") + text.count("”"):
        yield _problem(
            locate,
            where,
            _("a quote opened („) and not closed: {context}").format(
                context=_context(text, re.search("„", text))  # type: ignore[arg-type]
            ),
            _("close it with “ where the quoted words end"),
        )


def _problem(locate: Locate, where: tuple, message: str, hint: str) -> Problem:
    return Problem(locate(where), message, key_path_text(where), hint, warning=True)


def _context(text: str, found: re.Match) -> str:
    """The finding with up to three words either side, the invisible characters shown."""
    start = re.search(r"(?:\S+\s+){0,3}\S*$", text[: found.start()])
    end = re.match(r"\S*(?:\s+\S+){0,3}", text[found.end() :])
    left = start.start() if start else found.start()
    right = found.end() + (end.end() if end else 0)
    shown = _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", " ".join(text[left:right].split()))
    return ("…" if left else "") + f"'{shown}'" + ("…" if right < len(text) else "")
