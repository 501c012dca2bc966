"""The YAML format of jdgen, described once: organisation, unit, position (ametijuhend), directive.

These pydantic models are the single source of truth for what a valid file is: validation, error
messages and `jdgen schema` all come from them. Field descriptions name the label that the value
fills in the stock template, so the JSON Schema doubles as the format's reference.

Each field of a position and a directive also carries a `Part`: what it is in the document (its
shape, a plain name for it where no template labels it, whether a change to it needs the official's
consent). The labels the documents print come from the agency's template (`layout`), never from here.
`jdgen new`, `import` and `diff` take their field lists from `parts(Model)`, so a field added here
reaches every tool, and a test walks every field through them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from ..i18n import N_, _
from .agency import Organisation, Person, Wording, WordingOverride
from .fieldparts import Label, Model, Paragraphs, Part, Results, Shape, Text
from .fieldparts import parts as parts  # the field lists of the tools come from here
from .inflection import genitive

__all__ = [
    "Organisation",
    "Person",
    "Wording",
    "WordingOverride",
]  # the organisation's models, where they used to be


def _register_number(value: Any) -> Any:
    """A register number: a whole number above 0 (`177`) or the register's code (`2.1-2/26/001`),
    never a sign or an exponent (`-1`, `1.5e300`)."""
    if isinstance(value, int) and not isinstance(value, bool) and value <= 0:
        raise ValueError(_("a register number is above 0"))
    if isinstance(value, str) and (
        value.strip().startswith(("-", "+")) or re.fullmatch(r"\s*\d+(\.\d*)?[eE][+-]?\d+\s*", value)
    ):
        raise ValueError(_("a register number is written as the register gives it, e.g. 177 or 2.1-2/26/001"))
    return value


RegisterNumber = Annotated[Label, BeforeValidator(_register_number)]  # checked, then made text as a Label


class Unit(Model):
    """A structural unit (osakond, talitus): `_unit.yaml` in the unit's folder under positions/."""

    name: Text = Field(
        description=N_(
            "As printed in the row 'Struktuuriüksus', e.g. 'Õiguse ja "
            "järelevalve osakond, järelevalve talitus'."
        )
    )
    genitive: Text | None = Field(
        None,
        description=N_(
            "As in 'Kinnitan … ametijuhendid', e.g. 'õiguse ja järelevalve osakonna "
            "järelevalve talituse'; derived from the name where a rule can ('osakond' -> 'osakonna'), "
            "and needed where none can and the template prints it."
        ),
    )
    extra: dict[str, Any] = Field(
        default_factory=dict,
        description=N_("The agency's own values, as declared under extras.unit in organisation.yaml."),
    )

    @property
    def name_genitive(self) -> str:
        """The genitive of the name: as written, or derived."""
        return self.genitive or genitive(self.name) or self.name


class Task(Model):
    """One row of '2. Peamised teenistusülesanded | Oodatavad tulemused'."""

    task: Annotated[Text, Part(Shape.TEXT, N_("task"), consent=True)] = Field(
        description=N_("The task (teenistusülesanne), without its number.")
    )
    results: Annotated[Results, Part(Shape.PARAGRAPHS, N_("results"), consent=True)] = Field(
        default_factory=list,
        description=N_(
            "Expected results (oodatavad tulemused), one per item; none where the layout has none."
        ),
    )
    numbered: Annotated[bool, Part(Shape.FLAG, N_("numbered"))] = Field(
        True,
        description=N_(
            "false prints the task without a number; the "
            "next numbered task then takes the number this one would have had."
        ),
    )
    extra: Annotated[dict[str, Any], Part(Shape.VALUES, N_("extra"))] = Field(
        default_factory=dict,
        description=N_("The agency's own values, as declared under extras.task in organisation.yaml."),
    )


class Row(Model):
    """A labelled row of the general part that the template has no label for ("Alluvad" where
    the template stops at "Vahetu juht"), printed after the row of another value."""

    label: Text = Field(description=N_("Its label as printed, e.g. 'Alluvad' or '1.5. Alluvad'."))
    text: Text = Field(description=N_("Its value."))
    after: Text = Field(description=N_("The value whose row it follows: unit, title, reports_to, …."))


class Position(Model):
    """A job description (ametijuhend) of one post (teenistuskoht): one YAML file per position."""

    title: Annotated[Text, Part(Shape.TEXT, N_("position title"))] = Field(
        description=N_("Teenistuskoht, e.g. 'Peaspetsialist (järelevalve arendus)'.")
    )
    title_genitive: Annotated[Text | None, Part(Shape.TEXT, N_("title in the genitive"))] = Field(
        None,
        description=N_(
            "The title in the genitive ('eksperdi', 'juhataja'), where the rule that derives it "
            "does not know the title's last word."
        ),
    )
    reports_to: Annotated[Text, Part(Shape.TEXT, N_("reports to"))] = Field(description=N_("Vahetu juht."))
    subordinates: Annotated[Text | None, Part(Shape.TEXT, N_("subordinates"))] = Field(
        None, description=N_("Alluvad ('-' when none).")
    )
    substitutes: Annotated[Text | None, Part(Shape.TEXT, N_("substitutes"))] = Field(
        None, description=N_("Teenistuja asendab.")
    )
    substituted_by: Annotated[Text | None, Part(Shape.TEXT, N_("substituted by"))] = Field(
        None, description=N_("Teenistuja asendaja.")
    )
    purpose: Annotated[Paragraphs, Part(Shape.PARAGRAPHS, N_("purpose"))] = Field(
        description=N_("Teenistuskoha eesmärk.")
    )
    group: Annotated[Text | None, Part(Shape.TEXT, N_("group"))] = Field(
        None, description=N_("Ametikoha grupp, e.g. 'Ametnik'.")
    )
    special_conditions: Annotated[Paragraphs | None, Part(Shape.PARAGRAPHS, N_("special conditions"))] = (
        Field(None, description=N_("Eritingimused."))
    )
    tasks: Annotated[list[Task], Part(Shape.TASKS, N_("tasks"), consent=True)] = Field(
        min_length=1,
        description=N_(
            "Peamised teenistusülesanded with their oodatavad tulemused, in order; numbers are derived."
        ),
    )
    education: Annotated[Paragraphs | None, Part(Shape.PARAGRAPHS, N_("education"), consent=True)] = Field(
        None, description=N_("Haridus.")
    )
    experience: Annotated[Paragraphs | None, Part(Shape.PARAGRAPHS, N_("experience"), consent=True)] = Field(
        None, description=N_("Erialane töökogemus.")
    )
    languages: Annotated[Paragraphs | None, Part(Shape.PARAGRAPHS, N_("languages"), consent=True)] = Field(
        None, description=N_("Keeleoskus, one line per item.")
    )
    knowledge: Annotated[Paragraphs | None, Part(Shape.PARAGRAPHS, N_("knowledge"), consent=True)] = Field(
        None, description=N_("Teadmised ja oskused.")
    )
    personal_qualities: Annotated[
        Paragraphs | None, Part(Shape.PARAGRAPHS, N_("personal qualities"), consent=True)
    ] = Field(None, description=N_("Isikuomadused."))
    rights: Annotated[list[Text] | None, Part(Shape.CLAUSES, N_("rights"))] = Field(
        None,
        min_length=1,
        description=N_("Õigused: clauses without the separating '; ' and the final '.'."),
    )
    responsibilities: Annotated[list[Text] | None, Part(Shape.CLAUSES, N_("responsibilities"))] = Field(
        None, min_length=1, description=N_("Vastutus: clauses, written like rights.")
    )
    rows: Annotated[list[Row], Part(Shape.ROWS, N_("further rows"))] = Field(
        default_factory=list,
        description=N_(
            "Rows the template has no label for, each printed after the row of the value it "
            "names: [{label: Alluvad, text: puuduvad, after: reports_to}] (`jdgen import` writes them)."
        ),
    )
    review: Annotated[Paragraphs | None, Part(Shape.PARAGRAPHS, N_("Ametijuhendi ülevaatamine"))] = Field(
        None, description=N_("Closing sentence, e.g. 'Ametijuhend vaadatakse üle kord aastas …'.")
    )
    stub: Annotated[bool, Part(Shape.FLAG, N_("stub"))] = Field(
        False,
        description=N_(
            "Written by `jdgen import` where the published text had no body for this annex: "
            "fill the position in and delete this key."
        ),
    )
    extra: Annotated[dict[str, Any], Part(Shape.VALUES, N_("extra"))] = Field(
        default_factory=dict,
        description=N_("The agency's own values, as declared under extras.position in organisation.yaml."),
    )

    @model_validator(mode="after")
    def _rows_follow_values(self) -> Position:
        values = ["unit", *type(self).model_fields]
        for row in self.rows:
            if row.after not in values:
                raise ValueError(
                    _("rows: after: {name!r} is no value of a position: write e.g. reports_to").format(
                        name=row.after
                    )
                )
        return self

    @property
    def genitive(self) -> str:
        """The title in the genitive: as written, or derived."""
        return self.title_genitive or genitive(self.title) or self.title


class DirectiveRef(Model):
    """A directive named by its date and number."""

    date: dt.date = Field(description=N_("Its date, YYYY-MM-DD."))
    number: RegisterNumber = Field(description=N_("Its number in the register."))


def _point_text(value: Any) -> Any:
    """A further point written as a text is printed after the repeal point."""
    return {"text": value} if isinstance(value, str) else value


PointKind = Literal["approve", "repeal", "in_force"]  # the points the template words itself


class FurtherPointFields(Model):
    """A further point of the directive, and which point it follows."""

    text: Text = Field(description=N_("The point's text, without its number."))
    after: PointKind = Field(
        "repeal", description=N_("Printed after this point (after the approval when nothing is repealed).")
    )


FurtherPoint = Annotated[
    FurtherPointFields, BeforeValidator(_point_text, json_schema_input_type=Text | FurtherPointFields)
]


class RepealedDirective(Model):
    """What this directive repeals (tunnistab kehtetuks): a whole earlier directive (`date`,
    `number`, `title`), some of its annexes (with `annexes`), or the job descriptions that
    earlier directives approved (`approved_by`, alone)."""

    date: dt.date | None = Field(None, description=N_("Its date, YYYY-MM-DD."))
    number: RegisterNumber | None = Field(None, description=N_("Its number in the register."))
    title: Text | None = Field(None, description=N_("Its title, printed in quotes."))
    annexes: list[Annotated[int, Field(ge=1)]] | None = Field(
        None, min_length=1, description=N_("Only these annexes of it, by number: [1, 2, 3, 5, 8, 9].")
    )
    approved_by: list[DirectiveRef] | None = Field(
        None,
        min_length=1,
        description=N_("The job descriptions approved by these directives (each with date and number)."),
    )

    @model_validator(mode="after")
    def _one_kind(self) -> RepealedDirective:
        twice = sorted({n for n in self.annexes or [] if (self.annexes or []).count(n) > 1})
        if twice:
            raise ValueError(
                _("annexes lists {numbers} more than once: list each annex once").format(
                    numbers=", ".join(map(str, twice))
                )
            )
        if self.approved_by is not None:
            if any(value is not None for value in (self.date, self.number, self.title, self.annexes)):
                raise ValueError(
                    _("approved_by stands alone: name the directives under it, each with date and number")
                )
        elif self.date is None or self.number is None:
            raise ValueError(_("name the repealed directive by date and number (or list approved_by)"))
        return self

    @property
    def dates(self) -> list[dt.date]:
        """The dates of the directives it names."""
        if self.approved_by is not None:
            return [ref.date for ref in self.approved_by]
        return [self.date] if self.date is not None else []


class Directive(Model):
    """A directive (käskkiri) approving the job descriptions of a unit: a file in directives/."""

    number: Annotated[RegisterNumber | None, Part(Shape.TEXT, N_("number"))] = Field(
        None, description=N_("Register number; leave out for a draft.")
    )
    date: Annotated[dt.date | None, Part(Shape.DATE, N_("date"))] = Field(
        None, description=N_("Date of signing, YYYY-MM-DD; leave out for a draft.")
    )
    title: Annotated[Text, Part(Shape.TEXT, N_("title"))] = Field(
        description=N_("Title, e.g. 'Ametijuhendite kinnitamine'.")
    )
    unit: Annotated[str, Part(Shape.PATH, N_("unit"))] = Field(
        description=N_(
            "The folder of the unit whose job descriptions are approved, "
            "e.g. positions/oiguse-ja-jarelevalve-osakond/jarelevalve-talitus."
        )
    )
    annexes: Annotated[list[str], Part(Shape.PATHS, N_("annexes"))] = Field(
        min_length=1,
        description=N_("Position files, in annex order (Lisa 1, Lisa 2, …), relative to the project folder."),
    )
    repeals: Annotated[list[RepealedDirective], Part(Shape.REPEALS, N_("repeals"))] = Field(
        default_factory=list,
        description=N_(
            "What is repealed, each {date, number, title} for a whole directive, with `annexes: "
            "[1, 2, 5]` for some of its annexes, or {approved_by: [{date, number}, …]} for the job "
            "descriptions earlier directives approved; leave out when nothing is repealed."
        ),
    )
    in_force: Annotated[dt.date | None, Part(Shape.DATE, N_("in force"))] = Field(
        None,
        description=N_(
            "Date of entry into force, not before the directive's date; leave out for entry "
            "into force on signing."
        ),
    )
    applies_from: Annotated[dt.date | None, Part(Shape.DATE, N_("applies from"))] = Field(
        None,
        description=N_(
            "The job descriptions apply from this earlier day, YYYY-MM-DD (retroactively: "
            "'… rakendatakse 2025. aasta 1. septembrist'); leave out when they apply on entry into force."
        ),
    )
    legal_basis: Annotated[Text | None, Part(Shape.TEXT, N_("legal basis"))] = Field(
        None, description=N_("Overrides the organisation's.")
    )
    signer: Annotated[Person | None, Part(Shape.PERSON, N_("signer"))] = Field(
        None, description=N_("Overrides the organisation's signer.")
    )
    wording: Annotated[WordingOverride | None, Part(Shape.VALUES, N_("wording"))] = Field(
        None, description=N_("Words of organisation.yaml's wording that this directive says otherwise.")
    )
    own_words: Annotated[dict[PointKind, Text], Part(Shape.VALUES, N_("own words"))] = Field(
        default_factory=dict,
        description=N_(
            "A point in the directive's own words, printed instead of the template's: "
            "{repeal: 'Tunnistan kehtetuks …'} (without the point's number; point 1 with its items). Its "
            "data (repeals, dates) is still given and checked. `jdgen import` writes it where no wording "
            "says the published text."
        ),
    )
    extra_points: Annotated[list[FurtherPoint], Part(Shape.ITEMS, N_("extra points"))] = Field(
        default_factory=list,
        description=N_(
            "Further numbered points: a text (printed after the repeal point, before entry into "
            "force), or {text: …, after: approve | repeal | in_force} to print it elsewhere."
        ),
    )
    extra: Annotated[dict[str, Any], Part(Shape.VALUES, N_("extra"))] = Field(
        default_factory=dict,
        description=N_("The agency's own values, as declared under extras.directive in organisation.yaml."),
    )

    @property
    def is_draft(self) -> bool:
        """A directive without number or date is a draft: the register assigns them."""
        return self.number is None or self.date is None

    def wording_from(self, organisation: Organisation) -> Wording:
        """The organisation's wording with what this directive says otherwise."""
        if self.wording is None:
            return organisation.wording
        return organisation.wording.model_copy(update=self.wording.model_dump(exclude_none=True))

    @property
    def label(self) -> str:
        """How jdgen's messages name it: "nr 177 of 13.12.2024", or "draft"."""
        if self.number is None or self.date is None:
            return _("draft")
        return _("nr {number} of {date}").format(number=self.number, date=f"{self.date:%d.%m.%Y}")
