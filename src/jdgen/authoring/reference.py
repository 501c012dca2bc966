"""The format reference of a project (`jdgen schema --reference`): every key of every kind of file,
its type, whether it is required, its label in this project's document, what it is, and an example
as the project's own files write it; in the user's language.

It is made from the JSON Schema that pydantic derives from the models (with the extra values the
organisation declares) and from the template's labels (`layout`), so it says what `check` accepts
and what the template prints, and cannot drift from either. The examples are read from the
project's files as written (an `!include` stays an include). `format_reference` is pure; the
examples are found by `written_examples` from the files' text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import yaml

from ..document.layout import AnnexLayout
from ..i18n import _

Path_ = tuple[str, ...]  # a key path, "[]" for any item of a list: ("tasks", "[]", "results")
EXAMPLE_WIDTH = 72

KIND_FILES = {  # the kinds of file in the order of the reference, and where each lives
    "organisation": "`organisation.yaml`",
    "unit": "`positions/…/_unit.yaml`",
    "position": "`positions/…/*.yaml`",
    "directive": "`directives/*.yaml`",
}


def _kind_heading(kind: str) -> str:
    return {
        "organisation": _("The organisation"),
        "unit": _("A unit"),
        "position": _("A position"),
        "directive": _("A directive"),
    }[kind]


def format_reference(
    schemas: Mapping[str, dict[str, Any]],
    layout: AnnexLayout | None,
    examples: Mapping[str, Mapping[Path_, str]],
) -> str:
    """The reference in Markdown: a section per kind of file (`schemas`: kind -> its JSON Schema,
    with the organisation's declared extras), then a section per part the files hold (a task, a
    repealed directive, …), each a table of its keys."""
    lines = [
        "# " + _("The format reference"),
        "",
        _(
            "Every key of every kind of file, made from jdgen's models and this project's template and "
            "files: the type `jdgen check` accepts, whether the key is required, the label the "
            "document prints for it, what it is, and an example as this project writes it. Wherever a "
            "value may come from a shared file, `!include FILE` may stand instead, and a mapping may "
            "take a shared one with `<<: !include FILE`."
        ),
        "",
    ]
    parts: dict[str, tuple[str, Path_, dict[str, Any]]] = {}  # part name -> (kind, its path, its schema)
    for kind in KIND_FILES:
        schema = schemas.get(kind)
        if schema is None:
            continue
        defs = schema.get("$defs", {})
        for name, (path, _node) in _parts_reached(schema, defs).items():
            parts.setdefault(name, (kind, path, defs[name]))
        lines += [f"## {_kind_heading(kind)}: {KIND_FILES[kind]}", ""]
        lines += _table(kind, (), schema, defs, layout, examples.get(kind, {}))
    if parts:
        lines += ["## " + _("The parts the files hold"), ""]
    for name, (kind, path, node) in parts.items():
        defs = schemas[kind].get("$defs", {})
        lines += [f"### {name}", "", _where(kind, path), ""]
        lines += _table(kind, path, node, defs, layout, examples.get(kind, {}), defs_all=defs)
    return "\n".join(lines).rstrip() + "\n"


def _where(kind: str, path: Path_) -> str:
    key = ".".join(step for step in path if step != "[]")
    if path and path[-1] == "[]":
        return _("Each item of `{key}` in {file}.").format(key=key, file=KIND_FILES[kind])
    return _("The value of `{key}` in {file}.").format(key=key, file=KIND_FILES[kind])


def _parts_reached(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, tuple[Path_, dict[str, Any]]]:
    """Each definition the schema refers to, with the first key path that reaches it (breadth first)."""
    found: dict[str, tuple[Path_, dict[str, Any]]] = {}
    queue: list[tuple[Path_, Any]] = [((), schema)]
    while queue:
        path, node = queue.pop(0)
        if not isinstance(node, dict):
            continue
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[-1]
            if name not in found:
                found[name] = (path, defs[name])
                queue.append((path, defs[name]))
            continue
        for key, value in node.get("properties", {}).items():
            queue.append(((*path, key), value))
        for value in node.get("patternProperties", {}).values():
            queue.append(((*path, "NAME"), value))
        for branch in node.get("anyOf", []):
            queue.append((path, branch))
        if "items" in node:
            queue.append(((*path, "[]"), node["items"]))
    return found


def _table(
    kind: str,
    path: Path_,
    node: dict[str, Any],
    defs: dict[str, Any],
    layout: AnnexLayout | None,
    examples: Mapping[Path_, str],
    *,
    defs_all: dict[str, Any] | None = None,
) -> list[str]:
    properties = node.get("properties", {})
    if not properties:
        values = next(iter(node.get("patternProperties", {}).values()), None)
        described = _type_words(values, defs) if values else _("any values")
        return [_("Any name of its own, each: {what}.").format(what=described), ""]
    required = set(node.get("required", []))
    rows = [
        "| "
        + " | ".join(
            (_("key"), _("type"), _("required"), _("in the document"), _("what it is"), _("example"))
        )
        + " |",
        "|---|---|---|---|---|---|",
    ]
    for key, value in properties.items():
        rows.append(
            _row(
                key, value, key in required, kind, path, defs, layout, examples, _described(key, value, defs)
            )
        )
        declared = value.get("properties") if key == "extra" else None
        for name, extra in (declared or {}).items():
            rows.append(
                _row(
                    f"extra.{name}",
                    extra,
                    name in set(value.get("required", [])),
                    kind,
                    path,
                    defs,
                    layout,
                    examples,
                    extra.get("description", ""),
                    label=extra.get("title", ""),
                )
            )
    return [*rows, ""]


def _described(key: str, value: dict[str, Any], defs: dict[str, Any]) -> str:
    """The key's description; where it has none (a part that overrides another's keys, such as a
    directive's `wording`), the description of the same key in another part."""
    if value.get("description"):
        return str(value["description"])
    for other in defs.values():
        said = other.get("properties", {}).get(key, {}).get("description")
        if said:
            return str(said)
    return ""


def _row(
    key: str,
    value: dict[str, Any],
    required: bool,
    kind: str,
    path: Path_,
    defs: dict[str, Any],
    layout: AnnexLayout | None,
    examples: Mapping[Path_, str],
    description: str,
    *,
    label: str = "",
) -> str:
    label = _label(kind, path, key, layout) or label  # the template's words, else the declared label
    example = examples.get((*path, *key.split(".")), "")
    cells = (
        f"`{key}`",
        _type_words(value, defs),
        _("yes") if required else "",
        label,
        _(description) if description else "",
        f"`{_cell(example)}`" if example else "",
    )
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _label(kind: str, path: Path_, key: str, layout: AnnexLayout | None) -> str:
    """What the template prints beside the value (position and task values, a unit's name)."""
    if layout is None:
        return ""
    if kind == "position" and not path:
        return layout.labels.get(key) or layout.extra_labels.get(key, "")
    if kind == "position" and path == ("tasks", "[]"):
        if key == "results":
            return layout.results_label or ""
        column = layout.task_columns.index(key) if key in layout.task_columns else -1
        return layout.task_headings[column] if 0 <= column < len(layout.task_headings) else ""
    if kind == "unit" and key == "name":
        return layout.labels.get("unit", "")
    return ""


def _type_words(node: dict[str, Any], defs: dict[str, Any]) -> str:
    """A schema's type in plain words: "text", "date (YYYY-MM-DD)", "list of: text", "Task", …"""
    ref = node.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "anyOf" in node:
        kinds = [_type_words(branch, defs) for branch in node["anyOf"] if branch.get("type") != "null"]
        words = _(" or ").join(dict.fromkeys(kinds))
    elif "enum" in node:
        words = _("one of {values}").format(values=", ".join(f"`{v}`" for v in node["enum"]))
    else:
        words = _simple_type(node, defs)
    if "default" in node and node["default"] not in (None, [], {}):
        default = node["default"]
        shown = str(default).lower() if isinstance(default, bool) else str(default)
        words += " " + _("(default `{value}`)").format(value=shown)
    return words


def _simple_type(node: dict[str, Any], defs: dict[str, Any]) -> str:
    kind = node.get("type")
    if kind == "string":
        return _("date (YYYY-MM-DD)") if node.get("format") == "date" else _("text")
    if kind == "integer":
        return _("whole number")
    if kind == "number":
        return _("number")
    if kind == "boolean":
        return _("true or false")
    if kind == "array":
        return _("list of: {what}").format(what=_type_words(node.get("items", {}), defs))
    if kind == "object":
        names = node.get("propertyNames", {}).get("enum")
        if names:
            return _("mapping of {keys} to text").format(keys=", ".join(f"`{n}`" for n in names))
        each = next(iter(node.get("patternProperties", {}).values()), None)
        if each is not None:
            return _("mapping of names of your own, each: {what}").format(what=_type_words(each, defs))
        return _("mapping")
    return _("any value")


def _cell(text: str) -> str:
    """Text that stays in one cell of a Markdown table."""
    return " ".join(str(text).split()).replace("|", "\\|")


# -- examples as the project's files write them ---------------------------------------------------


def written_examples(texts: Iterable[str]) -> dict[Path_, str]:
    """The first value written at each key path in `texts` (YAML files' text, in order), shortened
    to one line as written: `reports_to: Talituse juhataja`, `rights: !include …`."""
    found: dict[Path_, str] = {}
    for text in texts:
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            continue  # `check` says what is wrong with it; the reference takes its examples elsewhere
        _walk(node, (), found)
    return found


def _walk(node: yaml.Node | None, path: Path_, found: dict[Path_, str]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                step = (*path, key.value)
                found.setdefault(step, _short(f"{key.value}: {_written(value)}"))
                _walk(value, step, found)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _walk(item, (*path, "[]"), found)


def _written(node: yaml.Node) -> str:
    """A value in one line, as close to how it is written as one line can be."""
    tag = node.tag if node.tag.startswith("!") and not node.tag.startswith("!!") else ""
    if isinstance(node, yaml.ScalarNode):
        quote = {"'": "'", '"': '"'}.get(node.style or "", "")
        return f"{tag} {quote}{node.value}{quote}".strip()
    if isinstance(node, yaml.SequenceNode):
        items = [_written(item) for item in node.value[:1]]
        more = ", …" if len(node.value) > 1 else ""
        return f"[{', '.join(items)}{more}]"
    if isinstance(node, yaml.MappingNode):
        pairs = [f"{key.value}: {_written(value)}" for key, value in node.value[:1]]
        more = ", …" if len(node.value) > 1 else ""
        return "{" + ", ".join(pairs) + more + "}"
    return ""


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXAMPLE_WIDTH else text[: EXAMPLE_WIDTH - 1].rstrip() + "…"
