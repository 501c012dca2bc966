"""Derived text that nobody should type twice: numbers, Estonian dates, "1 kuni 3, 5 ja 8 kuni 9".

Pure functions of their arguments; nothing here reads files or knows an agency: the words that
join a list are the agency's, passed in. The template gets them as filters (`view.filters`).
"""

from __future__ import annotations

import datetime as dt
import itertools
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


def long_date_elative(day: dt.date) -> str:
    """The date as in "rakendatakse 2025. aasta 1. septembrist" (from the given day on)."""
    return f"{day.year}. aasta {day.day}. {_MONTHS_ELATIVE[day.month - 1]}"


def runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Numbers (any order, repeats allowed) as runs of consecutive ones: 1 2 3 5 8 9 -> (1,3) (5,5) (8,9)."""
    found: list[tuple[int, int]] = []
    for number in sorted(set(numbers)):
        if found and number == found[-1][1] + 1:
            found[-1] = (found[-1][0], number)
        else:
            found.append((number, number))
    return found


def number_list(numbers: Iterable[int], *, through: str, last: str, separator: str, shortest: int = 2) -> str:
    """Numbers as the register writes them, in the agency's words: "1 kuni 3, 5 ja 8 kuni 9" with
    `through` " kuni ", `last` " ja ", `separator` ", "; a run of at least `shortest` numbers is a
    range, a shorter one is listed number by number."""
    items: list[str] = []
    for first, end in runs(numbers):
        if end > first and end - first + 1 >= shortest:
            items.append(f"{first}{through}{end}")
        else:
            items.extend(str(n) for n in range(first, end + 1))
    return word_list(items, last=last, separator=separator)


def word_list(items: list[str], *, last: str, separator: str) -> str:
    """Items joined as a sentence joins them: "a, b ja c" with `separator` ", " and `last` " ja "."""
    if len(items) < 2:
        return "".join(items)
    return separator.join(items[:-1]) + last + items[-1]


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
    """Numbers of the directive's points; the repeal point is there only when something is repealed.
    Further points stand after the approval, after the repeal point (`extra`) or after the entry
    into force."""

    approve: int
    repeal: int | None
    extra: tuple[int, ...]
    in_force: int
    after_approve: tuple[int, ...] = ()
    after_in_force: tuple[int, ...] = ()


def point_numbers(
    *, repeals: bool, extra_points: int = 0, after_approve: int = 0, after_in_force: int = 0
) -> PointNumbers:
    """Number the points in order: approval, further points after it, repeal (optional), further
    points (`extra_points`), entry into force, further points after it."""
    counter = itertools.count(1)
    approve = next(counter)
    first = tuple(next(counter) for _ in range(after_approve))
    repeal = next(counter) if repeals else None
    extra = tuple(next(counter) for _ in range(extra_points))
    in_force = next(counter)
    last = tuple(next(counter) for _ in range(after_in_force))
    return PointNumbers(approve, repeal, extra, in_force, first, last)
