"""The reviewer's checks, one behaviour each, on models made in the test (no files)."""

from __future__ import annotations

import datetime as dt

from jdgen.errors import Location
from jdgen.format.model import Directive, Position
from jdgen.format.review import Posts, duplicate_numbers, repeal_dates, similar_titles, substitutes


def at(path: tuple) -> Location:
    return Location("x.yaml", len(path), 1)


def directive(**values) -> Directive:
    return Directive(title="Ametijuhendite kinnitamine", unit="positions/u", annexes=["p.yaml"], **values)


def position(**values) -> Position:
    base = {"title": "Analüütik", "reports_to": "Juhataja", "purpose": "Analüüs.",
            "tasks": [{"task": "Analüüsimine.", "results": ["Tehtud."]}]}  # fmt: skip
    return Position(**{**base, **values})


def it_refuses_repealing_a_younger_directive():
    repeal = {"number": "5", "title": "Ametijuhendi kinnitamine"}
    older = directive(date=dt.date(2025, 1, 10), repeals=[{**repeal, "date": dt.date(2025, 1, 9)}])
    younger = directive(date=dt.date(2025, 1, 10), repeals=[{**repeal, "date": dt.date(2025, 1, 11)}])
    assert repeal_dates(older, at) == []
    [problem] = repeal_dates(younger, at)
    assert (problem.key_path, problem.warning) == ("repeals[1].date", False)


def it_lets_a_draft_repeal_anything():
    draft = directive(repeals=[{"number": "5", "title": "T", "date": dt.date(2099, 1, 1)}])
    assert repeal_dates(draft, at) == []


def it_warns_about_titles_that_differ_only_in_case_or_spaces():
    [problem] = similar_titles(["Jurist", "Analüütik", "jurist "], at)
    assert problem.warning and problem.key_path == "annexes[3]"
    assert similar_titles(["Jurist", "Vanemjurist"], at) == []


def it_recognises_a_plural_of_a_post_as_that_post():
    assert substitutes(position(substitutes="Analüütikud, juhataja"), Posts(["Analüütik"]), at) == []
    assert substitutes(position(substitutes="analüütikud (andmed)"), Posts(["Analüütik (andmed)"]), at) == []


def it_warns_about_a_substitute_that_is_no_post_of_the_unit():
    [problem] = substitutes(position(substituted_by="Raamatupidaja"), Posts(["Analüütik"]), at)
    assert (problem.key_path, problem.warning) == ("substituted_by", True)


def it_warns_about_two_directives_with_one_number_in_one_year_only():
    found = duplicate_numbers(
        {
            "a.yaml": directive(number="7", date=dt.date(2025, 1, 1)),
            "b.yaml": directive(number="7", date=dt.date(2025, 6, 1)),
            "c.yaml": directive(number="7", date=dt.date(2024, 6, 1)),
        },
        lambda name, path: Location(name),
    )
    assert [(p.location.file, p.message) for p in found] == [("b.yaml", "a.yaml has the number 7 too")]
