"""The agency's own file, organisation.yaml: its names, its wording, its declared extras, its rules.

Everything agency-specific that the documents need lives in this file and the template, never in
Python: another agency adopts jdgen by editing them. The models here are the format of that file.
"""

from __future__ import annotations

import string
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StringConstraints

from ..i18n import N_, _
from .fieldparts import Label, Model, Paragraphs, Text

PATTERN_FIELDS = ("number", "title", "date")  # what a bookmark or file name pattern may hold
_FIELDS_SAID = "{number}, {title}, {date}"


def _usable_pattern(pattern: str) -> str:
    """A pattern that fills in only {number}, {title} and {date}: checked here, so that `check`
    says what the build would fail on."""
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise ValueError(
            _("not a usable pattern ({problem}): write {fields}, and two braces for a brace itself").format(
                problem=exc, fields=_FIELDS_SAID
            )
        ) from None
    for _literal, name, spec, conversion in parts:
        if name is not None and (name not in PATTERN_FIELDS or spec or conversion):
            written = (
                "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            )
            raise ValueError(
                _("{placeholder} is not a placeholder of this pattern: use {fields}").format(
                    placeholder=written, fields=_FIELDS_SAID
                )
            )
    return pattern


NamePattern = Annotated[Text, AfterValidator(_usable_pattern)]


def _field_name(name: str) -> str:
    """An extra value's name must be one pydantic can take as a field of the model made of them."""
    if name.startswith("model_"):
        raise ValueError(_("{name!r}: a name may not start with model_; choose another").format(name=name))
    return name


class ExtraValue(Model):
    """One value of the agency's own (`extra:`), declared once: its type, whether required, its label."""

    type: Literal["text", "paragraphs", "date", "number", "flag"] = Field(
        "text",
        description=N_(
            "text (one text), paragraphs (a text or a list), date (YYYY-MM-DD), number, flag (true/false)."
        ),
    )
    required: bool = Field(False, description=N_("true: every file of this kind must give it."))
    label: Text | None = Field(None, description=N_("What the document calls it, e.g. 'Ametikoha kood'."))
    description: Text | None = Field(None, description=N_("A hint for whoever writes the value."))


ExtraName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]*$"), AfterValidator(_field_name)]
ExtraValues = dict[ExtraName, ExtraValue]


class Extras(Model):
    """The extra values the agency's template uses, by the kind of thing that carries them."""

    position: ExtraValues = Field(default_factory=dict, description=N_("`extra:` of a position file."))
    task: ExtraValues = Field(default_factory=dict, description=N_("`extra:` of a task."))
    unit: ExtraValues = Field(default_factory=dict, description=N_("`extra:` of a _unit.yaml."))
    directive: ExtraValues = Field(default_factory=dict, description=N_("`extra:` of a directive file."))


class ReviewRules(Model):
    """`check`'s reviewer rules that fit some agencies' habits and not others'."""

    substitutes: bool = Field(
        True,
        description=N_(
            "Warn where 'substitutes'/'substituted_by' name a post that is not a position of the "
            "unit (false where substitutes are written as prose)."
        ),
    )
    similar_titles: bool = Field(
        True, description=N_("Warn where two annexes' titles differ only in case or spacing.")
    )
    task_results: bool | None = Field(
        None,
        description=N_(
            "Warn about a task written without expected results (left out: where the template "
            "prints results)."
        ),
    )


class Person(Model):
    """Someone named in the directive: the signer."""

    name: Text = Field(description=N_("Full name, e.g. 'Mari Maasikas'."))
    title: Text = Field(description=N_("Job title as printed under the name, e.g. 'direktor'."))


def _quote_pair(value: str) -> str:
    if len(value) != 2 or any(c.isalnum() or c.isspace() for c in value):
        raise ValueError(_("write the opening and the closing quote, two characters: '„”' or '\"\"'"))
    return value


Quotes = Annotated[str, AfterValidator(_quote_pair)]


class Wording(Model):
    """How the agency joins numbers and items in a sentence, with its own words (a directive may
    override any of them): "lisadele 1 kuni 8" or "lisadele 1-8", "1, 2 ja 3"."""

    through: str = Field(description=N_("Between the ends of a range: ' kuni ' (1 kuni 8) or '-' (1-8)."))
    last: str = Field(description=N_("Before the last item of a list: ' ja ' or ' ning '."))
    separator: str = Field(description=N_("Between the other items of a list: ', '."))
    shortest_range: int = Field(
        ge=2, description=N_("A run of at least this many numbers is a range (2: '8 kuni 9'; 3: '8 ja 9').")
    )
    repeal_last: str = Field(description=N_("Before the last of several repealed acts in one point."))
    # The words below are the template's own unless given here (the stock template's in brackets).
    repeal_through: str | None = Field(
        None,
        description=N_(
            "Between the ends of a range of repealed annexes, where not `through`: '-' (lisad 1-3)."
        ),
    )
    issuer_each: bool | None = Field(
        None,
        description=N_(
            "true: the repeal point names the issuer before every act it repeals "
            "('… peadirektori 01.02.2023 käskkirja nr 2 ning peadirektori 03.04.2023 käskkirja nr 5')."
        ),
    )
    quotes: Quotes | None = Field(
        None,
        description=N_(
            "The quotes around a cited title, opening and closing: '\"\"' or '“”'; left out, the "
            "template's own („”)."
        ),
    )
    on_signing: str | None = Field(
        None,
        description=N_(
            "How entry into force on signing is said after 'Käskkiri jõustub': 'allkirjastamisest'; "
            "left out, the template's own ('allkirjastamisel')."
        ),
    )
    applies_from: str | None = Field(
        None,
        description=N_(
            "The words before the day the job descriptions apply from, {point} for point 1's "
            "number: 'ja käskkirja punktis {point} kinnitatud ametijuhendeid rakendatakse tagasiulatuvalt'"
            "; left out, the template's own ('ja käskkirja punktis {point} nimetatud ametijuhendeid "
            "rakendatakse')."
        ),
    )


class WordingOverride(Model):
    """The words of `Wording` that one directive says otherwise."""

    through: str | None = None
    last: str | None = None
    separator: str | None = None
    shortest_range: int | None = Field(None, ge=2)
    repeal_last: str | None = None
    repeal_through: str | None = None
    issuer_each: bool | None = None
    quotes: Quotes | None = None
    on_signing: str | None = None
    applies_from: str | None = None


class Organisation(Model):
    """The agency that issues the directive (organisation.yaml at the project root)."""

    name: Text = Field(description=N_("Name of the agency, e.g. 'Maksu- ja Tolliamet'."))
    genitive: Text = Field(
        description=N_(
            "Genitive of the name, as in 'KINNITATUD Maksu- ja Tolliameti "
            "direktori …': 'Maksu- ja Tolliameti'."
        )
    )
    issuer_genitive: Text = Field(
        description=N_(
            "Whose directive it is, in the genitive, as in 'direktori … käskkirjaga' "
            "and 'Tunnistan kehtetuks direktori …': 'direktori'."
        )
    )
    signer: Person = Field(description=N_("Who signs directives unless a directive names another."))
    legal_basis: Text = Field(description=N_("The preamble: the legal basis ending in '… alusel'."))
    appeal: Paragraphs | None = Field(
        None,
        description=N_(
            "The right-of-appeal clause (vaidlustamise kord); leave out where directives have none."
        ),
    )
    register_series: Label | None = Field(
        None,
        description=N_("Document register series, e.g. '1-1 Põhitegevuse käskkirjad' (DOCX metadata)."),
    )
    template: str = Field(
        "templates/kaskkiri.docx",
        description=N_(
            "The docxtpl template of the directive with its annexes, relative to the project folder."
        ),
    )
    language: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = Field(
        "et-EE",
        description=N_("Language of the documents, as a tag like et-EE (Word's proofing, PDF /Lang)."),
    )
    pdf_bookmark_directive: NamePattern = Field(
        "Käskkiri nr {number} – {title}",
        description=N_(
            "The directive's name in its PDF: its title (the viewer's window shows it) and first "
            "bookmark; {number}, {title} and {date} are filled in."
        ),
    )
    pdf_bookmark_annex: NamePattern = Field(
        "Lisa {number} – {title}",
        description=N_("PDF bookmark of each annex; {number} and {title} are the annex's."),
    )
    container_file_name: NamePattern = Field(
        "Käskkiri nr {number} – {title}",
        description=N_(
            "The name of the PDF (and DOCX) in the container to be signed; {number}, {title} and "
            "{date} are filled in."
        ),
    )
    keywords: NamePattern = Field(
        "nr {number}",
        description=N_(
            "The document's keywords (DOCX and PDF) once it has its number (a draft has none); "
            "{number}, {title} and {date} are filled in."
        ),
    )
    consent_note: Text | None = Field(
        None,
        description=N_(
            "`jdgen diff` adds this to changes of duties or requirements (e.g. the rule of the "
            "civil service act that asks for the official's consent)."
        ),
    )
    draft_number: Text = Field("…", description=N_("Printed instead of the number of a draft."))
    draft_date: Text = Field("…", description=N_("Printed instead of the date of a draft."))
    draft_marking: Text = Field(
        "KAVAND",
        description=N_("Printed at the top of every page of a draft (a directive without number and date)."),
    )
    wording: Wording = Field(description=N_("How lists and ranges are joined in the directive's sentences."))
    extras: Extras = Field(
        default_factory=Extras,
        description=N_(
            "The agency's own values (`extra:`) of positions, tasks, units and directives, each "
            "declared with its type and label; `check` validates them, `jdgen new` writes them."
        ),
    )
    review: ReviewRules = Field(
        default_factory=lambda: ReviewRules(),  # type: ignore[call-arg]  # every rule has its default
        description=N_("Which of `check`'s reviewer rules apply to this agency's job descriptions."),
    )
    extra: dict[str, Any] = Field(
        default_factory=dict,
        description=N_("Any further values your own template uses, as organisation.extra.NAME."),
    )
