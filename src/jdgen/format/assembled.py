"""A directive as assembled from its files: each annex's position with its unit, and everything a
directive is built from (`DirectiveSources`), as `project.assembly` puts it together and the
document, the PDF and the package take it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .agency import Organisation
from .model import Directive, Position, Unit


@dataclass(frozen=True)
class Annex:
    """A position as attached to a directive (lisa): its file, its unit, its content."""

    path: str
    position: Position
    unit: Unit
    units: tuple[Unit, ...] = ()  # the units around it, outermost first, ending with `unit`


@dataclass(frozen=True)
class DirectiveSources:
    """A validated directive with everything it is built from."""

    path: str
    directive: Directive
    organisation: Organisation
    unit: Unit
    annexes: tuple[Annex, ...]
    files: frozenset[str]
    units: tuple[Unit, ...] = ()  # the directive's unit with those around it, outermost first

    def named(self, pattern: str, **values: object) -> str:
        """A name pattern of organisation.yaml (`agency.NamePattern`, checked to hold no other
        placeholder) filled with the directive's {number}, {title} and {date}, or with `values`
        where given (an annex's number and title); a draft's number and date are the
        organisation's stand-ins."""
        directive, organisation = self.directive, self.organisation
        filled: dict[str, object] = {
            "number": directive.number or organisation.draft_number,
            "title": directive.title,
            "date": directive.date.strftime("%d.%m.%Y") if directive.date else organisation.draft_date,
        }
        return pattern.format(**{**filled, **values})

    @property
    def keywords(self) -> str:
        """The document's keywords ("nr 177"), in the DOCX and the PDF alike; none for a draft."""
        return "" if self.directive.is_draft else self.named(self.organisation.keywords)
