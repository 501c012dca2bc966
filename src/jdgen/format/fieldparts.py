"""What a field of the format is in the document: its shape, its stock label, whether changing it
needs the official's consent (`Part`), and how to list them for a model (`parts`).

`model` attaches a `Part` to every field of a position and a directive; `new`, `import`, `diff`
and the schema take their field lists from `parts(Model)`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints


class Shape(enum.StrEnum):
    """How a field is written in YAML and printed in the document."""

    TEXT = "text"  # one text, printed as written
    PARAGRAPHS = "paragraphs"  # one text or a list, a paragraph per item
    CLAUSES = "clauses"  # a list of clauses, printed joined with "; " and ended with "."
    TASKS = "tasks"  # the tasks with their results
    ITEMS = "items"  # a list of texts, each its own point
    DATE = "date"
    PATH = "path"  # a project file or folder
    PATHS = "paths"  # project files in order (the annexes)
    REPEALS = "repeals"  # repealed directives
    PERSON = "person"
    FLAG = "flag"  # true or false
    VALUES = "values"  # free keys for an agency's own template (`extra`)
    ROWS = "rows"  # further labelled rows of the general part, each after the row of a field


@dataclass(frozen=True)
class Part:
    """What a field is in the document: its shape, a plain name for it (what tools call it where the
    agency's template gives it no label: `layout` reads the labels from there), and whether changing
    it changes the official's duties or requirements, which for a filled post needs the official's
    consent."""

    shape: Shape
    label: str
    consent: bool = False


def parts(model: type[BaseModel]) -> dict[str, Part]:
    """The `Part` of every field of `model`, in the order of the fields (the order of the document)."""
    found = {}
    for name, info in model.model_fields.items():
        part = next((m for m in info.metadata if isinstance(m, Part)), None)
        if part is None:
            raise TypeError(f"{model.__name__}.{name} has no Part")
        found[name] = part
    return found


# -- the building blocks of every file's format -------------------------------------------------


def _paragraphs(value: Any) -> Any:
    """A single text is one paragraph; a list is one paragraph per item."""
    return [value] if isinstance(value, str) else value


def _text_of_number(value: Any) -> Any:
    """Numbers written bare in YAML (`number: 177`) are still text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _trimmed(value: Any) -> Any:
    """Surrounding spaces trimmed; a text without any stays the very same string (pydantic's own
    `strip_whitespace` copies every text: a text of a shared include is then kept once, not once
    per position that includes it)."""
    return value.strip() if isinstance(value, str) else value


Text = Annotated[str, StringConstraints(min_length=1), BeforeValidator(_trimmed)]
"""A piece of Estonian text, printed exactly as written (surrounding spaces trimmed)."""

Paragraphs = Annotated[
    list[Text], BeforeValidator(_paragraphs, json_schema_input_type=Text | list[Text]), Field(min_length=1)
]
"""Text that may have several paragraphs: a single text, or a list of texts."""

Results = Annotated[list[Text], BeforeValidator(_paragraphs, json_schema_input_type=Text | list[Text])]
"""Paragraphs that may be none: the results of a task."""

Label = Annotated[Text, BeforeValidator(_text_of_number, json_schema_input_type=str | int)]


class Model(BaseModel):
    """Shared settings: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
