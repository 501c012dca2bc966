"""Derived text: dates in Estonian, annex ranges, task and point numbers (pure, no disk)."""

import datetime as dt

import pytest

from jdgen.document.number import (
    long_date_adessive,
    long_date_elative,
    number_list,
    point_numbers,
    short_date,
    task_numbers,
    title_in_sentence,
    word_list,
)


def it_writes_the_short_date_with_leading_zeros():
    assert short_date(dt.date(2025, 1, 5)) == "05.01.2025"
    assert short_date(dt.date(2024, 12, 13)) == "13.12.2024"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2025, 1, 1), "2025. aasta 1. jaanuaril"),
        (dt.date(2024, 2, 29), "2024. aasta 29. veebruaril"),
        (dt.date(2025, 3, 10), "2025. aasta 10. märtsil"),
        (dt.date(2025, 5, 2), "2025. aasta 2. mail"),
        (dt.date(2026, 12, 31), "2026. aasta 31. detsembril"),
    ],
)
def it_writes_the_long_date_in_the_adessive(day, expected):
    assert long_date_adessive(day) == expected


def it_names_every_month_differently():
    names = {long_date_adessive(dt.date(2025, m, 1)).split()[-1] for m in range(1, 13)}
    assert len(names) == 12


ESTONIAN = {"through": " kuni ", "last": " ja ", "separator": ", "}


@pytest.mark.parametrize(
    ("numbers", "shortest", "expected"),
    [
        ([1], 2, "1"),
        ([1, 2], 3, "1 ja 2"),
        ([1, 2], 2, "1 kuni 2"),
        (range(1, 9), 2, "1 kuni 8"),
        ([9, 1, 2, 3, 5, 8, 3], 2, "1 kuni 3, 5 ja 8 kuni 9"),
        ([1, 2, 3, 5, 8, 9], 3, "1 kuni 3, 5, 8 ja 9"),
        ([2, 4, 6], 2, "2, 4 ja 6"),
    ],
)
def it_compacts_numbers_into_runs_with_the_agencys_words(numbers, shortest, expected):
    assert number_list(numbers, shortest=shortest, **ESTONIAN) == expected


def it_writes_a_range_with_a_dash_where_the_agency_does():
    assert number_list(range(1, 9), through="-", last=" ja ", separator=", ") == "1-8"


def it_joins_words_as_a_sentence_does():
    assert word_list(["a"], last=" ning ", separator=", ") == "a"
    assert word_list(["a", "b", "c"], last=" ning ", separator="; ") == "a; b ning c"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Peaspetsialist (järelevalve arendus)", "peaspetsialist (järelevalve arendus)"),
        ("Ekspert", "ekspert"),
        ("IT-arhitekt", "IT-arhitekt"),
        ("ESF projekti koordinaator", "ESF projekti koordinaator"),
        ("Õigusnõunik", "õigusnõunik"),
    ],
)
def it_puts_a_title_inside_a_sentence(title, expected):
    assert title_in_sentence(title) == expected


def it_numbers_tasks_skipping_the_unnumbered_ones():
    assert task_numbers([True, True, True]) == [1, 2, 3]
    assert task_numbers([False, True, True]) == [None, 1, 2]
    assert task_numbers([True, False, True]) == [1, None, 2]
    assert task_numbers([]) == []


def it_numbers_the_points_with_and_without_repeal():
    with_repeal = point_numbers(repeals=True)
    assert (with_repeal.approve, with_repeal.repeal, with_repeal.in_force) == (1, 2, 3)
    without = point_numbers(repeals=False)
    assert (without.approve, without.repeal, without.in_force) == (1, None, 2)
    extra = point_numbers(repeals=True, extra_points=2)
    assert (extra.extra, extra.in_force) == ((3, 4), 5)
    assert point_numbers(repeals=False, extra_points=1).extra == (2,)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2025, 9, 1), "2025. aasta 1. septembrist"),
        (dt.date(2025, 5, 2), "2025. aasta 2. maist"),
        (dt.date(2025, 3, 31), "2025. aasta 31. märtsist"),
    ],
)
def it_writes_the_long_date_in_the_elative(day, expected):
    assert long_date_elative(day) == expected
    assert len({long_date_elative(dt.date(2025, m, 1)).split()[-1] for m in range(1, 13)}) == 12
