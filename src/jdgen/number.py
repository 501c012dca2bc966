"""Derived text that nobody should type twice: numbers, Estonian dates, "lisadele 1 kuni 8".

Pure functions of their arguments; nothing here reads files or knows an agency. The template gets
the dates as filters too (`render`): `{{ day|short_date }}`, `|adessive`, `|elative`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

# Month names in the adessive case, as in "Käskkiri jõustub 2025. aasta 1. jaanuaril".
_MONTHS_ADESSIVE = (
    "jaanuaril",
    "veebruaril",
    "märtsil",
    "aprillil",
    "mail",
    "juunil",
    "juulil",
    "augustil",
    "septembril",
    "oktoobril",
    "novembril",
    "detsembril",
)


# Month names in the elative case, as in "rakendatakse 2025. aasta 1. septembrist".
_MONTHS_ELATIVE = (
    "jaanuarist",
    "veebruarist",
    "märtsist",
    "aprillist",
    "maist",
    "juunist",
    "juulist",
    "augustist",
    "septembrist",
    "oktoobrist",
    "novembrist",
    "detsembrist",
)


def short_date(day: dt.date) -> str:
    """The date as printed in headers and lists: `13.12.2024`."""
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def long_date_adessive(day: dt.date) -> str:
    """The date as in "jõustub 2025. aasta 1. jaanuaril" (on the given day)."""
    return f"{day.year}. aasta {day.day}. {_MONTHS_ADESSIVE[day.month - 1]}"


def annex_range(count: int) -> str:
    """The annexes in "vastavalt lisadele 1 kuni 8": `lisale 1`, `lisadele 1 ja 2`, `lisadele 1 kuni N`."""
    if count < 1:
        raise ValueError("a directive has at least one annex")
    if count == 1:
        return "lisale 1"
    if count == 2:
        return "lisadele 1 ja 2"
    return f"lisadele 1 kuni {count}"


def long_date_elative(day: dt.date) -> str:
    """The date as in "rakendatakse 2025. aasta 1. septembrist" (from the given day on)."""
    return f"{day.year}. aasta {day.day}. {_MONTHS_ELATIVE[day.month - 1]}"


def title_in_sentence(title: str) -> str:
    """A position title inside a sentence: "Peaspetsialist (x)" -> "peaspetsialist (x)".

    An abbreviation at the start ("IT-arhitekt", "ESF koordinaator") keeps its capitals.
    """
    if len(title) > 1 and title[0].isupper() and title[1].isupper():
        return title
    return title[:1].lower() + title[1:]


def task_numbers(numbered: Iterable[bool]) -> list[int | None]:
    """Ordinal of each task among the numbered ones (1, 2, …); None for an unnumbered task."""
    numbers: list[int | None] = []
    count = 0
    for is_numbered in numbered:
        if is_numbered:
            count += 1
            numbers.append(count)
        else:
            numbers.append(None)
    return numbers


@dataclass(frozen=True)
class PointNumbers:
    """Numbers of the directive's points; the repeal point is there only when something is repealed."""

    approve: int
    repeal: int | None
    extra: tuple[int, ...]
    in_force: int


def point_numbers(*, repeals: bool, extra_points: int = 0) -> PointNumbers:
    """Number the points: approval, repeal (optional), further points, entry into force."""
    number = 1
    approve = number
    repeal = None
    if repeals:
        number += 1
        repeal = number
    extra = tuple(range(number + 1, number + 1 + extra_points))
    number += extra_points
    return PointNumbers(approve, repeal, extra, number + 1)
