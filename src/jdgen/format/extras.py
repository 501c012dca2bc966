"""The agency's own values (`extra:`), checked against what organisation.yaml declares.

A template of another agency prints values jdgen's format does not know (a row "Ametikoha kood", say).
The agency declares each once (`extras:` in organisation.yaml: its type, whether required, its
label); a position, task, unit or directive then writes it under `extra:`. Each declaration becomes
a field of a pydantic model made here, so a typo, a missing required value or a wrong type is
reported like any other error of the file, at its line, and a date is a date in the template.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from pydantic_core import ErrorDetails

from ..errors import Location, Problem
from ..i18n import _
from .agency import ExtraValue, Organisation
from .fieldparts import Paragraphs, Text
from .located import Loaded, key_path_text
from .model import Directive, Position, Unit
from .modelerrors import problem_of
from .review import Locate

_TYPES: dict[str, Any] = {
    "text": Text,
    "paragraphs": Paragraphs,
    "date": dt.date,
    "number": int,
    "flag": bool,
}
KIND_OF_MODEL: dict[type[BaseModel], str] = {Position: "position", Unit: "unit", Directive: "directive"}


def extras_model(declared: dict[str, ExtraValue], kind: str) -> type[BaseModel]:
    """A model of the declared extra values of one kind of thing (unknown keys are errors): built
    once per declaration, as building a pydantic model costs a millisecond and a thousand
    positions with twelve tasks each ask for one thirteen thousand times."""
    key = tuple(
        (name, value.type, value.required, value.description or value.label)
        for name, value in declared.items()
    )
    return _extras_model(key, kind)


@functools.lru_cache(maxsize=64)
def _extras_model(declared: tuple[tuple[str, str, bool, str | None], ...], kind: str) -> type[BaseModel]:
    fields: dict[str, Any] = {
        name: (
            _TYPES[type_] if required else _TYPES[type_] | None,
            Field(... if required else None, description=description),
        )
        for name, type_, required, description in declared
    }
    return create_model(
        f"{kind.capitalize()}Extras", __config__=ConfigDict(extra="forbid", frozen=True), **fields
    )


def checked_extras(
    value: BaseModel, loaded: Loaded, model: type[BaseModel], organisation: Organisation
) -> tuple[BaseModel, list[Problem]]:
    """`value` with its extras validated and typed, and the problems of its extras."""
    kind = KIND_OF_MODEL[model]
    problems: list[Problem] = []
    extra, found = _checked(value.extra, getattr(organisation.extras, kind), kind, ("extra",), loaded, model)  # type: ignore[attr-defined]
    problems += found
    update: dict[str, Any] = {"extra": extra}
    # A task's extras are checked where the agency declares some or a task gives one.
    if isinstance(value, Position) and (organisation.extras.task or any(t.extra for t in value.tasks)):
        tasks = []
        for index, task in enumerate(value.tasks):
            path = ("tasks", index, "extra")
            task_extra, found = _checked(task.extra, organisation.extras.task, "task", path, loaded, model)
            problems += found
            tasks.append(task.model_copy(update={"extra": task_extra}))
        update["tasks"] = tasks
    return value.model_copy(update=update), problems


def _checked(
    values: dict[str, Any],
    declared: dict[str, ExtraValue],
    kind: str,
    at: tuple[Any, ...],
    loaded: Loaded,
    model: type[BaseModel],
) -> tuple[dict[str, Any], list[Problem]]:
    if not values and not any(value.required for value in declared.values()):
        return {name: None for name in declared}, []  # nothing given, nothing asked: each left out
    try:
        checked = extras_model(declared, kind).model_validate(values)
    except ValidationError as exc:
        return values, [_problem(error, declared, kind, at, loaded, model) for error in exc.errors()]
    return checked.model_dump(), []  # an optional value left out is None: the template may test it


def _problem(
    error: ErrorDetails,
    declared: dict[str, ExtraValue],
    kind: str,
    at: tuple[Any, ...],
    loaded: Loaded,
    model: type[BaseModel],
) -> Problem:
    path = (*at, *error["loc"])
    if error["type"] == "extra_forbidden":
        name = str(error["loc"][-1])
        close = difflib.get_close_matches(name, list(declared), n=1, cutoff=0.6)
        if close:
            hint = _("did you mean {key!r}?").format(key=close[0])
        elif declared:
            said = _("declare it under extras.{kind} in organisation.yaml (declared: {names})")
            hint = said.format(kind=kind, names=", ".join(declared))
        else:
            hint = _("declare it under extras.{kind} in organisation.yaml").format(kind=kind)
        message = _("undeclared extra value {name!r}").format(name=name)
        return Problem(loaded.location(path, key=True), message, key_path_text(path), hint)
    if error["type"] == "missing":
        label = declared[str(error["loc"][-1])].label
        return Problem(
            loaded.location(path[:-1]),
            _("this required extra value is missing") + (f" ({label})" if label else ""),
            key_path_text(path),
            _("add `{key}:` under `extra:`, as organisation.yaml's extras.{kind} declares").format(
                key=path[-1], kind=kind
            ),
        )
    return problem_of({**error, "loc": path}, loaded, model)


def template_agreement(
    organisation: Organisation, paths: set[tuple[str, ...]], locate: Locate, template: str
) -> list[Problem]:
    """Where organisation.yaml's declared extras and the template disagree: a declared value the
    template never prints, an extra value it prints that nobody declares."""
    printed = {(_owner(path), path[-1]) for path in paths if len(path) > 2 and path[-2] == "extra"}
    printed.discard(("organisation", ""))
    problems = []
    for kind in ("position", "task", "unit", "directive"):
        for name in getattr(organisation.extras, kind):
            if (kind, name) not in printed:
                problems.append(
                    Problem(
                        locate(("extras", kind, name)),
                        _("the template does not print {name} (the {kind}'s extra.{name})").format(
                            name=name, kind=kind
                        ),
                        f"extras.{kind}.{name}",
                        _("add it to the template, or delete the declaration"),
                        warning=True,
                    )
                )
    problems += [
        Problem(
            Location(template, 1, 1),
            _(
                "the template prints the {kind}'s extra.{name}, which organisation.yaml does not declare"
            ).format(kind=kind, name=name),
            "",
            _("declare it under extras.{kind} in organisation.yaml (e.g. {name}: {{label: …}})").format(
                kind=kind, name=name
            ),
            warning=True,
        )
        for kind, name in sorted(printed)
        if kind != "organisation" and name not in getattr(organisation.extras, kind)
    ]
    return problems


def _owner(path: tuple[str, ...]) -> str:
    """Whose extra value a dotted name prints: `a.position.extra.x` a position's, `a.unit.extra.x`
    or `u.extra.x` (over `a.units`) a unit's, `directive.extra.x` the directive's, `t.extra.x` a task's."""
    before = path[:-2]
    if before[:1] == ("organisation",):
        return "organisation"
    if before[:1] == ("directive",) and len(before) == 1:
        return "directive"
    if before[-1:] == ("position",):
        return "position"
    if before[-1:] in (("unit",), ("units",)):
        return "unit"
    return "task"
