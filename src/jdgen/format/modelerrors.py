"""pydantic's validation errors as problems a person can act on: the place, the key, what to write.

`problem_of` turns one error into a `Problem` at the place the value was written (the key itself
for an unknown key, with "did you mean …?"), in the words of someone who edits YAML.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from ..errors import Problem
from ..i18n import N_, _
from .located import Loaded, key_path_text

_TYPE_NAMES = {
    str: N_("text"),
    list: N_("a list"),
    dict: N_("a mapping of keys"),
    bool: N_("true/false"),
    int: N_("a number"),
    float: N_("a number"),
    type(None): N_("nothing (an empty value)"),
}


def _kind(value: Any) -> str:
    for cls, name in _TYPE_NAMES.items():
        if type(value) is cls:
            return _(name)
    return type(value).__name__


def problem_of(error: ErrorDetails, loaded: Loaded, model: type[BaseModel]) -> Problem:
    path = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    key_path = key_path_text(path)
    hint = ""
    if kind == "extra_forbidden":
        known = _fields_at(model, path[:-1])
        close = difflib.get_close_matches(str(path[-1]), known, n=1, cutoff=0.6)
        message = _("unknown key {key!r}").format(key=path[-1])
        if close:
            hint = _("did you mean {key!r}?").format(key=close[0])
        else:
            hint = _("known keys: {keys}").format(keys=", ".join(known))
        return Problem(loaded.location(path, key=True), message, key_path, hint)
    if kind == "missing":
        message = _("this required key is missing")
        hint = _("add `{key}:` (see `jdgen schema --reference` for what it holds)").format(key=path[-1])
        return Problem(loaded.location(path[:-1]), message, key_path, hint)
    if kind in ("string_type", "string_sub_type"):
        message = _("expected text, got {kind}").format(kind=_kind(value))
        if value == [None]:
            hint = _('a lone - starts a list in YAML; write it in quotes: "-"')
        elif isinstance(value, list | dict):
            hint = _("write the text on one line after the key, or as a block with >-")
    elif kind == "list_type":
        message = _("expected a list, got {kind}").format(kind=_kind(value))
        hint = _("write each item on its own line starting with '- '")
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = _("expected a mapping of keys, got {kind}").format(kind=_kind(value))
        hint = _("write `key: value` lines, indented under this one")
    elif kind == "string_too_short":
        message = _("must not be empty")
        hint = _("write the text, or remove the key")
    elif kind == "too_short":
        message = _("needs at least one item")
        hint = _("add an item starting with '- '")
    elif kind.startswith("date") and isinstance(value, dt.datetime):
        message = _("expected a day, got a day with a time of day ({moment})").format(
            moment=f"{value:%Y-%m-%d %H:%M:%S}"
        )
        hint = _("write only the day: {day}").format(day=f"{value:%Y-%m-%d}")
    elif kind.startswith("date"):
        message = _("expected a date, got {value!r}").format(value=value)
        hint = _("write it as YYYY-MM-DD, e.g. 2024-12-13")
    elif kind == "string_pattern_mismatch":
        message = _("{value!r} is not written as expected").format(value=value)
        hint = _description(model, path) or _("see `jdgen schema` for the form")
    elif kind.startswith("bool"):
        message = _("expected true or false, got {value!r}").format(value=value)
    elif kind == "literal_error":
        expected = str((error.get("ctx") or {}).get("expected", "")).replace(" or ", ", ")
        message = _("expected one of {choices}, got {value!r}").format(choices=expected, value=value)
    elif kind.startswith("int_"):
        message = _("expected a whole number, got {value!r}").format(value=value)
    elif kind.startswith("float_"):
        message = _("expected a number, got {value!r}").format(value=value)
    elif kind == "greater_than_equal":
        limit = (error.get("ctx") or {}).get("ge", "")
        message = _("expected a number of at least {limit}, got {value!r}").format(limit=limit, value=value)
    elif kind == "value_error":  # a rule of the model's own, worded for the user already
        message = error["msg"].removeprefix("Value error, ")
    else:  # pydantic's own words (in English) for what jdgen's models rarely meet
        message = _("not a valid value ({problem})").format(problem=error["msg"])
    return Problem(loaded.location(path), message, key_path, hint)


def _description(model: type[BaseModel], path: tuple) -> str:
    """The description of the field at `path`, from the model."""
    names = [part for part in path if not isinstance(part, int)]
    current: Any = model
    for name in names[:-1]:
        field = getattr(current, "model_fields", {}).get(name)
        current = _model_in(field.annotation) if field is not None else None
    field = getattr(current, "model_fields", {}).get(names[-1]) if names else None
    return (field.description or "") if field is not None else ""


def _fields_at(model: type[BaseModel], path: tuple) -> list[str]:
    """Field names of the model found at `path` (following nested models and lists)."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _model_in(field.annotation)
    return sorted(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
