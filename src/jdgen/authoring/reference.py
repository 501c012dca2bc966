"""The format reference of a project (`jdgen schema --reference`): every key of every kind of file,
its type, whether it is required, its label in this project's document, what it is, and an example
as the project's own files write it; in the user's language.

It is made from the JSON Schema that pydantic derives from the models (with the extra values the
organisation declares) and from the template's labels (`layout`), so it says what `check` accepts
and what the template prints, and cannot drift from either. The examples are the first lines the
project's files write for a key (an `!include` stays an include). `format_reference` is pure; the
examples are found by `written_examples` in the files' text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

import yaml

from ..document.layout import AnnexLayout
from ..i18n import _

Path_ = tuple[str, ...]  # a key path, "[]" for any item of a list, "NAME" for a name of one's own
Schema = dict[str, Any]
EXAMPLE_WIDTH = 64  # characters of an example's line
EXAMPLE_LINES = 3

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
    schemas: Mapping[str, Schema],
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
    defs_all = {name: node for schema in schemas.values() for name, node in schema.get("$defs", {}).items()}
    reached: dict[str, list[tuple[str, Path_]]] = {}  # part -> every (kind, key path) that holds it
    for kind in KIND_FILES:
        schema = schemas.get(kind)
        if schema is None:
            continue
        for name, paths in _parts_reached(schema, schema.get("$defs", {})).items():
            reached.setdefault(name, []).extend((kind, path) for path in paths)
        lines += [f"## {_kind_heading(kind)}: {KIND_FILES[kind]}", ""]
        lines += _table(kind, (), schema, defs_all, layout, examples.get(kind, {}))
    if reached:
        lines += ["## " + _("The parts the files hold"), ""]
    for name, places in reached.items():
        kind, path = places[0]
        keys = list(dict.fromkeys(_key_text(p) for _k, p in places))
        lines += [f'<a id="{_anchor(name)}"></a>', "", "### " + ", ".join(f"`{key}`" for key in keys), ""]
        lines += [_where(places), ""]
        lines += _table(kind, path, defs_all[name], defs_all, layout, examples.get(kind, {}))
    return "\n".join(lines).rstrip() + "\n"


def _part_of(node: Schema) -> str | None:
    """The definition a schema refers to (`{"$ref": "#/$defs/Task"}` -> "Task"), if it does."""
    ref = node.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _anchor(name: str) -> str:
    return "part-" + name.lower()


def _key_text(path: Path_) -> str:
    return ".".join(step for step in path if step != "[]")


def _where(places: list[tuple[str, Path_]]) -> str:
    files: dict[tuple[str, bool], list[str]] = {}  # (key, whether a list's item) -> the files
    for kind, path in places:
        files.setdefault((_key_text(path), path[-1:] == ("[]",)), []).append(KIND_FILES[kind])
    said = []
    for (key, item), where in files.items():
        file = _(" and ").join(dict.fromkeys(where))
        if item:
            said.append(_("each item of the list `{key}` in {file}").format(key=key, file=file))
        else:
            said.append(_("the value of `{key}` in {file}").format(key=key, file=file))
    sentence = _("; ").join(said)
    return sentence[:1].upper() + sentence[1:] + "."


def _parts_reached(schema: Schema, defs: Schema) -> dict[str, list[Path_]]:
    """Each definition the schema refers to, with every key path that holds it (breadth first)."""
    found: dict[str, list[Path_]] = {}
    queue: list[tuple[Path_, Any]] = [((), schema)]
    while queue:
        path, node = queue.pop(0)
        if not isinstance(node, dict):
            continue
        name = _part_of(node)
        if name is not None:
            if name not in found:
                queue.append((path, defs[name]))
            if path not in found.setdefault(name, []):
                found[name].append(path)
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
    node: Schema,
    defs: Schema,
    layout: AnnexLayout | None,
    examples: Mapping[Path_, str],
) -> list[str]:
    properties = node.get("properties", {})
    required = set(node.get("required", []))
    rows = [
        "| "
        + " | ".join(
            (
                _("key"),
                _("type"),
                _("required"),
                _("its label in the document"),
                _("what it is"),
                _("example"),
            )
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


def _described(key: str, value: Schema, defs: Schema) -> str:
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
    value: Schema,
    required: bool,
    kind: str,
    path: Path_,
    defs: Schema,
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
        _cell(_type_words(value, defs)),
        _("yes") if required else "",
        _cell(label),
        _cell(_(description)) if description else "",
        _example_cell(example) if example else "",
    )
    return "| " + " | ".join(cells) + " |"


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


def _type_words(node: Schema, defs: Schema) -> str:
    """A schema's type in plain words: "text", "date (YYYY-MM-DD)", "a text or a list of texts", …"""
    name = _part_of(node)
    if name is not None:
        return _("keys of its own ([below](#{anchor}))").format(anchor=_anchor(name))
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


def _simple_type(node: Schema, defs: Schema) -> str:
    kind = node.get("type")
    if kind == "string":
        return _("date (YYYY-MM-DD)") if node.get("format") == "date" else _("text")
    if kind in ("integer", "number"):
        return _("whole number") if kind == "integer" else _("number")
    if kind == "boolean":
        return _("true or false")
    if kind == "array":
        return _("a list of {what}").format(what=_items_words(node.get("items", {}), defs))
    if kind == "object":
        names = node.get("propertyNames", {}).get("enum")
        if names:
            return _("the keys {keys}, each with a text").format(keys=", ".join(f"`{n}`" for n in names))
        each = next(iter(node.get("patternProperties", {}).values()), None)
        if each is not None:
            return _("names of your own, each with {what}").format(what=_type_words(each, defs))
        return _("keys and values of your own")
    return _("any value")


def _items_words(node: Schema, defs: Schema) -> str:
    """What a list holds, in the plural: "texts", "whole numbers", "mappings (below)"."""
    if "anyOf" in node:
        return _(" or ").join(dict.fromkeys(_items_words(branch, defs) for branch in node["anyOf"]))
    name = _part_of(node)
    if name is not None:
        return _("items of keys of their own ([below](#{anchor}))").format(anchor=_anchor(name))
    kind = node.get("type")
    if kind == "string":
        return _("dates") if node.get("format") == "date" else _("texts")
    if kind == "integer":
        return _("whole numbers")
    return _type_words(node, defs)


def _cell(text: str) -> str:
    """Text that stays in one cell of a Markdown table."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _example_cell(example: str) -> str:
    """An example's lines as code in one cell: HTML, as a Markdown table cell holds no line break."""
    lines = [html.escape(line).replace(" ", "&nbsp;").replace("|", "&#124;") for line in example.splitlines()]
    return "<code>" + "<br>".join(lines) + "</code>"


# -- examples as the project's files write them ---------------------------------------------------


def written_examples(texts: Iterable[str]) -> dict[Path_, str]:
    """The first lines written for each key path in `texts` (YAML files' text, in order): the key's
    own line and, where its value starts below it, the value's first line, each cut to one width."""
    found: dict[Path_, str] = {}
    for text in texts:
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            continue  # `check` says what is wrong with it; the reference takes its examples elsewhere
        _walk(node, (), found, text.splitlines())
    return found


def _walk(node: yaml.Node | None, path: Path_, found: dict[Path_, str], lines: list[str]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                step = (*path, key.value)
                if step not in found:
                    found[step] = _lines_of(key, value, lines)
                _walk(value, step, found, lines)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _walk(item, (*path, "[]"), found, lines)


def _lines_of(key: yaml.Node, value: yaml.Node, lines: list[str]) -> str:
    first, last = key.start_mark.line, value.end_mark.line
    if value.end_mark.column == 0 and last > first:
        last -= 1  # a block ends at the start of the line after it
    written = lines[first : last + 1]
    indent = len(written[0]) - len(written[0].lstrip())
    shown = [_short(line[indent:]) for line in written[:EXAMPLE_LINES]]
    if len(written) > EXAMPLE_LINES:
        shown[-1] = shown[-1] if shown[-1].endswith("…") else shown[-1] + " …"
    return "\n".join(shown)


_COMMENT = re.compile(r"\s{2,}#.*$")  # a comment after a value, as the example files write them


def _short(line: str) -> str:
    line = _COMMENT.sub("", line).rstrip()
    return line if len(line) <= EXAMPLE_WIDTH else line[: EXAMPLE_WIDTH - 1].rstrip() + "…"
