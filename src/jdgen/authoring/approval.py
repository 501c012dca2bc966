"""Point 1 of a published directive read back in the template's words: the unit whose job
descriptions it approves, and the annexes it lists.

The template's point 1 says how: "{{ points.approve }}. Kinnitan {{ organisation.genitive }}
{{ directive.unit.genitive }} järgmiste teenistuskohtade ametijuhendid:" puts the unit's genitive
after the agency's and before "järgmiste"; an item "{{ points.approve }}.{{ a.number }}. {{
a.unit.genitive|capital }} {{ a.title_genitive }} ametijuhend (lisa {{ a.number }})" becomes a
pattern whose groups are the values it prints. `ApprovalPattern` is what the template says, read
once; the functions read a published point 1 with it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from ..document.templatetext import loop_over, pieces, texts_after, value_paths
from ..format.inflection import genitive, nominative

# What an annex's item in point 1 may print of the annex, as the groups of its pattern.
_LISTED_VALUES = {
    ("title_in_list",): "title_in_list",
    ("position", "title"): "title",
    ("title_genitive",): "title_genitive",
    ("unit", "genitive"): "unit_genitive",
    ("unit", "name"): "unit",
}
# The genitive endings of the words that name a unit ("osakonna", "talituse", "grupi", "büroo").
_UNIT_ENDINGS = ("konna", "use", "grupi", "büroo")


@dataclass(frozen=True)
class ApprovalPattern:
    """How the template words point 1: around the unit's genitive, and each annex's item."""

    before_unit: tuple[tuple[str, ...], ...] = ()  # values printed between "Kinnitan" and the unit
    after_unit: tuple[str, ...] = ()  # the words that may follow the unit's genitive
    item: str | None = None  # the pattern of an annex's item, its values as named groups
    capital: tuple[str, ...] = ()  # the groups printed with a capital first letter


def approval_pattern(paragraphs: list[str], loop: int) -> ApprovalPattern:
    """Point 1 as the template words it (`loop`: the paragraph of the first loop over the annexes)."""
    approving = next(
        (
            t
            for t in paragraphs
            if any(a.startswith(".") and a[1:].split() for a in texts_after(t, ("points", "approve")))
        ),
        "",
    )
    before, after = _around_unit(approving)
    item, capital = _item_pattern(paragraphs, loop)
    return ApprovalPattern(before, after, item, capital)


def _item_pattern(paragraphs: list[str], loop: int) -> tuple[str | None, tuple[str, ...]]:
    """The pattern of an annex's item in point 1 ("1.2. Lõuna osakonna juhataja ametijuhend (lisa
    2)"), from the first paragraph of the first loop over the annexes that prints the annex's number:
    its literal words as they are, the values it prints as named groups, up to its first block tag."""
    var = loop_over(paragraphs[loop], "annexes")
    item = next((t for t in paragraphs[loop + 1 :] if (var, "number") in value_paths(t)), None)
    if item is None:
        return None, ()
    found = list(itertools.takewhile(lambda piece: piece.tag != "block", pieces(item)))
    # the annex's number as the item prints it last: "(lisa N)", not the item's own "1.N."
    last = max((i for i, piece in enumerate(found) if piece.paths[:1] == ((var, "number"),)), default=-1)
    pattern, capital, numbered = r"(?:^|\s)", [], False
    for index, piece in enumerate(found):
        if piece.tag is None:
            pattern += r"\s+".join(re.escape(word) for word in re.split(r"\s+", piece.text))
            continue
        path = piece.paths[0] if piece.paths else ()
        name = _LISTED_VALUES.get(path[1:]) if path[:1] == (var,) else None
        if path == (var, "number") and index == last:
            pattern, numbered = pattern + r"(?P<number>\d+)", True
        elif name is not None and f"(?P<{name}>" not in pattern:
            # within one item (items end with ";"); a unit before the title takes all but its last words
            pattern += rf"(?P<{name}>[^;]+?)" if name != "unit_genitive" else rf"(?P<{name}>[^;]+)"
            capital += [name] if "capital" in piece.names else []
        else:
            pattern += r"\S+?" if path[:1] in (("points",), (var,)) else r"[^;]+?"
    if pattern.endswith("+?)"):  # a value last (its punctuation in a block tag): up to the item's end
        pattern += r"(?=[;.](?:\s|$)|$)"
    return (pattern, tuple(capital)) if numbered else (None, ())


def _around_unit(approving: str) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """What point 1 prints around the unit's genitive: values before it, literal words after it."""
    found = pieces(approving)
    at = next((i for i, piece in enumerate(found) if ("directive", "unit", "genitive") in piece.paths), None)
    if at is None:
        return (), ()
    # the point's number nearest before the unit (a template may print it in more than one branch)
    start = max((i for i, piece in enumerate(found[:at]) if ("points", "approve") in piece.paths), default=0)
    before = tuple(path for piece in found[start + 1 : at] if piece.tag == "variable" for path in piece.paths)
    after = tuple(
        dict.fromkeys(
            words[0] for piece in found[at + 1 :] if not piece.tag and (words := piece.text.split())
        )
    )
    return before, after


# -- reading a published point 1 ----------------------------------------------------------------


def unit_genitive(text: str, pattern: ApprovalPattern, organisation: Any) -> str | None:
    """The unit's genitive in point 1, after the approving word: past the values the template prints
    before it (the agency's genitive, say), up to the first word the template prints after it."""
    for path in pattern.before_unit:
        value = (
            getattr(organisation, path[1], None) if path[:1] == ("organisation",) and len(path) == 2 else None
        )
        if isinstance(value, str) and text.startswith(value + " "):
            text = text[len(value) + 1 :]
    if not pattern.after_unit:  # the template does not print the unit's genitive in point 1
        return None
    found = re.match(r"(.+?)\s+(?:" + "|".join(map(re.escape, pattern.after_unit)) + r")\b", text)
    unit = found.group(1) if found else None
    return unit if unit and not re.search(r"[:;()]|\d\.", unit) else None


def listed(text: str, pattern: ApprovalPattern) -> list[tuple[int, dict[str, str]]]:
    """The annexes point 1 lists: each one's number and the values its item prints."""
    if pattern.item is None:
        return []
    found = []
    for match in re.finditer(pattern.item, text):
        values = {k: v.strip() for k, v in match.groupdict().items() if v and k != "number"}
        for name in pattern.capital:  # printed with a capital: the value's own first letter is unknown
            if name in values:
                values[name] = values[name][:1].lower() + values[name][1:]
        found.append((int(match.group("number")), values))
    return found


def named_numbers(text: str, annex_word: str, wording: Any) -> list[int]:
    """The annexes point 1 names by number after the annex word: "(lisad 1-4)", "vastavalt
    lisadele 1 kuni 11", "lisad 1, 2 ja 4" (a range with the agency's word or a dash)."""
    through = {wording.through.strip(), "-", "–"}
    joins = {wording.separator.strip(), wording.last.strip(), wording.repeal_last.strip(), ""}
    numbers: list[int] = []
    pattern = rf"\b{re.escape(annex_word.lower())}\w*\s+(\d+(?:\s*(?:[-–,]|\s\w+\s)\s*\d+)*)"
    for found in re.finditer(pattern, text, flags=re.IGNORECASE):
        parts = re.split(r"(\d+)", found.group(1))  # "", "1", " kuni ", "4", ""
        values, between = [int(p) for p in parts[1::2]], [p.strip() for p in parts[2:-1:2]]
        if any(b not in through | joins for b in between):
            continue
        numbers.append(values[0])
        for word, value in zip(between, values[1:], strict=True):
            start = numbers[-1] + 1 if word in through and value > numbers[-1] else value
            numbers += range(start, value + 1)
    return sorted(set(numbers))


def unit_and_title(values: dict[str, str], units: list[str]) -> dict[str, str]:
    """Where an item prints a unit's genitive right before the title's, the pattern cannot tell
    where one ends: at a unit the text names elsewhere, else after the last word that ends like a
    unit's name ("Arendamise osakonna | vanem spetsialisti")."""
    if "unit_genitive" not in values or "title_genitive" not in values:
        return values
    words = f"{values['unit_genitive']} {values['title_genitive']}".split()
    known = [len(g.split()) for g in units if " ".join(words).lower().startswith(g.lower() + " ")]
    endings = [i + 1 for i, word in enumerate(words[:-1]) if word.lower().endswith(_UNIT_ENDINGS)]
    cut = max(known) if known else endings[-1] if endings else len(words) - 1
    return {**values, "unit_genitive": " ".join(words[:cut]), "title_genitive": " ".join(words[cut:])}


def stub_fields(values: dict[str, str]) -> dict[str, str]:
    """What point 1's item says of an annex whose body the text lacks: its title and unit, in the
    nominative where the item prints them inflected."""
    fields: dict[str, str] = {}
    if "title_in_list" in values:  # the title as a sentence prints it: its capital back
        fields["title"] = values["title_in_list"][:1].upper() + values["title_in_list"][1:]
    elif "title" in values:
        fields["title"] = values["title"]
    elif "title_genitive" in values:
        fields["title"] = nominative(values["title_genitive"]) or values["title_genitive"]
        if genitive(fields["title"]) != values["title_genitive"]:
            fields["title_genitive"] = values["title_genitive"]
    if "unit" in values or "unit_genitive" in values:
        fields["unit"] = values.get("unit") or nominative(values["unit_genitive"]) or values["unit_genitive"]
    return fields
