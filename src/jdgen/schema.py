"""JSON Schema of each kind of jdgen file, made from the models, for editors' completion and checks.

An editor sees `!include path.yaml` as the text `path.yaml`, and `<<` as a key, so wherever a value
may come from an include the schema also accepts the name of a YAML file, and every mapping accepts
the merge key. Everything else is exactly what the models accept.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

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
_MERGE = {"description": "<<: !include FILE takes the keys of a shared file; keys below override"}


def json_schema(kind: str) -> dict[str, Any]:
    """The editor-friendly JSON Schema of one kind of file."""
    model = KINDS[kind]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"jdgen-{kind}.schema.json"
    _allow_includes(schema)
    for definition in schema.get("$defs", {}).values():
        _allow_includes(definition)
    return schema


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


def schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
