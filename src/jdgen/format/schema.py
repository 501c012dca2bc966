"""JSON Schema of each kind of jdgen file, made from the models, for editors' completion and checks.

An editor sees `!include path.yaml` as the text `path.yaml`, and `<<` as a key, so wherever a value
may come from an include the schema also accepts the name of a YAML file, and every mapping accepts
the merge key. Everything else is exactly what the models accept.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from ..i18n import N_
from .extras import extras_model
from .model import Directive, Organisation, Position, Unit

KINDS: dict[str, type[BaseModel]] = {
    "position": Position,
    "directive": Directive,
    "organisation": Organisation,
    "unit": Unit,
}

_INCLUDE = {
    "type": "string",
    "pattern": r"\.ya?ml$",
    "description": "!include of a shared YAML file, relative to the project folder",
}
_DECLARED_EXTRAS = N_("The agency's own values, as organisation.yaml declares them under `extras`.")
_MERGE = {"description": "<<: !include FILE takes the keys of a shared file; keys below override"}


def json_schema(
    kind: str, organisation: Organisation | None = None, *, includes: bool = True
) -> dict[str, Any]:
    """The editor-friendly JSON Schema of one kind of file; with the `organisation`, its declared
    extra values are the only keys `extra:` takes, each with its type, label and whether required.
    `includes=False`: the models' own schema, without the include names and `<<` an editor needs."""
    model = KINDS[kind]
    schema = model.model_json_schema()
    if organisation is not None:
        _declared_extras(schema, kind, organisation)
    if not includes:
        return schema
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"jdgen-{kind}.schema.json"
    _allow_includes(schema)
    for definition in schema.get("$defs", {}).values():
        _allow_includes(definition)
    return schema


def _declared_extras(schema: dict[str, Any], kind: str, organisation: Organisation) -> None:
    """In place: `extra` of the kind (and of a position's tasks) as organisation.yaml declares it."""
    owners: dict[str, dict[str, Any]] = {kind: schema}
    if kind == "position":
        owners["task"] = schema.get("$defs", {}).get("Task", {})
    for owner, target in owners.items():
        declared = getattr(organisation.extras, owner, None)
        if declared is None or "extra" not in target.get("properties", {}):
            continue
        extra = extras_model(declared, owner).model_json_schema()
        for name, value in declared.items():
            if value.label:
                extra["properties"][name]["title"] = value.label
        kept: dict[str, Any] = {
            key: extra[key]
            for key in ("type", "properties", "required", "additionalProperties")
            if key in extra
        }
        kept["description"] = _DECLARED_EXTRAS
        target["properties"]["extra"] = kept


def _allow_includes(schema: dict[str, Any]) -> None:
    """In place: every property and list item may also be an include; mappings take `<<`."""
    properties = schema.get("properties")
    if properties is not None:
        for name, value in properties.items():
            properties[name] = _or_include(value)
        properties["<<"] = _MERGE
    if "items" in schema:
        schema["items"] = _or_include(schema["items"])


def _or_include(schema: dict[str, Any]) -> dict[str, Any]:
    for branch in schema.get("anyOf", []):
        _allow_includes(branch)
    _allow_includes(schema)
    if schema.get("type") == "string":
        return schema
    outer: dict[str, Any] = {key: schema[key] for key in ("title", "description", "default") if key in schema}
    return {**outer, "anyOf": [schema, _INCLUDE]}


def schema_text(kind: str, organisation: Organisation | None = None) -> str:
    return json.dumps(json_schema(kind, organisation), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
