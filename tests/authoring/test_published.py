"""Reading a published directive, one behaviour each, on lines made in the test."""

from __future__ import annotations

import datetime as dt

import pytest

from jdgen.authoring.phrases import template_phrases
from jdgen.authoring.published import (
    NotPublished,
    _long_date,
    _points,
    read_published,
    refuse_templates,
)
from jdgen.document.layout import annex_layout
from jdgen.document.number import long_date_adessive, long_date_elative

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


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (  # a label alone, its value on the next lines: the closing sentence is still the review
            ["Õigused saada infot.", "Vastutus", "vastutan andmete eest;", "vastutan vara eest."],
            {"rights": "saada infot.", "responsibilities": "vastutan andmete eest; vastutan vara eest."},
        ),
        (  # two labels first, then their values (a PDF's two columns): a line each, in order
            ["Õigused", "Vastutus", "saada infot.", "vastutan vara eest."],
            {"rights": "saada infot.", "responsibilities": "vastutan vara eest."},
        ),
        (  # a row printed without a value: its label alone right before the next label
            ["Õigused", "Vastutus vastutan vara eest."],
            {"rights": "", "responsibilities": "vastutan vara eest."},
        ),
    ],
    ids=["value under its label", "labels before values", "an empty row"],
)
def it_gives_each_label_its_own_value_and_keeps_the_closing_sentence_apart(lines, expected):
    layout = annex_layout(TEMPLATE)
    annex_lines = ["AMETIJUHEND", "4. Õigused ja vastutus", *lines, "Ametijuhend vaadatakse üle kord aastas."]
    read = read_published(annex_lines, template_phrases(TEMPLATE), layout, organisation=None)
    [annex] = read.annexes
    assert {k: v for k, v in annex.fields.items() if k in expected} == expected
    assert annex.trailing == ["Ametijuhend vaadatakse üle kord aastas."]


@pytest.mark.parametrize(
    ("item", "text", "expected"),
    [
        (  # the title last, its punctuation in a block tag: the title up to the item's end
            "{{ points.approve }}.{{ a.number }}. {{ a.title_in_list }}"
            "{% if loop.last %}.{% else %};{% endif %}",
            "Kinnitan: 1.1. peaspetsialist (arendus); 1.2. jurist.",
            [(1, {"title_in_list": "peaspetsialist (arendus)"}), (2, {"title_in_list": "jurist"})],
        ),
        (  # the unit before the title: split after the words that end like a unit's name
            "{{ points.approve }}.{{ a.number }}. {{ a.unit.genitive|capital }} {{ a.title_genitive }} "
            "ametijuhend (lisa {{ a.number }}){% if loop.last %}.{% else %};{% endif %}",
            "Kinnitan: 1.1. Arendamise osakonna vanem spetsialisti ametijuhend (lisa 1); "
            "1.2. Lõuna osakonna juhataja ametijuhend (lisa 2).",
            [
                (1, {"unit_genitive": "arendamise osakonna", "title_genitive": "vanem spetsialisti"}),
                (2, {"unit_genitive": "lõuna osakonna", "title_genitive": "juhataja"}),
            ],
        ),
    ],
    ids=["title last", "unit before title"],
)
def it_reads_point_ones_items_by_the_templates_pattern(item, text, expected):
    from jdgen.authoring.approval import approval_pattern, listed, unit_and_title

    pattern = approval_pattern(["{%p for a in annexes %}", item, "{%p endfor %}"], 0)
    assert [(n, unit_and_title(values, [])) for n, values in listed(text, pattern)] == expected
