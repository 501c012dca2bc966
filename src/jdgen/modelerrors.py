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

from .errors import Problem
from .load import Loaded, key_path_text

_TYPE_NAMES = {
    str: "text",
    list: "a list",
    dict: "a mapping of keys",
    bool: "true/false",
    int: "a number",
    float: "a number",
    type(None): "nothing (an empty value)",
}


def _kind(value: Any) -> str:
    for cls, name in _TYPE_NAMES.items():
        if type(value) is cls:
            return name
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
        message = f"unknown key {path[-1]!r}"
        hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}"
        return Problem(loaded.location(path, key=True), message, key_path, hint)
    if kind == "missing":
        message = "this required key is missing"
        hint = f"add `{path[-1]}:` (see `jdgen schema` or the README for what it holds)"
        return Problem(loaded.location(path[:-1]), message, key_path, hint)
    if kind in ("string_type", "string_sub_type"):
        message = f"expected text, got {_kind(value)}"
        if value == [None]:
            hint = 'a lone - starts a list in YAML; write it in quotes: "-"'
        elif isinstance(value, list | dict):
            hint = "write the text on one line after the key, or as a block with >-"
    elif kind == "list_type":
        message = f"expected a list, got {_kind(value)}"
        hint = "write each item on its own line starting with '- '"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = f"expected a mapping of keys, got {_kind(value)}"
        hint = "write `key: value` lines, indented under this one"
    elif kind == "string_too_short":
        message = "must not be empty"
        hint = "write the text, or remove the key"
    elif kind == "too_short":
        message = "needs at least one item"
        hint = "add an item starting with '- '"
    elif kind.startswith("date") and isinstance(value, dt.datetime):
        message = f"expected a day, got a day with a time of day ({value:%Y-%m-%d %H:%M:%S})"
        hint = f"write only the day: {value:%Y-%m-%d}"
    elif kind.startswith("date"):
        message = f"expected a date, got {value!r}"
        hint = "write it as YYYY-MM-DD, e.g. 2024-12-13"
    elif kind == "string_pattern_mismatch":
        message = f"{value!r} is not written as expected"
        hint = _description(model, path) or "see `jdgen schema` for the form"
    elif kind.startswith("bool"):
        message = f"expected true or false, got {value!r}"
    elif kind == "value_error":  # a rule of the model's own, worded for the user already
        message = error["msg"].removeprefix("Value error, ")
    else:
        message = error["msg"]
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
