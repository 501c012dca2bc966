"""Reading a published directive, one behaviour each, on lines made in the test."""

from __future__ import annotations

import datetime as dt

import pytest

from jdgen.layout import annex_layout
from jdgen.number import long_date_adessive, long_date_elative
from jdgen.published import (
    NotPublished,
    _long_date,
    _points,
    read_published,
    refuse_templates,
    template_phrases,
)

from conftest import SKA

TEMPLATE = SKA / "templates/kaskkiri.docx"


def it_reads_the_fixed_words_from_the_template():
    phrases = template_phrases(TEMPLATE)
    assert (phrases.annex_header, phrases.annex_title) == ("KINNITATUD", "AMETIJUHEND")
    assert (phrases.approve, phrases.repeal, phrases.in_force) == (
        "Kinnitan",
        "Tunnistan kehtetuks",
        "Käskkiri jõustub",
    )
    assert (phrases.annex_word, phrases.number_word) == ("Lisa", "nr")


def it_numbers_points_one_after_the_other():
    text = (
        "1. Kinnitan ametijuhendid. 2. Käskkiri jõustub 2025. aasta 1. jaanuaril. "
        "3. Teine punkt 1.1. alampunkt"
    )
    assert _points(text) == [
        "Kinnitan ametijuhendid.",
        "Käskkiri jõustub 2025. aasta 1. jaanuaril.",
        "Teine punkt 1.1. alampunkt",
    ]
    assert _points("no points here") == []


def it_reads_a_date_in_the_adessive_and_one_in_the_elative():
    text = (
        "Käskkiri jõustub 2025. aasta 1. oktoobril ja ametijuhendeid rakendatakse 2025. aasta 1. septembrist."
    )
    assert _long_date(text, long_date_adessive) == dt.date(2025, 10, 1)
    assert _long_date(text, long_date_elative) == dt.date(2025, 9, 1)
    assert _long_date("Käskkiri jõustub allkirjastamisel.", long_date_adessive) is None


def it_refuses_a_template_as_a_published_text():
    with pytest.raises(NotPublished, match=r"\{\{ a.position.title \}\}"):
        refuse_templates(["Teenistuskoht", "{{ a.position.title }}"])
    refuse_templates(["Teenistuskoht Jurist"])  # plain text passes


def it_reads_a_single_job_description_field_by_field():
    lines = [
        "AMETIJUHEND",
        "1. Üldosa",
        "Teenistuskoht Jurist",
        "Vahetu juht Osakonna juhataja",
        "Teenistuskoha eesmärk Õigusabi andmine",
        "ja nõustamine.",
        "2. Peamised teenistusülesanded Oodatavad tulemused",
        "2.1. Lepingute koostamine.",
        "Lepingud on koostatud.",
    ]
    read = read_published(lines, template_phrases(TEMPLATE), annex_layout(TEMPLATE), organisation=None)
    [annex] = read.annexes
    assert annex.fields["title"] == "Jurist"
    assert annex.fields["purpose"] == "Õigusabi andmine ja nõustamine."
    assert [(t.task, t.results) for t in annex.tasks] == [
        ("Lepingute koostamine.", ["Lepingud on koostatud."])
    ]


def it_refuses_a_text_with_no_job_description():
    with pytest.raises(NotPublished, match="found neither"):
        read_published(["Koosoleku protokoll"], template_phrases(TEMPLATE), annex_layout(TEMPLATE), None)
