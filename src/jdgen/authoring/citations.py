"""Reading back what a published repeal point cites, as the format's `repeals` data.

A repeal point names earlier acts one after the other, each by its date and number ("28.02.2023
käskkirja nr 28"), and then says what of it: its title in quotes (the whole directive), a list
of its annexes ("lisad 1 kuni 3, 5 ja 8 kuni 9"), or, after a group of such citations joined by
the list's words, the job descriptions they approved ("… kinnitatud ametijuhendid"). The reading
goes by that structure and by the agency's own list words (`Wording`), not by the template's
other words, and says so when a point holds something it cannot place: the importer then keeps
the point's text as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..format.model import Wording

_QUOTED = re.compile(r"\s*[„“\"]([^”“\"]+)[”“\"]")


def read_repeals(
    text: str, number_word: str, wording: Wording, issuer: str = ""
) -> list[dict[str, Any]] | None:
    """The repeals of a point's text (after its opening words), or None if some of it is not a
    citation of the kinds above. The issuer's genitive before a citation ("peadirektori
    01.02.2023 …"), said once or before every act, is not part of it."""
    if issuer:
        text = re.sub(rf"(^|\s){re.escape(issuer)}\s+(?=\d{{2}}\.\d{{2}}\.\d{{4}})", r"\1", text)
    cited = list(
        re.finditer(
            rf"(\d{{2}}\.\d{{2}}\.\d{{4}})\s+(?:\w+\s+)?{re.escape(number_word)}\s+([^\s,„“\"]+?)(?=[\s,.;]|$)",
            text,
        )
    )
    if not cited or text[: cited[0].start()].strip():  # something before the first act: not a citation
        return None
    joins = {w.strip() for w in (wording.separator, wording.last, wording.repeal_last)} | {"ning", "ja"}
    for found in cited[1:]:  # an act named after another issuer's word ("… ning direktori 01.01.2020 …")
        before = text[: found.start()].split()[-1:]
        if before and not (before[0] in joins or before[0].endswith((",", ";"))):
            return None
    repeals: list[dict[str, Any]] = []
    bare: list[dict[str, Any]] = []  # acts cited with nothing of their own yet
    for index, found in enumerate(cited):
        final = index + 1 == len(cited)
        end = len(text) if final else cited[index + 1].start()
        act = {"date": dt.datetime.strptime(found.group(1), "%d.%m.%Y").date(), "number": found.group(2)}
        what, rest = _what(text[found.end() : end], wording)
        if what is not None:  # its title or annexes: whole directives before it stay whole
            repeals += [*bare, {**act, **what}]
            bare = []
        elif _joins(rest, wording, final=final):  # the list goes on (or ends with the point)
            bare.append(act)
            if final:
                repeals += bare
            continue
        else:  # words after a list of acts: the job descriptions they approved
            repeals.append({"approved_by": [*bare, act]})
            bare = []
            rest = re.sub(rf"^\s*[\w\s]+?(?=\s*(?:{_words(wording)}|[.;]|$))", "", rest)
        if not _joins(rest, wording, final=final):
            return None
    return repeals


def _what(tail: str, wording: Wording) -> tuple[dict[str, Any] | None, str]:
    """What of the act the words after its number cite: its title (in quotes), then the annexes
    ("lisad 1 kuni 3"), either or both."""
    what: dict[str, Any] = {}
    title = _QUOTED.match(tail)
    if title:
        what["title"], tail = title.group(1), tail[title.end() :]
    annexes = re.match(rf"\s+\w+\s+(\d+(?:(?:{_words(wording)})\d+)*)", tail)
    if annexes:
        what["annexes"], tail = _numbers(annexes.group(1), wording), tail[annexes.end() :]
    return (what or None), tail


def _joins(rest: str, wording: Wording, *, final: bool) -> bool:
    """Whether what follows a citation only joins it to the next (or ends the point)."""
    rest = rest.strip()
    if final:
        return rest in ("", ".", ";")
    # the agency's list words, or another short word that joins two acts ("ning")
    return rest in {wording.separator.strip(), wording.last.strip(), wording.repeal_last.strip(), ""} or bool(
        re.fullmatch(r"[,;]?\s*[a-zõäöü]{2,5}", rest)
    )


def _words(wording: Wording) -> str:
    return "|".join(re.escape(word) for word in {wording.through, wording.last, wording.separator})


def _numbers(text: str, wording: Wording) -> list[int]:
    """ "1 kuni 3, 5 ja 8 kuni 9" -> [1, 2, 3, 5, 8, 9]."""
    numbers: list[int] = []
    for item in re.split("|".join(re.escape(w) for w in {wording.last, wording.separator}), text):
        first, _, end = item.partition(wording.through)
        numbers += range(int(first), int(end or first) + 1)
    return numbers
