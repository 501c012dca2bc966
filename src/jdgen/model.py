"""The YAML format of jdgen, described once: organisation, unit, position (ametijuhend), directive.

These pydantic models are the single source of truth for what a valid file is: validation, error
messages and `jdgen schema` all come from them. Field descriptions name the label that the value
fills in the stock template, so the JSON Schema doubles as the format's reference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints


def _paragraphs(value: Any) -> Any:
    """A single text is one paragraph; a list is one paragraph per item."""
    return [value] if isinstance(value, str) else value


def _text_of_number(value: Any) -> Any:
    """Numbers written bare in YAML (`number: 177`) are still text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""A piece of Estonian text, printed exactly as written (surrounding spaces trimmed)."""

Paragraphs = Annotated[
    list[Text], BeforeValidator(_paragraphs, json_schema_input_type=Text | list[Text]), Field(min_length=1)
]
"""Text that may have several paragraphs: a single text, or a list of texts."""

Label = Annotated[Text, BeforeValidator(_text_of_number, json_schema_input_type=str | int)]


class Model(BaseModel):
    """Shared settings: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(Model):
    """Someone named in the directive: the signer."""

    name: Text = Field(description="Full name, e.g. 'Mari Maasikas'.")
    title: Text = Field(description="Job title as printed under the name, e.g. 'direktor'.")


class Organisation(Model):
    """The agency that issues the directive (organisation.yaml at the project root)."""

    name: Text = Field(description="Name of the agency, e.g. 'Maksu- ja Tolliamet'.")
    genitive: Text = Field(
        description="Genitive of the name, as in 'KINNITATUD Maksu- ja Tolliameti "
        "direktori …': 'Maksu- ja Tolliameti'."
    )
    issuer_genitive: Text = Field(
        description="Whose directive it is, in the genitive, as in 'direktori … käskkirjaga' "
        "and 'Tunnistan kehtetuks direktori …': 'direktori'."
    )
    signer: Person = Field(description="Who signs directives unless a directive names another.")
    legal_basis: Text = Field(description="The preamble: the legal basis ending in '… alusel'.")
    appeal: Paragraphs = Field(description="The right-of-appeal clause (vaidlustamise kord).")
    register_series: Label | None = Field(
        None,
        description="Document register series, e.g. '1-1 Põhitegevuse käskkirjad' (DOCX metadata).",
    )
    template: str = Field(
        "templates/kaskkiri.docx",
        description="The docxtpl template of the directive with its annexes, relative to the project folder.",
    )
    language: Text = Field("et-EE", description="Language of the documents (PDF /Lang).")
    pdf_bookmark_directive: Text = Field(
        "Käskkiri nr {number} – {title}",
        description="PDF bookmark of the directive; {number}, {title} and {date} are filled in.",
    )
    pdf_bookmark_annex: Text = Field(
        "Lisa {number} – {title}",
        description="PDF bookmark of each annex; {number} and {title} are the annex's.",
    )
    consent_note: Text | None = Field(
        None,
        description="`jdgen diff` adds this to changes of duties or requirements (e.g. the rule of the "
        "civil service act that asks for the official's consent).",
    )
    draft_number: Text = Field("…", description="Printed instead of the number of a draft.")
    draft_date: Text = Field("…", description="Printed instead of the date of a draft.")
    extra: dict[str, Any] = Field(
        default_factory=dict,
        description="Any further values your own template uses, as organisation.extra.NAME.",
    )


class Unit(Model):
    """A structural unit (osakond, talitus): `_unit.yaml` in the unit's folder under positions/."""

    name: Text = Field(
        description="As printed in the row 'Struktuuriüksus', e.g. 'Õiguse ja "
        "järelevalve osakond, järelevalve talitus'."
    )
    genitive: Text = Field(
        description="As in 'Kinnitan … ametijuhendid', e.g. 'õiguse ja "
        "järelevalve osakonna järelevalve talituse'."
    )


class Task(Model):
    """One row of '2. Peamised teenistusülesanded | Oodatavad tulemused'."""

    task: Text = Field(description="The task (teenistusülesanne), without its number.")
    results: Paragraphs = Field(description="Expected results (oodatavad tulemused), one per item.")
    numbered: bool = Field(
        True,
        description="false prints the task without a number; the "
        "next numbered task then takes the number this one would have had.",
    )


class Position(Model):
    """A job description (ametijuhend) of one post (teenistuskoht): one YAML file per position."""

    title: Text = Field(description="Teenistuskoht, e.g. 'Peaspetsialist (järelevalve arendus)'.")
    reports_to: Text = Field(description="Vahetu juht.")
    subordinates: Text | None = Field(None, description="Alluvad ('-' when none).")
    substitutes: Text | None = Field(None, description="Teenistuja asendab.")
    substituted_by: Text | None = Field(None, description="Teenistuja asendaja.")
    purpose: Paragraphs = Field(description="Teenistuskoha eesmärk.")
    group: Text | None = Field(None, description="Ametikoha grupp, e.g. 'Ametnik'.")
    special_conditions: Paragraphs | None = Field(None, description="Eritingimused.")
    tasks: list[Task] = Field(
        min_length=1,
        description="Peamised teenistusülesanded with "
        "their oodatavad tulemused, in order; numbers are derived.",
    )
    education: Paragraphs | None = Field(None, description="Haridus.")
    experience: Paragraphs | None = Field(None, description="Erialane töökogemus.")
    languages: Paragraphs | None = Field(None, description="Keeleoskus, one line per item.")
    knowledge: Paragraphs | None = Field(None, description="Teadmised ja oskused.")
    personal_qualities: Paragraphs | None = Field(None, description="Isikuomadused.")
    rights: list[Text] | None = Field(
        None,
        min_length=1,
        description="Õigused: clauses without the separating '; ' and the final '.'.",
    )
    responsibilities: list[Text] | None = Field(
        None, min_length=1, description="Vastutus: clauses, written like rights."
    )
    review: Paragraphs | None = Field(
        None, description="Closing sentence, e.g. 'Ametijuhend vaadatakse üle kord aastas …'."
    )
    extra: dict[str, Any] = Field(
        default_factory=dict,
        description="Any further values your own template uses, as annex.position.extra.NAME.",
    )


class RepealedDirective(Model):
    """An earlier directive that this one repeals (tunnistab kehtetuks)."""

    date: dt.date = Field(description="Its date, YYYY-MM-DD.")
    number: Label = Field(description="Its number in the register.")
    title: Text = Field(description="Its title, printed in „ ” quotes.")


class Directive(Model):
    """A directive (käskkiri) approving the job descriptions of a unit: a file in directives/."""

    number: Label | None = Field(None, description="Register number; leave out for a draft.")
    date: dt.date | None = Field(None, description="Date of signing, YYYY-MM-DD; leave out for a draft.")
    title: Text = Field(description="Title, e.g. 'Ametijuhendite kinnitamine'.")
    unit: str = Field(
        description="The folder of the unit whose job descriptions are approved, "
        "e.g. positions/oiguse-ja-jarelevalve-osakond/jarelevalve-talitus."
    )
    annexes: list[str] = Field(
        min_length=1,
        description="Position files, in annex order (Lisa 1, Lisa 2, …), relative to the project folder.",
    )
    repeals: list[RepealedDirective] = Field(
        default_factory=list, description="Directives repealed; leave out when there are none."
    )
    in_force: dt.date | None = Field(
        None, description="Date of entry into force; leave out for entry into force on signing."
    )
    legal_basis: Text | None = Field(None, description="Overrides the organisation's.")
    signer: Person | None = Field(None, description="Overrides the organisation's signer.")
    extra_points: list[Text] = Field(
        default_factory=list, description="Further numbered points, printed after the repeal point."
    )
    extra: dict[str, Any] = Field(
        default_factory=dict,
        description="Any further values your own template uses, as directive.extra.NAME.",
    )

    @property
    def is_draft(self) -> bool:
        """A directive without number or date is a draft: the register assigns them."""
        return self.number is None or self.date is None

    @property
    def label(self) -> str:
        """How jdgen's messages name it: "nr 177 of 13.12.2024", or "draft"."""
        if self.number is None or self.date is None:
            return "draft"
        return f"nr {self.number} of {self.date:%d.%m.%Y}"


# -- a directive as assembled from its files ------------------------------------------------


@dataclass(frozen=True)
class Annex:
    """A position as attached to a directive (lisa): its file, its unit, its content."""

    path: str
    position: Position
    unit: Unit


@dataclass(frozen=True)
class DirectiveSources:
    """A validated directive with everything it is built from."""

    path: str
    directive: Directive
    organisation: Organisation
    unit: Unit
    annexes: tuple[Annex, ...]
    files: frozenset[str]
