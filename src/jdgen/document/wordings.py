"""The words a published directive says otherwise than the template, as data.

A point of the source and the same point as the build prints it are read slot by slot: the range
word of a list of annexes, the quotes around a cited title, whether the issuer is named before
every repealed act, the words of entry into force on signing, the words before the day the job
descriptions apply from. Where a slot differs, `Wording` gets the source's words, so the directive
says them and keeps its repeals and dates as data. A point that still differs is printed in the
source's own words (`own_words`). Pure functions of the two texts.
"""

from __future__ import annotations

import re
from typing import Any

_LONG_DATE = re.compile(r"\d{4}\.\s+aasta\s+\d{1,2}\.\s+\w+")
_RANGE = re.compile(r"(?<![\d.])(\d+)(\s*[-–‑]\s*|\s+\w+\s+)(\d+)(?![\d.]\d)")
_LIST_WORDS = {"", ",", "ja", "ning", "või", "and", "or"}  # words that join a list, not a range
_QUOTED = re.compile(r"([„“\"«])[^„“\"”«»]+([”“\"»])")


def differences(kind: str, source: str, built: str, *, number: int, issuer: str) -> dict[str, Any]:
    """What `Wording` must say for point `kind` (its text `source`; the build's `built`) to print
    the source's words: the slots that differ, with the source's words."""
    if kind == "approve":
        return _differ({"through": _range_word(source)}, {"through": _range_word(built)})
    if kind == "repeal":
        found: dict[str, Any] = {"repeal_through": _range_word(source), "quotes": _quotes(source)}
        printed: dict[str, Any] = {"repeal_through": _range_word(built), "quotes": _quotes(built)}
        if issuer:
            found["issuer_each"] = len(re.findall(rf"\b{re.escape(issuer)}\b", source)) > 1
            printed["issuer_each"] = len(re.findall(rf"\b{re.escape(issuer)}\b", built)) > 1
        return _differ(found, printed)
    if kind == "in_force":  # `source` and `built` after the point's opening words
        return _differ(_in_force(source, number), _in_force(built, number))
    return {}


def _differ(found: dict[str, Any], printed: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value
        for key, value in found.items()
        if value is not None and printed.get(key) is not None and value != printed[key]
    }


def _range_word(text: str) -> str | None:
    """The words between the ends of the first range of numbers ("1 kuni 8", "1-11"); not a list's
    words ("4 ja 7", "4, 7")."""
    for found in _RANGE.finditer(text):
        if int(found.group(1)) + 1 < int(found.group(3)) and found.group(2).strip() not in _LIST_WORDS:
            return found.group(2)
    return None


def _quotes(text: str) -> str | None:
    found = _QUOTED.search(text)
    return found.group(1) + found.group(2) if found else None


def _in_force(text: str, number: int) -> dict[str, Any]:
    """The slots of the point of entry into force, after its opening words ("Käskkiri jõustub"):
    the word on signing (where no date comes first), the words before the day of application."""
    text = text.strip().removesuffix(".")
    dates = list(_LONG_DATE.finditer(text))
    slots: dict[str, Any] = {}
    if dates and dates[0].start() == 0:
        head_end = dates[0].end()
    elif re.match(r"\S*\d", text):  # a date in another form than the template's: no slot to read
        return slots
    else:
        word = re.match(r"\S+", text)
        if word is None:
            return slots
        slots["on_signing"], head_end = word.group(), word.end()
    after = [d for d in dates if d.start() >= head_end]
    if after:
        before = text[head_end : after[0].start()].strip()
        slots["applies_from"] = re.sub(rf"(?<!\d){number}(?!\d)", "{point}", before) or None
    return slots
